"""Law as in force on any date: ``legigraph ingest history`` on a git repository built here.

The repository is made in ``tmp_path`` from ``tests/fixtures/history/`` (three real,
consecutive versions of 「지속가능발전 기본법 시행령」 with their real dates; see its
README), one commit per promulgation as legalize-kr has them, so CI needs neither the
network nor ``../shared``. Bill 1544's ordinance (its two versions in ``data/``) is the
renumbering case: the old 제7조제4호 became 제7조제5호, the new 제7조제4호 is new.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.errors import InputError
from legigraph.history import Chain, ingest_history, read_versions
from legigraph.history.align import Prov
from legigraph.history.chain import Version
from legigraph.history.ingest import HISTORY_GRAPH
from legigraph.query.engines import OxigraphEngine, run_saved
from legigraph.query.saved import load_queries
from legigraph.validate import validate
from tests.conftest import ROOT, check_store_golden

FIXTURES = ROOT / "tests" / "fixtures" / "history"
LAW = "https://w3id.org/legigraph/eli/kr/law/014306"
ORDIN = "https://w3id.org/legigraph/eli/kr-11/ordin/2229686"
CODE = "https://w3id.org/legigraph/code/amendment-type/"
QUERIES = {q.id: q for q in load_queries(ROOT / "queries").values() if q.target == "history"}
ORDINANCE_FILES = [  # (text, commit date) of bill 1544's ordinance, before and after
    (ROOT / "data" / "ordinance" / "2229686-8756.md", "2023-05-22"),
    (ROOT / "data" / "external" / "ordinance-kr" / "2229686" / "raw" / "1915179.md", "2024-03-26"),
]


def _rows() -> list[dict[str, str]]:
    with (FIXTURES / "git_log.tsv").open(encoding="utf-8", newline="") as handle:
        return list(reversed(list(csv.DictReader(handle, delimiter="\t"))))  # oldest first


def _git(repo: Path, *args: str, date: str = "2000-01-01") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{date}T12:00:00", "GIT_COMMITTER_DATE":
           f"{date}T12:00:00", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def commit_file(repo: Path, path: str, source: Path, date: str, message: str) -> None:
    """Commit ``source`` as ``path`` of ``repo``, dated ``date`` (a legalize-kr commit)."""
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    _git(repo, "add", path)
    _git(repo, "commit", "-q", "-m", message, date=date)


def commit_row(repo: Path, row: dict[str, str]) -> None:
    stem = row["path"].rpartition("/")[2].removesuffix(".md")
    source = FIXTURES / f"{stem}@{row['date']}_{row['commit'][:10]}.md"
    commit_file(repo, row["path"], source, row["date"], row["subject"])


ORDINANCE_PATH = "kr/서울특별시미래전략과제발굴및육성조례/조례.md"


def make_repo(tmp_path: Path, count: int, *, ordinance: bool = True) -> Path:
    """Bill 1544's ordinance (two commits), then the first ``count`` fixture versions."""
    repo = tmp_path / "legalize-kr"
    repo.mkdir()
    _git(repo, "init", "-q")
    for source, date in ORDINANCE_FILES if ordinance else ():
        commit_file(repo, ORDINANCE_PATH, source, date, "조례: 미래전략과제 발굴 및 육성 조례")
    for row in _rows()[:count]:
        commit_row(repo, row)
    return repo


def graph_of(store: Path) -> Graph:
    graph = Graph()
    db = ox.Store.read_only(str(store))
    nt = db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(HISTORY_GRAPH))
    graph.parse(data=nt, format="nt")
    return graph


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("history")
    repo = make_repo(tmp, 3)
    path = tmp / "store"
    ingest_history(repo, path, quiet=True)
    return path


def test_every_version_is_a_dated_expression(store: Path) -> None:
    rows = graph_of(store).query(
        """SELECT ?v ?pub ?from ?until WHERE {
             ?v <http://data.europa.eu/eli/ontology#realizes> ?law ;
                <http://data.europa.eu/eli/ontology#date_publication> ?pub ;
                <http://data.europa.eu/eli/ontology#first_date_entry_in_force> ?from .
             OPTIONAL { ?v <http://data.europa.eu/eli/ontology#date_no_longer_in_force> ?until }
           } ORDER BY ?pub""",
        initBindings={"law": URIRef(LAW)},
    )
    got = [tuple(str(x) if x is not None else None for x in row) for row in rows]  # type: ignore[union-attr]
    assert got == [
        (LAW + "/2024-05-07", "2024-05-07", "2024-05-17", "2025-09-30"),
        (LAW + "/2025-10-01", "2025-10-01", "2025-10-01", "2026-01-01"),
        (LAW + "/2025-12-30", "2025-12-30", "2026-01-02", None),
    ]


def test_provision_versions_realise_one_subdivision(store: Path) -> None:
    graph = graph_of(store)
    realizes = URIRef("http://data.europa.eu/eli/ontology#realizes")
    versions = sorted(str(v) for v in graph.subjects(realizes, URIRef(LAW + "/art_13/para_1")))
    dates = ("2024-05-07", "2025-10-01", "2025-12-30")
    assert versions == [f"{LAW}/{d}/art_13/para_1" for d in dates]


