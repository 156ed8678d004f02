r"""Read ordinance and statute texts in the legalize-kr Markdown layout.

The layout: YAML front matter, ``#####`` article headings ``제N조 (제목)``, paragraphs
starting ``①``/``**①**``, items ``  1.`` (or ``1\.``), sub-items ``가.``, and addenda under
``## 부칙`` introduced by ``부칙 <제8756호, 2023.5.22>``. The reader returns plain
dataclasses; ``to_graph`` turns one version into ELI triples.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from legigraph import ids
from legigraph.errors import InputError
from legigraph.namespaces import ELI, LG, SCHEMA
from legigraph.text import has_decomposed_hangul, nfc

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ARTICLE = re.compile(r"^#{3,6}\s*제\s*(\d+)\s*조(?:\s*의\s*(\d+))?\s*(?:\((.*)\))?\s*$")
_PARAGRAPH = re.compile(rf"^\s*(?:\*\*)?([{CIRCLED}])(?:\*\*)?\s*(.*)$")
_ITEM = re.compile(r"^\s*(\d+)(?:의(\d+))?\\?\.\s+(.*)$")
_SUBITEM = re.compile(rf"^\s*([{ids.SUBITEM_LETTERS}])\\?\.\s+(.*)$")
_ADDENDUM_ARTICLE = re.compile(r"^제\s*(\d+)\s*조(?:\s*의\s*(\d+))?\s*\(([^)]*)\)\s*(.*)$")
_ADDENDUM = re.compile(r"^부칙\s*(?:\([^)]*\))?\s*<\s*제\s*(\d+)\s*호\s*,\s*([\d.\s]+)>\s*$")
# libyaml reads front matter about a third faster; its error marks differ, so a broken
# block is read again by the pure-Python loader to name the line.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MARKER = re.compile(r"\s*<(개정|신설|삭제|전문개정|본조신설)\s+([\d.,\s]+)>")
_TYPES = {"art": "article", "para": "paragraph", "item": "item", "subitem": "subitem"}
_LABELS = {"art": "조", "para": "항", "item": "호", "subitem": "목"}


@dataclass
class Provision:
    """One article, paragraph, item, sub-item or addendum of a version."""

    path: str
    kind: str  # article | paragraph | item | subitem | addendum
    label: str  # 제7조제4호
    number: str  # 4, 4-2, 가, 8756
    text: str = ""
    heading: str = ""
    markers: list[str] = field(default_factory=list)
    line: int = 0
    children: list[Provision] = field(default_factory=list)

    def walk(self) -> Iterator[Provision]:
        """This provision and every provision below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class LawText:
    """One version of an ordinance or statute as read from a Markdown file."""

    source: Path
    meta: dict[str, Any]
    title: str
    provisions: list[Provision]
    sha256: str

    def walk(self) -> Iterator[Provision]:
        for top in self.provisions:
            yield from top.walk()

    def find(self, path: str) -> Provision:
        for prov in self.walk():
            if prov.path == path:
                return prov
        raise KeyError(path)


