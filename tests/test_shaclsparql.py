"""The SHACL profile compiled to SPARQL (legigraph.shacl.compiler) gives pySHACL's results.

Differential tests, each against pySHACL run as ``legigraph.validate.run_pyshacl`` runs it:

- every entry of tests/shapes/manifest.ttl (the built graph plus the entry's data): the
  results are the entry's expected ones, which tests/test_shapes.py checks pySHACL gives;
  then, on groups of entries that together break every constraint of the profile, the full
  results (focus, path, value, shape, component, severity, messages) equal pySHACL's;
- the built bill graph; the fixture corpus ingested into a store (tests/fixtures/corpus),
  with the bill graph in the same store;
- small shapes graphs for the constructs the profile does not use (paths, targets, severity,
  qualified counts …), and the constructs that are refused with a clear error;
- the benchmark harness on the fixture corpus (the CI smoke run of bench/validation.py).

Validation of new data in the context of a store, and the ``validate`` command, are tested
in tests/test_validate.py.

Both query plans are checked: the one for few focus nodes and the one for many
(``BULK_FOCUS`` set to 1 makes every shape use the second).

Literals are compared in Oxigraph's canonical form ("10.0"^^xsd:decimal is stored as "10").
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.term import Node

import legigraph.shacl.compiler.run as compiler_run
from legigraph.build import BuildResult
from legigraph.ingest import ingest_statutes
from legigraph.model.namespaces import SH
from legigraph.shacl.compiler import (
    Dataset,
    SparqlShapes,
    UnsupportedShape,
    comparable_keys,
    from_ox,
    load_graph,
    to_ox,
    validate_dataset,
)
from legigraph.shacl.context import bill_with_amendments
from legigraph.shacl.engines import ShaclEngine, run, run_pyshacl
from legigraph.shacl.prepared import parsed_once
from legigraph.shacl.shapes import ontology_graph
from tests.conftest import ROOT
from tests.test_shapes import (
    ENTRIES,
    SHAPES_FILE,
    Entry,
    Targeting,
    affected_nodes,
    constraints,
    keys,
)

CORPUS = ROOT / "tests" / "fixtures" / "corpus"
INDEX = CORPUS / "index_all_laws.csv"
EX = "http://example.org/"


@pytest.fixture(scope="module", autouse=True)
def _prepared_sparql() -> Iterator[None]:
    with parsed_once():
        yield


@pytest.fixture(params=["few", "many"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both query plans: per focus node (few) and values first (many focus nodes)."""
    if request.param == "many":
        monkeypatch.setattr(compiler_run, "BULK_FOCUS", 1)
    return str(request.param)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@pytest.fixture(scope="module")
def compiled(shapes: Graph) -> SparqlShapes:
    return SparqlShapes.compile(shapes)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph(ROOT / "ontology")


def sparql_keys(data: Graph | Dataset, compiled: SparqlShapes, **kw: Any) -> dict[Any, int]:
    dataset = data if isinstance(data, Dataset) else Dataset(load_graph(data))
    _, report = validate_dataset(dataset, compiled, **kw)
    return comparable_keys(report)


def pyshacl_keys(data: Graph, shapes: Graph) -> dict[Any, int]:
    _, report, _ = run_pyshacl(data, shapes)
    return comparable_keys(report)


def store_graph(store: ox.Store) -> Graph:
    graph = Graph()
    for q in store:
        graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return graph


# --- the manifest ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def context_store(graph: Graph) -> tuple[ox.Store, Graph]:
    """The built graph in a store and in rdflib, to add each entry to and take it out."""
    copy = Graph()
    copy += graph
    return load_graph(graph), copy


def with_entry(context: tuple[ox.Store, Graph], entry: Entry) -> tuple[Graph, list[Any]]:
    store, data = context
    delta = Graph().parse(entry.data, format="turtle")
    added = [t for t in delta if t not in data]
    for t in added:
        data.add(t)
        store.add(ox.Quad(*map(to_ox, t)))  # type: ignore[arg-type]
    return delta, added


