"""Saved queries and the engines that run them.

A saved query is a ``.rq`` file in ``queries/`` whose header lines start with ``#+ `` and
hold YAML metadata (the grlc convention): id, title (ko/en), description, the competency
questions it answers, and its parameters. Parameters are bound as RDF terms through
``VALUES`` clauses rendered from rdflib terms — never pasted into the query text: a
trailing one for the IRIs of a SELECT and, for literals that FILTERs compare (a trailing
clause is joined only after the WHERE clause, filters included, has been evaluated) and
for ASK and CONSTRUCT queries, one placed last in the WHERE group (see :func:`bind`). The
same text runs unchanged on every engine: rdflib in memory, the embedded pyoxigraph store,
or any SPARQL 1.1 endpoint. On the embedded engines every query runs in a worker process
held to a time limit, a memory limit and a row cap (:mod:`legigraph.query.limits`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rdflib.plugins.sparql
import yaml
from pyparsing import ParseException, ParseResults
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

from legigraph.errors import EXIT_INPUT, InputError, LegigraphError
from legigraph.model.namespaces import PREFIXES

# FROM / FROM NAMED must never make rdflib fetch a file or URL.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

DEFAULT_TIMEOUT = 30.0  # seconds
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_MEMORY = 2 * 2**30  # bytes a query may allocate on an embedded engine
PARAM_TYPES = ("iri", "string", "langString", "integer", "decimal", "date")
_HEADER = re.compile(r"^#\+ ?(.*)$")
_IRI = re.compile(r"(https?|urn|tel|mailto):.+", re.DOTALL)
# not allowed anywhere in an IRI (RFC 3987): controls, spaces and <>"{}|^`\ ; Unicode
# spaces too, which Oxigraph refuses with a traceback
_NOT_IN_IRI = re.compile(r"[\x00-\x20\x7f<>\"{}|^`\\\s]")
_CHAR_NAMES = {" ": "a space", "\n": "a newline", "\r": "a carriage return", "\t": "a tab"}


class QueryError(LegigraphError):
    """A query that cannot run: unknown id, bad parameter, syntax error, refused feature."""

    exit_code = EXIT_INPUT


class QueryTimeout(QueryError):
    """A query ran past its time limit."""


class QueryMemoryLimit(QueryError):
    """A query needed more memory than its limit."""


@dataclass(frozen=True)
class Param:
    """A declared parameter of a saved query."""

    name: str
    type: str
    default: str | None = None
    example: str | None = None
    description: str = ""

    def coerce(self, value: str) -> Node:
        """Turn a command-line value into an RDF term of the declared type."""
        return to_term(value, self.type, self.name)


def to_term(value: str, kind: str, name: str = "value") -> Node:
    """Check ``value`` against a parameter type and build the RDF term."""
    if kind == "iri":
        bad = _NOT_IN_IRI.search(value)
        if bad:
            char = bad.group()
            what = _CHAR_NAMES.get(char, repr(char))
            raise QueryError(
                f"parameter {name}: {value!r} is not an IRI: it holds {what} (U+{ord(char):04X})"
                f" at character {bad.start() + 1}; an IRI has no spaces, control characters"
                ' or any of <>"{}|^`\\ (percent-encode them, e.g. %20 for a space)'
            )
        if not _IRI.fullmatch(value):
            raise QueryError(f"parameter {name}: {value!r} is not an absolute IRI (e.g. https://…)")
        return URIRef(value)
    if kind == "string":
        return Literal(value)
    if kind == "langString":
        text, sep, lang = value.rpartition("@")
        if not sep or not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*", lang):
            raise QueryError(f"parameter {name}: {value!r} needs a language tag, e.g. 인공지능@ko")
        return Literal(text, lang=lang)
    if kind in ("integer", "decimal", "date"):
        datatype = {"integer": XSD.integer, "decimal": XSD.decimal, "date": XSD.date}[kind]
        checks = {"integer": r"[+-]?\d+", "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)"}
        ok = re.fullmatch(checks[kind], value) if kind in checks else _is_date(value)
        if not ok:
            raise QueryError(f"parameter {name}: {value!r} is not a valid {kind}")
        return Literal(value, datatype=datatype)
    raise QueryError(
        f"parameter {name}: unknown type {kind!r}; use one of {', '.join(PARAM_TYPES)}"
    )


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None


@dataclass(frozen=True)
class SavedQuery:
    """A query file with its metadata."""

    id: str
    path: Path
    text: str
    title: Mapping[str, str]
    description: str = ""
    answers: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    target: str = ""  # the graph the query is written for; "" the default build

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE."""
        return query_form(self.text)

    @property
    def ordered(self) -> bool:
        """True when the query fixes its row order (ORDER BY)."""
        return re.search(r"\bORDER\s+BY\b", strip_comments(self.text), re.IGNORECASE) is not None

    def bindings(
        self, given: Mapping[str, str] | None = None, *, example: bool = False
    ) -> dict[str, Node]:
        """Parameter values as RDF terms: given values, else example/default values."""
        given = dict(given or {})
        unknown = set(given) - {p.name for p in self.params}
        if unknown:
            names = ", ".join(p.name for p in self.params) or "none"
            raise QueryError(
                f"{self.id}: unknown parameter(s) {sorted(unknown)}; declared: {names}"
            )
        out: dict[str, Node] = {}
        for param in self.params:
            raw = given.get(param.name)
            if raw is None:
                raw = (param.example or param.default) if example else param.default
            if raw is not None:
                out[param.name] = param.coerce(str(raw))
        return out


