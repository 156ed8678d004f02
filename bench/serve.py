"""Load on `legigraph serve`: requests/s and latency of its pages, pictures and a saved query,
beside the Oxigraph SPARQL server and Virtuoso answering the same saved query in the same
run (the baselines: no pages, no time limit, no worker processes).

    .venv/bin/python bench/serve.py [--clients 16] [--seconds 60] [--store DIR] [--no-virtuoso]

Targets, each for ``--seconds`` with ``--clients`` clients at once:

- pages of the bill graph: a provision (``/eli/kr-11/ordin/2229686/art_2``), an amendment
  with its 신구조문대비표, a citation picture (SVG drawn by Graphviz);
- on a national store, a national law's page (table of contents, most-cited provisions)
  and one of its cited provisions: the law with the most cited provisions;
- first visits: up to :data:`FIRST` IRIs minted by legigraph, drawn by hash from the
  store's subjects, each asked once (pages not kept yet: ``serve/cache.py``), for at most
  ``--seconds``;
- pages in turn: :data:`SAMPLE` other such IRIs, each client going through them from its
  own start (each page asked first unkept, then kept);
- the saved query ``cq08-projects-of-office`` at ``/queries/{id}`` (JSON) and its bound
  text at ``/sparql``; then the same text on ``oxigraph serve-read-only`` over the same
  store, and on Virtuoso (``legigraph.stores.virtuoso``, a fresh database on loopback)
  bulk-loaded with the store's graphs, each checked to give the same number of rows.

Loopback only; at most 32 clients and 300 s per target. Each client is a thread with its
own keep-alive connection (httpx), sending one request after another. Reported per target:
requests/s, p50, p95, p99 in milliseconds, errors (non-200 or transport errors); the
server's resident memory (its process tree: uvicorn and the query workers) before the
serve targets, after each and after the last.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from legigraph.ingest import BILL_GRAPH, NATIONAL_GRAPH
from legigraph.model.namespaces import BASE
from legigraph.paths import Layout
from legigraph.query.saved import SPARQL_TOKEN, bind, load_queries
from legigraph.stores import virtuoso
from legigraph.stores.virtuoso import free_port

ROOT = Path(__file__).resolve().parents[1]
PAGE = "/eli/kr-11/ordin/2229686/art_2"
AMENDMENT = "/eli/kr-11/ordin-amend/9173/amendment/2"  # its 신구조문대비표, read from the store
PICTURE = "/pictures/citations/eli/kr/law/014217.svg"
QUERY = "cq08-projects-of-office"
SAMPLE = 200  # IRIs of the pages-in-turn target
FIRST = 3000  # other IRIs, each asked once: pages not kept yet
JSON = {"Accept": "application/sparql-results+json"}  # queries are POSTed as forms (query=…):
# Virtuoso 7 does not answer a direct POST (application/sparql-query)
MOST_CITED_LAW = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX lg: <https://w3id.org/legigraph/ontology#>
SELECT ?law ?provision (COUNT(?citing) AS ?n) WHERE { GRAPH ?g {
  ?law a lg:NationalLaw . ?provision eli:is_part_of ?law . ?citing eli:cites ?provision } }
GROUP BY ?law ?provision ORDER BY DESC(?n) ?provision LIMIT 1"""


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


