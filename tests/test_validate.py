"""``legigraph validate``: engines, exact literals, users' shapes, stores, exit codes.

- every engine ``validate`` offers either gives the right verdict on literals as written
  (derived integer types, xsd:dateTimeStamp, ill-typed numbers, dates and booleans) or
  refuses with exit 2 — never a wrong verdict;
- new data in the context of a store (legigraph.shacl.context) gives, on the nodes it can
  affect, the results pySHACL gives over the whole graph;
- --shapes / --shapes-only, and shapes files that are refused (owl:imports, SHACL-JS, not
  SHACL, forbidden SPARQL, syntax errors) with file and line, nothing fetched;
- a whole store (--store, no files); exit code 3 for an internal error.
"""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.errors import InputError
from legigraph.ingest import ingest_statutes
from legigraph.model.namespaces import ELI_DL
from legigraph.shacl import engines
from legigraph.shacl.compiler import Dataset, comparable_keys, from_ox, load_graph
from legigraph.shacl.context import ContextValidator, bill_with_amendments, fetch_context
from legigraph.shacl.engines import ShaclEngine, run_pyshacl
from legigraph.shacl.shapes import ontology_graph as read_ontology
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "corpus"
INDEX = CORPUS / "index_all_laws.csv"
BAD = ROOT / "tests" / "shapes" / "invalid" / "activity-referral-before-proposal.ttl"
GOOD = ROOT / "tests" / "shapes" / "valid" / "ai-project-19.ttl"
BILL_1600 = ROOT / "tests" / "shapes" / "valid" / "bill-1600-with-process.ttl"
EX = "http://example.org/"
PREFIXES = f"""@prefix ex: <{EX}> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
FILE_ENGINES = [e.value for e in ShaclEngine]


def cli(built: BuildResult, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--root", str(built.out_dir.parents[1]), "validate", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def pyshacl_keys(data: Graph, shapes: Graph) -> dict[Any, int]:
    _, report, _ = run_pyshacl(data, shapes)
    return comparable_keys(report)


def store_graph(store: ox.Store) -> Graph:
    graph = Graph()
    for q in store:
        graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return read_ontology(ROOT / "ontology")


# --- engines on the profile ------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_engines_on_a_fixture(
    built: BuildResult, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    assert cli(built, capsys, str(GOOD), "--engine", engine)[0] == 0
    code, out = cli(built, capsys, str(BAD), "--engine", engine, "--lang", "ko")
    assert code == 1
    assert "activity-referral-before-proposal.ttl:16" in out
    if engine == "turbo":  # pySHACL drops the language of a SPARQL constraint's messages
        assert "회부(referral)의 일자가 같은 절차의 제안(proposal) 일자보다 앞선다." in out


def test_the_compiler_refuses_literals_a_store_changes(
    built: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    """The built graph holds "120.0"^^xsd:decimal, which Oxigraph keeps as "120"."""
    code, out = cli(built, capsys, str(GOOD), "--engine", "compiler")
    assert code == 2 and "120.0" in out and "--engine turbo" in out
    code, out = cli(built, capsys, str(BAD), "--engine", "compiler", "--no-context")
    assert code == 1, out  # alone, its literals survive a store: judged (its links dangle)


def _variant(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    out = tmp_path / f"{source.stem}-variant.ttl"
    out.write_text(text.replace(old, new), encoding="utf-8")
    return out


LITERALS = [  # (fixture, as written, replaced by, verdict on the literal as written)
    (GOOD, "lg:serialNumber 19", 'lg:serialNumber "19"^^xsd:int', 1),  # derived type
    (GOOD, "lg:serialNumber 19", 'lg:serialNumber "019"^^xsd:integer', 0),  # not canonical
    # ill-typed literals are input errors (exit 2, file and line), on every engine
    (GOOD, "lg:serialNumber 19", 'lg:serialNumber "nineteen"^^xsd:integer', 2),
    (BILL_1600, '"2025-03-04"^^xsd:date', '"2025-02-30"^^xsd:date', 2),  # impossible date
]


@pytest.mark.parametrize("engine", FILE_ENGINES)
@pytest.mark.parametrize(("fixture", "old", "new", "verdict"), LITERALS)
def test_literals_as_written_on_every_engine(
    built: BuildResult,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    engine: str,
    fixture: Path,
    old: str,
    new: str,
    verdict: int,
) -> None:
    """Right verdict or refusal (exit 2); the compiler cannot see literals as written."""
    path = _variant(tmp_path, fixture, old, new)
    written = new.split(" ", 1)[-1].split("^^")[0]
    if verdict == 2:
        code, out = cli(built, capsys, str(path), "--engine", engine)
        assert code == 2 and "ill-typed literal" in out and f"{path.name}:" in out, out
        return
    if engine == "compiler":  # alone, so that only the file's own literals matter
        code, out = cli(built, capsys, str(path), "--engine", engine, "--no-context")
        assert code == 2 and written in out and "--engine turbo" in out, out
        return
    code, out = cli(built, capsys, str(path), "--engine", engine)
    assert code == verdict, out
    if verdict:
        assert written in out, out  # the value reported is the literal as written


USER_SHAPES = (
    PREFIXES
    + """ex:Stamped a sh:NodeShape ; sh:targetClass ex:Record ;
  sh:property [ sh:path ex:at ; sh:datatype xsd:dateTime ] ;
  sh:property [ sh:path ex:flag ; sh:datatype xsd:boolean ; sh:in ( true ) ] .
