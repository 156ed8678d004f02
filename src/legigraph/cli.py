"""The ``legigraph`` command line: a thin layer over the Python API.

Exit codes: 0 ok, 1 data does not conform, 2 usage or input error, 3 internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

from rdflib import Graph

from legigraph.errors import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_NONCONFORMING,
    EXIT_OK,
    InputError,
    LegigraphError,
)
from legigraph.inputs import MAX_INPUT_BYTES
from legigraph.io import atomic_write, format_size
from legigraph.paths import Layout
from legigraph.progress import progress_bar
from legigraph.query.engines import Engine, OxigraphEngine, RdflibEngine, run_saved, run_text
from legigraph.query.limits import parse_size
from legigraph.query.results import FORMATS, GRAPH_FORMATS, render
from legigraph.query.saved import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    QueryError,
    SavedQuery,
    find_query,
    load_queries,
    to_term,
)
from legigraph.shacl.engines import ENGINE_OF_RECORD, ShaclEngine


def _emit(text: str) -> None:
    """Write to stdout; a reader that went away (``| head``) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


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


def _mib(value: float, flag: str) -> int:
    if value <= 0:
        raise InputError(flag, f"{value} is not a size in MiB", "give a positive number")
    return int(value * (1 << 20))


def cmd_link(args: argparse.Namespace) -> int:
    from legigraph.build import build

    corpus = Path(args.corpus).resolve() if args.corpus else None
    if corpus is not None and not corpus.is_dir():
        raise InputError(corpus, "not a directory", "give a legalize-kr checkout or the unpacked "
                         "statutes-kr.tar.xz (tar -xJf statutes-kr.tar.xz -C DIR)")  # fmt: skip
    if args.online:
        from legigraph.build import fetch_missing_records

        for line in fetch_missing_records(_layout(args)):
            print(line)
    result = build(_layout(args), corpus=corpus)
    assert result.link is not None
    _emit(result.link.render())
    if result.violations:
        print(f"links not written: {result.violations} SHACL violation(s)", file=sys.stderr)
        print(result.report_text, file=sys.stderr)
        return EXIT_NONCONFORMING
    print(f"linked graph written to {result.out_dir} ({result.triples} triples)")
    return EXIT_OK


def cmd_ingest_history(args: argparse.Namespace) -> int:
    from legigraph.history import ingest_history, state_path

    store = Path(args.store) if args.store else _layout(args).national_store
    result = ingest_history(Path(args.path), store, quiet=True)
    counts, timings = result.manifest["counts"], result.manifest["timings_s"]
    lines = [f"history: {result.new_versions} new versions of {counts['laws_changed']} laws; "
             f"{counts['laws']} laws, {counts['versions']} versions, "
             f"{counts['provision_versions']} provision versions, {counts['changes']} changes, "
             f"{counts['triples']} triples in {store} (graph {result.manifest['graph']}) in "
             f"{sum(timings.values()):.1f} s"]  # fmt: skip
    lines += [f"  {kind:<13} {n}" for kind, n in counts["changes_by_kind"].items()]
    _emit("\n".join([*lines, f"state: {state_path(store.resolve())}"]) + "\n")
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from legigraph.ingest import BILL_GRAPH, NothingIngested, ingest_statutes, manifest_path
    from legigraph.sources.corpus import Limits

    if args.kind == "history":
        return cmd_ingest_history(args)
    layout = _layout(args)
    bill: Path | None = None
    if not args.no_bill:
        bill = layout.bill_graph
        if not bill.is_file():
            print(f"{bill} is missing: building the bill graph first", file=sys.stderr)
            if cmd_build(argparse.Namespace(**vars(args), no_validate=False)) != EXIT_OK:
                return EXIT_NONCONFORMING
    store = Path(args.store) if args.store else layout.national_store
    index = (
        Path(args.index)
        if args.index
        else (layout.data / "external" / "legalize-kr" / "index_all_laws.csv")
    )
    limits = Limits(_mib(args.max_member_mb, "--max-member-mb"),
                    _mib(args.max_corpus_mb, "--max-corpus-mb"))  # fmt: skip
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

    layout = _layout(args)
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
            result = validate_store(Path(args.store), layout, shapes=args.shapes,
                                    shapes_only=args.shapes_only, progress=advance)  # fmt: skip
    else:
        if not args.store and not args.no_context and not layout.bill_graph.is_file():
            print(f"{layout.bill_graph} is missing: building the graph first", file=sys.stderr)
            if cmd_build(argparse.Namespace(**vars(args), no_validate=False)) != EXIT_OK:
                return EXIT_NONCONFORMING
        with progress_bar("reading and validating", quiet=args.quiet, unit="file") as advance:
            result = validate(
                args.files, layout, context=Graph() if args.no_context else None,
                engine=ShaclEngine(args.engine), store=Path(args.store) if args.store else None,
                shapes=args.shapes, shapes_only=args.shapes_only,
                max_input_bytes=int(args.max_input_mb * 2**20), progress=advance,
            )  # fmt: skip
    _emit(result.render(args.lang) + "\n")
    if args.report:
        with atomic_write(Path(args.report)) as handle:
            handle.write(result.report.serialize(format="turtle"))
    # warnings and infos are reported; only a violation makes the data not conform
    return EXIT_OK if result.violations == 0 else EXIT_NONCONFORMING


