"""Former names of laws, mined from the corpus (filled in below)."""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from legigraph.errors import InputError
from legigraph.resolve import normalise_name


@dataclass(frozen=True)
class Alias:
    """A name a law was cited by, the law it means, and where that is said."""

    alias: str
    law_id: str
    name: str  # the law's current name
    how: str
    source: str
    valid_from: str
    valid_until: str

    @property
    def key(self) -> str:
        return normalise_name(self.alias)

    def valid_on(self, on: str) -> bool:
        return (not self.valid_from or self.valid_from <= on) and (
            not self.valid_until or on <= self.valid_until
        )


COLUMNS = tuple(f.name for f in fields(Alias))


def read_aliases(path: Path) -> list[Alias]:
    """The alias table."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise InputError(
                    path,
                    f"columns must be {', '.join(COLUMNS)}",
                    "regenerate it with python -m legigraph.linking.mine",
                    1,
                )
            return [Alias(**row) for row in reader]
    except OSError as err:
        raise InputError(
            path, f"cannot read the alias table: {err.strerror}", "check the path"
        ) from err


def write_aliases(path: Path, rows: list[Alias]) -> None:
    """Write the table in canonical form (sorted by alias, then 법령ID)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for row in sorted(rows, key=lambda r: (r.key, r.law_id, r.source)):
            writer.writerow(asdict(row))


def mine_aliases(texts: object, index: object) -> list[Alias]:
    """Placeholder until the miner lands."""
    return []