"""
)


@pytest.mark.parametrize("engine", FILE_ENGINES)
@pytest.mark.parametrize(
    ("triples", "verdict"),
    [
        ('ex:r a ex:Record ; ex:at "2024-01-01T00:00:00Z"^^xsd:dateTime ; ex:flag true .', 0),
        ('ex:r a ex:Record ; ex:at "2024-01-01T00:00:00Z"^^xsd:dateTimeStamp .', 1),
        ('ex:r a ex:Record ; ex:flag "1"^^xsd:boolean .', 1),  # not the term true
        ('ex:r a ex:Record ; ex:flag "yes"^^xsd:boolean .', 2),  # ill-typed: input error
    ],
)
def test_users_shapes_and_exact_literals(
    built: BuildResult,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    engine: str,
    triples: str,
    verdict: int,
) -> None:
    rules, data = tmp_path / "rules.ttl", tmp_path / "data.ttl"
    rules.write_text(USER_SHAPES, encoding="utf-8")
    data.write_text(PREFIXES + triples + "\n", encoding="utf-8")
    code, out = cli(built, capsys, str(data), "--shapes-only", "--shapes", str(rules),
                    "--no-context", "--engine", engine)  # fmt: skip
    if engine == "compiler" and verdict < 2:
        assert code in (verdict, 2), out  # right, or refused by name (exit 2)
    else:
        assert code == verdict, out


def test_shapes_are_added_to_the_profile(
    built: BuildResult, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A council's own rule on top of the profile: every AI project names a technique twice."""
    rules = tmp_path / "council.ttl"
    rules.write_text(
        PREFIXES
        + """@prefix lg: <https://w3id.org/legigraph/ontology#> .
        ex:TwoTechniques a sh:NodeShape ; sh:targetClass lg:AIProject ;
          sh:property [ sh:path lg:technique ; sh:minCount 2 ;
                        sh:message "두 가지 기법"@ko , "two techniques"@en ] .""",
        encoding="utf-8",
    )
    assert cli(built, capsys, str(GOOD))[0] == 0
    code, out = cli(built, capsys, str(GOOD), "--shapes", str(rules))
    assert code == 1 and "two techniques" in out and "ai-project/2024/19" in out
    code, out = cli(built, capsys, str(BAD), "--shapes", str(rules), "--shapes-only")
    assert code == 1 and "referral" not in out  # the profile is not used


