"""The W3C SHACL test suite as data: read its manifests, compare a report with the expected one.

Used by tests/test_w3c_shacl.py (every engine ``legigraph validate`` offers) and by
bench/shacl_engines.py (every candidate engine). The suite lives in
``../shared/w3c-shacl-tests`` (Core and SHACL-SPARQL, ``SOURCE.md`` says where it came
from); nothing here touches the network.

Results are compared as the W3C implementation reports do: ``sh:conforms`` and the multiset
of results by focus node, path, value, source shape, constraint component and severity.
Blank nodes are compared by what they are — a list by its members, another blank node by
its own triples (a property shape by its ``sh:path`` and constraints) — since an engine's
report and the manifest never share blank-node identities. ``weak`` keys forget blank nodes
altogether, for engines that read the files themselves and return labels of their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from legigraph.model.literals import exact_literals

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT.parent / "shared" / "w3c-shacl-tests"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
SH = Namespace("http://www.w3.org/ns/shacl#")
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

Key = tuple[Any, ...]
_RESULT_TERMS = {
    SH.focusNode, SH.resultPath, SH.value, SH.sourceShape,
    SH.sourceConstraintComponent, SH.resultSeverity,
}  # fmt: skip


@dataclass
class Case:
    """One test of the suite: its files, what it expects, and the graphs as parsed here."""

    id: str  # path of the test file under the suite, without .ttl, plus #name when needed
    label: str
    data_path: Path
    shapes_path: Path
    failure: bool  # the processor must refuse the shapes (sht:Failure)
    conforms: bool | None
    expected: Counter[Key] = field(default_factory=Counter)
    expected_weak: Counter[Key] = field(default_factory=Counter)
    data: Graph = field(default_factory=Graph)
    shapes: Graph = field(default_factory=Graph)


def _parse(path: Path, cache: dict[Path, Graph]) -> Graph:
    if path not in cache:
        graph = Graph()
        with exact_literals():  # lexical forms as written, as legigraph parses input
            graph.parse(path, format="turtle")
        cache[path] = graph
    return cache[path]


def _file(node: Node | None) -> Path:
    if not isinstance(node, URIRef) or not str(node).startswith("file://"):
        raise ValueError(f"not a local file in the manifest: {node!r}")
    return Path(str(node)[len("file://") :].split("#", 1)[0])


def describe(node: Node | None, graphs: Sequence[Graph], depth: int = 4) -> Any:
    """A hashable description of ``node``: itself, or for a blank node what it holds."""
    if node is None or not isinstance(node, BNode):
        return canonical_literal(node)
    for graph in graphs:
        if graph.value(node, RDF.first) is not None or node == RDF.nil:
            return ("list", tuple(describe(m, graphs, depth) for m in Collection(graph, node)))
        pairs = list(graph.predicate_objects(node))
        if pairs:
            if depth == 0:
                return ("bnode", "…")
            return (
                "bnode",
                frozenset(
                    (p, describe(o, graphs, depth - 1)) for p, o in pairs if p not in _RESULT_TERMS
                ),
            )
    return ("bnode", frozenset())


def canonical_literal(node: Node | None) -> Any:
    """Literals compared as RDF terms (lexical form, datatype, language), never by value.

    A literal without datatype or language is an ``xsd:string`` (RDF 1.1): rdflib writes it
    either way (a store hands back the datatype), so both compare as one term.
    """
    if isinstance(node, Literal):
        datatype = None if node.datatype == XSD_STRING else node.datatype
        return ("literal", str(node), datatype, node.language)
    return node


def _weak(node: Node | None) -> Any:
    return "_:" if isinstance(node, BNode) else canonical_literal(node)


def result_keys(report: Graph, graphs: Sequence[Graph], *, weak: bool = False) -> Counter[Key]:
    """The results of a report (top level only) as a multiset of keys."""
    look = [report, *graphs]
    keys: Counter[Key] = Counter()
    for report_node in report.subjects(RDF.type, SH.ValidationReport):
        for res in report.objects(report_node, SH.result):
            terms = [
                report.value(res, p)
                for p in (
                    SH.focusNode, SH.resultPath, SH.value, SH.sourceShape,
                    SH.sourceConstraintComponent, SH.resultSeverity,
                )
            ]  # fmt: skip
            keys[tuple(_weak(t) if weak else describe(t, look) for t in terms)] += 1
    return keys


def report_conforms(report: Graph) -> bool | None:
    for report_node in report.subjects(RDF.type, SH.ValidationReport):
        value = report.value(report_node, SH.conforms)
        if isinstance(value, Literal):
            return bool(value.toPython())
    return None


def _entries(manifest: Path, cache: dict[Path, Graph]) -> Iterable[tuple[Path, Node, Graph]]:
    graph = _parse(manifest, cache)
    for m in graph.subjects(RDF.type, MF.Manifest):
        for included in graph.objects(m, MF.include):
            yield from _entries(_file(included), cache)
        for entries in graph.objects(m, MF.entries):
            for entry in Collection(graph, entries):
                yield manifest, entry, graph


def load_suite(root: Path = SUITE) -> list[Case]:
    """Every test of the suite under ``root`` (its manifest.ttl), in manifest order."""
    cache: dict[Path, Graph] = {}
    cases = []
    for manifest, entry, graph in _entries(root / "manifest.ttl", cache):
        action = graph.value(entry, MF.action)
        data_path = _file(graph.value(action, SHT.dataGraph))
        shapes_path = _file(graph.value(action, SHT.shapesGraph))
        result = graph.value(entry, MF.result)
        test_file = _file(entry) if isinstance(entry, URIRef) else manifest
        name = str(entry).rsplit("#", 1)[-1] if "#" in str(entry) else ""
        case_id = str(test_file.relative_to(root).with_suffix(""))
        if test_file == manifest and name:
            case_id += "#" + name
        elif isinstance(entry, URIRef) and test_file.stem != str(entry).rsplit("/", 1)[-1]:
            case_id = str(Path(case_id).parent / str(entry).rsplit("/", 1)[-1])
        case = Case(
            id=case_id,
            label=str(graph.value(entry, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))),
            data_path=data_path,
            shapes_path=shapes_path,
            failure=result == SHT.Failure,
            conforms=None,
            data=_parse(data_path, cache),
            shapes=_parse(shapes_path, cache),
        )
        if not case.failure:
            assert result is not None, f"{case.id}: no mf:result"
            expected = Graph()
            for t in _closure(graph, result):
                expected.add(t)
            value = graph.value(result, SH.conforms)
            case.conforms = bool(value.toPython()) if isinstance(value, Literal) else None
            look = [graph, case.data, case.shapes]
            for res in graph.objects(result, SH.result):
                one = Graph()
                one.add((URIRef("urn:report"), RDF.type, SH.ValidationReport))
                one.add((URIRef("urn:report"), SH.result, res))
                for t in _closure(graph, res):
                    one.add(t)
                case.expected += result_keys(one, look)
                case.expected_weak += result_keys(one, look, weak=True)
        cases.append(case)
    return cases


def _closure(graph: Graph, node: Node) -> Iterable[tuple[Node, Node, Node]]:
    seen: set[Node] = set()
    todo = [node]
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for p, o in graph.predicate_objects(n):
            yield (n, p, o)
            if isinstance(o, BNode):
                todo.append(o)


@dataclass(frozen=True)
class Outcome:
    """What an engine did with a case: pass, wrong, refused or crashed, with a reason."""

    status: str  # "pass" | "wrong" | "refused" | "crashed"
    detail: str = ""


def judge(
    case: Case, conforms: bool | None, report: Graph | None, *, weak: bool = False
) -> Outcome:
    """Compare an engine's answer with the manifest's."""
    if case.failure:
        return Outcome("wrong", "validated shapes that must be refused (sht:Failure)")
    if report is None or conforms is None:
        return Outcome("crashed", "no report")
    if conforms != case.conforms:
        return Outcome("wrong", f"conforms {conforms}, expected {case.conforms}")
    got = result_keys(report, [case.data, case.shapes], weak=weak)
    want = case.expected_weak if weak else case.expected
    if got != want:
        missing, extra = want - got, got - want
        return Outcome(
            "wrong",
            f"{sum(missing.values())} result(s) missing, {sum(extra.values())} unexpected: "
            + "; ".join(_show(k) for k in list(missing)[:2])
            + (" | extra: " + "; ".join(_show(k) for k in list(extra)[:2]) if extra else ""),
        )
    return Outcome("pass")


def _show(key: Key) -> str:
    return " ".join(str(part)[:80] for part in key)
