"""A hand-checked sample of annex (별표) and form (별지 서식) citations of the corpus.

    python bench/annex_sample.py CORPUS [--size 25] [--seed 13]
        [--out tests/linking/annex-forms.tsv]

CORPUS is ``statutes-kr.tar.xz`` or a folder holding its ``kr/``. Every annex and form
citation the parser finds in every provision text (articles and 부칙, headings included)
gets the key ``blake2b(seed|file|provision|offset)``; the ``size`` smallest of each kind
are kept (a uniform draw per kind, the same on every run). Each row says what the ingest
makes of it — the law the citation means as ``link.relative`` reads it (empty: the citing
law itself), the rule, the annex or form number — beside the sentence (±50 characters, the
citation in ⟦ ⟧); ``correct`` and ``note`` are filled by hand and kept by a redraw for the
rows it still draws. ``tests/test_linking_annex_sample.py`` keeps the rows as a regression
test. The corpus holds no annex texts: what is checked is the reading (which law, which
number), not that the annex exists.
"""

from __future__ import annotations

import argparse
import csv
import heapq
import sys
from pathlib import Path

from linking_eval import key, members

from legigraph.errors import InputError
from legigraph.link.citations import format_citation
from legigraph.link.citing import citable_text
from legigraph.link.relative import family, referents
from legigraph.sources.ordinance import read_law_bytes

COLUMNS = ("id", "kind", "citing_file", "citing_provision", "start", "citation", "law", "rule",
           "number", "sentence", "correct", "note")  # fmt: skip
HAND = ("correct", "note")
CONTEXT = 50


def draw(source: Path, size: int, seed: int) -> list[dict[str, str]]:
    """The ``size`` annex and ``size`` form citations with the smallest keys, with what the
    ingest's reader says they mean."""
    kept: dict[str, list[tuple[int, dict[str, str]]]] = {"annex": [], "form": []}
    for name, blob in members(source):
        try:
            law = read_law_bytes(Path(name), blob)
        except InputError:
            continue
        texts = [(prov.path, citable_text(prov)) for prov in law.walk()]
        by_path = dict(texts)
        kind_of_law = str(law.meta.get("법령구분") or "")
        for path, cit, ref in referents(law, family(law, kind_of_law), texts):
            if not cit.annexed or ref is None:
                continue
            kind = "form" if cit.form is not None else "annex"
            k = key(seed, name, path, cit.start)
            text = by_path[path]
            before, after = text[max(0, cit.start - CONTEXT) : cit.start], text[cit.end :][:CONTEXT]
            words = text[cit.start : cit.end]
            sentence = f"{before}⟦{words}⟧{after}".replace("\n", " ")
            row = {"id": f"{k:016x}", "kind": kind, "citing_file": name, "citing_provision": path,
                   "start": str(cit.start), "citation": format_citation(cit),
                   "law": ref.law or "", "rule": ref.rule,
                   "number": (cit.form if kind == "form" else cit.annex) or "",
                   "sentence": sentence, "correct": "", "note": ""}  # fmt: skip
            heap = kept[kind]
            if len(heap) < size:
                heapq.heappush(heap, (-k, row))
            elif -heap[0][0] > k:
                heapq.heapreplace(heap, (-k, row))
    return [row for kind in kept for _, row in sorted(kept[kind], key=lambda e: -e[0])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--size", type=int, default=25)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=Path("tests/linking/annex-forms.tsv"))
    args = parser.parse_args(argv)
    old: dict[str, dict[str, str]] = {}
    if args.out.exists():
        with args.out.open(encoding="utf-8", newline="") as handle:
            old = {r["id"]: r for r in csv.DictReader(handle, delimiter="\t")}
    rows = draw(args.corpus, args.size, args.seed)
    for row in rows:
        before = old.get(row["id"])
        if before is not None and all(before[c] == row[c] for c in ("law", "rule", "number")):
            row.update({c: before[c] for c in HAND})
    tmp = args.out.with_name(args.out.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(args.out)
    checked = [r for r in rows if r["correct"]]
    right = sum(r["correct"] == "yes" for r in checked)
    print(f"{len(rows)} rows to {args.out}; {len(checked)} checked, {right} correct")
    return 0


if __name__ == "__main__":
    sys.exit(main())
