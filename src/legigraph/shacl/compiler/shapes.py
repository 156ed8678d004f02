"""Results, checks and the compiled shapes graph (:class:`SparqlShapes`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from legigraph.model.namespaces import SH
from legigraph.shacl.compiler.constraints import (
    Shape,
    SparqlConstraint,
    parse_sparql_constraint,
    path_sparql,
)
from legigraph.shacl.compiler.terms import (
    FN_FOCUS,
    PROPERTY_PARAMS,
    SUPPORTED,
    TARGETS,
    Row,
    UnsupportedShape,
    qname,
    sparql_term,
)

# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL writes it."""

    focus: Node
    path: Node | None
    value: Node | None
    shape: Node
    component: URIRef
    severity: Node
    messages: frozenset[Literal]
    constraint: Node | None = None
    # for people: the messages of a SPARQL constraint with their language tags (pySHACL's
    # report drops the tags and mixes in the shape's messages); not part of the report
    display: frozenset[Literal] = field(default=frozenset(), compare=False)


def format_message(message: str, bound: dict[str, Node]) -> str:
    """PySHACL's substitution of {?var} and {$var} in a SPARQL constraint's message."""
    for var, val in bound.items():
        message = re.sub(f"{{[?$]{var}}}", str(val), message)
    return message


# --- compiling ---------------------------------------------------------------------------


@dataclass
class Check:
    """One query and how its rows become results."""

    name: str
    query: str
    rows_to_results: Callable[[list[Row]], list[Result]]
    variables: tuple[str, ...]
    bulk: str = ""  # the same check for many focus nodes: scan the values first, then join

    def text(self, bulk: bool) -> str:
        return self.bulk if bulk and self.bulk else self.query


@dataclass
class RootChecks:
    """The checks of one shape with targets, and a query asking whether it has focus nodes."""

    root: Node
    count: str
    checks: list[Check]


FOCUS_TOKEN = re.compile(r"__FOCUS__(\?\w+)__")


def restrict_focus(query: str, focus: Sequence[Node] | None) -> str:
    """Fill the focus placeholder of a query: nothing, or a restriction to ``focus``.

    IRIs are listed in a VALUES clause; blank nodes cannot be written in a query, so a set
    with one is tested by the Python function FN_FOCUS (see :meth:`Dataset.query`).
    """
    if focus is None:
        return FOCUS_TOKEN.sub("", query)
    if all(isinstance(f, URIRef) for f in focus):
        values = " ".join(sparql_term(f) for f in focus)
        return FOCUS_TOKEN.sub(lambda m: f"VALUES {m.group(1)} {{ {values} }}", query)
    return FOCUS_TOKEN.sub(lambda m: f"FILTER(<{FN_FOCUS}>({m.group(1)}))", query)


@dataclass
class Focus:
    """A set of focus nodes as a SPARQL pattern binding a variable."""

    pattern: Callable[[str], str]
    depth: int = 0


