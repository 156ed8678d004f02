"""Fixtures of the register tests: the CSV template, and a project copy that ``add`` may change."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from legigraph.build import build
from legigraph.paths import Layout
from tests.conftest import ROOT, copy_project

EXAMPLE = ROOT / "data" / "templates" / "new-ai-projects.example.csv"


def template_rows(**changes: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """The template's header and its worked example row."""
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        header, example = list(csv.reader(handle))
    return header, dict(zip(header, example, strict=True))


def write_rows(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    """A template CSV with these rows (each a change of the worked example)."""
    columns, example = template_rows()
    columns = header or columns
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            cells = {**example, **row}
            writer.writerow([cells.get(c, "") for c in columns])
    return path


@pytest.fixture
def project(tmp_path: Path) -> Layout:
    """A built copy of the project of its own, for the tests that add to data/tables."""
    layout = copy_project(tmp_path / "project")
    build(layout)
    return layout
