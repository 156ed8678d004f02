"""IRI minting: documented patterns, ASCII only, errors for bad identifiers."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef

from legigraph.model import ids
from legigraph.model.namespaces import SH, bind_prefixes
from tests.conftest import ROOT

B = "https://w3id.org/legigraph/"


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        (ids.bill(2024, 1544), "eli/dl/kr-11/bill/2024/1544"),
        (ids.process(2024, 1544), "eli/dl/kr-11/proc/2024/1544"),
        (ids.activity(2024, 1544, "referral"), "eli/dl/kr-11/event/2024-1544-referral"),
        (ids.ordinance("2229686"), "eli/kr-11/ordin/2229686"),
        (ids.ordinance_version("2229686", "2024-03-26"), "eli/kr-11/ordin/2229686/2024-03-26"),
        (
            ids.provision(ids.ordinance(2229686), "art_7/item_4"),
            "eli/kr-11/ordin/2229686/art_7/item_4",
        ),
        (
            ids.provision_by_id("kr-11/ordin/2229686/art_7/item_4"),
            "eli/kr-11/ordin/2229686/art_7/item_4",
        ),
        (ids.provision_by_id("kr/law/014217/art_2/item_2"), "eli/kr/law/014217/art_2/item_2"),
        (ids.amendment(ids.amending_act(9173), 1), "eli/kr-11/ordin-amend/9173/amendment/1"),
        (ids.national_law("014217"), "eli/kr/law/014217"),
        (ids.ai_project(2024, 5), "id/kr-11/ai-project/2024/05"),
        (ids.organisation("digital-policy-office"), "id/org/digital-policy-office"),
        (ids.concept("ai-technique", "chatbot"), "code/ai-technique/chatbot"),
        (
            ids.report_part(ids.review_report(2024, 1544), "opinion", "art_7/item_4"),
            "doc/kr-11/review-report/2024-1544/opinion/art_7/item_4",
        ),
    ],
)
def test_patterns(iri: str, expected: str) -> None:
    assert str(iri) == B + expected


@pytest.mark.parametrize(
    ("label", "path"),
    [
        ("제3조", "art_3"),
        ("제7조제4호", "art_7/item_4"),
        ("제2조 제2호", "art_2/item_2"),
        ("제4조의2제1항제3호가목", "art_4-2/para_1/item_3/subitem_1"),
        ("제10조제2항", "art_10/para_2"),
    ],
)
def test_path_from_citation(label: str, path: str) -> None:
    assert ids.path_from_citation(label) == path


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ids.organisation("디지털정책관"), "not a lowercase ASCII slug"),
        (lambda: ids.organisation("Digital_Policy"), "not a lowercase ASCII slug"),
        (lambda: ids.ordinance("22-29"), "digits only"),
        (lambda: ids.ordinance_version("2229686", "2024-3-26"), "YYYY-MM-DD"),
        (lambda: ids.provision(ids.ordinance(1), "article_3"), "provision path"),
        (lambda: ids.provision_by_id("2229686/art_3"), "provision id"),
        (lambda: ids.provision_by_id("kr-11/ordin/2229686/제3조"), "provision path"),
        (lambda: ids.ai_project(2024, 100), "1..99"),
        (lambda: ids.ai_project(2024, "nineteen"), "whole number"),  # type: ignore[arg-type]
        (lambda: ids.path_from_citation("제3항조"), "cannot read provision label"),
    ],
)
def test_bad_identifiers_are_refused(call: object, message: str) -> None:
    with pytest.raises(ids.IdError, match=message):
        call()  # type: ignore[operator]


def test_external_links_are_percent_encoded() -> None:
    url = ids.external("https://www.law.go.kr/자치법규/서울특별시미래전략과제발굴및육성조례")
    assert str(url).isascii()
    assert str(url).startswith("https://www.law.go.kr/%EC%9E%90")


# One minted example per shape (by its lgsh: name) that gives an IRI pattern: the shape's
# sh:pattern must match what ids.py mints (a new pattern shape needs an example here).
_LAW = ids.national_law("014217")
_REPORT = ids.review_report(2024, 1544)
_PROJECT = ids.ai_project(2024, 5)
_ITEM = str(ids.provision(ids.ordinance(2229686), "art_2/item_2"))
_ARTICLE = str(ids.provision(ids.national_law("001706"), "art_3"))
MINTED = {
    "DraftLegislationWork": [ids.bill(2024, 1544)],
    "Process": [ids.process(2024, 1544)],
    "Agent": [ids.agent("legigraph-curators")],
    "Activity": [ids.activity(2024, 1544, "referral")],
    "Participation": [ids.participation(2024, 1544, "proposer", 1)],
    "Ordinance": [ids.ordinance(2229686)],
    "OrdinanceVersion": [ids.ordinance_version(2229686, "2024-03-26")],
    "LawVersion": [ids.law_version("014217", "2023-05-22")],
    "LegalResourceSubdivision": [
        ids.provision(ids.ordinance(2229686), "art_7/item_4"),
        ids.provision(_LAW, "art_4-2/para_1~2/item_3/subitem_1"),
        ids.provision(_LAW, "addendum_8756/art_1"),
    ],
    # the provision an ordinance cites that the cited law's text does not have
    "LegalResourceSubdivision-citesMissingProvision": [ids.provision(_LAW, "art_16/para_1")],
    "ProvisionVersion": [
        ids.provision(ids.ordinance_version(2229686, "2024-03-26"), "art_7/item_5"),
        ids.provision(ids.law_version("014217", "2023-05-22"), "art_2/item_2"),
    ],
    "AmendingAct": [ids.amending_act(9173)],
    "Amendment": [ids.amendment(ids.amending_act(9173), 1)],
    "ChangeEvent": [
        ids.change_event(ids.ordinance_version(2229686, "2024-03-26"), 3),
        ids.change_event(ids.law_version("014306", "2025-12-30"), 1),
    ],
    "NationalLaw": [_LAW],
    "ReviewReport": [_REPORT],
    "ReviewOpinion": [ids.report_part(_REPORT, "opinion", "art_7/item_4")],
    "PolicyInitiative": [ids.report_part(_REPORT, "policy", "ai-seoul")],
    "ReportedResult": [ids.report_part(_REPORT, "result", "videos-monitored")],
    "AIProject": [_PROJECT],
    "Quantity": [ids.quantity(_PROJECT, "baseline")],
    "TechniqueMention": [ids.technique_mention(_PROJECT, 1)],
    "TechniqueClassification": [ids.technique_classification(_PROJECT, "intelligent-cctv")],
    "Organization": [ids.organisation("digital-policy-office")],
    "Person": [ids.person("hong-gildong")],
    "NewsArticle": [ids.source_document("news-2024-ai")],
    "SourceLocation": [ids.source_location(ids.SEED, "l120-l140")],
    "ConceptScheme": [ids.concept_scheme("ai-technique")],
    "Concept": [ids.concept("ai-technique", "chatbot")],
    "DraftAmendment": [ids.bill_amendment(ids.bill(2024, 1544), 1)],
    "CitationResolution": [
        URIRef(ids.citation_resolution_iri(_ITEM, 4)),
        URIRef(ids.citation_resolution_iri(_ARTICLE, 0)),
        URIRef(ids.citation_resolution_iri(_ITEM, 13, "2023-05-22")),
    ],
    "NationalAmendingAct": [ids.national_amending_act("001720", 11690)],
    "NationalAmendment": [ids.amendment(ids.national_amending_act("001720", 11690), 1)],
    "NationalAmendingAct-amendingLaw": [ids.national_law("001720")],
    "NationalAmendingAct-amendingVersion": [ids.law_version("001720", "2013-03-23")],
    "NationalAmendingAct-amends": [ids.national_law("000899")],
    "NationalAmendment-amendedLaw": [ids.national_law("000899")],
    "SourceDocument": [ids.SEED],
    "FormerName": [ids.former_name("000992", "경찰법", "deemed")],
    "FormerName-nameOf": [ids.national_law("000992")],
    "FormerName-kind": [ids.concept("alias-kind", "deemed")],
    "FormerName-change": [ids.concept("name-change", "replacement")],
    "FormerName-derivedFrom": [
        ids.provision_by_id("kr/law/000992/addendum_17689/art_8"),
        ids.provision_by_id("kr/law/001855/addendum_8733"),
    ],
    "FormerName-generatedBy": [ids.alias_mining("1039c585" * 8)],
    "Annex": [ids.annex(_LAW, "annex", "1의2"), ids.annex(ids.ordinance(2229686), "annex", "1"),
              ids.annex(_LAW, "annex", "")],
    "Form": [ids.annex(_LAW, "form", "3"), ids.annex(_LAW, "form", "3의2")],
    "annex-is_part_of": [_LAW, ids.ordinance(2229686)],
}


def _pattern_shapes() -> dict[str, list[str]]:
    shapes = bind_prefixes(Graph()).parse(ROOT / "shapes" / "legigraph.shacl.ttl")
    found: dict[str, list[str]] = {}
    for shape, pattern in shapes.subject_objects(SH.pattern):
        if str(pattern).startswith("^https://w3id"):
            name = str(shape).rsplit("#", 1)[-1]
            found.setdefault(name, []).append(str(pattern))
    return found


def test_every_iri_pattern_of_the_shapes_matches_what_ids_mints() -> None:
    shapes = _pattern_shapes()
    assert set(shapes) == set(MINTED), "a pattern shape without a minted example, or the reverse"
    for target, patterns in shapes.items():
        for pattern in patterns:
            for iri in MINTED[target]:
                assert re.search(pattern, str(iri)), f"{target}: {iri} does not match {pattern}"


def test_graph_iris() -> None:
    assert str(ids.NATIONAL_GRAPH) == B + "graph/national"
    assert str(ids.HISTORY_GRAPH) == B + "graph/history"
    assert str(ids.bill_graph(1544)) == B + "graph/bill-1544"


def test_dump_iris() -> None:
    assert str(ids.dump_file("bill-1544.nt.gz")) == B + "dumps/bill-1544.nt.gz"
    assert str(ids.DUMP_CATALOG) == B + "dumps/catalog"
    assert str(ids.SPARQL_ENDPOINT) == B + "sparql"
    for bad in ("../x.nt", "bill-1544", "Bill.nt", "x.nt/../y"):
        with pytest.raises(ids.IdError):
            ids.dump_file(bad)


def test_record_id_of_reads_what_the_minters_wrote() -> None:
    law, ordinance = ids.national_law("014217"), ids.ordinance(2229686)
    assert ids.record_id_of(str(law)) == "014217"
    assert (
        ids.record_id_of(str(ids.provision(ids.law_version("014217", "2023-05-22"), "art_2")))
        == "014217"
    )
    assert ids.record_id_of(str(ids.provision(ordinance, "art_7/item_4"))) == "2229686"
    assert ids.record_id_of(str(ids.bill(2024, 1544))) is None
    assert ids.record_id_of("https://example.org/eli/kr/law/014217") is None


def test_citation_resolution_iris_sit_under_the_citing_provision() -> None:
    citing = str(ids.provision(ids.ordinance(2229686), "art_2/item_2"))
    assert ids.citation_resolution_iri(citing, 12) == citing + "/resolution/12"
    assert ids.citation_resolution_iri(citing, 12, "2023-05-22") == (
        citing + "/resolution/2023-05-22/12"
    )
    assert ids.record_id_of(ids.citation_resolution_iri(citing, 0)) == "2229686"
    for start, on in ((-1, None), (3, "20230522")):
        with pytest.raises(ids.IdError):
            ids.citation_resolution_iri(citing, start, on)


def _documented_examples() -> list[str]:
    """The examples of the IRI table of docs/model.md (the full ones, not the `…/` short)."""
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    table = text.split("## IRI patterns", 1)[1].split("\n\n", 3)[2]
    found = []
    for row in table.splitlines()[2:]:
        example = row.strip("|").split("|")[-1]
        found += [e for e in re.findall(r"`([^`]+)`", example) if not e.startswith("…")]
    return found


def test_every_documented_iri_example_is_one_the_shapes_accept() -> None:
    """docs/model.md's table, the shapes' sh:pattern and ids.py (above) say the same."""
    patterns = [p for ps in _pattern_shapes().values() for p in ps]
    examples = _documented_examples()
    assert len(examples) >= 25
    unmatched = [e for e in examples if not any(re.search(p, B + e) for p in patterns)]
    assert not unmatched, f"docs/model.md examples no shape pattern accepts: {unmatched}"


def test_former_name_iris() -> None:
    """법령ID, a hash of the name's key and the kind: ASCII, stable, one per row."""
    iri = ids.former_name("000992", "경찰법", "deemed")
    assert str(iri) == B + "id/kr/former-name/000992/07d3a9f5e0bdf848-deemed"
    assert ids.former_name("000992", "경찰법", "substituted") != iri
    decomposed = "\u1100\u1167\u11bc\u110e\u1161\u11af\u1107\u1165\u11b8"  # 경찰법, NFD
    assert ids.name_key("경찰법") == ids.name_key(decomposed)
    bads = (("0992x", "경찰법", "deemed"), ("000992", " ", "deemed"),
            ("000992", "경찰법", "Deemed"))  # fmt: skip
    for bad in bads:
        with pytest.raises(ids.IdError):
            ids.former_name(*bad)
    with pytest.raises(ids.IdError):
        ids.alias_mining("abc")
    assert ids.in_addendum(B + "eli/kr/law/001855/addendum_8733/art_2")
    assert not ids.in_addendum(B + "eli/kr/law/001855/art_2")
