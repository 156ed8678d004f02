"""Ingest the national statute corpus (legalize-kr layout) into its own embedded store.

``legigraph ingest statutes PATH`` reads every ``kr/*/*.md`` of a legalize-kr checkout, of
the unpacked ``statutes-kr.tar.xz`` or of the archive itself (streamed, never extracted),
and writes each statute in the ELI model of the linking step (``link.describe_record`` +
``ordinance.to_graph``): the work, its current version, every subdivision with its text,
the ministries as ``dcterms:creator`` literals, and the national citation network
(``eli:cites`` from the citing work-level provision to the cited work or subdivision;
explicit 「」 citations and 같은 법 only, resolved with the name index as of the citing
file's 시행일자), with materialised views of it: ``lg:citedByCount`` per cited node,
law-level ``lg:citesLaw`` edges and ``lg:citingLawCount`` per law.

Fast path: no rdflib graph is kept. Worker processes (one per CPU) read the files and
write each statute's N-Triples as strings (``provision_lines``, tested to give the graph
of the rdflib model code); the parent appends them in corpus order to a temporary file,
resolves the citations once every statute's provisions are known, and pyoxigraph
bulk-loads the file into the named graph ``NATIONAL_GRAPH`` of a fresh store beside the
target, with the bill-1544 build in ``BILL_GRAPH``. The fresh store replaces the old one
only when complete. A manifest (counts, input hash, timings per phase) is written beside
the store.
"""

from __future__ import annotations

import hashlib
import io
import json
import lzma
import multiprocessing
import os
import shutil
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from legigraph.errors import InputError
from legigraph.io import atomic_write
from legigraph.link.citations import Citation, find_citations
from legigraph.link.linker import NationalTexts, _resolve_one, describe_record, law_page
from legigraph.link.resolve import LawIndex, LawRecord, read_law_index
from legigraph.model import ids
from legigraph.model.namespaces import ELI, LG, SCHEMA
from legigraph.model.worktypes import work_type_code
from legigraph.sources.ordinance import LawText, read_law_bytes, subdivision_kind, version_metadata

NATIONAL_GRAPH = str(ids.NATIONAL_GRAPH)
BILL_GRAPH = str(ids.bill_graph(1544))  # the `legigraph build` graph
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


# --- one statute, in a worker -------------------------------------------------------------

_SUB = {
    "type": f"<{RDF.type}>", "label": f"<{RDFS.label}>", "number": f"<{ELI.number}>",
    "kind": f"<{ELI.type_subdivision}>", "part_of": f"<{ELI.is_part_of}>",
    "has_part": f"<{ELI.has_part}>", "realizes": f"<{ELI.realizes}>",
    "realized_by": f"<{ELI.is_realized_by}>", "in_version": f"<{LG.inVersion}>",
    "dc_part_of": f"<{DCTERMS.isPartOf}>", "position": f"<{SCHEMA.position}>",
    "text": f"<{SCHEMA.text}>", "title": f"<{ELI.title}>", "note": f"<{LG.revisionNote}>",
    "derived": f"<{PROV.wasDerivedFrom}>", "see_also": f"<{RDFS.seeAlso}>",
    "subdivision": f"<{ELI.LegalResourceSubdivision}>",
    "provision_version": f"<{LG.ProvisionVersion}>",
}  # fmt: skip
_KIND_IRIS = {
    kind: f"<{ids.concept('subdivision-type', kind)}>"
    for kind in ("article", "paragraph", "item", "subitem", "addendum", "preamble", "body")
}


def _ko(text: str) -> str:
    return f'"{escape_literal(text)}"@ko'


