"""Build the legigraph graph: ontology + curated data → ``build/``.

Steps: parse every Turtle file, map every CSV table, read the ordinance texts into ELI
versions and subdivisions, add derived facts (amendment texts, quoted source lines,
version end dates), check the result against the SHACL shapes, then write ``build/``
(Turtle, sorted N-Triples, the embedded store and a manifest) into a fresh folder that
replaces ``build/bill/`` only when everything succeeded. Nothing else under ``build/`` (the
national store of ``legigraph ingest``) is touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import PROV, RDF, RDFS, XSD
from rdflib.term import Node

from legigraph.errors import InputError
from legigraph.io import atomic_write, parse_rdf, replace_directory, sorted_ntriples, staging_dir
from legigraph.link.linker import (
    LinkResult,
    NationalTexts,
    api_cache,
    committed_texts,
    law_index,
    link,
)
from legigraph.model import ids
from legigraph.model.documents import describe_document, describe_version
from legigraph.model.literals import canonical_graph
from legigraph.model.namespaces import ELI, LG, SCHEMA, bind_prefixes
from legigraph.model.provisions import to_graph
from legigraph.model.records import LawText
from legigraph.paths import Layout
from legigraph.sources import ordinance, tables
from legigraph.sources.lawgokr import ApiError
from legigraph.sources.lawgokr_client import LawGoKrClient
from legigraph.stores import embedded as store_mod
from legigraph.validate import validate_graph


@dataclass
class BuildResult:
    """What a build produced."""

    out_dir: Path
    triples: int
    manifest: dict[str, Any]
    violations: int = 0
    report_text: str = ""
    inputs: list[Path] = field(default_factory=list)
    link: LinkResult | None = None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_files(layout: Layout) -> list[Path]:
    """Every hand-written input of the build, in a stable order."""
    files = sorted(layout.ontology.glob("*.ttl")) + sorted(layout.data.glob("*.ttl"))
    files += sorted(layout.data.glob("mappings/*.yaml")) + sorted(layout.data.glob("tables/*.csv"))
    files.append(layout.data / "sources.yaml")
    spec = _sources(layout)
    files.append(layout.data / spec["seed"]["file"])
    files += [layout.data / item["file"] for item in spec["ordinance_texts"]]
    files += sorted((layout.data / "external").rglob("*.md")) + sorted(
        p for p in (layout.data / "external").rglob("*") if p.suffix in (".csv", ".tsv")
    )
    return sorted(set(files))


def _sources(layout: Layout) -> dict[str, Any]:
    path = layout.data / "sources.yaml"
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise InputError(path, f"cannot read: {err}", "fix data/sources.yaml") from err
    if not isinstance(spec, dict):
        raise InputError(path, "expected a mapping", "see docs/model.md")
    return spec


def _add_seed(graph: Graph, layout: Layout, spec: dict[str, Any]) -> None:
    seed_path = layout.data / spec["file"]
    titles = [Literal(spec["title_ko"], lang="ko"), Literal(spec["title_en"], lang="en")]
    doc = describe_document(graph, ids.source_document(spec["name"]), titles, spec["file"],
                            _sha256(seed_path))  # fmt: skip
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    for loc in graph.subjects(LG.sourceDocument, doc):
        first, last = (int(str(graph.value(loc, p))) for p in (LG.firstLine, LG.lastLine))
        if not 1 <= first <= last <= len(lines):
            raise InputError(
                seed_path,
                f"source location {loc} lines {first}-{last} are outside "
                f"the document (1-{len(lines)})",
                "fix tables/source-locations.csv",
            )
        quote = "\n".join(line.strip() for line in lines[first - 1 : last] if line.strip())
        graph.add((loc, LG.quote, Literal(quote, lang="ko")))


def _add_ordinance_texts(graph: Graph, layout: Layout, items: list[dict[str, Any]]) -> None:
    chains: dict[str, list[tuple[str, URIRef, LawText]]] = {}
    for item in items:
        path = layout.data / item["file"]
        law = ordinance.read_law_text(path)
        meta = ordinance.version_metadata(law)
        work_id = str(item["work"])
        if meta.get("local_law_id") not in (None, work_id):
            raise InputError(
                path,
                f"자치법규ID {meta['local_law_id']} does not match work {work_id}",
                "fix data/sources.yaml or the front matter",
            )
        work = ids.ordinance(work_id)
        version = ids.ordinance_version(work_id, meta["promulgated"])
        origin = ids.external(item["origin"]) if "origin" in item else None
        doc = describe_document(graph, ids.source_document(item["name"]),
                                [Literal(item["title_en"], lang="en")], item["file"],
                                law.sha256, origin)  # fmt: skip
        for other in item.get("derived_from", []):
            graph.add((doc, PROV.wasDerivedFrom, ids.source_document(other)))
        for fragment in item.get("seed_fragments", []):
            graph.add((doc, PROV.wasDerivedFrom, ids.source_location(ids.SEED, fragment)))
        describe_version(graph, work, version, ordinance=True, title=law.title,
                         promulgated=meta["promulgated"], in_force=meta["in_force"],
                         promulgation_number=meta["promulgation_number"],
                         serial=meta.get("serial"))  # fmt: skip
        graph.add((version, PROV.wasDerivedFrom, doc))
        chains.setdefault(work_id, []).append((meta["in_force"], version, law))
    for work_id, chain in chains.items():
        chain.sort(key=lambda c: (c[0], str(c[1])))
        work = ids.ordinance(work_id)
        _add_lineages(graph, work, [(v, law) for _, v, law in chain])
        for (_, older, _law), (start, _newer, _) in pairwise(chain):
            end = dt.date.fromisoformat(start) - dt.timedelta(days=1)
            graph.add(
                (older, ELI.date_no_longer_in_force, Literal(end.isoformat(), datatype=XSD.date))
            )


def renumberings(graph: Graph, older: URIRef, newer: URIRef) -> dict[str, str]:
    """The paths the curated renumbering amendments move from ``older`` to ``newer``."""
    moves: dict[str, str] = {}
    kind = ids.concept("amendment-type", "renumbering")
    for amendment in graph.subjects(LG.amendmentType, kind):
        before = str(graph.value(amendment, LG.provisionBefore) or "")
        after = str(graph.value(amendment, LG.provisionAfter) or "")
        if before.startswith(f"{older}/") and after.startswith(f"{newer}/"):
            moves[before.removeprefix(f"{older}/")] = after.removeprefix(f"{newer}/")
    return moves


def work_paths(paths: list[list[str]], moves: list[dict[str, str]]) -> list[dict[str, str]]:
    """The work-level path of every provision of a chain of versions (oldest first).

    The history's convention (``history.align``): a provision is named by the path its
    lineage has in the newest version, so a renumbered one realises the subdivision it
    goes on as (bill 1544: 2023-05-22 제7조제4호 realises ``art_7/item_5``), and a new
    provision at an old number is a subdivision of its own. ``moves[i]`` are the
    renumberings from version ``i`` to ``i + 1`` (a provision below a moved one follows
    it); a provision not moved keeps its path, and one gone from the next version keeps
    its own.
    """
    out: list[dict[str, str]] = [{p: p for p in paths[-1]}]
    for i in range(len(paths) - 2, -1, -1):
        newer = out[0]
        identity = {}
        for path in paths[i]:
            moved = path
            for old, new in moves[i].items():
                if path == old or path.startswith(old + "/"):
                    moved = new + path[len(old) :]
            identity[path] = newer.get(moved, path)
        out.insert(0, identity)
    return out


def _add_lineages(graph: Graph, work: URIRef, chain: list[tuple[URIRef, LawText]]) -> None:
    """Every version's subdivisions, each realising the work-level one of its lineage."""
    moves = [renumberings(graph, a, b) for (a, _), (b, _) in pairwise(chain)]
    identities = work_paths([[p.path for p in law.walk()] for _, law in chain], moves)
    labelled: set[str] = set()
    for (version, law), identity in reversed(list(zip(chain, identities, strict=True))):
        to_graph(law, work, version, graph, identity=identity)
        for prov in law.walk():  # number and label: those of the lineage's newest
            if identity[prov.path] not in labelled:
                labelled.add(identity[prov.path])
                node = ids.provision(work, identity[prov.path])
                if prov.number:
                    graph.add((node, ELI.number, Literal(prov.number)))
                graph.add((node, RDFS.label, Literal(prov.label, lang="ko")))


