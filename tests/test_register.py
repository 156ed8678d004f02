"""The AI-project register (issue 15): fidelity of the records to the report."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF
from rdflib.term import Node

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.query.saved import QueryError, with_prefixes
from tests.conftest import ROOT

SEED = ROOT / "data" / "sources" / "seed" / "000_424a4ad638a5c806.txt"


def test_adhoc_queries_get_the_project_prefixes() -> None:
    text = "SELECT ?p WHERE { ?p a lg:AIProject ; lg:legalBasis/eli:is_part_of ?w }"
    out = with_prefixes(text)
    assert out.startswith("PREFIX lg: <https://w3id.org/legigraph/ontology#>")
    assert "PREFIX eli: <http://data.europa.eu/eli/ontology#>" in out
    assert out.count("\n") == text.count("\n")  # line numbers of errors stay right


def test_declared_prefixes_and_strings_are_left_alone() -> None:
    text = 'PREFIX lg: <http://example.org/> SELECT * WHERE { ?s lg:x "foo:bar" }'
    assert with_prefixes(text) == text


def test_an_undeclared_prefix_is_named_with_its_line() -> None:
    with pytest.raises(QueryError, match=r"undeclared prefix 'foo:' at line 2"):
        with_prefixes("SELECT * WHERE {\n ?s a foo:Bar }")


LG = "https://w3id.org/legigraph/ontology#"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"


def _seed_text(graph: Graph, location: Node) -> str:
    """The lines of a source location, joined as the curation notes join table cells."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    first = int(str(graph.value(location, URIRef(LG + "firstLine"))))
    last = int(str(graph.value(location, URIRef(LG + "lastLine"))))
    return "".join(lines[first - 1 : last])


def test_every_technique_mention_is_the_reports_words(graph: Graph) -> None:
    mentions = list(graph.subjects(RDF.type, URIRef(LG + "TechniqueMention")))
    assert len(mentions) == 22
    for mention in mentions:
        words = graph.value(mention, URIRef(LG + "words"))
        assert isinstance(words, Literal) and words.language == "ko"
        assert unicodedata.is_normalized("NFC", str(words))
        sources = list(graph.objects(mention, URIRef(PROV_DERIVED)))
        assert sources, mention
        assert any(str(words) in _seed_text(graph, s) for s in sources), (mention, str(words))


def test_curator_classifications_are_apart_from_stated_techniques(graph: Graph) -> None:
    project_11 = URIRef("https://w3id.org/legigraph/id/kr-11/ai-project/2024/11")
    assert list(graph.objects(project_11, URIRef(LG + "technique"))) == []
    (classification,) = graph.subjects(URIRef(LG + "classifies"), project_11)
    assert str(graph.value(classification, URIRef(LG + "classifiedUnder"))).endswith(
        "/intelligent-cctv"
    )
    assert graph.value(classification, PROV.wasAttributedTo) is not None


def test_the_reference_table_and_its_records_are_the_divisions(graph: Graph) -> None:
    rows = graph.query(
        """SELECT DISTINCT ?org WHERE {
             ?p a lg:AIProject ; dcterms:source ?t .
             ?t dcterms:creator ?org ; prov:wasAttributedTo ?org ; lg:attributionLine ?line .
             ?line lg:quote ?q FILTER (CONTAINS(STR(?q), "작성자료"))
           }""",
        initNs={"lg": LG, "dcterms": DCTERMS, "prov": PROV},
    )
    assert [str(r[0]) for r in rows] == [  # type: ignore[index]
        "https://w3id.org/legigraph/id/org/information-systems-division"
    ]
    projects = set(graph.subjects(RDF.type, URIRef(LG + "AIProject")))
    assert len(projects) == 18
    assert all(graph.value(p, DCTERMS.source) is not None for p in projects)


