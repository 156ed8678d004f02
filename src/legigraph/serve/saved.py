"""Saved queries on the web: ``/queries`` lists them, ``/queries/{id}`` runs one.

Parameters come from the query string and are checked by the code the CLI uses
(:meth:`legigraph.query.saved.SavedQuery.bindings`: typed, bound as RDF terms in ``VALUES``,
never pasted into the text). The result is an HTML table for browsers, and the SPARQL
formats by ``Accept`` or ``?format=`` (the same URL is an API).
"""

from __future__ import annotations

import functools
import urllib.parse
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from legigraph.query.saved import QueryError, bind
from legigraph.serve.formats import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    NotAcceptable,
    by_name,
    negotiate,
)
from legigraph.serve.pages import cell
from legigraph.serve.site import HERE, Site
from legigraph.serve.sparql import HTTPError, error_response, result_response, run


def routes(site: Site) -> list[Any]:
    async def listing(request: Request) -> Response:
        return site.html(request, "queries.html", queries=list(site.queries.values()),
                         national=site.backend.national or site.backend.remote)  # fmt: skip

    async def one(request: Request) -> Response:
        qid = request.path_params["qid"]
        saved = site.queries.get(qid)
        if saved is None:
            return site.html(request, "404.html", status=404, iri=f"/queries/{qid}")
        given = dict(urllib.parse.parse_qsl(request.url.query, keep_blank_values=False))
        fmt_name = given.pop("format", None)
        formats = GRAPH_FORMATS if saved.form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
        try:
            if fmt_name is not None:
                fmt = by_name(fmt_name, formats)
                if fmt is None:
                    raise HTTPError(400, f"unknown format {fmt_name!r}; use one of "
                                    + ", ".join(f.name for f in formats))  # fmt: skip
            else:
                fmt = negotiate(request.headers.get("accept", ""), formats, html=True)
        except NotAcceptable as err:
            return error_response(HTTPError(406, f"this result can be given as {err}"),
                                  site.limits)  # fmt: skip
        except HTTPError as err:
            return error_response(err, site.limits)
        error, result = "", None
        try:
            text = bind(saved.text, saved.bindings(given))
            result = await run(site.backend.engine, site.backend.for_saved(saved, text),
                               site.limits)  # fmt: skip
        except QueryError as err:
            error, status = str(err), 400
        except HTTPError as err:
            error, status = err.message, err.status
        if fmt is not None:
            if result is None:
                return error_response(HTTPError(status, error), site.limits)
            return result_response(result, fmt, site.limits)
        root = str(request.base_url).rstrip("/")
        query = urllib.parse.urlencode(given)
        downloads = [(f.name, f"{root}/queries/{qid}?" + urllib.parse.urlencode(
            {**given, "format": f.name})) for f in formats]  # fmt: skip
        has_national = site.backend.national or site.backend.remote
        context: dict[str, Any] = {
            "q": saved, "given": given, "error": error, "downloads": downloads, "query": query,
            "needs_national": saved.target == "national" and not has_national,
        }  # fmt: skip
        if result is not None:
            context["result"] = result
            context["variables"] = result.variables
            context["rows"] = [[cell(row.get(v), root) for v in result.variables]
                               for row in result.rows]  # fmt: skip
            if result.graph is not None:
                context["turtle"] = result.graph.serialize(format="turtle")
        return site.html(request, "query.html", status=200 if not error else status, **context)

    return [Route("/queries", listing), Route("/queries/{qid}", one),
            Route("/queries/{qid}/editor", functools.partial(editor, site))]  # fmt: skip


async def editor(site: Site, request: Request) -> Response:
    """YASGUI (vendored, :file:`scripts/vendor-yasgui`) with the saved query, bound."""
    qid = request.path_params["qid"]
    saved = site.queries.get(qid)
    if saved is None:
        return site.html(request, "404.html", status=404, iri=f"/queries/{qid}/editor")
    given = dict(urllib.parse.parse_qsl(request.url.query, keep_blank_values=False))
    try:
        text = bind(saved.text, saved.bindings(given))
    except QueryError:
        text = saved.text
    vendored = (HERE / "static" / "yasgui" / "yasgui.min.js").is_file()
    return site.html(request, "editor.html", q=saved, text=text, vendored=vendored)
