"""Query results and graphs in the formats of the SPARQL 1.1 Protocol, chosen by ``Accept``.

SELECT and ASK results: SPARQL JSON (the default), XML, CSV and TSV. Graphs (CONSTRUCT,
DESCRIBE, the pages' RDF): Turtle (the default), N-Triples, JSON-LD and RDF/XML. The
serialisers are rdflib's and :mod:`legigraph.query.results`; only TSV, whose cells are terms in
N-Triples syntax, is written here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import Graph, Variable
from rdflib.query import Result as RdflibResult

from legigraph.model.namespaces import bind_prefixes
from legigraph.query.results import render, to_sparql_json
from legigraph.query.saved import Result


@dataclass(frozen=True)
class Format:
    """One serialisation: its media type, its name in ``?format=``, its file extension."""

    media: str
    name: str
    extension: str


RESULT_FORMATS = (
    Format("application/sparql-results+json", "json", "srj"),
    Format("application/sparql-results+xml", "xml", "srx"),
    Format("text/csv", "csv", "csv"),
    Format("text/tab-separated-values", "tsv", "tsv"),
)
GRAPH_FORMATS = (
    Format("text/turtle", "turtle", "ttl"),
    Format("application/n-triples", "nt", "nt"),
    Format("application/ld+json", "json-ld", "jsonld"),
    Format("application/rdf+xml", "xml", "rdf"),
)
_ALIASES = {"application/json": "application/sparql-results+json",
            "application/xml": "application/sparql-results+xml",
            "text/plain": "application/n-triples"}  # fmt: skip


class NotAcceptable(Exception):
    """No format of the kind asked for matches ``Accept``."""


def _accepted(accept: str) -> list[tuple[float, int, str]]:
    out = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media:
            out.append((q, -i, media.lower()))
    return sorted(out, reverse=True)


def negotiate(
    accept: str, formats: tuple[Format, ...], *, html: bool = False, star_is_html: bool = True
) -> Format | None:
    """The format ``accept`` prefers among ``formats``, or None for HTML.

    None when ``html`` is allowed and preferred (or nothing is asked for, or ``*/*``
    unless ``star_is_html`` is false: an API that answers curl with data). Raises
    :class:`NotAcceptable` when ``Accept`` names only other types.
    """
    if not accept.strip():
        return None if html else formats[0]
    for q, _, media in _accepted(accept):
        if q <= 0:
            continue
        if html and media in ("text/html", "application/xhtml+xml"):
            return None
        media = _ALIASES.get(media, media)
        for fmt in formats:
            if media == fmt.media:
                return fmt
        if media in ("*/*", "application/*", "text/*"):
            wild = media == "text/*" or (media == "*/*" and star_is_html)
            return None if html and wild else formats[0]
    raise NotAcceptable(", ".join(f.media for f in formats) + (", text/html" if html else ""))


def by_name(name: str, formats: tuple[Format, ...]) -> Format | None:
    """The format called ``name`` (``?format=csv``) or with that media type."""
    for fmt in formats:
        if name in (fmt.name, fmt.media, fmt.extension):
            return fmt
    return None


def serialize_graph(graph: Graph, fmt: Format) -> bytes:
    """``graph`` in ``fmt``, with legigraph's prefixes."""
    rdflib_name = {"nt": "nt", "json-ld": "json-ld", "turtle": "turtle", "xml": "xml"}[fmt.name]
    data = bind_prefixes(graph).serialize(format=rdflib_name, encoding="utf-8")
    return data if isinstance(data, bytes) else str(data).encode()


def serialize_result(result: Result, fmt: Format, *, max_rows: int) -> bytes:
    """A SELECT or ASK result in ``fmt``; a cut by the row cap is stated in SPARQL JSON."""
    if fmt.name == "json":
        doc = to_sparql_json(result)
        if result.truncated:
            # a member SPARQL JSON readers ignore; the headers say it for every format
            doc["legigraph"] = {"truncated": True, "max_rows": max_rows}
        return json.dumps(doc, ensure_ascii=False).encode()
    if fmt.name == "csv":
        return render(result, "csv").replace("\n", "\r\n").encode()
    if fmt.name == "tsv":
        if result.form == "ASK":
            return ("true" if result.boolean else "false").encode() + b"\n"
        lines = ["\t".join(f"?{v}" for v in result.variables)]
        for row in result.rows:
            lines.append("\t".join(row[v].n3() if v in row else "" for v in result.variables))
        return ("\n".join(lines) + "\n").encode()
    out = RdflibResult(result.form)
    if result.form == "ASK":
        out.askAnswer = bool(result.boolean)
    else:
        out.vars = [Variable(v) for v in result.variables]
        out.bindings = [
            {Variable(k): t for k, t in row.items()}  # type: ignore[misc]
            for row in result.rows
        ]
    data = out.serialize(format="xml", encoding="utf-8")
    return data if isinstance(data, bytes) else b""
