"""Shared fixtures: the graph is built once per test session into a temporary copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from legigraph.build import BuildResult, build
from legigraph.paths import Layout
from legigraph.query.engines import OxigraphEngine, RdflibEngine
from legigraph.query.saved import Result

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def copy_project(dest: Path) -> Layout:
    """Copy the hand-written inputs of the checkout into ``dest``."""
    for name in ("ontology", "data", "shapes", "queries"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name)
    return Layout(dest)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    layout = copy_project(tmp_path_factory.mktemp("project"))
    return build(layout)


@pytest.fixture(scope="session")
def graph(built: BuildResult) -> Graph:
    g = Graph()
    g.parse(built.out_dir / "legigraph.nt", format="nt")
    return g


def fixture_corpus(dest: Path) -> Path:
    """The small real statute corpus of the national tests, copied under ``dest``.

    The fixture statutes, four committed laws (민법, 고등교육법, 지속가능발전 기본법,
    특정연구기관 육성법) and one real family (서예진흥에 관한 법률 …); its name index is
    tests/fixtures/corpus-cross/index_all_laws.csv.
    """
    fixtures = ROOT / "tests" / "fixtures"
    external = ROOT / "data" / "external" / "legalize-kr"
    for source in (fixtures / "corpus", fixtures / "corpus-cross", external):
        for law in (source / "kr").iterdir():
            if law.name != "깨진법":
                shutil.copytree(law, dest / "kr" / law.name)
    return dest


def store_engines(store: Path) -> tuple[OxigraphEngine, RdflibEngine]:
    """The embedded ``store``, and rdflib over the same quads (the two engines compared)."""
    oxigraph = OxigraphEngine.open(store)
    quads = ox.Store.read_only(str(store)).dump(format=ox.RdfFormat.N_QUADS)
    dataset = Dataset()
    dataset.parse(data=quads, format="nquads")
    return oxigraph, RdflibEngine(dataset)


def plain_term(term: Node) -> Node:
    """xsd:string literals as simple literals (the same term in RDF 1.1; not in rdflib)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def plain_rows(result: Result) -> list[dict[str, Node]]:
    """A result's rows with :func:`plain_term` terms: what two engines must agree on."""
    return [{k: plain_term(v) for k, v in row.items()} for row in result.rows]
