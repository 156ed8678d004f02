"""Citation parser: a table of real sentences, and properties that hold for any text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legigraph.link.citations import Citation, Provision, find_citations, format_citation
from legigraph.model import ids

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CASES = Path(__file__).parent / "fixtures" / "citations" / "cases.tsv"
COLUMNS = ["text", "canonical", "law", "relation", "kind", "paths", "source"]
RELATIONS = {
    "explicit", "self", "same-law", "alias", "decree", "same-article", "same-paragraph"
}  # fmt: skip
KINDS = {"provision", "range", "list", "law", "annex", "form"}


def _rows() -> list[dict[str, str]]:
    lines = CASES.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == COLUMNS
    return [dict(zip(COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]


ROWS = _rows()


def _cells(row: dict[str, str], column: str) -> list[str]:
    """One value per citation found; ``-`` alone means none was found."""
    if row["canonical"] == "-":
        assert row[column] == "-", f"{column} must be - when no citation is expected"
        return []
    return row[column].split(" | ")


def _summary(c: Citation) -> tuple[str, str, str, str, str]:
    paths = " ".join(p.path for p in c.provisions) or "-"
    return format_citation(c), c.law or "-", c.relation, c.kind, paths


# --- the table ---------------------------------------------------------------------


def test_table_is_canonical() -> None:
    texts = [row["text"] for row in ROWS]
    assert len(texts) == len(set(texts)), "a sentence is in the table twice"
    real = [r for r in ROWS if r["source"].startswith(("seed/", "national-law/ordinances/"))]
    real += [r for r in ROWS if r["source"].startswith("national-law/history/")]
    assert len(real) >= 60
    for row in ROWS:
        for column, value in row.items():
            assert unicodedata.is_normalized("NFC", value), f"{column} is not NFC: {value}"
            assert column == "text" or value == value.strip(), f"stray space in {column}: {value}"
        sizes = {len(_cells(row, c)) for c in COLUMNS[1:6]}
        assert len(sizes) == 1, f"columns disagree on the number of citations: {row['text']}"


@pytest.mark.parametrize("row", ROWS, ids=[f"{i:03d}" for i in range(len(ROWS))])
def test_real_sentences(row: dict[str, str]) -> None:
    found = find_citations(row["text"])
    expected = list(zip(*(_cells(row, c) for c in COLUMNS[1:6]), strict=True))
    assert [_summary(c) for c in found] == expected
    for c in found:
        assert row["text"][c.start : c.end] == c.text


def test_sources_hold_the_sentences() -> None:
    """Each sentence is verbatim in its source (the statutes tarball is not unpacked here)."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not here")
    for row in ROWS:
        if ".tar.xz:" not in row["source"]:
            assert row["text"] in (SHARED / row["source"]).read_text(encoding="utf-8"), row


def test_table_canonical_forms_round_trip() -> None:
    for row in ROWS:
        for canonical in _cells(row, "canonical"):
            (again,) = find_citations(canonical)
            assert (again.start, again.end) == (0, len(canonical))
            assert format_citation(again) == canonical


def test_paths_agree_with_ids() -> None:
    for row in ROWS:
        for c in find_citations(row["text"]):
            for p in c.provisions:
                if p.article and p.paragraph != 0 and p.item != 0:
                    assert ids.path_from_citation(p.label) == p.path


def test_labels() -> None:
    assert Provision(4, 2, 1, 3, None, "가").label == "제4조의2제1항제3호가목"
    assert Provision(4, 2, 1, 3, None, "가").path == "art_4-2/para_1/item_3/subitem_1"
    assert Provision(0, None, 2).label == "제2항"
    assert Provision(7, None, None, 2, 3).path == "art_7/item_2-3"


# --- properties --------------------------------------------------------------------

TOKENS = [
    "「", "」", "제", "조", "항", "호", "의", "목", "부터", "까지", "내지", " 및 ", "또는", ", ",
    "·", "ㆍ", " ", "\n", "같은 ", "법", "영", "조례", "이 ", "동", "안 ", "부칙", "별표 ",
    "시행령", "대통령령", "(이하 \"법\"이라 한다)", "1", "2", "34", "9999999", "가", "나",
    "<", ">", "(", ")", "#", "에 따른", "민법", "0",
]  # fmt: skip
SOUP = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
HANGUL = st.text(
    alphabet=st.sampled_from("「」제조항호의목부터까지및같은법이동안별표가나 0123456789·ㆍ,\n")
)


