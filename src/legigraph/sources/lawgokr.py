"""Import law.go.kr Open API responses (법령·자치법규 XML) into the ordinance model.

``parse_law_detail`` (``lawService.do`` target=law/eflaw), ``parse_ordinance_detail``
(target=ordin) and ``parse_search`` (``lawSearch.do``) turn response bodies into the same
``LawText``/``Provision`` tree the Markdown reader builds, so a version read from the API and
one read from legalize-kr Markdown give the same graph. ``LawGoKrClient`` fetches them with
timeouts, retries, a rate limit and an on-disk cache of good responses only.

XML is parsed only through defusedxml with DTDs and entities forbidden: law.go.kr never sends
them, so a body that has one is refused rather than expanded.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import re
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET  # type: ignore[import-untyped]

from legigraph.errors import InputError
from legigraph.io import write_bytes_atomic
from legigraph.model.ids import SUBITEM_LETTERS
from legigraph.model.records import LawText, Provision
from legigraph.model.text import nfc
from legigraph.paths import Layout
from legigraph.sources import ordinance as reader  # its patterns, so both importers agree
from legigraph.sources.ordinance import CIRCLED

DEFAULT_BASE_URL = "https://www.law.go.kr/DRF"
CONFIG_PATH = Path("~/.config/legigraph/lawgokr.toml")
OC_ENV = "LAWGOKR_OC"
log = logging.getLogger(__name__)
T = TypeVar("T")
Id = str | int | None

# Lenient about the space after the dot: the API's flattened texts sometimes omit it.
_ITEM = re.compile(r"^\s*(\d+)(?:의(\d+))?\.(?!\d)\s*(.*)$")
_SUBITEM = re.compile(rf"^\s*([{SUBITEM_LETTERS}])\.\s*(.*)$")
# 제N조 only as a heading: "제2조제1항에 따라 …" is text that cites another article.
_ARTICLE_HEAD = re.compile(r"^\s*제\s*(\d+)\s*조(?:\s*의\s*(\d+))?(?=[\s(]|$)")
_PARA_NUM = re.compile(rf"^\s*([{CIRCLED}])\s*")
_ITEM_NUM = re.compile(r"^\s*\d+(?:의\d+)?\.(?!\d)\s*")
_SUB_NUM = re.compile(rf"^\s*[{SUBITEM_LETTERS}](?:의\d+)?\.\s*")
_ADDENDUM_HEAD = re.compile(r"^\s*(부칙\s*(?:\([^)]*\))?\s*<\s*제\s*(\d+)\s*호\s*,?\s*[\d.\s]*>)")
_HTML = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html)", re.IGNORECASE
)
_OK = {"", "00", "0", "000", "success", "성공", "y", "ok"}
_TRANSIENT = (TimeoutError, ConnectionError, urllib.error.URLError, http.client.HTTPException)
_HTML_HINT = "law.go.kr serves HTML for a bad OC key, URL or target, or an outage"
_HINT = "check the MST/ID, target and OC key; law.go.kr reports errors with HTTP 200 bodies"


class ApiError(InputError):
    """A law.go.kr response or request that cannot be used; names the source and a fix."""


def _parse_xml(body: bytes, source: str) -> Element:
    """Parse a response body safely and refuse the ways law.go.kr says no."""
    if not body.strip():
        raise ApiError(source, "the response body is empty", "retry later; " + _HINT)
    if _HTML.match(body[:1024]):
        title = re.search(rb"<title[^>]*>(.*?)</title>", body, re.IGNORECASE | re.DOTALL)
        named = f" ({title.group(1).decode('utf-8', 'replace').strip()[:80]})" if title else ""
        raise ApiError(source, f"an HTML page, not XML{named}", _HTML_HINT)
    try:
        root: Element = SafeET.fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except SafeET.ParseError as err:
        raise ApiError(source, f"malformed XML: {err}", "retry", err.position[0]) from err
    except ValueError as err:  # defusedxml's DTDForbidden, EntitiesForbidden, External…
        problem = f"XML with a DTD or entity declaration refused ({type(err).__name__})"
        raise ApiError(source, problem, "law.go.kr never sends these; check the base URL") from err
    result, code = _text(root, "result"), _text(root, "resultCode")
    if result.lower() not in _OK or code.lower() not in _OK:
        msg = _text(root, "msg") or _text(root, "resultMsg") or _text(root, "message")
        raise ApiError(source, f"the API answered {result or code!r}: {msg or 'no message'}", _HINT)
    if len(root) == 0:
        said = (root.text or "").strip()[:200]
        raise ApiError(source, f"<{root.tag}> carries no data: {said!r}", _HINT)
    return root


def _raw(node: Element | None, tag: str) -> str:
    child = node.find(tag) if node is not None else None
    return nfc("".join(child.itertext())) if child is not None else ""


def _text(node: Element | None, tag: str) -> str:
    return _raw(node, tag).strip()


def _flat(text: str) -> str:
    """Join a multi-line text as the Markdown reader joins continuation lines."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _int(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return str(int(digits)) if digits else ""


