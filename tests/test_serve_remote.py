"""``legigraph serve --endpoint URL``: the same pages and saved queries over a remote store,
a real Virtuoso on loopback loaded with `legigraph push`; and a silent endpoint timed out."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.query import golden
from legigraph.query.saved import load_queries
from legigraph.stores.virtuoso import PASSWORD, USER, VirtuosoServer, start
from tests.conftest import ROOT
from tests.serving import Server, running

GRAPH = "https://w3id.org/legigraph/graph/bill-1544"
QUERIES = load_queries(ROOT / "queries")

if shutil.which("virtuoso-t") is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must install virtuoso-opensource-7-bin (scripts/setup "
                           "--with-virtuoso)")  # fmt: skip
    pytest.skip("virtuoso-t is not installed (scripts/setup --with-virtuoso)",
                allow_module_level=True)  # fmt: skip


@pytest.fixture(scope="module")
def virtuoso(
    tmp_path_factory: pytest.TempPathFactory, built: BuildResult
) -> Iterator[VirtuosoServer]:
    server = start(tmp_path_factory.mktemp("virtuoso-serve"))
    try:
        os.environ["LEGIGRAPH_TEST_DBA"] = PASSWORD
        code = main([
            "--root", str(built.out_dir.parents[1]), "push", "--endpoint",
            server.graph_store_url, "--graph", GRAPH, "--user", USER,
            "--password-env", "LEGIGRAPH_TEST_DBA",
        ])  # fmt: skip
        assert code == 0
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def remote(
    virtuoso: VirtuosoServer, built: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("serve-remote") / "server.log"
    with running(built.out_dir.parents[1], "--endpoint", virtuoso.sparql_url,
                 "--default-graph", GRAPH, log=log) as srv:  # fmt: skip
        yield srv


@pytest.mark.parametrize("qid", ["cq05-projects-per-category", "cq08-projects-of-office",
                                 "amendment-text", "ai-project-record"])  # fmt: skip
def test_saved_queries_over_virtuoso_match_golden(remote: Server, qid: str) -> None:
    query = QUERIES[qid]
    if query.form == "CONSTRUCT":
        response = remote.get(f"/queries/{qid}", params={"format": "nt"})
        assert response.status_code == 200, response.text
        assert golden.same_graph(response.text, golden.golden_path(query).read_text())
        return
    response = remote.get(f"/queries/{qid}",
                          headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert response.status_code == 200, response.text
    assert golden.matches(response.json(), query)


def test_pages_over_virtuoso(remote: Server) -> None:
    page = remote.get("/eli/kr-11/ordin/2229686/art_2")
    assert page.status_code == 200
    assert page.text.count('class="version"') == 2
    assert "제2조(정의)" in page.text
    bill = remote.get("/eli/dl/kr-11/bill/2024/1544").text
    assert "일부개정조례안" in bill
    assert remote.get("/eli/kr-11/ordin/2229686/art_99").status_code == 404
    assert "the SPARQL endpoint" in bill  # the footer says where the data comes from


def test_sparql_over_virtuoso(remote: Server, built: BuildResult) -> None:
    response = remote.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == built.triples
    refused = remote.get("/sparql", params={"query": "LOAD <file:///etc/passwd>"})
    assert refused.status_code == 400


def test_silent_endpoint_is_timed_out(built: BuildResult, tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        with running(built.out_dir.parents[1], "--endpoint", url, "--timeout", "2",
                     log=tmp_path / "server.log") as srv:  # fmt: skip
            start = time.monotonic()
            page = srv.get("/eli/dl/kr-11/bill/2024/1544")
            assert page.status_code == 503
            assert "time limit" in page.text
            assert time.monotonic() - start < 15
    finally:
        listener.close()
        for conn in accepted:
            conn.close()
