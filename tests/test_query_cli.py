"""The query front door: listing, running, formats, parameters and the safety rules."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.query.engines import OxigraphEngine
from legigraph.query.results import display_width, from_sparql_json
from legigraph.query.saved import (
    QueryError,
    QueryTimeout,
    check_query,
    find_query,
    load_queries,
    to_term,
)
from tests.conftest import ROOT

QUERIES = load_queries(ROOT / "queries")
CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # millions of rows, streamed


def run(built: BuildResult, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(built.out_dir.parents[1]), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_library_has_at_least_25_queries_answering_cq01_to_cq12() -> None:
    assert len(QUERIES) >= 25
    answered = {cq for q in QUERIES.values() for cq in q.answers}
    assert {f"CQ{n:02d}" for n in range(1, 13)} <= answered


def test_queries_lists_and_shows(built: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(built, capsys, "queries")
    assert code == 0 and f"({len(QUERIES)} saved queries)" in out
    assert "cq05-projects-per-category" in out and "분야별 AI 사업 수" in out
    code, out, _ = run(built, capsys, "queries", "show", "cq08-projects-of-office")
    assert code == 0 and "param office (iri)" in out and "SELECT" in out


def test_query_formats(built: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(built, capsys, "query", "cq05-projects-per-category", "--format", "json")
    assert code == 0
    result = from_sparql_json(json.loads(out))
    assert sorted(int(str(r["projects"])) for r in result.rows) == [4, 4, 5, 5]
    _, out, _ = run(built, capsys, "query", "cq05-projects-per-category", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["category_ko"]: r["projects"] for r in rows}["AI 안전망 조성"] == "4"
    _, out, _ = run(built, capsys, "query", "cq05-projects-per-category", "--format", "tsv")
    assert out.splitlines()[0].split("\t")[:2] == ["category", "category_ko"]


def test_table_aligns_korean_text(built: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(built, capsys, "query", "cq05-projects-per-category")
    lines = out.splitlines()
    header, rows = lines[0], lines[2:-1]
    column = header.index("| projects")
    for line in rows:  # the separator before the count sits at the same display column
        assert display_width(line[: line.rindex("|")]) == display_width(header[:column])
    assert lines[-1] == "(4 rows)"


def test_parameters_are_typed(built: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    office = "https://w3id.org/legigraph/id/org/green-city-leisure-bureau"
    code, out, _ = run(built, capsys, "query", "cq08-projects-of-office", "-p", f"office={office}",
                       "--format", "csv")  # fmt: skip
    assert code == 0 and len(out.splitlines()) == 3  # header + projects 9 and 13
    code, _, err = run(built, capsys, "query", "cq08-projects-of-office", "-p", "office=not an iri")
    assert code == 2 and "parameter office: 'not an iri' is not an IRI: it holds a space" in err
    code, _, err = run(built, capsys, "query", "cq08-projects-of-office", "-p", "office=urn-x")
    assert code == 2 and "not an absolute IRI" in err
    code, _, err = run(built, capsys, "query", "cq08-projects-of-office", "-p", "nope=1")
    assert code == 2 and "unknown parameter" in err
    code, _, err = run(built, capsys, "query", "article-text-on-date", "-p", "date=2024-02-30")
    assert code == 2 and "not a valid date" in err


OFFICE = "https://w3id.org/legigraph/id/org/green-city-leisure-bureau"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize(
    ("value", "holds"),
    [(OFFICE + "\n", "a newline"), (OFFICE + "\r\n", "a carriage return"),
     ("https://w3id.org/a b", "a space"), ("https://w3id.org/a\tb", "a tab"),
     ("https://w3id.org/a\x00", "'\\x00'"), ("https://w3id.org/a\u3000b", "'\\u3000'")]
    + [(f"https://w3id.org/a{c}b", repr(c)) for c in '<>"{}|^`\\'],
)  # fmt: skip
def test_hostile_iri_parameters_are_refused(
    built: BuildResult, capsys: pytest.CaptureFixture[str], engine: str, value: str, holds: str
) -> None:
    code, out, err = run(built, capsys, "query", "cq08-projects-of-office", "--engine", engine,
                         "-p", f"office={value}")  # fmt: skip
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f"error: parameter office: {value!r} is not an IRI: it holds {holds}")


def test_hostile_graph_iris_are_refused(
    built: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(built, capsys, "query", "-e", "ASK {}", "--endpoint",
                       "http://127.0.0.1:1/sparql", "--default-graph", "urn:g\n")  # fmt: skip
    assert code == 2 and "parameter --default-graph: 'urn:g\\n' is not an IRI" in err
    code, _, err = run(built, capsys, "push", "--endpoint", "http://127.0.0.1:1/store",
                       "--graph", "urn:a b")  # fmt: skip
    assert code == 2 and "parameter --graph: 'urn:a b' is not an IRI: it holds a space" in err


@pytest.mark.parametrize(
    ("value", "kind", "n3"),
    [
        ("https://w3id.org/x", "iri", "<https://w3id.org/x>"),
        ('a "quoted" } value', "string", '"a \\"quoted\\" } value"'),
        ("인공지능@ko", "langString", '"인공지능"@ko'),
        ("42", "integer", '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ],
)
def test_parameter_values_become_rdf_terms(value: str, kind: str, n3: str) -> None:
    assert to_term(value, kind).n3() == n3


def test_adhoc_expression_and_file(
    built: BuildResult, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (
        "PREFIX lg: <https://w3id.org/legigraph/ontology#> "
        "SELECT (COUNT(?p) AS ?n) WHERE { ?p a lg:AIProject }"
    )
    code, out, _ = run(built, capsys, "query", "-e", text, "--format", "csv")
    assert code == 0 and out.splitlines() == ["n", "18"]
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(
        built, capsys, "query", "--file", str(path), "--engine", "rdflib", "--format", "csv"
    )
    assert code == 0 and out.splitlines() == ["n", "18"]


def test_construct_comes_back_as_turtle(
    built: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(built, capsys, "query", "ai-project-record")
    assert (
        code == 0
        and "@prefix lg: <https://w3id.org/legigraph/ontology#>" in out
        and "서울톡" in out
    )
    code, out, _ = run(built, capsys, "query", "ai-project-record", "--format", "json-ld")
    assert code == 0 and json.loads(out)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("INSERT DATA { <a> <b> <c> }", "updates are not allowed"),
        ("DELETE WHERE { ?s ?p ?o }", "updates are not allowed"),
        ("LOAD <http://example.org/x.ttl>", "updates are not allowed"),
        (
            "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "SERVICE is not allowed",
        ),
        (
            "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
            "FROM / FROM NAMED is not allowed",
        ),
        ("SELECT * FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }", "FROM / FROM NAMED"),
    ],
)
def test_unsafe_queries_are_refused(
    built: BuildResult, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    code, out, err = run(built, capsys, "query", "-e", text)
    assert code == 2 and message in err and out == ""


def test_flags_allow_service_and_dataset() -> None:
    assert (
        check_query("SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }", allow_service=True)
        == "SELECT"
    )
    assert (
        check_query("SELECT * FROM <http://x> WHERE { ?s ?p ?o }", allow_dataset=True) == "SELECT"
    )


def test_syntax_errors_give_line_and_column(
    built: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(built, capsys, "query", "-e", "SELECT *\nWHERE { ?s ?p }")
    assert code == 2 and "line 2, column" in err


def test_unknown_id_suggests_close_ids() -> None:
    with pytest.raises(QueryError, match="did you mean cq05-projects-per-category"):
        find_query(QUERIES, "cq05-project-per-category")


def test_row_cap(built: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(built, capsys, "query", "-e", CROSS, "--max-rows", "5", "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 6 and "row cap of 5" in err


def test_time_limit(built: BuildResult) -> None:
    engine = OxigraphEngine.open(built.out_dir / "store")
    with pytest.raises(QueryTimeout, match=r"time limit of 0\.2 s"):
        engine.run(CROSS, timeout=0.2, max_rows=10**9)


def test_help_states_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["query", "--help"])
    out = capsys.readouterr().out
    assert "default 30 s" in " ".join(out.split()) and "10000 rows" in " ".join(out.split())


def test_missing_build_is_a_clear_error(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "queries").mkdir()
    code = main(["--root", str(tmp_path), "query", "-e", "ASK {}"])
    assert code == 2 and "run `legigraph build` first" in capsys.readouterr().err


def test_python_api_rows_for_a_dataframe(built: BuildResult) -> None:
    import legigraph

    result = legigraph.run_query("cq08-projects-of-office", root=built.out_dir.parents[1])
    rows = result.to_dicts()
    assert [r["serial"] for r in rows] == [5, 8, 10, 14, 15, 16, 18]
    assert rows[0]["office_ko"] == "디지털정책관"
    assert set(rows[0]) == set(result.variables)


def test_a_national_query_without_a_national_store_says_how_to_build_one(
    built: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "(0 rows)" on the bill store: the national queries ask the national store."""
    assert not (built.out_dir.parents[1] / "build" / "national-store").exists()
    code, out, err = run(built, capsys, "query", "national-cited-by")
    assert code == 2 and "legigraph ingest statutes" in err and "0 rows" not in out
