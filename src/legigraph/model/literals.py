"""Literals as written: exact parsing, ill-typed literals, and one canonical form for output.

rdflib rewrites the lexical form of a typed literal when it parses it ("1"^^xsd:boolean
becomes "true", "01"^^xsd:integer "1"): a different RDF term, so SHACL's sh:datatype, sh:in
and sh:hasValue would judge a term the file does not contain. Input is therefore parsed
with rdflib's literal normalisation off (:func:`exact_literals`), and ill-typed literals
(an impossible date, a non-numeric integer) are found as rdflib marks them.

The build writes every literal in one canonical form (:func:`canonical`, the XSD 1.1
canonical mapping for the types legigraph uses), so its Turtle and N-Triples outputs are the
same graph term for term: rdflib's Turtle writer prints "2"^^xsd:decimal as ``2.0``, which is
another term, unless the literal already is "2.0".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pyoxigraph as ox
import rdflib
from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

INTEGER_TYPES = {
    XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
    XSD.positiveInteger, XSD.nonPositiveInteger, XSD.negativeInteger, XSD.unsignedLong,
    XSD.unsignedInt, XSD.unsignedShort, XSD.unsignedByte,
}  # fmt: skip


@contextmanager
def exact_literals() -> Iterator[None]:
    """Parse with rdflib's literal normalisation off: lexical forms stay as written."""
    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before


def is_ill_typed(term: Node) -> bool:
    """Whether ``term`` is a typed literal whose lexical form is not of its datatype."""
    return isinstance(term, Literal) and term.ill_typed is True


def _decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    if "." not in text:
        text += ".0"
    return "0.0" if text in ("-0.0", "0.0") else text


def canonical(term: Node) -> Node:
    """``term`` in the XSD canonical form of its datatype (other terms unchanged).

    Only well-typed literals of xsd:integer (and its subtypes), xsd:decimal, xsd:boolean
    and xsd:date are rewritten; everything else is returned as it is.
    """
    if not isinstance(term, Literal) or term.datatype is None or is_ill_typed(term):
        return term
    value = term.value
    lexical: str | None = None
    if term.datatype in INTEGER_TYPES and isinstance(value, int) and not isinstance(value, bool):
        lexical = str(value)
    elif term.datatype == XSD.decimal and isinstance(value, Decimal):
        lexical = _decimal(value)
    elif term.datatype == XSD.boolean and isinstance(value, bool):
        lexical = "true" if value else "false"
    elif term.datatype == XSD.date and isinstance(value, dt.date):
        lexical = value.isoformat()
    if lexical is None or lexical == str(term):
        return term
    return Literal(lexical, datatype=term.datatype, normalize=False)


def canonical_graph(graph: Graph) -> Graph:
    """``graph`` with every literal in canonical form (changed in place, and returned)."""
    changes = [
        (s, p, o, canonical(o)) for s, p, o in graph if isinstance(o, Literal) and canonical(o) != o
    ]
    for s, p, o, new in changes:
        graph.remove((s, p, o))
        graph.add((s, p, new))
    return graph


def store_changes(graph: Graph) -> list[tuple[Literal, str]]:
    """The literals of ``graph`` an Oxigraph store would not give back as they are.

    With the form the store would give back (its canonical form, a base datatype …), or a
    note for an ill-typed literal, whose mark the store forgets.
    """
    typed = sorted(
        {o for o in graph.objects() if isinstance(o, Literal) and o.datatype and not o.language},
        key=lambda o: (str(o.datatype), str(o)),
    )
    store = ox.Store()
    predicate = ox.NamedNode("urn:legigraph:literal")
    for i, literal in enumerate(typed):
        value = ox.Literal(str(literal), datatype=ox.NamedNode(str(literal.datatype)))
        store.add(ox.Quad(ox.NamedNode(f"urn:legigraph:{i}"), predicate, value))
    changes: dict[int, str] = {}
    for quad in store:
        i = int(quad.subject.value.rsplit(":", 1)[1])
        back = quad.object
        assert isinstance(back, ox.Literal)
        if is_ill_typed(typed[i]):
            changes[i] = "a well-typed value (a store forgets that it is ill-typed)"
        elif back.value != str(typed[i]) or back.datatype.value != str(typed[i].datatype):
            changes[i] = str(back)
    return [(typed[i], changes[i]) for i in sorted(changes)]
