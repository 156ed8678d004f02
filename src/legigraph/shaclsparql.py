"""SHACL validation compiled to SPARQL and run on a pyoxigraph store.

pySHACL checks every focus node one at a time in Python; on the national graph (millions of
provisions) that does not finish. This module compiles the shapes graph once into a few
hundred SPARQL SELECT queries — each finds the violations of one constraint for all focus
nodes at once — runs them on an embedded Oxigraph store (two at a time: Oxigraph releases the
GIL) and writes a SHACL validation report with the results pySHACL gives for the same data
and shapes, run as ``legigraph.validate.run_pyshacl`` runs it (no inference, SHACL-AF on, the
ontology merged into the data graph).

What is compiled (the SHACL Core subset of the legigraph profile, and a little more):
targets (sh:targetClass — subclass-aware through rdfs:subClassOf in the data —, implicit
class targets, sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf, sh:SPARQLTarget);
property paths (predicate, inverse, sequence, alternative, zero-or-more, one-or-more,
zero-or-one); sh:class, sh:datatype, sh:nodeKind, sh:minCount, sh:maxCount,
sh:minInclusive, sh:pattern (+ sh:flags i, m), sh:languageIn, sh:uniqueLang, sh:in,
sh:hasValue, sh:lessThanOrEquals, sh:closed / sh:ignoredProperties, sh:node, sh:or,
sh:property, sh:qualifiedValueShape with sh:qualifiedMinCount / sh:qualifiedMaxCount /
sh:qualifiedValueShapesDisjoint, sh:sparql (SELECT, with $this, $PATH and sh:prefixes),
sh:severity, sh:deactivated, sh:message. Anything else raises :class:`UnsupportedShape`
naming the shape and the construct: nothing is skipped silently.

pySHACL's behaviour is followed where it departs from the letter of the specification:
sh:languageIn compares the whole tag or its first subtag, case-insensitively; sh:pattern is
Python's ``re.search`` (Oxigraph's regex engine is used where the two cannot differ, Python's
``re`` otherwise); sh:datatype needs a well-typed literal as rdflib parses it; a result of a
SPARQL constraint carries the messages of its shape and of the constraint, with
``{?var}``/``{$var}`` substituted and the language tags dropped.

Two limits, both raised as errors rather than approximated: results are reported only
through sh:message (pySHACL's generated default messages are not reproduced, so every shape
that can give a result needs one), and nested results (sh:detail) are not written.
Oxigraph stores valid typed literals in canonical form ("01"^^xsd:integer is read back as
"1"), so a non-canonical literal is reported in canonical form.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue, Expr
from rdflib.term import Node, Variable

from legigraph.namespaces import SH, bind_prefixes
from legigraph.shacl.report import ValidationResult, results_from_report, short_name

Term = URIRef | BNode | Literal
Row = tuple[Term | None, ...]

FN_REGEX = "urn:legigraph:shaclsparql:regex"
FN_WELL_TYPED = "urn:legigraph:shaclsparql:well-typed"
FN_FOCUS = "urn:legigraph:shaclsparql:focus"

# Parameters and annotations a shape may carry; anything else in the sh: namespace is refused.
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
ANNOTATIONS = {
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.path,
    SH.declare,
    SH.prefixes,
    SH.flags,
    SH.ignoredProperties,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}
VALUE_PARAMS = (
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH.languageIn,
    SH["in"],
    SH.minInclusive,
    SH.node,
    SH["or"],
)
PROPERTY_PARAMS = (
    SH.minCount,
    SH.maxCount,
    SH.uniqueLang,
    SH.qualifiedValueShape,
    SH.lessThanOrEquals,
)
OTHER_PARAMS = (SH.hasValue, SH.closed, SH.property, SH.sparql)
SUPPORTED = {*VALUE_PARAMS, *PROPERTY_PARAMS, *OTHER_PARAMS, *TARGETS, *ANNOTATIONS}
COMPONENT = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.closed: SH.ClosedConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}
NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
# Datatypes whose rdflib value is a str (pySHACL compares them as strings).
STRING_TYPES = (XSD.string, RDF.langString, XSD.normalizedString, XSD.token, XSD.language)
# Escapes whose meaning differs between Python's re and Rust's regex crate (Oxigraph).
UNSAFE_REGEX = re.compile(r"\\[wWsSdDbBAZ]|\(\?[^:]|\\[1-9]")
PREFIX_DECL = re.compile(r"^\s*(?:#[^\n]*\n\s*)*PREFIX\s+([\w\-.]*):\s*<([^>]*)>", re.I)
BASE_DECL = re.compile(r"^\s*(?:#[^\n]*\n\s*)*BASE\s*<[^>]*>", re.I)
SELECT_HEAD = re.compile(
    r"^\s*(?:#[^\n]*\n\s*)*SELECT\s+((?:DISTINCT|REDUCED)\s+)?([^{]*?)\s*(?:WHERE\s*)?\{", re.I
)


def _qname(node: Node) -> str:
    """``sh:x`` for a term of the SHACL vocabulary, the N3 form of anything else."""
    text = str(node)
    return "sh:" + text[len(str(SH)) :] if text.startswith(str(SH)) else node.n3()


class UnsupportedShape(ValueError):
    """A construct of the shapes graph that this compiler does not translate."""

    def __init__(self, shape: Node | None, problem: str):
        self.shape = shape
        where = f"shape {shape.n3() if isinstance(shape, URIRef | BNode) else shape}: "
        super().__init__((where if shape is not None else "") + problem)


# --- terms ------------------------------------------------------------------------------


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (blank node labels are kept)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = term.datatype or XSD.string
        return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term: Any) -> Term:
    """A pyoxigraph term as an rdflib term (xsd:string literals come back untyped)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    raise TypeError(f"not an RDF term: {term!r}")


Progress = Callable[[int, int], None]


def load_graph(graph: Graph, store: ox.Store | None = None) -> ox.Store:
    """Add ``graph`` to the default graph of ``store`` (a fresh in-memory store by default)."""
    store = store if store is not None else ox.Store()
    store.extend(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph())  # type: ignore[arg-type]
        for s, p, o in graph
    )
    return store


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def sparql_term(term: Node, shape: Node | None = None) -> str:
    """``term`` in SPARQL syntax; a blank node cannot be written and raises."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        if term.language:
            return f'"{_escape(str(term))}"@{term.language}'
        if term.datatype is not None:
            return f'"{_escape(str(term))}"^^<{term.datatype}>'
        return f'"{_escape(str(term))}"'
    raise UnsupportedShape(shape, f"blank node {term.n3()} used as a constant")


def _string(text: str) -> str:
    return f'"{_escape(text)}"'


# --- Python functions called from SPARQL -------------------------------------------------

_compiled: dict[tuple[str, int], re.Pattern[str]] = {}


def _py_regex(text: Any, pattern: Any, flags: Any) -> ox.Literal:
    """``re.search`` as pySHACL calls it (flags i and m only)."""
    key = (pattern.value, (re.I if "i" in flags.value else 0) | (re.M if "m" in flags.value else 0))
    if key not in _compiled:
        _compiled[key] = re.compile(*key)
    return ox.Literal(bool(_compiled[key].search(text.value)))


def _py_well_typed(value: Any) -> ox.Literal:
    """Whether rdflib reads ``value`` as a well-typed literal of its datatype (as pySHACL)."""
    literal = from_ox(value)
    if not isinstance(literal, Literal) or getattr(literal, "ill_typed", None) is True:
        return ox.Literal(False)
    checks: dict[URIRef, type | tuple[type, ...]] = {
        XSD.integer: int,
        XSD.float: float,
        XSD.decimal: Decimal,
        XSD.boolean: bool,
    }
    expected = checks.get(URIRef(value.datatype.value))
    ok = expected is None or isinstance(literal.value, expected)
    if URIRef(value.datatype.value) in (XSD.date, XSD.time, XSD.dateTime):
        ok = literal.value is not None and not isinstance(literal.value, str)
    return ox.Literal(ok)


FUNCTIONS: dict[ox.NamedNode, Callable[..., ox.Literal]] = {
    ox.NamedNode(FN_REGEX): _py_regex,
    ox.NamedNode(FN_WELL_TYPED): _py_well_typed,
}


def _oxigraph_regex_ok(pattern: str, flags: str) -> bool:
    """Whether Oxigraph's regex engine accepts ``pattern``."""
    try:
        query = f'ASK {{ FILTER(REGEX("", {_string(pattern)}, {_string(flags)}) || true) }}'
        return bool(ox.Store().query(query))
    except (SyntaxError, OSError, ValueError):
        return False


# --- the shapes graph --------------------------------------------------------------------