def mark_current_versions(graph: Graph) -> None:
    """Give every work its ``lg:currentVersion``, the version in force today.

    Of its versions that have not ceased to be in force, the one that entered into force
    last (the latest the data holds).
    """
    latest: dict[Node, tuple[str, Node]] = {}
    for version, work in graph.subject_objects(ELI.realizes):
        if (version, RDF.type, LG.OrdinanceVersion) not in graph and (
            version, RDF.type, LG.LawVersion
        ) not in graph:
            continue
        if graph.value(version, ELI.date_no_longer_in_force) is not None:
            continue
        start = str(graph.value(version, ELI.first_date_entry_in_force) or "")
        if work not in latest or (start, str(version)) > (latest[work][0], str(latest[work][1])):
            latest[work] = (start, version)
    for work, (_, version) in latest.items():
        graph.add((work, LG.currentVersion, version))


def add_legal_basis_bills(graph: Graph) -> None:
    """Link each AI project to the bill that created its legal basis, and back.

    A bill created the basis when it proposed an amendment (``lg:proposedBy``) of a
    provision the project rests on (``lg:legalBasis`` = the amendment's
    ``lg:affectedProvision``): ``lg:legalBasisCreatedBy`` and its inverse
    ``lg:createdLegalBasisOf``.
    """
    for project, provision in list(graph.subject_objects(LG.legalBasis)):
        for amendment in graph.subjects(LG.affectedProvision, provision):
            for bill in graph.objects(amendment, LG.proposedBy):
                graph.add((project, LG.legalBasisCreatedBy, bill))
                graph.add((bill, LG.createdLegalBasisOf, project))


