"""The legalize-kr Markdown reader: structure, text, markers, and errors with lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from legigraph.errors import InputError
from legigraph.sources.ordinance import read_law_text, version_metadata

ROOT = Path(__file__).resolve().parents[1]
AFTER = ROOT / "data/external/ordinance-kr/2229686/raw/1915179.md"
BEFORE = ROOT / "data/ordinance/2229686-8756.md"

STATUTE = """---
법령ID: '000001'
공포일자: 2020-01-01
공포번호: '17000'
시행일자: '2020-07-01'
---

# 시험법

## 제1장 총칙

##### 제1조 (목적)

이 법은 시험을 목적으로 한다.

##### 제2조의2 (정의)

**①** 이 법에서 사용하는 용어의 뜻은 다음과 같다. <개정 2020.1.1>
  1\\. "가"란 다음 각 목의 것을 말한다.
    가. 첫째
    나. 둘째
  2\\. "나"란 셋째를 말한다.
**②** 제1항 외의 용어는 「민법」에 따른다.

## 부칙

부칙 <제17000호, 2020.1.1>
이 법은 공포 후 6개월이 경과한 날부터 시행한다.
"""


def test_reads_the_ordinance_after_the_amendment() -> None:
    law = read_law_text(AFTER)
    assert law.title == "서울특별시 미래전략과제 발굴 및 육성 조례"
    assert [p.label for p in law.provisions][:3] == ["제1조", "제2조", "제3조"]
    art7 = law.find("art_7")
    assert art7.heading == "지원사업"
    assert [c.label for c in art7.children] == [f"제7조제{n}호" for n in range(1, 6)]
    assert art7.markers == ["개정 2024.3.26"]
    assert "<개정" not in law.find("art_3").text
    assert law.find("addendum_9173").text == "이 조례는 공포한 날부터 시행한다."
    meta = version_metadata(law)
    assert meta == {
        "promulgated": "2024-03-26",
        "in_force": "2024-03-26",
        "promulgation_number": "9173",
        "local_law_id": "2229686",
        "serial": "1915179",
    }


def test_the_reconstructed_version_differs_only_in_articles_3_and_7() -> None:
    before, after = read_law_text(BEFORE), read_law_text(AFTER)
    changed = {
        p.path
        for p in after.walk()
        if p.kind != "addendum"
        and (p.path not in {q.path for q in before.walk()} or before.find(p.path).text != p.text)
    }
    assert changed == {"art_3", "art_7/item_4", "art_7/item_5"}
    assert before.find("art_7/item_4").text == after.find("art_7/item_5").text


def test_statute_layout_with_paragraphs_items_and_subitems(tmp_path: Path) -> None:
    path = tmp_path / "law.md"
    path.write_text(STATUTE, encoding="utf-8")
    law = read_law_text(path)
    assert [p.path for p in law.walk()] == [
        "art_1",
        "art_2-2",
        "art_2-2/para_1",
        "art_2-2/para_1/item_1",
        "art_2-2/para_1/item_1/subitem_1",
        "art_2-2/para_1/item_1/subitem_2",
        "art_2-2/para_1/item_2",
        "art_2-2/para_2",
        "addendum_17000",
    ]
    assert law.find("art_2-2/para_1/item_1/subitem_2").label == "제2조의2제1항제1호나목"
    assert law.find("art_2-2/para_1").markers == ["개정 2020.1.1"]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("no front matter\n", 1, "no YAML front matter"),
        ("---\na: [\n---\n", 2, "broken front matter"),
        ("---\na: 1\n---\n\n", None, "no articles found"),
    ],
)
def test_broken_files_name_the_line(tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = tmp_path / "broken.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_law_text(path)
    assert err.value.line == line
    assert problem in err.value.problem


# --- real statutes the reader used to refuse (tests/fixtures/statutes: corpus files) --------

STATUTES = Path(__file__).resolve().parent / "fixtures" / "statutes" / "kr"


def test_law_without_articles_is_one_body() -> None:
    law = read_law_text(STATUTES / "연호에관한법률" / "법률.md")
    body = law.provisions[0]
    assert (body.path, body.kind, body.label, body.number) == ("body", "body", "본문", "")
    assert body.text == "대한민국의 공용(公用) 연호(年號)는 서력기원(西曆紀元)으로 한다."
    assert body.markers == ["개정 2014.1.7"]
    assert [p.path for p in law.provisions[1:]] == ["addendum_775", "addendum_12209"]
    assert law.warnings == []


def test_text_before_the_first_article_is_the_preamble() -> None:
    law = read_law_text(STATUTES / "선거관리위원회공무원윤리강령" / "중앙선거관리위원회규칙.md")
    preamble = law.provisions[0]
    assert (preamble.path, preamble.label) == ("preamble", "전문")
    assert preamble.text.startswith("선거관리위원회는 헌법과 법률에 따라")
    assert "이에 선거관리위원회 공무원은" in preamble.text  # the tab-indented second line
    assert law.provisions[1].path == "art_1"


def test_orphan_sub_items_and_repeated_numbers_are_kept_and_reported() -> None:
    law = read_law_text(STATUTES / "검찰청법" / "군정법령.md")
    paths = [p.path for p in law.walk()]
    assert len(paths) == len(set(paths))
    art16 = law.find("art_16")
    assert art16.text.startswith("가. 검찰총장, 고등검찰청검사장")  # kept as the article's text
    assert law.find("art_16/item_1~2").label == "제16조제1호"
    assert law.find("art_16/item_1~2").line == 128
    assert (
        122,
        "orphan-subitem",
        "sub-item (가.) outside an item: kept as text of 제16조",
    ) in law.warnings
    assert (
        128,
        "repeated-number",
        "제16조제1호 repeated (first at line 124): kept as item_1~2",
    ) in law.warnings


def test_repeated_paragraph_number() -> None:
    law = read_law_text(STATUTES / "과학기술정보통신부소관비상대비에관한법률" / "시행규칙.md")
    first, second = law.find("art_3/para_2"), law.find("art_3/para_2~2")
    assert (first.line, second.line) == (92, 94)
    assert first.text != second.text
    assert law.warnings == [
        (94, "repeated-number", "제3조제2항 repeated (first at line 92): kept as para_2~2")
    ]


def test_quoted_article_in_an_addendum_is_text() -> None:
    law = read_law_text(STATUTES / "진로교육법" / "시행령.md")
    addendum = law.find("addendum_32627")
    # ("제2조 생략" has no heading in parentheses: it is text of 제1조, as before)
    assert [a.path for a in addendum.children] == ["addendum_32627/art_1", "addendum_32627/art_3"]
    amending = law.find("addendum_32627/art_3")
    assert "제3조를 다음과 같이 한다. 제3조(진로교육의 목표와 성취기준)" in amending.text
    assert law.warnings == []


def test_addendum_heading_without_its_opening_parenthesis() -> None:
    law = read_law_text(STATUTES / "국무총리비서실직제" / "대통령령.md")
    assert [p.path for p in law.provisions] == ["art_0", "addendum_20724"]
    assert law.find("addendum_20724/art_3").heading == "다른 법령의 폐지"
    message = "addendum heading without the opening parenthesis of its name: read as 부칙(…)"
    assert law.warnings == [(26, "addendum-heading", message + " <제N호, date>")]