def _check_offsets(text: str, found: list[Citation]) -> None:
    end = 0
    for c in found:
        assert end <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.text
        assert c.relation in RELATIONS and c.kind in KINDS
        assert format_citation(c)
        assert all(p.path for p in c.provisions)
        end = c.end


@given(st.text() | SOUP | HANGUL)
@settings(max_examples=400)
def test_never_raises_and_offsets_hold(text: str) -> None:
    _check_offsets(text, find_citations(text))


NUM = st.integers(1, 999)
BRANCH = st.none() | st.integers(1, 99)
LETTER = st.sampled_from(ids.SUBITEM_LETTERS)
NAMES = [
    "지속가능발전 기본법",
    "민법",
    "서울특별시 미래전략과제 발굴 및 육성 조례",
    "법제업무운영규정",
]
LAW_HEADS = (
    [("explicit", n) for n in NAMES]
    + [("self", w) for w in ("이 법", "이 법률", "이 조례", "이 영", "이 규칙")]
    + [("same-law", w) for w in ("같은 법", "같은 조례", "같은 영", "동법", "동 조례")]
    + [("decree", w) for w in ("대통령령", "같은 법 시행령", "시행령", "철도안전법 시행령")]
)
ALIAS_HEADS = [("alias", w) for w in ("법", "영", "조례", "공공데이터법")]
TOP = Provision(0, None, 0, 0)
BASES = {"same-article": Provision(0), "same-paragraph": Provision(0, None, 0)}


@st.composite
def _provision(draw: st.DrawFn, above: Provision, k: int) -> Provision:
    """A provision written from level ``k``; the levels above it come from ``above``."""
    article, branch = (draw(NUM), draw(BRANCH)) if k == 0 else (above.article, above.article_branch)
    paragraph = above.paragraph if k > 1 else draw(NUM) if k == 1 else draw(st.none() | NUM)
    item, item_branch = above.item, above.item_branch
    if k <= 2:
        item, item_branch = (
            (draw(NUM), draw(BRANCH)) if k == 2 or draw(st.booleans()) else (None, None)
        )
    subitem = draw(LETTER) if k == 3 else draw(st.none() | LETTER) if item is not None else None
    return Provision(article, branch, paragraph, item, item_branch, subitem)


@st.composite
def _chain(draw: st.DrawFn, base: Provision, starts: list[int]) -> tuple[str, list[Provision]]:
    kind = draw(st.sampled_from(["provision", "range", "list"]))
    provisions = [draw(_provision(base, draw(st.sampled_from(starts))))]
    for _ in range({"provision": 0, "range": 1, "list": draw(st.integers(1, 3))}[kind]):
        prev = provisions[-1]
        k = draw(st.sampled_from([0, 1, 2, 3] if prev.item is not None else [0, 1, 2]))
        provisions.append(draw(_provision(prev, k)))
    return kind, provisions


