"""Find and parse citations of Korean legislation in running text.

``find_citations`` returns every citation in a text, in order and non-overlapping, with
character offsets into the text it was given: 「법령명」 제N조(의M)제K항제J호가목, ranges
(제3조부터 제5조까지), lists (제3조·제5조, 제1항 또는 제2항), relative references (이 법,
같은 법, 동 조례, 같은 조, 같은 항, 법 제9조 in a decree), bill provisions (안 제7조제4호),
부칙, 별표 (별표 1, 별표 1의2, and a part of one: 별표 1 제2호), forms (별지 제3호서식, 별지
제3호의2서식, 별지 서식, 「X」 별지 제3호서식, 같은 법 시행규칙 별지 제3호서식) and decrees by
name (대통령령으로 정하는, 같은 법 시행령).

``relation`` says where the cited law is: ``explicit`` (named in 「」), ``self`` (이 법, 이
조례, 이 영, 이 규칙, 이 조, or a bare 제N조: the citing text itself), ``same-law`` (같은 법,
같은 조례, 같은 영, 동법, 동 조례: the law cited last; 법제처 spells 동 as 같은), ``alias``
(법, 영, 조례 or a short name such as 공공데이터법 written without 「」, resolved by the
citing text's 이하 "…"라 한다 or, in a decree, by the convention that 법 is its Act),
``decree`` (대통령령, 시행령, 같은 법 시행령 …), ``same-article`` (같은 조, 동조) and
``same-paragraph`` (같은 항, 동항). ``kind`` is ``provision``, ``range`` (just the two ends),
``list``, ``law`` (a law named without provisions), ``annex`` (별표 N alone) or ``form``
(별지 제N호서식; ``Citation.form`` is its number). A part of an annex (별표 1 제2호) is a
``provision`` citation with ``annex`` set: the provisions are the annex's, not the law's.

A number 0 in a ``Provision`` means "taken from the context": ``같은 조 제2항`` is
article 0, paragraph 2; ``같은 항 제3호`` and a bare ``제3호`` are article 0, paragraph 0.
A later provision of a list or range takes the levels it leaves out from the one before:
``제10조제1항부터 제3항까지``, ``제2조제1호가목 및 나목``. Also read: 제 3 조 (spaces),
「…」(이하 "법"이라 한다) 제2조, and 제11조 내지 제17조 (a range). Not citations:
promulgation numbers (법률 제8612호, 부칙 <제9173호, 2024.3.26>, 제1544호), a 제N호 of a
form named without 별지 (제1호서식), and article headings (제2조(정의) or ##### 제7조 at the
start of a line).

Canonical form (what ``format_citation`` writes, and what it reads back unchanged):
words joined by one space: the law (``「name」``, ``같은 조``, ``같은 항`` or the law word as
written with single spaces: ``이 조례``, ``같은 법``, ``동법``, ``법``, ``같은 법 시행령``),
then ``안``, ``부칙``, ``별표`` or ``별표 N``, or the form (``별지 제N호서식``,
``별지 제N호의M서식``, ``별지 서식``: nothing follows it), then the provisions. A provision is
written without spaces, from its highest non-zero level: ``제4조의2제1항제3호의2가목``. Every later
provision of a range or list is written from the first level where it differs from the one
before it (``제10조제1항부터 제3항까지``), in full when that level is empty in it. A range is
``A부터 B까지``; a list of two is ``A 및 B``, of more ``A, B, C 및 D``. Numbers are 1-999999.
A bare ``이 조``, ``이 항``, ``같은 조`` or ``같은 항`` cites the context's article or paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from legigraph.model.ids import SUBITEM_LETTERS
from legigraph.model.text import nfc

_S = r"[ \t\u00a0\u3000]*"  # horizontal space only: a line break ends a citation
_N = r"[0-9]{1,6}"
_WORD_END = r"(?:(?![가-힣])|(?=으로|로|[은는이가을를에의과와도만및]))"
_NB = r"(?<![가-힣])"  # a word starts here
_LAW_WORD = r"(?:법률|법|영|조례|규칙)"

_PREFIX = re.compile(
    rf"「(?P<name>[^「」\n]{{1,200}})」"
    rf"|{_NB}(?:"
    rf"(?P<decree>(?:(?:같은|이|동){_S})?[가-힣]*법{_S}시행(?:령|규칙)"
    rf"|시행령|시행규칙|대통령령|총리령|[가-힣]+부령){_WORD_END}"
    rf"|(?P<self>이{_S}{_LAW_WORD}){_WORD_END}"
    rf"|(?P<same>(?:같은|동){_S}{_LAW_WORD}){_WORD_END}"
    rf"|(?P<ctx>(?:같은|이|동){_S}(?P<unit>[조항])){_WORD_END}"
    rf"|(?P<alias>[가-힣]*법률?|{_LAW_WORD})(?={_S}(?:\(이하[^()\n]{{0,80}}\){_S})?(?:제{_S}[0-9]|부칙|별표|별지))"
    rf"|(?P<draft>안)(?={_S}제{_S}[0-9])"
    rf"|(?P<add>부칙)(?={_S}제{_S}[0-9])"
    rf"|(?P<annex>별표)(?={_S}(?:제{_S})?[0-9])"
    rf"|(?P<bare>제)(?={_S}{_N}{_S}[조항호])"
    rf"|(?P<form>별지)(?={_S}(?:제?{_S}[0-9]|서식))"
    ")"
)
_ELEM = re.compile(
    rf"(?:제{_S}(?P<a>{_N}){_S}조(?:의(?P<ab>{_N}))?)?"
    rf"(?:{_S}제{_S}(?P<p>{_N}){_S}항)?"
    rf"(?:{_S}제{_S}(?P<i>{_N}){_S}호(?:의(?P<ib>{_N})(?![0-9]))?(?!(?:의{_N})?{_S}(?:선|서식)))?"
    rf"(?(i)(?:{_S}(?P<s>[{SUBITEM_LETTERS}]){_S}목)?)"
)
_SUB = re.compile(rf"(?P<s>[{SUBITEM_LETTERS}]){_S}목")
_DEFINED = re.compile(rf"{_S}\(이하[^()\n]{{0,80}}\)(?={_S}제{_S}[0-9])")  # 「…」(이하 "법") 제2조
_ADDENDUM = re.compile(rf"{_S}부칙(?={_S}제{_S}[0-9])")
_ANNEX = re.compile(rf"{_S}별표(?:{_S}(?P<n>{_N}(?:의{_N})?))?")
# 별지 제3호서식, 별지 제3호의2서식, 별지 서식 (and as the corpus also writes them: 별지서식, 별지
# 제3서식, 별지 3호서식, 별지 제3의2서식, 별지 제3호의2호서식)
_FORM = re.compile(
    rf"{_S}별지{_S}(?:제?{_S}(?P<n>{_N}){_S}호?(?:{_S}의{_S}(?P<b>{_N}){_S}호?)?{_S})?서식"
)
_BODY_START = re.compile(rf"{_S}(?=제{_S}[0-9])")
_SEP = re.compile(rf"{_S}(?:,|·|ㆍ|및|또는|과|와){_S}")
_FROM = re.compile(rf"{_S}부터{_S}")
_UNTIL = re.compile(rf"{_S}까지")
_THROUGH = re.compile(rf"{_S}내지{_S}")  # the older 제11조 내지 제17조
_DATE_AFTER = re.compile(rf"{_S}[,.]{_S}[0-9]{{2,4}}[.\-]")
_HEADING_TAIL = re.compile(rf"{_S}\(")
_LINE_MARKS = re.compile(r"[\s#>*\-0-9.)\]]*")
_SPACES = re.compile(r"\s+")
_SKIP_SPACE = re.compile(_S)
_LAW_NAME_END = re.compile(r"(?:법률?|령|규칙|조례|규정|조약|협약|협정|헌장|고시|훈령|예규|지침)$")


@dataclass(frozen=True)
class Provision:
    """One cited provision; 0 in a number means "the one of the context"."""

    article: int
    article_branch: int | None = None
    paragraph: int | None = None
    item: int | None = None
    item_branch: int | None = None
    subitem: str | None = None

    def level(self, k: int) -> tuple[object, ...]:
        """Level ``k`` (0 article, 1 paragraph, 2 item, 3 sub-item) with its branch number."""
        return ((self.article, self.article_branch), (self.paragraph,),
                (self.item, self.item_branch), (self.subitem,))[k]  # fmt: skip

    def parts(self) -> list[str]:
        """The label of each of the four levels; "" when absent or 0."""
        a, ab, i, ib = self.article, self.article_branch, self.item, self.item_branch
        return [
            f"제{a}조" + (f"의{ab}" if ab else "") if a else "",
            f"제{self.paragraph}항" if self.paragraph else "",
            f"제{i}호" + (f"의{ib}" if ib else "") if i else "",
            f"{self.subitem}목" if self.subitem else "",
        ]

    @property
    def label(self) -> str:
        """Canonical Korean label: ``제4조의2제1항제3호가목``."""
        return "".join(self.parts())

    @property
    def path(self) -> str:
        """Path as ``ids.path_from_citation`` makes it: ``art_4-2/para_1/item_3/subitem_1``."""
        steps = [f"art_{self.article}" + (f"-{self.article_branch}" if self.article_branch else "")]
        if self.paragraph is not None:
            steps.append(f"para_{self.paragraph}")
        if self.item is not None:
            steps.append(f"item_{self.item}" + (f"-{self.item_branch}" if self.item_branch else ""))
        if self.subitem is not None:
            steps.append(f"subitem_{SUBITEM_LETTERS.index(self.subitem) + 1}")
        return "/".join(steps)


@dataclass(frozen=True)
class Citation:
    """A citation found in a text: ``text == source[start:end]``.

    ``law`` is the name inside 「」 (NFC) for ``explicit``, the law words with single spaces
    otherwise (이 조례, 같은 법, 같은 법 시행령, 대통령령, 법), None for a bare 제N조, 안 …,
    같은 조 and 같은 항. ``annex`` is the 별표 number ("1", "1의2"; "" for 별표 제28호, the
    law's one unnumbered 별표); ``form`` the 별지 서식 number ("3", "3의2"; "" for 별지 서식).
    """

    start: int
    end: int
    text: str
    law: str | None
    relation: str
    provisions: tuple[Provision, ...]
    kind: str
    addendum: bool = False
    annex: str | None = None
    draft: bool = False
    form: str | None = None
    former: bool = False  # the words around name the law as it was (link.aliases.names_former)

    @property
    def annexed(self) -> bool:
        """Whether it cites an annex (별표) or a form (별지 서식), or a part of one."""
        return self.annex is not None or self.form is not None


@dataclass(frozen=True)
class _Head:
    """What a citation says before its provisions; ``above`` fills the levels left out."""

    law: str | None
    relation: str
    above: Provision
    addendum: bool = False
    annex: str | None = None
    draft: bool = False
    context: bool = False  # 이 조, 같은 항 …: may stand without provisions
    form: str | None = None


_RELATIONS = {"decree": "decree", "self": "self", "same": "same-law"}  # by _PREFIX group
_TOP = Provision(0, None, 0, 0)
_SAME_ARTICLE = Provision(0)
_SAME_PARAGRAPH = Provision(0, None, 0)
_SELF_HEADS = {  # 제N조, 안 제N조, 부칙 제N조: the citing text's own provisions
    kind: _Head(None, "self", _TOP, addendum=kind == "add", draft=kind == "draft")
    for kind in ("bare", "draft", "add")
}


def _element(text: str, pos: int, above: Provision, first: bool) -> tuple[Provision, int] | None:
    """The provision written at ``pos``; the levels left out are those of ``above``."""
    # One Provision per element: the levels written (from the highest one: article,
    # paragraph or item) and, above them, the levels of ``above``.
    if (m := _ELEM.match(text, pos)) and m.end() > pos:
        ga, gab, gp, gi, gib, sub = m.group("a", "ab", "p", "i", "ib", "s")
        p = int(gp) if gp else None
        i = int(gi) if gi else None
        ib = int(gib) if gib else None
        if ga and (a := int(ga)):
            return Provision(a, int(gab) if gab else None, p, i, ib, sub), m.end()
        if p:
            return Provision(above.article, above.article_branch, p, i, ib, sub), m.end()
        merged = Provision(above.article, above.article_branch, above.paragraph, i, ib, sub)
        return merged, m.end()
    if not first and above.item is not None and (m := _SUB.match(text, pos)):
        merged = Provision(above.article, above.article_branch, above.paragraph, above.item,
                           above.item_branch, m.group("s"))  # fmt: skip
        return merged, m.end()
    return None


def _range_end(text: str, pos: int, start: Provision) -> tuple[Provision, int] | None:
    """The end of a range opened by ``start``: 부터 … 까지, or 내지 …."""
    if m := _FROM.match(text, pos):
        end = _element(text, m.end(), start, first=False)
        until = _UNTIL.match(text, end[1]) if end else None
        return (end[0], until.end()) if end and until else None
    if m := _THROUGH.match(text, pos):
        return _element(text, m.end(), start, first=False)
    return None


def _chain(
    text: str, pos: int, above: Provision, first: bool
) -> tuple[list[Provision], int, str, int | None]:
    """Provisions from ``pos``, their end and kind, and where a range after a list starts."""
    head = _element(text, pos, above, first)
    if head is None:
        return [], pos, "", None
    provisions, end = [head[0]], head[1]
    if tail := _range_end(text, end, head[0]):
        return [head[0], tail[0]], tail[1], "range", None
    carry = None
    while (sep := _SEP.match(text, end)) and (
        nxt := _element(text, sep.end(), provisions[-1], first=False)
    ):
        if _range_end(text, nxt[1], nxt[0]):
            carry = sep.end()
            break
        provisions.append(nxt[0])
        end = nxt[1]
    return provisions, end, "list" if len(provisions) > 1 else "provision", carry


def _head(text: str, m: re.Match[str]) -> tuple[_Head, int]:
    """Read the law, 안, 부칙 and 별표 before the provisions."""
    kind = m.lastgroup or "bare"
    word, end = _SPACES.sub(" ", m.group(kind)), m.end()
    if kind in ("bare", "draft", "add"):
        return _SELF_HEADS[kind], m.start() if kind == "bare" else end
    if kind == "ctx":
        paragraph = m.group("unit") == "항"
        relation = "same-paragraph" if paragraph else "same-article"
        above = _SAME_PARAGRAPH if paragraph else _SAME_ARTICLE
        return _Head(None, "self" if word[0] == "이" else relation, above, context=True), end
    law: str | None = None
    relation = "self"
    if kind == "name":
        law, relation = nfc(m.group("name")), "explicit"
    elif kind in ("annex", "form"):
        end = m.start()
    else:
        law, relation = word, _RELATIONS.get(kind, "alias")
    end = defined.end() if (defined := _DEFINED.match(text, end)) else end
    addendum = bool(add := _ADDENDUM.match(text, end))
    end = add.end() if add else end
    annex = form = None
    if (ax := _ANNEX.match(text, end)) and (ax.group("n") or _BODY_START.match(text, ax.end())):
        annex, end = ax.group("n") or "", ax.end()
    elif fm := _FORM.match(text, end):
        n, b = fm.group("n", "b")
        form, end = (f"{n}의{b}" if b else n) if n else "", fm.end()
    return _Head(law, relation, _TOP, addendum, annex, form=form), end


def _not_a_citation(text: str, start: int, end: int, head: _Head, first: Provision) -> bool:
    """Promulgation numbers (법률 제8612호, <제9173호, …>) and article headings (제2조(정의))."""
    if head.annex is None and not head.context and first.paragraph == 0 and first.item:
        return (
            head.law is not None
            or head.addendum
            or first.item >= 1000
            or text[max(0, start - 3) : start].rstrip().endswith("<")
            or _DATE_AFTER.match(text, end) is not None
        )
    bare = head.law is None and head.relation == "self" and not (head.draft or head.addendum)
    if bare and first.paragraph is None and first.item is None:
        cut = text.rfind("\n", max(0, start - 40), start)
        if cut < 0 and start > 40:
            return False  # a heading starts its line: look back only a little
        marks = text[cut + 1 : start]
        tail = _HEADING_TAIL.match(text, end) is not None
        return _LINE_MARKS.fullmatch(marks) is not None and ("#" in marks or tail)
    return False


def _cite(
    text: str, start: int, end: int, head: _Head, first: bool
) -> tuple[Citation | None, int, int | None]:
    """The citation whose head spans ``start:end``, where to go on, and a range to carry."""
    body = space.end() if (space := _SKIP_SPACE.match(text, end)) else end
    if head.form is not None:  # nothing of a form is cited below it
        return Citation(start, end, text[start:end], head.law, head.relation, (), "form",
                        head.addendum, None, head.draft, head.form), end, None  # fmt: skip
    provisions, stop, kind, carry = _chain(text, body, head.above, first)
    if provisions:
        end = stop
        if len(provisions) == 1 and _not_a_citation(text, start, end, head, provisions[0]):
            return None, end, None
    elif head.annex is not None:
        kind = "annex"
    elif head.context:
        provisions, kind = [head.above], "provision"
    elif head.addendum or not head.law or head.relation == "alias":
        return None, end, None
    elif head.relation != "explicit" or _LAW_NAME_END.search(_SPACES.sub("", head.law)):
        kind = "law"
    else:
        return None, end, None
    citation = Citation(start, end, text[start:end], head.law, head.relation, tuple(provisions),
                        kind, head.addendum, head.annex, head.draft)  # fmt: skip
    return citation, end, carry


# The prefilter of the search loop. Every head that ``_PREFIX`` reads holds one of these
# marks (by its group: name 「; decree 법, 령 or 규칙; self, same and alias a law word; ctx
# 같은/이/동 조 or 항; draft, add and bare 제 and a number; annex 별표; form 별지), and what
# stands before the mark in the head is a word of Hangul, spaces and a word of Hangul
# (같은 법, 이 법, 안 제3조, 부칙 제2조, 대통령령, 수도법 시행령). So no head starts before
# the Hangul words that lead to the first mark at or after a position, nor anywhere in a
# text that has none: ``_PREFIX`` (the costly search: it tries every branch at every word)
# searches only from there. A new branch of ``_PREFIX`` needs its group here and its mark
# (tests/test_citations.py checks the groups and compares the two searches).
_MARKS = re.compile(rf"「|법|영|령|규칙|조례|별표|별지|제{_S}[0-9]|(?:같은|이|동){_S}[조항]")
_MARKED_GROUPS = frozenset(("name", "decree", "self", "same", "ctx", "unit", "alias", "draft",
                            "add", "annex", "bare", "form"))  # fmt: skip
_HORIZONTAL = frozenset(" \t\u00a0\u3000")  # the spaces of _S


def _head_from(text: str, pos: int) -> int:
    """Where a head at or after ``pos`` can start at the earliest; -1: nowhere."""
    if (mark := _MARKS.search(text, pos)) is None:
        return -1
    i = mark.start()
    while i > pos and "가" <= text[i - 1] <= "힣":
        i -= 1
    while i > pos and text[i - 1] in _HORIZONTAL:
        i -= 1
    while i > pos and "가" <= text[i - 1] <= "힣":
        i -= 1
    return i


def find_citations(text: str, prefilter: bool = True) -> list[Citation]:
    """Every citation in ``text``, in order and non-overlapping; never raises.

    ``prefilter=False`` searches every position (the reference the prefilter is tested
    against).
    """
    found: list[Citation] = []
    pos = 0
    while True:
        if prefilter and (pos := _head_from(text, pos)) < 0:
            break
        if (m := _PREFIX.search(text, pos)) is None:
            break
        head, end = _head(text, m)
        start, first = m.start(), True
        while True:
            citation, pos, carry = _cite(text, start, end, head, first)
            if citation is not None:
                found.append(citation)
            if carry is None or citation is None:
                break
            head = _Head(head.law, head.relation, citation.provisions[-1], head.addendum,
                         head.annex, head.draft)  # fmt: skip
            start = end = carry
            first = False
        pos = max(pos, m.end())
    return found


def _relative_label(p: Provision, prev: Provision) -> str:
    """``p`` written from the first level where it differs from ``prev``."""
    for k in range(4):
        if p.level(k) != prev.level(k):
            return "".join(p.parts()[k:]) if p.level(k)[0] is not None else p.label
    return p.label


def format_citation(c: Citation) -> str:
    """Write ``c`` in the canonical form described in the module docstring."""
    words = []
    if c.relation == "explicit":
        words.append(f"「{c.law}」")
    elif c.relation in ("same-article", "same-paragraph"):
        words.append("같은 조" if c.relation == "same-article" else "같은 항")
    elif c.law:
        words.append(c.law)
    words += ["안"] * c.draft + ["부칙"] * c.addendum
    if c.annex is not None:
        words.append(f"별표 {c.annex}" if c.annex else "별표")
    if c.form is not None:
        number, _, branch = c.form.partition("의")
        branch = f"의{branch}" if branch else ""
        words.append(f"별지 제{number}호{branch}서식" if number else "별지 서식")
    labels = [c.provisions[0].label] if c.provisions else []
    labels += [_relative_label(p, q) for p, q in zip(c.provisions[1:], c.provisions, strict=False)]
    if c.kind == "range" and len(labels) == 2:
        words.append(f"{labels[0]}부터 {labels[1]}까지")
    elif len(labels) > 1:
        words.append(", ".join(labels[:-1]) + " 및 " + labels[-1])
    elif labels and labels[0]:
        words.append(labels[0])
    elif labels and c.relation == "self":
        words.append("이 항" if c.provisions[0].paragraph == 0 else "이 조")
    return " ".join(words)
