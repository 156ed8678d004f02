"""Link the graph to Korea's national law data, provision by provision.

Every provision text of the ordinance versions is scanned for citations; each cited law
name is resolved to its 법령ID (or 자치법규ID) as of the citing version's date, and each
cited provision to the subdivision IRI of the national record, checked against the
record's text where the text is at hand (the committed records in ``data/external/``, or a
corpus given with ``--corpus``). Resolved citations become ``eli:cites`` triples; the
cited works and provisions get their national identifiers and links to law.go.kr and
lod.law.go.kr. Everything else is reported with the reason.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from legigraph.link.aliases import names_former
from legigraph.link.citations import Citation, find_citations
from legigraph.link.evidence import Evidence, considered_iris, resolution_triples, rule_of
from legigraph.link.formernames import software_version, table_triples
from legigraph.link.resolve import (
    LawIndex,
    LawRecord,
    Resolution,
    merge,
    read_law_index,
    read_ordinance_index,
)
from legigraph.link.resolver import Resolver, with_tables
from legigraph.link.targets import annex_title, range_members
from legigraph.model import ids
from legigraph.model.documents import describe_document, describe_version
from legigraph.model.namespaces import ELI, LG, SCHEMA
from legigraph.model.provisions import annex_label, annex_triples, to_graph
from legigraph.model.records import LawText
from legigraph.model.triples import add_to
from legigraph.model.worktypes import work_type_code
from legigraph.paths import Layout
from legigraph.sources.lawgokr import parse_law_detail, parse_ordinance_detail
from legigraph.sources.ordinance import read_law_text

LAW_GO_KR = "https://www.law.go.kr"
LOD = "http://lod.law.go.kr/resource/LSI"


@dataclass(frozen=True)
class CitationRow:
    """One citation found, and what became of it."""

    where: str  # label of the citing provision and its version date
    citing: str  # IRI of the citing (work-level) provision
    text: str
    status: str  # resolved | ambiguous | unresolved | internal | skipped
    target: str  # IRI of the cited subdivision or work, "" if none
    reason: str
    evidence: Evidence | None = None  # why, when resolved (linking.evidence)
    targets: tuple[str, ...] = ()  # every cited node when resolved: the first is ``target``


@dataclass(frozen=True)
class Paraphrase:
    """A citing provision that restates the provision it cites."""

    citing: str
    cited: str
    citing_text: str
    cited_text: str
    similarity: float
    verdict: str  # quotes | paraphrases | differs


@dataclass
class LinkResult:
    """The triples linking added, and the report."""

    graph: Graph
    rows: list[CitationRow] = field(default_factory=list)
    paraphrases: list[Paraphrase] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(row.status for row in self.rows)

    def render(self) -> str:
        """The report `legigraph link` prints."""
        counts = self.counts()
        found = sum(counts[s] for s in ("resolved", "ambiguous", "unresolved"))
        lines = [f"citations found: {found} (+{counts['internal']} within the ordinance, "
                 f"{counts['skipped']} bill provisions)",
                 f"  resolved {counts['resolved']}, ambiguous {counts['ambiguous']}, "
                 f"unresolved {counts['unresolved']}"]  # fmt: skip
        for row in self.rows:
            if row.status in ("resolved", "ambiguous", "unresolved"):
                lines.append(f"{row.status:<10} {row.where}: {row.text}")
                cited = ", ".join(row.targets) or row.target or "—"  # a list: every member
                lines.append(f"           → {cited}  ({row.reason})")
        for p in self.paraphrases:
            lines.append(f"consistency: {p.citing} {p.verdict} {p.cited} "
                         f"(similarity {p.similarity:.2f})")  # fmt: skip
            lines.append(f"  citing: {p.citing_text}")
            lines.append(f"  cited:  {p.cited_text}")
        return "\n".join(lines) + "\n"


@dataclass
class NationalTexts:
    """Law texts at hand: committed records, a corpus, then law.go.kr responses cached."""

    committed: dict[str, LawText]
    corpus: Path | None = None
    api_cache: Path | None = None
    _paths: dict[str, frozenset[str] | None] = field(default_factory=dict, repr=False)

    def get(self, record: LawRecord) -> LawText | None:
        if record.law_id in self.committed:
            return self.committed[record.law_id]
        cached = self._from_api_cache(record)
        if cached is not None:
            return cached
        if self.corpus is not None and record.path:
            path = self.corpus / record.path
            if not path.exists() and (self.corpus / "kr").is_dir():
                path = self.corpus / "kr" / Path(record.path).relative_to("kr")
            if path.exists():
                return read_law_text(path)
        return None

    def annexes(self, record: LawRecord) -> dict[tuple[str, str], str] | None:
        """A record's annexes and forms, (kind, number) → title; None when none is listed."""
        law = self.get(record)
        return None if law is None else law.annexes

    def paths(self, record: LawRecord) -> frozenset[str] | None:
        """The provision paths of a record's text, None when no text is at hand."""
        if record.law_id not in self._paths:
            law = self.get(record)
            self._paths[record.law_id] = (
                None if law is None else frozenset(p.path for p in law.walk())
            )
        return self._paths[record.law_id]

    def _from_api_cache(self, record: LawRecord) -> LawText | None:
        if self.api_cache is None:
            return None
        target = "ordin" if record.is_ordinance else "law"
        path = self.api_cache / target / f"MST{record.serial}.xml"
        if not path.is_file():
            return None
        parse = parse_ordinance_detail if record.is_ordinance else parse_law_detail
        law = parse(path.read_bytes(), str(path), record.serial)
        law.source = path
        return law


