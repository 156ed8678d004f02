"""Whether an operation of a 타법개정 clause is visible in the amended law's current text.

The corpus holds one version of each law, the one in force, so an amendment made years ago
can be checked only against what stands today: the new words of a substitution in the
provision, the new text of a replaced or inserted provision there, a repealed provision
gone (or reading 「삭제」), a renumbered provision's new number present, struck words gone.
``False`` means the effect cannot be seen: a later change replaced it, or the operation
was misread. ``None`` means it cannot be checked here: a 별표 or 서식 (not in the text
model), the title or a heading of a 장 or 절, an operation on an amending act's 개정규정
not yet in force, or an insertion whose new text is an image.

Texts are compared without spaces and middle-dot variants (the corpus spaces them as
law.go.kr prints them, and a clause may wrap a line where the text does not).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from legigraph.amendments import Kind, Operation
from legigraph.amendments.apply import text_span
from legigraph.amendments.blocks import is_image, read_block
from legigraph.model import ids
from legigraph.model.ids import IdError
from legigraph.model.records import LawText

_REPEALED = re.compile(r"^삭제(?:<[^>]*>)*$")
_SPACE = re.compile(r"[\s\u00a0]+")
_DOTS = str.maketrans({"·": "ㆍ", "・": "ㆍ", "･": "ㆍ", "‧": "ㆍ"})


def squeeze(text: str) -> str:
    """The comparison form of a text: no white space, one kind of middle dot."""
    return _SPACE.sub("", text).translate(_DOTS)


class CurrentText:
    """The provisions of a law's current version, by path, with their subtree texts."""

    def __init__(self, law: LawText):
        self.own: dict[str, str] = {}
        self.heading: dict[str, str] = {}
        for prov in law.walk():
            self.own[prov.path] = prov.text
            self.heading[prov.path] = prov.heading
        self._subtree: dict[str, str] = {}

    def __contains__(self, path: str) -> bool:
        return path in self.own

    def subtree(self, path: str) -> str:
        """Heading, text and the texts below ``path``, squeezed."""
        if path not in self._subtree:
            parts = [
                f"{self.heading[p]}{self.own[p]}"
                for p in self.own
                if p == path or p.startswith(path + "/")
            ]
            self._subtree[path] = squeeze("".join(parts))
        return self._subtree[path]

    def repealed(self, path: str) -> bool:
        """Gone, or its text become 「삭제」 (``삭제 <2011.3.8>``) with nothing else below it."""
        if path not in self.own:
            return True
        below = [squeeze(t) for p, t in self.own.items() if p.startswith(path + "/") and t]
        return bool(_REPEALED.match(squeeze(self.own[path]))) and all(
            _REPEALED.match(text) for text in below
        )


def provision_path(path: str) -> str | None:
    """``path`` if it names a provision of the text model (not a 별표, 서식, 제명 or 장)."""
    try:
        return ids.provision_path(path)
    except IdError:
        return None


def _pieces(block: str, parent: str) -> list[str]:
    """The texts a block of new text writes (headings and wording), squeezed."""
    nodes = read_block(block, parent)
    out = [squeeze(f"{n.heading}{n.text}") for root in nodes for n in root.walk()]
    out = [p for p in out if p]
    return out or [squeeze(block)]


def visible(op: Operation, current: CurrentText) -> bool | None:
    """Whether ``op``'s effect stands in the current text (None: it cannot be checked)."""
    if op.within or op.kind is Kind.REPLACE_ANNEX:
        return None
    path = provision_path(op.target.path)
    if path is None:
        return None
    if op.kind is Kind.RENUMBER:
        destination = provision_path(op.destination.path) if op.destination else None
        return None if destination is None else destination in current
    if op.kind is Kind.REPEAL and op.target.part:
        return _part_repealed(path, op.target.part, current)
    if op.kind is Kind.REPEAL:
        return all(current.repealed(p) for p in _range(path, op, current))
    if path not in current:
        return False
    text = current.subtree(path)
    if op.kind is Kind.STRIKE:
        return op.old is not None and squeeze(op.old) not in text
    if op.new is None or all(is_image(line) for line in op.new.split("\n") if line.strip()):
        return None
    if op.kind is Kind.SUBSTITUTE:
        return squeeze(op.new) in text or not op.new.strip()
    parent = path.rpartition("/")[0]
    return all(piece in text for piece in _pieces(op.new, parent))


def _part_repealed(path: str, part: tuple[str, ...], current: CurrentText) -> bool | None:
    """A repealed 단서, 후단 or 각 호 gone from a provision that stays (others: unchecked)."""
    if path not in current:
        return False
    if part in (("proviso",), ("second",)):
        return text_span(current.own[path], part[0]) is None
    if part == ("items",):
        return not any(p.rpartition("/")[0] == path for p in current.own)
    return None


def _range(path: str, op: Operation, current: CurrentText) -> Iterable[str]:
    """The paths of a range target (제3항부터 제5항까지) that the text has, or the one path."""
    until = provision_path(op.target.until) if op.target.until else None
    if until is None:
        return [path]
    parent = path.rpartition("/")[0]
    siblings = [p for p in current.own if p.rpartition("/")[0] == parent]
    if path in siblings and until in siblings:
        return siblings[siblings.index(path) : siblings.index(until) + 1]
    return [path]
