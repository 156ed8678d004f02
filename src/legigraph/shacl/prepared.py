"""Prepared SPARQL for pySHACL: each constraint's query parsed once per validation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor


@contextmanager
def parsed_once() -> Iterator[None]:
    """Parse each SPARQL text once while pySHACL runs (a prepared query, in effect).

    pySHACL hands rdflib the text of every SPARQL-based constraint once per focus node and
    rdflib parses it anew each time (~10 ms). Caching the parsed, translated query gives
    the same results — rdflib evaluates prepared queries with the same bindings — at a
    fraction of the time. Scoped to one validation; restored afterwards.
    """
    original = SPARQLProcessor.query
    prepared: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Any] = {}

    # rdflib's own parameter names (callers pass them by keyword)
    def query(
        self: SPARQLProcessor,
        strOrQuery: Any,  # noqa: N803
        initBindings: Any = None,  # noqa: N803
        initNs: Any = None,  # noqa: N803
        base: str | None = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Any:
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            key = (strOrQuery, base, namespaces)
            if key not in prepared:
                prepared[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared[key]  # noqa: N806
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]
