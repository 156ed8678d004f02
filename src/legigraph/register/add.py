"""``legigraph add``: merge a conforming CSV of new projects into the curated tables.

Added records live where the 18 of the report do: each template row is appended, in the
tables' canonical CSV form, to ``data/tables/ai-projects.csv`` and, when it has them, to
``ai-technique-mentions.csv`` (the words for its techniques) and
``ai-project-register.csv`` (the optional register fields). Nothing else is rewritten:
each table is its old text plus the new lines, written atomically. A file is merged only
when it conforms (:func:`legigraph.register.check.check_new_projects`); rows already in
the tables exactly as written are skipped, so adding the same file twice adds nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from legigraph.errors import InternalError
from legigraph.io import atomic_write
from legigraph.paths import Layout
from legigraph.register.check import Checked, check_new_projects
from legigraph.register.template import TABLES


@dataclass
class Added:
    """What :func:`add_projects` did: the check, and the rows appended to each table."""

    checked: Checked
    appended: dict[str, int] = field(default_factory=dict)

    @property
    def serials(self) -> list[str]:
        return [row.cells["serial"] for row in self.checked.new]


def _appended(path: Path, rows: list[dict[str, str]]) -> str:
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        if set(row) != set(header):
            raise InternalError(f"{path.name}: row columns {sorted(row)} are not {header}")
        writer.writerow([row[c] for c in header])
    return text + ("" if text.endswith("\n") else "\n") + out.getvalue()


def add_projects(
    path: Path, layout: Layout | None = None, *, context: Graph | None = None
) -> Added:
    """Check ``path`` and, if it conforms, append its new rows to the curated tables.

    Returns what was done; when the file does not conform nothing is written
    (``Added.appended`` is empty and ``Added.checked.problems`` says why).
    """
    layout = layout or Layout.default()
    checked = check_new_projects(path, layout, context=context)
    added = Added(checked)
    if not checked.conforms or not checked.new:
        return added
    texts = {}
    for table in TABLES:
        rows = [r for row in checked.new for r in row.tables[table]]
        if rows:
            texts[table] = _appended(layout.data / "tables" / table, rows)
            added.appended[table] = len(rows)
    for table, text in texts.items():
        with atomic_write(layout.data / "tables" / table) as handle:
            handle.write(text)
    return added
