"""A one-line rendering of operations, the expected column of ``cases.tsv``."""

from __future__ import annotations

from legigraph.amendments.model import Kind, Operation, ParsedClause, Target


def _target(t: Target) -> str:
    out = t.path + (f"..{t.until}" if t.until else "")
    return out + (f"[{','.join(t.part)}]" if t.part else "")


def render_op(op: Operation) -> str:
    out = f"{op.kind.value} {_target(op.target)}"
    if op.within:
        out += f" within {op.within}"
    if op.kind in (Kind.SUBSTITUTE, Kind.STRIKE):
        out += f' "{op.old}"→"{op.new}"'
    if op.destination is not None:
        out += f" → {_target(op.destination)}"
    if op.kind in (Kind.REPLACE, Kind.INSERT, Kind.REPLACE_ANNEX) and op.new is not None:
        out += " «" + op.new.replace("\n", "⏎") + "»"
    return out + (" 각각" if op.each else "")


def render(parsed: ParsedClause) -> str:
    """Every operation, then every sentence not read (``unparsed: reason``), with `` | ``."""
    parts = [render_op(op) for op in parsed.operations]
    parts += [f"unparsed: {u.reason}" for u in parsed.unparsed]
    return " | ".join(parts)