@st.composite
def canonical_citations(draw: st.DrawFn) -> Citation:
    """Citations that the parser can produce, to be written and read back."""
    shape = draw(st.sampled_from(["law", "bare", "draft", "context", "relative", "annex", "form"]))
    relation, law = draw(st.sampled_from(LAW_HEADS + ALIAS_HEADS + [("self", None)]))
    addendum, annex, draft = False, None, False
    if shape == "law":
        relation, law = draw(st.sampled_from(LAW_HEADS))
        return Citation(0, 0, "", law, relation, (), "law")
    if shape == "context":
        relation = draw(st.sampled_from(["self", "same-article", "same-paragraph"]))
        paragraph = draw(st.sampled_from([None, 0])) if relation == "self" else None
        bare = BASES.get(relation, Provision(0, None, paragraph))
        return Citation(0, 0, "", None, relation, (bare,), "provision")
    if shape == "relative":
        relation, law = draw(st.sampled_from(sorted(BASES))), None
        kind, provisions = draw(_chain(BASES[relation], [2] if "paragraph" in relation else [1, 2]))
        return Citation(0, 0, "", None, relation, tuple(provisions), kind)
    starts = [0, 1] if law is not None else [0, 1, 2]
    if shape == "form":
        form = draw(st.sampled_from(["1", "3", "3의2", "12", ""]))
        return Citation(0, 0, "", law, relation, (), "form", form=form)
    if shape == "annex":
        annex = draw(st.sampled_from(["1", "2", "1의2", "12"]))
        if draw(st.booleans()):
            return Citation(0, 0, "", law, relation, (), "annex", annex=annex)
        annex, starts = draw(st.sampled_from([annex, ""])), [0, 1, 2]
    elif shape == "draft":
        relation, law, draft = "self", None, True
    else:
        addendum = draw(st.booleans())
        starts = [0, 1] if addendum else starts
    kind, provisions = draw(_chain(TOP, starts))
    return Citation(0, 0, "", law, relation, tuple(provisions), kind, addendum, annex, draft)


def _same(found: Citation, made: Citation) -> None:
    fields = ("law", "relation", "provisions", "kind", "addendum", "annex", "draft", "form")
    assert {f: getattr(found, f) for f in fields} == {f: getattr(made, f) for f in fields}


@given(canonical_citations())
@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
def test_canonical_citations_round_trip(made: Citation) -> None:
    text = format_citation(made)
    found = find_citations(text)
    assert len(found) == 1, (text, found)
    assert (found[0].start, found[0].end) == (0, len(text))
    assert format_citation(found[0]) == text
    _same(found[0], made)


WORDS = st.sampled_from(
    ["시장은", "사업을", "지원할", "수", "있다", "다음", "사항", "위원회는", "경우"]
)
PROSE = st.lists(WORDS, max_size=6).map(" ".join)
AFTER = st.sampled_from(
    ["에 따른 ", "에 따라 ", "의 ", "는 ", "를 ", "에서 ", " 중 ", ")", "。", ""]
)


@given(canonical_citations(), PROSE, st.sampled_from([" ", "\n", "(", " 「"]), AFTER, PROSE)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_canonical_citation_found_in_prose(
    made: Citation, before: str, gap: str, after: str, tail: str
) -> None:
    x = format_citation(made)
    if gap == " 「":  # a 「 left open before the citation must not swallow it
        gap = " 「다른 "
    text = before + gap + x + after + " " + tail
    found = find_citations(text)
    _check_offsets(text, found)
    start = len(before + gap)
    hits = [c for c in found if c.start == start]
    assert hits and hits[0].end == start + len(x), (text, found)
    _same(hits[0], made)


# --- the prefilter of the search loop ------------------------------------------------

SAMPLES = [
    ROOT / "docs" / "linking-sample.tsv",
    *sorted((ROOT / "tests" / "linking").glob("*.tsv")),
]


def _sample_sentences() -> list[str]:
    out = []
    for path in SAMPLES:
        lines = path.read_text(encoding="utf-8").splitlines()
        if "sentence" not in (header := lines[0].split("\t")):
            continue
        at = header.index("sentence")
        out += [line.split("\t")[at].replace("⟦", "").replace("⟧", "") for line in lines[1:]]
    return out


def test_prefilter_marks_every_branch_of_the_grammar() -> None:
    """A branch added to the grammar needs its mark in ``citations._MARKS``."""
    from legigraph.link import citations

    assert set(citations._PREFIX.groupindex) <= citations._MARKED_GROUPS


def test_prefilter_drops_no_citation_of_the_samples() -> None:
    texts = _sample_sentences() + [row["text"] for row in _rows()]
    assert len(texts) > 800
    found = 0
    for text in texts:
        fast = find_citations(text)
        assert fast == find_citations(text, prefilter=False), text
        found += len(fast)
    assert found > len(texts)


@given(st.text() | SOUP | HANGUL)
@settings(max_examples=600)
def test_prefilter_finds_what_the_full_search_finds(text: str) -> None:
    assert find_citations(text) == find_citations(text, prefilter=False)
