"""The 신구조문대비표: 현행 | 개정안, provision by provision, changed words marked.

Laid out as Korean bills print it: only the articles the draft touches, each with its
heading line; within them a provision left as it is reads "(현행과 같음)" on the 개정안
side (a run of them is one row, ``1.∼3.``), the articles between are "…", a new provision
has "<신 설>" on the 현행 side, a repealed one "삭 제" on the 개정안 side, and a renumbered
one its new number marked. Words are compared with ``difflib`` on word tokens (a word of
Korean text is a 어절: the stem with its particles); a word replaced by one word is compared
again by characters, so a changed particle is marked alone.

Rows are plain data; ``markdown``, ``html`` and ``csv_text`` write them (HTML escaped with
``html.escape``: ``<del>`` on the 현행 side, ``<ins>`` on the 개정안 side).
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import re
from dataclasses import dataclass, field

from legigraph.amendments import Node
from legigraph.draft.execute import Applied
from legigraph.draft.render import heading_line, number_label
from legigraph.sources.ordinance import CIRCLED

Segments = tuple[tuple[str, bool], ...]  # (text, changed) pieces of a cell
_TOKEN = re.compile(r"\s+|\S+")
SAME = "(현행과 같음)"
NEW_MARK = "<신 설>"
REPEALED = "삭 제"
OMITTED = "…"


@dataclass(frozen=True)
class Row:
    """One row of the table: what it shows (kind) and its two cells as segments."""

    kind: str  # heading | same | omitted | changed | inserted | renumbered | repealed
    label: str  # the provision's label after the draft (제7조제4호), or before if gone
    old: Segments
    new: Segments
    depth: int = 1  # 1 an article, 2 a paragraph or an item of an article …


@dataclass
class Table:
    """The 대비표 of one draft: its title and rows."""

    title: str
    rows: list[Row] = field(default_factory=list)


def _merge(pieces: list[tuple[str, bool]]) -> Segments:
    """Join neighbours of the same kind; a space between two marked pieces is marked."""
    out: list[tuple[str, bool]] = []
    for i, (text, mark) in enumerate(pieces):
        if not mark and not text.strip() and 0 < i < len(pieces) - 1:
            mark = pieces[i - 1][1] and pieces[i + 1][1]
        if out and out[-1][1] == mark:
            out[-1] = (out[-1][0] + text, mark)
        elif text:
            out.append((text, mark))
    return tuple(out)


def _marked(tokens: list[str]) -> list[tuple[str, bool]]:
    return [(t, bool(t.strip())) for t in tokens]


def diff(old: str, new: str) -> tuple[Segments, Segments]:
    """The two texts as segments, the words that differ marked."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left += [(t, False) for t in a[i1:i2]]
            right += [(t, False) for t in b[j1:j2]]
        elif op == "replace" and i2 - i1 == 1 and j2 - j1 == 1:
            chars = difflib.SequenceMatcher(None, a[i1], b[j1], autojunk=False)
            for cop, k1, k2, m1, m2 in chars.get_opcodes():
                left.append((a[i1][k1:k2], cop != "equal"))
                right.append((b[j1][m1:m2], cop != "equal"))
        else:
            left += _marked(a[i1:i2])
            right += _marked(b[j1:j2])
    return _merge(left), _merge(right)


def plain(text: str, mark: bool = False) -> Segments:
    return ((text, mark),) if text else ()


def prefix(node: Node) -> str:
    """How the text writes a provision's number: ``제7조(지원사업)``, ``①``, ``4.``, ``가.``."""
    if node.kind == "art":
        return heading_line(node).replace(" (", "(")
    if node.kind == "para" and node.number.isdigit() and 0 < int(node.number) <= len(CIRCLED):
        return CIRCLED[int(node.number) - 1]
    return f"{number_label(node)}."


def provision_label(node: Node) -> str:
    """The Korean label of a node's path: ``art_7/item_4`` → ``제7조제4호``."""
    units = {"art": "조", "para": "항", "item": "호"}
    out = ""
    for step in node.path.split("/"):
        kind, _, number = step.partition("_")
        probe = Node(step)
        if kind == "subitem":
            out += number_label(probe) + "목"
        else:
            main, _, branch = number.partition("-")
            out += f"제{main}{units.get(kind, '')}" + (f"의{branch}" if branch else "")
    return out


def particle(word: str, after_consonant: str = "과", after_vowel: str = "와") -> str:
    """과 after a final consonant (제1항과), 와 after a vowel (제4호와); 을/를, 으로/로 alike."""
    last = word[-1:]
    has_final = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
    return after_consonant if has_final else after_vowel


def _row(old: Node | None, new: Node) -> Row:
    label = provision_label(new)
    if old is None:
        return Row("inserted", label, plain(NEW_MARK), plain(f"{prefix(new)} {new.text}", True))
    if new.text == "삭제" and old.text != "삭제":
        parts = old.children
        rest = f" {prefix(parts[0])}∼{prefix(parts[-1])} {OMITTED}" if parts else ""
        return Row(
            "repealed",
            label,
            plain(f"{prefix(old)} {old.text}{rest}"),
            (*plain(f"{prefix(new)} "), *plain(REPEALED, True)),
        )
    old_text = f"{old.heading}\x00{old.text}" if new.kind == "art" else old.text
    new_text = f"{new.heading}\x00{new.text}" if new.kind == "art" else new.text
    moved = old.path != new.path
    if old_text == new_text and not moved:
        return Row(
            "same",
            label,
            plain(f"{prefix(old)} {old.text}".strip()),
            plain(f"{prefix(new)} {SAME}"),
        )
    if new.kind == "art" and old.heading != new.heading:
        a, b = diff(prefix(old), prefix(new))
    else:
        a, b = plain(prefix(old)), plain(prefix(new), moved)
    if old.text == new.text:
        number = provision_label(old).rpartition("조")[2] or provision_label(old)
        same = f"(현행 {number}{particle(number)} 같음)"
        return Row(
            "renumbered" if moved else "changed",
            label,
            (*a, *plain(f" {old.text}")),
            (*b, *plain(f" {same}")),
        )
    left, right = diff(old.text, new.text)
    return Row(
        "renumbered" if moved else "changed",
        label,
        (*a, *plain(" "), *left),
        (*b, *plain(" "), *right),
    )


