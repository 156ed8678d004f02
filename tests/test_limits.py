"""Query limits that hold: the worker processes of legigraph.query.limits on both embedded engines.

Each hostile query below runs for hours (or until memory runs out) if nothing stops it:
the time bounds asserted here are many times the limit, so they hold on a busy machine,
and a query that ignored its limit would still fail them.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.errors import InputError, InternalError
from legigraph.io import format_size
from legigraph.query import limits, worker
from legigraph.query.engines import OxigraphEngine, RdflibEngine
from legigraph.query.limits import Limits, QueryPool, StoreDir, parse_size
from legigraph.query.saved import QueryError, QueryMemoryLimit, QueryTimeout
from tests.conftest import ROOT

GIB = 2**30
HOSTILE = {
    # an aggregate: no row until the whole three-way join is counted
    "aggregate": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    # ORDER BY over a cross join: every row is buffered before the first is yielded
    "order-by": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
    # a cross join whose filter is never true: no row, ever
    "no-row": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
    "FILTER (STRLEN(STR(?c)) + STRLEN(STR(?f)) < 0) }",
}
HUNGRY = HOSTILE["order-by"]  # here about 15-300 MB/s, by engine
ENGINES = ("rdflib", "oxigraph")


def gone(pid: int) -> bool:
    """True once ``pid`` has exited (a zombie left to a parent that has not reaped it yet
    counts as gone: it holds no memory and runs nothing)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def wait_gone(pids: list[int], within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(gone(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return all(gone(pid) for pid in pids)


@pytest.fixture(scope="module")
def engines(graph: Graph, built: BuildResult) -> Iterator[dict[str, RdflibEngine | OxigraphEngine]]:
    found: dict[str, RdflibEngine | OxigraphEngine] = {
        "rdflib": RdflibEngine(graph),
        "oxigraph": OxigraphEngine.open(built.out_dir / "store"),  # on disk, from legigraph.nt
    }
    yield found
    for engine in found.values():
        engine.close()


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("name", ENGINES)
def test_time_limit_stops_the_query(
    engines: dict[str, RdflibEngine | OxigraphEngine], name: str, kind: str
) -> None:
    engine = engines[name]
    engine.run("ASK {}")  # the worker is up: its start is not part of the time measured
    before = engine.pool().pids
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"time limit of 2 s and was stopped.*--timeout"):
        # memory high enough that the time limit comes first even on a faster machine
        engine.run(HOSTILE[kind], timeout=2, max_memory=4 * GIB)
    assert time.monotonic() - start < 20
    assert wait_gone(before)
    assert engine.run("ASK { ?s ?p ?o }").boolean is True  # a fresh worker answers
    assert engine.pool().pids and not set(engine.pool().pids) & set(before)


@pytest.mark.parametrize("name", ENGINES)
def test_memory_limit_stops_the_query(
    engines: dict[str, RdflibEngine | OxigraphEngine],
    name: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    engine = engines[name]
    engine.run("ASK {}")
    before = engine.pool().pids
    start = time.monotonic()
    with pytest.raises(QueryMemoryLimit, match=r"memory limit of 64 MiB.*--max-memory"):
        engine.run(HUNGRY, timeout=120, max_memory=64 * 2**20)
    assert time.monotonic() - start < 120
    assert wait_gone(before)
    # the engine's own out-of-memory message (Rust's abort) stays in the worker's log
    assert "memory allocation" not in capfd.readouterr().err
    assert engine.run("ASK { ?s ?p ?o }").boolean is True


def test_limits_on_the_command_line(built: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(built.out_dir.parents[1])
    start = time.monotonic()
    code = main(["--root", root, "query", "-e", HOSTILE["aggregate"], "--timeout", "2"])
    err = capsys.readouterr().err
    assert code == 2 and time.monotonic() - start < 20
    assert err.startswith("error: query ran past its time limit of 2 s") and "--timeout" in err
    assert len(err.strip().splitlines()) == 1
    code = main(["--root", root, "query", "--engine", "rdflib", "-e", HUNGRY,
                 "--max-memory", "64M", "--timeout", "120"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "memory limit of 64 MiB" in err and "--max-memory" in err
    with pytest.raises(SystemExit) as usage:
        main(["--root", root, "query", "-e", "ASK {}", "--max-memory", "lots"])
    assert usage.value.code == 2 and "'lots' is not a size" in capsys.readouterr().err


def test_help_documents_the_limits(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("query", "golden"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "--max-memory SIZE" in text and "(default 2GiB)" in text and "default 30 s" in text
    with pytest.raises(SystemExit):
        main(["query", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "worker process that is killed at either limit" in text and "docs/security.md" in text


@pytest.mark.parametrize("name", ENGINES)
def test_row_cap_in_the_worker(
    engines: dict[str, RdflibEngine | OxigraphEngine], name: str
) -> None:
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    result = engines[name].run(cross, max_rows=5)
    assert len(result.rows) == 5 and result.truncated
    result = engines[name].run(cross, max_rows=0)
    assert result.rows == [] and result.truncated
    result = engines[name].run("SELECT ?s WHERE { ?s a ?t } LIMIT 3", max_rows=5)
    assert len(result.rows) == 3 and not result.truncated


@pytest.mark.parametrize("threads", [1, 2], ids=["fork", "fork-server"])
def test_store_workers_start_both_ways(
    built: BuildResult, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    # a process with other threads gets its store workers from the fork server
    monkeypatch.setattr(limits, "_threads", lambda: threads)
    with QueryPool(StoreDir(built.out_dir / "store")) as pool:
        answer = pool.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(str(answer.rows[0]["n"])) == built.triples
        (pid,) = pool.pids
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        assert (parent == os.getpid()) == (threads == 1)
        with pytest.raises(QueryTimeout):
            pool.run(HOSTILE["no-row"], Limits(timeout=1))
        assert wait_gone([pid])
        assert pool.run("ASK { ?s ?p ?o }").boolean is True
        pids = pool.pids
    assert wait_gone(pids)


def test_no_worker_left_behind(graph: Graph) -> None:
    with QueryPool(graph, workers=2) as pool:
        pool.run("ASK {}")
        pids = pool.pids
        assert len(pids) == 2
    assert wait_gone(pids)
    with pytest.raises(InternalError, match="closed"):
        pool.run("ASK {}")
    engine = RdflibEngine(graph)
    engine.run("ASK {}")
    pids = engine.pool().pids
    del engine
    gc.collect()  # a collected engine ends its workers too
    assert wait_gone(pids)


ORPHAN = """
import sys, threading
from rdflib import Graph, Literal, URIRef
from legigraph.query.limits import Limits, QueryPool
graph = Graph()
for i in range(300):
    graph.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(i)))
idle, busy = QueryPool(graph), QueryPool(graph)
idle.run("ASK {}")
busy.run("ASK {}")
print(idle.pids[0], busy.pids[0], flush=True)
busy.run(sys.argv[1], Limits(timeout=2))
"""


def test_workers_stop_when_their_parent_is_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the parent is killed mid-query: the idle worker sees its pipe close, the busy one
    # runs into its CPU limit (the time limit plus a margin). A temporary folder of its own,
    # so that no other process's pool sweeps the logs before this test looks for them
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHAN, HOSTILE["no-row"]],
        stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)},
    )  # fmt: skip
    assert parent.stdout is not None
    pids = [int(p) for p in parent.stdout.readline().split()]
    time.sleep(0.5)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert wait_gone(pids[:1], within=10)
    assert wait_gone(pids, within=60)
    logs = sorted(Path(tempfile.gettempdir()).glob(f"legigraph-worker-{parent.pid}-*.log"))
    assert len(logs) == 2  # left behind by the killed parent, until the next pool starts
    with QueryPool(Graph()) as pool:
        pool.run("ASK {}")
    assert not any(log.exists() for log in logs)


def test_workers_run_queries_side_by_side(graph: Graph) -> None:
    finished: list[str] = []
    with QueryPool(graph, workers=2) as pool:
        pool.run("ASK {}")

        def slow() -> None:
            with pytest.raises(QueryTimeout):
                pool.run(HOSTILE["no-row"], Limits(timeout=5))
            finished.append("slow")

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.2)
        assert pool.run("ASK { ?s ?p ?o }").boolean is True  # not held up by the slow one
        finished.append("quick")
        thread.join()
    assert finished == ["quick", "slow"]


@pytest.mark.parametrize("name", ENGINES)
def test_syntax_errors_come_back_as_query_errors(
    engines: dict[str, RdflibEngine | OxigraphEngine], name: str
) -> None:
    engine = engines[name]
    engine.run("ASK {}")
    before = engine.pool().pids
    with pytest.raises(QueryError, match="does not parse"):
        engine.run("SELECT * WHERE { ?s ?p }")
    assert engine.run("ASK { <urn:absent> ?p ?o }").boolean is False
    assert engine.pool().pids == before  # the same worker goes on


def test_engine_failures_are_internal_errors(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(worker, "evaluate", broken)  # forked workers inherit the patch
    with QueryPool(graph) as pool, pytest.raises(InternalError, match="the engine broke") as err:
        pool.run("ASK {}")
    assert "in the query worker" in str(err.value.__cause__)
    assert "RuntimeError" in str(err.value.__cause__)

    def crash(*_: object) -> None:
        os.abort()

    monkeypatch.setattr(worker, "evaluate", crash)
    with QueryPool(graph) as pool:
        with pytest.raises(InternalError, match=r"worker died \(exit -6\)"):
            pool.run("ASK {}")
        assert len(pool.pids) == 1  # replaced


def test_a_missing_or_broken_store_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="run `legigraph build` first"):
        OxigraphEngine.open(tmp_path / "absent")
    with OxigraphEngine.open(tmp_path) as engine, pytest.raises(InputError, match="cannot open"):
        engine.run("ASK {}")


@pytest.mark.parametrize("engine", ENGINES)
def test_golden_results_through_the_workers(
    built: BuildResult, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    code = main(["--root", str(built.out_dir.parents[1]), "golden", "--engine", engine])
    out = capsys.readouterr().out
    assert code == 0 and "saved queries match their golden results" in out
    matched, _, total = out.split(" saved")[0].partition(" of ")
    assert matched == total and int(total) >= 25


@pytest.mark.parametrize(
    ("text", "size"),
    [("512M", 512 * 2**20), ("2G", 2 * GIB), ("2GiB", 2 * GIB), ("1.5g", 3 * GIB // 2),
     ("1048576", 2**20), ("64 MB", 64 * 2**20)],
)  # fmt: skip
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_bad_sizes_and_limits() -> None:
    for text in ("", "lots", "-1G", "2X", "1e9"):
        with pytest.raises(QueryError, match="is not a size"):
            parse_size(text)
    assert format_size(2 * GIB) == "2 GiB" and format_size(64 * 2**20) == "64 MiB"
    with pytest.raises(QueryError, match="--timeout"):
        Limits(timeout=0)
    with pytest.raises(QueryError, match="--max-memory"):
        Limits(max_memory=1000)
