"""The operations an amending text is parsed into: plain, frozen dataclasses.

A *target* names what an operation acts on with the project's provision paths (the
convention of the legalize-kr reader): ``art_7`` 제7조, ``art_3-2`` 제3조의2,
``art_7/para_1/item_4`` 제7조제1항제4호, ``…/subitem_1`` 가목 (the letter's position in
가나다…). This package adds the paths the reader has no need for: ``annex_1`` 별표 1 (``annex``
for an unnumbered 별표, ``annex_1-2`` 별표 1의2), ``form_6`` 별지 제6호서식, ``note`` 비고 inside
a 별표, ``subsub_4`` the ``(4)``/``4)`` below a 목, ``chapter_2``/``section_5``/``part_1``/
``subsection_3`` for 장/절/편/관 headings and ``title`` for the law's own name (제명).

Parts of a provision's text that an operation may address are kept apart from the path,
in ``Target.part``: ``heading`` 제목, ``lead`` 각 호 외의 부분 / 각 목 외의 부분, ``main`` 본문,
``proviso`` 단서, ``first`` 전단, ``second`` 후단, ``items`` 각 호 / 각 목, ``front``/``back``
앞쪽/뒤쪽 of a form, and ``column:<name>`` a 란 of a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What an operation does."""

    SUBSTITUTE = "substitute"  # 중 "A"를 "B"로 한다
    STRIKE = "strike"  # 중 "A"를 삭제한다
    REPLACE = "replace"  # …를 다음과 같이 한다 / 제목을 "B"로 한다
    INSERT = "insert"  # …를 다음과 같이 신설한다
    REPEAL = "repeal"  # …를 삭제한다
    RENUMBER = "renumber"  # 제4호를 제5호로 한다
    REPLACE_ANNEX = "replace_annex"  # 별표 N을 별지와 같이 한다: the new text is not inline


@dataclass(frozen=True)
class Target:
    """A provision (or a range of them) and the part of its text an operation addresses.

    ``label`` is the Korean reference as resolved (``제7조제4호``), for messages; ``until``
    is the last provision of a range (``제3항부터 제5항까지``), resolved against the text
    when the operation is applied, since the provisions inside a range (제3항의2 …) are
    only known there. ``note`` is a parenthesis written after the reference: the articles
    a heading covers (``제2장제5절(제29조부터 제41조까지)``) or an old number (``(기존의 제4호)``).
    """

    path: str
    label: str
    part: tuple[str, ...] = ()
    until: str | None = None
    until_label: str | None = None
    note: str = ""

    def describe(self) -> str:
        """The target in words, as messages quote it."""
        words = self.label if self.until is None else f"{self.label}부터 {self.until_label}까지"
        return words + "".join(f" [{p}]" for p in self.part)


@dataclass(frozen=True)
class Operation:
    """One change an amending text makes, with where in the clause it is written.

    ``old`` is the quoted text to find (substitute, strike); ``new`` the quoted text or
    the block that follows 다음과 같이 (the new provision as its lines, indentation kept
    out); ``destination`` the new number of a renumbered provision; ``span`` the start
    and end offsets of the sentence part in ``Clause.text``; ``each`` says 각각 was written.
    ``within`` names the amending act whose provisions are edited (``법률 제17067호 …
    일부개정법률``: its 개정규정, not yet in force), empty for the amended law itself.
    """

    kind: Kind
    target: Target
    old: str | None = None
    new: str | None = None
    destination: Target | None = None
    span: tuple[int, int] = (0, 0)
    each: bool = False
    within: str = ""

    @property
    def form(self) -> str:
        """The drafting form, for counting: the kind and, if any, the part addressed."""
        part = self.target.part[0].partition(":")[0] if self.target.part else ""
        return self.kind.value + (f"/{part}" if part else "")


@dataclass(frozen=True)
class Clause:
    """One 타법개정 clause: ``「…」 일부를 다음과 같이 개정한다.`` and the lines below it.

    ``text`` is the clause body the operations' spans point into; ``where`` names the
    source (file and line) for messages; ``addendum_path`` is the path of the clause in
    the 부칙 it stands in (``addendum_35948/art_4/para_175``).
    """

    amended: str
    text: str
    where: str = ""
    line: int = 0
    addendum_path: str = ""
    amending: str = ""
    amending_number: str = ""
    promulgated: str = ""
    amended_number: str = ""


@dataclass(frozen=True)
class Unparsed:
    """A sentence (or block) of a clause the grammar could not read, and why."""

    reason: str
    text: str
    offset: int = 0


@dataclass(frozen=True)
class ParsedClause:
    """A clause and what the grammar made of it: its operations and what it could not read."""

    clause: Clause
    operations: tuple[Operation, ...] = ()
    unparsed: tuple[Unparsed, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every sentence of the clause became operations."""
        return bool(self.operations) and not self.unparsed
