"""The SHACL profile (shapes/legigraph.shacl.ttl) against its test manifest.

tests/shapes/manifest.ttl is in the format of the W3C SHACL test suite: each entry names a
data graph (valid/*.ttl or invalid/*.ttl), the shapes graph and the expected validation
report. The data graph is added to the built legigraph graph, which conforms, and the union
is validated with the options of ``legigraph.validate.validate_graph``; the top-level
results must be exactly the expected ones.

Speed. A full validation of the union takes one to three seconds and there are hundreds of
entries, so each entry is validated only on the nodes it can give results to
(``affected_nodes``): the profile's targets are replaced by ``sh:targetNode`` for those
nodes (``Targeting``), and each (shape, node) pair is then checked exactly as in a full
run. ``test_restriction_matches_full_validation`` runs the full ``validate_graph`` on the
entries most likely to reach other records, and must agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from legigraph.model.namespaces import ELI_DL, SH
from legigraph.shacl.engines import ShaclEngine, run_pyshacl
from legigraph.shacl.prepared import parsed_once
from legigraph.validate import validate_graph

ROOT = Path(__file__).resolve().parents[1]
SHAPES_FILE = ROOT / "shapes" / "legigraph.shacl.ttl"
MANIFEST = Path(__file__).resolve().parent / "shapes" / "manifest.ttl"
PROFILE = URIRef("https://w3id.org/legigraph/shapes")

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

# What a result is compared on: focus node, path, constraint component, source shape,
# for SPARQL constraints only the constraint itself (a shape may have several), and the
# severity (sh:Violation, or sh:Warning for the source-quality shapes).
Key = tuple[Node, Node | None, Node, Node, Node | None, Node]

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

# Triples that change what other nodes are (the class or property hierarchy): an entry
# with one of these is validated in full.
SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf}

# Predicates along which a constraint compares its focus node with other nodes that share
# the value: lgsh:Activity-referral-after-proposal compares a referral with the proposals
# of the same process. Every other constraint reads the focus node's own triples and,
# monotonically, what its values are. A new constraint that reads other records must be
# added here.
JOINS = {ELI_DL.forms_part_of}

# The mandatory parameter of each SHACL Core constraint component.
PARAMETERS: dict[URIRef, URIRef] = {
    SH[parameter]: SH[f"{component}ConstraintComponent"]
    for parameter, component in {
        "class": "Class",
        "datatype": "Datatype",
        "nodeKind": "NodeKind",
        "minCount": "MinCount",
        "maxCount": "MaxCount",
        "minExclusive": "MinExclusive",
        "minInclusive": "MinInclusive",
        "maxExclusive": "MaxExclusive",
        "maxInclusive": "MaxInclusive",
        "minLength": "MinLength",
        "maxLength": "MaxLength",
        "pattern": "Pattern",
        "languageIn": "LanguageIn",
        "uniqueLang": "UniqueLang",
        "equals": "Equals",
        "disjoint": "Disjoint",
        "lessThan": "LessThan",
        "lessThanOrEquals": "LessThanOrEquals",
        "not": "Not",
        "and": "And",
        "or": "Or",
        "xone": "Xone",
        "node": "Node",
        "qualifiedMinCount": "QualifiedMinCount",
        "qualifiedMaxCount": "QualifiedMaxCount",
        "closed": "Closed",
        "hasValue": "HasValue",
        "in": "In",
    }.items()
}


# --- the manifest ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One sht:Validate entry of the manifest."""

    name: str
    data: Path
    shapes: Path
    conforms: bool
    expected: frozenset[Key]

    @property
    def valid(self) -> bool:
        return self.data.parent.name == "valid"


def _file(uri: Node | None) -> Path:
    assert isinstance(uri, URIRef) and uri.startswith("file://"), uri
    return Path(uri.removeprefix("file://"))


def _key(report: Graph, result: Node) -> Key:
    focus = report.value(result, SH.focusNode)
    component = report.value(result, SH.sourceConstraintComponent)
    shape = report.value(result, SH.sourceShape)
    assert focus is not None and component is not None and shape is not None, result
    sparql = (
        report.value(result, SH.sourceConstraint)
        if component == SH.SPARQLConstraintComponent
        else None
    )
    severity = report.value(result, SH.resultSeverity)
    assert severity is not None, result
    return (focus, report.value(result, SH.resultPath), component, shape, sparql, severity)


