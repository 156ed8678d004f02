"""The public API (``import legigraph``): every command of the CLI is one call there."""

from __future__ import annotations

import inspect

import legigraph
from legigraph.build import BuildResult
from legigraph.query.saved import find_query

# each command of the CLI and the call that does its work
COMMANDS = {
    "build": "build",
    "link": "build",
    "ingest statutes": "ingest_statutes",
    "ingest history": "ingest_history",
    "validate FILE": "validate",
    "validate --store": "validate_store",
    "draft": "run_draft",
    "queries": "load_queries",
    "query": "run_saved",
    "query -e": "run_text",
    "dump": "write_dumps",
    "add": "add_projects",
    "export register": "export_register",
}


def test_every_name_is_a_callable_not_a_module() -> None:
    for name in legigraph.__all__:
        value = getattr(legigraph, name)
        assert not inspect.ismodule(value), f"legigraph.{name} is a module, not the API call"
        assert callable(value), name


def test_every_command_has_its_call() -> None:
    missing = [c for c, call in COMMANDS.items() if call not in legigraph.__all__]
    assert not missing


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        legigraph.no_such_call  # noqa: B018
    except AttributeError as err:
        assert "no_such_call" in str(err)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def test_open_store_answers_a_saved_query(built: BuildResult) -> None:
    queries = legigraph.load_queries(built.out_dir.parents[1] / "queries")
    engine = legigraph.open_store(built.out_dir / "store")
    try:
        result = legigraph.run_saved(engine, find_query(queries, "cq08-projects-of-office"), {})
    finally:
        engine.close()
    assert len(result.rows) >= 1 and "project" in " ".join(result.variables)
