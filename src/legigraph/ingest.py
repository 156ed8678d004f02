"""Ingest the national statute corpus (legalize-kr layout) into its own embedded store.

``legigraph ingest statutes PATH`` reads every ``kr/*/*.md`` of a legalize-kr checkout, of
the unpacked ``statutes-kr.tar.xz`` or of the archive itself (streamed, never extracted),
and writes each statute in the ELI model of the linking step (``link.describe_record`` +
``model.provisions``): the work, its current version, every subdivision with its text,
the ministries as ``dcterms:creator`` literals, and the national citation network
(``eli:cites`` from the citing work-level provision to the cited work or subdivision;
explicit 「」 citations and 같은 법 only, resolved with the name index as of the citing
file's 시행일자), with materialised views of it: ``lg:citedByCount`` per cited node,
law-level ``lg:citesLaw`` edges and ``lg:citingLawCount`` per law.

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
when the input yields nothing, 3 when the store disagrees). A manifest (counts, input
hash, timings per phase) is written beside the store. Each phase (read, parse, link,
load, check, swap) has a progress bar on a terminal.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from legigraph.errors import InputError, InternalError
from legigraph.io import atomic_write, replace_directory, staging_dir
from legigraph.link.citations import Citation, find_citations
from legigraph.link.citing import citable_text, citing_date
from legigraph.link.dates import addendum_dates
from legigraph.link.linker import NationalTexts, describe_record, law_page, resolve_one
from legigraph.link.resolve import LawIndex, LawRecord, read_law_index
from legigraph.link.resolver import with_tables
from legigraph.model import ids
from legigraph.model.namespaces import ELI, LG
from legigraph.model.provisions import provision_triples
from legigraph.model.records import LawText
from legigraph.model.triples import NTriplesSink, nt_line
from legigraph.model.worktypes import work_type_code
from legigraph.paths import Layout
from legigraph.progress import Advance, progress_bar
from legigraph.sources.corpus import Limits, Member, list_corpus
from legigraph.sources.ordinance import read_law_bytes, version_metadata
from legigraph.stores.embedded import carry_graphs

NATIONAL_GRAPH = str(ids.NATIONAL_GRAPH)
BILL_GRAPH = str(ids.bill_graph(1544))  # the `legigraph build` graph


# --- input ------------------------------------------------------------------------------


# --- one statute --------------------------------------------------------------------------


def _ministries(meta: dict[str, Any]) -> list[str]:
    value = meta.get("소관부처") or []
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


def statute_record(law: LawText, name: str) -> LawRecord:
    """The record of a statute, from its own front matter."""
    meta = law.meta
    dates = version_metadata(law)
    law_id = str(meta.get("법령ID") or "").strip()
    serial = str(meta.get("법령MST") or "").strip()
    if not law_id.isdigit() or not serial.isdigit():
        raise InputError(law.source, "front matter 법령ID or 법령MST is missing or not a number",
                         "add 법령ID: 'NNNNNN' and 법령MST: NNNNNN", 1)  # fmt: skip
    return LawRecord(law_id=law_id, serial=serial, name=law.title,
                     kind=str(meta.get("법령구분") or "").strip(),
                     promulgated=dates["promulgated"],
                     promulgation_number=dates["promulgation_number"],
                     in_force=dates["in_force"], path=name,
                     ministry="; ".join(_ministries(meta)))  # fmt: skip


# --- one statute, in a worker -------------------------------------------------------------


@dataclass
class _Parsed:
    """What a worker made of one corpus file."""

    name: str
    nt: str = ""
    record: LawRecord | None = None
    paths: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    pending: list[tuple[Citation, Citation | None, str]] = field(default_factory=list)
    error: tuple[str, str, str, int | None] | None = None  # InputError's fields
    addenda: dict[str, str] = field(default_factory=dict)  # 부칙 path → date (linking.dates)
    triples: int = 0
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (kind, "file:line: …")


def parse_statute(item: tuple[str, bytes]) -> _Parsed:
    """Read one statute and write its N-Triples (runs in a worker process)."""
    name, blob = item
    try:
        law = read_law_bytes(Path(name), blob)
        record = statute_record(law, name)
    except InputError as err:
        return _Parsed(name, error=(str(err.path), err.problem, err.hint, err.line))
    buffer = io.StringIO()
    sink = NTriplesSink(buffer)
    describe_record(sink, record, law, {"*"}, Path("."), provisions=False)
    work = ids.national_law(record.law_id)
    for ministry in _ministries(law.meta):
        sink.add((work, DCTERMS.creator, Literal(ministry, lang="ko")))
    version = ids.law_version(record.law_id, record.promulgated)
    page = str(law_page(record))
    # each triple once, as in a graph: a provision can repeat a marker (<개정 …> at the end
    # of two of its lines), and the store's count must match the manifest's. Split on
    # "\n" only: N-Triples escape it, not U+2028 or U+0085, which splitlines() would cut at
    described = [line for line in buffer.getvalue().split("\n") if line]
    provisions = [nt_line(t) for t in provision_triples(law, work, version, page=page)]
    lines = list(dict.fromkeys(described + provisions))
    parsed = _Parsed(name, "\n".join(lines) + "\n", record)
    parsed.triples = len(lines)
    parsed.addenda = addendum_dates(law)
    if work_type_code(record.kind) is None:
        line = _front_matter_line(blob, "법령구분")
        parsed.warnings.append(("unknown-work-type", f"{name}:{line}: 법령구분 {record.kind!r} "
                                "has no concept in code/work-type: no eli:work_type"))  # fmt: skip
    parsed.warnings.extend((w.kind, f"{name}:{w.line}: {w.message}") for w in law.warnings)
    for prov in law.walk():
        parsed.paths.append(prov.path)
        parsed.kinds[prov.kind] += 1
        text = citable_text(prov)  # the heading too: 제N조 (「…」 등의 준용)
        if "「" not in text:  # explicit and same-law citations need a 「」
            continue
        last: Citation | None = None
        sub = ids.provision_iri(str(work), prov.path)
        for cit in find_citations(text):
            if cit.relation in ("explicit", "same-law"):
                parsed.pending.append((cit, last, sub))
            if cit.relation == "explicit":
                last = cit
    return parsed


def _front_matter_line(blob: bytes, key: str) -> int:
    """The line of ``key:`` in a file's front matter (1 when it is not there)."""
    prefix = f"{key}:".encode()
    for number, line in enumerate(blob.split(b"\n", 40)[:40], start=1):
        if line.startswith(prefix):
            return number
    return 1


