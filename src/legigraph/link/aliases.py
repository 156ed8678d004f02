"""Former names of laws, mined from the 부칙 of the corpus itself.

The index holds current names only; laws renamed (by their own 전부개정 or by another
law's 부칙) are cited by their old names all over the corpus. Four kinds of sentence say
what an old name now means; each becomes a row with its source (file, 부칙, provision)
and the day the old name stopped being current (``valid_until``: the 부칙's date):

* ``deemed`` — 다른 법령과의 관계: "다른 법령에서 종전의 「A」 … 를 인용한 경우 … 이 법 …을
  인용한 것으로 본다" (A means the law the 부칙 belongs to, or the 「B」 named);
* ``renamed`` — a 타법개정 that changes a title: "X 일부를 다음과 같이 개정한다. 제명
  "A"를 "B"로 한다" (or 제명 중 "a"를 "b"로, a change inside X's title);
* ``substituted`` — a 타법개정 that rewrites citations: "「A」"를 "「B」"로 한다";
* ``predecessor`` — "「A」은 「B」로 본다";
* ``directory`` — an Act whose legalize-kr folder keeps the name it had when first
  collected (``kr/지방자치분권및지역균형발전에관한특별법/법률.md`` is now 「지방자치분권 및
  균형성장에 관한 특별법」; the folder name has no spaces).

Only names that are not in the index become aliases; the target of each is resolved
through the index, following later renames. An alias with several targets (항공법 was
split into three Acts) stays ambiguous in the resolver.

Each row also says what became of the law of the old name (``change``, see ``CHANGES``):
the same law renamed, or an Act repealed and replaced by a new one (``repeals`` finds
where the corpus says so, kept in ``repealed``); and the source provision as
``kr/law/{법령ID}/{path}`` (``provision``), from which the graph's ``prov:wasDerivedFrom``
is minted (``link.formernames``). ``names_former`` reads the words that make a citation
name a law as it was (종전의 「A」, 폐지되기 전의 「A」).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from legigraph.link.dates import addenda, addendum_dates, read_tsv
from legigraph.link.resolve import LawIndex, LawRecord, normalise_name
from legigraph.model.records import LawText, Provision


@dataclass(frozen=True)
class Alias:
    """A name a law was cited by, the law it means, and where that is said."""

    alias: str
    law_id: str
    name: str  # the law's current name
    how: str
    source: str
    valid_from: str
    valid_until: str
    sources: str = "1"  # how many files say it (``source`` is the earliest of them)
    law_since: str = ""  # the target's earliest 부칙 (its enactment or last 전부개정)
    change: str = ""  # rename (the same law, 법령ID kept) | replacement (a new Act, see CHANGES)
    repealed: str = ""  # where the corpus says the old Act was repealed (a replacement's)
    provision: str = ""  # the source provision, ``kr/law/{법령ID}/{path}`` ("": directory)

    @property
    def key(self) -> str:
        return normalise_name(self.alias)

    def valid_on(self, on: str) -> bool:
        return (not self.valid_from or self.valid_from <= on) and (
            not self.valid_until or on <= self.valid_until
        )


COLUMNS = tuple(f.name for f in fields(Alias))


def read_aliases(path: Path) -> list[Alias]:
    """The alias table."""
    return [Alias(**row) for row in read_tsv(path, COLUMNS, "alias table")]


def write_aliases(path: Path, rows: list[Alias]) -> None:
    """Write the table in canonical form (sorted by alias, then 법령ID)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for row in sorted(rows, key=lambda r: (r.key, r.law_id, r.source)):
            writer.writerow(asdict(row))


