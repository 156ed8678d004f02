"""``legigraph dump``: each graph gzipped as N-Triples and Turtle with SHA-256 sums, VoID and
DCAT, written atomically into build/dumps/ and offered by ``legigraph serve``."""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF, XSD

from legigraph.build import BuildResult
from legigraph.dump import DumpResult, write_dumps
from legigraph.ingest import BILL_GRAPH, NATIONAL_GRAPH
from legigraph.paths import Layout
from tests.conftest import copy_project
from tests.serving import Server, running

VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
BILL = URIRef(BILL_GRAPH)


@pytest.fixture(scope="module")
def project(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """A copy of the built project, so that its build/dumps/ is this module's own."""
    layout = copy_project(tmp_path_factory.mktemp("dump-project"))
    shutil.copytree(built.out_dir, layout.bill_build)
    return layout


@pytest.fixture(scope="module")
def dumped(project: Layout) -> DumpResult:
    project.dumps.mkdir(parents=True)
    (project.dumps / "README.txt").write_text("someone else's file\n")
    return write_dumps(project)


def _canonical(graph: Graph) -> Graph:
    """``graph`` with numbers in one lexical form (the store writes 2.0 as "2")."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(o.toPython().normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


def test_each_graph_gzipped_with_sums(dumped: DumpResult, built: BuildResult) -> None:
    names = {f.name for f in dumped.files}
    assert {"bill-1544.nt.gz", "bill-1544.ttl.gz", "void.ttl", "dcat.ttl"} <= names
    expected = _canonical(Graph().parse(built.out_dir / "legigraph.nt", format="nt"))
    for name, fmt in (("bill-1544.nt.gz", "nt"), ("bill-1544.ttl.gz", "turtle")):
        body = gzip.decompress((dumped.out_dir / name).read_bytes())
        assert isomorphic(_canonical(Graph().parse(data=body, format=fmt)), expected), name
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dumped.out_dir,
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == len(dumped.files)
    # only its own outputs: a file it did not write is left, no staging folder remains
    assert (dumped.out_dir / "README.txt").read_text() == "someone else's file\n"
    assert not list(dumped.out_dir.parent.glob(".staging-*"))


def test_void_counts_and_linksets(dumped: DumpResult, built: BuildResult) -> None:
    void = Graph().parse(dumped.out_dir / "void.ttl", format="turtle")
    assert void.value(BILL, VOID.triples) == Literal(built.triples)
    assert int(str(void.value(BILL, VOID.classes))) == len(built.manifest["classes"])
    graph = Graph().parse(built.out_dir / "legigraph.nt", format="nt")
    entities = {s for s in graph.subjects() if isinstance(s, URIRef)}
    assert void.value(BILL, VOID.entities) == Literal(len(entities))
    assert void.value(BILL, VOID.properties) == Literal(len(set(graph.predicates())))
    linksets: dict[str, int] = {}
    for linkset in void.subjects(RDF.type, VOID.Linkset):
        assert void.value(linkset, VOID.subjectsTarget) == BILL
        target = str(void.value(linkset, VOID.objectsTarget))
        linksets[target] = linksets.get(target, 0) + int(str(void.value(linkset, VOID.triples)))
    for target, prefix in (("https://www.law.go.kr/", "https://www.law.go.kr/"),
                           ("http://lod.law.go.kr/", "http://lod.law.go.kr/")):  # fmt: skip
        links = sum(1 for _, _, o in graph if isinstance(o, URIRef) and str(o).startswith(prefix))
        assert links > 0 and linksets[target] == links
    dumps = {str(o) for o in void.objects(BILL, VOID.dataDump)}
    assert dumps == {"https://w3id.org/legigraph/dumps/bill-1544.nt.gz",
                     "https://w3id.org/legigraph/dumps/bill-1544.ttl.gz"}  # fmt: skip


def test_dcat_distributions_carry_size_and_checksum(dumped: DumpResult) -> None:
    catalog = Graph().parse(dumped.out_dir / "dcat.ttl", format="turtle")
    assert BILL in set(catalog.objects(None, DCAT.dataset))
    distributions = list(catalog.objects(BILL, DCAT.distribution))
    assert len(distributions) == 2
    for dist in distributions:
        name = str(dist).rsplit("/", 1)[-1]
        data = (dumped.out_dir / name).read_bytes()
        assert int(str(catalog.value(dist, DCAT.byteSize))) == len(data)
        checksum = catalog.value(dist, SPDX.checksum)
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()


def test_the_same_store_gives_the_same_bytes(dumped: DumpResult, tmp_path: Path) -> None:
    again = write_dumps(Layout(tmp_path), store=dumped.out_dir.parent / "bill" / "store",
                 out_dir=tmp_path / "dumps")  # fmt: skip
    for name in ("bill-1544.nt.gz", "bill-1544.ttl.gz"):
        assert (again.out_dir / name).read_bytes() == (dumped.out_dir / name).read_bytes()


def test_named_graphs_of_a_national_store(built: BuildResult, tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "national-store"))
    store.bulk_load(path=str(built.out_dir / "legigraph.nt"), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(BILL_GRAPH))  # fmt: skip
    law = ox.NamedNode("https://w3id.org/legigraph/eli/kr/law/999999")
    same = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
    store.add(ox.Quad(law, same, ox.NamedNode("http://lod.law.go.kr/resource/LSI1"),
                      ox.NamedNode(NATIONAL_GRAPH)))  # fmt: skip
    store.flush()
    del store
    store_dir, out = tmp_path / "national-store", tmp_path / "d"
    result = write_dumps(Layout(tmp_path), store=store_dir, out_dir=out)
    assert set(result.stats) == {"bill-1544", "national"}
    assert result.stats["national"].triples == 1
    assert result.stats["national"].links == {("lod.law.go.kr", str(same.value)): 1}
    assert result.stats["bill-1544"].triples == built.triples
    national = gzip.decompress((tmp_path / "d" / "national.nt.gz").read_bytes()).decode()
    assert national.count("\n") == 1 and "LSI1" in national


def test_the_command_line(project: Layout, dumped: DumpResult) -> None:
    done = subprocess.run([sys.executable, "-m", "legigraph", "--root", str(project.root),
                           "dump"], capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "bill-1544" in done.stdout and "bill-1544.nt.gz" in done.stdout
    missing = subprocess.run([sys.executable, "-m", "legigraph", "--root", str(project.root),
                              "dump", "--store", str(project.root / "nowhere")],
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert missing.returncode == 2 and "no store" in missing.stderr


@pytest.fixture(scope="module")
def server(project: Layout, dumped: DumpResult) -> Iterator[Server]:
    with running(project.root, log=project.root / "server.log") as srv:
        yield srv


def test_served_under_dumps_with_the_void(server: Server, dumped: DumpResult) -> None:
    listing = server.get("/dumps").text
    sums = (dumped.out_dir / "SHA256SUMS").read_text().split()[::2]  # as on disk now
    assert len(sums) == len(dumped.files) and all(s in listing for s in sums)
    download = server.get("/dumps/bill-1544.nt.gz")
    assert download.status_code == 200
    assert download.content == (dumped.out_dir / "bill-1544.nt.gz").read_bytes()
    assert server.get("/dumps/README.txt").status_code == 404  # not one of its outputs
    assert server.get("/dumps/..%2Fbill%2Fmanifest.json").status_code == 404
    described = server.get("/.well-known/void", headers={"Accept": "text/turtle"})
    void = Graph().parse(data=described.text, format="turtle")
    assert {str(o) for o in void.objects(BILL, VOID.dataDump)} == {
        f"{server.url}/dumps/bill-1544.nt.gz", f"{server.url}/dumps/bill-1544.ttl.gz"}  # fmt: skip
    assert str(void.value(BILL, VOID.sparqlEndpoint)) == server.url + "/sparql"
    assert any(void.subjects(RDF.type, VOID.Linkset))
