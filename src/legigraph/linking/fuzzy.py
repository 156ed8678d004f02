"""Mis-cited law names: a guarded fuzzy match against the index (filled in below)."""

from __future__ import annotations

from dataclasses import dataclass

from legigraph.resolve import LawRecord


@dataclass(frozen=True)
class FuzzyMatch:
    """The one close name (``key``), or the close ones when there are several."""

    key: str | None
    close: tuple[str, ...]
    reason: str


class FuzzyIndex:
    """Normalised names of the index, for the guarded fuzzy match."""

    def __init__(self, by_name: dict[str, list[LawRecord]]):
        self.by_name = by_name

    def match(self, name: str) -> FuzzyMatch:
        return FuzzyMatch(None, (), "")