def keys(report: Graph) -> set[Key]:
    """The top-level results of a report (not those nested under sh:detail)."""
    return {_key(report, r) for r in report.objects(None, SH.result)}


def load_manifest() -> list[Entry]:
    graph = Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(iter(graph.subjects(RDF.type, MF.Manifest)))
    entries = []
    entry_list = graph.value(manifest, MF.entries)
    assert entry_list is not None
    for node in graph.items(entry_list):
        action = graph.value(node, MF.action)
        report = graph.value(node, MF.result)
        conforms = graph.value(report, SH.conforms)
        assert isinstance(conforms, Literal), node
        for result in graph.objects(report, SH.result):
            assert graph.value(result, SH.resultSeverity) in (SH.Violation, SH.Warning), node
        entries.append(
            Entry(
                name=str(graph.value(node, MF.name)),
                data=_file(graph.value(action, SHT.dataGraph)),
                shapes=_file(graph.value(action, SHT.shapesGraph)),
                conforms=bool(conforms.toPython()),
                expected=frozenset(_key(graph, r) for r in graph.objects(report, SH.result)),
            )
        )
    return entries


ENTRIES = load_manifest()


# --- validating an entry -----------------------------------------------------------------


def affected_nodes(data: Graph, delta: Graph) -> set[Node] | None:
    """The nodes of ``data`` (the built graph plus ``delta``) that can have results.

    The built graph has none. Adding triples can only help sh:minCount, sh:class, sh:node,
    sh:or, sh:hasValue, sh:qualifiedMinCount and FILTER NOT EXISTS; it can break a
    constraint only through the triples the constraint reads positively: the focus node's
    own (sh:maxCount, sh:closed, sh:datatype …, where a SPARQL constraint starts) and
    those of the nodes it is compared with along ``JOINS``. A node is a target through
    its own types and literals and the class hierarchy. So results can appear only on a
    subject of ``delta`` or on a node that shares a ``JOINS`` value with one. ``None``:
    ``delta`` changes the class or property hierarchy, validate everything.
    """
    if any(p in SCHEMA_PREDICATES for p in delta.predicates()):
        return None
    subjects: set[Node] = set(delta.subjects())
    joined = {
        other
        for subject in subjects
        for predicate in JOINS
        for value in data.objects(subject, predicate)
        for other in data.subjects(predicate, value)
    }
    return subjects | joined


class Targeting:
    """The profile with its targets taken out, pointed at chosen nodes for each entry.

    pySHACL's ``focus_nodes`` option also filters the value nodes that sh:node, sh:or and
    sh:qualifiedValueShape check (literals always drop out), and ``use_shapes`` loses the
    property shapes that sh:closed reads, so neither gives the results of a full run.
    Replacing every target by sh:targetNode for the nodes it selects does.
    """

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.targeted = sorted({s for t in TARGETS for s in shapes.subjects(t, None)}, key=str)
        self.untargeted = Graph()
        self.untargeted += shapes
        for target in TARGETS:
            self.untargeted.remove((None, target, None))

    def selects(self, data: Graph, shape: Node, node: Node) -> bool:
        """Whether a target of ``shape`` selects ``node`` (SHACL 2.1.3, SHACL-AF 5.1)."""
        g = self.shapes
        for cls in g.objects(shape, SH.targetClass):
            subclasses = data.transitive_subjects(RDFS.subClassOf, cls)
            if any((node, RDF.type, c) in data for c in subclasses):
                return True
        if node in set(g.objects(shape, SH.targetNode)):
            return True
        if any((node, p, None) in data for p in g.objects(shape, SH.targetSubjectsOf)):
            return True
        if any((None, p, node) in data for p in g.objects(shape, SH.targetObjectsOf)):
            return True
        for target in g.objects(shape, SH.target):
            assert (target, RDF.type, SH.SPARQLTarget) in g, f"unsupported target {target}"
            namespaces = {
                str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace))
                for prefixes in g.objects(target, SH.prefixes)
                for d in g.objects(prefixes, SH.declare)
            }
            select = str(g.value(target, SH.select))
            assert isinstance(node, URIRef | BNode | Literal), node
            if data.query(select, initNs=namespaces, initBindings={"this": node}):
                return True
        return False

    def validate(self, data: Graph, nodes: set[Node]) -> tuple[bool, Graph]:
        """Validate ``data`` on ``nodes`` with the options of validate_graph."""
        pairs = [
            (shape, SH.targetNode, node)
            for shape in self.targeted
            for node in nodes
            if self.selects(data, shape, node)
        ]
        for triple in pairs:
            self.untargeted.add(triple)
        try:
            conforms, report, _ = run_pyshacl(data, self.untargeted, inplace=True)
        finally:
            for triple in pairs:
                self.untargeted.remove(triple)
        assert isinstance(report, Graph), report
        return bool(conforms), report