class _CorpusTexts(NationalTexts):
    """The provision paths of the statutes read so far, by 법령ID."""

    def __init__(self, known: dict[str, frozenset[str]]):
        super().__init__({})
        self.known = known

    def paths(self, record: LawRecord) -> frozenset[str] | None:
        return self.known.get(record.law_id)


# --- the ingest ---------------------------------------------------------------------------


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
    on_error: str = "skip",
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
    if on_error not in ("skip", "stop"):
        raise ValueError(f"on_error must be skip or stop, not {on_error!r}")
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
    try:
        with nt_path.open("w", encoding="utf-8", newline="\n") as out:
            counts, skipped, warnings, triples = _build(
                members, index, out, on_error, timings, quiet, workers
            )
        if counts["works"] == 0 or triples == 0:
            raise NothingIngested(source, _nothing(source, store, len(members), skipped,
                                                   backend), skipped)  # fmt: skip
        bill_triples = _count_lines(bill) if bill is not None else None
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
                _load(fresh, nt_path, bill, advance)
                # the graphs `ingest history` and `ingest effects` added stay
                kept = carry_graphs(store, fresh, (str(ids.HISTORY_GRAPH), str(ids.EFFECTS_GRAPH)))
        timings["load"] = time.perf_counter() - clock
        clock = time.perf_counter()
        with progress_bar("ingest: check", quiet=quiet) as advance:
            found = _dataset_counts(graph) if graph is not None else store_counts(fresh)
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
            "bill": {"graph": BILL_GRAPH, "file": str(bill), "sha256": _file_hash(bill)}
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


def _count_lines(path: Path) -> int:
    """The statements of an N-Triples file (one a line; blank lines and comments aside)."""
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip() and not line.lstrip().startswith(b"#"))


def store_counts(store: Path) -> dict[str, int | None]:
    """Triples of each graph and works of the national graph in the on-disk ``store``."""
    import pyoxigraph as ox

    s = ox.Store.read_only(str(store))
    n = _count(s, f"GRAPH <{NATIONAL_GRAPH}> {{ ?s ?p ?o }}")
    laws = _count(s, f"GRAPH <{NATIONAL_GRAPH}> {{ ?s a <{LG.NationalLaw}> }}")
    bill = _count(s, f"GRAPH <{BILL_GRAPH}> {{ ?s ?p ?o }}")
    del s
    return {"national_triples": n, "national_laws": laws, "bill_triples": bill or None}


