"""Remote SPARQL: queries through SPARQLWrapper and uploads through the Graph Store Protocol.

Every remote call has a connect and a read timeout: a query waits at most ``--timeout`` to
connect and for each read (SPARQLWrapper takes one timeout for both); an upload gets
:data:`CONNECT_TIMEOUT` to connect and ``--timeout`` for the store to answer, which for a
large graph can take minutes. A failure is one line naming the URL and what to check.
Credentials, when given, use HTTP basic or digest auth.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from legigraph.query.results import from_sparql_json
from legigraph.query.saved import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    QueryError,
    QueryTimeout,
    Result,
    query_form,
)

CONNECT_TIMEOUT = 10.0  # seconds to open a connection to a store before an upload


class EndpointError(QueryError):
    """An endpoint that cannot be reached or that answered with an error."""


def _reason(err: BaseException) -> str:
    inner = getattr(err, "reason", err)
    return " ".join(str(inner).split()) or type(err).__name__


def _timed_out(err: BaseException) -> bool:
    return isinstance(err, TimeoutError) or isinstance(getattr(err, "reason", None), TimeoutError)


def _connection(base: type[http.client.HTTPConnection], read_timeout: float) -> Any:
    """``base`` that connects within its ``timeout`` and then reads within ``read_timeout``."""

    class Connection(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            self.sock.settimeout(read_timeout)

    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, read_timeout: float) -> None:
        super().__init__()
        self.read_timeout = read_timeout

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection(http.client.HTTPConnection, self.read_timeout), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout: float) -> None:
        super().__init__()
        self.read_timeout = read_timeout

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = _connection(http.client.HTTPSConnection, self.read_timeout)
        return self.do_open(connection, req, context=self._context)  # type: ignore[attr-defined]


def _open(request: urllib.request.Request, read_timeout: float) -> Any:
    """``urlopen`` with :data:`CONNECT_TIMEOUT` to connect and ``read_timeout`` per read."""
    opener = urllib.request.build_opener(_HTTPHandler(read_timeout), _HTTPSHandler(read_timeout))
    return opener.open(request, timeout=min(CONNECT_TIMEOUT, read_timeout))


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
        self,
        text: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        max_memory: int = 0,
    ) -> Result:
        """Run ``text`` on the endpoint; ``max_memory`` is the server's business, not ours."""
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

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
        except (TimeoutError, urllib.error.URLError) as err:
            if _timed_out(err):
                raise QueryTimeout(
                    f"{self.url}: no answer within {timeout:g} s; check that the endpoint is "
                    "up and answering, or raise --timeout"
                ) from err
            raise EndpointError(
                f"{self.url}: cannot reach the endpoint ({_reason(err)}); check the URL and "
                "that the server is running"
            ) from err
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

    def close(self) -> None:
        """Nothing to release: each query is one HTTP request."""


def _authorization(url: str, method: str, user: str, password: str, timeout: float) -> str:
    """The Authorization header for ``method url``, from a body-less probe's challenge.

    Answering the challenge up front matters: a store that rejects an unauthenticated
    upload may close the connection while a large body is still being sent.
    """
    probe = urllib.request.Request(url, method="GET")  # noqa: S310 - http(s) checked above
    try:
        with _open(probe, min(timeout, 30)):
            return ""  # no challenge: the store does not ask for credentials here
    except urllib.error.HTTPError as err:
        challenge = err.headers.get("WWW-Authenticate", "") if err.code == 401 else ""
    except (urllib.error.URLError, TimeoutError) as err:
        raise _unreachable(url, err, min(timeout, 30)) from err
    scheme, _, params = challenge.partition(" ")
    if scheme.lower() == "basic" or not challenge:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    if scheme.lower() != "digest":
        raise EndpointError(f"{url}: unsupported authentication scheme {scheme!r}")
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
    parts = urllib.parse.urlsplit(url)
    uri = parts.path + (f"?{parts.query}" if parts.query else "")

    def md5(text: str) -> str:
        return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()  # digest auth is MD5

    ha1 = md5(f"{user}:{fields.get('realm', '')}:{password}")
    ha2 = md5(f"{method}:{uri}")
    nonce = fields.get("nonce", "")
    answer = {"username": user, "realm": fields.get("realm", ""), "nonce": nonce, "uri": uri}
    if "auth" in fields.get("qop", "").split(","):
        cnonce = secrets.token_hex(8)
        answer |= {"qop": "auth", "nc": "00000001", "cnonce": cnonce}
        answer["response"] = md5(f"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}")
    else:
        answer["response"] = md5(f"{ha1}:{nonce}:{ha2}")
    if "opaque" in fields:
        answer["opaque"] = fields["opaque"]
    unquoted = {"qop", "nc"}
    return "Digest " + ", ".join(
        f"{k}={v}" if k in unquoted else f'{k}="{v}"' for k, v in answer.items()
    )


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
    method = "PUT" if replace else "POST"
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310
    request.add_header("Content-Type", content_type)
    if user is not None:
        authorization = _authorization(url, method, user, password or "", timeout)
        if authorization:
            request.add_header("Authorization", authorization)
    start = time.monotonic()
    try:
        with _open(request, timeout) as response:
            status = response.status
    except urllib.error.HTTPError as err:
        detail = " ".join(err.read(300).decode("utf-8", "replace").split())
        hint = "; check --user and --password-env" if err.code in (401, 403) else ""
        raise EndpointError(f"{url}: HTTP {err.code} {err.reason}: {detail}{hint}") from err
    except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
        raise _unreachable(url, err, timeout) from err
    return PushResult(url, status, triples, time.monotonic() - start)


def _unreachable(url: str, err: BaseException, timeout: float) -> EndpointError:
    if _timed_out(err):
        return EndpointError(
            f"{url}: no answer within {timeout:g} s; check that the store is up and "
            "answering, or raise --timeout"
        )
    return EndpointError(
        f"{url}: cannot reach the store ({_reason(err)}); check the URL and that the store "
        "is running"
    )