def _date(value: Any, path: Path, key: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as err:
        raise InputError(
            path, f"front matter {key}: {value!r} is not a date", "use YYYY-MM-DD"
        ) from err


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], list[str], int]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise InputError(path, "no YAML front matter", "start the file with a --- block", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise InputError(path, "front matter is not closed", "add a closing --- line", 1) from None
    block = "\n".join(lines[1:end])
    try:
        meta = yaml.load(block, Loader=_FAST_LOADER) or {}  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        meta = None  # read again below: the pure-Python loader names the line
    try:
        if meta is None:
            meta = yaml.safe_load(block) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        raise InputError(path, f"broken front matter: {err}", "fix the YAML", line) from err
    if not isinstance(meta, dict):
        raise InputError(path, "front matter is not a mapping", "use key: value lines", 2)
    return meta, lines[end + 1 :], end + 2


def _label(parent: Provision | None, step: str, number: str) -> str:
    num, _, branch = number.partition("-")
    own = f"제{num}{_LABELS[step]}" + (f"의{branch}" if branch else "")
    return own if parent is None else parent.label + own


def _strip_markers(text: str) -> tuple[str, list[str]]:
    markers = [f"{m.group(1)} {m.group(2).strip()}" for m in _MARKER.finditer(text)]
    return _MARKER.sub("", text).strip(), markers


def read_law_text(path: Path) -> LawText:
    """Read one legalize-kr Markdown file; errors name the file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror}", "check the path") from err
    return read_law_bytes(path, raw)


def read_law_bytes(path: Path, raw: bytes) -> LawText:
    """Read one legalize-kr Markdown text given as bytes (an archive member); ``path`` names it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, "not valid UTF-8", "save the file as UTF-8") from err
    meta, body, first_line = _split_front_matter(path, nfc(text))
    title = str(meta.get("자치법규명") or meta.get("제목") or meta.get("법령명") or "").strip()
    provisions: list[Provision] = []
    article: Provision | None = None
    para: Provision | None = None
    item: Provision | None = None
    in_addenda = False
    addendum: Provision | None = None

    for offset, raw_line in enumerate(body):
        lineno = first_line + offset
        line = raw_line.rstrip()
        if has_decomposed_hangul(line):
            raise InputError(path, "decomposed (NFD) Hangul", "normalise to NFC", lineno)
        stripped = line.strip()
        if not stripped or stripped.startswith("# "):
            if stripped.startswith("# ") and not title:
                title = stripped[2:].strip()
            continue
        if stripped.startswith("## ") and "부칙" in stripped:
            in_addenda = True
            article = para = item = None
            continue
        if (
            stripped.startswith("## ")
            or stripped.startswith("### ")
            or stripped.startswith("#### ")
        ):
            continue  # 편/장/절 headings: structure above articles is not modelled yet
        if in_addenda:
            match = _ADDENDUM.match(stripped)
            if match:
                number = match.group(1)
                # The same 공포번호 can head two addenda (an Act amended twice in one
                # promulgation): later ones get -2, -3 … so every path stays unique.
                seen = sum(1 for p in provisions if p.kind == "addendum" and p.number == number)
                addendum = Provision(
                    path=f"addendum_{number}" + (f"-{seen + 1}" if seen else ""),
                    kind="addendum",
                    label=f"부칙 <제{number}호>",
                    number=number,
                    heading=stripped,
                    line=lineno,
                )
                provisions.append(addendum)
            elif addendum is not None and (m := _ADDENDUM_ARTICLE.match(stripped)):
                number = m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
                addendum.children.append(
                    Provision(
                        f"{addendum.path}/art_{number}",
                        "article",
                        f"{addendum.label} {_label(None, 'art', number)}",
                        number,
                        m.group(4).strip(),
                        heading=m.group(3).strip(),
                        line=lineno,
                    )
                )
            elif addendum is not None and addendum.children:
                child = addendum.children[-1]
                child.text = (child.text + " " + stripped).strip()
            elif addendum is not None:
                addendum.text = (addendum.text + " " + stripped).strip()
            else:
                raise InputError(
                    path,
                    "text under 부칙 before any 부칙 <제N호, date> line",
                    "start each addendum with 부칙 <제N호, YYYY.M.D>",
                    lineno,
                )
            continue
        match = _ARTICLE.match(stripped)
        if match:
            number = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")
            heading = (match.group(3) or "").strip()
            article = Provision(
                path=f"art_{number}",
                kind="article",
                label=_label(None, "art", number),
                number=number,
                heading=heading,
                line=lineno,
            )
            provisions.append(article)
            para = item = None
            continue
        if article is None:
            raise InputError(
                path,
                f"text before the first article: {stripped[:40]!r}",
                "articles start with ##### 제N조 (제목)",
                lineno,
            )
        text, markers = _strip_markers(stripped)
        if m := _PARAGRAPH.match(stripped):
            number = str(CIRCLED.index(m.group(1)) + 1)
            text, markers = _strip_markers(m.group(2))
            para = Provision(
                f"{article.path}/para_{number}",
                "paragraph",
                _label(article, "para", number),
                number,
                text,
                markers=markers,
                line=lineno,
            )
            article.children.append(para)
            item = None
        elif m := _ITEM.match(line):
            number = m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
            text, markers = _strip_markers(m.group(3))
            parent = para or article
            item = Provision(
                f"{parent.path}/item_{number}",
                "item",
                _label(parent, "item", number),
                number,
                text,
                markers=markers,
                line=lineno,
            )
            parent.children.append(item)
        elif m := _SUBITEM.match(line):
            if item is None:
                raise InputError(
                    path, "sub-item (가.) outside an item", "put 목 under a numbered 호", lineno
                )
            letter = m.group(1)
            number = str(ids.SUBITEM_LETTERS.index(letter) + 1)
            text, markers = _strip_markers(m.group(2))
            item.children.append(
                Provision(
                    f"{item.path}/subitem_{number}",
                    "subitem",
                    item.label + f"{letter}목",
                    letter,
                    text,
                    markers=markers,
                    line=lineno,
                )
            )
        else:
            target = item or para or article
            target.text = (target.text + " " + text).strip()
            target.markers.extend(markers)
    if not provisions:
        raise InputError(path, "no articles found", "articles start with ##### 제N조 (제목)")
    return LawText(path, meta, nfc(title), provisions, hashlib.sha256(raw).hexdigest())


