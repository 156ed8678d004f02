"""References to provisions as amending texts write them, read into paths.

``제2조제1항제3호가목``, ``같은 조 제2항 본문``, ``제3항부터 제5항까지``, ``제2조제1호ㆍ제3호``,
``별표 1 제5호``, ``별지 제6호서식``, ``제2장제5절``, ``제명``. A reference that starts below the
article (``제3호``) takes the levels above it from the one before (the drafting standard's
rule for lists, and for ``같은 조에 제4호를`` the container), so each is resolved against a
*context*: the steps of the reference read last.

The grammar is a set of anchored regular expressions tried at a cursor (``re`` is the kept
library here: the tokens are fixed Korean words around numbers, and the lists are flat, so a
grammar library would add a dependency without taking any of the rules off our hands).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from legigraph.amendments.model import Target

# 가나다… is the reader's order of 목 (legigraph.model.ids); 거너더… and 고노도… follow it.
SUBITEM_LETTERS = (
    "가나다라마바사아자차카타파하" + "거너더러머버서어저처커터퍼허" + "고노도로모보소오조초코토포호"
)
_UNIT_KIND = {
    "편": "part",
    "장": "chapter",
    "절": "section",
    "관": "subsection",
    "조": "art",
    "항": "para",
    "호": "item",
}
# Rank orders the levels: a reference inherits from its context every step ranked above
# its own first step. Headings (편 … 관) form their own hierarchy below 10, so an article
# never inherits a chapter: article paths are flat (art_7), as the reader writes them.
RANK = {
    "part": 0,
    "chapter": 1,
    "section": 2,
    "subsection": 3,
    "art": 10,
    "annex": 10,
    "form": 10,
    "title": 10,
    "addendum": 9,
    "note": 11,
    "para": 12,
    "item": 13,
    "subitem": 14,
    "subsub": 15,
    "sub3": 16,
    "row": 12,
}
_SAME_KIND = {
    "조": "art",
    "항": "para",
    "호": "item",
    "목": "subitem",
    "표": "annex",
    "별표": "annex",
    "서식": "form",
    "쪽": "form",  # 같은 쪽: the same page of the same form
    "비고": "note",
    "장": "chapter",
    "절": "section",
    "관": "subsection",
    "편": "part",
}
_PARTS = {
    "제목": "heading",
    "제목외의부분": "body",
    "표외의부분": "outside-table",
    "각호외의부분": "lead",
    "각목외의부분": "lead",
    "본문": "main",
    "단서": "proviso",
    "전단": "first",
    "후단": "second",
    "각호": "items",
    "각목": "items",
    "앞쪽": "front",
    "전면": "front",
    "이면": "back",
    "계산식외의부분": "lead",
    "계산식": "formula",
    "앞면": "front",
    "뒤쪽": "back",
    "뒷면": "back",
}

# A law named by its promulgation number: 법률 제19815호, 대통령령 제25415호, 환경부령 제1182호
LAW_NUMBER = r"(?:법률|대통령령|총리령|[가-힣]*부령)\s*제\s*(?P<number>\d+)\s*호"
_STEP = re.compile(r"\s*제\s*(\d+)\s*(편|장|절|관|조|항|호)(?:\s*의\s*(\d+))?(?!\s*서식)")
_SUBITEM = re.compile(rf"\s*([{SUBITEM_LETTERS}])\s*목(?:\s*의\s*(\d+))?")
_SUBSUB = re.compile(r"\s*(?:\((\d+)\)|(\d+)\))")
_SUB3 = re.compile(rf"\s*\(?([{SUBITEM_LETTERS[:14]}])\)")  # 4)가), (2)(가): below a 1)
_MORE_ROW = re.compile(r"\s*(?:ㆍ|·|,|및)\s*(?:연번\s*)?(\d+)\s*번?(?![\d호조항)])")
_ROW = re.compile(r"\s*(?:중\s*)?연번\s*(\d+)\s*번?(?!\d)")  # 별표 연번 253: a row of a list
_ANNEX = re.compile(r"\s*\[?별표\s*(?:(\d+)(?:\s*의\s*(\d+))?)?\]?")
# 별지 제31호서식부터 제33호서식까지: the end of a range may leave out 별지
_FORM = re.compile(
    r"\s*(?:별지\s*(?:제\s*(\d+)\s*호(?:\s*의\s*(\d+))?\s*)?|(?=제\s*\d+\s*호(?:\s*의\s*\d+)?\s*서식)"
    r"제\s*(\d+)\s*호(?:\s*의\s*(\d+))?\s*)서식"
)
# 제3호너목란: the row or cell of that provision, the provision itself
_CELL = re.compile(r"란(?=[\s을를의,ㆍ및중]|$)")
_TITLE = re.compile(r"\s*제명")
_ADDENDUM = re.compile(r"\s*부칙(?=\s*(?:제\s*\d|단서|본문|중\s))")
_NOTE = re.compile(r"\s*(?:의\s*)?비고(?!란)")
# 동조제2항중 (old style, no spaces): the word after 같은/동 is followed by a step or particle.
_SAME = re.compile(
    r"\s*(?:같은\s*|동\s*)(별표|비고|조|항|호|목|표|서식|쪽|장|절|관|편)(?=[\s제중에의을를,ㆍ및(]|$)"
)
_COLUMN_OF = re.compile(r"\s*의(?=\s*(?:제\s*\d|[가-하]\s*목))")
_OF = re.compile(r"\s*의(?=\s*(?:제\s*\d|[가-하]\s*목|비고))")
_PART = re.compile(
    r"\s*(?:의\s*)?(제목\s*외의\s*부분|표\s*외의\s*부분|(?:계)?산식\s*외의\s*부분|제목"
    r"|각\s*호(?:의)?\s*외(?:의)?\s*부[분문]|각\s*목(?:의)?\s*외(?:의)?\s*부[분문]|본문|단서"
    r"|전단|후단|각\s*호|각\s*목|앞\s*쪽|앞면|뒤\s*쪽|뒷면|전면|이면|(?:계)?산식)"
)
# 나목1)부터 4)까지 외의 부분: the text of the provision above them, outside them.
_PROVISIONS = re.compile(r"\s*의\s*규정(?=\s*(?:중|을|를|에|및|,|ㆍ))")
_OUTSIDE = re.compile(r"\s*(?:의\s*규정\s*)?외의\s*부분")
# A column of a table or form (처리절차란, 과세자료의 구체적인 범위란): words up to 란.
# The first word is not 중/및 nor a step (제3호 …), and no word is 중 or a step.
_COLUMN = re.compile(
    r'\s*(?:의\s*)?(?P<name>(?!중\s|및\s|제\s*\d)[^\s"「」,]+?'
    r'(?:\s+(?!중\s|중"|제\s*\d)[^\s"「」,]+?){0,12}?)란(?=[\s,ㆍ을를에의중]|$)'
)
_COLUMN_SEP = re.compile(r"\s*(?:ㆍ|·|,|및)\s*")
_PAREN = re.compile(r"\s*\(([^()\"]*)\)")
_SEP = re.compile(
    r"\s*(?:ㆍ|·|,|및|와|과)\s*(?=제\s*\d|같은\s|동[조항호목표]|별표|별지|[가-하]\s*목|\(\d+\)|\d+\)|비고|연번"
    r"|(?:의\s*)?(?:제목|각\s*[호목]|본문|단서|전단|후단|앞쪽|뒤쪽|앞면|뒷면))"
)
_FROM = re.compile(r"\s*(부터|내지)\s*")  # 내지: the older word for 부터 … 까지
_UNTIL = {"부터": re.compile(r"\s*까지"), "내지": re.compile(r"(?:\s*까지)?")}
_PAGE = re.compile(r"\s*(?:의\s*)?제\s*(\d+)\s*쪽")


@dataclass(frozen=True)
class Step:
    """One level of a reference: ``art``/``7``, ``subitem``/``1`` (가목), ``annex``/``""``."""

    kind: str
    number: str

    @property
    def segment(self) -> str:
        return f"{self.kind}_{self.number}" if self.number else self.kind

    @property
    def label(self) -> str:
        main, _, branch = self.number.partition("-")
        tail = f"의{branch}" if branch else ""
        if self.kind == "subitem":
            return SUBITEM_LETTERS[int(main) - 1] + "목" + tail
        if self.kind == "subsub":
            return f"{main})"
        if self.kind == "sub3":
            return SUBITEM_LETTERS[int(main) - 1] + ")"
        if self.kind == "row":
            return f" 연번 {main}"
        if self.kind == "annex":
            return "별표" + (f" {main}{tail}" if main else "") + " "
        if self.kind == "form":
            return "별지 " + (f"제{main}호{tail}" if main else "") + "서식 "
        if self.kind in ("note", "title", "addendum"):
            return {"note": "비고 ", "title": "제명", "addendum": "부칙 "}[self.kind]
        unit = next(u for u, k in _UNIT_KIND.items() if k == self.kind)
        return f"제{main}{unit}{tail}"


Steps = tuple[Step, ...]


def path_of(steps: Steps) -> str:
    """The provision path of ``steps`` (``art_7/item_4``)."""
    return "/".join(step.segment for step in steps)


def label_of(steps: Steps) -> str:
    """The Korean label of ``steps`` (``제7조제4호``)."""
    return "".join(step.label for step in steps).strip()


@dataclass(frozen=True)
class Ref:
    """A parsed reference: its steps, the part of the text it names, and a range end."""

    steps: Steps
    part: tuple[str, ...] = ()
    until: Steps | None = None
    note: str = ""

    def target(self) -> Target:
        return Target(
            path_of(self.steps),
            label_of(self.steps),
            self.part,
            None if self.until is None else path_of(self.until),
            None if self.until is None else label_of(self.until),
            self.note,
        )

    @property
    def last(self) -> Steps:
        """The steps later references inherit from: the range end, if any."""
        return self.until if self.until is not None else self.steps


class RefSyntaxError(ValueError):
    """A reference that cannot be resolved (같은 조 with no article before it …)."""

    def __init__(self, reason: str, offset: int):
        super().__init__(reason)
        self.reason = reason
        self.offset = offset


def inherit(context: Steps, steps: Steps) -> Steps:
    """``steps`` completed with the levels of ``context`` above its first step."""
    if not steps:
        return context
    rank = RANK[steps[0].kind]
    if rank < 10:
        return tuple(s for s in context if RANK[s.kind] < rank) + steps
    # 부칙 제3조제1항ㆍ제2항: a level below the article keeps the 부칙 it is in
    prefix = tuple(
        s for s in context if 10 <= RANK[s.kind] < rank or (rank > 10 and s.kind == "addendum")
    )
    if not any(RANK[s.kind] == 10 for s in prefix):
        prefix = ()  # a 항 with no article in the context stays relative: the caller errs
    return prefix + steps


def _number(main: str, branch: str | None) -> str:
    return str(int(main)) + (f"-{int(branch)}" if branch else "")


def _own_steps(text: str, pos: int) -> tuple[list[Step], int]:
    """The explicit steps at ``pos`` (no 같은, no inheritance), and the position after."""
    steps: list[Step] = []
    while True:
        if m := _FORM.match(text, pos):
            main, branch = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            steps.append(Step("form", _number(main, branch) if main else ""))
        elif m := _ANNEX.match(text, pos):
            if "별표" not in m.group(0):
                break
            steps.append(Step("annex", _number(m.group(1), m.group(2)) if m.group(1) else ""))
        elif m := _TITLE.match(text, pos):
            steps.append(Step("title", ""))
        elif not steps and (m := _ADDENDUM.match(text, pos)):
            steps.append(Step("addendum", ""))
        elif m := _STEP.match(text, pos):
            steps.append(Step(_UNIT_KIND[m.group(2)], _number(m.group(1), m.group(3))))
        elif m := _SUBITEM.match(text, pos):
            letter = str(SUBITEM_LETTERS.index(m.group(1)) + 1)
            steps.append(Step("subitem", letter + (f"-{int(m.group(2))}" if m.group(2) else "")))
        elif steps and steps[-1].kind in ("item", "subitem") and (m := _CELL.match(text, pos)):
            pass
        elif (not steps or steps[-1].kind in ("item", "subitem")) and (
            m := _SUBSUB.match(text, pos)
        ):
            steps.append(Step("subsub", str(int(m.group(1) or m.group(2)))))
        elif (not steps or steps[-1].kind == "subsub") and (m := _SUB3.match(text, pos)):
            steps.append(Step("sub3", str(SUBITEM_LETTERS.index(m.group(1)) + 1)))
        elif (not steps or steps[-1].kind == "annex") and (m := _ROW.match(text, pos)):
            steps.append(Step("row", m.group(1)))
        elif m := _NOTE.match(text, pos):
            steps.append(Step("note", ""))
        elif steps and (m := _OF.match(text, pos)):
            pass  # 별표 1의 제4호: a linking 의 between two levels
        else:
            break
        pos = m.end()
    return steps, pos


def _one(text: str, pos: int, context: Steps) -> tuple[Steps, int] | None:
    """One reference (steps only) at ``pos``, resolved against ``context``."""
    base: Steps | None = None
    if m := _SAME.match(text, pos):
        kind = _SAME_KIND[m.group(1)]
        idx = [i for i, s in enumerate(context) if s.kind == kind]
        if not idx:
            raise RefSyntaxError(f"{m.group(0).strip()} with no {kind} before it", pos)
        base = context[: idx[-1] + 1]
        pos = m.end()
    own, end = _own_steps(text, pos)
    if base is not None:
        return (inherit(base, tuple(own)) if own else base), end
    if not own:
        return None
    steps = inherit(context, tuple(own))
    if RANK[steps[0].kind] > 10 and steps[0].kind != "subsub":
        raise RefSyntaxError(f"{label_of(steps)} with no article before it", pos)
    return steps, end


def _part_word(word: str) -> str:
    """The spelling of a part as ``_PARTS`` has it (각 호 외 부분, 산식 … are variants)."""
    key = re.sub(r"\s+", "", word)
    key = re.sub(r"^(각[호목])의?외의?부[분문]$", r"\1외의부분", key)
    return "계" + key if key.startswith("산식") else key


def parse_parts(text: str, pos: int) -> tuple[tuple[str, ...], int]:
    """The parts named at ``pos`` (``각 호 외의 부분 본문``) and the position after them."""
    parts: list[str] = []
    while True:
        if m := _PART.match(text, pos):
            parts.append(_PARTS[_part_word(m.group(1))])
        elif m := _PAGE.match(text, pos):
            parts.append(f"page:{int(m.group(1))}")  # 별지 제1호서식 제2쪽
        else:
            return tuple(parts), pos
        pos = m.end()


def _in_table(ref: Ref) -> bool:
    return bool(ref.steps) and ref.steps[0].kind in ("annex", "form")


def _column(text: str, pos: int, steps: Steps) -> tuple[str, int]:
    """A column (``처리절차란``) of a 별표 or 별지 reference, as a part, or ``""``."""
    if not steps or steps[0].kind not in ("annex", "form"):
        return "", pos
    return parse_column(text, pos)


def parse_column(text: str, pos: int) -> tuple[str, int]:
    """A column named after 중 (``별표 1 중 교육행정직렬란``), as a part, or ``""``."""
    m = _COLUMN.match(text, pos)
    if m is None:
        return "", pos
    return "column:" + re.sub(r"\s+", " ", m.group("name")), m.end()


def _element(text: str, pos: int, context: Steps) -> tuple[Ref | None, int]:
    """One element of a reference list: steps, parts, a column, a range, an annotation."""
    one = _one(text, pos, context)
    if one is None:
        return None, pos
    steps, pos = one
    parts, pos = parse_parts(text, pos)
    column, pos = _column(text, pos, steps)
    if column:  # 별표 4의 인력의 지정기준란 제3호: the column, then the levels inside it
        if of := _COLUMN_OF.match(text, pos):
            pos = of.end()
        inner, pos = _own_steps(text, pos)
        steps = steps + tuple(inner)
        extra, pos = parse_parts(text, pos)
        parts = (*parts, column, *extra)
    until: Steps | None = None
    if m := _FROM.match(text, pos):
        end = _one(text, m.end(), steps)
        if end is None or not (u := _UNTIL[m.group(1)].match(text, end[1])):
            raise RefSyntaxError("부터 without …까지", pos)
        until, pos = end[0], u.end()
        extra, pos = parse_parts(text, pos)
        parts = parts or extra
    if r := _PROVISIONS.match(text, pos):
        pos = r.end()  # 제1항부터 제4항까지의 규정 중: the provisions themselves
    if o := _OUTSIDE.match(text, pos):
        steps, until = steps[:-1], None
        extra, pos = parse_parts(text, o.end())
        parts = ("lead", *extra)
    note = ""
    if (p := _PAREN.match(text, pos)) and not p.group(1).strip().isdigit():
        note, pos = p.group(1).strip(), p.end()  # (기존의 제4호), (제29조부터 …)
        extra, pos = parse_parts(text, pos)
        parts = parts + extra
    return Ref(steps, parts, until, note), pos


def _share_column(refs: list[Ref], ref: Ref) -> list[Ref]:
    """별표 3 제61호 및 제220호의 …란: the column is of every row of the list before it."""
    column = next(p for p in ref.part if p.startswith("column:"))
    out = list(refs)
    for i in range(len(out) - 1, -1, -1):
        prev = out[i]
        if prev.steps[:1] != ref.steps[:1] or any(p.startswith("column:") for p in prev.part):
            break
        out[i] = Ref(prev.steps, (*prev.part, column), prev.until, prev.note)
    return out


def parse_refs(text: str, pos: int, context: Steps) -> tuple[list[Ref], int]:
    """A list of references at ``pos`` (``제2조제1호ㆍ제3호``, ``…부터 …까지``, ``본문ㆍ단서``).

    Returns the references, in order, and the position after the list; an empty list
    when no reference starts at ``pos``.
    """
    refs: list[Ref] = []
    while True:
        start = pos
        ref, pos = _element(text, pos, context)
        if ref is None:
            # 본문ㆍ단서 after a reference: the same provision, another part
            parts, pos = parse_parts(text, pos)
            if not refs or not parts:
                return refs, start
            prev = refs[-1]
            ref = Ref(prev.steps, parts, prev.until, prev.note)
        if any(p.startswith("column:") for p in ref.part):
            refs = _share_column(refs, ref)
        refs.append(ref)
        context = ref.last
        if ref.steps[-1].kind == "row" and (more_row := _MORE_ROW.match(text, pos)):
            refs.append(Ref((*ref.steps[:-1], Step("row", more_row.group(1))), ref.part))
            pos = more_row.end()
            continue
        sep = _SEP.match(text, pos)
        if sep is None:
            # 같은 별표 구조장비의 보유기준란 및 구급장비의 보유기준란: another column
            more = _COLUMN_SEP.match(text, pos)
            column, end = parse_column(text, more.end()) if more and _in_table(ref) else ("", pos)
            if not column:
                return refs, pos
            plain = tuple(p for p in ref.part if not p.startswith("column:"))
            refs.append(Ref(ref.steps, (*plain, column), ref.until, ref.note))
            pos = end
            sep = _SEP.match(text, pos)
            if sep is None:
                return refs, pos
        pos = sep.end()