def _count(store: Any, pattern: str) -> int:
    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"))
    return int(rows[0]["n"].value)


def _dataset_counts(graph: Graph) -> dict[str, int | None]:
    assert isinstance(graph, Dataset)
    national = graph.graph(URIRef(NATIONAL_GRAPH))
    bill = len(graph.graph(URIRef(BILL_GRAPH)))
    return {"national_triples": len(national),
            "national_laws": len(set(national.subjects(RDF.type, LG.NationalLaw))),
            "bill_triples": bill or None}  # fmt: skip


def _file_hash(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_path(store: Path) -> Path:
    """Where the manifest of the store at ``store`` lives (beside it)."""
    return store.with_name(store.name + ".manifest.json")


def _items(members: list[Member]) -> Iterator[tuple[str, bytes, str]]:
    for m in members:
        if m.problem:
            yield m.name, b"", m.problem
            continue
        try:
            yield m.name, m.read(), ""
        except InputError as err:  # the file changed since it was listed
            yield m.name, b"", err.problem


def _parse_member(item: tuple[str, bytes, str]) -> _Parsed:
    name, blob, problem = item
    if problem:
        return _Parsed(name, error=(name, problem, "", None))
    return parse_statute((name, blob))


def _parsed(members: list[Member], workers: int) -> Iterator[_Parsed]:
    """Every member parsed, in order: by ``workers`` processes, or here when it is 1."""
    items = _items(members)
    if workers <= 1:
        yield from map(_parse_member, items)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_parse_member, items, chunksize=4)


def _build(
    members: list[Member], index: LawIndex, out: IO[str], on_error: str,
    timings: dict[str, float], quiet: bool, workers: int,
) -> tuple[dict[str, Any], list[str], list[str], int]:  # fmt: skip
    """Parse and write every statute, then resolve and write the citations.

    Returns the counts, the skipped files, the warnings (each ``file:line: message``: what
    the reader kept but could not structure as written, kinds without a work type) and the
    number of triples written.
    """
    clock = time.perf_counter()
    skipped: list[str] = []
    warnings: list[tuple[str, str]] = []
    kinds: Counter[str] = Counter()
    known: dict[str, frozenset[str]] = {}
    pending: list[tuple[Citation, Citation | None, str, str, str]] = []
    works = triples = 0
    with progress_bar("ingest: parse", quiet=quiet, unit="file") as advance:
        for done, parsed in enumerate(_parsed(members, workers), start=1):
            advance(done, len(members))
            if _take(parsed, on_error, known, skipped):
                continue
            record = parsed.record
            assert record is not None
            out.write(parsed.nt)
            warnings.extend(parsed.warnings)
            triples += parsed.triples
            works += 1
            kinds.update(parsed.kinds)
            known[record.law_id] = frozenset(parsed.paths)
            date = record.in_force
            pending.extend(
                (c, last, sub, citing_date(sub.partition(f"/law/{record.law_id}/")[2],
                                           parsed.addenda, date), parsed.name)
                for c, last, sub in parsed.pending
            )  # fmt: skip
    timings["parse_build"] = time.perf_counter() - clock

    clock = time.perf_counter()
    texts = _CorpusTexts(known)
    status: Counter[str] = Counter()
    edges: set[tuple[str, str]] = set()
    with progress_bar("ingest: link", quiet=quiet, unit="citation") as advance:
        for done, (cit, last, sub, date, where) in enumerate(pending, start=1):
            row, _ = resolve_one(cit, last, index, texts, date, where, URIRef(sub))
            status[row.status] += 1
            if row.status == "resolved":
                edges.add((sub, row.target))
            if done % 1000 == 0 or done == len(pending):
                advance(done, len(pending))
    cites = f"<{ELI.cites}>"
    for citing, cited in sorted(edges):
        out.write(f"<{citing}> {cites} <{cited}> .\n")
    triples += len(edges) + _write_counts(edges, out)
    timings["link"] = time.perf_counter() - clock
    counts = {
        "works": works,
        "provisions": sum(kinds.values()),
        "provisions_by_kind": dict(sorted(kinds.items())),
        "citations_found": len(pending),
        "citations_by_status": dict(sorted(status.items())),
        "citations_resolved": status["resolved"],
        "cites_edges": len(edges),
        "warnings": len(warnings),
        "warnings_by_kind": dict(sorted(Counter(kind for kind, _ in warnings).items())),
    }
    return counts, skipped, [text for _, text in warnings], triples


