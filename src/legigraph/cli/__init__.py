"""The ``legigraph`` command line: a thin layer over the Python API.

One module per group of commands (``data``: build, link, ingest, validate, draft;
``register``: add, export; ``queries``: queries, query, golden, push; ``serve``; ``dump``),
each adding its subcommands with ``register``. Exit codes: 0 ok, 1 data does not conform,
2 usage or input error, 3 internal error (legigraph.errors maps each error to its code).
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Sequence

from legigraph.cli import data, dump, queries, register, serve
from legigraph.errors import EXIT_INPUT, EXIT_INTERNAL, LegigraphError

GROUPS = (data, register, queries, serve, dump)  # in the order `legigraph --help` lists them


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    top = argparse.ArgumentParser(
        prog="legigraph",
        description="Build, validate and query legigraph, a knowledge graph of Korean legislation.",
        epilog="Exit codes: 0 ok, 1 data does not conform, 2 usage or input error, "
        "3 internal error.",
    )
    top.add_argument("--root", help="project checkout to work in (default: current one)")
    top.add_argument(
        "--debug", action="store_true", help="show tracebacks and library warnings"
    )
    sub = top.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 1 does not conform, 2 input, 3 internal)."""
    args = parser().parse_args(argv)
    if not args.debug:
        # rdflib logs a traceback for every ill-typed literal it meets; legigraph reports
        # such literals itself, with file and line
        logging.getLogger("rdflib").setLevel(logging.CRITICAL)
        warnings.filterwarnings("ignore", module="rdflib")
    try:
        code: int = args.func(args)
    except FileNotFoundError as err:
        if args.debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except LegigraphError as err:  # each kind with its exit code (legigraph.errors)
        if args.debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except Exception as err:  # a bug: one line, the traceback only with --debug
        if args.debug:
            raise
        print(f"internal error: {type(err).__name__}: {err} (run with --debug for the "
              "traceback, and please report it)", file=sys.stderr)  # fmt: skip
        return EXIT_INTERNAL
    return code
