"""``legigraph dump``: each graph gzipped (N-Triples, Turtle) with SHA-256, VoID and DCAT."""

from __future__ import annotations

import argparse
from pathlib import Path

from legigraph.cli.common import layout
from legigraph.errors import EXIT_OK
from legigraph.io import format_size


def cmd_dump(args: argparse.Namespace) -> int:
    from legigraph.dump import write_dumps

    result = write_dumps(layout(args), store=Path(args.store).resolve() if args.store else None,
                  out_dir=Path(args.out).resolve() if args.out else None)  # fmt: skip
    print(f"dumped {len(result.stats)} graph(s) into {result.out_dir}")
    for name, stats in result.stats.items():
        links = sum(stats.links.values())
        print(f"  {name:<12} {stats.triples} triples, {stats.entities} entities, "
              f"{len(stats.classes)} classes, {stats.properties} properties, "
              f"{links} links out")  # fmt: skip
    for f in result.files:
        print(f"  {f.name:<24} {format_size(f.size):>10}  sha256 {f.sha256}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add dump to the command line."""
    p_dump = sub.add_parser(
        "dump",
        help="write each graph as gzipped N-Triples and Turtle, with SHA-256, VoID and DCAT",
        description="Dump every graph of the national store (else of the bill build's store) "
        "into build/dumps/: NAME.nt.gz, NAME.ttl.gz, SHA256SUMS, void.ttl (VoID: triples, "
        "entities, classes, properties, a linkset per outside target), dcat.ttl (a DCAT "
        "catalogue entry) and manifest.json. Files are moved in only when all are written; "
        "nothing else in the folder is touched. `legigraph serve` offers them under /dumps/.",
    )
    p_dump.add_argument("--store", metavar="DIR", help="store to dump (default: as serve picks)")
    p_dump.add_argument("--out", metavar="DIR", help="folder to write (default build/dumps)")
    p_dump.set_defaults(func=cmd_dump)
