"""The national ingest on a tiny legalize-kr-shaped corpus (tests/fixtures/corpus)."""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.ingest import (
    BILL_GRAPH,
    NATIONAL_GRAPH,
    ingest_statutes,
    manifest_path,
    parse_statute,
    statute_record,
)
from legigraph.link.linker import describe_record
from legigraph.model.triples import escape_literal, nt_term
from legigraph.sources.ordinance import read_law_bytes
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "corpus"
INDEX = CORPUS / "index_all_laws.csv"
ELI = "http://data.europa.eu/eli/ontology#"
LAW = "https://w3id.org/legigraph/eli/kr/law/"


def quads(store: Path, graph: str | None = NATIONAL_GRAPH) -> set[tuple[str, str, str, str]]:
    """The quads of ``graph`` (None: all) in ``store``."""
    s = ox.Store.read_only(str(store))
    # IRIs by value; objects in N-Triples form (literals keep their language and datatype)
    return {
        (q.subject.value, q.predicate.value, str(q.object), q.graph_name.value)
        for q in s
        if graph is None or q.graph_name.value == graph
    }


def ask(store: Path, pattern: str) -> bool:
    s = ox.Store.read_only(str(store))
    return bool(s.query(f"ASK {{ GRAPH <{NATIONAL_GRAPH}> {{ {pattern} }} }}"))


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    store = tmp_path_factory.mktemp("ingest") / "store"
    ingest_statutes(CORPUS, store, INDEX, quiet=True, bill=built.out_dir / "legigraph.nt")
    return store


def test_works_provisions_texts(national: Path) -> None:
    assert ask(national, f"<{LAW}900001> a <https://w3id.org/legigraph/ontology#NationalLaw>")
    assert ask(national, f"<{LAW}900002> <{ELI}is_realized_by> ?v")
    assert not ask(national, f"<{LAW}900009> ?p ?o")  # the broken file
    assert ask(
        national,
        f"?v <{ELI}realizes> <{LAW}900001/art_2/para_1/item_2/subitem_1> ;"
        ' <https://schema.org/text> "행정안전부장관"@ko',
    )
    assert ask(national, f'<{LAW}900003> <http://purl.org/dc/terms/creator> "법무부"@ko')
    manifest = json.loads(manifest_path(national).read_text(encoding="utf-8"))
    counts = manifest["counts"]
    assert counts["works"] == 3 and counts["files"] == 4 and counts["skipped"] == 1
    assert counts["provisions_by_kind"]["subitem"] == 2
    assert manifest["input_hash"].startswith("sha256:")
    assert set(manifest["timings_s"]) >= {"parse_build", "link", "load"}


def test_cites_edges(national: Path) -> None:
    cites = {(s, o.strip("<>")) for s, p, o, _ in quads(national) if p == ELI + "cites"}
    assert cites == {
        (f"{LAW}900002/art_1", f"{LAW}900001/art_2/para_1"),
        (f"{LAW}900002/art_2", f"{LAW}900001/art_2/para_1/item_2"),
        (f"{LAW}900002/art_2", f"{LAW}900001/art_1"),  # 같은 법 제1조
        (f"{LAW}900003/art_1", f"{LAW}900001"),  # the law as a whole
    }  # 「가나다법」 제9조 does not exist, 「없는법」 is not in the index: not linked
    assert {g for *_, g in quads(national, None)} == {NATIONAL_GRAPH, BILL_GRAPH}


def test_bill_graph_beside_the_national_graph(national: Path, built: BuildResult) -> None:
    bill = Graph().parse(built.out_dir / "legigraph.nt", format="nt")
    assert len(quads(national, BILL_GRAPH)) == len(bill) > 3000


def test_bill_build_and_ingest_name_a_national_text_alike(built: BuildResult) -> None:
    """A law in both graphs of one store has one source document with one identifier.

    The bill build reads a committed copy (data/external/legalize-kr/…), the ingest the
    corpus: both name the text by its path in the legalize-kr layout.
    """
    identifier = URIRef("http://purl.org/dc/terms/identifier")
    bill = Graph().parse(built.out_dir / "legigraph.nt", format="nt")
    name = "kr/지속가능발전기본법/법률(법률).md"
    blob = (ROOT / "data" / "external" / "legalize-kr" / name).read_bytes()
    ingested = Graph().parse(data=parse_statute((name, blob)).nt, format="nt")
    doc = URIRef("https://w3id.org/legigraph/source/national-014217-238845")
    assert set(bill.objects(doc, identifier)) == set(ingested.objects(doc, identifier))
    assert set(bill.objects(doc, identifier)) == {Literal(name)}


