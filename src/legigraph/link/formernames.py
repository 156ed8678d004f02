"""The alias table in the graph: each row an ``lg:FormerName`` with its provenance.

A row of ``data/linking/aliases.tsv`` (``link.aliases``) becomes (docs/model.md, "Former
names"):

* ``lg:FormerName`` (a ``prov:Entity``) at ``ids.former_name(법령ID, name, kind)``;
* ``lg:formerName`` (the name as written, NFC, @ko), ``lg:nameOf`` the law it means,
  ``lg:formerNameKind`` (``code/alias-kind``), ``lg:nameChange`` (``code/name-change``:
  rename or replacement), ``lg:nameValidFrom`` / ``lg:nameValidUntil`` (xsd:date, when
  known), ``lg:sourceFileCount``, ``dcterms:source`` (the source as the table writes it);
* ``prov:wasDerivedFrom`` the national 부칙 provision that says it (none for a ``directory``
  row, whose evidence is a folder name) and ``prov:wasGeneratedBy`` the mining, a
  ``prov:Activity`` named by the table's SHA-256 (``lg:sha256``, ``schema:softwareVersion``);
* ``skos:hiddenLabel`` on the law, so that a plain label search finds it by the old name.

The statute ingest writes every row whose law it read (``ingest_lines``: the whole table for
the whole corpus); the bill
build only the rows its resolutions went through (``lg:viaFormerName``).
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version

from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, Literal, URIRef
from rdflib.term import Node

from legigraph.link.aliases import Alias
from legigraph.link.resolve import LawIndex
from legigraph.link.resolver import Resolver, former_name_iri
from legigraph.model import ids
from legigraph.model.namespaces import LG, SCHEMA
from legigraph.model.text import nfc
from legigraph.model.triples import node_line

Triple = tuple[URIRef, URIRef, Node]
MINE = "python -m legigraph.link.mine"


def software_version() -> str:
    """The installed legigraph's version (the mining's ``schema:softwareVersion``)."""
    try:
        return version("legigraph")
    except PackageNotFoundError:  # run from a checkout without installing it
        return "unknown"


def mining_triples(digest: str, software: str) -> list[Triple]:
    """The mining that wrote the table (``python -m legigraph.link.mine``)."""
    node = ids.alias_mining(digest)
    return [
        (node, RDF.type, PROV.Activity),
        (node, RDFS.label, Literal(f"옛 이름 별칭표 채굴 ({MINE})", lang="ko")),
        (node, RDFS.label, Literal(f"alias table mining ({MINE})", lang="en")),
        (node, LG.sha256, Literal(digest)),
        (node, SCHEMA.softwareVersion, Literal(software)),
    ]


def former_name_triples(alias: Alias, mining: URIRef) -> list[Triple]:
    """The triples of one row."""
    node = URIRef(former_name_iri(alias))
    law = ids.national_law(alias.law_id)
    name = nfc(alias.alias)
    out: list[Triple] = [
        (node, RDF.type, LG.FormerName),
        (node, LG.formerName, Literal(name, lang="ko")),
        (node, LG.nameOf, law),
        (node, LG.formerNameKind, ids.concept("alias-kind", alias.how)),
        (node, LG.sourceFileCount, Literal(int(alias.sources), datatype=XSD.integer)),
        (node, DCTERMS.source, Literal(nfc(alias.source))),
        (node, PROV.wasGeneratedBy, mining),
        (law, SKOS.hiddenLabel, Literal(name, lang="ko")),
    ]
    if alias.change:
        out.append((node, LG.nameChange, ids.concept("name-change", alias.change)))
    if alias.valid_from:
        out.append((node, LG.nameValidFrom, Literal(alias.valid_from, datatype=XSD.date)))
    if alias.valid_until:
        out.append((node, LG.nameValidUntil, Literal(alias.valid_until, datatype=XSD.date)))
    if alias.provision:
        out.append((node, PROV.wasDerivedFrom, ids.provision_by_id(alias.provision)))
    return out


def table_triples(aliases: Iterable[Alias], digest: str, software: str) -> list[Triple]:
    """The mining and every row of ``aliases``, in table order (each triple once)."""
    mining = ids.alias_mining(digest)
    out = dict.fromkeys(mining_triples(digest, software))
    for alias in aliases:
        out.update(dict.fromkeys(former_name_triples(alias, mining)))
    return list(out)


def table_lines(aliases: Iterable[Alias], digest: str, software: str) -> list[str]:
    """The same triples as N-Triples lines (without the line break)."""
    return [node_line(t) for t in table_triples(aliases, digest, software)]


def ingest_lines(index: LawIndex, laws: set[str]) -> tuple[list[str], int]:
    """What the statute ingest writes: the rows whose law is in ``index`` and was read.

    ``laws``: the 법령IDs the ingest read (a whole corpus reads every law of the index; a
    ``--limit-fraction`` run writes only its laws' rows, so no row names a law the graph
    lacks). Returns the lines and the number of rows (none without a table).
    """
    if not isinstance(index, Resolver):
        return [], 0
    rows = [a for a in index.aliases if a.law_id in index.by_id and a.law_id in laws]
    if not rows or not index.table_digest:
        return [], 0
    return table_lines(rows, index.table_digest, software_version()), len(rows)