def api_cache(layout: Layout) -> Path:
    """Where law.go.kr responses are cached (raw XML, beside the other external records)."""
    return layout.data / "external" / "law-go-kr" / "raw"


def law_index(layout: Layout) -> LawIndex:
    """The national statute and Seoul ordinance indexes, with the ``data/linking/`` tables.

    The tables: namesake dates and former names (``linking.resolver``).
    """
    ext = layout.data / "external"
    merged = merge(
        read_law_index(ext / "legalize-kr" / "index_all_laws.csv"),
        read_ordinance_index(ext / "ordinance-kr" / "INDEX.tsv"),
    )
    return with_tables(merged, layout.data)


def committed_texts(layout: Layout) -> dict[str, LawText]:
    """The national records committed under ``data/external``, by identifier."""
    out: dict[str, LawText] = {}
    ext = layout.data / "external"
    for path in sorted((ext / "legalize-kr" / "kr").rglob("*.md")):
        law = read_law_text(path)
        out[str(law.meta.get("법령ID", ""))] = law
    for path in sorted((ext / "ordinance-kr").glob("*/raw/*.md")):
        law = read_law_text(path)
        out[str(law.meta.get("자치법규ID", ""))] = law
    return out


def _work(record: LawRecord) -> URIRef:
    return ids.ordinance(record.law_id) if record.is_ordinance else ids.national_law(record.law_id)


def law_page(record: LawRecord, suffix: str = "") -> URIRef:
    """The law.go.kr page of a record (``suffix``: an article or a version)."""
    kind = "자치법규" if record.is_ordinance else "법령"
    name = record.name.replace(" ", "")
    return ids.external(f"{LAW_GO_KR}/{kind}/{name}{suffix}")


def _source(graph: Graph, record: LawRecord, law: LawText | None, data: Path) -> URIRef:
    """The source document node of a national record (the index row, or the text file)."""
    doc = ids.source_document(f"national-{record.law_id}-{record.serial}")
    title = f"{record.name} ({'자치법규' if record.is_ordinance else '법령'} {record.law_id})"
    titles, page = [Literal(title, lang="ko")], law_page(record)
    if law is None:
        return describe_document(graph, doc, titles, record.path or record.law_id, source=page)
    # A national text is named by its path in the legalize-kr layout (kr/{name}/{kind}.md,
    # as the index has it), wherever the copy read lives: the bill build (a committed
    # copy under data/) and the national ingest (the corpus) describe the same document,
    # and in one store they must give it one identifier.
    # A relative source (an archive member) is already named relative to its corpus.
    where = law.source.resolve() if law.source.is_absolute() else law.source
    name = where.relative_to(data.resolve()) if where.is_relative_to(data.resolve()) else where
    corpus_path = record.path if record.path and not record.is_ordinance else str(name)
    return describe_document(graph, doc, titles, corpus_path, law.sha256, page)


