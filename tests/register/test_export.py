"""``legigraph export register``: the Dutch register's JSON and the ATRS spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.paths import Layout
from legigraph.register.export import ATRS_COLUMNS, export_register
from tests.register.conftest import EXAMPLE

ABSENT = ("contact_email", "publication_category", "goal_and_impact", "proportionality",
          "human_intervention", "risk_management", "source_data", "provider", "begin_date",
          "end_date")  # fmt: skip
BASIS = "서울특별시 미래전략과제 발굴 및 육성 조례 제3조, 제7조제4호"


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def test_dutch_json_of_the_18_projects(
    built: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(built.out_dir.parents[1], "export", "register", "--format", "dutch-json") == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["legigraph_iri"][-2:] for r in records] == [f"{n:02d}" for n in range(1, 19)]
    five = records[4]
    assert five["name"] == '서울시 대표 챗봇 "서울톡" 운영'
    assert five["organization"] == "서울특별시"
    assert five["department"] == "정보시스템담당관"
    assert five["status"] == "운영"
    assert {r["lawful_basis"] for r in records} == {BASIS}
    assert records[0]["lawful_basis_link"] == [
        "https://w3id.org/legigraph/eli/kr-11/ordin/2229686/art_3",
        "https://w3id.org/legigraph/eli/kr-11/ordin/2229686/art_7/item_4",
    ]
    assert records[2]["methods_and_models"] == "기계학습; 이미지인식"  # the report's words
    # project 11: the report's words only, not the curator's 지능형 CCTV
    assert records[10]["methods_and_models"] == "4차 산업 기술 (CCTV+AI)"
    assert records[0]["status"] == ""  # no lifecycle word in its name
    for record in records:  # what the report does not give stays empty
        assert all(record[name] == "" for name in ABSENT), record["name"]
        assert record["impacttoetsen"] == []


def test_atrs_csv_in_english(built: BuildResult, tmp_path: Path) -> None:
    out = tmp_path / "atrs.csv"
    root = built.out_dir.parents[1]
    assert run(root, "export", "register", "--format", "atrs-csv", "--lang", "en",
               "--out", str(out)) == 0  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 18
    assert list(rows[0]) == [name for name, _ in ATRS_COLUMNS]
    eight = rows[7]
    assert eight["Tier 1 - Name"] == "Building a big data service platform"
    assert eight["Tier 2 - 2.1 Owner and responsibility - Team"] == "Big Data Division"
    assert eight["Tier 2 - 2.4 Technical specification and data - Phase"] == "under construction"
    legal = "Tier 2 - 2.2 Description and rationale - Legal basis"
    assert eight[legal].endswith("제3조, 제7조제4호")
    volumes = "Tier 2 - 2.4 Technical specification and data - Data volumes"
    assert eight[volumes] == "Big data platform databases: 300 types"
    assert eight["Tier 1 - Contact email"] == "" and eight["Tier 1 - Website"] == ""


def test_atrs_data_volumes_are_the_reports_quantities(built: BuildResult) -> None:
    text = export_register("atrs-csv", Layout(built.out_dir.parents[1]))
    rows = list(csv.DictReader(io.StringIO(text)))
    volumes = "Tier 2 - 2.4 Technical specification and data - Data volumes"
    assert rows[7][volumes] == "빅데이터 플랫폼 DB: 300종"
    assert rows[0][volumes] == ""


def test_an_added_projects_register_fields_are_exported(
    project: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project.root, "add", str(EXAMPLE)) == 0
    capsys.readouterr()
    records = json.loads(export_register("dutch-json", project))
    nineteen = records[-1]
    assert nineteen["name"] == "(예시) AI 민원 자동 분류 서비스"
    assert nineteen["contact_email"] == "ai-register@example.org"
    assert nineteen["publication_category"] == "그 밖의 알고리즘"
    assert (nineteen["begin_date"], nineteen["end_date"]) == ("2025-01-01", "2025-12-31")
    assert nineteen["provider"] == "서울디지털재단"
    assert nineteen["impacttoetsen"] == ["https://example.org/ai-register/19/impact-assessment"]
    assert nineteen["risk_management"].startswith("(예시)")


def test_unknown_format_is_a_usage_error(built: BuildResult) -> None:
    with pytest.raises(SystemExit) as exc:
        run(built.out_dir.parents[1], "export", "register", "--format", "xml")
    assert exc.value.code == 2
