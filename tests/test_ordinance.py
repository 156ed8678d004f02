"""The legalize-kr Markdown reader: structure, text, markers, and errors with lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from legigraph.errors import InputError
from legigraph.ordinance import read_law_text, version_metadata

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
        ("---\na: 1\n---\n\n텍스트만 있음\n", 5, "text before the first article"),
        ("---\na: 1\n---\n##### 제1조 (목적)\n    가. 목만 있음\n", 5, "sub-item"),
    ],
)
def test_broken_files_name_the_line(tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = tmp_path / "broken.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_law_text(path)
    assert err.value.line == line
    assert problem in err.value.problem
