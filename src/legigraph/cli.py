"""The ``legigraph`` command line: a thin layer over the Python API.

Exit codes: 0 ok, 1 data does not conform, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from legigraph.io import InputError, atomic_write
from legigraph.paths import Layout

EXIT_OK, EXIT_NONCONFORMING, EXIT_INPUT = 0, 1, 2


def _layout(args: argparse.Namespace) -> Layout:
    return Layout(Path(args.root).resolve()) if args.root else Layout.default()


def cmd_build(args: argparse.Namespace) -> int:
    from legigraph.build import build

    result = build(_layout(args), validate=not args.no_validate)
    if result.violations:
        print(
            f"build refused: {result.violations} SHACL violation(s); build/ left as it was",
            file=sys.stderr,
        )
        print(result.report_text, file=sys.stderr)
        return EXIT_NONCONFORMING
    classes = result.manifest["classes"]
    print(f"built {result.out_dir}: {result.triples} triples, {len(classes)} classes")
    for name in ("lg:AIProject", "org:OrganizationalUnit", "lg:ProvisionVersion", "lg:Amendment"):
        if name in classes:
            print(f"  {name:<24} {classes[name]}")
    print("validation: " + ("skipped" if args.no_validate else "conforms (0 violations)"))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from legigraph.validate import validate

    result = validate(args.files, _layout(args), context=not args.no_context)
    print(result.render(args.lang))
    if args.report:
        with atomic_write(Path(args.report)) as handle:
            handle.write(result.report.serialize(format="turtle"))
    return EXIT_OK if result.conforms else EXIT_NONCONFORMING


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    top = argparse.ArgumentParser(
        prog="legigraph",
        description="Build, validate and query legigraph, a knowledge graph of Korean legislation.",
        epilog="Exit codes: 0 ok, 1 data does not conform, 2 usage or input error.",
    )
    top.add_argument("--root", help="project checkout to work in (default: current one)")
    sub = top.add_subparsers(dest="command", required=True)

    p_build = sub.add_parser("build", help="ontology + data → build/ (graph, store, manifest)")
    p_build.add_argument("--no-validate", action="store_true", help="skip the SHACL check")
    p_build.set_defaults(func=cmd_build)

    p_val = sub.add_parser("validate", help="validate RDF files in the context of the built graph")
    p_val.add_argument("files", nargs="+", help="Turtle, JSON-LD, N-Triples or RDF/XML files")
    p_val.add_argument("--lang", choices=["en", "ko"], default="en", help="message language")
    p_val.add_argument("--report", metavar="PATH", help="write the full SHACL report (Turtle)")
    p_val.add_argument(
        "--no-context",
        action="store_true",
        help="validate the files alone, without the built graph",
    )
    p_val.set_defaults(func=cmd_validate)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INPUT
    return code