def test_top_level_units_leading_projects_agree_by_every_method(graph: Graph) -> None:
    """Class, direct org:unitOf the city, and walking up from the lead department agree."""
    ns = {"lg": LG, "org": "http://www.w3.org/ns/org#"}
    city = "<https://w3id.org/legigraph/code/org-kind/city>"
    by_class = graph.query(
        "SELECT DISTINCT ?u WHERE { ?p lg:leadDepartment/org:unitOf* ?u . ?u a lg:TopLevelUnit }",
        initNs=ns,
    )
    by_parent = graph.query(
        "SELECT DISTINCT ?u WHERE { ?p lg:leadDepartment/org:unitOf* ?u . "
        f"?u org:unitOf ?c . ?c lg:orgKind {city} }}",
        initNs=ns,
    )
    by_walk = graph.query(
        "SELECT DISTINCT ?u WHERE { ?p a lg:AIProject ; lg:leadDepartment ?d . "
        "?d org:unitOf* ?u . ?u org:unitOf ?c . "
        f"FILTER NOT EXISTS {{ ?c org:unitOf ?above }} ?c lg:orgKind {city} }}",
        initNs=ns,
    )
    answers = [{str(r[0]) for r in q} for q in (by_class, by_parent, by_walk)]  # type: ignore[index]
    assert answers[0] == answers[1] == answers[2]
    assert len(answers[0]) == 10
    center = "https://w3id.org/legigraph/id/org/seoul-comprehensive-disaster-prevention-center"
    assert center in answers[0]


def test_the_ordinance_in_force_is_marked(graph: Graph) -> None:
    work = URIRef("https://w3id.org/legigraph/eli/kr-11/ordin/2229686")
    current = graph.value(work, URIRef(LG + "currentVersion"))
    assert str(current).endswith("/2024-03-26")
    result = URIRef("https://w3id.org/legigraph/doc/kr-11/review-report/2024-1544/result/detection-time")
    assert str(graph.value(result, URIRef(LG + "baselineUnitCode"))) == "MIN"


# --- the register profile's optional fields -------------------------------------------

REGISTER_TABLE = ROOT / "data" / "tables" / "ai-project-register.csv"
REGISTER_FIELDS = (
    "https://schema.org/email", "https://schema.org/startDate", "https://schema.org/endDate",
    "https://schema.org/provider", LG + "publicationCategory", LG + "humanIntervention",
    LG + "risks", LG + "proportionality", LG + "impactAssessment", LG + "sourceData",
)


def test_the_seed_projects_have_no_register_field_the_report_does_not_give(graph: Graph) -> None:
    assert REGISTER_TABLE.read_text(encoding="utf-8").count("\n") == 1  # the header only
    for field in REGISTER_FIELDS:
        assert list(graph.subject_objects(URIRef(field))) == [], field


def _register_row(tmp_path: Path, **cells: str) -> Path:
    header = REGISTER_TABLE.read_text(encoding="utf-8").splitlines()[0].split(",")
    path = tmp_path / "ai-project-register.csv"
    row = [cells.get(column, "") for column in header]
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return path


def test_register_fields_are_checked_when_present(built: BuildResult, tmp_path: Path) -> None:
    root = ["--root", str(built.out_dir.parents[1])]
    good = _register_row(
        tmp_path, serial="5", contact_email="dasan@seoul.go.kr", begin_date="2024-01-01",
        end_date="2024-12-31", publication_category="other-algorithm",
        provider="seoul-digital-foundation", risks_ko="오답 안내",
    )
    assert main([*root, "validate", str(good)]) == 0
    for bad in (
        {"begin_date": "2025-01-01", "end_date": "2024-12-31"},  # begin after end
        {"publication_category": "high-risk"},  # not in the code list
        {"provider": "no-such-body"},  # not an organisation of the graph
        {"contact_email": "dasan.seoul.go.kr"},
    ):
        cells = {"serial": "5", "begin_date": "2024-01-01", "end_date": "2024-12-31", **bad}
        assert main([*root, "validate", str(_register_row(tmp_path, **cells))]) == 1, bad


# --- the legal basis both ways ----------------------------------------------------------


def test_the_legal_basis_links_both_ways_with_the_bill(graph: Graph) -> None:
    bill = URIRef("https://w3id.org/legigraph/eli/dl/kr-11/bill/2024/1544")
    projects = set(graph.subjects(RDF.type, URIRef(LG + "AIProject")))
    for project in projects:
        provisions = set(graph.objects(project, URIRef(LG + "legalBasis")))
        assert {str(p).rsplit("2229686/", 1)[1] for p in provisions} == {"art_3", "art_7/item_4"}
        for provision in provisions:
            assert (provision, URIRef(LG + "isLegalBasisOf"), project) in graph
        assert list(graph.objects(project, URIRef(LG + "legalBasisCreatedBy"))) == [bill]
    assert set(graph.objects(bill, URIRef(LG + "createdLegalBasisOf"))) == projects
