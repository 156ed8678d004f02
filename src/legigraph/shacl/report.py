"""SHACL results as legigraph shows them: one flattened record per result, and the whole outcome."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from legigraph.namespaces import SH


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

    def render(self, lang: str = "en") -> str:
        """A readable report: one block per result."""
        if self.conforms:
            return "conforms: 0 violations" if lang == "en" else "적합: 위반 0건"
        lines = []
        for res in self.results:
            lines.append(f"{res.severity}: {res.message(lang)}")
            lines.append(f"  node:  {res.focus}" + (f"  ({res.where})" if res.where else ""))
            if res.path:
                lines.append(f"  path:  {res.path}")
            if res.value:
                lines.append(f"  value: {res.value}")
            lines.append(f"  shape: {res.shape}")
        head = f"{self.violations} violation(s)" if lang == "en" else f"위반 {self.violations}건"
        return head + "\n" + "\n".join(lines)


def short_name(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    return node.n3()


def results_from_report(report: Graph, data: Graph) -> list[Violation]:
    out = []
    for res in report.objects(None, SH.result):  # top level only, not nested sh:detail
        messages: dict[str, str] = {}
        for msg in report.objects(res, SH.resultMessage):
            if isinstance(msg, Literal):
                messages.setdefault(msg.language or "en", str(msg))
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
