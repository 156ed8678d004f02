"""The committed tables are in the one form their writers write (``io.csv_text``), in NFC."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import pytest

from legigraph.io import csv_text
from tests.conftest import ROOT

TABLES = sorted((ROOT / "data" / "tables").glob("*.csv")) + sorted(
    (ROOT / "data" / "linking").glob("*.tsv")
)


def test_there_are_tables() -> None:
    assert len(TABLES) >= 10


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_table_is_in_canonical_form(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    delimiter = "\t" if path.suffix == ".tsv" else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert text == csv_text(rows, delimiter), (
        f"{path.relative_to(ROOT)} is not as io.csv_text writes it: rewrite it with "
        "legigraph.io.csv_text (quotes only where needed, \\n line ends)"
    )
    assert unicodedata.is_normalized("NFC", text), f"{path.name} is not NFC"


def test_the_lint_catches_a_table_quoted_by_hand() -> None:
    assert csv_text([["a", "b c"]]) == "a,b c\n"
    assert csv_text([["a", "b c"]]) != 'a,"b c"\n'
