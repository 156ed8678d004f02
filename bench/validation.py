"""Benchmark SHACL validation at national scale: the compiled SPARQL validator against pySHACL.

    python bench/validation.py --fraction 0.01 [--runs 3] [--baseline-runs 3]
        [--pyshacl-max 0.1] [--source PATH] [--index CSV] [--out PATH]

For one fraction of the statute corpus, in one run:

1. ingest it into a fresh store, with the bill-1544 graph minus the benchmark's new data
   (199 triples: bill 1544, its process, amendments, amending act and the provisions they
   touch; ``legigraph.shacl.context.bill_with_amendments``);
2. validate the new data in the context of that store with ``legigraph.shacl.context``
   (compiled; cold = a fresh process that also compiles the shapes and reads the ontology,
   warm = the same validator again);
3. add the new data to the store (now the national graph and the whole bill graph) and
   validate all of it with ``legigraph.shacl.compiler`` (compiled, one query per CPU at a time);
4. baseline: pySHACL on the same whole graph in one call (an rdflib graph of the same
   N-Triples) — the baseline of both 2 and 3;
5. differentials: the full reports of 3 and 4 are equal; the results of 2 are those of 4 on
   the nodes the new data can affect, and every other result of 4 was already a result of
   the store before the new data came (compiled validation of the store of step 1).

Every measurement runs in a child process (wall time from the parent, peak RSS from the
child's ``resource.getrusage``); medians of ``--runs`` (compiled) and ``--baseline-runs``
(pySHACL) runs. pySHACL runs only up to ``--pyshacl-max`` of the corpus (beyond, it needs more
memory and hours: the figures are extrapolated). Results: ``bench/results/validation-F.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
DEFAULT_SOURCE = str(ROOT.parent / "shared" / "national-law" / "statutes-kr.tar.xz")


# --- children: one measurement each --------------------------------------------------------


def _keys_json(report: Any) -> list[list[Any]]:
    from legigraph.shacl.compiler import comparable_keys

    out = []
    for (focus, path, value, shape, component, severity, messages), n in comparable_keys(
        report
    ).items():
        row = [
            focus.n3(), path, value.n3() if value is not None else None, shape.n3(),
            str(component), str(severity), sorted(m.n3() for m in messages), n,
        ]  # fmt: skip
        out.append(row)
    return sorted(out, key=str)


def _finish(out: dict[str, Any], keys_path: str | None, report: Any) -> None:
    import resource

    if keys_path and report is not None:
        Path(keys_path).write_text(json.dumps(_keys_json(report), ensure_ascii=False))
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out))


def child_ingest(source: str, store: str, index: str, fraction: str, nt: str, bill: str) -> None:
    from legigraph.ingest import ingest_statutes

    result = ingest_statutes(Path(source), Path(store), Path(index), limit_fraction=float(fraction),
                             keep_nt=Path(nt), quiet=True, bill=Path(bill))  # fmt: skip
    _finish({"counts": result.manifest["counts"]}, None, None)


def child_full_sparql(store: str, keys: str) -> None:
    import pyoxigraph as ox
    from rdflib import Graph

    from legigraph.shacl.compiler import Dataset, SparqlShapes, summary, validate_dataset

    t = time.perf_counter()
    shapes = SparqlShapes.compile(Graph().parse(ROOT / "shapes" / "legigraph.shacl.ttl"))
    compile_s = time.perf_counter() - t
    t = time.perf_counter()
    results, report = validate_dataset(
        Dataset(ox.Store.read_only(store), union=True), shapes, workers=os.cpu_count() or 1
    )
    out = {"compile_s": compile_s, "validate_s": time.perf_counter() - t,
           "results": len(results), "summary": summary(results)}  # fmt: skip
    _finish(out, keys, report)


def child_add(store: str, nt: str) -> None:
    import pyoxigraph as ox

    from legigraph.ingest import BILL_GRAPH

    target = ox.Store(store)
    target.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(BILL_GRAPH))
    target.flush()
    _finish({}, None, None)


def child_full_pyshacl(keys: str, *nt: str) -> None:
    from rdflib import Graph

    from legigraph.shacl.engines import run_pyshacl
    from legigraph.shacl.prepared import parsed_once

    t = time.perf_counter()
    data = Graph()
    for path in nt:
        data.parse(path, format="nt")
    shapes = Graph().parse(ROOT / "shapes" / "legigraph.shacl.ttl")
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    with parsed_once():
        conforms, report, _ = run_pyshacl(data, shapes)
    out = {"load_s": load_s, "validate_s": time.perf_counter() - t, "triples": len(data),
           "conforms": conforms}  # fmt: skip
    _finish(out, keys, report)


def child_context_sparql(store: str, new: str, keys: str, reps: str) -> None:
    import pyoxigraph as ox
    from rdflib import Graph

    from legigraph.shacl.compiler import Dataset
    from legigraph.shacl.context import ContextValidator, fetch_context
    from legigraph.shacl.shapes import ontology_graph

    t = time.perf_counter()
    data = Dataset(ox.Store.read_only(store), union=True)
    new_graph = Graph().parse(new, format="nt")
    validator = ContextValidator.create(
        Graph().parse(ROOT / "shapes" / "legigraph.shacl.ttl"), ontology_graph(ROOT / "ontology")
    )
    result = validator.validate(new_graph, data)
    cold = time.perf_counter() - t
    warm = []
    for _ in range(int(reps)):
        t = time.perf_counter()
        validator.validate(new_graph, data)
        warm.append(time.perf_counter() - t)
    small, affected = fetch_context(data, new_graph, validator.ontology, validator.plan)
    out = {"cold_s": cold, "warm_s": warm, "results": len(result.results),
           "context_triples": len(small), "affected": sorted(n.n3() for n in affected)}  # fmt: skip
    _finish(out, keys, result.report)


CHILDREN: dict[str, Callable[..., object]] = {
    "ingest": child_ingest,
    "full-sparql": child_full_sparql,
    "full-pyshacl": child_full_pyshacl,
    "add": child_add,
    "context-sparql": child_context_sparql,
}


# --- the parent ------------------------------------------------------------------------------


def run(*args: str) -> dict[str, Any]:
    """Run one child; its JSON output plus the wall time seen from here."""
    t = time.perf_counter()
    proc = subprocess.run([PY, __file__, "child", *args], capture_output=True, text=True,
                          check=False)  # fmt: skip
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{proc.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = wall
    return out


def median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(float(r[key]) for r in runs))


def load_keys(path: Path) -> dict[tuple[Any, ...], int]:
    return {tuple(json.dumps(x) for x in row[:-1]): row[-1] for row in json.loads(path.read_text())}


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def bench(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from rdflib import Graph

    from legigraph.shacl.context import bill_with_amendments

    built = Path(args.bill)
    if not built.is_file():
        raise SystemExit(f"{built} is missing: run `legigraph build` first")
    graph = Graph().parse(built, format="nt")
    new = bill_with_amendments(graph)
    rest = Graph()
    rest += graph
    rest -= new
    new.serialize(work / "new.nt", format="nt", encoding="utf-8")
    rest.serialize(work / "rest.nt", format="nt", encoding="utf-8")
    store, nt = work / "store", work / "national.nt"
    out: dict[str, Any] = {"fraction": args.fraction, "new_triples": len(new)}
    out["ingest"] = run("ingest", args.source, str(store), args.index, str(args.fraction),
                        str(nt), str(work / "rest.nt"))  # fmt: skip
    log(f"ingested {args.fraction}: {out['ingest']['counts']}")

    alone = run("full-sparql", str(store), str(work / "alone.json"))
    log(f"the store before the new data: {alone['results']} results")

    context = run("context-sparql", str(store), str(work / "new.nt"), str(work / "ctx.json"),
                  str(args.runs))  # fmt: skip
    colds = [context] + [
        run("context-sparql", str(store), str(work / "new.nt"), str(work / "ctx.json"), "0")
        for _ in range(args.runs - 1)
    ]
    out["context_sparql"] = colds
    log(f"context, compiled: cold median {median(colds, 'cold_s'):.2f} s in process "
        f"({median(colds, 'wall_s'):.2f} s with interpreter start), warm median "
        f"{statistics.median(context['warm_s']):.3f} s, {context['results']} results, "
        f"{context['context_triples']} triples fetched or local")  # fmt: skip

    run("add", str(store), str(work / "new.nt"))
    sparql = [run("full-sparql", str(store), str(work / "sparql.json")) for _ in range(args.runs)]
    out["full_sparql"] = sparql
    log(f"full, compiled: median {median(sparql, 'wall_s'):.1f} s wall "
        f"({median(sparql, 'validate_s'):.1f} s validating), "
        f"{max(r['peak_rss_mib'] for r in sparql)} MiB, "
        f"{sparql[0]['results']} results")  # fmt: skip

    if args.fraction > args.pyshacl_max:
        out["full_pyshacl"] = "not run: beyond --pyshacl-max"
        return out
    files = [str(nt), str(work / "rest.nt"), str(work / "new.nt")]
    base = [run("full-pyshacl", str(work / "pyshacl.json"), *files)
            for _ in range(args.baseline_runs)]  # fmt: skip
    out["full_pyshacl"] = base
    log(f"full, pyshacl: median {median(base, 'wall_s'):.1f} s wall "
        f"({median(base, 'validate_s'):.1f} s validating), "
        f"{max(r['peak_rss_mib'] for r in base)} MiB")  # fmt: skip

    a, b = load_keys(work / "sparql.json"), load_keys(work / "pyshacl.json")
    before, c = load_keys(work / "alone.json"), load_keys(work / "ctx.json")
    affected = {json.dumps(n) for n in context["affected"]}
    inside = {k: n for k, n in b.items() if k[0] in affected}
    outside = {k for k in b if k[0] not in affected}
    out["differential"] = {
        "full_equal": a == b,
        "full_only_sparql": len(set(a) - set(b)),
        "full_only_pyshacl": len(set(b) - set(a)),
        "results": sum(b.values()),
        "context_equal": set(c) == set(inside),
        "context_outside_already_in_store": outside <= set(before),
        "context_results": len(c),
    }
    log(f"differential: {out['differential']}")
    return out


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child = CHILDREN[sys.argv[2]]
        child(*sys.argv[3:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--fraction", type=float, default=0.01)
    ap.add_argument("--runs", type=int, default=3, help="runs of each compiled measurement")
    ap.add_argument("--baseline-runs", type=int, default=3, help="runs of each pySHACL one")
    ap.add_argument("--pyshacl-max", type=float, default=0.1)
    ap.add_argument("--source", default=DEFAULT_SOURCE)
    ap.add_argument("--index", default=str(ROOT / "data/external/legalize-kr/index_all_laws.csv"))
    ap.add_argument("--bill", default=str(ROOT / "build" / "bill" / "legigraph.nt"),
                    help="the bill graph (legigraph build)")  # fmt: skip
    ap.add_argument("--out")
    ap.add_argument("--work", help="keep the store and reports here (default: a temp dir)")
    args = ap.parse_args()
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    with tempfile.TemporaryDirectory(prefix="lg-val-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        load = os.getloadavg()
        out = {"command": " ".join(sys.argv), "date": date, "cpus": os.cpu_count(),
               "load_before": load, **bench(args, work), "load_after": os.getloadavg()}  # fmt: skip
    path = Path(args.out or ROOT / "bench" / "results" / f"validation-{args.fraction:g}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    log(f"written {path}")
    diff = out.get("differential") or {}
    if diff and not (diff.get("full_equal", True) and diff.get("context_equal", True)):
        log("DIFFERENTIAL FAILED: the compiled validator and pySHACL disagree")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