def test_materialised_citation_counts(national: Path) -> None:
    lg = "https://w3id.org/legigraph/ontology#"
    views = {lg + name for name in ("citedByCount", "citingLawCount", "citesLaw")}
    counts = {(s, p[len(lg) :], o) for s, p, o, _ in quads(national) if p in views}
    integer = "^^<http://www.w3.org/2001/XMLSchema#integer>"
    assert counts == {
        (f"{LAW}900001/art_2/para_1", "citedByCount", f'"1"{integer}'),
        (f"{LAW}900001/art_2/para_1/item_2", "citedByCount", f'"1"{integer}'),
        (f"{LAW}900001/art_1", "citedByCount", f'"1"{integer}'),
        (f"{LAW}900001", "citedByCount", f'"1"{integer}'),
        (f"{LAW}900001", "citingLawCount", f'"2"{integer}'),  # 900002 and 900003
        (f"{LAW}900002", "citesLaw", f"<{LAW}900001>"),
        (f"{LAW}900003", "citesLaw", f"<{LAW}900001>"),
    }


def test_each_edge_has_its_resolution(national: Path) -> None:
    """Why each eli:cites edge points there: an lg:CitationResolution with both ends."""
    lg = "https://w3id.org/legigraph/ontology#"
    rows = quads(national, NATIONAL_GRAPH)
    edges = {
        (s, o.strip("<>")) for s, p, o, _ in rows if p == "http://data.europa.eu/eli/ontology#cites"
    }
    facts: dict[str, dict[str, str]] = {}
    for s, p, o, _ in rows:
        if p.startswith(lg) and "/resolution/" in s:
            facts.setdefault(s, {})[p[len(lg) :]] = o
    explained = {
        (f["citingProvision"].strip("<>"), f["resolvedTo"].strip("<>")) for f in facts.values()
    }
    assert explained == edges
    same_law = facts[f"{LAW}900002/art_2/resolution/30"]
    assert same_law["citationText"] == '"같은 법 제1조"'
    assert same_law["resolutionRule"] == '"same-law/name"'
    assert same_law["consideredLaw"] == f"<{LAW}900001>"


def test_skip_reports_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    code = main(["ingest", "statutes", str(CORPUS), "--store", str(store), "--index", str(INDEX),
                 "--no-bill"])  # fmt: skip
    assert code == 0
    err = capsys.readouterr().err
    assert "skipped kr/깨진법/법률.md:4: broken front matter" in err
    manifest = json.loads(manifest_path(store).read_text(encoding="utf-8"))
    assert manifest["skipped"][0].startswith("kr/깨진법/법률.md:4:")


