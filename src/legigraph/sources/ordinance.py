r"""Read ordinance and statute texts in the legalize-kr Markdown layout.

The layout: YAML front matter, ``#####`` article headings ``제N조 (제목)``, paragraphs
starting ``①``/``**①**``, items ``  1.`` (or ``1\.``), sub-items ``가.``, and addenda under
``## 부칙`` introduced by ``부칙 <제8756호, 2023.5.22>``. The reader returns plain
dataclasses; ``model.provisions`` maps one version to ELI triples.

The reader takes every file that has front matter and some text: text before the first
article is the law's 전문 (``preamble``) or, in a law with no articles at all, its 본문
(``body``); what it cannot structure (a sub-item outside an item, a repeated number) it
keeps as text or under a distinct path, and reports in ``LawText.warnings`` with the line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from legigraph.errors import InputError
from legigraph.inputs import read_input
from legigraph.model import ids
from legigraph.model.records import LawText, Provision, ReadWarning
from legigraph.model.text import has_decomposed_hangul, nfc

# ①–⑳, then ㉑–㉟ (U+3251…) and ㊱–㊿ (U+32B1…): articles of 직제 rules run past twenty
# paragraphs.
CIRCLED = (
    "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    + "".join(map(chr, range(0x3251, 0x3260)))
    + "".join(map(chr, range(0x32B1, 0x32C0)))
)
_ARTICLE = re.compile(r"^#{3,6}\s*제\s*(\d+)\s*조(?:\s*의\s*(\d+))?\s*(?:\((.*)\))?\s*$")
_PARAGRAPH = re.compile(rf"^\s*(?:\*\*)?([{CIRCLED}])(?:\*\*)?\s*(.*)$")
_ITEM = re.compile(r"^\s*(\d+)(?:의(\d+))?\\?\.\s+(.*)$")
_SUBITEM = re.compile(rf"^\s*([{ids.SUBITEM_LETTERS}])\\?\.\s+(.*)$")
_ADDENDUM_ARTICLE = re.compile(r"^제\s*(\d+)\s*조(?:\s*의\s*(\d+))?\s*\(([^)]*)\)\s*(.*)$")
_ADDENDUM = re.compile(r"^부칙\s*(\(?)([^)<]*\))?\s*<\s*제\s*(\d+)\s*호\s*,\s*([\d.\s]+)>\s*$")
# In an addendum that amends another law, "제5조를 다음과 같이 한다." is followed by the
# new text of 제5조, which is a quotation, not an article of the addendum.
_QUOTES_NEXT = re.compile(r"다음과\s*같이\s*(?:한다|신설한다)\.?\s*$")
# libyaml reads front matter about a third faster; its error marks differ, so a broken
# block is read again by the pure-Python loader to name the line.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MARKER = re.compile(r"\s*<(개정|신설|삭제|전문개정|본조신설)\s+([\d.,\s]+)>")
_LABELS = {"art": "조", "para": "항", "item": "호", "subitem": "목"}
# Text before the first article: 전문 (a preamble, as in 대한민국헌법) when articles
# follow, 본문 (the whole main text) of a law that has none (repeal Acts, one-sentence
# decrees such as 연호에 관한 법률).
PREAMBLE, BODY = "전문", "본문"


def _date(value: Any, path: Path, key: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = ids.iso_date(str(value))
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
    if "<" not in text:  # every marker opens with "<": most lines have none
        return text.strip(), []
    markers = [f"{m.group(1)} {m.group(2).strip()}" for m in _MARKER.finditer(text)]
    return _MARKER.sub("", text).strip(), markers


def read_law_text(path: Path) -> LawText:
    """Read one legalize-kr Markdown file; errors name the file and line."""
    path = Path(path)
    return read_law_bytes(path, read_input(path))


def read_law_bytes(path: Path, raw: bytes) -> LawText:
    """Read one legalize-kr Markdown text given as bytes (an archive member); ``path`` names it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, "not valid UTF-8", "save the file as UTF-8") from err
    meta, body, first_line = _split_front_matter(path, nfc(text))
    title = str(meta.get("자치법규명") or meta.get("제목") or meta.get("법령명") or "").strip()
    if has_decomposed_hangul("\n".join(body)):  # one look for the whole text, then the line
        offset = next(n for n, line in enumerate(body) if has_decomposed_hangul(line))
        raise InputError(path, "decomposed (NFD) Hangul", "normalise to NFC", first_line + offset)
    reader = _Reader(path)
    for offset, raw_line in enumerate(body):
        line = raw_line.rstrip()
        if not line:
            continue  # a blank line: nothing to read (about half the lines of a file)
        if not title and line.strip().startswith("# "):
            title = line.strip()[2:].strip()
        reader.line(first_line + offset, line)
    if not reader.provisions:
        raise InputError(path, "no articles found", "articles start with ##### 제N조 (제목)")
    reader.finish()
    return LawText(path, meta, nfc(title), reader.provisions, hashlib.sha256(raw).hexdigest(),
                   reader.warnings)  # fmt: skip


