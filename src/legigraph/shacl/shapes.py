"""Reading shapes: the legigraph profile, and users' own shapes files, checked before use.

A council or a data team can add its own rules (``legigraph validate --shapes FILE``) or
replace the profile (``--shapes-only``). Every shapes file is parsed as the data is (exact
literals, errors with file and line) and refused, with exit 2 and nothing fetched, when it:

- imports other graphs (``owl:imports`` of a resource the file does not itself describe):
  legigraph never dereferences an IRI;
- uses SHACL-JavaScript (``sh:js``, ``sh:JSConstraint`` …): no engine here runs JavaScript,
  and skipping such a constraint would answer "conforms" without checking it;
- is not SHACL at all (no shape, no constraint, no target in it);
- uses SHACL-SPARQL the specification forbids (``MINUS``, ``VALUES``, ``SERVICE``, a
  sub-query that hides ``$this`` …): the engine of record's compiler decides
  (:func:`legigraph.shacl.engines.check_shapes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from legigraph.io import line_of, parse_rdf
from legigraph.model.namespaces import SH
from legigraph.paths import Layout
from legigraph.shacl.engines import ShapesRefused, check_shapes

JAVASCRIPT = {
    SH.js, SH.JSConstraint, SH.JSConstraintComponent, SH.JSFunction, SH.JSLibrary,
    SH.jsLibrary, SH.jsLibraryURL, SH.jsFunctionName, SH.JSTarget, SH.JSTargetType, SH.JSRule,
    SH.JSValidator,
}  # fmt: skip


def profile_files(layout: Layout) -> list[Path]:
    """The shape files of the legigraph profile."""
    return sorted(layout.shapes.glob("*.ttl"))


def _refuse(path: Path, problem: str, hint: str, needles: Iterable[str]) -> ShapesRefused:
    return ShapesRefused(path, problem, hint, line_of(path, needles))


def check_file(path: Path, graph: Graph) -> None:
    """Refuse a shapes file that imports, uses JavaScript or holds no SHACL at all."""
    for _, _, target in graph.triples((None, OWL.imports, None)):
        if (target, None, None) in graph:
            continue  # described in this very graph (e.g. its prefix declarations): no fetch
        raise _refuse(
            path,
            f"owl:imports {target.n3()}: legigraph does not fetch imported graphs",
            "copy the imported shapes into a local file and add it with --shapes",
            ["owl:imports", str(OWL.imports)],
        )
    for s, p, o in graph:
        term = next((t for t in (s, p, o) if t in JAVASCRIPT), None)
        if term is not None:
            local = str(term)[len(str(SH)) :]
            raise _refuse(
                path,
                f"sh:{local}: SHACL-JavaScript is not supported (no engine here runs it)",
                "express the rule in SHACL Core or as a SPARQL constraint (sh:sparql)",
                [f"sh:{local}", str(term)],
            )
    if not any(
        str(p).startswith(str(SH)) or (p == RDF.type and str(o).startswith(str(SH)))
        for _, p, o in graph
    ):
        raise ShapesRefused(
            path,
            "not a SHACL shapes graph: no shape, constraint or target in it",
            "pass a Turtle file of sh:NodeShape / sh:PropertyShape definitions",
        )


def read_shapes(paths: Sequence[Path], graph: Graph | None = None) -> Graph:
    """Parse and check shapes files into one graph (``graph``, or a fresh one)."""
    shapes = graph if graph is not None else Graph()
    for path in paths:
        parsed = parse_rdf(path)
        check_file(path, parsed)
        shapes += parsed
    return shapes


def load_shapes(layout: Layout, extra: Sequence[Path | str] = (), *, only: bool = False) -> Graph:
    """The profile (unless ``only``) and the shapes files ``extra``, checked together.

    Shapes that the specification forbids are refused here, before any engine runs.
    """
    extra_paths = [Path(p) for p in extra]
    if only and not extra_paths:
        raise ShapesRefused(
            "(arguments)", "--shapes-only needs at least one --shapes FILE", "add --shapes FILE"
        )
    shapes = Graph()
    if not only:
        for path in profile_files(layout):
            parse_rdf(path, shapes)
    read_shapes(extra_paths, shapes)
    try:
        check_shapes(shapes)
    except ShapesRefused as err:
        named = extra_paths[0] if extra_paths else layout.shapes
        raise ShapesRefused(named if len(extra_paths) <= 1 else "(shapes)", err.problem,
                            err.hint) from err  # fmt: skip
    return shapes


def ontology_graph(directory: Path) -> Graph:
    """The ontology and code lists (every ``*.ttl`` of ``directory``)."""
    graph = Graph()
    for path in sorted(Path(directory).glob("*.ttl")):
        parse_rdf(path, graph)
    return graph
