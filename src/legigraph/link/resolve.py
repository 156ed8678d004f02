"""Resolve cited law names to national identifiers, and provisions to subdivisions.

Names are compared after NFC, with spacing and the middle dots (ㆍ · ・) ignored. When
several laws share a name — 「지속가능발전 기본법」 is both 법령ID 014217 (2022) and 010505
(2007, later renamed and repealed) — the citing document's date decides: of the laws in
force on that date, the one that entered into force last carries the name. Anything that
cannot be decided is reported as ambiguous or unresolved with its reason, never guessed.
The name index dates each law's current version (legalize-kr keeps one version per law),
so among same-named laws the date rule compares those dates; for a law repealed and
replaced under the same name that is the right comparison.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from legigraph.errors import InputError
from legigraph.model.ids import iso_date
from legigraph.model.text import nfc

_IGNORED = re.compile(r"[\s「」『』]")
_DOTS = str.maketrans({"·": "ㆍ", "・": "ㆍ", "･": "ㆍ", "‧": "ㆍ"})


def normalise_name(name: str) -> str:
    """The comparison key of a law name: NFC, no spaces or brackets, one kind of middle dot."""
    return _IGNORED.sub("", nfc(name)).translate(_DOTS)


@dataclass(frozen=True)
class LawRecord:
    """One law or ordinance of a name index."""

    law_id: str  # 법령ID or 자치법규ID
    serial: str  # 법령일련번호 (MST) or 자치법규일련번호
    name: str
    kind: str  # 법률, 대통령령, …, 조례
    promulgated: str  # ISO date
    promulgation_number: str
    in_force: str  # ISO date
    path: str  # file in the corpus layout, "" if unknown
    ministry: str = ""

    @property
    def is_ordinance(self) -> bool:
        return self.kind == "조례"


@dataclass(frozen=True)
class Resolution:
    """The outcome for one cited name."""

    status: str  # resolved | ambiguous | unresolved
    record: LawRecord | None
    reason: str
    candidates: tuple[LawRecord, ...] = ()
    rule: str = ""  # which rule decided: name, namesake-date, alias, fuzzy (linking.resolver)
    via: str = ""  # the lg:FormerName node a resolution by ``alias`` went through (its IRI)


@dataclass
class LawIndex:
    """Law records by normalised name."""

    records: list[LawRecord] = field(default_factory=list)

    @cached_property
    def by_name(self) -> dict[str, list[LawRecord]]:
        out: dict[str, list[LawRecord]] = {}
        for record in self.records:
            out.setdefault(normalise_name(record.name), []).append(record)
        return out

    @cached_property
    def by_id(self) -> dict[str, LawRecord]:
        return {r.law_id: r for r in self.records}

    def resolve(self, name: str, on: str | None = None, *, wording: bool = False) -> Resolution:
        """Resolve a cited name as of the ISO date ``on`` (the citing document's date).

        ``wording`` (a citation in a 부칙) matters only to ``resolver.Resolver``.
        """
        candidates = self.by_name.get(normalise_name(name), [])
        if not candidates:
            return Resolution(
                "unresolved", None, f"no law or ordinance named 「{name}」 in the index"
            )
        if len(candidates) == 1:
            # The index dates the current version, not the enactment: a single law of the
            # name is taken whatever the citing date.
            return Resolution(
                "resolved", candidates[0], "the only law of that name", (candidates[0],)
            )
        ids = ", ".join(sorted(c.law_id for c in candidates))
        if not on:
            return Resolution(
                "ambiguous",
                None,
                f"{len(candidates)} laws named 「{name}」 ({ids}) and no citing date to choose by",
                tuple(candidates),
            )
        in_force = sorted((c for c in candidates if c.in_force <= on), key=lambda c: c.in_force)
        if not in_force:
            return Resolution(
                "unresolved",
                None,
                f"none of the laws named 「{name}」 ({ids}) was in force on {on}",
                tuple(candidates),
            )
        latest = in_force[-1]
        if len(in_force) > 1 and in_force[-2].in_force == latest.in_force:
            return Resolution(
                "ambiguous",
                None,
                f"laws {ids} named 「{name}」 entered into force on the same day {latest.in_force}",
                tuple(candidates),
            )
        others = ", ".join(c.law_id for c in candidates if c is not latest)
        return Resolution(
            "resolved", latest,
            f"of {len(candidates)} laws named 「{name}」, {latest.law_id} is the one in force "
            f"latest before {on} (in force {latest.in_force}; not {others})", tuple(candidates),
        )  # fmt: skip


def read_law_index(path: Path) -> LawIndex:
    """Read legalize-kr's ``index_all_laws.csv``."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as err:
        raise InputError(
            path, f"cannot read the law index: {err.strerror}", "check the path"
        ) from err
    return LawIndex([_law_row(path, n, row) for n, row in enumerate(rows, start=2)])


def _law_row(path: Path, line: int, row: dict[str, str]) -> LawRecord:
    try:
        return LawRecord(
            law_id=row["법령ID"].strip(), serial=row["법령MST"].strip(), name=nfc(row["제목"]),
            kind=row["법령구분"].strip(), promulgated=iso_date(row["공포일자"]),
            promulgation_number=row["공포번호"].strip(), in_force=iso_date(row["시행일자"]),
            path=row["path"].strip(), ministry=row.get("소관부처", "").strip(),
        )  # fmt: skip
    except KeyError as err:
        raise InputError(
            path, f"missing column {err}", "use legalize-kr's index_all_laws.csv", line
        ) from err


def read_ordinance_index(path: Path) -> LawIndex:
    """Read ordinance-kr's ``INDEX.tsv`` (rows without a 자치법규ID are skipped)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except OSError as err:
        raise InputError(
            path, f"cannot read the ordinance index: {err.strerror}", "check the path"
        ) from err
    return LawIndex([
        LawRecord(
            law_id=row["자치법규ID"].strip(), serial=row["자치법규일련번호"].strip(),
            name=nfc(row["name"]), kind="조례", promulgated=iso_date(row["공포일자"]),
            promulgation_number=row["공포번호"].strip(), in_force=iso_date(row["시행일자"]),
            path=row["path"].strip(),
        )
        for row in rows
        if row.get("자치법규ID", "").strip()
    ])  # fmt: skip


def merge(*indexes: LawIndex) -> LawIndex:
    """One index over several."""
    records: list[LawRecord] = []
    for index in indexes:
        records.extend(index.records)
    return LawIndex(records)
