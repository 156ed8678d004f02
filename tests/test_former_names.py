"""The alias table in the graph: lg:FormerName nodes, their shape, the ingest, the query.

The store: the small national store of tests/test_national_queries.py with two more real
laws (tests/fixtures/former-names, copied from the corpus): 국가경찰과 자치경찰의 조직 및
운영에 관한 법률 (000992, once 「경찰법」: renamed by its 2020 전부개정, the 법령ID kept)
and 한국광해광업공단법 (014032, which repealed and replaced 「한국광물자원공사법」 in 2021;
「대한광업진흥공사법」 is the name before that). The rows are checked by hand against the
laws' 부칙.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from legigraph.build import BuildResult
from legigraph.ingest import manifest_path
from legigraph.link.aliases import read_aliases
from legigraph.link.evidence import Evidence, resolution_triples
from legigraph.link.formernames import table_triples
from legigraph.link.resolve import read_law_index
from legigraph.link.resolver import former_name_iri, with_tables
from legigraph.model import ids
from legigraph.model.namespaces import LG
from legigraph.query.engines import OxigraphEngine, RdflibEngine, run_saved
from legigraph.query.saved import load_queries
from legigraph.validate import validate_graph
from tests.conftest import ROOT, plain_rows, store_engines
from tests.corpus import small_national_store

LAW = "https://w3id.org/legigraph/eli/kr/law/"
EXTRA = ROOT / "tests" / "fixtures" / "former-names"
TABLE = ROOT / "data" / "linking" / "aliases.tsv"
QUERIES = load_queries(ROOT / "queries")
DIGEST = "0" * 64


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    return small_national_store(tmp_path_factory.mktemp("former"),
                                built.out_dir / "legigraph.nt", extra=EXTRA)  # fmt: skip


@pytest.fixture(scope="module")
def engines(store: Path) -> tuple[OxigraphEngine, RdflibEngine]:
    return store_engines(store)


def rows(
    engines: tuple[OxigraphEngine, RdflibEngine], qid: str = "law-former-names", **params: str
) -> list[tuple[str, ...]]:
    query = QUERIES[qid]
    result = run_saved(engines[0], query, params or None)
    assert plain_rows(result) == plain_rows(run_saved(engines[1], query, params or None))
    names = ("law", "former_ko", "kind", "change", "valid_until", "files", "provision")
    return [tuple(str(row.get(n, "")) for n in names) for row in result.rows]


POLICE = (LAW + "000992", "경찰법")
MINES = LAW + "014032"


def test_a_laws_former_names(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    assert rows(engines, law=LAW + "000992") == [
        (*POLICE, "deemed", "rename", "2020-12-22", "1", LAW + "000992/addendum_17689/art_8"),
        (*POLICE, "substituted", "rename", "2020-12-22", "12",
         LAW + "001792/addendum_17689/art_7"),  # 감염병의 예방 및 관리에 관한 법률's 부칙
    ]  # fmt: skip
    assert rows(engines, law=MINES) == [
        (MINES, "대한광업진흥공사법", "substituted", "rename", "2008-12-26", "3",
         LAW + "001859/addendum_9182/art_3"),  # 광산안전법's 부칙
        # 부칙 제2조 "「한국광물자원공사법」은 폐지한다", 제13조 the deeming clause
        (MINES, "한국광물자원공사법", "deemed", "replacement", "2021-03-09", "1",
         LAW + "014032/addendum_17919/art_13"),
        (MINES, "한국광물자원공사법", "substituted", "replacement", "2021-03-09", "4",
         LAW + "011178/addendum_17919/art_12"),  # 지방세특례제한법's 부칙
    ]  # fmt: skip
    assert rows(engines, law=LAW + "001706") == []  # a law without former names
    assert rows(engines) == rows(engines, law=LAW + "000992")  # the default


def test_a_name_to_the_law(engines: tuple[OxigraphEngine, RdflibEngine]) -> None:
    back = "former-name-law"
    assert {r[0] for r in rows(engines, back, name="한국광물자원 공사법")} == {MINES}  # spaces
    assert rows(engines, back) == rows(engines, law=LAW + "000992")  # 「경찰법」, the default
    assert rows(engines, back, name="민법") == []  # a current name is no former name


def test_the_ingest_writes_and_counts_the_table(store: Path) -> None:
    manifest = json.loads(manifest_path(store).read_text(encoding="utf-8"))
    counts = manifest["counts"]
    assert counts["former_names"] == 5 and counts["former_name_triples"] > 5 * 10
    db = ox.Store.read_only(str(store))
    national = ox.NamedNode(str(ids.NATIONAL_GRAPH))
    former = [q.subject for q in db.quads_for_pattern(
        None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(LG.FormerName)), national)]  # fmt: skip
    assert len(former) == 5
    # derived from a provision the store holds (the law's own 부칙), or from another law's
    own = ox.NamedNode(LAW + "000992/addendum_17689/art_8")
    assert any(db.quads_for_pattern(own, None, None, national))
    hidden = {str(getattr(q.object, "value", "")) for q in db.quads_for_pattern(
        ox.NamedNode(MINES), ox.NamedNode(str(SKOS.hiddenLabel)), None, national)}  # fmt: skip
    assert hidden == {"대한광업진흥공사법", "한국광물자원공사법"}


def test_the_whole_table_conforms_to_the_profile() -> None:
    aliases = read_aliases(TABLE)
    graph = Graph()
    for triple in table_triples(aliases, DIGEST, "0.1.0"):
        graph.add(triple)
    nodes = set(graph.subjects(RDF.type, LG.FormerName))
    assert len(nodes) == len(aliases)  # one node per row: the IRIs do not collide
    result = validate_graph(graph)
    assert result.conforms, result.render()[:2000]
    derived = {str(o) for o in graph.objects(None, PROV.wasDerivedFrom)}
    assert all(ids.in_addendum(iri) for iri in derived)


def test_a_resolution_by_a_former_name_points_at_its_row() -> None:
    data = ROOT / "data"
    index = with_tables(read_law_index(data / "external/legalize-kr/index_all_laws.csv"), data)
    res = index.resolve("경찰법", "2021-06-01")
    assert res.rule == "alias" and res.record is not None and res.record.law_id == "000992"
    row = index.by_former_iri[res.via]
    assert res.via == former_name_iri(row)
    assert index.by_former_iri[res.via].how == "deemed"  # the strongest evidence first
    ev = Evidence(LAW + "000166/art_3", 0, "「경찰법」", LAW + "000992", LAW + "000992",
                  (LAW + "000992",), "alias", res.reason, "2021-06-01", via=res.via)  # fmt: skip
    node = URIRef(ids.citation_resolution_iri(ev.citing, 0))
    assert (node, LG.viaFormerName, URIRef(res.via)) in resolution_triples(ev)
    plain = index.resolve("국가경찰과 자치경찰의 조직 및 운영에 관한 법률", "2021-06-01")
    assert plain.via == ""  # only a resolution by a former name has one


def test_the_bill_build_writes_only_the_rows_it_used(graph: Graph) -> None:
    """The ordinance's ten citations resolve by their current names: no former name."""
    rules = {str(o) for o in graph.objects(None, LG.resolutionRule)}
    assert "alias" not in rules
    assert not list(graph.subjects(RDF.type, LG.FormerName))
    assert not list(graph.subject_objects(LG.viaFormerName))
