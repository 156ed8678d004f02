"""The SHACL engines ``legigraph validate`` offers, behind one call.

- ``turbo`` — the engine of record: pyshacl-turbo (SHACL Core and SHACL-SPARQL in Rust,
  pySHACL's API). It passes the whole W3C suite on input handed over as legigraph parses it
  (the data as an rdflib graph, the shapes as N-Triples text, so that a shape's
  "1"^^xsd:boolean is read as the specification says, not as pySHACL reads it) and
  validates the bill graph in a fraction of a second. Chosen by measurement:
  bench/shacl_engines.py, docs/benchmarks.md.
- ``pyshacl`` — pySHACL, the reference implementation of the Python ecosystem; slower, and
  it accepts SPARQL the specification forbids, so every shapes graph is first compiled by
  the engine of record, which refuses it (:func:`check_shapes`).
- ``compiler`` — legigraph's own SHACL-to-SPARQL compiler (``legigraph.shacl.compiler``),
  the only one that validates the whole national store in 24 GB; it reads literals as the
  store holds them, so it refuses new data whose literals a store would change.

All engines run with no inference, no OWL imports and no SHACL-JS: nothing is fetched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache
from typing import Any

import pyshacl_turbo
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph
from rdflib.term import Node

from legigraph.errors import InputError, InternalError
from legigraph.model.namespaces import SH
from legigraph.shacl.prepared import parsed_once
from legigraph.shacl.report import keep_focus


class ShaclEngine(StrEnum):
    """The SHACL engines ``legigraph validate --engine`` offers."""

    TURBO = "turbo"
    PYSHACL = "pyshacl"
    COMPILER = "compiler"


ENGINE_OF_RECORD = ShaclEngine.TURBO


class ShapesRefused(InputError):
    """The shapes use something no engine may evaluate (invalid SHACL-SPARQL, SHACL-JS …)."""


def shapes_text(shapes: Graph) -> str:
    """The shapes graph as N-Triples, the form the engine of record compiles."""
    return shapes.serialize(format="nt")


@lru_cache(maxsize=8)
def _compiled(text_hash: str, text: str) -> Any:
    del text_hash  # the key: the text itself is large
    return pyshacl_turbo.compile_shapes(  # type: ignore[no-untyped-call]
        text, shacl_graph_format="nt", advanced=True
    )


def compile_turbo(shapes: Graph) -> Any:
    """The shapes compiled by pyshacl-turbo (cached); invalid shapes raise ShapesRefused."""
    text = shapes_text(shapes)
    try:
        return _compiled(hashlib.sha256(text.encode()).hexdigest(), text)
    except pyshacl_turbo.ValidationFailure as err:
        raise ShapesRefused("(shapes)", str(err), "fix the shape (SHACL specification)") from err


def check_shapes(shapes: Graph) -> None:
    """Refuse shapes the specification forbids (the engine of record's compiler decides)."""
    compile_turbo(shapes)


def _turbo(data: Graph, shapes: Graph, focus: list[Node] | None) -> tuple[bool, Graph]:
    compiled = compile_turbo(shapes)
    # pyshacl-turbo 0.6 reads a blank focus node as an IRI and fails: validate everything,
    # then keep the results on the focus nodes (the same results)
    blank = focus is not None and any(isinstance(n, BNode) for n in focus)
    try:
        conforms, report, _ = compiled.validate(data, focus_nodes=None if blank else focus)
    except pyshacl_turbo.ValidationFailure as err:
        raise ShapesRefused("(shapes)", str(err), "fix the shape") from err
    except Exception as err:  # an engine failure is not the user's input
        raise InternalError(f"pyshacl-turbo failed: {err}") from err
    if blank:
        report = keep_focus(report, set(focus or ()))
        conforms = (None, SH.result, None) not in report
    return bool(conforms), report


def run_pyshacl(data: Graph, shapes: Graph, *, inplace: bool = False) -> tuple[bool, Graph, str]:
    """PySHACL with legigraph's safe options: no inference, imports or SHACL-JS."""
    try:
        conforms, report, text = pyshacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            js=False,
            do_owl_imports=False,
            allow_warnings=False,
            abort_on_first=False,
            inplace=inplace,
        )
    except NotImplementedError as err:  # e.g. $shapesGraph: refused by name, never skipped
        raise ShapesRefused(
            "(shapes)", f"pySHACL cannot evaluate these shapes: {err}", "use --engine turbo"
        ) from err
    return bool(conforms), report, str(text)


# Boolean parameters pySHACL reads by value: "1"^^xsd:boolean activates them, though the
# specification only knows true (W3C core/property/uniqueLang-002).
BOOLEAN_PARAMETERS = (SH.uniqueLang, SH.closed, SH.deactivated, SH.qualifiedValueShapesDisjoint)


def refuse_boolean_misreads(shapes: Graph, engine: ShaclEngine) -> None:
    """Refuse boolean parameters other than true and false.

    pySHACL and the compiler read them by value, the specification does not (W3C
    core/property/uniqueLang-002).
    """
    for parameter in BOOLEAN_PARAMETERS:
        for value in shapes.objects(None, parameter):
            if str(value) not in ("true", "false"):
                raise ShapesRefused(
                    "(shapes)",
                    f"sh:{parameter.split('#')[-1]} {value.n3()}: {engine} reads this as true, "
                    "the SHACL specification does not",
                    "write true or false, or use --engine turbo",
                )


def _pyshacl(data: Graph, shapes: Graph, focus: list[Node] | None) -> tuple[bool, Graph]:
    check_shapes(shapes)
    refuse_boolean_misreads(shapes, ShaclEngine.PYSHACL)
    with parsed_once():
        conforms, report, _ = run_pyshacl(data, shapes)
    if focus is not None:
        report = keep_focus(report, set(focus))
        conforms = (None, SH.result, None) not in report
    return conforms, report


def run(
    engine: ShaclEngine, data: Graph, shapes: Graph, *, focus: Iterable[Node] | None = None
) -> tuple[bool, Graph]:
    """Validate ``data`` against ``shapes``; conformance and the SHACL report graph.

    ``focus``: report only the results on these focus nodes (each still validated exactly
    as in a full run).
    """
    nodes = sorted(focus, key=lambda n: n.n3()) if focus is not None else None
    if engine == ShaclEngine.TURBO:
        return _turbo(data, shapes, nodes)
    if engine == ShaclEngine.PYSHACL:
        return _pyshacl(data, shapes, nodes)
    raise InternalError(f"engine {engine} is run by legigraph.shacl.compiler")