def _meta(node: Element | None) -> dict[str, str]:
    """기본정보 children as strings, as the API gives them (dates YYYYMMDD)."""
    children = list(node) if node is not None else []
    return {c.tag: v for c in children if (v := nfc("".join(c.itertext())).strip())}


def _split_head(text: str) -> tuple[str, str]:
    """Cut ``제2조(정의) `` off an article text: (heading, rest); parentheses may nest."""
    match = _ARTICLE_HEAD.match(text)
    if not match:
        return "", text.strip()
    rest = text[match.end() :].lstrip()
    if not rest.startswith("("):
        return "", rest
    depth = 0
    for pos, char in enumerate(rest):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return rest[1:pos].strip(), rest[pos + 1 :].strip()
    return "", rest


def _num(main: str, branch: str = "") -> str:
    """The path number of 제7조의2 / 제3호의2: ``7-2``."""
    return main + (f"-{branch}" if branch and branch != "0" else "")


def _article(number: str, heading: str) -> Provision:
    return Provision(
        f"art_{number}", "article", reader._label(None, "art", number), number, heading=heading
    )


def _child(parent: Provision, step: str, number: str, text: str) -> Provision:
    """A 항/호/목 of ``parent`` named and cleaned exactly as the Markdown reader does."""
    clean, markers = reader._strip_markers(text)
    if step == "subitem":  # 목 are lettered: path subitem_1, label …가목, number 가
        tail, label = str(SUBITEM_LETTERS.index(number) + 1), f"{parent.label}{number}목"
    else:
        tail, label = number, reader._label(parent, step, number)
    kind = {"para": "paragraph", "item": "item", "subitem": "subitem"}[step]
    child = Provision(f"{parent.path}/{step}_{tail}", kind, label, number, clean, markers=markers)
    parent.children.append(child)
    return child


def _append(target: Provision, text: str) -> None:
    clean, markers = reader._strip_markers(text)
    target.text = (target.text + " " + clean).strip()
    target.markers.extend(markers)


def _fill(article: Provision, lines: Iterable[str]) -> None:
    """Rebuild 항/호/목 from an ordinance's flattened 조내용, line by line like the reader."""
    para: Provision | None = None
    item: Provision | None = None
    for line in lines:
        if not line.strip():
            continue
        if m := reader._PARAGRAPH.match(line.strip()):
            para = _child(article, "para", str(CIRCLED.index(m.group(1)) + 1), m.group(2))
            item = None
        elif m := _ITEM.match(line):
            item = _child(para or article, "item", _num(m.group(1), m.group(2)), m.group(3))
        elif (m := _SUBITEM.match(line)) and item is not None:
            _child(item, "subitem", m.group(1), m.group(2))
        else:
            _append(item or para or article, line)


def _addenda(parents: Iterable[Element], source: str) -> list[Provision]:
    """부칙 as ``addendum_{공포번호}``; one <부칙> may hold several 일자/번호/내용 runs."""
    out: list[Provision] = []
    for parent in parents:
        for unit in parent.findall("부칙단위") or [parent]:
            group: dict[str, str] = {}
            for child in [*unit, None]:
                if child is None or child.tag in group:
                    if group:
                        out.append(_addendum(group, source, out))
                    group = {}
                if child is not None:
                    group[child.tag] = nfc("".join(child.itertext()))
    return out


