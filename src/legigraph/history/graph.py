"""One law's chain of versions as triples: dated expressions, provision versions, changes.

Every version is an ``lg:LawVersion`` (or ``lg:OrdinanceVersion``) described as the
linking step describes a national record (``link.describe_record``: 공포일자, 시행일자,
공포번호, MST), with ``eli:date_no_longer_in_force`` the day before the next version took
effect. Every provision of every version is an ``lg:ProvisionVersion``
(``model.provisions``) realising the work-level subdivision of its lineage
(``chain.Chain.names``). Every change between consecutive versions is an
``lg:ChangeEvent``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from legigraph.history.align import INSERTION, RENUMBERING, REPEAL, Prov
from legigraph.history.chain import Chain, Version
from legigraph.link.linker import describe_record
from legigraph.link.resolve import LawRecord
from legigraph.model import ids
from legigraph.model.namespaces import ELI, LG
from legigraph.model.provisions import to_graph
from legigraph.model.records import LawText, Provision

_KIND_KO = {
    "insertion": "신설", "substitution": "개정", "renumbering": "조항이동", "repeal": "삭제",
}  # fmt: skip


def record_of(version: Version) -> LawRecord:
    """The linking step's record of one version (its front matter, as the chain keeps it)."""
    meta = version.meta
    # a reconstructed version has no serial number: its source is named "…-unknown"
    return LawRecord(law_id=meta["law_id"], serial=meta["serial"] or "unknown", name=meta["name"],
                     kind=meta["kind"], promulgated=meta["promulgated"],
                     promulgation_number=meta["promulgation_number"],
                     in_force=meta["in_force"], path=version.file)  # fmt: skip


def work_of(record: LawRecord) -> URIRef:
    return ids.ordinance(record.law_id) if record.is_ordinance else ids.national_law(record.law_id)


def version_of(record: LawRecord) -> URIRef:
    if record.is_ordinance:
        return ids.ordinance_version(record.law_id, record.promulgated)
    return ids.law_version(record.law_id, record.promulgated)


def _as_text(version: Version) -> LawText:
    flat = [Provision(p.path, p.kind, p.label, p.number, p.text, p.heading, list(p.markers))
            for p in version.provisions]  # fmt: skip
    return LawText(Path(version.file), {}, version.meta["name"], flat, "")


def chain_graph(chain: Chain) -> Graph:
    """The history of one law as an rdflib graph."""
    graph = Graph()
    names = chain.names()
    last = len(chain.versions) - 1
    work = work_of(record_of(chain.versions[-1]))
    seen_labels: set[int] = set()
    for index in range(last, -1, -1):
        version = chain.versions[index]
        record = record_of(version)
        node = version_of(record)
        scratch = Graph()
        describe_record(scratch, record, None, {"*"}, Path("."), provisions=False)
        for s, p, o in scratch:
            if s == work and index != last and p != ELI.is_realized_by:
                continue  # the work is described by its latest version
            if p in (LG.localLawSerialNumber, LG.lawSerialNumber) and not version.meta["serial"]:
                continue
            graph.add((s, p, o))
        if index < last:
            start = dt.date.fromisoformat(chain.versions[index + 1].meta["in_force"])
            end = max(start - dt.timedelta(days=1), dt.date.fromisoformat(record.in_force))
            graph.add((node, ELI.date_no_longer_in_force, Literal(end, datatype=XSD.date)))
        identity = {path: names[n] for path, n in version.lineage.items()}
        to_graph(_as_text(version), work, node, graph, identity=identity)
        for prov in version.provisions:  # number and label: the lineage's latest
            lineage = version.lineage[prov.path]
            if lineage not in seen_labels:
                seen_labels.add(lineage)
                w_node = ids.provision(work, names[lineage])
                if prov.number:
                    graph.add((w_node, ELI.number, Literal(prov.number)))
                graph.add((w_node, RDFS.label, Literal(prov.label, lang="ko")))
        if index > 0:
            _changes(graph, chain, index, work, names)
    return graph


def _changes(graph: Graph, chain: Chain, index: int, work: URIRef, names: dict[int, str]) -> None:
    before, after = chain.versions[index - 1], chain.versions[index]
    old_node, new_node = version_of(record_of(before)), version_of(record_of(after))
    old = {p.path: p for p in before.provisions}
    new = {p.path: p for p in after.provisions}
    in_force = Literal(after.meta["in_force"], datatype=XSD.date)
    for n, change in enumerate(after.changes, start=1):
        event = ids.change_event(new_node, n)
        lineage = (after.lineage[change.after] if change.after is not None
                   else before.lineage[str(change.before)])  # fmt: skip
        graph.add((event, RDF.type, LG.ChangeEvent))
        graph.add((event, LG.amendmentType, ids.concept("amendment-type", change.kind)))
        graph.add((event, LG.affectedProvision, ids.provision(work, names[lineage])))
        graph.add((event, LG.changedIn, new_node))
        graph.add((event, LG.dateInForce, in_force))
        graph.add((event, PROV.wasDerivedFrom, new_node))
        was = old.get(change.before) if change.before else None
        now = new.get(change.after) if change.after else None
        if was is not None:
            graph.add((event, LG.provisionBefore, ids.provision(old_node, was.path)))
            graph.add((event, PROV.wasDerivedFrom, old_node))
            if was.text:
                graph.add((event, LG.textBefore, Literal(was.text, lang="ko")))
        if now is not None:
            graph.add((event, LG.provisionAfter, ids.provision(new_node, now.path)))
            if now.text:
                graph.add((event, LG.textAfter, Literal(now.text, lang="ko")))
        graph.add((event, RDFS.label, Literal(_label(change.kind, was, now), lang="ko")))


def _final_consonant(word: str) -> int:
    """The final consonant index of the last Hangul syllable (0: none; 8: ㄹ)."""
    last = word[-1] if word else ""
    return (ord(last) - 0xAC00) % 28 if "가" <= last <= "힣" else 0


def _label(kind: str, was: Prov | None, now: Prov | None) -> str:
    """The Korean label of a change: ``제7조제4호를 제7조제5호로 이동``, ``제3조 개정`` …."""
    if kind == RENUMBERING and was is not None and now is not None:
        obj = "을" if _final_consonant(was.label) else "를"
        to = "으로" if _final_consonant(now.label) not in (0, 8) else "로"
        return f"{was.label}{obj} {now.label}{to} 이동"
    if kind == INSERTION and now is not None:
        return f"{now.label} {_KIND_KO[kind]}"
    if kind == REPEAL and was is not None:
        return f"{was.label} {_KIND_KO[kind]}"
    target = now or was
    assert target is not None
    return f"{target.label} {_KIND_KO[kind]}"
