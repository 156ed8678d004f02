"""The commands that ask the graph: queries, query, golden, and push to a remote store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph

from legigraph.cli.common import closing, emit, layout, limit_args, password, remote_args
from legigraph.errors import EXIT_NONCONFORMING, EXIT_OK, InputError
from legigraph.io import format_size, parse_rdf
from legigraph.query.engines import (
    EmbeddedEngine,
    Engine,
    OxigraphEngine,
    RdflibEngine,
    run_saved,
    run_text,
)
from legigraph.query.golden import STORE_TARGETS
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


def _queries(args: argparse.Namespace) -> dict[str, SavedQuery]:
    return load_queries(layout(args).queries)


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
            password=password(args),
            default_graph=default_graph,
        )
    here = layout(args)
    if args.engine == "rdflib":
        built = here.bill_graph
        if not built.exists():
            raise FileNotFoundError(f"{built}: not built yet; run `legigraph build` first")
        return RdflibEngine(parse_rdf(built, Graph()))
    store = getattr(args, "store", None)
    return OxigraphEngine.open(Path(store) if store else here.bill_store)


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
    on_store = saved.target in STORE_TARGETS  # the named graphs of the national store
    if not on_store or args.endpoint or args.store or args.engine != "oxigraph":
        return
    store = layout(args).national_store
    if not store.is_dir():
        raise InputError(store, f"{saved.id} asks the {saved.target} graph, and there is no "
                         "national store here", f"build it with `legigraph ingest "
                         f"{'statutes' if saved.target == 'national' else saved.target} PATH` "
                         "(see README, 'The national corpus'), or pass --store DIR")  # fmt: skip
    args.store = str(store)


def cmd_query(args: argparse.Namespace) -> int:
    if args.id and not (args.expression or args.file):
        _national_store(args, find_query(_queries(args), args.id))
    with closing(_engine(args)) as engine:
        return _query(args, engine)


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
    emit(render(result, args.format))
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
    with closing(_engine(args)) as engine:
        if args.regenerate:
            for path in golden.regenerate(engine, queries, **limits):
                print(f"wrote {path}")
            return EXIT_OK
        differ = golden.stale(engine, queries, **limits)
    for qid in differ:
        print(f"{qid}: result differs from its golden file in queries/golden/", file=sys.stderr)
    checked = sum(1 for q in queries.values() if q.target not in STORE_TARGETS)
    print(f"{checked - len(differ)} of {checked} saved queries match their golden results")
    return EXIT_NONCONFORMING if differ else EXIT_OK


def cmd_push(args: argparse.Namespace) -> int:
    from legigraph.stores.remote import push

    source = Path(args.file) if args.file else layout(args).bill_graph
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
        password=password(args),
        timeout=args.timeout,
    )
    print(f"pushed {done.triples} triples to {done.url} (HTTP {done.status}, {done.seconds:.2f} s)")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add queries, query, golden and push to the command line."""
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
        choices=[e.value for e in EmbeddedEngine],
        default="oxigraph",
        help="embedded engine (default: the pyoxigraph store in build/store)",
    )
    p_q.add_argument(
        "--store",
        metavar="DIR",
        help="with --engine oxigraph: query this store "
        "(e.g. build/national-store) instead of build/bill/store",
    )
    remote_args(p_q, "SPARQL 1.1 query endpoint URL (instead of the embedded store)")
    p_q.add_argument(
        "--default-graph",
        metavar="IRI",
        help="with --endpoint: the graph to query as the default graph",
    )
    limit_args(p_q)
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
    p_gold.add_argument("--engine", choices=[e.value for e in EmbeddedEngine], default="rdflib")
    remote_args(p_gold, "check against a SPARQL endpoint instead")
    p_gold.add_argument("--default-graph", metavar="IRI", help="with --endpoint: default graph")
    limit_args(p_gold)
    p_gold.set_defaults(func=cmd_golden)

    p_push = sub.add_parser(
        "push",
        help="upload build/bill/legigraph.nt to a store (SPARQL 1.1 Graph Store HTTP Protocol)",
        description="PUT (or POST with --append) the built graph to a Graph Store Protocol URL: "
        "Virtuoso http://HOST:8890/sparql-graph-crud, Fuseki http://HOST:3030/DATASET/data, "
        "Oxigraph server http://HOST:7878/store.",
    )
    remote_args(p_push, "Graph Store Protocol URL")
    p_push.add_argument("--graph", help="named graph IRI (default: the default graph)")
    p_push.add_argument(
        "--append", action="store_true", help="merge (POST) instead of replace (PUT)"
    )
    p_push.add_argument("--file", help="N-Triples or Turtle file (default build/bill/legigraph.nt)")
    p_push.add_argument("--timeout", type=float, default=300.0, help="seconds (default 300)")
    p_push.set_defaults(func=cmd_push)