def provision_lines(law: LawText, work: str, version: str, page: str) -> list[str]:
    """The N-Triples of every subdivision of ``law``, as ``ordinance.to_graph`` models them.

    Plus the law.go.kr article links of ``link.describe_record`` (``page`` is the law's
    page); written as strings, without rdflib terms (tests/test_ingest.py checks that both
    give the same graph).
    """
    t = _SUB
    out: list[str] = []
    add = out.append
    w_law, v_law = f"<{work}>", f"<{version}>"
    for position, prov in enumerate(law.walk(), start=1):
        parent = prov.path.rpartition("/")[0]
        w = f"<{ids.provision_iri(work, prov.path)}>"
        v = f"<{ids.provision_iri(version, prov.path)}>"
        w_parent = f"<{ids.provision_iri(work, parent)}>" if parent else w_law
        v_parent = f"<{ids.provision_iri(version, parent)}>" if parent else v_law
        label = _ko(prov.label)
        add(f"{w} {t['type']} {t['subdivision']} .")
        add(f"{w} {t['kind']} {_KIND_IRIS[subdivision_kind(prov)]} .")
        if prov.number:  # a preamble or body has none
            add(f'{w} {t["number"]} "{escape_literal(prov.number)}" .')
        add(f"{w} {t['label']} {label} .")
        add(f"{w} {t['part_of']} {w_parent} .")
        add(f"{w_parent} {t['has_part']} {w} .")
        add(f"{v} {t['type']} {t['provision_version']} .")
        add(f"{v} {t['realizes']} {w} .")
        add(f"{w} {t['realized_by']} {v} .")
        add(f"{v} {t['in_version']} {v_law} .")
        add(f"{v} {t['dc_part_of']} {v_parent} .")
        add(f'{v} {t["position"]} "{position}"^^<{XSD.integer}> .')
        add(f"{v} {t['label']} {label} .")
        if prov.text:
            add(f"{v} {t['text']} {_ko(prov.text)} .")
        if prov.heading:
            add(f"{v} {t['title']} {_ko(prov.heading)} .")
        for marker in prov.markers:
            add(f"{v} {t['note']} {_ko(marker)} .")
        add(f"{v} {t['derived']} {v_law} .")
        if prov.path.startswith("art_") and "/" not in prov.path:
            add(f"{w} {t['see_also']} <{ids.external(page + '/' + quote(prov.label))}> .")
    return out


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
    lines = provision_lines(law, str(work), str(version), page)
    parsed = _Parsed(name, buffer.getvalue() + "\n".join(lines) + "\n", record)
    parsed.triples = sink.written + len(lines)
    if work_type_code(record.kind) is None:
        line = _front_matter_line(blob, "법령구분")
        parsed.warnings.append(("unknown-work-type", f"{name}:{line}: 법령구분 {record.kind!r} "
                                "has no concept in code/work-type: no eli:work_type"))  # fmt: skip
    parsed.warnings.extend((w.kind, f"{name}:{w.line}: {w.message}") for w in law.warnings)
    for prov in law.walk():
        parsed.paths.append(prov.path)
        parsed.kinds[prov.kind] += 1
        if "「" not in prov.text:  # explicit and same-law citations need a 「」
            continue
        last: Citation | None = None
        sub = ids.provision_iri(str(work), prov.path)
        for cit in find_citations(prov.text):
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
    workers: int = 0,
    bill: Path | None = None,
) -> IngestResult:
    """Build the national graph of ``source`` into ``store`` (replaced only on success).

    ``backend="rdflib"`` is the benchmark baseline: the same pipeline, loading the same
    N-Triples into the named graphs of an in-memory ``rdflib.Dataset`` (returned) instead
    of the store.
    ``workers`` parse in parallel (0: one per CPU; 1: no worker processes). ``bill``, the
    N-Triples of ``legigraph build`` (build/legigraph.nt), goes into the named graph
    ``BILL_GRAPH`` of the same store, so that queries can cross from the bill to the
    statutes.
    """
    workers = workers or os.cpu_count() or 1
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
            counts, skipped, warnings, triples = _build(
                members, index, out, on_error, timings, quiet, workers
            )
        clock = time.perf_counter()
        graph: Graph | None = None
        if backend == "rdflib":
            graph = Dataset()
            graph.graph(URIRef(NATIONAL_GRAPH)).parse(nt_path, format="nt")
            if bill is not None:
                graph.graph(URIRef(BILL_GRAPH)).parse(bill, format="nt")
        else:
            fresh = Path(tempfile.mkdtemp(prefix=f".{store.name}.new-", dir=store.parent))
            _load(fresh, nt_path, bill)
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
        "skipped": skipped,
        "warnings": warnings,
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
    }
    if backend == "oxigraph":
        target = manifest_path(store)
        with atomic_write(target) as handle:
            handle.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return IngestResult(manifest, graph, skipped, warnings)


def _file_hash(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_path(store: Path) -> Path:
    """Where the manifest of the store at ``store`` lives (beside it)."""
    return store.with_name(store.name + ".manifest.json")


def _parsed(members: list[Member], workers: int) -> Iterator[_Parsed]:
    """Every member parsed, in order: by ``workers`` processes, or here when it is 1."""
    items = ((m.name, m.read()) for m in members)
    if workers <= 1:
        yield from map(parse_statute, items)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(parse_statute, items, chunksize=4)


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
    for done, parsed in enumerate(_parsed(members, workers), start=1):
        record = parsed.record
        error = parsed.error
        if record is not None and record.law_id in known:
            error = (parsed.name, f"법령ID {record.law_id} also in an earlier file",
                     "keep one file per law", 1)  # fmt: skip
        if error is not None:
            if on_error == "stop":
                raise InputError(*error)
            where = f"{error[0]}:{error[3]}" if error[3] else error[0]
            skipped.append(f"{where}: {' '.join(error[1].split())}")
            _progress(done, len(members), quiet)
            continue
        assert record is not None
        out.write(parsed.nt)
        warnings.extend(parsed.warnings)
        triples += parsed.triples
        works += 1
        kinds.update(parsed.kinds)
        known[record.law_id] = frozenset(parsed.paths)
        date = record.in_force
        pending.extend((c, last, sub, date, parsed.name) for c, last, sub in parsed.pending)
        _progress(done, len(members), quiet)
    timings["parse_build"] = time.perf_counter() - clock

    clock = time.perf_counter()
    texts = _CorpusTexts(known)
    status: Counter[str] = Counter()
    edges: set[tuple[str, str]] = set()
    for cit, last, sub, date, where in pending:
        row, _ = _resolve_one(cit, last, index, texts, date, where, URIRef(sub))
        status[row.status] += 1
        if row.status == "resolved":
            edges.add((sub, row.target))
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


def _load(fresh: Path, nt_path: Path, bill: Path | None) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(fresh))
    store.bulk_load(path=str(nt_path), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(NATIONAL_GRAPH), lenient=True)  # fmt: skip
    if bill is not None:  # validated by `legigraph build`: parsed strictly all the same
        store.bulk_load(path=str(bill), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.NamedNode(BILL_GRAPH))  # fmt: skip
    # no optimize(): a quarter of the load time, and no query of queries/ got faster
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
