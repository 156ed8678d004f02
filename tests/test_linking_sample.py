"""The hand-checked sample of corpus citations as a regression test (no corpus needed).

Every row holds its sentence, so the parser and the resolver run on it here; the rows
and their expected targets are described in ``bench/linking_eval.py`` and
``docs/benchmarks.md``.
"""

from __future__ import annotations

import sys

import pytest

from legigraph.link.resolve import read_law_index
from legigraph.link.resolver import with_tables
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from linking_eval import COLUMNS, predict, read_rows

DATA = ROOT / "data"
INDEX = with_tables(read_law_index(DATA / "external" / "legalize-kr" / "index_all_laws.csv"), DATA)
SAMPLES = sorted((ROOT / "tests" / "linking").glob("sample*.tsv"))  # uniform, then strata
ROWS = [(path.name, row) for path in SAMPLES for row in read_rows(path)]
# Rows the resolver gets wrong, each with the reason (pySHACL-style known failures as data).
MISSES = {r["id"]: r["why"] for r in read_rows(ROOT / "tests" / "linking" / "known-misses.tsv")}


def _param(row: dict[str, str]) -> object:
    marks = (
        [pytest.mark.xfail(reason=MISSES[row["id"]], strict=True)] if row["id"] in MISSES else []
    )
    return pytest.param(row, id=f"{row['id']}-{row['name'][:12]}", marks=marks)


def test_samples_are_complete() -> None:
    assert SAMPLES and len([r for name, r in ROWS if name == "sample.tsv"]) >= 400
    for path in SAMPLES:
        assert path.read_text(encoding="utf-8").split("\n", 1)[0].split("\t") == list(COLUMNS)
    for _, row in ROWS:
        assert row["decided"] in ("read", "undecided"), row["id"]
        assert row["expected_law_id"], row["id"]


@pytest.mark.parametrize("row", [_param(r) for _, r in ROWS if r["decided"] == "read"])
def test_each_row_links_to_its_expected_target(row: dict[str, str]) -> None:
    got, why = predict(row, INDEX, after=True)
    expected = "" if row["expected_law_id"] == "-" else row["expected_law_id"]
    assert got == expected, why


def test_uniform_sample_meets_the_targets() -> None:
    rows = [r for name, r in ROWS if name == "sample.tsv" and r["decided"] == "read"]
    results = [(predict(r, INDEX, after=True)[0], r["expected_law_id"]) for r in rows]
    linked = [(g, e) for g, e in results if g]
    wanted = [(g, e) for g, e in results if e != "-"]
    assert sum(g == e for g, e in linked) / len(linked) >= 0.99
    assert sum(g == e for g, e in wanted) / len(wanted) >= 0.95
