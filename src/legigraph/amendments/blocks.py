r"""The new text after 다음과 같이: split among operations, and read into provisions.

Block lines are written as the law prints them: ``제5조(제목) …`` for an article,
``① …`` a paragraph, ``4. …`` (or ``4\.``, ``73의2.``) an item, ``가. …`` a sub-item, ``1) …``
below it, ``제2장의2 …`` a heading. A sentence with several 다음과 같이 operations is followed
by the blocks of all of them, in order; ``split_block`` finds where each one starts.
"""

from __future__ import annotations

import re

from legigraph.amendments.model import Target
from legigraph.amendments.refs import SUBITEM_LETTERS
from legigraph.amendments.tree import Node, segment_of

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ARTICLE = re.compile(r"^제\s*(\d+)\s*조(?:\s*의\s*(\d+))?\s*(?:\(([^)]*)\))?\s*(.*)$")
_ARTICLE_TEXT = re.compile(r"^제\s*\d+\s*조(?:\s*의\s*\d+)?\s*\(")
_HEADING = re.compile(r"^제\s*(\d+)\s*(편|장|절|관)(?:\s*의\s*(\d+))?(?:\s+(.*))?$")
_PARAGRAPH = re.compile(rf"^(?:\*\*)?([{CIRCLED}]|<\d+>)(?:\*\*)?\s*(.*)$")
_ITEM = re.compile(r"^(\d+)(?:\s*의\s*(\d+))?\\?\.\s*(.*)$")
_SUBITEM = re.compile(rf"^([{SUBITEM_LETTERS}])(?:\s*의\s*(\d+))?\\?\.\s*(.*)$")
_SUBSUB = re.compile(r"^\(?(\d+)\)\s*(.*)$")
HEADING_KINDS = ("part", "chapter", "section", "subsection")
_IMAGE = re.compile(r"^<img [^>]*>(?:</img>)?$")
_HEADING_KIND = {"편": "part", "장": "chapter", "절": "section", "관": "subsection"}


def is_article_text(line: str) -> bool:
    """True for the first line of a new article: ``제5조(목적) …``."""
    return _ARTICLE_TEXT.match(line.strip()) is not None


def is_image(line: str) -> bool:
    """True for a line that is only an image (``<img id="…"></img>``), as 별지 are printed."""
    return _IMAGE.match(line.strip()) is not None


def marker_number(marker: str) -> str:
    """The number of a paragraph marker: ``⑤`` → ``5``, ``<21>`` → ``21``."""
    return marker.strip("<>") if marker.startswith("<") else str(CIRCLED.index(marker) + 1)


def paragraph_number(line: str) -> str | None:
    """The number of the paragraph a line starts (``⑤ …``, ``**⑤**``, ``<21> …``), or None."""
    m = _PARAGRAPH.match(line.strip())
    return None if m is None else marker_number(m.group(1))


def _number(main: str, branch: str | None) -> str:
    return str(int(main)) + (f"-{int(branch)}" if branch else "")


def line_label(line: str) -> tuple[str, str, str] | None:
    """The kind, number and rest of a block line that starts a provision, or None."""
    s = line.strip()
    if m := _ARTICLE.match(s):
        return "art", _number(m.group(1), m.group(2)), s
    if m := _HEADING.match(s):
        return _HEADING_KIND[m.group(2)], _number(m.group(1), m.group(3)), m.group(4) or ""
    if m := _PARAGRAPH.match(s):
        return "para", marker_number(m.group(1)), m.group(2)
    if m := _ITEM.match(s):
        return "item", _number(m.group(1), m.group(2)), m.group(3)
    if m := _SUBITEM.match(s):
        letter = str(SUBITEM_LETTERS.index(m.group(1)) + 1)
        return "subitem", letter + (f"-{int(m.group(2))}" if m.group(2) else ""), m.group(3)
    if m := _SUBSUB.match(s):
        return "subsub", str(int(m.group(1))), m.group(2)
    return None


def split_block(lines: list[str], targets: list[Target]) -> list[str] | None:
    """The block text of each target, in order, or None when the block does not fit them.

    One target takes the whole block. Several must each find the line that starts their
    provision (``4.`` for ``…/item_4``) at or after the previous one's, the first at the
    top; a range target takes every line up to the next target's start.
    """
    text = [line.strip() for line in lines]
    if len(targets) == 1:
        return ["\n".join(text)]
    if all(is_image(line) for line in text):
        # 연번 245 및 246을 각각 다음과 같이 신설한다: one image each, or one for all
        return text if len(text) == len(targets) else ["\n".join(text)] * len(targets)
    lasts = {segment_of(t.path) for t in targets}
    labels = [lab[:2] for line in text if (lab := line_label(line))]
    if len(lasts) == 1 and labels and labels.count(labels[0]) == 1 and labels[0] in lasts:
        # 제62조제1항제1호 및 같은 조 제2항제1호를 각각 다음과 같이 한다: one text for both
        return ["\n".join(text)] * len(targets)
    starts: list[int] = []
    for target in targets:
        kind, number = segment_of(target.path)
        after = starts[-1] + 1 if starts else 0
        found = next(
            (
                i
                for i in range(after, len(text))
                if (lab := line_label(text[i])) and lab[:2] == (kind, number)
            ),
            None,
        )
        if found is None or (not starts and found != 0):
            return None
        starts.append(found)
    ends = [*starts[1:], len(text)]
    return ["\n".join(text[s:e]) for s, e in zip(starts, ends, strict=True)]


def read_block(text: str, parent: str) -> list[Node]:
    """The provisions written in a block, with paths under ``parent`` ("" for the top).

    Lines that start no provision continue the text of the last one (the reader joins
    wrapped lines the same way, with a space).
    """
    roots: list[Node] = []
    stack: list[Node] = []  # the open provisions, outermost first
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        label = line_label(line)
        if label is not None and label[0] in _HEADING_KIND.values():
            continue  # 제2장의2 …: headings are not in the version model, their articles are
        if label is None:
            if stack:
                stack[-1].text = (stack[-1].text + " " + line).strip()
            continue
        kind, number, rest = label
        heading = ""
        first_paragraph = None
        if kind == "art":
            m = _ARTICLE.match(line)
            assert m is not None  # line_label matched the same pattern
            heading, rest = (m.group(3) or "").strip(), m.group(4)
            # 제1조(목적) ① 이 법은 …: the first paragraph is on the article's line
            if (p := _PARAGRAPH.match(rest)) and not p.group(1).startswith("<"):
                first_paragraph, rest = p, ""
        level = _LEVEL[kind]
        while stack and _LEVEL[stack[-1].kind] >= level:
            stack.pop()
        base = stack[-1].path if stack else parent
        node = Node(
            f"{base}/{kind}_{number}" if base else f"{kind}_{number}", rest.strip(), heading
        )
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
        if first_paragraph is not None:
            number = str(CIRCLED.index(first_paragraph.group(1)) + 1)
            para = Node(f"{node.path}/para_{number}", first_paragraph.group(2).strip())
            node.children.append(para)
            stack.append(para)
    return roots


_LEVEL = {"art": 0, "para": 1, "item": 2, "subitem": 3, "subsub": 4}
