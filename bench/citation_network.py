"""Find and resolve every citation of the national statute corpus: the citation network.

    python bench/citation_network.py PATH [--sample 240] [--seed 1] [--jobs 2]
        [--out bench/results/citation_network.json] [--sample-out docs/linking-sample.tsv]

PATH is legalize-kr's statute corpus: ``statutes-kr.tar.xz`` (read as a stream, one member
at a time), or a directory holding ``kr/`` or the ``kr`` directory itself. Every provision
text of every statute is scanned with ``find_citations``; each citation is resolved with
the rules of ``link.resolve_one``:

* explicit 「…」 names: ``LawIndex.resolve`` with ``index_all_laws.csv`` as of the citing
  file's 시행일자;
* relative references (``legigraph.link.relative``, as the ingest resolves them): same-law
  (같은 법, 동법 …) the last law of the same word cited before it in the article; alias (법,
  영, a name defined by 이하 "…") by the definitions before it and the statute's family;
  decree (대통령령, 같은 법 시행령 …) the decree of the law or family; same-article and
  same-paragraph (같은 조, 같은 항) the last provision cited before it;
* self (이 법, 이 영, a bare 제N조): the citing statute itself; a bare 제2항 or 제3호
  (``self-context``) the citing article's or paragraph's;
* bill provisions (안 제N조): skipped.

Then the cited provision (both ends of a range, each member of a list) must exist in the
cited statute's text (read from the same corpus). An annex or form (별표 1, 별표 1 제2호,
별지 제3호서식) is linked to its node and counted (``annexes``); 부칙 provisions and
context-relative ones (a 0 level: 제2항 of "this article") are not linked, as in the build.
Prints a summary, writes the counts as JSON and a random sample (fixed seed, stratified by
relation) of resolved citations as TSV for checking by hand; the columns ``correct`` and
``note`` of an existing sample file are kept for the rows it still holds. ``--relative-sample
N --relative-out FILE`` draws a second sample, of the relative references only
(``RELATIVE_SAMPLED``, N split evenly), with the rule that decided each.
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import heapq
import json
import os
import re
import resource
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legigraph.errors import InputError
from legigraph.link.citations import Citation, Provision, format_citation
from legigraph.link.citing import citable_text
from legigraph.link.relative import Referent, family, is_context, referents
from legigraph.link.resolve import LawIndex, LawRecord, read_law_index
from legigraph.link.resolver import with_tables
from legigraph.model.records import LawText
from legigraph.model.text import nfc
from legigraph.paths import Layout
from legigraph.sources.ordinance import read_law_text

RELATIONS = ("explicit", "same-law", "self", "self-context", "alias", "decree", "same-article",
             "same-paragraph")  # fmt: skip
SAMPLED = ("explicit", "same-law", "self")
RELATIVE_SAMPLED = ("same-law", "self-context", "alias", "decree", "same-article", "same-paragraph")
NO_REFERENT = "relative: nothing before it (or no parent law) says what it means"
RELATIVE = "relative, not resolved"
CHECKED = "provision checked against the text"
UNCHECKED = "provision not checked: the cited text is not readable"
NEWER_LATER = "law chosen by the date rule while a same-named law enters into force later"
CITED_LATER = "cited law's text in the corpus enters into force after the citing date"
MISSING_IN_ADDENDA = "provisions that do not exist, cited from addenda (부칙)"
SELF_IN_ADDENDA = "self citations resolved inside addenda (부칙)"
STATUSES = ("resolved", "ambiguous", "unresolved", "relative", "skipped")
SAMPLE_COLUMNS = (
    "id",
    "relation",
    "kind",
    "citing_file",
    "citing_provision",
    "sentence",
    "citation",
    "cited_law_id",
    "cited_name",
    "cited_file",
    "target",
    "rule",
    "correct",
    "note",
)
CONTEXT = 60
_NAME_END = re.compile(r".*?(법률|시행령|시행규칙|법|령|규칙|규정|조례|협약|협정|조약)$")

Outcome = tuple[str, str, str, str]  # relation, kind, status, reason class


# A citation whose law resolved and whose provisions wait for the cited text: relation,
# kind, 법령ID of the citing and of the cited statute, paths, labels, in addenda. A plain
# tuple: a worker sends a great many of them, and tuples are the cheapest to pickle.
Pending = tuple[str, str, str, str, tuple[str, ...], tuple[str, ...], bool]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A citation that may enter the sample (its law resolved); ordered by ``key``."""

    key: int
    relation: str
    kind: str
    member: str
    provision: str  # path of the citing provision
    label: str  # label of the citing provision
    start: int
    end: int
    citation: str  # canonical form
    rule: str  # the rule of legigraph.link.relative that decided
    cited: LawRecord
    paths: tuple[str, ...]
    labels: tuple[str, ...]
    sentence: str  # the citation in its context, as the sample shows it