def load(name: str, requests: list[dict[str, Any]], clients: int, seconds: float,
         *, once: bool = False) -> None:  # fmt: skip
    """``clients`` threads sending ``requests`` in turn (each from its own start).

    With ``once``, each request is sent once (by one client) and the target ends early
    when all are sent.
    """
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    taken = iter(range(len(requests)))

    def client(start: int) -> None:
        turn = start
        with httpx.Client(timeout=30) as http:
            while time.monotonic() < stop:
                if once:
                    with lock:
                        turn = next(taken, -1)
                    if turn < 0:
                        break
                request = requests[turn % len(requests)]
                turn += 1
                begin = time.perf_counter()
                try:
                    ok = http.request(**request).status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = (time.perf_counter() - begin) * 1000
                with lock:
                    if ok:
                        samples.append(took)
                    else:
                        errors[0] += 1

    step = max(1, len(requests) // clients)
    threads = [threading.Thread(target=client, args=(i * step,)) for i in range(clients)]
    begin = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - begin
    q = statistics.quantiles(samples, n=100) if len(samples) > 1 else [0.0] * 99
    print(
        f"{name:<58} {len(samples) / elapsed:8.1f} req/s  p50 {q[49]:7.1f}  p95 {q[94]:7.1f}  "
        f"p99 {q[98]:7.1f} ms  errors {errors[0]}  ({len(samples)} requests)",
        flush=True,
    )


def in_graph(text: str, graph: str) -> str:
    """``text`` with its top-level WHERE group read in ``GRAPH <graph>``.

    The national store holds the bill in a named graph; `/sparql` refuses ``FROM``, so
    the text sent to every endpoint reads the graph this way.
    """
    braces, parens, start = 0, 0, -1
    for match in SPARQL_TOKEN.finditer(text):
        piece = match.group()
        if piece in ("(", ")"):
            parens += 1 if piece == "(" else -1
        elif piece == "{":
            if braces == 0 and parens == 0 and start < 0:
                start = match.end()
            braces += 1
        elif piece == "}":
            braces -= 1
            if braces == 0 and start >= 0:
                end = match.start()
                return f"{text[:start]} GRAPH <{graph}> {{{text[start:end]}}} {text[end:]}"
    raise SystemExit("the saved query has no WHERE group")


def sample_paths(store: ox.Store, count: int) -> list[str]:
    """``count`` page paths of IRIs minted by legigraph, drawn by hash (the same each run)."""
    query = f"""SELECT DISTINCT ?s WHERE {{
      {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }}
      FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{BASE}") && !CONTAINS(STR(?s), "#")) }}"""
    iris = [str(row["s"].value) for row in store.query(query)]  # type: ignore[union-attr]
    iris.sort(key=lambda iri: hashlib.blake2b(iri.encode()).hexdigest())
    return ["/" + iri[len(BASE) :] for iri in iris[:count]]


def national_targets(store: ox.Store) -> list[tuple[str, str]]:
    """The national law with the most-cited provision, and that provision: (what, path)."""
    rows = list(store.query(MOST_CITED_LAW))  # type: ignore[arg-type]
    if not rows:
        return []
    law, provision = (str(rows[0][v].value) for v in ("law", "provision"))
    return [("national law", "/" + law[len(BASE) :]),
            ("national provision", "/" + provision[len(BASE) :])]  # fmt: skip


def virtuoso_baseline(store_dir: Path, store: ox.Store, national: bool, text: str, rows: int,
                      clients: int, seconds: float) -> None:  # fmt: skip
    """The same text on Virtuoso loaded with the store's graphs.

    The bill build's store holds the bill in its default graph: it goes into the bill's
    graph, which the text reads (``GRAPH``).
    """
    with tempfile.TemporaryDirectory(prefix="lg-bench-serve-virtuoso-") as tmp:
        folder = Path(tmp)
        graphs: list[tuple[ox.NamedNode | ox.DefaultGraph, str]] = [
            (g, g.value) for g in store.named_graphs() if isinstance(g, ox.NamedNode)
        ]
        default = "urn:legigraph:bench:default" if national else BILL_GRAPH
        graphs.append((ox.DefaultGraph(), default))
        server = virtuoso.start(folder / "db")
        try:
            began = time.monotonic()
            loaded = 0
            for graph, name in graphs:
                nt = folder / f"graph-{hashlib.blake2b(name.encode()).hexdigest()[:12]}.nt"
                store.dump(nt, ox.RdfFormat.N_TRIPLES, from_graph=graph)
                if nt.stat().st_size:
                    loaded += virtuoso.bulk_load(server, nt, name)
                nt.unlink()
            print(f"virtuoso: {loaded} triples of {store_dir} bulk-loaded in "
                  f"{time.monotonic() - began:.0f} s", flush=True)  # fmt: skip
            answer = httpx.post(server.sparql_url, data={"query": text}, headers=JSON,
                                timeout=60).json()  # fmt: skip
            got = len(answer["results"]["bindings"])
            if got != rows:
                print(f"virtuoso gives {got} rows, serve {rows}: baseline not comparable")
                return
            load("baseline: Virtuoso /sparql, same text", [
                {"method": "POST", "url": server.sparql_url, "data": {"query": text},
                 "headers": JSON}], clients, seconds)  # fmt: skip
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--store", help="store to serve (default: as `legigraph serve`)")
    parser.add_argument("--no-virtuoso", action="store_true", help="leave out Virtuoso")
    args = parser.parse_args()
    clients, seconds = min(max(1, args.clients), 32), min(max(1.0, args.seconds), 300)
    layout = Layout(ROOT)
    store_dir = Path(args.store).resolve() if args.store else (
        layout.national_store if layout.national_store.is_dir() else layout.bill_store)  # fmt: skip
    store = ox.Store.read_only(str(store_dir))
    national = any(g.value == NATIONAL_GRAPH for g in store.named_graphs())
    saved = load_queries(layout.queries)[QUERY]
    text = bind(saved.text, saved.bindings(example=True))
    if national:  # a bill query reads the bill graph there
        text = in_graph(text, BILL_GRAPH)
    example = {p.name: p.example or p.default or "" for p in saved.params}
    pages = [("page", PAGE), ("amendment page", AMENDMENT), ("picture", PICTURE)]
    if national:
        pages += national_targets(store)
    drawn = sample_paths(store, SAMPLE + FIRST)
    sample, first = drawn[:SAMPLE], drawn[SAMPLE:]

    port = free_port()
    command = [sys.executable, "-m", "legigraph", "--root", str(ROOT), "serve", "--port",
               str(port), "--store", str(store_dir)]  # fmt: skip
    serve = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    procs = [serve]
    try:
        wait(base + "/sparql", serve)
        what = "national store" if national else "store"
        print(f"{what} {store_dir} ({len(store)} quads); {clients} clients, {seconds:g} s per "
              "target", flush=True)  # fmt: skip
        memory = [rss_mib(serve.pid)]
        for name, path in pages:
            load(f"serve {name} {path}", [{"method": "GET", "url": base + path}], clients, seconds)
            memory.append(rss_mib(serve.pid))
        visits = [{"method": "GET", "url": base + path} for path in first]
        load(f"serve pages, {len(first)} other IRIs once each (first visits)", visits, clients,
             seconds, once=True)  # fmt: skip
        memory.append(rss_mib(serve.pid))
        turns = [{"method": "GET", "url": base + path} for path in sample]
        load(f"serve pages, {len(sample)} IRIs in turn", turns, clients, seconds)
        memory.append(rss_mib(serve.pid))
        accept = JSON
        load(f"serve saved query {QUERY} (JSON)", [
            {"method": "GET", "url": f"{base}/queries/{QUERY}", "params": example,
             "headers": accept}], clients, seconds)  # fmt: skip
        sparql = {"method": "POST", "url": base + "/sparql", "data": {"query": text},
                  "headers": JSON}  # fmt: skip
        load("serve /sparql, the same text", [sparql], clients, seconds)
        memory.append(rss_mib(serve.pid))
        print("serve memory (uvicorn + workers), MiB, before and after each target: "
              + " ".join(f"{m:.0f}" for m in memory), flush=True)  # fmt: skip
        rows = len(httpx.request(**sparql, timeout=60).json()["results"]["bindings"])  # type: ignore[arg-type]
        oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
        if oxigraph is None:
            print("baseline skipped: the oxigraph server is not installed (pip install oxigraph)")
        else:
            oport = free_port()
            ox_command = [oxigraph, "serve-read-only", "--location", str(store_dir), "--bind",
                          f"127.0.0.1:{oport}"]  # fmt: skip
            ox_server = subprocess.Popen(ox_command, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)  # fmt: skip
            procs.append(ox_server)
            wait(f"http://127.0.0.1:{oport}/query?query=ASK%7B%7D", ox_server)
            load("baseline: Oxigraph server, same store, same text", [
                {"method": "POST", "url": f"http://127.0.0.1:{oport}/query",
                 "data": {"query": text}, "headers": JSON}], clients, seconds)  # fmt: skip
        if args.no_virtuoso:
            return
        if shutil.which(virtuoso.BINARY) is None:
            print("Virtuoso skipped: virtuoso-t is not installed (scripts/setup --with-virtuoso)")
            return
        virtuoso_text = text if national else in_graph(text, BILL_GRAPH)
        virtuoso_baseline(store_dir, store, national, virtuoso_text, rows, clients, seconds)
    finally:
        for p in procs:
            p.send_signal(2)
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