def cmd_draft(args: argparse.Namespace) -> int:
    from legigraph.draft import default_out, run_draft, write_outputs

    layout = _layout(args)
    if not layout.bill_graph.is_file():
        print(f"{layout.bill_graph} is missing: building the graph first", file=sys.stderr)
        if cmd_build(argparse.Namespace(**vars(args), no_validate=False)) != EXIT_OK:
            return EXIT_NONCONFORMING
    store = Path(args.store) if args.store else None
    result = run_draft(Path(args.file), layout, store)
    out = Path(args.out) if args.out else default_out(layout, Path(args.file))
    written = write_outputs(result, out)
    _emit("\n".join(result.summary()) + "\n")
    if result.validation is not None and not result.conforms:
        print(result.validation.render(), file=sys.stderr)
    print(f"wrote {out}: {', '.join(p.name for p in written)}")
    return EXIT_OK if result.conforms else EXIT_NONCONFORMING


def _queries(args: argparse.Namespace) -> dict[str, SavedQuery]:
    return load_queries(_layout(args).queries)


def cmd_queries(args: argparse.Namespace) -> int:
    queries = _queries(args)
    if args.action == "show":
        if not args.id:
            raise QueryError("usage: legigraph queries show ID")
        q = find_query(queries, args.id)
        print(f"{q.id}\n  ko: {q.title.get('ko', '')}\n  en: {q.title.get('en', '')}")
        if q.description:
            print(f"  {q.description}")
        if q.answers:
            print(f"  answers: {', '.join(q.answers)}")
        for p in q.params:
            print(f"  param {p.name} ({p.type}) default={p.default} example={p.example}")
        print()
        print(q.text.rstrip())
        return EXIT_OK
    if args.action:
        raise QueryError(f"unknown action {args.action!r}; use `legigraph queries show ID`")
    width = max((len(q) for q in queries), default=10)
    for q in queries.values():
        answers = f" [{', '.join(q.answers)}]" if q.answers else ""
        print(f"{q.id:<{width}}  {q.title.get('ko', '')} / {q.title.get('en', '')}{answers}")
    print(f"({len(queries)} saved queries)")
    return EXIT_OK


def _engine(args: argparse.Namespace) -> Engine:
    if args.endpoint:
        from legigraph.stores.remote import EndpointEngine

        default_graph = getattr(args, "default_graph", None)
        if default_graph is not None:
            to_term(default_graph, "iri", "--default-graph")
        return EndpointEngine(
            args.endpoint,
            user=args.user,
            password=_password(args),
            default_graph=default_graph,
        )
    layout = _layout(args)
    if args.engine == "rdflib":
        from rdflib import Graph

        from legigraph.io import parse_rdf

        built = layout.bill_graph
        if not built.exists():
            raise FileNotFoundError(f"{built}: not built yet; run `legigraph build` first")
        return RdflibEngine(parse_rdf(built, Graph()))
    store = getattr(args, "store", None)
    return OxigraphEngine.open(Path(store) if store else layout.bill_store)


