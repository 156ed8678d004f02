"""Triples as the model writes them, and the writers that send them on.

The model (``model.provisions`` …) yields plain triples: IRIs as ``Iri`` (a ``str`` minted
by ``model.ids``, not checked again) and literals as ``Lit``. One mapping, several
writers: ``nt_line`` writes N-Triples text (the national ingest's bulk load; ``node_line``
the same for rdflib triples),
``add_to`` adds to an rdflib graph (the bill build, the linker, the history), and
``NTriplesSink`` is an rdflib graph that writes what is added as N-Triples text. Making
rdflib terms costs more than the text they end as, hence the plain forms.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any, NamedTuple

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)


class Iri(str):
    """An IRI the model minted (``model.ids``): written as it is."""

    __slots__ = ()


class Lit(NamedTuple):
    """A literal: its lexical form, and a language tag or a datatype IRI (neither: a string)."""

    value: str
    lang: str | None = None
    datatype: str | None = None


Term = Iri | Lit
Triple = tuple[Iri, Iri, Term]


def escape_literal(text: str) -> str:
    """The N-Triples string body of ``text`` (quotes, backslashes and line breaks escaped)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def nt_term(term: Term | Node) -> str:
    """One term in N-Triples syntax (rdflib's ``.n3()`` would write long literals in \"\"\")."""
    if isinstance(term, Lit):
        body = f'"{escape_literal(term.value)}"'
        if term.lang:
            return f"{body}@{term.lang}"
        return f"{body}^^<{term.datatype}>" if term.datatype else body
    if isinstance(term, Literal):
        body = f'"{escape_literal(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{body}^^<{term.datatype}>"
        return body
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, str):  # Iri, URIRef
        return f"<{term}>"
    raise TypeError(f"not an RDF term: {term!r}")


def nt_line(triple: Triple) -> str:
    """One triple as an N-Triples line, without the line break."""
    s, p, o = triple
    return f"<{s}> <{p}> {nt_term(o)} ."


def node_line(triple: tuple[Node, Node, Node]) -> str:
    """An rdflib triple as an N-Triples line, without the line break (``nt_term`` each)."""
    s, p, o = triple
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ."


def rdflib_term(term: Term) -> Node:
    """``term`` as an rdflib term."""
    if isinstance(term, Lit):
        if term.lang:
            return Literal(term.value, lang=term.lang)
        return Literal(term.value, datatype=URIRef(term.datatype) if term.datatype else None)
    return URIRef(term)


def add_to(graph: Graph, triples: Iterable[Triple]) -> Graph:
    """Add ``triples`` to an rdflib ``graph``; return it."""
    for s, p, o in triples:
        graph.add((URIRef(s), URIRef(p), rdflib_term(o)))
    return graph


class NTriplesSink(Graph):
    """A write-only Graph: ``add`` writes one N-Triples line; nothing is kept in memory."""

    def __init__(self, out: IO[str]):
        super().__init__()
        self.out = out
        self.written = 0

    def add(self, triple: Any) -> NTriplesSink:
        self.out.write(node_line(triple) + "\n")
        self.written += 1
        return self
