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
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from legigraph.errors import EngineError
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
            raise EngineError(
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


_SAFE = re.compile(r"^[A-Za-z0-9:/._#%~+-]+$")  # what may go between SQL quotes below


def bulk_load(server: VirtuosoServer, ntriples: Path, graph: str, *, timeout: float = 3600) -> int:
    """Load an N-Triples file into ``graph`` with Virtuoso's bulk loader; the triple count.

    The file is linked into the server's folder (its DirsAllowed) and loaded by
    ``ld_dir`` + ``rdf_loader_run`` through ``isql-vt`` (the Graph Store Protocol is much
    slower for millions of triples). Loader errors are raised, naming the file.
    """
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if isql is None:
        raise FileNotFoundError("isql-vt not found: it comes with virtuoso-opensource-7-bin")
    name = f"bulk-{ntriples.stem}.nt"
    folder = str(server.workdir.resolve())
    if not all(_SAFE.match(text) for text in (graph, name, folder)):
        raise ValueError(f"{graph!r}, {name!r} or {folder!r} has characters isql cannot take")
    target = server.workdir / name
    target.unlink(missing_ok=True)
    try:
        os.link(ntriples, target)
    except OSError:
        shutil.copyfile(ntriples, target)
    # our own folder, file and graph names, checked against _SAFE above
    script = (
        f"ld_dir('{folder}', '{name}', '{graph}');\nrdf_loader_run();\ncheckpoint;\n"  # noqa: S608
        f"SELECT 'LOAD-ERROR', ll_error FROM DB.DBA.LOAD_LIST "
        f"WHERE ll_file = '{folder}/{name}' AND ll_error IS NOT NULL;\n"
        f"SPARQL SELECT COUNT(*) FROM <{graph}> WHERE {{ ?s ?p ?o }};\n"
    )
    done = subprocess.run(
        [isql, str(server.port), USER, PASSWORD, "VERBOSE=OFF", "BANNER=OFF"],
        input=script, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    target.unlink(missing_ok=True)
    numbers = re.findall(r"(?:^|SQL> )(\d+)\s*$", done.stdout, re.MULTILINE)  # the count
    if done.returncode != 0 or "LOAD-ERROR" in done.stdout or "Error" in done.stdout or not numbers:
        raise EngineError(f"bulk load of {ntriples} failed:\n{done.stdout[-2000:]}{done.stderr}")
    return int(numbers[-1])


def main(argv: list[str] | None = None) -> int:
    """``python -m legigraph.stores.virtuoso start|stop DIR``."""
    parser = argparse.ArgumentParser(prog="legigraph.stores.virtuoso", description=__doc__)
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("workdir", type=Path)
    args = parser.parse_args(argv)
    if args.action == "start":
        server = start(args.workdir)
        print(f"SPARQL endpoint:    {server.sparql_url}")
        print(f"Graph Store (auth): {server.graph_store_url}  (user {USER}, password {PASSWORD})")
        stop = f"python -m legigraph.stores.virtuoso stop {args.workdir}"
        print(f"pid {server.pid}; stop with: {stop}")
        return 0
    state = json.loads((args.workdir / "server.json").read_text(encoding="utf-8"))
    state["workdir"] = Path(state["workdir"])
    VirtuosoServer(**state).stop()
    print("stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
