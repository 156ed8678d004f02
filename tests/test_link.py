"""Linking to the national law data: resolver, identifiers, links, consistency."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

from legigraph.build import BuildResult
from legigraph.link.citations import find_citations
from legigraph.link.linker import (
    CitationRow,
    NationalTexts,
    committed_texts,
    law_index,
    resolve_one,
)
from legigraph.link.resolve import normalise_name
from legigraph.link.targets import annex_title, range_members
from legigraph.model import ids
from legigraph.model.namespaces import ELI, LG
from legigraph.paths import Layout
from tests.conftest import ROOT

LAYOUT = Layout(ROOT)
INDEX = law_index(LAYOUT)
TEXTS = NationalTexts(committed_texts(LAYOUT))
LAW = ids.national_law("014217")


@pytest.mark.parametrize(
    ("date", "status", "law_id"),
    [
        ("2023-05-22", "resolved", "014217"),  # the ordinance's date: the 2022 Act
        ("2024-03-26", "resolved", "014217"),
        ("2015-01-01", "resolved", "010505"),  # before 2022 only the 2007 Act existed
        ("2005-01-01", "unresolved", None),  # neither was in force
        (None, "ambiguous", None),  # no date: never guessed
    ],
)
def test_the_two_framework_acts_trap(date: str | None, status: str, law_id: str | None) -> None:
    res = INDEX.resolve("지속가능발전 기본법", date)
    assert res.status == status
    assert (res.record.law_id if res.record else None) == law_id
    assert {c.law_id for c in res.candidates} == {"014217", "010505"}
    assert res.reason


@pytest.mark.parametrize(
    "name", ["지속가능발전기본법", " 지속가능발전  기본법", "「지속가능발전 기본법」"]
)
def test_name_variants(name: str) -> None:
    assert INDEX.resolve(name, "2023-05-22").record.law_id == "014217"  # type: ignore[union-attr]


def test_middle_dots_are_one() -> None:
    assert normalise_name("가ㆍ나") == normalise_name("가·나") == normalise_name("가 ・ 나")


def test_unknown_name_is_unresolved_with_reason() -> None:
    res = INDEX.resolve("존재하지 않는 법", "2023-05-22")
    assert res.status == "unresolved" and "no law" in res.reason


def resolve_text(text: str) -> tuple[str, str, str]:
    cit = find_citations(text)[0]
    row, _ = resolve_one(cit, None, INDEX, TEXTS, "2023-05-22", "test", URIRef("urn:x"))
    return row.status, row.target, row.reason


def test_provision_that_does_not_exist() -> None:
    status, target, reason = resolve_text("「지속가능발전 기본법」 제99조에 따른")
    assert status == "unresolved" and target == ""
    assert "제99조 does not exist" in reason and "32 articles" in reason


def test_item_level_resolution() -> None:
    status, target, _ = resolve_text("「지속가능발전 기본법」제2조제2호에 따른")
    assert status == "resolved" and target == str(ids.provision(LAW, "art_2/item_2"))


def test_bill_provisions_are_not_law_citations() -> None:
    assert resolve_text("안 제7조제4호는")[0] == "skipped"


def test_linked_identifiers(graph: Graph) -> None:
    ordinance = ids.ordinance("2229686")
    assert (ordinance, ELI.id_local, Literal("2229686")) in graph
    after = ids.ordinance_version("2229686", "2024-03-26")
    assert (after, LG.localLawSerialNumber, Literal("1915179")) in graph
    assert (after, LG.promulgationNumber, Literal("9173")) in graph
    assert (LAW, ELI.id_local, Literal("014217")) in graph
    version = ids.law_version("014217", "2022-01-04")
    assert (version, LG.lawSerialNumber, Literal("238845")) in graph
    assert (version, LG.promulgationNumber, Literal("18708")) in graph
    assert (version, OWL.sameAs, URIRef("http://lod.law.go.kr/resource/LSI238845")) in graph
    pages = {str(o) for o in graph.objects(LAW, RDFS.seeAlso)}
    assert pages == {str(ids.external("https://www.law.go.kr/법령/지속가능발전기본법"))}
    article = {str(o) for o in graph.objects(ids.provision(LAW, "art_2"), RDFS.seeAlso)}
    assert article == {str(ids.external("https://www.law.go.kr/법령/지속가능발전기본법/제2조"))}


def test_citations_become_cites_at_item_level(graph: Graph) -> None:
    citing = ids.provision(ids.ordinance("2229686"), "art_2/item_2")
    assert (citing, ELI.cites, ids.provision(LAW, "art_2/item_2")) in graph
    assert (ids.provision(ids.ordinance("2229686"), "art_6/item_5"), ELI.cites,
            ids.provision(ids.national_law("001706"), "art_32")) in graph  # fmt: skip


def test_national_text_of_the_cited_item(graph: Graph) -> None:
    item = ids.provision(ids.law_version("014217", "2022-01-04"), "art_2/item_2")
    text = str(graph.value(item, URIRef("https://schema.org/text")))
    assert text.startswith('"지속가능발전"이란 지속가능한 경제 성장과 포용적 사회')


def test_amended_provisions_match_the_national_text(graph: Graph) -> None:
    # The text after the amendment in the graph is the national ordinance text itself.
    national = TEXTS.committed["2229686"]
    for path in ("art_3", "art_7/item_4", "art_7/item_5"):
        pv = ids.provision(ids.ordinance_version("2229686", "2024-03-26"), path)
        assert str(graph.value(pv, URIRef("https://schema.org/text"))) == national.find(path).text


def test_report_counts_and_paraphrase(built: BuildResult) -> None:
    assert built.link is not None
    counts = built.link.counts()
    assert counts["resolved"] == 10 and counts["ambiguous"] == 0 and counts["unresolved"] == 0
    report = built.link.render()
    assert "resolved 10, ambiguous 0, unresolved 0" in report
    (finding,) = {(p.citing, p.cited, p.verdict) for p in built.link.paraphrases}
    assert finding == ("제2조제2호", "제2조제2호", "paraphrases")
    paraphrase = built.link.paraphrases[0]
    assert "경제, 사회 및 환경" in paraphrase.citing_text
    assert "포용적 사회" in paraphrase.cited_text
    assert 0.3 <= paraphrase.similarity < 1


def test_link_with_a_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "kr" / "고등교육법"
    corpus.mkdir(parents=True)
    (corpus / "법률.md").write_text(
        "---\n법령ID: '000899'\n공포일자: 2020-01-01\n공포번호: '1'\n시행일자: 2020-01-01\n---\n"
        "##### 제1조 (목적)\n\n목적.\n",
        encoding="utf-8",
    )
    texts = NationalTexts({}, tmp_path / "corpus")
    record = INDEX.resolve("고등교육법", "2023-05-22").record
    assert record is not None
    law = texts.get(record)
    assert law is not None and [p.path for p in law.walk()] == ["art_1"]


def test_online_fetch_of_a_missing_record(tmp_path: Path) -> None:
    import shutil

    from legigraph.build import fetch_missing_records
    from legigraph.link.linker import api_cache
    from legigraph.sources.lawgokr_client import LawGoKrClient
    from tests.conftest import copy_project
    from tests.test_lawgokr import GOOD, FakeLawGoKr, Reply, route_key

    layout = copy_project(tmp_path / "project")
    shutil.rmtree(layout.data / "external" / "legalize-kr" / "kr" / "고등교육법")
    record = INDEX.by_id["000899"]
    fake = FakeLawGoKr()
    try:
        fake.route(route_key("lawService.do", target="law", MST=record.serial), Reply(GOOD))
        client = LawGoKrClient(
            "secret-oc",
            base_url=fake.base_url,
            cache_dir=api_cache(layout),
            min_interval=0.0,
            backoff=0.01,
            config=tmp_path / "none.toml",
        )
        lines = fetch_missing_records(layout, client)
    finally:
        fake.server.shutdown()
        fake.server.server_close()
    assert lines == [f"fetched 고등교육법 (000899, MST {record.serial})"]
    cached = api_cache(layout) / "law" / f"MST{record.serial}.xml"
    assert cached.read_bytes() == GOOD
    texts = NationalTexts(committed_texts(layout), None, api_cache(layout))
    law = texts.get(record)
    assert law is not None and law.source == cached


def test_context_relative_levels_are_not_linked() -> None:
    # 「X」 제2항 names a paragraph of "this article": article 0, whatever the level.
    status, target, reason = resolve_text("「지속가능발전 기본법」 제2항에 따라")
    assert status == "unresolved" and "context-relative" in reason
    assert target == str(LAW)  # the law is known; the provision is not linked


def _row(text: str, texts: NationalTexts = TEXTS, sub: str = "urn:x") -> CitationRow:
    return resolve_one(find_citations(text)[0], None, INDEX, texts, "2023-05-22", "test",
                       URIRef(sub))[0]  # fmt: skip


CIVIL = ids.national_law("001706")


def test_every_member_of_a_list_or_range_is_a_target() -> None:
    listed = _row("「민법」 제32조ㆍ제33조에 따른")
    assert listed.targets == tuple(str(ids.provision(CIVIL, f"art_{n}")) for n in (32, 33))
    ranged = _row("「지속가능발전 기본법」 제2조제1호부터 제3호까지")
    assert ranged.targets == tuple(str(ids.provision(LAW, f"art_2/item_{n}")) for n in (1, 2, 3))
    assert ranged.evidence is not None and len(ranged.evidence.more) == 2
    # without the text, a range's members are not known: its two ends, and the reason says so
    bare = _row("「민법」 제32조부터 제34조까지", NationalTexts({}))
    assert bare.targets == tuple(str(ids.provision(CIVIL, f"art_{n}")) for n in (32, 34))
    assert "two ends only" in bare.reason


def test_range_members_in_the_text_order() -> None:
    known = frozenset({"art_4", "art_5", "art_5-2", "art_6", "art_6/para_1", "art_7", "art_10"})
    assert range_members("art_5", "art_7", known) == ["art_5", "art_5-2", "art_6", "art_7"]
    assert range_members("art_5", "art_6/para_1", known) is None  # not of one level
    assert range_members("art_5", "art_7", None) is None


def test_annexes_and_forms_link_to_their_nodes() -> None:
    row = _row("「민법」 별표 1에 따른")
    assert row.status == "resolved" and row.target == str(ids.annex(CIVIL, "annex", "1"))
    assert "not checked: the corpus holds no annex list" in row.reason
    form = _row("「민법」 별지 제3호의2서식에 따라")
    assert form.target == f"{CIVIL}/form_3-2"
    part = _row("「지속가능발전 기본법」 별표 2 제3호에 따른")  # a part of an annex: the annex
    assert part.target == f"{LAW}/annex_2" and "names 제3호" in part.reason
    # 별표 1과 같다 in the law itself: the citing law's own node
    own = _row("별표 1과 같다", sub=str(ids.provision(CIVIL, "art_5")))
    assert own.target == f"{CIVIL}/annex_1" and own.evidence is not None
    assert own.evidence.rule == "self"
    assert _row("별표 1과 같다").status == "internal"  # a citing text of no law of the index


def test_annex_list_of_a_law_go_kr_record() -> None:
    civil = replace(TEXTS.committed["001706"], annexes={("annex", "1"): "과태료의 부과기준"})
    texts = NationalTexts({"001706": civil})
    row = _row("「민법」 별표 1", texts)
    assert row.status == "resolved" and "checked against the law.go.kr record" in row.reason
    missing = _row("「민법」 별표 2", texts)
    assert missing.status == "unresolved" and "not among the 1 annexes" in missing.reason
    assert annex_title(row.target, texts.annexes(INDEX.by_id["001706"])) == "과태료의 부과기준"
