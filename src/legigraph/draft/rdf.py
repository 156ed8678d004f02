"""The draft as ELI-DL RDF: the bill, its amendment objects, and the provisions it adds.

The model is the one bill 1544's curated amendments use (``data/ordinance-2229686.ttl``):
each ``lg:Amendment`` is proposed by the bill (``lg:proposedBy``, ``lg:proposedAs "안 …"``),
affects one work-level provision (``lg:affectedProvision``), has a type of
``code/amendment-type``, the text before and after and, for an insertion, the words
inserted, and the planned date in force. A bill's amendments are ``{bill}/amendment/{n}``;
not enacted, they have no amending act and no provision version after (the profile's
``lgsh:DraftAmendment``). A substitution that only adds words (``"A, C"`` → ``"A, B, C"``)
is an insertion of those words, as the curated amendment of 제3조 is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from legigraph.amendments import Kind, Node
from legigraph.draft.base import BaseVersion
from legigraph.draft.compare import diff, particle
from legigraph.draft.compare import provision_label as _label
from legigraph.draft.execute import Applied, Step
from legigraph.draft.source import DraftBill
from legigraph.errors import InputError
from legigraph.model import ids
from legigraph.model.documents import describe_document
from legigraph.model.ids import SUBITEM_LETTERS
from legigraph.model.namespaces import ELI, ELI_DL, LG, bind_prefixes

_TYPES = {Kind.INSERT: "insertion", Kind.REPEAL: "repeal", Kind.RENUMBER: "renumbering"}
_KO = {"insertion": "신설", "substitution": "개정", "renumbering": "이동", "repeal": "삭제"}
_EN = {
    "insertion": "inserted",
    "substitution": "amended",
    "renumbering": "renumbered",
    "repeal": "repealed",
}
_STEPS = {"art": "article", "para": "paragraph", "item": "item", "subitem": "subitem"}


@dataclass(frozen=True)
class Effect:
    """One amendment object: a step's effect on one provision."""

    kind: str  # a code of code/amendment-type
    path: str  # the provision affected, as the version before has it
    new_path: str  # … and as the draft leaves it
    before: Node | None
    after: Node | None
    inserted: str = ""


def full_text(node: Node | None) -> str:
    """A provision's own text, or (an article of paragraphs) the text of its parts."""
    if node is None:
        return ""
    return node.text or " ".join(n.text for n in node.walk() if n.text)


def _inserted_words(old: str, new: str) -> str | None:
    """The words a substitution adds, when it only adds (None when it also removes)."""
    left, right = diff(old, new)
    if any(mark for _, mark in left):
        return None
    added = [text.strip().rstrip(",").strip() for text, mark in right if mark]
    return " … ".join(a for a in added if a) or None


def effects(step: Step) -> list[Effect]:
    """The amendment objects of one step, one per provision it affects."""
    out = []
    if step.kind is Kind.RENUMBER:
        for move in step.moves:
            out.append(
                Effect(
                    "renumbering",
                    move.old,
                    move.new,
                    step.before.find(move.old),
                    step.after.find(move.new),
                )
            )
        return out
    if step.kind is Kind.INSERT and step.inserted:
        for path in step.inserted:
            node = step.after.find(path)
            out.append(Effect("insertion", path, path, None, node, full_text(node)))
        return out
    if step.kind is Kind.REPEAL and step.repealed:
        for path in step.repealed:
            out.append(Effect("repeal", path, path, step.before.find(path), step.after.find(path)))
        return out
    for path in step.changed:
        before, after = step.before.find(path), step.after.find(path)
        words = _inserted_words(full_text(before), full_text(after))
        kind = _TYPES.get(step.kind, "substitution")
        if words and step.kind in (Kind.SUBSTITUTE, Kind.REPLACE):
            kind = "insertion"
        out.append(Effect(kind, path, path, before, after, words or ""))
    return out


def _subdivisions(graph: Graph, context: Graph, work: URIRef, path: str) -> None:
    """Work-level nodes for a provision the draft adds (and its parents), if not known."""
    steps = path.split("/")
    for depth in range(1, len(steps) + 1):
        sub = "/".join(steps[:depth])
        node = ids.provision(work, ids.provision_path(sub))
        if (node, RDF.type, ELI.LegalResourceSubdivision) in context:
            continue
        parent = ids.provision(work, "/".join(steps[: depth - 1])) if depth > 1 else work
        kind, _, number = steps[depth - 1].partition("_")
        graph.add((node, RDF.type, ELI.LegalResourceSubdivision))
        graph.add((node, ELI.type_subdivision, ids.concept("subdivision-type", _STEPS[kind])))
        if kind == "subitem" and number.isdigit():  # a 목 is numbered by its letter
            number = SUBITEM_LETTERS[int(number) - 1]
        graph.add((node, ELI.number, Literal(number)))
        graph.add((node, RDFS.label, Literal(_label(Node(sub)), lang="ko")))
        graph.add((node, ELI.is_part_of, parent))
        graph.add((parent, ELI.has_part, node))