@dataclass
class FileResult:
    """What one statute file contributes."""

    member: str
    error: str = ""
    law_id: str = ""
    paths: frozenset[str] = frozenset()
    provisions: int = 0
    in_addenda: int = 0
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    details: Counter[tuple[str, str]] = field(default_factory=Counter)
    edges: set[str] = field(default_factory=set)
    flags: Counter[str] = field(default_factory=Counter)
    pending: Counter[Pending] = field(default_factory=Counter)
    candidates: list[Candidate] = field(default_factory=list)
    annexes: Counter[str] = field(default_factory=Counter)  # annex/form node → its citations


# --- reading the corpus ---------------------------------------------------------------


def members(root: Path) -> Iterator[tuple[str, Path | bytes]]:
    """``(kr/…/file.md, path or bytes)`` for every statute file of a tarball or directory."""
    if root.is_file():
        with tarfile.open(root, mode="r|*") as tar:
            for info in tar:
                if info.isfile() and info.name.endswith(".md"):
                    handle = tar.extractfile(info)
                    if handle is not None:
                        yield nfc(info.name.removeprefix("./")), handle.read()
        return
    base = root if (root / "kr").is_dir() else root.parent
    for path in sorted((base / "kr").rglob("*.md")):
        yield nfc(path.relative_to(base).as_posix()), path


def read_member(member: str, source: Path | bytes, scratch: Path) -> LawText:
    """Read one file with ``read_law_text``; a tar member goes through a scratch file."""
    if isinstance(source, Path):
        return read_law_text(source)
    path = scratch / f"member-{os.getpid()}.md"
    path.write_bytes(source)
    return read_law_text(path)


# --- resolving, in the worker processes -------------------------------------------------


@dataclass
class _Worker:
    index: LawIndex
    scratch: Path
    seed: int
    keep: int


_STATE: list[_Worker] = []


def init_worker(index_path: Path, scratch: Path, seed: int, keep: int) -> None:
    _fewer_collections()
    _STATE[:] = [_Worker(_index(index_path), scratch, seed, keep)]


def _fewer_collections() -> None:
    """Collect cyclic garbage less often: a file makes some hundred thousand objects, none
    of them in a cycle, and the default (a collection every 700) costs a tenth of a run."""
    gc.set_threshold(GC_THRESHOLD, 20, 20)


def _index(index_path: Path) -> LawIndex:
    """The index with the linking tables (namesake dates, former names), as the ingest has it."""
    return with_tables(read_law_index(index_path), Layout.default().data)


def sample_key(seed: int, member: str, provision: str, start: int) -> int:
    """A reproducible pseudo-random 64-bit key of one citation."""
    return sample_keys(seed, member)(provision, start)


def sample_keys(seed: int, member: str) -> Callable[[str, int], int]:
    """``sample_key`` of the citations of one file (the hash of its part said once)."""
    common = hashlib.blake2b(f"{seed}|{member}|".encode(), digest_size=8)

    def key(provision: str, start: int) -> int:
        digest = common.copy()
        digest.update(f"{provision}|{start}".encode())
        return int.from_bytes(digest.digest(), "big")

    return key


_LABELS: dict[Provision, str] = {}


def cited_labels(ref: Referent) -> tuple[str, ...]:
    """The label of each provision ``ref`` cites (its path when it has none)."""
    return tuple(_label(p) or path for p, path in zip(ref.provisions, ref.paths, strict=True))


def _label(prov: Provision) -> str:
    """``prov.label``, once per provision: a corpus cites the same ones again and again."""
    if (label := _LABELS.get(prov)) is None:
        if len(_LABELS) >= 1 << 17:
            _LABELS.clear()  # a bound on the memory of a worker
        label = _LABELS[prov] = prov.label
    return label


def unlinked(path: str, addendum: bool) -> str:
    """Why a provision path is not linked at all, or ""."""
    if addendum:
        return "부칙 provision: not linked"
    if "_0" in path and any(step.split("_")[1].split("-")[0] == "0" for step in path.split("/")):
        return "context-relative provision (level 0): not linked"
    return ""


