"""Shared fixtures: the graph is built once per test session into a temporary copy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from legigraph.build import BuildResult, build
from legigraph.paths import Layout
from legigraph.query import golden
from legigraph.query.engines import OxigraphEngine, RdflibEngine
from legigraph.query.saved import SavedQuery

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


def check_store_golden(store: Path, query: SavedQuery, regenerate: str) -> None:
    """Oxigraph on ``store`` and rdflib over the same quads give ``query``'s golden result.

    A query of a named graph the tests build (history, effects): with the environment
    variable ``regenerate`` set, Oxigraph's result is written as the golden first.
    """
    dataset = Dataset()
    dataset.parse(data=ox.Store.read_only(str(store)).dump(format=ox.RdfFormat.N_QUADS),
                  format="nquads")  # fmt: skip
    engines = [OxigraphEngine.open(store), RdflibEngine(dataset)]
    try:
        docs = [golden.result_doc(engine, query) for engine in engines]
    finally:
        for engine in engines:
            engine.close()
    if os.environ.get(regenerate):
        golden.golden_path(query).write_text(golden.golden_text(docs[0]), encoding="utf-8")
    for doc in docs:
        assert golden.matches(doc, query), f"{query.id}: differs from {golden.golden_path(query)}"
    assert docs[0]["results"]["bindings"], f"{query.id}: an empty golden result tests nothing"
