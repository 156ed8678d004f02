"""Benchmark the national ingest: scaling curve, rdflib baseline, saved-query latency.

Usage: python bench/ingest.py [--source PATH] [--fractions 0.1,0.25,0.5,1] [--full-runs 3]
       [--baseline 0.1,0.25] [--reps 20] [--out bench/results/ingest.json]

Every ingest runs in a child process (wall time from the parent, peak RSS from the
child's resource.getrusage(RUSAGE_SELF) at its end). The baseline is the
same pipeline loading the same N-Triples into an in-memory rdflib.Graph (in a child too);
the query latencies compare the embedded store and rdflib at the largest baseline size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
NATIONAL = ["national-most-cited-provisions", "national-cited-by", "national-laws-by-ministry"]

CHILD = r"""
import json, sys, time
from pathlib import Path
from rdflib import Dataset, URIRef
from legigraph.ingest import ingest_statutes, NATIONAL_GRAPH
from legigraph.query import OxigraphEngine, RdflibEngine, load_queries, run_saved
source, store, backend = sys.argv[1], sys.argv[2], sys.argv[4]
frac, reps = float(sys.argv[3]), int(sys.argv[5])
root = Path(sys.argv[6])
t = time.perf_counter()
index = root / "data/external/legalize-kr/index_all_laws.csv"
res = ingest_statutes(Path(source), Path(store), index, limit_fraction=frac, backend=backend,
                      quiet=True)
out = {"wall_in_process": time.perf_counter() - t, "manifest": res.manifest,
       "latency": {}}
if reps:
    if backend == "rdflib":
        ds = Dataset()
        g = ds.graph(URIRef(NATIONAL_GRAPH))
        for triple in res.graph:
            g.add(triple)
        del res
        engine = RdflibEngine(ds)
    else:
        engine = OxigraphEngine.open(Path(store))
    for q in load_queries(root / "queries").values():
        if q.target != "national":
            continue
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            run_saved(engine, q, timeout=600, max_rows=10**6)
            times.append(time.perf_counter() - t)
        out["latency"][q.id] = times
import resource
out["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
"""


def run_child(source: str, store: Path, frac: float, backend: str, reps: int) -> dict:
    t = time.perf_counter()
    proc = subprocess.run(
        [PY, "-c", CHILD, source, str(store), str(frac), backend, str(reps), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:], "wall_s": wall}
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall_s"] = wall
    data["peak_rss_mib"] = round(data["peak_rss_kib"] / 1024, 1)  # the child's own getrusage
    return data


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default="/work/shared/national-law/statutes-kr.tar.xz")
    ap.add_argument("--fractions", default="0.1,0.25,0.5,1")
    ap.add_argument("--full-runs", type=int, default=3)
    ap.add_argument("--baseline", default="0.1,0.25")
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument(
        "--latency-at",
        type=float,
        default=0.25,
        help="fraction at which both backends' query latencies are measured",
    )
    ap.add_argument("--out", default=str(ROOT / "bench/results/ingest.json"))
    args = ap.parse_args()
    fracs = [float(f) for f in args.fractions.split(",")]
    base = [float(f) for f in args.baseline.split(",") if f]
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results: dict = {"command": " ".join(sys.argv), "date": date, "source": args.source,
                     "oxigraph": {}, "rdflib": {}}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="lg-bench-") as tmp:
        store = Path(tmp) / "store"
        for frac in fracs:
            runs = args.full_runs if frac == 1 else 1
            # latencies on the oxigraph store at the largest baseline size (and at 100 %)
            reps = args.reps if frac in (args.latency_at, 1) else 0
            done = [run_child(args.source, store, frac, "oxigraph", reps if i == 0 else 0)
                    for i in range(runs)]  # fmt: skip
            results["oxigraph"][str(frac)] = done
            walls = [d["wall_s"] for d in done]
            print(f"oxigraph {frac:>5}: wall {statistics.median(walls):.1f} s "
                  f"(runs {[round(w, 1) for w in walls]}), peak {done[0].get('peak_rss_mib')} MiB",
                  file=sys.stderr, flush=True)  # fmt: skip
        for frac in base:
            reps = args.reps if frac == args.latency_at else 0
            d = run_child(args.source, store, frac, "rdflib", reps)
            results["rdflib"][str(frac)] = [d]
            print(f"rdflib   {frac:>5}: wall {d['wall_s']:.1f} s, peak {d.get('peak_rss_mib')} MiB",
                  file=sys.stderr, flush=True)  # fmt: skip
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    for backend in ("oxigraph", "rdflib"):
        for frac, runs in results[backend].items():
            for qid, times in runs[0].get("latency", {}).items():
                print(f"{backend} {frac} {qid}: p50 {pct(times, .5) * 1000:.1f} ms "
                      f"p95 {pct(times, .95) * 1000:.1f} ms", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
