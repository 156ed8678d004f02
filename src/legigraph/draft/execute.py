"""Parse a draft's 개정문 and apply it, step by step, so that a misfit names its line.

``amendments.apply`` stops at the first operation that does not fit; applied here one
step at a time (a renumbering list is one step, as the applier moves it at once), the
error carries the file line of the sentence that holds the operation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from legigraph.amendments import Kind, Move, Operation, Version, apply, parse_clause
from legigraph.amendments.errors import AmendmentError
from legigraph.draft.source import DraftBill
from legigraph.errors import InputError


@dataclass(frozen=True)
class Step:
    """One step of the draft: its operations, the line they are written on, what they did."""

    operations: tuple[Operation, ...]
    line: int
    before: Version
    after: Version
    moves: tuple[Move, ...] = ()
    inserted: tuple[str, ...] = ()
    repealed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    @property
    def kind(self) -> Kind:
        return self.operations[0].kind


@dataclass
class Applied:
    """The version before, the version after, and every step in between."""

    before: Version
    after: Version
    steps: list[Step] = field(default_factory=list)

    def moves(self) -> list[Move]:
        return [m for s in self.steps for m in s.moves]

    def repealed(self) -> list[str]:
        return [p for s in self.steps for p in s.repealed]


def _groups(ops: Sequence[Operation]) -> list[tuple[Operation, ...]]:
    """The operations in steps: a renumbering list (one span) moves together."""
    out: list[tuple[Operation, ...]] = []
    i = 0
    while i < len(ops):
        j = i + 1
        if ops[i].kind is Kind.RENUMBER:
            while j < len(ops) and ops[j].kind is Kind.RENUMBER and ops[j].span == ops[i].span:
                j += 1
        out.append(tuple(ops[i:j]))
        i = j
    return out


def execute(draft: DraftBill, version: Version, tag: str = "draft") -> Applied:
    """Apply the draft's 개정문 to ``version``; InputError (exit 2) at the first misfit."""
    parsed = parse_clause(draft.clause)
    if parsed.unparsed:
        first = parsed.unparsed[0]
        raise InputError(
            draft.path,
            f"cannot read this sentence of the 개정문 ({first.reason}): {first.text[:80]!r}",
            "write it in a form of the 법제처 drafting standard (see docs/model.md, amendments)",
            draft.line_of(first.offset),
        )
    if not parsed.operations:
        raise InputError(
            draft.path,
            "the 개정문 has no operations",
            "write its sentences after the header line",
            draft.clause.line,
        )
    done = Applied(version, version)
    current = version
    for group in _groups(parsed.operations):
        line = draft.line_of(group[0].span[0])
        try:
            result = apply(current, group, tag=tag)
        except AmendmentError as err:
            raise InputError(
                draft.path,
                f"{group[0].kind.value} of "
                f"{group[0].target.describe()} does not fit the text: {err}",
                "check the provision and the quoted text against the version amended",
                line,
            ) from None
        done.steps.append(
            Step(
                group,
                line,
                current,
                result.version,
                tuple(result.moves),
                tuple(result.inserted),
                tuple(result.repealed),
                tuple(dict.fromkeys(result.changed)),
            )
        )
        current = result.version
    done.after = current
    return done