@dataclass
class Shape:
    """One shape of the shapes graph, with what the compiler needs of it."""

    node: Node
    graph: Graph
    path: Node | None
    messages: tuple[Literal, ...]
    severity: Node
    deactivated: bool

    @property
    def is_property(self) -> bool:
        return self.path is not None

    def values(self, parameter: URIRef) -> list[Node]:
        return sorted(self.graph.objects(self.node, parameter), key=lambda n: n.n3())

    def value(self, parameter: URIRef) -> Node | None:
        found = self.values(parameter)
        if len(found) > 1:
            raise UnsupportedShape(self.node, f"more than one {_qname(parameter)}")
        return found[0] if found else None

    def items(self, parameter: URIRef) -> list[Node]:
        lst = self.value(parameter)
        if lst is None:
            return []
        try:
            return list(Collection(self.graph, lst))
        except Exception as exc:
            raise UnsupportedShape(self.node, f"{_qname(parameter)} is not an RDF list") from exc


def path_sparql(graph: Graph, path: Node, shape: Node | None = None) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        raise UnsupportedShape(shape, f"sh:path {path.n3()} is not an IRI or a path")
    if graph.value(path, RDF.first) is not None:
        parts = [path_sparql(graph, p, shape) for p in Collection(graph, path)]
        return "(" + "/".join(parts) + ")"
    for predicate, template in (
        (SH.inversePath, "^({})"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(path_sparql(graph, inner, shape))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        parts = [path_sparql(graph, p, shape) for p in Collection(graph, alternatives)]
        return "(" + "|".join(parts) + ")"
    raise UnsupportedShape(shape, "unknown kind of property path")


@dataclass
class SparqlConstraint:
    """One sh:sparql SELECT constraint, rewritten to find the violations of all focus nodes."""

    node: Node
    prefixes: dict[str, str]
    head: str  # "SELECT [DISTINCT] <projection>"
    body: str  # the WHERE group after its opening brace
    projection: tuple[str, ...] | None  # None: SELECT *
    messages: tuple[Literal, ...]
    hint: str = ""  # VALUES for a variable the query's own FILTER fixes (a faster plan)
    algebra: Any = None  # rdflib's parse of the original query (for legigraph.shaclcontext)


def _collect_prefixes(graph: Graph, node: Node) -> dict[str, str]:
    """The prefixes pySHACL declares for a SPARQL query node (``collect_prefixes``)."""
    prefixes = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
    named = set(graph.objects(graph.identifier, SH.declare))
    ontologies = set(graph.subjects(RDF.type, OWL.Ontology))
    everywhere = named | {d for o in ontologies for d in graph.objects(o, SH.declare)}
    for value in graph.objects(node, SH.prefixes):
        own = set(graph.objects(value, SH.declare))
        declares = own | named if own and value in ontologies else everywhere | own
        for declare in declares:
            prefix = graph.value(declare, SH.prefix)
            namespace = graph.value(declare, SH.namespace)
            if prefix is None or namespace is None:
                raise UnsupportedShape(node, "sh:declare without sh:prefix and sh:namespace")
            prefixes[str(prefix)] = str(namespace)
    return prefixes


def _split_prologue(text: str, owner: Node) -> tuple[dict[str, str], str]:
    """The PREFIX declarations at the start of a query, and the rest."""
    prefixes: dict[str, str] = {}
    while True:
        match = PREFIX_DECL.match(text)
        if match:
            prefixes[match.group(1)] = match.group(2)
            text = text[match.end() :]
            continue
        if BASE_DECL.match(text):
            raise UnsupportedShape(owner, "BASE in a SPARQL query")
        return prefixes, text


def _walk(node: Any) -> Iterator[Any]:
    """Every CompValue, Expr and list item below ``node`` (algebra and parse trees)."""
    yield node
    if isinstance(node, CompValue | Expr | dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value)


def _mentions_this(node: Any) -> bool:
    return any(isinstance(n, Variable) and str(n) == "this" for n in _walk(node))


_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)


def _this_in_nested_expression(where: str) -> bool:
    """Whether $this is read by a FILTER or BIND inside a group nested in the WHERE group.

    Read from the query text, whose groups rdflib's algebra flattens: ``{ { FILTER ($this
    = ex:x) } }`` is a nested group where pre-binding sees $this and a join does not. Inside
    EXISTS the variable is substituted in both readings, so those groups are not counted.
    """
    text = _LEXEMES.sub(" ", where)  # strings, IRIs and comments hold no syntax
    depth, exists, pending_exists = 0, [], False
    i = 0
    while i < len(text):
        char = text[i]
        if char == "{":
            depth += 1
            exists.append(pending_exists)
            pending_exists = False
        elif char == "}":
            depth -= 1
            if exists:
                exists.pop()
        else:
            word = re.match(r"[A-Za-z]+", text[i:]) if text[i].isalpha() else None
            if word:
                keyword = word.group(0).upper()
                if keyword == "EXISTS":
                    pending_exists = True
                elif keyword in ("FILTER", "BIND") and depth >= 2 and not any(exists):
                    rest = text[i + len(keyword) :]
                    expression = re.match(r"\s*(?:[\w:]*\s*)\(", rest)
                    if expression:
                        start, level, j = i + len(keyword) + expression.end(), 1, 0
                        for j in range(start, len(text)):
                            level += {"(": 1, ")": -1}.get(text[j], 0)
                            if level == 0:
                                break
                        if re.search(r"[?$]this\b", text[start:j]):
                            return True
                i += len(keyword)
                continue
        i += 1
    return False


def _check_select(algebra: Any, owner: Node) -> None:
    """Refuse what cannot be evaluated for all focus nodes at once like pre-binding does.

    pySHACL pre-binds $this; here the focus pattern is joined at the start of the WHERE
    group. The two agree unless $this is read where the join has not bound it yet: in an
    expression of a nested group or a UNION branch, or in a sub-query; and aggregates,
    LIMIT, MINUS, VALUES and SERVICE would apply across focus nodes.
    """
    refused = {
        "Minus": "MINUS",
        "ToMultiSet": "VALUES",
        "ServiceGraphPattern": "SERVICE",
        "Group": "GROUP BY or an aggregate",
        "AggregateJoin": "GROUP BY or an aggregate",
        "Slice": "LIMIT/OFFSET",
        "OrderBy": "ORDER BY",
        "Graph": "GRAPH",
    }
    main = algebra.algebra.p
    while isinstance(main, CompValue) and main.name in ("Distinct", "Reduced", "Project"):
        main = main.p
    nodes = [n for n in _walk(main) if isinstance(n, CompValue)]
    if any(n.name in ("Project", "SelectQuery", "SubSelect") for n in nodes):
        raise UnsupportedShape(owner, "a sub-query in a SPARQL constraint")
    for node in nodes:
        if node.name in refused:
            raise UnsupportedShape(owner, f"{refused[node.name]} in a SPARQL constraint")
        if node.name == "Extend" and str(node.var) == "this":
            raise UnsupportedShape(owner, "AS ?this in a SPARQL constraint")

    def nested(node: Any, top: bool) -> None:
        if not isinstance(node, CompValue):
            return
        if node.name in ("Filter", "Extend") and not top and _mentions_this(node.expr):
            raise UnsupportedShape(owner, "$this in an expression of a nested group")
        expressions = [n.get("expr") for n in _walk(node) if isinstance(n, CompValue)]
        if node.name == "Union" and _mentions_this(expressions):
            raise UnsupportedShape(owner, "$this in an expression inside UNION")
        children: list[tuple[Any, bool]] = []
        if node.name in ("Filter", "Extend"):
            children = [(node.p, top)]
        elif node.name == "Join" or node.name == "LeftJoin":
            children = [(node.p1, top), (node.p2, False)]
        elif node.name == "Union":
            children = [(node.p1, False), (node.p2, False)]
        elif node.name in ("Distinct", "Reduced", "Project"):
            children = [(node.p, top)]
        for child, child_top in children:
            nested(child, child_top)

    nested(main, True)


def _values_hint(algebra: Any) -> str:
    """VALUES for the variables a top-level FILTER fixes to IRIs.

    ``?path = lg:x`` or ``?path IN (lg:x, lg:y)``, where a triple pattern of the group
    always binds ``?path``.

    Joining those VALUES gives the same solutions (the FILTER stays) and lets Oxigraph look
    the triples up instead of scanning every triple of the focus node.
    """
    main = algebra.algebra.p
    while isinstance(main, CompValue) and main.name in ("Distinct", "Reduced", "Project"):
        main = main.p
    if not (isinstance(main, CompValue) and main.name == "Filter"):
        return ""
    bound: set[Variable] = set()

    def collect(node: Any) -> None:
        if not isinstance(node, CompValue):
            return
        if node.name == "BGP":
            bound.update(t for triple in node.triples for t in triple if isinstance(t, Variable))
        elif node.name == "Join":
            collect(node.p1)
            collect(node.p2)
        elif node.name in ("Extend", "Filter") or (node.name == "LeftJoin"):
            collect(node.p if node.name != "LeftJoin" else node.p1)

    collect(main.p)
    expr = main.expr
    conjuncts = (
        [expr]
        if getattr(expr, "name", "") != "ConditionalAndExpression"
        else [expr.expr, *expr.other]
    )
    hints = []
    for c in conjuncts:
        if getattr(c, "name", "") != "RelationalExpression":
            continue
        var, values = None, []
        if c.op == "=" and isinstance(c.expr, Variable) and isinstance(c.other, URIRef):
            var, values = c.expr, [c.other]
        elif c.op == "=" and isinstance(c.other, Variable) and isinstance(c.expr, URIRef):
            var, values = c.other, [c.expr]
        elif (
            c.op == "IN"
            and isinstance(c.expr, Variable)
            and c.other
            and all(isinstance(v, URIRef) for v in c.other)
        ):
            var, values = c.expr, list(c.other)
        if var is not None and var in bound and str(var) != "this":
            hints.append(f"VALUES ?{var} {{ {' '.join(f'<{v}>' for v in values)} }}")
    return " ".join(hints)


PATH_TRIPLE = re.compile(
    r"(?P<pre>[{.]\s*)(?P<s>[?$]\w+)\s+"
    r"(?P<p>(?:<[^>\s]*>|[A-Za-z][\w\-.]*:[\w\-]*)(?:/(?:<[^>\s]*>|[A-Za-z][\w\-.]*:[\w\-]*))*[+*])"
    r"\s+(?P<o>[?$]\w+|<[^>\s]*>|[A-Za-z][\w\-.]*:[\w\-]*)\s*(?P<end>\.|(?=}))"
)


def _lateral_paths(body: str) -> str:
    """Wrap each statement ``?s path+ ?o .`` in ``LATERAL { … }``.

    A triple pattern joined laterally gives the same solutions as joined plainly, but
    Oxigraph then follows the path from the bindings of the patterns before it; joined
    plainly inside FILTER (NOT) EXISTS it computes the whole closure of the path first.
    """
    return PATH_TRIPLE.sub(
        lambda m: f"{m['pre']}LATERAL {{ {m['s']} {m['p']} {m['o']} }} {m['end']}", body
    )


def parse_sparql_constraint(shape: Shape, node: Node) -> SparqlConstraint:
    """Read one sh:sparql constraint of ``shape``."""
    g = shape.graph
    selects = list(g.objects(node, SH.select))
    if list(g.objects(node, SH.ask)) or len(selects) != 1:
        raise UnsupportedShape(
            shape.node, "sh:sparql needs exactly one sh:select (ASK is not compiled)"
        )
    text = str(selects[0])
    for variable in ("shapesGraph", "currentShape"):
        if re.search(rf"[?$]{variable}\b", text):
            raise UnsupportedShape(shape.node, f"${variable} in a SPARQL constraint")
    if shape.path is not None:
        path = path_sparql(g, shape.path, shape.node)
        text = re.sub(r"([\s{}()])[$?]PATH", lambda m: m.group(1) + path, text)
    elif re.search(r"[$?]PATH\b", text):
        raise UnsupportedShape(shape.node, "$PATH in a SPARQL constraint of a node shape")
    prefixes = _collect_prefixes(g, node)
    own, rest = _split_prologue(text, shape.node)
    prefixes.update(own)
    head = SELECT_HEAD.match(rest)
    if head is None:
        raise UnsupportedShape(shape.node, "sh:select is not a SELECT query with a WHERE group")
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    try:
        algebra = translateQuery(parseQuery(prologue + rest))
    except Exception as exc:
        raise UnsupportedShape(shape.node, f"SPARQL syntax error: {exc}") from exc
    _check_select(algebra, shape.node)
    if _this_in_nested_expression(rest):
        raise UnsupportedShape(shape.node, "$this in an expression of a nested group")
    projection_text = head.group(2).strip()
    projection = None if projection_text == "*" else tuple(str(v) for v in algebra.algebra.PV)
    if projection_text != "*" and not re.fullmatch(r"([?$]\w+\s*)+", projection_text):
        raise UnsupportedShape(shape.node, "expressions in the SELECT clause of a constraint")
    if projection is not None and "failure" in projection:
        raise UnsupportedShape(shape.node, "?failure in a SPARQL constraint")
    messages = tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal))
    return SparqlConstraint(
        node=node,
        prefixes=prefixes,
        head="SELECT " + (head.group(1) or "") + projection_text,
        body=_lateral_paths(rest[head.end() :]),
        projection=projection,
        messages=messages,
        hint=_values_hint(algebra),
        algebra=algebra,
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


def _format_message(message: str, bound: dict[str, Node]) -> str:
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
class _Focus:
    """A set of focus nodes as a SPARQL pattern binding a variable."""

    pattern: Callable[[str], str]
    depth: int = 0


class _Vars:
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
    _plans: dict[frozenset[tuple[Node, frozenset[Node]]], list[RootChecks]] = field(
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
                raise UnsupportedShape(subject, f"{_qname(parameter)} is not compiled")
        for kind in (SH.ConstraintComponent, SH.SPARQLTargetType, SH.JSConstraint, SH.JSTarget):
            for subject in g.subjects(RDF.type, kind):
                raise UnsupportedShape(subject, f"{_qname(kind)} is not compiled")
        for predicate in (SH.rule, SH.expression, SH.js):
            for subject in g.subjects(predicate, None):
                raise UnsupportedShape(subject, f"{_qname(predicate)} is not compiled")
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
                    raise UnsupportedShape(node, f"{_qname(predicate)} is not compiled")
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
                        shape.node, f"{_qname(parameter)} {other.n3()} is not a shape"
                    )
                wants_property = parameter == SH.property
                if (
                    wants_property != self.shapes[other].is_property
                    and parameter != SH.qualifiedValueShape
                ):
                    kind = "property" if wants_property else "node"
                    raise UnsupportedShape(
                        shape.node, f"{_qname(parameter)} {other.n3()} is not a {kind} shape"
                    )
        for parameter in PROPERTY_PARAMS:
            if shape.values(parameter) and not shape.is_property:
                raise UnsupportedShape(shape.node, f"{_qname(parameter)} on a node shape")
        for closed in shape.values(SH.closed):
            if not isinstance(closed, Literal):
                raise UnsupportedShape(shape.node, "sh:closed is not a boolean")
        if shape.values(SH.ignoredProperties) and not shape.values(SH.closed):
            raise UnsupportedShape(shape.node, "sh:ignoredProperties without sh:closed")
        flags = shape.value(SH.flags)
        if flags is not None and set(str(flags)) - {"i", "m"}:
            raise UnsupportedShape(shape.node, f"sh:flags {flags!s} (only i and m are compiled)")
        for datatype in shape.values(SH.datatype):
            if datatype == RDFS.Datatype:
                raise UnsupportedShape(shape.node, "sh:datatype rdfs:Datatype")
        for pattern in shape.values(SH.pattern):
            if not isinstance(pattern, Literal):
                raise UnsupportedShape(shape.node, "sh:pattern is not a literal")
        for count in (SH.minCount, SH.maxCount, SH.qualifiedMinCount, SH.qualifiedMaxCount):
            value = shape.value(count)
            if value is not None and not (
                isinstance(value, Literal) and isinstance(value.toPython(), int)
            ):
                raise UnsupportedShape(shape.node, f"{_qname(count)} is not an integer")
        if (
            shape.values(SH.qualifiedValueShape)
            and shape.value(SH.qualifiedMinCount) is None
            and (shape.value(SH.qualifiedMaxCount) is None)
        ):
            raise UnsupportedShape(shape.node, "sh:qualifiedValueShape without a count")
        for minimum in shape.values(SH.minInclusive):
            if not isinstance(minimum, Literal):
                raise UnsupportedShape(shape.node, "sh:minInclusive is not a literal")
        for other in shape.values(SH.lessThanOrEquals):
            if not isinstance(other, URIRef):
                raise UnsupportedShape(shape.node, "sh:lessThanOrEquals is not an IRI")

    # validation-time compilation

    def plan(self, classes: dict[Node, set[Node]]) -> list[RootChecks]:
        """The queries of a validation, given the subclasses of each class in the data.

        Cached per class hierarchy; the queries hold a placeholder for the focus nodes
        (see :func:`restrict_focus`).
        """
        key = frozenset((c, frozenset(below)) for c, below in classes.items())
        if key not in self._plans:
            self._plans[key] = _Compiler(self, classes).compile()
        return self._plans[key]

    def class_names(self) -> set[Node]:
        """Every class the shapes mention (targets and sh:class), for the hierarchy query."""
        g = self.graph
        found: set[Node] = set(g.objects(None, SH.targetClass)) | set(g.objects(None, SH["class"]))
        return found | self.implicit


class _Compiler:
    """Writes the SPARQL of one validation (see :meth:`SparqlShapes.checks`)."""

    def __init__(self, shapes: SparqlShapes, classes: dict[Node, set[Node]]):
        self.s = shapes
        self.classes = classes
        self.var = _Vars()
        self.prefixes: dict[str, str] = {}

    # expressions: each returns a SPARQL boolean expression that never raises an error

    def instance_of(self, v: str, cls: Node, owner: Node) -> str:
        below = self.classes.get(cls, {cls})
        if any(isinstance(c, BNode) for c in below) or isinstance(cls, BNode):
            return f"EXISTS {{ {v} <{RDF.type}>/<{RDFS.subClassOf}>* {sparql_term(cls, owner)} }}"
        t = self.var("t")
        values = " ".join(sparql_term(c, owner) for c in sorted(below, key=str))
        return f"EXISTS {{ VALUES {t} {{ {values} }} {v} <{RDF.type}> {t} }}"

    def datatype(self, v: str, datatype: Node, owner: Node) -> str:
        # (no isLiteral(): on an IRI these raise an error, which COALESCE turns into false)
        if datatype == RDF.langString:
            return f'(LANG({v}) != "")'
        if datatype == RDFS.Literal:
            return f"isLiteral({v})"
        dt = sparql_term(datatype, owner)
        if datatype == XSD.string:
            return f"(DATATYPE({v}) = {dt})"
        if datatype in (XSD.integer, XSD.decimal):
            well_typed = f"IF(isNumeric({v}), true, <{FN_WELL_TYPED}>({v}))"
        else:
            well_typed = f"<{FN_WELL_TYPED}>({v})"
        return f"(DATATYPE({v}) = {dt} && COALESCE({well_typed}, false))"

    def pattern(self, v: str, pattern: Literal, flags: str) -> str:
        text = str(pattern)
        key = (text, flags)
        if key not in self.s.regex_native:
            self.s.regex_native[key] = (
                not flags and not UNSAFE_REGEX.search(text) and _oxigraph_regex_ok(text, flags)
            )
        python = f"<{FN_REGEX}>(STR({v}), {_string(text)}, {_string(flags)})"
        if self.s.regex_native[key]:
            native = f"REGEX(STR({v}), {_string(text)})"
            test = f'IF(CONTAINS(STR({v}), "\\n"), {python}, {native})'
        else:
            test = python
        return f"COALESCE({test}, false)"  # STR() of a blank node is an error: false

    def language_in(self, v: str, languages: list[Node], owner: Node) -> str:
        wanted = {str(lang).lower() for lang in languages}
        for lang in languages:
            if not isinstance(lang, Literal):
                raise UnsupportedShape(owner, "sh:languageIn holds a non-literal")
        if "*" in wanted:
            return f'(LANG({v}) != "")'
        listed = ", ".join(_string(w) for w in sorted(wanted))
        tag = f"LCASE(LANG({v}))"
        first = f'STRBEFORE(CONCAT({tag}, "-"), "-")'
        return f"IF({tag} IN ({listed}), true, {first} IN ({listed}))"

    def stringy(self, v: str) -> str:
        types = ", ".join(f"<{t}>" for t in STRING_TYPES)
        return f"(isIRI({v}) || (isLiteral({v}) && DATATYPE({v}) IN ({types})))"

    def min_inclusive(self, v: str, minimum: Literal, owner: Node) -> str:
        m = sparql_term(minimum, owner)
        if isinstance(minimum.toPython(), str):
            return f"(isLiteral({v}) && {self.stringy(v)} && STR({v}) >= STR({m}))"
        return f"COALESCE(!{self.stringy(v)} && {v} >= {m}, false)"

    def less_or_equal(self, a: str, b: str) -> str:
        both = f"({self.stringy(a)} && {self.stringy(b)} && STR({a}) <= STR({b}))"
        neither = f"(!{self.stringy(a)} && !{self.stringy(b)} && COALESCE({a} <= {b}, false))"
        return f"({both} || {neither})"

    def value_condition(
        self, shape: Shape, parameter: URIRef, value: Node, v: str, depth: int
    ) -> str:
        owner = shape.node
        if parameter == SH["class"]:
            return self.instance_of(v, value, owner)
        if parameter == SH.datatype:
            return self.datatype(v, value, owner)
        if parameter == SH.nodeKind:
            if not (isinstance(value, URIRef) and value in NODE_KINDS):
                raise UnsupportedShape(owner, f"sh:nodeKind {_qname(value)}")
            return NODE_KINDS[value].format(v=v)
        if parameter == SH.pattern:
            flags = shape.value(SH.flags)
            assert isinstance(value, Literal)
            return self.pattern(v, value, str(flags) if flags is not None else "")
        if parameter == SH.languageIn:
            return self.language_in(v, shape.items(SH.languageIn), owner)
        if parameter == SH["in"]:
            members = [f"sameTerm({v}, {sparql_term(m, owner)})" for m in shape.items(SH["in"])]
            return "(" + (" || ".join(members) or "false") + ")"
        if parameter == SH.minInclusive:
            assert isinstance(value, Literal)
            return self.min_inclusive(v, value, owner)
        if parameter == SH.node:
            return self.conforms(self.s.shapes[value], v, depth + 1)
        if parameter == SH["or"]:
            alternatives = list(Collection(shape.graph, value))
            options = [self.conforms(self.s.shapes[m], v, depth + 1) for m in alternatives]
            return "(" + (" || ".join(options) or "false") + ")"
        raise UnsupportedShape(owner, f"{_qname(parameter)} is not compiled")

    def value_conditions(self, shape: Shape, v: str, depth: int) -> list[tuple[URIRef, str]]:
        """(component, expression) for each value-level constraint of ``shape``."""
        found = []
        for parameter in VALUE_PARAMS:
            values = shape.values(parameter)
            if parameter in (SH.languageIn, SH["in"]) and values:
                values = values[:1]
            for value in values:
                found.append(
                    (COMPONENT[parameter], self.value_condition(shape, parameter, value, v, depth))
                )
        return found

    def condition_pattern(self, shape: Shape, v: str) -> str | None:
        """A group pattern that matches exactly when ``v`` meets the constraint, or None.

        For a shape whose only value-level constraint is one sh:class, sh:node or sh:or.
        """
        found = [(p, val) for p in (SH["class"], SH.node, SH["or"]) for val in shape.values(p)]
        if len(found) != 1:
            return None
        parameter, value = found[0]
        if parameter == SH["class"]:
            return self.type_pattern(v, value)
        if parameter == SH.node:
            return self.shape_pattern(self.s.shapes[value], v, 0)
        options = [
            self.shape_pattern(self.s.shapes[m], v, 0) for m in Collection(shape.graph, value)
        ]
        if not options or any(o is None for o in options):
            return None
        return "{ " + " UNION ".join(o for o in options if o) + " }"

    def type_pattern(self, v: str, cls: Node) -> str | None:
        below = self.classes.get(cls, {cls})
        if any(isinstance(c, BNode) for c in below | {cls}):
            return None
        t = self.var("t")
        types = " ".join(sparql_term(c) for c in sorted(below, key=str))
        return f"{{ VALUES {t} {{ {types} }} {v} <{RDF.type}> {t} }}"

    def shape_pattern(self, shape: Shape, v: str, depth: int) -> str | None:
        """A group pattern that matches exactly when ``v`` conforms to ``shape``, or None.

        For a shape that only asks for types, values (sh:hasValue) and a first value
        (sh:minCount 1), itself or through sh:node and sh:property.
        """
        annotations = {SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group,
                       SH.defaultValue, SH.path}  # fmt: skip
        g = shape.graph
        used = {p for p in g.predicates(shape.node, None) if str(p).startswith(str(SH))}
        parts: list[str | None] = []
        if depth > 8 or shape.deactivated:
            return None
        if shape.is_property:
            if used - annotations - {SH.hasValue, SH.minCount}:
                return None
            path = path_sparql(g, shape.path, shape.node)  # type: ignore[arg-type]
            minimum = shape.value(SH.minCount)
            if isinstance(minimum, Literal) and int(minimum) > 1:
                return None
            if isinstance(minimum, Literal) and int(minimum) == 1:
                parts.append(f"{{ {v} {path} {self.var('any')} }}")
            parts += [
                f"{{ {v} {path} {sparql_term(h, shape.node)} }}" for h in shape.values(SH.hasValue)
            ]
        else:
            if used - annotations - {SH["class"], SH.node, SH["or"], SH.property, SH.targetClass}:
                return None
            for lst in shape.values(SH["or"]):
                members = [
                    self.shape_pattern(self.s.shapes[m], v, depth + 1) for m in Collection(g, lst)
                ]
                parts.append(
                    None
                    if not members or None in members
                    else "{ " + " UNION ".join(m for m in members if m) + " }"
                )
            parts += [self.type_pattern(v, c) for c in shape.values(SH["class"])]
            parts += [
                self.shape_pattern(self.s.shapes[n], v, depth + 1) for n in shape.values(SH.node)
            ]
            parts += [
                self.shape_pattern(self.s.shapes[p], v, depth + 1)
                for p in shape.values(SH.property)
            ]
        if not parts or any(p is None for p in parts):
            return None
        return "{ " + " ".join(p for p in parts if p) + " }"

    def distinct(self, values: list[str]) -> str:
        pairs = [f"!sameTerm({a}, {b})" for i, a in enumerate(values) for b in values[i + 1 :]]
        return f"FILTER({' && '.join(pairs)})" if pairs else ""

    def closed_filter(self, shape: Shape, p: str, o: str) -> str:
        allowed = [self.s.shapes[ps].path for ps in shape.values(SH.property)]
        allowed_iris = {a for a in allowed if isinstance(a, URIRef)}
        allowed_iris |= {i for i in shape.items(SH.ignoredProperties) if isinstance(i, URIRef)}
        listed = ", ".join(f"<{a}>" for a in sorted(allowed_iris, key=str))
        not_in = f"{p} NOT IN ({listed})" if listed else "true"
        always = f"sameTerm({p}, <{RDF.type}>) && sameTerm({o}, <{RDFS.Resource}>)"
        return f"FILTER({not_in} && !({always}))"

    def is_closed(self, shape: Shape) -> bool:
        closed = shape.value(SH.closed)
        return isinstance(closed, Literal) and bool(closed.toPython())

    def conforms(self, shape: Shape, x: str, depth: int) -> str:
        """Whether the node bound to ``x`` conforms to ``shape`` (no result at all)."""
        if depth > 16:
            raise UnsupportedShape(shape.node, "recursive shapes are not compiled")
        if shape.deactivated:
            return "true"
        if shape.values(SH.sparql):
            raise UnsupportedShape(
                shape.node,
                "sh:sparql in a shape used through sh:node, sh:or or sh:qualifiedValueShape",
            )
        if shape.is_property:
            path = path_sparql(shape.graph, shape.path, shape.node)  # type: ignore[arg-type]
            return self.property_conforms(shape, x, path, depth)
        parts = [expr for _, expr in self.value_conditions(shape, x, depth)]
        parts += [f"sameTerm({x}, {sparql_term(h, shape.node)})" for h in shape.values(SH.hasValue)]
        if self.is_closed(shape):
            p, o = self.var("p"), self.var("o")
            parts.append(f"NOT EXISTS {{ {x} {p} {o} . {self.closed_filter(shape, p, o)} }}")
        for prop in shape.values(SH.property):
            parts.append(self.conforms(self.s.shapes[prop], x, depth + 1))
        return "(" + " && ".join(f"COALESCE({p}, false)" for p in parts) + ")" if parts else "true"

    def property_conforms(self, shape: Shape, x: str, path: str, depth: int) -> str:
        parts = []
        y = self.var("y")
        conditions = [expr for _, expr in self.value_conditions(shape, y, depth)]
        conditions += [
            self.conforms(self.s.shapes[p], y, depth + 1) for p in shape.values(SH.property)
        ]
        if conditions:
            every = " && ".join(f"COALESCE({c}, false)" for c in conditions)
            parts.append(f"NOT EXISTS {{ {x} {path} {y} . FILTER(!({every})) }}")
        for has in shape.values(SH.hasValue):
            parts.append(f"EXISTS {{ {x} {path} {sparql_term(has, shape.node)} }}")
        minimum, maximum = shape.value(SH.minCount), shape.value(SH.maxCount)
        if isinstance(minimum, Literal) and int(minimum) > 0:
            parts.append(self.at_least(x, path, int(minimum)))
        if isinstance(maximum, Literal):
            parts.append(f"!{self.at_least(x, path, int(maximum) + 1)}")
        if self.unique_lang(shape):
            a, b = self.var("a"), self.var("b")
            parts.append(
                f"NOT EXISTS {{ {x} {path} {a} . {x} {path} {b} . {self.same_lang(a, b)} }}"
            )
        for qualified in shape.values(SH.qualifiedValueShape):

            def good(y: str, q: Node = qualified) -> str:
                return self.qualified_condition(shape, q, y, depth)

            qmin, qmax = shape.value(SH.qualifiedMinCount), shape.value(SH.qualifiedMaxCount)
            if isinstance(qmin, Literal) and int(qmin) > 0:
                parts.append(self.at_least(x, path, int(qmin), good))
            if isinstance(qmax, Literal):
                parts.append(f"!{self.at_least(x, path, int(qmax) + 1, good)}")
        for other in shape.values(SH.lessThanOrEquals):
            a, b = self.var("a"), self.var("b")
            parts.append(
                f"NOT EXISTS {{ {x} {path} {a} . {x} <{other}> {b} . "
                f"FILTER(!{self.less_or_equal(a, b)}) }}"
            )
        if self.is_closed(shape):
            v, p, o = self.var("y"), self.var("p"), self.var("o")
            parts.append(
                f"NOT EXISTS {{ {x} {path} {v} . {v} {p} {o} . {self.closed_filter(shape, p, o)} }}"
            )
        return "(" + " && ".join(f"COALESCE({p}, false)" for p in parts) + ")" if parts else "true"

    def at_least(
        self, x: str, path: str, n: int, condition: Callable[[str], str] | None = None
    ) -> str:
        """EXISTS n distinct values of ``path`` (meeting ``condition``, an expression on a var)."""
        ys = [self.var("y") for _ in range(n)]
        triples = " ".join(f"{x} {path} {y} ." for y in ys)
        tests = [f"COALESCE({condition(y)}, false)" for y in ys] if condition else []
        pairs = [f"!sameTerm({a}, {b})" for i, a in enumerate(ys) for b in ys[i + 1 :]]
        where = " && ".join(tests + pairs)
        return f"EXISTS {{ {triples} {'FILTER(' + where + ')' if where else ''} }}"

    def unique_lang(self, shape: Shape) -> bool:
        value = shape.value(SH.uniqueLang)
        return isinstance(value, Literal) and bool(value.toPython())

    def same_lang(self, a: str, b: str) -> str:
        return (
            f'FILTER(isLiteral({a}) && isLiteral({b}) && LANG({a}) != "" && !sameTerm({a}, {b}) '
            f"&& LCASE(LANG({a})) = LCASE(LANG({b})))"
        )

    def qualified_condition(self, shape: Shape, qualified: Node, v: str, depth: int) -> str:
        """Conforms to the qualified value shape and (if disjoint) to none of its siblings."""
        disjoint = shape.value(SH.qualifiedValueShapesDisjoint)
        siblings: set[Node] = set()
        if isinstance(disjoint, Literal) and disjoint.toPython() is True:
            g = shape.graph
            for parent in g.subjects(SH.property, shape.node):
                for sibling_property in g.objects(parent, SH.property):
                    siblings |= set(g.objects(sibling_property, SH.qualifiedValueShape))
            siblings.discard(qualified)
        main = self.conforms(self.s.shapes[qualified], v, depth + 1)
        others = [self.conforms(self.s.shapes[s], v, depth + 1) for s in sorted(siblings, key=str)]
        return main + "".join(f" && !COALESCE({o}, false)" for o in others)

    # focus nodes

    def focus_of(self, shape: Shape) -> Callable[[str], str]:
        """The focus nodes of a root shape: the union of its targets, as a pattern on a var."""
        g = self.s.graph
        owner = shape.node
        branches: list[Callable[[str], str]] = []
        classes = list(g.objects(owner, SH.targetClass))
        if owner in self.s.implicit:
            classes.append(owner)
        branches += [partial(self.class_members, cls=c, owner=owner) for c in classes]
        nodes = list(g.objects(owner, SH.targetNode))
        if nodes:
            values = " ".join(sparql_term(n, owner) for n in nodes)
            branches.append(partial(self.values_of, values=values))
        for p in g.objects(owner, SH.targetSubjectsOf):
            branches.append(partial(self.edge, before="", after=f"{sparql_term(p, owner)} ?_"))
        for p in g.objects(owner, SH.targetObjectsOf):
            branches.append(partial(self.edge, before=f"?_ {sparql_term(p, owner)}", after=""))
        for target in g.objects(owner, SH.target):
            branches.append(partial(self.sparql_target, self.s.targets[target]))

        def pattern(x: str) -> str:
            # Not DISTINCT: a node reached twice gives the same rows twice, and rows are
            # deduplicated where results are made (or by DISTINCT where multiplicity counts).
            if len(branches) == 1:
                return f"__FOCUS__{x}__ {branches[0](x)}"
            union = " UNION ".join("{ " + b(x) + " }" for b in branches)
            return f"__FOCUS__{x}__ {union}"

        return pattern

    def values_of(self, x: str, values: str) -> str:
        return f"VALUES {x} {{ {values} }}"

    def edge(self, x: str, before: str, after: str) -> str:
        """A triple pattern with ``x`` between ``before`` and ``after`` (fresh ``?_`` vars)."""
        return re.sub(r"\?_\b", lambda _: self.var("any"), f"{before} {x} {after} .")

    def class_members(self, x: str, cls: Node, owner: Node) -> str:
        below = self.classes.get(cls, {cls})
        if any(isinstance(c, BNode) for c in below) or isinstance(cls, BNode):
            return f"{x} <{RDF.type}>/<{RDFS.subClassOf}>* {sparql_term(cls, owner)} ."
        if len(below) == 1:
            return f"{x} <{RDF.type}> {sparql_term(cls, owner)} ."
        t = self.var("t")
        values = " ".join(sparql_term(c, owner) for c in sorted(below, key=str))
        return f"VALUES {t} {{ {values} }} {x} <{RDF.type}> {t} ."

    def sparql_target(self, target: SparqlConstraint, x: str) -> str:
        self.merge_prefixes(target)
        body = re.sub(r"[$?]this\b", x, target.body)
        head = re.sub(r"[$?]this\b", x, target.head)
        return f"{{ {head} WHERE {{ {body} }}"

    def merge_prefixes(self, constraint: SparqlConstraint) -> None:
        for prefix, namespace in constraint.prefixes.items():
            if self.prefixes.setdefault(prefix, namespace) != namespace:
                raise UnsupportedShape(
                    constraint.node, f"prefix {prefix}: declared with two namespaces"
                )

    def prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(self.prefixes.items()))

    # checks

    def compile(self) -> list[RootChecks]:
        plan = []
        for root in self.s.roots:
            self.prefixes = {}
            focus = _Focus(self.focus_of(root))
            checks: list[Check] = []
            self.shape_checks(root, focus, checks, set())
            count = f"SELECT (COUNT(*) AS ?n) WHERE {{ {focus.pattern('?this')} }}"
            plan.append(RootChecks(root.node, self.prologue() + count, checks))
            self.prefixes = {}
        return plan

    def shape_checks(self, shape: Shape, focus: _Focus, out: list[Check], seen: set[Node]) -> None:
        """The checks of ``shape`` for the focus nodes ``focus``, then of its property shapes."""
        if shape.deactivated:
            return
        if shape.node in seen:
            raise UnsupportedShape(shape.node, "recursive sh:property is not compiled")
        seen = seen | {shape.node}
        path = path_sparql(shape.graph, shape.path, shape.node) if shape.path is not None else None
        self.value_check(shape, focus, path, out)
        if path is not None:
            self.count_checks(shape, focus, path, out)
            self.has_value_checks(shape, focus, path, out)
            self.unique_lang_check(shape, focus, path, out)
            self.qualified_checks(shape, focus, path, out)
            self.less_or_equal_checks(shape, focus, path, out)
        else:
            for has in shape.values(SH.hasValue):
                self.node_has_value_check(shape, focus, has, out)
        if self.is_closed(shape):
            self.closed_check(shape, focus, path, out)
        for sparql in shape.values(SH.sparql):
            self.sparql_check(shape, focus, self.s.sparql[sparql], out)
        for prop in shape.values(SH.property):
            child = self.s.shapes[prop]
            if path is None:
                self.shape_checks(child, focus, out, seen)
            else:
                parent, depth = focus.pattern, focus.depth + 1

                def nested(
                    x: str, parent: Callable[[str], str] = parent, depth: int = depth
                ) -> str:
                    f = f"?_f{depth}"
                    return f"{{ SELECT DISTINCT {x} WHERE {{ {parent(f)} {f} {path} {x} . }} }}"

                self.shape_checks(child, _Focus(nested, depth), out, seen)

    def messages(self, shape: Shape) -> frozenset[Literal]:
        return frozenset(shape.messages)

    def result(
        self,
        shape: Shape,
        component: URIRef,
        focus: Node,
        value: Node | None,
        path: Node | None = None,
    ) -> Result:
        return Result(
            focus=focus,
            path=path if path is not None else shape.path,
            value=value,
            shape=shape.node,
            component=component,
            severity=shape.severity,
            messages=frozenset(shape.messages),
        )

    def add(self, out: list[Check], shape: Shape, kind: str, query: str, variables: tuple[str, ...],
            to_results: Callable[[list[Row]], list[Result]], bulk: str = "") -> None:  # fmt: skip
        prologue = self.prologue()
        name = f"{shape.node.n3()} {kind}"
        out.append(
            Check(name, prologue + query, to_results, variables, prologue + bulk if bulk else "")
        )

    def value_check(self, shape: Shape, focus: _Focus, path: str | None, out: list[Check]) -> None:
        conditions = self.value_conditions(shape, "?v", 0)
        if not conditions:
            return
        self.messages(shape)
        binds = " ".join(
            f"BIND(COALESCE({expr}, false) AS ?c{i})" for i, (_, expr) in enumerate(conditions)
        )
        failing = " || ".join(f"!?c{i}" for i in range(len(conditions)))
        values = f"?this {path} ?v ." if path is not None else "BIND(?this AS ?v)"
        flags = " ".join(f"?c{i}" for i in range(len(conditions)))
        query = (
            f"SELECT ?this ?v {flags} WHERE {{ {focus.pattern('?this')} {values} {binds} "
            f"FILTER({failing}) }}"
        )
        bulk = ""
        conforming = self.condition_pattern(shape, "?v") if len(conditions) == 1 else None
        if path is not None and conforming is not None:
            # one condition that is a pattern (sh:class, sh:node of classes and values …):
            # an anti-join (MINUS) of the values matching it is the fastest plan
            bulk = (
                f"SELECT ?this ?v ?c0 WHERE {{ {{ SELECT ?this ?v WHERE {{ {values} MINUS "
                f"{conforming} }} }} {focus.pattern('?this')} BIND(false AS ?c0) }}"
            )
        elif path is not None:
            bulk = (
                f"SELECT ?this ?v {flags} WHERE {{ {{ SELECT ?this ?v {flags} WHERE {{ {values} "
                f"{binds} FILTER({failing}) }} }} {focus.pattern('?this')} }}"
            )
        components = [c for c, _ in conditions]

        def to_results(rows: list[Row]) -> list[Result]:
            results = []
            for row in set(rows):
                this, value, *flags_ = row
                assert this is not None
                for component, ok in zip(components, flags_, strict=True):
                    if not (isinstance(ok, Literal) and ok.toPython() is True):
                        results.append(self.result(shape, component, this, value))
            return results

        self.add(
            out,
            shape,
            "values",
            query,
            ("this", "v", *[f"c{i}" for i in range(len(conditions))]),
            to_results,
            bulk,
        )

    def count_checks(self, shape: Shape, focus: _Focus, path: str, out: list[Check]) -> None:
        minimum, maximum = shape.value(SH.minCount), shape.value(SH.maxCount)
        low = int(minimum) if isinstance(minimum, Literal) else 0
        high = int(maximum) if isinstance(maximum, Literal) else None
        f = focus.pattern("?this")
        if low == 1:
            self.messages(shape)
            self.add(
                out, shape, "minCount",
                f"SELECT ?this WHERE {{ {f} FILTER NOT EXISTS {{ ?this {path} ?v }} }}",
                ("this",), self.focus_results(shape, SH.MinCountConstraintComponent),
                f"SELECT ?this WHERE {{ {f} MINUS {{ ?this {path} ?v }} }}",
            )  # fmt: skip
        elif low > 1:
            self.messages(shape)
            query = (
                f"SELECT ?this WHERE {{ {f} OPTIONAL {{ ?this {path} ?v }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {low})"
            )
            self.add(out, shape, "minCount", query, ("this",),
                     self.focus_results(shape, SH.MinCountConstraintComponent))  # fmt: skip
        if high is not None:
            self.messages(shape)
            counted = (
                f"SELECT ?this WHERE {{ ?this {path} ?v }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {high})"
            )
            query = (
                f"SELECT ?this WHERE {{ {f} ?this {path} ?v }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {high})"
            )
            self.add(out, shape, "maxCount", query, ("this",),
                     self.focus_results(shape, SH.MaxCountConstraintComponent),
                     f"SELECT ?this WHERE {{ {{ {counted} }} {f} }}")  # fmt: skip

    def has_value_checks(self, shape: Shape, focus: _Focus, path: str, out: list[Check]) -> None:
        for has in shape.values(SH.hasValue):
            self.messages(shape)
            f, value = focus.pattern("?this"), sparql_term(has, shape.node)
            query = f"SELECT ?this WHERE {{ {f} FILTER NOT EXISTS {{ ?this {path} {value} }} }}"
            bulk = f"SELECT ?this WHERE {{ {f} MINUS {{ ?this {path} {value} }} }}"
            self.add(out, shape, "hasValue", query, ("this",),
                     self.focus_results(shape, SH.HasValueConstraintComponent), bulk)  # fmt: skip

    def node_has_value_check(
        self, shape: Shape, focus: _Focus, has: Node, out: list[Check]
    ) -> None:
        self.messages(shape)
        query = (
            f"SELECT ?this WHERE {{ {focus.pattern('?this')} "
            f"FILTER(!sameTerm(?this, {sparql_term(has, shape.node)})) }}"
        )
        self.add(
            out,
            shape,
            "hasValue",
            query,
            ("this",),
            self.focus_results(shape, SH.HasValueConstraintComponent),
        )

    def focus_results(self, shape: Shape, component: URIRef) -> Callable[[list[Row]], list[Result]]:
        def to_results(rows: list[Row]) -> list[Result]:
            return [
                self.result(shape, component, row[0], None)
                for row in set(rows)
                if row[0] is not None
            ]

        return to_results

    def unique_lang_check(self, shape: Shape, focus: _Focus, path: str, out: list[Check]) -> None:
        if not self.unique_lang(shape):
            return
        self.messages(shape)
        pairs = f"?this {path} ?a . ?this {path} ?b . {self.same_lang('?a', '?b')}"
        query = (
            f"SELECT DISTINCT ?this (LCASE(LANG(?a)) AS ?lang) WHERE {{ {focus.pattern('?this')} "
            f"{pairs} }}"
        )
        bulk = (
            f"SELECT ?this ?lang WHERE {{ {{ SELECT DISTINCT ?this (LCASE(LANG(?a)) AS ?lang) "
            f"WHERE {{ {pairs} }} }} {focus.pattern('?this')} }}"
        )

        def to_results(rows: list[Row]) -> list[Result]:
            return [
                self.result(shape, SH.UniqueLangConstraintComponent, row[0], None)
                for row in set(rows)
                if row[0] is not None
            ]

        self.add(out, shape, "uniqueLang", query, ("this", "lang"), to_results, bulk)

    def qualified_checks(self, shape: Shape, focus: _Focus, path: str, out: list[Check]) -> None:
        qmin, qmax = shape.value(SH.qualifiedMinCount), shape.value(SH.qualifiedMaxCount)
        low = int(qmin) if isinstance(qmin, Literal) else None
        high = int(qmax) if isinstance(qmax, Literal) else None
        for qualified in shape.values(SH.qualifiedValueShape):
            self.messages(shape)
            good = self.qualified_condition(shape, qualified, "?v", 0)
            if low == 1 and high is None:
                f = focus.pattern("?this")
                some = f"{{ ?this {path} ?v . FILTER(COALESCE({good}, false)) }}"
                self.add(out, shape, "qualifiedMinCount",
                         f"SELECT ?this WHERE {{ {f} FILTER NOT EXISTS {some} }}", ("this",),
                         self.focus_results(shape, SH.QualifiedMinCountConstraintComponent),
                         f"SELECT ?this WHERE {{ {f} MINUS {some} }}")  # fmt: skip
                continue
            tests = []
            if low is not None:
                tests.append(f"SUM(?k) < {low}")
            if high is not None:
                tests.append(f"SUM(?k) > {high}")
            query = (
                f"SELECT ?this (SUM(?k) AS ?n) WHERE {{ {{ SELECT DISTINCT ?this ?v WHERE {{ "
                f"{focus.pattern('?this')} OPTIONAL {{ ?this {path} ?v }} }} }} "
                f"BIND(IF(BOUND(?v) && COALESCE({good}, false), 1, 0) AS ?k) }} "
                f"GROUP BY ?this HAVING ({' || '.join(tests)})"
            )

            def to_results(rows: list[Row]) -> list[Result]:
                results = []
                for row in set(rows):
                    this, n = row[0], int(row[1]) if isinstance(row[1], Literal) else 0
                    assert this is not None
                    if high is not None and n > high:
                        results.append(
                            self.result(shape, SH.QualifiedMaxCountConstraintComponent, this, None)
                        )
                    if low is not None and n < low:
                        results.append(
                            self.result(shape, SH.QualifiedMinCountConstraintComponent, this, None)
                        )
                return results

            self.add(out, shape, "qualified", query, ("this", "n"), to_results)

    def less_or_equal_checks(
        self, shape: Shape, focus: _Focus, path: str, out: list[Check]
    ) -> None:
        for other in shape.values(SH.lessThanOrEquals):
            self.messages(shape)
            pairs = (
                f"?this {path} ?v . ?this <{other}> ?w . FILTER(!{self.less_or_equal('?v', '?w')})"
            )
            query = f"SELECT DISTINCT ?this ?v ?w WHERE {{ {focus.pattern('?this')} {pairs} }}"
            bulk = (
                f"SELECT DISTINCT ?this ?v ?w WHERE {{ "
                f"{{ SELECT ?this ?v ?w WHERE {{ {pairs} }} }} {focus.pattern('?this')} }}"
            )

            def to_results(rows: list[Row]) -> list[Result]:
                # one result per (value, compared value) pair, as pySHACL
                return [
                    self.result(shape, SH.LessThanOrEqualsConstraintComponent, row[0], row[1])
                    for row in rows
                    if row[0] is not None
                ]

            self.add(out, shape, "lessThanOrEquals", query, ("this", "v", "w"), to_results, bulk)

    def closed_check(self, shape: Shape, focus: _Focus, path: str | None, out: list[Check]) -> None:
        self.messages(shape)
        values = f"?this {path} ?vn ." if path is not None else "BIND(?this AS ?vn)"
        query = (
            f"SELECT DISTINCT ?this ?p ?o WHERE {{ {focus.pattern('?this')} {values} ?vn ?p ?o . "
            f"{self.closed_filter(shape, '?p', '?o')} }}"
        )

        def to_results(rows: list[Row]) -> list[Result]:
            return [
                self.result(shape, SH.ClosedConstraintComponent, row[0], row[2], path=row[1])
                for row in set(rows)
                if row[0] is not None
            ]

        self.add(out, shape, "closed", query, ("this", "p", "o"), to_results)

    def sparql_check(
        self, shape: Shape, focus: _Focus, constraint: SparqlConstraint, out: list[Check]
    ) -> None:
        focus.pattern("?this")  # the prefixes of the targets first
        outer = dict(self.prefixes)
        self.merge_prefixes(constraint)
        messages = set(shape.messages)
        extra = set(constraint.messages)
        if not messages and not extra:
            self.messages(shape)  # raises
        projection = constraint.projection
        head = constraint.head
        if projection is not None and "this" not in projection:
            head += " ?this"
        query = f"{head} WHERE {{ {focus.pattern('?this')} {constraint.hint} {constraint.body}"
        variables = ("this",) if projection is None else tuple(dict.fromkeys((*projection, "this")))

        def to_results(rows: list[Row]) -> list[Result]:
            results: list[Result] = []
            seen: set[tuple[Any, ...]] = set()
            for row in rows:
                bound = {
                    name: term
                    for name, term in zip(variables, row, strict=True)
                    if term is not None
                }
                focus_node = row[variables.index("this")]
                assert focus_node is not None
                if projection is not None and "this" not in projection:
                    bound.pop("this", None)
                t, p, v = bound.pop("this", None), bound.pop("path", None), bound.pop("value", None)
                if t is None and p is None and v is None:
                    continue  # pySHACL ignores such a row
                key = (focus_node, t, p, v, tuple(sorted(bound.items())))
                if key in seen:
                    continue
                seen.add(key)
                value = v if v is not None else (None if shape.is_property else focus_node)
                subst: dict[str, Node] = dict(bound)
                for name, term in (("this", t), ("path", p), ("value", value)):
                    if term is not None:
                        subst[name] = term
                texts = [m for m in extra if m not in messages] + list(messages)
                formatted = frozenset(Literal(_format_message(str(m), subst)) for m in texts)
                results.append(
                    Result(
                        focus=t or focus_node,
                        path=p if p is not None else shape.path,
                        value=value,
                        shape=shape.node,
                        component=SH.SPARQLConstraintComponent,
                        severity=shape.severity,
                        messages=formatted,
                        constraint=constraint.node,
                        display=frozenset(
                            Literal(_format_message(str(m), subst), lang=m.language)
                            for m in (extra or messages)
                        ),
                    )
                )
            return results

        self.add(out, shape, f"sparql {constraint.node.n3()}", query, variables, to_results)
        self.prefixes = outer


