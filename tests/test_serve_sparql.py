"""``legigraph serve``: the SPARQL 1.1 Protocol at /sparql, over HTTP on loopback.

A real server (uvicorn, in a subprocess) on a free port; real clients: httpx,
SPARQLWrapper (through EndpointEngine) and rdflib's SPARQLStore.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from legigraph.build import BuildResult
from legigraph.query import golden
from legigraph.query.saved import SavedQuery, load_queries
from legigraph.stores.remote import EndpointEngine
from tests.conftest import ROOT
from tests.serving import Server, running

# the bill build's queries (the national and history graphs are not in the served store)
QUERIES = {
    k: q
    for k, q in load_queries(ROOT / "queries").items()
    if q.target not in golden.STORE_TARGETS
}
BILL = "https://w3id.org/legigraph/eli/dl/kr-11/bill/2024/1544"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# a cross join whose filter is never true: no row, ever (as in test_limits.py)
NEVER = ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
         "FILTER (STRLEN(STR(?c)) + STRLEN(STR(?f)) < 0) }")  # fmt: skip


GRAPH_CASES = [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
]


@pytest.fixture(scope="module")
def server(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("serve") / "server.log"
    root = built.out_dir.parents[1]
    with running(root, "--timeout", "3", "--max-rows", "1000", "--max-body", "16K",
                 log=log) as srv:  # fmt: skip
        yield srv


def _bill_statements(built: BuildResult) -> int:
    """The bill's own statements, counted in the build's N-Triples file."""
    graph = Graph().parse(built.out_dir / "legigraph.nt", format="nt")
    return len(list(graph.triples((URIRef(BILL), None, None))))


def _n(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_get_post_form_post_direct(server: Server, built: BuildResult) -> None:
    triples = built.triples
    assert _n(server.get("/sparql", params={"query": COUNT})) == triples
    assert _n(server.post("/sparql", data={"query": COUNT})) == triples
    direct = server.post(
        "/sparql", content=COUNT.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert _n(direct) == triples


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(server: Server, accept: str, media: str) -> None:
    query = f"SELECT ?type WHERE {{ <{BILL}> a ?type }} ORDER BY ?type"
    response = server.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    types = ["http://data.europa.eu/eli/eli-draft-legislation-ontology#DraftLegislationWork",
             "https://w3id.org/legigraph/ontology#Bill"]  # fmt: skip
    body = response.text
    if media.endswith("json"):
        assert [b["type"]["value"] for b in response.json()["results"]["bindings"]] == types
    elif media.endswith("xml"):
        from rdflib.query import Result

        parsed = Result.parse(io.BytesIO(response.content), format="xml")
        assert [str(row[0]) for row in parsed] == types  # type: ignore[index]
    elif media == "text/csv":
        assert list(csv.reader(io.StringIO(body))) == [["type"], *[[t] for t in types]]
    else:
        assert body.splitlines() == ["?type", *[f"<{t}>" for t in types]]


@pytest.mark.parametrize(
    ("accept", "fmt"),
    GRAPH_CASES,
)
def test_construct_formats_by_accept(
    server: Server, built: BuildResult, accept: str, fmt: str
) -> None:
    query = f"CONSTRUCT {{ <{BILL}> ?p ?o }} WHERE {{ <{BILL}> ?p ?o }}"
    response = server.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=response.text, format=fmt)
    assert (URIRef(BILL), None, None) in graph
    assert len(graph) == _bill_statements(built)


def test_ask_and_not_acceptable(server: Server) -> None:
    ask = server.get("/sparql", params={"query": f"ASK {{ <{BILL}> ?p ?o }}"})
    assert ask.json()["boolean"] is True
    refused = server.get("/sparql", params={"query": COUNT}, headers={"Accept": "image/png"})
    assert refused.status_code == 406


def test_service_description_states_the_limits(server: Server) -> None:
    response = server.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = next(graph.objects(None, URIRef(sd + "endpoint")))
    assert str(endpoint) == server.url + "/sparql"
    limits = {
        str(p).split("#")[1]: o.toPython()
        for _, p, o in graph
        if "legigraph/serve#" in str(p) and isinstance(o, Literal)
    }
    assert limits == {"timeLimitSeconds": 3, "rowCap": 1000, "maxRequestBodyBytes": 16384}


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates are not allowed"),
        ("LOAD <file:///etc/passwd>", "updates are not allowed"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", "SERVICE is not"),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM / FROM NAMED"),
        ("SELECT * WHERE { ?s ?p }", "syntax error"),
    ],
)
def test_refused_with_a_clear_400(server: Server, query: str, said: str) -> None:
    for response in (server.get("/sparql", params={"query": query}),
                     server.post("/sparql", data={"query": query})):  # fmt: skip
        assert response.status_code == 400
        assert said in response.text
        assert "--allow" not in response.text  # the CLI's hints are not the web's


def test_update_operations_refused(server: Server) -> None:
    update = "DELETE WHERE { ?s ?p ?o }"
    assert server.post("/sparql", data={"update": update}).status_code == 400
    direct = server.post("/sparql", content=update.encode(),
                         headers={"Content-Type": "application/sparql-update"})  # fmt: skip
    assert direct.status_code == 400
    assert "read-only" in direct.text
    assert _n(server.get("/sparql", params={"query": COUNT})) > 0  # nothing deleted
    dataset = server.get("/sparql", params={"query": COUNT, "default-graph-uri": "file:///x"})
    assert dataset.status_code == 400


def test_time_limit_stops_the_query(server: Server) -> None:
    start = time.monotonic()
    response = server.get("/sparql", params={"query": NEVER})
    took = time.monotonic() - start
    assert response.status_code == 503
    assert "time limit of 3 s" in response.text
    assert took < 15
    # the worker was killed and replaced: the next query is answered at once
    start = time.monotonic()
    assert _n(server.get("/sparql", params={"query": COUNT})) > 0
    assert time.monotonic() - start < 5


def test_row_cap_is_stated(server: Server) -> None:
    response = server.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 1000
    assert response.json()["legigraph"] == {"truncated": True, "max_rows": 1000}
    assert "row cap of 1000" in response.headers["x-legigraph-truncated"]
    small = server.get("/sparql", params={"query": COUNT})
    assert "x-legigraph-truncated" not in small.headers
    assert small.headers["x-legigraph-row-cap"] == "1000"


def test_oversized_body_refused(server: Server) -> None:
    padding = "#" + "x" * 20_000 + "\n"
    response = server.post("/sparql", data={"query": padding + COUNT})
    assert response.status_code == 413
    direct = server.post("/sparql", content=(padding + COUNT).encode(),
                         headers={"Content-Type": "application/sparql-query"})  # fmt: skip
    assert direct.status_code == 413


def test_cors(server: Server) -> None:
    origin = {"Origin": "http://example.org"}
    response = server.get("/sparql", params={"query": COUNT}, headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(server.url + "/sparql", headers={
        **origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"}, timeout=10)  # fmt: skip
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_binds_loopback_by_default(server: Server) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    from legigraph.cli import parser

    assert parser().parse_args(["serve"]).host == "127.0.0.1"


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_sparqlwrapper_gives_the_golden_results(server: Server, query: SavedQuery) -> None:
    engine = EndpointEngine(server.url + "/sparql")
    assert golden.matches(golden.result_doc(engine, query, timeout=30), query)


def test_rdflib_sparqlstore(server: Server, built: BuildResult) -> None:
    store = SPARQLStore(server.url + "/sparql", returnFormat="json")
    graph = Graph(store=store)
    rows = list(graph.query(f"SELECT ?p ?o WHERE {{ <{BILL}> ?p ?o }}"))
    assert len(rows) == _bill_statements(built)
    assert (URIRef(BILL), None, None) in graph  # triples() through the endpoint


def test_no_query_post_is_an_error(server: Server) -> None:
    response = server.post("/sparql", data={"format": "json"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "Traceback" not in response.text


def test_store_missing_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "legigraph", "serve", "--store", str(tmp_path / "none")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") <= 2
    assert "no store here" in done.stderr


def test_concurrent_queries_are_all_checked_and_answered(server: Server) -> None:
    """rdflib's parser is not thread-safe: concurrent checks must not fail each other."""
    from concurrent.futures import ThreadPoolExecutor

    from legigraph.query.saved import bind

    texts = [bind(q.text, q.bindings(example=True)) for q in QUERIES.values()]
    headers = {"Content-Type": "application/sparql-query"}

    def status(text: str) -> int:
        return server.post("/sparql", content=text.encode(), headers=headers).status_code

    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(status, texts))
    assert codes == [200] * len(texts)


def test_port_in_use_is_one_line_exit_2(server: Server, built: BuildResult) -> None:
    port = server.url.rsplit(":", 1)[1]
    root = str(built.out_dir.parents[1])  # a built project: the store is there, the port not
    done = subprocess.run(
        [sys.executable, "-m", "legigraph", "--root", root, "serve", "--port", port],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "cannot listen there" in done.stderr
    assert "Traceback" not in done.stderr


def test_browsers_get_a_form_and_a_table(server: Server, built: BuildResult) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    form = server.get("/sparql", headers=browser)
    assert form.headers["content-type"].startswith("text/html")
    assert '<form id="sparql"' in form.text
    answer = server.post("/sparql", data={"query": COUNT}, headers=browser)
    assert answer.status_code == 200
    assert '<table id="results">' in answer.text
    assert f"<td>{built.triples}</td>" in answer.text
    refused = server.post("/sparql", data={"query": "LOAD <file:///etc/passwd>"}, headers=browser)
    assert refused.status_code == 400
    assert "updates are not allowed" in refused.text
    # curl's */* is an API client: data, not a page
    assert server.get("/sparql", params={"query": COUNT}, headers={"Accept": "*/*"}).json()
