"""``legigraph add``: new projects merged into the curated tables only when they conform."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from legigraph.cli import main
from legigraph.paths import Layout
from legigraph.register.template import TABLES
from tests.register.conftest import EXAMPLE, write_rows

LG = "https://w3id.org/legigraph/ontology#"
SCHEMA = "https://schema.org/"
P19 = URIRef("https://w3id.org/legigraph/id/kr-11/ai-project/2024/19")


def run(layout: Layout, *args: str) -> int:
    return main(["--root", str(layout.root), *args])


def tables(layout: Layout) -> dict[str, str]:
    return {t: (layout.data / "tables" / t).read_text(encoding="utf-8") for t in TABLES}


def built(layout: Layout) -> Graph:
    return Graph().parse(layout.bill_graph, format="nt")


def test_add_appends_the_rows_and_the_build_shows_them(
    project: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tables(project)
    assert run(project, "add", str(EXAMPLE)) == 0
    out = capsys.readouterr().out
    assert "added project(s) 19 to data/tables/ai-projects.csv (+1), " in out
    after = tables(project)
    for table in TABLES:  # the old text is kept as it was, the new line appended
        assert after[table].startswith(before[table])
        assert after[table].count("\n") == before[table].count("\n") + 1
    assert after["ai-technique-mentions.csv"].endswith(
        "19,1,기계학습,,machine-learning,sec-4-ga\n"
    )
    assert ",,sec-4-ga\n" in after["ai-projects.csv"]  # no source table: not the report's
    graph = built(project)  # `add` built the graph again
    assert (P19, RDF.type, URIRef(LG + "AIProject")) in graph
    assert graph.value(P19, URIRef(SCHEMA + "email")) == Literal("ai-register@example.org")
    begin = Literal("2025-01-01", datatype=XSD.date)
    assert graph.value(P19, URIRef(SCHEMA + "startDate")) == begin
    bill = URIRef("https://w3id.org/legigraph/eli/dl/kr-11/bill/2024/1544")
    assert (bill, URIRef(LG + "createdLegalBasisOf"), P19) in graph
    art_3 = URIRef("https://w3id.org/legigraph/eli/kr-11/ordin/2229686/art_3")
    assert (art_3, URIRef(LG + "isLegalBasisOf"), P19) in graph

    # the same file again adds nothing
    assert run(project, "add", str(EXAMPLE)) == 0
    out = capsys.readouterr().out
    assert "project 19 is already in the curated data, as written here" in out
    assert "nothing to add" in out
    assert tables(project) == after

    # the same serial with other content is refused, and nothing is written
    changed = write_rows(project.root / "changed.csv", [{"name_ko": "(예시) 다른 사업"}])
    assert run(project, "add", str(changed)) == 1
    taken = "serial 19 is already used by 「(예시) AI 민원 자동 분류 서비스」"
    assert f"{changed}:2:serial: {taken}" in capsys.readouterr().out
    assert tables(project) == after


def test_a_file_that_does_not_conform_adds_nothing(
    project: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tables(project)
    path = write_rows(project.root / "new.csv", [
        {"serial": "19"},
        {"serial": "20", "lead_department": "no-such-division"},
    ])  # fmt: skip
    assert run(project, "add", str(path)) == 1
    out = capsys.readouterr().out
    assert f"{path}:3:lead_department" in out and "nothing added" in out
    assert tables(project) == before  # not even the good row
    assert (P19, RDF.type, URIRef(LG + "AIProject")) not in built(project)


def test_add_without_build(project: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    stamp = project.bill_graph.stat().st_mtime_ns
    assert run(project, "add", "--no-build", str(EXAMPLE)) == 0
    assert "run `legigraph build`" in capsys.readouterr().out
    assert project.bill_graph.stat().st_mtime_ns == stamp
    assert run(project, "build") == 0
    assert (P19, RDF.type, URIRef(LG + "AIProject")) in built(project)


def test_a_missing_file_is_exit_2(project: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "add", str(Path(project.root / "nothing.csv"))) == 2
    assert "file does not exist" in capsys.readouterr().err
