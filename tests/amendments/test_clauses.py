"""Finding 타법개정 clauses in a 부칙, and reading a bill's 개정문 on its own."""

from __future__ import annotations

from pathlib import Path

from legigraph.amendments.clauses import amended_name, find_clauses, read_amending_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/amendments"
EXCERPT = FIXTURES / "기획예산처와그소속기관직제-부칙-excerpt.md"

ADDENDA = """---
제목: 시험법
---
# 시험법

##### 제1조 (목적)

이 법은 시험을 목적으로 한다.

## 부칙

부칙 <제100호,2020.1.1>


제1조(시행일) 이 법은 공포한 날부터 시행한다.


제2조(다른 법률의 개정) 「갑법」 일부를 다음과 같이 개정한다.


제3조를 다음과 같이 한다.


제3조(정의) 이 법에서 "가"란 나를 말한다.


제3조(다른 법률과의 관계) 다른 법률에서 종전의 규정을 인용한 경우에는 이 법을 인용한 것으로 본다.

부칙(병법) <제200호,2021.2.3>


제2조(다른 법률의 개정) ① 생략


② 시법 일부를 다음과 같이 개정한다.제1조 중 "시"를 "검"으로 한다.③ 을법 일부를 다음과 같이 개정한다.


제5조 중 "가"를 "나"로 한다.


④ 생략
"""


def test_clauses_of_an_amending_act_in_its_own_file() -> None:
    clauses = list(
        find_clauses(EXCERPT.read_text(encoding="utf-8"), "x.md", "기획예산처와 그 소속기관 직제")
    )
    assert [c.addendum_path for c in clauses] == [
        "addendum_35948/art_4/para_1",
        *(f"addendum_35948/art_4/para_{n}" for n in range(172, 177)),
    ]
    clause = clauses[4]
    assert clause.amended == "지속가능발전 기본법 시행령"
    assert (clause.amending, clause.amending_number, clause.promulgated) == (
        "기획예산처와 그 소속기관 직제",
        "35948",
        "2025-12-30",
    )
    assert clause.text.startswith('제13조제1항 중 "기획재정부장관, 교육부장관"을')
    assert "\n" not in clause.text
    assert clause.line == 58 and clause.where == "x.md"


def test_block_articles_stay_in_the_clause_and_the_next_addendum_article_ends_it() -> None:
    first, second, third = find_clauses(ADDENDA, "t.md", "시험법")
    assert first.amended == "갑법" and first.addendum_path == "addendum_100/art_2"
    assert first.text.split("\n") == [
        "제3조를 다음과 같이 한다.",
        '제3조(정의) 이 법에서 "가"란 나를 말한다.',
    ]
    assert (second.amending, second.addendum_path) == ("병법", "addendum_200/art_2/para_2")
    assert second.text == '제1조 중 "시"를 "검"으로 한다.'  # glued lines split apart
    assert third.amended == "을법" and third.text == '제5조 중 "가"를 "나"로 한다.'


def test_a_numbered_law_keeps_its_number() -> None:
    assert amended_name("법률 제19815호 담배의 유해성 관리에 관한 법률") == (
        "담배의 유해성 관리에 관한 법률",
        "19815",
    )
    assert amended_name("「국가를 당사자로 하는 계약에 관한 법률 시행령」") == (
        "국가를 당사자로 하는 계약에 관한 법률 시행령",
        "",
    )


def test_a_bill_text_on_its_own() -> None:
    clause = read_amending_text((FIXTURES / "bill-1544.txt").read_text(encoding="utf-8"), "bill")
    assert clause.amended == "서울특별시 미래전략과제 발굴 및 육성 조례"
    assert clause.text.splitlines()[1].strip().startswith("4. 신기술")


NESTED = """---
제목: 시험법
---
## 부칙

부칙 <제300호,2022.3.4>


제2조(다른 법률의 개정) ① 법률 제16414호 갑법 일부개정법률 일부를 다음과 같이 개정한다.


부칙 제2조에 제3항을 다음과 같이 신설한다.


  ③ 을법 일부를 다음과 같이 개정한다.


  제18조제1항제2호 중 "가"를 "나"로 한다.


② 병법 일부를 다음과 같이 개정한다.


제1조 중 "다"를 "라"로 한다.
"""


def test_a_clause_written_anew_inside_a_block_is_its_new_text() -> None:
    first, second = find_clauses(NESTED, "n.md", "시험법")
    assert first.amended == "갑법 일부개정법률" and first.amended_number == "16414"
    assert first.text.split("\n")[-1] == '  제18조제1항제2호 중 "가"를 "나"로 한다.'
    assert second.amended == "병법"
