"""Dumps and their description: ``/dumps``, ``/dumps/{name}``, ``/.well-known/void``.

``/dumps`` lists the files of ``legigraph dump`` (``build/dumps/``: each graph gzipped as
N-Triples and Turtle, ``void.ttl``, ``dcat.ttl``, ``SHA256SUMS``, as its ``manifest.json``
names them) and the bill build's N-Triples and Turtle, with their sizes and SHA-256. The
VoID description is ``legigraph dump``'s when there is one (its dump and endpoint IRIs
under ``https://w3id.org/legigraph/`` given as this server's URLs), else one made from the
bill build's manifest.

Only the files named in :data:`DUMPS` or in the dump manifest are served: a name is looked
up, never joined to a path, so no request reaches another file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from legigraph.model import ids
from legigraph.model.namespaces import BASE, PREFIXES
from legigraph.serve.formats import GRAPH_FORMATS, NotAcceptable, negotiate, serialize_graph
from legigraph.serve.site import Site

VOID = Namespace("http://rdfs.org/ns/void#")
DUMPS = {"legigraph.nt": "application/n-triples", "legigraph.ttl": "text/turtle"}


@dataclass(frozen=True)
class Dump:
    """One file offered for download."""

    name: str
    path: Path
    media: str
    size: int
    sha256: str


_SUMS: dict[tuple[str, int, int], str] = {}  # (path, size, mtime) → SHA-256, read once


def _sha256(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _SUMS:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(2**20), b""):
                digest.update(block)
        _SUMS[key] = digest.hexdigest()
    return _SUMS[key]


def written(folder: Path) -> list[Dump]:
    """The files ``legigraph dump`` wrote into ``folder``, as its manifest lists them."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return []
    data: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
    out = []
    for entry in data.get("files", []):
        name = str(entry["name"])
        path = folder / name
        if "/" not in name and path.is_file():
            media = "application/gzip" if name.endswith(".gz") else str(entry["media"])
            out.append(Dump(name, path, media, path.stat().st_size, _sha256(path)))
    sums = folder / "SHA256SUMS"
    if out and sums.is_file():
        out.append(Dump(sums.name, sums, "text/plain", sums.stat().st_size, _sha256(sums)))
    return out


def on_server(graph: Graph, root: str) -> Graph:
    """``graph`` with the IRIs of the dumps and the endpoint given as this server's URLs."""
    served = {str(ids.SPARQL_ENDPOINT): root + "/sparql"}
    prefix = BASE + "dumps/"
    out = Graph()
    for prefix_name, ns in graph.namespaces():
        out.bind(prefix_name, ns)

    def moved(term: Any) -> Any:
        if isinstance(term, URIRef):
            text = str(term)
            if text in served:
                return URIRef(served[text])
            if text.startswith(prefix) and text != str(ids.DUMP_CATALOG):
                return URIRef(root + "/dumps/" + text[len(prefix) :])
        return term

    for s, p, o in graph:
        out.add((moved(s), p, moved(o)))
    return out


def dumps(folder: Path) -> list[Dump]:
    """The dumps present in the bill build's ``folder``."""
    out = []
    for name, media in DUMPS.items():
        path = folder / name
        if path.is_file():
            out.append(Dump(name, path, media, path.stat().st_size, _sha256(path)))
    return out


def void(folder: Path, root: str) -> Graph:
    """A VoID description of the bill graph: size, classes, dumps, endpoint, IRI space."""
    graph = Graph()
    graph.bind("void", VOID)
    dataset = URIRef(BASE + "graph/bill-1544")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("legigraph: Seoul Metropolitan Council bill 1544",
                                               lang="en")))  # fmt: skip
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(root + "/sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(BASE)))
    graph.add((dataset, VOID.rootResource, URIRef(BASE + "eli/dl/kr-11/bill/2024/1544")))
    for ns in ("eli", "eli-dl", "org", "skos", "prov", "dcterms", "schema", "lg"):
        graph.add((dataset, VOID.vocabulary, URIRef(str(PREFIXES[ns]))))
    for dump in dumps(folder):
        graph.add((dataset, VOID.dataDump, URIRef(f"{root}/dumps/{dump.name}")))
    manifest = folder / "manifest.json"
    if manifest.is_file():
        data: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
        graph.add((dataset, VOID.triples, Literal(int(data["triples"]), datatype=XSD.integer)))
        graph.add((dataset, VOID.classes, Literal(len(data["classes"]), datatype=XSD.integer)))
        for curie, count in sorted(data["classes"].items()):
            prefix, _, name = curie.partition(":")
            if prefix not in PREFIXES:
                continue
            part = URIRef(f"{BASE}graph/bill-1544/class/{prefix}-{name}")
            graph.add((dataset, VOID.classPartition, part))
            graph.add((part, VOID["class"], URIRef(str(PREFIXES[prefix]) + name)))
            graph.add((part, VOID.entities, Literal(int(count), datatype=XSD.integer)))
    return graph


def routes(site: Site) -> list[Any]:
    folder = site.layout.bill_build
    dumped = site.layout.dumps

    async def listing(request: Request) -> Response:
        root = str(request.base_url).rstrip("/")
        return site.html(request, "dumps.html", dumps=dumps(folder), written=written(dumped),
                         void=root + "/.well-known/void")  # fmt: skip

    async def one(request: Request) -> Response:
        name = request.path_params["name"]
        found = {d.name: d for d in [*written(dumped), *dumps(folder)]}.get(name)
        if found is None:
            return site.html(request, "404.html", status=404, iri=f"/dumps/{name}")
        return FileResponse(found.path, media_type=found.media, filename=name,
                            headers={"X-Checksum-SHA256": found.sha256})  # fmt: skip

    async def description(request: Request) -> Response:
        try:
            fmt = negotiate(request.headers.get("accept", ""), GRAPH_FORMATS)
        except NotAcceptable as err:
            return Response(f"VoID can be given as {err}\n", 406)
        assert fmt is not None
        root = str(request.base_url).rstrip("/")
        if (dumped / "void.ttl").is_file() and written(dumped):
            described = on_server(Graph().parse(dumped / "void.ttl", format="turtle"), root)
        else:
            described = void(folder, root)
        body = serialize_graph(described, fmt)
        return Response(body, media_type=fmt.media)

    return [Route("/dumps", listing), Route("/dumps/{name}", one),
            Route("/.well-known/void", description)]  # fmt: skip
