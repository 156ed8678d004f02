"""The versions of one law in order, the provisions' identities across them, and their names.

Each version's provisions are aligned with the version before (``align``); a provision that
continues keeps its *lineage*, a new one starts one. A lineage is the work-level
subdivision (``eli:LegalResourceSubdivision``) that every version of the provision
realises. Its IRI path is the provision's path in the latest version that has it — the
path the statute ingest gives the provision in force, so that both graphs of one store
name the same subdivision alike — and a provision no longer in force keeps the path of its
last version, with ``~2``, ``~3`` … when a later provision took that number. Appending a
version can therefore rename a lineage (a renumbered provision takes its new number): the
law's graph is written again from its chain, which is cheap; only reading and aligning are
incremental.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from legigraph.history.align import Change, Prov, align, changes
from legigraph.model.provisions import subdivision_kind
from legigraph.model.records import LawText


@dataclass
class Version:
    """One dated version of a law: where it came from, its dates and numbers, its provisions."""

    commit: str
    source: str
    file: str  # kr/{law}/{file}.md
    meta: dict[str, str]  # law_id, serial, name, kind, promulgated, in_force, promulgation_number
    provisions: list[Prov]
    lineage: dict[str, int] = field(default_factory=dict)  # path → lineage number
    changes: list[Change] = field(default_factory=list)  # from the version before


@dataclass
class Chain:
    """Every version of one law, oldest first, and the lineages of its provisions."""

    law_id: str
    versions: list[Version] = field(default_factory=list)
    lineages: int = 0

    def append(self, version: Version) -> None:
        """Add the next version: align it with the last one and carry the lineages over."""
        if self.versions and self.versions[-1].meta["promulgated"] == version.meta["promulgated"]:
            # two promulgations on one day: the later text is the version of that date
            previous = self.versions.pop()
            version.commit = previous.commit + "+" + version.commit
        before = self.versions[-1] if self.versions else None
        mapping = align(before.provisions, version.provisions) if before else {}
        image = {n: o for o, n in mapping.items()}
        for prov in version.provisions:
            source = image.get(prov.path)
            if before is not None and source is not None:
                version.lineage[prov.path] = before.lineage[source]
            else:
                version.lineage[prov.path] = self.lineages
                self.lineages += 1
        version.changes = changes(before.provisions, version.provisions, mapping) if before else []
        self.versions.append(version)

    def names(self) -> dict[int, str]:
        """The work-level path of every lineage (see the module docstring)."""
        last: dict[int, tuple[int, str]] = {}
        for index, version in enumerate(self.versions):
            for path, lineage in version.lineage.items():
                last[lineage] = (index, path)
        names: dict[int, str] = {}
        used: set[str] = set()

        def name(lineage: int) -> str:
            if lineage in names:
                return names[lineage]
            index, path = last[lineage]
            parent_path, _, step = path.rpartition("/")
            prefix = name(self.versions[index].lineage[parent_path]) + "/" if parent_path else ""
            base = step.partition("~")[0]
            candidate, n = prefix + step, 1
            while candidate in used and base not in ("preamble", "body"):
                n += 1
                candidate = prefix + _suffixed(base, n)
            names[lineage] = candidate
            used.add(candidate)
            return candidate

        for index in range(len(self.versions) - 1, -1, -1):  # the latest version first
            for prov in self.versions[index].provisions:
                name(self.versions[index].lineage[prov.path])
        return names

    def to_json(self) -> dict[str, Any]:
        return {"law_id": self.law_id, "lineages": self.lineages,
                "versions": [asdict(v) for v in self.versions]}  # fmt: skip

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Chain:
        versions = [
            Version(
                v["commit"],
                v["source"],
                v["file"],
                v["meta"],
                [Prov(**p) for p in v["provisions"]],
                {k: int(n) for k, n in v["lineage"].items()},
                [Change(**c) for c in v["changes"]],
            )
            for v in doc["versions"]
        ]
        return cls(doc["law_id"], versions, int(doc["lineages"]))


def _suffixed(step: str, n: int) -> str:
    """``para_3`` → ``para_3~2``; an addendum takes ``-n`` (``~`` is not in its pattern).

    A preamble or body is never suffixed: two lineages of one share its node.
    """
    if step.startswith("addendum_"):
        return f"{step}-{n}"
    return f"{step}~{n}"


def provisions_of(law: LawText) -> list[Prov]:
    """The provisions of a text read by the legalize-kr reader, in document order."""
    return [
        Prov(p.path, subdivision_kind(p), p.label, p.number, p.text, p.heading, list(p.markers))
        for p in law.walk()
    ]
