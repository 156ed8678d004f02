"""The national effects table: ``legigraph ingest effects`` on a small real store.

The store is built here from the four statutes committed in ``data/external/legalize-kr``
(고등교육법, 민법, 지속가능발전 기본법 ×2, 특정연구기관 육성법) with the whole name index, so
their 부칙 give real 타법개정 clauses: those 민법 and 고등교육법 made to other laws, and
the copies of those other laws made to 고등교육법 and 특정연구기관 육성법, whose current
texts the agreement check reads. The saved effects queries have golden results on it
(``LEGIGRAPH_REGENERATE_EFFECTS=1`` rewrites them).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from legigraph.amendments import parse_sentence
from legigraph.cli import main
from legigraph.effects import EFFECTS_GRAPH, CurrentText, ingest_effects, manifest_path, visible
from legigraph.history import HISTORY_GRAPH, ingest_history
from legigraph.ingest import NATIONAL_GRAPH, ingest_statutes
from legigraph.model.namespaces import LG
from legigraph.query.engines import OxigraphEngine, run_saved
from legigraph.query.saved import load_queries
from legigraph.sources.ordinance import read_law_bytes
from legigraph.validate import validate
from tests.conftest import ROOT, check_store_golden

INDEX = ROOT / "data" / "external" / "legalize-kr" / "index_all_laws.csv"
HISTORY = ROOT / "tests" / "fixtures" / "history"
LAW = "https://w3id.org/legigraph/eli/kr/law/"
ACT = "https://w3id.org/legigraph/eli/kr/law-amend/"
ELI = "http://data.europa.eu/eli/ontology#"
QUERIES = {q.id: q for q in load_queries(ROOT / "queries").values() if q.target == "effects"}


def _corpus(tmp: Path) -> Path:
    corpus = tmp / "corpus"
    shutil.copytree(ROOT / "data" / "external" / "legalize-kr" / "kr", corpus / "kr")
    return corpus


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("effects")
    corpus, path = _corpus(tmp), tmp / "store"
    ingest_statutes(corpus, path, INDEX, quiet=True, workers=1)
    ingest_effects(corpus, path, INDEX, quiet=True, workers=1)
    return path


def graph_of(store: Path, name: str = EFFECTS_GRAPH) -> Graph:
    db = ox.Store.read_only(str(store))
    nt = db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
    return Graph().parse(data=nt, format="nt")


def _one(graph: Graph, label: str) -> URIRef:
    found = [s for s in graph.subjects(None, Literal(label, lang="ko"))]
    assert len(found) == 1, (label, found)
    return URIRef(str(found[0]))


def test_each_clause_once_with_its_laws_resolved(store: Path) -> None:
    manifest = ingest_manifest(store)
    counts = manifest["counts"]
    # every clause of these files is either the law's own or a copy of another's
    assert counts["clauses_found"] == counts["clauses_distinct"] == 100
    assert counts["clauses_written"] == 93 and counts["acts"] == 22
    assert counts["clauses_left_out"] == {
        "amends an amending act (its 개정규정, not yet in force)": 4,
        "amended law not resolved": 3,
    }
    graph = graph_of(store)
    assert len(graph) == counts["triples"]
    # 민법's own 부칙 (법률 제7427호, 2005-03-31): its law from its file
    act = URIRef(ACT + "001706/7427")
    assert graph.value(act, LG.amendingLaw) == URIRef(LAW + "001706")
    assert graph.value(act, LG.amendingVersion) == URIRef(LAW + "001706/2005-03-31")
    assert str(graph.value(act, LG.promulgationNumber)) == "7427"
    # 정부조직법 is not in this corpus: its act is known from the copy in 고등교육법's
    # file, its name resolved by the linker as of 2013-03-23
    act = URIRef(ACT + "001720/11690")
    assert graph.value(act, LG.amendingLaw) == URIRef(LAW + "001720")
    assert URIRef(LAW + "000899") in set(graph.objects(act, URIRef(str(ELI) + "amends")))


def ingest_manifest(store: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(manifest_path(store).read_text(encoding="utf-8"))
    return doc


def test_the_check_against_the_current_text(store: Path) -> None:
    graph = graph_of(store)
    # 2007: 「장애인 등에 대한 특수교육법」 rewrote words of 고등교육법 제45조제5항: still there
    seen = _one(graph, "「고등교육법」 제45조제5항 개정")
    assert graph.value(seen, LG.visibleInCurrentText) == Literal(True)
    assert graph.value(seen, LG.affectedProvision) == URIRef(LAW + "000899/art_45/para_5")
    # 2013: 정부조직법 renamed the minister in 제11조의2제3항, which was written anew since
    gone = [
        s
        for s in graph.subjects(LG.amendingAct, URIRef(ACT + "001720/11690"))
        if graph.value(s, LG.affectedProvision) == URIRef(LAW + "000899/art_11-2/para_3")
    ]
    assert [graph.value(s, LG.visibleInCurrentText) for s in gone] == [Literal(False)]
    assert str(graph.value(gone[0], LG.textBefore)) == "교육과학기술부장관"
    assert str(graph.value(gone[0], LG.textAfter)) == "교육부장관"
    # a law this corpus does not hold cannot be checked: no flag
    other = [s for s in graph.subjects(LG.amendedLaw, URIRef(LAW + "001206"))]
    assert other and all(graph.value(s, LG.visibleInCurrentText) is None for s in other)


def test_the_effects_graph_conforms(store: Path, tmp_path: Path) -> None:
    """Checked against the store (its national graph: the versions the acts were read from).

    The results are those on the nodes the effects can affect: the national graph of four
    laws cites laws it does not hold, which is not the effects' concern.
    """
    nt = tmp_path / "effects.nt"
    graph_of(store).serialize(nt, format="nt", encoding="utf-8")
    result = validate([nt], store=store)
    assert result.conforms, result.render("en")
    assert result.violations == 0


def test_a_rebuild_keeps_the_history_and_effects_graphs(tmp_path: Path) -> None:
    """`ingest statutes` again: the graphs `ingest history` and `ingest effects` added stay."""
    corpus, path = _corpus(tmp_path), tmp_path / "store"
    ingest_statutes(corpus, path, INDEX, quiet=True, workers=1)
    national = graph_of(path, NATIONAL_GRAPH)
    ingest_history(HISTORY, path, quiet=True)
    ingest_effects(corpus, path, INDEX, quiet=True, workers=1)
    assert set(graph_of(path, NATIONAL_GRAPH)) == set(national)  # the effects touch no other
    before = {name: graph_of(path, name) for name in (HISTORY_GRAPH, EFFECTS_GRAPH)}
    assert all(len(g) for g in before.values())
    result = ingest_statutes(corpus, path, INDEX, quiet=True, workers=1)
    assert result.manifest["kept_graphs"] == {k: len(g) for k, g in before.items()}
    for name, graph in before.items():
        assert set(graph_of(path, name)) == set(graph), name
    # and neither step doubles anything when run again
    ingest_effects(corpus, path, INDEX, quiet=True, workers=1)
    ingest_history(HISTORY, path, quiet=True)
    for name, graph in before.items():
        assert len(graph_of(path, name)) == len(graph), name


def test_without_a_store_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _corpus(tmp_path)
    code = main(["ingest", "effects", str(corpus), "--store", str(tmp_path / "none")])
    assert code == 2
    assert "ingest statutes" in capsys.readouterr().err


@pytest.mark.parametrize("qid", sorted(QUERIES))
def test_effects_queries_match_their_goldens(store: Path, qid: str) -> None:
    """Oxigraph and rdflib, over the same quads, give the golden result."""
    check_store_golden(store, QUERIES[qid], "LEGIGRAPH_REGENERATE_EFFECTS")


def test_the_saved_queries_answer_the_questions(store: Path) -> None:
    engine = OxigraphEngine.open(store)
    try:
        of_act = run_saved(engine, QUERIES["effects-of-act"], None)
        assert [int(str(r["n"])) for r in of_act.rows] == list(range(1, len(of_act.rows) + 1))
        assert len(of_act.rows) == 53  # 법률 제7427호: the 호주 system's end, in other laws
        laws = run_saved(engine, QUERIES["effects-laws-amended-by"], None)
        graph = graph_of(store)
        by_civil_code = [
            a
            for a, act in graph.subject_objects(LG.amendingAct)
            if graph.value(act, LG.amendingLaw) == URIRef(LAW + "001706")
        ]
        # 제7427호's 53 and those of 민법's other promulgations
        assert sum(int(str(r["amendments"])) for r in laws.rows) == len(by_civil_code) == 58
        changes = run_saved(engine, QUERIES["effects-changes-to-law"], None)
        dates = [str(r["date"]) for r in changes.rows]
        assert dates == sorted(dates) and len(dates) == 68
        agreement = run_saved(engine, QUERIES["effects-agreement"], None)
        total = sum(int(str(r["amendments"])) for r in agreement.rows)
        assert total == ingest_manifest(store)["counts"]["amendments"]
    finally:
        engine.close()


CURRENT = """---
제목: 가법
법령MST: 1
법령ID: '000001'
법령구분: 법률
공포일자: 2020-01-01
공포번호: '100'
시행일자: 2020-01-01
---

# 가법

##### 제3조 (신고)

**①** 영업을 하려는 자는 시장에게 신고하여야 한다.

**②** 삭제 <2015.2.3>

**③** 시장은 신고를 받으면 수리하여야 한다. 다만, 서류가 없으면 보완을 요구할 수 있다.
"""


@pytest.mark.parametrize(
    ("sentence", "seen"),
    [
        ('제3조제1항 중 "구청장"을 "시장"으로 한다.', True),  # the new words stand
        ('제3조제1항 중 "시장"을 "구청장"으로 한다.', False),  # a later change replaced them
        ("제3조제2항을 삭제한다.", True),  # 「삭제 <date>」 is repealed
        ("제3조제1항 단서를 삭제한다.", True),  # the 단서 is gone, the paragraph stays
        ("제3조제3항 단서를 삭제한다.", False),  # the 단서 still stands
        ("제3조제9항을 삭제한다.", True),  # gone altogether
    ],
)
def test_visible_in_the_current_text(sentence: str, seen: bool) -> None:
    current = CurrentText(read_law_bytes(Path("kr/가법/법률.md"), CURRENT.encode()))
    [op] = parse_sentence(sentence)
    assert visible(op, current) is seen

