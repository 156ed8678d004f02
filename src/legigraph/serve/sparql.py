"""The SPARQL 1.1 Protocol at ``/sparql``: GET, POST form and POST direct, read-only.

A query is checked as the CLI checks an ad-hoc query (:func:`legigraph.query.saved.check_query`):
updates (LOAD among them), SERVICE and FROM / FROM NAMED are refused with 400, and so are
the protocol's own ways to name a dataset (``default-graph-uri``, ``named-graph-uri``).
Each query runs within the server's time limit (the worker running it is killed there, see
:mod:`legigraph.query.limits`) and row cap; a cut is stated in the response headers (and in SPARQL
JSON), a stop at the time limit is a 503 that says so. Request bodies over the size limit
are refused with 413 before they are read whole.
"""

from __future__ import annotations

import functools
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from legigraph.errors import LegigraphError
from legigraph.query.engines import Engine
from legigraph.query.saved import (
    QueryError,
    QueryMemoryLimit,
    QueryTimeout,
    Result,
    check_query,
)
from legigraph.serve.formats import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Format,
    NotAcceptable,
    by_name,
    negotiate,
    serialize_graph,
    serialize_result,
)
from legigraph.stores.remote import EndpointError

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML",
                "csv": "SPARQL_Results_CSV", "tsv": "SPARQL_Results_TSV",
                "turtle": "Turtle", "nt": "N-Triples", "json-ld": "JSON-LD"}  # fmt: skip


@dataclass(frozen=True)
class Limits:
    """What every request to the server is held to."""

    timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10_000
    max_memory: int = 2 * 2**30
    max_body: int = 64 * 2**10  # bytes of a request body

    def headers(self) -> dict[str, str]:
        return {"X-Legigraph-Time-Limit": f"{self.timeout:g}",
                "X-Legigraph-Row-Cap": str(self.max_rows)}  # fmt: skip


class HTTPError(Exception):
    """A request the server refuses: status and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(err: HTTPError, limits: Limits) -> Response:
    return Response(err.message + "\n", err.status, media_type="text/plain; charset=utf-8",
                    headers=limits.headers())  # fmt: skip


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 past ``limit`` bytes (before it is all read)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPError(413, f"request body of {declared} bytes is over the limit of {limit}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPError(413, f"request body is over the limit of {limit} bytes")
    return bytes(body)


_PARSING = threading.Lock()


@functools.lru_cache(maxsize=1024)
def _checked(text: str) -> tuple[str, str]:
    """The form of ``text`` and why it is refused ("" if it is not), remembered by text.

    The check parses with rdflib (pure Python, tens of milliseconds for a long query), so a
    text asked again, as clients and dashboards do, is not parsed again.
    """
    with _PARSING:  # pyparsing's parser is not thread-safe: one parse at a time
        try:
            return check_query(text), ""
        except QueryError as err:
            return "", _web_message(err)


def _web_message(err: QueryError) -> str:
    """A query error without the CLI's hints (``pass --allow-service …``)."""
    return str(err).split("; pass --")[0]


