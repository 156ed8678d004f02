"""legigraph: an open knowledge graph of Korean legislation.

The public API a notebook user calls is re-exported here::

    import legigraph
    result = legigraph.build()              # ontology + data -> build/
    report = legigraph.validate(["new.ttl"])  # SHACL in the context of the built graph
"""

from legigraph.build import BuildResult, build, build_graph
from legigraph.validate import ValidationResult, validate

__all__ = ["BuildResult", "ValidationResult", "build", "build_graph", "validate"]
__version__ = "0.1.0"