# Stronger evidence first: the resolver uses the strongest kind that names one law.
KINDS = ("deemed", "renamed", "substituted", "predecessor", "directory")
# What became of the law of the old name. A ``rename`` keeps the 법령ID (a 제명 change, a
# 전부개정, a folder name): the old name means the law it now has. A ``replacement``: the
# corpus says the Act of the old name was repealed ("「A」은 폐지한다", the items of "다음 각
# 호의 법률은 폐지한다", "「A」(법률 제N호로 폐지되기 전의 것…)", "폐지되기 전의 「A」") and
# a new Act (another 법령ID) took its place; its 부칙 deem the old citations to cite it.
CHANGES = ("rename", "replacement")
_Q = r"[\"“”]?"
_NAME = r"「(?P<{}>[^「」]{{2,120}})」"
_DEEMED = re.compile(
    r"다른\s*법령에서\s*종전의\s*(?P<old>(?:「[^「」]{2,120}」[\s,ㆍ및또는]*)+)"
    r"(?P<rest>[^.]{0,300}?)인용한\s*것으로\s*본다"
)
_NEW_IN_REST = re.compile(r"「(?P<new>[^「」]{2,120})」")
_SELF_IN_REST = re.compile(r"이\s*(?:법|영|규칙|령)(?![가-힣])")
_AMEND_BLOCK = re.compile(r"(?P<law>[^<>.①-⑳]{2,120}?)\s*일부를\s*다음과\s*같이\s*개정한다")
_TITLE = re.compile(
    r"제명\s*(?P<part>중\s*)?"
    + _Q
    + r"「?(?P<old>[^\"“”」]{2,120})」?"
    + _Q
    + r"\s*[을를]\s*"
    + _Q
    + r"「?(?P<new>[^\"“”」]{2,120})」?"
    + _Q
    + r"\s*(?:으로|로)\s*한다"
)
_SUBST = re.compile(
    _Q
    + _NAME.format("old")
    + r"[^\"“”「」]{0,40}"
    + _Q
    + r"\s*[을를]\s*(?:각각\s*)?"
    + _Q
    + _NAME.format("new")
    + r"[^\"“”「」]{0,40}"
    + _Q
    + r"\s*(?:으로|로)\s*(?:한다|하고)"
)
_DEEMED_AS = re.compile(
    _NAME.format("old") + r"\s*[은는]\s*" + _NAME.format("new") + r"\s*(?:으로|로)\s*본다"
)
_REPEAL_INLINE = re.compile(
    r"(?P<names>「[^「」]{2,120}」(?:\s*(?:,|ㆍ|및|또는)\s*「[^「」]{2,120}」)*)"
    r"\s*(?:\([^()]{0,60}\))?\s*[은는을를]\s*(?:이를\s*)?(?:각각\s*)?폐지한다"
)
_REPEAL_LIST = re.compile(r"다음\s*각\s*호의\s*(?:법률|법령|대통령령|[가-힣]*령)[은는을를]\s*"
                          r"(?:이를\s*)?(?:각각\s*)?폐지한다")  # fmt: skip
_REPEALED_BEFORE = re.compile(
    r"「(?P<a>[^「」]{2,120})」\s*\([^()]{0,30}폐지되기\s*전의\s*것"
    r"|폐지되기\s*전의\s*「(?P<b>[^「」]{2,120})」"
)
_OWNER = re.compile(r"^부칙\s*\((?P<name>[^)]+)\)")
_QUOTES = re.compile(r"[\"“”「」]")
_LEAD = re.compile(r"^(?:<\d+>|[0-9]+\.|\(\d+\)|생략|\s)+")


# The words that make a citation name a law as it was, not as a text in force means it:
# 종전의 「A」, 폐지되기 전의 「A」, 폐지된 「A」, 구 「A」 before the name; 「A」(법률 제N호로
# 폐지되기 전의 것을 말한다) after it.
_FORMER_BEFORE = re.compile(r"(?:종전의|폐지되기\s*전의|폐지된|(?<![가-힣])구)\s*$")
_FORMER_AFTER = re.compile(r"\s*\([^()]{0,60}폐지되기\s*전의\s*것")


def names_former(text: str, start: int, end: int) -> bool:
    """Whether the citation ``text[start:end]`` (「A」…) names the law as it was (see above)."""
    close = text.find("」", start, end)  # the parenthesis follows the name, not its provisions
    after = close + 1 if close >= 0 else end
    return bool(_FORMER_BEFORE.search(text, max(0, start - 12), start)) or bool(
        _FORMER_AFTER.match(text, after)
    )


@dataclass(frozen=True)
class _Raw:
    old: str
    new: str  # the name it now means, "" for the owner of the 부칙
    owner: str  # name of the law the 부칙 belongs to
    how: str
    source: str
    date: str
    provision: str = ""  # kr/law/{법령ID}/{path} of the source provision


def _raw(law: LawText, record: LawRecord) -> Iterable[_Raw]:
    dates = addendum_dates(law)
    for top in law.provisions:
        if top.kind != "addendum":
            continue
        owner_match = _OWNER.match(top.heading)
        owner = owner_match.group("name").strip() if owner_match else record.name
        date = dates.get(top.path, "")
        for prov in top.walk():
            where = (f"{record.path} {prov.label}", f"kr/law/{record.law_id}/{prov.path}")
            yield from _in_text(prov, owner, where, date)


def repeals(law: LawText, record: LawRecord) -> Iterable[tuple[str, str, str]]:
    """``(old name, source, date)`` for every Act the text of ``law`` says was repealed.

    In its 부칙 (dated by the 부칙): "「A」, 「B」 및 「C」은 각각 폐지한다" and the items of
    "다음 각 호의 법률은 폐지한다"; anywhere: "「A」(법률 제N호로 폐지되기 전의 것을 말한다)" and
    "폐지되기 전의 「A」" (undated).
    """
    dates = addendum_dates(law)
    for top in law.provisions:
        date = dates.get(top.path, "") if top.kind == "addendum" else ""
        for prov in top.walk():
            source = f"{record.path} {prov.label}"
            text = prov.text
            if top.kind == "addendum":
                for m in _REPEAL_INLINE.finditer(text):
                    for name in _NEW_IN_REST.findall(m.group("names")):
                        yield name, source, date
                if listed := _REPEAL_LIST.search(text):  # the items: its text, or its parts
                    items = [text[listed.end() :]] + [c.text for c in prov.walk() if c is not prov]
                    for item in items:
                        for name in _NEW_IN_REST.findall(item):
                            yield name, source, date
            for m in _REPEALED_BEFORE.finditer(text):
                yield m.group("a") or m.group("b"), source, ""


