"""The national effects table: every 타법개정 clause of the corpus as amendment objects.

``ingest_effects`` (``legigraph ingest effects PATH``) reads the clauses once each
(``read``), resolves the amending and amended laws with the linker, checks each operation
against the amended law's current text (``check``) and writes the acts and amendments
(``graph``) into the named graph ``ids.EFFECTS_GRAPH`` of the statute ingest's store.
"""

from legigraph.effects.check import CurrentText, visible
from legigraph.effects.graph import write
from legigraph.effects.ingest import EFFECTS_GRAPH, EffectsResult, ingest_effects, manifest_path
from legigraph.effects.read import Effect, FileClauses, Gathered, gather, read_file

__all__ = [
    "EFFECTS_GRAPH",
    "CurrentText",
    "Effect",
    "EffectsResult",
    "FileClauses",
    "Gathered",
    "gather",
    "ingest_effects",
    "manifest_path",
    "read_file",
    "visible",
    "write",
]
