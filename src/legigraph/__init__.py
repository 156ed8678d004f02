"""legigraph: an open knowledge graph of Korean legislation.

The public API: everything the command line does is one call here (the CLI only parses
arguments and prints)::

    import legigraph
    result = legigraph.build()                       # legigraph build
    report = legigraph.validate(["new.ttl"])         # legigraph validate FILE…
    report = legigraph.validate_store(Path("build/national-store"))  # validate --store
    legigraph.ingest_statutes(corpus, store, index)  # legigraph ingest statutes PATH
    legigraph.ingest_history(clone, store)           # legigraph ingest history PATH
    draft = legigraph.run_draft(Path("bill.md"))     # legigraph draft FILE
    rows = legigraph.run_query("cq08-projects-of-office").to_dicts()  # legigraph query ID
    engine = legigraph.open_store(Path("build/bill/store"))  # for run_saved / run_text
    legigraph.write_dumps(Layout.default())          # legigraph dump
    legigraph.add_projects(Path("new.csv"))          # legigraph add FILE.csv
    text = legigraph.export_register("dutch-json")   # legigraph export register
"""

import importlib
from typing import TYPE_CHECKING, Any

# the names of the first API, imported at once (``build`` and ``validate`` are also the
# names of modules, which a lazy name would lose to)
from legigraph.build import BuildResult, build, build_graph
from legigraph.query.engines import run_query
from legigraph.query.saved import Result
from legigraph.shacl.report import ValidationResult
from legigraph.validate import validate

if TYPE_CHECKING:
    from legigraph.draft import DraftResult, run_draft
    from legigraph.dump import DumpResult, write_dumps
    from legigraph.history import HistoryResult, ingest_history
    from legigraph.ingest import IngestResult, ingest_statutes
    from legigraph.query.engines import open_store, run_saved, run_text
    from legigraph.query.saved import load_queries
    from legigraph.register.add import Added, add_projects
    from legigraph.register.export import export_register
    from legigraph.validate import validate_store

# The others are imported when first used, so that `legigraph --help` (which imports this
# package) does not load every engine.
_HOME = {
    "DraftResult": "draft", "run_draft": "draft",
    "DumpResult": "dump", "write_dumps": "dump",
    "HistoryResult": "history", "ingest_history": "history",
    "IngestResult": "ingest", "ingest_statutes": "ingest",
    "open_store": "query.engines", "run_saved": "query.engines", "run_text": "query.engines",
    "load_queries": "query.saved", "validate_store": "validate",
    "Added": "register.add", "add_projects": "register.add",
    "export_register": "register.export",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'legigraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"legigraph.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Added",
    "BuildResult",
    "DraftResult",
    "DumpResult",
    "HistoryResult",
    "IngestResult",
    "Result",
    "ValidationResult",
    "add_projects",
    "build",
    "build_graph",
    "export_register",
    "ingest_history",
    "ingest_statutes",
    "load_queries",
    "open_store",
    "run_draft",
    "run_query",
    "run_saved",
    "run_text",
    "validate",
    "validate_store",
    "write_dumps",
]
__version__ = "0.1.0"
