"""The pages' kept answers (``serve/cache.py``): a store written in place or swapped for a
new one is served as it is now, pages and ``/sparql``, by a real server on loopback;
identical queries at the same time run once; errors are not kept."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from legigraph.io import replace_directory, staging_dir
from legigraph.model.namespaces import BASE
from legigraph.query.saved import Result
from legigraph.serve.cache import CachedEngine, store_identity
from tests.conftest import ROOT
from tests.serving import Server, running

THING = "id/org/cached-thing"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def write_store(path: Path, label: str) -> None:
    """A store at ``path`` (new or existing) whose thing is labelled ``label`` only."""
    store = ox.Store(str(path))
    subject = ox.NamedNode(BASE + THING)
    for quad in list(store.quads_for_pattern(subject, LABEL, None)):
        store.remove(quad)
    store.add(ox.Quad(subject, LABEL, ox.Literal(label, language="ko")))
    store.flush()
    del store


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    write_store(tmp_path / "store", "처음 이름")
    with running(ROOT, "--store", str(tmp_path / "store"), log=tmp_path / "server.log") as srv:
        yield srv, tmp_path / "store"


def shown_until(server: Server, path: str, text: str) -> str:
    """The page at ``path`` once it shows ``text`` (asked again for up to a minute)."""
    deadline = time.monotonic() + 60
    while True:
        page = server.get(path).text
        if text in page or time.monotonic() > deadline:
            return page
        time.sleep(0.3)


def test_a_store_written_in_place_is_served_as_it_is_now(served: tuple[Server, Path]) -> None:
    server, store = served
    assert "처음 이름" in server.get("/" + THING).text
    assert "처음 이름" in server.get("/" + THING).text  # kept: asked twice, the same
    write_store(store, "고친 이름")
    page = shown_until(server, "/" + THING, "고친 이름")
    assert "고친 이름" in page and "처음 이름" not in page
    turtle = server.get("/" + THING, headers={"Accept": "text/turtle"}).text
    assert "고친 이름" in turtle and "처음 이름" not in turtle


def test_a_store_swapped_for_a_rebuilt_one_is_served(served: tuple[Server, Path]) -> None:
    server, store = served
    assert "처음 이름" in server.get("/" + THING).text
    fresh = staging_dir(store)
    write_store(fresh, "새 저장소")
    replace_directory(fresh, store)  # as `legigraph build` and `ingest` put a store in place
    page = shown_until(server, "/" + THING, "새 저장소")
    assert "새 저장소" in page and "처음 이름" not in page


def test_store_identity_changes_with_a_write_not_with_a_reader(tmp_path: Path) -> None:
    write_store(tmp_path / "store", "하나")
    before = store_identity(tmp_path / "store")
    reader = ox.Store.read_only(str(tmp_path / "store"))  # readers write LOG files
    assert len(reader) == 1
    del reader
    assert store_identity(tmp_path / "store") == before
    write_store(tmp_path / "store", "둘")
    assert store_identity(tmp_path / "store") != before
    assert store_identity(tmp_path / "nothing") is None


class CountingEngine:
    """An engine that answers every query with one row after ``delay`` and counts them."""

    name = "counting"

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.calls = 0
        self.lock = threading.Lock()

    def run(self, text: str, *, timeout: float, max_rows: int, max_memory: int = 0) -> Result:
        with self.lock:
            self.calls += 1
        time.sleep(self.delay)
        if "fail" in text:
            raise ValueError(text)
        return Result("SELECT", ["x"], [{}])

    def close(self) -> None:
        pass


def test_identical_queries_at_once_run_once_errors_are_not_kept_a_new_store_drops() -> None:
    engine = CountingEngine(0.3)
    identity = ["a"]
    cached = CachedEngine(engine, lambda: identity[0])
    answers: list[Result] = []
    threads = [threading.Thread(target=lambda: answers.append(
        cached.run("ASK {}", timeout=5, max_rows=10))) for _ in range(8)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert engine.calls == 1 and len(answers) == 8
    assert all(answer is answers[0] for answer in answers)
    for _ in range(2):
        with pytest.raises(ValueError, match="fail"):
            cached.run("fail", timeout=5, max_rows=10)
    assert engine.calls == 3
    assert cached.run("ASK {}", timeout=5, max_rows=1) is not answers[0]  # another row cap
    assert engine.calls == 4
    assert cached.run("ASK {}", timeout=5, max_rows=10) is answers[0] and engine.calls == 4
    identity[0] = "b"  # another store: nothing kept is of it
    assert cached.run("ASK {}", timeout=5, max_rows=10) is not answers[0]
    assert engine.calls == 5


def test_sparql_sees_a_write_too(served: tuple[Server, Path]) -> None:
    """``/sparql`` is not kept, and its workers are replaced with the pages' when the store
    changes (a read-only handle would go on seeing the store as it was opened)."""
    server, store = served
    query = f"SELECT ?l WHERE {{ <{BASE}{THING}> ?p ?l }}"
    accept = {"Accept": "text/csv"}
    assert "처음 이름" in server.get("/sparql", params={"query": query}, headers=accept).text
    write_store(store, "바로 보임")
    deadline = time.monotonic() + 60
    while True:
        answer = server.get("/sparql", params={"query": query}, headers=accept).text
        if "바로 보임" in answer or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert "바로 보임" in answer and "처음 이름" not in answer
