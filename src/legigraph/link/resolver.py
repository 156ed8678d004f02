"""Resolve a cited law name: exact name, dated namesakes, former names, mis-cited variants.

``Resolver`` is a ``LawIndex`` whose ``resolve`` tries, in order:

1. **the name** (normalised as ``resolve.normalise_name``): one record, taken; several,
   chosen by ``choose_namesake`` from their enactment and repeal dates
   (``linking.dates``) as of the citing date;
2. **a former name** (``linking.aliases``): the current law an alias of the corpus points
   to, when the alias was valid on the citing date;
3. **a mis-cited variant** (``linking.fuzzy``): only when exactly one name is close.

Each ``Resolution`` says which rule decided (``rule``) and, in ``reason``, the candidates
it rejected and why. Anything undecided stays ambiguous or unresolved.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from legigraph.link.aliases import KINDS, Alias, read_aliases
from legigraph.link.dates import OLD_REGIME, RecordDates, read_dates
from legigraph.link.fuzzy import FuzzyIndex
from legigraph.link.resolve import LawIndex, LawRecord, Resolution, normalise_name, read_law_index
from legigraph.model import ids

TABLES = Path("linking")  # under the project's data/
NATIONAL_START = "1948-07-17"
WEIGHTS = {"deemed": 3}  # 대한민국헌법 promulgated


@dataclass
class Resolver(LawIndex):
    """A name index with namesake dates, an alias table and a guarded fuzzy match."""

    dates: dict[str, RecordDates] = field(default_factory=dict)
    aliases: list[Alias] = field(default_factory=list)
    fuzzy: bool = True
    table_digest: str = ""  # SHA-256 of the alias table read (names its mining in the graph)
    _fuzzy: FuzzyIndex | None = field(default=None, repr=False)
    # every answer once per (name, date): a corpus cites the same names a million times
    _memo: dict[tuple[str, str | None, bool], Resolution] = field(
        default_factory=dict, repr=False, compare=False
    )

    @cached_property
    def by_alias(self) -> dict[str, list[Alias]]:
        out: dict[str, list[Alias]] = {}
        for alias in self.aliases:
            out.setdefault(alias.key, []).append(alias)
        return out

    @cached_property
    def by_former_iri(self) -> dict[str, Alias]:
        """The rows of the table by their ``lg:FormerName`` IRI (``Resolution.via``)."""
        return {former_name_iri(a): a for a in self.aliases}

    def resolve(self, name: str, on: str | None = None, *, wording: bool = False) -> Resolution:
        """Resolve a cited name as of the ISO date ``on`` (the citing text's date).

        ``wording``: the citation is in a 부칙, wording of its own day rather than a text
        in force (a replaced name then means the repealed Act: ``repealed_then``).
        """
        if (known := self._memo.get((name, on, wording))) is None:
            known = self._memo[name, on, wording] = self._resolve(name, on, wording)
        return known

    def _resolve(self, name: str, on: str | None, wording: bool = False) -> Resolution:
        if (exact := self._exact(name, on, wording)) is not None:
            return exact
        if self.fuzzy:
            if self._fuzzy is None:
                # Former names too: 「지방자치분권 및 균형발전에 관한 특별법」 is a former name
                # with a word dropped.
                names = {a.key: a.alias for a in self.aliases if a.law_id in self.by_id}
                names.update((k, recs[0].name) for k, recs in self.by_name.items())
                self._fuzzy = FuzzyIndex(names)
            match = self._fuzzy.match(name)
            if match.key is not None:
                res = self._exact(self._fuzzy.names[match.key], on, wording)  # never fuzzy
                if res is not None and res.record is not None:
                    return Resolution(res.status, res.record,
                                      f"mis-cited variant: {match.reason}; {res.reason}",
                                      res.candidates, "fuzzy")  # fmt: skip
            elif match.close:
                close = ", ".join(f"「{self._fuzzy.names[k]}」" for k in match.close)
                by_close = [self._exact(self._fuzzy.names[k], on, wording) for k in match.close]
                found = [r.record if r is not None else None for r in by_close]
                records = {r.law_id: r for r in found if r is not None}
                if len(records) == 1 and None not in found:  # a name and its former name
                    (record,) = records.values()
                    return Resolution("resolved", record,
                                      f"mis-cited variant: close to {close}, all names of "
                                      f"{record.law_id}", (record,), "fuzzy")  # fmt: skip
                return Resolution("ambiguous", None,
                                  f"「{name}」 is not a name in the index; close to {close}",
                                  tuple(records.values()), "fuzzy")  # fmt: skip
        return super().resolve(name, on)

    def _exact(self, name: str, on: str | None, wording: bool = False) -> Resolution | None:
        """The resolution by the name itself or a former name; None when neither is known."""
        candidates = self.by_name.get(normalise_name(name), [])
        if len(candidates) > 1 and self.dates:
            return choose_namesake(name, candidates, self.dates, on)
        if candidates:
            return replace(super().resolve(name, on), rule="name")
        return self._alias(name, on, wording)

    def _alias(self, name: str, on: str | None, wording: bool = False) -> Resolution | None:
        """The law a former name means, when the evidence clearly names one.

        When some laws say in a 다른 법령과의 관계 clause (``deemed``) that the name means
        them, only they compete. Each target scores the files that say it (``deemed``
        three times); the best must score at least twice the next, or the name is
        ambiguous (항공법, split into four Acts). The validity dates are reported, not
        enforced: a 부칙 keeps the old wording long after the rename, and a stale
        reference in force today still means that law.
        """
        key = normalise_name(name)
        hits = [a for a in self.by_alias.get(key, []) if a.law_id in self.by_id]
        if not hits:
            return None
        if wording and (old := repealed_then(name, hits, on)) is not None:
            return old
        # A 다른 법령과의 관계 clause is the law's own word: the laws that say it come first.
        deemed = {a.law_id for a in hits if a.how == "deemed"}
        pool = [a for a in hits if a.law_id in deemed] if deemed else hits
        scores: dict[str, int] = {}
        for a in pool:
            scores[a.law_id] = scores.get(a.law_id, 0) + int(a.sources) * WEIGHTS.get(a.how, 1)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
            recs = tuple(self.by_id[t] for t, _ in ranked)
            names = ", ".join(
                f"{self.by_id[t].law_id} 「{self.by_id[t].name}」 ({n})" for t, n in ranked
            )
            return Resolution(
                "ambiguous", None, f"former name 「{name}」 of several laws: {names}", recs, "alias"
            )
        best = ranked[0][0]
        rows = sorted(
            (a for a in hits if a.law_id == best), key=lambda a: (KINDS.index(a.how), a.valid_until)
        )
        alias, record = rows[0], self.by_id[best]
        until = f", current until {alias.valid_until}" if alias.valid_until else ""
        others = (
            "; not " + ", ".join(f"{t} ({n})" for t, n in ranked[1:]) if len(ranked) > 1 else ""
        )
        replaced = " (the Act of that name was repealed and replaced)" if alias.change == (
            "replacement") else ""  # fmt: skip
        return Resolution(
            "resolved",
            record,
            f"former name of {record.law_id} 「{record.name}」 ({alias.how}: "
            f"{alias.source}, {sum(int(a.sources) for a in rows)} files{until}"
            f"{others}){replaced}",
            (record,),
            "alias",
            former_name_iri(alias),
        )


def repealed_then(name: str, hits: list[Alias], on: str | None) -> Resolution | None:
    """The old Act itself: a replaced name cited in the wording of a 부칙.

    A replacement (``aliases.CHANGES``: the Act of the name repealed, a new Act with
    another 법령ID in its place) is deemed by the successor's 부칙 to be cited by the texts
    in force that still name it. A 부칙 is not such a text: it is wording of its own day.
    Written on or before the day the name stopped (the latest ``valid_until`` of its
    replacement rows) it named the Act then in force — the repeal clause itself, quoted
    old wording of a 타법개정; written later, a 부칙 names a repealed Act only to keep its
    effects (종전의 「A」 제20조에 따라 …, 「A」(법률 제N호로 폐지되기 전의 것)). Either way it
    is the repealed Act, which the index does not hold: unresolved, never the successor.
    """
    replaced = [a for a in hits if a.change == "replacement"]
    if not replaced:
        return None
    last = max(replaced, key=lambda a: (a.valid_until, a.law_id))
    successors = ", ".join(sorted({f"{a.law_id} 「{a.name}」" for a in replaced}))
    when = "" if not on else (" (then in force)" if on <= last.valid_until else
                              " (after its repeal: old wording or a transitional clause)")
    return Resolution(
        "unresolved", None,
        f"「{name}」 in a 부칙 of {on or 'no date'}{when} is the repealed Act itself, not in "
        f"the index: replaced by {successors} ({last.repealed or last.source}, "
        f"{last.valid_until or 'undated'}); only texts in force are deemed to cite the successor",
        (), "alias",
    )  # fmt: skip


def former_name_iri(alias: Alias) -> str:
    """The IRI of a row of the alias table as an ``lg:FormerName`` node."""
    return str(ids.former_name(alias.law_id, alias.key, alias.how))


def choose_namesake(
    name: str, candidates: list[LawRecord], dates: dict[str, RecordDates], on: str | None
) -> Resolution:
    """Of several records named ``name``, the one in force on ``on``.

    Records repealed on or before ``on`` drop out, then those enacted after it (an
    ``at most`` enactment only when some other record is known to be enacted by then).
    Of the rest the one enacted last wins (a 구법령 before any national law, whose
    enactment may not be in the data); a tie (duplicates of one law) goes to the
    record with the later current version. When every record was repealed, the one
    repealed last is the law meant (a stale reference).
    """
    ids = ", ".join(sorted(c.law_id for c in candidates))
    if not on:
        return Resolution(
            "ambiguous",
            None,
            f"{len(candidates)} laws named 「{name}」 ({ids}) and no citing date to choose by",
            tuple(candidates),
            "namesake-date",
        )
    undated = [c.law_id for c in candidates if c.law_id not in dates]
    if undated:
        return Resolution(
            "ambiguous",
            None,
            f"laws named 「{name}」 ({ids}) without enactment and repeal dates "
            f"({', '.join(undated)})",
            tuple(candidates),
            "namesake-date",
        )
    rows = {c.law_id: dates[c.law_id] for c in candidates}
    why: dict[str, str] = {}
    alive = []
    for c in candidates:
        d = rows[c.law_id]
        if d.repealed and d.repealed <= on:
            why[c.law_id] = f"repealed {d.repealed}"
        else:
            alive.append(c)
    if not alive:
        last = max(candidates, key=lambda c: rows[c.law_id].repealed)
        return _chosen(
            name,
            last,
            candidates,
            why,
            on,
            "every record was repealed by then; the one repealed last",
        )
    enacted = [c for c in alive if _enacted(c, rows[c.law_id]) <= on]
    for c in alive:
        if c not in enacted:
            why[c.law_id] = f"enacted {rows[c.law_id].enacted_bound} {rows[c.law_id].enacted}"
    if not enacted:
        bounded = [c for c in alive if rows[c.law_id].enacted_bound != "exact"]
        if not bounded:
            return Resolution(
                "unresolved",
                None,
                f"none of the laws named 「{name}」 ({ids}) was enacted by {on}",
                tuple(candidates),
                "namesake-date",
            )
        first = min(bounded, key=lambda c: rows[c.law_id].enacted)
        why.pop(first.law_id, None)
        return _chosen(
            name,
            first,
            candidates,
            why,
            on,
            "the only one not repealed (its enactment is known only as an upper bound)",
        )

    def rank(c: LawRecord) -> tuple[bool, str, str]:
        # A 구법령 gave way to the national law of its name, whenever that was enacted.
        return c.kind not in OLD_REGIME, rows[c.law_id].enacted, rows[c.law_id].latest

    enacted.sort(key=rank)
    best = enacted[-1]
    for c in enacted[:-1]:
        same = rows[c.law_id].enacted == rows[best.law_id].enacted
        why[c.law_id] = (
            f"a duplicate with an older current version ({rows[c.law_id].latest})"
            if same
            else f"superseded: enacted {rows[c.law_id].enacted or 'before'}, before {best.law_id}"
        )
    return _chosen(name, best, candidates, why, on, "in force then, enacted last")


def _enacted(record: LawRecord, dates: RecordDates) -> str:
    """The enactment date, or the earliest it can be.

    A national law (not a 구법령) is not older than the Constitution (1948-07-17).
    """
    if dates.enacted:
        return dates.enacted
    return "" if record.kind in OLD_REGIME else NATIONAL_START


def _chosen(
    name: str,
    record: LawRecord,
    candidates: list[LawRecord],
    why: dict[str, str],
    on: str,
    rule: str,
) -> Resolution:
    rejected = "; ".join(f"not {k}: {v}" for k, v in sorted(why.items()) if k != record.law_id)
    reason = f"of {len(candidates)} laws named 「{name}」, {record.law_id} on {on}: {rule}" + (
        f" ({rejected})" if rejected else ""
    )
    return Resolution("resolved", record, reason, tuple(candidates), "namesake-date")


def load_resolver(index_path: Path, data: Path, *, fuzzy: bool = True) -> Resolver:
    """The national index with the committed tables of ``data/linking/`` (when present)."""
    base = read_law_index(index_path)
    return with_tables(base, data, fuzzy=fuzzy)


def with_tables(index: LawIndex, data: Path, *, fuzzy: bool = True) -> Resolver:
    """``index`` as a ``Resolver`` with the tables of ``data/linking/`` (when present)."""
    folder = data / TABLES
    dates = (
        read_dates(folder / "record-dates.tsv") if (folder / "record-dates.tsv").exists() else {}
    )
    table = folder / "aliases.tsv"
    aliases = read_aliases(table) if table.exists() else []
    digest = hashlib.sha256(table.read_bytes()).hexdigest() if table.exists() else ""
    return Resolver(list(index.records), dates=dates, aliases=aliases, fuzzy=fuzzy,
                    table_digest=digest)  # fmt: skip
