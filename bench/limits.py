"""What running every query in a worker process costs (legigraph.query.limits).

    .venv/bin/python bench/limits.py [--runs 200]     # after `legigraph build`

For each embedded engine (rdflib over build/bill/legigraph.nt, Oxigraph on build/bill/store): the
median time of a query evaluated in this process (with the answer made into rdflib terms,
as before the workers) and through a QueryPool worker (the difference is the per-query
overhead: a pipe round trip and the pickling of the answer),
for a one-row ASK, a saved query, and 10,000 rows (the default row cap); then the time to
start a worker (fork, open the store, first answer) and to replace one killed at a limit.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from legigraph.paths import Layout
from legigraph.query.limits import Limits, QueryPool, StoreDir, answer_result
from legigraph.query.saved import QueryTimeout, bind, load_queries
from legigraph.query.wire import evaluate

ROWS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10000"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def median_ms(call: Callable[[], Any], runs: int) -> float:
    call()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    layout = Layout.default()
    built = layout.bill_build
    saved = load_queries(layout.queries)["cq05-projects-per-category"]
    saved_text = bind(saved.text, saved.bindings())
    graph = Graph().parse(built / "legigraph.nt", format="nt")
    targets: dict[str, tuple[Any, Any]] = {
        "rdflib": (graph, graph),
        "oxigraph": (StoreDir(built / "store"), ox.Store.read_only(str(built / "store"))),
    }
    limits = Limits()
    print(f"{'engine':<9} {'query':<10} {'in process':>11} {'worker':>9} {'overhead':>9}  (ms)")
    for name, (target, handle) in targets.items():
        with QueryPool(target) as pool:
            for label, text in (("ASK", "ASK {}"), ("cq05", saved_text), ("10k rows", ROWS)):
                runs = args.runs if label != "10k rows" else max(5, args.runs // 20)

                def inline_run(t: str = text, h: Any = handle, n: str = name) -> object:
                    return answer_result(("ok", evaluate(h, t, limits.max_rows)), t, 0, n)

                def pooled_run(t: str = text, p: QueryPool = pool) -> object:
                    return p.run(t, limits)

                inline = median_ms(inline_run, runs)
                pooled = median_ms(pooled_run, runs)
                print(
                    f"{name:<9} {label:<10} {inline:>11.2f} {pooled:>9.2f} {pooled - inline:>9.2f}"
                )
        start = time.perf_counter()
        with QueryPool(target) as pool:
            pool.run("ASK {}", limits)
            first = (time.perf_counter() - start) * 1000
            with contextlib.suppress(QueryTimeout):
                pool.run(SLOW, Limits(timeout=0.5))
            start = time.perf_counter()
            pool.run("ASK {}", limits)
            again = (time.perf_counter() - start) * 1000
        print(f"{name:<9} worker start to first answer {first:.1f} ms; "
              f"first answer after a kill {again:.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
