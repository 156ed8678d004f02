"""RDF namespaces used across legigraph, bound once so serialisations share prefixes."""

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from legigraph.model.vocab import LG as LG  # the closed lg: namespace, re-exported

BASE = "https://w3id.org/legigraph/"
LGD = Namespace(BASE)
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ELI_DL = Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
# the EU authority table's Korean, the eli:language of every Korean text
KOREAN = URIRef("http://publications.europa.eu/resource/authority/language/KOR")

PREFIXES: dict[str, Namespace] = {
    "lg": Namespace(str(LG)),
    "lgd": LGD,
    "eli": ELI,
    "eli-dl": ELI_DL,
    "org": ORG,
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "prov": Namespace(str(PROV)),
    "foaf": Namespace(str(FOAF)),
    "schema": SCHEMA,
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "sh": SH,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind legigraph's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def curie(iri: str) -> str | None:
    """``eli:cites`` for an IRI in one of the project's namespaces (not ``lgd:``), else None."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and prefix != "lgd":
            return f"{prefix}:{iri[len(str(ns)) :]}"
    return None
