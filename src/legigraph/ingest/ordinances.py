"""``legigraph ingest ordinances PATH``: the ordinances of an ordinance-kr checkout, linked.

The ordinance-kr layout is ``{지자체}/{기관}/{조례|규칙}/{name}/본문.md`` (legalize-kr
Markdown with a 자치법규 front matter). The corpus is listed and read within the size
bounds of the statute corpus (``sources.corpus``, ``ORDINANCES`` layout: a directory is
read file by file, an archive streamed); the files of 서울특별시/_본청/조례 are parsed (by
``ingest.statute.parse_statute`` in worker processes, the statute ingest's reader and
mapping: the ``lg:Ordinance`` work ``eli/kr-11/ordin/{자치법규ID}``, its
``lg:OrdinanceVersion`` with the 자치법규일련번호, every provision through
``model.provisions``); other 지자체, 기관 and 규칙 are counted, not read (their IRIs have no
jurisdiction of their own yet).

Citations (「…」, 같은 법, 법 … as ``link.relative`` reads them, with an ordinance's
family from its 제1조) are resolved by the linker (``link.linker.resolve_one``) against the
national index with the linking tables (``link.resolver.with_tables``) and the ordinances
read; provisions are checked against the national store's own text. Resolved citations
become ``eli:cites`` from the citing work-level provision; stale ones are marked:
``lg:citesMissingProvision`` (the cited provision is not in the law's text),
``lg:citesFormerName`` (the law is cited under a name it had no longer by the citing
text's date: the alias table) and ``lg:citesRepealedLaw`` (the record dates say it was
repealed by then).

Everything goes into the named graph ``ids.ORDINANCE_GRAPH`` of the existing national store:
the N-Triples are parsed strictly and compared with what the graph holds; the triples it
loses and gains are staged in graphs of their own, counted, and only then applied in one
update, one transaction (``ingest.store.update_graph``, the history's way: a re-run with
the same input writes nothing). No other graph is touched; a failed run leaves the store as
it was. A manifest is written beside the store.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from legigraph.errors import InputError, InternalError
from legigraph.ingest.network import CorpusTexts, OnError, annex_counts, take
from legigraph.ingest.statute import Parsed, parsed_members
from legigraph.ingest.store import (
    BILL_GRAPH,
    NATIONAL_GRAPH,
    canonical_lines,
    count_pattern,
    graph_count,
    graph_lines,
    manifest_path,
    update_graph,
)
from legigraph.io import atomic_write
from legigraph.link.citations import Citation
from legigraph.link.citing import citing_date
from legigraph.link.linker import resolve_one
from legigraph.link.resolve import LawIndex, LawRecord, normalise_name, read_law_index
from legigraph.link.resolver import Resolver, with_tables
from legigraph.model import ids
from legigraph.model.namespaces import ELI, LG
from legigraph.model.provisions import annex_triples
from legigraph.model.triples import nt_line
from legigraph.paths import Layout
from legigraph.progress import progress_bar
from legigraph.sources.corpus import ORDINANCES, Limits, Member, list_corpus

ORDINANCE_GRAPH = str(ids.ORDINANCE_GRAPH)
_LAW = str(ids.national_law("0"))[:-1]  # …/eli/kr/law/
_BILL_DOCUMENTS = (f"SELECT ?doc ?sha ?id WHERE {{ GRAPH <{BILL_GRAPH}> {{ ?doc "
                   f"<{LG.sha256}> ?sha ; <{DCTERMS.identifier}> ?id }} }}")  # fmt: skip
_SUBDIVISIONS = (f"SELECT ?s WHERE {{ GRAPH <{NATIONAL_GRAPH}> {{ ?s a "
                 f"<{ELI.LegalResourceSubdivision}> }} }}")  # fmt: skip


@dataclass
class OrdinanceResult:
    """What one ordinance ingest did: its manifest, the files skipped, the warnings."""

    manifest: dict[str, Any]
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def ordinance_manifest_path(store: Path) -> Path:
    """Where the manifest of the ordinance graph of ``store`` lives (beside the store)."""
    return store.with_name(store.name + ".ordinances.json")


def out_of_scope(name: str) -> str:
    """Why a file of the layout is not read ("" when it is: 서울특별시/_본청/조례)."""
    place, body, kind = name.split("/")[:3]
    if place != "서울특별시" or body != "_본청":
        return "another 지자체 or 기관 (only 서울특별시/_본청, eli/kr-11, is modelled)"
    return "" if kind == "조례" else "a 규칙 (only 조례 are read as lg:Ordinance)"


def national_paths(store: Path) -> dict[str, frozenset[str]]:
    """The provision paths of every law of the store's national graph, by 법령ID."""
    db = ox.Store.read_only(str(store))
    paths: dict[str, set[str]] = {}
    for row in cast(ox.QuerySolutions, db.query(_SUBDIVISIONS)):
        iri = row[0].value
        law_id, _, path = iri[len(_LAW) :].partition("/")
        paths.setdefault(law_id, set()).add(path)
    del db
    return {k: frozenset(v) for k, v in paths.items()}


