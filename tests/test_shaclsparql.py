"""The SHACL profile compiled to SPARQL (legigraph.shaclsparql) gives pySHACL's results.

Differential tests, each against pySHACL run as ``legigraph.validate.run_pyshacl`` runs it:

- every entry of tests/shapes/manifest.ttl (the built graph plus the entry's data): the
  results are the entry's expected ones, which tests/test_shapes.py checks pySHACL gives;
  then, on groups of entries that together break every constraint of the profile, the full
  results (focus, path, value, shape, component, severity, messages) equal pySHACL's;
- the built bill graph; the fixture corpus ingested into a store (tests/fixtures/corpus),
  with the bill graph in the same store;
- small shapes graphs for the constructs the profile does not use (paths, targets, severity,
  qualified counts …), and the constructs that are refused with a clear error;
- validation of new data in the context of a store (legigraph.shaclcontext) against pySHACL
  over the whole graph;
- the ``validate`` command's --engine and --store, and the benchmark harness on the fixture
  corpus (the CI smoke run of bench/validation.py).

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

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

import legigraph.shaclsparql as shaclsparql
from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.ingest import ingest_statutes
from legigraph.io import InputError
from legigraph.namespaces import ELI_DL, SH
from legigraph.shaclcontext import (
    ContextValidator,
    bill_with_amendments,
    fetch_context,
    ontology_graph,
)
from legigraph.shaclsparql import (
    Dataset,
    SparqlShapes,
    UnsupportedShape,
    comparable_keys,
    from_ox,
    load_graph,
    to_ox,
    validate_dataset,
)
from legigraph.validate import parsed_once, run_pyshacl
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
        monkeypatch.setattr(shaclsparql, "BULK_FOCUS", 1)
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


def sparql_keys(data: Graph | Dataset, compiled: SparqlShapes, **kw: object) -> dict:
    dataset = data if isinstance(data, Dataset) else Dataset(load_graph(data))
    _, report = validate_dataset(dataset, compiled, **kw)  # type: ignore[arg-type]
    return comparable_keys(report)


def pyshacl_keys(data: Graph, shapes: Graph) -> dict:
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


def with_entry(context: tuple[ox.Store, Graph], entry: Entry) -> tuple[Graph, list]:
    store, data = context
    delta = Graph().parse(entry.data, format="turtle")
    added = [t for t in delta if t not in data]
    for t in added:
        data.add(t)
        store.add(ox.Quad(*map(to_ox, t)))  # type: ignore[arg-type]
    return delta, added


def without(context: tuple[ox.Store, Graph], added: list) -> None:
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
        monkeypatch.setattr(shaclsparql, "BULK_FOCUS", 1)
        many = sparql_keys(dataset, compiled)
        monkeypatch.setattr(shaclsparql, "BULK_FOCUS", 20_000)
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


def test_a_shape_without_message_is_refused_by_name() -> None:
    shapes = Graph().parse(
        data=PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:class ex:B .",
        format="turtle",
    )
    compiled = SparqlShapes.compile(shapes)
    with pytest.raises(UnsupportedShape, match=r"<http://example.org/S>.*sh:message"):
        validate_dataset(Dataset(load_graph(Graph())), compiled)


# --- context validation ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bill_context(tmp_path_factory: pytest.TempPathFactory, graph: Graph) -> tuple[Path, Graph]:
    """A store holding the fixture corpus and the bill graph without the bill's new data."""
    new = bill_with_amendments(graph)
    rest = Graph()
    rest += graph
    rest -= new
    folder = tmp_path_factory.mktemp("context")
    rest.serialize(folder / "rest.nt", format="nt", encoding="utf-8")
    ingest_statutes(CORPUS, folder / "store", INDEX, quiet=True, bill=folder / "rest.nt")
    return folder / "store", new


EV = "https://w3id.org/legigraph/eli/dl/kr-11/event/"


def context_cases(new: Graph) -> dict[str, Graph]:
    """New data: the bill; a second proposal, dated after the stored referral (a result on a
    stored node); triples added to a stored national law; a bad bill."""
    late = Graph().parse(
        data=f"""@prefix eli-dl: <{ELI_DL}> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{EV}2024-1544-proposal-2> a eli-dl:Activity ;
            eli-dl:forms_part_of <https://w3id.org/legigraph/eli/dl/kr-11/proc/2024/1544> ;
            eli-dl:had_activity_type <https://w3id.org/legigraph/code/activity-type/proposal> ;
            eli-dl:activity_date "2024-03-01"^^xsd:date .""",
        format="turtle",
    )
    law = Graph().parse(
        data="""<https://w3id.org/legigraph/eli/kr/law/900001>
            <http://www.w3.org/2000/01/rdf-schema#label> "두 번째 이름"@ko , 3 .""",
        format="turtle",
    )
    bad = Graph()
    bad += new
    bill = URIRef("https://w3id.org/legigraph/eli/dl/kr-11/bill/2024/1544")
    bad.remove((bill, URIRef("http://data.europa.eu/eli/ontology#number"), None))
    bad.add((bill, URIRef("http://data.europa.eu/eli/ontology#number"), Literal(1544)))
    return {"bill": new, "late-proposal": late, "law": law, "bad-bill": bad}


