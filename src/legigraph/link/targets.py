"""What a resolved citation points at beyond one provision: a range's members, an annex.

``range_members`` lists the provisions a range (제5조부터 제7조까지) covers in the cited
text; ``annex_title`` reads an annex's or form's title from its law's list of them (a
law.go.kr record's ``<별표단위>``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

from legigraph.model import ids

_Key = list[tuple[str, int, int, int]]  # a path's steps: (kind, number, branch, repeat)


def annex_title(iri: str, listed: dict[tuple[str, str], str] | None) -> str | None:
    """The title of an annex or form node in its law's list (None when not listed)."""
    parts = ids.annex_of(iri)
    return (listed or {}).get(parts[1:]) if parts is not None else None


def range_members(first: str, last: str, known: frozenset[str] | None) -> list[str] | None:
    """Every path of ``known`` from ``first`` to ``last`` at their level, in order.

    None when the text is not at hand or the two ends are not of one level and kind
    (제3조부터 제5조제2항까지): then only the ends are known.
    """
    start, stop = _path_key(first), _path_key(last)
    if known is None or start is None or stop is None:
        return None
    shape = tuple(kind for kind, *_ in start)
    if shape != tuple(kind for kind, *_ in stop) or stop < start:
        return None
    keys, paths = _ordered(known).get(shape, ([], []))
    return paths[bisect_left(keys, start) : bisect_right(keys, stop)]


@lru_cache(maxsize=256)
def _ordered(known: frozenset[str]) -> dict[tuple[str, ...], tuple[list[_Key], list[str]]]:
    """The paths of a text by their shape (the kinds of their steps), each list in order.

    Once per text (a frozenset caches its hash): the ingest resolves tens of thousands of
    ranges, many into the same large laws.
    """
    groups: dict[tuple[str, ...], list[tuple[_Key, str]]] = {}
    for path in known:
        key = _path_key(path)
        if key is not None:
            groups.setdefault(tuple(kind for kind, *_ in key), []).append((key, path))
    out = {}
    for shape, members in groups.items():
        members.sort()
        out[shape] = ([key for key, _ in members], [path for _, path in members])
    return out


def _path_key(path: str) -> _Key | None:
    """A path's steps as (kind, number, branch, repeat), to order paths of one level."""
    key = []
    for step in path.split("/"):
        kind, _, rest = step.partition("_")
        number, _, repeat = rest.partition("~")
        main, _, branch = number.partition("-")
        if not main.isdigit():
            return None
        key.append((kind, int(main), int(branch or 0), int(repeat or 0)))
    return key
