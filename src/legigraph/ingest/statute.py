"""One statute of the corpus: its record, and its N-Triples written by a worker process.

``parse_statute`` runs in the worker processes of ``legigraph ingest statutes``: it reads one
file, writes the statute's triples as N-Triples text (``link.describe_record`` and
``model.provisions``, the one mapping of provisions) and gathers what the parent needs to
resolve the citations once every statute is known (the pending citations, the provision
paths, the decree's family, the delegating wordings, the 부칙 dates).
"""

from __future__ import annotations

import io
import multiprocessing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import Literal
from rdflib.namespace import DCTERMS

from legigraph.errors import InputError
from legigraph.link.aliases import names_former
from legigraph.link.citations import Citation
from legigraph.link.citing import citable_text
from legigraph.link.dates import addendum_dates
from legigraph.link.delegation import Wordings, wordings
from legigraph.link.linker import describe_record, law_page
from legigraph.link.relative import Family, family, referents
from legigraph.link.resolve import LawRecord
from legigraph.model import ids
from legigraph.model.provisions import provision_triples
from legigraph.model.records import LawText
from legigraph.model.triples import NTriplesSink, nt_line
from legigraph.model.worktypes import work_type_code
from legigraph.sources.corpus import Member
from legigraph.sources.ordinance import read_law_bytes, version_metadata


def ministries(meta: dict[str, Any]) -> list[str]:
    value = meta.get("소관부처") or []
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


def statute_record(law: LawText, name: str) -> LawRecord:
    """The record of a statute, from its own front matter."""
    meta = law.meta
    dates = version_metadata(law)
    law_id = str(meta.get("법령ID") or "").strip()
    serial = str(meta.get("법령MST") or "").strip()
    if not law_id.isdigit() or not serial.isdigit():
        raise InputError(law.source, "front matter 법령ID or 법령MST is missing or not a number",
                         "add 법령ID: 'NNNNNN' and 법령MST: NNNNNN", 1)  # fmt: skip
    return LawRecord(law_id=law_id, serial=serial, name=law.title,
                     kind=str(meta.get("법령구분") or "").strip(),
                     promulgated=dates["promulgated"],
                     promulgation_number=dates["promulgation_number"],
                     in_force=dates["in_force"], path=name,
                     ministry="; ".join(ministries(meta)))  # fmt: skip


def ordinance_record(law: LawText, name: str) -> LawRecord:
    """The record of an ordinance (조례), from its own front matter (자치법규ID …)."""
    meta = law.meta
    dates = version_metadata(law)
    kind = str(meta.get("자치법규종류") or "").strip()
    if kind != "조례":
        raise InputError(law.source, f"front matter 자치법규종류 is {kind!r}, not '조례'",
                         "only ordinances (조례) are read as lg:Ordinance", 1)  # fmt: skip
    local_id, serial = dates.get("local_law_id", ""), dates.get("serial", "")
    if not local_id.isdigit() or not serial.isdigit():
        raise InputError(law.source, "front matter 자치법규ID or 자치법규일련번호 is missing or "
                         "not a number", "add 자치법규ID: 'NNNNNNN' and 자치법규일련번호: "
                         "'NNNNNNN'", 1)  # fmt: skip
    return LawRecord(law_id=local_id, serial=serial, name=law.title, kind=kind,
                     promulgated=dates["promulgated"],
                     promulgation_number=dates["promulgation_number"],
                     in_force=dates["in_force"], path=name)  # fmt: skip


@dataclass
class Parsed:
    """What a worker made of one corpus file."""

    name: str
    nt: str = ""
    record: LawRecord | None = None
    paths: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    # (the citation, the citing IRI, its relation, the rule that said which law it means)
    pending: list[tuple[Citation, str, str, str]] = field(default_factory=list)
    references: Counter[tuple[str, str]] = field(default_factory=Counter)  # (relation, outcome)
    family: Family | None = None
    wordings: Wordings = field(default_factory=dict)  # linking.delegation
    error: tuple[str, str, str, int | None] | None = None  # InputError's fields
    addenda: dict[str, str] = field(default_factory=dict)  # 부칙 path → date (linking.dates)
    triples: int = 0
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (kind, "file:line: …")


