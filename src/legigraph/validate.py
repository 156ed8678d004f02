"""Validate data against the legigraph SHACL profile, alone or in the context of the build.

New data is checked together with the built graph, so references to existing bills,
provisions and departments resolve. pySHACL runs with no OWL imports, no SHACL-JS and
no inference: nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor

from legigraph.io import InputError, parse_rdf
from legigraph.namespaces import bind_prefixes
from legigraph.paths import Layout
from legigraph.shacl.report import ValidationResult, results_from_report


def load_shapes(layout: Layout) -> Graph:
    """All shape files of the profile."""
    shapes = Graph()
    for path in sorted(layout.shapes.glob("*.ttl")):
        parse_rdf(path, shapes)
    return shapes


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

    def query(
        self: SPARQLProcessor,
        strOrQuery: Any,
        initBindings: Any = None,
        initNs: Any = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Any:
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            key = (strOrQuery, base, namespaces)
            if key not in prepared:
                prepared[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]


def validate_graph(
    data: Graph, shapes: Graph | None = None, layout: Layout | None = None
) -> ValidationResult:
    """Validate ``data`` (already merged) against the profile."""
    layout = layout or Layout.default()
    shapes = shapes if shapes is not None else load_shapes(layout)
    if len(shapes) == 0:
        return ValidationResult(True, 0, text="no shapes found")
    with parsed_once():
        conforms, report, text = run_pyshacl(data, shapes)
    results = results_from_report(report, data)
    violations = sum(1 for r in results if r.severity == "Violation")
    return ValidationResult(bool(conforms), violations, results, bind_prefixes(report), str(text))


def run_pyshacl(data: Graph, shapes: Graph, *, inplace: bool = False) -> tuple[bool, Graph, str]:
    """PySHACL with legigraph's safe options: no inference, imports or SHACL-JS."""
    conforms, report, text = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        js=False,
        do_owl_imports=False,
        allow_warnings=False,
        abort_on_first=False,
        inplace=inplace,
    )
    return bool(conforms), report, str(text)


def _locate(focus: URIRef | str, files: Sequence[Path]) -> str:
    needle = str(focus)
    tail = needle.rsplit("/", 1)[-1]
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for candidates in ([needle], [tail] if len(tail) > 3 else []):
            for number, line in enumerate(lines, start=1):
                if any(c in line for c in candidates):
                    return f"{path}:{number}"
    return ""


def _read_input(path: Path, layout: Layout) -> Graph:
    """Parse one input: an RDF file, or a CSV table shaped like one of data/tables/."""
    if path.suffix.lower() != ".csv":
        return parse_rdf(path)
    from legigraph.tables import map_table, mapping_for

    if not path.is_file():
        raise InputError(path, "file does not exist", "check the path")
    graph = bind_prefixes(Graph())
    map_table(mapping_for(path, layout.data / "mappings"), graph, table=path.resolve())
    return graph


def context_graph(layout: Layout) -> Graph:
    """The built graph, read from ``build/legigraph.nt`` (built on the fly if missing)."""
    built = layout.build / "legigraph.nt"
    if built.exists():
        return parse_rdf(built)
    from legigraph.build import build_graph

    return build_graph(layout)


ENGINES = ("sparql", "pyshacl")


def validate(
    files: Iterable[str | Path],
    layout: Layout | None = None,
    *,
    context: bool = True,
    engine: str = "sparql",
    store: Path | None = None,
) -> ValidationResult:
    """Validate RDF files in the context of the built graph (or of the store ``store``).

    Every file is parsed before anything is merged; an unreadable file raises
    :class:`legigraph.io.InputError` naming it. ``engine``: ``sparql``, the shapes compiled
    to SPARQL and run on Oxigraph (``legigraph.shaclsparql``; the same results as pySHACL,
    proven by tests/test_shaclsparql.py), or ``pyshacl``. With ``store`` (an embedded store
    such as build/national-store) the files are checked against the part of the store the
    shapes read around them, and the results are those on the nodes the files can affect
    (``legigraph.shaclcontext``).
    """
    layout = layout or Layout.default()
    if engine not in ENGINES:
        raise InputError("(arguments)", f"unknown engine {engine!r}", "use sparql or pyshacl")
    paths = [Path(f) for f in files]
    if not paths:
        raise InputError("(arguments)", "no files to validate", "pass one or more RDF files")
    parsed = [_read_input(p, layout) for p in paths]
    if store is not None:
        from legigraph.shaclcontext import validate_in_store

        new = bind_prefixes(Graph())
        for graph in parsed:
            new += graph
        result = validate_in_store(new, store, layout, engine=engine)
    else:
        data = context_graph(layout) if context else bind_prefixes(Graph())
        for graph in parsed:
            data += graph
        if engine == "sparql":
            from legigraph.shaclsparql import validate_rdflib

            result = validate_rdflib(data, load_shapes(layout))
        else:
            result = validate_graph(data, layout=layout)
    new_nodes = {str(s) for g in parsed for s in g.subjects()}
    located = [
        replace(res, where=_locate(res.focus_iri, paths)) if res.focus_iri in new_nodes else res
        for res in result.results
    ]
    result.results = located
    return result