def strip_comments(text: str) -> str:
    """Drop ``#`` comments outside IRIs and strings (good enough for form detection)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def query_form(text: str) -> str:
    """The query form of ``text``."""
    body = re.sub(r"(?im)^\s*(PREFIX|BASE)\s+[^\n]*$", "", strip_comments(text))
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE)
    return match.group(1).upper() if match else "SELECT"


def read_saved_query(path: Path) -> SavedQuery:
    """Read one ``.rq`` file and its ``#+`` header."""
    text = path.read_text(encoding="utf-8")
    header = [m.group(1) for line in text.splitlines() if (m := _HEADER.match(line))]
    try:
        meta: dict[str, Any] = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as err:
        raise InputError(path, f"broken #+ metadata: {err}", "fix the YAML after '#+ '") from err
    if not isinstance(meta, dict):
        raise InputError(path, "the #+ header is not a mapping", "write '#+ key: value' lines")
    qid = str(meta.get("id") or path.stem)
    if qid != path.stem:
        raise InputError(path, f"id {qid!r} does not match the file name", "rename one of them")
    title = meta.get("title") or {}
    if isinstance(title, str):
        title = {"en": title}
    params = []
    for raw in meta.get("params") or []:
        if raw.get("type") not in PARAM_TYPES:
            raise InputError(
                path,
                f"parameter {raw.get('name')!r} has type {raw.get('type')!r}",
                f"use one of {', '.join(PARAM_TYPES)}",
            )
        params.append(
            Param(
                str(raw["name"]),
                str(raw["type"]),
                None if raw.get("default") is None else str(raw["default"]),
                None if raw.get("example") is None else str(raw["example"]),
                str(raw.get("description", "")),
            )
        )
    return SavedQuery(
        id=qid,
        path=path,
        text=text,
        title={str(k): str(v) for k, v in title.items()},
        description=str(meta.get("description", "")).strip(),
        answers=tuple(str(a) for a in meta.get("answers") or ()),
        keywords=tuple(str(k) for k in meta.get("keywords") or ()),
        params=tuple(params),
        target=str(meta.get("target") or ""),
    )


