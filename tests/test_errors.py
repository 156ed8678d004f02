"""Errors in one place: every error legigraph raises on purpose is a LegigraphError whose
class says its exit code (2 input or usage, 3 internal), and the CLI prints one line."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import legigraph
from legigraph.cli import main
from legigraph.errors import EXIT_INPUT, EXIT_INTERNAL, EngineError, LegigraphError
from legigraph.model import ids
from legigraph.query.saved import QueryError


def _all_subclasses(cls: type[LegigraphError]) -> set[type[LegigraphError]]:
    found: set[type[LegigraphError]] = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_every_error_class_has_an_exit_code() -> None:
    for module in pkgutil.walk_packages(legigraph.__path__, "legigraph."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    kinds = _all_subclasses(LegigraphError)
    assert {ids.IdError, QueryError, EngineError} <= kinds
    for kind in kinds:
        assert kind.exit_code in (EXIT_INPUT, EXIT_INTERNAL), kind
    assert ids.IdError.exit_code == QueryError.exit_code == EXIT_INPUT
    assert EngineError.exit_code == EXIT_INTERNAL and issubclass(EngineError, RuntimeError)


def test_a_bad_identifier_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ids.IdError) as err:
        ids.organisation("Digital Office")
    assert isinstance(err.value, ValueError) and err.value.exit_code == EXIT_INPUT
    code = main(["query", "no-such-query"])
    out = capsys.readouterr()
    assert code == EXIT_INPUT and "Traceback" not in out.err and out.err.count("\n") <= 3
