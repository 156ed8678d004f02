"""Ingest the national statute corpus (legalize-kr layout) into its own embedded store.

``legigraph ingest statutes PATH`` reads every ``kr/*/*.md`` of a legalize-kr checkout, of
the unpacked ``statutes-kr.tar.xz`` or of the archive itself (streamed, never extracted),
and writes each statute in the ELI model of the linking step (``link.describe_record`` +
``ordinance.to_graph``): the work, its current version, every subdivision with its text,
the ministries as ``dcterms:creator`` literals, and the national citation network
(``eli:cites`` from the citing work-level provision to the cited work or subdivision;
explicit 「」 citations and 같은 법 only, resolved with the name index as of the citing
file's 시행일자).

Fast path: no rdflib graph is kept. The model code writes into ``NTriplesSink``, a Graph
whose ``add`` appends one N-Triples line to a temporary file; pyoxigraph bulk-loads that
file into the named graph ``NATIONAL_GRAPH`` of a fresh store beside the target, and the
fresh store replaces the old one only when complete. A manifest (counts, input hash,
timings per phase) is written beside the store.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import os
import shutil
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from legigraph import ids
from legigraph.citations import Citation, find_citations
from legigraph.io import InputError, atomic_write
from legigraph.link import NationalTexts, _resolve_one, describe_record
from legigraph.namespaces import ELI
from legigraph.ordinance import LawText, read_law_bytes, version_metadata
from legigraph.resolve import LawIndex, LawRecord, read_law_index

NATIONAL_GRAPH = "https://w3id.org/legigraph/graph/national"
PROGRESS_EVERY = 200
_XSD_STRING = str(XSD.string)


# --- N-Triples without an rdflib graph ------------------------------------------------------


def escape_literal(text: str) -> str:
    """The N-Triples string body of ``text`` (quotes, backslashes and line breaks escaped)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def nt_term(term: Any) -> str:
    """One term in N-Triples syntax (rdflib's ``.n3()`` would write long literals in \"\"\")."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        body = f'"{escape_literal(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{body}^^<{term.datatype}>"
        return body
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


class NTriplesSink(Graph):
    """A write-only Graph: ``add`` writes one N-Triples line; nothing is kept in memory."""

    def __init__(self, out: IO[str]):
        super().__init__()
        self.out = out
        self.written = 0

    def add(self, triple: Any) -> NTriplesSink:
        s, p, o = triple
        self.out.write(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n")
        self.written += 1
        return self


# --- input ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One corpus file: its name relative to the corpus (``kr/…/법률.md``) and a reader."""

    name: str
    size: int
    read: Callable[[], bytes]


def _is_statute(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 3 and parts[0] == "kr" and parts[2].endswith(".md")


def list_corpus(source: Path) -> tuple[list[Member], str]:
    """The statute files of ``source`` in sorted order, and the input hash.

    A directory hashes its sorted file list with sizes; an archive hashes its bytes.
    """
    if source.is_dir():
        root = source
        files = sorted(p.relative_to(root).as_posix() for p in root.glob("kr/*/*.md"))
        if not files:
            hint = "give a legalize-kr checkout or the unpacked statutes-kr.tar.xz"
            raise InputError(source, "no kr/*/*.md files here", hint)
        digest = hashlib.sha256()
        members = []
        for name in files:
            size = (root / name).stat().st_size
            digest.update(f"{name}\t{size}\n".encode())
            members.append(Member(name, size, (root / name).read_bytes))
        return members, "sha256:" + digest.hexdigest()
    if not source.is_file():
        raise InputError(source, "no such file or directory", "check the path")
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    data: dict[str, bytes] = {}
    try:
        with tarfile.open(source, mode="r|xz") as archive:  # streamed: no extraction
            for info in archive:
                if info.isfile() and _is_statute(info.name):
                    member = archive.extractfile(info)
                    assert member is not None
                    data[info.name] = member.read()
    except (tarfile.TarError, lzma.LZMAError, EOFError, OSError) as err:
        hint = "give statutes-kr.tar.xz (xz-compressed tar) or its unpacked directory"
        raise InputError(source, f"unreadable archive: {err}", hint) from err
    if not data:
        raise InputError(source, "no kr/*/*.md members in the archive", "check the archive")
    members = [Member(n, len(data[n]), _reader(data[n])) for n in sorted(data)]
    return members, "sha256:" + digest.hexdigest()


def _reader(blob: bytes) -> Callable[[], bytes]:
    return lambda: blob


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


@dataclass
class _Pending:
    """A citation waiting for every statute's provisions to be known."""

    cit: Citation
    last: Citation | None
    date: str
    where: str
    sub: URIRef


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


def _progress(done: int, total: int, quiet: bool) -> None:
    if not quiet and (done % PROGRESS_EVERY == 0 or done == total):
        print(f"ingest: {done}/{total} files", file=sys.stderr, flush=True)


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
) -> IngestResult:
    """Build the national graph of ``source`` into ``store`` (replaced only on success).

    ``backend="rdflib"`` is the benchmark baseline: the same pipeline, loading the same
    N-Triples into an in-memory ``rdflib.Graph`` (returned) instead of the store.
    """
    if on_error not in ("skip", "stop"):
        raise ValueError(f"on_error must be skip or stop, not {on_error!r}")
    if not 0 < limit_fraction <= 1:
        raise InputError(source, f"--limit-fraction {limit_fraction} is not in (0, 1]",
                         "give a fraction such as 0.25")  # fmt: skip
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    members, input_hash = list_corpus(source)
    total_files = len(members)
    members = members[: max(1, round(len(members) * limit_fraction))]
    index = read_law_index(index_path)
    timings["list"] = time.perf_counter() - clock

    store = store.resolve()
    store.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{store.name}.", suffix=".nt", dir=store.parent)
    nt_path = Path(tmp_name)
    fresh: Path | None = None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            sink = NTriplesSink(out)
            counts, skipped = _build(members, index, sink, on_error, timings, quiet)
        triples = sink.written
        clock = time.perf_counter()
        graph: Graph | None = None
        if backend == "rdflib":
            graph = Graph()
            graph.parse(nt_path, format="nt")
        else:
            fresh = Path(tempfile.mkdtemp(prefix=f".{store.name}.new-", dir=store.parent))
            _load(fresh, nt_path)
        timings["load"] = time.perf_counter() - clock
        if keep_nt is not None:
            shutil.copyfile(nt_path, keep_nt)
        clock = time.perf_counter()
        if fresh is not None:
            _replace(fresh, store)
            fresh = None
        timings["swap"] = time.perf_counter() - clock
    finally:
        nt_path.unlink(missing_ok=True)
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
    manifest: dict[str, Any] = {
        "source": str(source),
        "input_hash": input_hash,
        "index": str(index_path),
        "limit_fraction": limit_fraction,
        "graph": NATIONAL_GRAPH,
        "backend": backend,
        "store": str(store) if backend == "oxigraph" else None,
        "counts": {
            "files_in_corpus": total_files,
            "files": len(members),
            **counts,
            "skipped": len(skipped),
            "triples_written": triples,
        },
        "skipped": skipped,
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
    }
    if backend == "oxigraph":
        target = manifest_path(store)
        with atomic_write(target) as handle:
            handle.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return IngestResult(manifest, graph, skipped)


