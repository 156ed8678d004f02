"""Time every saved query on each engine: rdflib in memory, the embedded Oxigraph store,
and (with --virtuoso) a Virtuoso server started on loopback and loaded with `push`.

    python bench/query_latency.py [--runs 5] [--virtuoso] [--out bench/results/query_latency.json]

Prints a table of per-query medians (ms) and writes the raw timings as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Graph

from legigraph.build import build
from legigraph.paths import Layout
from legigraph.query.engines import Engine, OxigraphEngine, RdflibEngine, run_saved
from legigraph.query.saved import load_queries


def time_engine(engine: Engine, runs: int) -> dict[str, list[float]]:
    layout = Layout.default()
    out: dict[str, list[float]] = {}
    for query in load_queries(layout.queries).values():
        run_saved(engine, query)  # warm-up
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            run_saved(engine, query)
            samples.append((time.perf_counter() - start) * 1000)
        out[query.id] = samples
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--virtuoso", action="store_true")
    parser.add_argument("--out", type=Path, default=Path("bench/results/query_latency.json"))
    args = parser.parse_args()
    layout = Layout.default()
    built = build(layout)
    graph = Graph()
    graph.parse(built.out_dir / "legigraph.nt", format="nt")
    timings = {
        "rdflib": time_engine(RdflibEngine(graph), args.runs),
        "oxigraph": time_engine(OxigraphEngine.open(built.out_dir / "store"), args.runs),
    }
    if args.virtuoso:
        from legigraph.stores.remote import EndpointEngine, push
        from legigraph.stores.virtuoso import PASSWORD, USER, start

        server = start(Path(tempfile.mkdtemp(prefix="virtuoso-bench-")))
        try:
            push(built.out_dir / "legigraph.nt", server.graph_store_url, graph_iri="urn:bench",
                 user=USER, password=PASSWORD)  # fmt: skip
            engine = EndpointEngine(server.sparql_url, default_graph="urn:bench")
            timings["virtuoso"] = time_engine(engine, args.runs)
        finally:
            server.stop()
    engines = list(timings)
    print(f"{'query':<30}" + "".join(f"{e:>12}" for e in engines) + "   (median ms)")
    for qid in timings["rdflib"]:
        print(
            f"{qid:<30}" + "".join(f"{statistics.median(timings[e][qid]):>12.2f}" for e in engines)
        )
    for engine_name in engines:
        medians = {q: statistics.median(v) for q, v in timings[engine_name].items()}
        slowest = max(medians, key=medians.__getitem__)
        print(f"slowest on {engine}: {slowest} {medians[slowest]:.2f} ms")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(timings, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
