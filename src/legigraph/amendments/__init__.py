"""Korean amending texts as executable operations: a parser and an applier.

``find_clauses`` finds the 타법개정 clauses in a 부칙 (``read_amending_text`` reads a bill's
개정문), ``parse_clause``/``parse_sentence`` read the 법제처 drafting forms into
``Operation`` records, and ``apply`` executes them on a ``Version`` of a law's text
(``from_provisions`` adapts the legalize-kr reader's provisions). Text in, dataclasses out:
the package reads no files and depends only on ``legigraph.model.text`` and ``legigraph.errors``.
"""

from legigraph.amendments.apply import Move, Result, apply
from legigraph.amendments.clauses import find_clauses, read_amending_text
from legigraph.amendments.grammar import parse_clause, parse_sentence
from legigraph.amendments.model import Clause, Kind, Operation, ParsedClause, Target, Unparsed
from legigraph.amendments.tree import Node, Version, from_provisions

__all__ = [
    "Clause",
    "Kind",
    "Move",
    "Node",
    "Operation",
    "ParsedClause",
    "Result",
    "Target",
    "Unparsed",
    "Version",
    "apply",
    "find_clauses",
    "from_provisions",
    "parse_clause",
    "parse_sentence",
    "read_amending_text",
]
