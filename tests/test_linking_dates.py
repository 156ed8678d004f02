"""Namesakes: enactment and repeal dates from the records' texts, and the date rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from legigraph.link.citing import citing_date
from legigraph.link.dates import COLUMNS, derive, read_dates
from legigraph.link.mine import namesake_dates
from legigraph.link.resolve import LawRecord, read_law_index
from legigraph.link.resolver import choose_namesake, with_tables
from legigraph.sources.ordinance import read_law_bytes
from tests.conftest import ROOT
from tests.corpus import corpus_dir  # noqa: F401 (a fixture)

DATA = ROOT / "data"
TABLE = DATA / "linking" / "record-dates.tsv"
INDEX = with_tables(read_law_index(DATA / "external" / "legalize-kr" / "index_all_laws.csv"), DATA)


# Real namesakes of the index: (name, citing date, 법령ID meant).
CASES = [
    ("근로기준법", "1990-01-01", "001769"),  # the 1953 Act, repealed 1997-03-13 (its repeal text)
    ("근로기준법", "2020-06-01", "001872"),  # the 1997 Act; its current version is of 2027
    ("근로기준법", "2027-06-01", "001872"),
    ("형사소송법", "1950-01-01", "113432"),  # 군정법령 제181호 before the 1954 Act
    ("형사소송법", "2024-01-01", "001671"),  # current version in force 2027: still the Act
    ("특허법", "1930-01-01", "215640"),  # 조선총독부법률
    ("특허법", "1950-01-01", "101453"),  # 군정법령
    ("특허법", "1985-01-01", "001455"),  # the Act (earliest 부칙 1990: an upper bound)
    ("검찰청법", "1955-01-01", "001286"),  # the 1949 Act over 군정법령 제213호
    ("검찰청법", "2027-01-01", "001286"),  # repealed 2026-10-02: a stale reference to it
    ("지속가능발전 기본법", "2015-01-01", "010505"),
    ("지속가능발전 기본법", "2023-05-22", "014217"),
    ("헌법재판소법", "2010-01-01", "011233"),  # a duplicate (001419) stops in 1997
    ("방송법", "1975-01-01", "014463"),  # the 1963 Act repealed by 언론기본법 (1980)
    ("방송법", "2005-01-01", "000794"),
    ("우편법", "1955-01-01", "001682"),  # the 1950 Act, repealed 1960
    ("우편법", "1940-01-01", "101682"),  # 우편령 of 1916: of two copies, the later (군정법령)
    ("우편법", "1965-01-01", "001735"),
    ("기업구조조정촉진법", "2015-01-01", "010500"),
    ("기업구조조정촉진법", "2024-06-01", "014555"),
]


@pytest.mark.parametrize(("name", "on", "law_id"), CASES)
def test_namesakes_by_enactment_and_repeal(name: str, on: str, law_id: str) -> None:
    res = INDEX.resolve(name, on)
    assert res.status == "resolved", res.reason
    assert res.record is not None and res.record.law_id == law_id, res.reason
    assert res.rule == "namesake-date"
    others = {c.law_id for c in res.candidates} - {law_id}
    assert all(f"not {o}" in res.reason for o in others), res.reason


def test_the_old_rule_picked_the_repeal_stub() -> None:
    # The current version of 근로기준법 enters into force in 2027: by 시행일자 alone the
    # 1997 repeal stub won for a 2020 citation.
    plain = read_law_index(DATA / "external" / "legalize-kr" / "index_all_laws.csv")
    assert plain.resolve("근로기준법", "2020-06-01").record.law_id == "001769"  # type: ignore[union-attr]


def test_no_date_is_ambiguous() -> None:
    assert INDEX.resolve("형사소송법", None).status == "ambiguous"


def test_every_namesake_has_dates() -> None:
    shared = {r.law_id for g in INDEX.by_name.values() if len(g) > 1 for r in g}
    dates = read_dates(TABLE)
    assert shared == set(dates)
    for row in dates.values():
        assert row.enacted or row.repealed, row
        assert row.enacted_evidence and (row.repealed_evidence or not row.repealed)


def test_table_is_canonical() -> None:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(COLUMNS)
    assert "\\u" not in TABLE.read_text(encoding="utf-8")
    names = [(line.split("\t")[1].replace(" ", ""), line.split("\t")[0]) for line in lines[1:]]
    assert names == sorted(names)


def _record(**kw: str) -> LawRecord:
    base = {
        "law_id": "1",
        "serial": "1",
        "name": "가법",
        "kind": "법률",
        "promulgated": "1990-01-01",
        "promulgation_number": "100",
        "in_force": "1990-01-01",
        "path": "kr/가법/법률.md",
    }
    return LawRecord(**{**base, **kw})


def test_derive_a_repeal_text() -> None:
    text = (
        "---\n제목: 가법\n---\n# 가법\n\n가법은 이를 폐지한다.\n\n## 부칙\n\n"
        "부칙 <제100호,1990.1.1>\n이 법은 공포한 날부터 시행한다.\n"
    )
    law = read_law_bytes(Path("kr/가법/법률.md"), text.encode())
    row = derive(law, _record())
    assert (row.enacted, row.repealed) == ("", "1990-01-01")
    assert "폐지한다" in row.repealed_evidence


def test_derive_a_single_version_and_an_old_regime_law() -> None:
    text = (
        "---\n제목: 가법\n---\n##### 제1조 (목적)\n\n목적.\n\n##### 제2조 (정의)\n\n정의.\n\n"
        "## 부칙\n\n부칙 <제100호,1947.3.5>\n시행한다.\n"
    )
    law = read_law_bytes(Path("kr/가법/군정법령.md"), text.encode())
    row = derive(law, _record(kind="군정법령", promulgated="1947-03-05"))
    assert (row.enacted, row.enacted_bound, row.repealed) == ("1947-03-05", "exact", "1962-01-20")


def test_unknown_dates_make_namesakes_ambiguous() -> None:
    res = choose_namesake("가법", [_record(), _record(law_id="2")], {}, "2000-01-01")
    assert res.status == "ambiguous" and "without enactment" in res.reason


def test_citing_date_of_an_addendum() -> None:
    dates = {"addendum_5305": "1997-03-13"}
    assert citing_date("addendum_5305/art_2", dates, "2026-01-01") == "1997-03-13"
    assert citing_date("art_2/para_1", dates, "2026-01-01") == "2026-01-01"


def test_table_is_what_the_corpus_gives(corpus_dir: Path) -> None:  # noqa: F811
    mined = {r.law_id: r for r in namesake_dates(corpus_dir, INDEX)}
    assert mined == read_dates(TABLE)
