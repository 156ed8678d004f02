"""Load on `legigraph serve`: requests/s and latency of a page and a saved query, beside
the Oxigraph SPARQL server answering the same saved query over the same store in the same
run (the baseline: no pages, no time limit, no worker processes).

    .venv/bin/python bench/serve.py [--clients 16] [--seconds 60] [--store DIR]

Targets: a provision page, an amendment's page (its 신구조문대비표), a citation picture (SVG
drawn by Graphviz), a saved query, ``/sparql``, then the baseline.
Loopback only; at most 32 clients and 300 s per target. Each client is a thread with its
own keep-alive connection (httpx), sending one request after another. Reported per target:
requests/s, p50, p95, p99 in milliseconds, errors (non-200 or transport errors), and the
server's resident memory (its process tree: uvicorn and the query workers) before and after.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from legigraph.paths import Layout
from legigraph.query.saved import bind, load_queries
from legigraph.stores.virtuoso import free_port

ROOT = Path(__file__).resolve().parents[1]
PAGE = "/eli/kr-11/ordin/2229686/art_2"
AMENDMENT = "/eli/kr-11/ordin-amend/9173/amendment/2"  # its 신구조문대비표, read from the store
PICTURE = "/pictures/citations/eli/kr/law/014217.svg"  # drawn by dot on every request
QUERY = "cq08-projects-of-office"
DIRECT = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}


def wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited {process.returncode}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def rss_mib(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants."""
    pids, total = [pid], 0
    while pids:
        p = pids.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                pids += [int(c) for c in children]
        except (OSError, ValueError):
            continue
    return total / 1024


def load(name: str, request: dict[str, object], clients: int, seconds: float) -> dict[str, float]:
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(timeout=30) as http:
            while time.monotonic() < stop:
                start = time.perf_counter()
                try:
                    response = http.request(**request)  # type: ignore[arg-type]
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = (time.perf_counter() - start) * 1000
                with lock:
                    if ok:
                        samples.append(took)
                    else:
                        errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    begin = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - begin
    q = statistics.quantiles(samples, n=100) if len(samples) > 1 else [0.0] * 99
    row = {"rps": len(samples) / elapsed, "p50": q[49], "p95": q[94], "p99": q[98],
           "errors": errors[0], "n": len(samples)}  # fmt: skip
    print(f"{name:<34} {row['rps']:8.1f} req/s  p50 {row['p50']:7.1f}  p95 {row['p95']:7.1f}  "
          f"p99 {row['p99']:7.1f} ms  errors {errors[0]}  ({len(samples)} requests)", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--store", help="store to serve (default: as `legigraph serve`)")
    args = parser.parse_args()
    clients, seconds = min(max(1, args.clients), 32), min(max(1.0, args.seconds), 300)
    layout = Layout(ROOT)
    store = Path(args.store) if args.store else (
        layout.national_store if layout.national_store.is_dir() else layout.bill_store)  # fmt: skip
    saved = load_queries(layout.queries)[QUERY]
    text = bind(saved.text, saved.bindings(example=True))
    example = {p.name: p.example or p.default or "" for p in saved.params}

    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "legigraph", "--root", str(ROOT), "serve", "--port", str(port),
         "--store", str(store)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    procs = [serve]
    try:
        wait(base + "/sparql", serve)
        print(f"store {store}; {clients} clients, {seconds:g} s per target")
        before = rss_mib(serve.pid)
        load(f"serve page {PAGE}", {"method": "GET", "url": base + PAGE}, clients, seconds)
        load(f"serve page {AMENDMENT}", {"method": "GET", "url": base + AMENDMENT}, clients,
             seconds)  # fmt: skip
        load(f"serve picture {PICTURE}", {"method": "GET", "url": base + PICTURE}, clients,
             seconds)  # fmt: skip
        accept = {"Accept": DIRECT["Accept"]}
        load(f"serve saved query {QUERY}", {"method": "GET", "url": f"{base}/queries/{QUERY}",
                                            "params": example, "headers": accept},
             clients, seconds)  # fmt: skip
        load("serve /sparql (same text)", {
            "method": "POST", "url": base + "/sparql", "content": text.encode(),
            "headers": DIRECT}, clients, seconds)  # fmt: skip
        after = rss_mib(serve.pid)
        print(f"serve memory (uvicorn + workers): {before:.0f} MiB before, {after:.0f} MiB after")
        oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
        if oxigraph is None:
            print("baseline skipped: the oxigraph server is not installed (pip install oxigraph)")
            return
        oport = free_port()
        ox = subprocess.Popen([oxigraph, "serve-read-only", "--location", str(store), "--bind",
                               f"127.0.0.1:{oport}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
        procs.append(ox)
        wait(f"http://127.0.0.1:{oport}/query?query=ASK%7B%7D", ox)
        url = f"http://127.0.0.1:{oport}/query"
        load("baseline: oxigraph server, same text", {
            "method": "POST", "url": url, "content": text.encode(),
            "headers": DIRECT}, clients, seconds)  # fmt: skip
    finally:
        for p in procs:
            p.send_signal(2)
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
