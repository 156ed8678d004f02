"""legigraph: an open knowledge graph of Korean legislation.

The public API a notebook user calls is re-exported here::

    import legigraph
    result = legigraph.build()              # ontology + data -> build/
    report = legigraph.validate(["new.ttl"])  # SHACL in the context of the built graph
    rows = legigraph.run_query("cq08-projects-of-office").to_dicts()  # list of dicts
"""

from legigraph.build import BuildResult, build, build_graph
from legigraph.query.engines import run_query
from legigraph.query.saved import Result
from legigraph.shacl.report import ValidationResult
from legigraph.validate import validate

__all__ = [
    "BuildResult",
    "Result",
    "ValidationResult",
    "build",
    "build_graph",
    "run_query",
    "validate",
]
__version__ = "0.1.0"
