"""Enactment and repeal dates of the records that share a name, from their own texts.

The index dates each record's *current* version, which says nothing about when the law
began or ended. Among namesakes the resolver needs both, so they are read from the data:

* **enactment**: the earliest ``부칙 <제N호, date>`` of the record's text. legalize-kr keeps
  the 부칙 of every version since the last 전부개정, so this is the enactment when the
  record has a single version (its front-matter 공포번호 is that 부칙's) and otherwise an
  upper bound (``at most``): 근로기준법's earliest 부칙 is the 2007 전부개정, the Act dates
  from 1997.
* **repeal**, by the record's own text: a record with at most one article whose body says
  ``…은 (이를) 폐지한다`` is the repealing text filed under the repealed law's 법령ID
  (law.go.kr keeps a law's last version, which for a repealed law is its repeal); it ended
  when that text entered into force (the front matter's 시행일자). Its enactment is not in
  the data.
* **repeal**, by the kind: 군정법령, 군정법률 and the 조선총독부 records are 구법령, which
  「구법령 정리에 관한 특별조치법」 (법률 제659호, 1961.7.15) 제3조 ended on 1962-01-20 where
  they had not been replaced before.

``derive`` makes one row from one text; ``read_dates`` / ``write_dates`` keep the rows in
``data/linking/record-dates.tsv`` (written by ``python -m legigraph.link.mine``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from legigraph.errors import InputError
from legigraph.link.resolve import LawRecord
from legigraph.model.records import LawText

OLD_REGIME = ("군정법령", "군정법률", "조선총독부법령", "조선총독부법률")
OLD_REGIME_END = "1962-01-20"
OLD_REGIME_EVIDENCE = (
    "구법령 (법령구분 {kind}): 「구법령 정리에 관한 특별조치법」 (법률 제659호, 1961.7.15) "
    "제3조, 정리되지 아니한 구법령은 1962-01-20에 폐지된 것으로 본다"
)
_ADDENDUM = re.compile(r"<\s*제\s*(\d+)\s*호\s*,\s*(\d{4})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})")
_REPEAL = re.compile(r"[^.]{0,120}폐지한다")


@dataclass(frozen=True)
class RecordDates:
    """When a record's law began and ended, each date with the evidence for it."""

    law_id: str
    name: str
    kind: str
    enacted: str  # ISO date of the first promulgation, "" when the data does not show it
    enacted_bound: str  # exact | at most | "" (unknown)
    enacted_evidence: str
    repealed: str  # ISO date the law ended, "" when it is not known to have ended
    repealed_evidence: str
    latest: str  # 공포일자 of the current version (breaks ties between duplicates)

    def in_force_on(self, on: str) -> bool:
        """Whether the law existed on ``on``, as far as the dates show."""
        return (not self.enacted or self.enacted <= on) and not (
            self.repealed and self.repealed <= on
        )


COLUMNS = tuple(f.name for f in fields(RecordDates))


def addenda(law: LawText) -> list[tuple[str, str]]:
    """``(ISO date, 공포번호)`` of every 부칙 heading of ``law``, in date order."""
    out = []
    for prov in law.provisions:
        if prov.kind == "addendum" and (m := _ADDENDUM.search(prov.heading)):
            year, month, day = m.group(2), int(m.group(3)), int(m.group(4))
            out.append((f"{year}-{month:02d}-{day:02d}", m.group(1)))
    return sorted(out)


def derive(law: LawText, record: LawRecord) -> RecordDates:
    """The dates of ``record`` from its text ``law`` (see the module docstring)."""
    where = record.path or record.law_id
    articles = sum(1 for p in law.provisions if p.kind == "article")
    body = " ".join(p.text for p in law.walk() if not p.path.startswith("addendum"))
    repeal = _REPEAL.search(body) if articles <= 1 else None
    enacted = bound = evidence = repealed = repealed_evidence = ""
    if repeal is not None:
        repealed = record.in_force
        quote = " ".join(repeal.group(0).split())
        repealed_evidence = f"{where} 본문 “{quote}”, 시행일자 {record.in_force}"
        evidence = "a repeal text filed under the repealed law: its enactment is not in the data"
    else:
        dated = addenda(law)
        if dated:
            enacted, number = dated[0]
            single = len(dated) == 1 and number.lstrip("0") == record.promulgation_number.lstrip(
                "0"
            )
            bound = "exact" if single else "at most"
            evidence = f"{where}: earliest 부칙 <제{int(number)}호, {enacted}> of {len(dated)}"
        else:
            enacted, bound = record.promulgated, "at most"
            evidence = f"{where}: no 부칙 heading; front matter 공포일자 {record.promulgated}"
        if record.kind in OLD_REGIME:
            repealed = OLD_REGIME_END
            repealed_evidence = OLD_REGIME_EVIDENCE.format(kind=record.kind)
    return RecordDates(
        record.law_id,
        record.name,
        record.kind,
        enacted,
        bound,
        evidence,
        repealed,
        repealed_evidence,
        record.promulgated,
    )


def read_tsv(path: Path, columns: tuple[str, ...], what: str) -> list[dict[str, str]]:
    """The rows of a committed table of ``data/linking/`` (tab-separated, these columns)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            if tuple(reader.fieldnames or ()) != columns:
                raise InputError(
                    path,
                    f"columns must be {', '.join(columns)}",
                    "regenerate it with python -m legigraph.link.mine",
                    1,
                )
            return list(reader)
    except OSError as err:
        raise InputError(path, f"cannot read the {what}: {err.strerror}", "check the path") from err


def read_dates(path: Path) -> dict[str, RecordDates]:
    """The dates table, by 법령ID."""
    rows = [RecordDates(**row) for row in read_tsv(path, COLUMNS, "dates table")]
    return {row.law_id: row for row in rows}


def write_dates(path: Path, rows: list[RecordDates]) -> None:
    """Write the table in its canonical form (sorted by name, then 법령ID)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for row in sorted(rows, key=lambda r: (r.name.replace(" ", ""), r.law_id)):
            writer.writerow(asdict(row))


def addendum_dates(law: LawText) -> dict[str, str]:
    """The promulgation date of each 부칙 of ``law``, by its path (``addendum_5305``)."""
    out = {}
    for prov in law.provisions:
        if prov.kind == "addendum" and (m := _ADDENDUM.search(prov.heading)):
            out[prov.path] = f"{m.group(2)}-{int(m.group(3)):02d}-{int(m.group(4)):02d}"
    return out