def _english(path: str) -> str:
    """``art_7/item_4`` → ``Article 7 item 4``."""
    words = []
    for step in path.split("/"):
        kind, _, number = step.partition("_")
        words.append(f"{_STEPS.get(kind, kind)} {number}")
    return " ".join(words).capitalize()


def bill_iri(draft: DraftBill, base: BaseVersion) -> URIRef:
    """The bill's IRI, from its 의안번호 and the year it was (or is to be) proposed."""
    if not draft.number.isdigit():
        raise InputError(
            draft.path,
            "no 의안번호 in the front matter: the bill's IRI is made from it",
            "add 의안번호: N (and 제안일: YYYY-MM-DD)",
            1,
        )
    year = int((draft.proposed or draft.effective)[:4])
    return ids.bill(year, int(draft.number), base.jurisdiction)


def draft_graph(
    draft: DraftBill, base: BaseVersion, applied: Applied, context: Graph, root: Path
) -> Graph:
    """The bill and its amendments; ``context`` (the bill build) says what already exists."""
    if not draft.reason:
        raise InputError(
            draft.path,
            "no 제안이유 in the front matter",
            "add 제안이유: … (the profile asks every bill for one)",
            1,
        )
    g = bind_prefixes(Graph())
    bill = bill_iri(draft, base)
    doc = ids.source_document(f"draft-{draft.sha256[:16]}")
    where = draft.path.resolve()
    name = where.relative_to(root) if where.is_relative_to(root) else where
    title = Literal(f"{draft.title or draft.target} (초안)", lang="ko")
    describe_document(g, doc, [title], str(name), draft.sha256)
    g.add((bill, RDF.type, ELI_DL.DraftLegislationWork))
    g.add((bill, RDF.type, LG.Bill))
    g.add((bill, ELI.title, Literal(draft.title or f"{base.name} 일부개정안", lang="ko")))
    g.add((bill, ELI.number, Literal(draft.number)))
    g.add((bill, ELI.work_type, ids.concept("work-type", "bill")))
    g.add((bill, ELI_DL.foresees_change_of, base.work))
    g.add((bill, LG.proposalReason, Literal(draft.reason, lang="ko")))
    g.add((bill, PROV.wasDerivedFrom, doc))
    n = 0
    for step in applied.steps:
        for effect in effects(step):
            n += 1
            _amendment(g, context, ids.bill_amendment(bill, n), bill, doc, draft, base, effect)
    return g


def _amendment(
    g: Graph,
    context: Graph,
    amd: URIRef,
    bill: URIRef,
    doc: URIRef,
    draft: DraftBill,
    base: BaseVersion,
    e: Effect,
) -> None:
    shown = _label(Node(e.new_path))
    g.add((amd, RDF.type, LG.Amendment))
    label_ko = f"{shown} {_KO['substitution' if e.before is not None else e.kind]}"
    if e.kind == "renumbering":
        old = _label(Node(e.path))
        label_ko = f"{old}{particle(old, '을', '를')} {shown}{particle(shown, '으로', '로')} 이동"
    g.add((amd, RDFS.label, Literal(label_ko, lang="ko")))
    verb = _EN["substitution" if e.before is not None and e.kind == "insertion" else e.kind]
    g.add((amd, RDFS.label, Literal(f"{_english(e.new_path)} {verb}", lang="en")))
    g.add((amd, LG.proposedBy, bill))
    if e.new_path.startswith("art_"):
        g.add((amd, LG.proposedAs, Literal(f"안 {shown}")))
    # the work-level subdivision goes by its new path when inserted or renumbered (the
    # history's convention: a renumbered provision is named as it goes on)
    new = e.kind == "renumbering" or (e.kind == "insertion" and e.before is None)
    work_path = ids.provision_path(e.new_path if new else e.path)
    if e.before is None or e.kind == "renumbering":
        _subdivisions(g, context, base.work, work_path)
    g.add((amd, LG.affectedProvision, ids.provision(base.work, work_path)))
    g.add((amd, LG.amendmentType, ids.concept("amendment-type", e.kind)))
    if e.before is not None and "@" not in e.before.identity:
        pv = ids.provision(base.version, e.before.identity)
        if (pv, RDF.type, LG.ProvisionVersion) in context:
            g.add((amd, LG.provisionBefore, pv))
    if full_text(e.before):
        g.add((amd, LG.textBefore, Literal(full_text(e.before), lang="ko")))
    g.add((amd, LG.textAfter, Literal(full_text(e.after) or "삭제", lang="ko")))
    if e.inserted:
        g.add((amd, LG.insertedText, Literal(e.inserted, lang="ko")))
    g.add((amd, LG.dateInForce, Literal(draft.effective, datatype=XSD.date)))
    g.add((amd, PROV.wasDerivedFrom, doc))