def test_folder_and_clone_give_the_same_history(tmp_path: Path) -> None:
    ingest_history(FIXTURES, tmp_path / "from-folder", quiet=True)
    ingest_history(make_repo(tmp_path, 3, ordinance=False), tmp_path / "from-clone", quiet=True)
    assert set(graph_of(tmp_path / "from-folder")) == set(graph_of(tmp_path / "from-clone"))


def test_incremental_adds_only_the_new_version(store: Path, tmp_path: Path) -> None:
    repo = make_repo(tmp_path, 2)
    path = tmp_path / "store"
    first = ingest_history(repo, path, quiet=True)
    assert first.new_versions == 4
    commit_row(repo, _rows()[2])
    second = ingest_history(repo, path, quiet=True)
    assert (second.new_versions, second.changed_laws) == (1, ["014306"])
    assert second.manifest["counts"]["versions"] == 5  # the ordinance's 2 and 3 of 014306
    assert set(graph_of(path)) == set(graph_of(store))  # as if read at once
    again = ingest_history(repo, path, quiet=True)
    assert (again.new_versions, again.changed_laws) == (0, [])


def test_changes_between_versions(store: Path) -> None:
    engine = OxigraphEngine.open(store)
    try:
        params = {"law": LAW, "from": "2025-01-01", "to": "2026-12-31"}
        result = run_saved(engine, QUERIES["law-changes-between"], params)
    finally:
        engine.close()
    got = [(str(r["date_in_force"]), str(r["change_type"]).rsplit("/", 1)[1], str(r["change_ko"]))
           for r in result.rows]  # fmt: skip
    assert got == [
        ("2025-10-01", "substitution", "제10조제1항 개정"),  # 통계청장 → 국가데이터처장
        ("2025-10-01", "substitution", "제13조제1항 개정"),
        ("2025-10-01", "insertion", "부칙 <제35811호> 신설"),
        ("2026-01-02", "substitution", "제13조제1항 개정"),  # 기획재정부장관 → 기획예산처장관
        ("2026-01-02", "insertion", "부칙 <제35948호> 신설"),
    ]
    row = result.rows[3]
    assert "기획예산처장관" in str(row["text_after_ko"])
    assert "기획예산처장관" not in str(row["text_before_ko"])


def test_text_on_a_date(store: Path) -> None:
    engine = OxigraphEngine.open(store)
    try:
        texts = {}
        for day in ("2025-09-30", "2025-10-01", "2026-01-02"):
            result = run_saved(engine, QUERIES["law-text-on-date"], {"law": LAW, "date": day})
            rows = [r for r in result.rows if str(r["provision"]) == LAW + "/art_10/para_1"]
            texts[day] = (str(rows[0]["version"]).rsplit("/", 1)[1], str(rows[0]["text_ko"]))
    finally:
        engine.close()
    assert texts["2025-09-30"][0] == "2024-05-07" and "통계청장" in texts["2025-09-30"][1]
    assert texts["2025-10-01"][0] == "2025-10-01" and "국가데이터처장" in texts["2025-10-01"][1]
    assert texts["2026-01-02"][0] == "2025-12-30"


@pytest.mark.parametrize("qid", sorted(QUERIES))
def test_history_queries_match_their_goldens(store: Path, qid: str) -> None:
    """Oxigraph and rdflib, over the same quads, give the golden result."""
    check_store_golden(store, QUERIES[qid], "LEGIGRAPH_REGENERATE_HISTORY")


def test_renumbering_is_a_move(tmp_path: Path) -> None:
    """Bill 1544: old 제7조제4호 → 제7조제5호 is one provision; the new 제7조제4호 is new."""
    repo = make_repo(tmp_path, 0)
    path = tmp_path / "store"
    result = ingest_history(repo, path, quiet=True)
    assert result.manifest["counts"]["changes_by_kind"] == {
        "insertion": 2, "renumbering": 1, "substitution": 1,  # 제7조제4호, 부칙; 제3조
    }  # fmt: skip
    graph = graph_of(path)
    realizes = URIRef("http://data.europa.eu/eli/ontology#realizes")
    old, new = ORDIN + "/2023-05-22", ORDIN + "/2024-03-26"
    assert graph.value(URIRef(old + "/art_7/item_4"), realizes) == URIRef(ORDIN + "/art_7/item_5")
    assert graph.value(URIRef(new + "/art_7/item_5"), realizes) == URIRef(ORDIN + "/art_7/item_5")
    item_4 = sorted(map(str, graph.subjects(realizes, URIRef(ORDIN + "/art_7/item_4"))))
    assert item_4 == [new + "/art_7/item_4"]  # new: no earlier version realises it
    rows = graph.query(
        """SELECT ?type ?before ?after WHERE {
             ?c <https://w3id.org/legigraph/ontology#affectedProvision> ?p ;
                <https://w3id.org/legigraph/ontology#amendmentType> ?type .
             OPTIONAL { ?c <https://w3id.org/legigraph/ontology#provisionBefore> ?before }
             OPTIONAL { ?c <https://w3id.org/legigraph/ontology#provisionAfter> ?after }
           }""",
        initBindings={"p": URIRef(ORDIN + "/art_7/item_5")},
    )
    assert [tuple(map(str, r)) for r in rows] == [  # type: ignore[arg-type]
        (CODE + "renumbering", old + "/art_7/item_4", new + "/art_7/item_5")
    ]


