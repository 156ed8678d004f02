"""Delegation: the provision of a superior law that a subordinate provision carries out.

An Act leaves matters to a decree (대통령령으로 정하는 …) or to a ministry's rule
(보건복지부령으로 정한다); the decree or rule settles them in a provision that cites the
delegating one (법 제11조제2항에 따른 과태료의 부과기준은 …). A citation is a
**delegation** when the citing law stands below the cited one (act → decree → rule,
``relative.law_level``) and the cited provision, or one of its parts, has delegating words
for the citing law's kind: 대통령령 for a decree, 총리령 for a 총리령, a ministry's 부령 for
a 부령 (any ministry: they are renamed, and the words keep the old name).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rdflib.namespace import RDF

from legigraph.link.relative import Family, law_level
from legigraph.link.resolve import LawIndex
from legigraph.model import ids
from legigraph.model.namespaces import ELI, LG
from legigraph.model.records import LawText

_WORDING = re.compile(
    r"(대통령령|총리령|[가-힣]*부령)[ \t]*(?:으)?로[ \t]*"
    r"정(?:하는|한다|한|할|하여|하되|하고|하며|하도록|하여야)"
)
_RANK = {"act": 0, "decree": 1, "rule": 2}

Wordings = dict[str, tuple[str, ...]]  # provision path → its delegating words, in order


def wordings(law: LawText) -> Wordings:
    """The delegating words of each provision of ``law`` that has any."""
    out: Wordings = {}
    for prov in law.walk():
        if found := tuple(m.group(0) for m in _WORDING.finditer(prov.text)):
            out[prov.path] = found
    return out


def _fits(kind: str, words: str) -> bool:
    """Whether ``words`` delegate to a law of ``kind`` (대통령령, 총리령, …부령)."""
    if kind in ("대통령령", "각령"):
        return words.startswith("대통령령")
    if kind == "총리령":
        return words.startswith("총리령")
    return kind.endswith("부령") and words.split("령")[0].endswith("부")


def delegation_wording(citing_kind: str, cited_kind: str, target: str,
                       cited: Wordings) -> str | None:  # fmt: skip
    """The words by which the provision at path ``target`` delegates to the citing law.

    None when the citing law is not below the cited one, or when neither the provision
    nor any of its items delegates to a law of the citing kind (a paragraph of a cited
    article does not count: 법 제7조에 따른 전문인력 does not carry out 제7조제3항).
    """
    if _RANK[law_level(citing_kind)] <= _RANK[law_level(cited_kind)] or not target:
        return None
    for path in sorted(cited):
        # the provision itself or its items (an article's paragraphs are provisions of their own)
        if path == target or (path.startswith(target + "/") and "para_" not in path[len(target) :]):
            for words in cited[path]:
                if _fits(citing_kind, words):
                    return words
    return None


def _ko(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@ko'


def delegation_lines(delegated: str, delegating: str, words: str) -> list[str]:
    """The N-Triples of one delegation: the eli:based_on edge and the lg:Delegation."""
    node = f"<{ids.delegation_iri(delegated, delegating)}>"
    return [
        f"<{delegated}> <{ELI.based_on}> <{delegating}> .",
        f"{node} <{RDF.type}> <{LG.Delegation}> .",
        f"{node} <{LG.delegatingProvision}> <{delegating}> .",
        f"{node} <{LG.delegatedProvision}> <{delegated}> .",
        f"{node} <{LG.delegationWording}> {_ko(words)} .",
    ]


def based_on(families: Iterable[tuple[Family, str]], index: LawIndex) -> set[tuple[str, str]]:
    """Work-level eli:based_on edges: a decree or rule on its Act, a rule on its 시행령.

    ``families``: each statute's family with the date its names are resolved on.
    """
    out = set()
    for fam, date in families:
        own = index.resolve(fam.name, date or None).record
        for name in (fam.act, fam.decree):
            res = index.resolve(name, date or None) if name else None
            if own is None or res is None or res.record is None:
                continue
            if _RANK[law_level(res.record.kind)] < _RANK[fam.level]:
                out.add(
                    (str(ids.national_law(own.law_id)), str(ids.national_law(res.record.law_id)))
                )
    return out


def by_relation(references: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """``{relation: {outcome: count}}`` of (relation, outcome) counts, sorted."""
    out: dict[str, dict[str, int]] = {}
    for (rel, outcome), n in sorted(references.items()):
        out.setdefault(rel, {})[outcome] = n
    return out
