"""SHACL validation compiled to SPARQL and run on a pyoxigraph store.

pySHACL checks every focus node one at a time in Python; on the national graph (millions of
provisions) that does not finish. This package compiles the shapes graph once into a few
hundred SPARQL SELECT queries — each finds the violations of one constraint for all focus
nodes at once — runs them on an embedded Oxigraph store (two at a time: Oxigraph releases the
GIL) and writes a SHACL validation report with the results pySHACL gives for the same data
and shapes, run as ``legigraph.validate.run_pyshacl`` runs it (no inference, SHACL-AF on, the
ontology merged into the data graph).

What is compiled (the SHACL Core subset of the legigraph profile, and a little more):
targets (sh:targetClass — subclass-aware through rdfs:subClassOf in the data —, implicit
class targets, sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf, sh:SPARQLTarget);
property paths (predicate, inverse, sequence, alternative, zero-or-more, one-or-more,
zero-or-one); sh:class, sh:datatype, sh:nodeKind, sh:minCount, sh:maxCount,
sh:minInclusive, sh:pattern (+ sh:flags i, m), sh:languageIn, sh:uniqueLang, sh:in,
sh:hasValue, sh:lessThanOrEquals, sh:closed / sh:ignoredProperties, sh:node, sh:or,
sh:property, sh:qualifiedValueShape with sh:qualifiedMinCount / sh:qualifiedMaxCount /
sh:qualifiedValueShapesDisjoint, sh:sparql (SELECT, with $this, $PATH and sh:prefixes),
sh:severity, sh:deactivated, sh:message. Anything else raises :class:`UnsupportedShape`
naming the shape and the construct: nothing is skipped silently.

pySHACL's behaviour is followed where it departs from the letter of the specification:
sh:languageIn compares the whole tag or its first subtag, case-insensitively; sh:pattern is
Python's ``re.search`` (Oxigraph's regex engine is used where the two cannot differ, Python's
``re`` otherwise); sh:datatype needs a well-typed literal as rdflib parses it; a result of a
SPARQL constraint carries the messages of its shape and of the constraint, with
``{?var}``/``{$var}`` substituted and the language tags dropped.

A shape without sh:message gets results without a message (the CLI shows the constraint
component instead); nested results (sh:detail) are not written.
Oxigraph stores valid typed literals in canonical form ("01"^^xsd:integer is read back as
"1"), so data whose literals a store would change is refused before it is judged
(``legigraph.validate.refuse_store_changes``). Pre-binding of $this is read from the query
text: $this in a FILTER or BIND of a nested group or a UNION branch is refused.

Why it still exists (issue 9): no kept engine validates the whole national graph (21.7 M
triples) in 24 GB — pyshacl-turbo takes 7.8 GiB at 10 %, Jena 5.4 GiB at 10 %, pyrudof runs
out of memory — while this compiler runs a query per constraint on the store itself
(498 MiB at 10 %). Files are judged by pyshacl-turbo (``legigraph.shacl.engines``).

Layout: ``terms`` (vocabulary, term conversion, SPARQL functions) → ``constraints`` (shapes,
paths, SPARQL constraints) → ``shapes`` (results, checks, :class:`SparqlShapes`) →
``expressions`` (value-level conditions) → ``checks`` (one query per constraint, the
plan) → ``run`` (running a plan, the report, comparing reports).
"""

from legigraph.shacl.compiler.checks import Compiler, plan
from legigraph.shacl.compiler.constraints import Shape, path_sparql
from legigraph.shacl.compiler.run import (
    Dataset,
    as_validation_result,
    comparable_keys,
    open_dataset,
    report_graph,
    result_keys,
    summary,
    validate_dataset,
    validate_rdflib,
    validate_store,
)
from legigraph.shacl.compiler.shapes import Check, Result, RootChecks, SparqlShapes
from legigraph.shacl.compiler.terms import UnsupportedShape, from_ox, load_graph, to_ox

__all__ = [
    "Check",
    "Compiler",
    "Dataset",
    "Result",
    "RootChecks",
    "Shape",
    "SparqlShapes",
    "UnsupportedShape",
    "as_validation_result",
    "comparable_keys",
    "from_ox",
    "load_graph",
    "open_dataset",
    "path_sparql",
    "plan",
    "report_graph",
    "result_keys",
    "summary",
    "to_ox",
    "validate_dataset",
    "validate_rdflib",
    "validate_store",
]