def check(
    paths: tuple[str, ...], labels: tuple[str, ...], text: frozenset[str] | None
) -> tuple[str, str] | None:
    """The reason and the label of the first provision missing from ``text``, if any."""
    if text is None:
        return None  # not at hand: not checked, as in the build
    for path, label in zip(paths, labels, strict=True):
        if path not in text:
            article = path.split("/")[0]
            if article == path or article not in text:
                return "provision does not exist (no such article)", label
            return "provision does not exist (the article has no such subdivision)", label
    return None


def scan_batch(batch: list[tuple[str, Path | bytes]], limits: dict[str, int]) -> list[FileResult]:
    """``scan`` of each file of ``batch`` (one task of a worker process)."""
    return [scan(member, source, limits) for member, source in batch]


def scan(member: str, source: Path | bytes, limits: dict[str, int] | None = None) -> FileResult:
    """Find and resolve the citations of one statute file (except the cross-law check).

    ``limits``: per relation, the largest key that can still enter the sample (the
    corpus's ``keep``-th smallest so far); no candidate is built above it.
    """
    state = _STATE[0]
    limits = limits or {}
    result = FileResult(member)
    try:
        law = read_member(member, source, state.scratch)
    except InputError as err:
        result.error = err.problem
        return result
    meta = law.meta
    result.law_id = str(meta.get("법령ID") or member)
    own = LawRecord(
        law_id=result.law_id,
        serial=str(meta.get("법령MST", "")),
        name=law.title,
        kind=str(meta.get("법령구분", "")),
        promulgated=str(meta.get("공포일자", "")),
        promulgation_number=str(meta.get("공포번호", "")),
        in_force=str(meta.get("시행일자", "")),
        path=member,
    )
    date = str(meta.get("시행일자") or meta.get("공포일자") or "") or None
    provisions = list(law.walk())
    labels_of = {p.path: p.label for p in provisions}
    result.paths = frozenset(labels_of)
    heaps: dict[str, list[tuple[int, int, Candidate]]] = {r: [] for r in RELATIONS}
    serial = 0
    result.provisions = len(labels_of)
    fam = family(law, own.kind)
    texts = [(p.path, citable_text(p)) for p in provisions]
    text_of = dict(texts)
    key_of = sample_keys(state.seed, member)
    for path, cit, ref in referents(law, fam, texts):
        in_addenda = path.startswith("addendum_")
        relation = cit.relation
        if relation == "self":
            for prov in cit.provisions:
                if is_context(prov):
                    relation = "self-context"
                    break
        found = resolve(cit, ref, relation, own, date, state.index, result, in_addenda)
        if found is None or ref is None:
            continue
        if relation == "self" and in_addenda:
            result.flags[SELF_IN_ADDENDA] += 1
        record, paths = found
        key = key_of(path, cit.start)
        heap = heaps[relation]
        if key > limits.get(relation, key) or (len(heap) >= state.keep and -heap[0][0] <= key):
            continue  # not among the smallest keys: no candidate to build
        cand = Candidate(key, relation, cit.kind, member, path, labels_of[path], cit.start,
                         cit.end, format_citation(cit), ref.rule, record, paths, cited_labels(ref),
                         context(text_of[path], cit.start, cit.end))  # fmt: skip
        serial += 1
        if len(heap) < state.keep:
            heapq.heappush(heap, (-key, serial, cand))
        else:
            heapq.heapreplace(heap, (-key, serial, cand))
    result.candidates = [c for heap in heaps.values() for _, _, c in heap]
    return result


def context(text: str, start: int, end: int) -> str:
    """``text[start:end]`` marked ⟦…⟧ with ``CONTEXT`` characters each side, spaces joined."""
    sentence = (
        text[max(0, start - CONTEXT) : start]
        + "⟦"
        + text[start:end]
        + "⟧"
        + text[end : end + CONTEXT]
    )
    return " ".join(sentence.split())


