"""Korean amending texts as executable operations: a parser and an applier.

``find_clauses`` finds the 타법개정 clauses in a 부칙, ``parse_clause``/``parse_sentence``
read the 법제처 drafting forms into ``Operation`` records, and ``apply`` executes them on
a ``Version`` of a law's text. Text in, dataclasses out: the package reads no files and
depends only on ``legigraph.text`` and ``legigraph.errors``.
"""
