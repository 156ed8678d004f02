"""The national store on disk: loading the N-Triples, counting what it holds, its manifest."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from legigraph.model import ids
from legigraph.model.namespaces import LG
from legigraph.progress import Advance

NATIONAL_GRAPH = str(ids.NATIONAL_GRAPH)
BILL_GRAPH = str(ids.bill_graph(1544))  # the `legigraph build` graph


def count_lines(path: Path) -> int:
    """The statements of an N-Triples file (one a line; blank lines and comments aside)."""
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip() and not line.lstrip().startswith(b"#"))


def store_counts(store: Path) -> dict[str, int | None]:
    """Triples of each graph and works of the national graph in the on-disk ``store``."""
    s = ox.Store.read_only(str(store))
    n = count_pattern(s, f"GRAPH <{NATIONAL_GRAPH}> {{ ?s ?p ?o }}")
    laws = count_pattern(s, f"GRAPH <{NATIONAL_GRAPH}> {{ ?s a <{LG.NationalLaw}> }}")
    bill = count_pattern(s, f"GRAPH <{BILL_GRAPH}> {{ ?s ?p ?o }}")
    del s
    return {"national_triples": n, "national_laws": laws, "bill_triples": bill or None}


def count_pattern(store: Any, pattern: str) -> int:
    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"))
    return int(rows[0]["n"].value)


def dataset_counts(graph: Graph) -> dict[str, int | None]:
    assert isinstance(graph, Dataset)
    national = graph.graph(URIRef(NATIONAL_GRAPH))
    bill = len(graph.graph(URIRef(BILL_GRAPH)))
    return {"national_triples": len(national),
            "national_laws": len(set(national.subjects(RDF.type, LG.NationalLaw))),
            "bill_triples": bill or None}  # fmt: skip


def file_hash(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_path(store: Path) -> Path:
    """Where the manifest of the store at ``store`` lives (beside it)."""
    return store.with_name(store.name + ".manifest.json")


class Reading:
    """A binary file that reports the bytes read so far (the load's progress bar)."""

    def __init__(self, handle: IO[bytes], done: int, total: int, advance: Advance):
        self.handle, self.done, self.total, self.advance = handle, done, total, advance
        self.reported = done

    def read(self, size: int = -1) -> bytes:
        block = self.handle.read(size)
        self.done += len(block)
        if self.done - self.reported >= 1 << 22 or not block:
            self.advance(self.done, self.total)
            self.reported = self.done
        return block


def load_store(fresh: Path, nt_path: Path, bill: Path | None, advance: Advance) -> None:
    # read through a file object (as fast as a path: measured on 10 % of the corpus) to
    # follow the load by bytes
    total = nt_path.stat().st_size + (bill.stat().st_size if bill is not None else 0)
    store = ox.Store(str(fresh))
    with nt_path.open("rb") as handle:
        reading = Reading(handle, 0, total, advance)
        store.bulk_load(cast(IO[bytes], reading), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.NamedNode(NATIONAL_GRAPH), lenient=True)  # fmt: skip
    if bill is not None:  # validated by `legigraph build`: parsed strictly all the same
        with bill.open("rb") as handle:
            store.bulk_load(cast(IO[bytes], Reading(handle, reading.done, total, advance)),
                            format=ox.RdfFormat.N_TRIPLES,
                            to_graph=ox.NamedNode(BILL_GRAPH))  # fmt: skip
    # no optimize(): a quarter of the load time, and no query of queries/ got faster
    store.flush()
    del store  # lenient: the file is our own writer's output, tested to parse strictly


def iter_skipped(manifest: dict[str, Any]) -> Iterator[str]:
    """The skipped files of a manifest, one ``file:line: reason`` each."""
    yield from manifest.get("skipped", [])