def resolve(  # noqa: C901 - one branch per citation form, as the linker it measures
    cit: Citation,
    ref: Referent | None,
    rel: str,
    own: LawRecord,
    date: str | None,
    index: LawIndex,
    result: FileResult,
    in_addenda: bool,
) -> tuple[LawRecord, tuple[str, ...]] | None:
    """Count one citation; the cited record and provision paths when its law resolved."""
    kind = cit.kind

    result.in_addenda += in_addenda

    def count(status: str, reason: str, detail: str = "") -> None:
        result.outcomes[rel, kind, status, reason] += 1
        if in_addenda and reason.startswith("provision does not exist"):
            result.flags[MISSING_IN_ADDENDA] += 1
        if detail:
            result.details[reason, detail] += 1

    if cit.draft:
        count("skipped", "a provision of a bill (안 제N조)")
        return None
    if ref is None:
        count("unresolved", NO_REFERENT, f"{rel}: {cit.law or cit.text}")
        return None
    if ref.law is None:
        record = own
    else:
        name = ref.law
        res = index.resolve(name, date)
        if res.record is None:
            if res.status == "ambiguous":
                count("ambiguous", "several laws of the name", name)
            elif res.reason.startswith("none of the laws"):
                count("unresolved", "no law of the name in force on the citing date", name)
            else:
                count("unresolved", "unknown name", f"{ref.rule}: {name}")
            return None
        record = res.record
        if date and record.in_force > date:
            result.flags[CITED_LATER] += 1
        if later := [
            c.law_id for c in res.candidates if c is not record and date and c.in_force > date
        ]:
            # The index dates each law's current version: a newer law of the name whose
            # current version enters into force after the citing date loses to an old one.
            result.flags[NEWER_LATER] += 1
            result.details[NEWER_LATER, f"{name}: {record.law_id}, not {', '.join(later)}"] += 1
    if (number := cit.form if cit.form is not None else cit.annex) is not None:
        what = "form" if cit.form is not None else "annex"
        if cit.addendum:
            count("unresolved", f"{what} of a 부칙: not linked")
            return None
        # linked to its node, as link.resolve_one: the corpus holds no annex list to check
        count("resolved", f"{what}: linked to its node (not checked: no annex list)")
        result.annexes[f"{record.law_id}|{what}|{number}"] += 1
        if record.law_id != own.law_id:
            result.edges.add(record.law_id)
        return record, ()
    if not cit.provisions:
        count("resolved", "no provisions (a law alone): linked to the law")
        if record.law_id != own.law_id:
            result.edges.add(record.law_id)
        return record, ()
    paths = ref.paths
    for path in paths:
        if why := unlinked(path, cit.addendum):
            count("unresolved", why)
            return None
    if record is not own:
        labels = cited_labels(ref)
        result.pending[rel, kind, result.law_id, record.law_id, paths, labels, in_addenda] += 1
        return record, paths
    own_paths = result.paths
    if not all(path in own_paths for path in paths) and (
        missing := check(paths, cited_labels(ref), own_paths)
    ):
        count("unresolved", missing[0], f"「{own.name}」 {missing[1]}")
        return None
    count("resolved", CHECKED)
    return record, paths


# --- the whole corpus ------------------------------------------------------------------