def store_index(store: Path, index: Path | None) -> Path:
    """The name index: ``index``, else the one the national store was built with."""
    if index is not None:
        return index
    try:
        built = json.loads(manifest_path(store).read_text(encoding="utf-8"))["index"]
    except (OSError, ValueError, KeyError) as err:
        raise InputError(manifest_path(store), f"no readable manifest of the national store "
                         f"({err})", "give the name index with --index CSV") from err  # fmt: skip
    return Path(built)


def ingest_ordinances(
    source: Path,
    store: Path,
    index_path: Path | None = None,
    *,
    on_error: OnError | str = OnError.SKIP,
    quiet: bool = False,
    workers: int = 0,
    limits: Limits | None = None,
) -> OrdinanceResult:
    """Read the ordinances of ``source`` into the ordinance graph of the national ``store``.

    ``index_path``: the national name index (default: the one the store was built with).
    Raises ``InputError`` (exit 2) when there is no store, no ordinance to read or, with
    ``on_error="stop"``, a broken file (its file and line); ``InternalError`` (exit 3) when
    the loaded graph disagrees with what was written. Either way the store is as it was.
    """
    workers = workers or os.cpu_count() or 1
    on_error = OnError(on_error)  # ValueError for anything but skip or stop
    store = store.resolve()
    if not (store.is_dir() and manifest_path(store).is_file()):
        raise InputError(store, "no national store here", "build it first with `legigraph "
                         "ingest statutes PATH`, or give it with --store DIR")  # fmt: skip
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    limits = limits or Limits()
    with progress_bar("ordinances: read", quiet=quiet, unit="B", scale=True) as advance:
        listed, input_hash = list_corpus(source, limits, advance, layout=ORDINANCES)
    outside = Counter(reason for m in listed if (reason := out_of_scope(m.name)))
    members = [m for m in listed if not out_of_scope(m.name)]
    index_file = store_index(store, index_path)
    national = read_law_index(index_file)
    known = dict(national_paths(store))
    timings["list"] = time.perf_counter() - clock

    clock = time.perf_counter()
    parsed, skipped, warnings = _parse(members, on_error, quiet, workers)
    if not parsed:
        raise InputError(source, f"nothing to ingest: {len(listed)} files of the layout, "
                         f"{len(members)} in scope, none read (skipped: "
                         f"{'; '.join(skipped[:3]) or 'none'}); the store {store} was left "
                         "as it was", "check that this is an ordinance-kr checkout")  # fmt: skip
    records = [p.record for p in parsed if p.record is not None]
    known.update((p.record.law_id, frozenset(p.paths)) for p in parsed if p.record is not None)
    mine = {r.law_id for r in records}  # an index may list ordinances too: these replace them
    others = [r for r in national.records if r.law_id not in mine]
    index = with_tables(LawIndex([*others, *records]), Layout.default().data)
    timings["parse"] = time.perf_counter() - clock

    clock = time.perf_counter()
    links = _link(parsed, index, CorpusTexts(known), quiet)
    text = "".join(p.nt for p in parsed) + "".join(line + "\n" for line in links.lines)
    try:
        lines = canonical_lines(text)
    except SyntaxError as err:  # a bug of the writer, not of the input
        raise InternalError(f"the ordinance graph does not parse: {err}") from err
    lines = _one_identifier(store, lines)
    triples = len(lines)
    timings["link"] = time.perf_counter() - clock

    clock = time.perf_counter()
    found = _swap(store, lines, len(records))
    timings["load"] = time.perf_counter() - clock
    counts = {
        "files_in_layout": len(listed),
        "out_of_scope": dict(sorted(outside.items())),
        "files": len(members),
        "ordinances": len(records),
        "skipped": len(skipped),
        "provisions": sum(sum(p.kinds.values()) for p in parsed),
        "warnings": len(warnings),
        **links.counts(),
        "triples": triples,
    }
    manifest = {"source": str(source), "input_hash": input_hash, "index": str(index_file),
                "store": str(store), "graph": ORDINANCE_GRAPH, "counts": counts,
                "checks": found, "skipped": skipped, "warnings": warnings,
                "unresolved": links.unresolved, "stale": links.stale,
                "timings_s": {k: round(v, 3) for k, v in timings.items()}}  # fmt: skip
    with atomic_write(ordinance_manifest_path(store)) as handle:
        handle.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return OrdinanceResult(manifest, skipped, warnings)


