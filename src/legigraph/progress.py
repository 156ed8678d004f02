"""Progress bars for long work (tqdm): on a terminal only, and never with ``--quiet``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm

Advance = Callable[[int, int], None]


@contextmanager
def progress_bar(
    description: str, *, quiet: bool = False, unit: str = "step", scale: bool = False
) -> Iterator[Advance]:
    """A callback ``advance(done, total)`` that draws a bar on stderr while the block runs.

    ``scale`` writes large counts with binary prefixes (``unit="B"``: 1.5 GiB/s).
    """
    if quiet or not sys.stderr.isatty():
        yield lambda done, total: None
        return
    bar = tqdm(desc=description, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True,
               unit_scale=scale, unit_divisor=1024 if scale else 1000)  # fmt: skip

    def advance(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield advance
    finally:
        bar.close()