def test_stop_exits_2_and_keeps_the_old_store(tmp_path: Path, national: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(national, store)
    before = quads(store)
    code = main(["ingest", "statutes", str(CORPUS), "--store", str(store), "--index", str(INDEX),
                 "--on-error", "stop", "--no-bill"])  # fmt: skip
    assert code == 2
    assert quads(store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # no temp files left


def test_archive_gives_the_same_triples(tmp_path: Path, national: Path) -> None:
    archive = tmp_path / "statutes-kr.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(CORPUS / "kr", arcname="kr")
    store = tmp_path / "store"
    ingest_statutes(archive, store, INDEX, quiet=True)
    assert quads(store) == quads(national)
    bad = tmp_path / "bad.tar.xz"
    bad.write_bytes(b"not an archive")
    assert main(["ingest", "statutes", str(bad), "--store", str(store), "--index", str(INDEX),
                 "--no-bill"]) == 2  # fmt: skip


# Real corpus files the reader used to refuse (a body without articles, a preamble, orphan
# sub-items, repeated numbers, a broken addendum heading), with their rows of the index.
REAL = ROOT / "tests" / "fixtures" / "statutes"
ROOTS = (CORPUS, ROOT / "data" / "external" / "legalize-kr", REAL)
STATUTES = sorted(
    p.relative_to(root).as_posix()
    for root in ROOTS
    for p in root.glob("kr/*/*.md")
    if "깨진법" not in p.parts
)


@pytest.mark.parametrize("name", STATUTES)
def test_text_writer_gives_the_linking_model(name: str) -> None:
    """The ingest's N-Triples text and link.describe_record's rdflib graph of one statute
    (one mapping, model.provisions, two writers) are the same graph."""
    root = next(r for r in ROOTS if (r / name).exists())
    blob = (root / name).read_bytes()
    law = read_law_bytes(Path(name), blob)
    record = statute_record(law, name)
    expected = Graph()
    describe_record(expected, record, law, {"*"}, Path("."))
    work = URIRef(LAW + record.law_id)
    for ministry in law.meta.get("소관부처") or []:
        expected.add(
            (work, URIRef("http://purl.org/dc/terms/creator"), Literal(ministry, lang="ko"))
        )
    parsed = parse_statute((name, blob))
    got = Graph().parse(data=parsed.nt, format="nt")
    assert parsed.error is None and parsed.triples == len(got)
    assert set(got) == set(expected)
    assert len(expected) > 40


def test_one_process_and_workers_give_the_same_store(tmp_path: Path, national: Path) -> None:
    ingest_statutes(CORPUS, tmp_path / "one", INDEX, quiet=True, workers=1)
    assert quads(tmp_path / "one") == quads(national)


def test_limit_fraction(tmp_path: Path) -> None:
    result = ingest_statutes(CORPUS, tmp_path / "s", INDEX, limit_fraction=0.5, quiet=True)
    assert result.manifest["counts"]["files"] == 2


@pytest.mark.parametrize("text", ['a"b', "line\nbreak\r\n", "back\\slash", '"""', "한국어 ①"])
def test_literal_escaping_parses_back(text: str) -> None:
    for term in (Literal(text, lang="ko"), Literal(text), Literal(3)):
        line = f"<urn:s> <urn:p> {nt_term(term)} .\n"
        g = Graph().parse(data=line, format="nt")
        assert set(g.objects(URIRef("urn:s"), URIRef("urn:p"))) == {term}
    assert "\n" not in escape_literal(text)


def test_every_file_is_taken_and_what_it_cannot_structure_is_a_warning(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = ingest_statutes(REAL, store, REAL / "index_all_laws.csv", quiet=True)
    counts = result.manifest["counts"]
    assert (counts["files"], counts["works"], counts["skipped"]) == (6, 6, 0)
    manifest = json.loads(manifest_path(store).read_text(encoding="utf-8"))
    assert manifest["warnings"] == result.warnings
    assert counts["warnings"] == len(result.warnings)
    assert counts["warnings_by_kind"]["repeated-number"] == 10  # 9 in 검찰청법, 1 in 비상대비
    assert (
        "kr/과학기술정보통신부소관비상대비에관한법률/시행규칙.md:94: 제3조제2항 repeated "
        "(first at line 92): kept as para_2~2"
    ) in result.warnings
    assert "kr/국무총리비서실직제/대통령령.md:26: addendum heading" in " ".join(result.warnings)
    # the body of a law without articles, and the second of two paragraphs ②, are provisions
    law = f"{LAW}001431"  # 연호에 관한 법률
    assert ask(store, f"<{law}/body> <{ELI}type_subdivision> ?t")
    assert not ask(store, f"<{law}/body> <{ELI}number> ?n")
    assert ask(store, f"?p <{ELI}is_part_of> ?a . FILTER (STRENDS(STR(?p), '/art_3/para_2~2'))")


WORK_TYPE = "https://w3id.org/legigraph/code/work-type/"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("kr/연호에관한법률/법률.md", "act"),
        ("kr/검찰청법/군정법령.md", "military-government-ordinance"),
        ("kr/국무총리비서실직제/대통령령.md", "presidential-decree"),
        ("kr/과학기술정보통신부소관비상대비에관한법률/시행규칙.md", "ministerial-decree"),
        ("kr/선거관리위원회공무원윤리강령/중앙선거관리위원회규칙.md", "election-commission-rules"),
    ],
)
def test_work_type_of_each_kind(name: str, code: str) -> None:
    parsed = parse_statute((name, (REAL / name).read_bytes()))
    got = Graph().parse(data=parsed.nt, format="nt")
    assert set(got.objects(None, URIRef(ELI + "work_type"))) == {URIRef(WORK_TYPE + code)}
    assert parsed.warnings == [] or all(k != "unknown-work-type" for k, _ in parsed.warnings)


def test_unknown_kind_is_a_warning_naming_the_file() -> None:
    name = "kr/연호에관한법률/법률.md"
    kind = "법령구분: 가상부령".encode()  # no such kind
    blob = (REAL / name).read_bytes().replace("법령구분: 법률".encode(), kind)
    parsed = parse_statute((name, blob))
    assert parsed.error is None
    got = Graph().parse(data=parsed.nt, format="nt")
    assert not set(got.objects(None, URIRef(ELI + "work_type")))
    assert parsed.warnings == [
        ("unknown-work-type",
         f"{name}:5: 법령구분 '가상부령' has no concept in code/work-type: no eli:work_type")
    ]  # fmt: skip
