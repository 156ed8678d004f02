"""Mis-cited law names: a guarded fuzzy match against the names of the index.

A cited name that is neither in the index nor a former name may still be a law of the
index, or a former name, written loosely (the resolver gives both kinds of name). Three
steps, each linking only when exactly one name is that close (otherwise the close names
are reported and nothing is linked):

1. **particles and spacing**: the names agree once a word-final 의, the words 등 / 등의
   / 등에 / 및 and the spacing are left out (「감염병 예방 및 관리에 관한 법률」 for
   「감염병의 예방 및 관리에 관한 법률」);
2. **a dropped or an extra word**: one word more or less than a name of the index, the
   last word (법, 시행령, …) kept (「정보통신망 및 정보보호 등에 관한 법률」);
3. **a changed word**: ``difflib`` similarity of at least ``CLOSE`` to a name of the same
   kind (an Act, a 시행령, a 규칙 …), and no other name of that kind within ``MARGIN``.

Treaties (협약, 협정, 조약, 의정서 …) and titles of amending acts are never matched.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from legigraph.link.resolve import normalise_name

CLOSE = 0.9
MARGIN = 0.08
_NOT_A_LAW = re.compile(r"(?:협약|협정|조약|의정서|헌장|규약|개정법률|개정령|개정규칙)$")
_DROP = {"및", "등", "등의", "등에"}


def words(name: str) -> list[str]:
    """The words of a name without particles: word-final 의 and 등/및 dropped."""
    out = []
    for word in normalise_name_spaced(name).split():
        if word in _DROP:
            continue
        if len(word) > 1 and word.endswith("의"):
            word = word[:-1]
        out.append(word)
    return out


def normalise_name_spaced(name: str) -> str:
    """``normalise_name`` keeping single spaces between words."""
    return " ".join(normalise_name(w) for w in name.split() if normalise_name(w))


@dataclass(frozen=True)
class FuzzyMatch:
    """The one close name (``key``, a ``normalise_name`` key), or the close ones."""

    key: str | None
    close: tuple[str, ...]
    reason: str


class FuzzyIndex:
    """The names of an index by their particle-free words and by each word left out."""

    def __init__(self, names: dict[str, str]):
        self.names = names  # normalise_name key → the name as written
        self.skeleton: dict[str, set[str]] = {}
        self.shorter: dict[str, set[str]] = {}
        # the names of each kind of law by length: (joined name, key, its letters); the
        # rivals of a name are within 4 letters of it
        self.by_size: dict[str, dict[int, list[tuple[str, str, frozenset[str]]]]] = {}
        self.cache: dict[str, FuzzyMatch] = {}
        for key, written in names.items():
            w = words(written)
            if not w:
                continue
            self.skeleton.setdefault("".join(w), set()).add(key)
            for i in range(len(w) - 1):  # never the last word
                self.shorter.setdefault("".join(w[:i] + w[i + 1 :]), set()).add(key)
            joined = "".join(w)
            sized = self.by_size.setdefault(_kind(joined), {}).setdefault(len(joined), [])
            sized.append((joined, key, frozenset(joined)))

    def match(self, name: str) -> FuzzyMatch:
        """The one name of the index ``name`` is a loose spelling of, if there is one."""
        if name not in self.cache:
            self.cache[name] = self._match(name)
        return self.cache[name]

    def _match(self, name: str) -> FuzzyMatch:
        w = words(name)
        if len(w) < 2 or _NOT_A_LAW.search(normalise_name(name)):
            return FuzzyMatch(None, (), "")
        joined = "".join(w)
        kind = _kind(joined)
        steps = (
            ("the same words but for 의/등/및 and spacing", self.skeleton.get(joined, set())),
            ("one word fewer than", self.shorter.get(joined, set())),
            (
                "one word more than",
                {k for i in range(len(w) - 1) for k in self.skeleton.get(_without(w, i), set())},
            ),
        )
        for how, keys in steps:
            if len(keys) == 1:
                key = next(iter(keys))
                return FuzzyMatch(key, (), f"{how} 「{self.names[key]}」")
            if keys:
                return FuzzyMatch(None, tuple(sorted(keys)), how)
        # Rivals are the names of about that length naming the same kind of law, so that
        # 「국제입양에 관한 특별법」 does not go to 「국내입양에 관한 특별법」 while
        # 「국제입양에 관한 법률」 is about as close.
        near = []
        matcher = difflib.SequenceMatcher(None, "", joined)  # seq2 is analysed once
        floor = CLOSE - MARGIN
        mine, size, sized = frozenset(joined), len(joined), self.by_size.get(kind, {})
        rivals = (r for n in range(size - 4, size + 5) for r in sized.get(n, ()))
        for other, key, letters in rivals:
            if _letters_bound(other, joined, letters, mine) < floor:
                continue  # not even quick_ratio's bound can reach the floor
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            if (score := matcher.ratio()) >= floor:
                near.append((score, key, True))
        near = [n for n in near if n[2]]  # a 시행령 is no rival to the Act of its name
        near.sort(reverse=True)
        if near and near[0][0] >= CLOSE and len(near) == 1:
            score, key, _ = near[0]
            return FuzzyMatch(key, (), f"similar ({score:.2f}) to 「{self.names[key]}」")
        if near and near[0][0] >= CLOSE:
            return FuzzyMatch(None, tuple(k for _, k, _ in near), "several similar names")
        return FuzzyMatch(None, (), "")


def _letters_bound(a: str, b: str, in_a: frozenset[str], in_b: frozenset[str]) -> float:
    """An upper bound of ``SequenceMatcher(None, a, b).quick_ratio()``, by sets of letters.

    quick_ratio counts the letters the two share (with repeats): at most the length of
    either less one for each letter the other lacks.
    """
    shared = min(len(a) - len(in_a - in_b), len(b) - len(in_b - in_a))
    return 2.0 * shared / (len(a) + len(b))


def _kind(joined: str) -> str:
    """What a name names, by its ending: an Act (…법, …법률), a 시행령, a 규칙 and so on."""
    for end in ("시행령", "시행규칙", "규칙", "규정", "령", "법률", "법"):
        if joined.endswith(end):
            return "법" if end == "법률" else end
    return ""


def _without(w: list[str], i: int) -> str:
    return "".join(w[:i] + w[i + 1 :])