@dataclass
class Totals:
    """The corpus counts, merged from the file results.

    A citation of another statute is checked as soon as that statute's text is at hand
    (``pending`` keeps the rest until ``settle``). ``limits`` is, per relation, the largest
    key among the ``keep`` smallest so far: what the workers need to build no candidate
    that cannot enter the sample.
    """

    index: LawIndex
    keep: int  # the candidates of a relation with the smallest keys are a uniform sample
    files: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    failed_files: list[str] = field(default_factory=list)
    provisions: int = 0
    in_addenda: int = 0
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    details: Counter[tuple[str, str]] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)
    edges: set[tuple[str, str]] = field(default_factory=set)
    self_loops: set[str] = field(default_factory=set)
    texts: dict[str, frozenset[str]] = field(default_factory=dict)
    pending: Counter[Pending] = field(default_factory=Counter)
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)
    annexes: Counter[str] = field(default_factory=Counter)  # annex/form node → its citations

    def add(self, r: FileResult) -> None:
        self.files += 1
        if r.error:
            self.failed[r.error.split(":")[0]] += 1
            self.failed_files.append(f"{r.member}: {r.error}")
            return
        self.provisions += r.provisions
        self.in_addenda += r.in_addenda
        self.outcomes.update(r.outcomes)
        self.details.update(r.details)
        self.flags.update(r.flags)
        self.edges.update((r.law_id, cited) for cited in r.edges)
        self.annexes.update(r.annexes)
        if any(o[0] == "self" and o[2] == "resolved" for o in r.outcomes):
            self.self_loops.add(r.law_id)
        self.texts[r.member] = frozenset(map(sys.intern, r.paths))
        for p, n in r.pending.items():
            if self.index.by_id[p[3]].path in self.texts:
                self._check(p, n)
            else:
                self.pending[p] += n
        keep = self.keep
        for cand in r.candidates:
            pool = self.candidates.setdefault(cand.relation, [])
            pool.append(cand)
            if len(pool) > 4 * keep:
                pool[:] = heapq.nsmallest(keep, pool, key=lambda c: c.key)
                self.limits[cand.relation] = pool[-1].key

    def _check(self, p: Pending, n: int) -> None:
        """Count ``n`` citations ``p`` against the cited statute's text."""
        relation, kind, citing, cited, paths, labels, in_addenda = p
        record = self.index.by_id[cited]
        text = self.texts.get(record.path)
        if missing := check(paths, labels, text):
            self.outcomes[relation, kind, "unresolved", missing[0]] += n
            self.details[missing[0], f"「{record.name}」 {missing[1]}"] += n
            self.flags[MISSING_IN_ADDENDA] += in_addenda * n
            return
        reason = CHECKED if text is not None else UNCHECKED
        self.outcomes[relation, kind, "resolved", reason] += n
        if citing != cited:
            self.edges.add((citing, cited))

    def settle(self) -> None:
        """Check the citations of statutes whose text came after them (or never came)."""
        for p, n in self.pending.items():
            self._check(p, n)
        self.pending.clear()

    def resolved(self, cand: Candidate) -> bool:
        if cand.relation == "self" or not cand.paths:
            return True
        return check(cand.paths, cand.labels, self.texts.get(cand.cited.path)) is None


BATCH = 8  # files per task of a worker process
GC_THRESHOLD = 20_000  # allocations between collections of the youngest generation


def run(root: Path, index_path: Path, seed: int, keep: int, jobs: int) -> Totals:
    _fewer_collections()
    totals = Totals(_index(index_path), keep)
    with tempfile.TemporaryDirectory(prefix="citation-network-") as tmp:
        _scan_all(root, (index_path, Path(tmp), seed, keep), jobs, totals)
    totals.settle()
    return totals


def _batches(root: Path) -> Iterator[list[tuple[str, Path | bytes]]]:
    batch: list[tuple[str, Path | bytes]] = []
    for item in members(root):
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _scan_all(root: Path, setup: tuple[Path, Path, int, int], jobs: int, totals: Totals) -> None:
    if jobs <= 1:
        init_worker(*setup)
        for member, source in members(root):
            totals.add(scan(member, source, totals.limits))
        return
    with ProcessPoolExecutor(jobs, initializer=init_worker, initargs=setup) as pool:
        running: set[Future[list[FileResult]]] = set()
        for batch in _batches(root):
            running.add(pool.submit(scan_batch, batch, dict(totals.limits)))
            if len(running) >= 2 * jobs:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    for result in fut.result():
                        totals.add(result)
        for fut in running:
            for result in fut.result():
                totals.add(result)


# --- the sample --------------------------------------------------------------------------


def choose(
    totals: Totals, size: int, relations: tuple[str, ...] = SAMPLED, seed: int | None = None
) -> list[Candidate]:
    """``size`` resolved citations, split evenly over ``relations``.

    With ``seed``, the candidates kept (a uniform sample by ``Candidate.key``) are ordered
    by a second key of that seed: another uniform sample, independent of the first.
    """

    def order(c: Candidate) -> int:
        return c.key if seed is None else sample_key(seed, c.member, c.provision, c.start)

    chosen: list[Candidate] = []
    for n, relation in enumerate(relations):
        want = size // len(relations) + (n < size % len(relations))
        # the pool holds the ``keep`` smallest keys and whatever came after its last trim
        kept = sorted(totals.candidates.get(relation, []), key=lambda c: c.key)[: totals.keep]
        pool = sorted(kept, key=order)
        chosen += [c for c in pool if totals.resolved(c)][:want]
    return chosen


