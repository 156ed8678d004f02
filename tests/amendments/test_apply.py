"""The applier on real texts (bill 1544; a 타법개정 of a 시행령) and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from legigraph.amendments.apply import Move, apply
from legigraph.amendments.clauses import find_clauses, read_amending_text
from legigraph.amendments.errors import (
    AmendmentError,
    BlockMismatch,
    InsertionPointTaken,
    ProvisionNotFound,
    TextNotFound,
)
from legigraph.amendments.grammar import parse_clause
from legigraph.amendments.model import Clause, Operation
from legigraph.amendments.tree import Node, Version, from_provisions
from legigraph.errors import LegigraphError
from legigraph.model.records import LawText
from legigraph.sources.ordinance import read_law_text

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests/fixtures/amendments"
SIHAENG = "시행령(대통령령)@{}.md"


def _version(law: LawText) -> Version:
    return from_provisions(law.provisions, law.title)


def _texts(version: Version, path: str) -> list[tuple[str, str, str]]:
    node = version.find(path)
    assert node is not None
    return [(n.path, n.heading, n.text) for n in node.walk()]


def _ops(text: str) -> tuple[Operation, ...]:
    parsed = parse_clause(Clause("", text))
    assert parsed.complete, parsed.unparsed
    return parsed.operations


def test_bill_1544_applied_to_8756_gives_9173() -> None:
    before = read_law_text(ROOT / "data/ordinance/2229686-8756.md")
    after = read_law_text(ROOT / "data/external/ordinance-kr/2229686/raw/1915179.md")
    bill = read_amending_text((FIXTURES / "bill-1544.txt").read_text(encoding="utf-8"))
    parsed = parse_clause(bill)
    assert parsed.complete
    result = apply(_version(before), parsed.operations, tag="9173")
    for path in ("art_3", "art_7"):
        assert _texts(result.version, path) == _texts(_version(after), path)
    # the old 제7조제4호 is the new 제7조제5호; the new 제7조제4호 is new
    assert result.moves == [Move("art_7/item_4", "art_7/item_4", "art_7/item_5")]
    moved, new = result.version.find("art_7/item_5"), result.version.find("art_7/item_4")
    assert moved is not None and moved.identity == "art_7/item_4"
    assert new is not None and new.identity == "art_7/item_4@9173"
    assert result.inserted == ["art_7/item_4"]
    assert result.changed == ["art_3"]


def test_the_clause_of_2025_12_30_makes_the_next_version_of_the_sihaengryeong() -> None:
    clauses = find_clauses(
        (FIXTURES / "기획예산처와그소속기관직제-부칙-excerpt.md").read_text(encoding="utf-8"),
        "excerpt",
        "기획예산처와 그 소속기관 직제",
    )
    clause = next(c for c in clauses if c.amended == "지속가능발전 기본법 시행령")
    assert clause.promulgated == "2025-12-30"
    before = read_law_text(FIXTURES / SIHAENG.format("2025-10-01_6fb87ec5ee"))
    after = read_law_text(FIXTURES / SIHAENG.format("2025-12-30_6b204f9b0b"))
    result = apply(_version(before), parse_clause(clause).operations, tag=clause.amending_number)
    got = result.version.find("art_13/para_1")
    assert got is not None
    assert got.text.split() == after.find("art_13/para_1").text.split()  # word for word
    # and every other provision is as the next version has it
    assert [(n.path, n.heading, n.text) for n in result.version.walk()] == [
        (n.path, n.heading, n.text) for n in _version(after).walk()
    ]
    assert result.changed == ["art_13/para_1", "art_13/para_1"]


def _law() -> Version:
    return Version(
        [
            Node("art_1", "이 법은 시험을 목적으로 한다.", "목적", identity="art_1"),
            Node(
                "art_2",
                "장관은 계획을 세운다. 이 경우 위원회의 심의를 거쳐야 한다.",
                "계획",
                [
                    Node("art_2/item_1", "첫째", identity="i1"),
                    Node("art_2/item_2", "둘째", identity="i2"),
                ],
                identity="art_2",
            ),
            Node(
                "art_3",
                "장관은 지원할 수 있다. 다만, 예산이 없으면 그러하지 아니하다.",
                identity="art_3",
            ),
        ],
        "시험법",
    )


def test_the_input_version_is_not_changed() -> None:
    law = _law()
    apply(law, _ops('제1조 중 "시험"을 "검정"으로 한다.'))
    assert law.nodes[0].text == "이 법은 시험을 목적으로 한다."


def test_a_quoted_text_not_there_says_where_it_looked() -> None:
    with pytest.raises(TextNotFound) as err:
        apply(_law(), _ops('제3조 단서 중 "장관"을 "처장"으로 한다.'))
    assert isinstance(err.value, LegigraphError)
    assert err.value.looked_in == "다만, 예산이 없으면 그러하지 아니하다."
    assert '"장관" is not in 제3조 [proviso]' in str(err.value)


def test_a_provision_not_there() -> None:
    with pytest.raises(ProvisionNotFound) as err:
        apply(_law(), _ops('제2조제5호 중 "가"를 "나"로 한다.'))
    assert err.value.path == "art_2/item_5"
    assert "art_2/item_1, art_2/item_2" in str(err.value)


def test_an_insertion_point_taken() -> None:
    with pytest.raises(InsertionPointTaken):
        apply(_law(), _ops("제2조에 제2호를 다음과 같이 신설한다.\n  2. 새 둘째"))
    with pytest.raises(InsertionPointTaken):
        apply(_law(), _ops("제2조제1호를 제2호로 한다."))
    with pytest.raises(InsertionPointTaken):
        apply(_law(), _ops("제3조에 단서를 다음과 같이 신설한다.\n다만, 또 있다."))


def test_new_text_that_is_not_the_provision_named() -> None:
    with pytest.raises(BlockMismatch):
        apply(_law(), _ops("제2조제1호를 다음과 같이 한다.\n  3. 셋째"))


def test_a_list_of_renumberings_moves_together() -> None:
    ops = _ops(
        "제2조제1호 및 제2호를 각각 제2호 및 제3호로 하고, "
        "같은 조에 제1호를 다음과 같이 신설한다.\n  1. 새 첫째"
    )
    result = apply(_law(), ops, tag="t")
    assert _texts(result.version, "art_2")[1:] == [
        ("art_2/item_1", "", "새 첫째"),
        ("art_2/item_2", "", "첫째"),
        ("art_2/item_3", "", "둘째"),
    ]
    assert [(m.identity, m.new) for m in result.moves] == [
        ("i1", "art_2/item_2"),
        ("i2", "art_2/item_3"),
    ]


def test_parts_ranges_headings_and_repeal() -> None:
    ops = _ops(
        "제2조 후단을 삭제하고, 제3조 단서를 다음과 같이 한다.\n다만, 긴급하면 그러하지 아니하다.\n"
        "제1조의 제목을 다음과 같이 한다.\n(목표)\n"
        "제2조제1호부터 제2호까지를 각각 삭제한다.\n"
        '제명 중 "시험"을 "검정"으로 한다.'
    )
    result = apply(_law(), ops)
    v = result.version
    assert _texts(v, "art_2") == [
        ("art_2", "계획", "장관은 계획을 세운다."),
        ("art_2/item_1", "", "삭제"),
        ("art_2/item_2", "", "삭제"),
    ]
    assert _texts(v, "art_3")[0][2] == "장관은 지원할 수 있다. 다만, 긴급하면 그러하지 아니하다."
    assert _texts(v, "art_1")[0][1] == "목표"
    assert v.title == "검정법"
    assert result.repealed == ["art_2/item_1", "art_2/item_2"]


def test_a_replaced_article_keeps_its_identity_and_a_chapter_brings_its_articles() -> None:
    ops = _ops(
        "제1조를 다음과 같이 한다.\n제1조(목적) ① 이 법은 검정을 목적으로 한다.\n"
        "  ② 세부는 영으로 정한다.\n"
        "제2장의2(제3조의2)를 다음과 같이 신설한다.\n제2장의2 보칙\n"
        "제3조의2(위임) 장관은 위임할 수 있다."
    )
    v = apply(_law(), ops, tag="t").version
    art1, art32 = v.find("art_1"), v.find("art_3-2")
    assert art1 is not None and art1.identity == "art_1" and art1.text == ""
    assert [(c.path, c.identity) for c in art1.children] == [
        ("art_1/para_1", "art_1/para_1@t"),
        ("art_1/para_2", "art_1/para_2@t"),
    ]
    assert art32 is not None and art32.identity == "art_3-2@t" and art32.heading == "위임"
    assert [n.path for n in v.nodes] == ["art_1", "art_2", "art_3", "art_3-2"]


def test_operations_that_cannot_apply_to_a_law_text() -> None:
    with pytest.raises(AmendmentError, match="not in this text"):
        apply(_law(), _ops('법률 제100호 시험법 일부개정법률 제1조 중 "가"를 "나"로 한다.'))
    with pytest.raises(ProvisionNotFound):
        apply(_law(), _ops("별표 1을 별지와 같이 한다."))
