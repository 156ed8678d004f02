"""Running a plan on a store, the SHACL report, and comparing reports."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from legigraph.errors import EngineError, InputError
from legigraph.model.namespaces import SH, bind_prefixes
from legigraph.shacl.compiler.checks import plan
from legigraph.shacl.compiler.constraints import path_sparql
from legigraph.shacl.compiler.shapes import Check, Result, RootChecks, SparqlShapes, restrict_focus
from legigraph.shacl.compiler.terms import (
    FN_FOCUS,
    FUNCTIONS,
    Progress,
    Row,
    Term,
    from_ox,
    load_graph,
    to_ox,
)
from legigraph.shacl.report import ValidationResult, results_from_report, short_name

# --- running -----------------------------------------------------------------------------


@dataclass
class Dataset:
    """Where the data graph is: a store and which of its graphs form the default graph."""

    store: ox.Store
    graphs: Sequence[str] | None = None  # named graphs to use as the default graph
    union: bool = False  # all graphs of the store as the default graph

    def query(self, text: str, focus: Sequence[Node] | None = None) -> Any:
        """Run ``text`` on the data graph (``focus``: the nodes FN_FOCUS accepts)."""
        functions = dict(FUNCTIONS)
        if focus is not None:
            members = {to_ox(f) for f in focus}
            functions[ox.NamedNode(FN_FOCUS)] = lambda t: ox.Literal(t in members)
        kwargs: dict[str, Any] = {"custom_functions": functions}
        if self.graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in self.graphs]
        elif self.union:
            kwargs["use_default_graph_as_union"] = True
        return self.store.query(text, **kwargs)


def class_hierarchy(data: Dataset, classes: Iterable[Node]) -> dict[Node, set[Node]]:
    """For each class, itself and every class below it through rdfs:subClassOf in the data."""
    below: dict[Term, set[Term]] = {}
    for row in data.query(f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{RDFS.subClassOf}> ?o }}"):
        below.setdefault(from_ox(row[1]), set()).add(from_ox(row[0]))
    closure: dict[Node, set[Node]] = {}
    for cls in classes:
        found: set[Node] = {cls}
        todo = [cls]
        while todo:
            for sub in below.get(todo.pop(), set()):  # type: ignore[call-overload]
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        closure[cls] = found
    return closure


def run_check(
    data: Dataset, check: Check, focus: Sequence[Node] | None = None, bulk: bool = False
) -> list[Result]:
    """Run one check's query (its bulk form if ``bulk``) and turn its rows into results."""
    query = restrict_focus(check.text(bulk), focus)
    try:
        solutions = data.query(query, focus)
    except SyntaxError as exc:  # a bug of the compiler, not of the data
        raise EngineError(f"{check.name}: {exc}\n{query}") from exc
    rows: list[Row] = [
        tuple(None if s[i] is None else from_ox(s[i]) for i in range(len(check.variables)))
        for s in solutions
    ]
    return check.rows_to_results(rows)


BULK_FOCUS = 20_000  # from this many focus nodes, scan values first and join the focus


def run_plan(
    data: Dataset,
    plan: Sequence[RootChecks],
    focus: Sequence[Node] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[Result]:
    """Run the checks of every shape that has focus nodes, ``workers`` queries at a time.

    Each shape's focus nodes are counted first (no checks without focus nodes; the plan for
    many from ``BULK_FOCUS`` on); with several workers the counts run in parallel too, and
    each shape's checks start as soon as its count is known.
    """

    def count(root: RootChecks) -> int:
        solution = next(iter(data.query(restrict_focus(root.count, focus), focus)))
        return int(solution[0].value)

    def checks(root: RootChecks, n: int) -> list[tuple[Check, bool]]:
        bulk = focus is None and n >= BULK_FOCUS
        return [(c, bulk) for c in root.checks] if n else []

    total, done = sum(len(root.checks) for root in plan), 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None and n:
            progress(done, total)

    def scheduled(root: RootChecks, n: int) -> list[tuple[Check, bool]]:
        todo = checks(root, n)
        tick(len(root.checks) - len(todo))  # no focus nodes: its checks are done
        return todo

    if workers <= 1:
        out: list[Result] = []
        for root in plan:
            for check, bulk in scheduled(root, count(root)):
                out.extend(run_check(data, check, focus, bulk))
                tick(1)
        return out
    with ThreadPoolExecutor(workers) as pool:
        counts = {pool.submit(count, root): root for root in plan}
        running = [
            pool.submit(run_check, data, check, focus, bulk)
            for finished in as_completed(counts)
            for check, bulk in scheduled(counts[finished], finished.result())
        ]
        for _ in as_completed(running):
            tick(1)
        return [r for future in running for r in future.result()]


def report_graph(results: Sequence[Result], shapes: Graph) -> Graph:
    """The SHACL validation report of ``results`` (blank nodes as pySHACL writes them)."""
    report = bind_prefixes(Graph())
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(not results)))
    for res in results:
        node = BNode()
        report.add((root, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, res.focus))
        report.add((node, SH.sourceShape, res.shape))
        report.add((node, SH.sourceConstraintComponent, res.component))
        report.add((node, SH.resultSeverity, res.severity))
        if res.value is not None:
            report.add((node, SH.value, res.value))
        if res.path is not None:
            report.add((node, SH.resultPath, res.path))
            if isinstance(res.path, BNode):
                for triple in shapes.cbd(res.path):
                    report.add(triple)
        if res.constraint is not None:
            report.add((node, SH.sourceConstraint, res.constraint))
        for message in res.messages:
            report.add((node, SH.resultMessage, message))
    return report