@contextmanager
def union_with(context: Graph, entry: Entry) -> Iterator[tuple[Graph, Graph]]:
    """``context`` with the entry's data added for the duration of the block."""
    delta = Graph().parse(entry.data, format="turtle")
    size = len(context)
    added = [t for t in delta if t not in context]
    for triple in added:
        context.add(triple)
    try:
        yield context, delta
    finally:
        for triple in added:
            context.remove(triple)
        assert len(context) == size, "validation changed the data graph"


def validate_entry(context: Graph, targeting: Targeting, entry: Entry) -> tuple[bool, set[Key]]:
    """Validate the built graph plus the entry's data, on the nodes the entry affects."""
    with union_with(context, entry) as (data, delta):
        nodes = affected_nodes(data, delta)
        if nodes is None:
            result = validate_graph(data, shapes=targeting.shapes)
            return result.conforms, keys(result.report)
        conforms, report = targeting.validate(data, nodes)
    return conforms, keys(report)


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _prepared_sparql() -> Iterator[None]:
    """Parse each SPARQL constraint once for the whole module, as validate_graph does per run."""
    with parsed_once():
        yield


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@pytest.fixture(scope="module")
def targeting(shapes: Graph) -> Targeting:
    return Targeting(shapes)


@pytest.fixture(scope="module")
def context(graph: Graph) -> Graph:
    """A private copy of the built graph: each entry is added to it, then taken out."""
    copy = Graph()
    copy += graph
    return copy


def _short(node: Node | None) -> str:
    if node is None:
        return "-"
    text = str(node)
    for prefix in ("https://w3id.org/legigraph/shapes#", "http://www.w3.org/ns/shacl#"):
        text = text.removeprefix(prefix)
    return text.removeprefix("https://w3id.org/legigraph/")


def _show(results: set[Key] | frozenset[Key]) -> str:
    lines = ["  " + "  ".join(_short(n) for n in key) for key in sorted(results, key=str)]
    return "\n".join(lines) or "  (none)"


# --- tests -------------------------------------------------------------------------------


def test_built_graph_conforms(graph: Graph, shapes: Graph) -> None:
    result = validate_graph(graph, shapes=shapes)
    assert result.conforms, result.render()


def test_manifest_lists_every_fixture() -> None:
    assert ENTRIES
    assert len({e.name for e in ENTRIES}) == len(ENTRIES)
    assert {e.shapes for e in ENTRIES} == {SHAPES_FILE}
    for entry in ENTRIES:
        assert entry.data.exists(), entry.data
        assert entry.data.stem == entry.name, entry.name
        assert entry.conforms == (not entry.expected) == entry.valid, entry.name
    listed = {e.data for e in ENTRIES}
    on_disk = {*MANIFEST.parent.glob("valid/*.ttl"), *MANIFEST.parent.glob("invalid/*.ttl")}
    assert on_disk == listed, sorted(map(str, on_disk ^ listed))


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_entry(entry: Entry, context: Graph, targeting: Targeting) -> None:
    conforms, actual = validate_entry(context, targeting, entry)
    assert actual == entry.expected, (
        f"{entry.name}\nexpected:\n{_show(entry.expected)}\nactual:\n{_show(actual)}"
    )
    assert conforms == entry.conforms


def _adds_to_existing_records(entry: Entry, graph: Graph) -> bool:
    delta = Graph().parse(entry.data, format="turtle")
    return any((s, None, None) in graph for s in delta.subjects())


def test_restriction_matches_full_validation(graph: Graph, shapes: Graph) -> None:
    """A full ``validate_graph`` run agrees with ``validate_entry``.

    On the entries most likely to reach beyond their own records: the valid ones, those
    that add to existing records and those of SPARQL constraints.
    """
    checked = [
        e
        for e in ENTRIES
        if e.valid
        or _adds_to_existing_records(e, graph)
        or any(k[2] == SH.SPARQLConstraintComponent for k in e.expected)
    ]
    assert len(checked) >= 20
    mismatches = []
    for entry in checked:
        data = Graph()
        data += graph
        data.parse(entry.data, format="turtle")
        full = keys(validate_graph(data, shapes=shapes).report)
        if full != entry.expected:
            mismatches.append(
                f"{entry.name}\nexpected:\n{_show(entry.expected)}\nfull run:\n{_show(full)}"
            )
    assert not mismatches, "\n".join(mismatches)


