"""Errors of the amendment grammar and applier: each says what did not fit and where."""

from __future__ import annotations

from legigraph.errors import EXIT_INPUT, LegigraphError


class AmendmentError(LegigraphError):
    """An amending text that cannot be read, or an operation that does not fit a text."""

    exit_code = EXIT_INPUT


class AmendmentSyntaxError(AmendmentError):
    """A sentence of an amending text that is not in a form the grammar reads."""

    def __init__(self, text: str, reason: str, offset: int = 0):
        self.text = text
        self.reason = reason
        self.offset = offset
        snippet = text[offset : offset + 60]
        super().__init__(f"cannot read the amending text at {offset} ({reason}): {snippet!r}")


class ProvisionNotFound(AmendmentError):
    """The provision an operation names is not in the text it is applied to."""

    def __init__(self, label: str, path: str, near: str = ""):
        self.label = label
        self.path = path
        hint = f"; the text has {near}" if near else ""
        super().__init__(f"{label} ({path}) is not in the text{hint}")


class TextNotFound(AmendmentError):
    """The quoted old text of a substitution is not where the operation looks for it."""

    def __init__(self, old: str, label: str, looked_in: str):
        self.old = old
        self.label = label
        self.looked_in = looked_in
        shown = looked_in if len(looked_in) <= 120 else looked_in[:117] + "…"
        super().__init__(f'"{old}" is not in {label}; looked in: {shown!r}')


class InsertionPointTaken(AmendmentError):
    """An insertion (or a renumbering) names a provision that already exists."""

    def __init__(self, label: str, path: str):
        self.label = label
        self.path = path
        super().__init__(f"{label} ({path}) already exists: cannot insert or move onto it")


class BlockMismatch(AmendmentError):
    """The new text after 다음과 같이 does not match the provisions the operation names."""