def parse_statute(item: tuple[str, bytes], ordinance: bool = False) -> Parsed:
    """Read one statute (or, with ``ordinance``, one 조례) and write its N-Triples.

    Runs in a worker process.
    """
    name, blob = item
    try:
        law = read_law_bytes(Path(name), blob)
        record = ordinance_record(law, name) if ordinance else statute_record(law, name)
    except InputError as err:
        return Parsed(name, error=(str(err.path), err.problem, err.hint, err.line))
    buffer = io.StringIO()
    sink = NTriplesSink(buffer)
    describe_record(sink, record, law, {"*"}, Path("."), provisions=False)
    if ordinance:
        work = ids.ordinance(record.law_id)
        version = ids.ordinance_version(record.law_id, record.promulgated)
    else:
        work = ids.national_law(record.law_id)
        version = ids.law_version(record.law_id, record.promulgated)
    for ministry in ministries(law.meta):
        sink.add((work, DCTERMS.creator, Literal(ministry, lang="ko")))
    page = str(law_page(record))
    # each triple once, as in a graph: a provision can repeat a marker (<개정 …> at the end
    # of two of its lines), and the store's count must match the manifest's. Split on
    # "\n" only: N-Triples escape it, not U+2028 or U+0085, which splitlines() would cut at
    described = [line for line in buffer.getvalue().split("\n") if line]
    provisions = [nt_line(t) for t in provision_triples(law, work, version, page=page)]
    lines = list(dict.fromkeys(described + provisions))
    parsed = Parsed(name, "\n".join(lines) + "\n", record)
    parsed.triples = len(lines)
    parsed.addenda = addendum_dates(law)
    if work_type_code(record.kind) is None:
        line = front_matter_line(blob, "법령구분")
        parsed.warnings.append(("unknown-work-type", f"{name}:{line}: 법령구분 {record.kind!r} "
                                "has no concept in code/work-type: no eli:work_type"))  # fmt: skip
    parsed.warnings.extend((w.kind, f"{name}:{w.line}: {w.message}") for w in law.warnings)
    texts = []
    for prov in law.walk():
        parsed.paths.append(prov.path)
        parsed.kinds[prov.kind] += 1
        texts.append((prov.path, citable_text(prov)))  # the heading too: 제N조 (「…」 등의 준용)
    parsed.family = family(law, record.kind)
    parsed.wordings = {} if ordinance else wordings(law)
    own = set(parsed.paths)
    by_path = dict(texts)
    for path, cit, ref in referents(law, parsed.family, texts):
        if cit.draft:
            continue
        if ref is None:
            parsed.references[cit.relation, "no referent"] += 1
        elif ref.law is None and cit.annexed:  # 별표 1과 같다: the statute's own annex node
            parsed.pending.append((cit, ids.provision_iri(str(work), path), "self", ""))
        elif ref.law is None:  # within the statute: counted, not written (docs/linking.md)
            inside = not cit.addendum and own.issuperset(ref.paths)
            parsed.references[cit.relation, "internal" if inside else "internal, not found"] += 1
        elif cit.relation == "decree" and not cit.provisions and not cit.annexed:
            parsed.references[cit.relation, "delegation by description"] += 1
        else:
            former = cit.relation == "explicit" and names_former(by_path[path], cit.start, cit.end)
            named = replace(cit, law=ref.law, relation="explicit", provisions=ref.provisions,
                            former=former)  # fmt: skip
            sub = ids.provision_iri(str(work), path)
            parsed.pending.append((named, sub, cit.relation, ref.rule))
    return parsed


def front_matter_line(blob: bytes, key: str) -> int:
    """The line of ``key:`` in a file's front matter (1 when it is not there)."""
    prefix = f"{key}:".encode()
    for number, line in enumerate(blob.split(b"\n", 40)[:40], start=1):
        if line.startswith(prefix):
            return number
    return 1


def corpus_items(members: list[Member]) -> Iterator[tuple[str, bytes, str]]:
    for m in members:
        if m.problem:
            yield m.name, b"", m.problem
            continue
        try:
            yield m.name, m.read(), ""
        except InputError as err:  # the file changed since it was listed
            yield m.name, b"", err.problem


def parse_member(item: tuple[str, bytes, str], ordinance: bool = False) -> Parsed:
    name, blob, problem = item
    if problem:
        return Parsed(name, error=(name, problem, "", None))
    return parse_statute((name, blob), ordinance)


def parsed_members(
    members: list[Member], workers: int, ordinance: bool = False
) -> Iterator[Parsed]:
    """Every member parsed, in order: by ``workers`` processes, or here when it is 1."""
    items = corpus_items(members)
    parse = partial(parse_member, ordinance=ordinance)
    if workers <= 1:
        yield from map(parse, items)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(parse, items, chunksize=4)
