"""What a page shows beyond the resource's own triples, by what the resource is.

The bill: its timeline (the activities of its procedure with their dates and who took part,
then the promulgation and entry into force of the act it became). The review report: its
authors and its opinion on each amended provision. An amendment: the
신구조문대비표 of the article it changes (:mod:`.comparison`). A department: its units and the
AI projects it leads or implements. An AI project: its register record (name, description,
departments, the techniques in the report's own words, legal basis, quantities). A national
law: its table of contents and its most-cited provisions. Every page: where its facts came
from (the saved query ``fact-provenance``: the seed's lines and their quoted text).

Each section is read from SPARQL on the server's backend, by saved queries where one says
it (run as ``/queries/{id}`` runs them) and otherwise by the queries here; IRIs enter them
as RDF terms (``VALUES``).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from legigraph.model.namespaces import ORG
from legigraph.model.vocab import LG
from legigraph.query.saved import Result, bind
from legigraph.serve.comparison import comparison
from legigraph.serve.pages import SPARQL_PREFIXES, anywhere, local
from legigraph.serve.site import Site
from legigraph.serve.sparql import HTTPError, run

MOST_CITED = 10  # provisions listed on a national law's page

ENACTMENT = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?act ?published ?in_force ?number WHERE {{
{
    anywhere('''VALUES ?x { UNDEF } ?x lg:enactedAs ?act .
  OPTIONAL { ?act eli:date_publication ?published }
  OPTIONAL { ?act eli:first_date_entry_in_force ?in_force }
  OPTIONAL { ?act lg:promulgationNumber ?number }''')
}
}}"""
AMENDMENTS = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?amendment ?label WHERE {{
{
    anywhere('''VALUES ?x { UNDEF } ?amendment lg:proposedBy ?x .
  OPTIONAL { ?amendment rdfs:label ?label FILTER (LANG(?label) = "ko") }''')
}
}} ORDER BY ?amendment"""
UNITS = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?unit ?label ?direction WHERE {{
{
    anywhere('''VALUES ?x { UNDEF }
  { ?x org:hasUnit ?unit BIND ("down" AS ?direction) }
  UNION { ?unit org:hasUnit ?x BIND ("up" AS ?direction) }
  OPTIONAL { ?unit rdfs:label ?label FILTER (LANG(?label) = "ko") }''')
}
}} ORDER BY ?direction ?label"""
RECORD = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?what ?value ?label ?extra WHERE {{
{
    anywhere('''VALUES ?x { UNDEF }
  { ?x lg:serialNumber ?value BIND ("serial" AS ?what) }
  UNION { ?x rdfs:label ?value BIND ("name" AS ?what) }
  UNION { ?x dcterms:description ?value BIND ("description" AS ?what) }
  UNION { ?x lg:leadDepartment ?value BIND ("lead" AS ?what)
          OPTIONAL { ?value rdfs:label ?label FILTER (LANG(?label) = "ko") } }
  UNION { ?x lg:implementingBody ?value BIND ("implementing" AS ?what)
          OPTIONAL { ?value rdfs:label ?label FILTER (LANG(?label) = "ko") } }
  UNION { ?x lg:category ?value BIND ("category" AS ?what)
          OPTIONAL { ?value skos:prefLabel ?label FILTER (LANG(?label) = "ko") } }
  UNION { ?x lg:lifecycleStatus ?value BIND ("status" AS ?what)
          OPTIONAL { ?value skos:prefLabel ?label FILTER (LANG(?label) = "ko") } }
  UNION { ?x lg:techniqueMention ?mention . ?mention lg:words ?label BIND ("words" AS ?what)
          OPTIONAL { ?mention lg:denotes ?value } }
  UNION { ?x lg:technique ?value BIND ("technique" AS ?what)
          OPTIONAL { ?value skos:prefLabel ?label FILTER (LANG(?label) = "ko") } }
  UNION { ?x lg:legalBasis ?value BIND ("basis" AS ?what)
          OPTIONAL { ?value rdfs:label ?label FILTER (LANG(?label) = "ko") } }
  UNION { ?x lg:hasQuantity ?value BIND ("quantity" AS ?what)
          OPTIONAL { ?value rdfs:label ?label FILTER (LANG(?label) = "ko") }
          OPTIONAL { ?value schema:value ?amount }
          OPTIONAL { ?value schema:unitText ?unit FILTER (LANG(?unit) = "ko") }
          BIND (CONCAT(STR(COALESCE(?amount, "")), " ", STR(COALESCE(?unit, ""))) AS ?extra) }''')
}
}}"""
CITES_ANY = f"""{SPARQL_PREFIXES}
ASK {{
{
    anywhere('''VALUES ?x { UNDEF } ?p eli:is_part_of* ?x .
  { ?p eli:cites ?o } UNION { ?s eli:cites ?p }''')
}
}}"""
CONTENTS = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?part ?label ?title ?pos WHERE {{
{
    anywhere('''VALUES ?x { UNDEF } ?x lg:currentVersion ?version .
  ?part dcterms:isPartOf ?version .
  OPTIONAL { ?part rdfs:label ?label FILTER (LANG(?label) = "ko") }
  OPTIONAL { ?part eli:title ?title }
  OPTIONAL { ?part schema:position ?pos }''')
}
}} ORDER BY ?pos"""
CITED = f"""{SPARQL_PREFIXES}
SELECT ?provision (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?citing) AS ?citations) WHERE {{
{
    anywhere('''VALUES ?x { UNDEF } ?provision eli:is_part_of+ ?x . ?citing eli:cites ?provision .
  OPTIONAL { ?provision rdfs:label ?l FILTER (LANG(?l) = "ko") }''')
}
}} GROUP BY ?provision ORDER BY DESC(?citations) ?provision LIMIT {MOST_CITED}"""


