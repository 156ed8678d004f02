"""The register in the field layouts of the public registers, from the built store.

Four saved queries over the embedded store (``build/bill/store``) give what the graph
holds: ``ai-register-export`` (one record per project with the register profile's
fields), ``ai-project-legal-basis``, ``ai-project-technique-sources`` (the report's own
words, never a curator's classification) and ``project-quantities``. Each record is then
laid out as the Dutch algorithm register's JSON (:func:`dutch_json`) or the UK ATRS
spreadsheet (:func:`atrs_csv`). A field the graph does not hold is left empty: nothing is
filled in to complete a form. The layouts' field names are those listed in
``docs/register.md``; they follow the standards' field lists but were not checked against
the published schema files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from legigraph.errors import InputError
from legigraph.paths import Layout
from legigraph.query.engines import Engine, OxigraphEngine, run_saved
from legigraph.query.saved import find_query, load_queries

FORMATS = ("dutch-json", "atrs-csv")
LANGS = ("ko", "en")


@dataclass
class Record:
    """One project's register fields: each a list of distinct values, in query order."""

    iri: str
    serial: int
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, value: Any) -> None:
        if value is None or value == "":
            return
        values = self.fields.setdefault(name, [])
        if str(value) not in values:
            values.append(str(value))

    def one(self, name: str) -> str:
        return (self.fields.get(name) or [""])[0]

    def all(self, name: str, sep: str = "; ") -> str:
        return sep.join(self.fields.get(name, []))

    def text(self, name: str, lang: str) -> str:
        """The value of a bilingual field in ``lang`` (empty when the graph has none)."""
        return self.one(f"{name}_{lang}")


def _rows(engine: Engine, layout: Layout, query_id: str) -> list[dict[str, Any]]:
    saved = find_query(load_queries(layout.queries), query_id)
    return run_saved(engine, saved).to_dicts()


def records(layout: Layout | None = None, engine: Engine | None = None) -> list[Record]:
    """The register's records from the built store (or ``engine``), in serial order."""
    layout = layout or Layout.default()
    if engine is None:
        with OxigraphEngine.open(layout.bill_store) as own:
            return records(layout, own)
    out: dict[str, Record] = {}
    for row in _rows(engine, layout, "ai-register-export"):
        record = out.setdefault(row["project"], Record(row["project"], int(row["serial"])))
        for name, value in row.items():
            if name not in ("project", "serial"):
                record.add(name, value)
    for row in _rows(engine, layout, "ai-project-legal-basis"):
        record = out[row["project"]]
        record.add("legal_basis_ordinance_ko", row["ordinance_ko"])
        record.add("legal_basis_ordinance_en", row["ordinance_en"])
        record.add("legal_basis_provision", row["provision_ko"])
        record.add("legal_basis_link", row["provision"])
    by_serial = {r.serial: r for r in out.values()}
    for row in _rows(engine, layout, "ai-project-technique-sources"):
        if row["basis"] == "report":  # the report's words; a curator's reading is not a method
            by_serial[int(row["serial"])].add("methods", row["words"])
    for row in _rows(engine, layout, "project-quantities"):
        record = by_serial[int(row["serial"])]
        record.add("volumes_ko", f"{row['quantity_ko']}: {row['value']}{row['unit_ko'] or ''}")
        if row["quantity_en"]:
            record.add("volumes_en", f"{row['quantity_en']}: {row['value']} {row['unit_en'] or ''}")
    return sorted(out.values(), key=lambda r: r.serial)


def lawful_basis(record: Record, lang: str) -> str:
    """The provisions the project rests on: ``{ordinance} 제3조, 제7조제4호``."""
    ordinance = record.one(f"legal_basis_ordinance_{lang}")
    provisions = record.all("legal_basis_provision", ", ")
    return f"{ordinance} {provisions}".strip()


def dutch_record(record: Record, lang: str = "ko") -> dict[str, Any]:
    """One record in the Dutch algorithm register's field layout (standard v1.0)."""
    return {
        "name": record.text("name", lang),
        "organization": record.text("city", lang),
        "department": record.text("lead", lang),
        "description_short": record.text("summary", lang),
        "status": record.text("status", lang),
        "contact_email": record.one("email"),
        "publication_category": record.text("publication_category", lang),
        "goal_and_impact": "",  # the report gives aims only inside the description
        "proportionality": record.text("proportionality", lang),
        "human_intervention": record.text("human_intervention", lang),
        "risk_management": record.text("risks", lang),
        "lawful_basis": lawful_basis(record, lang),
        "lawful_basis_link": record.fields.get("legal_basis_link", []),
        "impacttoetsen": record.fields.get("impact_assessment", []),
        "source_data": record.text("source_data", lang),
        "methods_and_models": record.all("methods") if lang == "ko" else "",
        "provider": record.all(f"provider_{lang}"),
        "begin_date": record.one("begin_date"),
        "end_date": record.one("end_date"),
        "lang": lang,
        "standard_version": "1.0",
        "legigraph_iri": record.iri,
    }


