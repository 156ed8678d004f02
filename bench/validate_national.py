"""Validate a whole national store against the profile, with the compiled validator.

    python bench/validate_national.py build/national-store [--out PATH] [--show N]

The store of ``legigraph ingest statutes`` holds the national graph and the bill-1544 build
(ontology and code lists included); both are validated together, as one union graph
(``shaclsparql.Dataset(..., union=True)``), one query per CPU at a time. Prints the
results by severity, source shape and constraint component with a few focus nodes each,
the wall time and the peak RSS; ``--out`` writes the same as JSON. Exit 0 when there is no
sh:Violation (warnings allowed), 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("store", help="a store written by legigraph ingest statutes")
    parser.add_argument("--out", help="write the summary as JSON here")
    parser.add_argument("--show", type=int, default=5, help="focus nodes shown per group")
    args = parser.parse_args(argv)

    import pyoxigraph as ox
    from rdflib import Graph

    from legigraph.shacl.compiler import Dataset, SparqlShapes, validate_dataset

    clock = time.perf_counter()
    shapes = SparqlShapes.compile(Graph().parse(ROOT / "shapes" / "legigraph.shacl.ttl"))
    compile_s = time.perf_counter() - clock
    clock = time.perf_counter()
    data = Dataset(ox.Store.read_only(args.store), union=True)
    results, _ = validate_dataset(data, shapes, workers=os.cpu_count() or 1)
    validate_s = time.perf_counter() - clock

    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for res in results:
        key = (_short(res.severity), _short(res.shape), _short(res.component))
        groups[key].append(str(res.focus))
    severities: dict[str, int] = defaultdict(int)
    for (severity, _, _), focus in groups.items():
        severities[severity] += len(focus)
    summary: dict[str, Any] = {
        "store": args.store,
        "compile_s": round(compile_s, 1),
        "validate_s": round(validate_s, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "results": len(results),
        "by_severity": dict(sorted(severities.items())),
        "groups": [
            {
                "severity": s,
                "shape": shape,
                "component": c,
                "count": len(f),
                "focus": sorted(f)[: args.show],
            }
            for (s, shape, c), f in sorted(groups.items())
        ],
    }
    print(f"validated {args.store} in {summary['validate_s']} s "
          f"(compile {summary['compile_s']} s), peak {summary['peak_rss_mib']} MiB")  # fmt: skip
    print(f"{len(results)} results: {dict(summary['by_severity']) or 'none'}")
    for group in summary["groups"]:
        print(f"  {group['count']:>8} {group['severity']} {group['shape']} {group['component']}")
        for focus in group["focus"]:
            print(f"           {focus}")
    if args.out:
        Path(args.out).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return 1 if severities.get("Violation") else 0


def _short(node: object) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1] if "#" in text else text


if __name__ == "__main__":
    sys.exit(main())
