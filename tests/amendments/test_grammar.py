"""The amendment grammar, table-driven: each row of cases.tsv is a text and its operations."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from legigraph.amendments.errors import AmendmentSyntaxError
from legigraph.amendments.grammar import parse_clause, parse_sentence
from legigraph.amendments.model import Clause, Kind
from legigraph.amendments.refs import parse_refs, path_of
from tests.amendments.render import render

CASES = Path(__file__).with_name("cases.tsv")


def _cases() -> list[tuple[str, str, str]]:
    with CASES.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return [(name, text.replace("\\n", "\n"), want) for name, text, want in rows[1:]]


@pytest.mark.parametrize(("name", "text", "want"), _cases(), ids=[c[0] for c in _cases()])
def test_case(name: str, text: str, want: str) -> None:
    assert render(parse_clause(Clause("", text))) == want


def test_the_table_holds_every_form_of_the_brief() -> None:
    names = {c[0] for c in _cases()}
    for form in (
        "substitute",
        "repeal paragraph",
        "insert item",
        "renumber and insert",
        "replace article",
        "insert branch article",
        "replace annex by attachment",
        "annex item and same table",
        "each parallel lists",
        "range renumber",
        "list with inherited levels",
        "heading substitute",
        "chapter repeal",
    ):
        assert form in names
    assert sum(1 for n in names if n.startswith("error:")) >= 8


def test_spans_point_into_the_clause_text() -> None:
    text = '제3조 중 "가"를 "나"로 하고, 제7조제4호를 제5호로 한다.'
    ops = parse_clause(Clause("", text)).operations
    assert [text[slice(*op.span)] for op in ops] == [
        '제3조 중 "가"를 "나"로',
        "제7조제4호를 제5호로",
    ]


def test_a_sentence_that_is_not_read_raises_with_the_reason() -> None:
    with pytest.raises(AmendmentSyntaxError) as err:
        parse_sentence("제3조를 폐지한다.")
    assert err.value.reason == "unexpected '폐지한다.' after 을/를"
    assert err.value.exit_code == 2


def test_renumbering_keeps_the_order_written() -> None:
    ops = parse_sentence("제2조제1항제12호 및 제13호를 각각 제13호 및 제14호로 한다.")
    assert [(o.kind, o.target.path, o.destination and o.destination.path) for o in ops] == [
        (Kind.RENUMBER, "art_2/para_1/item_12", "art_2/para_1/item_13"),
        (Kind.RENUMBER, "art_2/para_1/item_13", "art_2/para_1/item_14"),
    ]
    assert ops[0].span == ops[1].span  # one list: the applier moves them together


@pytest.mark.parametrize(
    ("text", "paths"),
    [
        ("제3조의2제1항제4호의2가목", ["art_3-2/para_1/item_4-2/subitem_1"]),
        ("제2조제1호ㆍ제3호", ["art_2/item_1", "art_2/item_3"]),
        (
            "제5조제1항제1호ㆍ제2호 및 제27조",
            ["art_5/para_1/item_1", "art_5/para_1/item_2", "art_27"],
        ),
        ("별표 1의2 제3호", ["annex_1-2/item_3"]),
        ("별지 제1호의2서식", ["form_1-2"]),
        ("제2장제5절", ["chapter_2/section_5"]),
        ("제명", ["title"]),
    ],
)
def test_references_become_paths(text: str, paths: list[str]) -> None:
    refs, end = parse_refs(text, 0, ())
    assert [path_of(r.steps) for r in refs] == paths
    assert end == len(text)