def _parse(
    members: list[Member], on_error: OnError, quiet: bool, workers: int
) -> tuple[list[Parsed], list[str], list[str]]:
    """Every ordinance in scope read and mapped (skipped ones listed, or raised with stop)."""
    out: list[Parsed] = []
    skipped: list[str] = []
    warnings: list[str] = []
    seen: dict[str, frozenset[str]] = {}
    with progress_bar("ordinances: parse", quiet=quiet, unit="file") as advance:
        for done, parsed in enumerate(parsed_members(members, workers, ordinance=True), 1):
            advance(done, len(members))
            if take(parsed, on_error, seen, skipped):
                continue
            assert parsed.record is not None
            seen[parsed.record.law_id] = frozenset()
            warnings.extend(text for _, text in parsed.warnings)
            out.append(parsed)
    return out, skipped, warnings


@dataclass
class _Links:
    """The citations of the ordinances: counts, edges and stale references."""

    status: Counter[str] = field(default_factory=Counter)
    references: Counter[str] = field(default_factory=Counter)  # internal, no referent …
    found: int = 0
    national: int = 0
    ordinance: int = 0
    lines: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    stale_kinds: Counter[str] = field(default_factory=Counter)
    annexes: dict[str, int] = field(default_factory=dict)  # ingest.network.annex_counts

    def counts(self) -> dict[str, Any]:
        resolved = self.status["resolved"]
        return {"citations_found": self.found,
                "citations_by_status": dict(sorted(self.status.items())),
                "citations_resolved": resolved,
                "resolved_share": round(resolved / self.found, 4) if self.found else None,
                "cites_national": self.national, "cites_ordinance": self.ordinance,
                "references_within": dict(sorted(self.references.items())),
                **self.annexes, "stale": sum(self.stale_kinds.values()),
                "stale_by_kind": dict(sorted(self.stale_kinds.items()))}  # fmt: skip


def _link(parsed: list[Parsed], index: Resolver, texts: CorpusTexts, quiet: bool) -> _Links:
    links = _Links()
    pending = []
    for p in parsed:
        record = p.record
        assert record is not None
        links.references.update(outcome for _, outcome in p.references)
        prefix = f"{ids.ordinance(record.law_id)}/"
        for cit, sub, _, _ in p.pending:
            date = citing_date(sub[len(prefix) :], p.addenda, record.in_force)
            pending.append((cit, sub, date, p.name))
    links.found = len(pending)
    cites = f"<{ELI.cites}>"
    annexes: set[str] = set()  # the annex and form nodes cited (each written once)
    edges: list[tuple[str, str]] = []
    with progress_bar("ordinances: link", quiet=quiet, unit="citation") as advance:
        for done, (cit, sub, date, name) in enumerate(pending, start=1):
            where = f"{name}: {sub.rpartition('/ordin/')[2]}"
            row, law = resolve_one(cit, None, index, texts, date, where, URIRef(sub))
            links.status[row.status] += 1
            if row.status == "resolved" and law is not None:
                links.lines.extend(f"<{sub}> {cites} <{target}> ." for target in row.targets)
                annexes.update(t for t in row.targets if ids.annex_of(t) is not None)
                edges.extend((sub, t) for t in row.targets)
                if law.is_ordinance:
                    links.ordinance += 1
                else:
                    links.national += 1
            else:
                links.unresolved.append(f"{where}: {cit.text} → {row.status}: {row.reason}")
            for kind, prop, target, why in _stale(cit, law, index, texts, date):
                links.stale_kinds[kind] += 1
                links.lines.append(f"<{sub}> <{prop}> <{target}> .")
                links.stale.append(f"{where}: {cit.text} → {kind}: {why}")
            advance(done, len(pending))
    links.lines += [nt_line(t) for node in sorted(annexes) for t in annex_triples(node)]
    links.annexes = annex_counts(annexes, edges)
    return links


