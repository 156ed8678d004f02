"""Remote SPARQL: queries through SPARQLWrapper and uploads through the Graph Store Protocol.

Every remote call has a timeout. Credentials, when given, use HTTP basic or digest auth.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from legigraph.query import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    QueryError,
    QueryTimeout,
    Result,
    query_form,
)


class EndpointError(QueryError):
    """An endpoint that cannot be reached or that answered with an error."""


def _reason(err: BaseException) -> str:
    inner = getattr(err, "reason", err)
    return " ".join(str(inner).split()) or type(err).__name__


class EndpointEngine:
    """Any SPARQL 1.1 endpoint, through SPARQLWrapper, with JSON results."""

    name = "endpoint"

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        default_graph: str | None = None,
    ):
        if not url.startswith(("http://", "https://")):
            raise EndpointError(f"endpoint {url!r} must be an http(s) URL")
        self.url = url
        self.user = user
        self.password = password
        self.default_graph = default_graph

    def run(
        self, text: str, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS
    ) -> Result:
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

        from legigraph.results import from_sparql_json

        form = query_form(text)
        client = SPARQLWrapper(self.url)
        client.setQuery(text)
        client.setMethod(POST)
        if self.default_graph:
            client.addDefaultGraph(self.default_graph)
        client.setTimeout(max(1, round(timeout)))
        if self.user is not None:
            client.setCredentials(self.user, self.password or "")
        client.setReturnFormat(TURTLE if form in ("CONSTRUCT", "DESCRIBE") else JSON)
        start = time.monotonic()
        try:
            raw: Any = client.query().convert()
        except TimeoutError as err:
            raise QueryTimeout(f"{self.url}: no answer within {timeout:g} s") from err
        except urllib.error.URLError as err:
            if isinstance(getattr(err, "reason", None), socket.timeout | TimeoutError):
                raise QueryTimeout(f"{self.url}: no answer within {timeout:g} s") from err
            raise EndpointError(f"{self.url}: cannot reach the endpoint ({_reason(err)})") from err
        except Exception as err:  # SPARQLWrapper wraps HTTP errors in its own types
            raise EndpointError(
                f"{self.url}: the endpoint refused the query ({_reason(err)})"
            ) from err
        elapsed = time.monotonic() - start
        if form in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            graph.parse(
                data=raw if isinstance(raw, str | bytes) else raw.serialize(), format="turtle"
            )
            return Result(form, graph=graph, elapsed=elapsed)
        if not isinstance(raw, dict):
            raise EndpointError(
                f"{self.url}: expected SPARQL JSON results, got {type(raw).__name__}"
            )
        if form == "ASK" and "boolean" not in raw:
            # Virtuoso 7 answers ASK with one variable, __ASK_RETVAL: a row of 1, or no row
            bindings = raw.get("results", {}).get("bindings", [])
            raw = {"boolean": any(b.get("__ASK_RETVAL", {}).get("value") == "1" for b in bindings)}
        result = from_sparql_json(raw)
        result.elapsed = elapsed
        if len(result.rows) > max_rows:
            result.rows = result.rows[:max_rows]
            result.truncated = True
        return result


@dataclass(frozen=True)
class PushResult:
    """What an upload did."""

    url: str
    status: int
    triples: int
    seconds: float


def push(
    source: Path,
    store_url: str,
    *,
    graph_iri: str | None = None,
    replace: bool = True,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 300.0,
) -> PushResult:
    """Upload an N-Triples or Turtle file with the SPARQL 1.1 Graph Store HTTP Protocol.

    ``replace`` uses PUT (the graph becomes exactly the file), otherwise POST (merge).
    Without ``graph_iri`` the default graph is written (``?default``).
    """
    if not store_url.startswith(("http://", "https://")):
        raise EndpointError(f"store {store_url!r} must be an http(s) URL")
    content_type = {".nt": "application/n-triples", ".ttl": "text/turtle"}.get(source.suffix)
    if content_type is None:
        raise EndpointError(f"{source}: push sends .nt or .ttl files")
    body = source.read_bytes()
    triples = sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))
    query = urllib.parse.urlencode({"graph": graph_iri}) if graph_iri else "default"
    url = f"{store_url}{'&' if '?' in store_url else '?'}{query}"
    request = urllib.request.Request(url, data=body, method="PUT" if replace else "POST")  # noqa: S310
    request.add_header("Content-Type", content_type)
    opener = urllib.request.build_opener()
    if user is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, store_url, user, password or "")
        opener = urllib.request.build_opener(
            urllib.request.HTTPDigestAuthHandler(manager),
            urllib.request.HTTPBasicAuthHandler(manager),
        )
    start = time.monotonic()
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as err:
        detail = err.read(300).decode("utf-8", "replace").strip()
        raise EndpointError(f"{url}: HTTP {err.code} {err.reason}: {detail}") from err
    except (urllib.error.URLError, TimeoutError) as err:
        raise EndpointError(f"{url}: cannot reach the store ({_reason(err)})") from err
    return PushResult(url, status, triples, time.monotonic() - start)