def sample_rows(chosen: list[Candidate]) -> list[dict[str, str]]:
    """The sample as TSV rows."""
    rows = []
    for c in chosen:
        rows.append(
            {
                "id": f"{c.key:016x}",
                "relation": c.relation,
                "kind": c.kind,
                "citing_file": c.member,
                "citing_provision": c.label,
                "sentence": c.sentence,
                "citation": c.citation,
                "cited_law_id": c.cited.law_id,
                "cited_name": c.cited.name,
                "cited_file": c.cited.path,
                "target": " ; ".join(c.paths) or "(the law)",
                "rule": c.rule,
                "correct": "",
                "note": "",
            }
        )
    return rows


def write_sample(path: Path, rows: list[dict[str, str]]) -> None:
    """Write the sample, keeping the hand-checked columns of rows already judged (a row
    whose law or target changed since is to be checked again: its columns are emptied)."""
    judged: dict[str, dict[str, str]] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            judged = {r["id"]: r for r in csv.DictReader(handle, delimiter="\t")}
    for row in rows:
        old = judged.get(row["id"])
        if old and (old["cited_law_id"], old["target"]) == (row["cited_law_id"], row["target"]):
            row["correct"], row["note"] = old.get("correct", ""), old.get("note", "")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, SAMPLE_COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- the report ---------------------------------------------------------------------------


def annex_summary(annexes: Counter[str]) -> dict[str, int]:
    """Annex and form nodes cited, their citations, and the unnumbered ones (별표 제N호)."""
    out: dict[str, int] = {}
    for what in ("annex", "form"):
        nodes = {k: n for k, n in annexes.items() if k.split("|")[1] == what}
        out[f"{what}_nodes"] = len(nodes)
        out[f"{what}_citations"] = sum(nodes.values())
        out[f"{what}_nodes_unnumbered"] = sum(1 for k in nodes if not k.split("|")[2])
    return out


def summary(totals: Totals, wall: float) -> dict[str, Any]:
    out = totals.outcomes
    by_relation: dict[str, dict[str, int]] = {}
    for rel in RELATIONS:
        row = {
            s: sum(n for (r, _, st, _), n in out.items() if r == rel and st == s) for s in STATUSES
        }
        by_relation[rel] = {"found": sum(row.values()), **row}
    by_kind = Counter[str]()
    reasons: dict[str, Counter[str]] = {s: Counter() for s in STATUSES}
    not_resolved: dict[str, Counter[str]] = {}
    for (rel, kind, status, reason), n in out.items():
        by_kind[kind] += n
        reasons[status][reason] += n
        if status in ("ambiguous", "unresolved"):
            not_resolved.setdefault(rel, Counter())[reason] += n
    unknown = Counter[str]()
    for (reason, name), n in totals.details.items():
        if reason == "unknown name":
            ending = _NAME_END.match(name.replace(" ", ""))
            unknown[ending.group(1) if ending else "other"] += n
    examples: dict[str, dict[str, int]] = {}
    for (reason, detail), n in sorted(totals.details.items(), key=lambda kv: (-kv[1], kv[0])):
        group = examples.setdefault(reason, {})
        if len(group) < 25:
            group[detail] = n
    self_usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_usage = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "files": {
            "total": totals.files,
            "read": len(totals.texts),
            "failed": sum(totals.failed.values()),
            "failed_by_reason": dict(totals.failed),
            "failed_files": sorted(totals.failed_files),
        },
        "provisions": totals.provisions,
        "citations": {
            "found": sum(out.values()),
            "in_addenda": totals.in_addenda,
            **{s: sum(r[s] for r in by_relation.values()) for s in STATUSES},
        },
        "by_relation": by_relation,
        "by_kind": dict(by_kind.most_common()),
        "by_relation_kind_status": _by3(out),
        "reasons": {s: dict(c.most_common()) for s, c in reasons.items()},
        "not_resolved_by_relation": {
            r: dict(not_resolved[r].most_common()) for r in RELATIONS if r in not_resolved
        },
        "unknown_names_by_ending": dict(unknown.most_common()),
        "flags": dict(totals.flags),
        "examples": examples,
        "annexes": annex_summary(totals.annexes),
        "edges": {
            "distinct_between_laws": len(totals.edges),
            "citing_laws": len({a for a, _ in totals.edges}),
            "cited_laws": len({b for _, b in totals.edges}),
            "laws_citing_themselves": len(totals.self_loops),
        },
        "time": {
            "wall_seconds": round(wall, 1),
            "peak_rss_mib_main": round(self_usage, 1),
            "peak_rss_mib_largest_worker": round(child_usage, 1),
        },
    }


