"""Query limits that hold: each query runs in a worker process that is killed at its limit.

Neither embedded engine can stop a query from the outside: rdflib evaluates in Python
without checkpoints, and pyoxigraph 0.5 takes no timeout or cancellation token, ignores
signals while it evaluates, and its own SERVICE client has no timeout. An aggregate, an
``ORDER BY`` or a join that yields no row for minutes is therefore only stopped by ending
the process that runs it. :class:`QueryPool` keeps one or more pre-started worker
processes holding the graph or store; :meth:`QueryPool.run` sends a query text to an idle
worker and waits at most the time limit for the answer:

- **time**: at the limit the parent kills the worker (SIGKILL) and raises
  :class:`~legigraph.query.saved.QueryTimeout`; a replacement is started at once. The worker also
  sets RLIMIT_CPU a little past the limit, so a worker whose parent died stops by itself.
- **memory**: before each query the worker sets RLIMIT_DATA to its current data size plus
  the memory limit. RLIMIT_DATA counts what a query allocates (heap and private writable
  mappings) but not the store's files mapped or cached by RocksDB, which RLIMIT_AS would.
  An allocation past it makes Python raise MemoryError and Rust abort; either way the
  parent raises :class:`~legigraph.query.saved.QueryMemoryLimit` and replaces the worker.
- **rows**: the worker stops reading solutions after the row cap and flags the result.

The answer comes back over the pipe as plain strings and tuples (see ``Wire``), which
pickle far faster than rdflib terms (``legigraph.query.wire``; the worker itself is
``legigraph.query.worker``), and becomes a :class:`~legigraph.query.saved.Result` in the
parent. What the worker holds:

- :class:`StoreDir`, an on-disk Oxigraph store: opened read-only in the worker (a fresh
  handle, never one inherited from the parent);
- an rdflib ``Graph``/``Dataset`` or an in-memory ``pyoxigraph.Store``: inherited by fork,
  as it is when the worker starts (changes made to it afterwards are not seen).

Workers are forked from the calling process, which costs a few milliseconds. A process
that already runs other threads (RocksDB's, a web server's) is unsafe to fork for an
on-disk store, so :class:`StoreDir` workers then come from multiprocessing's fork server,
a clean single-threaded process started once. Per query the cost is one round trip over a
pipe and the pickling of the result: see ``bench/limits.py``.

POSIX only (fork, setrlimit); the memory limit reads ``/proc`` and so needs Linux.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import multiprocessing.connection
import os
import queue
import re
import signal
import tempfile
import threading
import time
import weakref
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from legigraph.errors import InputError, InternalError
from legigraph.io import format_size
from legigraph.query.saved import (
    Limits,
    QueryError,
    QueryMemoryLimit,
    QueryTimeout,
    Result,
    services,
)
from legigraph.query.wire import Wire, from_wire
from legigraph.query.worker import PARENT_FDS, StoreDir, Target, worker_main

START_TIMEOUT = 120.0  # seconds for a worker to open its store (not part of a query's time)

_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def parse_size(text: str) -> int:
    """Bytes in ``512M``, ``2G``, ``2GiB``, ``1.5g`` or ``1048576`` (binary units)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", text, re.IGNORECASE)
    if not match:
        raise QueryError(f"{text!r} is not a size: write one such as 512M, 2G or 2GiB")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def _hosts(iris: list[str]) -> str:
    from urllib.parse import urlsplit

    return ", ".join(dict.fromkeys(urlsplit(iri).netloc or iri for iri in iris))


# --- the parent side -------------------------------------------------------------------------


class _RemoteTraceback(Exception):
    """The traceback of an error in a worker, chained to the error raised in the parent."""

    def __str__(self) -> str:
        return f"\n\nin the query worker:\n{self.args[0]}"


_LOG_PREFIX = "legigraph-worker-"


