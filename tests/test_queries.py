"""The saved queries beyond the competency questions: each returns the facts of the seed.

Expected values are read off the seed document (the review report of bill 1544) and, where
marked, off the national ordinance data the graph links to. Every saved query's golden
result is checked on rdflib, Oxigraph and Virtuoso by tests/test_cq.py and
tests/test_virtuoso.py; here non-default parameters are also checked on both embedded
engines.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Identifier

from legigraph.build import BuildResult
from legigraph.query import golden
from legigraph.query.engines import OxigraphEngine, RdflibEngine, run_saved
from legigraph.query.results import to_sparql_json
from legigraph.query.saved import bind
from tests.conftest import ROOT
from tests.test_cq import PROJECTS, QUERIES, nospace, one, select

LGD = "https://w3id.org/legigraph/"
ORDIN = LGD + "eli/kr-11/ordin/2229686"
BILL = LGD + "eli/dl/kr-11/bill/2024/1544"
CODE = LGD + "code/"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
LG = Namespace("https://w3id.org/legigraph/ontology#")
SCHEMA = Namespace("https://schema.org/")
SEED = ROOT / "data" / "sources" / "seed" / "000_424a4ad638a5c806.txt"

ART3_BEFORE = (
    "이 조례를 적용하는 미래전략과제는 환경보전사업, 신기술기반사업, 공간개발사업, 지역주력산업, "
    "신성장동력산업 및 삶의 질과 관련되는 장기적이고 미래지향적인 사업으로 한다."
)
ART3_AFTER = ART3_BEFORE.replace("신기술기반사업, ", "신기술기반사업, 인공지능사업, ")
NEW_ITEM = "신기술 및 인공지능을 활용한 시책 개발 및 보급을 위한 사업"
OLD_ITEM = "그 밖에 시장이 필요하다고 인정하는 사업"


def iri(path: str) -> URIRef:
    return URIRef(LGD + path)


def date(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def serials(rows: list[dict[str, Any]]) -> list[int]:
    return [r["serial"] for r in rows]


# --- the bill and the ordinance --------------------------------------------------------


def test_bill_timeline(graph: Graph) -> None:
    rows = select(graph, "bill-timeline")
    steps = list(dict.fromkeys((r["activity_type_en"], r["date"]) for r in rows))
    assert steps == [
        ("proposal", dt.date(2024, 2, 2)),  # 제안일자 : 2024년 2월 2일
        ("referral", dt.date(2024, 2, 7)),  # 회부일자 : 2024년 2월 7일
        ("review report", None),  # 검토보고: the seed gives no date
    ]
    assert rows[0]["activity_type_ko"] == "제안"
    people = {
        (r["activity_type_en"], r["role_ko"], r["participant_ko"], r["in_name_of_ko"],
         r["participant_count"])
        for r in rows
    }  # fmt: skip
    assert people == {
        ("proposal", "대표발의", "김동욱", "서울특별시의회", 1),
        ("proposal", "찬성", None, "서울특별시의회", 41),  # 찬성자 41명
        ("referral", None, None, None, None),
        ("review report", "검토(수석전문위원)", "이준석", None, 1),
        ("review report", "입법조사관", "성동준", None, 1),
    }


def test_amendment_text_article_3(graph: Graph) -> None:
    row = one(select(graph, "amendment-text"))
    assert row["provision_ko"] == "제3조"
    assert row["amendment_type"] == CODE + "amendment-type/insertion"
    assert row["inserted_text_ko"] == "인공지능사업"
    assert row["promulgation_number"] == "9173"
    assert (row["text_before_ko"], row["text_after_ko"]) == (ART3_BEFORE, ART3_AFTER)
    assert "인공지능사업" not in row["text_before_ko"]
    assert (row["version_before_date"], row["version_after_date"]) == (
        dt.date(2023, 5, 22),
        dt.date(2024, 3, 26),
    )
    assert row["date_in_force"] == dt.date(2024, 3, 26)


def test_amendment_text_article_7_items_4_and_5(graph: Graph) -> None:
    def amendments(provision: str) -> dict[str, tuple[str | None, ...]]:
        rows = select(graph, "amendment-text", provision=iri(provision))
        return {
            r["amendment_type"].rsplit("/", 1)[1]: (
                r["text_before_ko"], r["text_after_ko"], r["provision_before_ko"],
                r["provision_after_ko"],
            )
            for r in rows
        }  # fmt: skip

    # 안 제7조제4호: the new item (seed), a work-level subdivision of its own
    assert amendments("eli/kr-11/ordin/2229686/art_7/item_4") == {
        "insertion": (None, NEW_ITEM, None, "제7조제4호"),
    }
    # the old item 4 moves to item 5 [national]: one provision, named as it goes on
    assert amendments("eli/kr-11/ordin/2229686/art_7/item_5") == {
        "renumbering": (OLD_ITEM, OLD_ITEM, "제7조제4호", "제7조제5호"),
    }


def test_provision_cited_by(graph: Graph) -> None:
    rows = select(graph, "provision-cited-by")
    got = {
        (r["relation"].rsplit("#", 1)[1], r["citing_ko"], r["work_ko"], r["term_ko"]) for r in rows
    }
    ordinance = "서울특별시 미래전략과제 발굴 및 육성 조례"
    assert len(rows) == 2
    assert got == {
        # 조례 제2조제2호 cites 「지속가능발전 기본법」 제2조제2호 …
        ("cites", "제2조제2호", ordinance, None),
        # … and defines 지속가능한 발전 by it
        ("definedBy", "제2조제2호", ordinance, "지속가능한 발전"),
    }
    assert {r["citing"] for r in rows} == {ORDIN + "/art_2/item_2"}
    assert {r["work"] for r in rows} == {ORDIN}


def test_provision_cited_by_law(graph: Graph) -> None:
    rows = select(graph, "provision-cited-by", provision=iri("eli/kr/law/014217"))
    assert [(r["citing"], r["work"]) for r in rows] == [(ORDIN, ORDIN)]


def test_article_text_on_date_before_the_amendment(graph: Graph) -> None:
    rows = select(graph, "article-text-on-date")  # 2024-01-01
    assert {r["version"] for r in rows} == {ORDIN + "/2023-05-22"}
    assert {r["promulgation_number"] for r in rows} == {"8756"}
    text = {r["provision_ko"]: r["text_ko"] for r in rows}
    assert len(rows) == len(text) == 23
    assert text["제3조"] == ART3_BEFORE
    assert "인공지능사업" not in text["제3조"]
    assert text["제7조제4호"] == OLD_ITEM
    assert "제7조제5호" not in text
    assert [r["position"] for r in rows] == list(range(1, 24))  # in the order of the text


def test_article_text_on_date_after_the_amendment(graph: Graph) -> None:
    rows = select(graph, "article-text-on-date", date=date("2024-04-01"))
    assert {r["version"] for r in rows} == {ORDIN + "/2024-03-26"}
    text = {r["provision_ko"]: r["text_ko"] for r in rows}
    headings = {r["provision_ko"]: r["heading_ko"] for r in rows}
    assert len(rows) == 25
    assert "인공지능사업" in text["제3조"]
    assert text["제3조"] == ART3_AFTER
    assert text["제7조제4호"] == NEW_ITEM
    assert text["제7조제5호"] == OLD_ITEM
    assert headings["제3조"] == "미래전략과제의 범위"


@pytest.mark.parametrize(
    ("day", "version"),
    [
        ("2023-05-21", None),  # before the ordinance was enacted
        ("2023-05-22", "2023-05-22"),
        ("2024-03-25", "2023-05-22"),  # its last day in force
        ("2024-03-26", "2024-03-26"),
        ("2030-01-01", "2024-03-26"),
    ],
)
def test_article_text_on_date_boundaries(graph: Graph, day: str, version: str | None) -> None:
    rows = select(graph, "article-text-on-date", date=date(day))
    assert {r["version"] for r in rows} == ({f"{ORDIN}/{version}"} if version else set())


def test_ordinance_versions(graph: Graph) -> None:
    rows = select(graph, "ordinance-versions")
    got = [
        (r["version_date"], r["promulgation_number"], r["local_law_serial_number"],
         r["in_force_from"], r["in_force_until"], r["provisions"], r["bill_number"])
        for r in rows
    ]  # fmt: skip
    assert got == [
        # first enacted as 제8756호, 2023-05-22 [national]
        (dt.date(2023, 5, 22), "8756", None, dt.date(2023, 5, 22), dt.date(2024, 3, 25), 23,
         None),
        # 자치법규일련번호 1915179, 공포 제9173호, 2024-03-26, enacting bill 1544 [national]
        (dt.date(2024, 3, 26), "9173", "1915179", dt.date(2024, 3, 26), None, 25, "1544"),
    ]  # fmt: skip
    assert {r["ordinance"] for r in rows} == {ORDIN}  # 자치법규ID 2229686
    assert rows[1]["amending_act"] == LGD + "eli/kr-11/ordin-amend/9173"


@pytest.mark.parametrize(
    ("provision", "amended"),
    [
        ("art_3", True),
        ("art_7/item_4", True),
        ("art_7", True),  # holds the amended item
        ("art_7/item_1", False),  # named by the review opinion, not amended
        ("art_2/item_2", False),
        ("art_1", False),
    ],
)
def test_bill_amends_provision(graph: Graph, provision: str, amended: bool) -> None:
    query = QUERIES["bill-amends-provision"]
    text = bind(query.text, query.bindings({"provision": f"{ORDIN}/{provision}"}))
    assert graph.query(text).askAnswer is amended


# --- the AI projects and the organisations --------------------------------------------------

CATEGORY = {
    "ai-companion-for-vulnerable": [1, 2, 3, 4],
    "ai-attractive-services": [5, 6, 7, 8, 9],
    "ai-safety-net": [10, 11, 12, 13],
    "ai-work-innovation": [14, 15, 16, 17, 18],
}


def test_ai_project_legal_basis(graph: Graph) -> None:
    rows = select(graph, "ai-project-legal-basis")
    basis: dict[int, set[str]] = defaultdict(set)
    for r in rows:
        basis[r["serial"]].add(r["provision_ko"])
    assert len(rows) == 36
    assert basis == {n: {"제3조", "제7조제4호"} for n in range(1, 19)}
    text = {r["provision_ko"]: r["text_ko"] for r in rows}
    assert text == {"제3조": ART3_AFTER, "제7조제4호": NEW_ITEM}  # the version in force
    assert {r["version_date"] for r in rows} == {dt.date(2024, 3, 26)}
    assert {r["ordinance_ko"] for r in rows} == {"서울특별시 미래전략과제 발굴 및 육성 조례"}
    assert {r["article_heading_ko"] for r in rows} == {"미래전략과제의 범위", "지원사업"}


def test_legal_basis_provisions(graph: Graph) -> None:
    """The legal basis read from the provisions, with the bill that created it."""
    rows = select(graph, "legal-basis-provisions")
    projects: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        projects[r["provision_ko"]].add(r["serial"])
    assert projects == {"제3조": set(range(1, 19)), "제7조제4호": set(range(1, 19))}
    assert len(rows) == 36  # one row per (provision, project), whatever the amendments
    assert {(r["bill_number"], r["promulgation_number"]) for r in rows} == {("1544", "9173")}
    assert {str(r["bill"]) for r in rows} == {LGD + "eli/dl/kr-11/bill/2024/1544"}


def test_ai_projects_by_department(graph: Graph) -> None:
    rows = select(graph, "ai-projects-by-department")
    assert [(r["serial"], r["role"]) for r in rows] == [
        (5, "lead"), (5, "implementing"), (14, "lead"), (14, "implementing"),
        (18, "lead"), (18, "implementing"),
    ]  # fmt: skip
    assert {r["department_ko"] for r in rows} == {"정보시스템담당관"}


@pytest.mark.parametrize(
    ("department", "expected"),
    [
        ("gender-equality-division", {(2, "lead"), (3, "lead"), (3, "implementing")}),
        ("victim-support-team", {(2, "implementing")}),
        ("digital-policy-division", {(15, "lead")}),
        ("ai-big-data-team", {(15, "implementing")}),
        ("digital-policy-office", set()),  # its units lead, the office itself does not
    ],
)
def test_ai_projects_by_other_department(
    graph: Graph, department: str, expected: set[tuple[int, str]]
) -> None:
    rows = select(graph, "ai-projects-by-department", department=iri(f"id/org/{department}"))
    assert {(r["serial"], r["role"]) for r in rows} == expected


@pytest.mark.parametrize("category", CATEGORY)
def test_ai_projects_by_category(graph: Graph, category: str) -> None:
    concept = iri(f"code/ai-project-category/{category}")
    rows = select(graph, "ai-projects-by-category", category=concept)
    assert serials(rows) == CATEGORY[category]


def test_ai_projects_by_category_default(graph: Graph) -> None:
    rows = select(graph, "ai-projects-by-category")
    assert serials(rows) == [10, 11, 12, 13]
    assert {r["category_ko"] for r in rows} == {"AI 안전망 조성"}
    assert {r["serial"]: r["lead_ko"] for r in rows}[12] == "도로관리과"


@pytest.mark.parametrize(
    ("technique", "expected"),
    [
        ("chatbot", {5, 6, 8, 14}),  # 서울톡, 관광 챗봇, 빅데이터 AI챗봇, 서우리 주무관
        ("generative-ai", {6, 8, 15}),  # 생성형 AI 기반 챗봇, 생성형AI, 생성형 AI 시정도입
        ("machine-learning", {3, 8}),  # 기계학습
        ("intelligent-cctv", {10}),  # 지능형 CCTV; 11 (CCTV+AI) is a curator classification
        ("speech-recognition", {4}),  # 음성인식
        ("large-generative-ai", set()),  # named only in the bill's reasons (Chat GPT)
    ],
)
def test_ai_projects_by_technique(graph: Graph, technique: str, expected: set[int]) -> None:
    concept = iri(f"code/ai-technique/{technique}")
    rows = select(graph, "ai-projects-by-technique", technique=concept)
    assert set(serials(rows)) == expected
    assert len(rows) == len(expected)


def test_ai_projects_by_technique_default(graph: Graph) -> None:
    rows = select(graph, "ai-projects-by-technique")
    assert serials(rows) == [5, 6, 8, 14]
    assert {r["technique_ko"] for r in rows} == {"챗봇"}


def test_organisations_with_projects(graph: Graph) -> None:
    rows = select(graph, "organisations-with-projects")
    counts = {r["organisation_ko"]: (r["leads"], r["implements"]) for r in rows}
    parent = {r["organisation_ko"]: r["parent_ko"] for r in rows}
    assert len(rows) == len(counts) == 40  # one row each
    assert counts["정보시스템담당관"] == (3, 3)  # 5, 14, 18
    assert parent["정보시스템담당관"] == "디지털정책관"
    assert counts["정보통신보안담당관"] == (2, 2)  # 10, 16
    assert counts["양성평등담당관"] == (2, 1)  # leads 2 and 3, implements 3
    assert counts["피해지원팀"] == (0, 1)
    assert parent["피해지원팀"] == "서울디지털성범죄안심지원센터"
    assert counts["디지털정책관"] == (0, 0)
    assert counts["서울특별시의회"] == (0, 0)
    assert sum(r["leads"] for r in rows) == sum(r["implements"] for r in rows) == 18
    assert rows[0]["organisation_ko"] == "정보시스템담당관"  # most active first


def test_ai_register(graph: Graph) -> None:
    rows = select(graph, "ai-register")
    assert serials(rows) == list(range(1, 19))
    got = [
        (r["serial"], nospace(r["name_ko"]), r["lead_parent_ko"], r["lead_ko"],
         r["implementer_parent_ko"], r["implementer_ko"])
        for r in rows
    ]  # fmt: skip
    assert got == [(n, nospace(name), *units) for n, name, *units in PROJECTS]
    category = {r["serial"]: r["category"].rsplit("/", 1)[1] for r in rows}
    assert category == {n: c for c, ns in CATEGORY.items() for n in ns}
    status = {r["serial"]: r["status_ko"] for r in rows}
    assert (status[5], status[6], status[10], status[15]) == ("운영", "도입", "구축", "개발")
    techniques = {r["serial"]: r["techniques"] for r in rows}
    assert (techniques[3], techniques[8], techniques[13]) == (2, 3, 0)


def test_ai_register_techniques(graph: Graph) -> None:
    rows = select(graph, "ai-register-techniques")
    used: dict[int, set[str]] = defaultdict(set)
    for r in rows:
        used[r["serial"]].add(r["technique_ko"])
    assert used[3] == {"기계학습", "이미지인식"}
    assert used[4] == {"음성인식", "음성봇"}
    assert used[8] == {"기계학습", "생성형 AI", "챗봇"}
    assert used[12] == {"영상인식", "딥러닝"}
    assert used[15] == {"생성형 AI", "소규모언어모델(sLLM)"}
    counts = {r["serial"]: r["techniques"] for r in select(graph, "ai-register")}
    assert Counter(r["serial"] for r in rows) == {n: c for n, c in counts.items() if c}


def test_techniques_overview(graph: Graph) -> None:
    rows = select(graph, "techniques-overview")
    projects = {r["technique_ko"]: r["projects"] for r in rows}
    assert len(rows) == len(projects) == 16  # every concept of the code list
    assert projects["챗봇"] == 4
    assert projects["생성형 AI"] == 3
    assert projects["AI 안전진단"] == projects["IoT"] == projects["초거대 생성형 AI"] == 0
    assert {r["technique_ko"]: r["broader_ko"] for r in rows}["초거대 생성형 AI"] == "생성형 AI"
    assert sum(projects.values()) == len(select(graph, "ai-register-techniques"))
    assert rows[0]["technique_ko"] == "챗봇"


def test_project_quantities(graph: Graph) -> None:
    rows = select(graph, "project-quantities")
    got = {r["serial"]: (r["value"], r["unit_ko"]) for r in rows}
    assert got == {
        4: (240, "회선"),  # 전화 신고접수 240회선
        5: (24, "시간"),  # 24시간 자동 처리
        8: (300, "종"),  # 빅데이터 플랫폼 DB 300종
        12: (2000, "대"),  # 자동차 2,000대
    }


def test_ai_project_record(graph: Graph) -> None:
    query = QUERIES["ai-project-record"]
    record = run_saved(RdflibEngine(graph), query).graph
    assert record is not None
    project = iri("id/kr-11/ai-project/2024/05")
    assert (project, LG.serialNumber, Literal(5)) in record
    assert (project, LG.technique, iri("code/ai-technique/chatbot")) in record
    assert (iri("code/ai-technique/chatbot"), SKOS.prefLabel, Literal("챗봇", lang="ko")) in record
    lead = iri("id/org/information-systems-division")
    assert (project, LG.leadDepartment, lead) in record
    assert (lead, RDFS.label, Literal("정보시스템담당관", lang="ko")) in record
    quantity = iri("id/kr-11/ai-project/2024/05/quantity/service-hours-per-day")
    assert (quantity, SCHEMA.value, Literal(24)) in record
    assert {s for s in record.subjects(LG.serialNumber)} == {project}


def test_ai_project_record_with_results(graph: Graph) -> None:
    query = QUERIES["ai-project-record"]
    params = {"project": LGD + "id/kr-11/ai-project/2024/02"}
    record = run_saved(RdflibEngine(graph), query, params).graph
    assert record is not None
    values = {
        int(v.toPython()) for v in record.objects(None, SCHEMA.value) if isinstance(v, Literal)
    }
    assert values == {450_000, 1265, 3, 2}  # the results of footnote 3


# --- the review report, provenance and counts ------------------------------------------


def test_policy_context(graph: Graph) -> None:
    rows = select(graph, "policy-context")
    by_policy: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_policy[r["policy"].rsplit("/", 1)[1]].append(r)
    assert len(by_policy) == 5
    top3 = one(by_policy["top3-ai-nation-2027"])  # 2027년까지 세계 3위권 내 인공지능 국가
    assert (top3["agent_ko"], top3["target_year"], top3["target_rank"]) == ("정부", "2027", 3)
    plan = one(by_policy["seoul-ai-master-plan"])  # ‘서울형 인공지능 종합계획’ (’24. 3월 예정)
    assert (plan["policy_ko"], plan["agent_ko"], plan["planned_date"]) == (
        "서울형 인공지능 종합계획",
        "서울특별시",
        "2024-03",
    )
    assert one(by_policy["national-tasks-120"])["task_count"] == 120  # 120대 국정과제
    areas = {r["application_area_ko"] for r in by_policy["government-ai-application-areas"]}
    assert areas == {
        "AI 기반 상권정보 및 맞춤형 교육",
        "AI·IoT 기술을 활용한 스마트돌봄 서비스 제공",
        "AI 기반 화물처리 등 스마트 물류시설 확대",
        "AI·데이터를 활용한 디지털 재난관리체계 구축",
    }


def seed_lines(first: int, last: int) -> str:
    lines = SEED.read_text(encoding="utf-8").splitlines()[first - 1 : last]
    return "\n".join(line.strip() for line in lines if line.strip())


def test_fact_provenance(graph: Graph) -> None:
    rows = select(graph, "fact-provenance")
    spans = {r["source"].rsplit("/", 1)[1]: r for r in rows if r["first_line"]}
    assert set(spans) == {"title", "sec-1-ga", "sec-2", "sec-3"}
    assert (spans["sec-1-ga"]["first_line"], spans["sec-1-ga"]["quote_ko"]) == (
        8,
        "가. 의안번호 : 제1544호",
    )
    for span in spans.values():  # each quote is the text of its lines of the seed
        assert span["quote_ko"] == seed_lines(span["first_line"], span["last_line"])
        assert span["document_identifier"] == "sources/seed/000_424a4ad638a5c806.txt"
        assert span["via"] == span["source"]
    documents = [r for r in rows if not r["first_line"]]
    assert [r["document_identifier"] for r in documents] == [
        "external/ordinance-kr/2229686/raw/1915179.md"
    ]
    assert documents[0]["document_address"].startswith("https://www.law.go.kr/")


def test_fact_provenance_through_a_version(graph: Graph) -> None:
    node = iri("eli/kr-11/ordin/2229686/2023-05-22/art_3")
    rows = select(graph, "fact-provenance", node=node)
    assert {r["via"] for r in rows} == {ORDIN + "/2023-05-22"}
    sources = {r["source"].rsplit("/", 1)[1] for r in rows}
    assert {"2023-05-22", "ordinance-2229686-8756-reconstructed", "sec-4-da-p3"} <= sources
    scope = next(r for r in rows if r["source"].endswith("/sec-4-da-p3"))
    assert "환경보전사업" in scope["quote_ko"]  # 미래전략과제의 범위는 ▸환경보전사업 …


def test_dashboard_counts(graph: Graph) -> None:
    rows = select(graph, "dashboard-counts")
    counts = {(r["metric"], r["scope"]): r["value"] for r in rows}
    assert len(counts) == len(rows)
    assert counts[("ai-projects", None)] == 18  # 연번 1–18
    assert counts[("review-opinions", None)] == 2  # 안 제3조, 안 제7조제4호
    assert counts[("reported-results", None)] == 4  # footnote 3
    assert counts[("project-quantities", None)] == 4
    assert counts[("defined-terms", None)] == 2  # 제2조 1., 2.
    assert counts[("policy-initiatives", None)] == 5
    assert counts[("amendments", None)] == 3  # 2 proposed, 1 consequential renumbering
    # the amended ordinance's two versions, and the linked 지방보조금 관리 조례 (2000178)
    assert counts[("ordinance-versions", None)] == 3
    assert counts[("provisions", ORDIN + "/2023-05-22")] == 23
    assert counts[("provisions", ORDIN + "/2024-03-26")] == 25
    assert counts[("organisations", None)] == len(select(graph, "organisations-with-projects"))
    assert counts[("organisational-units", None)] < counts[("organisations", None)]
    assert counts[("source-locations", None)] > 0


# --- non-default parameters give the same rows on both embedded engines --------------------


@pytest.fixture(scope="module")
def oxigraph(built: BuildResult) -> OxigraphEngine:
    store = ox.Store()
    store.load(path=str(built.out_dir / "legigraph.nt"), format=ox.RdfFormat.N_TRIPLES)
    return OxigraphEngine(store)


CASES: list[tuple[str, dict[str, str]]] = [
    ("article-text-on-date", {"date": "2024-04-01"}),
    ("article-text-on-date", {"date": "2024-03-25"}),
    ("amendment-text", {"provision": ORDIN + "/art_7/item_4"}),
    ("ai-projects-by-technique", {"technique": CODE + "ai-technique/generative-ai"}),
    ("ai-projects-by-department", {"department": LGD + "id/org/gender-equality-division"}),
    ("fact-provenance", {"node": ORDIN + "/2023-05-22/art_3"}),
    ("bill-amends-provision", {"provision": ORDIN + "/art_7"}),
    ("bill-amends-provision", {"provision": ORDIN + "/art_1"}),
    ("ai-project-record", {"project": LGD + "id/kr-11/ai-project/2024/02"}),
]


@pytest.mark.parametrize(("query_id", "params"), CASES, ids=[f"{q}-{p}" for q, p in CASES])
def test_engines_agree_on_parameters(
    graph: Graph, oxigraph: OxigraphEngine, query_id: str, params: dict[str, str]
) -> None:
    query = QUERIES[query_id]
    docs: list[Any] = []
    for engine in (RdflibEngine(graph), oxigraph):
        result = run_saved(engine, query, params)
        if result.graph is not None:
            docs.append(golden.ntriples(result.graph))
        else:
            docs.append(golden.comparable(to_sparql_json(result), query.ordered))
    if query.form == "CONSTRUCT":
        assert golden.same_graph(docs[0], docs[1])
    else:
        assert docs[0] == docs[1]


# --- binding parameters and graph golden results ------------------------------------------


def test_bind_puts_literals_inside_the_where_group() -> None:
    text = (
        'SELECT ?x WHERE { ?x <http://e/p> "a { b }" . # a } comment\n'
        "  FILTER (?d >= ?x) OPTIONAL { ?x <http://e/q#r> ?y } }\nORDER BY ?x\n"
    )
    values: dict[str, Identifier] = {"d": date("2024-01-01"), "s": URIRef("http://e/s")}
    bound = bind(text, values)
    inline = 'VALUES (?d) { ("2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }'
    assert bound.index(inline) < bound.index("}\nORDER BY")  # inside the WHERE group
    assert bound.rstrip().endswith("VALUES (?s) { (<http://e/s>) }")  # an IRI: trailing
    assert Graph().query(bound) is not None  # still parses


def test_bind_puts_every_value_of_ask_and_construct_inside() -> None:
    for text in (
        "ASK { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ):
        bound = bind(text, {"s": URIRef("http://e/s")})
        assert bound.rstrip().endswith("VALUES (?s) { (<http://e/s>) }\n}")
        Graph().query(bound)
    describe = bind("DESCRIBE ?s", {"s": URIRef("http://e/s")})
    assert describe.endswith("VALUES (?s) { (<http://e/s>) }\n")


def test_bind_fills_slots_where_the_query_puts_them() -> None:
    text = (
        "SELECT ?x WHERE {\n  { SELECT ?x WHERE { VALUES ?n { UNDEF } ?x <http://e/p> ?v"
        " FILTER (?v >= ?n) } LIMIT 5 }\n  VALUES ?s { UNDEF } ?s <http://e/q> ?x .\n"
        "  VALUES ?unbound { UNDEF }\n}\n"
    )
    values: dict[str, Identifier] = {"n": Literal(3), "s": URIRef("http://e/s")}
    bound = bind(text, values)
    assert 'VALUES (?n) { ("3"^^<http://www.w3.org/2001/XMLSchema#integer>) } ?x' in bound
    assert "VALUES (?s) { (<http://e/s>) } ?s <http://e/q>" in bound  # an IRI, not trailing
    assert "VALUES ?unbound { UNDEF }" in bound and bound.count("VALUES") == 3
    graph = Graph()
    for s, v in (("a", 2), ("b", 4)):
        graph.add((URIRef(f"http://e/{s}"), URIRef("http://e/p"), Literal(v)))
        graph.add((URIRef("http://e/s"), URIRef("http://e/q"), URIRef(f"http://e/{s}")))
    assert [str(row[0]) for row in graph.query(bound)] == ["http://e/b"]  # type: ignore[index]


def test_graph_golden_comparison_can_fail(graph: Graph) -> None:
    query = QUERIES["ai-project-record"]
    assert golden.golden_path(query).suffix == ".nt"
    doc = golden.result_doc(RdflibEngine(graph), query)
    assert golden.matches(doc, query)
    lines = doc["triples"].splitlines(keepends=True)
    assert not golden.matches({"triples": "".join(lines[1:])}, query)
    changed = doc["triples"].replace('"24"^^', '"25"^^')
    assert changed != doc["triples"]
    assert not golden.matches({"triples": changed}, query)
