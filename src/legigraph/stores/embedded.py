"""The embedded default store: pyoxigraph on disk, loaded from ``build/bill/legigraph.nt``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from legigraph.errors import InternalError


def create_store(path: Path, ntriples: Path) -> ox.Store:
    """Create a fresh on-disk store at ``path`` holding the triples of ``ntriples``."""
    store = ox.Store(str(path))
    store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES)
    store.optimize()
    store.flush()
    return store


def open_store(path: Path) -> ox.Store:
    """Open an embedded store read-only."""
    if not path.is_dir():
        national = "national" in path.name
        hint = "`legigraph ingest statutes PATH`" if national else "`legigraph build`"
        raise FileNotFoundError(f"{path}: no store here; run {hint} first")
    return ox.Store.read_only(str(path))


def _triples(store: ox.Store, graph: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))[0].value)  # type: ignore[arg-type]


def carry_graphs(old: Path, fresh: Path, graphs: Sequence[str]) -> dict[str, int]:
    """Copy the named ``graphs`` that the store at ``old`` holds into the store at ``fresh``.

    What a rebuild must not lose: the graphs other steps added to a store (the history,
    the effects). Each goes through an N-Triples file beside ``fresh`` and is counted on
    both sides; returns the triples of each graph copied (none when ``old`` has no store).
    """
    if not old.is_dir():
        return {}
    source = ox.Store.read_only(str(old))
    target = ox.Store(str(fresh))
    copied: dict[str, int] = {}
    for name in graphs:
        node = ox.NamedNode(name)
        if not source.contains_named_graph(node):
            continue
        dump = fresh.with_name(fresh.name + ".carry.nt")
        try:
            source.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=node)
            target.bulk_load(path=str(dump), format=ox.RdfFormat.N_TRIPLES, to_graph=node)
        finally:
            dump.unlink(missing_ok=True)
        held, wanted = _triples(target, name), _triples(source, name)
        if held != wanted:
            raise InternalError(f"graph {name}: {held} triples copied into {fresh}, "
                                f"{wanted} in {old}; the store {old} was kept; please report "
                                "it")  # fmt: skip
        copied[name] = held
    target.flush()
    del source, target
    return copied
