"""``legigraph serve`` over a small real national store (tests/corpus.py builds it from the
fixture statutes, four committed laws, one real family of the corpus and the bill graph),
on a real server on loopback: a sample of the national graph's IRIs and every minted IRI
of the bill graph answer 200 with HTML and with Turtle; a national law's page (table of
contents, most-cited provisions) and a provision's page (text, incoming citations)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from legigraph.build import BuildResult
from legigraph.ingest import BILL_GRAPH, NATIONAL_GRAPH
from legigraph.model.namespaces import BASE
from tests.corpus import small_national_store
from tests.serving import Server, running, section

LAW = "eli/kr/law/014217"  # 지속가능발전 기본법: cited by 교차법 and by the bill's ordinance
CITED = f"{LAW}/art_2/item_2"
SAMPLE = 120  # national IRIs asked, drawn by hash


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Path:
    return small_national_store(tmp_path_factory.mktemp("national"), built.out_dir / "legigraph.nt")


@pytest.fixture(scope="module")
def server(store: Path, built: BuildResult) -> Iterator[Server]:
    with running(built.out_dir.parents[1], "--store", str(store),
                 log=store.parent / "server.log") as srv:  # fmt: skip
        yield srv


def subjects(store: Path, graph: str) -> list[str]:
    """The IRIs minted by legigraph that are subjects in ``graph`` of ``store``."""
    query = f"""SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}
      FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{BASE}") && !CONTAINS(STR(?s), "#")) }}"""
    found = ox.Store.read_only(str(store)).query(query)
    return sorted(str(row["s"].value) for row in found)  # type: ignore[union-attr]


def answers_html_and_turtle(client: httpx.Client, iri: str) -> None:
    path = "/" + iri[len(BASE) :]
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200, iri
    assert page.headers["content-type"].startswith("text/html"), iri
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200, iri
    assert (URIRef(iri), None, None) in Graph().parse(data=turtle.text, format="turtle"), iri


def test_the_server_knows_it_serves_the_national_store(server: Server) -> None:
    assert "national store" in server.get("/").text


def test_a_sample_of_the_national_graph_answers(server: Server, store: Path) -> None:
    national = subjects(store, NATIONAL_GRAPH)
    assert len(national) > 5000
    laws = [iri for iri in national if re.fullmatch(rf"{BASE}eli/kr/law/\d+", iri)]
    assert len(laws) == 12
    drawn = sorted(national, key=lambda iri: hashlib.blake2b(iri.encode()).hexdigest())[:SAMPLE]
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for iri in sorted({*laws, *drawn}):
            answers_html_and_turtle(client, iri)


def test_every_minted_iri_of_the_bill_graph_answers_there(server: Server, store: Path) -> None:
    bill = subjects(store, BILL_GRAPH)
    assert len(bill) > 800
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for iri in bill:
            answers_html_and_turtle(client, iri)


def test_national_law_page_has_contents_and_most_cited(server: Server) -> None:
    page = server.get("/" + LAW).text
    assert "지속가능발전 기본법" in page
    contents = section(page, "contents")
    assert contents.split()[:4] == ["제1조", "(목적)", "제2조", "(정의)"]
    assert f'href="{server.url}/{LAW}/art_2"' in page
    cited = section(page, "most-cited")
    assert "제2조제2호" in cited
    assert f'src="{server.url}/pictures/citations/{LAW}.svg"' in page


def test_national_provision_page_has_text_and_citations(server: Server) -> None:
    page = server.get("/" + CITED).text
    assert 'class="version"' in page  # the text, laid out by version
    assert "cited by" in page
    # 교차법 제1조 of the national graph, and the bill's ordinance 제2조제2호
    assert f'href="{server.url}/eli/kr/law/900004/art_1"' in page
    assert f'href="{server.url}/eli/kr-11/ordin/2229686/art_2/item_2"' in page
    picture = server.get(f"/pictures/citations/{CITED}.svg")
    assert picture.status_code == 200 and "교차법" in picture.text


def test_a_bill_query_reads_the_bill_graph_there(server: Server) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    answer = server.get("/queries/cq08-projects-of-office", headers=accept).json()
    assert answer["results"]["bindings"]