def subdivision_kind(prov: Provision) -> str:
    """The code of the subdivision-type list for ``prov`` (article, paragraph, …)."""
    if prov.kind == "addendum":
        return "addendum"
    return _TYPES[prov.path.rpartition("/")[2].partition("_")[0]]


def to_graph(
    law: LawText, work: URIRef, version: URIRef, graph: Graph, only: set[str] | None = None
) -> Graph:
    """Add one version's subdivisions to ``graph``: work-level and version-level nodes.

    ``only`` limits them to the given paths (a cited provision and its ancestors).
    """
    ko = "ko"
    for position, prov in enumerate(law.walk(), start=1):
        if only is not None and prov.path not in only:
            continue
        parent_path = prov.path.rpartition("/")[0]
        w_node = ids.provision(work, prov.path)
        v_node = ids.provision(version, prov.path)
        kind = subdivision_kind(prov)
        graph.add((w_node, RDF.type, ELI.LegalResourceSubdivision))
        graph.add((w_node, ELI.type_subdivision, ids.concept("subdivision-type", kind)))
        graph.add((w_node, ELI.number, Literal(prov.number)))
        graph.add((w_node, RDFS.label, Literal(prov.label, lang=ko)))
        w_parent = ids.provision(work, parent_path) if parent_path else work
        graph.add((w_node, ELI.is_part_of, w_parent))
        graph.add((w_parent, ELI.has_part, w_node))
        graph.add((v_node, RDF.type, LG.ProvisionVersion))
        graph.add((v_node, ELI.realizes, w_node))
        graph.add((w_node, ELI.is_realized_by, v_node))
        graph.add((v_node, LG.inVersion, version))
        v_parent = ids.provision(version, parent_path) if parent_path else version
        graph.add((v_node, DCTERMS.isPartOf, v_parent))
        graph.add((v_node, SCHEMA.position, Literal(position, datatype=XSD.integer)))
        graph.add((v_node, RDFS.label, Literal(prov.label, lang=ko)))
        if prov.text:
            graph.add((v_node, SCHEMA.text, Literal(prov.text, lang=ko)))
        if prov.heading:
            graph.add((v_node, ELI.title, Literal(prov.heading, lang=ko)))
        for marker in prov.markers:
            graph.add((v_node, LG.revisionNote, Literal(marker, lang=ko)))
        graph.add((v_node, PROV.wasDerivedFrom, version))
    return graph


def version_metadata(law: LawText) -> dict[str, str]:
    """The identifying dates and numbers of a version from its front matter."""
    meta = law.meta
    out = {
        "promulgated": _date(meta.get("공포일자"), law.source, "공포일자"),
        "in_force": _date(meta.get("시행일자"), law.source, "시행일자"),
        "promulgation_number": str(meta.get("공포번호", "")).strip(),
    }
    for key, name in (("자치법규ID", "local_law_id"), ("자치법규일련번호", "serial")):
        if meta.get(key):
            out[name] = str(meta[key]).strip()
    if not out["promulgation_number"].isdigit():
        raise InputError(
            law.source, "front matter 공포번호 is missing or not a number", "add 공포번호: 'NNNN'"
        )
    return out
