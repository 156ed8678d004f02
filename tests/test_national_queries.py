"""The saved national queries on a small real store: fixture statutes, four committed laws
(민법, 고등교육법, 지속가능발전 기본법, 특정연구기관 육성법), one real family of the corpus
(서예진흥에 관한 법률, its 시행령 and 시행규칙) and the bill-1544 graph.

Every query runs on the embedded store and on rdflib over the same quads, and the rows are
checked by hand: they are the golden results of the national queries.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from legigraph.build import BuildResult
from legigraph.query.engines import OxigraphEngine, RdflibEngine, run_saved, run_text
from legigraph.query.saved import Result, SavedQuery, load_queries
from tests.conftest import ROOT, plain_rows, store_engines
from tests.corpus import small_national_store

LAW = "https://w3id.org/legigraph/eli/kr/law/"
ORDIN = "https://w3id.org/legigraph/eli/kr-11/ordin/2229686/"
QUERIES = {q.id: q for q in load_queries(ROOT / "queries").values() if q.target == "national"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    return small_national_store(tmp_path_factory.mktemp("national"), built.out_dir / "legigraph.nt")


@pytest.fixture(scope="module")
def engines(store: Path) -> tuple[OxigraphEngine, RdflibEngine]:
    return store_engines(store)


def run(
    engines: tuple[OxigraphEngine, RdflibEngine], qid: str, *, compare: bool = True, **params: str
) -> Result:
    """Run on the store and, with ``compare``, on rdflib: the rows must be the same.

    rdflib walks ``eli:is_part_of*`` from every node of the graph and joins a VALUES clause
    after a UNION: a whole law as the target of cited-by takes it 10-20 s here, the
    3-step citation paths exhaust memory and the delegation chain's four branches run past
    30 s; those calls run on the store only.
    """
    query: SavedQuery = QUERIES[qid]
    result = run_saved(engines[0], query, params or None)
    if compare:
        baseline = run_saved(engines[1], query, params or None)
        assert plain_rows(result) == plain_rows(baseline), f"{qid}: Oxigraph and rdflib differ"
    return result




def column(result: Result, name: str) -> list[str]:
    return [str(row.get(name, "")) for row in result.rows]


def test_every_national_query_is_tested() -> None:
    tested = {
        "national-cited-by", "national-most-cited-provisions", "national-most-cited-laws",
        "national-citation-paths", "national-laws-by-ministry", "national-bill-shared-citations",
        "national-delegation-chain", "annex-cited-by",
        # on the ordinance graph too: tests/test_ordinances.py
        "ordinance-cited-by", "ordinance-stale-references", "ordinance-national-basis",
        # on the same store with two more laws: tests/test_former_names.py
        "law-former-names", "former-name-law",
    }  # fmt: skip
    assert set(QUERIES) == tested


def test_cited_by_gathers_the_parts_of_a_law(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    whole = run(engines, "national-cited-by", compare=False, target=LAW + "014217")
    part = run(engines, "national-cited-by", target=LAW + "014217/art_2/item_2")
    assert column(part, "citing") == [LAW + "900004/art_1"]
    assert column(part, "citing_law_ko") == ["교차법"]
    assert set(column(part, "citing")) <= set(column(whole, "citing"))
    assert all(c.startswith(LAW + "014217") for c in column(whole, "cited"))
    # the old 지속가능발전 기본법 (010505) has the same name: the date rule keeps it out
    assert run(engines, "national-cited-by", compare=False, target=LAW + "010505").rows == []


def test_most_cited_provisions(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    result = run(engines, "national-most-cited-provisions", min_citations="1")
    counts = [int(c) for c in column(result, "citations")]
    assert counts == sorted(counts, reverse=True) and min(counts) >= 1
    rows = {str(r["cited"]): r for r in result.rows}
    assert rows[LAW + "001706/art_32"]["law_ko"] == Literal("민법", lang="ko")
    assert rows[LAW + "001706/art_32"]["cited_ko"] == Literal("제32조", lang="ko")
    assert rows[LAW + "900001"]["law"] == URIRef(LAW + "900001")  # a law cited as a whole
    high = run(engines, "national-most-cited-provisions", min_citations=str(max(counts)))
    assert [int(c) for c in column(high, "citations")] == [max(counts)] * len(high.rows)


def test_most_cited_laws(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    result = run(engines, "national-most-cited-laws", min_laws="1")
    rows = {str(r["law"]): r for r in result.rows}
    assert rows[LAW + "900001"]["citing_laws"] == Literal(2, datatype=XSD.integer)
    assert rows[LAW + "900001"]["cited_as_a_whole"] == Literal(1, datatype=XSD.integer)
    assert str(rows[LAW + "001706"]["ministries"]) == "법무부"
    assert LAW + "900004" not in rows  # nothing cites 교차법


def test_citation_paths(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    paths = {"compare": False, "from": LAW + "900004", "to": LAW + "001706"}
    one = run(engines, "national-citation-paths", **paths)  # type: ignore[arg-type]
    assert [int(s) for s in column(one, "steps")][:1] == [1]
    assert column(one, "from_ko")[0] == "교차법" and column(one, "to_ko")[0] == "민법"
    paths = {"compare": False, "from": LAW + "001706", "to": LAW + "900004"}
    none = run(engines, "national-citation-paths", **paths)  # type: ignore[arg-type]
    assert none.rows == []


def test_laws_by_ministry(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    result = run(engines, "national-laws-by-ministry")
    counts = {str(r["ministry"]): int(str(r["laws"])) for r in result.rows}
    assert counts["행정안전부"] == 3 and counts["법무부"] == 2 and counts["환경부"] == 1


def test_bill_shared_citations_cross_the_graphs(
    engines: tuple[OxigraphEngine, RdflibEngine],
) -> None:
    result = run(engines, "national-bill-shared-citations")
    pairs = {
        (str(r["bill_citing"]), str(r["cited"]), str(r["national_citing"])) for r in result.rows
    }
    assert (ORDIN + "art_2/item_2", LAW + "014217/art_2/item_2", LAW + "900004/art_1") in pairs
    assert (ORDIN + "art_6/item_5", LAW + "001706/art_32", LAW + "900004/art_2") in pairs
    assert all(str(r["bill_citing"]).startswith(ORDIN) for r in result.rows)


SEOYE, DECREE, RULE = LAW + "013199/", LAW + "013488/", LAW + "013493/"
VIA_DECREE = "문화체육관광부령으로 정하는"


def chain(result: Result) -> list[tuple[str, ...]]:
    return [
        tuple(str(r[k]) for k in ("direction", "steps", "delegating", "delegated", "wording"))
        for r in result.rows
    ]


def test_delegation_chain_down_from_the_act(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    # 법 제7조제3항 "대통령령으로 정하는 바에 따라" → 시행령 제4조제4항 (법 제7조제3항에 따라);
    # 시행령 제4조제2항 and its items 2, 3 ("문화체육관광부령으로 정하는") → 시행규칙 제2조
    result = run(engines, "national-delegation-chain", compare=False, article=SEOYE + "art_7")
    assert chain(result) == [
        ("down", "1", SEOYE + "art_7/para_3", DECREE + "art_4/para_4", "대통령령으로 정하는"),
        ("down", "2", DECREE + "art_4/para_2", RULE + "art_2/para_1", VIA_DECREE),
        ("down", "2", DECREE + "art_4/para_2/item_2", RULE + "art_2/para_2", VIA_DECREE),
        ("down", "2", DECREE + "art_4/para_2/item_3", RULE + "art_2/para_3", VIA_DECREE),
    ]
    assert (
        column(result, "delegated_law_ko")
        == ["서예진흥에 관한 법률 시행령"] + ["서예진흥에 관한 법률 시행규칙"] * 3
    )
    assert column(result, "delegating_ko")[0] == "제7조제3항"


def test_delegation_chain_up_from_the_rule(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    result = run(engines, "national-delegation-chain", compare=False, article=RULE + "art_2")
    assert chain(result) == [
        ("up", "1", DECREE + "art_4/para_2", RULE + "art_2/para_1", VIA_DECREE),
        ("up", "1", DECREE + "art_4/para_2/item_2", RULE + "art_2/para_2", VIA_DECREE),
        ("up", "1", DECREE + "art_4/para_2/item_3", RULE + "art_2/para_3", VIA_DECREE),
        ("up", "2", SEOYE + "art_7/para_3", DECREE + "art_4/para_4", "대통령령으로 정하는"),
    ]
    # the decree's article is in the middle: one step each way
    middle = run(engines, "national-delegation-chain", compare=False, article=DECREE + "art_4")
    assert [(d, s) for d, s, *_ in chain(middle)] == [("up", "1")] + [("down", "1")] * 3
    # 시행령 제4조제2항 cites 법 제7조제2항, which delegates nothing: no delegation, only a citation
    none = run(engines, "national-delegation-chain", compare=False, article=SEOYE + "art_5")
    assert none.rows == []


def test_decree_and_rule_are_based_on_their_act(
    engines: tuple[OxigraphEngine, RdflibEngine],
) -> None:
    result = run_text(
        engines[0],
        "SELECT ?a ?b WHERE { GRAPH ?g { ?a <http://data.europa.eu/eli/ontology#based_on> ?b "
        f'FILTER (STRSTARTS(STR(?a), "{LAW}0134") && !CONTAINS(STR(?a), "/art_")) }} }} '
        "ORDER BY ?a ?b",
    )
    pairs = [(str(r["a"]), str(r["b"])) for r in result.rows]
    assert pairs == [(DECREE[:-1], SEOYE[:-1]), (RULE[:-1], SEOYE[:-1]), (RULE[:-1], DECREE[:-1])]


def test_annex_cited_by(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    # 서예진흥에 관한 법률 시행규칙 제2조제1항: "… 별지 서식의 서예교육 전문인력 양성기관
    # 지정신청서에 …": the rule's one (unnumbered) form, a citation of the rule itself
    result = run(engines, "annex-cited-by", compare=False)
    keys = ("annex_ko", "law_ko", "citing", "citing_ko", "citing_law_ko")
    assert [tuple(str(r[k]) for k in keys) for r in result.rows] == [
        ("별지 서식", "서예진흥에 관한 법률 시행규칙", RULE + "art_2/para_1", "제2조제1항",
         "서예진흥에 관한 법률 시행규칙"),
    ]  # fmt: skip
    assert run(engines, "annex-cited-by", compare=False, annex=LAW + "001706/annex_1").rows == []


def test_annex_node_and_its_evidence(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    node = RULE + "form"
    result = run_text(
        engines[0],
        f"SELECT ?p ?o WHERE {{ GRAPH ?g {{ <{node}> ?p ?o }} }} ORDER BY ?p ?o",
    )
    written = sorted((str(r["p"]).rsplit("#", 1)[-1], str(r["o"])) for r in result.rows)
    assert written == sorted([
        ("type", "https://w3id.org/legigraph/ontology#Form"), ("is_part_of", RULE[:-1]),
        ("label", "별지 서식"), ("label", "Form"), ("citedByCount", "1"),
    ])  # fmt: skip
    why = run_text(
        engines[0],
        "SELECT ?rule WHERE { GRAPH ?g { ?r <https://w3id.org/legigraph/ontology#resolvedTo> "
        f"<{node}> ; <https://w3id.org/legigraph/ontology#resolutionRule> ?rule }} }}",
    )
    assert [str(r["rule"]) for r in why.rows] == ["self"]  # the rule's own form