def manifest_path(store: Path) -> Path:
    """Where the manifest of the store at ``store`` lives (beside it)."""
    return store.with_name(store.name + ".manifest.json")


def _build(
    members: list[Member], index: LawIndex, sink: NTriplesSink, on_error: str,
    timings: dict[str, float], quiet: bool,
) -> tuple[dict[str, Any], list[str]]:  # fmt: skip
    """Parse and write every statute, then resolve and write the citations."""
    clock = time.perf_counter()
    skipped: list[str] = []
    kinds: Counter[str] = Counter()
    known: dict[str, frozenset[str]] = {}
    pending: list[_Pending] = []
    works = 0
    for done, member in enumerate(members, start=1):
        try:
            law = read_law_bytes(Path(member.name), member.read())
            record = statute_record(law, member.name)
            if record.law_id in known:
                raise InputError(member.name, f"법령ID {record.law_id} also in an earlier file",
                                 "keep one file per law", 1)  # fmt: skip
        except InputError as err:
            if on_error == "stop":
                raise
            where = f"{err.path}:{err.line}" if err.line else err.path
            skipped.append(f"{where}: {' '.join(err.problem.split())}")
            _progress(done, len(members), quiet)
            continue
        describe_record(sink, record, law, {"*"}, Path("."))
        work = ids.national_law(record.law_id)
        for ministry in _ministries(law.meta):
            sink.add((work, DCTERMS.creator, Literal(ministry, lang="ko")))
        works += 1
        paths = []
        for prov in law.walk():
            paths.append(prov.path)
            kinds[prov.kind] += 1
            if "「" not in prov.text:  # explicit and same-law citations need a 「」
                continue
            last: Citation | None = None
            sub = ids.provision(work, prov.path)
            for cit in find_citations(prov.text):
                if cit.relation in ("explicit", "same-law"):
                    pending.append(_Pending(cit, last, record.in_force, member.name, sub))
                if cit.relation == "explicit":
                    last = cit
        known[record.law_id] = frozenset(paths)
        _progress(done, len(members), quiet)
    timings["parse_build"] = time.perf_counter() - clock

    clock = time.perf_counter()
    texts = _CorpusTexts(known)
    status: Counter[str] = Counter()
    edges: set[tuple[URIRef, URIRef]] = set()
    for p in pending:
        row, _ = _resolve_one(p.cit, p.last, index, texts, p.date, p.where, p.sub)
        status[row.status] += 1
        if row.status == "resolved":
            edges.add((p.sub, URIRef(row.target)))
    for edge in sorted(edges):
        sink.add((edge[0], ELI.cites, edge[1]))
    timings["link"] = time.perf_counter() - clock
    counts = {
        "works": works,
        "provisions": sum(kinds.values()),
        "provisions_by_kind": dict(sorted(kinds.items())),
        "citations_found": len(pending),
        "citations_by_status": dict(sorted(status.items())),
        "citations_resolved": status["resolved"],
        "cites_edges": len(edges),
    }
    return counts, skipped


def _load(fresh: Path, nt_path: Path) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(fresh))
    store.bulk_load(path=str(nt_path), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(NATIONAL_GRAPH), lenient=True)  # fmt: skip
    store.optimize()
    store.flush()
    del store  # lenient: the file is our own writer's output, tested to parse strictly


def _replace(fresh: Path, store: Path) -> None:
    """Put ``fresh`` in place of ``store``; the old store is removed only afterwards."""
    old: Path | None = None
    if store.exists():
        old = store.with_name(f".{store.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        store.rename(old)
    fresh.rename(store)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def iter_skipped(manifest: dict[str, Any]) -> Iterator[str]:
    """The skipped files of a manifest, one ``file:line: reason`` each."""
    yield from manifest.get("skipped", [])
