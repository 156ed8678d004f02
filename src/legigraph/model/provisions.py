"""The subdivisions of one version as triples: the one mapping of provisions.

Every writer of provision triples calls :func:`provision_triples`: the bill build and the
linker (rdflib, through :func:`to_graph`), the national ingest (N-Triples text, through
``model.triples.nt_line``) and the history (with its alignment of renumbered provisions).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from urllib.parse import quote

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from legigraph.model import ids
from legigraph.model.namespaces import ELI, LG, SCHEMA
from legigraph.model.records import LawText, Provision
from legigraph.model.triples import Iri, Lit, Triple, add_to

_TYPES = {"art": "article", "para": "paragraph", "item": "item", "subitem": "subitem",
          "preamble": "preamble", "body": "body"}  # fmt: skip

# the terms, as plain IRIs once (the national ingest maps about a million provisions)
_TYPE, _LABEL, _NUMBER = Iri(RDF.type), Iri(RDFS.label), Iri(ELI.number)
_KIND, _PART_OF, _HAS_PART = Iri(ELI.type_subdivision), Iri(ELI.is_part_of), Iri(ELI.has_part)
_REALIZES, _REALIZED_BY = Iri(ELI.realizes), Iri(ELI.is_realized_by)
_IN_VERSION, _DC_PART_OF = Iri(LG.inVersion), Iri(DCTERMS.isPartOf)
_POSITION, _TEXT, _TITLE = Iri(SCHEMA.position), Iri(SCHEMA.text), Iri(ELI.title)
_NOTE, _DERIVED, _SEE_ALSO = Iri(LG.revisionNote), Iri(PROV.wasDerivedFrom), Iri(RDFS.seeAlso)
_SUBDIVISION, _PROVISION_VERSION = Iri(ELI.LegalResourceSubdivision), Iri(LG.ProvisionVersion)
_INTEGER = str(XSD.integer)
_KINDS = (*_TYPES.values(), "addendum")
_KIND_IRIS = {kind: Iri(ids.concept("subdivision-type", kind)) for kind in _KINDS}


def subdivision_kind(prov: Provision) -> str:
    """The code of the subdivision-type list for ``prov`` (article, paragraph, …)."""
    if prov.kind == "addendum":
        return "addendum"
    return _TYPES[prov.path.rpartition("/")[2].partition("_")[0]]


def _ko(text: str) -> Lit:
    return Lit(text, "ko")


def provision_triples(
    law: LawText,
    work: str,
    version: str,
    *,
    only: set[str] | None = None,
    identity: Mapping[str, str] | None = None,
    page: str | None = None,
) -> Iterator[Triple]:
    """One version's subdivisions: work-level and version-level nodes.

    ``only`` limits them to the given paths (a cited provision and its ancestors).
    ``identity`` maps a provision's path in this version to the path of the work-level
    subdivision it realises (the history's alignment: a renumbered provision realises the
    subdivision it always was); by default the two are the same. The work-level node's
    number and label are then left to the history, which gives them once. ``page``, the
    law's law.go.kr page, adds each article's deep link (law.go.kr has article links, not
    addendum or item ones).
    """
    w_law, v_law = Iri(work), Iri(version)
    for position, prov in enumerate(law.walk(), start=1):
        if only is not None and prov.path not in only:
            continue
        parent = prov.path.rpartition("/")[0]
        w_path = identity[prov.path] if identity is not None else prov.path
        w = Iri(ids.provision_iri(work, w_path))
        v = Iri(ids.provision_iri(version, prov.path))
        w_parent_path = identity[parent] if identity is not None and parent else parent
        w_parent = Iri(ids.provision_iri(work, w_parent_path)) if w_parent_path else w_law
        v_parent = Iri(ids.provision_iri(version, parent)) if parent else v_law
        yield w, _TYPE, _SUBDIVISION
        yield w, _KIND, _KIND_IRIS[subdivision_kind(prov)]
        if identity is None:
            if prov.number:  # a preamble or body has none
                yield w, _NUMBER, Lit(prov.number)
            yield w, _LABEL, _ko(prov.label)
        yield w, _PART_OF, w_parent
        yield w_parent, _HAS_PART, w
        yield v, _TYPE, _PROVISION_VERSION
        yield v, _REALIZES, w
        yield w, _REALIZED_BY, v
        yield v, _IN_VERSION, v_law
        yield v, _DC_PART_OF, v_parent
        yield v, _POSITION, Lit(str(position), datatype=_INTEGER)
        yield v, _LABEL, _ko(prov.label)
        if prov.text:
            yield v, _TEXT, _ko(prov.text)
        if prov.heading:
            yield v, _TITLE, _ko(prov.heading)
        for marker in prov.markers:
            yield v, _NOTE, _ko(marker)
        yield v, _DERIVED, v_law
        if page is not None and prov.path.startswith("art_") and "/" not in prov.path:
            yield w, _SEE_ALSO, Iri(ids.external(f"{page}/{quote(prov.label)}"))


def to_graph(
    law: LawText,
    work: URIRef,
    version: URIRef,
    graph: Graph,
    only: set[str] | None = None,
    identity: Mapping[str, str] | None = None,
    page: str | None = None,
) -> Graph:
    """Add :func:`provision_triples` to an rdflib ``graph``; return it."""
    triples = provision_triples(law, work, version, only=only, identity=identity, page=page)
    return add_to(graph, triples)


_ANNEX_CLASS = {"annex": Iri(LG.Annex), "form": Iri(LG.Form)}
_ANNEX_NUMBER = Iri(LG.annexNumber)


def annex_label(kind: str, number: str) -> tuple[str, str]:
    """The Korean and English labels of an annex or form: 별표 1의2 / Annex 1-2."""
    main, _, branch = number.partition("의")
    if kind == "form":
        ko = f"별지 제{main}호{'의' + branch if branch else ''}서식" if main else "별지 서식"
    else:
        ko = f"별표 {number}" if number else "별표"
    en = ("Form" if kind == "form" else "Annex") + (f" {number.replace('의', '-')}" if main else "")
    return ko, en


def annex_triples(iri: str, title: str | None = None) -> Iterator[Triple]:
    """The node of an annex (별표) or form (별지 서식), from its IRI (``ids.annex_of``).

    Written once per node by whoever links to it (the bill build, the statute and
    ordinance ingests): class, the work it is part of, its number and labels, and its
    title when a law.go.kr record gives it.
    """
    parts = ids.annex_of(iri)
    if parts is None:
        raise ids.IdError(f"{iri!r} is not the IRI of an annex or form")
    work, kind, number = parts
    node = Iri(iri)
    ko, en = annex_label(kind, number)
    yield node, _TYPE, _ANNEX_CLASS[kind]
    yield node, _PART_OF, Iri(work)
    if number:
        yield node, _ANNEX_NUMBER, Lit(number)
    yield node, _LABEL, _ko(ko)
    yield node, _LABEL, Lit(en, "en")
    if title:
        yield node, _TITLE, _ko(title)