def _addendum(group: dict[str, str], source: str, earlier: list[Provision]) -> Provision:
    """One 부칙 with its articles, by the Markdown reader's rules for the ``## 부칙`` part."""
    body = group.get("부칙내용", "").strip()
    head = _ADDENDUM_HEAD.match(body)
    number = _int(group.get("부칙공포번호", "")) or (head.group(2) if head else "")
    if not number:
        raise ApiError(source, "a 부칙 without 부칙공포번호", "expect <부칙공포번호>N")
    day = group.get("부칙공포일자", "").strip()
    if head:  # statutes: the corpus keeps law.go.kr's own heading line verbatim
        heading, body = head.group(1).strip(), body[head.end() :]
    elif re.fullmatch(r"\d{8}", day):  # ordinances: the corpus writes it from the fields
        heading = f"부칙 <제{number}호, {int(day[:4])}.{int(day[4:6])}.{int(day[6:])}>"
    else:
        heading = f"부칙 <제{number}호>"
    seen = sum(1 for p in earlier if p.number == number)  # one 공포번호 twice: -2, -3 …
    path = f"addendum_{number}" + (f"-{seen + 1}" if seen else "")
    addendum = Provision(path, "addendum", f"부칙 <제{number}호>", number, heading=heading)
    for line in body.splitlines():
        if m := reader._ADDENDUM_ARTICLE.match(line.strip()):
            art = _num(m.group(1), m.group(2) or "")
            label = f"{addendum.label} {reader._label(None, 'art', art)}"
            addendum.children.append(
                Provision(f"{path}/art_{art}", "article", label, art, m.group(4).strip(),
                          heading=m.group(3).strip())
            )  # fmt: skip
        elif line.strip():
            target = addendum.children[-1] if addendum.children else addendum
            target.text = (target.text + " " + line.strip()).strip()
    return addendum


def _law_text(
    source: str, body: bytes, meta: dict[str, str], title: str, provisions: list[Provision]
) -> LawText:
    if not any(p.kind == "article" for p in provisions):
        raise ApiError(source, "the response has no 조문 (articles)", "ask for a version by MST")
    if not meta:
        raise ApiError(source, "the response has no 기본정보", "ask lawService.do for a detail")
    return LawText(Path(source), meta, title, provisions, hashlib.sha256(body).hexdigest())


def _statute_article(unit: Element, source: str) -> Provision:
    heading, lead = _split_head(_flat(_raw(unit, "조문내용")))
    number = _num(_int(_text(unit, "조문번호")), _int(_text(unit, "조문가지번호")))
    if not number:
        raise ApiError(source, f"조문단위 without 조문번호: {lead[:40]!r}", "expect <조문번호>N")
    article = _article(number, _text(unit, "조문제목") or heading)
    _append(article, lead)
    for hang in unit.iterfind("항"):
        parent, hang_num = article, _text(hang, "항번호")
        hang_text = _PARA_NUM.sub("", _flat(_raw(hang, "항내용")), count=1)
        if hang_num:  # ① or 1; an unnumbered 항 only wraps the article's 호
            number = (
                str(CIRCLED.index(hang_num[0]) + 1) if hang_num[0] in CIRCLED else _int(hang_num)
            )
            parent = _child(article, "para", number, hang_text)
        elif hang_text:
            _append(article, hang_text)
        for ho in hang.iterfind("호"):
            m = re.match(r"\s*(\d+)(?:의(\d+))?", _text(ho, "호번호"))
            number = _num(m.group(1), m.group(2) or _int(_text(ho, "호가지번호"))) if m else ""
            text = _ITEM_NUM.sub("", _flat(_raw(ho, "호내용")), count=1)
            item = _child(parent, "item", number or _int(_text(ho, "호번호")), text)
            for mok in ho.iterfind("목"):
                letter = (_text(mok, "목번호") or _text(mok, "목내용"))[:1]
                text = _SUB_NUM.sub("", _flat(_raw(mok, "목내용")), count=1)
                if letter in SUBITEM_LETTERS:
                    _child(item, "subitem", letter, text)
                else:  # not 가…하: keep the words rather than invent a 목
                    _append(item, text)
    return article


