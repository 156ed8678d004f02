"""Checks on a draft's new text: its citations, and the references it breaks.

Citations: every 「…」 citation in a provision the draft changes or adds is resolved by
the linker's resolver (``legigraph.link.resolve``) as of the 시행일, and a cited provision is
checked against the cited law's text where it is at hand (the records committed under
``data/external/``, as ``legigraph link`` does). What does not resolve is reported.

Ripple: every provision the draft renumbers or repeals is listed with what points at it
— in the law itself (a 제N조제M호 in its own text), in the bill build (``eli:cites``,
``lg:legalBasis``, review opinions, …) and, with ``--store``, in the national store —
since after the draft those references name another provision, or none.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from legigraph.amendments import Node, Version
from legigraph.draft.base import BaseVersion
from legigraph.draft.compare import provision_label
from legigraph.draft.execute import Applied
from legigraph.draft.store import citing
from legigraph.link.citations import find_citations
from legigraph.link.linker import NationalTexts, committed_texts, law_index
from legigraph.model import ids
from legigraph.model.namespaces import ELI, LG
from legigraph.paths import Layout

# What says where a provision is, not that something refers to it.
# links that are no reference to a provision: its structure, its amendments, and the
# evidence of a citation (lg:CitationResolution), which stands beside the eli:cites it explains
_STRUCTURAL = {ELI.is_part_of, ELI.has_part, ELI.realizes, ELI.is_realized_by, LG.affectedProvision,
               LG.resolvedTo, LG.citingProvision, LG.consideredLaw}  # fmt: skip


@dataclass(frozen=True)
class CitationCheck:
    """One citation in the new text and what became of it."""

    provision: str  # label of the citing provision
    text: str
    status: str  # resolved | unresolved | ambiguous | internal
    target: str
    reason: str


@dataclass(frozen=True)
class Reference:
    """Something that points at a provision the draft moves or repeals."""

    provision: str  # the label of the provision pointed at, before the draft
    becomes: str  # what the draft makes of it: "제7조제5호" or "삭제"
    source: str  # where the reference is: "text", "bill build" or "national store"
    subject: str  # the citing node (or provision label, for the text)
    predicate: str
    label: str


@dataclass
class Checks:
    """What the checks found."""

    citations: list[CitationCheck] = field(default_factory=list)
    ripple: list[Reference] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (label before, after)

    @property
    def unresolved(self) -> list[CitationCheck]:
        return [c for c in self.citations if c.status not in ("resolved", "internal")]


def _new_text(applied: Applied) -> list[tuple[str, str]]:
    """(label, text) of every provision the draft changes or adds."""
    paths: list[str] = []
    for step in applied.steps:
        paths += [*step.changed, *step.inserted]
    out = []
    for path in dict.fromkeys(paths):
        node = applied.after.find(path)
        if node is not None:
            out += [(provision_label(n), n.text) for n in node.walk() if n.text]
    return out


def check_citations(
    applied: Applied, effective: str, layout: Layout, base_name: str = ""
) -> list[CitationCheck]:
    """Resolve every citation of the new text as of ``effective``."""
    index = law_index(layout)
    texts = NationalTexts(committed_texts(layout))
    out = []
    for label, text in _new_text(applied):
        for cit in find_citations(text):
            if cit.relation == "self" or cit.draft:
                out.append(CitationCheck(label, cit.text, "internal", "", "this law itself"))
                continue
            if cit.relation == "decree":
                out.append(
                    CitationCheck(
                        label,
                        cit.text,
                        "internal",
                        "",
                        "a delegation to a decree, not a citation of one",
                    )
                )
                continue
            name = cit.law
            if cit.relation == "alias" and cit.law == "법" and base_name.endswith("시행령"):
                name = base_name.removesuffix("시행령").strip()  # 법 in a decree is its Act
            elif cit.relation != "explicit":
                name = None
            if not name:
                out.append(
                    CitationCheck(
                        label,
                        cit.text,
                        "unresolved",
                        "",
                        f"relation {cit.relation!r} is not resolved",
                    )
                )
                continue
            res = index.resolve(name, effective)
            if res.record is None:
                out.append(CitationCheck(label, cit.text, res.status, "", res.reason))
                continue
            record = res.record
            work = (
                ids.ordinance(record.law_id)
                if record.is_ordinance
                else ids.national_law(record.law_id)
            )
            known = texts.paths(record)
            missing = [p.label for p in cit.provisions if known is not None and p.path not in known]
            if missing:
                out.append(
                    CitationCheck(
                        label,
                        cit.text,
                        "unresolved",
                        str(work),
                        f"{', '.join(missing)} is not in 「{record.name}」",
                    )
                )
                continue
            target = ids.provision(work, cit.provisions[0].path) if cit.provisions else work
            note = "checked against its text" if known is not None else "no text at hand"
            law = texts.get(record) if cit.provisions and known is not None else None
            if law is not None:
                note += restates(text[cit.end :], law.find(cit.provisions[0].path).text)
            out.append(
                CitationCheck(
                    label,
                    cit.text,
                    "resolved",
                    str(target),
                    f"{record.law_id} in force {record.in_force}; {note}",
                )
            )
    return out


def restates(after: str, cited: str) -> str:
    """How a definition that says ``…에 따른 X`` compares with the text it cites.

    The words after 에 따른 are compared with the cited provision (``difflib`` ratio; the
    thresholds of ``legigraph link``'s consistency report): quotes, paraphrases, differs.
    """
    if "에 따른" not in after[:12] or not cited:
        return ""
    restated = after.split("에 따른", 1)[1].strip()
    ratio = difflib.SequenceMatcher(None, restated, cited, autojunk=False).ratio()
    verdict = "quotes" if restated in cited else ("paraphrases" if ratio >= 0.3 else "differs from")
    return f"; the definition {verdict} the cited text (similarity {ratio:.2f})"


def _internal(version: Version, path: str) -> list[tuple[str, str]]:
    """(label, text) of the provisions of ``version`` whose text cites ``path`` (이 법 …)."""
    out = []
    for node in version.walk():
        for cit in find_citations(node.text):
            if cit.relation == "self" and any(
                p.path == path or p.path.startswith(path + "/") for p in cit.provisions
            ):
                out.append((provision_label(node), node.text))
    return out


def ripple(applied: Applied, base: BaseVersion, context: Graph, store: Path | None) -> Checks:
    """What cites each provision the draft renumbers or repeals."""
    checks = Checks()
    touched = [(m.old, provision_label_of(m.new)) for m in applied.moves()]
    touched += [(p, "삭제") for p in applied.repealed()]
    for path, becomes in touched:
        label = provision_label_of(path)
        checks.moved.append((label, becomes))
        for where, text in _internal(applied.before, path):
            checks.ripple.append(Reference(label, becomes, "text", where, "cites", text[:60]))
        target = ids.provision(base.work, path)
        targets = [target, *(t for t in _below(context, target))]
        for t in targets:
            for s, p in context.subject_predicates(t):
                if p in _STRUCTURAL:
                    continue
                name = _label_ko(context, s)
                checks.ripple.append(Reference(label, becomes, "bill build", str(s), str(p), name))
        if store is not None:
            known = {(r.subject, r.predicate) for r in checks.ripple}
            for _, subject, predicate, name in citing(store, [str(t) for t in targets]):
                if URIRef(predicate) not in _STRUCTURAL and (subject, predicate) not in known:
                    checks.ripple.append(
                        Reference(label, becomes, "national store", subject, predicate, name)
                    )
    checks.ripple.sort(key=lambda r: (r.provision, r.source, r.subject, r.predicate))
    return checks


def _label_ko(graph: Graph, node: object) -> str:
    """A node's Korean label, or any label."""
    labels = [v for v in graph.objects(node, RDFS.label) if isinstance(v, Literal)]  # type: ignore[arg-type]
    labels.sort(key=lambda v: v.language != "ko")
    return str(labels[0]) if labels else ""


def _below(graph: Graph, node: URIRef) -> list[URIRef]:
    out = []
    for child in graph.objects(node, ELI.has_part):
        if isinstance(child, URIRef):
            out += [child, *_below(graph, child)]
    return out


def provision_label_of(path: str) -> str:
    return provision_label(Node(path))
