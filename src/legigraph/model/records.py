"""The records the sources yield and the model maps to triples.

One version of a law or ordinance (``LawText``) and its subdivisions (``Provision``),
plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple


class ReadWarning(NamedTuple):
    """Something in a file that the reader kept but could not structure as written."""

    line: int
    kind: str  # repeated-number | orphan-subitem | item-zero | addendum-heading | …
    message: str


@dataclass
class Provision:
    """One article, paragraph, item, sub-item or addendum of a version."""

    path: str
    kind: str  # article | paragraph | item | subitem | addendum | preamble | body
    label: str  # 제7조제4호
    number: str  # 4, 4-2, 가, 8756; "" for a preamble or body
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
    # What the reader could not structure as written, in file order.
    warnings: list[ReadWarning] = field(default_factory=list)
    # The annexes and forms of the record, (kind, number) → title (("annex", "1의2"): the
    # 별표 1의2): from a law.go.kr record; None when the source lists none (the corpus).
    annexes: dict[tuple[str, str], str] | None = None

    def walk(self) -> Iterator[Provision]:
        for top in self.provisions:
            yield from top.walk()

    def find(self, path: str) -> Provision:
        for prov in self.walk():
            if prov.path == path:
                return prov
        raise KeyError(path)
