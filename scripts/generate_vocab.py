"""Write src/legigraph/model/vocab.py, the closed lg: namespace.

One attribute per term that ontology/legigraph.ttl defines (an unknown term is then an
error, not a new IRI).

Run after adding a term to the ontology: ``python scripts/generate_vocab.py``;
tests/test_vocab.py fails while the file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "legigraph.ttl"
TARGET = ROOT / "src" / "legigraph" / "model" / "vocab.py"
NS = "https://w3id.org/legigraph/ontology#"


def render(ontology: Path = ONTOLOGY) -> str:
    graph = Graph().parse(ontology, format="turtle")
    terms = sorted(
        {iri[len(NS) :] for iri in map(str, graph.subjects()) if iri.startswith(NS)} - {""}
    )
    lines = [
        '"""The lg: vocabulary, closed (an unknown term raises AttributeError).',
        "",
        "Generated from ontology/legigraph.ttl by scripts/generate_vocab.py: do not edit;",
        "tests/test_vocab.py checks that it is up to date.",
        '"""',
        "",
        "from rdflib import URIRef",
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "",
        "",
        "class LG(DefinedNamespace):",
        '    """legigraph\'s own classes and properties (https://w3id.org/legigraph/ontology#)."""',
        "",
        '    _NS = Namespace("' + NS + '")',
        "    _fail = True",
        "",
    ]
    for term in terms:
        label = next(
            (
                str(o)
                for o in graph.objects(URIRef(NS + term), RDFS.label)
                if isinstance(o, Literal) and o.language == "en"
            ),
            "",
        )
        lines.append(f"    {term}: URIRef" + (f"  # {label}" if label else ""))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}", file=sys.stderr)
