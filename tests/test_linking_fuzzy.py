"""Mis-cited variants: linked only when exactly one name of the index is close."""

from __future__ import annotations

import difflib

import pytest

from legigraph.link.fuzzy import _letters_bound, words
from legigraph.link.resolve import read_law_index
from legigraph.link.resolver import with_tables
from tests.conftest import ROOT

DATA = ROOT / "data"
INDEX = with_tables(read_law_index(DATA / "external" / "legalize-kr" / "index_all_laws.csv"), DATA)


# Real mis-citations of the corpus's article text, with the law meant.
@pytest.mark.parametrize(
    ("cited", "meant"),
    [
        ("감염병 예방 및 관리에 관한 법률", "감염병의 예방 및 관리에 관한 법률"),  # 의 missing
        ("연구개발특구 등의 육성에 관한 특별법", "연구개발특구의 육성에 관한 특별법"),  # 등 extra
        ("채무자의 회생 및 파산에 관한 법률", "채무자 회생 및 파산에 관한 법률"),  # 의 extra
        ("정보통신망 및 정보보호 등에 관한 법률", "정보통신망 이용촉진 및 정보보호 등에 관한 법률"),
        (
            "사법경찰관리의 직무를 행할 자와 그 직무범위에 관한 법률",
            "사법경찰관리의 직무를 수행할 자와 그 직무범위에 관한 법률",
        ),
        ("부가가치법 시행령", "부가가치세법 시행령"),
    ],
)
def test_one_close_name_is_linked(cited: str, meant: str) -> None:
    res = INDEX.resolve(cited, "2025-01-01")
    assert res.status == "resolved" and res.rule == "fuzzy", res.reason
    assert res.record is not None and res.record.name == meant
    assert res.reason.startswith("mis-cited variant")


@pytest.mark.parametrize(
    "cited",
    [
        "국제입양에 관한 특별법",  # 국내입양에 관한 특별법 and 국제입양에 관한 법률 are both close
        "농수산자조금의 조성 및 운영에 관한 법률",  # 농수산- and 축산자조금 …에 관한 법률
        "기록물 관리 규칙",
    ],
)
def test_several_close_names_are_ambiguous(cited: str) -> None:
    res = INDEX.resolve(cited, "2025-01-01")
    assert res.status == "ambiguous" and res.record is None and len(res.candidates) > 1
    assert "close to" in res.reason


@pytest.mark.parametrize(
    "cited",
    ["특허협력조약", "세계무역기구 설립을 위한 마라케쉬협정", "화물자동차 운수사업법 일부개정법률"],
)
def test_treaties_and_amending_acts_are_never_matched(cited: str) -> None:
    assert INDEX.resolve(cited, "2025-01-01").status == "unresolved"


def test_words_drop_particles() -> None:
    assert words("감염병의 예방 및 관리 등에 관한 법률") == [
        "감염병",
        "예방",
        "관리",
        "관한",
        "법률",
    ]
    assert words("회의 운영 규칙") == ["회", "운영", "규칙"]  # a word-final 의 always goes


def test_an_exact_name_says_so() -> None:
    res = INDEX.resolve("민법", "2025-01-01")
    assert res.status == "resolved" and res.rule == "name" and res.record is not None


def test_the_letters_bound_is_never_below_quick_ratio() -> None:
    """The bound that skips a rival before ``quick_ratio`` never skips one it would keep."""
    names = sorted({"".join(words(r.name)) for recs in INDEX.by_name.values() for r in recs})
    names = [n for n in names if n][:400]
    pairs = [(a, b) for a in names[::7] for b in names if abs(len(a) - len(b)) <= 4]
    assert len(pairs) > 5000
    for a, b in pairs:
        exact = difflib.SequenceMatcher(None, a, b).quick_ratio()
        assert _letters_bound(a, b, frozenset(a), frozenset(b)) >= exact, (a, b)
