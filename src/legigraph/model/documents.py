"""Versions of laws and ordinances, and the source documents facts come from.

The one mapping of each, used by the bill build, the linker, the history and the draft
workbench.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, XSD

from legigraph.model.namespaces import ELI, KOREAN, LG


def describe_document(
    graph: Graph,
    doc: URIRef,
    titles: Iterable[Literal],
    identifier: str,
    sha256: str | None = None,
    source: URIRef | None = None,
) -> URIRef:
    """A source document: a ``foaf:Document`` and ``prov:Entity``.

    With its titles, its identifier (a path or a number), the SHA-256 of the bytes read and
    where it came from.
    """
    graph.add((doc, RDF.type, FOAF.Document))
    graph.add((doc, RDF.type, PROV.Entity))
    for title in titles:
        graph.add((doc, DCTERMS.title, title))
    graph.add((doc, DCTERMS.identifier, Literal(identifier)))
    if sha256 is not None:
        graph.add((doc, LG.sha256, Literal(sha256)))
    if source is not None:
        graph.add((doc, DCTERMS.source, source))
    return doc


def describe_version(
    graph: Graph,
    work: URIRef,
    version: URIRef,
    *,
    ordinance: bool,
    title: str,
    promulgated: str,
    in_force: str,
    promulgation_number: str,
    serial: str | None,
) -> URIRef:
    """One version (expression) of a law or ordinance, linked both ways to its work.

    With ELI's dates, the 공포번호 and the law.go.kr serial (MST, or 자치법규일련번호).
    """
    date = XSD.date
    graph.add((version, RDF.type, LG.OrdinanceVersion if ordinance else LG.LawVersion))
    graph.add((version, ELI.realizes, work))
    graph.add((work, ELI.is_realized_by, version))
    graph.add((version, ELI.title, Literal(title, lang="ko")))
    graph.add((version, ELI.language, KOREAN))
    graph.add((version, ELI.version_date, Literal(promulgated, datatype=date)))
    graph.add((version, ELI.date_publication, Literal(promulgated, datatype=date)))
    graph.add((version, ELI.first_date_entry_in_force, Literal(in_force, datatype=date)))
    graph.add((version, LG.promulgationNumber, Literal(promulgation_number.lstrip("0"))))
    if serial:
        serial_of = LG.localLawSerialNumber if ordinance else LG.lawSerialNumber
        graph.add((version, serial_of, Literal(serial)))
    return version
