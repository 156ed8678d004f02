"""Check a legigraph graph with an OWL 2 DL reasoner (HermiT, run through owlready2).

The caller passes one rdflib graph holding the ontology, the code lists and the data. It is
written to a temporary N-Triples file and loaded into a fresh owlready2 World, so nothing
leaks between runs and nothing is fetched: ``owl:imports`` triples are dropped first.
HermiT then says whether the graph is consistent and gives every individual its types,
including those that follow from subclass axioms and property domains and ranges.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import owlready2
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from legigraph.errors import EngineError

# Types that make a resource a class, property or ontology rather than an individual.
_SCHEMA_NAMESPACES = (str(OWL), str(RDF), str(RDFS))


@dataclass(frozen=True)
class ReasonerResult:
    """What HermiT concluded about a graph.

    ``inferred_types`` maps each individual's IRI to the IRIs of all its named classes after
    reasoning, superclasses included and ``owl:Thing`` left out; it is empty when the graph
    is inconsistent.
    """

    consistent: bool
    inferred_types: dict[str, frozenset[str]]
    message: str


def _individuals(graph: Graph) -> set[URIRef]:
    """IRIs typed with a non-OWL/RDF(S) class, and IRIs that object properties point at."""
    found = {
        s
        for s, o in graph.subject_objects(RDF.type)
        if isinstance(s, URIRef) and not str(o).startswith(_SCHEMA_NAMESPACES)
    }
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        found.update(o for o in graph.objects(None, prop) if isinstance(o, URIRef))
    return found


def run_reasoner(graph: Graph) -> ReasonerResult:
    """Run HermiT over ``graph`` and return its verdict and every individual's types.

    Raises ``RuntimeError`` when no Java runtime is on ``PATH``, and lets
    ``owlready2.OwlReadyJavaError`` through when HermiT fails for another reason.
    """
    java = shutil.which("java")
    if java is None:
        raise EngineError("HermiT needs a Java runtime (8 or later): put `java` on PATH")
    owlready2.JAVA_EXE = java

    prepared = Graph()
    for triple in graph.triples((None, None, None)):
        if triple[1] != OWL.imports:
            prepared.add(triple)
    individuals = _individuals(prepared)
    # owlready2 lists as individuals only resources declared owl:NamedIndividual.
    for iri in individuals:
        prepared.add((iri, RDF.type, OWL.NamedIndividual))

    world = owlready2.World()
    try:
        with tempfile.TemporaryDirectory(prefix="legigraph-reason-") as tmp:
            path = Path(tmp) / "graph.nt"
            prepared.serialize(destination=path, format="nt", encoding="utf-8")
            world.get_ontology(path.as_uri()).load(format="ntriples")
            started = time.monotonic()
            try:
                # HermiT knows only the OWL 2 datatype map; xsd:date, xsd:gYear and
                # xsd:duration (all used by legigraph) would otherwise abort the run.
                owlready2.sync_reasoner(
                    world,
                    infer_property_values=False,
                    debug=0,
                    ignore_unsupported_datatypes=True,
                )
            except owlready2.OwlReadyInconsistentOntologyError as error:
                detail = str(error) or "no model satisfies the ontology and the data"
                return ReasonerResult(
                    consistent=False,
                    inferred_types={},
                    message=f"inconsistent: {detail} (look for an individual in two "
                    "disjoint classes, or a literal outside a property's range)",
                )
            elapsed = time.monotonic() - started

        inferred: dict[str, frozenset[str]] = {}
        for iri in sorted(individuals):
            entity = world[str(iri)]
            if isinstance(entity, owlready2.Thing):
                inferred[str(iri)] = frozenset(
                    cls.iri
                    for cls in entity.INDIRECT_is_a
                    if isinstance(cls, owlready2.ThingClass) and cls is not owlready2.Thing
                )
    finally:
        world.close()
    return ReasonerResult(
        consistent=True,
        inferred_types=inferred,
        message=f"consistent: {len(inferred)} individuals classified by HermiT in {elapsed:.1f} s",
    )
