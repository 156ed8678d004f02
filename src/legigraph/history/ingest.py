"""``legigraph ingest history PATH``: every dated version of the laws of a clone, in one store.

The history goes into the statute ingest's store, in its own named graph
(``ids.HISTORY_GRAPH``). A run reads only the commits it has not seen (the state folder
``{store}.history/`` beside the store keeps the commits seen, the counts, and one file per
law with its chain and N-Triples),
aligns each new version with the one before, writes the graph of every law that changed
again, checks the whole graph by parsing it strictly, and only then changes the named
graph: the triples it loses and gains are staged in graphs of their own and applied in one
update, which Oxigraph runs as one transaction (the whole graph is replaced, with ``MOVE``,
when the store does not hold what the state says). Only that graph changes; the statute
and bill graphs are not touched.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from legigraph.errors import InputError
from legigraph.history.chain import Chain, Version, provisions_of
from legigraph.history.graph import chain_graph
from legigraph.history.sources import Snapshot, read_versions
from legigraph.io import atomic_write
from legigraph.model import ids
from legigraph.model.records import LawText
from legigraph.sources.ordinance import read_law_bytes, version_metadata

HISTORY_GRAPH = str(ids.HISTORY_GRAPH)
STAGING_GRAPH = str(ids.graph("history-staging"))  # what a run adds, before it is applied
REMOVED_GRAPH = str(ids.graph("history-removed"))  # what it takes out
STATE_VERSION = 1


def state_path(store: Path) -> Path:
    """The folder of ``store``'s history state: ``state.json`` and ``laws/{법령ID}.json``."""
    return store.with_name(store.name + ".history")


@dataclass
class HistoryResult:
    """What one run did."""

    manifest: dict[str, Any]
    new_versions: int = 0
    changed_laws: list[str] = field(default_factory=list)


def _meta(law: LawText, snapshot: Snapshot) -> dict[str, str]:
    dates = version_metadata(law)
    meta = law.meta
    ordinance = bool(meta.get("자치법규ID"))
    law_id = str(meta.get("자치법규ID") or meta.get("법령ID") or "").strip()
    serial = str(meta.get("자치법규일련번호") or meta.get("법령MST") or "").strip()
    if not law_id.isdigit():
        raise InputError(snapshot.source, "front matter has no 법령ID (or 자치법규ID)",
                         "add 법령ID: 'NNNNNN'", 1)  # fmt: skip
    kind = "조례" if ordinance else str(meta.get("법령구분") or "").strip()
    return {"law_id": law_id, "serial": serial, "name": law.title, "kind": kind,
            "promulgated": dates["promulgated"], "in_force": dates["in_force"],
            "promulgation_number": dates["promulgation_number"].lstrip("0") or "0"}  # fmt: skip


def _read_json(path: Path) -> dict[str, Any]:
    try:
        doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        hint = "remove the state folder to ingest the history from scratch"
        raise InputError(path, f"unreadable history state: {err}", hint) from err
    return doc


def _load_state(folder: Path) -> dict[str, Any]:
    index = folder / "state.json"
    if not index.is_file():
        return {"state_version": STATE_VERSION, "seen": [], "laws": {}}
    state = _read_json(index)
    if state.get("state_version") != STATE_VERSION:
        raise InputError(index, "history state of another legigraph version",
                         "remove the state folder to ingest the history from scratch")  # fmt: skip
    return state


def _law_file(folder: Path, law_id: str) -> Path:
    return folder / "laws" / f"{ids.digits(law_id, '법령ID')}.json"


