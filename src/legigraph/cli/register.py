"""The AI-project register: ``add`` (new projects from the CSV template) and ``export``.

``legigraph validate new-projects.csv`` is :func:`legigraph.cli.data.validate_new_projects`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from legigraph.cli.common import emit, layout
from legigraph.cli.data import cmd_build, ensure_bill_graph
from legigraph.errors import EXIT_NONCONFORMING, EXIT_OK, InputError
from legigraph.io import atomic_write


def cmd_add(args: argparse.Namespace) -> int:
    from legigraph.register.add import add_projects

    path = Path(args.file)
    if not path.is_file():
        raise InputError(path, "file does not exist", "check the path")
    if not ensure_bill_graph(args):
        return EXIT_NONCONFORMING
    added = add_projects(path, layout(args))
    emit(added.checked.render() + "\n")
    if not added.checked.conforms:
        emit("nothing added: fix the problems above and run `legigraph add` again\n")
        return EXIT_NONCONFORMING
    if not added.appended:
        emit("nothing to add\n")
        return EXIT_OK
    tables = ", ".join(f"data/tables/{t} (+{n})" for t, n in added.appended.items())
    emit(f"added project(s) {', '.join(added.serials)} to {tables}\n")
    if args.no_build:
        emit("run `legigraph build` to build them\n")
        return EXIT_OK
    return cmd_build(argparse.Namespace(**vars(args), no_validate=False))


def cmd_export(args: argparse.Namespace) -> int:
    from legigraph.register.export import export_register

    if not ensure_bill_graph(args):
        return EXIT_NONCONFORMING
    text = export_register(args.format, layout(args), lang=args.lang)
    if args.out:
        with atomic_write(Path(args.out)) as handle:
            handle.write(text)
        emit(f"wrote {args.out}\n")
    else:
        emit(text)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add add and export to the command line."""
    p_add = sub.add_parser(
        "add",
        help="add new AI projects from a CSV like data/templates/new-ai-projects.csv",
        description="Check a CSV of new AI projects (data/templates/new-ai-projects.csv, "
        "documented in docs/register.md) in the context of the built graph and, only if it "
        "conforms, append its rows to the curated tables in data/tables/, then build. Rows "
        "already there as written are skipped, so adding a file twice adds nothing.",
    )
    p_add.add_argument("file", help="the CSV of new projects")
    p_add.add_argument("--no-build", action="store_true", help="do not build afterwards")
    p_add.set_defaults(func=cmd_add)
    p_exp = sub.add_parser(
        "export",
        help="export the AI register in the Dutch register's JSON or the ATRS spreadsheet",
        description="Write the AI-project register from the built store in the field layout "
        "of the Dutch algorithm register (JSON) or of the UK ATRS (CSV); fields the graph "
        "does not hold are left empty.",
    )
    p_exp.add_argument("what", choices=["register"], help="what to export")
    p_exp.add_argument("--format", required=True, choices=["dutch-json", "atrs-csv"])
    p_exp.add_argument("--lang", choices=["ko", "en"], default="ko",
                       help="language of the text fields (default ko)")  # fmt: skip
    p_exp.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")
    p_exp.set_defaults(func=cmd_export)
