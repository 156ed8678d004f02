"""Precision and recall of national-law linking on a hand-checked sample of corpus citations.

    python bench/linking_eval.py draw CORPUS [--size 400] [--seed 13] [--out FILE] [--only CLASS]
    python bench/linking_eval.py score [--sample tests/linking/sample.tsv] [--corpus CORPUS]

CORPUS is ``statutes-kr.tar.xz`` or a folder holding its ``kr/``.

**draw** takes every 「…」 of the article text of the corpus (articles, paragraphs, items
and sub-items with their headings; not 부칙, not preambles) with a plain regular
expression, independent of the citation parser and of the resolver, and keeps the
``size`` with the smallest keys ``blake2b(seed|file|provision|offset)``: a uniform sample,
the same on every run. Each row has the sentence (±60 characters, the name in ⟦ ⟧) and
the citing version's date; ``expected_law_id`` / ``expected_name`` / ``decided`` / ``note``
are filled by hand (a redraw keeps them for the rows it still draws).

**score** links every row twice — *before* (the resolver of the ingest before issue 13:
``LawIndex.resolve``, article text without headings) and *after* (``linking.Resolver``
with the committed tables, headings scanned) — and counts, by class of the expected
outcome, how many rows were linked, how many of those to the expected law (precision) and
how many rows with an expected law were linked to it (recall; a row whose expected target
is ``-`` — a treaty, a 고시, a law outside the index — is right when left unlinked). Rows
marked ``undecided`` are left out. The parser must find the citation at that offset for
it to be linked at all (``find_citations``, explicit relation).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import heapq
import math
import re
import sys
import tarfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from legigraph.link.aliases import names_former
from legigraph.link.citations import find_citations
from legigraph.link.citing import citable_text, citing_date
from legigraph.link.dates import addendum_dates
from legigraph.link.resolve import LawIndex, normalise_name, read_law_index
from legigraph.link.resolver import with_tables
from legigraph.model import ids
from legigraph.model.records import LawText
from legigraph.paths import Layout
from legigraph.sources.ordinance import read_law_bytes

LAYOUT = Layout.default()
INDEX_CSV = LAYOUT.data / "external" / "legalize-kr" / "index_all_laws.csv"
SAMPLE = LAYOUT.root / "tests" / "linking" / "sample.tsv"
COLUMNS = (
    *("id", "citing_file", "citing_law_id", "citing_provision", "in_heading", "date", "name"),
    *("sentence", "class", "expected_law_id", "expected_name", "decided", "note"),
)
HAND = ("expected_law_id", "expected_name", "decided", "note")
_NAME = re.compile(r"「([^「」\n]{1,200})」")
CONTEXT = 60


def members(source: Path) -> Iterator[tuple[str, bytes]]:
    """``(kr/…/file.md, bytes)`` of every statute file, in name order."""
    if source.is_file():
        with tarfile.open(source, mode="r|*") as tar:
            found = {}
            for info in tar:
                if info.isfile() and info.name.endswith(".md") and "/kr/" in f"/{info.name}":
                    handle = tar.extractfile(info)
                    if handle is not None:
                        found[info.name.removeprefix("./")] = handle.read()
        yield from sorted(found.items())
        return
    root = source if (source / "kr").is_dir() else source.parent
    for path in sorted((root / "kr").glob("*/*.md")):
        yield path.relative_to(root).as_posix(), path.read_bytes()


def key(seed: int, member: str, path: str, start: int) -> int:
    digest = hashlib.blake2b(f"{seed}|{member}|{path}|{start}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big")


def article_provisions(law: LawText, part: str = "art_") -> Iterator[tuple[str, str, int]]:
    """``(path, citable text, heading length)`` of every provision of the articles (or,
    with ``part="addendum_"``, of the 부칙)."""
    for prov in law.walk():
        if prov.path.startswith(part):
            text = citable_text(prov)
            yield prov.path, text, len(text) - len(prov.text)


def names_a_decree(name: str) -> bool:
    """Whether a cited name is of a subordinate instrument (시행령, 시행규칙, …령, …규칙, 규정)."""
    return normalise_name(name).endswith(("령", "규칙", "규정"))


def classify(name: str, index: LawIndex) -> str:
    """The class a row starts in; "not in the index" is refined by hand (former name,
    mis-cited, no law of the index meant)."""
    group = index.by_name.get(normalise_name(name), [])
    return "shared name" if len(group) > 1 else "unique name" if group else "not in the index"


def draw(
    source: Path, size: int, seed: int, out: Path, only: list[str], addenda: bool = False,
    decrees: bool = False,
) -> int:  # fmt: skip
    index = read_law_index(INDEX_CSV)
    heap: list[tuple[int, dict[str, str]]] = []
    total = 0
    for member, blob in members(source):
        law = read_law_bytes(Path(member), blob)
        version = str(law.meta.get("시행일자") or law.meta.get("공포일자") or "")
        dated = addendum_dates(law)
        for path, text, head in article_provisions(law, "addendum_" if addenda else "art_"):
            date = citing_date(path, dated, version)  # a 부칙 is read as of its own day
            for m in _NAME.finditer(text):
                if only and classify(m.group(1), index) not in only:
                    continue
                if decrees and not names_a_decree(m.group(1)):
                    continue
                total += 1
                k = key(seed, member, path, m.start())
                if len(heap) >= size and -heap[0][0] < k:
                    continue
                sentence = (text[max(0, m.start() - CONTEXT) : m.start()] + "⟦" + m.group(0)
                            + "⟧" + text[m.end() : m.end() + CONTEXT])  # fmt: skip
                row = {"id": f"{k:016x}", "citing_file": member,
                       "citing_law_id": str(law.meta.get("법령ID", "")), "citing_provision": path,
                       "in_heading": "yes" if m.start() < head else "", "date": str(date),
                       "name": m.group(1), "sentence": " ".join(sentence.split()),
                       "class": classify(m.group(1), index)}  # fmt: skip
                item = (-k, row)
                if len(heap) < size:
                    heapq.heappush(heap, item)
                else:
                    heapq.heapreplace(heap, item)
    rows = sorted((row for _, row in heap), key=lambda r: r["id"])
    old = {r["id"]: r for r in read_rows(out)} if out.exists() else {}
    for row in rows:
        for column in HAND:
            row[column] = old.get(row["id"], {}).get(column, "")
    write_rows(out, rows)
    where = "부칙" if addenda else "article"
    print(f"{total} 「…」 in {where} text; {len(rows)} drawn (seed {seed}) into {out}")
    return 0


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def predict(row: dict[str, str], index: LawIndex, after: bool) -> tuple[str, str]:
    """The 법령ID the row links to ("" when none) and why, as the ingest would link it."""
    if not after and row["in_heading"]:
        return "", "headings were not scanned"
    sentence = row["sentence"]
    start = sentence.index("⟦")
    text = sentence.replace("⟦", "").replace("⟧", "")
    if not any(c.start == start and c.relation == "explicit" for c in find_citations(text)):
        return "", "not read as a citation by the parser"
    end = sentence.index("⟧") - 1  # in ``text``, without the two marks
    # a 부칙 (wording of its day) or 종전의 「A」: the name as it was, as the ingest reads it
    wording = ids.in_addendum("/" + row["citing_provision"]) or names_former(text, start, end)
    res = index.resolve(row["name"], row["date"] or None, wording=wording)
    return (res.record.law_id if res.record else ""), f"{res.status}: {res.reason}"


def wilson(k: int, n: int) -> str:
    if n == 0:
        return "—"
    z, p = 1.96, k / n
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{100 * p:.1f} % ({100 * (mid - half):.1f}–{100 * (mid + half):.1f})"


def score(sample: Path, show: bool) -> int:
    rows = [r for r in read_rows(sample) if r["decided"] != "undecided"]
    undecided = sum(1 for r in read_rows(sample) if r["decided"] == "undecided")
    unfilled = [r["id"] for r in rows if not r["expected_law_id"]]
    if unfilled:
        print(f"score: {len(unfilled)} rows have no expected_law_id (first {unfilled[0]}); "
              "fill them or mark them undecided", file=sys.stderr)  # fmt: skip
        return 2
    plain = read_law_index(INDEX_CSV)
    resolvers = {"before": plain, "after": with_tables(plain, LAYOUT.data)}
    print(f"sample {sample.name}: {len(rows)} rows decided, {undecided} undecided\n")
    print("| class | rows | run | linked | correct | precision (95 % Wilson) "
          "| recall (95 % Wilson) | rows right |")  # fmt: skip
    print("|---|---:|---|---:|---:|---|---|---:|")
    classes = Counter(_class(r) for r in rows)
    for cls in [*sorted(classes), "all"]:
        group = [r for r in rows if cls in ("all", _class(r))]
        for run, index in resolvers.items():
            linked = correct = right = wanted = ok = 0
            for r in group:
                got, why = predict(r, index, run == "after")
                expected = r["expected_law_id"]
                linked += bool(got)
                correct += bool(got) and got == expected
                wanted += expected != "-"
                right += (got == expected) if expected != "-" else 0
                ok += got == (expected if expected != "-" else "")
                if show and run == "after" and got != (expected if expected != "-" else ""):
                    print(f"  MISS {r['id']} {r['name']} expected {expected} got {got or '-'}: "
                          f"{why[:160]}",
                          file=sys.stderr)  # fmt: skip
            print(f"| {cls} | {len(group)} | {run} | {linked} | {correct} | "
                  f"{wilson(correct, linked)} | {wilson(right, wanted)} | {ok} |")  # fmt: skip
    return 0


def _class(row: dict[str, str]) -> str:
    """The failure class a row tests: the heading, or the class checked by hand."""
    return "heading" if row["in_heading"] else row["class"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_draw = sub.add_parser("draw")
    p_draw.add_argument("corpus", type=Path)
    p_draw.add_argument("--size", type=int, default=400)
    p_draw.add_argument("--seed", type=int, default=13)
    p_draw.add_argument("--out", type=Path, default=SAMPLE)
    p_draw.add_argument("--only", action="append", default=[],
                        choices=("unique name", "shared name", "not in the index"),
                        help="draw among the names of this class only (a stratum)")  # fmt: skip
    p_draw.add_argument("--addenda", action="store_true",
                        help="draw from the 부칙 instead of the articles (a stratum)")  # fmt: skip
    p_draw.add_argument("--decrees", action="store_true",
                        help="draw among names of decrees and rules only (a stratum)")  # fmt: skip
    p_score = sub.add_parser("score")
    p_score.add_argument("--sample", type=Path, default=SAMPLE)
    p_score.add_argument("--show", action="store_true", help="list the rows linked wrongly")
    args = parser.parse_args(argv)
    if args.command == "draw":
        return draw(args.corpus, args.size, args.seed, args.out, args.only, args.addenda,
                    args.decrees)  # fmt: skip
    return score(args.sample, args.show)


if __name__ == "__main__":
    raise SystemExit(main())
