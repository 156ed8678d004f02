"""Validate data against the legigraph SHACL profile, in the context of the build or a store.

New data is parsed as written (exact literals: ``legigraph.model.literals``), merged with the
built graph (or with the part of a store the shapes read around it) and validated by the
engine of record, pyshacl-turbo, or another engine of ``legigraph.shacl.engines``. A whole
store is validated by the SHACL-to-SPARQL compiler (:func:`validate_store`). Nothing is
fetched: no inference, no OWL imports, no SHACL-JS, and shapes that ask for them are refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from legigraph.errors import InputError
from legigraph.inputs import MAX_INPUT_BYTES
from legigraph.io import line_of, parse_rdf
from legigraph.model.literals import store_changes
from legigraph.model.namespaces import bind_prefixes
from legigraph.paths import Layout
from legigraph.shacl import engines
from legigraph.shacl.compiler import UnsupportedShape, open_dataset, validate_rdflib
from legigraph.shacl.compiler import validate_store as compiled_store
from legigraph.shacl.context import ContextValidator
from legigraph.shacl.engines import ENGINE_OF_RECORD, ShaclEngine, ShapesRefused
from legigraph.shacl.report import ValidationResult, results_from_report
from legigraph.shacl.shapes import load_shapes, ontology_graph
from legigraph.sources.tables import map_table, mapping_for


def validate_graph(
    data: Graph,
    shapes: Graph | None = None,
    layout: Layout | None = None,
    *,
    engine: ShaclEngine = ENGINE_OF_RECORD,
    focus: Iterable[Node] | None = None,
) -> ValidationResult:
    """Validate ``data`` (already merged) against ``shapes`` (default: the profile)."""
    layout = layout or Layout.default()
    shapes = shapes if shapes is not None else load_shapes(layout)
    if engine == ShaclEngine.COMPILER:
        refuse_store_changes(data)
        engines.refuse_boolean_misreads(shapes, engine)
        with compiler_refusals():
            return validate_rdflib(data, shapes)
    conforms, report = engines.run(engine, data, shapes, focus=focus)
    results = results_from_report(report, data, shapes)
    violations = sum(1 for r in results if r.severity == "Violation")
    text = f"{len(results)} result(s)"
    return ValidationResult(conforms, violations, results, bind_prefixes(report), text)


@contextmanager
def compiler_refusals() -> Iterator[None]:
    """What the compiler cannot evaluate is refused by name (exit 2), never skipped."""
    try:
        yield
    except UnsupportedShape as err:
        raise ShapesRefused("(shapes)", f"the compiler cannot evaluate this: {err}",
                            "use --engine turbo (the default) for files") from err  # fmt: skip


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


def read_input(path: Path, layout: Layout, max_bytes: int | None = MAX_INPUT_BYTES) -> Graph:
    """Parse one input: an RDF file, or a CSV table shaped like one of data/tables/."""
    if path.suffix.lower() != ".csv":
        return parse_rdf(path, max_bytes=max_bytes)
    if not path.is_file():
        raise InputError(path, "file does not exist", "check the path")
    graph = bind_prefixes(Graph())
    map_table(mapping_for(path, layout.data / "mappings"), graph, table=path.resolve())
    return graph


def built_graph(layout: Layout) -> Graph:
    """The built graph, read from ``build/bill/legigraph.nt``."""
    built = layout.bill_graph
    if not built.is_file():
        raise InputError(built, "the built graph is missing", "run `legigraph build` first")
    return parse_rdf(built)


def validate(
    files: Iterable[str | Path],
    layout: Layout | None = None,
    *,
    context: Graph | None = None,
    engine: ShaclEngine = ENGINE_OF_RECORD,
    store: Path | None = None,
    shapes: Sequence[Path | str] = (),
    shapes_only: bool = False,
    max_input_bytes: int | None = MAX_INPUT_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationResult:
    """Validate files in the context of a graph (default: the build) or of a store.

    Every file is parsed before anything is merged; an unreadable file raises
    :class:`legigraph.errors.InputError` naming it. ``context``: the graph the files are
    checked with (``Graph()`` for none; default ``build/bill/legigraph.nt``). ``store``: an
    embedded store such as build/national-store: the files are checked against the part of
    the store the shapes read around them, and the results are those on the nodes the files
    can affect (``legigraph.shacl.context``). ``shapes``: extra shapes files, added to the
    profile or, with ``shapes_only``, replacing it. ``max_input_bytes``: the size limit of
    each file (None: no limit). ``progress(done, total)``: called after each file is read
    and when validation is done (steps: the files, then one for validating).
    """
    layout = layout or Layout.default()
    engine = ShaclEngine(engine)
    paths = [Path(f) for f in files]
    if not paths:
        raise InputError("(arguments)", "no files to validate", "pass one or more RDF files")
    advance = progress or (lambda done, total: None)
    parsed = []
    for path in paths:
        parsed.append(read_input(path, layout, max_input_bytes))
        advance(len(parsed), len(paths) + 1)
    shapes_graph = load_shapes(layout, shapes, only=shapes_only)
    new = bind_prefixes(Graph())
    for graph in parsed:
        new += graph
    if engine == ShaclEngine.COMPILER:
        refuse_store_changes(new, paths)
    if store is not None:
        with compiler_refusals():  # the read plan comes from the compiler's reading of shapes
            validator = ContextValidator.create(shapes_graph, ontology_graph(layout.ontology))
            result = validator.validate(new, open_dataset(store), engine)
    else:
        data = built_graph(layout) if context is None else context
        data += new
        result = validate_graph(data, shapes_graph, layout, engine=engine)
    advance(len(paths) + 1, len(paths) + 1)
    for path, graph in zip(paths, parsed, strict=True):
        imports = len(set(graph.objects(None, OWL.imports)))
        if imports:
            result.notices.append(f"{path}: {imports} owl:imports not followed "
                                  "(legigraph never fetches what a file names)")  # fmt: skip
    new_nodes = {str(s) for s in new.subjects()}
    result.results = [
        replace(res, where=_locate(res.focus_iri, paths)) if res.focus_iri in new_nodes else res
        for res in result.results
    ]
    return result


def validate_store(
    store: Path,
    layout: Layout | None = None,
    *,
    shapes: Sequence[Path | str] = (),
    shapes_only: bool = False,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationResult:
    """Validate a whole embedded store (all its graphs) with the SHACL-to-SPARQL compiler.

    The only engine that validates the national graph (21.7 M triples) in minutes; it judges
    literals as the store holds them (docs/benchmarks.md, "SHACL engines").
    """
    layout = layout or Layout.default()
    shapes_graph = load_shapes(layout, shapes, only=shapes_only)
    engines.refuse_boolean_misreads(shapes_graph, ShaclEngine.COMPILER)
    with compiler_refusals():
        return compiled_store(
            open_dataset(store), shapes_graph, workers=workers or 2, progress=progress
        )


def refuse_store_changes(data: Graph, files: Sequence[Path] = ()) -> None:
    """Refuse data the compiler would judge wrongly: literals a store rewrites.

    The compiler validates what an Oxigraph store holds, and a store keeps a literal of a
    type derived from xsd:integer as xsd:integer, canonicalises lexical forms and forgets
    that a literal is ill-typed; data with such a literal is refused, never judged.
    """
    for literal, stored in store_changes(data):
        where = next((p for p in files if line_of(p, [str(literal)]) is not None), None)
        raise InputError(
            where or "(data)",
            f"literal {literal.n3()} would be judged as {stored}: the compiler reads literals "
            "as a store holds them",
            "validate new data with --engine turbo (the default) or --engine pyshacl",
            line_of(where, [str(literal)]) if where else None,
        )