def load_queries(directory: Path) -> dict[str, SavedQuery]:
    """Every saved query in ``directory``, by id."""
    return {q.id: q for q in (read_saved_query(p) for p in sorted(directory.glob("*.rq")))}


def find_query(queries: Mapping[str, SavedQuery], qid: str) -> SavedQuery:
    """Look a query up by id; an unknown id suggests close ones."""
    if qid in queries:
        return queries[qid]
    close = difflib.get_close_matches(qid, list(queries), n=3, cutoff=0.4)
    close += [q for q in queries if q.startswith(qid) and q not in close]
    hint = f"; did you mean {', '.join(close[:3])}?" if close else "; see `legigraph queries`"
    raise QueryError(f"no saved query {qid!r}{hint}")


# One token of SPARQL text: comments, strings and IRIs (skipped whole), words, variables and
# prefixed names, any other char (the tokeniser of every text-level query check)
SPARQL_TOKEN = re.compile(
    r"#[^\n]*"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|[?$]?[\w:.-]+"
    r"|\S"
)


_DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:")
_PNAME = re.compile(r"^([A-Za-z][\w.-]*)?:")


def with_prefixes(text: str) -> str:
    """``text`` with legigraph's prefixes declared where it uses them without a PREFIX.

    The declarations go in front of the first line, so error line numbers stay right. A
    prefix that is neither declared nor legigraph's is a :class:`QueryError` naming it.
    """
    declared = {m.group(1) or "" for m in _DECLARED.finditer(strip_comments(text))}
    used: dict[str, int] = {}
    for match in SPARQL_TOKEN.finditer(text):
        piece = match.group()
        if piece[0] in "?$#<\"'" or piece.startswith("_:"):
            continue
        name = _PNAME.match(piece)
        if name and (name.group(1) or "") not in used:
            used[name.group(1) or ""] = text.count("\n", 0, match.start()) + 1
    missing = [p for p in used if p not in declared]
    unknown = [p for p in missing if p not in PREFIXES]
    if unknown:
        known = ", ".join(f"{p}:" for p in PREFIXES)
        raise QueryError(
            f"undeclared prefix '{unknown[0]}:' at line {used[unknown[0]]}; add "
            f"'PREFIX {unknown[0]}: <…>' or use a predeclared one ({known})"
        )
    head = " ".join(f"PREFIX {p}: <{PREFIXES[p]}>" for p in missing)
    return f"{head} {text}" if head else text


def where_group_end(text: str) -> int | None:
    """Offset of the ``}`` that closes the query's WHERE group, or None if it has none."""
    braces = parens = 0
    where = query_form(text) in ("SELECT", "ASK")  # their first top-level group is WHERE
    inside = False
    for match in SPARQL_TOKEN.finditer(text):
        piece = match.group()
        if piece in ("(", ")"):
            parens += 1 if piece == "(" else -1
        elif piece == "{":
            inside = inside or (braces == 0 and parens == 0 and where)
            braces += 1
        elif piece == "}":
            braces -= 1
            if inside and braces == 0:
                return match.start()
        elif braces == 0 and parens == 0 and piece.upper() == "WHERE":
            where = True
    return None


def _values(bindings: Mapping[str, Node]) -> str:
    names = sorted(bindings)
    row = " ".join(bindings[n].n3() for n in names)
    variables = " ".join(Variable(n).n3() for n in names)
    return f"VALUES ({variables}) {{ ({row}) }}"


_SLOT = re.compile(r"VALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}", re.IGNORECASE)


