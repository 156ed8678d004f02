"""Where legigraph's hand-written inputs and generated outputs live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def project_root() -> Path:
    """The checkout root: ``$LEGIGRAPH_ROOT`` or the directory holding ``ontology/``."""
    env = os.environ.get("LEGIGRAPH_ROOT")
    if env:
        return Path(env).resolve()
    for candidate in (Path.cwd(), _PACKAGE_ROOT):
        if (candidate / "ontology").is_dir() and (candidate / "data").is_dir():
            return candidate
    return _PACKAGE_ROOT


@dataclass(frozen=True)
class Layout:
    """The folders of a legigraph checkout."""

    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def build(self) -> Path:
        """Where every generated output lives; each command owns its own folder in it."""
        return self.root / "build"

    @property
    def bill_build(self) -> Path:
        """``legigraph build``'s outputs: graph (Turtle, N-Triples), store, manifest."""
        return self.build / "bill"

    @property
    def bill_graph(self) -> Path:
        return self.bill_build / "legigraph.nt"

    @property
    def bill_store(self) -> Path:
        return self.bill_build / "store"

    @property
    def national_store(self) -> Path:
        """``legigraph ingest``'s store (never touched by ``legigraph build``)."""
        return self.build / "national-store"

    @property
    def dumps(self) -> Path:
        """``legigraph dump``'s files (each graph gzipped, sums, VoID, DCAT)."""
        return self.build / "dumps"

    @classmethod
    def default(cls) -> Layout:
        return cls(project_root())
