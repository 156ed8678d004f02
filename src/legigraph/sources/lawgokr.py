"""Import law.go.kr Open API responses (법령·자치법규 XML) into the ordinance model.

``parse_law_detail`` (``lawService.do`` target=law/eflaw), ``parse_ordinance_detail``
(target=ordin) and ``parse_search`` (``lawSearch.do``) turn response bodies into the same
``LawText``/``Provision`` tree the Markdown reader builds, so a version read from the API and
one read from legalize-kr Markdown give the same graph. ``sources.lawgokr_client`` fetches
them.

XML is parsed only through defusedxml with DTDs and entities forbidden: law.go.kr never sends
them, so a body that has one is refused rather than expanded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET  # type: ignore[import-untyped]

from legigraph.errors import InputError
from legigraph.model.ids import SUBITEM_LETTERS
from legigraph.model.records import LawText, Provision
from legigraph.model.text import nfc
from legigraph.sources import ordinance as reader  # its patterns, so both importers agree
from legigraph.sources.ordinance import CIRCLED

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
_HTMLHINT = "law.go.kr serves HTML for a bad OC key, URL or target, or an outage"
HINT = "check the MST/ID, target and OC key; law.go.kr reports errors with HTTP 200 bodies"


class ApiError(InputError):
    """A law.go.kr response or request that cannot be used; names the source and a fix."""


def parse_xml(body: bytes, source: str) -> Element:
    """Parse a response body safely and refuse the ways law.go.kr says no."""
    if not body.strip():
        raise ApiError(source, "the response body is empty", "retry later; " + HINT)
    if _HTML.match(body[:1024]):
        title = re.search(rb"<title[^>]*>(.*?)</title>", body, re.IGNORECASE | re.DOTALL)
        named = f" ({title.group(1).decode('utf-8', 'replace').strip()[:80]})" if title else ""
        raise ApiError(source, f"an HTML page, not XML{named}", _HTMLHINT)
    try:
        root: Element = SafeET.fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except SafeET.ParseError as err:
        raise ApiError(source, f"malformed XML: {err}", "retry", err.position[0]) from err
    except ValueError as err:  # defusedxml's DTDForbidden, EntitiesForbidden, External…
        problem = f"XML with a DTD or entity declaration refused ({type(err).__name__})"
        raise ApiError(source, problem, "law.go.kr never sends these; check the base URL") from err
    result, code = text_of(root, "result"), text_of(root, "resultCode")
    if result.lower() not in _OK or code.lower() not in _OK:
        msg = text_of(root, "msg") or text_of(root, "resultMsg") or text_of(root, "message")
        raise ApiError(source, f"the API answered {result or code!r}: {msg or 'no message'}", HINT)
    if len(root) == 0:
        said = (root.text or "").strip()[:200]
        raise ApiError(source, f"<{root.tag}> carries no data: {said!r}", HINT)
    return root


def _raw(node: Element | None, tag: str) -> str:
    child = node.find(tag) if node is not None else None
    return nfc("".join(child.itertext())) if child is not None else ""


def text_of(node: Element | None, tag: str) -> str:
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


def _lawtext_of(
    source: str, body: bytes, meta: dict[str, str], title: str, provisions: list[Provision]
) -> LawText:
    if not any(p.kind == "article" for p in provisions):
        raise ApiError(source, "the response has no 조문 (articles)", "ask for a version by MST")
    if not meta:
        raise ApiError(source, "the response has no 기본정보", "ask lawService.do for a detail")
    return LawText(Path(source), meta, title, provisions, hashlib.sha256(body).hexdigest())


def _statute_article(unit: Element, source: str) -> Provision:
    heading, lead = _split_head(_flat(_raw(unit, "조문내용")))
    number = _num(_int(text_of(unit, "조문번호")), _int(text_of(unit, "조문가지번호")))
    if not number:
        raise ApiError(source, f"조문단위 without 조문번호: {lead[:40]!r}", "expect <조문번호>N")
    article = _article(number, text_of(unit, "조문제목") or heading)
    _append(article, lead)
    for hang in unit.iterfind("항"):
        parent, hang_num = article, text_of(hang, "항번호")
        hang_text = _PARA_NUM.sub("", _flat(_raw(hang, "항내용")), count=1)
        if hang_num:  # ① or 1; an unnumbered 항 only wraps the article's 호
            number = (
                str(CIRCLED.index(hang_num[0]) + 1) if hang_num[0] in CIRCLED else _int(hang_num)
            )
            parent = _child(article, "para", number, hang_text)
        elif hang_text:
            _append(article, hang_text)
        for ho in hang.iterfind("호"):
            m = re.match(r"\s*(\d+)(?:의(\d+))?", text_of(ho, "호번호"))
            number = _num(m.group(1), m.group(2) or _int(text_of(ho, "호가지번호"))) if m else ""
            text = _ITEM_NUM.sub("", _flat(_raw(ho, "호내용")), count=1)
            item = _child(parent, "item", number or _int(text_of(ho, "호번호")), text)
            for mok in ho.iterfind("목"):
                letter = (text_of(mok, "목번호") or text_of(mok, "목내용"))[:1]
                text = _SUB_NUM.sub("", _flat(_raw(mok, "목내용")), count=1)
                if letter in SUBITEM_LETTERS:
                    _child(item, "subitem", letter, text)
                else:  # not 가…하: keep the words rather than invent a 목
                    _append(item, text)
    return article


def _ordinance_article(jo: Element, source: str) -> Provision:
    lines = _raw(jo, "조내용").strip().splitlines() or [""]
    heading, lines[0] = _split_head(lines[0])
    code = text_of(jo, "조문번호") or jo.get("조문번호", "")
    if re.fullmatch(r"\d{6}", code):  # AAAABB: 제7조의2 → 000702
        number = _num(str(int(code[:4])), str(int(code[4:])))
    elif head := _ARTICLE_HEAD.match(_raw(jo, "조내용")):
        number = _num(head.group(1), head.group(2))
    else:
        raise ApiError(source, f"조 without a usable 조문번호 ({code!r})", "expect AAAABB digits")
    article = _article(number, text_of(jo, "조제목") or heading)
    _fill(article, lines)
    return article


def parse_law_detail(xml: bytes, source: str, mst: str | None = None) -> LawText:
    """A statute version from ``lawService.do?target=law|eflaw&type=XML``."""
    return _parse_detail(xml, source, mst, _STATUTE)


def parse_ordinance_detail(xml: bytes, source: str, mst: str | None = None) -> LawText:
    """An ordinance version from ``lawService.do?target=ordin&type=XML``."""
    return _parse_detail(xml, source, mst, _ORDINANCE)


@dataclass(frozen=True)
class _Detail:
    """Where a ``lawService.do`` detail answer keeps what ``_parse_detail`` reads."""

    what: str  # 법령 or 자치법규
    roots: tuple[str, ...]  # the root elements it may have
    ask: str  # the request that gives it (for the error)
    info: str  # the element of its metadata
    serial: str  # the metadata key of the version's serial number (MST)
    title: str  # the metadata key of the title
    units: str  # the path of the article elements
    heading_flag: str  # 조문여부's value on 장·절 headings (not modelled)
    article: Callable[[Element, str], Provision]


_STATUTE = _Detail(
    "법령", ("법령", "law", "Law"), "target=law or eflaw", "기본정보", "법령일련번호",
    "법령명_한글", "조문/조문단위", "전문", _statute_article,
)  # fmt: skip
_ORDINANCE = _Detail(
    "자치법규", ("LawService", "자치법규"), "target=ordin", "자치법규기본정보",
    "자치법규일련번호", "자치법규명", "조문/조", "N", _ordinance_article,
)  # fmt: skip


def _parse_detail(xml: bytes, source: str, mst: str | None, kind: _Detail) -> LawText:
    root = parse_xml(xml, source)
    if root.tag not in kind.roots:
        raise ApiError(source, f"<{root.tag}> is not a {kind.what} detail", f"ask {kind.ask}")
    meta = _meta(root.find(kind.info))
    if mst and not meta.get(kind.serial):
        meta[kind.serial] = mst
    provisions = [
        kind.article(unit, source)
        for unit in root.iterfind(kind.units)
        if text_of(unit, "조문여부") != kind.heading_flag
    ]
    provisions.extend(_addenda(root.iterfind("부칙"), source))
    law = _lawtext_of(source, xml, meta, meta.get(kind.title, ""), provisions)
    law.annexes = _annexes(root)
    return law


_ANNEX_KIND = {"별표": "annex", "서식": "form"}


def _annexes(root: Element) -> dict[tuple[str, str], str]:
    """The record's 별표단위: (kind, number) → title; 별표번호 0001 and 가지번호 02 are 1의2."""
    out = {}
    for unit in root.iterfind(".//별표단위"):
        kind = _ANNEX_KIND.get(text_of(unit, "별표구분"))
        main, branch = _int(text_of(unit, "별표번호")), _int(text_of(unit, "별표가지번호"))
        if kind is None or main in ("", "0"):
            continue
        number = main + (f"의{branch}" if branch not in ("", "0") else "")
        out[kind, number] = _flat(_raw(unit, "별표제목"))
    return out


def parse_search(xml: bytes, source: str) -> list[dict[str, str]]:
    """The rows of a ``lawSearch.do`` answer (LawSearch, OrdinSearch, …Search roots)."""
    root = parse_xml(xml, source)
    if not root.tag.endswith("Search"):
        raise ApiError(source, f"<{root.tag}> is not a lawSearch.do answer", "ask lawSearch.do")
    if text_of(root, "totalCnt") == "0":
        return []
    return [{c.tag: nfc("".join(c.itertext())).strip() for c in row} for row in root if len(row)]
