"""Former names: the alias table mined from the corpus's 부칙, and its use by the resolver."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import URIRef

from legigraph.link.aliases import COLUMNS, KINDS, mine_aliases, names_former, read_aliases
from legigraph.link.mine import texts
from legigraph.link.resolve import LawIndex, LawRecord, normalise_name, read_law_index
from legigraph.link.resolver import Resolver, with_tables
from legigraph.sources.ordinance import read_law_bytes
from tests.conftest import ROOT
from tests.corpus import corpus_dir  # noqa: F401 (a fixture)

DATA = ROOT / "data"
TABLE = DATA / "linking" / "aliases.tsv"
PLAIN = read_law_index(DATA / "external" / "legalize-kr" / "index_all_laws.csv")
INDEX = with_tables(PLAIN, DATA, fuzzy=False)


@pytest.mark.parametrize(
    ("name", "law_id"),
    [
        ("수질 및 수생태계 보전에 관한 법률", "000166"),  # 물환경보전법 (2017)
        ("측량ㆍ수로조사 및 지적에 관한 법률", "011023"),  # 공간정보의 구축 및 관리 등에 관한 법률
        ("호적법", "010444"),  # 가족관계의 등록 등에 관한 법률 (2007)
        ("경찰법", "000992"),  # 국가경찰과 자치경찰의 조직 및 운영에 관한 법률 (2020)
        ("증권거래법", "010513"),  # 자본시장과 금융투자업에 관한 법률 (2007)
    ],
)
def test_former_names_resolve(name: str, law_id: str) -> None:
    assert PLAIN.resolve(name, "2020-01-01").status == "unresolved"
    res = INDEX.resolve(name, "2020-01-01")
    assert res.status == "resolved" and res.rule == "alias", res.reason
    assert res.record is not None and res.record.law_id == law_id
    assert "former name of" in res.reason and "부칙" in res.reason


def test_a_law_split_in_several_stays_ambiguous() -> None:
    res = INDEX.resolve("항공법", "2020-01-01")
    assert res.status == "ambiguous" and res.rule == "alias"
    assert {"012522", "012523", "012524"} <= {c.law_id for c in res.candidates}


def test_table_rows() -> None:
    rows = read_aliases(TABLE)
    assert len(rows) > 1000
    for row in rows:
        assert row.key not in PLAIN.by_name, row  # only names the index does not hold
        assert PLAIN.by_id[row.law_id].name == row.name, row
        assert row.how in KINDS and row.source.startswith("kr/") and int(row.sources) >= 1


def test_table_is_canonical() -> None:
    text = TABLE.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].split("\t") == list(COLUMNS) and "\\u" not in text
    keys = [(normalise_name(line.split("\t")[0]), line.split("\t")[1]) for line in lines[1:]]
    assert keys == sorted(keys)


BLOCK = (
    "---\n제목: 새법\n법령ID: '000002'\n---\n##### 제1조 (목적)\n\n목적.\n\n## 부칙\n\n"
    "부칙 <제200호,2020.1.1>\n제1조(시행일) 이 법은 공포한 날부터 시행한다.\n"
    "제2조(다른 법령과의 관계) 이 법 시행 당시 다른 법령에서 종전의 「옛법」 또는 그 규정을 "
    "인용한 경우 이 법 가운데 그에 해당하는 규정이 있으면 종전의 규정을 갈음하여 이 법 또는 "
    "이 법의 해당 조항을 인용한 것으로 본다.\n"
    "제3조(다른 법률의 개정) ① 딴법 일부를 다음과 같이 개정한다. "
    '제2조 중 "「옛법」 제3조"를 "「새법」 제3조"로 한다.\n'
    '② 규칙법 일부를 다음과 같이 개정한다. 제명 "낡은 규칙법"을 "규칙법"으로 한다.\n'
)


def _rec(law_id: str, name: str) -> LawRecord:
    return LawRecord(law_id, law_id, name, "법률", "2020-01-01", "200", "2020-01-01",
                     f"kr/{name}/법률.md")  # fmt: skip


def test_mine_a_fixture() -> None:
    new, other = _rec("000002", "새법"), _rec("000003", "규칙법")
    index = LawIndex([new, other, _rec("000004", "딴법")])
    law = read_law_bytes(Path("kr/새법/법률.md"), BLOCK.encode())
    rows = {(a.alias, a.law_id, a.how) for a in mine_aliases([(new, law)], index)}
    assert rows == {
        ("옛법", "000002", "deemed"),
        ("옛법", "000002", "substituted"),
        ("낡은 규칙법", "000003", "renamed"),
    }
    res = Resolver(index.records, aliases=mine_aliases([(new, law)], index)).resolve("옛법")
    assert res.record == new and res.rule == "alias"


def test_table_is_what_the_corpus_gives(corpus_dir: Path) -> None:  # noqa: F811
    dated = Resolver(list(PLAIN.records), dates=INDEX.dates, fuzzy=False)
    mined = mine_aliases(texts(corpus_dir, PLAIN.records), dated)
    assert sorted(mined, key=repr) == sorted(read_aliases(TABLE), key=repr)


REPLACED = (
    "---\n제목: 새공단법\n법령ID: '000005'\n---\n##### 제1조 (목적)\n\n목적.\n\n## 부칙\n\n"
    "부칙 <제300호,2021.3.9>\n제1조(시행일) 이 법은 공포한 날부터 시행한다.\n"
    "제2조(다른 법률의 폐지) 「옛공사법」은 폐지한다.\n"
    "제3조(다른 법령과의 관계) 이 법 시행 당시 다른 법령에서 종전의 「옛공사법」 또는 그 규정을 "
    "인용한 경우 이 법 가운데 그에 해당하는 규정이 있으면 종전의 규정을 갈음하여 이 법 또는 "
    "이 법의 해당 조항을 인용한 것으로 본다.\n"
)


def test_a_replacement_is_kept_apart_from_a_rename() -> None:
    new = _rec("000005", "새공단법")
    law = read_law_bytes(Path("kr/새공단법/법률.md"), REPLACED.encode())
    (row,) = mine_aliases([(new, law)], LawIndex([new]))
    assert (row.alias, row.how, row.change) == ("옛공사법", "deemed", "replacement")
    assert row.repealed == "kr/새공단법/법률.md 부칙 <제300호> 제2조"
    assert row.provision == "kr/law/000005/addendum_300/art_3"
    renamed = mine_aliases([(_rec("000002", "새법"), read_law_bytes(
        Path("kr/새법/법률.md"), BLOCK.encode()))], LawIndex([_rec("000002", "새법"),
                                                         _rec("000003", "규칙법")]))  # fmt: skip
    assert {a.change for a in renamed} == {"rename"}


@pytest.mark.parametrize(
    ("on", "wording", "status"),
    [
        ("2021-03-09", True, "unresolved"),  # the 부칙 that repeals it: the Act then in force
        ("2023-01-01", True, "unresolved"),  # 종전의 「옛공사법」 in a later 부칙: the old Act
        ("2023-01-01", False, "resolved"),  # a text in force: deemed to cite the successor
        ("2019-01-01", False, "resolved"),  # a stale reference in force today: the same
    ],
)
def test_a_replaced_name_in_a_budik_is_the_repealed_act(on: str, wording: bool,
                                                        status: str) -> None:  # fmt: skip
    new = _rec("000005", "새공단법")
    law = read_law_bytes(Path("kr/새공단법/법률.md"), REPLACED.encode())
    resolver = Resolver([new], aliases=mine_aliases([(new, law)], LawIndex([new])))
    res = resolver.resolve("옛공사법", on, wording=wording)
    assert (res.status, res.rule) == (status, "alias"), res.reason
    if status == "unresolved":
        assert "repealed Act itself" in res.reason and "000005" in res.reason
    else:
        assert res.record == new and res.via.startswith("https://w3id.org/legigraph/id/kr/")


def test_the_corpus_keeps_replacements_apart() -> None:
    rows = read_aliases(TABLE)
    change = {(r.alias, r.law_id): r.change for r in rows}
    assert change["군용항공기지법", "010596"] == "replacement"  # 군사기지법 부칙 제2조
    assert change["간접투자자산 운용업법", "010513"] == "replacement"  # 자본시장법 부칙 제2조
    assert change["경찰법", "000992"] == "rename"  # 전부개정 (2020), 법령ID kept
    assert {r.change for r in rows} == {"rename", "replacement"}
    assert all(r.provision.startswith("kr/law/") for r in rows if r.how != "directory")


@pytest.mark.parametrize(
    ("text", "former"),
    [
        ("폐지되기 전의 「한국정책금융공사법」에 따른", True),
        ("종전의 「경찰법」 제3조", True),
        ("「간접투자자산 운용업법」(법률 제8635호로 폐지되기 전의 것을 말한다)", True),
        ("구 「증권거래법」", True),
        ("연구 「민법」", False),  # 구 ends a word here
        ("「민법」 제3조", False),
        ("「민법」(법률 제1234호로 개정되기 전의 것을 말한다)", False),  # the same law, earlier
    ],
)
def test_words_that_name_a_law_as_it_was(text: str, former: bool) -> None:
    start, end = text.index("「"), text.index("」") + 1
    assert names_former(text, start, end) is former


def test_a_replaced_name_after_jongjeon_is_the_repealed_act() -> None:
    """In article text too: 폐지되기 전의 「A」 is the repealed Act, a bare 「A」 the successor."""
    from legigraph.link.citations import find_citations
    from legigraph.link.linker import NationalTexts, resolve_one

    new = _rec("000005", "새공단법")
    law = read_law_bytes(Path("kr/새공단법/법률.md"), REPLACED.encode())
    resolver = Resolver([new], aliases=mine_aliases([(new, law)], LawIndex([new])))
    sub = URIRef("https://w3id.org/legigraph/eli/kr/law/000009/art_3")
    cases = (("폐지되기 전의 「옛공사법」에 따른", "unresolved"),
             ("「옛공사법」에 따른", "resolved"))  # fmt: skip
    for text, status in cases:
        (cit,) = find_citations(text)
        cit = replace(cit, former=names_former(text, cit.start, cit.end))
        row, _ = resolve_one(cit, None, resolver, NationalTexts({}), "2023-01-01", "x", sub)
        assert row.status == status, row.reason
