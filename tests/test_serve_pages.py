"""Linked-data pages of ``legigraph serve``: every minted IRI answers at its path, HTML for
browsers and RDF by Accept or extension, on a real server on loopback."""

from __future__ import annotations

import html
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from legigraph.build import BuildResult
from legigraph.model.namespaces import BASE
from tests.conftest import ROOT
from tests.serving import Server, running, serve_build

BILL = "eli/dl/kr-11/bill/2024/1544"
ART2 = "eli/kr-11/ordin/2229686/art_2"
HOSTILE = "id/org/hostile"
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def server(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve_build(built, tmp_path_factory, "serve-pages")


def test_bill_page_has_labels_type_and_links(server: Server) -> None:
    response = server.get("/" + BILL, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "서울특별시 미래전략과제 발굴 및 육성 조례 일부개정조례안" in page
    assert "Partial amendment bill to the Seoul Metropolitan Government Ordinance" in page
    eli_dl = "http://data.europa.eu/eli/eli-draft-legislation-ontology#"
    assert f'href="{eli_dl}DraftLegislationWork"' in page
    # a linked value: the ordinance it changes, as a local page with its Korean label
    assert f'href="{server.url}/eli/kr-11/ordin/2229686"' in page
    assert "eli-dl:foresees_change_of" in page


def test_provision_page_lays_out_the_text_per_version(server: Server) -> None:
    page = server.get("/" + ART2).text
    assert page.count('class="version"') == 2  # 2023-05-22 and 2024-03-26, side by side
    assert page.index("2023-05-22") < page.index("2024-03-26")
    assert '<span class="heading">제2조(정의)</span>' in page
    assert '<span class="marker">2.</span>' in page  # 제2호, as law.go.kr numbers items
    assert html.escape("「지속가능발전 기본법」제2조제2호", quote=False) in page


def test_incoming_links_of_a_cited_provision(server: Server) -> None:
    page = server.get("/eli/kr/law/014217/art_2/item_2").text
    assert "cited by" in page
    assert f'href="{server.url}/eli/kr-11/ordin/2229686/art_2/item_2"' in page


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [("text/turtle", "text/turtle", "turtle"),
     ("application/n-triples", "application/n-triples", "nt"),
     ("application/ld+json", "application/ld+json", "json-ld")],
)
def test_rdf_by_accept(server: Server, accept: str, media: str, fmt: str) -> None:
    response = server.get("/" + BILL, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in response.headers["vary"]
    graph = Graph().parse(data=response.text, format=fmt)
    assert (URIRef(BASE + BILL), None, None) in graph
    assert response.headers["content-location"].startswith(f"{server.url}/{BILL}.")


@pytest.mark.parametrize(
    ("ext", "fmt"), [(".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld")]
)
def test_rdf_by_extension(server: Server, ext: str, fmt: str) -> None:
    response = server.get(f"/{BILL}{ext}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format=fmt)
    by_accept = Graph().parse(data=server.get("/" + BILL, headers={"Accept": "text/turtle"}).text)
    assert len(graph) == len(by_accept) == 35  # 17, and lg:createdLegalBasisOf the 18 projects


def test_unknown_iri_is_404(server: Server) -> None:
    page = server.get("/eli/kr-11/ordin/2229686/art_99")
    assert page.status_code == 404
    assert "Not found" in page.text
    assert server.get("/eli/kr-11/ordin/2229686/art_99.ttl").status_code == 404
    assert server.get("/id/org/%3Cscript%3E").status_code == 404
    assert server.get("/id/org/%ED%95%9C").status_code == 404  # not ASCII: never minted


def test_static_path_traversal_refused(server: Server) -> None:
    assert server.get("/static/style.css").status_code == 200
    traversals = ("/static/../app.py", "/static/..%2fapp.py",
                  "/static/%2e%2e/%2e%2e/pyproject.toml")
    for path in traversals:
        response = server.get(path)
        assert response.status_code == 404
        assert "Starlette" not in response.text and "import" not in response.text


def test_every_minted_iri_of_the_bill_graph_answers(server: Server, built: BuildResult) -> None:
    graph = Graph().parse(built.out_dir / "legigraph.nt", format="nt")
    subjects = sorted({str(s) for s in graph.subjects() if str(s).startswith(BASE)})
    assert len(subjects) > 800
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for iri in subjects:
            path = "/" + iri[len(BASE) :]
            if "#" in path:  # the ontology's terms: one page, the ontology's
                continue
            page = client.get(path, headers={"Accept": "text/html"})
            assert page.status_code == 200, iri
            turtle = client.get(path, headers={"Accept": "text/turtle"})
            assert turtle.status_code == 200, iri
            assert (URIRef(iri), None, None) in Graph().parse(data=turtle.text, format="turtle")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A store whose labels and links are hostile."""
    tmp = tmp_path_factory.mktemp("hostile")
    store = ox.Store(str(tmp / "store"))
    subject = ox.NamedNode(BASE + HOSTILE)
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    see = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    store.add(ox.Quad(subject, label, ox.Literal(SCRIPT, language="ko")))
    store.add(ox.Quad(subject, label, ox.Literal('"><img src=x onerror=alert(1)>', language="en")))
    store.add(ox.Quad(subject, see, ox.NamedNode("javascript:alert(1)")))
    store.flush()
    del store
    with running(ROOT, "--store", str(tmp / "store"), log=tmp / "server.log") as srv:
        yield srv


def test_hostile_labels_are_escaped(hostile: Server) -> None:
    page = hostile.get("/" + HOSTILE).text
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert "javascript:alert(1)" in page  # shown as text, not linked


def test_a_store_given_with_store_is_the_one_served(hostile: Server) -> None:
    assert hostile.get("/" + BILL).status_code == 404
