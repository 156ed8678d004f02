"""Render query results: W3C SPARQL JSON, CSV, TSV, and a terminal table for Korean text."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from enum import StrEnum
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from legigraph.model.namespaces import BASE, bind_prefixes
from legigraph.query.saved import QueryError, Result


class Format(StrEnum):
    """How a result is printed: a table for people, or a SPARQL results format."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"


class GraphFormat(StrEnum):
    """How a CONSTRUCT or DESCRIBE result is printed."""

    TURTLE = "turtle"
    JSON_LD = "json-ld"
    NT = "nt"


FORMATS = tuple(f.value for f in Format)
GRAPH_FORMATS = tuple(f.value for f in GraphFormat)


def term_to_json(term: Node) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    raise QueryError(f"cannot serialise {term!r}")


def term_from_json(data: dict[str, str]) -> Node:
    """The inverse of :func:`term_to_json` (also reads ``typed-literal`` from older servers)."""
    kind = data["type"]
    if kind == "uri":
        return URIRef(data["value"])
    if kind == "bnode":
        return BNode(data["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in data:
            return Literal(data["value"], lang=data["xml:lang"])
        datatype = data.get("datatype")
        return Literal(data["value"], datatype=URIRef(datatype) if datatype else None)
    raise QueryError(f"unknown term type {kind!r} in SPARQL JSON results")


def to_sparql_json(result: Result) -> dict[str, Any]:
    """A SELECT or ASK result as a SPARQL JSON document (a dict)."""
    if result.form == "ASK":
        return {"head": {}, "boolean": bool(result.boolean)}
    return {
        "head": {"vars": list(result.variables)},
        "results": {
            "bindings": [{v: term_to_json(t) for v, t in row.items()} for row in result.rows]
        },
    }


def from_sparql_json(doc: dict[str, Any]) -> Result:
    """Read a SPARQL JSON document back into a :class:`Result`."""
    if "boolean" in doc:
        return Result("ASK", boolean=bool(doc["boolean"]))
    variables = list(doc.get("head", {}).get("vars", []))
    rows = [
        {v: term_from_json(t) for v, t in binding.items()}
        for binding in doc.get("results", {}).get("bindings", [])
    ]
    return Result("SELECT", variables, rows)


def _cell(term: Node | None) -> str:
    return "" if term is None else str(term)


def _compact(term: Node | None) -> str:
    """Table cells show legigraph IRIs without their common base (``lgd:code/…``)."""
    text = _cell(term)
    if isinstance(term, URIRef) and text.startswith(BASE):
        return "lgd:" + text[len(BASE) :]
    return text


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Hangul and other wide characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def render(result: Result, fmt: str = "table", *, max_width: int = 60) -> str:
    """Render a result in one of :data:`FORMATS` (graphs in :data:`GRAPH_FORMATS`)."""
    if result.graph is not None:
        graph_fmt = {"table": "turtle", "json": "json-ld"}.get(fmt, fmt)
        if graph_fmt not in GRAPH_FORMATS:
            raise QueryError(f"a {result.form} result is a graph: use turtle, json-ld or nt")
        return bind_prefixes(result.graph).serialize(format=graph_fmt)
    if fmt == "json":
        return json.dumps(to_sparql_json(result), ensure_ascii=False, indent=2) + "\n"
    if result.form == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_cell(row.get(v)) for v in result.variables])
        return buf.getvalue()
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    cells = [
        [_clip(_compact(row.get(v)), max_width) for v in result.variables] for row in result.rows
    ]
    widths = [
        max([display_width(v)] + [display_width(r[i]) for r in cells])
        for i, v in enumerate(result.variables)
    ]
    lines = [" | ".join(_pad(v, w) for v, w in zip(result.variables, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [
        " | ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
    ]
    footer = f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    footer += ", truncated by the row cap)" if result.truncated else ")"
    return "\n".join([*lines, footer]) + "\n"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"