def _collapse(rows: list[Row]) -> list[Row]:
    """A run of provisions left as they are becomes one row: ``1.∼3.``."""
    out: list[Row] = []
    run: list[Row] = []

    def flush() -> None:
        if len(run) == 1:
            out.append(run[0])
        elif run:
            first, last = (r.new[0][0].split(" ")[0] for r in (run[0], run[-1]))
            out.append(
                Row(
                    "same",
                    f"{run[0].label}∼{run[-1].label}",
                    plain(f"{first}∼{last} {OMITTED}"),
                    plain(f"{first}∼{last} {SAME}"),
                )
            )
        run.clear()

    for row in rows:
        if row.kind == "same" and (not run or run[-1].depth == row.depth):
            run.append(row)
            continue
        flush()
        if row.kind == "same":
            run.append(row)
        else:
            out.append(row)
    flush()
    return out


def _article_rows(old: Node | None, new: Node) -> list[Row]:
    before = {n.identity: n for n in old.walk()} if old is not None else {}
    rows = []
    for node in new.walk():
        prior = before.get(node.identity)
        row = _row(prior, node)
        row = Row(row.kind, row.label, row.old, row.new, node.path.count("/") + 1)
        if node is new and row.kind == "same":
            row = Row(
                "heading",
                row.label,
                plain(f"{prefix(node)} {node.text}".strip()),
                plain(f"{prefix(node)} {SAME}"),
                1,
            )
        rows.append(row)
    return rows


def article_rows(old: Node | None, new: Node) -> list[Row]:
    """The rows of one article: its heading row, then its provisions.

    Runs of provisions left as they are are collapsed; nodes are matched by ``identity``
    (a renumbered provision keeps its own).
    """
    rows = _article_rows(old, new)
    return rows[:1] + _collapse(rows[1:])


def table(applied: Applied, title: str) -> Table:
    """The 대비표 of the articles the draft touches."""
    touched: set[str] = set()
    for step in applied.steps:
        for path in (
            *step.inserted,
            *step.repealed,
            *step.changed,
            *(m.old for m in step.moves),
            *(m.new for m in step.moves),
        ):
            touched.add(path.partition("/")[0])
    before = {n.identity: n for n in applied.before.nodes}
    out = Table(title)
    articles = [n for n in applied.after.nodes if n.path in touched]
    previous = -1
    order = {n.path: i for i, n in enumerate(applied.after.nodes)}
    for node in articles:
        if previous >= 0 and order[node.path] > previous + 1:
            out.rows.append(Row("omitted", "", plain(OMITTED), plain(OMITTED)))
        previous = order[node.path]
        out.rows += article_rows(before.get(node.identity), node)
    return out


def _md(segments: Segments) -> str:
    text = "".join(f"<u>{t}</u>" if m else t for t, m in segments)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(t: Table) -> str:
    """The table in Markdown: changed words underlined (<u>…</u>), as bills print them."""
    lines = [f"# 신구조문대비표: {t.title}", "", "| 현행 | 개정안 |", "|---|---|"]
    lines += [f"| {_md(r.old)} | {_md(r.new)} |" for r in t.rows]
    return "\n".join(lines) + "\n"


def _html(segments: Segments, tag: str) -> str:
    return "".join(f"<{tag}>{html.escape(x)}</{tag}>" if m else html.escape(x) for x, m in segments)


def html_page(t: Table) -> str:
    """The table as a standalone HTML page: <del> on the 현행 side, <ins> on the 개정안 side."""
    rows = "\n".join(
        f'<tr class="{r.kind}"><td>{_html(r.old, "del")}</td><td>{_html(r.new, "ins")}</td></tr>'
        for r in t.rows
    )
    title = html.escape(f"신구조문대비표: {t.title}")
    return (
        '<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>table{{border-collapse:collapse}}"
        "td,th{border:1px solid #444;padding:4px 8px;vertical-align:top;width:50%}"
        "ins{text-decoration:underline;background:#e6ffe6}"
        "del{text-decoration:underline;background:#ffe6e6}</style>\n</head>\n<body>\n"
        f"<h1>{title}</h1>\n<table>\n<tr><th>현 행</th><th>개 정 안</th></tr>\n{rows}\n"
        "</table>\n</body>\n</html>\n"
    )


def csv_text(t: Table) -> str:
    """One line per row: kind, provision, both texts, and the words marked on each side."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["구분", "조문", "현행", "개정안", "현행_바뀐_부분", "개정안_바뀐_부분"])
    for r in t.rows:
        changed = [" / ".join(x.strip() for x, m in side if m) for side in (r.old, r.new)]
        writer.writerow(
            [r.kind, r.label, "".join(x for x, _ in r.old), "".join(x for x, _ in r.new), *changed]
        )
    return buffer.getvalue()
