"""Every remote call has a connect and a read timeout, and fails in one line naming the host.

The servers are loopback sockets started here: one that accepts connections and never
answers, and a port where nothing listens. The bounds asserted are many times the timeouts
given, so they hold on a busy machine and still catch a call without a timeout.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.sources.lawgokr import ApiError
from legigraph.sources.lawgokr_client import LawGoKrClient


@dataclass
class Silent:
    """A loopback server that accepts every connection and never sends a byte."""

    listener: socket.socket
    accepted: list[socket.socket] = field(default_factory=list)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.listener.getsockname()[1]}"

    def serve(self) -> None:
        while True:
            try:
                self.accepted.append(self.listener.accept()[0])
            except OSError:
                return


@pytest.fixture
def silent() -> Iterator[Silent]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    server = Silent(listener)
    threading.Thread(target=server.serve, daemon=True).start()
    yield server
    listener.close()
    for conn in server.accepted:
        conn.close()


@pytest.fixture
def refused() -> str:
    """host:port where nothing listens (bound, then closed)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"127.0.0.1:{port}"


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def cli(
    built: BuildResult, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, float]:
    start = time.monotonic()
    code = main(["--root", str(built.out_dir.parents[1]), *args])
    elapsed = time.monotonic() - start
    err = capsys.readouterr().err
    return code, err, elapsed


def one_line(err: str) -> bool:
    return len(err.strip().splitlines()) == 1 and "Traceback" not in err


def service(host: str) -> str:
    return f"SELECT * WHERE {{ SERVICE <http://{host}/sparql> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_silent_service_is_stopped_at_the_time_limit(
    built: BuildResult, capsys: pytest.CaptureFixture[str], silent: Silent, engine: str
) -> None:
    code, err, elapsed = cli(built, capsys, "query", "--engine", engine, "--allow-service",
                             "-e", service(silent.host), "--timeout", "2")  # fmt: skip
    assert code == 2 and elapsed < 20 and one_line(err)
    assert silent.host in err and "SERVICE" in err and silent.accepted


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_unreachable_service_is_one_line(
    built: BuildResult, capsys: pytest.CaptureFixture[str], refused: str, engine: str
) -> None:
    code, err, elapsed = cli(built, capsys, "query", "--engine", engine, "--allow-service",
                             "-e", service(refused), "--timeout", "10")  # fmt: skip
    assert code == 2 and elapsed < 20 and one_line(err)
    assert f"SERVICE http://{refused}/sparql: cannot get an answer from {refused}" in err
    assert "check the URL and that the service is up" in err


def test_silent_endpoint_times_out(
    built: BuildResult, capsys: pytest.CaptureFixture[str], silent: Silent
) -> None:
    url = f"http://{silent.host}/sparql"
    code, err, elapsed = cli(built, capsys, "query", "--endpoint", url, "-e", "ASK {}",
                             "--timeout", "1")  # fmt: skip
    assert code == 2 and elapsed < 20 and one_line(err)
    assert f"{url}: no answer within 1 s; check that the endpoint is up" in err


def test_unreachable_endpoint_is_one_line(
    built: BuildResult, capsys: pytest.CaptureFixture[str], refused: str
) -> None:
    url = f"http://{refused}/sparql"
    code, err, elapsed = cli(built, capsys, "query", "--endpoint", url, "-e", "ASK {}")
    assert code == 2 and elapsed < 20 and one_line(err)
    assert f"{url}: cannot reach the endpoint" in err and "check the URL" in err


@pytest.mark.parametrize("auth", [False, True], ids=["anonymous", "with-credentials"])
def test_silent_store_push_times_out(
    built: BuildResult,
    capsys: pytest.CaptureFixture[str],
    silent: Silent,
    monkeypatch: pytest.MonkeyPatch,
    auth: bool,
) -> None:
    monkeypatch.setenv("LEGIGRAPH_TEST_PASSWORD", "secret")
    extra = ["--user", "u", "--password-env", "LEGIGRAPH_TEST_PASSWORD"] if auth else []
    url = f"http://{silent.host}/store"
    code, err, elapsed = cli(built, capsys, "push", "--endpoint", url, "--timeout", "1", *extra)
    assert code == 2 and elapsed < 20 and one_line(err)
    assert silent.host in err and "no answer within 1 s; check that the store is up" in err


def test_unreachable_store_push_is_one_line(
    built: BuildResult, capsys: pytest.CaptureFixture[str], refused: str
) -> None:
    code, err, elapsed = cli(built, capsys, "push", "--endpoint", f"http://{refused}/store")
    assert code == 2 and elapsed < 20 and one_line(err)
    assert refused in err and "cannot reach the store" in err and "check the URL" in err


@pytest.mark.parametrize("command", ["push", "query"])
def test_unset_password_variable_is_refused_before_any_call(
    built: BuildResult,
    capsys: pytest.CaptureFixture[str],
    silent: Silent,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    monkeypatch.delenv("LEGIGRAPH_TEST_UNSET", raising=False)
    args = [command, "--endpoint", f"http://{silent.host}/x", "--user", "u",
            "--password-env", "LEGIGRAPH_TEST_UNSET"]  # fmt: skip
    if command == "query":
        args += ["-e", "ASK {}"]
    code, err, _ = cli(built, capsys, *args)
    assert code == 2 and "the environment variable LEGIGRAPH_TEST_UNSET is not set" in err
    monkeypatch.setenv("LEGIGRAPH_TEST_UNSET", "")
    code, err, _ = cli(built, capsys, *args)
    assert code == 2 and "LEGIGRAPH_TEST_UNSET is empty" in err
    time.sleep(0.2)
    assert silent.accepted == []  # nothing was sent


def test_silent_law_go_kr_gives_up(silent: Silent, tmp_path: Path) -> None:
    client = LawGoKrClient(
        "test-oc", base_url=f"http://{silent.host}/DRF", cache_dir=tmp_path / "raw",
        timeout=0.5, tries=2, backoff=0.0, min_interval=0.0, config=tmp_path / "absent.toml",
    )  # fmt: skip
    start = time.monotonic()
    with pytest.raises(ApiError) as caught:
        client.law(mst=238845)
    assert time.monotonic() - start < 20
    message = str(caught.value)
    assert silent.host in message and "no usable answer after 2 tries" in message
    assert "check the network and law.go.kr" in message and "test-oc" not in message
    assert len(silent.accepted) == 2
