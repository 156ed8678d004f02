"""Mint every legigraph IRI, in one place, from official identifiers.

The patterns are documented in ``docs/model.md``. Nothing else in the package builds IRIs
by hand: a new kind of resource gets a function here first. All IRIs are ASCII; Korean
text lives in labels.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from rdflib import URIRef

from legigraph.errors import EXIT_INPUT, LegigraphError
from legigraph.model.namespaces import BASE
from legigraph.model.text import nfc

SEOUL = "kr-11"  # ISO 3166-2:KR-11, 서울특별시
KOREA = "kr"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# One step of a provision path: art_4-2 (제4조의2), para_3, item_7, subitem_2, addendum_8756
# (-2 for a second addendum of the same 공포번호), preamble (전문) or body (본문, the text of
# a law without articles). "~2" marks the second occurrence of a number that the source
# repeats in one place (two paragraphs ④ in one article), so that each stays addressable.
_PATH_STEP = re.compile(
    r"^(?:art|para|item|subitem)_[0-9]+(?:-[0-9]+)?(?:~[0-9]+)?$"
    r"|^addendum_[0-9]+(?:-[0-9]+)?$|^preamble$|^body$"
)
_DIGITS = re.compile(r"^[0-9]+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

# 가 나 다 … the order of 목 (sub-items) in Korean legislation.
SUBITEM_LETTERS = "가나다라마바사아자차카타파하"
_CITE_STEP = re.compile(r"제\s*([0-9]+)\s*(조|항|호)(?:\s*의\s*([0-9]+))?|([가-하])\s*목")
_STEP_KIND = {"조": "art", "항": "para", "호": "item"}


class IdError(LegigraphError, ValueError):
    """An identifier that cannot be turned into a legigraph IRI (exit 2)."""

    exit_code = EXIT_INPUT


def _iri(path: str) -> URIRef:
    if not path.isascii():
        raise IdError(f"IRI path {path!r} is not ASCII")
    return URIRef(BASE + path)


def slug(value: str, what: str = "slug") -> str:
    """Check that ``value`` is a lowercase ASCII slug (``digital-policy-office``)."""
    if not _SLUG.match(value):
        raise IdError(
            f"{what} {value!r} is not a lowercase ASCII slug: use a-z, 0-9 and single hyphens"
        )
    return value


def digits(value: str | int, what: str) -> str:
    """Check that ``value`` is an official numeric identifier and return it as text."""
    text = str(value)
    if not _DIGITS.match(text):
        raise IdError(f"{what} {value!r} must be digits only")
    return text


def date(value: str) -> str:
    """Check an ISO date (``2024-03-26``) used in an IRI."""
    if not _DATE.match(value):
        raise IdError(f"date {value!r} must be YYYY-MM-DD")
    return value


def iso_date(value: str) -> str:
    """``YYYYMMDD`` (as law.go.kr and legalize-kr write dates) as ``YYYY-MM-DD``.

    Other text is returned stripped and otherwise as it is (callers check it).
    """
    text = value.strip()
    return f"{text[:4]}-{text[4:6]}-{text[6:]}" if re.fullmatch(r"[0-9]{8}", text) else text


def provision_path(path: str) -> str:
    """Check a provision path such as ``art_7/item_4``."""
    steps = path.split("/")
    if not path or not all(_PATH_STEP.match(step) for step in steps):
        raise IdError(
            f"provision path {path!r} is not of the form art_N[/para_N][/item_N][/subitem_N],"
            " addendum_N[/art_N], preamble or body"
        )
    return path


def path_from_citation(label: str) -> str:
    """Turn a Korean provision label into a path: ``제7조제4호`` → ``art_7/item_4``.

    ``제4조의2`` becomes ``art_4-2``; ``가목`` becomes ``subitem_1``.
    """
    steps: list[str] = []
    pos = 0
    text = label.replace(" ", "")
    for match in _CITE_STEP.finditer(text):
        if match.start() != pos:
            break
        pos = match.end()
        if match.group(4):
            steps.append(f"subitem_{SUBITEM_LETTERS.index(match.group(4)) + 1}")
            continue
        step = f"{_STEP_KIND[match.group(2)]}_{match.group(1)}"
        if match.group(3):
            step += f"-{match.group(3)}"
        steps.append(step)
    if not steps or pos != len(text):
        raise IdError(f"cannot read provision label {label!r} (expected e.g. 제7조제4호)")
    return provision_path("/".join(steps))


# --- legislation (ELI) ---------------------------------------------------------------


def ordinance(local_law_id: str | int, jurisdiction: str = SEOUL) -> URIRef:
    """Ordinance work from its 자치법규ID."""
    return _iri(f"eli/{jurisdiction}/ordin/{digits(local_law_id, '자치법규ID')}")


def ordinance_version(local_law_id: str | int, promulgated: str) -> URIRef:
    """Consolidated version of an ordinance, by its 공포일자."""
    return URIRef(f"{ordinance(local_law_id)}/{date(promulgated)}")


def provision(work: URIRef, path: str) -> URIRef:
    """Subdivision of a work or of a version (``…/art_7/item_4``)."""
    return URIRef(provision_iri(work, path))


_PROVISION_ID = re.compile(r"^(kr-[0-9]{2}/ordin|kr/law)/([0-9]+)/(.+)$")


def provision_by_id(value: str) -> URIRef:
    """A work-level provision from its id, the IRI path after ``eli/``.

    ``kr-11/ordin/2229686/art_7/item_4`` (an ordinance's, by 자치법규ID) or
    ``kr/law/014217/art_2/item_2`` (a national law's, by 법령ID): how a table names a
    provision it links to (the legal basis of a project).
    """
    match = _PROVISION_ID.match(value.strip())
    if not match:
        raise IdError(
            f"provision id {value!r} is not of the form kr-11/ordin/{{자치법규ID}}/{{path}} or "
            "kr/law/{법령ID}/{path} (e.g. kr-11/ordin/2229686/art_7/item_4)"
        )
    return _iri(f"eli/{match.group(1)}/{match.group(2)}/{provision_path(match.group(3))}")


def provision_iri(work: str, path: str) -> str:
    """The IRI of :func:`provision` as a plain string (the ingest's fast writer)."""
    return f"{work}/{provision_path(path)}"


# An annex (별표) or a form (별지 서식) of a work, by its official number: annex_1 (별표 1),
# annex_1-2 (별표 1의2), form_3 (별지 제3호서식), form_3-2 (별지 제3호의2서식): 의 as "-", the
# rule of provision paths (art_6-2); annex or form alone for a law's one unnumbered 별표 or
# 별지 서식 (the paths of amendments.model).
ANNEX_KINDS = ("annex", "form")
_ANNEX_NUMBER = re.compile(r"^(?:([0-9]{1,6})(?:의([0-9]{1,6}))?)?$")
_ANNEX_IRI = re.compile(
    rf"^({re.escape(BASE)}eli/(?:kr-[0-9]{{2}}/ordin|kr/law)/[0-9]+)/(annex|form)"
    r"(?:_([0-9]+)(?:-([0-9]+))?)?$"
)


def annex_iri(work: str, kind: str, number: str) -> str:
    """An annex or form of a law or ordinance work, as a plain string (the ingest's writer).

    ``number`` as the law writes it: "1", "1의2", "" (the one unnumbered 별표 or 서식).
    """
    match = _ANNEX_NUMBER.match(number)
    if kind not in ANNEX_KINDS or match is None:
        raise IdError(f"{kind} number {number!r} is not N or N의M (별표 1의2, 별지 제3호의2서식)")
    if record_id_of(work) is None or work.count("/") != BASE.count("/") + 3:
        raise IdError(f"an {kind} belongs to a law or ordinance work, not {work!r}")
    main, branch = match.groups()
    return f"{work}/{kind}" + (f"_{main}" if main else "") + (f"-{branch}" if branch else "")


def annex(work: URIRef, kind: str, number: str) -> URIRef:
    """:func:`annex_iri` as an IRI: ``eli/kr/law/014217/annex_1-2``, ``…/form_3``."""
    return URIRef(annex_iri(str(work), kind, number))


def annex_of(iri: str) -> tuple[str, str, str] | None:
    """The work, kind and number ("1의2", "") of an annex or form IRI; None for others."""
    match = _ANNEX_IRI.match(iri)
    if match is None:
        return None
    work, kind, main, branch = match.groups()
    return work, kind, (main or "") + (f"의{branch}" if branch else "")


def amending_act(promulgation_number: str | int, jurisdiction: str = SEOUL) -> URIRef:
    """Amending ordinance, by its 공포번호."""
    return _iri(f"eli/{jurisdiction}/ordin-amend/{digits(promulgation_number, '공포번호')}")


def amendment(act: URIRef, n: int) -> URIRef:
    """The ``n``-th textual amendment made by an amending act."""
    return URIRef(f"{act}/amendment/{n}")


def national_law(law_id: str) -> URIRef:
    """National statute work, by its 법령ID (keeps leading zeros: ``014217``)."""
    return _iri(f"eli/{KOREA}/law/{digits(law_id, '법령ID')}")


_LAW_PREFIX = f"{BASE}eli/{KOREA}/law/"


def national_law_of(iri: str) -> str | None:
    """The national law work an IRI of :func:`national_law` or :func:`provision` belongs to."""
    if not iri.startswith(_LAW_PREFIX):
        return None
    law_id = iri[len(_LAW_PREFIX) :].partition("/")[0]
    return _LAW_PREFIX + law_id if _DIGITS.match(law_id) else None


_RECORD_ID = re.compile(rf"^{re.escape(BASE)}eli/kr(?:-[0-9]+)?/(?:law|ordin)/([0-9]+)(?:/|$)")


def record_id_of(iri: str) -> str | None:
    """The 법령ID or 자치법규ID in an IRI of a law or ordinance.

    Also of one of its versions or provisions; None for any other IRI.
    """
    match = _RECORD_ID.match(iri)
    return match.group(1) if match else None


def delegation_iri(delegated: str, delegating: str) -> str:
    """A delegation, under the provision that carries it out, named by the delegating one.

    ``…/law/011507/art_2/delegation/011506/art_11/para_2``: 011507's 제2조 settles what
    011506's 제11조제2항 delegates (a plain string, for the ingest's fast writer).
    """
    law = national_law_of(delegating)
    if law is None or national_law_of(delegated) is None:
        raise IdError(f"a delegation joins two national provisions, not {delegated!r} and "
                      f"{delegating!r}")  # fmt: skip
    rest = delegating[len(law) :]
    return f"{delegated}/delegation/{law[len(_LAW_PREFIX) :]}{rest}"


def citation_resolution_iri(citing: str, start: int, on: str | None = None) -> str:
    """The resolution of the citation at offset ``start`` of a provision's text.

    Under the citing provision, as a plain string (for the ingest's fast writer):
    ``…/law/001584/art_104-31/para_1/resolution/7``; ``on``: the citing version's date, where
    one provision is read in several versions (``…/art_2/item_2/resolution/2023-05-22/12``).
    """
    if start < 0:
        raise IdError(f"a citation starts at an offset ≥ 0, not {start}")
    when = f"{date(on)}/" if on else ""
    return f"{citing}/resolution/{when}{start}"


def law_version(law_id: str, promulgated: str) -> URIRef:
    """Version of a national law, by its 공포일자."""
    return URIRef(f"{national_law(law_id)}/{date(promulgated)}")


def national_amending_act(law_id: str, promulgation_number: str | int) -> URIRef:
    """The promulgation of a national law as the act that amends others (타법개정).

    ``eli/kr/law-amend/{법령ID}/{공포번호}``: the law whose 부칙 hold the clauses, and the
    number it was promulgated under (numbers repeat across kinds of law, so the law is
    part of the IRI).
    """
    law = digits(law_id, "법령ID")
    return _iri(f"eli/{KOREA}/law-amend/{law}/{digits(promulgation_number, '공포번호')}")


def change_event(version: URIRef, n: int) -> URIRef:
    """The ``n``-th change a version made to the one before it (``…/2025-12-30/change/3``)."""
    if not isinstance(n, int) or n < 1:
        raise IdError(f"change number {n!r} must be a whole number from 1")
    return URIRef(f"{version}/change/{n}")


# --- former names of national laws (the alias table, link.aliases) ------------------


def in_addendum(iri: str) -> bool:
    """Whether a provision IRI of :func:`provision` lies in a 부칙 (a step ``addendum_N``)."""
    return "/addendum_" in iri


def name_key(name: str) -> str:
    """A stable ASCII key of a Korean name: the first 16 hex digits of SHA-256 of its NFC.

    Callers pass the name's comparison key (``link.resolve.normalise_name``: NFC, no spaces
    or brackets), so that spellings the resolver treats as one name get one key.
    """
    if not name.strip():
        raise IdError("a name key needs a name")
    return hashlib.sha256(nfc(name).encode("utf-8")).hexdigest()[:16]


def former_name(law_id: str, name: str, kind: str) -> URIRef:
    """A row of the alias table: a name ``law_id`` was cited by, and one kind of evidence.

    ``id/kr/former-name/{법령ID}/{name_key(name)}-{kind}``, e.g.
    ``id/kr/former-name/000992/07d3a9f5e0bdf848-deemed`` (「경찰법」, now 000992).
    """
    law = digits(law_id, "법령ID")
    return _iri(f"id/{KOREA}/former-name/{law}/{name_key(name)}-{slug(kind, 'kind')}")


def alias_mining(table_sha256: str) -> URIRef:
    """The mining that wrote an alias table, by the table's SHA-256 (its first 16 digits)."""
    if not re.fullmatch(r"[0-9a-f]{64}", table_sha256):
        raise IdError(f"{table_sha256!r} is not a SHA-256 digest (64 lower-case hex digits)")
    return _iri(f"id/activity/alias-mining-{table_sha256[:16]}")


# --- draft legislation (ELI-DL) ------------------------------------------------------


def bill(year: int, number: int, jurisdiction: str = SEOUL) -> URIRef:
    """Council bill, by year of proposal and bill number (의안번호)."""
    return _iri(f"eli/dl/{jurisdiction}/bill/{year}/{digits(number, '의안번호')}")


def bill_amendment(bill_iri: URIRef, n: int) -> URIRef:
    """The ``n``-th amendment a bill (or a draft bill) proposes: ``{bill}/amendment/{n}``."""
    if not isinstance(n, int) or n < 1:
        raise IdError(f"amendment number {n!r} must be a whole number ≥ 1")
    return URIRef(f"{bill_iri}/amendment/{n}")


def process(year: int, number: int, jurisdiction: str = SEOUL) -> URIRef:
    """Legislative process of a bill."""
    return _iri(f"eli/dl/{jurisdiction}/proc/{year}/{digits(number, '의안번호')}")


def activity(year: int, number: int, name: str, jurisdiction: str = SEOUL) -> URIRef:
    """One activity of a bill's process (``proposal``, ``referral``, ``review``)."""
    return _iri(f"eli/dl/{jurisdiction}/event/{year}-{digits(number, '의안번호')}-{slug(name)}")


def participation(year: int, number: int, role: str, n: int, jurisdiction: str = SEOUL) -> URIRef:
    """The ``n``-th participation of a role in a bill's process."""
    return _iri(
        f"eli/dl/{jurisdiction}/participation/{year}-{digits(number, '의안번호')}-{slug(role)}-{n}"
    )


# --- documents, agents, projects -----------------------------------------------------


def review_report(year: int, number: int, jurisdiction: str = SEOUL) -> URIRef:
    """Committee review report (검토보고서) on a bill."""
    return _iri(f"doc/{jurisdiction}/review-report/{year}-{digits(number, '의안번호')}")


def report_part(report: URIRef, kind: str, name: str) -> URIRef:
    """A part of a report: ``opinion/art_3``, ``result/videos-monitored``, ``policy/…``."""
    part = provision_path(name) if kind == "opinion" else slug(name)
    return URIRef(f"{report}/{slug(kind)}/{part}")


def person(name: str) -> URIRef:
    """A person, by curated slug."""
    return _iri(f"id/person/{slug(name, 'person slug')}")


def organisation(name: str) -> URIRef:
    """An organisation or unit, by curated slug."""
    return _iri(f"id/org/{slug(name, 'organisation slug')}")


def ai_project(year: int, serial: int, jurisdiction: str = SEOUL) -> URIRef:
    """An AI project record, by year of the register and its 연번."""
    if not isinstance(serial, int) or not 1 <= serial <= 99:
        raise IdError(f"AI project serial {serial!r} must be a whole number 1..99")
    return _iri(f"id/{jurisdiction}/ai-project/{year}/{serial:02d}")


def quantity(project: URIRef, name: str) -> URIRef:
    """A quantity stated for a project."""
    return URIRef(f"{project}/quantity/{slug(name)}")


def technique_mention(project: URIRef, n: int) -> URIRef:
    """The ``n``-th technique that the report names, in its own words, for a project."""
    if not isinstance(n, int) or n < 1:
        raise IdError(f"technique mention number {n!r} must be a whole number ≥ 1")
    return URIRef(f"{project}/technique-mention/{n}")


def technique_classification(project: URIRef, code: str) -> URIRef:
    """A curator's classification of a project under a technique the report does not name."""
    return URIRef(f"{project}/technique-classification/{slug(code, 'code')}")


def agent(name: str) -> URIRef:
    """A curator or other agent that is neither a person of the seed nor an organisation."""
    return _iri(f"id/agent/{slug(name, 'agent slug')}")


def concept_scheme(scheme: str) -> URIRef:
    """A SKOS concept scheme (code list)."""
    return _iri(f"code/{slug(scheme, 'scheme')}")


def concept(scheme: str, code: str) -> URIRef:
    """A concept of a code list."""
    return URIRef(f"{concept_scheme(scheme)}/{slug(code, 'code')}")


def source_document(name: str) -> URIRef:
    """A source document (the seed, a national text)."""
    return _iri(f"source/{slug(name, 'source name')}")


def source_location(document: URIRef, fragment: str) -> URIRef:
    """A span of lines in a source document."""
    return URIRef(f"{document}/{slug(fragment, 'source fragment')}")


# --- named graphs of a store ---------------------------------------------------------


def graph(name: str) -> URIRef:
    """A named graph of a store.

    ``national`` (the statutes of ``legigraph ingest``), ``bill-1544`` (the graph
    ``legigraph build`` writes).
    """
    return _iri(f"graph/{slug(name, 'graph name')}")


def bill_graph(number: int) -> URIRef:
    """The named graph holding a bill's build (``graph/bill-1544``)."""
    return graph(f"bill-{digits(number, '의안번호')}")


NATIONAL_GRAPH = graph("national")
HISTORY_GRAPH = graph("history")  # every version of the laws `legigraph ingest history` read
ORDINANCE_GRAPH = graph("ordinances")  # the ordinances of `legigraph ingest ordinances`
EFFECTS_GRAPH = graph("effects")  # the 타법개정 clauses of `legigraph ingest effects`


# --- what `legigraph dump` publishes, and the endpoint ----------------------------------


def dump_file(name: str) -> URIRef:
    """A file of ``legigraph dump`` as served under ``/dumps/`` (``dumps/bill-1544.nt.gz``)."""
    stem, dot, rest = name.partition(".")
    if not dot or not re.fullmatch(r"[a-z0-9]+(\.[a-z0-9]+)*", rest):
        raise IdError(f"dump file name {name!r} is not SLUG.EXT")
    return _iri(f"dumps/{slug(stem, 'dump name')}.{rest}")


DUMP_CATALOG = _iri("dumps/catalog")  # the DCAT catalogue of the dumps
SPARQL_ENDPOINT = _iri("sparql")  # `legigraph serve`'s endpoint where w3id.org maps BASE


def external(url: str) -> URIRef:
    """An outside address (law.go.kr …) as an ASCII URI: non-ASCII is percent-encoded."""
    return URIRef(quote(url, safe=":/?#[]@!$&'()*+,;=%-._~"))


SEED = source_document("seed-424a4ad638a5c806")