def _password(args: argparse.Namespace) -> str | None:
    """The password from ``--password-env VAR``; an unset VAR is an error, before any call."""
    if not args.password_env:
        return None
    password = os.environ.get(args.password_env)
    if not password:
        state = "is empty" if password == "" else "is not set"
        raise InputError(
            f"--password-env {args.password_env}",
            f"the environment variable {args.password_env} {state}, so there is no password "
            "to send",
            f"export {args.password_env}=… first (or leave out --password-env)",
        )
    return password


def _params(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise QueryError(f"--param {pair!r}: write NAME=VALUE")
        out[name] = value
    return out


def _national_store(args: argparse.Namespace, saved: SavedQuery) -> None:
    """A query written for the national graph runs on the national store, or says how."""
    on_store = saved.target in ("national", "history")  # the named graphs of the national store
    if not on_store or args.endpoint or args.store or args.engine != "oxigraph":
        return
    store = _layout(args).national_store
    if not store.is_dir():
        raise InputError(store, f"{saved.id} asks the {saved.target} graph, and there is no "
                         "national store here", f"build it with `legigraph ingest "
                         f"{'statutes' if saved.target == 'national' else 'history'} PATH` "
                         "(see README, 'The national corpus'), or pass --store DIR")  # fmt: skip
    args.store = str(store)


def cmd_query(args: argparse.Namespace) -> int:
    if args.id and not (args.expression or args.file):
        _national_store(args, find_query(_queries(args), args.id))
    with _closing(_engine(args)) as engine:
        return _query(args, engine)


@contextlib.contextmanager
def _closing(engine: Engine) -> Iterator[Engine]:
    """``engine``, its query workers ended when the command is done."""
    try:
        yield engine
    finally:
        engine.close()


def _query(args: argparse.Namespace, engine: Engine) -> int:
    limits = {"timeout": args.timeout, "max_rows": args.max_rows, "max_memory": args.max_memory}
    if args.expression or args.file:
        if args.id or args.param:
            raise QueryError(
                "give a saved query ID, or --file/-e, not both; ad-hoc queries take no --param"
            )
        text = args.expression or _read(args.file)
        result = run_text(
            engine,
            text,
            allow_service=args.allow_service,
            allow_dataset=args.allow_dataset,
            **limits,
        )
    elif args.id:
        saved = find_query(_queries(args), args.id)
        result = run_saved(engine, saved, _params(args.param), **limits)
    else:
        raise QueryError("give a saved query ID, --file Q.rq or -e 'SELECT …'")
    if args.columns:
        wanted = [c.strip() for c in args.columns.split(",") if c.strip()]
        unknown = [c for c in wanted if c not in result.variables]
        if unknown:
            raise QueryError(f"no column(s) {unknown}; the query returns {result.variables}")
        result.variables = wanted
        result.rows = [{k: v for k, v in row.items() if k in wanted} for row in result.rows]
    _emit(render(result, args.format))
    if result.truncated:
        print(f"warning: stopped at the row cap of {args.max_rows} rows", file=sys.stderr)
    return EXIT_OK


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(path, f"cannot read query: {err.strerror}", "check the path") from err


def cmd_golden(args: argparse.Namespace) -> int:
    from legigraph.query import golden

    queries = _queries(args)
    limits = {"timeout": args.timeout, "max_memory": args.max_memory}
    with _closing(_engine(args)) as engine:
        if args.regenerate:
            for path in golden.regenerate(engine, queries, **limits):
                print(f"wrote {path}")
            return EXIT_OK
        differ = golden.stale(engine, queries, **limits)
    for qid in differ:
        print(f"{qid}: result differs from its golden file in queries/golden/", file=sys.stderr)
    checked = sum(1 for q in queries.values() if q.target not in ("national", "history"))
    print(f"{checked - len(differ)} of {checked} saved queries match their golden results")
    return EXIT_NONCONFORMING if differ else EXIT_OK


def cmd_push(args: argparse.Namespace) -> int:
    from legigraph.stores.remote import push

    source = Path(args.file) if args.file else _layout(args).bill_graph
    if not source.exists():
        raise FileNotFoundError(f"{source}: nothing to push; run `legigraph build` first")
    if args.graph is not None:
        to_term(args.graph, "iri", "--graph")
    done = push(
        source,
        args.endpoint,
        graph_iri=args.graph,
        replace=not args.append,
        user=args.user,
        password=_password(args),
        timeout=args.timeout,
    )
    print(f"pushed {done.triples} triples to {done.url} (HTTP {done.status}, {done.seconds:.2f} s)")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from legigraph.serve import Limits, Site, open_backend, serve

    limits = Limits(args.timeout, args.max_rows, args.max_memory, args.max_body)
    if args.default_graph is not None:
        to_term(args.default_graph, "iri", "--default-graph")
    backend = open_backend(_layout(args), store=args.store, endpoint=args.endpoint,
                           default_graph=args.default_graph, workers=args.workers,
                           timeout=args.timeout)  # fmt: skip
    print(f"serving {backend.description} on http://{args.host}:{args.port}/", file=sys.stderr)
    try:
        serve(Site(backend, _layout(args), limits), host=args.host, port=args.port)
    finally:
        backend.close()
    return EXIT_OK


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
                           "`ingest history PATH` (every dated version)")  # fmt: skip
    p_ing.add_argument("kind", choices=["statutes", "history"], help="what to ingest")
    p_ing.add_argument("path", help="legalize-kr checkout, unpacked archive, or statutes-kr."
                       "tar.xz; for history a git clone or a folder of dated versions")  # fmt: skip
    p_ing.add_argument(
        "--store", metavar="DIR", help="store to (re)build (default build/national-store)"
    )
    p_ing.add_argument("--index", metavar="CSV", help="name index (default data/external/"
                       "legalize-kr/index_all_laws.csv)")  # fmt: skip
    p_ing.add_argument(
        "--on-error",
        choices=["skip", "stop"],
        default="skip",
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
        "built graph or of a store; with --store and no files, validate the whole store.",
    )
    p_val.add_argument(
        "files", nargs="*", help="Turtle, JSON-LD, N-Triples, RDF/XML or CSV files"
    )
    p_val.add_argument("--lang", choices=["en", "ko"], default="en", help="message language")
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

    p_qs = sub.add_parser("queries", help="list the saved queries, or `queries show ID`")
    p_qs.add_argument("action", nargs="?", choices=["show"], help="show one query")
    p_qs.add_argument("id", nargs="?", help="query id")
    p_qs.set_defaults(func=cmd_queries)

    p_q = sub.add_parser(
        "query",
        help="run a saved query (ID), a file (--file) or an expression (-e)",
        description="Run a query on the embedded store (default), rdflib, or any SPARQL endpoint. "
        f"Every query has a time limit (--timeout, default {DEFAULT_TIMEOUT:g} s), a memory "
        f"limit (--max-memory, default {format_size(DEFAULT_MAX_MEMORY)}) and a row cap "
        f"(--max-rows, default {DEFAULT_MAX_ROWS} rows). On the embedded engines the query "
        "runs in a worker process that is killed at either limit, whatever it is doing "
        "(exit 2, naming the limit); an endpoint applies --timeout to the HTTP request and "
        "its own limits otherwise. Ad-hoc queries may not update, use SERVICE or "
        "FROM/FROM NAMED unless allowed. See docs/security.md, 'Untrusted queries'.",
    )
    p_q.add_argument("id", nargs="?", help="saved query id (see `legigraph queries`)")
    p_q.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE")
    p_q.add_argument("--file", "-f", help="run the query in this .rq file")
    p_q.add_argument("--expression", "-e", help="run this query text")
    p_q.add_argument("--format", choices=[*FORMATS, *GRAPH_FORMATS], default="table")
    p_q.add_argument("--columns", "-c", metavar="A,B", help="show only these result columns")
    p_q.add_argument(
        "--engine",
        choices=["oxigraph", "rdflib"],
        default="oxigraph",
        help="embedded engine (default: the pyoxigraph store in build/store)",
    )
    p_q.add_argument(
        "--store",
        metavar="DIR",
        help="with --engine oxigraph: query this store "
        "(e.g. build/national-store) instead of build/bill/store",
    )
    _remote_args(p_q, "SPARQL 1.1 query endpoint URL (instead of the embedded store)")
    p_q.add_argument(
        "--default-graph",
        metavar="IRI",
        help="with --endpoint: the graph to query as the default graph",
    )
    _limit_args(p_q)
    p_q.add_argument(
        "--max-rows",
        type=int,
        default=DEFAULT_MAX_ROWS,
        help=f"row cap (default {DEFAULT_MAX_ROWS})",
    )
    p_q.add_argument(
        "--allow-service", action="store_true", help="permit SERVICE in ad-hoc queries"
    )
    p_q.add_argument(
        "--allow-dataset", action="store_true", help="permit FROM / FROM NAMED in ad-hoc queries"
    )
    p_q.set_defaults(func=cmd_query)

    p_gold = sub.add_parser(
        "golden", help="check (or --regenerate) the saved queries' golden results"
    )
    p_gold.add_argument("--regenerate", action="store_true", help="rewrite queries/golden/*.srj")
    p_gold.add_argument("--engine", choices=["oxigraph", "rdflib"], default="rdflib")
    _remote_args(p_gold, "check against a SPARQL endpoint instead")
    p_gold.add_argument("--default-graph", metavar="IRI", help="with --endpoint: default graph")
    _limit_args(p_gold)
    p_gold.set_defaults(func=cmd_golden)

    p_push = sub.add_parser(
        "push",
        help="upload build/bill/legigraph.nt to a store (SPARQL 1.1 Graph Store HTTP Protocol)",
        description="PUT (or POST with --append) the built graph to a Graph Store Protocol URL: "
        "Virtuoso http://HOST:8890/sparql-graph-crud, Fuseki http://HOST:3030/DATASET/data, "
        "Oxigraph server http://HOST:7878/store.",
    )
    _remote_args(p_push, "Graph Store Protocol URL")
    p_push.add_argument("--graph", help="named graph IRI (default: the default graph)")
    p_push.add_argument(
        "--append", action="store_true", help="merge (POST) instead of replace (PUT)"
    )
    p_push.add_argument("--file", help="N-Triples or Turtle file (default build/bill/legigraph.nt)")
    p_push.add_argument("--timeout", type=float, default=300.0, help="seconds (default 300)")
    p_push.set_defaults(func=cmd_push)

    p_serve = sub.add_parser(
        "serve",
        help="SPARQL endpoint, linked-data pages, saved queries and dumps over HTTP",
        description="Serve the national store when there is one, else the bill build's store "
        "(or --store DIR, or a remote --endpoint URL): /sparql (SPARQL 1.1 Protocol, "
        "read-only), a page for every legigraph IRI, /queries, /dumps. Binds 127.0.0.1 "
        "unless --host says otherwise.",
    )
    p_serve.add_argument("--store", metavar="DIR", help="embedded store to serve")
    p_serve.add_argument("--endpoint", metavar="URL", help="serve over this SPARQL endpoint")
    p_serve.add_argument("--default-graph", metavar="IRI",
                         help="with --endpoint: the graph to query as default graph")  # fmt: skip
    p_serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p_serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p_serve.add_argument("--workers", type=int, default=2, metavar="N",
                         help="query worker processes (default 2)")  # fmt: skip
    _limit_args(p_serve, timeout=10.0)
    p_serve.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS,
                         help=f"row cap of each query (default {DEFAULT_MAX_ROWS})")  # fmt: skip
    p_serve.add_argument("--max-body", type=_size, default=64 * 2**10, metavar="SIZE",
                         help="size limit of a request body (default 64K)")  # fmt: skip
    p_serve.set_defaults(func=cmd_serve)
    return top


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except QueryError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _limit_args(p: argparse.ArgumentParser, timeout: float = DEFAULT_TIMEOUT) -> None:
    p.add_argument(
        "--timeout",
        type=float,
        default=timeout,
        metavar="SECONDS",
        help=f"time limit of each query (default {timeout:g} s)",
    )
    p.add_argument(
        "--max-memory",
        type=_size,
        default=DEFAULT_MAX_MEMORY,
        metavar="SIZE",
        help="memory each query may allocate on an embedded engine, e.g. 512M or 4G "
        f"(default {format_size(DEFAULT_MAX_MEMORY).replace(' ', '')})",
    )


def _remote_args(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--endpoint", required=p.prog.endswith("push"), metavar="URL", help=what)
    p.add_argument("--user", help="user name for HTTP authentication")
    p.add_argument(
        "--password-env",
        metavar="VAR",
        help="environment variable holding the password (never on the command line)",
    )


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