# --- running -----------------------------------------------------------------------------


@dataclass
class Dataset:
    """Where the data graph is: a store and which of its graphs form the default graph."""

    store: ox.Store
    graphs: Sequence[str] | None = None  # named graphs to use as the default graph
    union: bool = False  # all graphs of the store as the default graph

    def query(self, text: str, focus: Sequence[Node] | None = None) -> Any:
        """Run ``text`` on the data graph (``focus``: the nodes FN_FOCUS accepts)."""
        functions = dict(FUNCTIONS)
        if focus is not None:
            members = {to_ox(f) for f in focus}
            functions[ox.NamedNode(FN_FOCUS)] = lambda t: ox.Literal(t in members)
        kwargs: dict[str, Any] = {"custom_functions": functions}
        if self.graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in self.graphs]
        elif self.union:
            kwargs["use_default_graph_as_union"] = True
        return self.store.query(text, **kwargs)


def class_hierarchy(data: Dataset, classes: Iterable[Node]) -> dict[Node, set[Node]]:
    """For each class, itself and every class below it through rdfs:subClassOf in the data."""
    below: dict[Term, set[Term]] = {}
    for row in data.query(f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{RDFS.subClassOf}> ?o }}"):
        below.setdefault(from_ox(row[1]), set()).add(from_ox(row[0]))
    closure: dict[Node, set[Node]] = {}
    for cls in classes:
        found: set[Node] = {cls}
        todo = [cls]
        while todo:
            for sub in below.get(todo.pop(), set()):  # type: ignore[call-overload]
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        closure[cls] = found
    return closure


