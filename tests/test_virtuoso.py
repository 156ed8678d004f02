"""A real triple store: Virtuoso Open Source on loopback, loaded with `legigraph push`.

The server is started from the project's own configuration and stopped at the end. Every
saved query must give the same result there as on the embedded store.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.query import golden
from legigraph.query.saved import QueryTimeout, SavedQuery, load_queries
from legigraph.stores.remote import EndpointEngine, EndpointError
from legigraph.stores.virtuoso import PASSWORD, USER, VirtuosoServer, bulk_load, free_port, start
from tests.conftest import ROOT

GRAPH = "https://w3id.org/legigraph/graph/bill-1544"
QUERIES = {
    k: q for k, q in load_queries(ROOT / "queries").items() if q.target not in golden.STORE_TARGETS
}

if shutil.which("virtuoso-t") is None:
    if os.environ.get("CI"):
        raise RuntimeError(
            "CI must install virtuoso-opensource-7-bin (scripts/setup --with-virtuoso)"
        )
    pytest.skip(
        "virtuoso-t is not installed (scripts/setup --with-virtuoso)", allow_module_level=True
    )


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    server = start(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def loaded(virtuoso: VirtuosoServer, built: BuildResult) -> EndpointEngine:
    os.environ["LEGIGRAPH_TEST_DBA"] = PASSWORD
    code = main([
        "--root", str(built.out_dir.parents[1]), "push", "--endpoint", virtuoso.graph_store_url,
        "--graph", GRAPH, "--user", USER, "--password-env", "LEGIGRAPH_TEST_DBA",
    ])  # fmt: skip
    assert code == 0
    return EndpointEngine(virtuoso.sparql_url, default_graph=GRAPH)


def test_push_loaded_every_triple(loaded: EndpointEngine, built: BuildResult) -> None:
    result = loaded.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=30, max_rows=10)
    assert int(str(result.rows[0]["n"])) == built.triples


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_saved_query_matches_golden_on_virtuoso(loaded: EndpointEngine, query: SavedQuery) -> None:
    assert golden.matches(golden.result_doc(loaded, query), query)


def test_push_needs_credentials(virtuoso: VirtuosoServer, built: BuildResult) -> None:
    code = main(
        ["--root", str(built.out_dir.parents[1]), "push", "--endpoint", virtuoso.graph_store_url]
    )
    assert code == 2


def test_unreachable_endpoint_fails_fast(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(EndpointError, match="cannot reach"):
        EndpointEngine(url).run("ASK {}", timeout=2, max_rows=1)


def test_silent_endpoint_times_out(tmp_path: Path) -> None:
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        with pytest.raises(QueryTimeout, match="within 1 s"):
            EndpointEngine(url).run("ASK {}", timeout=1, max_rows=1)
    finally:
        for conn in accepted:
            conn.close()
        listener.close()


def test_bulk_loader_loads_and_reports_errors(
    virtuoso: VirtuosoServer, built: BuildResult, tmp_path: Path
) -> None:
    source = built.out_dir / "legigraph.nt"
    lines = sum(1 for line in source.read_text(encoding="utf-8").splitlines() if line.strip())
    assert bulk_load(virtuoso, source, "https://w3id.org/legigraph/graph/bulk") == lines
    bad = tmp_path / "broken.nt"
    bad.write_text("<http://e/s> <http://e/p> .\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"broken\.nt"):
        bulk_load(virtuoso, bad, "https://w3id.org/legigraph/graph/broken")
    with pytest.raises(ValueError, match="characters"):
        bulk_load(virtuoso, source, "https://e/g'); DROP")
