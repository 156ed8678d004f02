"""Shared fixtures: the graph is built once per test session into a temporary copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from legigraph.build import BuildResult, build
from legigraph.paths import Layout

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