def run_check(
    data: Dataset, check: Check, focus: Sequence[Node] | None = None, bulk: bool = False
) -> list[Result]:
    """Run one check's query (its bulk form if ``bulk``) and turn its rows into results."""
    query = restrict_focus(check.text(bulk), focus)
    try:
        solutions = data.query(query, focus)
    except SyntaxError as exc:  # a bug of the compiler, not of the data
        raise RuntimeError(f"{check.name}: {exc}\n{query}") from exc
    rows: list[Row] = [
        tuple(None if s[i] is None else from_ox(s[i]) for i in range(len(check.variables)))
        for s in solutions
    ]
    return check.rows_to_results(rows)


BULK_FOCUS = 20_000  # from this many focus nodes, scan values first and join the focus


def run_plan(
    data: Dataset,
    plan: Sequence[RootChecks],
    focus: Sequence[Node] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[Result]:
    """Run the checks of every shape that has focus nodes, ``workers`` queries at a time.

    Each shape's focus nodes are counted first (no checks without focus nodes; the plan for
    many from ``BULK_FOCUS`` on); with several workers the counts run in parallel too, and
    each shape's checks start as soon as its count is known.
    """

    def count(root: RootChecks) -> int:
        solution = next(iter(data.query(restrict_focus(root.count, focus), focus)))
        return int(solution[0].value)

    def checks(root: RootChecks, n: int) -> list[tuple[Check, bool]]:
        bulk = focus is None and n >= BULK_FOCUS
        return [(c, bulk) for c in root.checks] if n else []

    total, done = sum(len(root.checks) for root in plan), 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None and n:
            progress(done, total)

    def scheduled(root: RootChecks, n: int) -> list[tuple[Check, bool]]:
        todo = checks(root, n)
        tick(len(root.checks) - len(todo))  # no focus nodes: its checks are done
        return todo

    if workers <= 1:
        out: list[Result] = []
        for root in plan:
            for check, bulk in scheduled(root, count(root)):
                out.extend(run_check(data, check, focus, bulk))
                tick(1)
        return out
    with ThreadPoolExecutor(workers) as pool:
        counts = {pool.submit(count, root): root for root in plan}
        running = [
            pool.submit(run_check, data, check, focus, bulk)
            for finished in as_completed(counts)
            for check, bulk in scheduled(counts[finished], finished.result())
        ]
        for _ in as_completed(running):
            tick(1)
        return [r for future in running for r in future.result()]


def report_graph(results: Sequence[Result], shapes: Graph) -> Graph:
    """The SHACL validation report of ``results`` (blank nodes as pySHACL writes them)."""
    report = bind_prefixes(Graph())
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(not results)))
    for res in results:
        node = BNode()
        report.add((root, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, res.focus))
        report.add((node, SH.sourceShape, res.shape))
        report.add((node, SH.sourceConstraintComponent, res.component))
        report.add((node, SH.resultSeverity, res.severity))
        if res.value is not None:
            report.add((node, SH.value, res.value))
        if res.path is not None:
            report.add((node, SH.resultPath, res.path))
            if isinstance(res.path, BNode):
                for triple in shapes.cbd(res.path):
                    report.add(triple)
        if res.constraint is not None:
            report.add((node, SH.sourceConstraint, res.constraint))
        for message in res.messages:
            report.add((node, SH.resultMessage, message))
    return report


