"""Align the provisions of two consecutive versions, and name what changed between them.

A provision of the newer version is the *same* provision as one of the older when their
texts say so, not when their numbers do: bill 1544 put a new 제7조제4호 in front of the old
one, which became 제5호 with its text unchanged. The alignment, per kind of provision
(article, paragraph, item, sub-item, addendum):

1. identical text (heading and wording), same path first, then anywhere;
2. the same path with similar text (``difflib`` ratio ≥ ``SAME_PATH``): substituted;
3. the remaining pairs by decreasing similarity (≥ ``MOVED``): moved, perhaps reworded.

What is left of the older version was repealed; what is left of the newer was inserted.
A provision whose text becomes ``삭제`` is repealed where it stands. A provision that only
follows its renumbered parent (the paragraphs of a renumbered article) is not itself a
renumbering.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SAME_PATH = 0.5
MOVED = 0.6
REPEALED_TEXT = "삭제"
INSERTION, SUBSTITUTION, RENUMBERING, REPEAL = "insertion", "substitution", "renumbering", "repeal"


@dataclass
class Prov:
    """One provision of a version, as the history keeps it (JSON-friendly)."""

    path: str
    kind: str  # article | paragraph | item | subitem | addendum | preamble | body
    label: str
    number: str
    text: str = ""
    heading: str = ""
    markers: list[str] = field(default_factory=list)

    @property
    def parent(self) -> str:
        return self.path.rpartition("/")[0]

    @property
    def step(self) -> str:
        return self.path.rpartition("/")[2]

    @property
    def repealed(self) -> bool:
        return self.text == REPEALED_TEXT and not self.heading


@dataclass(frozen=True)
class Change:
    """One change between two versions: kind, the path before and the path after."""

    kind: str  # insertion | substitution | renumbering | repeal
    before: str | None
    after: str | None


def _key(prov: Prov, subtree: str) -> str:
    return f"{prov.heading}\n{prov.text or subtree}"


def _subtrees(provs: Sequence[Prov]) -> dict[str, str]:
    """Each provision's comparison text: its heading and text, or its parts' when it has none."""
    texts: dict[str, list[str]] = {p.path: [] for p in provs}
    for prov in provs:
        parent = prov.parent
        while parent:
            if parent in texts:
                texts[parent].append(prov.text)
            parent = parent.rpartition("/")[0]
    return {p.path: _key(p, " ".join(texts[p.path])) for p in provs}


def _family(prov: Prov) -> str:
    """Provisions align only with their own kind: 조 with 조, an addendum's 조 with its like."""
    if prov.kind == "addendum":
        return "addendum"
    within = "addendum/" if prov.path.startswith("addendum_") else ""
    return within + prov.step.partition("_")[0]


def align(old: Sequence[Prov], new: Sequence[Prov]) -> dict[str, str]:
    """Old path → new path of every provision that continues into the newer version."""
    old_text, new_text = _subtrees(old), _subtrees(new)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    families = sorted({_family(p) for p in (*old, *new)})
    for family in families:
        olds = [p.path for p in old if _family(p) == family]
        news = [p.path for p in new if _family(p) == family]
        _pair_identical(olds, news, old_text, new_text, mapping, taken)
        for path in olds:  # 2. same path, similar text
            free = path not in mapping and path in new_text and path not in taken
            if free and _ratio(old_text[path], new_text[path]) >= SAME_PATH:
                mapping[path] = path
                taken.add(path)
        left_old = [p for p in olds if p not in mapping]
        left_new = [p for p in news if p not in taken]
        scored = sorted(
            ((-_ratio(old_text[o], new_text[n]), o, n) for o in left_old for n in left_new
             if _plausible(old_text[o], new_text[n])),
        )  # fmt: skip
        for score, o, n in scored:  # 3. the most similar pairs first
            if -score < MOVED:
                break
            if o not in mapping and n not in taken:
                mapping[o] = n
                taken.add(n)
    return mapping


def _pair_identical(
    olds: list[str], news: list[str], old_text: dict[str, str], new_text: dict[str, str],
    mapping: dict[str, str], taken: set[str],
) -> None:  # fmt: skip
    by_text: dict[str, list[str]] = {}
    for path in news:
        by_text.setdefault(new_text[path], []).append(path)
    for path in olds:  # same path first
        if path in new_text and new_text[path] == old_text[path] and path in news:
            mapping[path] = path
            taken.add(path)
    for path in olds:
        if path in mapping or not old_text[path].strip():
            continue
        free = [n for n in by_text.get(old_text[path], []) if n not in taken]
        if free:
            mapping[path] = free[0]
            taken.add(free[0])


def _plausible(a: str, b: str) -> bool:
    """A cheap upper bound before the full ratio (lengths too far apart cannot reach MOVED)."""
    shorter, longer = sorted((len(a), len(b)))
    return longer == 0 or 2 * shorter / (shorter + longer) >= MOVED


def _ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def changes(old: Sequence[Prov], new: Sequence[Prov], mapping: dict[str, str]) -> list[Change]:
    """The change events between two aligned versions, in the order of the newer text."""
    before = {p.path: p for p in old}
    image = {n: o for o, n in mapping.items()}
    out: list[Change] = []
    inserted = [p.path for p in new if p.path not in image]
    for prov in new:
        source = image.get(prov.path)
        if source is None:
            if not _under(prov.path, inserted):  # its parent's insertion says it all
                out.append(Change(INSERTION, None, prov.path))
            continue
        was = before[source]
        if prov.repealed and not was.repealed:
            out.append(Change(REPEAL, source, prov.path))
            continue
        if source != prov.path and not _follows_parent(was, prov, mapping):
            out.append(Change(RENUMBERING, source, prov.path))
        elif (was.text, was.heading) != (prov.text, prov.heading):
            out.append(Change(SUBSTITUTION, source, prov.path))
    gone = [p.path for p in old if p.path not in mapping]
    out.extend(Change(REPEAL, path, None) for path in gone if not _under(path, gone))
    return out


def _follows_parent(was: Prov, now: Prov, mapping: dict[str, str]) -> bool:
    """True when ``now`` has the same number as ``was`` under the image of ``was``'s parent."""
    return was.step == now.step and bool(was.parent) and mapping.get(was.parent) == now.parent


def _under(path: str, paths: Iterable[str]) -> bool:
    """True when an ancestor of ``path`` is among ``paths`` (its repeal says it all)."""
    return any(path.startswith(other + "/") for other in paths)