def _by3(out: Counter[Outcome]) -> dict[str, int]:
    merged: Counter[str] = Counter()
    for (rel, kind, status, _), n in out.items():
        merged[f"{rel}/{kind}/{status}"] += n
    return dict(sorted(merged.items()))


def render(report: dict[str, Any]) -> str:
    c, f, t, e = report["citations"], report["files"], report["time"], report["edges"]
    lines = [
        f"files {f['total']} (read {f['read']}, failed {f['failed']}: {f['failed_by_reason']})",
        f"provisions {report['provisions']}; citations found {c['found']} "
        f"({c['in_addenda']} in addenda)",
        f"{'relation':<15}" + "".join(f"{h:>11}" for h in ("found", *STATUSES)),
    ]
    for rel, row in report["by_relation"].items():
        lines.append(f"{rel:<15}" + "".join(f"{row[h]:>11}" for h in ("found", *STATUSES)))
    lines.append(f"{'total':<15}" + "".join(f"{c[h]:>11}" for h in ("found", *STATUSES)))
    for status in ("resolved", "ambiguous", "unresolved"):
        for reason, n in report["reasons"][status].items():
            lines.append(f"  {status:<10} {n:>8}  {reason}")
    for flag, n in report["flags"].items():
        lines.append(f"  note       {n:>8}  {flag}")
    lines.append(
        f"edges between distinct laws {e['distinct_between_laws']} "
        f"({e['citing_laws']} citing, {e['cited_laws']} cited); "
        f"{e['laws_citing_themselves']} laws cite themselves"
    )
    a = report["annexes"]
    lines.append(
        f"annex nodes {a['annex_nodes']} ({a['annex_citations']} citations), form nodes "
        f"{a['form_nodes']} ({a['form_citations']} citations); unnumbered "
        f"{a['annex_nodes_unnumbered']} annexes, {a['form_nodes_unnumbered']} forms"
    )
    lines.append(
        f"wall {t['wall_seconds']} s; peak RSS main {t['peak_rss_mib_main']} MiB, "
        f"largest worker {t['peak_rss_mib_largest_worker']} MiB"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    layout = Layout.default()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="statutes-kr.tar.xz or a directory of kr/")
    parser.add_argument(
        "--index",
        type=Path,
        default=layout.data / "external" / "legalize-kr" / "index_all_laws.csv",
    )
    parser.add_argument(
        "--sample", type=int, default=240, help="sample size, split over the relations (240)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument(
        "--out", type=Path, default=layout.root / "bench" / "results" / "citation_network.json"
    )
    parser.add_argument(
        "--sample-out", type=Path, default=layout.root / "docs" / "linking-sample.tsv"
    )
    parser.add_argument("--relative-sample", type=int, default=0,
                        help="size of a sample of relative references (0: none)")  # fmt: skip
    parser.add_argument("--relative-seed", type=int, default=13)
    parser.add_argument(
        "--relative-out", type=Path, default=layout.root / "tests" / "linking" / "relative.tsv"
    )
    args = parser.parse_args(argv)
    if not args.path.exists():
        parser.error(f"{args.path} does not exist")
    started = time.perf_counter()
    keep = 3 * (max(args.sample // len(SAMPLED), args.relative_sample) + 1)
    totals = run(args.path, args.index, args.seed, keep, args.jobs)
    scanned = time.perf_counter() - started
    chosen = choose(totals, args.sample)
    if len(chosen) < args.sample:
        print(f"warning: only {len(chosen)} resolved citations could be sampled", file=sys.stderr)
    relative = choose(totals, args.relative_sample, RELATIVE_SAMPLED, args.relative_seed)
    rows = sample_rows(chosen + relative)
    write_sample(args.sample_out, rows[: len(chosen)])
    if relative:
        write_sample(args.relative_out, rows[len(chosen) :])
    report = summary(totals, time.perf_counter() - started)
    report["time"]["scan_seconds"] = round(scanned, 1)
    report["time"]["jobs"] = args.jobs
    report["input"] = str(args.path)
    report["sample"] = {
        "file": str(args.sample_out),
        "rows": len(chosen),
        "relative": {
            "file": str(args.relative_out),
            "rows": len(relative),
            "seed": args.relative_seed,
        },
        "seed": args.seed,
        "by_relation": dict(Counter(r["relation"] for r in rows)),  # both samples
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(render(report))
    print(f"sample: {len(rows)} rows → {args.sample_out}; report → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
