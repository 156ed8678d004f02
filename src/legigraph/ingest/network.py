"""The national citation network: every statute's citations resolved once all are read.

``build_network`` drives the parse (``ingest.statute`` in worker processes), writes each
statute's N-Triples in corpus order, then resolves the pending citations against the name
index and the provision paths of the statutes read (``link``), and writes the ``eli:cites``
edges with their materialised views (``lg:citedByCount``, ``lg:citesLaw``,
``lg:citingLawCount``), the delegations, the decrees' ``eli:based_on`` and the former names
of the laws read (``link.formernames``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import IO, Any

from rdflib import URIRef
from rdflib.namespace import XSD

from legigraph.errors import InputError
from legigraph.ingest.statute import Parsed, parsed_members
from legigraph.link.citations import Citation
from legigraph.link.citing import citing_date
from legigraph.link.delegation import (
    Wordings,
    based_on,
    by_relation,
    delegation_lines,
    delegation_wording,
)
from legigraph.link.evidence import resolution_lines
from legigraph.link.formernames import ingest_lines
from legigraph.link.linker import NationalTexts, resolve_one
from legigraph.link.relative import Family
from legigraph.link.resolve import LawIndex, LawRecord
from legigraph.model import ids
from legigraph.model.namespaces import ELI, LG
from legigraph.model.provisions import annex_triples
from legigraph.model.triples import nt_line
from legigraph.progress import progress_bar
from legigraph.sources.corpus import Member


class OnError(StrEnum):
    """What a statute file that cannot be read does to an ingest."""

    SKIP = "skip"  # it is left out and listed, with its reason, in the manifest
    STOP = "stop"  # the ingest stops with its error (exit 2), the old store kept


class CorpusTexts(NationalTexts):
    """The provision paths of the statutes read so far, by 법령ID."""

    def __init__(self, known: dict[str, frozenset[str]]):
        super().__init__({})
        self.known = known

    def paths(self, record: LawRecord) -> frozenset[str] | None:
        return self.known.get(record.law_id)


def build_network(
    members: list[Member], index: LawIndex, out: IO[str], on_error: OnError,
    timings: dict[str, float], quiet: bool, workers: int,
) -> tuple[dict[str, Any], list[str], list[str], int]:  # fmt: skip
    """Parse and write every statute, then resolve and write the citations.

    Returns the counts, the skipped files, the warnings (each ``file:line: message``: what
    the reader kept but could not structure as written, kinds without a work type) and the
    number of triples written.
    """
    clock = time.perf_counter()
    skipped: list[str] = []
    warnings: list[tuple[str, str]] = []
    kinds: Counter[str] = Counter()
    known: dict[str, frozenset[str]] = {}
    pending: list[tuple[Citation, str, str, str, str, str]] = []
    references: Counter[tuple[str, str]] = Counter()
    families: dict[str, tuple[Family, str]] = {}  # 법령ID → family, date
    delegating: dict[str, Wordings] = {}
    works = triples = 0
    with progress_bar("ingest: parse", quiet=quiet, unit="file") as advance:
        for done, parsed in enumerate(parsed_members(members, workers), start=1):
            advance(done, len(members))
            if take(parsed, on_error, known, skipped):
                continue
            record = parsed.record
            assert record is not None
            out.write(parsed.nt)
            warnings.extend(parsed.warnings)
            triples += parsed.triples
            works += 1
            kinds.update(parsed.kinds)
            known[record.law_id] = frozenset(parsed.paths)
            date = record.in_force
            references.update(parsed.references)
            if parsed.family is not None:
                families[record.law_id] = (parsed.family, date)
            if parsed.wordings:
                delegating[record.law_id] = parsed.wordings
            pending.extend(
                (c, sub, rel, citing_date(sub.partition(f"/law/{record.law_id}/")[2],
                                          parsed.addenda, date), parsed.name, rule)
                for c, sub, rel, rule in parsed.pending
            )  # fmt: skip
    timings["parse_build"] = time.perf_counter() - clock

    clock = time.perf_counter()
    texts = CorpusTexts(known)
    status: Counter[str] = Counter()
    edges: set[tuple[str, str]] = set()
    delegations: dict[tuple[str, str], str] = {}
    explained: set[tuple[str, int]] = set()
    evidence = 0  # triples of the resolutions (linking.evidence)
    annexes: set[str] = set()  # the annex and form nodes cited (each written once)
    kinds_of = {law_id: fam.kind for law_id, (fam, _) in families.items()}
    with progress_bar("ingest: link", quiet=quiet, unit="citation") as advance:
        for done, (cit, sub, rel, date, where, rule) in enumerate(pending, start=1):
            row, law = resolve_one(cit, None, index, texts, date, where, URIRef(sub), rule)
            status[row.status] += 1
            references[rel, row.status] += 1
            if row.status == "resolved" and law is not None:
                ev = row.evidence  # why it points there: lg:CitationResolution
                if ev is not None and (ev.citing, ev.start) not in explained:
                    explained.add((ev.citing, ev.start))
                    why = resolution_lines(ev)
                    out.write("".join(line + "\n" for line in why))
                    evidence += len(why)
                citing_law = sub.partition("/law/")[2].partition("/")[0]
                for cited in row.targets:
                    edges.add((sub, cited))
                    if ids.annex_of(cited) is not None:
                        annexes.add(cited)
                        continue
                    target = cited.partition(f"/law/{law.law_id}")[2].lstrip("/")
                    words = delegation_wording(kinds_of.get(citing_law, ""), law.kind, target,
                                               delegating.get(law.law_id, {}))  # fmt: skip
                    if words is not None:
                        delegations.setdefault((sub, cited), words)
            if done % 1000 == 0 or done == len(pending):
                advance(done, len(pending))
    cites = f"<{ELI.cites}>"
    for citing, cited in sorted(edges):
        out.write(f"<{citing}> {cites} <{cited}> .\n")
    triples += len(edges) + write_counts(edges, out)
    triples += evidence
    lines = [line for (a, b), words in sorted(delegations.items())
             for line in delegation_lines(a, b, words)]  # fmt: skip
    lines += [nt_line(t) for node in sorted(annexes) for t in annex_triples(node)]
    bases = based_on(families.values(), index)
    lines += [f"<{a}> <{ELI.based_on}> <{b}> ." for a, b in sorted(bases)]
    out.write("".join(line + "\n" for line in lines))
    triples += len(lines)
    # the alias table, in the national graph: mined from the same corpus, replaced with it
    former, former_rows = ingest_lines(index, set(known))
    out.write("".join(line + "\n" for line in former))
    triples += len(former)
    timings["link"] = time.perf_counter() - clock
    counts = {
        "works": works,
        "provisions": sum(kinds.values()),
        "provisions_by_kind": dict(sorted(kinds.items())),
        "citations_found": len(pending),
        "citations_by_status": dict(sorted(status.items())),
        "citations_resolved": status["resolved"],
        "cites_edges": len(edges),
        "references_by_relation": by_relation(references),
        "delegations": len(delegations),
        **annex_counts(annexes, edges),
        "resolution_triples": evidence,
        "based_on_laws": len(bases),
        "former_names": former_rows,
        "former_name_triples": len(former),
        "warnings": len(warnings),
        "warnings_by_kind": dict(sorted(Counter(kind for kind, _ in warnings).items())),
    }
    return counts, skipped, [text for _, text in warnings], triples


def annex_counts(annexes: set[str], edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """How many annex and form nodes were cited, and by how many eli:cites."""
    kinds = Counter(parts[1] for node in annexes if (parts := ids.annex_of(node)))
    cites = Counter(parts[1] for _, node in edges if (parts := ids.annex_of(node)))
    return {"annex_nodes": kinds["annex"], "annex_cites": cites["annex"],
            "form_nodes": kinds["form"], "form_cites": cites["form"]}  # fmt: skip


def take(parsed: Parsed, on_error: OnError, known: dict[str, frozenset[str]],
          skipped: list[str]) -> bool:  # fmt: skip
    """Whether ``parsed`` is skipped (and listed in ``skipped``); raise with ``stop``."""
    error = parsed.error
    if parsed.record is not None and parsed.record.law_id in known:
        error = (parsed.name, f"법령ID {parsed.record.law_id} also in an earlier file",
                 "keep one file per law", 1)  # fmt: skip
    if error is None:
        return False
    if on_error is OnError.STOP:
        raise InputError(*error)
    where = f"{error[0]}:{error[3]}" if error[3] else error[0]
    skipped.append(f"{where}: {' '.join(error[1].split())}")
    return True


def law_citations(edges: Iterable[tuple[str, str]]) -> tuple[Counter[str], set[tuple[str, str]]]:
    """Materialised views of the edges: citing provisions per cited node, and law-level edges.

    A law cites another when one of its provisions cites the other or one of its parts.
    """
    cited_by: Counter[str] = Counter()
    laws: set[tuple[str, str]] = set()
    for citing, cited in edges:
        cited_by[cited] += 1
        by, law = ids.national_law_of(citing), ids.national_law_of(cited)
        if law is not None and by is not None and by != law:
            laws.add((by, law))
    return cited_by, laws


def write_counts(edges: set[tuple[str, str]], out: IO[str]) -> int:
    """Write lg:citedByCount, lg:citesLaw and lg:citingLawCount; how many triples."""
    cited_by, laws = law_citations(edges)
    citing_laws = Counter(law for _, law in laws)
    integer = f"^^<{XSD.integer}> ."
    for prop, counts in ((LG.citedByCount, cited_by), (LG.citingLawCount, citing_laws)):
        for node, n in sorted(counts.items()):
            out.write(f'<{node}> <{prop}> "{n}"{integer}\n')
    for by, law in sorted(laws):
        out.write(f"<{by}> <{LG.citesLaw}> <{law}> .\n")
    return len(cited_by) + len(citing_laws) + len(laws)
