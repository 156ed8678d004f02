"""HermiT over the ontology, the code lists and fixture graphs (tests/fixtures/reasoner/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from legigraph.model.namespaces import ELI, LG, ORG
from legigraph.reason import ReasonerResult, run_reasoner

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILES = (ROOT / "ontology" / "legigraph.ttl", ROOT / "ontology" / "codelists.ttl")
FIXTURES = ROOT / "tests" / "fixtures" / "reasoner"

LGD = "https://w3id.org/legigraph/"
FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"
FOAF_PROJECT = "http://xmlns.com/foaf/0.1/Project"
PROV_ACTIVITY = "http://www.w3.org/ns/prov#Activity"
ORGANIZATION = str(ORG.Organization)


def with_ontology(*data: Path) -> Graph:
    graph = Graph()
    for path in (*ONTOLOGY_FILES, *data):
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def sample() -> ReasonerResult:
    return run_reasoner(with_ontology(FIXTURES / "sample.ttl"))


def types_of(result: ReasonerResult, path: str) -> frozenset[str]:
    return result.inferred_types[LGD + path]


def test_sample_is_consistent(sample: ReasonerResult) -> None:
    assert sample.consistent, sample.message


def test_project_is_a_foaf_project_and_a_prov_activity(sample: ReasonerResult) -> None:
    for project in ("id/kr-11/ai-project/2024/05", "id/kr-11/ai-project/2024/06"):
        assert FOAF_PROJECT in types_of(sample, project)
        assert PROV_ACTIVITY not in types_of(sample, project)


def test_units_are_organizations(sample: ReasonerResult) -> None:
    for unit in (
        "id/org/seoul/digital-policy-office/information-systems-division",
        "id/org/seoul/digital-policy-office",
        "id/org/seoul",
    ):
        assert ORGANIZATION in types_of(sample, unit), unit


def test_untyped_implementing_body_is_an_organization_by_range(sample: ReasonerResult) -> None:
    assert ORGANIZATION in types_of(sample, "id/org/seoul-tourism-organization/smart-tourism-team")


def test_untyped_participant_is_a_person_by_range(sample: ReasonerResult) -> None:
    assert FOAF_PERSON in types_of(sample, "id/person/lee-junseok")
    assert ORGANIZATION not in types_of(sample, "id/person/lee-junseok")


def test_ordinance_and_its_provisions_are_legal_works(sample: ReasonerResult) -> None:
    ordinance = types_of(sample, "eli/kr-11/ordin/2229686")
    assert {str(ELI.LegalResource), str(ELI.Work)} <= ordinance
    item = types_of(sample, "eli/kr-11/ordin/2229686/art_7/item_4")
    assert {str(ELI.LegalResourceSubdivision), str(ELI.LegalResource), str(ELI.Work)} <= item


def test_code_list_concepts_are_classified(sample: ReasonerResult) -> None:
    chatbot = types_of(sample, "code/ai-technique/chatbot")
    assert "http://www.w3.org/2004/02/skos/core#Concept" in chatbot


@pytest.mark.parametrize(
    "fixture", sorted(FIXTURES.glob("inconsistent*.ttl")), ids=lambda path: path.stem
)
def test_inconsistent_fixture_is_found_inconsistent(fixture: Path) -> None:
    result = run_reasoner(with_ontology(fixture))
    assert not result.consistent
    assert result.inferred_types == {}
    assert "inconsistent" in result.message


def test_built_graph_is_consistent_and_classified(graph: Graph) -> None:
    result = run_reasoner(graph)
    assert result.consistent, result.message

    projects = set(graph.subjects(RDF.type, LG.AIProject))
    assert projects, "the built graph has no lg:AIProject"
    for project in projects:
        assert FOAF_PROJECT in result.inferred_types[str(project)], project
    for unit in set(graph.subjects(RDF.type, ORG.OrganizationalUnit)):
        assert ORGANIZATION in result.inferred_types[str(unit)], unit
