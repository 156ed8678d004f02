"""SHACL results as legigraph shows them: one flattened record per result, and the whole outcome."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from legigraph.model.namespaces import SH
from legigraph.model.text import has_hangul


@dataclass(frozen=True)
class Violation:
    """One SHACL result, flattened for people."""

    focus: str
    path: str
    value: str
    severity: str
    messages: dict[str, str]
    shape: str
    focus_iri: str = ""
    where: str = ""

    def message(self, lang: str = "en") -> str:
        return (
            self.messages.get(lang)
            or self.messages.get("en")
            or next(iter(self.messages.values()), "constraint violated")
        )


@dataclass
class ValidationResult:
    """The outcome of a validation: conformance, results and the full report graph."""

    conforms: bool
    violations: int
    results: list[Violation] = field(default_factory=list)
    report: Graph = field(default_factory=Graph)
    text: str = ""
    notices: list[str] = field(default_factory=list)  # what the input held and was not done

    def render(self, lang: str = "en") -> str:
        """A readable report: one block per result, after the notices."""
        notes = "".join(f"note: {n}\n" for n in self.notices)
        if self.conforms:
            return notes + ("conforms: 0 violations" if lang == "en" else "적합: 위반 0건")
        lines = []
        for res in self.results:
            lines.append(f"{res.severity}: {res.message(lang)}")
            lines.append(f"  node:  {res.focus}" + (f"  ({res.where})" if res.where else ""))
            if res.path:
                lines.append(f"  path:  {res.path}")
            if res.value:
                lines.append(f"  value: {res.value}")
            lines.append(f"  shape: {res.shape}")
        others = len(self.results) - self.violations
        head = f"{self.violations} violation(s)" if lang == "en" else f"위반 {self.violations}건"
        if others:
            head += f", {others} warning(s)" if lang == "en" else f", 경고 {others}건"
        return notes + head + "\n" + "\n".join(lines)


def short_name(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    return node.n3()


def _messages(report: Graph, res: Node, shapes: Graph | None) -> dict[str, str]:
    """The messages of a result, one per language.

    From the shapes graph when it has them (the SPARQL constraint's own, then the shape's),
    with their language tags: engines drop the tags of a SPARQL constraint's messages, and
    pyshacl-turbo drops them all. A template ({?var}) is taken from the report, where the
    engine has filled it in; an untagged message is given the language of its script.
    """
    if shapes is not None:
        for source in (report.value(res, SH.sourceConstraint), report.value(res, SH.sourceShape)):
            if source is None:
                continue
            found = [m for m in shapes.objects(source, SH.message) if isinstance(m, Literal)]
            if found and not any("{" in m for m in found):
                return {m.language or _script(m): str(m) for m in sorted(found, key=str)}
            if found:
                break
    out: dict[str, str] = {}
    for msg in sorted(report.objects(res, SH.resultMessage), key=str):
        if isinstance(msg, Literal):
            out.setdefault(msg.language or _script(msg), str(msg))
    return out


def _script(text: str) -> str:
    return "ko" if has_hangul(text) else "en"


def results_from_report(report: Graph, data: Graph, shapes: Graph | None = None) -> list[Violation]:
    out = []
    for res in report.objects(None, SH.result):  # top level only, not nested sh:detail
        messages = _messages(report, res, shapes)
        severity = report.value(res, SH.resultSeverity)
        out.append(
            Violation(
                focus=short_name(data, report.value(res, SH.focusNode)),
                path=short_name(data, report.value(res, SH.resultPath)),
                value=short_name(data, report.value(res, SH.value)),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                messages=messages,
                shape=short_name(data, report.value(res, SH.sourceShape)),
                focus_iri=str(report.value(res, SH.focusNode) or ""),
            )
        )
    return sorted(out, key=lambda v: (v.focus, v.path, v.shape, v.value))


def keep_focus(report: Graph, keep: set[Node]) -> Graph:
    """The report with only the results on the focus nodes ``keep``."""
    out = Graph()
    root = BNode()
    out.add((root, RDF.type, SH.ValidationReport))
    kept = [r for r in report.objects(None, SH.result) if report.value(r, SH.focusNode) in keep]
    out.add((root, SH.conforms, Literal(not kept)))
    for res in kept:
        out.add((root, SH.result, res))
        for triple in report.cbd(res):
            out.add(triple)
    return out
