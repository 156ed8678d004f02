"""Law as in force on any date: every dated version of a law, aligned provision by provision.

``ingest_history`` reads a legalize-kr git clone (or a folder of dated versions), makes
every version a dated expression and every provision of it a provision version realising
the same work-level subdivision across versions (``chain``, ``align``), derives the change
events between consecutive versions, and writes them into the named graph
``ids.HISTORY_GRAPH`` of the statute ingest's store, incrementally (``ingest``).
"""

from legigraph.history.align import Change, Prov, align, changes
from legigraph.history.chain import Chain, Version, provisions_of
from legigraph.history.graph import chain_graph
from legigraph.history.ingest import HISTORY_GRAPH, HistoryResult, ingest_history, state_path
from legigraph.history.sources import Snapshot, read_versions

__all__ = [
    "HISTORY_GRAPH",
    "Chain",
    "Change",
    "HistoryResult",
    "Prov",
    "Snapshot",
    "Version",
    "align",
    "chain_graph",
    "changes",
    "ingest_history",
    "provisions_of",
    "read_versions",
    "state_path",
]