def _sweep_logs() -> None:
    """Delete the worker logs of parents that died without cleaning up (e.g. SIGKILL)."""
    for log in Path(tempfile.gettempdir()).glob(f"{_LOG_PREFIX}*-*.log"):
        pid = log.name[len(_LOG_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            log.unlink(missing_ok=True)


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _context(target: Target) -> BaseContext:
    if isinstance(target, StoreDir) and _threads() > 1:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["legigraph.query.worker"])
        return ctx
    # an in-memory graph or store can only reach the worker by fork
    return mp.get_context("fork")


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, target: Target, name: str) -> None:
        self.name = name
        ctx = _context(target)
        self.conn, child = ctx.Pipe()
        _sweep_logs()
        fd, self.log = tempfile.mkstemp(prefix=f"{_LOG_PREFIX}{os.getpid()}-", suffix=".log")
        os.close(fd)
        self.fd = self.conn.fileno()
        PARENT_FDS.add(self.fd)
        self.process: Any = ctx.Process(  # type: ignore[attr-defined]
            target=worker_main, args=(target, child, self.log), name="legigraph-query",
            daemon=True,
        )  # fmt: skip
        self.process.start()
        child.close()
        self.pid: int = self.process.pid
        self.ready = False

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.conn.poll(START_TIMEOUT):
            self.kill()
            raise InternalError(
                f"{self.name}: the query worker did not start in {START_TIMEOUT:g} s"
            )
        try:
            reply = self.conn.recv()
        except EOFError:
            raise self._died("", Limits()) from None
        if reply[0] == "failed":
            self.kill()
            raise InputError(
                self.name,
                f"cannot open the store ({reply[1]}: {' '.join(reply[2].split())})",
                "give a store folder made by `legigraph build` or `legigraph ingest`",
            ) from _RemoteTraceback(reply[3])
        self.ready = True

    def ask(self, text: str, limits: Limits) -> tuple[Any, ...]:
        """Send one query; the worker's reply, or the worker killed and an error raised."""
        self.wait_ready()
        try:
            self.conn.send((text, limits))
            answered = self.conn.poll(limits.timeout)
            reply: tuple[Any, ...] = self.conn.recv() if answered else ()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            raise self._died(text, limits) from None
        except BaseException:
            self.kill()  # e.g. Ctrl-C: the worker is mid-query and must not be used again
            raise
        if not answered:
            self.kill()
            raise QueryTimeout(_timeout_message(text, limits))
        if reply[0] == "memory":
            self.kill()
            raise QueryMemoryLimit(_memory_message(limits))
        return reply

    def _died(self, text: str, limits: Limits) -> Exception:
        """The error for a worker that died during a query, from its exit and its log."""
        self.process.join(5)
        code = self.process.exitcode
        log = self._log_tail()
        self.kill()
        if code == -signal.SIGXCPU:
            return QueryTimeout(_timeout_message(text, limits))
        if code == -signal.SIGABRT and "memory allocation of" in log:  # Rust's out-of-memory
            return QueryMemoryLimit(_memory_message(limits))
        first = next((line for line in log.splitlines() if line.strip()), "")
        return InternalError(
            f"{self.name}: the query worker died (exit {code})"
            + (f": {first[:200]}" if first else "")
        )

    def _log_tail(self) -> str:
        try:
            with open(self.log, "rb") as handle:
                handle.seek(max(0, os.path.getsize(self.log) - 4096))
                return handle.read().decode("utf-8", "replace")
        except OSError:
            return ""

    @property
    def alive(self) -> bool:
        return self.process.exitcode is None

    def kill(self) -> None:
        """Stop the worker now and wait until it is gone."""
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(10)
        self._forget()

    def close(self) -> None:
        """Let an idle worker exit on its own; kill it if it does not."""
        if self.process.exitcode is None:
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.process.join(2)
        self.kill()

    def _forget(self) -> None:
        PARENT_FDS.discard(self.fd)
        with contextlib.suppress(OSError):
            self.conn.close()
        Path(self.log).unlink(missing_ok=True)


def _timeout_message(text: str, limits: Limits) -> str:
    called = services(text)
    why = (
        f"; it calls SERVICE {', '.join(called)}: check that {_hosts(called)} answers"
        if called
        else ""
    )
    return (
        f"query ran past its time limit of {limits.timeout:g} s and was stopped{why}; "
        "raise the limit with --timeout SECONDS"
    )