def constraints(shapes: Graph) -> set[tuple[Node, Node, Node | None]]:
    """Every (shape, constraint component[, SPARQL constraint]) that can give a result.

    The shapes with targets and their property shapes. Shapes used only as the value of
    sh:node, sh:or or sh:qualifiedValueShape are parameters of the constraint that uses
    them, and their failures are reported under its name.
    """
    roots = {s for t in TARGETS for s in shapes.subjects(t, None)}
    found: set[tuple[Node, Node, Node | None]] = set()
    for shape in roots | {p for r in roots for p in shapes.objects(r, SH.property)}:
        for parameter, component in PARAMETERS.items():
            value = shapes.value(shape, parameter)
            if value is None or (parameter == SH.closed and value != Literal(True)):
                continue
            found.add((shape, component, None))
        for sparql in shapes.objects(shape, SH.sparql):
            found.add((shape, SH.SPARQLConstraintComponent, sparql))
    return found


def test_every_constraint_has_an_invalid_entry(shapes: Graph) -> None:
    covered = {(s, c, q) for e in ENTRIES for (_, _, c, s, q, _) in e.expected}
    missing = constraints(shapes) - covered
    assert not missing, "constraints without an invalid entry:\n" + "\n".join(
        sorted(f"  {_short(s)} {_short(c)} {_short(q) if q else ''}" for s, c, q in missing)
    )


def test_every_expected_result_names_a_constraint(shapes: Graph) -> None:
    known = constraints(shapes)
    for entry in ENTRIES:
        for _, _, component, shape, sparql, _ in entry.expected:
            assert (shape, component, sparql) in known, (entry.name, shape, component)


def _bilingual(shapes: Graph, node: Node, predicate: URIRef) -> bool:
    languages = {v.language for v in shapes.objects(node, predicate) if isinstance(v, Literal)}
    return {"ko", "en"} <= languages


def test_messages_and_names_in_korean_and_english(shapes: Graph) -> None:
    for node in set(shapes.subjects(SH.message, None)):
        assert _bilingual(shapes, node, SH.message), f"{node}: sh:message needs @ko and @en"
    for node in {*shapes.objects(None, SH.property), *shapes.objects(None, SH.sparql)}:
        assert _bilingual(shapes, node, SH.message), f"{node}: sh:message needs @ko and @en"
        assert _bilingual(shapes, node, SH.name), f"{node}: sh:name needs @ko and @en"


def test_profile_metadata_and_iri_patterns(shapes: Graph) -> None:
    assert shapes.value(PROFILE, OWL.versionInfo) == Literal("0.7.0")
    assert shapes.value(PROFILE, ADMS.versionNotes) is not None
    assert _bilingual(shapes, PROFILE, DCTERMS.title)
    for shape in set(shapes.subjects(SH.pattern, None)):
        if (shape, RDF.type, SH.NodeShape) not in shapes:
            continue
        pattern = str(shapes.value(shape, SH.pattern))
        assert pattern.startswith("^https://w3id\\.org/legigraph/") and pattern.endswith("$")
        examples = list(shapes.objects(shape, SKOS.example))
        assert examples, f"{shape}: an IRI pattern needs skos:example"
        for example in examples:
            assert re.match(pattern, str(example)), (shape, example)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_entry_on_the_engine_of_record(entry: Entry, context: Graph, shapes: Graph) -> None:
    """Every fixture on pyshacl-turbo: the manifest's results exactly.

    On the nodes the entry can affect (turbo's focus nodes, unlike pySHACL's, leave the
    value nodes of sh:node and friends alone), which are the results of the whole graph.
    """
    with union_with(context, entry) as (data, delta):
        nodes = affected_nodes(data, delta)
        result = validate_graph(data, shapes=shapes, engine=ShaclEngine.TURBO, focus=nodes)
    actual = keys(result.report)
    assert actual == entry.expected, (
        f"{entry.name}\nexpected:\n{_show(entry.expected)}\nactual:\n{_show(actual)}"
    )
    assert result.conforms == entry.conforms
