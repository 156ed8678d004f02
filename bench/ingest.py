"""Benchmark the national graph: ingest scaling, saved-query latency, against the baselines.

Usage:
    python bench/ingest.py [--source PATH] [--fractions 0.1,0.25,0.5,1] [--runs 3]
        [--baseline 0.1,0.25] [--reps 20] [--latency-at 0.1] [--virtuoso]
        [--out bench/results/ingest.json]
    python bench/ingest.py --smoke      # 1 % of the corpus, everything once: the CI check

Every ingest runs in a child process (wall time from the parent, peak RSS from the child's
own ``getrusage``): ``legigraph.ingest.ingest_statutes`` into the embedded store, and the
baseline, the same pipeline loading the same N-Triples into an in-memory rdflib Dataset.
Medians over ``--runs`` runs (``--baseline-runs`` on rdflib). The saved national queries
(``#+ target: national``, default parameters) are timed ``--reps`` times (``--baseline-reps``
on rdflib) after one warm-up: on the store at ``--latency-at`` and at 100 %, on rdflib at
``--latency-at`` (a query that runs past ``--query-timeout`` or out of memory is reported
as such), and with ``--virtuoso`` on a Virtuoso server on loopback, bulk-loaded with the
same N-Triples, over HTTP.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CORPUS = ROOT.parent / "shared" / "national-law" / "statutes-kr.tar.xz"
FIXTURE = ROOT / "tests" / "fixtures" / "corpus"

CHILD = r"""
import json, os, resource, signal, sys, time
from pathlib import Path
from legigraph.ingest import ingest_statutes
from legigraph.query.engines import OxigraphEngine, RdflibEngine, run_saved
from legigraph.query.saved import QueryMemoryLimit, QueryTimeout, load_queries
source, store, frac, backend, reps, root, index, bill, keep, limit = sys.argv[1:11]
QUERY_TIMEOUT = int(limit)
root = Path(root)
if backend == "rdflib":  # fail with MemoryError rather than take the machine down
    ram = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (int(ram * 0.75), int(ram * 0.75)))
t = time.perf_counter()
res = ingest_statutes(Path(source), Path(store), Path(index), limit_fraction=float(frac),
                      backend=backend, quiet=True, bill=Path(bill) if bill else None,
                      keep_nt=Path(keep) if keep else None)
out = {"wall_in_process": time.perf_counter() - t, "manifest": res.manifest, "latency": {}}
if int(reps):
    engine = RdflibEngine(res.graph) if backend == "rdflib" else OxigraphEngine.open(Path(store))
    def alarm(*_):
        raise TimeoutError
    signal.signal(signal.SIGALRM, alarm)
    for q in load_queries(root / "queries").values():
        if q.target != "national":
            continue
        times = []
        try:
            for _ in range(int(reps) + 1):  # the first is a warm-up
                signal.alarm(QUERY_TIMEOUT)
                t = time.perf_counter()
                result = run_saved(engine, q, timeout=QUERY_TIMEOUT, max_rows=10**6,
                                   max_memory=16 * 2**30)  # the RLIMIT_AS above rules
                times.append(time.perf_counter() - t)
                signal.alarm(0)
            out["latency"][q.id] = times[1:]
            out.setdefault("rows", {})[q.id] = len(result.rows)
        except (TimeoutError, MemoryError, QueryTimeout, QueryMemoryLimit) as err:
            signal.alarm(0)
            out["latency"][q.id] = {"failed": type(err).__name__, "after_s": QUERY_TIMEOUT}