def _add_amendment_texts(graph: Graph) -> None:
    for amendment in graph.subjects(RDF.type, LG.Amendment):
        for via, text_prop in (
            (LG.provisionBefore, LG.textBefore),
            (LG.provisionAfter, LG.textAfter),
        ):
            prov_version = graph.value(amendment, via)
            if prov_version is None:
                continue
            text = graph.value(prov_version, SCHEMA.text)
            if text is None:
                raise InputError(
                    "data/ordinance-2229686.ttl",
                    f"amendment {amendment} points at {prov_version}, which has no text",
                    "check the provision path against the ordinance texts",
                )
            graph.add((amendment, text_prop, text))


def build_graph(layout: Layout | None = None, corpus: Path | None = None) -> Graph:
    """Parse and merge every input into one graph (nothing is written).

    The last step links the ordinance's citations to the national records committed in
    ``data/external`` (and to ``corpus``, a legalize-kr checkout, when given).
    """
    return _build_graph(layout or Layout.default(), corpus)[0]


def _build_graph(layout: Layout, corpus: Path | None) -> tuple[Graph, LinkResult]:
    graph = bind_prefixes(Graph())
    for path in sorted(layout.ontology.glob("*.ttl")) + sorted(layout.data.glob("*.ttl")):
        parse_rdf(path, graph)
    for mapping in sorted(layout.data.glob("mappings/*.yaml")):
        scratch = Graph()
        tables.map_table(mapping, scratch)
        graph += scratch
    spec = _sources(layout)
    _add_seed(graph, layout, spec["seed"])
    _add_ordinance_texts(graph, layout, spec["ordinance_texts"])
    _add_amendment_texts(graph)
    add_legal_basis_bills(graph)
    linked = link(graph, layout, corpus)
    graph += linked.graph
    mark_current_versions(graph)
    return canonical_graph(graph), linked


def _counts(graph: Graph) -> dict[str, int]:
    counts: dict[str, int] = {}
    for cls in graph.objects(None, RDF.type):
        key = graph.namespace_manager.normalizeUri(cls)  # type: ignore[arg-type]
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def build(
    layout: Layout | None = None,
    *,
    validate: bool = True,
    store: bool = True,
    corpus: Path | None = None,
) -> BuildResult:
    """Build ``build/`` from the inputs; on any error or violation the old build is kept."""
    layout = layout or Layout.default()
    inputs = input_files(layout)
    graph, linked = _build_graph(layout, corpus)
    violations, report_text = 0, ""
    if validate:
        result = validate_graph(graph, layout=layout)
        violations, report_text = result.violations, result.text
    manifest: dict[str, Any] = {
        "triples": len(graph),
        "classes": _counts(graph),
        "inputs": {str(p.relative_to(layout.root)): _sha256(p) for p in inputs},
        "violations": violations,
        "citations": dict(sorted(linked.counts().items())),
        "outputs": ["legigraph.ttl", "legigraph.nt", "store/", "manifest.json"],
    }
    out = layout.bill_build
    if violations:
        return BuildResult(out, len(graph), manifest, violations, report_text, inputs, linked)
    canonical = bind_prefixes(Graph())
    canonical += to_canonical_graph(graph)  # stable blank-node labels: reproducible output
    graph = canonical
    staging = staging_dir(out)
    try:
        with atomic_write(staging / "legigraph.nt") as handle:
            handle.write(sorted_ntriples(graph))
        with atomic_write(staging / "legigraph.ttl") as handle:
            handle.write(graph.serialize(format="longturtle"))
        if store:
            store_mod.create_store(staging / "store", staging / "legigraph.nt")
        with atomic_write(staging / "manifest.json") as handle:
            json.dump(manifest, handle, ensure_ascii=False, indent=2, sort_keys=True)
            handle.write("\n")
        replace_directory(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(out, len(graph), manifest, 0, report_text, inputs, linked)


def fetch_missing_records(layout: Layout, client: LawGoKrClient | None = None) -> list[str]:
    """Fetch from the law.go.kr Open API the cited records that have no text at hand.

    The client caches each good response under ``data/external/law-go-kr/raw``; the next
    build reads it from there, offline.
    """
    graph = build_graph(layout)
    index = law_index(layout)
    texts = NationalTexts(committed_texts(layout), None, api_cache(layout))
    cited_ids = (ids.record_id_of(str(o)) for o in graph.objects(None, ELI.cites))
    wanted = sorted({i for i in cited_ids if i})
    missing = [r for r in (index.by_id.get(i) for i in wanted) if r and texts.get(r) is None]
    if not missing:
        return ["every cited record is already at hand; nothing to fetch"]
    client = client or LawGoKrClient(cache_dir=api_cache(layout))
    lines = []
    for record in missing:
        try:
            if record.is_ordinance:
                client.ordinance(mst=record.serial)
            else:
                client.law(mst=record.serial)
        except ApiError as err:
            lines.append(f"not fetched: {record.name} ({record.law_id}): {err}")
            continue
        lines.append(f"fetched {record.name} ({record.law_id}, MST {record.serial})")
    return lines
