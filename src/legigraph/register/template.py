"""The CSV template of new AI projects: its columns, and how a row becomes curated rows.

One row of ``data/templates/new-ai-projects.csv`` is one project. It is split into rows of
the curated tables that the build maps (``data/tables/ai-projects.csv``,
``ai-technique-mentions.csv``, ``ai-project-register.csv``), so a project added from the
template is built, validated and queried exactly like the 18 of the report.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from legigraph.errors import InputError
from legigraph.inputs import read_input
from legigraph.model.text import has_decomposed_hangul, nfc

PROJECTS = "ai-projects.csv"
MENTIONS = "ai-technique-mentions.csv"
REGISTER = "ai-project-register.csv"
TABLES = (PROJECTS, MENTIONS, REGISTER)
TECHNIQUES = "techniques_ko"  # the template's own column: the source's words


@dataclass(frozen=True)
class Column:
    """A column of the template: whether a value is required, and how to fix a bad one."""

    name: str
    required: bool
    fix: str


COLUMNS = (
    Column("serial", True, "a whole number 1–99 that no project has yet (19 is the first free)"),
    Column("category", True, "a code of code/ai-project-category, e.g. ai-safety-net"),
    Column("name_ko", True, "the project's Korean name as its source writes it"),
    Column("name_en", False, "an English name (a translation)"),
    Column("summary_ko", True, "the Korean description (사업 개요) as its source writes it"),
    Column("summary_en", False, "an English description (a translation)"),
    Column("lead_department", True,
           "the id of a unit in data/tables/organisations.csv, e.g. big-data-division"),
    Column("implementing_body", True,
           "the id of a unit or body in data/tables/organisations.csv"),
    Column("legal_basis", True,
           "provision ids separated by ';', e.g. kr-11/ordin/2229686/art_7/item_4; the "
           "provision must be in the graph"),
    Column(TECHNIQUES, False,
           "the source's words for each technique, separated by ';', each with "
           "'=code' when the words contain a label of a code/ai-technique concept, "
           "e.g. 기계학습=machine-learning; CCTV+AI"),
    Column("lifecycle_status", False,
           "a code of code/lifecycle-status (in-development, under-construction, "
           "introduction, in-operation), or empty"),
    Column("source", True,
           "ids of source locations (data/tables/source-locations.csv) separated by ';'"),
    Column("contact_email", False, "one e-mail address, name@domain"),
    Column("publication_category", False,
           "a code of code/publication-category (high-risk-ai-system, impactful-algorithm, "
           "other-algorithm), or empty"),
    Column("begin_date", False, "a date YYYY-MM-DD, not after end_date"),
    Column("end_date", False, "a date YYYY-MM-DD, not before begin_date"),
    Column("human_intervention_ko", False, "Korean text"),
    Column("human_intervention_en", False, "English text"),
    Column("risks_ko", False, "Korean text"),
    Column("risks_en", False, "English text"),
    Column("proportionality_ko", False, "Korean text"),
    Column("proportionality_en", False, "English text"),
    Column("impact_assessment", False,
           "http(s) addresses of published assessments, separated by ';'"),
    Column("provider", False,
           "ids of bodies in data/tables/organisations.csv separated by ';'"),
    Column("source_data_ko", False, "Korean text"),
    Column("source_data_en", False, "English text"),
)
BY_NAME = {c.name: c for c in COLUMNS}
HEADER = [c.name for c in COLUMNS]

# Where each curated column comes from: (table, column) → template column.
_PROJECT_COLUMNS = ("serial", "category", "name_ko", "name_en", "summary_ko", "summary_en",
                    "lead_department", "implementing_body", "legal_basis", "techniques",
                    "lifecycle_status", "source_table", "source")  # fmt: skip
_REGISTER_COLUMNS = ("serial", *HEADER[HEADER.index("contact_email"):])
SOURCE_COLUMN: dict[tuple[str, str], str] = {
    **{(PROJECTS, c): c for c in _PROJECT_COLUMNS},
    (PROJECTS, "techniques"): TECHNIQUES,
    (PROJECTS, "source_table"): "source",
    **{(MENTIONS, c): TECHNIQUES for c in ("n", "words_ko", "label_en", "technique")},
    (MENTIONS, "serial"): "serial",
    (MENTIONS, "source"): "source",
    **{(REGISTER, c): c for c in _REGISTER_COLUMNS},
}


@dataclass
class TemplateRow:
    """One row of the template: its line, its cells, and the curated rows it becomes."""

    line: int
    cells: dict[str, str]
    tables: dict[str, list[dict[str, str]]]


def is_template(path: Path) -> bool:
    """Whether ``path`` is a CSV file whose header has the template's own column."""
    if path.suffix.lower() != ".csv" or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:  # the header only: a bad byte further on is the check's
            first = handle.readline().decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    return TECHNIQUES in [h.strip() for h in next(csv.reader([first]), [])]


def mentions(cell: str) -> list[tuple[str, str]]:
    """``기계학습=machine-learning; CCTV+AI`` → [(words, code or "")]."""
    out = []
    for part in cell.split(";"):
        words, _, code = part.partition("=")
        if words.strip():
            out.append((words.strip(), code.strip()))
    return out


def split(cells: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    """The curated rows of one template row, column by column as the tables hold them."""
    said = mentions(cells.get(TECHNIQUES, ""))
    sources = [s.strip() for s in cells.get("source", "").split(";") if s.strip()]
    project = {c: cells.get(c, "") for c in _PROJECT_COLUMNS}
    project["techniques"] = ";".join(dict.fromkeys(code for _, code in said if code))
    project["source_table"] = ""  # a new record does not come from a table of the report
    out: dict[str, list[dict[str, str]]] = {PROJECTS: [project], MENTIONS: [], REGISTER: []}
    for n, (words, code) in enumerate(said, start=1):
        out[MENTIONS].append({"serial": cells.get("serial", ""), "n": str(n),
                              "words_ko": words, "label_en": "", "technique": code,
                              "source": sources[0] if sources else ""})  # fmt: skip
    register = {c: cells.get(c, "") for c in _REGISTER_COLUMNS}
    if any(v for c, v in register.items() if c != "serial"):
        out[REGISTER].append(register)
    return out


def read_template(path: Path) -> tuple[list[str], list[TemplateRow]]:
    """The header and the rows of a template file (cells stripped and NFC).

    An unreadable file, one that is not UTF-8, or one with decomposed Hangul raises
    :class:`InputError` (exit 2).
    """
    blob = read_input(path)
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(path, "not UTF-8 text", "save the file as UTF-8 CSV") from err
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [h.strip() for h in reader.fieldnames or []]
    if not header:
        raise InputError(path, "empty file: no header",
                         "start from data/templates/new-ai-projects.csv")  # fmt: skip
    rows = []
    for raw in reader:
        cells: dict[str, str] = {}
        for key, value in raw.items():
            if key is None:  # more cells than columns
                cells[""] = ";".join(value) if isinstance(value, list) else str(value)
                continue
            if value and has_decomposed_hangul(value):
                raise InputError(path, f"column {key.strip()!r}: decomposed (NFD) Hangul",
                                 "normalise the file to NFC", reader.line_num)  # fmt: skip
            cells[key.strip()] = nfc((value or "").strip())
        if any(cells.values()):
            rows.append(TemplateRow(reader.line_num, cells, split(cells)))
    return header, rows
