"""``legigraph ingest effects PATH``: the corpus's 타법개정 clauses as amendment objects.

A step of its own, after ``legigraph ingest statutes`` (which it needs: the store, and
nothing of the statute ingest changes, so its time and checks stay as they were) and
beside ``legigraph ingest history``: it writes one named graph, ``ids.EFFECTS_GRAPH``, of
the same store, and touches no other. Two passes over the corpus, each by worker
processes: the first reads every file's 부칙 for clauses (``read.read_file``); the
clauses are kept once and their laws resolved (``read.gather``); the second reads the
current text of every amended law and checks each operation against it
(``check.visible``). The N-Triples are parsed strictly before anything is written, the
graph is then replaced (dropped, bulk-loaded) and its triples counted against what was
written; the manifest ``{store}.effects.json`` has the counts, the agreement by kind and
form, what was left out and why, and the timings.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from legigraph.amendments import Operation
from legigraph.effects.check import CurrentText, visible
from legigraph.effects.graph import TYPES, write
from legigraph.effects.read import FileClauses, Gathered, gather, read_file
from legigraph.errors import InputError, InternalError
from legigraph.io import atomic_write, staging_dir
from legigraph.link.resolve import read_law_index
from legigraph.link.resolver import with_tables
from legigraph.model import ids
from legigraph.model.triples import NTriplesSink
from legigraph.paths import Layout
from legigraph.progress import progress_bar
from legigraph.sources.corpus import Limits, Member, list_corpus
from legigraph.sources.ordinance import read_law_bytes

EFFECTS_GRAPH = str(ids.EFFECTS_GRAPH)
_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass
class EffectsResult:
    """What one run wrote: its manifest (also written beside the store)."""

    manifest: dict[str, Any]


def manifest_path(store: Path) -> Path:
    """The effects manifest of the store at ``store`` (beside it)."""
    return store.with_name(store.name + ".effects.json")


def check_law(item: tuple[str, bytes, list[Operation]]) -> list[bool | None]:
    """The agreement check of the operations on one amended law (runs in a worker)."""
    name, blob, operations = item
    try:
        current = CurrentText(read_law_bytes(Path(name), blob))
    except InputError:
        return [None] * len(operations)
    return [visible(op, current) for op in operations]


def _pool_map(func: Callable[[_T], _R], items: Iterable[_T], workers: int) -> Iterator[_R]:
    if workers <= 1:
        yield from map(func, items)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(func, items, chunksize=4)


def ingest_effects(
    source: Path,
    store: Path,
    index_path: Path,
    *,
    limit_fraction: float = 1.0,
    quiet: bool = False,
    workers: int = 0,
    limits: Limits | None = None,
) -> EffectsResult:
    """Read the 타법개정 clauses of ``source`` into the effects graph of ``store``."""
    workers = workers or os.cpu_count() or 1
    store = store.resolve()
    if not store.is_dir():
        raise InputError(store, "no national store here",
                         "build it first with `legigraph ingest statutes PATH`")  # fmt: skip
    if not 0 < limit_fraction <= 1:
        raise InputError(source, f"--limit-fraction {limit_fraction} is not in (0, 1]",
                         "give a fraction such as 0.25")  # fmt: skip
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    with progress_bar("effects: read", quiet=quiet, unit="B", scale=True) as advance:
        members, input_hash = list_corpus(source, limits or Limits(), advance)
    members = [m for m in members if not m.problem]
    members = members[: max(1, round(len(members) * limit_fraction))]
    resolver = with_tables(read_law_index(index_path), Layout.default().data)
    timings["list"] = time.perf_counter() - clock

    clock = time.perf_counter()
    files: list[FileClauses] = []
    with progress_bar("effects: clauses", quiet=quiet, unit="file") as advance:
        for done, found in enumerate(_pool_map(read_file, _blobs(members), workers), start=1):
            files.append(found)
            advance(done, len(members))
    gathered = gather(files, resolver)
    timings["clauses"] = time.perf_counter() - clock

    clock = time.perf_counter()
    results = _check(gathered, members, workers, quiet)
    timings["check"] = time.perf_counter() - clock

    clock = time.perf_counter()
    staging = staging_dir(store.with_name(store.name + ".effects"))
    try:
        nt_path = staging / "effects.nt"
        with nt_path.open("w", encoding="utf-8", newline="\n") as out:
            sink = NTriplesSink(out)
            counts = write(sink, gathered.effects, results)
        triples = _strict_count(nt_path)
        if triples != sink.written:  # a triple written twice: the writer's bug
            raise InternalError(f"the effects graph has {triples} distinct triples of "
                                f"{sink.written} written; please report it")  # fmt: skip
        timings["graph"] = time.perf_counter() - clock
        clock = time.perf_counter()
        _replace_graph(store, nt_path, triples)
        timings["load"] = time.perf_counter() - clock
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    manifest = _manifest(source, store, input_hash, files, gathered, results, counts, triples)
    manifest["timings_s"] = {k: round(v, 3) for k, v in timings.items()}
    with atomic_write(manifest_path(store)) as handle:
        handle.write(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return EffectsResult(manifest)


def _blobs(members: list[Member]) -> Iterator[tuple[str, bytes]]:
    for member in members:
        try:
            yield member.name, member.read()
        except InputError:  # changed since listed: read as empty, reported as unreadable
            yield member.name, b""


def _check(
    gathered: Gathered, members: list[Member], workers: int, quiet: bool
) -> dict[tuple[int, int], bool | None]:
    """The agreement check of every operation, by (effect, operation)."""
    by_law: defaultdict[str, list[tuple[int, int, Operation]]] = defaultdict(list)
    for i, effect in enumerate(gathered.effects):
        for j, op in enumerate(effect.parsed.operations):
            by_law[effect.amended.path].append((i, j, op))
    readers = {m.name: m for m in members if m.name in by_law}
    laws = sorted(readers)

    def items() -> Iterator[tuple[str, bytes, list[Operation]]]:
        for name in laws:
            yield name, readers[name].read(), [op for _, _, op in by_law[name]]

    results: dict[tuple[int, int], bool | None] = {}
    with progress_bar("effects: check", quiet=quiet, unit="law") as advance:
        for done, (name, seen) in enumerate(
            zip(laws, _pool_map(check_law, items(), workers), strict=True), start=1
        ):
            for (i, j, _), value in zip(by_law[name], seen, strict=True):
                results[(i, j)] = value
            advance(done, len(laws))
    return results


def _strict_count(nt_path: Path) -> int:
    """The distinct triples of the file, parsed strictly (the check before the store)."""
    with nt_path.open("rb") as handle:
        return len(set(ox.parse(handle, format=ox.RdfFormat.N_TRIPLES)))


_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EFFECTS_GRAPH}> {{ ?s ?p ?o }} }}"


def _replace_graph(store: Path, nt_path: Path, triples: int) -> None:
    """The effects graph of ``store`` replaced by the file's triples, then counted."""
    db = ox.Store(str(store))
    graph = ox.NamedNode(EFFECTS_GRAPH)
    if db.contains_named_graph(graph):
        db.remove_graph(graph)
    with nt_path.open("rb") as handle:
        db.bulk_load(handle, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    db.flush()
    held = int(next(iter(db.query(_COUNT)))[0].value)  # type: ignore[arg-type]
    del db
    if held != triples:
        raise InternalError(f"the effects graph of {store} holds {held} triples, {triples} "
                            "were written: run `legigraph ingest effects` again")  # fmt: skip


def agreement(
    gathered: Gathered, results: dict[tuple[int, int], bool | None]
) -> dict[str, dict[str, int]]:
    """Operations visible, not visible and not checkable, by amendment type and by form."""
    table: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for i, effect in enumerate(gathered.effects):
        for j, op in enumerate(effect.parsed.operations):
            value = results.get((i, j))
            status = "unchecked" if value is None else "visible" if value else "not_visible"
            for key in (f"type/{TYPES[op.kind]}", f"form/{op.form}", "all"):
                table[key][status] += 1
    return {k: dict(sorted(v.items())) for k, v in sorted(table.items())}


def _manifest(
    source: Path, store: Path, input_hash: str, files: list[FileClauses], gathered: Gathered,
    results: dict[tuple[int, int], bool | None], counts: dict[str, int], triples: int,
) -> dict[str, Any]:  # fmt: skip
    return {
        "source": str(source),
        "input_hash": input_hash,
        "store": str(store),
        "graph": EFFECTS_GRAPH,
        "counts": {
            "files": len(files),
            "files_unreadable": sum(1 for f in files if f.error),
            "clauses_found": gathered.occurrences,
            "clauses_distinct": gathered.distinct,
            "clauses_written": len(gathered.effects),
            "clauses_left_out": dict(gathered.dropped.most_common()),
            **counts,
            "triples": triples,
        },
        "agreement": agreement(gathered, results),
        "left_out_examples": gathered.examples,
    }