def _stale(
    cit: Citation, law: LawRecord | None, index: Resolver, texts: CorpusTexts, date: str
) -> list[tuple[str, str, str, str]]:
    """The stale marks of one citation: (kind, property, target, why)."""
    res = index.resolve(cit.law or "", date or None) if law is None and cit.law else None
    record = law if law is not None else (res.record if res is not None else None)
    if record is None or record.is_ordinance:
        return []
    work = str(ids.national_law(record.law_id))
    out = []
    known = texts.paths(record)
    simple = not cit.addendum and cit.annex is None
    for prov in cit.provisions if law is None and simple else ():
        steps = prov.path.split("/")
        if known is None:
            break
        if prov.path not in known and not any(s.split("_")[1].split("-")[0] == "0" for s in steps):
            out.append(("missing provision", str(LG.citesMissingProvision),
                        str(ids.provision(URIRef(work), prov.path)),
                        f"{prov.label} is not in 「{record.name}」 ({record.law_id})"))  # fmt: skip
    if law is None:
        return out
    cited = normalise_name(cit.law or "")
    if cited and cited not in index.by_name:
        aliases = [a for a in index.by_alias.get(cited, []) if a.law_id == record.law_id]
        until = min((a.valid_until for a in aliases if a.valid_until), default="")
        if aliases and (not until or until <= date):
            out.append(("former name", str(LG.citesFormerName), work,
                        f"「{cit.law}」 is a former name of 「{record.name}」 ({record.law_id}"
                        f"{', current until ' + until if until else ''})"))  # fmt: skip
    dates = index.dates.get(record.law_id)
    if dates is not None and dates.repealed and dates.repealed <= date:
        out.append(("repealed law", str(LG.citesRepealedLaw), work,
                    f"「{record.name}」 ({record.law_id}) was repealed {dates.repealed} "
                    f"({dates.repealed_evidence})"))  # fmt: skip
    return out


def _one_identifier(store: Path, lines: set[str]) -> set[str]:
    """``lines`` with the bill graph's dcterms:identifier for the documents it describes too.

    The bill build names a committed copy of an ordinance version by its path under data/
    (external/ordinance-kr/…); the same bytes (the same lg:sha256) read from a checkout get
    the same document IRI, and in one store a document has one identifier.
    """
    db = ox.Store.read_only(str(store))
    rows = cast(ox.QuerySolutions, db.query(_BILL_DOCUMENTS))
    theirs = {(row[0], row[1]): row[2] for row in rows}
    del db
    out = set(lines)
    for (doc, sha), identifier in theirs.items():
        if f"{doc} <{LG.sha256}> {sha} ." not in out:
            continue  # not a document of this graph, or other bytes
        ours = [line for line in out if line.startswith(f"{doc} <{DCTERMS.identifier}> ")]
        out.difference_update(ours)
        out.add(f"{doc} <{DCTERMS.identifier}> {identifier} .")
    return out


def _swap(store: Path, lines: set[str], works: int) -> dict[str, int]:
    """Apply the new graph to the store's ordinance graph in one update; check it."""
    current = graph_lines(store, "ordinances")
    added = "".join(f"{line}\n" for line in sorted(lines - current))
    removed = "".join(f"{line}\n" for line in sorted(current - lines))
    update_graph(store, "ordinances", added, removed, expected=len(lines),
                 everything=lambda: "".join(f"{line}\n" for line in sorted(lines)))  # fmt: skip
    db = ox.Store.read_only(str(store))
    found = {"triples": graph_count(db, ORDINANCE_GRAPH),
             "ordinances": count_pattern(db, f"GRAPH <{ORDINANCE_GRAPH}> {{ ?s a "
                                         f"<{LG.Ordinance}> }}"),
             "added": added.count("\n"), "removed": removed.count("\n")}  # fmt: skip
    del db
    if (found["triples"], found["ordinances"]) != (len(lines), works):
        raise InternalError(f"the ordinance graph of {store} disagrees with what was written "
                            f"(found {found}, expected {len(lines)} triples, {works} "
                            "ordinances); please report it")  # fmt: skip
    return found
