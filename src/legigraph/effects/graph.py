"""The effects as triples: national amending acts and their amendment objects.

The model is that of bill 1544's amendments (``data/ordinance-2229686.ttl``), extended:

- the **amending act** is the promulgation of a law whose 부칙 hold the clauses,
  ``eli/kr/law-amend/{법령ID}/{공포번호}`` (``lg:AmendingAct``): ``lg:amendingLaw`` the law,
  ``lg:amendingVersion`` the version the promulgation made (``{law}/{공포일자}``, the IRI
  the statute and history ingests give it), ``lg:promulgationNumber``,
  ``eli:date_publication``, ``eli:work_type``, ``eli:amends`` every law it amends, and
  ``prov:wasDerivedFrom`` the version in force it was read from;
- every operation is an ``lg:Amendment`` ``{act}/amendment/{n}`` (in the order of the
  clauses, then of the operations): ``lg:amendingAct``, ``lg:amendedLaw``,
  ``lg:affectedProvision`` (the work-level provision by its path as the clause writes it;
  for a renumbering, by its new path — the name the provision goes on under, as the
  history names a lineage; none for a 별표, 서식, title or heading), ``lg:amendmentType``
  (code/amendment-type), ``lg:amendmentForm`` (the drafting form), ``lg:textBefore`` /
  ``lg:textAfter`` (the quoted old and new text) and ``lg:visibleInCurrentText``.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from legigraph.amendments import Kind, Operation
from legigraph.effects.check import provision_path
from legigraph.effects.read import Effect
from legigraph.model import ids
from legigraph.model.namespaces import ELI, LG
from legigraph.model.worktypes import work_type_code

TYPES = {
    Kind.SUBSTITUTE: "substitution", Kind.REPLACE: "substitution",
    Kind.REPLACE_ANNEX: "substitution", Kind.INSERT: "insertion", Kind.REPEAL: "repeal",
    Kind.STRIKE: "repeal", Kind.RENUMBER: "renumbering",
}  # fmt: skip
_KO = {"insertion": "신설", "substitution": "개정", "renumbering": "이동", "repeal": "삭제"}
_PARTS = {
    "heading": "제목", "lead": "각 호 외의 부분", "main": "본문", "proviso": "단서",
    "first": "전단", "second": "후단", "items": "각 호", "front": "앞쪽", "back": "뒤쪽",
}  # fmt: skip


def act_of(effect: Effect) -> URIRef:
    """The IRI of the act that makes ``effect``."""
    return ids.national_amending_act(effect.amending.law_id, effect.parsed.clause.amending_number)


def _where(op: Operation) -> str:
    parts = [_PARTS.get(p, p.partition(":")[2] or p) for p in op.target.part]
    words = op.target.label
    if op.target.until_label:
        words += f"부터 {op.target.until_label}까지"
    return " ".join([words, *parts])


def label(op: Operation, amended_name: str) -> str:
    """The Korean label of one amendment: ``「개별소비세법」 제16조제4항 개정``."""
    kind = TYPES[op.kind]
    if op.kind is Kind.RENUMBER and op.destination is not None:
        return f"「{amended_name}」 {_where(op)} → {op.destination.label} {_KO[kind]}"
    return f"「{amended_name}」 {_where(op)} {_KO[kind]}"


def affected(op: Operation, law: URIRef) -> URIRef | None:
    """The work-level provision an operation affects (by its new path when renumbered)."""
    target = op.destination if op.kind is Kind.RENUMBER and op.destination else op.target
    path = provision_path(target.path)
    return None if path is None else ids.provision(law, path)


def write(
    graph: Graph, effects: list[Effect], visible: dict[tuple[int, int], bool | None]
) -> dict[str, int]:
    """Add the acts and amendments of ``effects`` to ``graph``; the counts written.

    ``visible`` holds the agreement check of operation ``j`` of effect ``i`` at ``(i, j)``.
    """
    acts: dict[URIRef, Effect] = {}
    amends: defaultdict[URIRef, set[URIRef]] = defaultdict(set)
    sources: defaultdict[URIRef, set[URIRef]] = defaultdict(set)
    numbers: defaultdict[URIRef, int] = defaultdict(int)
    counts = {"amendments": 0, "with_provision": 0}
    for i, effect in enumerate(effects):
        act = act_of(effect)
        acts.setdefault(act, effect)
        law = ids.national_law(effect.amended.law_id)
        amends[act].add(law)
        source = ids.law_version(effect.read_from.law_id, effect.read_from.promulgated)
        sources[act].add(source)
        for j, op in enumerate(effect.parsed.operations):
            numbers[act] += 1
            node = ids.amendment(act, numbers[act])
            graph.add((node, RDF.type, LG.Amendment))
            graph.add((node, RDFS.label, Literal(label(op, effect.amended.name), lang="ko")))
            graph.add((node, LG.amendingAct, act))
            graph.add((node, LG.amendedLaw, law))
            if (provision := affected(op, law)) is not None:
                graph.add((node, LG.affectedProvision, provision))
                counts["with_provision"] += 1
            graph.add((node, LG.amendmentType, ids.concept("amendment-type", TYPES[op.kind])))
            graph.add((node, LG.amendmentForm, Literal(op.form)))
            if op.old:
                graph.add((node, LG.textBefore, Literal(op.old, lang="ko")))
            if op.new and op.kind is not Kind.RENUMBER:
                graph.add((node, LG.textAfter, Literal(op.new, lang="ko")))
            if (seen := visible.get((i, j))) is not None:
                graph.add((node, LG.visibleInCurrentText, Literal(seen)))
            graph.add((node, PROV.wasDerivedFrom, source))
            counts["amendments"] += 1
    for act, effect in acts.items():
        clause, record = effect.parsed.clause, effect.amending
        graph.add((act, RDF.type, LG.AmendingAct))
        title = f"{record.kind} 제{clause.amending_number}호 「{record.name}」"
        graph.add((act, RDFS.label, Literal(title, lang="ko")))
        graph.add((act, LG.promulgationNumber, Literal(clause.amending_number)))
        graph.add((act, ELI.date_publication, Literal(clause.promulgated, datatype=XSD.date)))
        if (code := work_type_code(record.kind)) is not None:
            graph.add((act, ELI.work_type, ids.concept("work-type", code)))
        graph.add((act, LG.amendingLaw, ids.national_law(record.law_id)))
        graph.add((act, LG.amendingVersion, ids.law_version(record.law_id, clause.promulgated)))
        for law in sorted(amends[act]):
            graph.add((act, ELI.amends, law))
        for source in sorted(sources[act]):
            graph.add((act, PROV.wasDerivedFrom, source))
    counts["acts"] = len(acts)
    return counts
