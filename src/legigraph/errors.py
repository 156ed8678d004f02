"""legigraph's errors, each with the exit code the command line gives it.

Exit codes: 0 ok, 1 the data does not conform, 2 usage or input error (the message names the
file, line or node, what is wrong and how to fix it), 3 internal error. A result that does
not conform is not an error: commands return 1 for it themselves.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK, EXIT_NONCONFORMING, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class LegigraphError(Exception):
    """The base of every error legigraph raises on purpose."""

    exit_code = EXIT_INTERNAL


class InputError(LegigraphError):
    """Unreadable or malformed input; the message names the file (and line) and a fix."""

    exit_code = EXIT_INPUT

    def __init__(self, path: Path | str, problem: str, hint: str = "", line: int | None = None):
        self.path = str(path)
        self.line = line
        self.problem = problem
        self.hint = hint
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}" + (f"\n  hint: {hint}" if hint else ""))


class InternalError(LegigraphError):
    """A bug or an engine failure: not the user's input (exit 3)."""


class EngineError(InternalError, RuntimeError):
    """A component legigraph runs failed: Java and HermiT, Virtuoso, an Oxigraph query."""
