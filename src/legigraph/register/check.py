"""Check a CSV of new AI projects in the context of the built graph, by row and column.

Each row is split into the curated rows it becomes (:mod:`legigraph.register.template`),
mapped by the same mappings as the build (``data/mappings``) and validated by the SHACL
profile together with the built graph, so departments, provisions, source locations and
codes must exist there. Every problem is reported as ``file:line:column``, what is wrong
and how to fix it: cells that cannot become terms, serials already taken, and each SHACL
result traced back to the row (its focus node) and the column (its path).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from legigraph.model.ids import IdError
from legigraph.model.namespaces import bind_prefixes
from legigraph.paths import Layout
from legigraph.register.template import (
    BY_NAME,
    HEADER,
    PROJECTS,
    SOURCE_COLUMN,
    TABLES,
    TECHNIQUES,
    TemplateRow,
    read_template,
)
from legigraph.shacl.engines import ENGINE_OF_RECORD, ShaclEngine
from legigraph.shacl.report import Violation
from legigraph.sources.tables import CellError, curie, load_mapping, map_row, mapping_for
from legigraph.validate import built_graph, validate_graph


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a cell, a row or the header."""

    path: str
    line: int
    column: str
    what: str
    fix: str
    value: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column or '(row)'}"
        value = f"\n  value: {self.value}" if self.value else ""
        return f"{where}: {self.what}{value}\n  fix: {self.fix}"