def _in_text(prov: Provision, owner: str, where: tuple[str, str], date: str) -> Iterable[_Raw]:
    source, provision = where
    text = prov.text
    for m in _DEEMED.finditer(text):
        olds = set(re.findall(r"「([^「」]{2,120})」", m.group("old")))
        named = [n for n in _NEW_IN_REST.findall(m.group("rest")) if n not in olds]
        new = named[-1] if named else ""
        if not new and not _SELF_IN_REST.search(m.group("rest")):
            continue
        for old in sorted(olds):
            yield _Raw(old, new, owner, "deemed", source, date, provision)
    for m in _TITLE.finditer(text):
        if m.group("part"):
            blocks = list(_AMEND_BLOCK.finditer(text, 0, m.start()))
            if not blocks:
                continue
            block = blocks[-1]  # the 일부개정 the title change belongs to
            law = _LEAD.sub("", block.group("law")).strip().strip("「」")
            old_key, part_old, part_new = (
                normalise_name(law),
                *map(normalise_name, m.group("old", "new")),
            )
            if part_old not in old_key:
                continue
            yield _Raw(law, old_key.replace(part_old, part_new), owner, "renamed", source, date,
                       provision)  # fmt: skip
        else:
            yield _Raw(m.group("old"), m.group("new"), owner, "renamed", source, date, provision)
    for m in _SUBST.finditer(text):
        yield _Raw(m.group("old"), m.group("new"), owner, "substituted", source, date,
                   provision)  # fmt: skip
    for m in _DEEMED_AS.finditer(text):
        yield _Raw(m.group("old"), m.group("new"), owner, "predecessor", source, date,
                   provision)  # fmt: skip


def mine_aliases(texts: Iterable[tuple[LawRecord, LawText]], index: LawIndex) -> list[Alias]:
    """Every former name the 부칙 of ``texts`` give, with its current law (see above).

    One row per name, law and kind of evidence: the earliest source, the number of files
    that say it, and the earliest date (when the old name stopped being current).
    """
    raws: list[_Raw] = []
    since: dict[str, str] = {}
    repealed: dict[str, tuple[str, str]] = {}  # old name → the earliest (date, source)
    for record, law in texts:
        raws.extend(_raw(law, record))
        for name, source, date in repeals(law, record):
            key, seen = normalise_name(name), (date or "9999", source)
            repealed[key] = min(repealed.get(key, seen), seen)
        dated = addenda(law)
        since[record.law_id] = dated[0][0] if dated else ""
    renames: dict[str, set[str]] = {}
    for raw in raws:
        if raw.new:
            renames.setdefault(normalise_name(raw.old), set()).add(normalise_name(raw.new))
    grouped: dict[tuple[str, str, str], list[tuple[_Raw, LawRecord]]] = {}
    for raw in raws:
        old = normalise_name(raw.old)
        if old in index.by_name or len(old) < 2 or _QUOTES.search(raw.old):
            continue
        target = _current(normalise_name(raw.new or raw.owner), index, renames, raw.date)
        if target is None or normalise_name(target.name) == old:
            continue
        grouped.setdefault((old, target.law_id, raw.how), []).append((raw, target))
    for record in index.records:
        folder = record.path.split("/")[1] if record.path.count("/") == 2 else ""
        if record.kind == "법률" and folder and folder not in index.by_name:
            raw = _Raw(folder, record.name, record.name, "directory", record.path, "")
            grouped.setdefault((folder, record.law_id, "directory"), []).append((raw, record))
    out = []
    for group in grouped.values():
        group.sort(key=lambda rt: (rt[0].date or "9999", rt[0].source))
        raw, target = group[0]
        files = {r.source.split(" ", 1)[0] for r, _ in group}
        gone = repealed.get(normalise_name(raw.old)) if raw.how in _MAYBE_REPLACED else None
        out.append(
            Alias(
                " ".join(raw.old.split()),
                target.law_id,
                target.name,
                raw.how,
                raw.source,
                "",
                raw.date,
                str(len(files)),
                since.get(target.law_id, ""),
                "replacement" if gone else "rename",
                gone[1] if gone else "",
                raw.provision,
            )
        )
    return out


# A 제명 change and a folder name are renames by what they are; the rest are replacements
# when the corpus says the old Act was repealed.
_MAYBE_REPLACED = ("deemed", "substituted", "predecessor")


def _current(key: str, index: LawIndex, renames: dict[str, set[str]], on: str) -> LawRecord | None:
    """The record now named ``key``, following renames (at most five, no cycles)."""
    seen = {key}
    for _ in range(6):
        records = index.by_name.get(key, [])
        if records:
            return (
                index.resolve(records[0].name, on or None).record
                if len(records) > 1
                else records[0]
            )
        nxt = renames.get(key, set()) - seen
        if len(nxt) != 1:
            return None
        key = nxt.pop()
        seen.add(key)
    return None