def without(context: tuple[ox.Store, Graph], added: list[Any]) -> None:
    store, data = context
    for t in added:
        data.remove(t)
        store.remove(ox.Quad(*map(to_ox, t)))  # type: ignore[arg-type]


def test_every_manifest_entry(
    context_store: tuple[ox.Store, Graph], compiled: SparqlShapes
) -> None:
    """Each entry gives exactly its expected results (on the nodes it can affect)."""
    mismatches = []
    for entry in ENTRIES:
        delta, added = with_entry(context_store, entry)
        try:
            nodes = affected_nodes(context_store[1], delta)
            focus = None if nodes is None else sorted(nodes, key=lambda n: n.n3())
            results, report = validate_dataset(Dataset(context_store[0]), compiled, focus=focus)
        finally:
            without(context_store, added)
        if keys(report) != entry.expected or (not results) != entry.conforms:
            mismatches.append(f"{entry.name}: {sorted(map(str, keys(report) ^ entry.expected))}")
    assert not mismatches, "\n".join(mismatches)


def groups(graph: Graph) -> list[list[Entry]]:
    """Entries in groups whose records do not overlap, together breaking every constraint."""
    found: list[tuple[set[Node], list[Entry]]] = []
    covered: set[tuple[Node, Node, Node | None]] = set()
    for entry in ENTRIES:
        hits = {(s, c, q) for (_, _, c, s, q, _) in entry.expected}
        if not entry.valid and hits <= covered:
            continue
        subjects = set(Graph().parse(entry.data, format="turtle").subjects())
        for group_subjects, members in found:
            if not group_subjects & subjects:
                group_subjects |= subjects
                members.append(entry)
                break
        else:
            found.append((set(subjects), [entry]))
        covered |= hits
    return [members for _, members in found]


def test_full_results_equal_pyshacl_on_every_constraint(
    graph: Graph, shapes: Graph, compiled: SparqlShapes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Focus, path, value, shape, component, severity and messages, as pySHACL gives them.

    Against one pySHACL run per group: the plan for few focus nodes restricted to the nodes
    the group can affect (as pySHACL), the plan for many on the whole graph.
    """
    targeting = Targeting(shapes)
    hit: set[tuple[Node, Node, Node | None]] = set()
    mismatches = []
    for members in groups(graph):
        delta = Graph()
        for entry in members:
            delta.parse(entry.data, format="turtle")
        data = Graph()
        data += graph
        data += delta
        nodes = affected_nodes(data, delta)
        if nodes is None:
            _, expected, _ = run_pyshacl(data, shapes)
        else:
            _, expected = targeting.validate(data, nodes)
        hit |= {(s, c, q) for (_, _, c, s, q, _) in keys(expected)}
        dataset = Dataset(load_graph(data))
        focus = None if nodes is None else sorted(nodes, key=lambda n: n.n3())
        few = sparql_keys(dataset, compiled, focus=focus)
        monkeypatch.setattr(compiler_run, "BULK_FOCUS", 1)
        many = sparql_keys(dataset, compiled)
        monkeypatch.setattr(compiler_run, "BULK_FOCUS", 20_000)
        if not few == many == comparable_keys(expected):
            mismatches.append([e.name for e in members])
    assert not mismatches
    assert constraints(shapes) <= hit


# --- the bill graph and the national fixture ------------------------------------------------


def test_built_graph(graph: Graph, shapes: Graph, compiled: SparqlShapes, plan: str) -> None:
    assert sparql_keys(graph, compiled) == pyshacl_keys(graph, shapes) == {}


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    """The fixture corpus and the bill graph, as `legigraph ingest statutes` stores them."""
    store = tmp_path_factory.mktemp("national") / "store"
    ingest_statutes(CORPUS, store, INDEX, quiet=True, bill=built.out_dir / "legigraph.nt")
    return store


def test_national_fixture_store(
    national: Path, shapes: Graph, compiled: SparqlShapes, plan: str
) -> None:
    store = ox.Store.read_only(str(national))
    actual = sparql_keys(Dataset(store, union=True), compiled, workers=2)
    expected = pyshacl_keys(store_graph(store), shapes)
    assert actual == expected
    # every law has its work type now (one concept per form of legislation)
    assert not any(k[3] == URIRef("https://w3id.org/legigraph/shapes#work-type") for k in expected)


# --- constructs beyond the profile ----------------------------------------------------------

PREFIXES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

SHAPES = (
    PREFIXES
    + """
ex:Person a sh:NodeShape ; sh:targetClass ex:Person ; sh:message "person"@en , "사람"@ko ;
  sh:property ex:knows , ex:parent , ex:name , ex:age , ex:code , ex:start , ex:kind , ex:tag .
ex:knows sh:path ( ex:knows ex:name ) ; sh:minCount 1 ; sh:datatype xsd:string ; sh:message "k" .
ex:parent sh:path [ sh:inversePath ex:child ] ; sh:maxCount 1 ; sh:class ex:Person ;
  sh:message "p" ; sh:severity sh:Warning .
ex:name sh:path [ sh:alternativePath ( ex:name ex:nick ) ] ; sh:uniqueLang true ;
  sh:languageIn ( "en" "ko" ) ; sh:message "n" ;
  sh:qualifiedValueShape [ sh:languageIn ( "ko" ) ] ; sh:qualifiedMaxCount 1 .
ex:age sh:path ex:age ; sh:minInclusive 0 ; sh:lessThanOrEquals ex:maxAge ; sh:message "a" .
ex:code sh:path ex:code ; sh:pattern "^ab\\\\d+$" ; sh:flags "i" ; sh:nodeKind sh:Literal ;
  sh:in ( "AB1" "ab2" "x" ) ; sh:message "c" .
ex:start sh:path [ sh:zeroOrMorePath ex:next ] ; sh:node ex:HasStep ; sh:message "s" .
ex:kind sh:path ex:kind ; sh:hasValue ex:human ; sh:message "kind" .
ex:tag sh:path ex:tag ; sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:message "l" ] ;
  sh:message "t" ;
  sh:or ( [ sh:nodeKind sh:IRI ] [ sh:datatype xsd:integer ] ) .
