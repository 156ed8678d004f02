"""Validate new data in the context of a large store, reading only what the shapes need.

The national store holds millions of triples; new data (a bill and its amendments, ~200
triples) references a handful of its records. Validating the union with pySHACL loads and
checks everything. Here the shapes are read once to find *what a constraint can read* from a
focus node (:func:`read_plan`): the focus node's own triples, its values and their types,
the records a SPARQL constraint reaches from it (``$this lg:amendingAct ?act . ?act
eli:amends ?work``, ``?value eli:is_part_of+ ?work``, the proposals of the same process …).
That plan is followed from the nodes the new data can change to fetch a bounded
neighbourhood from the store; the neighbourhood, the ontology and the new data are validated
together, restricted to those nodes.

Which nodes can the new data change? Every triple of the new data has one of its subjects as
subject. A focus node outside them gains a violation only if one of its constraints reads,
*positively* (not under FILTER NOT EXISTS, not as sh:class, sh:minCount or sh:hasValue
do), a triple of another record that the new data extends: the referral read by
lgsh:Activity-referral-after-proposal through the proposals of its process is the one case
of the profile. :func:`read_plan` lists those reads too, and :func:`affected_nodes` follows
them backwards from the new subjects. The results reported are the results, in the union of
the store and the new data, on those nodes; every other result of the union was already a
result of the store alone (a violation the new data can only fix, never cause). The tests
check both statements against pySHACL over the whole (small) graph.

New data that changes the class hierarchy (rdfs:subClassOf) changes what every node is, and
is refused: validate the whole store then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql.parserutils import CompValue, Expr
from rdflib.term import Node, Variable

from legigraph.errors import InputError
from legigraph.model import ids
from legigraph.model.namespaces import ELI_DL, LG, SH, bind_prefixes
from legigraph.shacl.compiler import (
    Dataset,
    Shape,
    SparqlShapes,
    UnsupportedShape,
    as_validation_result,
    from_ox,
    load_graph,
    to_ox,
    validate_dataset,
)
from legigraph.shacl.compiler.constraints import SparqlConstraint
from legigraph.shacl.engines import ENGINE_OF_RECORD, ShaclEngine, run
from legigraph.shacl.report import ValidationResult, results_from_report

# A step from one node to others: ("out", p) follows p from subject to object, ("in", p)
# from object to subject; p None is any predicate; "out*" / "in*" follow p zero or more
# times. A read path is a tuple of steps from the focus node.
Step = tuple[str, URIRef | None]
ReadPath = tuple[Step, ...]
SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass}
MAX_DEPTH = 12


def _subjects_read(path: ReadPath) -> set[ReadPath]:
    """Where, along ``path``, the subjects of the triples it reads are.

    Before an "out" step; after an "in" or a repeated step.
    """
    found: set[ReadPath] = set()
    for i, (kind, _) in enumerate(path):
        found.add(path[:i] if kind == "out" else path[: i + 1])
        if kind.endswith("*"):
            found.add(path[:i])
    return found


def _reverse(path: ReadPath) -> ReadPath:
    flip = {"out": "in", "in": "out", "out*": "in*", "in*": "out*"}
    return tuple((flip[kind], p) for kind, p in reversed(path))


# --- what the shapes read ------------------------------------------------------------------


def shacl_path_steps(graph: Graph, path: Node, owner: Node) -> list[ReadPath]:
    """The alternative step sequences of a SHACL property path."""
    if isinstance(path, URIRef):
        return [(("out", path),)]
    if graph.value(path, RDF.first) is not None:
        seqs: list[ReadPath] = [()]
        for part in Collection(graph, path):
            seqs = [a + b for a in seqs for b in shacl_path_steps(graph, part, owner)]
        return seqs
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return [_reverse(s) for s in shacl_path_steps(graph, inverse, owner)]
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return [
            s
            for part in Collection(graph, alternatives)
            for s in shacl_path_steps(graph, part, owner)
        ]
    for predicate in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        inner = graph.value(path, predicate)
        if isinstance(inner, URIRef):
            return [(("out*", inner),)]
    raise UnsupportedShape(owner, "a repeated complex path cannot be followed in context")


def sparql_path_steps(path: Any, owner: Node) -> list[ReadPath]:
    """The alternative step sequences of a SPARQL predicate or property path."""
    if isinstance(path, Variable):
        return [(("out", None),)]
    if isinstance(path, URIRef):
        return [(("out", path),)]
    if isinstance(path, InvPath):
        return [_reverse(s) for s in sparql_path_steps(path.arg, owner)]
    if isinstance(path, SequencePath):
        seqs: list[ReadPath] = [()]
        for part in path.args:
            seqs = [a + b for a in seqs for b in sparql_path_steps(part, owner)]
        return seqs
    if isinstance(path, AlternativePath):
        return [s for part in path.args for s in sparql_path_steps(part, owner)]
    if isinstance(path, MulPath) and isinstance(path.path, URIRef):
        return [(("out*", path.path),)]
    if isinstance(path, NegatedPath):
        return [(("out", None),)]
    raise UnsupportedShape(owner, f"property path {path} cannot be followed in context")


def _patterns(node: Any, polarity: int, found: list[tuple[Any, Any, Any, int]]) -> None:
    """Collect triple patterns with their polarity.

    1: read positively; -1: only under NOT EXISTS; 0: both ways (OPTIONAL).
    """
    if isinstance(node, CompValue):
        if node.name == "Builtin_NOTEXISTS":
            _patterns(node.graph, -polarity, found)
            return
        if node.name == "UnaryNot":
            _patterns(node.expr, -polarity, found)
            return
        if node.name == "LeftJoin":
            _patterns(node.p1, polarity, found)
            _patterns(node.p2, 0, found)
            _patterns(node.expr, 0, found)
            return
        if node.name in ("BGP", "TriplesBlock"):
            for triple in node.triples:
                found.append((triple[0], triple[1], triple[2], polarity))
        for value in node.values():
            _patterns(value, polarity, found)
    elif isinstance(node, Expr | dict):
        for value in node.values():
            _patterns(value, polarity, found)
    elif isinstance(node, list | tuple):
        for value in node:
            _patterns(value, polarity, found)


@dataclass
class ReadPlan:
    """What validating a focus node reads, as paths from it.

    ``reads``: everything a constraint reads; ``affects``: the reads that can turn the focus
    node from conforming to violating when another record gains triples.
    """

    reads: set[ReadPath] = field(default_factory=set)
    affects: set[ReadPath] = field(default_factory=set)
    constants: set[Node] = field(default_factory=set)
    objects_of: set[URIRef] = field(default_factory=set)  # sh:targetObjectsOf predicates


def _sparql_reads(
    constraint: SparqlConstraint, owner: Node, plan: ReadPlan, base: ReadPath
) -> None:
    """Read paths of a SPARQL query from ``$this`` (reached by ``base``)."""
    patterns: list[tuple[Any, Any, Any, int]] = []
    _patterns(constraint.algebra.algebra, 1, patterns)
    paths: dict[Any, list[ReadPath]] = {Variable("this"): [()]}

    def anchored(term: Any) -> list[ReadPath] | None:
        if isinstance(term, Variable):
            return paths.get(term)
        if isinstance(term, URIRef):
            plan.constants.add(term)
            return None  # constants are read from their own description
        return None

    changed = True
    while changed:
        changed = False
        for s, p, o, _ in patterns:
            steps = sparql_path_steps(p, owner)
            if isinstance(o, Variable) and o not in paths and anchored(s) is not None:
                paths[o] = [a + b for a in paths[s] for b in steps]
                changed = True
            elif isinstance(s, Variable) and s not in paths and anchored(o) is not None:
                paths[s] = [a + _reverse(b) for a in paths[o] for b in steps]
                changed = True
    for s, p, o, polarity in patterns:
        for term in (s, o):
            if isinstance(term, Variable) and term not in paths and term != Variable("this"):
                if isinstance(s, URIRef) or isinstance(o, URIRef):
                    raise UnsupportedShape(
                        owner, f"?{term} is reached only from a constant: a scan of the store"
                    )
                raise UnsupportedShape(owner, f"?{term} is not connected to $this")
        steps = sparql_path_steps(p, owner)
        if isinstance(s, Variable) and s in paths:
            walks = [a + b for a in paths[s] for b in steps]
        elif isinstance(o, Variable) and o in paths:
            walks = [a + _reverse(b) for a in paths[o] for b in steps]
        else:
            continue  # constants only: read from their descriptions
        for walk in walks:
            plan.reads.add(base + walk)
            if polarity >= 0:
                plan.affects |= {base + w for w in _subjects_read(walk) if base + w}


def read_plan(shapes: SparqlShapes) -> ReadPlan:
    """What the shapes read around each focus node (see the module docstring)."""
    plan = ReadPlan()
    g = shapes.graph
    for root in shapes.roots:
        plan.objects_of |= {
            p for p in g.objects(root.node, SH.targetObjectsOf) if isinstance(p, URIRef)
        }
        if g.value(root.node, SH.targetObjectsOf) is not None:
            plan.affects |= {(("in", p),) for p in plan.objects_of}
        for target in g.objects(root.node, SH.target):
            _sparql_reads(shapes.targets[target], root.node, plan, ())
        _shape_reads(shapes, root, (), plan, 0, True)
    return plan


def _monotone(shapes: SparqlShapes, shape: Shape, depth: int) -> bool:
    """Whether adding triples can never make a node that conforms to ``shape`` violate it.

    True of what a node shape says of the node itself (its types for sh:class, the term for
    sh:datatype, sh:pattern …) and of the existential property constraints (sh:hasValue,
    sh:minCount, sh:qualifiedMinCount); false of anything that reads every value of a
    property (a new value can break it), of sh:closed and of SPARQL.
    """
    if depth > MAX_DEPTH:
        raise UnsupportedShape(shape.node, "recursive shapes are not compiled")
    g = shapes.graph
    if shape.deactivated:
        return True
    if shape.values(SH.closed) or shape.values(SH.sparql):
        return False
    if shape.is_property:
        used = {p for p in g.predicates(shape.node, None) if str(p).startswith(str(SH))}
        existential = {SH.hasValue, SH.minCount, SH.qualifiedValueShape, SH.qualifiedMinCount}
        annotations = {SH.path, SH.name, SH.description, SH.message, SH.severity,
                       SH.deactivated, SH.order, SH.group, SH.defaultValue}  # fmt: skip
        if used - existential - annotations:
            return False
        nested = shape.values(SH.qualifiedValueShape)
    else:
        nested = [*shape.values(SH.node), *shape.values(SH.property)]
        for lst in shape.values(SH["or"]):
            nested += list(Collection(g, lst))
    return all(_monotone(shapes, shapes.shapes[n], depth + 1) for n in nested)


def _shape_reads(
    shapes: SparqlShapes, shape: Shape, base: ReadPath, plan: ReadPlan, depth: int, root: bool
) -> None:
    """Read paths of ``shape`` validated on the node reached by ``base``."""
    if depth > MAX_DEPTH:
        raise UnsupportedShape(shape.node, "recursive shapes are not compiled")
    g = shapes.graph
    plan.reads.add(base)
    values = [base]
    if shape.is_property:
        values = [base + s for s in shacl_path_steps(g, shape.path, shape.node)]  # type: ignore[arg-type]
        plan.reads |= set(values)
        for other in shape.values(SH.lessThanOrEquals):
            plan.reads.add((*base, ("out", other)))  # type: ignore[arg-type]
    if not root and base and not _monotone(shapes, shape, depth):
        plan.affects.add(base)  # a shape reached through a value reads that value's triples
    for sparql in shape.values(SH.sparql):
        _sparql_reads(shapes.sparql[sparql], shape.node, plan, base)
    for value in values:
        for other in [*shape.values(SH.node), *shape.values(SH.qualifiedValueShape)]:
            _shape_reads(shapes, shapes.shapes[other], value, plan, depth + 1, False)
        for lst in shape.values(SH["or"]):
            for other in Collection(g, lst):
                _shape_reads(shapes, shapes.shapes[other], value, plan, depth + 1, False)
        if shape.is_property:
            for prop in shape.values(SH.property):
                _shape_reads(shapes, shapes.shapes[prop], value, plan, depth + 1, root)
    if not shape.is_property:
        for prop in shape.values(SH.property):
            _shape_reads(shapes, shapes.shapes[prop], base, plan, depth + 1, root)


# --- fetching a neighbourhood --------------------------------------------------------------


class Neighbourhood:
    """Triples fetched from a store (and a local graph: ontology and new data) node by node."""

    def __init__(self, data: Dataset, local: Graph):
        self.data = data
        self.local = local
        self.graph = Graph()
        self.described: set[Node] = set()
        self.incoming: set[tuple[Node, URIRef | None]] = set()

    def _quads(self, s: Any, p: Any, o: Any) -> Iterable[tuple[Node, Node, Node]]:
        store = self.data.store
        if self.data.graphs is not None:
            names = [ox.NamedNode(name) for name in self.data.graphs]
            quads = [q for name in names for q in store.quads_for_pattern(s, p, o, name)]
        elif self.data.union:
            quads = list(store.quads_for_pattern(s, p, o, None))
        else:
            quads = list(store.quads_for_pattern(s, p, o, ox.DefaultGraph()))
        for q in quads:
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)

    def describe(self, nodes: Iterable[Node]) -> None:
        """Fetch every triple whose subject is one of ``nodes``."""
        for node in nodes:
            if node in self.described or isinstance(node, Literal):
                continue
            self.described.add(node)
            for triple in self._quads(to_ox(node), None, None):
                self.graph.add(triple)
            for triple in self.local.triples((node, None, None)):
                self.graph.add(triple)

    def into(self, nodes: Iterable[Node], predicate: URIRef | None) -> set[Node]:
        """Fetch the triples ``?x predicate node`` and return the subjects."""
        found: set[Node] = set()
        for node in nodes:
            key = (node, predicate)
            p = to_ox(predicate) if predicate is not None else None
            triples = list(self.local.triples((None, predicate, node)))
            if key not in self.incoming:
                self.incoming.add(key)
                triples += list(self._quads(None, p, to_ox(node)))
            for triple in triples:
                self.graph.add(triple)
            found |= {s for s, _, _ in self.graph.triples((None, predicate, node))}
        return found

    def out(self, nodes: Iterable[Node], predicate: URIRef | None) -> set[Node]:
        nodes = set(nodes)
        self.describe(nodes)
        return {
            o for n in nodes for o in self.graph.objects(n, predicate) if not isinstance(o, Literal)
        }

    def step(self, nodes: set[Node], step: Step) -> set[Node]:
        """The nodes one step away (described as they are reached)."""
        kind, predicate = step
        if kind == "out":
            found = self.out(nodes, predicate)
        elif kind == "in":
            found = self.into(nodes, predicate)
        else:
            found, todo = set(nodes), set(nodes)
            while todo:
                nxt = self.out(todo, predicate) if kind == "out*" else self.into(todo, predicate)
                todo = nxt - found
                found |= nxt
        self.describe(found)
        return found

    def follow(self, starts: set[Node], path: ReadPath) -> set[Node]:
        nodes = set(starts)
        self.describe(nodes)
        for step in path:
            nodes = self.step(nodes, step)
        return nodes


def affected_nodes(neighbourhood: Neighbourhood, new: Graph, plan: ReadPlan) -> set[Node]:
    """The nodes whose results the new data can change (see the module docstring)."""
    if any(p in SCHEMA_PREDICATES for p in new.predicates()):
        raise InputError(
            "(new data)",
            "the new data changes the class hierarchy (rdfs:subClassOf …)",
            "validate the whole store instead",
        )
    subjects: set[Node] = set(new.subjects())
    affected = set(subjects)
    for path in plan.affects:
        affected |= neighbourhood.follow(subjects, _reverse(path))
    affected |= {
        o for p in plan.objects_of for o in new.objects(None, p) if not isinstance(o, Literal)
    }
    return affected


def fetch_context(
    data: Dataset, new: Graph, ontology: Graph, plan: ReadPlan
) -> tuple[Graph, set[Node]]:
    """The graph to validate, and the nodes whose results count.

    The graph: the new data, the ontology and the part of the store the shapes read
    around the affected nodes.
    """
    local = Graph()
    local += ontology
    local += new
    hood = Neighbourhood(data, local)
    affected = affected_nodes(hood, new, plan)
    for path in sorted(plan.reads, key=len):
        hood.follow(affected, path)
    hood.describe(plan.constants)
    for s, p, o in hood._quads(None, to_ox(RDFS.subClassOf), None):
        hood.graph.add((s, p, o))
    small = bind_prefixes(Graph())
    small += local
    small += hood.graph
    return small, affected


# --- validating ----------------------------------------------------------------------------


@dataclass
class ContextValidator:
    """Shapes compiled once, the ontology, and what they read: ready for many validations."""

    shapes: SparqlShapes
    shapes_graph: Graph
    ontology: Graph
    plan: ReadPlan

    @classmethod
    def create(cls, shapes: Graph, ontology: Graph) -> ContextValidator:
        compiled = SparqlShapes.compile(shapes)
        return cls(compiled, shapes, ontology, read_plan(compiled))

    def validate(
        self, new: Graph, data: Dataset, engine: ShaclEngine = ENGINE_OF_RECORD
    ) -> ValidationResult:
        """Validate ``new`` in the context of ``data``; results on the affected nodes only."""
        small, affected = fetch_context(data, new, self.ontology, self.plan)
        if engine == ShaclEngine.COMPILER:
            focus: Sequence[Node] = sorted(affected, key=lambda n: n.n3())
            found, report = validate_dataset(Dataset(load_graph(small)), self.shapes, focus=focus)
            return as_validation_result(found, report)
        conforms, report = run(engine, small, self.shapes_graph, focus=affected)
        results = results_from_report(report, bind_prefixes(Graph()), self.shapes_graph)
        count = sum(1 for r in results if r.severity == "Violation")
        return ValidationResult(conforms, count, results, report, f"{len(results)} result(s)")


# --- the bill as new data (the benchmark's and the tests') ---------------------------------

BILL_1544 = ids.bill(2024, 1544)


def bill_with_amendments(graph: Graph, bill: URIRef = BILL_1544) -> Graph:
    """A bill as new data (the benchmark's: 199 triples for bill 1544).

    The bill, its legislative process (process, activities and their participations), its
    amendments, the amending act, and the provisions and provision versions the amendments
    touch: every triple whose subject is one of them.
    """
    amendments = set(graph.subjects(LG.proposedBy, bill))
    touched = {
        o
        for a in amendments
        for p in (LG.affectedProvision, LG.provisionBefore, LG.provisionAfter)
        for o in graph.objects(a, p)
    }
    processes = set(graph.subjects(ELI_DL.involved_work, bill))
    activities = {a for p in processes for a in graph.objects(p, ELI_DL.consists_of)}
    participations = {x for a in activities for x in graph.objects(a, ELI_DL.had_participation)}
    acts = set(graph.objects(bill, LG.enactedAs))
    nodes = {bill} | amendments | touched | processes | activities | participations | acts
    new = bind_prefixes(Graph())
    for node in nodes:
        for triple in graph.triples((node, None, None)):
            new.add(triple)
    return new
