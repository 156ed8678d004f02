"""``legigraph ingest effects PATH``: the corpus's 타법개정 clauses into the store's effects graph.

A kind of ``legigraph ingest`` (``data`` registers the command and its options and hands
``effects`` over here); the work is ``legigraph.effects.ingest_effects``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from legigraph.cli.common import emit, layout, mib
from legigraph.errors import EXIT_OK


def cmd_ingest_effects(args: argparse.Namespace) -> int:
    """Run the effects step and print what it wrote and how much of it the text shows."""
    from legigraph.effects import ingest_effects, manifest_path
    from legigraph.sources.corpus import Limits

    here = layout(args)
    store = Path(args.store) if args.store else here.national_store
    index = (
        Path(args.index)
        if args.index
        else here.data / "external" / "legalize-kr" / "index_all_laws.csv"
    )
    limits = Limits(mib(args.max_member_mb, "--max-member-mb"),
                    mib(args.max_corpus_mb, "--max-corpus-mb"))  # fmt: skip
    result = ingest_effects(Path(args.path), store, index, limit_fraction=args.limit_fraction,
                            workers=args.workers, limits=limits, quiet=args.quiet)  # fmt: skip
    manifest = result.manifest
    counts, agreement = manifest["counts"], manifest["agreement"]
    seconds = sum(manifest["timings_s"].values())
    lines = [f"effects: {counts['clauses_written']} of {counts['clauses_distinct']} distinct "
             f"타법개정 clauses ({counts['clauses_found']} found) → {counts['acts']} amending "
             f"acts, "
             f"{counts['amendments']} amendments, {counts['triples']} triples in {store} "
             f"(graph {manifest['graph']}) in {seconds:.1f} s",
             "visible in the current text (of those checked):"]  # fmt: skip
    for key, row in agreement.items():
        if key.startswith("type/") or key == "all":
            checked = row.get("visible", 0) + row.get("not_visible", 0)
            share = f"{row.get('visible', 0) / checked:.1%}" if checked else "-"
            seen, unchecked = row.get("visible", 0), row.get("unchecked", 0)
            lines.append(f"  {key.removeprefix('type/'):<13} {seen:>7} of {checked:>7} "
                         f"{share:>6}  ({unchecked} not checkable)")  # fmt: skip
    for reason, n in counts["clauses_left_out"].items():
        lines.append(f"left out: {n} {reason}")
    emit("\n".join([*lines, f"manifest: {manifest_path(store.resolve())}"]) + "\n")
    return EXIT_OK
