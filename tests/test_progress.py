"""Progress bars: drawn on a terminal, silent with --quiet and when stderr is not a terminal."""

from __future__ import annotations

import io
import sys

import pytest

from legigraph import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("tty", "quiet", "drawn"), [(True, False, True), (True, True, False),
                                                     (False, False, False)])  # fmt: skip
def test_progress_bar(monkeypatch: pytest.MonkeyPatch, tty: bool, quiet: bool, drawn: bool) -> None:
    err = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with progress.progress_bar("validating the store", quiet=quiet) as advance:
        for done in range(1, 4):
            advance(done, 3)
    assert ("validating the store" in err.getvalue() and "3/3" in err.getvalue()) == drawn
