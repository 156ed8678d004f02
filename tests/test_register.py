"""The AI-project register (issue 15): fidelity of the records to the report."""

from __future__ import annotations

import pytest

from legigraph.query import QueryError, with_prefixes


def test_adhoc_queries_get_the_project_prefixes() -> None:
    text = "SELECT ?p WHERE { ?p a lg:AIProject ; lg:legalBasis/eli:is_part_of ?w }"
    out = with_prefixes(text)
    assert out.startswith("PREFIX lg: <https://w3id.org/legigraph/ontology#>")
    assert "PREFIX eli: <http://data.europa.eu/eli/ontology#>" in out
    assert out.count("\n") == text.count("\n")  # line numbers of errors stay right


def test_declared_prefixes_and_strings_are_left_alone() -> None:
    text = 'PREFIX lg: <http://example.org/> SELECT * WHERE { ?s lg:x "foo:bar" }'
    assert with_prefixes(text) == text


def test_an_undeclared_prefix_is_named_with_its_line() -> None:
    with pytest.raises(QueryError, match=r"undeclared prefix 'foo:' at line 2"):
        with_prefixes("SELECT * WHERE {\n ?s a foo:Bar }")