def bind(text: str, bindings: Mapping[str, Node]) -> str:
    """Bind ``bindings`` with ``VALUES`` clauses; the terms are serialised by rdflib.

    In a SELECT, IRIs are joined by a trailing ``VALUES`` clause (after any aggregation,
    so a parameter may be a GROUP BY key). Literals (dates, numbers, text), which FILTERs
    compare and a FILTER never sees in a trailing clause, and all the values of an ASK,
    CONSTRUCT or DESCRIBE query (which some stores refuse a trailing clause) go into a
    ``VALUES`` clause placed last in the WHERE group; a query without one gets them all in
    the trailing clause.

    A query may place a parameter itself with a slot, ``VALUES ?name { UNDEF }``, in the
    group where the planner should start from it (a subquery, or the group whose FILTER
    compares it): the slot is replaced by the bound clause. Unbound slots stay UNDEF.
    """
    if not bindings:
        return text
    slotted = {m.group(1) for m in _SLOT.finditer(text)} & set(bindings)
    if slotted:
        text = _SLOT.sub(
            lambda m: (
                _values({m.group(1): bindings[m.group(1)]}) if m.group(1) in slotted else m.group()
            ),
            text,
        )
        bindings = {n: t for n, t in bindings.items() if n not in slotted}
        if not bindings:
            return text
    select = query_form(text) == "SELECT"
    inline = {n: t for n, t in bindings.items() if isinstance(t, Literal) or not select}
    end = where_group_end(text) if inline else None
    if end is not None:
        text = f"{text[:end].rstrip()}\n  {_values(inline)}\n{text[end:]}"
        bindings = {n: t for n, t in bindings.items() if n not in inline}
    if not bindings:
        return text
    return f"{text.rstrip()}\n{_values(bindings)}\n"


# --- safety ----------------------------------------------------------------------------------


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple | ParseResults):
        for value in node:
            yield from _walk(value)


def check_query(text: str, *, allow_service: bool = False, allow_dataset: bool = False) -> str:
    """Parse ``text`` and refuse what untrusted queries may not do; return the form.

    Refused: updates (INSERT, DELETE, LOAD, CLEAR …), SERVICE, and FROM / FROM NAMED
    (which would make rdflib load files or URLs), unless explicitly allowed.
    """
    try:
        parsed = parseQuery(text)
    except ParseException as err:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryError(
                f"syntax error at line {err.lineno}, column {err.col}: {err.msg}"
            ) from err
        raise QueryError("updates are not allowed: legigraph only runs queries") from err
    for node in _walk(parsed):
        name = getattr(node, "name", "")
        if name == "ServiceGraphPattern" and not allow_service:
            raise QueryError(
                "SERVICE is not allowed (it would send the query elsewhere); "
                "pass --allow-service to permit it"
            )
        if name in ("DatasetClause",) and not allow_dataset:
            raise QueryError(
                "FROM / FROM NAMED is not allowed (it would load a file or URL); "
                "pass --allow-dataset to permit it"
            )
    return query_form(text)


# --- results ---------------------------------------------------------------------------------


@dataclass
class Result:
    """A query result in one engine-neutral form."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False
    elapsed: float = 0.0

    def to_dicts(self) -> list[dict[str, Any]]:
        """Rows as plain Python values (literals converted), e.g. for ``pandas.DataFrame``."""
        return [{v: _plain(row.get(v)) for v in self.variables} for row in self.rows]


def _plain(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.toPython()
    return str(term)


_SERVICE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?<([^<>\s]*)>", re.IGNORECASE)


def services(text: str) -> list[str]:
    """The SERVICE IRIs a query text calls."""
    return list(dict.fromkeys(_SERVICE.findall(text)))


@dataclass(frozen=True)
class Limits:
    """The limits of one query: seconds, bytes of memory, rows."""

    timeout: float = DEFAULT_TIMEOUT
    max_memory: int = DEFAULT_MAX_MEMORY
    max_rows: int = DEFAULT_MAX_ROWS

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise QueryError(f"--timeout must be a positive number of seconds, not {self.timeout}")
        if self.max_memory < 2**20:
            raise QueryError(f"--max-memory must be at least 1M, not {self.max_memory} bytes")
        if self.max_rows < 0:
            raise QueryError(f"--max-rows must be 0 or more, not {self.max_rows}")
