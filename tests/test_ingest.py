"""The national ingest on a tiny legalize-kr-shaped corpus (tests/fixtures/corpus)."""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from legigraph.cli import main
from legigraph.ingest import NATIONAL_GRAPH, escape_literal, ingest_statutes, manifest_path, nt_term
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "corpus"
INDEX = CORPUS / "index_all_laws.csv"
ELI = "http://data.europa.eu/eli/ontology#"
LAW = "https://w3id.org/legigraph/eli/kr/law/"


def quads(store: Path) -> set[tuple[str, str, str, str]]:
    s = ox.Store.read_only(str(store))
    # IRIs by value; objects in N-Triples form (literals keep their language and datatype)
    return {
        (q.subject.value, q.predicate.value, str(q.object), q.graph_name.value)  # type: ignore[union-attr]
        for q in s
    }


def ask(store: Path, pattern: str) -> bool:
    s = ox.Store.read_only(str(store))
    return bool(s.query(f"ASK {{ GRAPH <{NATIONAL_GRAPH}> {{ {pattern} }} }}"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("ingest") / "store"
    ingest_statutes(CORPUS, store, INDEX, quiet=True)
    return store


def test_works_provisions_texts(built: Path) -> None:
    assert ask(built, f"<{LAW}900001> a <https://w3id.org/legigraph/ontology#NationalLaw>")
    assert ask(built, f"<{LAW}900002> <{ELI}is_realized_by> ?v")
    assert not ask(built, f"<{LAW}900009> ?p ?o")  # the broken file
    assert ask(
        built,
        f"?v <{ELI}realizes> <{LAW}900001/art_2/para_1/item_2/subitem_1> ;"
        ' <https://schema.org/text> "행정안전부장관"@ko',
    )
    assert ask(built, f'<{LAW}900003> <http://purl.org/dc/terms/creator> "법무부"@ko')
    manifest = json.loads(manifest_path(built).read_text(encoding="utf-8"))
    counts = manifest["counts"]
    assert counts["works"] == 3 and counts["files"] == 4 and counts["skipped"] == 1
    assert counts["provisions_by_kind"]["subitem"] == 2
    assert manifest["input_hash"].startswith("sha256:")
    assert set(manifest["timings_s"]) >= {"parse_build", "link", "load"}


def test_cites_edges(built: Path) -> None:
    cites = {(s, o.strip("<>")) for s, p, o, _ in quads(built) if p == ELI + "cites"}
    assert cites == {
        (f"{LAW}900002/art_1", f"{LAW}900001/art_2/para_1"),
        (f"{LAW}900002/art_2", f"{LAW}900001/art_2/para_1/item_2"),
        (f"{LAW}900002/art_2", f"{LAW}900001/art_1"),  # 같은 법 제1조
        (f"{LAW}900003/art_1", f"{LAW}900001"),  # the law as a whole
    }  # 「가나다법」 제9조 does not exist, 「없는법」 is not in the index: not linked
    assert all(g == NATIONAL_GRAPH for *_, g in quads(built))


def test_skip_reports_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    code = main(["ingest", "statutes", str(CORPUS), "--store", str(store), "--index", str(INDEX)])
    assert code == 0
    err = capsys.readouterr().err
    assert "skipped kr/깨진법/법률.md:4: broken front matter" in err
    manifest = json.loads(manifest_path(store).read_text(encoding="utf-8"))
    assert manifest["skipped"][0].startswith("kr/깨진법/법률.md:4:")


def test_stop_exits_2_and_keeps_the_old_store(tmp_path: Path, built: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built, store)
    before = quads(store)
    code = main(["ingest", "statutes", str(CORPUS), "--store", str(store), "--index", str(INDEX),
                 "--on-error", "stop"])  # fmt: skip
    assert code == 2
    assert quads(store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # no temp files left


def test_archive_gives_the_same_triples(tmp_path: Path, built: Path) -> None:
    archive = tmp_path / "statutes-kr.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(CORPUS / "kr", arcname="kr")
    store = tmp_path / "store"
    ingest_statutes(archive, store, INDEX, quiet=True)
    assert quads(store) == quads(built)
    bad = tmp_path / "bad.tar.xz"
    bad.write_bytes(b"not an archive")
    assert main(["ingest", "statutes", str(bad), "--store", str(store), "--index", str(INDEX)]) == 2


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
