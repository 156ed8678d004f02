"""The embedded default store: pyoxigraph on disk, loaded from ``build/bill/legigraph.nt``."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


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