def ingest_history(source: Path, store: Path, *, quiet: bool = False) -> HistoryResult:
    """Add the versions of ``source`` not yet seen to the history graph of ``store``.

    Only the laws that have new versions are loaded from the state, aligned, written and
    checked: a day's change costs what that day changed.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    store = store.resolve()
    folder = state_path(store)
    state = _load_state(folder)
    seen = set(state["seen"])
    snapshots = read_versions(source, seen)
    timings["read"] = time.perf_counter() - clock

    clock = time.perf_counter()
    chains: dict[str, Chain] = {}
    old_texts: dict[str, str] = {}
    for snapshot in snapshots:
        law = read_law_bytes(Path(snapshot.source), snapshot.data)
        meta = _meta(law, snapshot)
        law_id = meta["law_id"]
        if law_id not in chains:
            if law_id in state["laws"]:
                doc = _read_json(_law_file(folder, law_id))
                chains[law_id], old_texts[law_id] = Chain.from_json(doc["chain"]), doc["nt"]
            else:
                chains[law_id] = Chain(law_id)
        chain = chains[law_id]
        if any(snapshot.commit in v.commit.split("+") for v in chain.versions):
            continue  # a run that stopped after the law's file and before the state
        chain.append(Version(snapshot.commit, snapshot.source, snapshot.path, meta,
                             provisions_of(law)))  # fmt: skip
    timings["align"] = time.perf_counter() - clock

    clock = time.perf_counter()
    texts = {law_id: _ntriples(chain_graph(chain)) for law_id, chain in sorted(chains.items())}
    old_lines = {line for text in old_texts.values() for line in text.splitlines()}
    new_lines = {line for text in texts.values() for line in text.splitlines()}
    counts = {law_id: _check(text, _law_file(folder, law_id)) for law_id, text in texts.items()}
    laws = dict(state["laws"])
    laws.update({law_id: _summary(chains[law_id], counts[law_id]) for law_id in chains})
    triples = sum(int(law["triples"]) for law in laws.values())
    timings["graph"] = time.perf_counter() - clock

    clock = time.perf_counter()
    added = "".join(f"{line}\n" for line in sorted(new_lines - old_lines))
    removed = "".join(f"{line}\n" for line in sorted(old_lines - new_lines))

    def everything() -> str:
        return "".join(texts[k] if k in texts else _read_json(_law_file(folder, k))["nt"]
                       for k in sorted(laws))  # fmt: skip

    # also with nothing new: a store rebuilt by `ingest statutes` has lost the graph
    update_graph(store, added, removed, expected=triples, everything=everything)
    timings["write"] = time.perf_counter() - clock

    for law_id in sorted(chains):
        target = _law_file(folder, law_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(target) as handle:
            doc = {"chain": chains[law_id].to_json(), "nt": texts[law_id]}
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
    manifest = _manifest(source, store, laws, triples, len(snapshots), sorted(chains), timings)
    state = {"state_version": STATE_VERSION, "seen": sorted(seen | {s.commit for s in snapshots}),
             "manifest": manifest, "laws": laws}  # fmt: skip
    with atomic_write(folder / "state.json") as handle:
        handle.write(json.dumps(state, ensure_ascii=False, indent=1) + "\n")
    if not quiet:
        print(f"history: {len(snapshots)} new versions read", file=sys.stderr)
    return HistoryResult(manifest, len(snapshots), sorted(chains))


def _summary(chain: Chain, triples: int) -> dict[str, Any]:
    """What the state keeps of a law beside its file: the counts of the manifest."""
    kinds: Counter[str] = Counter()
    for version in chain.versions:
        kinds.update(change.kind for change in version.changes)
    return {"versions": len(chain.versions),
            "provision_versions": sum(len(v.provisions) for v in chain.versions),
            "changes_by_kind": dict(sorted(kinds.items())), "triples": triples}  # fmt: skip


def _ntriples(graph: Graph) -> str:
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))


def _check(nt: str, where: Path) -> int:
    """Parse the graph strictly (the check before anything is written); its triple count."""
    try:
        return sum(1 for _ in ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as err:  # a bug of the writer, not of the input
        raise RuntimeError(f"{where}: the history graph does not parse: {err}") from err


# One update, one transaction: readers see the history graph as it was or as it is now.
# The texts hold constant IRIs of ids.py, nothing read from input.
_APPLY = (
    f"DELETE {{ GRAPH <{HISTORY_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{REMOVED_GRAPH}> "
    f"{{ ?s ?p ?o }} }} ; INSERT {{ GRAPH <{HISTORY_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH "
    f"<{STAGING_GRAPH}> {{ ?s ?p ?o }} }} ; DROP SILENT GRAPH <{REMOVED_GRAPH}> ; "
    f"DROP SILENT GRAPH <{STAGING_GRAPH}>"
)
_REPLACE = f"MOVE SILENT GRAPH <{STAGING_GRAPH}> TO GRAPH <{HISTORY_GRAPH}>"
_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{HISTORY_GRAPH}> {{ ?s ?p ?o }} }}"


def update_graph(
    store: Path, added: str, removed: str, *, expected: int, everything: Callable[[], str]
) -> None:
    """Apply a change to the history graph of ``store`` atomically: ``removed`` out, ``added`` in.

    Both are staged in graphs of their own first (each load is a transaction), then one
    update applies them. When the graph does not hold what the state file says it does (a
    run stopped between the store and the state), the whole graph is replaced instead.
    """
    store.parent.mkdir(parents=True, exist_ok=True)
    db = ox.Store(str(store))
    for name in (STAGING_GRAPH, REMOVED_GRAPH):  # left by a run that stopped half-way
        if db.contains_named_graph(ox.NamedNode(name)):
            db.remove_graph(ox.NamedNode(name))
    held = int(next(iter(db.query(_COUNT)))[0].value)  # type: ignore[arg-type]
    if held + added.count("\n") - removed.count("\n") != expected:
        added, removed, script = everything(), "", _REPLACE
    elif not added and not removed:
        return  # the graph is as the state says: nothing to write
    else:
        script = _APPLY
    for graph, text in ((STAGING_GRAPH, added), (REMOVED_GRAPH, removed)):
        if text:
            db.load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(graph))  # fmt: skip
    db.update(script)
    db.flush()
    del db


def _manifest(
    source: Path, store: Path, laws: dict[str, dict[str, Any]], triples: int, new: int,
    changed: list[str], timings: dict[str, float],
) -> dict[str, Any]:  # fmt: skip
    kinds: Counter[str] = Counter()
    for law in laws.values():
        kinds.update(law["changes_by_kind"])
    return {
        "source": str(source),
        "store": str(store),
        "graph": HISTORY_GRAPH,
        "counts": {
            "laws": len(laws),
            "versions": sum(int(law["versions"]) for law in laws.values()),
            "provision_versions": sum(int(law["provision_versions"]) for law in laws.values()),
            "changes": sum(kinds.values()),
            "changes_by_kind": dict(sorted(kinds.items())),
            "triples": triples,
            "new_versions": new,
            "laws_changed": len(changed),
        },
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
    }
