"""What the pages ask, answered once per store: results kept per process, by query text.

A page, its sections and its pictures ask the same few queries of the same IRI on every
request; their answers change only when the store does. :class:`CachedEngine` keeps the
results of those queries (the last :data:`MAX_ROWS` rows' worth, least recently used
dropped first) under the store's identity (:func:`store_identity`): the files of an
Oxigraph store as RocksDB names them (``CURRENT``, ``MANIFEST-*``, ``*.sst``, ``*.log``),
their sizes and times, and the folder's own inode, so that a store rebuilt and swapped in
(``legigraph build``, ``ingest``) or updated in place (``ingest history``) is a new identity.
The identity is read at most once a second (:class:`StoreWatch`); when it changes, every
kept result is dropped (and the embedded store's workers are replaced, see
:class:`~legigraph.serve.backend.StoreEngine`). A remote endpoint has no files: its results
are kept :data:`REMOTE_SECONDS`.

Identical queries asked at the same time run once: the others wait for the first one's
answer (or its error). Errors are never kept. ``/sparql`` and ``/queries/{id}`` do not go
through here: what a client sends is run each time.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

from legigraph.query.engines import Engine
from legigraph.query.saved import DEFAULT_MAX_MEMORY, Result

MAX_ROWS = 200_000  # rows of results kept at most (an ASK or a graph's triple counts as rows)
MAX_BYTES = 64 * 2**20  # bytes of pages and pictures kept at most
CHECK_SECONDS = 1.0  # how often the store's identity is read again
REMOTE_SECONDS = 60.0  # how long a remote endpoint's answer is kept
# the files a write changes; not LOG or LOCK, which readers write too
_STORE_FILE = re.compile(r"CURRENT|MANIFEST-\d+|\d+\.(?:sst|log)")


def store_identity(path: Path) -> Hashable:
    """What changes when the Oxigraph store at ``path`` is rebuilt, swapped or written."""
    try:
        folder = path.stat()
        files = sorted(
            (entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
            for entry in os.scandir(path)
            if _STORE_FILE.fullmatch(entry.name)
        )
    except OSError:  # being swapped right now: ask again at the next check
        return None
    return (folder.st_dev, folder.st_ino, tuple(files))


class StoreWatch:
    """The identity of the store at ``path``, read again at most every :data:`CHECK_SECONDS`.

    A folder that cannot be read (being swapped) keeps the last identity read.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._identity = store_identity(path)
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def current(self) -> Hashable:
        now = time.monotonic()
        with self._lock:
            if now - self._checked < CHECK_SECONDS:
                return self._identity
            self._checked = now
        identity = store_identity(self.path)
        with self._lock:
            if identity is not None:
                self._identity = identity
            return self._identity


def remote_identity() -> Hashable:
    """A remote endpoint's identity: the current :data:`REMOTE_SECONDS` window."""
    return int(time.monotonic() // REMOTE_SECONDS)


def _size(result: Result) -> int:
    return max(1, len(result.rows), len(result.graph) if result.graph is not None else 0)


class CachedEngine:
    """``engine`` with its answers kept while ``identity()`` stays the same."""

    def __init__(self, engine: Engine, identity: Callable[[], Hashable]) -> None:
        self.engine = engine
        self.name = engine.name
        self._identity_of = identity
        self._identity = identity()
        self._kept: OrderedDict[tuple[object, ...], Result] = OrderedDict()
        self._rows = 0
        self._running: dict[tuple[object, ...], concurrent.futures.Future[Result]] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def _check(self) -> None:
        """Drop everything when the store is no longer the one the results came from."""
        identity = self._identity_of()
        with self._lock:
            if identity != self._identity:
                self._identity = identity
                self._kept.clear()
                self._rows = 0

    def run(
        self, text: str, *, timeout: float, max_rows: int, max_memory: int = DEFAULT_MAX_MEMORY
    ) -> Result:
        self._check()
        key = (text, timeout, max_rows, max_memory)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                self.hits += 1
                return kept
            identity = self._identity
            running = self._running.get(key)
            leader = running is None
            if running is None:
                running = self._running[key] = concurrent.futures.Future()
                self.misses += 1
        if not leader:
            return running.result()
        try:
            result = self.engine.run(text, timeout=timeout, max_rows=max_rows,
                                     max_memory=max_memory)  # fmt: skip
        except BaseException as err:
            with self._lock:
                del self._running[key]
            running.set_exception(err)
            raise
        with self._lock:
            del self._running[key]
            if identity == self._identity and _size(result) <= MAX_ROWS // 4:
                self._kept[key] = result
                self._rows += _size(result)
                while self._rows > MAX_ROWS:
                    _, dropped = self._kept.popitem(last=False)
                    self._rows -= _size(dropped)
        running.set_result(result)
        return result

    def identity(self) -> Hashable:
        """The identity of the store the kept results are of (read again first)."""
        self._check()
        with self._lock:
            return self._identity

    @property
    def kept(self) -> int:
        """How many results are kept now."""
        with self._lock:
            return len(self._kept)

    def close(self) -> None:
        self.engine.close()


class KeptBodies:
    """Response bodies (a page, its RDF, a picture) kept per store identity, by key.

    A page of a long law is hundreds of kilobytes of HTML that takes longer to lay out
    than its queries take to answer from :class:`CachedEngine`; the body is kept as sent.
    At most :data:`MAX_BYTES` in all, least recently used dropped first; a body over a
    quarter of that is not kept.
    """

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._kept: OrderedDict[tuple[Hashable, Hashable], tuple[bytes, dict[str, str]]] = (
            OrderedDict()
        )
        self._bytes = 0
        self._identity: Hashable = None
        self._lock = threading.Lock()

    def get(self, identity: Hashable, key: Hashable) -> tuple[bytes, dict[str, str]] | None:
        """The body and headers kept for ``key`` of the store ``identity``."""
        with self._lock:
            kept = self._kept.get((identity, key))
            if kept is not None:
                self._kept.move_to_end((identity, key))
            return kept

    def put(self, identity: Hashable, key: Hashable, body: bytes, headers: dict[str, str]) -> None:
        with self._lock:
            if identity != self._identity:  # another store: nothing kept is of it
                self._identity = identity
                self._kept.clear()
                self._bytes = 0
            if len(body) > self.max_bytes // 4 or (identity, key) in self._kept:
                return
            self._kept[(identity, key)] = (body, dict(headers))
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, (dropped, _) = self._kept.popitem(last=False)
                self._bytes -= len(dropped)