out["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
"""


def run_child(args: argparse.Namespace, store: Path, frac: float, backend: str, reps: int,
              keep: Path | None = None) -> dict[str, Any]:  # fmt: skip
    """One ingest (and its query timings) in a fresh process."""
    shutil.rmtree(store, ignore_errors=True)
    argv = [args.source, str(store), str(frac), backend, str(reps), str(ROOT), args.index,
            args.bill, str(keep or ""), str(args.query_timeout)]  # fmt: skip
    t = time.perf_counter()
    proc = subprocess.run([PY, "-c", CHILD, *argv], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return {"error": proc.stderr[-3000:], "wall_s": wall}
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall_s"] = wall
    data["peak_rss_mib"] = round(data["peak_rss_kib"] / 1024, 1)
    return data


def virtuoso_latency(nt: Path, bill: str, reps: int, limit: int) -> dict[str, Any]:
    """Bulk-load ``nt`` (and the bill graph) into a fresh Virtuoso; time the queries."""
    from legigraph.ingest import BILL_GRAPH, NATIONAL_GRAPH
    from legigraph.query.engines import run_saved
    from legigraph.query.saved import QueryError, load_queries
    from legigraph.stores import virtuoso
    from legigraph.stores.remote import EndpointEngine

    out: dict[str, Any] = {"latency": {}}
    with tempfile.TemporaryDirectory(prefix="lg-bench-virtuoso-") as tmp:
        server = virtuoso.start(Path(tmp) / "db")
        try:
            t = time.perf_counter()
            out["triples"] = virtuoso.bulk_load(server, nt, NATIONAL_GRAPH)
            if bill:
                virtuoso.bulk_load(server, Path(bill), BILL_GRAPH)
            out["load_s"] = time.perf_counter() - t
            engine = EndpointEngine(server.sparql_url)
            for q in load_queries(ROOT / "queries").values():
                if q.target != "national":
                    continue
                try:
                    times = []
                    for _ in range(reps + 1):
                        t = time.perf_counter()
                        result = run_saved(engine, q, timeout=limit, max_rows=10**6)
                        times.append(time.perf_counter() - t)
                    out["latency"][q.id] = times[1:]
                    out.setdefault("rows", {})[q.id] = len(result.rows)
                except QueryError as err:
                    out["latency"][q.id] = {"failed": str(err)[:300]}
        finally:
            server.stop()
    return out


def pct(values: list[float], p: float) -> float:
    """The p-quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def _ms(times: Any) -> str:
    if isinstance(times, dict):
        return f"did not finish ({times.get('failed')})"
    return f"{pct(times, 0.5) * 1000:.1f} / {pct(times, 0.95) * 1000:.1f} ms"


def summary(results: dict[str, Any]) -> list[str]:
    """Readable lines: ingest medians per size and backend, then query latencies."""
    lines = []
    for backend in ("oxigraph", "rdflib"):
        for frac, runs in results[backend].items():
            ok = [r for r in runs if "error" not in r]
            if not ok:
                lines.append(f"{backend} {frac}: FAILED")
                continue
            walls = [r["wall_s"] for r in ok]
            rss = max(r["peak_rss_mib"] for r in ok)
            triples = ok[0]["manifest"]["counts"]["triples_written"]
            phases = {k: round(statistics.median(r["manifest"]["timings_s"][k] for r in ok), 1)
                      for k in ok[0]["manifest"]["timings_s"]}  # fmt: skip
            lines.append(f"{backend} {frac}: wall median {statistics.median(walls):.1f} s "
                         f"(runs {[round(w, 1) for w in walls]}), peak {rss:.0f} MiB, "
                         f"{triples} triples, phases {phases}")  # fmt: skip
    for name, where in (("store", results["oxigraph"]), ("rdflib", results["rdflib"])):
        for frac, runs in where.items():
            for qid, times in runs[0].get("latency", {}).items():
                lines.append(f"{name} {frac} {qid}: p50/p95 {_ms(times)}")
    for qid, times in results.get("virtuoso", {}).get("latency", {}).items():
        lines.append(f"virtuoso {results['latency_at']} {qid}: p50/p95 {_ms(times)}")
    lines.extend(row_mismatches(results))
    return lines


def row_mismatches(results: dict[str, Any]) -> list[str]:
    """Queries whose row counts differ between engines at the latency size."""
    at = str(results["latency_at"])
    counts = {
        "store": results["oxigraph"].get(at, [{}])[0].get("rows", {}),
        "rdflib": results["rdflib"].get(at, [{}])[0].get("rows", {}),
        "virtuoso": results.get("virtuoso", {}).get("rows", {}),
    }
    out = []
    for qid, n in counts["store"].items():
        for other in ("rdflib", "virtuoso"):
            if qid in counts[other] and counts[other][qid] != n:
                out.append(f"ROWS DIFFER {qid}: store {n}, {other} {counts[other][qid]}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", default=str(CORPUS if CORPUS.exists() else FIXTURE))
    ap.add_argument("--index", default=str(ROOT / "data/external/legalize-kr/index_all_laws.csv"))
    ap.add_argument("--fractions", default="0.1,0.25,0.5,1")
    ap.add_argument("--runs", type=int, default=3, help="runs per size (medians)")
    ap.add_argument("--baseline", default="0.1,0.25", help="sizes for the rdflib baseline")
    ap.add_argument("--reps", type=int, default=20, help="timed runs of each query")
    ap.add_argument("--baseline-runs", type=int, default=0, help="rdflib runs (default --runs)")
    ap.add_argument("--baseline-reps", type=int, default=3, help="timed runs on rdflib")
    ap.add_argument("--latency-at", type=float, default=0.1)
    ap.add_argument("--virtuoso", action="store_true", help="also time the queries on Virtuoso")
    ap.add_argument("--query-timeout", type=int, default=120, metavar="S")
    ap.add_argument("--smoke", action="store_true", help="1 %%, one run: checks the harness")
    ap.add_argument("--out", default=str(ROOT / "bench/results/ingest.json"))
    args = ap.parse_args()
    if args.smoke:
        small = 0.01 if args.source.endswith(".tar.xz") else 1.0  # the fixture corpus: all
        args.fractions = args.baseline = str(small)
        args.latency_at, args.runs, args.reps, args.query_timeout = small, 1, 3, 10
        args.baseline_reps = 3
        args.virtuoso = shutil.which("virtuoso-t") is not None
        if args.source == str(FIXTURE):
            args.index = str(FIXTURE / "index_all_laws.csv")
    bill = ROOT / "build" / "bill" / "legigraph.nt"
    if not bill.exists():
        subprocess.run([PY, "-m", "legigraph", "build"], cwd=ROOT, check=True)
    args.bill = str(bill)
    fracs = [float(f) for f in args.fractions.split(",")]
    base = [float(f) for f in args.baseline.split(",") if f]
    results: dict[str, Any] = {
        "command": " ".join([Path(PY).name, *sys.argv]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(), "source": args.source, "latency_at": args.latency_at,
        "oxigraph": {}, "rdflib": {},
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="lg-bench-") as tmp:
        store, nt = Path(tmp) / "store", Path(tmp) / "national.nt"
        for frac in fracs:
            runs = []
            for i in range(args.runs):
                first = i == 0 and frac in (args.latency_at, 1.0)
                keep = nt if i == 0 and frac == args.latency_at and args.virtuoso else None
                runs.append(run_child(args, store, frac, "oxigraph", args.reps if first else 0,
                                      keep))  # fmt: skip
                print(f"store  {frac}: run {i + 1}: {runs[-1]['wall_s']:.1f} s", file=sys.stderr)
            results["oxigraph"][str(frac)] = runs
        for frac in base:
            runs = []
            for i in range(args.baseline_runs or args.runs):
                reps = args.baseline_reps if i == 0 and frac == args.latency_at else 0
                runs.append(run_child(args, store, frac, "rdflib", reps))
                print(f"rdflib {frac}: run {i + 1}: {runs[-1]['wall_s']:.1f} s", file=sys.stderr)
            results["rdflib"][str(frac)] = runs
        if args.virtuoso and nt.exists():
            results["virtuoso"] = virtuoso_latency(nt, args.bill, args.reps, args.query_timeout)
    failed = [f"{b} {f}" for b in ("oxigraph", "rdflib") for f, runs in results[b].items()
              if any("error" in r for r in runs)] + row_mismatches(results)  # fmt: skip
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    print("\n".join(summary(results)))
    print(f"raw results: {args.out}")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