def test_the_build_and_the_history_name_the_works_alike(
    store: Path, built: BuildResult
) -> None:
    """One work-level convention: every version-level provision of bill 1544's ordinance
    realises the same work-level subdivision in the build as in the history, and the
    curated renumbering (act 9173, amendment 3) affects the provision the history moves."""
    history = graph_of(store)
    build = Graph().parse(built.out_dir / "legigraph.nt", format="nt")
    realizes = URIRef("http://data.europa.eu/eli/ontology#realizes")

    def pairs(graph: Graph) -> set[tuple[str, str]]:
        return {
            (str(v), str(w))
            for v, w in graph.subject_objects(realizes)
            if str(v).startswith(ORDIN + "/20")
        }

    assert len(pairs(build)) > 40 and pairs(build) == pairs(history)
    assert (ORDIN + "/2023-05-22/art_7/item_4", ORDIN + "/art_7/item_5") in pairs(build)
    affected = URIRef("https://w3id.org/legigraph/ontology#affectedProvision")
    kind = URIRef("https://w3id.org/legigraph/ontology#amendmentType")
    moved = {
        history.value(c, affected)
        for c in history.subjects(kind, URIRef(CODE + "renumbering"))
        if str(c).startswith(ORDIN)
    }
    curated = URIRef("https://w3id.org/legigraph/eli/kr-11/ordin-amend/9173/amendment/3")
    assert moved == {build.value(curated, affected)} == {URIRef(ORDIN + "/art_7/item_5")}


def test_chain_names_a_repealed_provision_apart() -> None:
    """A provision gone from the latest version keeps its last path, suffixed when reused."""
    chain = Chain("1")
    meta = {"law_id": "1", "serial": "1", "name": "법", "kind": "법률", "promulgation_number": "1"}
    first = [Prov("art_1", "article", "제1조", "1", "갑"), Prov("art_2", "article", "제2조", "2",
             "을을을을을을을을")]  # fmt: skip
    second = [Prov("art_1", "article", "제1조", "1", "갑"), Prov("art_2", "article", "제2조", "2",
              "전혀 다른 새 규정의 문언")]  # fmt: skip
    for n, provs in enumerate((first, second), start=1):
        chain.append(Version(str(n), "x", "kr/법/법률.md", {**meta, "promulgated": f"2020-0{n}-01",
                             "in_force": f"2020-0{n}-01"}, provs))  # fmt: skip
    names = chain.names()
    assert sorted(names.values()) == ["art_1", "art_2", "art_2~2"]
    assert [c.kind for c in chain.versions[1].changes] == ["insertion", "repeal"]


def test_errors_are_one_line_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing")
    assert main(["ingest", "history", missing, "--store", str(tmp_path / "s")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    (tmp_path / "folder").mkdir()
    with pytest.raises(InputError, match=r"git_log\.tsv"):
        read_versions(tmp_path / "folder")
    folder = str(tmp_path / "folder")
    assert main(["ingest", "history", folder, "--store", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err


def test_a_store_out_of_step_with_the_state_is_rewritten_whole(store: Path, tmp_path: Path) -> None:
    """A run that stopped between the store and the state file: the next one replaces all."""
    repo = make_repo(tmp_path, 2)
    path = tmp_path / "store"
    ingest_history(repo, path, quiet=True)
    db = ox.Store(str(path))
    db.remove_graph(ox.NamedNode(HISTORY_GRAPH))
    del db
    commit_row(repo, _rows()[2])
    ingest_history(repo, path, quiet=True)
    assert set(graph_of(path)) == set(graph_of(store))
    shutil.rmtree(path)  # `ingest statutes` replaces the store without the history graph
    assert ingest_history(repo, path, quiet=True).new_versions == 0
    assert set(graph_of(path)) == set(graph_of(store))


def test_the_history_graph_conforms(tmp_path: Path, built: BuildResult) -> None:
    """The history of the fixture law meets the profile, in the context of the built graph.

    A copy of the build as the context: validation adds the files to it.
    """
    path = tmp_path / "store"
    ingest_history(FIXTURES, path, quiet=True)
    nt = tmp_path / "history.nt"
    graph_of(path).serialize(nt, format="nt", encoding="utf-8")
    context = Graph().parse(built.out_dir / "legigraph.nt", format="nt")
    result = validate([nt], context=context)
    assert result.conforms, result.render("en")
