"""Where the server's queries run: the embedded store's worker processes, or an endpoint.

The embedded store is never opened by the web process itself: a :class:`~legigraph.query.limits.
QueryPool` of worker processes opens it read-only (each worker a handle on the same files,
no copy of the data) and kills a worker at its time or memory limit, so that a query is
stopped, not just its output. A remote endpoint (``--endpoint URL``) is asked over HTTP with
a connect and read timeout (:class:`~legigraph.stores.remote.EndpointEngine`).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path

from legigraph.errors import InputError
from legigraph.ingest import BILL_GRAPH, NATIONAL_GRAPH
from legigraph.paths import Layout
from legigraph.query.engines import Engine
from legigraph.query.limits import Limits, QueryPool, StoreDir
from legigraph.query.saved import DEFAULT_MAX_MEMORY, SPARQL_TOKEN, Result, SavedQuery
from legigraph.serve.cache import CachedEngine, KeptBodies, StoreWatch, remote_identity
from legigraph.stores.remote import EndpointEngine


class StoreEngine:
    """An on-disk Oxigraph store queried by ``workers`` pre-started worker processes."""

    name = "oxigraph"

    def __init__(self, path: Path, *, workers: int = 2) -> None:
        self.path = path
        self.workers = workers
        self.watch = StoreWatch(path)
        self.opened = self.watch.current()
        self.pool = QueryPool(StoreDir(path), workers=workers)
        self._lock = threading.Lock()

    def identity(self) -> Hashable:
        """The store's identity now; workers on the store as it is now.

        A read-only handle keeps seeing the store as it was when opened, and a store
        swapped in by a rebuild is other files: when the identity changes, new workers
        open the store and the old ones end after their last query.
        """
        identity = self.watch.current()
        with self._lock:
            if identity != self.opened:
                self.opened = identity
                self.pool = QueryPool(StoreDir(self.path), workers=self.workers)
        return identity

    def run(
        self, text: str, *, timeout: float, max_rows: int, max_memory: int = DEFAULT_MAX_MEMORY
    ) -> Result:
        self.identity()
        result: Result = self.pool.run(text, Limits(timeout, max_memory, max_rows))
        return result

    def close(self) -> None:
        self.pool.close()


@dataclass
class Backend:
    """The engine the server asks, and what it holds."""

    engine: Engine
    description: str  # for the home page and the service description
    national: bool = False  # the store holds the national graph (and the bill in its graph)
    remote: bool = False
    pages: CachedEngine = field(init=False)  # ``engine`` with its answers kept (:mod:`.cache`)
    bodies: KeptBodies = field(init=False, default_factory=KeptBodies)  # pages as sent

    def __post_init__(self) -> None:
        identity = self.engine.identity if isinstance(self.engine, StoreEngine) else remote_identity
        self.pages = CachedEngine(self.engine, identity)

    def for_saved(self, saved: SavedQuery, text: str) -> str:
        """``text`` (bound) made to run here.

        A bill query on the national store reads the bill graph as its default graph, as it
        does on the bill build's own store.
        """
        if self.national and saved.target != "national":
            return with_default_graph(text, BILL_GRAPH)
        return text

    def close(self) -> None:
        self.engine.close()


def with_default_graph(text: str, graph: str) -> str:
    """``text`` with ``FROM <graph>`` before its top-level WHERE (unchanged when it has none)."""
    braces = parens = 0
    for match in SPARQL_TOKEN.finditer(text):
        piece = match.group()
        if piece in ("(", ")"):
            parens += 1 if piece == "(" else -1
        elif piece in ("{", "}"):
            braces += 1 if piece == "{" else -1
        elif braces == 0 and parens == 0 and piece.upper() == "WHERE":
            return f"{text[: match.start()]}FROM <{graph}>\n{text[match.start() :]}"
    return text


def store_path(layout: Layout, store: str | None) -> Path:
    """``--store DIR``, else the national store when there is one, else the bill build's."""
    if store:
        path = Path(store).resolve()
        if not path.is_dir():
            raise InputError(path, "no store here", "give a store made by `legigraph build` or "
                             "`legigraph ingest`, or leave out --store")  # fmt: skip
        return path
    for path in (layout.national_store, layout.bill_store):
        if path.is_dir():
            return path
    raise InputError(
        layout.bill_store, "no store to serve",
        "run `legigraph build` first (or pass --store DIR or --endpoint URL)",
    )  # fmt: skip


def open_backend(
    layout: Layout,
    *,
    store: str | None = None,
    endpoint: str | None = None,
    default_graph: str | None = None,
    workers: int = 2,
    timeout: float = 10.0,
) -> Backend:
    """The backend for ``legigraph serve``: a remote endpoint, or an embedded store."""
    if endpoint:
        remote = EndpointEngine(endpoint, default_graph=default_graph)
        return Backend(remote, f"the SPARQL endpoint {endpoint}", remote=True)
    path = store_path(layout, store)
    engine = StoreEngine(path, workers=workers)
    probe = engine.run(
        f"ASK {{ GRAPH <{NATIONAL_GRAPH}> {{ ?s ?p ?o }} }}", timeout=max(timeout, 30), max_rows=1
    )
    national = bool(probe.boolean)
    what = "the national store" if national else "the embedded store"
    return Backend(engine, f"{what} {path}", national=national)
