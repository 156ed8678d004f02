"""``legigraph dump``: each graph as gzipped N-Triples and Turtle, with sums, VoID and DCAT.

The graphs are those of the store ``legigraph serve`` would serve: the named graphs of the
national store (``national``, ``bill-1544``, ``history`` …) when there is one, else the bill
build's store, whose default graph is the ``bill-1544`` graph. For each graph NAME the folder
(``build/dumps/``) gets ``NAME.nt.gz`` and ``NAME.ttl.gz`` (gzip without a time stamp, so
the same store gives the same bytes); then ``void.ttl`` (a VoID dataset per graph: triples,
entities, classes, properties, a class partition per class, a ``void:Linkset`` per outside
target such as law.go.kr and lod.law.go.kr, the dumps), ``dcat.ttl`` (a DCAT catalogue:
a dataset per graph, a distribution per file with its size, media type and SHA-256, the
SPARQL endpoint as a data service), ``SHA256SUMS`` (``sha256sum -c`` reads it) and
``manifest.json`` (the files, for ``legigraph serve``).

Every file is written in a staging folder beside the target and moved into it only when all
are written; only these files are replaced, anything else in the folder is left.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from legigraph.errors import InputError
from legigraph.io import atomic_write, staging_dir
from legigraph.model import ids
from legigraph.model.namespaces import BASE, PREFIXES, bind_prefixes
from legigraph.paths import Layout
from legigraph.stores.embedded import open_store

VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
MEDIA = "https://www.iana.org/assignments/media-types/"
# the outside datasets the graph links to: name → (title, IRI prefixes of its resources)
LINK_TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "law.go.kr": ("국가법령정보센터 (law.go.kr)", ("https://www.law.go.kr/", "http://www.law.go.kr/")),
    "lod.law.go.kr": ("법령 Linked Open Data (lod.law.go.kr)",
                      ("http://lod.law.go.kr/", "https://lod.law.go.kr/")),
}  # fmt: skip
FORMATS = {"nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
           "ttl": (ox.RdfFormat.TURTLE, "text/turtle")}  # fmt: skip
TITLES = {"bill-1544": "서울특별시의회 의안 제1544호 그래프 / the graph of Seoul council bill 1544",
          "national": "국가 법령 그래프 / the national statutes",
          "history": "법령 연혁 그래프 / every version of the national statutes read"}  # fmt: skip


@dataclass(frozen=True)
class DumpFile:
    """One file written: its name, size, SHA-256 and media type."""

    name: str
    size: int
    sha256: str
    media: str
    graph: str = ""  # the graph it holds (empty for the descriptions)


@dataclass
class Stats:
    """What VoID says of one graph."""

    triples: int = 0
    entities: int = 0
    properties: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    links: dict[tuple[str, str], int] = field(default_factory=dict)  # (target, predicate) → n


@dataclass
class DumpResult:
    """What one run wrote: the folder, its files, and each graph's statistics."""

    out_dir: Path
    files: list[DumpFile]
    stats: dict[str, Stats]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def graphs_of(store: ox.Store) -> dict[str, ox.NamedNode | ox.DefaultGraph]:
    """The graphs to dump by name.

    The named graphs under ``graph/``; a store without any (the bill build's) has its
    default graph dumped as the bill's.
    """
    prefix = BASE + "graph/"
    named = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)),
                   key=lambda g: g.value)  # fmt: skip
    out: dict[str, ox.NamedNode | ox.DefaultGraph] = {
        g.value[len(prefix) :]: g for g in named if g.value.startswith(prefix)
    }
    if not out:
        out[str(ids.bill_graph(1544))[len(prefix) :]] = ox.DefaultGraph()
    return out


def _count(store: ox.Store, query: str) -> list[tuple[str, int]]:
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    return [(row[0].value if row[0] is not None else "", int(row[1].value)) for row in rows]


