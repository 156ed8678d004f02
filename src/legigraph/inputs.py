"""Checks on untrusted RDF input, before and after rdflib parses it (docs/security.md).

Before: the file's size (a limit that a flag raises), UTF-8 without NUL bytes or
bidirectional controls (the "Trojan Source" characters), NFC Hangul; RDF/XML through
defusedxml, which refuses every DTD and entity (no billion laughs, no external entities);
JSON-LD scanned for every way of naming a context by IRI (a string ``@context``, ``@import``,
at any depth and in arrays), and parsed with a document loader that refuses every IRI.
After: every IRI is a valid IRI and every typed literal is of its datatype ("2024-02-30"
is not an xsd:date) — each refusal names the file, the line and the term.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml import ElementTree as SafeXML
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.shared.jsonld import context as jsonld_context

from legigraph.errors import InputError
from legigraph.model.literals import is_ill_typed
from legigraph.model.text import has_decomposed_hangul

MAX_INPUT_BYTES = 64 * 1024 * 1024  # legigraph validate --max-input-mb raises it
# Bidirectional controls reorder what a reader sees (CVE-2021-42574): never in legigraph data.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# RFC 3987: no spaces, controls, or <>"{}|^`\ in an IRI; nor, here, invisible format
# characters (zero-width space, soft hyphen, byte-order mark, direction marks).
BAD_IRI = re.compile(
    r'[\x00-\x20<>"{}|^`\\\x7f-\x9f\xad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]'
)
JSON_MAX_DEPTH = 200


def _too_large(path: Path, size: int, limit: int) -> InputError:
    return InputError(
        path,
        f"file is {size / 2**20:.1f} MiB, over the input limit of {limit / 2**20:.0f} MiB",
        "raise the limit with --max-input-mb if the file is meant to be this large",
    )


def check_size(path: Path, limit: int | None) -> None:
    size = path.stat().st_size
    if limit is not None and size > limit:
        raise _too_large(path, size, limit)


def read_input(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the input file ``path``, never more than ``limit`` of them read.

    An unreadable file or one over the limit raises :class:`InputError` (exit 2) naming it.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}", "check the path") from None
    if len(data) > limit:
        raise _too_large(path, path.stat().st_size, limit)
    return data


def check_text(path: Path, text: str) -> None:
    """NUL bytes, bidirectional controls and NFD Hangul, by line."""
    for number, content in enumerate(text.splitlines(), start=1):
        if "\x00" in content:
            raise InputError(path, "NUL byte in the file", "save the file as UTF-8 text", number)
        if BIDI_CONTROLS.search(content):
            raise InputError(
                path,
                "bidirectional control character (U+202A–U+202E, U+2066–U+2069)",
                "remove it: it makes text read differently from what it is",
                number,
            )
        if has_decomposed_hangul(content):
            raise InputError(
                path,
                "decomposed (NFD) Hangul found",
                "normalise the file to NFC (e.g. python -c 'unicodedata.normalize(\"NFC\", …)')",
                number,
            )


def check_xml(path: Path, text: str) -> None:
    """RDF/XML without DTDs or entities: defusedxml refuses them before rdflib reads it."""
    try:
        SafeXML.fromstring(text.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException as err:
        line = next(
            (n for n, c in enumerate(text.splitlines(), 1) if "<!DOCTYPE" in c or "<!ENTITY" in c),
            None,
        )
        raise InputError(
            path,
            f"XML with a DTD or entities is refused ({type(err).__name__})",
            "remove the <!DOCTYPE …> declaration: legigraph expands no entities",
            line,
        ) from err
    except (SafeXML.ParseError, SAXParseException, ValueError) as err:
        position = getattr(err, "position", (None, None))
        raise InputError(path, f"not well-formed XML: {err}", "fix the XML", position[0]) from err


IRI_KEYS = ("@id", "@type", "@vocab", "@base")


def _context_iris(node: Any, depth: int = 0) -> Iterator[str]:
    """Every context a JSON-LD document names by IRI (string contexts and @import).

    An invalid IRI raises: JSON-LD processors drop such statements without a word.
    """
    if depth > JSON_MAX_DEPTH:
        raise RecursionError
    if isinstance(node, dict):
        for key, value in node.items():
            for iri in [key, *(value if isinstance(value, list) else [value])]:
                named = iri == key or key in IRI_KEYS
                if named and isinstance(iri, str) and ":" in iri and BAD_IRI.search(iri):
                    raise _BadIRI(iri)
            if key == "@context":
                for ctx in value if isinstance(value, list) else [value]:
                    if isinstance(ctx, str):
                        yield ctx
                    elif isinstance(ctx, dict) and isinstance(ctx.get("@import"), str):
                        yield ctx["@import"]
            yield from _context_iris(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from _context_iris(item, depth + 1)


class _BadIRI(Exception):
    def __init__(self, iri: str):
        self.iri = iri


def check_jsonld(path: Path, text: str) -> None:
    """JSON-LD whose contexts are all inline (a named one would be fetched), IRIs valid."""
    try:
        doc = json.loads(text)
        named = next(_context_iris(doc), None)
    except _BadIRI as err:
        shown = err.iri.encode("unicode_escape").decode("ascii")
        raise InputError(path, f"invalid IRI <{shown}>",
                         "percent-encode the character (a space is %20)",
                         _line(path, text, json.dumps(err.iri)[1:-1])) from err  # fmt: skip
    except json.JSONDecodeError as err:
        raise InputError(
            path, f"not valid JSON: {err.msg}", "fix the JSON syntax", err.lineno
        ) from err
    except RecursionError as err:
        raise InputError(
            path, f"JSON nested more than {JSON_MAX_DEPTH} levels deep", "flatten the document"
        ) from err
    if named is not None:
        line = next((n for n, c in enumerate(text.splitlines(), 1) if named in c), None)
        raise InputError(
            path,
            f"JSON-LD context names a remote document {named!r}, which would be fetched",
            "inline the context object in the file; legigraph does not fetch from the network",
            line,
        )


def _refuse_fetch(source: Any, *args: Any, **kwargs: Any) -> Any:
    raise InputError("(JSON-LD)", f"JSON-LD context {source!r} would have to be fetched",
                     "inline the context object in the file")  # fmt: skip


@contextmanager
def no_document_loading() -> Iterator[None]:
    """Rdflib's JSON-LD parser with a document loader that refuses every IRI.

    rdflib takes no loader argument; its context module's loader is swapped for the
    duration of one parse (the scan of :func:`check_jsonld` has already refused what it
    can see, with a line number; this catches whatever it could not).
    """
    original = jsonld_context.source_to_json  # type: ignore[attr-defined]
    jsonld_context.source_to_json = _refuse_fetch  # type: ignore[attr-defined]
    try:
        yield
    finally:
        jsonld_context.source_to_json = original  # type: ignore[attr-defined]


def _line(path: Path, text: str, needle: str) -> int | None:
    return next((n for n, c in enumerate(text.splitlines(), 1) if needle in c), None)


def check_terms(path: Path, text: str, graph: Graph) -> None:
    """Every IRI valid, every typed literal of its datatype."""
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and BAD_IRI.search(str(term)):
                shown = str(term).encode("unicode_escape").decode("ascii")
                bad = BAD_IRI.search(str(term))
                raise InputError(
                    path,
                    f"invalid IRI <{shown}>: {bad.group().encode('unicode_escape').decode()!r} "
                    "is not allowed in an IRI" if bad else f"invalid IRI <{shown}>",
                    "percent-encode the character (a space is %20)",
                    _line(path, text, str(term).split()[0] if str(term).split() else str(term)),
                )
            if isinstance(term, Literal) and is_ill_typed(term):
                raise InputError(
                    path,
                    f"ill-typed literal {term.n3()}: {str(term)!r} is not a valid "
                    f"{_local(term.datatype)}",
                    "write a value of the datatype (a real date, a number …) or change the type",
                    _line(path, text, str(term)),
                )


def _local(iri: Any) -> str:
    text = str(iri)
    return "xsd:" + text.rsplit("#", 1)[1] if "XMLSchema#" in text else f"<{text}>"
