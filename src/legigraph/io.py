"""Safe input and output: parse RDF with errors that name the file and line, write atomically."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from rdflib import Graph

from legigraph.errors import InputError
from legigraph.inputs import (
    MAX_INPUT_BYTES,
    check_jsonld,
    check_size,
    check_terms,
    check_text,
    check_xml,
    no_document_loading,
)
from legigraph.model.literals import exact_literals
from legigraph.model.namespaces import bind_prefixes

FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".trig": "trig",
}

_LINE = re.compile(r"line[: ]+(\d+)", re.IGNORECASE)


def rdf_format(path: Path) -> str:
    """The rdflib parser name for ``path``, from its suffix."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            path,
            f"unknown RDF file type {path.suffix!r}",
            "use one of " + ", ".join(sorted(FORMATS)),
        )
    return fmt


def parse_rdf(
    path: Path, graph: Graph | None = None, *, max_bytes: int | None = MAX_INPUT_BYTES
) -> Graph:
    """Parse one RDF file into ``graph`` (a fresh graph by default).

    The file is checked before and after rdflib reads it (``legigraph.inputs``: size,
    encoding, no DTDs or entities, no remote JSON-LD contexts, valid IRIs, well-typed
    literals) and parsed into a scratch graph first, so a broken file adds nothing to
    ``graph``; literals keep their lexical forms as written (``legigraph.model.literals``).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file does not exist", "check the path")
    if not path.is_file():
        raise InputError(path, "not a regular file", "pass an RDF file, not a directory")
    fmt = rdf_format(path)
    check_size(path, max_bytes)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise InputError(path, "not valid UTF-8", "save the file as UTF-8", line) from err
    if not text.strip():
        raise InputError(path, "file is empty", "add RDF statements or remove the file")
    check_text(path, text)
    if fmt == "xml":
        check_xml(path, text)
    if fmt == "json-ld":
        check_jsonld(path, text)
    scratch = Graph()
    try:
        with exact_literals(), no_document_loading():
            if fmt == "json-ld":
                scratch.parse(data=text, format=fmt, base=path.resolve().as_uri())
            else:
                scratch.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except InputError:
        raise
    except Exception as err:  # rdflib raises many unrelated types for syntax errors
        message = " ".join(str(err).split())
        match = _LINE.search(message)
        raise InputError(
            path,
            f"cannot parse as {fmt}: {message[:300]}",
            f"fix the {fmt} syntax at the line shown",
            int(match.group(1)) if match else None,
        ) from err
    if len(scratch) == 0 and fmt in ("json-ld", "xml"):
        raise InputError(
            path,
            f"no RDF statements could be read from this {fmt} file",
            "check the file: the parser drops what it cannot read without a word",
        )
    check_terms(path, text, scratch)
    target = graph if graph is not None else bind_prefixes(Graph())
    for triple in scratch:
        target.add(triple)
    for prefix, ns in scratch.namespaces():
        if prefix and not any(p == prefix for p, _ in target.namespaces()):
            target.bind(prefix, ns)
    return target


def line_of(path: Path, needles: Iterable[str]) -> int | None:
    """The first line of ``path`` that contains one of ``needles`` (None if none does)."""
    wanted = [n for n in needles if n]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, start=1):
        if any(n in line for n in wanted):
            return number
    return None


@contextmanager
def atomic_write(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write ``path`` through a temporary file renamed into place only on success.

    The one atomic writer: ``"w"`` text (UTF-8, Unix line ends) or ``"wb"`` bytes; the
    temporary file sits in the same folder and is flushed to disk before the rename.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    text: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
    try:
        with os.fdopen(fd, mode, **text) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, body: bytes) -> None:
    """Write ``body`` to ``path`` atomically (:func:`atomic_write`)."""
    with atomic_write(path, "wb") as handle:
        handle.write(body)


STAGING_PREFIX = ".staging-"


def staging_dir(target: Path) -> Path:
    """A fresh folder beside ``target`` to build its replacement in.

    Leftovers of an earlier run that was killed (``.staging-{name}-*`` beside it) are
    removed first; git ignores them wherever they are (``.staging-*/`` in .gitignore).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f"{STAGING_PREFIX}{target.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{target.name}-", dir=target.parent))


def replace_directory(fresh: Path, target: Path) -> None:
    """Put the complete folder ``fresh`` in place of ``target`` (the old one goes last)."""
    old: Path | None = None
    if target.exists():
        old = target.with_name(f"{STAGING_PREFIX}{target.name}-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    fresh.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def sorted_ntriples(graph: Graph) -> str:
    """``graph`` as N-Triples, one triple a line, sorted, no duplicates.

    The one writer of the sorted form (build outputs, golden results); each caller puts
    the graph's literals in the form it needs first.
    """
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return "".join(f"{line}\n" for line in sorted(set(text.splitlines())) if line.strip())


def format_size(size: int) -> str:
    """``2 GiB``, ``512 MiB``: the largest binary unit that keeps a short number."""
    for unit, name in ((2**40, "TiB"), (2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
        if size >= unit:
            return f"{size / unit:.4g} {name}"
    return f"{size} B"


def csv_text(rows: Iterable[Iterable[Any]], delimiter: str = ",") -> str:
    """Rows as the project writes a table: Unix line ends, quotes only where needed.

    The one form of every committed table (``data/tables/*.csv``, ``data/linking/*.tsv``):
    tests/test_tables.py checks each file is in it, so a table edited by hand and a
    table written by a command differ only where their content does.
    """
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
