"""The routes of the linked-data pages and their pictures.

``/{path}`` is the page (or the RDF) of ``https://w3id.org/legigraph/{path}`` (:mod:`.pages`,
with the sections of :mod:`.views` and an amendment's table of :mod:`.comparison`);
``/pictures/citations/{path}.svg``, ``/pictures/timeline/{path}.svg`` and
``/pictures/organisation.svg`` are its SVG pictures (:mod:`.pictures`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from rdflib import URIRef
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from legigraph.errors import EngineError
from legigraph.model.namespaces import BASE
from legigraph.model.vocab import LG
from legigraph.query.saved import QueryError, Result, bind, to_term
from legigraph.serve.formats import (
    GRAPH_FORMATS,
    Format,
    NotAcceptable,
    by_name,
    negotiate,
    serialize_graph,
)
from legigraph.serve.pages import Page, local, values
from legigraph.serve.pictures import (
    CITATIONS,
    ORGANISATION,
    WORKS,
    Picture,
    citation_picture,
    organisation_picture,
    timeline_picture,
)
from legigraph.serve.site import Site
from legigraph.serve.sparql import HTTPError, run
from legigraph.serve.views import Views, types_of

_EXTENSIONS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml"}
SVG = "image/svg+xml"
CACHE = "max-age=300"  # pages, their RDF and pictures: a rebuilt store shows within 5 minutes


def _iri(path: str) -> str | None:
    """The legigraph IRI of a page path, or None when it cannot be one."""
    try:
        if not path.isascii():
            raise QueryError("legigraph IRIs are ASCII")
        return str(to_term(BASE + path, "iri"))
    except QueryError:
        return None


def strings(result: Result) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()} for row in result.rows]


class Handlers:
    """The handlers, over one site."""

    def __init__(self, site: Site) -> None:
        self.site = site

    async def ask(self, text: str) -> Result:
        return await run(self.site.backend.pages, text, self.site.limits)

    async def kept(self, key: tuple[str, ...],
                   make: Callable[[], Awaitable[tuple[Response, bool]]]) -> Response:  # fmt: skip
        """The response ``make()`` gives, kept for ``key`` while the store stays the same.

        ``make`` says whether its response may be kept (a 200 with nothing left out).
        """
        bodies = self.site.backend.bodies
        identity = await run_in_threadpool(self.site.backend.pages.identity)
        kept = bodies.get(identity, key)
        if kept is not None:
            return Response(kept[0], headers=kept[1])
        response, keep = await make()
        if keep and response.status_code == 200:
            bodies.put(identity, key, bytes(response.body), dict(response.headers))
        return response

    async def resource(self, request: Request) -> Response:
        path = request.path_params["path"]
        fmt: Format | None = None
        for ext, name in _EXTENSIONS.items():
            if path.endswith(ext):
                path, fmt = path[: -len(ext)], by_name(name, GRAPH_FORMATS)
                break
        root = str(request.base_url).rstrip("/")
        try:
            if fmt is None:
                fmt = negotiate(request.headers.get("accept", ""), GRAPH_FORMATS, html=True)
        except NotAcceptable as err:
            return Response(f"this resource can be given as {err}\n", 406)
        iri = _iri(path)
        if iri is None:
            return not_found(self.site, request, BASE + path, fmt)
        key = ("page", root, request.url.path, fmt.name if fmt is not None else "html")
        return await self.kept(key, lambda: self.page(request, iri, path, fmt, root))

    async def page(self, request: Request, iri: str, path: str, fmt: Format | None,
                   root: str) -> tuple[Response, bool]:  # fmt: skip
        """The page (``fmt`` None) or the RDF of ``iri``; whether it may be kept."""
        page = Page(iri, self.site)
        views = Views(self.site, iri, set())
        try:
            await page.load_triples(html=fmt is None)
            if fmt is None and page.found:  # the labels and the sections: asked at once
                views.types = types_of(page.out)
                await asyncio.gather(page.load_labels(), views.load(root))
        except HTTPError as err:
            return Response(err.message + "\n", err.status, media_type="text/plain"), False
        if not page.found:
            return not_found(self.site, request, iri, fmt), False
        if fmt is not None:
            body = await run_in_threadpool(serialize_graph, page.graph(), fmt)
            ext = next(e for e, n in _EXTENSIONS.items() if n == fmt.name)
            return Response(body, media_type=fmt.media, headers={
                "Vary": "Accept", "Content-Location": f"{root}/{path}{ext}",
                "Cache-Control": CACHE}), True  # fmt: skip
        alternates = [(f"{root}/{path}{e}", by_name(n, GRAPH_FORMATS)) for e, n in
                      _EXTENSIONS.items()]  # fmt: skip
        response = self.site.html(request, "resource.html", alternates=alternates, path=path,
                                  **page.context(root), **views.context())  # fmt: skip
        whole = "cut" not in views.sections
        if whole:
            response.headers["Cache-Control"] = CACHE
        return response, whole

    async def drawn(self, request: Request, make: Callable[[str, str], Awaitable[Picture]],
                    *, of_iri: bool = True) -> Response:  # fmt: skip
        """The SVG of ``await make(iri, root)``; ``iri`` is the path's (empty without one).

        Drawn once per picture and store (:meth:`kept`).
        """
        iri = _iri(request.path_params["path"]) if of_iri else ""
        if iri is None:
            return Response("not a legigraph IRI\n", 404, media_type="text/plain")
        root = str(request.base_url).rstrip("/")

        async def draw() -> tuple[Response, bool]:
            try:
                picture = await make(iri or "", root)
                body = await run_in_threadpool(picture.svg)
            except HTTPError as err:
                return Response(err.message + "\n", err.status, media_type="text/plain"), False
            except EngineError as err:
                return Response(f"{err}\n", 500, media_type="text/plain"), False
            return Response(body, media_type=SVG, headers={"Cache-Control": CACHE}), True

        return await self.kept(("picture", root, request.url.path), draw)

    @staticmethod
    def links(rows: list[dict[str, str]], root: str) -> dict[str, str]:
        return {v: href for row in rows for v in row.values()
                if (href := local(v, root)) is not None and v.startswith(BASE)}  # fmt: skip

    async def citations(self, request: Request) -> Response:
        async def make(iri: str, root: str) -> Picture:
            rows = strings(await self.ask(bind(CITATIONS, {"x": URIRef(iri)})))
            nodes = sorted({URIRef(row[end]) for row in rows for end in ("s", "o")}, key=str)
            works: dict[str, str] = {}
            if nodes:
                found = await self.ask(WORKS.replace("VALUES ?n { UNDEF }", values("n", [*nodes])))
                works = {str(r["n"]): str(r["work"]) for r in found.rows}
            return citation_picture(iri, rows, self.links(rows, root), works)

        return await self.drawn(request, make)

    async def timeline(self, request: Request) -> Response:
        async def make(iri: str, root: str) -> Picture:
            events = await Views(self.site, iri, {str(LG.Bill)}).timeline()
            return timeline_picture(
                [(e.iri + "#" + e.en, e.date, e.ko, local(e.iri, root)) for e in events]
            )

        return await self.drawn(request, make)

    async def organisation(self, request: Request) -> Response:
        async def make(iri: str, root: str) -> Picture:
            rows = strings(await self.ask(ORGANISATION))
            return organisation_picture(rows, self.links(rows, root))

        return await self.drawn(request, make, of_iri=False)


def routes(site: Site) -> list[Any]:
    handlers = Handlers(site)
    return [
        Route("/pictures/citations/{path:path}.svg", handlers.citations),
        Route("/pictures/timeline/{path:path}.svg", handlers.timeline),
        Route("/pictures/organisation.svg", handlers.organisation),
        Route("/{path:path}", handlers.resource),
    ]


def not_found(site: Site, request: Request, iri: str, fmt: Format | None) -> Response:
    if fmt is not None:
        return Response(f"nothing is known of <{iri}>\n", 404, media_type="text/plain")
    return site.html(request, "404.html", status=404, iri=iri)
