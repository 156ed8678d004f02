"""Ingest the national statute corpus (legalize-kr layout) into its own embedded store.

(The ordinances of an ordinance-kr checkout go into the same store, in a graph of their
own: ``ingest.ordinances``.)

``legigraph ingest statutes PATH`` reads every ``kr/*/*.md`` of a legalize-kr checkout, of
the unpacked ``statutes-kr.tar.xz`` or of the archive itself (streamed, never extracted),
and writes each statute in the ELI model of the linking step (``link.describe_record`` +
``model.provisions``): the work, its current version, every subdivision with its text,
the ministries as ``dcterms:creator`` literals, and the national citation network
(``eli:cites`` from the citing work-level provision to the cited work or subdivision;
explicit 「」 citations and 같은 법 only, resolved with the name index as of the citing
file's 시행일자), with materialised views of it: ``lg:citedByCount`` per cited node,
law-level ``lg:citesLaw`` edges and ``lg:citingLawCount`` per law; and the alias table
(former names with their sources and dates, ``link.formernames``) in the same graph, since
it is mined from the same corpus and a statute rebuild replaces it with the statutes.

Fast path: no rdflib graph is kept. Worker processes (one per CPU) read the files and
write each statute's N-Triples as text (``model.provisions``, the one mapping of
provisions, through ``model.triples.nt_line``); the parent appends them in corpus order to
a temporary file, resolves the citations once every statute's provisions are known, and pyoxigraph
bulk-loads the file into the named graph ``NATIONAL_GRAPH`` of a fresh store beside the
target, with the bill-1544 build in ``BILL_GRAPH``. The corpus is read within size bounds
(``legigraph.sources.corpus``). The fresh store, built in a staging folder beside the target
(``io.staging_dir``), replaces the old one only when complete and checked: at least one
statute read, and the loaded store agreeing with the manifest (triples of each graph, one
``lg:NationalLaw`` per work). Otherwise the old store stays and the ingest fails (exit 2
when the input yields nothing, 3 when the store disagrees). The named graphs that
``ingest history``, ``ingest effects`` and ``ingest ordinances`` added to the old store are
copied into the fresh one and counted (``stores.embedded.carry_graphs``): a rebuild loses
none. A
manifest (counts, input hash, timings per phase) is written beside the store. Each phase
(read, parse, link, load, check, swap) has a progress bar on a terminal.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from legigraph.errors import InputError, InternalError
from legigraph.ingest.network import OnError, build_network, law_citations
from legigraph.ingest.ordinances import (
    ORDINANCE_GRAPH,
    OrdinanceResult,
    ingest_ordinances,
    ordinance_manifest_path,
)
from legigraph.ingest.statute import parse_statute, statute_record
from legigraph.ingest.store import (
    BILL_GRAPH,
    NATIONAL_GRAPH,
    count_lines,
    dataset_counts,
    file_hash,
    iter_skipped,
    load_store,
    manifest_path,
    store_counts,
)
from legigraph.io import atomic_write, replace_directory, staging_dir
from legigraph.link.resolve import read_law_index
from legigraph.link.resolver import with_tables
from legigraph.model import ids
from legigraph.paths import Layout
from legigraph.progress import progress_bar
from legigraph.sources.corpus import Limits, list_corpus
from legigraph.stores.embedded import carry_graphs

__all__ = [
    "BILL_GRAPH",
    "NATIONAL_GRAPH",
    "ORDINANCE_GRAPH",
    "IngestResult",
    "NothingIngested",
    "OnError",
    "OrdinanceResult",
    "ingest_ordinances",
    "ingest_statutes",
    "iter_skipped",
    "law_citations",
    "load_store",
    "manifest_path",
    "ordinance_manifest_path",
    "parse_statute",
    "statute_record",
    "store_counts",
]


@dataclass
class IngestResult:
    """What one ingest did: the manifest, and the rdflib graph for the baseline backend."""

    manifest: dict[str, Any]
    graph: Graph | None = None
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class NothingIngested(InputError):
    """An ingest whose input yields no statute: the old store is kept (exit 2)."""

    def __init__(self, source: Path, problem: str, skipped: list[str]):
        super().__init__(source, problem)
        self.skipped = skipped


def ingest_statutes(
    source: Path,
    store: Path,
    index_path: Path,
    *,
    on_error: OnError | str = OnError.SKIP,
    limit_fraction: float = 1.0,
    backend: str = "oxigraph",
    keep_nt: Path | None = None,
    quiet: bool = False,
    workers: int = 0,
    bill: Path | None = None,
    limits: Limits | None = None,
) -> IngestResult:
    """Build the national graph of ``source`` into ``store`` (replaced only on success).

    ``backend="rdflib"`` is the benchmark baseline: the same pipeline, loading the same
    N-Triples into the named graphs of an in-memory ``rdflib.Dataset`` (returned) instead
    of the store.
    ``workers`` parse in parallel (0: one per CPU; 1: no worker processes). ``bill``, the
    N-Triples of ``legigraph build`` (build/legigraph.nt), goes into the named graph
    ``BILL_GRAPH`` of the same store, so that queries can cross from the bill to the
    statutes. ``limits`` bound the size of each corpus file and of the whole corpus.
    ``quiet`` turns the progress bars off (they are drawn only on a terminal anyway).

    Raises ``NothingIngested`` (exit 2) when no statute could be read and
    ``InternalError`` (exit 3) when the loaded store disagrees with the manifest; either
    way ``store`` and its manifest are left as they were.
    """
    workers = workers or os.cpu_count() or 1
    on_error = OnError(on_error)  # ValueError for anything but skip or stop
    if not 0 < limit_fraction <= 1:
        raise InputError(source, f"--limit-fraction {limit_fraction} is not in (0, 1]",
                         "give a fraction such as 0.25")  # fmt: skip
    limits = limits or Limits()
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    with progress_bar("ingest: read", quiet=quiet, unit="B", scale=True) as advance:
        members, input_hash = list_corpus(source, limits, advance)
    total_files = len(members)
    members = members[: max(1, round(len(members) * limit_fraction))]
    index = with_tables(read_law_index(index_path), Layout.default().data)
    timings["list"] = time.perf_counter() - clock

    store = store.resolve()
    staging = staging_dir(store)  # also removes what a killed ingest left behind
    nt_path = staging / "national.nt"
    bill_file = bill
    try:
        if bill_file is not None:  # a snapshot: a `legigraph build` meanwhile cannot change it
            bill = staging / "bill.nt"
            shutil.copyfile(bill_file, bill)
        with nt_path.open("w", encoding="utf-8", newline="\n") as out:
            counts, skipped, warnings, triples = build_network(
                members, index, out, on_error, timings, quiet, workers
            )
        if counts["works"] == 0 or triples == 0:
            raise NothingIngested(source, _nothing(source, store, len(members), skipped,
                                                   backend), skipped)  # fmt: skip
        bill_triples = count_lines(bill) if bill is not None else None
        expected = {"national_triples": triples, "national_laws": counts["works"],
                    "bill_triples": bill_triples}  # fmt: skip
        clock = time.perf_counter()
        graph: Graph | None = None
        kept: dict[str, int] = {}
        fresh = staging / "store"
        with progress_bar("ingest: load", quiet=quiet, unit="B", scale=True) as advance:
            if backend == "rdflib":
                graph = Dataset()
                graph.graph(URIRef(NATIONAL_GRAPH)).parse(nt_path, format="nt")
                if bill is not None:
                    graph.graph(URIRef(BILL_GRAPH)).parse(bill, format="nt")
            else:
                load_store(fresh, nt_path, bill, advance)
                # the graphs `ingest history`, `ingest effects` and `ingest ordinances` added stay
                kept = carry_graphs(store, fresh, (str(ids.HISTORY_GRAPH), str(ids.EFFECTS_GRAPH),
                                                   str(ids.ORDINANCE_GRAPH)))  # fmt: skip
        timings["load"] = time.perf_counter() - clock
        clock = time.perf_counter()
        with progress_bar("ingest: check", quiet=quiet) as advance:
            found = dataset_counts(graph) if graph is not None else store_counts(fresh)
            advance(1, 1)
        if {k: v for k, v in found.items() if expected[k] is not None} != {
            k: v for k, v in expected.items() if v is not None
        }:
            raise InternalError(f"the store loaded from {source} disagrees with its manifest "
                                f"(found {found}, expected {expected}): the store {store} "
                                "was kept; please report it")  # fmt: skip
        timings["check"] = time.perf_counter() - clock
        if keep_nt is not None:
            shutil.copyfile(nt_path, keep_nt)
        manifest: dict[str, Any] = {
            "source": str(source),
            "input_hash": input_hash,
            "index": str(index_path),
            "limit_fraction": limit_fraction,
            "limits": {"max_member_bytes": limits.max_member, "max_total_bytes": limits.max_total},
            "graph": NATIONAL_GRAPH,
            "bill": {"graph": BILL_GRAPH, "file": str(bill_file), "sha256": file_hash(bill)}
            if bill is not None and backend == "oxigraph"
            else None,
            "backend": backend,
            "store": str(store) if backend == "oxigraph" else None,
            "counts": {
                "files_in_corpus": total_files,
                "files": len(members),
                **counts,
                "skipped": len(skipped),
                "triples_written": triples,
            },
            "checks": found,
            "kept_graphs": kept,
            "skipped": skipped,
            "warnings": warnings,
            "timings_s": {},
        }
        if backend == "oxigraph":
            clock = time.perf_counter()
            with progress_bar("ingest: swap", quiet=quiet) as advance:
                advance(0, 1)
                replace_directory(fresh, store)
                advance(1, 1)
            timings["swap"] = time.perf_counter() - clock
            manifest["timings_s"] = {k: round(v, 3) for k, v in timings.items()}
            with atomic_write(manifest_path(store)) as handle:
                handle.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        else:
            manifest["timings_s"] = {k: round(v, 3) for k, v in timings.items()}
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return IngestResult(manifest, graph, skipped, warnings)


def _nothing(source: Path, store: Path, files: int, skipped: list[str], backend: str) -> str:
    """The one line that says why an ingest yields nothing, what was kept and what to do."""
    kept = f"the store {store} was left as it was" if backend == "oxigraph" else "nothing loaded"
    if len(skipped) == files:
        return (f"nothing to ingest: every one of its {files} statute files was skipped (see "
                f"the reasons above); {kept}. Fix those files, or check that this is a "
                "legalize-kr corpus")  # fmt: skip
    return f"nothing to ingest: {files} files gave no triples; {kept}. Check the corpus"
