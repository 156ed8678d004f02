"""The ASGI application of ``legigraph serve`` (Starlette), and the function that runs it.

Routes: ``/`` (home), ``/sparql`` (:mod:`.sparql`), ``/queries``, ``/queries/{id}`` and
``/queries/{id}/editor`` (:mod:`.saved`), ``/dumps`` and ``/.well-known/void``
(:mod:`.dumps`), ``/static/…``, ``/pictures/…`` (SVG), and every other path as the
linked-data page of the IRI ``https://w3id.org/legigraph/<path>`` (:mod:`.resource`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from legigraph.errors import InputError
from legigraph.query.saved import Result
from legigraph.serve import dumps, resource, saved, sparql
from legigraph.serve.pages import cell
from legigraph.serve.site import BILL, HERE, Site


def create_app(site: Site) -> Starlette:
    """The application over ``site``; the backend is closed when the server stops."""

    async def home(request: Request) -> Response:
        return site.html(request, "home.html", bill=BILL, queries=len(site.queries))

    async def endpoint(request: Request) -> Response:
        base = str(request.base_url)
        root = base.rstrip("/")

        def page(text: str, result: Result | None, error: str, status: int) -> Response:
            context: dict[str, Any] = {"text": text, "error": error, "result": result}
            if result is not None:
                context["variables"] = result.variables
                context["rows"] = [[cell(row.get(v), root) for v in result.variables]
                                   for row in result.rows]  # fmt: skip
                if result.graph is not None:
                    context["turtle"] = result.graph.serialize(format="turtle")
            return site.html(request, "sparql.html", status=status, **context)

        return await sparql.endpoint(request, site.backend.engine, site.limits, base, page)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        site.backend.close()

    routes = [
        Route("/", home),
        Route("/sparql", endpoint, methods=["GET", "POST"]),
        *saved.routes(site),
        *dumps.routes(site),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        *resource.routes(site),
    ]
    middleware = [
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                   allow_headers=["Accept", "Content-Type"],
                   expose_headers=["X-Legigraph-Truncated", "X-Legigraph-Row-Cap",
                                   "X-Legigraph-Time-Limit"]),
    ]  # fmt: skip
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def serve(site: Site, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the server until interrupted (uvicorn, one process; queries in worker processes)."""
    import socket

    import uvicorn

    try:  # a port in use is the user's to fix: one line, exit 2 (uvicorn would exit 1)
        with socket.create_server((host, port)):
            pass
    except OSError as err:
        raise InputError(f"--host {host} --port {port}", f"cannot listen there ({err.strerror})",
                         "choose another --port, or stop what listens on it") from None  # fmt: skip
    uvicorn.run(create_app(site), host=host, port=port, log_level="warning", access_log=False)
