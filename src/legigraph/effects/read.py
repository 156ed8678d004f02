"""Read the 타법개정 clauses of the corpus, once each, and resolve the laws they name.

Every clause stands twice in the corpus: in the 부칙 of the amending law (``부칙 <제N호,
date>`` in its own file) and, copied under ``부칙(amending law) <제N호,date>``, in the
file of the law it amends. A clause is kept once, by (amending act number, amended law's
name, text), and from the amending law's own file when the corpus has it: its 법령ID is
then that file's. A clause known only from a copy names its amending law in words, which
the linker resolves as it resolves a citation (``link.resolver``, as of the 공포일자); so
does the amended law's 「…」 name, always.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from legigraph.amendments import ParsedClause, find_clauses, parse_clause
from legigraph.errors import InputError
from legigraph.ingest import statute_record
from legigraph.link.resolve import LawRecord, normalise_name
from legigraph.link.resolver import Resolver
from legigraph.sources.ordinance import read_law_bytes

_AMENDING_ACT = re.compile(r"(?:일부|전부)개정(?:법률|법령|령|규칙)\s*$")


@dataclass
class FileClauses:
    """What one corpus file holds: its law's record and the clauses parsed from its 부칙."""

    name: str
    record: LawRecord | None = None
    clauses: list[tuple[bool, ParsedClause]] = field(default_factory=list)  # (own, parsed)
    error: str = ""


def read_file(item: tuple[str, bytes]) -> FileClauses:
    """Parse the clauses of one file (runs in a worker process)."""
    name, blob = item
    try:
        law = read_law_bytes(Path(name), blob)
        record = statute_record(law, name)
    except InputError as err:
        return FileClauses(name, error=f"{err.path}:{err.line or ''}: {err.problem}")
    own_key = normalise_name(law.title)
    text = blob.decode("utf-8")
    out = FileClauses(name, record)
    for clause in find_clauses(text, name, law.title):
        own = normalise_name(clause.amending) == own_key
        out.clauses.append((own, parse_clause(clause)))
    return out


@dataclass
class Effect:
    """One distinct clause, with the laws it was resolved to."""

    parsed: ParsedClause
    amending: LawRecord  # the amending law
    amended: LawRecord  # the amended law
    read_from: LawRecord  # the law whose file the clause was read from
    order: tuple[int, int]  # (file, line): where it was read, for numbering


@dataclass
class Gathered:
    """The distinct clauses of the corpus, resolved, and what could not be."""

    effects: list[Effect] = field(default_factory=list)
    occurrences: int = 0
    distinct: int = 0
    dropped: Counter[str] = field(default_factory=Counter)  # why a clause was left out
    examples: dict[str, list[str]] = field(default_factory=dict)


def gather(files: list[FileClauses], resolver: Resolver, examples: int = 5) -> Gathered:
    """The distinct parsed clauses, each with its amending and amended law resolved."""
    out = Gathered()
    chosen: dict[tuple[str, str, str], tuple[bool, int, ParsedClause, LawRecord]] = {}
    for index, found in enumerate(files):
        if found.record is None:
            continue
        for own, parsed in found.clauses:
            out.occurrences += 1
            c = parsed.clause
            key = (c.amending_number, normalise_name(c.amended), c.text)
            if key not in chosen or (own and not chosen[key][0]):
                chosen[key] = (own, index, parsed, found.record)
    out.distinct = len(chosen)

    def drop(reason: str, parsed: ParsedClause) -> None:
        out.dropped[reason] += 1
        shown = out.examples.setdefault(reason, [])
        if len(shown) < examples:
            c = parsed.clause
            what = f"「{c.amended}」 by {c.amending} 제{c.amending_number}호"
            shown.append(f"{c.where}:{c.line}: {what}")

    for own, index, parsed, record in chosen.values():
        c = parsed.clause
        if not parsed.operations:
            drop("no operations parsed", parsed)
            continue
        if not c.amending_number or not c.promulgated:
            drop("the 부칙 has no number or date", parsed)
            continue
        amending = record if own else _resolved(resolver, c.amending, c.promulgated)
        if amending is None:
            drop("amending law not resolved", parsed)
            continue
        amended = _resolved(resolver, c.amended, c.promulgated)
        if amended is None and _AMENDING_ACT.search(c.amended):
            drop("amends an amending act (its 개정규정, not yet in force)", parsed)
            continue
        if amended is None:
            drop("amended law not resolved", parsed)
            continue
        if amended.law_id == amending.law_id:
            drop("amends its own law", parsed)
            continue
        out.effects.append(Effect(parsed, amending, amended, record, (index, c.line)))
    out.effects.sort(key=lambda e: e.order)
    return out


def _resolved(resolver: Resolver, name: str, on: str) -> LawRecord | None:
    resolution = resolver.resolve(name, on)
    if resolution.status != "resolved" or resolution.record is None:
        return None
    record = resolution.record
    return None if record.is_ordinance or not record.law_id.isdigit() else record
