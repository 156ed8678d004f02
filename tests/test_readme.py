"""The README's figures are the build's: a stale number fails here, not in a reader's hands."""

from __future__ import annotations

import json
import re

from legigraph.build import BuildResult
from legigraph.query.saved import load_queries
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_build_figures_match_the_manifest(built: BuildResult) -> None:
    manifest = json.loads((built.out_dir / "manifest.json").read_text(encoding="utf-8"))
    shown = re.search(r"built \S+: (\d+) triples, (\d+) classes", README)
    assert shown, "the tour shows the output of `legigraph build`"
    assert int(shown.group(1)) == manifest["triples"]
    assert int(shown.group(2)) == len(manifest["classes"])
    for name, count in re.findall(r"^  ([a-z]+:\w+)\s+(\d+)$", README, re.MULTILINE):
        assert manifest["classes"][name] == int(count), name


def test_query_counts_match_the_library() -> None:
    n = len(load_queries(ROOT / "queries"))
    assert f"({n} saved queries)" in README
    assert f"answered through {n} saved SPARQL queries" in README
    assert set(re.findall(r"\((\d+) saved queries\)", README)) == {str(n)}