def parse_law_detail(xml: bytes, source: str, mst: str | None = None) -> LawText:
    """A statute version from ``lawService.do?target=law|eflaw&type=XML``."""
    root = _parse_xml(xml, source)
    if root.tag not in ("법령", "law", "Law"):
        raise ApiError(source, f"<{root.tag}> is not a 법령 detail", "ask target=law or eflaw")
    meta = _meta(root.find("기본정보"))
    if mst and not meta.get("법령일련번호"):
        meta["법령일련번호"] = mst
    provisions = [
        _statute_article(unit, source)
        for unit in root.iterfind("조문/조문단위")
        if _text(unit, "조문여부") != "전문"  # 장·절 headings are not modelled
    ]
    provisions.extend(_addenda(root.iterfind("부칙"), source))
    return _law_text(source, xml, meta, meta.get("법령명_한글", ""), provisions)


def _ordinance_article(jo: Element, source: str) -> Provision:
    lines = _raw(jo, "조내용").strip().splitlines() or [""]
    heading, lines[0] = _split_head(lines[0])
    code = _text(jo, "조문번호") or jo.get("조문번호", "")
    if re.fullmatch(r"\d{6}", code):  # AAAABB: 제7조의2 → 000702
        number = _num(str(int(code[:4])), str(int(code[4:])))
    elif head := _ARTICLE_HEAD.match(_raw(jo, "조내용")):
        number = _num(head.group(1), head.group(2))
    else:
        raise ApiError(source, f"조 without a usable 조문번호 ({code!r})", "expect AAAABB digits")
    article = _article(number, _text(jo, "조제목") or heading)
    _fill(article, lines)
    return article


def parse_ordinance_detail(xml: bytes, source: str, mst: str | None = None) -> LawText:
    """An ordinance version from ``lawService.do?target=ordin&type=XML``."""
    root = _parse_xml(xml, source)
    if root.tag not in ("LawService", "자치법규"):
        raise ApiError(source, f"<{root.tag}> is not a 자치법규 detail", "ask target=ordin")
    meta = _meta(root.find("자치법규기본정보"))
    if mst and not meta.get("자치법규일련번호"):
        meta["자치법규일련번호"] = mst
    provisions = [
        _ordinance_article(jo, source)
        for jo in root.iterfind("조문/조")
        if _text(jo, "조문여부") != "N"  # 장·절 headings are not modelled
    ]
    provisions.extend(_addenda(root.iterfind("부칙"), source))
    return _law_text(source, xml, meta, meta.get("자치법규명", ""), provisions)


def parse_search(xml: bytes, source: str) -> list[dict[str, str]]:
    """The rows of a ``lawSearch.do`` answer (LawSearch, OrdinSearch, …Search roots)."""
    root = _parse_xml(xml, source)
    if not root.tag.endswith("Search"):
        raise ApiError(source, f"<{root.tag}> is not a lawSearch.do answer", "ask lawSearch.do")
    if _text(root, "totalCnt") == "0":
        return []
    return [{c.tag: nfc("".join(c.itertext())).strip() for c in row} for row in root if len(row)]


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
            wait = self._last_request + self.min_interval - time.monotonic()
            if wait > 0:  # politeness: law.go.kr throttles bursts
                time.sleep(wait)
            self._last_request = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return bytes(response.read())
            except urllib.error.HTTPError as err:
                if err.code != 429 and err.code < 500:
                    raise ApiError(source, f"HTTP {err.code} {err.reason}", _HINT) from None
                problem = f"HTTP {err.code} {err.reason}"
            except _TRANSIENT as err:
                reason = getattr(err, "reason", None) or err
                problem = f"{type(err).__name__}: {reason}".replace(self._oc or "\0", "{OC}")
            if attempt < self.tries:
                delay = self.backoff * 2 ** (attempt - 1)
                log.warning("%s: %s; retry %d in %.2f s", source, problem, attempt, delay)
                time.sleep(delay)
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


