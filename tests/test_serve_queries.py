"""Saved queries and dumps on the web (``/queries``, ``/dumps``, ``/.well-known/void``), on a
real ``legigraph serve`` on loopback."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
from rdflib import Graph, URIRef

from legigraph.build import BuildResult
from legigraph.query import golden
from legigraph.query.saved import load_queries
from tests.conftest import ROOT
from tests.serving import Server, running, serve_build

QUERIES = load_queries(ROOT / "queries")
OFFICE = "https://w3id.org/legigraph/id/org/green-city-leisure-bureau"


@pytest.fixture(scope="module")
def server(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve_build(built, tmp_path_factory, "serve-queries")


def test_listing_has_every_query_with_titles(server: Server) -> None:
    page = server.get("/queries").text
    for q in QUERIES.values():
        assert f'href="{server.url}/queries/{q.id}"' in page
    assert "분야별 AI 사업 수" in page
    assert "Number of AI projects per category" in page


def test_saved_query_as_api_matches_golden(server: Server) -> None:
    query = QUERIES["cq05-projects-per-category"]
    response = server.get(f"/queries/{query.id}",
                          headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert response.status_code == 200
    assert golden.matches(response.json(), query)


def test_saved_query_page_with_a_parameter(server: Server) -> None:
    response = server.get("/queries/cq08-projects-of-office", params={"office": OFFICE})
    assert response.status_code == 200
    page = response.text
    assert '<table id="results">' in page
    expected = server.get("/queries/cq08-projects-of-office", params={"office": OFFICE},
                          headers={"Accept": "application/sparql-results+json"}).json()  # fmt: skip
    rows = expected["results"]["bindings"]
    assert rows
    assert f'<p id="count">{len(rows)} rows' in page
    assert f'value="{OFFICE}"' in page  # the form keeps what was asked
    csv = server.get("/queries/cq08-projects-of-office", params={"office": OFFICE, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert len(csv.text.strip().splitlines()) == len(rows) + 1


def test_bad_parameter_is_refused_like_the_cli(server: Server) -> None:
    page = server.get("/queries/cq08-projects-of-office", params={"office": "not an iri"})
    assert page.status_code == 400
    assert "is not an IRI" in page.text
    api = server.get("/queries/cq08-projects-of-office", params={"nope": "1"},
                     headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert api.status_code == 400
    assert "unknown parameter" in api.text
    assert server.get("/queries/no-such-query").status_code == 404


def test_construct_query_in_graph_formats(server: Server) -> None:
    response = server.get("/queries/ai-project-record", params={"format": "nt"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="nt")
    assert (URIRef("https://w3id.org/legigraph/id/kr-11/ai-project/2024/05"), None, None) in graph


def test_dumps_with_sizes_and_sums(server: Server, built: BuildResult) -> None:
    page = server.get("/dumps").text
    for name in ("legigraph.nt", "legigraph.ttl"):
        data = (built.out_dir / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() in page
        assert f'<td class="size">{len(data)}</td>' in page
        download = server.get(f"/dumps/{name}")
        assert download.content == data
    assert server.get("/dumps/manifest.json").status_code == 404
    assert server.get("/dumps/..%2Fmanifest.json").status_code == 404


def test_void(server: Server, built: BuildResult) -> None:
    response = server.get("/.well-known/void", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    void = "http://rdfs.org/ns/void#"
    triples = next(graph.objects(None, URIRef(void + "triples")))
    assert int(str(triples)) == built.triples == json.loads(
        (built.out_dir / "manifest.json").read_text())["triples"]  # fmt: skip
    dumps = {str(o) for o in graph.objects(None, URIRef(void + "dataDump"))}
    assert dumps == {f"{server.url}/dumps/legigraph.nt", f"{server.url}/dumps/legigraph.ttl"}
    assert str(next(graph.objects(None, URIRef(void + "sparqlEndpoint")))) == server.url + "/sparql"


@pytest.fixture(scope="module")
def national(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A store laid out as `legigraph ingest` lays it: the bill and the national graph named."""
    import pyoxigraph as ox

    from legigraph.ingest import BILL_GRAPH, NATIONAL_GRAPH

    tmp = tmp_path_factory.mktemp("national")
    store = ox.Store(str(tmp / "national-store"))
    store.bulk_load(path=str(built.out_dir / "legigraph.nt"), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(BILL_GRAPH))  # fmt: skip
    law = ox.NamedNode("https://w3id.org/legigraph/eli/kr/law/999999")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    name = ox.Literal("시험법", language="ko")
    store.add(ox.Quad(law, label, name, ox.NamedNode(NATIONAL_GRAPH)))
    store.flush()
    del store
    with running(ROOT, "--store", str(tmp / "national-store"), log=tmp / "server.log") as srv:
        yield srv


def test_bill_queries_on_the_national_store_read_the_bill_graph(national: Server) -> None:
    query = QUERIES["cq05-projects-per-category"]
    response = national.get(f"/queries/{query.id}",
                            headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert golden.matches(response.json(), query)
    # pages find a resource in whichever graph holds it
    assert "시험법" in national.get("/eli/kr/law/999999").text
    assert national.get("/eli/dl/kr-11/bill/2024/1544").status_code == 200