def _take(parsed: _Parsed, on_error: str, known: dict[str, frozenset[str]],
          skipped: list[str]) -> bool:  # fmt: skip
    """Whether ``parsed`` is skipped (and listed in ``skipped``); raise with ``stop``."""
    error = parsed.error
    if parsed.record is not None and parsed.record.law_id in known:
        error = (parsed.name, f"법령ID {parsed.record.law_id} also in an earlier file",
                 "keep one file per law", 1)  # fmt: skip
    if error is None:
        return False
    if on_error == "stop":
        raise InputError(*error)
    where = f"{error[0]}:{error[3]}" if error[3] else error[0]
    skipped.append(f"{where}: {' '.join(error[1].split())}")
    return True


def law_citations(edges: Iterable[tuple[str, str]]) -> tuple[Counter[str], set[tuple[str, str]]]:
    """Materialised views of the edges: citing provisions per cited node, and law-level edges.

    A law cites another when one of its provisions cites the other or one of its parts.
    """
    cited_by: Counter[str] = Counter()
    laws: set[tuple[str, str]] = set()
    for citing, cited in edges:
        cited_by[cited] += 1
        by, law = ids.national_law_of(citing), ids.national_law_of(cited)
        if law is not None and by is not None and by != law:
            laws.add((by, law))
    return cited_by, laws


def _write_counts(edges: set[tuple[str, str]], out: IO[str]) -> int:
    """Write lg:citedByCount, lg:citesLaw and lg:citingLawCount; how many triples."""
    cited_by, laws = law_citations(edges)
    citing_laws = Counter(law for _, law in laws)
    integer = f"^^<{XSD.integer}> ."
    for prop, counts in ((LG.citedByCount, cited_by), (LG.citingLawCount, citing_laws)):
        for node, n in sorted(counts.items()):
            out.write(f'<{node}> <{prop}> "{n}"{integer}\n')
    for by, law in sorted(laws):
        out.write(f"<{by}> <{LG.citesLaw}> <{law}> .\n")
    return len(cited_by) + len(citing_laws) + len(laws)


class _Reading:
    """A binary file that reports the bytes read so far (the load's progress bar)."""

    def __init__(self, handle: IO[bytes], done: int, total: int, advance: Advance):
        self.handle, self.done, self.total, self.advance = handle, done, total, advance
        self.reported = done

    def read(self, size: int = -1) -> bytes:
        block = self.handle.read(size)
        self.done += len(block)
        if self.done - self.reported >= 1 << 22 or not block:
            self.advance(self.done, self.total)
            self.reported = self.done
        return block


def _load(fresh: Path, nt_path: Path, bill: Path | None, advance: Advance) -> None:
    import pyoxigraph as ox

    # read through a file object (as fast as a path: measured on 10 % of the corpus) to
    # follow the load by bytes
    total = nt_path.stat().st_size + (bill.stat().st_size if bill is not None else 0)
    store = ox.Store(str(fresh))
    with nt_path.open("rb") as handle:
        reading = _Reading(handle, 0, total, advance)
        store.bulk_load(cast(IO[bytes], reading), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.NamedNode(NATIONAL_GRAPH), lenient=True)  # fmt: skip
    if bill is not None:  # validated by `legigraph build`: parsed strictly all the same
        with bill.open("rb") as handle:
            store.bulk_load(cast(IO[bytes], _Reading(handle, reading.done, total, advance)),
                            format=ox.RdfFormat.N_TRIPLES,
                            to_graph=ox.NamedNode(BILL_GRAPH))  # fmt: skip
    # no optimize(): a quarter of the load time, and no query of queries/ got faster
    store.flush()
    del store  # lenient: the file is our own writer's output, tested to parse strictly


def iter_skipped(manifest: dict[str, Any]) -> Iterator[str]:
    """The skipped files of a manifest, one ``file:line: reason`` each."""
    yield from manifest.get("skipped", [])