def _memory_message(limits: Limits) -> str:
    return (
        f"query needed more than its memory limit of {format_size(limits.max_memory)} and was "
        "stopped; raise the limit with --max-memory SIZE (e.g. --max-memory 4G)"
    )


class QueryPool:
    """Pre-started workers that run queries on one graph or store within :class:`Limits`.

    ``run`` is safe to call from several threads: each call takes an idle worker (waiting
    for one when all are busy). A worker killed at a limit is replaced at once, so the
    next query finds one ready. ``close`` (also called when the pool is collected and at
    exit) ends every worker.
    """

    def __init__(self, target: Target, *, workers: int = 1, name: str = "") -> None:
        if isinstance(target, StoreDir) and not target.path.is_dir():
            raise FileNotFoundError(f"{target.path}: no store here; run `legigraph build` first")
        self.target = target
        self.name = name or (str(target.path) if isinstance(target, StoreDir) else "graph")
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, workers)):
            self._idle.put(self._spawn())
        self._finalizer = weakref.finalize(self, QueryPool._close_all, self._all, self._lock)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.target, self.name)
        with self._lock:
            self._all.add(worker)
        return worker

    @property
    def pids(self) -> list[int]:
        """The process ids of the live workers (for tests and monitoring)."""
        with self._lock:
            return sorted(w.pid for w in self._all if w.alive)

    def run(self, text: str, limits: Limits | None = None) -> Result:
        """Run ``text`` within ``limits``; raise QueryTimeout or QueryMemoryLimit past them."""
        if self._closed:
            raise InternalError(f"{self.name}: the query pool is closed")
        limits = limits or Limits()
        worker = self._idle.get()
        start = time.monotonic()
        try:
            reply = worker.ask(text, limits)
        finally:
            if not worker.alive or not worker.ready:
                with self._lock:
                    self._all.discard(worker)
                worker.kill()
                worker = self._spawn()
            self._idle.put(worker)
        return answer_result(reply, text, time.monotonic() - start, self.name)

    def close(self) -> None:
        """End every worker; the pool can no longer run queries."""
        self._closed = True
        self._finalizer()

    @staticmethod
    def _close_all(workers: set[_Worker], lock: threading.Lock) -> None:
        with lock:
            doomed = list(workers)
            workers.clear()
        for worker in doomed:
            worker.close()

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def answer_result(reply: tuple[Any, ...], text: str, elapsed: float, name: str) -> Result:
    """The Result of a worker's reply, or the error it stands for."""
    kind = reply[0]
    if kind == "ok":
        form, variables, rows, value = reply[1]
        cache: dict[Wire, Node] = {}
        if form == "ASK":
            return Result("ASK", boolean=value, elapsed=elapsed)
        if form in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for s, p, o in value:
                graph.add((from_wire(s, cache), from_wire(p, cache), from_wire(o, cache)))
            return Result(form, graph=graph, elapsed=elapsed)
        named = [
            {v: from_wire(c, cache) for v, c in zip(variables, row, strict=True) if c is not None}
            for row in rows
        ]
        return Result("SELECT", variables, named, truncated=value, elapsed=elapsed)
    _, type_name, message, remote = reply
    message = " ".join(message.split())
    cause = _RemoteTraceback(remote)
    if kind == "syntax":
        raise QueryError(f"the query does not parse: {message}") from cause
    if kind == "remote":
        called = services(text)
        raise QueryError(
            f"SERVICE {', '.join(called)}: cannot get an answer from {_hosts(called)} "
            f"({message}); check the URL and that the service is up"
        ) from cause
    if type_name == "QueryError":
        raise QueryError(message) from cause
    raise InternalError(
        f"{name}: the query failed in the engine ({type_name}: {message})"
    ) from cause


def run_limited(target: Target, text: str, limits: Limits | None = None) -> Result:
    """Run one query on ``target`` in a worker of its own, within ``limits``.

    For one-off use; a caller that runs many queries keeps a :class:`QueryPool`.
    """
    with QueryPool(target) as pool:
        return pool.run(text, limits)


# the query limits in one place: the pool and the names its users need with it
__all__ = [
    "Limits",
    "QueryPool",
    "StoreDir",
    "Target",
    "format_size",
    "parse_size",
    "run_limited",
    "services",
]
