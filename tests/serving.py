"""A real ``legigraph serve`` on a free loopback port, started and stopped by the tests."""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from legigraph.build import BuildResult
from legigraph.stores.virtuoso import free_port


class Server:
    """A running server: its base URL and its process."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.log = log

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.get(self.url + path, timeout=60, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.post(self.url + path, timeout=60, **kwargs)  # type: ignore[arg-type]


@contextmanager
def running(root: Path, *args: str, log: Path) -> Iterator[Server]:
    """Start ``legigraph --root ROOT serve ARGS`` and wait until it answers."""
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "legigraph", "--root", str(root), "serve", "--port", str(port),
             *args],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited {process.returncode}: {log.read_text()}")
            try:
                httpx.get(url + "/sparql", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not answer: {log.read_text()}") from None
                time.sleep(0.2)
        yield Server(process, url, log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def section(page: str, element_id: str) -> str:
    """The text of the element with ``element_id`` (tags dropped, entities read)."""
    match = re.search(rf'<(\w+) id="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, f"no #{element_id} on the page"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(2))))


def serve_build(
    built: BuildResult, tmp_path_factory: pytest.TempPathFactory, name: str
) -> Iterator[Server]:
    """``legigraph serve`` over the bill build, its log in a temporary folder ``name``."""
    log = tmp_path_factory.mktemp(name) / "server.log"
    with running(built.out_dir.parents[1], log=log) as srv:
        yield srv
