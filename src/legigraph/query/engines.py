"""The engines that run saved queries.

rdflib in memory and the embedded Oxigraph store, each query in a worker process held to
its limits (:mod:`legigraph.query.limits`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from rdflib import Graph

from legigraph.paths import Layout
from legigraph.query.limits import Limits, QueryPool, StoreDir
from legigraph.query.saved import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    Result,
    SavedQuery,
    bind,
    check_query,
    find_query,
    load_queries,
    with_prefixes,
)


class Engine(Protocol):
    """Something that runs SPARQL text within time, memory and row limits."""

    name: str

    def run(self, text: str, *, timeout: float, max_rows: int, max_memory: int = ...) -> Result: ...

    def close(self) -> None: ...


class _PooledEngine:
    """An embedded engine whose queries run in worker processes (see :mod:`legigraph.query.limits`).

    The workers start at the first query and hold the graph or store as it is then; they
    end with :meth:`close`, when the engine is collected, or at exit.
    """

    name = "embedded"

    def __init__(self, target: Any):
        self._target = target
        self._pool: Any = None
        self._lock = threading.Lock()

    def pool(self) -> Any:
        """The :class:`legigraph.query.limits.QueryPool` that runs this engine's queries."""
        with self._lock:
            if self._pool is None:
                # a store is named by its folder in errors, a graph by its engine
                name = "" if isinstance(self._target, StoreDir) else self.name
                self._pool = QueryPool(self._target, name=name)
            return self._pool

    def run(
        self,
        text: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        max_memory: int = DEFAULT_MAX_MEMORY,
    ) -> Result:
        pool = self.pool()
        result: Result = pool.run(text, Limits(timeout, max_memory, max_rows))
        return result

    def close(self) -> None:
        """End the workers (a later query starts new ones)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def __enter__(self) -> _PooledEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EmbeddedEngine(StrEnum):
    """The engines that run in this process's workers (``--engine``)."""

    OXIGRAPH = "oxigraph"
    RDFLIB = "rdflib"


class RdflibEngine(_PooledEngine):
    """rdflib's SPARQL engine over a :class:`rdflib.Graph`, in a forked worker."""

    name = "rdflib"

    def __init__(self, graph: Graph):
        super().__init__(graph)
        self.graph = graph


class OxigraphEngine(_PooledEngine):
    """The embedded default store: pyoxigraph, on disk (:meth:`open`) or in memory.

    An on-disk store is opened read-only by each worker; an in-memory ``pyoxigraph.Store``
    reaches the worker by fork.
    """

    name = "oxigraph"

    def __init__(self, store: Any):
        super().__init__(store)

    @classmethod
    def open(cls, path: Path) -> OxigraphEngine:
        """The on-disk store at ``path`` (checked here, opened by the workers)."""
        if not path.is_dir():
            raise FileNotFoundError(f"{path}: no store here; run `legigraph build` first")
        return cls(StoreDir(path))


def run_saved(
    engine: Engine,
    query: SavedQuery,
    params: Mapping[str, str] | None = None,
    *,
    example: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_memory: int = DEFAULT_MAX_MEMORY,
) -> Result:
    """Run a saved query with its parameters bound."""
    text = bind(query.text, query.bindings(params, example=example))
    return engine.run(text, timeout=timeout, max_rows=max_rows, max_memory=max_memory)


def run_text(
    engine: Engine,
    text: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_memory: int = DEFAULT_MAX_MEMORY,
    allow_service: bool = False,
    allow_dataset: bool = False,
) -> Result:
    """Run an ad-hoc (untrusted) query after the safety checks.

    legigraph's prefixes (:data:`legigraph.model.namespaces.PREFIXES`) are predeclared.
    """
    text = with_prefixes(text)
    check_query(text, allow_service=allow_service, allow_dataset=allow_dataset)
    return engine.run(text, timeout=timeout, max_rows=max_rows, max_memory=max_memory)


def run_query(
    query_id: str,
    params: Mapping[str, str] | None = None,
    *,
    root: Path | None = None,
    engine: Engine | None = None,
) -> Result:
    """Run a saved query by id on the built embedded store (or ``engine``).

    The notebook entry point: ``pandas.DataFrame(run_query("cq05-projects-per-category")
    .to_dicts())``.
    """
    layout = Layout(root) if root else Layout.default()
    saved = find_query(load_queries(layout.queries), query_id)
    if engine is not None:
        return run_saved(engine, saved, params)
    with OxigraphEngine.open(layout.bill_store) as own:
        return run_saved(own, saved, params)


def open_store(path: Path) -> OxigraphEngine:
    """An embedded store on disk, read-only, its queries run in workers held to limits."""
    return OxigraphEngine.open(path)
