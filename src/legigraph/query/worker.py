"""The query worker process: it opens the graph or store, then answers queries within limits.

The parent side (``QueryPool``) and the reasons for it are in :mod:`legigraph.query.limits`.
"""

from __future__ import annotations

import contextlib
import faulthandler
import math
import multiprocessing as mp
import multiprocessing.connection
import os
import resource
import signal
import socket
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import Graph

from legigraph.query.saved import Limits, services
from legigraph.query.wire import evaluate

CPU_MARGIN = 5  # seconds of CPU past the time limit before a parentless worker stops itself
REMOTE_MARGIN = 0.5  # seconds: a SERVICE call gives up this long before the time limit


@dataclass(frozen=True)
class StoreDir:
    """An on-disk Oxigraph store, opened read-only by each worker."""

    path: Path


Target = StoreDir | Graph | Any  # Any: an in-memory pyoxigraph.Store


# Parent-side pipe ends of every live worker: a forked worker closes its copies, so that a
# worker notices (EOF) when its parent is gone even if a sibling was forked after it.
PARENT_FDS: set[int] = set()


def _status(field: str) -> int:
    """A ``kB`` field of /proc/self/status in bytes (0 where there is no /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _set_limits(limits: Limits) -> None:
    """Hold this worker to ``limits`` for one query."""
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    data = _status("VmData")
    if data:
        soft = data + limits.max_memory
        resource.setrlimit(resource.RLIMIT_DATA, (soft if hard < 0 else min(soft, hard), hard))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(usage.ru_utime + usage.ru_stime + limits.timeout) + CPU_MARGIN
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard < 0 else min(cpu, hard), hard))
    # rdflib's SERVICE client has no timeout of its own (urlopen without one)
    socket.setdefaulttimeout(max(0.1, limits.timeout - REMOTE_MARGIN))


def _lift_limits() -> None:
    for which in (resource.RLIMIT_DATA, resource.RLIMIT_CPU):
        _, hard = resource.getrlimit(which)
        resource.setrlimit(which, (hard, hard))


def _open(target: Target) -> Any:
    if isinstance(target, StoreDir):
        return ox.Store.read_only(str(target.path))
    return target


def worker_main(target: Target, conn: mp.connection.Connection, log: str) -> None:
    """The worker's loop: open the target, then answer ``(text, Limits)`` until told to stop."""
    for fd in PARENT_FDS:  # inherited by fork: see PARENT_FDS
        with contextlib.suppress(OSError):
            os.close(fd)
    # a Rust abort or panic message goes to the worker's log, which the parent reads
    out = os.open(log, os.O_WRONLY | os.O_APPEND)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    if faulthandler.is_enabled():  # inherited pointing at the parent's stderr: the log instead
        faulthandler.enable(file=2)  # the fd: sys.stderr may be a capture without one
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        handle = _open(target)
    except Exception as err:
        conn.send(("failed", type(err).__name__, str(err), traceback.format_exc()))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if task is None:
            return
        text, limits = task
        os.ftruncate(2, 0)  # the log holds what this query printed, and no more
        try:
            _set_limits(limits)
            conn.send(("ok", evaluate(handle, text, limits.max_rows)))
        except MemoryError:
            _lift_limits()
            conn.send(("memory",))
            return  # half-built structures may stay behind: the parent starts a fresh worker
        except Exception as err:
            _lift_limits()
            remote = isinstance(err, OSError) and bool(services(text))
            kind = "syntax" if _is_syntax_error(err) else "remote" if remote else "error"
            reason = getattr(err, "reason", None) or err  # urllib's URLError wraps the cause
            conn.send((kind, type(err).__name__, str(reason), traceback.format_exc()))
        finally:
            _lift_limits()


def _is_syntax_error(err: Exception) -> bool:
    return isinstance(err, SyntaxError | ParseException)