ex:HasStep a sh:NodeShape ; sh:property [ sh:path ex:step ; sh:minCount 1 ] .
ex:Off a sh:NodeShape ; sh:targetClass ex:Person ; sh:deactivated true ; sh:closed true ;
  sh:message "off" .
ex:Objects a sh:NodeShape ; sh:targetObjectsOf ex:child ; sh:targetSubjectsOf ex:age ;
  sh:targetNode ex:nobody ; sh:closed true ; sh:ignoredProperties ( rdfs:label ) ;
  sh:property [ sh:path ex:age ] , [ sh:path ex:maxAge ] , [ sh:path ex:child ] ;
  sh:message "closed" .
ex:Rule a sh:NodeShape ; sh:targetClass ex:Person ;
  sh:sparql [ sh:message "too old: {$value} ({?n})" ;
    sh:select '''SELECT $this ?value ?n WHERE { $this ex:age ?value . BIND(STR(?value) AS ?n)
        FILTER (isNumeric(?value) && ?value > 100) }''' ;
    sh:prefixes ex:ont ] .
ex:Thing a rdfs:Class , sh:NodeShape ; sh:message "thing" ;
  sh:property [ sh:path ex:p ; sh:maxCount 1 ; sh:message "one p" ] .
ex:ont sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
ex:PathRule a sh:PropertyShape ; sh:targetClass ex:Person ; sh:path ex:age ; sh:message "pr" ;
  sh:sparql [ sh:select "SELECT $this ?value WHERE { $this $PATH ?value . FILTER (?value = 7) }" ] .
"""
)

DATA = (
    PREFIXES
    + """
ex:Student rdfs:subClassOf ex:Person .
ex:ann a ex:Person ; ex:knows ex:bob , ex:cy ; ex:name "Ann"@en , "앤"@ko , "Annie"@en ;
  ex:age 30 , -1 , "x" ; ex:maxAge 20 ; ex:code "AB12" , "ab3" , "x" , ex:iri ;
  ex:start ex:s1 ; ex:kind ex:human ; ex:tag ex:t1 , 5 , "no" ; ex:child ex:bob .
