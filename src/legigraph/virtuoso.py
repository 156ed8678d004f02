"""Start and stop a throw-away Virtuoso Open Source server on loopback.

The configuration is the project's own (``deploy/virtuoso/virtuoso.ini``); each server
gets a fresh database folder and free ports. Used by the tests and by
``scripts/virtuoso``; the Debian package ``virtuoso-opensource-7-bin`` provides
``virtuoso-t``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from legigraph.paths import project_root

BINARY = "virtuoso-t"
USER, PASSWORD = "dba", "dba"  # the fresh database's defaults; loopback only


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class VirtuosoServer:
    """One running server: its folder, ports and process id."""

    workdir: Path
    port: int
    http_port: int
    pid: int

    @property
    def sparql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def graph_store_url(self) -> str:
        """Graph Store Protocol endpoint that accepts writes (digest auth as dba)."""
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the server and wait for it to exit."""
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)
        os.kill(self.pid, signal.SIGKILL)


def start(workdir: Path, *, timeout: float = 90.0) -> VirtuosoServer:
    """Start a server with a fresh database in ``workdir``; wait until SPARQL answers."""
    binary = shutil.which(BINARY)
    if binary is None:
        raise FileNotFoundError(
            f"{BINARY} not found: install the Debian package virtuoso-opensource-7-bin "
            "(scripts/setup --with-virtuoso does)"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    port, http_port = free_port(), free_port()
    template = (project_root() / "deploy" / "virtuoso" / "virtuoso.ini").read_text(encoding="utf-8")
    config = workdir / "virtuoso.ini"
    config.write_text(
        template.replace("{dir}", str(workdir.resolve()))
        .replace("{http_port}", str(http_port))
        .replace("{port}", str(port)),
        encoding="utf-8",
    )
    log = (workdir / "server.out").open("wb")
    process = subprocess.Popen(
        [binary, "+configfile", str(config), "+foreground"],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = VirtuosoServer(workdir, port, http_port, process.pid)
    deadline = time.monotonic() + timeout
    probe = f"{server.sparql_url}?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"virtuoso-t exited with {process.returncode}; see {workdir}/server.out"
            )
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    (workdir / "server.json").write_text(
                        json.dumps(server.__dict__, default=str), encoding="utf-8"
                    )
                    return server
        except OSError:
            time.sleep(0.5)
    server.stop()
    raise TimeoutError(f"virtuoso-t did not answer within {timeout:g} s; see {workdir}/server.out")


def main(argv: list[str] | None = None) -> int:
    """``python -m legigraph.virtuoso start|stop DIR``."""
    parser = argparse.ArgumentParser(prog="legigraph.virtuoso", description=__doc__)
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("workdir", type=Path)
    args = parser.parse_args(argv)
    if args.action == "start":
        server = start(args.workdir)
        print(f"SPARQL endpoint:    {server.sparql_url}")
        print(f"Graph Store (auth): {server.graph_store_url}  (user {USER}, password {PASSWORD})")
        print(f"pid {server.pid}; stop with: python -m legigraph.virtuoso stop {args.workdir}")
        return 0
    state = json.loads((args.workdir / "server.json").read_text(encoding="utf-8"))
    state["workdir"] = Path(state["workdir"])
    VirtuosoServer(**state).stop()
    print("stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
