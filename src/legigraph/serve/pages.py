"""Linked-data pages: every IRI ``https://w3id.org/legigraph/<path>`` answers at ``/<path>``.

Content negotiation happens at the resource's own URL (200, ``Vary: Accept``): HTML for
browsers, Turtle, N-Triples, JSON-LD or RDF/XML by ``Accept``; the same RDF at the URL with
an extension (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``), named in ``Content-Location`` and
linked from the page (``rel=alternate``). No redirect: a w3id.org rule maps the IRI to the
page URL, and a 303 on top would cost every client a round trip for nothing.

A page holds what the store says of the resource (every property with its values, linked),
what points at it (citations, amendments, legal bases), and where it has parts with text,
the text laid out as in law.go.kr (조/항/호/목), one column per version. The queries run on
the server's backend within its limits; IRIs enter them as rdflib terms in ``VALUES``.
The routes are in :mod:`.resource`, the sections by kind of resource in :mod:`.views`.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from legigraph.model.namespaces import BASE, PREFIXES
from legigraph.model.namespaces import curie as short_iri
from legigraph.query.saved import Result, bind
from legigraph.serve.site import Site
from legigraph.serve.sparql import run

MAX_INCOMING = 500  # links shown into one resource
SPARQL_PREFIXES = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p != "lgd")


def anywhere(body: str) -> str:
    """``body`` in the default graph or in any named graph (the national store's)."""
    return f"{{ {body} }} UNION {{ GRAPH ?g {{ {body} }} }}"


OUT = f"""SELECT DISTINCT ?p ?o WHERE {{
{anywhere("VALUES ?x { UNDEF } ?x ?p ?o")}
}} LIMIT 5000"""
IN = f"""SELECT DISTINCT ?s ?p WHERE {{
{anywhere("VALUES ?x { UNDEF } ?s ?p ?x FILTER (?p != eli:is_part_of)")}
}} LIMIT {MAX_INCOMING}"""
TREE = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?root ?date ?d ?parent ?pos ?label ?title ?text WHERE {{
{
    anywhere('''
  { VALUES ?x { UNDEF } ?root eli:realizes ?x }
  UNION {
    VALUES ?x { UNDEF } BIND (?x AS ?root)
    FILTER EXISTS { ?x lg:inVersion|eli:version_date ?any }
  }
  OPTIONAL { ?root lg:inVersion? ?version . ?version eli:version_date ?date }
  ?d dcterms:isPartOf* ?root .
  OPTIONAL { ?d dcterms:isPartOf ?parent }
  OPTIONAL { ?d schema:position ?pos }
  OPTIONAL { ?d rdfs:label ?label FILTER (LANG(?label) = "ko") }
  OPTIONAL { ?d eli:title ?title }
  OPTIONAL { ?d schema:text ?text }''')
}
}}"""
LABELS = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?x ?label WHERE {{
{anywhere("VALUES ?x { UNDEF } ?x rdfs:label|skos:prefLabel|eli:title ?label")}
}}"""

# incoming links people ask for, by what they mean (the rest are listed by property)
INVERSE = {
    "http://data.europa.eu/eli/ontology#cites": ("이 조문을 인용하는 것", "cited by"),
    "https://w3id.org/legigraph/ontology#affectedProvision": ("개정", "amended by"),
    "https://w3id.org/legigraph/ontology#legalBasis": ("법적 근거로 삼는 사업",
                                                       "legal basis of"),
    "http://data.europa.eu/eli/ontology#realizes": ("버전", "versions"),
}  # fmt: skip
_STEP = re.compile(r"(art|para|item|subitem|addendum)_([0-9]+)(?:-([0-9]+))?")


def values(var: str, terms: list[Node]) -> str:
    """A ``VALUES`` clause of ``terms``, each serialised by rdflib."""
    return f"VALUES ?{var} {{ {' '.join(t.n3() for t in terms)} }}"


def curie(iri: str) -> str:
    """``eli:cites`` where the IRI is in a project namespace, else the IRI itself."""
    return short_iri(iri) or iri


@dataclass
class Value:
    """One value as a page shows it: a local link, an outside link, or text."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str = ""
    datatype: str = ""


@dataclass
class Part:
    """A node of a provision tree (a version of an article, paragraph, item, sub-item)."""

    iri: str
    kind: str
    marker: str
    label: str
    title: str
    text: str
    pos: int
    children: list[Part] = field(default_factory=list)


@dataclass
class Version:
    """One column of the text: a version of the resource and its parts."""

    iri: str
    date: str
    parts: list[Part]


def local(iri: str, root: str) -> str | None:
    """The URL of a legigraph IRI on this server; outside http(s) IRIs as they are."""
    if iri.startswith(BASE):
        return root + "/" + iri[len(BASE) :]
    if iri.startswith(("http://", "https://")):
        return iri  # never javascript: or other schemes: they are shown, not linked
    return None


def cell(term: Any, root: str) -> dict[str, Any]:
    """A result cell for an HTML table: text, a link where it is an IRI, a title."""
    if isinstance(term, URIRef):
        text = str(term)
        short = "lgd:" + text[len(BASE) :] if text.startswith(BASE) else text
        return {"text": short, "href": local(text, root), "title": text}
    if isinstance(term, Literal):
        return {"text": str(term), "href": None, "title": term.language or ""}
    return {"text": "" if term is None else str(term), "href": None, "title": ""}


def _kind(iri: str) -> tuple[str, str]:
    """CSS class and law.go.kr marker of a provision: ``('para', '②')``."""
    last = iri.rsplit("/", 1)[-1]
    match = _STEP.fullmatch(last.split("~")[0])
    if not match:
        return "art", ""
    kind, number = match.group(1), int(match.group(2))
    if kind == "para":
        return "para", chr(0x2460 + number - 1) if 1 <= number <= 20 else f"({number})"
    if kind == "item":
        return "item", f"{number}." if not match.group(3) else f"{number}의{match.group(3)}."
    if kind == "subitem":
        letters = "가나다라마바사아자차카타파하"
        return "subitem", f"{letters[number - 1]}." if number <= len(letters) else f"{number}."
    return "art", ""


class Page:
    """What the backend says about one IRI, gathered for a page."""

    def __init__(self, iri: str, site: Site) -> None:
        self.iri = iri
        self.site = site
        self.out: list[tuple[Node, Node]] = []
        self.incoming: list[tuple[Node, Node]] = []
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.versions: list[Version] = []
        self.text_truncated = False

    async def _run(self, text: str) -> Result:
        return await run(self.site.backend.pages, text, self.site.limits)

    async def load_triples(self, *, html: bool) -> None:
        """Its triples and the links into it, and for ``html`` its text: asked at once."""
        term = URIRef(self.iri)
        asks = [bind(f"{SPARQL_PREFIXES}\n{OUT}", {"x": term}),
                bind(f"{SPARQL_PREFIXES}\n{IN}", {"x": term})]  # fmt: skip
        if html:
            asks.append(bind(TREE, {"x": term}))
        out, incoming, *tree = await asyncio.gather(*(self._run(text) for text in asks))
        self.out = [(r["p"], r["o"]) for r in out.rows]
        self.incoming = [(r["s"], r["p"]) for r in incoming.rows]
        if tree:
            self.versions = _versions(tree[0])
            self.text_truncated = tree[0].truncated

    async def load_labels(self) -> None:
        """The labels of the resource, its properties and the values and links shown."""
        term = URIRef(self.iri)
        wanted = {term, *(o for _, o in self.out), *(p for p, _ in self.out)}
        wanted |= {s for s, _ in self.incoming} | {p for _, p in self.incoming}
        iris: list[Node] = [t for t in sorted(wanted, key=str) if isinstance(t, URIRef)]
        chunks = [iris[start : start + 400] for start in range(0, len(iris), 400)]
        for result in await asyncio.gather(*(
            self._run(LABELS.replace("VALUES ?x { UNDEF }", values("x", chunk)))
            for chunk in chunks
        )):  # fmt: skip
            for row in result.rows:
                label = row["label"]
                lang = label.language if isinstance(label, Literal) else ""
                self.labels[str(row["x"])].setdefault(lang or "", str(label))

    @property
    def found(self) -> bool:
        return bool(self.out or self.incoming)

    def graph(self) -> Graph:
        graph = Graph()
        subject = URIRef(self.iri)
        for p, o in self.out:
            graph.add((subject, p, o))
        return graph

    def label(self, iri: str, lang: str) -> str:
        names = self.labels.get(iri, {})
        return names.get(lang) or ""

    def name(self, iri: str) -> str:
        names = self.labels.get(iri, {})
        return names.get("ko") or names.get("") or names.get("en") or curie(iri)

    def value(self, term: Node, root: str) -> Value:
        if isinstance(term, URIRef):
            return Value(self.name(str(term)), local(str(term), root), str(term))
        if isinstance(term, BNode):
            return Value("_:" + str(term))
        assert isinstance(term, Literal)
        plain = not term.datatype or term.datatype == XSD.string
        datatype = "" if plain else curie(str(term.datatype))
        return Value(str(term), lang=term.language or "", datatype=datatype)

    def context(self, root: str) -> dict[str, Any]:
        props: dict[str, list[Value]] = defaultdict(list)
        for p, o in sorted(self.out, key=lambda po: (curie(str(po[0])), str(po[1]))):
            props[str(p)].append(self.value(o, root))
        incoming: dict[str, list[Value]] = defaultdict(list)
        for s, p in sorted(self.incoming, key=lambda sp: (str(sp[1]), str(sp[0]))):
            incoming[str(p)].append(self.value(s, root))
        types = [self.value(o, root) for p, o in self.out if p == RDF.type]
        return {
            "iri": self.iri,
            "ko": self.label(self.iri, "ko") or self.label(self.iri, ""),
            "en": self.label(self.iri, "en"),
            "types": types,
            "properties": [(curie(p), self.value(URIRef(p), root), vs) for p, vs in props.items()],
            "incoming": [(INVERSE.get(p, ("", "")), curie(p), vs) for p, vs in incoming.items()],
            "incoming_capped": len(self.incoming) >= MAX_INCOMING,
            "versions": self.versions,
            "text_truncated": self.text_truncated,
        }


def _versions(tree: Result) -> list[Version]:
    nodes: dict[str, dict[str, Part]] = defaultdict(dict)
    parents: dict[tuple[str, str], str] = {}
    dates: dict[str, str] = {}
    for row in tree.rows:
        root, d = str(row["root"]), str(row["d"])
        if "date" in row:
            dates[root] = str(row["date"])
        if d in nodes[root]:
            continue
        kind, marker = _kind(d)
        pos = row.get("pos")
        nodes[root][d] = Part(
            d, kind, marker, str(row.get("label", "")), str(row.get("title", "")),
            str(row.get("text", "")), int(pos.toPython()) if isinstance(pos, Literal) else 0,
        )  # fmt: skip
        if "parent" in row:
            parents[(root, d)] = str(row["parent"])
    versions = []
    for root, parts in nodes.items():
        top: list[Part] = []
        for iri, part in parts.items():
            parent = parents.get((root, iri))
            if iri == root:
                continue
            (parts[parent].children if parent in parts and parent != root else top).append(part)
        for part in parts.values():
            part.children.sort(key=lambda p: p.pos)
        top.sort(key=lambda p: p.pos)
        if root in parts and (parts[root].text or parts[root].title):
            own = parts[root]
            own.children = top
            top = [own]
        if top:
            versions.append(Version(root, dates.get(root, ""), top))
    return sorted(versions, key=lambda v: v.date)