@dataclass
class Checked:
    """The outcome: the rows to add, the rows already in the curated data, the problems."""

    path: Path
    new: list[TemplateRow] = field(default_factory=list)
    present: list[TemplateRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.problems

    def render(self) -> str:
        lines = [str(p) for p in self.problems]
        for row in self.present:
            serial = row.cells.get("serial")
            lines.append(f"note: {self.path}:{row.line}: project {serial} is already in the "
                         "curated data, as written here (nothing to add)")  # fmt: skip
        verdict = (f"{len(self.problems)} problem(s)" if self.problems
                   else f"conforms: {len(self.new)} new project(s)")  # fmt: skip
        return "\n".join([*lines, verdict])


def specs(layout: Layout) -> dict[str, dict[str, Any]]:
    """The mapping of each curated table a template row goes to."""
    mappings = layout.data / "mappings"
    return {t: load_mapping(mapping_for(Path(t), mappings)) for t in TABLES}


def curated_rows(layout: Layout) -> dict[str, dict[str, list[dict[str, str]]]]:
    """The curated tables' rows, by project serial and table."""
    out: dict[str, dict[str, list[dict[str, str]]]] = {}
    for table in TABLES:
        path = layout.data / "tables" / table
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                out.setdefault(row["serial"], {t: [] for t in TABLES})[table].append(row)
    return out


def _paths(specs_: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """Predicate (full IRI and prefixed name) → the template columns that give it."""
    short = bind_prefixes(Graph()).namespace_manager
    out: dict[str, list[str]] = {}

    def note(predicate: str, column: str) -> None:
        iri = curie(predicate)
        for key in (str(iri), short.normalizeUri(iri)):
            if column not in out.setdefault(key, []):
                out[key].append(column)

    for table, spec in specs_.items():
        if "link_from" in spec:
            note(spec["link_from"]["predicate"], TECHNIQUES)
        for column, rules in spec.get("columns", {}).items():
            for rule in rules if isinstance(rules, list) else [rules]:
                for key in ("predicate", "inverse"):
                    if key in rule:
                        note(rule[key], SOURCE_COLUMN[(table, column)])
    return out


def _column_of(result: Violation, paths: dict[str, list[str]]) -> str:
    columns = paths.get(result.path, [])
    if len(columns) > 1 and result.value.endswith("@en"):
        return next((c for c in columns if c.endswith("_en")), columns[0])
    return columns[0] if columns else ""


def _cell_column(err: Exception, table_row: dict[str, str], table: str) -> str:
    text = str(err)
    for column, value in table_row.items():
        if value and (repr(value) in text or repr(value.split(";")[0]) in text):
            return SOURCE_COLUMN.get((table, column), column)
    return "serial"


def _header_problems(path: Path, header: list[str]) -> list[Problem]:
    problems = [Problem(str(path), 1, name, "unknown column",
                        "remove it, or name it as a column of the template (docs/register.md)")
                for name in header if name not in BY_NAME]  # fmt: skip
    problems += [Problem(str(path), 1, name, "missing column",
                         "add it to the header (its cells may stay empty)")
                 for name in HEADER if name not in header]  # fmt: skip
    return problems


def check_new_projects(
    path: Path,
    layout: Layout | None = None,
    *,
    context: Graph | None = None,
    engine: ShaclEngine = ENGINE_OF_RECORD,
) -> Checked:
    """Check a template CSV of new projects against the profile, with the built graph.

    ``context``: the graph the rows are checked with (default ``build/bill/legigraph.nt``).
    Rows already in the curated tables exactly as written are set apart (``present``);
    a serial used by another project is a problem. An unreadable file raises
    :class:`InputError`.
    """
    layout = layout or Layout.default()
    header, rows = read_template(path)
    checked = Checked(path, problems=_header_problems(path, header))
    if checked.problems:
        return checked
    name = str(path)
    curated = curated_rows(layout)
    context = built_graph(layout) if context is None else context
    mapping = specs(layout)
    new = bind_prefixes(Graph())
    lines: dict[Node, int] = {}
    seen: dict[str, int] = {}
    for row in rows:
        serial = row.cells.get("serial", "")
        if "" in row.cells:
            checked.problems.append(Problem(name, row.line, "", "more cells than columns",
                                            "quote cells that hold a comma"))  # fmt: skip
            continue
        if serial in seen:
            checked.problems.append(Problem(name, row.line, "serial",
                                            f"serial {serial} is also on line {seen[serial]}",
                                            BY_NAME["serial"].fix))  # fmt: skip
            continue
        seen[serial] = row.line
        if serial in curated:
            if curated[serial] == row.tables:
                checked.present.append(row)
                continue
            taken = curated[serial][PROJECTS][0]["name_ko"] if curated[serial][PROJECTS] else ""
            free = max(int(s) for s in curated if s.isdigit()) + 1
            checked.problems.append(Problem(
                name, row.line, "serial",
                f"serial {serial} is already used by 「{taken}」 in the curated data",
                f"use a free serial ({free} is the first), or edit data/tables/ directly",
            ))  # fmt: skip
            continue
        graph = Graph()
        try:
            for table in TABLES:
                for table_row in row.tables[table]:
                    try:
                        map_row(mapping[table], table_row, graph)
                    except CellError as err:
                        column = SOURCE_COLUMN[(table, err.column)]
                        raise _RowError(column, str(err)) from err
                    except (IdError, ValueError, KeyError) as err:
                        raise _RowError(_cell_column(err, table_row, table), str(err)) from err
        except _RowError as err:
            checked.problems.append(Problem(name, row.line, err.column, err.what,
                                            BY_NAME[err.column].fix if err.column in BY_NAME
                                            else "fix the cell"))  # fmt: skip
            continue
        checked.new.append(row)
        for subject in set(graph.subjects()):
            lines.setdefault(subject, row.line)
        new += graph
    if checked.new:
        result = validate_graph(context + new, layout=layout, engine=engine)
        paths = _paths(mapping)
        for res in result.results:
            if res.severity != "Violation":
                continue
            column = _column_of(res, paths)
            line = lines.get(URIRef(res.focus_iri), 0)
            fix = BY_NAME[column].fix if column in BY_NAME else "see the message"
            checked.problems.append(Problem(name, line, column, res.message("en"), fix,
                                            res.value))  # fmt: skip
    order = {c: i for i, c in enumerate(HEADER)}
    checked.problems.sort(key=lambda p: (p.line, order.get(p.column, -1), p.what))
    return checked


class _RowError(Exception):
    def __init__(self, column: str, what: str):
        super().__init__(what)
        self.column = column
        self.what = what