def dutch_json(items: list[Record], lang: str = "ko") -> str:
    """The records as a JSON array of Dutch-register records."""
    return json.dumps([dutch_record(r, lang) for r in items], ensure_ascii=False, indent=2) + "\n"


# The ATRS spreadsheet: (column, value of a record in a language). Tier 1 is the summary
# for the public, tier 2 the detail, by section.
ATRS_COLUMNS: tuple[tuple[str, Callable[[Record, str], str]], ...] = (
    ("Tier 1 - Name", lambda r, lang: r.text("name", lang)),
    ("Tier 1 - Description", lambda r, lang: r.text("summary", lang)),
    ("Tier 1 - Website", lambda r, lang: ""),
    ("Tier 1 - Contact email", lambda r, lang: r.one("email")),
    ("Tier 2 - 2.1 Owner and responsibility - Organisation", lambda r, lang: r.text("city", lang)),
    ("Tier 2 - 2.1 Owner and responsibility - Team", lambda r, lang: r.text("lead", lang)),
    ("Tier 2 - 2.1 Owner and responsibility - Implementing body",
     lambda r, lang: r.text("implementer", lang)),
    ("Tier 2 - 2.1 Owner and responsibility - Senior responsible owner", lambda r, lang: ""),
    ("Tier 2 - 2.1 Owner and responsibility - External supplier",
     lambda r, lang: r.all(f"provider_{lang}")),
    ("Tier 2 - 2.2 Description and rationale - Benefits", lambda r, lang: ""),
    ("Tier 2 - 2.2 Description and rationale - Legal basis", lawful_basis),
    ("Tier 2 - 2.3 Decision-making process - Process integration", lambda r, lang: ""),
    ("Tier 2 - 2.3 Decision-making process - Human decisions and review",
     lambda r, lang: r.text("human_intervention", lang)),
    ("Tier 2 - 2.3 Decision-making process - Appeals and review", lambda r, lang: ""),
    ("Tier 2 - 2.4 Technical specification and data - Phase",
     lambda r, lang: r.text("status", lang)),
    ("Tier 2 - 2.4 Technical specification and data - Models and methods",
     lambda r, lang: r.all("methods") if lang == "ko" else ""),
    ("Tier 2 - 2.4 Technical specification and data - Data sources",
     lambda r, lang: r.text("source_data", lang)),
    ("Tier 2 - 2.4 Technical specification and data - Data volumes",
     lambda r, lang: r.all(f"volumes_{lang}")),
    ("Tier 2 - 2.5 Risks, mitigations and impact assessments - Impact assessments",
     lambda r, lang: r.all("impact_assessment")),
    ("Tier 2 - 2.5 Risks, mitigations and impact assessments - Risks and mitigations",
     lambda r, lang: r.text("risks", lang)),
    ("legigraph IRI", lambda r, lang: r.iri),
)


def atrs_csv(items: list[Record], lang: str = "ko") -> str:
    """The records as an ATRS spreadsheet: one row per project, tier 1 then tier 2."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in ATRS_COLUMNS])
    for record in items:
        writer.writerow([value(record, lang) for _, value in ATRS_COLUMNS])
    return out.getvalue()


def export_register(fmt: str, layout: Layout | None = None, *, lang: str = "ko",
                    engine: Engine | None = None) -> str:  # fmt: skip
    """The register in ``fmt`` (``dutch-json`` or ``atrs-csv``), in ``lang`` (ko or en)."""
    if fmt not in FORMATS:
        raise InputError("(arguments)", f"unknown format {fmt!r}", "use " + " or ".join(FORMATS))
    if lang not in LANGS:
        raise InputError("(arguments)", f"unknown language {lang!r}", "use ko or en")
    items = records(layout, engine)
    return dutch_json(items, lang) if fmt == "dutch-json" else atrs_csv(items, lang)