class _Tripwire(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"@prefix sh: <http://www.w3.org/ns/shacl#> .\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tripwire() -> object:
    """A loopback server the tests fail on if anything contacts it."""
    server = HTTPServer(("127.0.0.1", 0), _Tripwire)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Tripwire.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    assert not _Tripwire.hits, f"the network was used: {_Tripwire.hits}"


def test_bad_shapes_files_are_refused_with_file_and_line(
    built: BuildResult, capsys: pytest.CaptureFixture[str], tmp_path: Path, tripwire: str
) -> None:
    second = f":{PREFIXES.count(chr(10)) + 2}"  # the second line after the prefixes
    cases = {
        "imports.ttl": (PREFIXES + f"ex:S a sh:NodeShape ;\n  owl:imports <{tripwire}/x.ttl> .\n",
                        "owl:imports", second),
        "js.ttl": (PREFIXES + 'ex:S a sh:NodeShape ;\n  sh:js [ sh:jsFunctionName "f" ] .\n',
                   "SHACL-JavaScript", second),
        "not-shacl.ttl": (PREFIXES + "ex:a ex:b ex:c .\n", "not a SHACL shapes graph", ""),
        "syntax.ttl": (PREFIXES + "ex:S a sh:NodeShape\n ex:T .\n", "cannot parse", ""),
        "minus.ttl": (PREFIXES + 'ex:S a sh:NodeShape ; sh:targetNode ex:a ;\n  sh:sparql [ '
                      'sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this ?p 1 } }" ] .\n',
                      "MINUS", ""),
    }  # fmt: skip
    for name, (text, problem, line) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        code, out = cli(built, capsys, str(GOOD), "--shapes", str(path))
        assert code == 2, (name, out)
        assert problem in out and name in out + str(path), (name, out)
        if line:
            assert f"{name}{line}" in out, (name, out)
    code, out = cli(built, capsys, str(GOOD), "--shapes-only")
    assert code == 2 and "--shapes" in out


def test_an_internal_error_is_exit_3(
    built: BuildResult, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(engines, "_turbo", broken)
    code, out = cli(built, capsys, str(GOOD))
    assert code == 3 and "internal error" in out and "Traceback" not in out
    with pytest.raises(RuntimeError, match="exploded"):
        main(["--root", str(built.out_dir.parents[1]), "--debug", "validate", str(GOOD)])


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


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    store = tmp_path_factory.mktemp("national") / "store"
    ingest_statutes(CORPUS, store, INDEX, quiet=True, bill=built.out_dir / "legigraph.nt")
    return store


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
    """Results on the affected nodes as pySHACL over store + new data, on every engine."""
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
        for engine in ShaclEngine:
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
    union = Graph()
    union += stored
    union += new

    def key(
        k: tuple[Any, ...],
    ) -> tuple[Any, ...]:  # messages are each engine's own words; blank shapes unnamed
        return tuple("_:" if isinstance(t, BNode) else t for t in k[:6])

    expected = {key(k) for k in pyshacl_keys(union, shapes)}
    for engine in ShaclEngine:
        result = validator.validate(new, Dataset(load_graph(stored)), engine)
        assert {key(k) for k in comparable_keys(result.report)} == expected, engine
        assert {v.focus_iri for v in result.results} == {EX + "a"}


def test_context_refuses_a_new_class_hierarchy(
    bill_context: tuple[Path, Graph], shapes: Graph, ontology: Graph
) -> None:
    store = ox.Store.read_only(str(bill_context[0]))
    delta = Graph().parse(data=PREFIXES + "ex:A rdfs:subClassOf ex:B .", format="turtle")
    with pytest.raises(InputError, match="class hierarchy"):
        ContextValidator.create(shapes, ontology).validate(delta, Dataset(store, union=True))


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
    for engine in ("turbo", "pyshacl"):
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


def test_cli_whole_store(
    built: BuildResult, capsys: pytest.CaptureFixture[str], national: Path
) -> None:
    """--store with no files validates the whole store (the compiler): the fixture corpus
    conforms; the same store with one law's work type removed does not, and says which law."""
    code, out = cli(built, capsys, "--store", str(national), "--quiet")
    assert code == 0 and "conforms" in out
    broken = national.parent / "broken-store"
    shutil.copytree(national, broken)
    store = ox.Store(str(broken))
    work_type = ox.NamedNode("http://data.europa.eu/eli/ontology#work_type")
    quad = next(iter(store.quads_for_pattern(None, work_type, None)))
    store.remove(quad)
    store.flush()
    del store
    code, out = cli(built, capsys, "--store", str(broken), "--quiet")
    assert isinstance(quad.subject, ox.NamedNode)
    assert code == 1 and "Violation" in out and quad.subject.value in out
    code, out = cli(built, capsys)
    assert code == 2 and "nothing to validate" in out


def test_cli_warnings_are_listed_and_do_not_fail(
    built: BuildResult, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Exit 1 means a violation; a result of severity sh:Warning is shown, exit 0."""
    shapes, data = tmp_path / "shapes.ttl", tmp_path / "data.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
        "ex:S a sh:NodeShape ; sh:targetClass ex:A ;\n"
        "  sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Warning ;\n"
        '    sh:message "p wanted"@en ] .\n',
        encoding="utf-8",
    )
    data.write_text("<http://example.org/a> a <http://example.org/A> .\n", encoding="utf-8")
    for engine in ShaclEngine:
        args = ("--no-context", "--shapes", str(shapes), "--shapes-only", "--engine", engine)
        code, out = cli(built, capsys, str(data), *args)
        assert code == 0 and "0 violation(s), 1 warning(s)" in out and "p wanted" in out, engine
