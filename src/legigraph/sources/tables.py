"""Turn the curated CSV tables into RDF through the declared mappings in ``data/mappings``.

A mapping is a small YAML file: which table, how to mint each row's subject (a function
of :mod:`legigraph.model.ids` and its arguments, where ``"{column}"`` takes the row's value),
its types, and for each column the predicate and how the cell becomes a term (a language
tagged literal, a typed literal, a code-list concept or a reference to another resource).
Every cell error names the table, line and column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from legigraph.errors import InputError
from legigraph.model import ids
from legigraph.model.namespaces import PREFIXES
from legigraph.model.text import has_decomposed_hangul, nfc

MINTERS: dict[str, Callable[..., URIRef]] = {
    "ai_project": ids.ai_project,
    "organisation": ids.organisation,
    "quantity": ids.quantity,
    "technique_mention": ids.technique_mention,
    "technique_classification": ids.technique_classification,
    "agent": ids.agent,
    "ordinance": ids.ordinance,
    "provision": ids.provision,
    "provision_by_id": ids.provision_by_id,
    "source_document": ids.source_document,
    "external": ids.external,
    "seed_location": lambda fragment: ids.source_location(ids.SEED, fragment),
}


class CellError(Exception):
    """A cell that cannot become a term; ``column`` names it."""

    def __init__(self, column: str, problem: str):
        super().__init__(problem)
        self.column = column


def curie(name: str) -> URIRef:
    """Expand ``lg:AIProject`` with legigraph's prefixes."""
    prefix, _, local = name.partition(":")
    if prefix not in PREFIXES or not local:
        raise ValueError(f"unknown prefixed name {name!r}")
    return PREFIXES[prefix][local]


_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _arg(value: Any, row: dict[str, str], cell: str) -> Any:
    if isinstance(value, dict):
        return mint(value, row, cell)
    if isinstance(value, str) and _FIELD.search(value):
        text = _FIELD.sub(lambda m: cell if m.group(1) == "value" else row[m.group(1)], value)
        return int(text) if text.isdigit() else text
    return value


def mint(spec: dict[str, Any], row: dict[str, str], cell: str = "") -> URIRef:
    """Mint an IRI from a ``{mint: name, args: [...]}`` spec for one row."""
    name = spec.get("mint")
    if name not in MINTERS:
        raise ValueError(f"unknown minter {name!r}; known: {', '.join(sorted(MINTERS))}")
    args = [_arg(a, row, cell) for a in spec.get("args", [])]
    return MINTERS[name](*args)


def _terms(rule: dict[str, Any], cell: str, row: dict[str, str], column: str) -> Iterable[Node]:
    values = [v.strip() for v in cell.split(rule["separator"])] if "separator" in rule else [cell]
    for value in values:
        if not value:
            continue
        if "concept" in rule:
            yield ids.concept(rule["concept"], value)
        elif "ref" in rule:
            yield mint(rule["ref"], row, value)
        elif "datatype" in rule:
            lit = Literal(value, datatype=curie(rule["datatype"]))
            if lit.ill_typed:
                raise CellError(column, f"{value!r} is not a valid {rule['datatype']}")
            yield lit
        else:
            yield Literal(nfc(value), lang=rule.get("lang"))


def load_mapping(path: Path) -> dict[str, Any]:
    """Read one mapping file."""
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise InputError(path, f"cannot read mapping: {err}", "fix the YAML") from err
    if not isinstance(spec, dict) or "table" not in spec or "subject" not in spec:
        raise InputError(path, "a mapping needs 'table' and 'subject'", "see data/mappings/")
    return spec


def map_table(mapping_path: Path, graph: Graph, table: Path | None = None) -> int:
    """Add the triples of one mapped table to ``graph``; return the number of rows.

    ``table`` maps another CSV file with the same columns (new records to validate).
    """
    spec = load_mapping(mapping_path)
    table = table or (mapping_path.parent / spec["table"]).resolve()
    columns: dict[str, Any] = spec.get("columns", {})
    try:
        handle = table.open(encoding="utf-8", newline="")
    except OSError as err:
        raise InputError(table, f"cannot open table: {err.strerror}", "check 'table'") from err
    rows = 0
    with handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or [])
        if missing:
            raise InputError(
                table, f"missing columns {sorted(missing)}", "add them to the header", 1
            )
        for row in reader:
            line = reader.line_num
            rows += 1
            for column, cell in row.items():
                if cell and has_decomposed_hangul(cell):
                    raise InputError(
                        table,
                        f"column {column!r}: decomposed (NFD) Hangul",
                        "normalise the file to NFC",
                        line,
                    )
            try:
                map_row(spec, row, graph)
            except CellError as err:
                raise InputError(
                    table, f"column {err.column!r}: {err}", "fix the cell", line
                ) from err
            except (ids.IdError, ValueError, KeyError) as err:
                raise InputError(
                    table, str(err), f"fix the row or the mapping {mapping_path.name}", line
                ) from err
    return rows


def mapping_for(table: Path, mappings: Path) -> Path:
    """The mapping in ``mappings`` whose table has the same file name as ``table``."""
    for mapping in sorted(mappings.glob("*.yaml")):
        if Path(load_mapping(mapping)["table"]).name == table.name:
            return mapping
    names = ", ".join(Path(load_mapping(m)["table"]).name for m in sorted(mappings.glob("*.yaml")))
    raise InputError(table, "no mapping for this table", f"name it like a mapped table ({names})")


def map_row(spec: dict[str, Any], row: dict[str, str], graph: Graph) -> URIRef:
    """Add the triples of one row (column → cell) of a mapped table; return its subject.

    Raises :class:`CellError` for a cell that is not a valid term, and ``ids.IdError``,
    ``ValueError`` or ``KeyError`` for a row whose identifiers cannot be minted.
    """
    columns: dict[str, Any] = spec.get("columns", {})
    subject = mint(spec["subject"], row)
    for type_name in spec.get("types", []):
        graph.add((subject, RDF.type, curie(type_name)))
    if "type_by" in spec:
        key = row[spec["type_by"]["column"]]
        if key not in spec["type_by"]["map"]:
            raise CellError(
                spec["type_by"]["column"],
                f"unknown value {key!r}; expected one of " + ", ".join(spec["type_by"]["map"]),
            )
        graph.add((subject, RDF.type, curie(spec["type_by"]["map"][key])))
    for predicate, value in spec.get("constants", {}).items():
        for item in value if isinstance(value, list) else [value]:
            graph.add((subject, curie(predicate), mint(item, row)))
    if "link_from" in spec:
        link = spec["link_from"]
        graph.add((mint(link["subject"], row), curie(link["predicate"]), subject))
    for column, rules in columns.items():
        for rule in rules if isinstance(rules, list) else [rules]:
            for term in _terms(rule, row.get(column) or "", row, column):
                graph.add((subject, curie(rule["predicate"]), term))
                if "inverse" in rule:
                    graph.add((term, curie(rule["inverse"]), subject))
    return subject
