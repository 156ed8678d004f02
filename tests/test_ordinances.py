"""``legigraph ingest ordinances`` on a small real store, and the ordinance queries on it.

The store: the fixture statute corpus of the national tests (``conftest.fixture_corpus``)
and the bill-1544 graph, then the real Seoul ordinances of tests/fixtures/ordinances/ (see
its README). The rows the queries must give were checked by hand against the ordinance
texts: they are the golden results of the ordinance queries.
"""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.errors import InputError
from legigraph.ingest import (
    ORDINANCE_GRAPH,
    ingest_ordinances,
    ingest_statutes,
    ordinance_manifest_path,
    store_counts,
)
from legigraph.ingest.store import count_pattern
from legigraph.model import ids
from legigraph.model.namespaces import LG
from legigraph.query.engines import OxigraphEngine, RdflibEngine, run_saved
from legigraph.query.saved import Result, load_queries
from tests.conftest import ROOT, plain_rows, store_engines
from tests.corpus import small_national_store

FIXTURES = ROOT / "tests" / "fixtures"
ORDINANCES = FIXTURES / "ordinances"
LAWS = FIXTURES / "ordinance-laws"  # 노숙인 등의 복지 및 자립지원에 관한 법률, with the index
SEOUL = "서울특별시/_본청/조례"
LAW = "https://w3id.org/legigraph/eli/kr/law/"
ORDIN = "https://w3id.org/legigraph/eli/kr-11/ordin/"
FUTURE, CALL_CENTRE, SUSTAINABLE, CARERS = "2229686", "2169501", "2171771", "2223154"
WELFARE = "2017941"  # 서울특별시 개인운영 사회복지시설 지원 조례
QUERIES = load_queries(ROOT / "queries")
# graphs of other ingests, which an ordinance ingest must leave as they are
OTHERS = [str(ids.HISTORY_GRAPH), str(ids.EFFECTS_GRAPH)]


def _graph_counts(store: Path) -> dict[str, int]:
    db = ox.Store.read_only(str(store))
    graphs = sorted(str(g.value) for g in db.named_graphs())
    counts = {g: count_pattern(db, f"GRAPH <{g}> {{ ?s ?p ?o }}") for g in graphs}
    del db
    return counts


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    """The national store without ordinances, with a marker in two other graphs.

    With one more real law, cited by an ordinance's 부칙 under provisions it has no longer.
    """
    path = small_national_store(tmp_path_factory.mktemp("national"),
                                built.out_dir / "legigraph.nt", extra=LAWS)  # fmt: skip
    db = ox.Store(str(path))
    for graph in OTHERS:
        db.add(ox.Quad(ox.NamedNode(ORDIN + FUTURE), ox.NamedNode("urn:x:marker"),
                       ox.Literal(graph), ox.NamedNode(graph)))  # fmt: skip
    db.flush()
    del db
    return path


def _copy_store(national: Path, dest: Path) -> Path:
    store = dest / "national-store"
    shutil.copytree(national, store)
    shutil.copyfile(national.with_name(national.name + ".manifest.json"),
                    store.with_name(store.name + ".manifest.json"))  # fmt: skip
    return store