@dataclass
class Link:
    """A value shown as a link to its page (or as text when it has none)."""

    text: str
    href: str | None = None
    iri: str = ""
    note: str = ""


@dataclass
class Event:
    """One step of the bill's timeline."""

    date: str
    ko: str
    en: str
    iri: str = ""
    who: list[str] = field(default_factory=list)


def text(term: Node | None) -> str:
    return "" if term is None else str(term)


def link(term: Node | None, label: Node | None, root: str, note: str = "") -> Link:
    iri = text(term)
    return Link(text(label) or iri, local(iri, root) if isinstance(term, URIRef) else None,
                iri, note)  # fmt: skip


class Views:
    """The special sections of one page: gathered by :meth:`load`, given by :meth:`context`."""

    def __init__(self, site: Site, iri: str, types: set[str]) -> None:
        self.site = site
        self.iri = iri
        self.types = types
        self.sections: dict[str, Any] = {}

    async def _run(self, query: str) -> Result:
        bound = bind(query, {"x": URIRef(self.iri)})
        return await run(self.site.backend.pages, bound, self.site.limits)

    async def saved(self, qid: str, **given: str) -> Result | None:
        """The saved query ``qid`` run with ``given`` as its page runs it; None if absent."""
        saved = self.site.queries.get(qid)
        if saved is None:
            return None
        query = bind(saved.text, saved.bindings(given))
        return await run(self.site.backend.pages, self.site.backend.for_saved(saved, query),
                         self.site.limits)  # fmt: skip

    async def load(self, root: str) -> None:
        """Every section the resource's types call for.

        The sections are asked at once. A section whose query is stopped at the time limit
        is left out and named in ``sections["cut"]``; the page is shown without it.
        """
        wanted: list[tuple[str, Callable[[], Awaitable[None]]]] = []
        if str(LG.Bill) in self.types:
            wanted.append(("timeline", lambda: self.bill(root)))
        if str(LG.Amendment) in self.types:
            wanted.append(("comparison", self.table))
        if str(LG.ReviewReport) in self.types:
            wanted.append(("opinions", lambda: self.report(root)))
        if self.types & {str(ORG.OrganizationalUnit), str(ORG.Organization)}:
            wanted.append(("units", lambda: self.department(root)))
        if str(LG.AIProject) in self.types:
            wanted.append(("record", lambda: self.record(root)))
        if str(LG.NationalLaw) in self.types:
            wanted.append(("contents", lambda: self.law(root)))
        wanted += [("cites", self.cites), ("provenance", self.provenance)]

        async def one(name: str, section: Callable[[], Awaitable[None]]) -> None:
            try:
                await section()
            except HTTPError as err:
                if err.status != 503:
                    raise
                self.sections.setdefault("cut", []).append(name)

        await asyncio.gather(*(one(name, section) for name, section in wanted))
        if "cut" in self.sections:
            self.sections["cut"].sort()

    async def bill(self, root: str) -> None:
        self.sections["timeline"] = await self.timeline()
        rows = (await self._run(AMENDMENTS)).rows
        self.sections["amendments"] = [link(r["amendment"], r.get("label"), root)
                                       for r in rows]  # fmt: skip

    async def report(self, root: str) -> None:
        """Who wrote the review report, whom to ask, its opinion on each provision.

        By the saved queries ``cq09-report-author-contact`` and ``cq10-review-opinions``.
        """
        people = await self.saved("cq09-report-author-contact", report=self.iri)
        authors: list[Link] = []
        for row in people.rows if people is not None else []:
            authors.append(link(row.get("author"), row.get("author_ko"), root,
                                text(row.get("author_job_title_ko"))))  # fmt: skip
            if "contact" in row:
                note = f"{text(row.get('contact_job_title_ko'))} {text(row.get('telephone'))}"
                authors.append(link(row["contact"], row.get("contact_ko"), root, note.strip()))
        self.sections["authors"] = authors
        result = await self.saved("cq10-review-opinions", report=self.iri)
        self.sections["opinions"] = [
            {"provision": link(row.get("provision"), row.get("provision_ko"), root),
             "assessment": text(row.get("assessment_ko")), "text": text(row.get("opinion_text_ko"))}
            for row in (result.rows if result is not None else [])
        ]  # fmt: skip

    async def table(self) -> None:
        async def ask(query: str) -> Result:
            return await run(self.site.backend.pages, query, self.site.limits)

        self.sections["comparison"] = await comparison(self.iri, ask)

    async def law(self, root: str) -> None:
        rows = (await self._run(CONTENTS)).rows
        self.sections["contents"] = [link(r["part"], r.get("label"), root,
                                          text(r.get("title"))) for r in rows]  # fmt: skip
        rows = (await self._run(CITED)).rows
        self.sections["most_cited"] = [
            link(r["provision"], r.get("label"), root, text(r.get("citations")))
            for r in rows if "provision" in r
        ]  # fmt: skip

    async def cites(self) -> None:
        self.sections["cites"] = bool((await self._run(CITES_ANY)).boolean)

    async def timeline(self) -> list[Event]:
        """The bill's procedure in the saved query's order, then the act it became."""
        events: dict[str, Event] = {}
        result = await self.saved("bill-timeline", bill=self.iri)
        for row in result.rows if result is not None else []:
            key = text(row.get("activity"))
            kind = (text(row.get("activity_type_ko")), text(row.get("activity_type_en")))
            event = events.setdefault(key, Event(text(row.get("date")), *kind, key))
            role, who = text(row.get("role_ko")), text(row.get("participant_ko"))
            count = row.get("participant_count")
            if role:
                many = isinstance(count, Literal) and int(count.toPython()) > 1
                body = text(row.get("in_name_of_ko"))
                event.who.append(f"{role}: {who or body}" + (f" {count}명" if many else ""))
        for row in (await self._run(ENACTMENT)).rows:
            act, number = text(row.get("act")), text(row.get("number"))
            if "published" in row:
                events[act + "#published"] = Event(
                    text(row["published"]), "공포", "promulgation", act,
                    [f"조례 제{number}호"] if number else [])  # fmt: skip
            if "in_force" in row:
                events[act + "#in-force"] = Event(text(row["in_force"]), "시행", "entry into force",
                                                  act)  # fmt: skip
        return list(events.values())

    async def department(self, root: str) -> None:
        rows = (await self._run(UNITS)).rows
        self.sections["units"] = [link(r["unit"], r.get("label"), root) for r in rows
                                  if text(r.get("direction")) == "down"]  # fmt: skip
        self.sections["unit_of"] = [link(r["unit"], r.get("label"), root) for r in rows
                                    if text(r.get("direction")) == "up"]  # fmt: skip
        result = await self.saved("ai-projects-by-department", department=self.iri)
        projects: dict[str, Link] = {}
        for row in result.rows if result is not None else []:
            role = "주관" if text(row.get("role")) == "lead" else "시행"
            shown = projects.setdefault(str(row["project"]),
                                        link(row["project"], row.get("name_ko"), root))  # fmt: skip
            shown.note = "·".join(x for x in (shown.note, role) if x)
        self.sections["projects"] = list(projects.values())

    async def record(self, root: str) -> None:
        """The register record: each field with its values, in the register's order."""
        fields: dict[str, list[Link]] = defaultdict(list)
        for row in (await self._run(RECORD)).rows:
            what, value = text(row.get("what")), row.get("value")
            note = text(row.get("extra")).strip()
            if isinstance(value, Literal):
                if what in ("name", "description") and value.language not in ("ko", "en"):
                    continue
                fields[what].append(Link(str(value), note=value.language or ""))
            elif value is not None or what == "words":
                fields[what].append(link(value, row.get("label"), root, note))
        for values in fields.values():
            values.sort(key=lambda v: (v.note != "ko", v.text))
        self.sections["record"] = dict(fields)

    async def provenance(self) -> None:
        """Where the page's facts came from: each source span with its lines and quote."""
        result = await self.saved("fact-provenance", node=self.iri)
        out: dict[tuple[str, str, str], dict[str, str]] = {}
        for row in result.rows if result is not None else []:
            first, last = text(row.get("first_line")), text(row.get("last_line"))
            source = text(row.get("source"))
            key = (text(row.get("document")), first.zfill(8), source)
            lines = f"{first}–{last}" if first and last and first != last else first
            out[key] = {
                "source": source, "label": text(row.get("source_ko")) or source,
                "document": text(row.get("document_title_ko")) or text(row.get("document")),
                "address": text(row.get("document_address")), "lines": lines,
                "quote": text(row.get("quote_ko")),
            }  # fmt: skip
        self.sections["provenance"] = [out[k] for k in sorted(out)]

    def context(self) -> dict[str, Any]:
        return {"sections": self.sections}


def types_of(out: list[tuple[Node, Node]]) -> set[str]:
    return {str(o) for p, o in out if p == RDF.type}