def describe_record(
    graph: Graph,
    record: LawRecord,
    law: LawText | None,
    paths: set[str],
    data: Path,
    *,
    provisions: bool = True,
) -> None:
    """Add a national record: identifiers, the version, links, and the given provisions.

    ``provisions=False`` leaves the subdivisions out (the ingest writes them itself).
    """
    work = _work(record)
    version = (
        ids.ordinance_version(record.law_id, record.promulgated)
        if record.is_ordinance
        else ids.law_version(record.law_id, record.promulgated)
    )
    doc = _source(graph, record, law, data)
    graph.add((work, RDF.type, LG.Ordinance if record.is_ordinance else LG.NationalLaw))
    graph.add((work, RDFS.label, Literal(record.name, lang="ko")))
    graph.add((work, PROV.wasDerivedFrom, doc))
    graph.add((version, PROV.wasDerivedFrom, doc))
    if record.is_ordinance:
        graph.add((work, ELI.passed_by, ids.organisation("seoul-council")))
    graph.add((work, ELI.id_local, Literal(record.law_id)))
    graph.add((work, RDFS.seeAlso, law_page(record)))
    code = work_type_code(record.kind)
    if code is not None:  # an unknown kind: the ingest reports it (ingest.parse_statute)
        graph.add((work, ELI.work_type, ids.concept("work-type", code)))
    describe_version(graph, work, version, ordinance=record.is_ordinance, title=record.name,
                     promulgated=record.promulgated, in_force=record.in_force,
                     promulgation_number=record.promulgation_number,
                     serial=record.serial)  # fmt: skip
    number, date = record.promulgation_number.lstrip("0"), record.promulgated.replace("-", "")
    graph.add((version, RDFS.seeAlso, law_page(record, f"/({number},{date})")))
    if not record.is_ordinance:
        # lod.law.go.kr names one version by its 법령일련번호 (MST): the same thing as ours.
        graph.add((version, OWL.sameAs, URIRef(f"{LOD}{record.serial}")))
    if law is None or not provisions:
        return
    wanted = {
        p.path for p in law.walk() if any(w == p.path or w.startswith(p.path + "/") for w in paths)
    }
    only = wanted if paths != {"*"} else None
    to_graph(law, work, version, graph, only=only, page=str(law_page(record)))


def _version_date(graph: Graph, version: URIRef) -> str:
    value = graph.value(version, ELI.first_date_entry_in_force) or graph.value(
        version, ELI.version_date
    )
    return str(value) if value is not None else ""


def link(
    graph: Graph,
    layout: Layout,
    corpus: Path | None = None,
    full: frozenset[str] = frozenset({"014217"}),
) -> LinkResult:
    """Find, resolve and link the citations in the ordinance texts of ``graph``."""
    index = law_index(layout)
    texts = NationalTexts(committed_texts(layout), corpus, api_cache(layout))
    out = Graph()
    result = LinkResult(out)
    cited: dict[str, tuple[LawRecord, set[str]]] = {}
    annexes: dict[str, LawRecord] = {}  # annex and form nodes cited, and their law
    for pv in sorted(graph.subjects(RDF.type, LG.ProvisionVersion), key=str):
        version = graph.value(pv, LG.inVersion)
        text = graph.value(pv, SCHEMA.text)
        sub = graph.value(pv, ELI.realizes)
        if not isinstance(version, URIRef) or text is None or not isinstance(sub, URIRef):
            continue
        if (version, RDF.type, LG.OrdinanceVersion) not in graph:
            continue
        date = _version_date(graph, version)
        where = f"{graph.value(pv, RDFS.label)} ({date})"
        last: Citation | None = None
        for found in find_citations(str(text)):
            cit = replace(found, former=names_former(str(text), found.start, found.end))
            row, record = resolve_one(cit, last, index, texts, date, where, sub, version=date)
            if cit.relation == "explicit":
                last = cit
            result.rows.append(row)
            if row.status == "resolved" and record is not None:
                own = cit.relation == "self"  # an annex of the ordinance itself: not a record
                entry = (record, set()) if own else cited.setdefault(record.law_id, (record, set()))
                for target in row.targets:
                    out.add((sub, ELI.cites, URIRef(target)))
                    if ids.annex_of(target) is not None:
                        annexes[target] = record
                    elif target.startswith(f"{_work(record)}/"):
                        entry[1].add(target[len(str(_work(record))) + 1 :])
                if row.evidence is not None:
                    _add_evidence(out, row.evidence, index)
    for law_id, (record, paths) in sorted(cited.items()):
        describe_record(
            out, record, texts.get(record), {"*"} if law_id in full else paths, layout.data
        )
    for target, record in sorted(annexes.items()):
        add_to(out, annex_triples(target, annex_title(target, texts.annexes(record))))
    for work in sorted(graph.subjects(RDF.type, LG.Ordinance), key=str):
        record = index.by_id.get(ids.record_id_of(str(work)) or "")
        if record is not None and record.is_ordinance:  # the amended ordinance itself
            out.add((work, ELI.id_local, Literal(record.law_id)))
            out.add((work, RDFS.seeAlso, law_page(record)))
    result.paraphrases = paraphrases(graph + out)
    return result


