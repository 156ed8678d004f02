"""Competency questions: every saved query answers its CQ with exactly the seed's facts.

The expected values below were read off the seed document (the review report of bill
1544), not off the data, and the saved queries' results must also equal their golden
files, both on rdflib and on Oxigraph.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.query import ResultRow
from rdflib.term import Identifier, Node

from legigraph.build import BuildResult
from legigraph.query import golden
from legigraph.query.engines import OxigraphEngine, RdflibEngine
from legigraph.query.saved import SavedQuery, bind, load_queries
from tests.conftest import ROOT

LGD = "https://w3id.org/legigraph/"
CODE = LGD + "code/"
# plain namespaces: pytest probes module globals, which rdflib's closed XSD would refuse
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
ALL_QUERIES = load_queries(ROOT / "queries")
# queries on the national graph (`#+ target: national`) need `legigraph ingest statutes`:
# they have no golden files and are not run against the bill-1544 build; those on its history
# graph (`#+ target: history`) have theirs checked by tests/test_history.py
QUERIES = {k: q for k, q in ALL_QUERIES.items() if q.target not in golden.STORE_TARGETS}

Row = dict[str, Any]


# --- running a saved query ------------------------------------------------------------


def _python(term: Node | None) -> Any:
    """A result term as a plain Python value: IRIs and text as str, typed literals native."""
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.language or term.datatype in (None, XSD.string):
            return str(term)
        if term.datatype in (XSD.duration, XSD.gYearMonth, XSD.gYear):
            return str(term)
        return term.toPython()
    return str(term)


def select(graph: Graph, query_id: str, **params: Identifier) -> list[Row]:
    """Rows of a saved query, its parameters bound to their defaults unless given."""
    query = QUERIES[query_id]
    bindings = {**query.bindings(), **params}
    result = graph.query(bind(query.text, bindings))
    names = [str(var) for var in result.vars or []]
    rows = []
    for row in result:
        assert isinstance(row, ResultRow)
        values = row.asdict()
        rows.append({name: _python(values.get(name)) for name in names})
    return rows


def one(rows: list[Row]) -> Row:
    assert len(rows) == 1, rows
    return rows[0]


def nospace(text: str) -> str:
    """Names split over table lines in the seed: compare them without spaces."""
    return "".join(text.split())


# --- CQ01–CQ12 --------------------------------------------------------------------------


def test_cq01_bill_record(graph: Graph) -> None:
    row = one(select(graph, "cq01-bill-record"))
    assert row["title_ko"] == "서울특별시 미래전략과제 발굴 및 육성 조례 일부개정조례안"
    assert row["number"] == "1544"
    assert row["proposer_ko"] == "김동욱"
    assert row["job_title_ko"] == "서울특별시의회 의원"
    assert row["member_of_ko"] == "서울특별시의회"
    assert row["supporters"] == 41
    assert row["proposal_date"] == dt.date(2024, 2, 2)
    assert row["referral_date"] == dt.date(2024, 2, 7)


def test_cq02_amended_provisions(graph: Graph) -> None:
    rows = select(graph, "cq02-amended-provisions")
    got = {
        (r["provision_ko"], r["article_heading_ko"], r["amendment_type"], r["inserted_text_ko"])
        for r in rows
    }
    insertion = CODE + "amendment-type/insertion"
    assert len(rows) == 2
    assert got == {
        ("제3조", "미래전략과제의 범위", insertion, "인공지능사업"),
        (
            "제7조제4호",
            "지원사업",
            insertion,
            "신기술 및 인공지능을 활용한 시책 개발 및 보급을 위한 사업",
        ),
    }
    assert {r["proposed_as"] for r in rows} == {"안 제3조", "안 제7조제4호"}


# 제3조 lists six scope types before the amendment. The code list labels them with the
# ordinance's own wording (삶의 질과 "관련되는" …); the review report paraphrases "관련된".
SCOPE_BEFORE = {
    "환경보전사업",
    "신기술기반사업",
    "공간개발사업",
    "지역주력산업",
    "신성장동력산업",
    "삶의 질과 관련되는 장기적이고 미래지향적인 사업",
}


def test_cq03_scope_before_after(graph: Graph) -> None:
    rows = select(graph, "cq03-scope-before-after")
    by_version: dict[tuple[dt.date, str], set[str]] = {}
    for r in rows:
        assert r["provision_ko"] == "제3조"
        key = (r["version_date"], r["promulgation_number"])
        by_version.setdefault(key, set()).add(r["scope_ko"])
    assert len(rows) == 6 + 7
    assert by_version == {
        (dt.date(2023, 5, 22), "8756"): SCOPE_BEFORE,
        (dt.date(2024, 3, 26), "9173"): SCOPE_BEFORE | {"인공지능사업"},
    }


def test_cq04_cited_national_law(graph: Graph) -> None:
    rows = select(graph, "cq04-cited-national-law")
    row = one([r for r in rows if r["law_ko"] == "지속가능발전 기본법"])
    assert (row["citing_ko"], row["law_ko"], row["cited_ko"]) == (
        "제2조제2호",
        "지속가능발전 기본법",
        "제2조제2호",
    )
    assert row["citing"] == LGD + "eli/kr-11/ordin/2229686/art_2/item_2"
    assert row["cited"] == LGD + "eli/kr/law/014217/art_2/item_2"
    # [national] 법령ID 014217, 법률 제18708호, promulgated 2022-01-04, in force 2022-07-05
    assert (row["law_id"], row["mst"], row["promulgation_number"]) == ("014217", "238845", "18708")
    assert (row["promulgated"], row["in_force"]) == (dt.date(2022, 1, 4), dt.date(2022, 7, 5))
    # the ordinance also cites 「민법」 제32조 (제6조제5호); the other citations name laws only
    assert {(r["citing_ko"], r["law_ko"], r["cited_ko"]) for r in rows} == {
        ("제2조제2호", "지속가능발전 기본법", "제2조제2호"),
        ("제6조제5호", "민법", "제32조"),
    }


def test_cq13_ordinance_national_record(graph: Graph) -> None:
    rows = select(graph, "cq13-ordinance-national-record")
    assert {r["local_law_id"] for r in rows} == {"2229686"}
    first, after = rows
    assert (first["promulgation_number"], first["promulgated"]) == ("8756", dt.date(2023, 5, 22))
    assert (after["promulgation_number"], after["promulgated"]) == ("9173", dt.date(2024, 3, 26))
    assert after["serial"] == "1915179"
    assert first["serial"] is None  # the first version's 자치법규일련번호 is not in the data


def test_cq05_projects_per_category(graph: Graph) -> None:
    rows = select(graph, "cq05-projects-per-category")
    counts = {r["category_ko"]: r["projects"] for r in rows}
    assert len(rows) == 4
    assert counts == {
        "AI 약자 동행": 4,
        "AI 매력서비스": 5,
        "AI 안전망 조성": 4,
        "AI 업무방식 혁신": 5,
    }
    assert sum(counts.values()) == 18


# The reference table: 연번, 사업명, 주관부서 (office, unit), 추진부서 (body, unit).
PROJECTS = [
    (1, "스마트 안부 확인 서비스", "복지정책실", "안심돌봄복지과", "복지정책실", "안심돌봄복지과"),
    (2, "AI 디지털 성범죄 피해촬영물 삭제지원 시스템 운영", "여성가족정책실", "양성평등담당관",
     "서울디지털성범죄안심지원센터", "피해지원팀"),
    (3, "AI 성매매 광고 등 유해 콘텐츠 검출시스템 개발", "여성가족정책실", "양성평등담당관",
     "여성가족정책실", "양성평등담당관"),
    (4, "AI 기반 119 종합상황 관리체계 구축", "서울종합방재센터", "전산통신과",
     "서울종합방재센터", "전산통신과"),
    (5, '서울시 대표 챗봇 "서울톡" 운영', "디지털정책관", "정보시스템담당관",
     "디지털정책관", "정보시스템담당관"),
    (6, "서울관광 AI 챗봇 서비스 도입", "관광체육국", "관광정책과", "서울관광재단", "스마트관광팀"),
    (7, "지하철 외국어 동시대화(음성 번역) 시스템 운영", "도시교통실", "도시철도과",
     "서울교통공사", "영업지원처"),
    (8, "빅데이터 서비스 플랫폼 구축", "디지털정책관", "빅데이터담당관",
     "디지털정책관", "빅데이터담당관"),
    (9, "서울식물원 어린이대공원 AI 로봇 운영", "푸른도시여가국", "공원여가정책과",
     "서울식물원", "기획행정과"),
    (10, "AI CCTV 기반 실종자 고속검색 시스템 구축", "디지털정책관", "정보통신보안담당관",
     "디지털정책관", "정보통신보안담당관"),
    (11, "민간건축공사장 스마트 안전기술 지원사업", "주택정책실", "지역건축안전센터",
     "주택정책실", "지역건축안전센터"),
    (12, "영상기반 포트홀 자동탐지시스템 구축", "재난안전관리실", "도로관리과",
     "재난안전관리실", "도로관리과"),
    (13, "AI 기반 ICT 산불감시 시스템 구축", "푸른도시여가국", "자연생태과",
     "푸른도시여가국", "자연생태과"),
    (14, "직원용 업무 챗봇(서우리주무관) 운영", "디지털정책관", "정보시스템담당관",
     "디지털정책관", "정보시스템담당관"),
    (15, "서울형 AI(sLLM) 모델 개발", "디지털정책관", "디지털정책담당관",
     "서울디지털재단", "AI빅데이터팀"),
    (16, "인공지능 기반 보안관제 플랫폼 운영", "디지털정책관", "정보통신보안담당관",
     "디지털정책관", "정보통신보안담당관"),
    (17, "응답소.민원분석시스템 운영", "홍보기획관", "민원담당관", "홍보기획관", "민원담당관"),
    (18, "개인정보 유출 및 오남용 방지 AI 대응시스템 운영", "디지털정책관", "정보시스템담당관",
     "디지털정책관", "정보시스템담당관"),
]  # fmt: skip


def test_cq06_project_departments(graph: Graph) -> None:
    rows = select(graph, "cq06-project-departments")
    got = [
        (
            r["serial"],
            nospace(r["name_ko"]),
            r["lead_parent_ko"],
            r["lead_ko"],
            r["implementer_parent_ko"],
            r["implementer_ko"],
        )
        for r in rows
    ]
    expected = [(n, nospace(name), *units) for n, name, *units in PROJECTS]
    assert got == expected  # ordered by 연번, one row per project


def test_cq07_ai_departments(graph: Graph) -> None:
    rows = select(graph, "cq07-ai-departments")
    got = {
        (r["parent_ko"], r["department_ko"], r["alt_name_ko"], r["function_ko"],
         r["planned_opening"])
        for r in rows
    }  # fmt: skip
    assert len(rows) == 4
    assert got == {
        ("디지털정책관", "정보시스템담당관", None, "인공지능 정책 수립·조정", None),
        ("디지털정책관", "정보시스템담당관", None, "인공지능 기반 서비스 구축·운영", None),
        ("경제정책실", "첨단산업과", None, "인공지능 산업 육성 등", None),
        ("서울특별시", "서울특별시립과학관", "서울로봇인공지능과학관",
         "로봇·인공지능 등 첨단분야 전시·체험 등", "2024-05"),
    }  # fmt: skip


def test_cq08_projects_of_office(graph: Graph) -> None:
    rows = select(graph, "cq08-projects-of-office")
    assert [r["serial"] for r in rows] == [5, 8, 10, 14, 15, 16, 18]
    assert {r["office_ko"] for r in rows} == {"디지털정책관"}
    names = {r["serial"]: nospace(r["name_ko"]) for r in rows}
    for serial, fragment in [
        (5, "서울톡"),
        (8, "빅데이터 서비스 플랫폼"),
        (10, "AI CCTV 기반 실종자 고속검색"),
        (14, "서우리 주무관"),
        (15, "서울형 AI(sLLM)"),
        (16, "인공지능 기반 보안관제 플랫폼"),
        (18, "개인정보 유출 및 오남용 방지 AI 대응시스템"),
    ]:
        assert nospace(fragment) in names[serial]


def test_cq08_other_office(graph: Graph) -> None:
    bureau = URIRef(LGD + "id/org/green-city-leisure-bureau")
    rows = select(graph, "cq08-projects-of-office", office=bureau)
    assert [r["serial"] for r in rows] == [9, 13]


def test_cq09_report_author_contact(graph: Graph) -> None:
    row = one(select(graph, "cq09-report-author-contact"))
    assert (row["author_ko"], row["author_job_title_ko"]) == ("이준석", "수석전문위원")
    assert (row["contact_ko"], row["contact_job_title_ko"], row["telephone"]) == (
        "성동준",
        "입법조사관",
        "02-2180-8055",
    )


def test_cq10_review_opinions(graph: Graph) -> None:
    rows = select(graph, "cq10-review-opinions")
    assert len(rows) == 2
    got = {r["provision_ko"]: r for r in rows}
    assert set(got) == {"제3조", "제7조제4호"}
    art3, art7 = got["제3조"], got["제7조제4호"]
    assert art3["assessment"] == CODE + "review-assessment/appropriate"
    assert art3["assessment_ko"] == "적절"
    assert "적절한 것으로 판단됨" in art3["opinion_text_ko"]
    assert art3["covered_by"] is None
    assert art7["assessment"] == CODE + "review-assessment/no-legal-objection"
    assert art7["assessment_ko"] == "법리상 문제 없음"
    assert "법리상 문제는 없을 것으로 사료됨" in art7["opinion_text_ko"]
    assert art7["covered_by_ko"] == "제7조제1호"


def test_cq11_reported_results(graph: Graph) -> None:
    rows = select(graph, "cq11-reported-results")
    got = {
        r["result"].rsplit("/", 1)[1]: (r["value"], r["unit"], r["baseline"], r["period_months"])
        for r in rows
    }
    assert got == {
        "videos-monitored": (450_000, "건", None, 7),  # 45만 건, 7개월간
        "monitoring-increase": (1265, "%", None, None),  # 1265% 증가
        "detection-time": (3, "분", 120, None),  # 3분, 사람은 평균 2시간
        "deletion-support-increase": (2, "배", None, None),  # 2배 증가
    }
    assert {(r["source_publisher"], r["source_date"], r["source_title"]) for r in rows} == {
        (
            "서울신문",
            dt.date(2023, 11, 28),
            "서울시 AI 디지털 성범죄 삭제 지원, 정부 혁신 우수 사례 대상",
        )
    }
    assert {r["project_ko"] for r in rows} == {"AI 디지털 성범죄 피해촬영물 삭제지원 시스템 운영"}


def test_cq12_definitions(graph: Graph) -> None:
    rows = select(graph, "cq12-definitions")
    got = [
        (r["provision_ko"], r["term_ko"], r["definition_ko"], r["defined_by_law_ko"],
         r["defined_by_ko"])
        for r in rows
    ]  # fmt: skip
    assert got == [
        ("제2조제1호", "미래전략과제",
         '서울특별시(이하 "시"라 한다)의 지속가능한 발전을 위하여 필요한 핵심과제', None, None),
        ("제2조제2호", "지속가능한 발전",
         "「지속가능발전 기본법」제2조제2호에 따른 경제, 사회 및 환경에서 현세대와 미래 세대의"
         " 공존을 위해 조화와 균형을 이루는 발전", "지속가능발전 기본법", "제2조제2호"),
    ]  # fmt: skip


# --- the saved queries as files -----------------------------------------------------------


def test_every_cq_has_a_query() -> None:
    answered = Counter(cq for query in QUERIES.values() for cq in query.answers)
    assert set(answered) >= {f"CQ{n:02d}" for n in range(1, 14)}
    assert all(count == 1 for count in answered.values()), answered


@pytest.mark.parametrize("query", ALL_QUERIES.values(), ids=ALL_QUERIES.keys())
def test_header(query: SavedQuery) -> None:
    assert query.description and query.keywords
    assert query.answers or not query.id.startswith("cq"), "a cqNN query names its CQ"
    assert set(query.title) == {"ko", "en"}
    if query.form == "SELECT":
        assert query.ordered, "results must come in a total order"
    for param in query.params:
        assert param.default is not None and param.example is not None, param


@pytest.mark.parametrize(
    "query",
    [q for q in QUERIES.values() if q.params],
    ids=[k for k, q in QUERIES.items() if q.params],
)
def test_params_restrict_results(graph: Graph, query: SavedQuery) -> None:
    """A parameter bound to an IRI that names nothing leaves no row: it is in scope."""
    for param in (p for p in query.params if p.type == "iri"):
        nothing = {param.name: URIRef(LGD + "id/nothing")}
        if query.form == "ASK":
            text = bind(query.text, {**query.bindings(), **nothing})
            assert graph.query(text).askAnswer is False, param.name
        else:  # SELECT rows, or CONSTRUCT triples
            assert select(graph, query.id, **nothing) == [], param.name


# --- golden results, on rdflib and on Oxigraph ---------------------------------------------


@pytest.fixture(scope="session")
def oxigraph(built: BuildResult) -> OxigraphEngine:
    store = ox.Store()
    store.load(path=str(built.out_dir / "legigraph.nt"), format=ox.RdfFormat.N_TRIPLES)
    return OxigraphEngine(store)


@pytest.fixture(scope="session")
def embedded(built: BuildResult) -> OxigraphEngine:
    return OxigraphEngine.open(built.out_dir / "store")


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_golden_rdflib(graph: Graph, query: SavedQuery) -> None:
    assert golden.matches(golden.result_doc(RdflibEngine(graph), query), query)


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_golden_oxigraph_in_memory(oxigraph: OxigraphEngine, query: SavedQuery) -> None:
    assert golden.matches(golden.result_doc(oxigraph, query), query)


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_golden_embedded_store(embedded: OxigraphEngine, query: SavedQuery) -> None:
    assert golden.matches(golden.result_doc(embedded, query), query)


def test_golden_comparison_can_fail(graph: Graph) -> None:
    query = QUERIES["cq05-projects-per-category"]
    doc = golden.result_doc(RdflibEngine(graph), query)
    doc["results"]["bindings"][0]["projects"]["value"] = "99"
    assert not golden.matches(doc, query)
