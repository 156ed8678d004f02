"""``legigraph serve``: the SPARQL endpoint and the pages over HTTP."""

from __future__ import annotations

import argparse
import sys

from legigraph.cli.common import layout, limit_args, size
from legigraph.errors import EXIT_OK
from legigraph.query.saved import DEFAULT_MAX_ROWS, to_term


def cmd_serve(args: argparse.Namespace) -> int:
    from legigraph.serve import Limits, Site, open_backend, serve

    limits = Limits(args.timeout, args.max_rows, args.max_memory, args.max_body)
    if args.default_graph is not None:
        to_term(args.default_graph, "iri", "--default-graph")
    backend = open_backend(layout(args), store=args.store, endpoint=args.endpoint,
                           default_graph=args.default_graph, workers=args.workers,
                           timeout=args.timeout)  # fmt: skip
    print(f"serving {backend.description} on http://{args.host}:{args.port}/", file=sys.stderr)
    try:
        serve(Site(backend, layout(args), limits), host=args.host, port=args.port)
    finally:
        backend.close()
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add serve to the command line."""
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
    limit_args(p_serve, timeout=10.0)
    p_serve.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS,
                         help=f"row cap of each query (default {DEFAULT_MAX_ROWS})")  # fmt: skip
    p_serve.add_argument("--max-body", type=size, default=64 * 2**10, metavar="SIZE",
                         help="size limit of a request body (default 64K)")  # fmt: skip
    p_serve.set_defaults(func=cmd_serve)
