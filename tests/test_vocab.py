"""The closed lg: vocabulary: generated from the ontology, and the only lg: terms in use.

``src/legigraph/model/vocab.py`` is written by ``scripts/generate_vocab.py`` from
``ontology/legigraph.ttl``; a term used in code that the ontology does not define raises
(the namespace is closed), and a term written in a saved query, a shape or curated data
must be defined too, or it would mint a new IRI without a word.
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from legigraph.model.namespaces import LG
from tests.conftest import ROOT

NS = str(LG)
GENERATOR = runpy.run_path(str(ROOT / "scripts" / "generate_vocab.py"))


def defined_terms() -> set[str]:
    graph = Graph().parse(ROOT / "ontology" / "legigraph.ttl", format="turtle")
    return {str(s)[len(NS) :] for s in graph.subjects() if str(s).startswith(NS)} - {""}


def test_vocab_module_is_up_to_date() -> None:
    written = (ROOT / "src" / "legigraph" / "model" / "vocab.py").read_text(encoding="utf-8")
    assert written == GENERATOR["render"](), "run python scripts/generate_vocab.py"


def test_the_namespace_is_closed() -> None:
    assert LG.Amendment == URIRef(NS + "Amendment")
    with pytest.raises(AttributeError, match="Amendmnt"):
        _ = LG.Amendmnt


def _files() -> list[Path]:
    found: list[Path] = []
    for folder, pattern in (("queries", "*.rq"), ("shapes", "*.ttl"), ("data", "*.ttl"),
                            ("ontology", "*.ttl"), ("data", "*.yaml")):  # fmt: skip
        found += sorted((ROOT / folder).rglob(pattern))
    return found


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_lg_term_in_use_is_defined(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    used = set(re.findall(r"(?<![\w-])lg:([A-Za-z_][A-Za-z0-9_-]*)", text))
    used |= set(re.findall(re.escape(NS) + r"([A-Za-z_][A-Za-z0-9_-]*)", text))
    unknown = sorted(used - defined_terms())
    assert not unknown, f"{path.name}: lg: terms the ontology does not define: {unknown}"
