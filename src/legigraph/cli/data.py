"""The commands that make and check the data: build, link, ingest, validate, draft.

Each command imports the module that does its work when it runs, so that
``legigraph --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph

from legigraph.cli.common import emit, layout, mib
from legigraph.cli.effects import cmd_ingest_effects
from legigraph.errors import EXIT_NONCONFORMING, EXIT_OK, InputError
from legigraph.ingest.network import OnError
from legigraph.inputs import MAX_INPUT_BYTES
from legigraph.io import atomic_write
from legigraph.model.text import Lang
from legigraph.progress import progress_bar
from legigraph.register.template import is_template
from legigraph.shacl.engines import ENGINE_OF_RECORD, ShaclEngine


def cmd_build(args: argparse.Namespace) -> int:
    from legigraph.build import build

    result = build(layout(args), validate=not args.no_validate)
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


def ensure_bill_graph(args: argparse.Namespace) -> bool:
    """Build the bill graph first when it is missing; False when that build did not conform."""
    built = layout(args).bill_graph
    if built.is_file():
        return True
    print(f"{built} is missing: building the graph first", file=sys.stderr)
    return cmd_build(argparse.Namespace(**vars(args), no_validate=False)) == EXIT_OK


def cmd_link(args: argparse.Namespace) -> int:
    from legigraph.build import build, fetch_missing_records

    corpus = Path(args.corpus).resolve() if args.corpus else None
    if corpus is not None and not corpus.is_dir():
        raise InputError(corpus, "not a directory", "give a legalize-kr checkout or the unpacked "
                         "statutes-kr.tar.xz (tar -xJf statutes-kr.tar.xz -C DIR)")  # fmt: skip
    if args.online:
        for line in fetch_missing_records(layout(args)):
            print(line)
    result = build(layout(args), corpus=corpus)
    assert result.link is not None
    emit(result.link.render())
    if result.violations:
        print(f"links not written: {result.violations} SHACL violation(s)", file=sys.stderr)
        print(result.report_text, file=sys.stderr)
        return EXIT_NONCONFORMING
    print(f"linked graph written to {result.out_dir} ({result.triples} triples)")
    return EXIT_OK


def cmd_ingest_history(args: argparse.Namespace) -> int:
    from legigraph.history import ingest_history, state_path

    store = Path(args.store) if args.store else layout(args).national_store
    result = ingest_history(Path(args.path), store, quiet=True)
    counts, timings = result.manifest["counts"], result.manifest["timings_s"]
    lines = [f"history: {result.new_versions} new versions of {counts['laws_changed']} laws; "
             f"{counts['laws']} laws, {counts['versions']} versions, "
             f"{counts['provision_versions']} provision versions, {counts['changes']} changes, "
             f"{counts['triples']} triples in {store} (graph {result.manifest['graph']}) in "
             f"{sum(timings.values()):.1f} s"]  # fmt: skip
    lines += [f"  {kind:<13} {n}" for kind, n in counts["changes_by_kind"].items()]
    emit("\n".join([*lines, f"state: {state_path(store.resolve())}"]) + "\n")
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from legigraph.ingest import BILL_GRAPH, NothingIngested, ingest_statutes, manifest_path
    from legigraph.sources.corpus import Limits

    if args.kind == "history":
        return cmd_ingest_history(args)
    if args.kind == "effects":
        return cmd_ingest_effects(args)
    here = layout(args)
    bill: Path | None = None
    if not args.no_bill:
        bill = here.bill_graph
        if not ensure_bill_graph(args):
            return EXIT_NONCONFORMING
    store = Path(args.store) if args.store else here.national_store
    index = (
        Path(args.index)
        if args.index
        else (here.data / "external" / "legalize-kr" / "index_all_laws.csv")
    )
    limits = Limits(mib(args.max_member_mb, "--max-member-mb"),
                    mib(args.max_corpus_mb, "--max-corpus-mb"))  # fmt: skip
    try:
        result = ingest_statutes(
            Path(args.path), store, index, on_error=args.on_error,
            limit_fraction=args.limit_fraction,
            keep_nt=Path(args.keep_nt) if args.keep_nt else None,
            workers=args.workers, bill=bill, limits=limits, quiet=args.quiet,
        )  # fmt: skip
    except NothingIngested as err:
        for line in err.skipped:
            print(f"skipped {line}", file=sys.stderr)
        raise
    counts = result.manifest["counts"]
    for line in result.skipped:
        print(f"skipped {line}", file=sys.stderr)
    print(f"ingested {counts['works']} of {counts['files']} files into {store} "
          f"(graph {result.manifest['graph']}): {counts['provisions']} provisions, "
          f"{counts['triples_written']} triples, {counts['cites_edges']} eli:cites edges; "
          f"{counts['skipped']} skipped, {counts['warnings']} warnings")  # fmt: skip
    for kind, n in counts["warnings_by_kind"].items():  # each with file:line in the manifest
        print(f"  warnings: {n} {kind}")
    if bill is not None:
        print(f"bill graph {bill} loaded as {BILL_GRAPH}")
    print(f"manifest: {manifest_path(store.resolve())}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from legigraph.validate import validate, validate_store

    here = layout(args)
    if args.store and args.no_context:
        raise InputError("(arguments)", "--store and --no-context exclude each other",
                         "--store validates in the context of the store")  # fmt: skip
    if not args.files:
        if not args.store:
            raise InputError(
                "(arguments)",
                "nothing to validate",
                "pass RDF or CSV files, or --store DIR to validate a whole store",
            )
        with progress_bar("validating the store", quiet=args.quiet) as advance:
            result = validate_store(Path(args.store), here, shapes=args.shapes,
                                    shapes_only=args.shapes_only, progress=advance)  # fmt: skip
    else:
        if not args.store and not args.no_context and not ensure_bill_graph(args):
            return EXIT_NONCONFORMING
        templates = [f for f in args.files if is_template(Path(f))]
        if templates:
            if len(templates) < len(args.files) or args.store or args.no_context:
                raise InputError(templates[0], "a CSV of new projects is checked on its own, "
                                 "in the context of the built graph",
                                 "validate it apart from other files, without --store or "
                                 "--no-context")  # fmt: skip
            return validate_new_projects(args, templates)
        with progress_bar("reading and validating", quiet=args.quiet, unit="file") as advance:
            result = validate(
                args.files, here, context=Graph() if args.no_context else None,
                engine=ShaclEngine(args.engine), store=Path(args.store) if args.store else None,
                shapes=args.shapes, shapes_only=args.shapes_only,
                max_input_bytes=int(args.max_input_mb * 2**20), progress=advance,
            )  # fmt: skip
    emit(result.render(args.lang) + "\n")
    if args.report:
        with atomic_write(Path(args.report)) as handle:
            handle.write(result.report.serialize(format="turtle"))
    # warnings and infos are reported; only a violation makes the data not conform
    return EXIT_OK if result.violations == 0 else EXIT_NONCONFORMING


def validate_new_projects(args: argparse.Namespace, files: list[str]) -> int:
    """Check template CSVs of new projects by row and column; 1 when one does not conform."""
    from legigraph.register.check import check_new_projects

    code = EXIT_OK
    for name in files:
        checked = check_new_projects(Path(name), layout(args))
        emit(checked.render() + "\n")
        code = code if checked.conforms else EXIT_NONCONFORMING
    return code


def cmd_draft(args: argparse.Namespace) -> int:
    from legigraph.draft import default_out, run_draft, write_outputs

    here = layout(args)
    if not ensure_bill_graph(args):
        return EXIT_NONCONFORMING
    store = Path(args.store) if args.store else None
    result = run_draft(Path(args.file), here, store)
    out = Path(args.out) if args.out else default_out(here, Path(args.file))
    written = write_outputs(result, out)
    emit("\n".join(result.summary()) + "\n")
    if result.validation is not None and not result.conforms:
        print(result.validation.render(), file=sys.stderr)
    print(f"wrote {out}: {', '.join(p.name for p in written)}")
    return EXIT_OK if result.conforms else EXIT_NONCONFORMING


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add build, link, ingest, validate and draft to the command line."""
    p_build = sub.add_parser("build", help="ontology + data → build/ (graph, store, manifest)")
    p_build.add_argument("--no-validate", action="store_true", help="skip the SHACL check")
    p_build.set_defaults(func=cmd_build)

    p_link = sub.add_parser(
        "link",
        help="link citations to national law records and print the report (rebuilds build/)",
        description="Find the citations in the ordinance texts, resolve each to a 법령ID / "
        "자치법규ID and a provision of the national record, add the links and print what was "
        "found, resolved, ambiguous and unresolved. Offline by default: the records committed "
        "in data/external/.",
    )
    p_link.add_argument(
        "--corpus",
        metavar="PATH",
        help="legalize-kr checkout or unpacked statutes-kr.tar.xz, to check "
        "provisions of laws whose records are not committed",
    )
    p_link.add_argument(
        "--online",
        action="store_true",
        help="first fetch missing records from the law.go.kr Open API "
        "(OC key from $LAWGOKR_OC or ~/.config/legigraph/lawgokr.toml)",
    )
    p_link.set_defaults(func=cmd_link)

    p_ing = sub.add_parser("ingest", help="build the national graph: `ingest statutes PATH`, "
                           "`ingest history PATH` (every dated version), `ingest effects "
                           "PATH` (the 타법개정 clauses as amendments)")  # fmt: skip
    p_ing.add_argument("kind", choices=["statutes", "history", "effects"], help="what to ingest")
    p_ing.add_argument("path", help="legalize-kr checkout, unpacked archive, or statutes-kr."
                       "tar.xz; for history a git clone or a folder of dated versions")  # fmt: skip
    p_ing.add_argument(
        "--store", metavar="DIR", help="store to (re)build (default build/national-store)"
    )
    p_ing.add_argument("--index", metavar="CSV", help="name index (default data/external/"
                       "legalize-kr/index_all_laws.csv)")  # fmt: skip
    p_ing.add_argument(
        "--on-error",
        choices=[e.value for e in OnError],
        default=OnError.SKIP.value,
        help="a broken file: skip it and report it (default), or stop (exit 2)",
    )
    p_ing.add_argument(
        "--limit-fraction",
        type=float,
        default=1.0,
        metavar="F",
        help="ingest only the first F of the files in sorted order",
    )
    p_ing.add_argument("--keep-nt", metavar="FILE", help="also keep the N-Triples written")
    p_ing.add_argument(
        "--workers", type=int, default=0, metavar="N",
        help="parsing processes (default: one per CPU; 1: none)",
    )  # fmt: skip
    p_ing.add_argument(
        "--no-bill", action="store_true",
        help="leave out the bill graph (build/bill/legigraph.nt, built first if missing)",
    )  # fmt: skip
    p_ing.add_argument("--max-member-mb", type=float, default=16, metavar="N",
                       help="largest corpus file or member, unpacked (default 16)")  # fmt: skip
    p_ing.add_argument("--max-corpus-mb", type=float, default=2048, metavar="N",
                       help="largest corpus, unpacked (default 2048)")  # fmt: skip
    p_ing.add_argument("--quiet", "-q", action="store_true", help="no progress bars")
    p_ing.set_defaults(func=cmd_ingest)

    p_val = sub.add_parser(
        "validate",
        help="validate RDF or CSV files in the context of the built graph, or a whole store",
        description="Validate data files (Turtle, JSON-LD, N-Triples, RDF/XML, or a CSV table "
        "shaped like one of data/tables/) against the SHACL profile, in the context of the "
        "built graph or of a store; with --store and no files, validate the whole store. A "
        "CSV of new AI projects (data/templates/new-ai-projects.csv) is checked row by row, "
        "with each problem as file:line:column.",
    )
    p_val.add_argument(
        "files", nargs="*", help="Turtle, JSON-LD, N-Triples, RDF/XML or CSV files"
    )
    p_val.add_argument("--lang", choices=[lang.value for lang in Lang], default="en",
                       help="message language")  # fmt: skip
    p_val.add_argument("--report", metavar="PATH", help="write the full SHACL report (Turtle)")
    p_val.add_argument(
        "--no-context",
        action="store_true",
        help="validate the files alone, without the built graph",
    )
    p_val.add_argument(
        "--store",
        metavar="PATH",
        help="validate in the context of this embedded store (e.g. build/national-store): "
        "only the records the shapes read around the files are fetched, and the results are "
        "those on the nodes the files can affect",
    )
    p_val.add_argument(
        "--engine",
        choices=[e.value for e in ShaclEngine],
        default=ENGINE_OF_RECORD.value,
        help="turbo: pyshacl-turbo, the engine of record (default); pyshacl: pySHACL; "
        "compiler: the shapes compiled to SPARQL on Oxigraph (refuses literals a store "
        "would change). A whole store (--store, no files) is always validated by the compiler",
    )
    p_val.add_argument(
        "--shapes",
        action="append",
        default=[],
        metavar="FILE",
        help="add the shapes of FILE (Turtle …) to the profile; repeat for more files",
    )
    p_val.add_argument(
        "--shapes-only", action="store_true", help="use only the --shapes files, not the profile"
    )
    p_val.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p_val.add_argument(
        "--max-input-mb",
        type=float,
        default=MAX_INPUT_BYTES / 2**20,
        metavar="MB",
        help=f"size limit of each file (default {MAX_INPUT_BYTES // 2**20} MiB)",
    )
    p_val.set_defaults(func=cmd_validate)

    p_draft = sub.add_parser(
        "draft",
        help="apply a draft amending bill: new text, 신구조문대비표, RDF, checks",
        description="Apply the 개정문 of a draft bill (front matter 대상, 시행일 …) to the version "
        "in force, and write the resulting text, the 신구조문대비표 (Markdown, HTML, CSV), the "
        "bill as ELI-DL RDF (validated) and the checks on the new text (citations, what cites "
        "the provisions it renumbers or repeals). An operation that does not fit: exit 2.",
    )
    p_draft.add_argument("file", help="the draft bill (Markdown or text, UTF-8)")
    p_draft.add_argument("--out", metavar="DIR", help="output folder (default build/draft/NAME)")
    p_draft.add_argument("--store", metavar="DIR", help="also read laws and citations from this "
                         "embedded store (e.g. build/national-store)")  # fmt: skip
    p_draft.set_defaults(func=cmd_draft)
