"""Query answers as plain data: what crosses the pipe between a query worker and its parent.

Plain strings and tuples pickle many times faster than rdflib terms. ``evaluate`` runs a
query in the worker and returns its answer in this form; ``from_wire`` makes the terms
again in the parent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from legigraph.query.saved import QueryError, query_form

# Answers cross the pipe as plain strings and tuples, which pickle many times faster than
# rdflib terms: an IRI is a str, a blank node a 1-tuple (id,), a literal a 3-tuple
# (lexical form, datatype IRI or "", language or ""). A SELECT answer's rows are tuples in
# the order of its variables, None where a variable is unbound.
Wire = str | tuple[str] | tuple[str, str, str]


def wire_rdflib(term: Node | None) -> Wire | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        return (str(term), str(term.datatype or ""), term.language or "")
    if isinstance(term, BNode):
        return (str(term),)
    return str(term)


def wire_oxigraph(term: Any) -> Wire | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        lang = term.language or ""
        return (term.value, "" if lang else term.datatype.value, lang)
    if isinstance(term, ox.BlankNode):
        return (term.value,)
    raise QueryError(f"unsupported term {term!r}")


def from_wire(cell: Wire, cache: dict[Wire, Node]) -> Node:
    term = cache.get(cell)
    if term is None:
        if isinstance(cell, str):
            term = URIRef(cell)
        elif len(cell) == 1:
            term = BNode(cell[0])
        else:
            value, datatype, lang = cell
            term = Literal(
                value, lang=lang or None, datatype=URIRef(datatype) if datatype else None
            )
        cache[cell] = term
    return term


def evaluate(handle: Any, text: str, max_rows: int) -> tuple[Any, ...]:
    """Run ``text`` in this process; a picklable answer ``(form, variables, rows, value)``.

    ``value`` is the boolean of an ASK, the triples of a CONSTRUCT or DESCRIBE, and for a
    SELECT whether the row cap cut the rows short.
    """
    if isinstance(handle, Graph):
        res = handle.query(text)
        if res.type == "ASK":
            return ("ASK", [], [], bool(res.askAnswer))
        if res.type in ("CONSTRUCT", "DESCRIBE"):
            triples = [tuple(wire_rdflib(t) for t in triple) for triple in res]  # type: ignore[union-attr]
            return (res.type, [], [], triples)
        variables = [str(v) for v in res.vars or []]
        rows = (tuple(wire_rdflib(t) for t in row) for row in res)  # type: ignore[union-attr]
        return ("SELECT", variables, *_capped(rows, max_rows))
    answer = handle.query(text)
    if isinstance(answer, ox.QueryBoolean):
        return ("ASK", [], [], bool(answer))
    if isinstance(answer, ox.QueryTriples):
        triples = [
            (wire_oxigraph(t.subject), wire_oxigraph(t.predicate), wire_oxigraph(t.object))
            for t in answer
        ]
        return (query_form(text), [], [], triples)
    variables = [v.value for v in answer.variables]
    rows = (tuple(wire_oxigraph(sol[i]) for i in range(len(variables))) for sol in answer)
    return ("SELECT", variables, *_capped(rows, max_rows))


def _capped(rows: Iterator[tuple[Any, ...]], max_rows: int) -> tuple[list[tuple[Any, ...]], bool]:
    out: list[tuple[Any, ...]] = []
    for row in rows:
        if len(out) >= max_rows:
            return out, True
        out.append(row)
    return out, False