async def query_of(request: Request, limits: Limits) -> tuple[str | None, dict[str, list[str]]]:
    """The query text of a protocol request and its other parameters."""
    params = urllib.parse.parse_qs(request.url.query, keep_blank_values=True)
    text: str | None = None
    if request.method == "POST":
        body = await read_body(request, limits.max_body)
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            raise HTTPError(400, "updates are not allowed: this endpoint is read-only")
        if media == "application/sparql-query":
            text = _decode(body)
        elif media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(_decode(body), keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        else:
            raise HTTPError(415, "POST a query as application/sparql-query or as an "
                            "application/x-www-form-urlencoded form with query=…")  # fmt: skip
    if "update" in params:
        # SPARQLWrapper sends a query as update=… when its comments mention INSERT or
        # DELETE; a text that parses as a query is answered as one, an update is refused
        try:
            check_query(params["update"][0])
        except QueryError:
            raise HTTPError(400, "updates are not allowed: this endpoint is read-only") from None
        if text is None and "query" not in params:
            text = params.pop("update")[0]
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in params:
            raise HTTPError(400, f"{name} is not supported: this endpoint answers over its own "
                            "dataset (use GRAPH <…> in the query)")  # fmt: skip
    if text is None and "query" in params:
        if len(params["query"]) != 1:
            raise HTTPError(400, "give exactly one query parameter")
        text = params["query"][0]
    return text, params


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise HTTPError(400, f"the request body is not UTF-8 (byte {err.start})") from None


def wants_html(request: Request, params: dict[str, list[str]]) -> bool:
    """True when a browser asks (``text/html`` before any SPARQL format) and no ``?format=``."""
    if "format" in params:
        return False
    try:
        accept = request.headers.get("accept", "") or "*/*"
        return negotiate(accept, RESULT_FORMATS, html=True, star_is_html=False) is None
    except NotAcceptable:
        return False


def choose(request: Request, form: str, params: dict[str, list[str]]) -> Format:
    """The response format: ``?format=`` if given, else by ``Accept``."""
    formats = GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
    if "format" in params:
        fmt = by_name(params["format"][0], formats)
        if fmt is None:
            names = ", ".join(f.name for f in formats)
            raise HTTPError(400, f"unknown format {params['format'][0]!r}; use one of {names}")
        return fmt
    try:
        chosen = negotiate(request.headers.get("accept", ""), formats)
    except NotAcceptable as err:
        raise HTTPError(406, f"a {form} result can be given as {err}") from None
    assert chosen is not None  # html is not offered here
    return chosen


async def run(engine: Engine, text: str, limits: Limits) -> Result:
    """Run ``text`` on ``engine`` off the event loop; errors become :class:`HTTPError`."""
    try:
        result: Result = await run_in_threadpool(
            engine.run, text, timeout=limits.timeout, max_rows=limits.max_rows,
            max_memory=limits.max_memory,
        )  # fmt: skip
    except QueryTimeout:
        raise HTTPError(503, f"the query ran past the time limit of {limits.timeout:g} s and "
                        "was stopped") from None  # fmt: skip
    except QueryMemoryLimit:
        raise HTTPError(503, "the query needed more than the memory limit and was stopped"
                        ) from None  # fmt: skip
    except EndpointError as err:  # the remote backend is down or refused: not the client's fault
        raise HTTPError(502, " ".join(str(err).split())) from None
    except QueryError as err:
        raise HTTPError(400, _web_message(err)) from None
    except LegigraphError as err:
        raise HTTPError(500, f"the store failed: {' '.join(str(err).split())}") from None
    return result


def result_response(result: Result, fmt: Format, limits: Limits) -> Response:
    headers = limits.headers()
    if result.graph is not None:
        body = serialize_graph(result.graph, fmt)
    else:
        body = serialize_result(result, fmt, max_rows=limits.max_rows)
        if result.truncated:
            headers["X-Legigraph-Truncated"] = (
                f"true; the result was cut at the row cap of {limits.max_rows} rows"
            )
    media = fmt.media + ("; charset=utf-8" if fmt.media.startswith("text/") else "")
    return Response(body, media_type=media, headers=headers)


HtmlPage = Callable[[str, Result | None, str, int], Response]  # query, result, error, status


async def endpoint(
    request: Request, engine: Engine, limits: Limits, base: str, page: HtmlPage | None = None
) -> Response:
    """Answer one protocol request (the service description when it holds no query).

    A browser (``text/html`` first in ``Accept``) gets ``page``: a form, and the result as
    a table; every other client gets the protocol's formats.
    """
    html = page is not None and wants_html(request, urllib.parse.parse_qs(request.url.query))
    text: str | None = None
    try:
        text, params = await query_of(request, limits)
        if text is None:
            if html and page is not None and request.method == "GET":
                return page("", None, "", 200)
            if request.method == "POST":
                raise HTTPError(400, "no query: send query=… or an application/sparql-query body")
            return description_response(request, base, limits)
        form, refusal = await run_in_threadpool(_checked, text)
        if refusal:
            raise HTTPError(400, refusal)
        fmt = None if html else choose(request, form, params)
        result = await run(engine, text, limits)
        if fmt is None and page is not None:
            return page(text, result, "", 200)
        assert fmt is not None
        return result_response(result, fmt, limits)
    except HTTPError as err:
        if html and page is not None:
            return page(text or "", None, err.message, err.status)
        return error_response(err, limits)


def description(endpoint_url: str, limits: Limits) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint, limits included."""
    graph = Graph()
    graph.bind("sd", SD)
    service = URIRef(endpoint_url + "#service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint_url)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in ("json", "xml", "csv", "tsv", "turtle", "nt", "json-ld"):
        graph.add((service, SD.resultFormat, URIRef(FORMATS_NS + _FORMAT_IRIS[name])))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((service, DCTERMS.title, Literal("legigraph SPARQL endpoint (read-only)", lang="en")))
    comment = (
        f"Read-only. Every query is stopped at {limits.timeout:g} s and returns at most "
        f"{limits.max_rows} rows (headers X-Legigraph-Time-Limit and X-Legigraph-Row-Cap; "
        "X-Legigraph-Truncated when the cap cut a result); request bodies up to "
        f"{limits.max_body} bytes. Updates, LOAD, SERVICE, FROM / FROM NAMED, "
        "default-graph-uri and named-graph-uri are refused with 400."
    )
    graph.add((service, RDFS.comment, Literal(comment, lang="en")))
    lg = Namespace("https://w3id.org/legigraph/serve#")
    graph.bind("lgs", lg)
    graph.add((service, lg.timeLimitSeconds, Literal(limits.timeout, datatype=XSD.decimal)))
    graph.add((service, lg.rowCap, Literal(limits.max_rows)))
    graph.add((service, lg.maxRequestBodyBytes, Literal(limits.max_body)))
    return graph


def description_response(request: Request, base: str, limits: Limits) -> Response:
    try:
        fmt = negotiate(request.headers.get("accept", ""), GRAPH_FORMATS)
    except NotAcceptable as err:
        raise HTTPError(406, f"the service description can be given as {err}") from None
    assert fmt is not None
    body = serialize_graph(description(base + "sparql", limits), fmt)
    return Response(body, media_type=fmt.media, headers=limits.headers())