def summary(results: Sequence[Result]) -> str:
    """A one-line count of results by source shape and constraint component."""
    counts: dict[tuple[str, str], int] = {}
    for res in results:
        key = (res.shape.n3(), str(res.component).rsplit("#", 1)[-1])
        counts[key] = counts.get(key, 0) + 1
    lines = [f"{n} {shape} {component}" for (shape, component), n in sorted(counts.items())]
    return f"{len(results)} result(s)" + ("\n" + "\n".join(lines) if lines else "")


def validate_dataset(
    data: Dataset,
    shapes: SparqlShapes,
    *,
    focus: Sequence[Node] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> tuple[list[Result], Graph]:
    """Validate the data graph of ``data``; results and the report graph.

    ``focus`` restricts validation to those focus nodes (each still checked exactly as in a
    full run). ``workers`` > 1 runs that many queries at a time: worth it on a large store,
    not on a small one.
    """
    classes = class_hierarchy(data, shapes.class_names())
    results = run_plan(data, plan(shapes, classes), focus, workers, progress)
    return results, report_graph(results, shapes.graph)


def as_validation_result(results: Sequence[Result], report: Graph) -> ValidationResult:
    """Wrap results in legigraph's :class:`ValidationResult` (for rendering and the CLI).

    The violations are those ``legigraph.validate`` reads from a report, except that a
    SPARQL constraint's result shows the constraint's own message in each language.
    """
    names = bind_prefixes(Graph())
    shown: dict[tuple[str, ...], dict[str, str]] = {}
    for res in results:
        if res.display:
            key = tuple(short_name(names, t) for t in (res.focus, res.path, res.value, res.shape))
            shown[key] = {m.language or "en": str(m) for m in sorted(res.display)}
    violations = [
        replace(v, messages=shown.get((v.focus, v.path, v.value, v.shape), v.messages))
        for v in results_from_report(report, names)
    ]
    count = sum(1 for r in violations if r.severity == "Violation")
    return ValidationResult(not results, count, violations, report, summary(results))


def validate_store(
    data: Dataset,
    shapes: Graph | SparqlShapes,
    *,
    workers: int = os.cpu_count() or 1,
    progress: Progress | None = None,
) -> ValidationResult:
    """Validate a store (or some of its graphs) against ``shapes``.

    ``progress(done, total)`` is called after each check.
    """
    compiled = shapes if isinstance(shapes, SparqlShapes) else SparqlShapes.compile(shapes)
    results, report = validate_dataset(data, compiled, workers=workers, progress=progress)
    return as_validation_result(results, report)


def validate_rdflib(data: Graph, shapes: Graph | SparqlShapes) -> ValidationResult:
    """Validate an rdflib graph (copied into an in-memory store) against ``shapes``."""
    return validate_store(Dataset(load_graph(data)), shapes, workers=1)


def open_dataset(store_path: Path) -> Dataset:
    """An embedded store, read-only, with the union of its graphs as the data graph."""
    store_path = Path(store_path)
    if not store_path.is_dir():
        raise InputError(store_path, "no store here", "give the directory of an embedded store "
                         "(legigraph ingest statutes … --store DIR)")  # fmt: skip
    try:
        store = ox.Store.read_only(str(store_path))
    except OSError as exc:
        raise InputError(store_path, f"cannot open the store: {exc}") from exc
    return Dataset(store, union=True)


# --- comparing reports -------------------------------------------------------------------


def path_key(graph: Graph, path: Node | None) -> str | None:
    """A result path as text (a blank-node path by its SPARQL form)."""
    if path is None:
        return None
    return path_sparql(graph, path) if isinstance(path, BNode) else str(path)


ResultKey = tuple[Node, str | None, Node | None, Node, Node, Node, frozenset[Literal]]


def result_keys(report: Graph) -> dict[ResultKey, int]:
    """The top-level results of a report, with how often each occurs.

    Each as (focus, path, value, source shape, component, severity, messages).
    """
    found: dict[ResultKey, int] = {}
    for res in report.objects(None, SH.result):
        messages = frozenset(
            m for m in report.objects(res, SH.resultMessage) if isinstance(m, Literal)
        )
        key: ResultKey = (
            report.value(res, SH.focusNode),  # type: ignore[assignment]
            path_key(report, report.value(res, SH.resultPath)),
            report.value(res, SH.value),
            report.value(res, SH.sourceShape),
            report.value(res, SH.sourceConstraintComponent),
            report.value(res, SH.resultSeverity),
            messages,
        )
        found[key] = found.get(key, 0) + 1
    return found


def canonical(term: Node | None) -> Node | None:
    """``term`` as Oxigraph stores it.

    A valid typed literal in canonical form ("10.0" → "10" for xsd:decimal), anything
    else unchanged.
    """
    if not isinstance(term, Literal):
        return term
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), to_ox(term)))
    return from_ox(next(iter(store)).object)


def comparable_keys(report: Graph) -> dict[ResultKey, int]:
    """:func:`result_keys` with literals in Oxigraph's canonical form.

    So that a report of pySHACL and one of this module compare equal when they agree.
    """
    found: dict[ResultKey, int] = {}
    for (focus, path, value, *rest), n in result_keys(report).items():
        key: ResultKey = (canonical(focus), path, canonical(value), *rest)  # type: ignore[assignment]
        found[key] = found.get(key, 0) + n
    return found
