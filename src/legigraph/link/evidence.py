"""Why a citation points where it does: its resolution as PROV in the graph.

Each resolved citation gets an ``lg:CitationResolution`` (a ``prov:Activity``) beside its
``eli:cites`` edge, under the citing provision (``ids.citation_resolution_iri``):

* ``lg:citingProvision`` (a sub-property of ``prov:used``) and ``lg:resolvedTo``: the two
  ends of the edge (one ``lg:resolvedTo`` per target of a list or range: 제2조ㆍ제3조);
* ``lg:citationText``: the citation as written; ``lg:resolvedAsOf``: the citing date;
* ``lg:resolutionRule``: the rule that chose (``Resolution.rule``: name, namesake-date,
  alias, fuzzy; a relative reference's rule first — ``parent-act/name``);
* ``lg:consideredLaw`` for every candidate and ``lg:rejectedLaw`` for those not chosen;
* ``skos:note`` (@en): the resolver's reason, the rejected namesakes and why;
* ``lg:viaFormerName``: for a resolution by a former name (rule ``alias``), the row of the
  alias table it went through (an ``lg:FormerName``, ``link.formernames``).

The same triples serve the bill build (an rdflib graph) and the national ingest (its fast
N-Triples writer, :func:`resolution_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, SKOS, XSD, Literal, URIRef
from rdflib.term import Node

from legigraph.model import ids
from legigraph.model.namespaces import LG
from legigraph.model.triples import node_line


@dataclass(frozen=True)
class Evidence:
    """What one resolution decided, and from what."""

    citing: str  # IRI of the citing provision (work level)
    start: int  # the citation's offset in the provision's text
    text: str  # the citation as written
    target: str  # IRI of the cited work or subdivision
    chosen: str  # IRI of the law chosen
    considered: tuple[str, ...]  # IRIs of every candidate law
    rule: str
    reason: str
    on: str | None = None  # the citing date (ISO)
    version: str | None = None  # the citing version's date, when a provision has several
    via: str | None = None  # the lg:FormerName a resolution by a former name went through
    more: tuple[str, ...] = ()  # the other targets of a list or range (제2조ㆍ제3조)


def resolution_triples(ev: Evidence) -> list[tuple[URIRef, URIRef, Node]]:
    """The triples of one resolution."""
    node = URIRef(ids.citation_resolution_iri(ev.citing, ev.start, ev.version))
    out: list[tuple[URIRef, URIRef, Node]] = [
        (node, RDF.type, LG.CitationResolution),
        (node, LG.citingProvision, URIRef(ev.citing)),
        *((node, LG.resolvedTo, URIRef(t)) for t in (ev.target, *ev.more)),
        (node, LG.citationText, Literal(ev.text)),
        (node, LG.resolutionRule, Literal(ev.rule)),
        (node, SKOS.note, Literal(ev.reason, lang="en")),
    ]
    if ev.on:
        out.append((node, LG.resolvedAsOf, Literal(ev.on, datatype=XSD.date)))
    if ev.via:
        out.append((node, LG.viaFormerName, URIRef(ev.via)))
    for law in dict.fromkeys((ev.chosen, *ev.considered)):
        prop = LG.consideredLaw if law == ev.chosen else LG.rejectedLaw
        out.append((node, prop, URIRef(law)))
    return out


def resolution_lines(ev: Evidence) -> list[str]:
    """The same triples as N-Triples lines (without the line break)."""
    return [node_line(t) for t in resolution_triples(ev)]


def rule_of(relative: str, name: str) -> str:
    """The rule of a resolution: a relative reference's rule, then the name's.

    ``parent-act/name``, ``same-law/namesake-date``; a plain citation's is the name's alone
    (name, namesake-date, alias, fuzzy).
    """
    name = name or "name"
    return f"{relative}/{name}" if relative and relative not in ("name", "explicit") else name


def considered_iris(works: tuple[str, ...]) -> tuple[str, ...]:
    """The candidates' IRIs in a stable order, each once."""
    return tuple(sorted(dict.fromkeys(works)))
