"""Placeholder: filled in by the next step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from legigraph.serve.app import Site


def routes(site: Site) -> list[Any]:
    return []