def _add_evidence(out: Graph, ev: Evidence, index: LawIndex) -> None:
    """A resolution's evidence, and the row of the alias table it went through (if any)."""
    for triple in resolution_triples(ev):
        out.add(triple)
    if ev.via and isinstance(index, Resolver) and ev.via in index.by_former_iri and (
            index.table_digest):  # fmt: skip
        former = index.by_former_iri[ev.via]  # the row of the alias table it used
        for triple in table_triples([former], index.table_digest, software_version()):
            out.add(triple)


def resolve_one(
    cit: Citation, last: Citation | None, index: LawIndex, texts: NationalTexts, date: str,
    where: str, sub: URIRef, via: str = "", version: str | None = None,
) -> tuple[CitationRow, LawRecord | None]:  # fmt: skip
    """One citation's row, and the record it resolved to (None unless resolved).

    ``via``: the rule that said which law a relative reference means (parent-act …);
    ``version``: the citing version's date where a provision is read in several versions.
    A list or range has every member as a target (a range's members from the cited text);
    an annex or form (별표 1, 별표 1 제2호, 별지 제3호서식) its node, of the citing law itself
    for 별표 1과 같다.
    """

    def row(status: str, target: str, reason: str) -> tuple[CitationRow, LawRecord | None]:
        return CitationRow(where, str(sub), cit.text, status, target, reason), None

    def resolved(targets: list[str], reason: str, record: LawRecord) -> CitationRow:
        rule = rule_of(via or ("same-law" if cit.relation == "same-law" else ""), res_rule)
        considered = tuple(str(_work(c)) for c in candidates) or (str(_work(record)),)
        ev = Evidence(str(sub), cit.start, cit.text, targets[0], str(_work(record)),
                      considered_iris(considered), rule, reason, date or None, version,
                      via=res.via or None, more=tuple(targets[1:]))  # fmt: skip
        return CitationRow(where, str(sub), cit.text, "resolved", targets[0], reason, ev,
                           tuple(targets))  # fmt: skip

    if cit.draft:
        return row("skipped", "", "a provision of a bill, not of a law")
    if cit.relation == "self" and not cit.annexed:
        return row("internal", "", "a provision of the citing ordinance itself")
    res = _law_of(cit, last, index, date, str(sub))
    if res.record is None:
        return row(res.status, "", res.reason)
    record, res_rule, candidates = res.record, res.rule, res.candidates
    why = f"{record.law_id}: {res.reason}"
    work = _work(record)
    if cit.annexed:
        return _annex_row(cit, record, texts, why, row, resolved)
    if not cit.provisions:
        return resolved([str(work)], why, record), record
    known = texts.paths(record)
    paths = []
    for prov in cit.provisions:
        path = prov.path
        relative = any(step.split("_")[1].split("-")[0] == "0" for step in path.split("/"))
        if cit.addendum or relative:
            return row(
                "unresolved",
                str(work),
                "부칙 and context-relative provisions are not linked yet",
            )
        if known is not None and path not in known:
            articles = sum(1 for p in known if p.startswith("art_") and "/" not in p)
            return row(
                "unresolved",
                "",
                f"{prov.label} does not exist in 「{record.name}」 "
                f"({record.law_id}, {articles} articles)",
            )
        paths.append(path)
    checked = "checked against the text" if known is not None else "not checked: no text at hand"
    if cit.kind == "range" and len(paths) == 2:
        members = range_members(paths[0], paths[1], known)
        if members is None:
            checked += "; the range's two ends only: its members could not be listed"
        paths = members or paths
    reason = f"{why}; provision {checked}"
    targets = [str(ids.provision(work, path)) for path in dict.fromkeys(paths)]
    return resolved(targets, reason, record), record


