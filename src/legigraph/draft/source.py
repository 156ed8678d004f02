"""Read a draft amending bill in the standard form: front matter, title, 개정문, 부칙.

The file (Markdown or text, UTF-8) starts with a YAML front matter naming what the bill
amends and when it is to take effect; the 개정문 follows (``… 일부를 다음과 같이 개정한다.``
and its sentences), then optionally the 부칙, which is not applied::

    ---
    대상: 서울특별시 미래전략과제 발굴 및 육성 조례   # the law or ordinance amended
    시행일: 2024-03-26                               # the planned date in force
    의안번호: 1544                                   # optional, with 제안일: the bill's IRI
    제안일: 2024-02-02
    현행: 제8756호     # optional: the version amended, by 공포번호, or a legalize-kr file
    제안이유: …        # required for the RDF (the profile asks every bill for one)
    ---
    서울특별시 미래전략과제 발굴 및 육성 조례 일부개정조례안

    서울특별시 미래전략과제 발굴 및 육성 조례 일부를 다음과 같이 개정한다.
    …

Every line of the 개정문 keeps its line number in the file, so that an operation that
does not fit is reported at its line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from legigraph.amendments import Clause, read_amending_text
from legigraph.amendments.clauses import HEADER
from legigraph.errors import InputError
from legigraph.inputs import read_input
from legigraph.model.text import has_decomposed_hangul, nfc

# Keys of the front matter, Korean or English, and the field each one fills.
KEYS = {
    "대상": "target",
    "target": "target",
    "시행일": "effective",
    "effective": "effective",
    "의안번호": "number",
    "number": "number",
    "제안일": "proposed",
    "proposed": "proposed",
    "현행": "base",
    "base": "base",
    "제안이유": "reason",
    "reason": "reason",
    "제목": "title",
    "title": "title",
}
_ADDENDA = re.compile(r"^\s*(?:#+\s*)?부\s*칙\s*(?:<.*>)?\s*$")


@dataclass(frozen=True)
class DraftBill:
    """A draft bill as read: its metadata, its 개정문 and where each line came from."""

    path: Path
    target: str
    effective: str
    clause: Clause
    lines: tuple[int, ...]  # the file line of each line of ``clause.text``
    title: str = ""
    number: str = ""
    proposed: str = ""
    base: str = ""
    reason: str = ""
    sha256: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def line_of(self, offset: int) -> int:
        """The file line of an offset into ``clause.text`` (an operation's span)."""
        index = self.clause.text.count("\n", 0, max(offset, 0))
        return self.lines[min(index, len(self.lines) - 1)] if self.lines else self.clause.line


def _date(path: Path, key: str, value: Any, line: int) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise InputError(
            path, f"front matter {key}: {value!r} is not a date", "write it as YYYY-MM-DD", line
        ) from None


def _front_matter(path: Path, lines: list[str]) -> tuple[dict[str, Any], int]:
    """The front matter as a mapping, and the index of the first line after it."""
    if not lines or lines[0].strip() != "---":
        raise InputError(
            path,
            "no front matter",
            "start the file with a --- block naming "
            "대상 (the law amended) and 시행일 (the planned date in force)",
            1,
        )
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise InputError(path, "the front matter is not closed", "add a --- line after it", 1)
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise InputError(path, f"broken front matter: {err}", "fix the YAML", line) from None
    if not isinstance(meta, dict):
        raise InputError(path, "the front matter is not a mapping", "write key: value lines", 2)
    return meta, end + 1


def _key_line(lines: list[str], key: str) -> int:
    return next((i + 1 for i, line in enumerate(lines) if line.startswith(f"{key}:")), 1)


def read_draft(path: Path) -> DraftBill:
    """Read a draft bill; every error names the file and line and says how to fix it."""
    path = Path(path)
    raw = read_input(path)
    try:
        text = nfc(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(path, "not valid UTF-8", "save the file as UTF-8") from None
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if has_decomposed_hangul(line):
            raise InputError(path, "decomposed (NFD) Hangul", "normalise the file to NFC", number)
    meta, start = _front_matter(path, lines)
    fields: dict[str, str] = {}
    for key, value in meta.items():
        name = KEYS.get(str(key))
        if name is None:
            raise InputError(
                path,
                f"front matter: unknown key {key!r}",
                "use " + ", ".join(k for k in KEYS if not k.isascii()),
                _key_line(lines, str(key)),
            )
        at = _key_line(lines, str(key))
        if name in ("effective", "proposed"):
            fields[name] = _date(path, str(key), value, at)
        else:
            fields[name] = nfc(str(value)).strip()
    body = lines[start:]
    header = next((i for i, line in enumerate(body) if HEADER.search(line)), None)
    if header is None:
        raise InputError(
            path,
            'no 개정문: the line "… 일부를 다음과 같이 개정한다." is missing',
            "write the 개정문 in the standard form after the front matter",
        )
    title = fields.get("title") or next((b.strip() for b in body[:header] if b.strip()), "")
    end = next((i for i in range(header + 1, len(body)) if _ADDENDA.match(body[i])), len(body))
    clause = read_amending_text("\n".join(body[header:end]), str(path))
    first = start + header + 1  # the file line of the 개정문's header
    numbers = [first + k for k, b in enumerate(body[header + 1 : end], start=1) if b.strip()]
    if clause.text.count("\n") + 1 > len(numbers):  # the header line holds text too
        numbers.insert(0, first)
    target = fields.get("target") or clause.amended
    if not target:
        raise InputError(
            path,
            "the bill does not say what it amends",
            "add 대상: 「name」 to the front matter",
            1,
        )
    if clause.amended and fields.get("target") and _plain(clause.amended) != _plain(target):
        raise InputError(
            path,
            f"the 개정문 amends 「{clause.amended}」, the front matter 「{target}」",
            "make them the same",
            first,
        )
    if "effective" not in fields:
        raise InputError(
            path,
            "no 시행일 in the front matter",
            "add 시행일: YYYY-MM-DD (the planned date in force)",
            1,
        )
    return DraftBill(
        path,
        target.strip("「」 "),
        fields["effective"],
        clause,
        tuple(numbers),
        title=title,
        number=fields.get("number", ""),
        proposed=fields.get("proposed", ""),
        base=fields.get("base", ""),
        reason=fields.get("reason", ""),
        sha256=hashlib.sha256(raw).hexdigest(),
        meta=meta,
    )


def _plain(name: str) -> str:
    return re.sub(r"[\s「」]", "", name)
