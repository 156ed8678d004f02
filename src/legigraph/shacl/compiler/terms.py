"""Terms and vocabulary of the compiler.

Terms between rdflib and pyoxigraph, SPARQL syntax for constants, the vocabulary the
compiler accepts, and the Python functions its queries call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from legigraph.model.namespaces import SH

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


def qname(node: Node) -> str:
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


def sparql_string(text: str) -> str:
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


def oxigraph_regex_ok(pattern: str, flags: str) -> bool:
    """Whether Oxigraph's regex engine accepts ``pattern``."""
    try:
        regex = f'REGEX("", {sparql_string(pattern)}, {sparql_string(flags)})'
        query = f"ASK {{ FILTER({regex} || true) }}"
        return bool(ox.Store().query(query))
    except (SyntaxError, OSError, ValueError):
        return False
