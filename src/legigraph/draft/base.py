"""Find the text a draft amends: the version of its target in force when it takes effect.

The versions at hand are the ordinance texts the bill build reads (``data/sources.yaml``),
the national records committed under ``data/external/`` and, with ``--store``, the current
version of every law in the national store. The draft amends the version in force on the
eve of its 시행일 (on the day itself the amended text takes over), unless its front matter
names one: ``현행: 제8756호`` (by 공포번호) or ``현행: path/to/version.md`` (a legalize-kr file,
relative to the draft).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import URIRef

from legigraph.draft.source import DraftBill
from legigraph.draft.store import law_from_store
from legigraph.errors import InputError
from legigraph.link.resolve import normalise_name
from legigraph.model import ids
from legigraph.model.records import LawText
from legigraph.paths import Layout
from legigraph.sources.ordinance import read_law_text, version_metadata

_NUMBER = re.compile(r"^(?:제\s*)?0*(\d+)\s*호?$")


@dataclass(frozen=True)
class BaseVersion:
    """One version of a law or ordinance the draft can amend, and its identifiers."""

    law: LawText
    name: str
    law_id: str  # 자치법규ID or 법령ID
    is_ordinance: bool
    promulgated: str
    in_force: str
    number: str  # 공포번호
    kind: str  # 조례, 법률, 대통령령 …

    @property
    def work(self) -> URIRef:
        return ids.ordinance(self.law_id) if self.is_ordinance else ids.national_law(self.law_id)

    @property
    def version(self) -> URIRef:
        if self.is_ordinance:
            return ids.ordinance_version(self.law_id, self.promulgated)
        return ids.law_version(self.law_id, self.promulgated)

    @property
    def jurisdiction(self) -> str:
        return ids.SEOUL if self.is_ordinance else ids.KOREA

    def describe(self) -> str:
        kind = "조례" if self.is_ordinance else self.kind
        return f"{kind} 제{self.number}호 (공포 {self.promulgated}, 시행 {self.in_force})"


def base_version(law: LawText) -> BaseVersion:
    """A version's identifiers from its front matter (an ordinance or a national law)."""
    meta = version_metadata(law)
    local = meta.get("local_law_id")
    law_id = local or str(law.meta.get("법령ID", "")).strip()
    if not law_id.isdigit():
        raise InputError(
            law.source,
            "front matter has neither 자치법규ID nor 법령ID",
            "use a legalize-kr text, which has one",
        )
    kind = "조례" if local else str(law.meta.get("법령구분", "")).strip()
    return BaseVersion(
        law,
        law.title,
        law_id,
        bool(local),
        meta["promulgated"],
        meta["in_force"],
        meta["promulgation_number"],
        kind,
    )


def versions_at_hand(layout: Layout) -> list[BaseVersion]:
    """Every version the bill build and the committed national records hold."""
    files: list[Path] = []
    try:
        spec = yaml.safe_load((layout.data / "sources.yaml").read_text(encoding="utf-8"))
        files += [layout.data / item["file"] for item in spec.get("ordinance_texts", [])]
    except (OSError, yaml.YAMLError, AttributeError, KeyError, TypeError) as err:
        raise InputError(
            layout.data / "sources.yaml", f"cannot read: {err}", "fix data/sources.yaml"
        ) from None
    external = layout.data / "external"
    files += sorted((external / "ordinance-kr").glob("*/raw/*.md"))
    files += sorted((external / "legalize-kr" / "kr").rglob("*.md"))
    seen: set[tuple[str, str]] = set()
    out = []
    for path in files:
        version = base_version(read_law_text(path))
        if (version.law_id, version.promulgated) not in seen:
            seen.add((version.law_id, version.promulgated))
            out.append(version)
    return out


def find_base(draft: DraftBill, layout: Layout, store: Path | None = None) -> BaseVersion:
    """The version ``draft`` amends, or an error naming what is at hand."""
    if draft.base and not _NUMBER.match(draft.base):
        path = (draft.path.parent / draft.base).resolve()
        if not path.is_file():
            raise InputError(
                draft.path,
                f"현행: {draft.base} is neither a 공포번호 nor a file",
                "write 현행: 제N호, or the path of a legalize-kr text",
            )
        found = base_version(read_law_text(path))
        if normalise_name(found.name) != normalise_name(draft.target):
            raise InputError(
                draft.path,
                f"현행: {draft.base} is 「{found.name}」, not 「{draft.target}」",
                "name the text of the law amended",
            )
        return found
    key = normalise_name(draft.target)
    candidates = [v for v in versions_at_hand(layout) if normalise_name(v.name) == key]
    if not candidates and store is not None:
        law = law_from_store(store, draft.target)
        if law is not None:
            candidates = [base_version(law)]
    if not candidates:
        where = "data/ or the store" if store is not None else "data/ (give --store for laws)"
        raise InputError(
            draft.path,
            f"unknown target 「{draft.target}」: no version of it in {where}",
            "check the name, or give its text with 현행: FILE",
        )
    if draft.base:
        m = _NUMBER.match(draft.base)
        assert m is not None
        chosen = [v for v in candidates if v.number.lstrip("0") == m.group(1)]
        if not chosen:
            known = ", ".join(f"제{v.number}호" for v in candidates)
            raise InputError(
                draft.path,
                f"현행: no version 제{m.group(1)}호 of 「{draft.target}」 (at hand: {known})",
                "fix 현행",
            )
        return chosen[0]
    before = sorted(
        (v for v in candidates if v.in_force < draft.effective), key=lambda v: v.in_force
    )
    if not before:
        first = min(v.in_force for v in candidates)
        raise InputError(
            draft.path,
            f"no version of 「{draft.target}」 is in force before "
            f"{draft.effective} (the first at hand: {first})",
            "check 시행일, or name the text with 현행:",
        )
    return before[-1]