def statistics(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> Stats:
    """Triples, entities (IRI subjects), properties, classes, and links to each target."""

    def where(body: str) -> str:
        return body if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{ {body} }}"

    stats = Stats()
    total = f"""SELECT ("" AS ?k) (COUNT(*) AS ?n) WHERE {{ {where("?s ?p ?o")} }}"""
    stats.triples = _count(store, total)[0][1]
    stats.entities = _count(store, f"""SELECT ("" AS ?k) (COUNT(DISTINCT ?s) AS ?n)
        WHERE {{ {where("?s ?p ?o FILTER isIRI(?s)")} }}""")[0][1]  # fmt: skip
    stats.properties = _count(store, f"""SELECT ("" AS ?k) (COUNT(DISTINCT ?p) AS ?n)
        WHERE {{ {where("?s ?p ?o")} }}""")[0][1]  # fmt: skip
    stats.classes = dict(_count(store, f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n)
        WHERE {{ {where(f"?s {ox.NamedNode(str(RDF.type))} ?c FILTER isIRI(?c)")} }}
        GROUP BY ?c ORDER BY ?c"""))  # fmt: skip
    for target, (_, prefixes) in LINK_TARGETS.items():
        test = " || ".join(f'STRSTARTS(STR(?o), "{p}")' for p in prefixes)
        for predicate, n in _count(store, f"""SELECT ?p (COUNT(*) AS ?n)
                WHERE {{ {where(f"?s ?p ?o FILTER (isIRI(?o) && ({test}))")} }}
                GROUP BY ?p ORDER BY ?p"""):  # fmt: skip
            stats.links[(target, predicate)] = n
    return stats


def _write_gzip(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph, fmt: str,
                path: Path) -> None:  # fmt: skip
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} if fmt == "ttl" else None
    with atomic_write(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                                        filename="") as handle:  # fmt: skip
        out: IO[bytes] = handle  # type: ignore[assignment]  # a GzipFile is a binary writer
        store.dump(out, FORMATS[fmt][0], from_graph=graph, prefixes=prefixes)


def void(stats: dict[str, Stats], files: list[DumpFile]) -> Graph:
    """The VoID description of the dumped graphs."""
    graph = bind_prefixes(Graph())
    graph.bind("void", VOID)
    targets = {}
    for target, (title, prefixes) in LINK_TARGETS.items():
        node = URIRef(prefixes[0])
        targets[target] = node
        graph.add((node, RDF.type, VOID.Dataset))
        graph.add((node, DCTERMS.title, Literal(title, lang="ko")))
        graph.add((node, VOID.uriSpace, Literal(prefixes[0])))
    for name, s in stats.items():
        dataset = ids.graph(name)
        graph.add((dataset, RDF.type, VOID.Dataset))
        graph.add((dataset, DCTERMS.title, Literal(TITLES.get(name, name), lang="ko")))
        graph.add((dataset, VOID.sparqlEndpoint, ids.SPARQL_ENDPOINT))
        graph.add((dataset, VOID.uriSpace, Literal(BASE)))
        for key, value in (("triples", s.triples), ("entities", s.entities),
                           ("classes", len(s.classes)), ("properties", s.properties)):  # fmt: skip
            graph.add((dataset, VOID[key], Literal(value, datatype=XSD.integer)))
        for ns in ("eli", "eli-dl", "org", "skos", "prov", "dcterms", "schema", "lg"):
            graph.add((dataset, VOID.vocabulary, URIRef(str(PREFIXES[ns]))))
        for f in files:
            if f.graph == name:
                graph.add((dataset, VOID.dataDump, ids.dump_file(f.name)))
        for cls, count in s.classes.items():
            part = BNode()
            graph.add((dataset, VOID.classPartition, part))
            graph.add((part, VOID["class"], URIRef(cls)))
            graph.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
        for (target, predicate), count in sorted(s.links.items()):
            linkset = BNode()
            graph.add((linkset, RDF.type, VOID.Linkset))
            graph.add((dataset, VOID.subset, linkset))
            graph.add((linkset, VOID.subjectsTarget, dataset))
            graph.add((linkset, VOID.objectsTarget, targets[target]))
            graph.add((linkset, VOID.linkPredicate, URIRef(predicate)))
            graph.add((linkset, VOID.triples, Literal(count, datatype=XSD.integer)))
    return graph


def dcat(stats: dict[str, Stats], files: list[DumpFile]) -> Graph:
    """The DCAT catalogue entry: a dataset per graph, a distribution per file."""
    graph = bind_prefixes(Graph())
    graph.bind("dcat", DCAT)
    graph.bind("spdx", SPDX)
    catalog = ids.DUMP_CATALOG
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("legigraph: 덤프 / dumps", lang="ko")))
    service = ids.SPARQL_ENDPOINT
    graph.add((catalog, DCAT.service, service))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCAT.endpointURL, service))
    graph.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    for name in stats:
        dataset = ids.graph(name)
        graph.add((catalog, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.title, Literal(TITLES.get(name, name), lang="ko")))
        graph.add((service, DCAT.servesDataset, dataset))
        for f in (f for f in files if f.graph == name):
            dist = ids.dump_file(f.name)
            checksum = BNode()
            graph.add((dataset, DCAT.distribution, dist))
            graph.add((dist, RDF.type, DCAT.Distribution))
            graph.add((dist, DCAT.downloadURL, dist))
            graph.add((dist, DCAT.mediaType, URIRef(MEDIA + f.media)))
            graph.add((dist, DCAT.compressFormat, URIRef(MEDIA + "application/gzip")))
            graph.add((dist, DCAT.byteSize, Literal(f.size, datatype=XSD.nonNegativeInteger)))
            graph.add((dist, SPDX.checksum, checksum))
            graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            graph.add((checksum, SPDX.checksumValue, Literal(f.sha256, datatype=XSD.hexBinary)))
    return graph


def _file(path: Path, media: str, graph: str = "") -> DumpFile:
    return DumpFile(path.name, path.stat().st_size, _sha256(path), media, graph)


def write_dumps(
    layout: Layout, store: Path | None = None, out_dir: Path | None = None
) -> DumpResult:
    """Write the dumps of ``store`` (default: the national store, else the bill build's)."""
    if store is None:
        store = next((p for p in (layout.national_store, layout.bill_store) if p.is_dir()),
                     layout.bill_store)  # fmt: skip
    if not store.is_dir():
        raise InputError(store, "no store to dump", "run `legigraph build` first, or give --store")
    target = out_dir or layout.dumps
    opened = open_store(store)
    staging = staging_dir(target)
    try:
        files: list[DumpFile] = []
        stats: dict[str, Stats] = {}
        for name, graph in graphs_of(opened).items():
            stats[name] = statistics(opened, graph)
            for ext, (_, media) in FORMATS.items():
                path = staging / f"{name}.{ext}.gz"
                _write_gzip(opened, graph, ext, path)
                files.append(_file(path, media, name))
        descriptions = {"void.ttl": void(stats, files), "dcat.ttl": dcat(stats, files)}
        for name, description in descriptions.items():
            with atomic_write(staging / name) as handle:
                handle.write(description.serialize(format="turtle"))
            files.append(_file(staging / name, "text/turtle"))
        with atomic_write(staging / "SHA256SUMS") as handle:
            handle.writelines(f"{f.sha256}  {f.name}\n" for f in files)
        manifest: dict[str, Any] = {
            "store": str(store),
            "files": [f.__dict__ for f in files],
            "graphs": {n: {"triples": s.triples, "entities": s.entities} for n, s in stats.items()},
        }  # fmt: skip
        with atomic_write(staging / "manifest.json") as handle:
            json.dump(manifest, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(staging.iterdir()):  # every file is complete: move them in
            path.chmod(0o644)  # published files, readable by the web server that offers them
            os.replace(path, target / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        del opened
    return DumpResult(target, files, stats)