ex:bob a ex:Student ; ex:name "Bob"@en-US , "밥"@ko , "보브"@KO ; ex:nick "B"@fr ; ex:age 7 , 101 ;
  ex:child ex:cy ; ex:start ex:s2 ; ex:tag _:b .
ex:cy a ex:Person ; ex:knows ex:dee ; ex:age "12"^^xsd:integer ; ex:maxAge "z" .
ex:dee ex:name "Dee" .
ex:s1 ex:next ex:s2 ; ex:step 1 . ex:s2 ex:next ex:s3 .
ex:t1 ex:label "t" . _:b ex:label "b" .
ex:eve ex:child ex:cy ; rdfs:label "eve" ; ex:extra 1 .
ex:thing a ex:Thing ; ex:p 1 , 2 .
"""
)


def test_constructs_beyond_the_profile(plan: str) -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    actual = sparql_keys(data, SparqlShapes.compile(shapes))
    expected = pyshacl_keys(data, shapes)
    assert actual == expected
    components = {str(k[4]).rsplit("#", 1)[-1] for k in expected}
    assert len(components) >= 14, components
    assert any(k[5] == SH.Warning for k in expected)


@pytest.mark.parametrize(
    ("shape", "problem"),
    [
        ("sh:xone ( [ sh:class ex:A ] )", "sh:xone"),
        ("sh:minLength 3", "sh:minLength"),
        ('sh:sparql [ sh:ask "ASK { $this ?p ?o }" ]', "ASK"),
        ('sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this <urn:p> ?o } }" ]',
         "MINUS"),
        ('sh:sparql [ sh:select "SELECT $this WHERE { $this ?p $shapesGraph }" ]', "$shapesGraph"),
        ('sh:sparql [ sh:select "SELECT $this WHERE { { SELECT $this WHERE { $this ?p ?o } } }" ]',
         "sub-query"),
        ("sh:flags \"x\" ; sh:pattern \"a\"", "sh:flags"),
    ],
)  # fmt: skip
def test_unsupported_constructs_are_refused(shape: str, problem: str) -> None:
    shapes = Graph().parse(
        data=PREFIXES + f'ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:message "m" ; {shape} .',
        format="turtle",
    )
    with pytest.raises(UnsupportedShape) as err:
        SparqlShapes.compile(shapes)
    assert problem in str(err.value) and "ex" in str(err.value)


def test_a_shape_without_message_is_validated() -> None:
    """A shape without sh:message (every W3C test) gets its results, with no message: the
    same results as the engine of record's, messages aside."""
    shapes = Graph().parse(
        data=PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:class ex:B .",
        format="turtle",
    )
    data = Graph().parse(data=PREFIXES + "ex:a a ex:A . ex:b a ex:A , ex:B .", format="turtle")
    results, _ = validate_dataset(Dataset(load_graph(data)), SparqlShapes.compile(shapes))
    assert [(r.focus, r.component, r.messages) for r in results] == [
        (URIRef(EX + "a"), SH.ClassConstraintComponent, frozenset())
    ]
    _, report = run(ShaclEngine.TURBO, data, shapes)
    assert set(report.objects(None, SH.focusNode)) == {URIRef(EX + "a")}


# --- the benchmark harness (CI smoke run) ---------------------------------------------------


def test_benchmark_harness_on_the_fixture_corpus(tmp_path: Path, built: BuildResult) -> None:
    out = tmp_path / "validation.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "validation.py"), "--fraction", "1",
         "--source", str(CORPUS), "--index", str(INDEX), "--runs", "1", "--baseline-runs", "1",
         "--pyshacl-max", "1", "--out", str(out), "--bill", str(built.out_dir / "legigraph.nt")],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    # the harness validates the bill's amendment as the new data, the rest as the store
    bill = Graph().parse(built.out_dir / "legigraph.nt", format="nt")
    assert result["new_triples"] == len(bill_with_amendments(bill)) > 100
    assert result["differential"]["full_equal"] and result["differential"]["context_equal"]
    assert result["differential"]["context_outside_already_in_store"]
