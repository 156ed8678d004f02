"""The CSV template of new AI projects and its check by row and column (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.register.template import COLUMNS, HEADER, is_template
from tests.conftest import ROOT
from tests.register.conftest import EXAMPLE, write_rows

TEMPLATE = ROOT / "data" / "templates" / "new-ai-projects.csv"
REGISTER_DOC = ROOT / "docs" / "register.md"


def run(built: BuildResult, *args: str) -> int:
    return main(["--root", str(built.out_dir.parents[1]), *args])


def test_the_template_is_the_header_and_the_example_is_plainly_one() -> None:
    assert TEMPLATE.read_text(encoding="utf-8") == ",".join(HEADER) + "\n"
    example = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert example[0] == ",".join(HEADER) and len(example) == 2
    assert "(예시)" in example[1] and "(Example)" in example[1]
    assert is_template(TEMPLATE) and is_template(EXAMPLE)
    assert not is_template(ROOT / "data" / "tables" / "ai-projects.csv")


def test_every_column_is_documented() -> None:
    doc = REGISTER_DOC.read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z_]+)` \| (required|optional) \|", doc, re.M)
    assert documented == [(c.name, "required" if c.required else "optional") for c in COLUMNS]


def test_the_worked_example_conforms(
    built: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(built, "validate", str(EXAMPLE)) == 0
    assert capsys.readouterr().out.strip() == "conforms: 1 new project(s)"
    assert run(built, "validate", str(TEMPLATE)) == 0  # no rows: nothing wrong


def test_problems_by_row_and_column(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_rows(tmp_path / "new-projects.csv", [
        {"serial": "20", "lead_department": "no-such-division"},
        {"serial": "21", "legal_basis": "kr-11/ordin/2229686/art_99", "category": "ai-x"},
        {"serial": "22", "begin_date": "2026-01-01", "end_date": "2025-01-01"},
        {"serial": "23", "begin_date": "2025-13-01"},
        {"serial": "5"},
        {"serial": "24", "techniques_ko": "기계학습=chatbot"},
        {"serial": "25", "legal_basis": "제3조"},
        {"serial": "26", "source": "no-such-line", "provider": "a-b-c", "contact_email": "x"},
        {"serial": "27"},
    ])  # fmt: skip
    assert run(built, "validate", str(path)) == 1
    out = capsys.readouterr().out
    where = set(re.findall(r"^(\S+\.csv:\d+:\w+): ", out, re.M))
    name = str(path)
    assert where == {
        f"{name}:2:lead_department",
        f"{name}:3:category",
        f"{name}:3:legal_basis",
        f"{name}:4:begin_date",
        f"{name}:5:begin_date",
        f"{name}:6:serial",
        f"{name}:7:techniques_ko",
        f"{name}:8:legal_basis",
        f"{name}:9:source",
        f"{name}:9:contact_email",
        f"{name}:9:provider",
    }  # line 10 (project 27) conforms
    assert "serial 5 is already used by 「서울시 대표 챗봇 \"서울톡\" 운영」" in out
    assert "fix: use a free serial (19 is the first)" in out
    assert "'2025-13-01' is not a valid xsd:date" in out
    assert out.count("\n  fix: ") == out.count(f"{name}:")  # every problem says how to fix it
    assert out.rstrip().endswith("problem(s)")


def test_a_serial_twice_in_the_file(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_rows(tmp_path / "new.csv", [{"serial": "19"}, {"serial": "19"}])
    assert run(built, "validate", str(path)) == 1
    assert f"{path}:3:serial: serial 19 is also on line 2" in capsys.readouterr().out


def test_header_problems(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = [c for c in HEADER if c != "provider"] + ["budget"]
    path = write_rows(tmp_path / "new.csv", [{}], header=header)
    assert run(built, "validate", str(path)) == 1
    out = capsys.readouterr().out
    assert f"{path}:1:budget: unknown column" in out
    assert f"{path}:1:provider: missing column" in out


def test_unreadable_input_is_exit_2(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\n19,\xff\xfe\n")
    assert run(built, "validate", str(path)) == 2
    assert "not UTF-8" in capsys.readouterr().err
    nfd = write_rows(tmp_path / "nfd.csv", [{"name_ko": "\u1100\u1161 사업"}])
    assert run(built, "validate", str(nfd)) == 2
    assert "decomposed (NFD) Hangul" in capsys.readouterr().err