@pytest.fixture(scope="module")
def store(national: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _copy_store(national, tmp_path_factory.mktemp("with-ordinances"))
    ingest_ordinances(ORDINANCES, path, quiet=True, workers=1)
    return path


@pytest.fixture(scope="module")
def engines(store: Path) -> tuple[OxigraphEngine, RdflibEngine]:
    return store_engines(store)


def run(engines: tuple[OxigraphEngine, RdflibEngine], qid: str, **params: str) -> Result:
    """Run a saved query on the store and on rdflib: the rows must be the same."""
    query = QUERIES[qid]
    result = run_saved(engines[0], query, params or None)
    baseline = run_saved(engines[1], query, params or None)
    assert plain_rows(result) == plain_rows(baseline), f"{qid}: Oxigraph and rdflib differ"
    return result


def column(result: Result, name: str) -> list[str]:
    return [str(row.get(name, "")) for row in result.rows]


def test_the_ordinances_are_read_and_linked(store: Path) -> None:
    manifest = json.loads(ordinance_manifest_path(store).read_text(encoding="utf-8"))
    counts = manifest["counts"]
    assert counts["ordinances"] == counts["files"] == 5 and counts["skipped"] == 0
    assert counts["citations_resolved"] == counts["citations_by_status"]["resolved"] > 0
    assert counts["citations_found"] == sum(counts["citations_by_status"].values())
    assert counts["cites_national"] + counts["cites_ordinance"] == counts["citations_resolved"]
    found = _graph_counts(store)
    assert found[ORDINANCE_GRAPH] == counts["triples"] == manifest["checks"]["triples"]
    db = ox.Store.read_only(str(store))
    works = count_pattern(db, f"GRAPH <{ORDINANCE_GRAPH}> {{ ?s a <{LG.Ordinance}> }}")
    serial = count_pattern(db, f"GRAPH <{ORDINANCE_GRAPH}> {{ <{ORDIN}{FUTURE}/2024-03-26> "
                           f"<https://w3id.org/legigraph/ontology#localLawSerialNumber> "
                           '"1915179" }')  # fmt: skip
    del db
    assert (works, serial) == (5, 1)
    # what the linker could not resolve is listed with its reason: 「지방공무원법」 is not
    # in the fixture index
    assert any("「지방공무원법」" in line for line in manifest["unresolved"])


def test_only_the_ordinance_graph_changes(national: Path, tmp_path: Path) -> None:
    store = _copy_store(national, tmp_path)
    before = _graph_counts(store)
    assert ORDINANCE_GRAPH not in before and all(before[g] == 1 for g in OTHERS)
    one = tmp_path / "one"
    shutil.copytree(ORDINANCES / SEOUL / "서울특별시 미래전략과제 발굴 및 육성 조례",
                    one / SEOUL / "서울특별시 미래전략과제 발굴 및 육성 조례")  # fmt: skip
    first = ingest_ordinances(one, store, quiet=True, workers=1)
    after = _graph_counts(store)
    assert {g: n for g, n in after.items() if g != ORDINANCE_GRAPH} == before
    assert after[ORDINANCE_GRAPH] == first.manifest["counts"]["triples"]
    assert first.manifest["counts"]["ordinances"] == 1
    # a re-run with all five replaces the ordinance graph, and only it
    second = ingest_ordinances(ORDINANCES, store, quiet=True, workers=1)
    again = _graph_counts(store)
    assert {g: n for g, n in again.items() if g != ORDINANCE_GRAPH} == before
    assert again[ORDINANCE_GRAPH] == second.manifest["counts"]["triples"] > after[ORDINANCE_GRAPH]
    assert second.manifest["checks"]["removed"] == 0  # the first ordinance is as it was
    # the same input again writes nothing
    third = ingest_ordinances(ORDINANCES, store, quiet=True, workers=1)
    assert third.manifest["checks"]["added"] == third.manifest["checks"]["removed"] == 0
    assert _graph_counts(store) == again
    assert store_counts(store)["national_laws"] == 13


def _broken(tmp_path: Path) -> Path:
    corpus = tmp_path / "bad"
    name = "서울특별시 미래전략과제 발굴 및 육성 조례"
    shutil.copytree(ORDINANCES / SEOUL / name, corpus / SEOUL / name)
    text = (corpus / SEOUL / name / "본문.md").read_text(encoding="utf-8")
    broken = text.replace("공포번호: '9173'", "공포번호: [9173", 1)
    (corpus / SEOUL / name / "본문.md").write_text(broken, encoding="utf-8")
    return corpus


def test_bad_input_is_refused_with_file_and_line(
    national: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _copy_store(national, tmp_path)
    ingest_ordinances(ORDINANCES, store, quiet=True, workers=1)
    before = _graph_counts(store)
    bad = _broken(tmp_path)
    with pytest.raises(InputError) as err:
        ingest_ordinances(bad, store, quiet=True, workers=1, on_error="stop")
    assert "본문.md" in str(err.value.path) and err.value.line == 12
    assert main(["ingest", "ordinances", str(bad), "--store", str(store), "-q"]) == 2
    message = capsys.readouterr().err
    assert "본문.md:12" in message and "broken front matter" in message
    assert "nothing to ingest" in message and "was left as it was" in message
    assert main(["ingest", "ordinances", str(tmp_path / "none"), "--store", str(store)]) == 2
    assert _graph_counts(store) == before  # the old ordinance graph is kept


def test_no_store_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no national store"):
        ingest_ordinances(ORDINANCES, tmp_path / "nowhere", quiet=True)


def test_the_cli_reports_the_figures(national: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    store = _copy_store(national, tmp_path)
    assert main(["ingest", "ordinances", str(ORDINANCES), "--store", str(store), "-q"]) == 0
    out = capsys.readouterr().out
    assert "ingested 5 of 5 ordinance files" in out and "citations found: " in out
    assert "stale references: 2, missing provision 2" in out


def test_impact_of_a_national_amendment(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    # 민법 제32조 (비영리법인의 설립과 허가): the two ordinances that found a 재단법인 on it
    result = run(engines, "ordinance-cited-by", target=LAW + "001706/art_32")
    assert column(result, "citing") == [ORDIN + CALL_CENTRE + "/art_3",
                                        ORDIN + FUTURE + "/art_6/item_5"]  # fmt: skip
    assert set(column(result, "cited_ko")) == {"제32조"}
    assert set(column(result, "law_ko")) == {"민법"}
    # the whole 민법: 제779조 (가족의 범위) of the carers' ordinance too
    whole = run(engines, "ordinance-cited-by", target=LAW + "001706")
    assert (LAW + "001706/art_779", ORDIN + CARERS + "/art_2") in {
        (str(r["cited"]), str(r["citing"])) for r in whole.rows
    }
    assert set(column(result, "citing")) < set(column(whole, "citing"))
    # 지속가능발전 기본법: the date rule picks 014217 (2022), not 010505, for both ordinances
    law = run(engines, "ordinance-cited-by", target=LAW + "014217")
    assert {ORDIN + FUTURE + "/art_2/item_2", ORDIN + SUSTAINABLE + "/art_1"} <= set(
        column(law, "citing")
    )
    assert run(engines, "ordinance-cited-by", target=LAW + "010505").rows == []


def test_the_bill_ordinance_rests_on(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    result = run(engines, "ordinance-national-basis")
    rows = [(str(r["citing_ko"]), str(r["cited"]), str(r["law_ko"])) for r in result.rows]
    assert rows == [
        ("제2조제2호", LAW + "014217/art_2/item_2", "지속가능발전 기본법"),
        ("제6조제3호", LAW + "000752", "특정연구기관 육성법"),
        ("제6조제4호", LAW + "000899", "고등교육법"),
        ("제6조제5호", LAW + "001706/art_32", "민법"),
    ]
    text = result.rows[0]["cited_text_ko"]
    assert isinstance(text, Literal) and str(text).startswith('"지속가능발전"이란')


def test_stale_references(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    # 부칙 <제5682호> 제2조 (2014): 「노숙인 등의 복지 및 자립지원에 관한 법률」제16조 제2호부터
    # 제4호까지; today's 제16조 lists them under its 제1항 (제16조제1항제2호 …). 제3호 is in
    # the range but not a citation of its own (the reader takes a range's ends).
    # 「정신보건법」 제16조 제1항 in the same article: not in the fixture index, unresolved.
    result = run(engines, "ordinance-stale-references")
    rows = [(str(r["kind"]), str(r["citing"]), str(r["cited"]), str(r["law_ko"]))
            for r in result.rows]  # fmt: skip
    citing = ORDIN + WELFARE + "/addendum_5682/art_2"
    law = "노숙인 등의 복지 및 자립지원에 관한 법률"
    assert rows == [
        ("missing provision", citing, LAW + "011408/art_16/item_2", law),
        ("missing provision", citing, LAW + "011408/art_16/item_4", law),
    ]
    assert str(result.rows[0]["ordinance_ko"]) == "서울특별시 개인운영 사회복지시설 지원 조례"
    assert "「정신보건법」 제16조 제1항" in str(result.rows[0]["text_ko"])


def test_an_archive_gives_the_same_graph(national: Path, store: Path, tmp_path: Path) -> None:
    archive = tmp_path / "ordinances.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(ORDINANCES / "서울특별시", arcname="서울특별시")
    copy = _copy_store(national, tmp_path)
    result = ingest_ordinances(archive, copy, quiet=True, workers=1)
    assert result.manifest["counts"]["ordinances"] == 5
    assert _graph_counts(copy)[ORDINANCE_GRAPH] == _graph_counts(store)[ORDINANCE_GRAPH]


def test_a_statute_rebuild_keeps_the_ordinance_graph(
    national: Path, built: BuildResult, tmp_path: Path
) -> None:
    store = _copy_store(national, tmp_path)
    ingest_ordinances(ORDINANCES, store, quiet=True, workers=1)
    before = _graph_counts(store)
    ingest_statutes(national.parent / "corpus", store, LAWS / "index_all_laws.csv", quiet=True,
                    bill=built.out_dir / "legigraph.nt", workers=1)  # fmt: skip
    assert _graph_counts(store)[ORDINANCE_GRAPH] == before[ORDINANCE_GRAPH]