def test_context_validation_equals_pyshacl_on_the_whole_graph(
    bill_context: tuple[Path, Graph], national: Path, shapes: Graph, ontology: Graph
) -> None:
    """Results on the affected nodes as pySHACL over store + new data; none hidden."""
    validator = ContextValidator.create(shapes, ontology)
    reported = {}
    stores = {}
    for path in (bill_context[0], national):
        store = ox.Store.read_only(str(path))
        whole = store_graph(store)
        stores[path] = (Dataset(store, union=True), whole, set(pyshacl_keys(whole, shapes)))
    for name, delta in context_cases(bill_context[1]).items():
        # the late proposal goes with the whole bill graph (its process and referral)
        data, whole, before = stores[national if name == "late-proposal" else bill_context[0]]
        _, affected = fetch_context(data, delta, ontology, validator.plan)
        union = Graph()
        union += whole
        union += delta
        after = pyshacl_keys(union, shapes)
        inside = {k: n for k, n in after.items() if k[0] in affected}
        for engine in ("sparql", "pyshacl") if name in ("bill", "late-proposal") else ("sparql",):
            result = validator.validate(delta, data, engine=engine)
            assert set(comparable_keys(result.report)) == set(inside), (name, engine)
        assert {k for k in after if k[0] not in affected} <= before
        reported[name] = inside
    assert not reported["bill"]
    late = {(str(k[0]), str(k[4]).rsplit("#")[-1]) for k in reported["late-proposal"]}
    assert (f"{EV}2024-1544-referral", "SPARQLConstraintComponent") in late
    assert reported["law"] and reported["bad-bill"]


def test_context_follows_reads_through_values_back() -> None:
    """A stored node whose value gains a triple that breaks the value's shape is reported."""
    shapes = Graph().parse(
        data=PREFIXES
        + """ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:message "s" ;
          sh:property [ sh:path ex:p ; sh:node ex:OneQ ; sh:message "one q" ] .
        ex:OneQ a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:maxCount 1 ] .""",
        format="turtle",
    )
    stored = Graph().parse(
        data=PREFIXES + "ex:a a ex:A ; ex:p ex:b . ex:b ex:q 1 . ex:c a ex:A .", format="turtle"
    )
    new = Graph().parse(data=PREFIXES + "ex:b ex:q 2 .", format="turtle")
    validator = ContextValidator.create(shapes, Graph())
    result = validator.validate(new, Dataset(load_graph(stored)))
    union = Graph()
    union += stored
    union += new
    assert set(comparable_keys(result.report)) == set(pyshacl_keys(union, shapes))
    assert {v.focus_iri for v in result.results} == {EX + "a"}


def test_context_refuses_a_new_class_hierarchy(
    bill_context: tuple[Path, Graph], shapes: Graph, ontology: Graph
) -> None:
    store = ox.Store.read_only(str(bill_context[0]))
    delta = Graph().parse(data=PREFIXES + "ex:A rdfs:subClassOf ex:B .", format="turtle")
    with pytest.raises(InputError, match="class hierarchy"):
        ContextValidator.create(shapes, ontology).validate(delta, Dataset(store, union=True))


# --- the command line ------------------------------------------------------------------------


def cli(built: BuildResult, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--root", str(built.out_dir.parent), "validate", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


BAD = ROOT / "tests" / "shapes" / "invalid" / "activity-referral-before-proposal.ttl"
GOOD = ROOT / "tests" / "shapes" / "valid" / "ai-project-19.ttl"


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_cli_engines(built: BuildResult, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    if engine == "sparql":
        assert cli(built, capsys, str(GOOD), "--engine", engine)[0] == 0
    code, out = cli(built, capsys, str(BAD), "--engine", engine, "--lang", "ko")
    assert code == 1
    assert "activity-referral-before-proposal.ttl:16" in out
    if engine == "sparql":  # pySHACL drops the language of a SPARQL constraint's messages
        assert "회부(referral)의 일자가 같은 절차의 제안(proposal) 일자보다 앞선다." in out


def test_cli_store(
    built: BuildResult,
    capsys: pytest.CaptureFixture[str],
    bill_context: tuple[Path, Graph],
    tmp_path: Path,
) -> None:
    store, new = bill_context
    good, bad = tmp_path / "bill.ttl", tmp_path / "bad.ttl"
    new.serialize(good, format="turtle")
    context_cases(new)["bad-bill"].serialize(bad, format="turtle")
    for engine in ("sparql", "pyshacl"):
        assert cli(built, capsys, str(good), "--store", str(store), "--engine", engine)[0] == 0
        code, out = cli(built, capsys, str(bad), "--store", str(store), "--engine", engine)
        assert code == 1 and "bill/2024/1544" in out
    code, out = cli(built, capsys, str(good), "--store", str(tmp_path / "none"))
    assert code == 2 and "none: no store here" in out
    code, out = cli(built, capsys, str(good), "--store", str(store), "--no-context")
    assert code == 2
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    code, out = cli(built, capsys, str(broken), "--store", str(store))
    assert code == 2 and "broken.ttl" in out
    with pytest.raises(SystemExit):
        cli(built, capsys, str(good), "--engine", "jena")


def test_cli_refuses_shapes_it_cannot_compile(
    built: BuildResult, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = built.out_dir.parent
    shapes = root / "shapes" / "legigraph.shacl.ttl"
    extra = root / "shapes" / "extra.ttl"
    extra.write_text(PREFIXES + "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:minLength 2 .\n")
    try:
        code, out = cli(built, capsys, str(GOOD))
        assert code == 2 and "sh:minLength" in out and "--engine pyshacl" in out
        assert cli(built, capsys, str(GOOD), "--engine", "pyshacl")[0] == 0
    finally:
        extra.unlink()
    assert shapes.exists()


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
    assert result["new_triples"] == 199
    assert result["differential"]["full_equal"] and result["differential"]["context_equal"]
    assert result["differential"]["context_outside_already_in_store"]
