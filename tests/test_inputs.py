"""Bad input gets a clear message naming the file and line, and the right exit code."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from legigraph.build import BuildResult
from legigraph.cli import main
from tests.conftest import ROOT

GOOD_PROJECT = """@base <https://w3id.org/legigraph/> .
@prefix lg: <https://w3id.org/legigraph/ontology#> .
<id/kr-11/ai-project/2024/05> lg:mentionedIn <source/seed-424a4ad638a5c806/sec-4-na-p4> .
"""


def run(built: BuildResult, *args: str) -> int:
    return main(["--root", str(built.out_dir.parents[1]), *args])


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_is_an_input_error(
    built: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(built, "validate", "does-not-exist.ttl") == 2
    err = capsys.readouterr().err
    assert "does-not-exist.ttl" in err and "does not exist" in err


def test_malformed_turtle_names_the_line(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(
        tmp_path, "bad.ttl", "@prefix lg: <https://w3id.org/legigraph/ontology#> .\n\n<a> lg:b .\n"
    )
    assert run(built, "validate", str(bad)) == 2
    err = capsys.readouterr().err
    assert "bad.ttl:3" in err and "turtle" in err


def test_malformed_jsonld(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "bad.jsonld", '{"@id": "x",\n  "broken": }')
    assert run(built, "validate", str(bad)) == 2
    assert "bad.jsonld:2" in capsys.readouterr().err


def test_remote_jsonld_context_is_refused(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = write(
        tmp_path, "remote.jsonld", '{"@context": "https://example.org/ctx.jsonld", "@id": "x"}'
    )
    assert run(built, "validate", str(doc)) == 2
    assert "remote document" in capsys.readouterr().err


def test_nfd_hangul_is_refused(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    label = unicodedata.normalize("NFD", "인공지능")
    doc = write(
        tmp_path,
        "nfd.ttl",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'<https://w3id.org/legigraph/id/org/seoul> rdfs:label "{label}"@ko .\n',
    )
    assert run(built, "validate", str(doc)) == 2
    err = capsys.readouterr().err
    assert "nfd.ttl:2" in err and "NFC" in err


def test_empty_file_and_unknown_suffix(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(built, "validate", str(write(tmp_path, "empty.ttl", "  \n"))) == 2
    assert "empty" in capsys.readouterr().err
    assert run(built, "validate", str(write(tmp_path, "data.xlsx", "x"))) == 2
    assert "unknown RDF file type" in capsys.readouterr().err


def test_valid_addition_conforms(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(built, "validate", str(write(tmp_path, "ok.ttl", GOOD_PROJECT))) == 0
    assert "conforms" in capsys.readouterr().out


def test_usage_error_exit_code() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_csv_rows_validate_like_the_mapped_table(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = (ROOT / "data/tables/ai-projects.csv").read_text(encoding="utf-8").splitlines()[0]
    good = (
        "19,ai-safety-net,시험 사업 운영,Test project,요약,Summary,road-management-division,"
        "road-management-division,kr-11/ordin/2229686/art_3,,in-operation,,table-ref-row-12"
    )
    path = write(tmp_path, "ai-projects.csv", f"{header}\n{good}\n")
    assert run(built, "validate", str(path)) == 0
    # a technique the report's words do not state (no lg:TechniqueMention) is refused
    stated = good.replace("art_3,,in-operation", "art_3,chatbot,in-operation")
    path = write(tmp_path, "ai-projects.csv", f"{header}\n{stated}\n")
    assert run(built, "validate", str(path)) == 1
    assert "technique" in capsys.readouterr().out
    bad_code = good.replace("ai-safety-net", "ai-unknown-category")
    path = write(tmp_path, "ai-projects.csv", f"{header}\n{bad_code}\n")
    assert run(built, "validate", str(path)) == 1
    assert "ai-project-category" in capsys.readouterr().out
    bad_number = good.replace("19,", "nineteen,", 1)
    path = write(tmp_path, "ai-projects.csv", f"{header}\n{bad_number}\n")
    assert run(built, "validate", str(path)) == 2
    err = capsys.readouterr().err
    assert "ai-projects.csv:2" in err and "serial" in err


def test_csv_without_a_mapping(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(built, "validate", str(write(tmp_path, "things.csv", "a,b\n1,2\n"))) == 2
    assert "no mapping for this table" in capsys.readouterr().err
