"""Golden results of the saved queries: write them, and compare results with them.

``legigraph golden`` checks that every saved query's result on the built graph equals
``queries/golden/{id}.srj`` (W3C SPARQL 1.1 Query Results JSON); ``legigraph golden
--regenerate`` rewrites them. Results compare as a multiset of rows, or as a list when the
query has ORDER BY; terms compare by kind, value, datatype and language, numbers by value
(``"2"`` and ``"2.0"`` are the same xsd:decimal, whatever an engine prints). A CONSTRUCT or
DESCRIBE result is kept as sorted N-Triples in ``queries/golden/{id}.nt`` and compares as
an isomorphic graph, numbers again by value.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from legigraph.io import atomic_write, sorted_ntriples
from legigraph.query.engines import Engine, run_saved
from legigraph.query.results import to_sparql_json
from legigraph.query.saved import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, SavedQuery

XSD = "http://www.w3.org/2001/XMLSchema#"
LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
NUMERIC = {XSD + n for n in ("integer", "decimal", "float", "double")}
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
STORE_TARGETS = ("national", "history", "effects")  # queries of the national store's graphs


def golden_path(query: SavedQuery) -> Path:
    """Where the golden result of ``query`` lives."""
    suffix = "nt" if query.form in GRAPH_FORMS else "srj"
    return query.path.parent / "golden" / f"{query.id}.{suffix}"


def dumps(doc: Mapping[str, Any]) -> str:
    """Stable text of a results document: indented, keys sorted, Hangul unescaped."""
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def term_key(term: Mapping[str, str] | None) -> tuple[Any, ...] | None:
    """A results-JSON term as a comparable key."""
    if term is None:
        return None
    kind = term["type"]
    if kind == "bnode":
        return ("bnode",)  # labels are local to one result
    if kind == "uri":
        return ("uri", term["value"])
    if "xml:lang" in term:
        return ("literal", term["value"], LANGSTRING, term["xml:lang"].lower())
    datatype = term.get("datatype", XSD + "string")
    value: Any = term["value"]
    if datatype in NUMERIC:
        with contextlib.suppress(InvalidOperation):
            value = Decimal(value.strip())
    return ("literal", value, datatype, None)


def comparable_graph(graph: Graph) -> Graph:
    """``graph`` as results are compared: plain literals untyped, numbers in one lexical form.

    Not ``model.literals.canonical`` (XSD canonical forms, for output): this form is for
    comparing what two engines answered.

    RDF 1.1 makes ``"a"`` and ``"a"^^xsd:string`` the same term, and ``"2.0"`` and ``"2"``
    are the same xsd:decimal, whatever an engine prints.
    """
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and str(o.datatype) == XSD + "string":
            o = Literal(str(o))
        elif isinstance(o, Literal) and str(o.datatype) in NUMERIC:
            with contextlib.suppress(InvalidOperation):
                o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=o.datatype)
        out.add((s, p, o))
    return out


def ntriples(graph: Graph) -> str:
    """A graph in comparable form as sorted N-Triples (the form of golden files)."""
    return sorted_ntriples(comparable_graph(graph))


def same_graph(text: str, other: str) -> bool:
    """True when two N-Triples documents hold isomorphic graphs, in comparable form."""
    graphs = [comparable_graph(Graph().parse(data=t, format="nt")) for t in (text, other)]
    return isomorphic(graphs[0], graphs[1])


def comparable(doc: Mapping[str, Any], ordered: bool) -> tuple[list[str], Any]:
    """Variables and rows of a results document, in a form that compares as intended."""
    if "boolean" in doc:
        return [], bool(doc["boolean"])
    names = list(doc["head"]["vars"])
    rows = [tuple(term_key(b.get(n)) for n in names) for b in doc["results"]["bindings"]]
    return names, (rows if ordered else Counter(rows))


def result_doc(
    engine: Engine,
    query: SavedQuery,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_memory: int = DEFAULT_MAX_MEMORY,
) -> dict[str, Any]:
    """The result of ``query`` (default parameters) as a SPARQL JSON document.

    A graph result becomes ``{"triples": <sorted N-Triples>}``.
    """
    result = run_saved(engine, query, timeout=timeout, max_memory=max_memory)
    if result.graph is not None:
        return {"triples": ntriples(result.graph)}
    return to_sparql_json(result)


def golden_text(doc: Mapping[str, Any]) -> str:
    """The text of a golden file holding ``doc``."""
    return str(doc["triples"]) if "triples" in doc else dumps(doc)


def matches(doc: Mapping[str, Any], query: SavedQuery) -> bool:
    """True when ``doc`` equals the golden result of ``query``."""
    text = golden_path(query).read_text(encoding="utf-8")
    if "triples" in doc:
        return same_graph(str(doc["triples"]), text)
    expected = json.loads(text)
    return comparable(doc, query.ordered) == comparable(expected, query.ordered)


def _bill_queries(queries: Mapping[str, SavedQuery]) -> list[SavedQuery]:
    """The queries with golden results on the bill graph: not those of the national store.

    Those of its history and effects graphs (``target: history``, ``effects``) have golden
    results too, checked on stores the tests build (tests/test_history.py,
    tests/test_effects.py).
    """
    return [q for q in queries.values() if q.target not in STORE_TARGETS]


def regenerate(engine: Engine, queries: Mapping[str, SavedQuery], **limits: Any) -> list[Path]:
    """Rewrite every golden file from ``engine``; return the paths written.

    ``limits`` (``timeout``, ``max_memory``) apply to each query.
    """
    written = []
    for query in _bill_queries(queries):
        path = golden_path(query)
        text = golden_text(result_doc(engine, query, **limits))  # before the file is opened
        with atomic_write(path) as handle:
            handle.write(text)
        written.append(path)
    return written


def stale(engine: Engine, queries: Mapping[str, SavedQuery], **limits: Any) -> list[str]:
    """Ids of the queries whose result differs from (or lacks) a golden file."""
    out = []
    for query in _bill_queries(queries):
        path = golden_path(query)
        if not path.exists() or not matches(result_doc(engine, query, **limits), query):
            out.append(query.id)
    return out