def _law_of(cit: Citation, last: Citation | None, index: LawIndex, date: str,
            sub: str) -> Resolution:  # fmt: skip
    """Which law ``cit`` cites: the citing law for its own annex (별표 1과 같다), or by name."""
    if cit.relation == "self":
        own = index.by_id.get(ids.record_id_of(sub) or "")
        if own is None or not sub.startswith(f"{_work(own)}/"):
            return Resolution("internal", None, "an annex or form of the citing law, not in the "
                              "index")  # fmt: skip
        return Resolution("resolved", own, "the citing law", rule="self")
    if cit.relation == "same-law" and last is not None:
        name = last.law
    elif cit.relation == "explicit":
        name = cit.law
    else:
        return Resolution("unresolved", None, f"relation {cit.relation!r} is not resolved yet")
    if not name:
        return Resolution("unresolved", None, "no law name")
    # a 부칙, or 종전의 「A」: the name as it was (a replaced name is then the repealed Act)
    wording = ids.in_addendum(sub) or (cit.former and cit.relation == "explicit")
    return index.resolve(name, date or None, wording=wording)


def _annex_row(
    cit: Citation, record: LawRecord, texts: NationalTexts, why: str,
    row: Callable[[str, str, str], tuple[CitationRow, LawRecord | None]],
    resolved: Callable[[list[str], str, LawRecord], CitationRow],
) -> tuple[CitationRow, LawRecord | None]:  # fmt: skip
    """The row of an annex or form citation whose law resolved: its node, if it has one."""
    work = _work(record)
    kind, number = ("form", cit.form) if cit.form is not None else ("annex", cit.annex or "")
    target = ids.annex_iri(str(work), kind, number)
    listed = texts.annexes(record)
    label = annex_label(kind, number)[0]
    if listed is not None and (kind, number) not in listed:
        return row("unresolved", "", f"{label} is not among the {len(listed)} annexes and forms "
                   f"of 「{record.name}」's law.go.kr record ({record.law_id})")  # fmt: skip
    if cit.addendum:
        return row("unresolved", str(work), f"{label} of a 부칙 is not linked yet")
    checked = (
        "annex list checked against the law.go.kr record"
        if listed is not None
        else "not checked: the corpus holds no annex list"
    )
    part = f"; the citation names {cit.provisions[0].label} of it" if cit.provisions else ""
    return resolved([target], f"{why}; {label}: {checked}{part}", record), record


def paraphrases(graph: Graph) -> list[Paraphrase]:
    """Compare each citing provision that says 「…」 제N조에 따른 … with the text it cites."""
    out = []
    for sub, target in sorted(graph.subject_objects(ELI.cites), key=str):
        if not str(target).startswith(str(ids.national_law("0"))[:-1]):
            continue
        citing = _text_in_force(graph, sub)
        cited = _text_in_force(graph, target)
        if not citing or not cited or "에 따른" not in citing:
            continue
        restated = citing.split("에 따른", 1)[1].strip()
        ratio = difflib.SequenceMatcher(None, restated, cited).ratio()
        verdict = "quotes" if restated in cited else ("paraphrases" if ratio >= 0.3 else "differs")
        labels = [str(graph.value(node, RDFS.label)) for node in (sub, target)]
        out.append(Paraphrase(labels[0], labels[1], citing, cited, round(ratio, 2), verdict))
    return out


def _text_in_force(graph: Graph, sub: object) -> str:
    versions = sorted(
        (str(graph.value(v, LG.inVersion) or ""), str(graph.value(v, SCHEMA.text) or ""))
        for v in graph.objects(sub, ELI.is_realized_by)  # type: ignore[arg-type]
    )
    return versions[-1][1] if versions else ""
