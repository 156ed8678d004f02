"""The hand-checked sample of annex and form citations (tests/linking/annex-forms.tsv) as a
regression test: every row is found again in the corpus, at its provision and offset, and
must be read as the sample records — the law it means (empty: the citing law), the rule
and the annex or form number — so a change that moves a checked row fails here.

Needs the statute corpus (``tests/corpus.py``); how the rows were drawn:
``bench/annex_sample.py``, docs/linking.md.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from legigraph.link.citing import citable_text
from legigraph.link.relative import family, referents
from legigraph.sources.ordinance import read_law_bytes
from tests.conftest import ROOT
from tests.corpus import corpus_dir

__all__ = ["corpus_dir"]  # the fixture, used by name
SAMPLE = ROOT / "tests" / "linking" / "annex-forms.tsv"


def _rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_the_sample_is_checked_and_balanced() -> None:
    rows = _rows()
    kinds: defaultdict[str, int] = defaultdict(int)
    for row in rows:
        kinds[row["kind"]] += 1
        assert row["correct"] in ("yes", "no"), row["id"]
        assert row["note"], row["id"]
    assert kinds == {"annex": 25, "form": 25}
    assert len({row["id"] for row in rows}) == len(rows)


def test_each_row_is_read_as_checked(corpus_dir: Path) -> None:
    by_file = defaultdict(list)
    for row in _rows():
        by_file[row["citing_file"]].append(row)
    wrong = []
    for name, rows in sorted(by_file.items()):
        law = read_law_bytes(Path(name), (corpus_dir / name).read_bytes())
        texts = [(prov.path, citable_text(prov)) for prov in law.walk()]
        found = {
            (path, cit.start): (cit, ref)
            for path, cit, ref in referents(law, family(law, str(law.meta.get("법령구분"))), texts)
            if cit.annexed
        }
        for row in rows:
            cit, ref = found.get((row["citing_provision"], int(row["start"])), (None, None))
            if cit is None or ref is None:
                wrong.append((row["id"], "not found as an annex or form citation"))
                continue
            number = (cit.form if row["kind"] == "form" else cit.annex) or ""
            got = (ref.law or "", ref.rule, number, "form" if cit.form is not None else "annex")
            want = (row["law"], row["rule"], row["number"], row["kind"])
            if got != want:
                wrong.append((row["id"], f"read {got}, checked {want}"))
    assert not wrong, wrong