class _Reader:
    """The state of reading one file, line by line (``read_law_bytes``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.provisions: list[Provision] = []
        self.warnings: list[ReadWarning] = []
        self.article: Provision | None = None  # or the preamble / body before the first one
        self.para: Provision | None = None
        self.item: Provision | None = None
        self.in_addenda = False
        self.addendum: Provision | None = None
        self.previous = ""  # the last non-blank line of an addendum
        self.seen: dict[str, int] = {}  # every path so far, with the line it was read at

    def warn(self, lineno: int, kind: str, message: str) -> None:
        self.warnings.append(ReadWarning(lineno, kind, message))

    def unique(self, path: str, label: str, lineno: int) -> str:
        """``path``, or ``path~2``, ``~3`` … when the file already has it (a repeated number).

        ``~`` cannot be read as a branch number (``art_4-2`` is 제4조의2), so the first
        occurrence keeps the path that citations name and the repeats stay addressable.
        """
        if path not in self.seen:
            self.seen[path] = lineno
            return path
        n = 2
        while f"{path}~{n}" in self.seen:
            n += 1
        self.warn(lineno, "repeated-number", f"{label} repeated (first at line {self.seen[path]}): "
                          f"kept as {path.rpartition('/')[2]}~{n}")  # fmt: skip
        self.seen[f"{path}~{n}"] = lineno
        return f"{path}~{n}"

    def line(self, lineno: int, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            return
        if stripped[0] == "#" and self.heading(stripped):
            return
        if self.in_addenda:
            self.addendum_line(lineno, stripped)
            self.previous = stripped
            return
        match = _ARTICLE.match(stripped) if stripped[0] == "#" else None
        if match:
            number = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")
            label = _label(None, "art", number)
            self.article = Provision(
                path=self.unique(f"art_{number}", label, lineno),
                kind="article",
                label=label,
                number=number,
                heading=(match.group(3) or "").strip(),
                line=lineno,
            )
            self.provisions.append(self.article)
            self.para = self.item = None
            return
        if self.article is None:
            # Text before the first article: kept whole, as the preamble (or body).
            self.article = Provision("preamble", "preamble", PREAMBLE, "", line=lineno)
            self.provisions.append(self.article)
            self.seen["preamble"] = lineno
        if self.article.kind == "preamble" or (line[:1].isspace() and "\t" in _indent(line)):
            # Lines indented with a tab continue the provision above them: the notes,
            # tables and quoted old wording that legalize-kr indents, whose "1." or "가."
            # are not items of the law.
            self.append(self.item or self.para or self.article, stripped)
            return
        self.structured_line(lineno, line, stripped)

    def heading(self, stripped: str) -> bool:
        """Read a # line above the articles (the title, 편/장/절, ## 부칙); False: not one."""
        if stripped.startswith("# "):
            return True
        if stripped.startswith("## ") and "부칙" in stripped:
            self.in_addenda = True
            self.article = self.para = self.item = None
            return True
        # 편/장/절 headings: structure above articles is not modelled yet
        return stripped.startswith(("## ", "### ", "#### "))

    def structured_line(self, lineno: int, line: str, stripped: str) -> None:
        article = self.article
        assert article is not None
        if m := _PARAGRAPH.match(stripped):
            number = str(CIRCLED.index(m.group(1)) + 1)
            text, markers = _strip_markers(m.group(2))
            label = _label(article, "para", number)
            path = self.unique(f"{article.path}/para_{number}", label, lineno)
            self.para = Provision(path, "paragraph", label, number, text, markers=markers,
                                  line=lineno)  # fmt: skip
            article.children.append(self.para)
            self.item = None
        elif (m := _ITEM.match(line)) and m.group(1) != "0":
            number = m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
            text, markers = _strip_markers(m.group(3))
            parent = self.para or article
            label = _label(parent, "item", number)
            path = self.unique(f"{parent.path}/item_{number}", label, lineno)
            self.item = Provision(path, "item", label, number, text, markers=markers,
                                  line=lineno)  # fmt: skip
            parent.children.append(self.item)
        elif m := _SUBITEM.match(line):
            if self.item is None:
                target = self.para or article
                self.warn(lineno, "orphan-subitem", f"sub-item ({m.group(1)}.) outside an item: "
                                  f"kept as text of {target.label}")  # fmt: skip
                self.append(target, stripped)
                return
            letter = m.group(1)
            number = str(ids.SUBITEM_LETTERS.index(letter) + 1)
            text, markers = _strip_markers(m.group(2))
            label = self.item.label + f"{letter}목"
            path = self.unique(f"{self.item.path}/subitem_{number}", label, lineno)
            self.item.children.append(
                Provision(path, "subitem", label, letter, text, markers=markers, line=lineno)
            )
        else:
            if _ITEM.match(line):  # "0\. 5밀리그램": a decimal split by the source's escaping
                message = "item number 0 (a decimal number split at its point): kept as text"
                self.warn(lineno, "item-zero", message)
            self.append(self.item or self.para or article, stripped)

    def append(self, target: Provision, stripped: str) -> None:
        text, markers = _strip_markers(stripped)
        target.text = (target.text + " " + text).strip()
        target.markers.extend(markers)

    def addendum_line(self, lineno: int, stripped: str) -> None:
        addendum = self.addendum
        match = _ADDENDUM.match(stripped)
        if match:
            if match.group(2) and not match.group(1):
                self.warn(lineno, "addendum-heading", "addendum heading without the opening "
                          "parenthesis of its name: read as 부칙(…) <제N호, date>")  # fmt: skip
            number = match.group(3)
            # The same 공포번호 can head two addenda (an Act amended twice in one
            # promulgation): later ones get -2, -3 … so every path stays unique.
            seen = sum(1 for p in self.provisions if p.kind == "addendum" and p.number == number)
            self.addendum = Provision(
                path=f"addendum_{number}" + (f"-{seen + 1}" if seen else ""),
                kind="addendum",
                label=f"부칙 <제{number}호>",
                number=number,
                heading=stripped,
                line=lineno,
            )
            self.seen[self.addendum.path] = lineno
            self.provisions.append(self.addendum)
        elif (
            addendum is not None
            and (m := _ADDENDUM_ARTICLE.match(stripped))
            and self.starts_article(m)
        ):
            number = m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
            label = f"{addendum.label} {_label(None, 'art', number)}"
            addendum.children.append(
                Provision(
                    self.unique(f"{addendum.path}/art_{number}", label, lineno),
                    "article",
                    label,
                    number,
                    m.group(4).strip(),
                    heading=m.group(3).strip(),
                    line=lineno,
                )
            )
        elif addendum is not None:
            target = addendum.children[-1] if addendum.children else addendum
            target.text = (target.text + " " + stripped).strip()
        else:
            # Text under 부칙 before any addendum heading: kept with the provision above.
            if not self.provisions:
                self.provisions.append(Provision("preamble", "preamble", PREAMBLE, "", line=lineno))
            last = list(self.provisions[-1].walk())[-1]
            self.warn(lineno, "text-before-addendum", "text under 부칙 before any "
                      f"부칙 <제N호, date> line: kept as text of {last.label}")  # fmt: skip
            last.text = (last.text + " " + stripped).strip()

    def starts_article(self, match: re.Match[str]) -> bool:
        """Whether a 제N조(…) line of an addendum is its next article, not a quotation.

        Quoted: right after "…를 다음과 같이 한다." (the new wording of another law's
        article), or numbered no higher than the addendum's last article (quoted wording
        goes on with the law it amends: 제6조 … 제7조 inside the addendum's 제8조).
        """
        if _QUOTES_NEXT.search(self.previous):
            return False
        assert self.addendum is not None
        if not self.addendum.children:
            return True
        last = self.addendum.children[-1].number
        return _article_key(match.group(1), match.group(2)) > _article_key(*_split(last))

    def finish(self) -> None:
        """Name the text before the first article: 전문, or 본문 when no article follows."""
        first = self.provisions[0]
        if first.kind == "preamble" and not any(p.kind == "article" for p in self.provisions):
            first.path, first.kind, first.label = "body", "body", BODY
        for prov in (p for top in self.provisions for p in top.walk()):
            if not prov.text and not prov.children:
                # A heading with nothing under it: the source lost the text (a deleted
                # article shows "삭제" in the official text).
                self.warn(prov.line, "empty-provision", f"{prov.label} has no text and no parts")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _split(number: str) -> tuple[str, str | None]:
    main, _, branch = number.partition("-")
    return main, branch or None


def _article_key(main: str, branch: str | None) -> tuple[int, int]:
    return int(main), int(branch or 0)


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
