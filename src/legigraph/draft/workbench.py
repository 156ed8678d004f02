"""The draft-bill workbench: one draft in, its text, 대비표, RDF and checks out.

``run_draft`` reads the draft, finds the version it amends, applies the 개정문, builds the
신구조문대비표, the RDF (validated by the profile in the context of the bill build) and the
checks; ``write_outputs`` writes them, each file atomically, into the output folder: only
the files this command makes (``OUTPUTS``), nothing else in the folder is touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph
from rdflib.term import Node

from legigraph.amendments import Version, from_provisions
from legigraph.draft import compare
from legigraph.draft.base import BaseVersion, find_base
from legigraph.draft.checks import Checks, Reference, check_citations, ripple
from legigraph.draft.execute import Applied, execute
from legigraph.draft.rdf import draft_graph, effects
from legigraph.draft.render import version_markdown
from legigraph.draft.source import DraftBill, read_draft
from legigraph.io import atomic_write
from legigraph.link.linker import describe_record
from legigraph.link.resolve import LawRecord
from legigraph.model.namespaces import LG, bind_prefixes, curie
from legigraph.paths import Layout
from legigraph.shacl.report import ValidationResult
from legigraph.validate import built_graph, validate_graph

OUTPUTS = (
    "text.md",
    "comparison.md",
    "comparison.html",
    "comparison.csv",
    "bill.ttl",
    "checks.txt",
)


@dataclass
class DraftResult:
    """Everything the workbench made of one draft."""

    draft: DraftBill
    base: BaseVersion
    applied: Applied
    table: compare.Table
    graph: Graph | None  # None: no 의안번호, so no bill IRI and no RDF
    validation: ValidationResult | None
    checks: Checks
    text: str

    @property
    def conforms(self) -> bool:
        return self.validation is None or self.validation.conforms

    def summary(self, full: bool = False) -> list[str]:
        """What the command prints: what was applied, the checks, the RDF.

        ``full``: every reference, not the first three of a long list (``checks.txt``).
        """
        d, steps = self.draft, self.applied.steps
        kinds = [e.kind for s in steps for e in effects(s)]
        counts = ", ".join(f"{k} {kinds.count(k)}" for k in dict.fromkeys(kinds))
        lines = [
            f"draft {d.path}: 「{self.base.name}」, 시행일 {d.effective}",
            f"  applied to {self.base.describe()}: {len(steps)} step(s); amendments: {counts}",
        ]
        for row in self.table.rows:
            if row.kind in ("changed", "inserted", "renumbered", "repealed"):
                lines.append(f"  {row.kind:<10} {row.label}")
        c = self.checks
        found = [x for x in c.citations if x.status != "internal"]
        lines.append(f"citations in the new text: {len(found)}, unresolved {len(c.unresolved)}")
        for x in found:
            lines.append(
                f"  {x.status:<10} {x.provision}: {x.text} → {x.target or '—'} ({x.reason})"
            )
        for label, becomes in c.moved:
            refs = [r for r in c.ripple if r.provision == label]
            lines.append(f"ripple: {label} (→ {becomes}) is referred to by {len(refs)}")
            if refs and becomes == "삭제":
                lines.append("  (after the draft they name a repealed provision)")
            elif refs:
                lines.append(
                    f"  (after the draft {label} is another provision or none: check "
                    f"whether each means it or {becomes})"
                )
            groups: dict[tuple[str, str], list[Reference]] = {}
            for r in refs:
                groups.setdefault((r.source, r.predicate), []).append(r)
            for (source, predicate), group in groups.items():
                head = f"  {source}: {_short(predicate)} ←"
                if len(group) > 3 and not full:
                    names = ", ".join(r.label or r.subject for r in group[:3])
                    lines.append(f"{head} {len(group)} records ({names}, …; all in checks.txt)")
                    continue
                for r in group:
                    lines.append(f"{head} {r.subject}" + (f"  ({r.label})" if r.label else ""))
        if self.graph is None or self.validation is None:
            lines.append(
                "RDF: not written (no 의안번호 in the front matter: the bill's IRI is made from it)"
            )
            return lines
        amendments = len(set(self.graph.subjects(RDF.type, LG.Amendment)))
        verdict = "conforms" if self.conforms else f"{self.validation.violations} violation(s)"
        lines.append(
            f"RDF: {amendments} amendment(s), {len(self.graph)} triples; profile: {verdict}"
        )
        return lines


def _short(iri: str) -> str:
    return curie(iri) or (f"<{iri}>" if "://" in iri else iri)


def _context(layout: Layout, base: BaseVersion, applied: Applied) -> Graph:
    """The bill build and, for a law it does not hold, the law's provisions touched."""
    context = built_graph(layout)
    if (base.version, None, None) in context:
        return context
    meta = base.law.meta
    serial = str(meta.get("법령MST") or meta.get("자치법규일련번호") or "0")
    record = LawRecord(
        base.law_id, serial, base.name, base.kind, base.promulgated, base.number, base.in_force, ""
    )
    paths = {e.path for s in applied.steps for e in effects(s) if e.before is not None}
    extra = Graph()
    describe_record(extra, record, base.law, paths or {"art_1"}, layout.data)
    context += extra
    return context


def run_draft(path: Path, layout: Layout | None = None, store: Path | None = None) -> DraftResult:
    """Apply the draft at ``path`` and make everything the workbench writes (nothing yet)."""
    layout = layout or Layout.default()
    draft = read_draft(path)
    base = find_base(draft, layout, store)
    version: Version = from_provisions(base.law.provisions, base.law.title)
    applied = execute(draft, version, tag="draft")
    table = compare.table(applied, draft.title or base.name)
    context = _context(layout, base, applied)
    graph: Graph | None = None
    validation: ValidationResult | None = None
    if draft.number:
        graph = draft_graph(draft, base, applied, context, layout.root)
        focus: set[Node] = set(graph.subjects())
        merged = bind_prefixes(Graph())
        merged += context
        merged += graph
        validation = validate_graph(merged, layout=layout, focus=focus)
    checks = ripple(applied, base, context, store)
    checks.citations = check_citations(applied, draft.effective, layout, base.name)
    meta = {
        "제목": applied.after.title or base.name,
        "개정대상": f"제{base.number}호",
        "시행일자": draft.effective,
        "유도": "draft",
        "초안": str(draft.path),
    }
    text = version_markdown(applied.after, meta)
    return DraftResult(draft, base, applied, table, graph, validation, checks, text)


def default_out(layout: Layout, draft: Path) -> Path:
    """``build/draft/{file stem}``: the workbench's own folder for one draft."""
    return layout.build / "draft" / draft.stem


def write_outputs(result: DraftResult, out: Path) -> list[Path]:
    """Write the outputs (the RDF only if it conforms); return the files written."""
    files = {
        "text.md": result.text,
        "comparison.md": compare.markdown(result.table),
        "comparison.html": compare.html_page(result.table),
        "comparison.csv": compare.csv_text(result.table),
        "checks.txt": "\n".join(result.summary(full=True)) + "\n",
    }
    if result.conforms and result.graph is not None:
        files["bill.ttl"] = result.graph.serialize(format="longturtle")
    written = []
    for name, content in files.items():
        with atomic_write(out / name) as handle:
            handle.write(content)
        written.append(out / name)
    if "bill.ttl" not in files:
        (out / "bill.ttl").unlink(missing_ok=True)  # a stale one would pass for this draft's
    return written
