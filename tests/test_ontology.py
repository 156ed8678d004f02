"""The ontology and code lists, record by record: declarations, labels, SKOS shape, Unicode."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from legigraph.model.namespaces import LG

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "legigraph.ttl"
CODELISTS_FILE = ROOT / "ontology" / "codelists.ttl"
MODEL_DOC = ROOT / "docs" / "model.md"
SEED = ROOT / "data" / "sources" / "seed" / "000_424a4ad638a5c806.txt"

ONTOLOGY_IRI = URIRef("https://w3id.org/legigraph/ontology")
CODE_BASE = "https://w3id.org/legigraph/code/"
SEED_IRI = URIRef("https://w3id.org/legigraph/source/seed-424a4ad638a5c806")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")

ONTOLOGY = Graph().parse(ONTOLOGY_FILE)
CODELISTS = Graph().parse(CODELISTS_FILE)
DECLARED = {s for kind in DECLARATIONS for s in ONTOLOGY.subjects(RDF.type, kind)}
LG_TERMS = sorted(t for t in DECLARED if isinstance(t, URIRef) and t.startswith(str(LG)))
STUBS = sorted(t for t in DECLARED if isinstance(t, URIRef) and not t.startswith(str(LG)))
CONCEPTS = sorted(s for s in CODELISTS.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef))
SCHEMES = sorted(
    s for s in CODELISTS.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)
)


def short(term: URIRef) -> str:
    return term.removeprefix(str(LG)).removeprefix(CODE_BASE)


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str | None]:
    return [o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)]


def lg_iris(graph: Graph) -> set[URIRef]:
    return {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and node.startswith(str(LG))
    }


# --- ontology ---------------------------------------------------------------


def test_ontology_header() -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ONTOLOGY
    assert ONTOLOGY.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert sorted(map(str, languages(ONTOLOGY, ONTOLOGY_IRI, predicate))) == ["en", "ko"]
    assert ONTOLOGY.value(ONTOLOGY_IRI, DCTERMS.license) == CC_BY_4


def test_nothing_is_imported() -> None:
    assert not list(ONTOLOGY.triples((None, OWL.imports, None)))
    assert not list(CODELISTS.triples((None, OWL.imports, None)))


@pytest.mark.parametrize("term", LG_TERMS, ids=short)
def test_lg_term_is_documented(term: URIRef) -> None:
    kinds = set(ONTOLOGY.objects(term, RDF.type)) & set(DECLARATIONS)
    assert len(kinds) == 1, f"{short(term)} must be exactly one of class/object/datatype prop"
    for predicate in (RDFS.label, SKOS.definition):
        langs = languages(ONTOLOGY, term, predicate)
        assert sorted(map(str, langs)) == ["en", "ko"], f"{short(term)} {predicate}: {langs}"
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ONTOLOGY


@pytest.mark.parametrize("term", STUBS, ids=str)
def test_external_stub_has_english_label(term: URIRef) -> None:
    assert "en" in languages(ONTOLOGY, term, RDFS.label)


def test_every_lg_iri_in_the_ontology_files_is_declared() -> None:
    undeclared = (lg_iris(ONTOLOGY) | lg_iris(CODELISTS)) - DECLARED
    assert not undeclared, sorted(undeclared)


def test_every_lg_term_in_the_model_doc_is_declared() -> None:
    named = {LG[name] for name in re.findall(r"\blg:([A-Za-z]\w*)", MODEL_DOC.read_text("utf-8"))}
    assert named, "docs/model.md names no lg: term"
    assert not named - set(LG_TERMS), sorted(named - set(LG_TERMS))


def test_only_union_classes_are_blank_nodes() -> None:
    for node in ONTOLOGY.subjects(RDF.type, OWL.Class):
        if isinstance(node, BNode):
            assert ONTOLOGY.value(node, OWL.unionOf) is not None
    for predicate in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith):
        assert not [o for o in ONTOLOGY.objects(None, predicate) if isinstance(o, BNode)]


# --- code lists -------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES, ids=short)
def test_scheme_is_documented(scheme: URIRef) -> None:
    assert scheme.startswith(CODE_BASE) and "/" not in short(scheme)
    assert sorted(map(str, languages(CODELISTS, scheme, SKOS.prefLabel))) == ["en", "ko"]
    assert {"en", "ko"} <= set(map(str, languages(CODELISTS, scheme, SKOS.definition)))
    assert CODELISTS.value(scheme, DCTERMS.source) is not None
    for top in CODELISTS.objects(scheme, SKOS.hasTopConcept):
        assert (top, SKOS.topConceptOf, scheme) in CODELISTS, top


@pytest.mark.parametrize("concept", CONCEPTS, ids=short)
def test_concept_is_documented(concept: URIRef) -> None:
    pref = languages(CODELISTS, concept, SKOS.prefLabel)
    assert sorted(map(str, pref)) == ["en", "ko"], f"one prefLabel per language: {pref}"
    assert "en" in languages(CODELISTS, concept, SKOS.definition)

    notations = list(CODELISTS.objects(concept, SKOS.notation))
    assert len(notations) == 1
    notation = notations[0]
    assert isinstance(notation, Literal) and notation.language is None
    assert notation.datatype is None

    schemes = list(CODELISTS.objects(concept, SKOS.inScheme))
    assert len(schemes) == 1
    scheme = schemes[0]
    assert concept == URIRef(f"{scheme}/{notation}")

    # A top concept of its scheme, or narrower than a concept of the same scheme (SKOS
    # quality checkers flag a top concept that also has a broader concept).
    broader = list(CODELISTS.objects(concept, SKOS.broader))
    if broader:
        assert (concept, SKOS.topConceptOf, scheme) not in CODELISTS
        assert all((b, SKOS.inScheme, scheme) in CODELISTS for b in broader)
    else:
        assert (concept, SKOS.topConceptOf, scheme) in CODELISTS
        assert (scheme, SKOS.hasTopConcept, concept) in CODELISTS


@pytest.mark.parametrize("concept", CONCEPTS, ids=short)
def test_labels_of_a_concept_are_disjoint(concept: URIRef) -> None:
    pref = set(CODELISTS.objects(concept, SKOS.prefLabel))
    alt = set(CODELISTS.objects(concept, SKOS.altLabel))
    hidden = set(CODELISTS.objects(concept, SKOS.hiddenLabel))
    assert not (pref & alt or pref & hidden or alt & hidden)


def model_code_lists() -> dict[str, set[str]]:
    """The ``code/{scheme}`` rows of the "Code lists" table of docs/model.md."""
    rows = re.findall(r"^\| `code/([a-z-]+)` \| (.+) \|$", MODEL_DOC.read_text("utf-8"), re.M)
    return {scheme: set(re.findall(r"`([a-z0-9-]+)`", codes)) for scheme, codes in rows}


def test_code_lists_match_the_model_doc() -> None:
    expected = model_code_lists()
    assert expected, "no code list table found in docs/model.md"
    actual: dict[str, set[str]] = {short(scheme): set() for scheme in SCHEMES}
    for concept in CONCEPTS:
        scheme, code = short(concept).split("/")
        actual.setdefault(scheme, set()).add(code)
    assert actual == expected


@pytest.mark.skipif(not SEED.exists(), reason=f"{SEED.relative_to(ROOT)} is missing")
@pytest.mark.parametrize(
    "scheme",
    [
        "ai-project-category",
        "future-strategic-task-scope",
        "ai-technique",
        "participation-role",
        "review-assessment",
    ],
)
def test_concepts_carry_the_seed_wording(scheme: str) -> None:
    """Each concept of a scheme read off the seed has a Korean label the seed writes."""
    seed = re.sub(r"\s+", "", SEED.read_text("utf-8"))
    for concept in CONCEPTS:
        if not concept.startswith(f"{CODE_BASE}{scheme}/"):
            continue
        labels = [
            re.sub(r"\s+", "", str(label))
            for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
            for label in CODELISTS.objects(concept, predicate)
            if isinstance(label, Literal) and label.language == "ko"
        ]
        assert any(label in seed for label in labels), f"{short(concept)}: {labels}"


def test_seed_variants_are_kept() -> None:
    def concept(path: str) -> URIRef:
        return URIRef(CODE_BASE + path)

    quality = concept("future-strategic-task-scope/quality-of-life")
    assert Literal("삶의 질과 관련되는 장기적이고 미래지향적인 사업", lang="ko") in set(
        CODELISTS.objects(quality, SKOS.prefLabel)
    )
    assert Literal("삶의 질과 관련된 장기적이고 미래지향적인 사업", lang="ko") in set(
        CODELISTS.objects(quality, SKOS.altLabel)
    )
    deep = concept("ai-technique/deep-learning")
    assert Literal("딥러링", lang="ko") in set(CODELISTS.objects(deep, SKOS.hiddenLabel))
    large = concept("ai-technique/large-generative-ai")
    assert (large, SKOS.broader, concept("ai-technique/generative-ai")) in CODELISTS

    def position(node: URIRef) -> int:
        value = CODELISTS.value(node, URIRef("https://schema.org/position"))
        assert isinstance(value, Literal), node
        return int(value)

    scope = [c for c in CONCEPTS if short(c).startswith("future-strategic-task-scope/")]
    assert [short(c).split("/")[1] for c in sorted(scope, key=position)] == [
        "environmental-conservation",
        "new-technology",
        "artificial-intelligence",
        "spatial-development",
        "regional-key-industry",
        "new-growth-engine",
        "quality-of-life",
    ]


# --- Unicode ----------------------------------------------------------------


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, CODELISTS_FILE], ids=lambda p: p.name)
def test_literals_are_nfc_and_hangul_is_language_tagged(path: Path) -> None:
    graph = ONTOLOGY if path == ONTOLOGY_FILE else CODELISTS
    for literal in (o for o in graph.objects() if isinstance(o, Literal)):
        assert unicodedata.is_normalized("NFC", str(literal)), repr(literal)
        if HANGUL.search(str(literal)):
            assert literal.language in {"ko", "en"}, repr(literal)


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, CODELISTS_FILE], ids=lambda p: p.name)
def test_file_keeps_hangul_readable(path: Path) -> None:
    text = path.read_text("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert not re.search(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}", text)


# --- data -------------------------------------------------------------------


def test_data_uses_only_declared_lg_terms() -> None:
    files = sorted((ROOT / "data").glob("*.ttl"))
    if not files:
        pytest.skip("no data/*.ttl yet")
    for path in files:
        undeclared = lg_iris(Graph().parse(path)) - DECLARED
        assert not undeclared, f"{path.name}: {sorted(undeclared)}"


def test_built_graph_uses_only_declared_lg_terms(graph: Graph) -> None:
    undeclared = lg_iris(graph) - DECLARED
    assert not undeclared, sorted(undeclared)
