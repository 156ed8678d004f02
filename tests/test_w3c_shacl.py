"""The W3C SHACL test suite (Core and SHACL-SPARQL) on every engine ``legigraph validate`` offers.

Each case goes through the same door as a user's data: the shapes are checked as
``legigraph.shacl.shapes`` checks them, then ``legigraph.validate.validate_graph`` validates. A case
passes when the engine gives the manifest's ``sh:conforms`` and results (focus node, path,
value, source shape, component, severity), or refuses a case the manifest says must be
refused (``sht:Failure``). Everything else is listed, with its reason, in
``tests/w3c-expected-failures.yaml``; a listed case that starts passing fails the test, so
the list stays true. The suite lives in ../shared/w3c-shacl-tests (its SOURCE.md says where
it came from); without it these tests are skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from legigraph.errors import InputError
from legigraph.shacl.engines import ShaclEngine
from legigraph.shacl.shapes import check_file
from legigraph.validate import validate_graph
from tests.shacl_suite import SUITE, Case, Outcome, judge, load_suite

EXPECTED = Path(__file__).with_name("w3c-expected-failures.yaml")
ENGINES = list(ShaclEngine)

pytestmark = pytest.mark.skipif(
    not (SUITE / "manifest.ttl").is_file(), reason=f"the W3C SHACL suite is not at {SUITE}"
)


def _cases() -> list[Case]:
    return load_suite() if (SUITE / "manifest.ttl").is_file() else []


CASES = _cases()


def expected_failures() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(EXPECTED.read_text(encoding="utf-8")) or {}
    return {engine: dict(cases or {}) for engine, cases in data.items()}


def outcome(engine: ShaclEngine, case: Case) -> Outcome:
    try:
        check_file(case.shapes_path, case.shapes)
        result = validate_graph(case.data, case.shapes, engine=engine)
    except InputError as err:
        return Outcome("pass" if case.failure else "refused", err.problem)
    if case.failure:
        return Outcome("wrong", "validated shapes that must be refused (sht:Failure)")
    return judge(case, result.conforms, result.report)


@pytest.mark.parametrize("engine", ENGINES, ids=str)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case(engine: ShaclEngine, case: Case) -> None:
    listed = expected_failures().get(engine.value, {})
    got = outcome(engine, case)
    if case.id in listed:
        assert got.status != "pass", f"{case.id} passes on {engine}: remove it from {EXPECTED.name}"
        listed_as = listed[case.id].split(":", 1)[0].split()[0]  # "refused" or "wrong"
        assert got.status == listed_as, f"listed as {listed_as}, got {got.status}: {got.detail}"
    else:
        assert got.status == "pass", f"{got.status}: {got.detail}"


def test_expected_failures_name_real_cases_with_reasons() -> None:
    ids = {c.id for c in CASES}
    for engine, cases in expected_failures().items():
        assert engine in {e.value for e in ShaclEngine}, engine
        for case_id, reason in cases.items():
            assert case_id in ids, f"{engine}: no such case {case_id}"
            assert isinstance(reason, str) and len(reason) > 20, f"{engine} {case_id}: a reason"


def test_the_suite_is_whole() -> None:
    """Core and SHACL-SPARQL, every manifest entry (a lost include would shrink the suite)."""
    assert len(CASES) == 120
    assert sum(c.id.startswith("core/") for c in CASES) == 98
    assert sum(c.failure for c in CASES) == 7