class Vars:
    """Fresh SPARQL variable names for one compiled query set."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, stem: str = "x") -> str:
        self.n += 1
        return f"?_{stem}{self.n}"


@dataclass
class SparqlShapes:
    """A shapes graph compiled for SPARQL validation.

    Parsing checks every construct once (:class:`UnsupportedShape` on the first one that is
    not compiled); the queries themselves are written at validation time, when the class
    hierarchy of the data is known.
    """

    graph: Graph
    shapes: dict[Node, Shape] = field(default_factory=dict)
    roots: list[Shape] = field(default_factory=list)
    sparql: dict[Node, SparqlConstraint] = field(default_factory=dict)
    targets: dict[Node, SparqlConstraint] = field(default_factory=dict)
    regex_native: dict[tuple[str, str], bool] = field(default_factory=dict)
    implicit: set[Node] = field(default_factory=set)  # shapes that are classes: own targets
    plans: dict[frozenset[tuple[Node, frozenset[Node]]], list[RootChecks]] = field(
        default_factory=dict
    )

    @classmethod
    def compile(cls, graph: Graph) -> SparqlShapes:
        """Read and check the shapes of ``graph``."""
        compiled = cls(graph)
        compiled._read()
        return compiled

    # reading

    def _shape_nodes(self) -> set[Node]:
        g = self.graph
        nodes: set[Node] = set(g.subjects(RDF.type, SH.NodeShape))
        nodes |= set(g.subjects(RDF.type, SH.PropertyShape))
        nodes |= {s for t in TARGETS for s in g.subjects(t, None)}
        nodes |= set(g.subjects(SH.path, None))
        for parameter in (SH.property, SH.node, SH.qualifiedValueShape):
            nodes |= set(g.objects(None, parameter))
        for lst in g.objects(None, SH["or"]):
            nodes |= set(Collection(g, lst))
        for parameter in (SH["and"], SH.xone, SH["not"]):
            for subject in g.subjects(parameter, None):
                raise UnsupportedShape(subject, f"{qname(parameter)} is not compiled")
        for kind in (SH.ConstraintComponent, SH.SPARQLTargetType, SH.JSConstraint, SH.JSTarget):
            for subject in g.subjects(RDF.type, kind):
                raise UnsupportedShape(subject, f"{qname(kind)} is not compiled")
        for predicate in (SH.rule, SH.expression, SH.js):
            for subject in g.subjects(predicate, None):
                raise UnsupportedShape(subject, f"{qname(predicate)} is not compiled")
        return nodes

    def _read(self) -> None:
        g = self.graph
        for node in sorted(self._shape_nodes(), key=lambda n: n.n3()):
            paths = list(g.objects(node, SH.path))
            if len(paths) > 1:
                raise UnsupportedShape(node, "more than one sh:path")
            messages = tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal))
            deactivated = g.value(node, SH.deactivated)
            shape = Shape(
                node=node,
                graph=g,
                path=paths[0] if paths else None,
                messages=messages,
                severity=g.value(node, SH.severity) or SH.Violation,
                deactivated=bool(isinstance(deactivated, Literal) and deactivated.toPython()),
            )
            for predicate in set(g.predicates(node, None)):
                if str(predicate).startswith(str(SH)) and predicate not in SUPPORTED:
                    raise UnsupportedShape(node, f"{qname(predicate)} is not compiled")
            if shape.path is not None:
                path_sparql(g, shape.path, node)
            self.shapes[node] = shape
        implicit_classes = {RDFS.Class} | set(g.subjects(RDFS.subClassOf, RDFS.Class))
        for shape in self.shapes.values():
            for sparql in shape.values(SH.sparql):
                self.sparql[sparql] = parse_sparql_constraint(shape, sparql)
            for target in shape.values(SH.target):
                if not ((target, RDF.type, SH.SPARQLTarget) in g or (target, SH.select, None) in g):
                    raise UnsupportedShape(shape.node, "a sh:target that is not a sh:SPARQLTarget")
                target_shape = Shape(target, g, None, (), SH.Violation, False)
                self.targets[target] = parse_sparql_constraint(target_shape, target)
            if any(t in implicit_classes for t in g.objects(shape.node, RDF.type)):
                self.implicit.add(shape.node)
            has_target = shape.node in self.implicit or any(
                (shape.node, t, None) in g for t in TARGETS
            )
            if has_target and not shape.deactivated:
                self.roots.append(shape)
            self._check_parameters(shape)

    def _check_parameters(self, shape: Shape) -> None:
        for parameter in (SH.property, SH.node, SH.qualifiedValueShape):
            for other in shape.values(parameter):
                if other not in self.shapes:
                    raise UnsupportedShape(
                        shape.node, f"{qname(parameter)} {other.n3()} is not a shape"
                    )
                wants_property = parameter == SH.property
                if (
                    wants_property != self.shapes[other].is_property
                    and parameter != SH.qualifiedValueShape
                ):
                    kind = "property" if wants_property else "node"
                    raise UnsupportedShape(
                        shape.node, f"{qname(parameter)} {other.n3()} is not a {kind} shape"
                    )
        self._check_values(shape)

    def _check_values(self, shape: Shape) -> None:
        """Refuse parameter values the compiler cannot translate (the first problem found)."""
        problems = [
            f"{qname(p)} on a node shape"
            for p in PROPERTY_PARAMS
            if shape.values(p) and not shape.is_property
        ]
        kinds = ((SH.closed, Literal, "sh:closed is not a boolean"),
                 (SH.pattern, Literal, "sh:pattern is not a literal"),
                 (SH.minInclusive, Literal, "sh:minInclusive is not a literal"),
                 (SH.lessThanOrEquals, URIRef, "sh:lessThanOrEquals is not an IRI"))  # fmt: skip
        problems += [
            m for p, kind, m in kinds if any(not isinstance(v, kind) for v in shape.values(p))
        ]
        if shape.values(SH.ignoredProperties) and not shape.values(SH.closed):
            problems.append("sh:ignoredProperties without sh:closed")
        flags = shape.value(SH.flags)
        if flags is not None and set(str(flags)) - {"i", "m"}:
            problems.append(f"sh:flags {flags!s} (only i and m are compiled)")
        if RDFS.Datatype in shape.values(SH.datatype):
            problems.append("sh:datatype rdfs:Datatype")
        for count in (SH.minCount, SH.maxCount, SH.qualifiedMinCount, SH.qualifiedMaxCount):
            value = shape.value(count)
            if value is not None and not (
                isinstance(value, Literal) and isinstance(value.toPython(), int)
            ):
                problems.append(f"{qname(count)} is not an integer")
        counts = (shape.value(SH.qualifiedMinCount), shape.value(SH.qualifiedMaxCount))
        if shape.values(SH.qualifiedValueShape) and counts == (None, None):
            problems.append("sh:qualifiedValueShape without a count")
        if problems:
            raise UnsupportedShape(shape.node, problems[0])

    def class_names(self) -> set[Node]:
        """Every class the shapes mention (targets and sh:class), for the hierarchy query."""
        g = self.graph
        found: set[Node] = set(g.objects(None, SH.targetClass)) | set(g.objects(None, SH["class"]))
        return found | self.implicit
