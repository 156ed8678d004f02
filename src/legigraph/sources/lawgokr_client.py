"""The law.go.kr Open API client: ``lawService.do`` and ``lawSearch.do`` over HTTPS.

``LawGoKrClient`` fetches a statute or ordinance version (by MST, ID and 시행일자) with
timeouts, retries of transient failures, a rate limit and an on-disk cache of good responses
only (a bad answer never replaces a good copy); ``sources.lawgokr`` parses what it fetched.
The OC key comes from ``$LAWGOKR_OC`` or ``~/.config/legigraph/lawgokr.toml`` and is never
written into a source name, a cache key or a message.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import re
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from time import monotonic, sleep
from typing import TypeVar

from legigraph.io import write_bytes_atomic
from legigraph.model.records import LawText
from legigraph.paths import Layout
from legigraph.sources.lawgokr import (
    HINT,
    ApiError,
    parse_law_detail,
    parse_ordinance_detail,
    parse_search,
)

DEFAULT_BASE_URL = "https://www.law.go.kr/DRF"
CONFIG_PATH = Path("~/.config/legigraph/lawgokr.toml")
OC_ENV = "LAWGOKR_OC"
log = logging.getLogger(__name__)
T = TypeVar("T")
Id = str | int | None
_TRANSIENT = (TimeoutError, ConnectionError, urllib.error.URLError, http.client.HTTPException)


def _digits(value: str | int | None, name: str, width: int | None = None) -> str:
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or (width and len(text) != width):
        hint = f"pass {name} as {width or 'only'} digits"
        raise ApiError(f"law.go.kr {name}", f"{name} {value!r} is not a number", hint)
    return text


class LawGoKrClient:
    """Fetch law.go.kr Open API XML with timeouts, retries, a rate limit and a good-only cache.

    The OC key comes from ``oc``, ``$LAWGOKR_OC`` or ``oc = "…"`` in the config file; it is
    sent in the query string only, and scrubbed from bodies before they are cached.
    """

    def __init__(
        self,
        oc: str | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        cache_dir: Path | None = None,
        config: Path | None = None,
        timeout: float = 10.0,
        tries: int = 3,
        backoff: float = 1.0,
        min_interval: float = 0.5,
        offline: bool = False,
        fallback_to_cache: bool = True,
    ) -> None:
        if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
            raise ApiError(base_url, "base URL is not http(s)", f"use {DEFAULT_BASE_URL}")
        if cache_dir is None:
            cache_dir = Layout.default().data / "external" / "law-go-kr" / "raw"
        self.base_url, self.cache_dir = base_url.rstrip("/"), Path(cache_dir)
        self.timeout, self.tries, self.backoff = timeout, max(1, tries), backoff
        self.min_interval, self.offline = min_interval, offline
        self.fallback_to_cache, self.last_from_cache = fallback_to_cache, False
        self._last_request = float("-inf")
        self._oc = "" if offline and oc is None else _find_oc(oc, config)

    def law(self, mst: Id = None, law_id: Id = None, efyd: Id = None) -> LawText:
        """One statute version by MST (법령일련번호) or the current one by 법령ID."""
        target = "eflaw" if efyd else "law"  # eflaw: the version in force on efYd
        return self._detail(target, mst, law_id, parse_law_detail, efyd)

    def ordinance(self, mst: Id = None, ordinance_id: Id = None) -> LawText:
        """One ordinance version by 자치법규일련번호 (MST) or the current one by 자치법규ID."""
        return self._detail("ordin", mst, ordinance_id, parse_ordinance_detail)

    def _detail(
        self,
        target: str,
        mst: Id,
        ident: Id,
        parse: Callable[[bytes, str, str | None], LawText],
        efyd: Id = None,
    ) -> LawText:
        if (mst is None) == (ident is None):
            raise ApiError(f"law.go.kr {target}", "give exactly one of mst or the ID", "mst=…")
        name, value = (
            ("MST", _digits(mst, "MST")) if mst is not None else ("ID", _digits(ident, "ID"))
        )
        params, key = {"target": target, "type": "XML", name: value}, f"{name}{value}"
        if efyd:
            params["efYd"] = _digits(efyd, "efYd", 8)
            key += f"_efYd{params['efYd']}"
        serial = value if name == "MST" else None
        law, path = self._fetch("lawService.do", params, key, lambda b, s: parse(b, s, serial))
        law.source = path  # provenance: the cached raw body the provisions came from
        return law

    def search(self, target: str, query: str, **params: str | int) -> list[dict[str, str]]:
        """``lawSearch.do`` rows, e.g. ``search("eflaw", "소득세법", efYd="20100311~20100501")``."""
        if not re.fullmatch(r"[A-Za-z]+", target) or "OC" in params:
            hint = "target is e.g. law, eflaw or ordin; the OC key is added for you"
            raise ApiError("law.go.kr search", f"bad target {target!r} or OC in params", hint)
        query_params = {"target": target, "type": "XML", "query": query}
        query_params.update({k: str(v) for k, v in params.items()})
        digest = hashlib.sha256(urllib.parse.urlencode(sorted(query_params.items())).encode())
        rows, _ = self._fetch(
            "lawSearch.do", query_params, f"search_{digest.hexdigest()[:16]}", parse_search
        )
        return rows

    def _fetch(
        self, endpoint: str, params: dict[str, str], key: str, parse: Callable[[bytes, str], T]
    ) -> tuple[T, Path]:
        cache = self.cache_dir / params["target"] / f"{key}.xml"
        source = f"{self.base_url}/{endpoint}?{urllib.parse.urlencode(params)}"  # no OC
        self.last_from_cache = False
        if self.offline:
            return self._cached(cache, source, parse, "offline"), cache
        try:
            body = self._scrub(self._get(endpoint, params, source))
            result = parse(body, source)
        except ApiError as err:
            if not (self.fallback_to_cache and cache.is_file()):
                raise
            return self._cached(cache, source, parse, f"failed ({err.problem})"), cache
        write_bytes_atomic(cache, body)  # only now: a bad answer never replaces a good copy
        return result, cache

    def _cached(self, cache: Path, source: str, parse: Callable[[bytes, str], T], why: str) -> T:
        if not cache.is_file():
            raise ApiError(source, f"{why} and no cached copy at {cache}", "run online once")
        (log.info if why == "offline" else log.warning)(
            "%s %s; serving the cached copy %s", source, why, cache
        )
        self.last_from_cache = True
        return parse(cache.read_bytes(), str(cache))

    def _get(self, endpoint: str, params: dict[str, str], source: str) -> bytes:
        url = f"{self.base_url}/{endpoint}?{urllib.parse.urlencode({'OC': self._oc, **params})}"
        request = urllib.request.Request(url, headers={"User-Agent": "legigraph/0.1"})  # noqa: S310 (scheme checked in __init__)
        problem = ""
        for attempt in range(1, self.tries + 1):
            wait = self._last_request + self.min_interval - monotonic()
            if wait > 0:  # politeness: law.go.kr throttles bursts
                sleep(wait)
            self._last_request = monotonic()
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return bytes(response.read())
            except urllib.error.HTTPError as err:
                if err.code != 429 and err.code < 500:
                    raise ApiError(source, f"HTTP {err.code} {err.reason}", HINT) from None
                problem = f"HTTP {err.code} {err.reason}"
            except _TRANSIENT as err:
                reason = getattr(err, "reason", None) or err
                problem = f"{type(err).__name__}: {reason}".replace(self._oc or "\0", "{OC}")
            if attempt < self.tries:
                delay = self.backoff * 2 ** (attempt - 1)
                log.warning("%s: %s; retry %d in %.2f s", source, problem, attempt, delay)
                sleep(delay)
        problem = f"no usable answer after {self.tries} tries: {problem}"
        raise ApiError(source, problem, "check the network and law.go.kr, then retry")

    def _scrub(self, body: bytes) -> bytes:
        """Replace the OC key (echoed in 상세링크 URLs) so cached files never hold it."""
        if not self._oc:
            return body
        token = rb"(?<![\w.@-])" + re.escape(self._oc.encode()) + rb"(?![\w.@-])"
        return re.sub(token, b"{OC}", body)


def _find_oc(oc: str | None, config: Path | None) -> str:
    if oc:
        return oc
    if os.environ.get(OC_ENV, "").strip():
        return os.environ[OC_ENV].strip()
    path = (config or CONFIG_PATH).expanduser()
    if path.is_file():
        try:
            value = tomllib.loads(path.read_text(encoding="utf-8")).get("oc", "")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ApiError(path, f"not valid TOML: {err}", 'write oc = "your-id"') from err
        if isinstance(value, str) and value.strip():
            return value.strip()
    raise ApiError(
        path,
        "no law.go.kr Open API key (OC) found",
        f'set {OC_ENV}=your-id or write oc = "your-id" to {path} '
        "(the OC is the ID registered at open.law.go.kr)",
    )