def summary(results: Sequence[Result]) -> str:
    """A one-line count of results by source shape and constraint component."""
    counts: dict[tuple[str, str], int] = {}
    for res in results:
        key = (res.shape.n3(), str(res.component).rsplit("#", 1)[-1])
        counts[key] = counts.get(key, 0) + 1
    lines = [f"{n} {shape} {component}" for (shape, component), n in sorted(counts.items())]
    return f"{len(results)} result(s)" + ("\n" + "\n".join(lines) if lines else "")


def validate_dataset(
    data: Dataset,
    shapes: SparqlShapes,
    *,
    focus: Sequence[Node] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> tuple[list[Result], Graph]:
    """Validate the data graph of ``data``; results and the report graph.

    ``focus`` restricts validation to those focus nodes (each still checked exactly as in a
    full run). ``workers`` > 1 runs that many queries at a time: worth it on a large store,
    not on a small one.
    """
    classes = class_hierarchy(data, shapes.class_names())
    results = run_plan(data, shapes.plan(classes), focus, workers, progress)
    return results, report_graph(results, shapes.graph)


def as_validation_result(results: Sequence[Result], report: Graph) -> ValidationResult:
    """Wrap results in legigraph's :class:`ValidationResult` (for rendering and the CLI).

    The violations are those ``legigraph.validate`` reads from a report, except that a
    SPARQL constraint's result shows the constraint's own message in each language.
    """
    names = bind_prefixes(Graph())
    shown: dict[tuple[str, ...], dict[str, str]] = {}
    for res in results:
        if res.display:
            key = tuple(short_name(names, t) for t in (res.focus, res.path, res.value, res.shape))
            shown[key] = {m.language or "en": str(m) for m in sorted(res.display)}
    violations = [
        replace(v, messages=shown.get((v.focus, v.path, v.value, v.shape), v.messages))
        for v in results_from_report(report, names)
    ]
    count = sum(1 for r in violations if r.severity == "Violation")
    return ValidationResult(not results, count, violations, report, summary(results))


def validate_store(
    data: Dataset,
    shapes: Graph | SparqlShapes,
    *,
    workers: int = os.cpu_count() or 1,
    progress: Progress | None = None,
) -> ValidationResult:
    """Validate a store (or some of its graphs) against ``shapes``.

    ``progress(done, total)`` is called after each check.
    """
    compiled = shapes if isinstance(shapes, SparqlShapes) else SparqlShapes.compile(shapes)
    results, report = validate_dataset(data, compiled, workers=workers, progress=progress)
    return as_validation_result(results, report)


def validate_rdflib(data: Graph, shapes: Graph | SparqlShapes) -> ValidationResult:
    """Validate an rdflib graph (copied into an in-memory store) against ``shapes``."""
    return validate_store(Dataset(load_graph(data)), shapes, workers=1)


# --- comparing reports -------------------------------------------------------------------


def path_key(graph: Graph, path: Node | None) -> str | None:
    """A result path as text (a blank-node path by its SPARQL form)."""
    if path is None:
        return None
    return path_sparql(graph, path) if isinstance(path, BNode) else str(path)


ResultKey = tuple[Node, str | None, Node | None, Node, Node, Node, frozenset[Literal]]


def result_keys(report: Graph) -> dict[ResultKey, int]:
    """The top-level results of a report, with how often each occurs.

    Each as (focus, path, value, source shape, component, severity, messages).
    """
    found: dict[ResultKey, int] = {}
    for res in report.objects(None, SH.result):
        messages = frozenset(
            m for m in report.objects(res, SH.resultMessage) if isinstance(m, Literal)
        )
        key: ResultKey = (
            report.value(res, SH.focusNode),  # type: ignore[assignment]
            path_key(report, report.value(res, SH.resultPath)),
            report.value(res, SH.value),
            report.value(res, SH.sourceShape),
            report.value(res, SH.sourceConstraintComponent),
            report.value(res, SH.resultSeverity),
            messages,
        )
        found[key] = found.get(key, 0) + 1
    return found


def canonical(term: Node | None) -> Node | None:
    """``term`` as Oxigraph stores it.

    A valid typed literal in canonical form ("10.0" → "10" for xsd:decimal), anything
    else unchanged.
    """
    if not isinstance(term, Literal):
        return term
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), to_ox(term)))
    return from_ox(next(iter(store)).object)


def comparable_keys(report: Graph) -> dict[ResultKey, int]:
    """:func:`result_keys` with literals in Oxigraph's canonical form.

    So that a report of pySHACL and one of this module compare equal when they agree.
    """
    found: dict[ResultKey, int] = {}
    for (focus, path, value, *rest), n in result_keys(report).items():
        key: ResultKey = (canonical(focus), path, canonical(value), *rest)  # type: ignore[assignment]
        found[key] = found.get(key, 0) + n
    return found
