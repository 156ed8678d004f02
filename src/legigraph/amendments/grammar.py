"""The sentence grammar of amending texts: from 개정문 sentences to operations.

A sentence is segments joined by ``하고,``/``하며,`` (or ``,`` after a substitution) and
closed by ``한다.``; a segment is a list of references (``refs.parse_refs``) and one of

* ``중 "A"를 "B"로`` (``"A", "B"를 각각 "C", "D"로``, several joined by ``,``) — substitute;
* ``중 "A"를 삭제`` — strike; ``"A"를 "B"로`` right after 제명 or 제목 — substitute;
* ``을 다음과 같이`` — replace (block text follows); ``을 "B"로`` — replace with quoted text;
* ``을 다음과 같이 신설`` / ``에 제4호를 다음과 같이 신설`` / ``에 단서를 …`` — insert;
* ``을 삭제`` — repeal; ``을 제5호로`` — renumber; ``을 별지와 같이`` — replace annex.

Lines after a sentence with 다음과 같이 are its block: the new provisions, split among
the sentence's operations by their numbers (``blocks.split_block``).
"""

from __future__ import annotations

import dataclasses
import re

from legigraph.amendments.blocks import is_article_text, is_image, split_block
from legigraph.amendments.errors import AmendmentSyntaxError
from legigraph.amendments.model import Clause, Kind, Operation, ParsedClause, Target, Unparsed
from legigraph.amendments.refs import (
    LAW_NUMBER,
    Ref,
    RefSyntaxError,
    Steps,
    parse_column,
    parse_parts,
    parse_refs,
)

_SEPQ = r"\s*(?:,|ㆍ|·|및|와|과)\s*"
_OLD = rf'"(?:.+?)"(?:{_SEPQ}"(?:.+?)")*'
_NEW = rf'"(?:.*?)"(?:{_SEPQ}"(?:.*?)")*'
# A verb stem is closed by 한다 (end), 하고/하며 (another segment) or a comma.
_V = r"(?=\s*(?:한다|하고|하며|하여|,|$))"
_SUB = re.compile(
    rf"\s*(?P<old>{_OLD})\s*(?:을|를)\s*(?P<each>각각\s*)?(?P<new>{_NEW})\s*(?:으로|로){_V}"
)
_STRIKE = re.compile(rf"\s*(?P<old>{_OLD})\s*(?:을|를)\s*(?P<each>각각\s*)?삭제{_V}")
_SPLIT_Q = re.compile(rf'"(.*?)"(?={_SEPQ}"|\s*$)')
_AMONG = re.compile(r'\s*(?:중|의(?=\s*"))\s*')
_OBJ = re.compile(r"\s*(?:을|를)\s*(?P<each>각각\s*)?")
_REPLACE = re.compile(rf"다음과\s*같이{_V}")
# 신설한다 without 다음과 같이 is a slip of the drafter: the new text follows all the same
_INSERT = re.compile(rf"(?:다음과\s*같이\s*)?(?:신설|추가){_V}")
_REPEAL = re.compile(rf"삭제{_V}")
_ANNEX = re.compile(rf"별지와\s*같이{_V}")
_TO = re.compile(rf"\s*(?:으로|로){_V}")
_QUOTED_TO = re.compile(rf'\s*"(?P<new>.*?)"\s*(?:으로|로){_V}')
_IN = re.compile(r"\s*에\s*")
_END = re.compile(r"\s*한다\s*\.?\s*$")
_CONT = re.compile(r"\s*(?:(?:하고|하며|하여)\s*,?|,)\s*")
_AMENDING_ACT = re.compile(
    rf"\s*(?P<act>{LAW_NUMBER}\s*.+?"
    r"(?:일부개정법률|전부개정법률|일부개정령|전부개정령|일부개정규칙|전부개정규칙"
    r"|개정에\s*관한\s*법률|개정에\s*관한\s*대통령령|개정에\s*관한\s*[가-힣]*령"
    r"|(?=\s*부칙\s*제\s*\d)))"  # 법률 제8635호 … 법률 부칙 제3조: that act's own 부칙
    r"(?:\([^)]*\))?\s*"
)
_REVISED = re.compile(r"\s*(?:의\s*)?개정(?:규정|부분)")
_SENTENCE_START = re.compile(r"^(?:제\s*\d|같은\s|동[조항호목표]|별표|별지|제명|\[별표)")
_NOTE_LINE = re.compile(r"^<(?:개정|신설|삭제|전문개정|본조신설)[^>]*>$")
_LISTED = re.compile(r"^\d+\.\s+(?=제\s*\d|별표|별지|같은\s)")
_OP_VERB = re.compile(r'(?:을|를)\s*(?:각각\s*)?(?:다음과\s*같이|삭제|별지와)|"\s*(?:을|를)\s')


def _quoted(text: str) -> list[str]:
    return [m.group(1) for m in _SPLIT_Q.finditer(text)]


class _Sentence:
    """The parser of one sentence: a cursor over its text and the clause's context."""

    def __init__(self, text: str, offset: int, context: Steps):
        self.text = text
        self.offset = offset  # of the sentence in the clause text, for spans
        self.context = context
        self.ops: list[Operation] = []
        self.block_ops: list[int] = []  # indices of ops whose new text is the block
        self.optional_block: list[int] = []  # … or may be (별지와 같이 한다)
        self.within = ""  # the amending act whose text the sentence edits, if not the law

    def fail(self, reason: str, pos: int) -> AmendmentSyntaxError:
        return AmendmentSyntaxError(self.text, reason, pos)

    def add(self, kind: Kind, target: Target, start: int, end: int, **kw: object) -> None:
        span = (self.offset + start, self.offset + end)
        op = Operation(kind, target, span=span, within=self.within, **kw)  # type: ignore[arg-type]
        self.ops.append(op)

    def refs(self, pos: int) -> tuple[list[Ref], int]:
        try:
            refs, end = parse_refs(self.text, pos, self.context)
        except RefSyntaxError as err:
            raise self.fail(err.reason, err.offset) from err
        if refs:
            self.context = refs[-1].last
        return refs, end

    def parse(self) -> None:
        pos = 0
        targets: list[Ref] = []
        while True:
            if self.text.startswith('"', _skip(self.text, pos)):
                if not targets:
                    raise self.fail("quoted text with no provision before it", pos)
                pos = self.substitutions(targets, pos, pos)
            else:
                targets, pos = self.segment(pos)
            if _END.match(self.text, pos):
                return
            cont = _CONT.match(self.text, pos)
            if cont is None or cont.end() == pos:
                raise self.fail(_what_follows(self.text, pos), pos)
            pos = cont.end()

    def segment(self, start: int) -> tuple[list[Ref], int]:
        refs, pos = self.refs(start)
        if not refs and (act := _AMENDING_ACT.match(self.text, start)):
            # 법률 제17067호 … 일부개정법률 제36조제1항의 개정규정 중: the text is an amending
            # act's, not yet in force; its provisions are numbered as the amended law's
            self.within = re.sub(r"\s+", " ", act.group("act"))
            refs, pos = self.refs(act.end())
            if r := _REVISED.match(self.text, pos):
                pos = r.end()
        if not refs:
            raise self.fail("no provision where a segment starts", start)
        if m := _AMONG.match(self.text, pos):
            if self.text.startswith('"', _skip(self.text, m.end())):
                return refs, self.substitutions(refs, m.end(), start)
            column, pos = parse_column(self.text, m.end())  # 별표 1 중 교육행정직렬란을 …
            if not column:
                raise self.fail(_what_follows(self.text, m.end(), "after 중"), m.end())
            refs = [Ref(r.steps, (*r.part, column), r.until, r.note) for r in refs]
        if self.text.startswith('"', _skip(self.text, pos)):
            return refs, self.substitutions(refs, pos, start)  # 제명 "A"를 …, 제목 "A"를 …
        if m := _IN.match(self.text, pos):
            return refs, self.insert_into(refs, m.end(), start)
        obj = _OBJ.match(self.text, pos)
        if obj is None:
            # tables and forms are where provisions are named in words (…란, 연번 …)
            tables = refs[-1].steps[0].kind in ("annex", "form")
            where = "after a 별표/별지 reference" if tables else "after the provisions"
            raise self.fail(_what_follows(self.text, pos, where), pos)
        return refs, self.operation(refs, obj.end(), start, each=bool(obj.group("each")))

    def operation(self, refs: list[Ref], pos: int, start: int, *, each: bool) -> int:
        """The verb after the provisions and 을/를 (insert, replace, repeal, renumber)."""
        for pattern, kind in ((_INSERT, Kind.INSERT), (_REPLACE, Kind.REPLACE)):
            if m := pattern.match(self.text, pos):
                for ref in refs:
                    self.block_ops.append(len(self.ops))
                    self.add(kind, ref.target(), start, m.end(), each=each)
                return m.end()
        if m := _REPEAL.match(self.text, pos):
            for ref in refs:
                self.add(Kind.REPEAL, ref.target(), start, m.end(), each=each)
            return m.end()
        if m := _ANNEX.match(self.text, pos):
            for ref in refs:
                # the 별지 may follow as an image: it is the new text, if it does
                self.optional_block.append(len(self.ops))
                self.add(Kind.REPLACE_ANNEX, ref.target(), start, m.end(), each=each)
            return m.end()
        if m := _QUOTED_TO.match(self.text, pos):
            for ref in refs:
                self.add(Kind.REPLACE, ref.target(), start, m.end(), new=m.group("new"))
            return m.end()
        return self.renumber(refs, pos, start, each)

    def renumber(self, refs: list[Ref], pos: int, start: int, each: bool) -> int:
        saved = self.context
        self.context = refs[0].steps
        dests, end = self.refs(pos)
        self.context = saved
        to = _TO.match(self.text, end) if dests else None
        if to is None:
            raise self.fail(_what_follows(self.text, pos, "after 을/를"), pos)
        if len(dests) != len(refs):
            raise self.fail("renumbering lists of different lengths", pos)
        for ref, dest in zip(refs, dests, strict=True):
            if (ref.until is None) != (dest.until is None):
                raise self.fail("a range renumbered to a single provision", pos)
            self.add(
                Kind.RENUMBER, ref.target(), start, to.end(), destination=dest.target(), each=each
            )
        return to.end()

    def insert_into(self, containers: list[Ref], pos: int, start: int) -> int:
        if len(containers) != 1:
            raise self.fail("insertion into several provisions", pos)
        container = containers[0]
        saved = self.context
        self.context = container.steps
        new, end = self.refs(pos)
        if not new:
            # 에 단서를 / 에 후단을 / 에 제목을: a new part of the container
            parts, end = parse_parts(self.text, pos)
            if not parts:
                self.context = saved
                raise self.fail(_what_follows(self.text, pos, "after 에"), pos)
            new = [Ref(container.steps, parts)]
        obj = _OBJ.match(self.text, end)
        m = _INSERT.match(self.text, obj.end()) if obj else None
        if obj is None or m is None:
            raise self.fail(_what_follows(self.text, end, "after the new provisions"), end)
        for ref in new:
            self.block_ops.append(len(self.ops))
            self.add(Kind.INSERT, ref.target(), start, m.end(), each=bool(obj.group("each")))
        return m.end()

    def substitutions(self, refs: list[Ref], pos: int, start: int) -> int:
        """``"A"를 "B"로`` (or ``"A"를 삭제``), repeated after commas, for every reference."""
        while True:
            if m := _SUB.match(self.text, pos):
                olds, news = _quoted(m.group("old")), _quoted(m.group("new"))
                if len(news) == 1:
                    news = news * len(olds)
                if len(olds) != len(news):
                    raise self.fail("quoted lists of different lengths", pos)
                kind = Kind.SUBSTITUTE
            elif m := _STRIKE.match(self.text, pos):
                olds = _quoted(m.group("old"))
                news = [""] * len(olds)
                kind = Kind.STRIKE
            else:
                raise self.fail(_what_follows(self.text, pos, "after 중"), pos)
            each = bool(m.group("each"))
            for ref in refs:
                for old, new in zip(olds, news, strict=True):
                    self.add(kind, ref.target(), start, m.end(), old=old, new=new, each=each)
            pos = m.end()
            comma = re.compile(r'\s*,\s*(?=")').match(self.text, pos)
            if comma is None:
                return pos
            pos = start = comma.end()


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _what_follows(text: str, pos: int, where: str = "") -> str:
    """A reason naming the words that the grammar did not expect (for grouping)."""
    rest = text[_skip(text, pos) :]
    word = re.sub(r'"[^"]*"', '"…"', rest)[:12].strip()
    return f"unexpected {word!r}" + (f" {where}" if where else "")


def looks_like_sentence(line: str) -> bool:
    """True when a line reads as an operation sentence, not as new provision text."""
    if line[:1].isspace():
        return False
    s = line.strip()
    return (
        bool(_SENTENCE_START.match(s) or _AMENDING_ACT.match(s) or s.startswith("부칙 제"))
        and not is_article_text(s)
        and s.rstrip(". ").endswith("한다")
    )


def parse_sentence(text: str, context: Steps = (), offset: int = 0) -> list[Operation]:
    """The operations of one sentence; raises ``AmendmentSyntaxError`` if it is not read."""
    sentence = _Sentence(text, offset, context)
    sentence.parse()
    return sentence.ops


class _ClauseReader:
    """Reads a clause line by line: sentences, and the blocks of new text after them."""

    def __init__(self) -> None:
        self.ops: list[Operation] = []
        self.unparsed: list[Unparsed] = []
        self.context: Steps = ()
        self.waiting: list[int] = []  # ops (indices) whose new text is the block to come
        self.may_take: list[int] = []  # … or may be (별지와 같이 한다: the 별지, an image)
        self.block: list[str] = []
        self.swallow = False  # the block of a sentence not read: not a second reason

    def line(self, line: str, start: int) -> None:
        s = line.strip()
        if not s or _NOTE_LINE.match(s):
            return
        taking = self.waiting or self.may_take or self.swallow or self.block
        if taking and not looks_like_sentence(line):
            self.block.append(line)
            return
        skip = m.end() if (m := _LISTED.match(line)) else 0  # 1. 제1조 중 …: a list of them
        sentence = _Sentence(line[skip:], start + skip, self.context)
        try:
            sentence.parse()
        except AmendmentSyntaxError as err:
            if (self.waiting or self.swallow) and not _OP_VERB.search(line):
                self.block.append(line)  # new text that happens to read like a sentence
                return
            self.flush()
            reason = "unbalanced quotation marks" if line.count('"') % 2 else err.reason
            self.unparsed.append(Unparsed(reason, s, start + skip + err.offset))
            self.swallow = "다음과 같이" in line
            return
        self.flush()
        self.swallow = False
        self.context = sentence.context
        self.waiting = [len(self.ops) + i for i in sentence.block_ops]
        self.may_take = [len(self.ops) + i for i in sentence.optional_block]
        self.ops.extend(sentence.ops)

    def flush(self) -> None:
        """Give the block read so far to the operations waiting for it."""
        block, waiting, may_take = self.block, self.waiting, self.may_take
        self.block, self.waiting, self.may_take = [], [], []
        if self.swallow:
            return
        if waiting:
            chunks = split_block(block, [self.ops[i].target for i in waiting]) if block else None
            if not block:
                self.unparsed.append(Unparsed("다음과 같이 with no text after it", ""))
            elif chunks is None:
                reason = "new text does not match its provisions"
                self.unparsed.append(Unparsed(reason, "\n".join(block)))
            else:
                for i, chunk in zip(waiting, chunks, strict=True):
                    self.ops[i] = dataclasses.replace(self.ops[i], new=chunk)
        elif block and may_take:
            one_each = len(block) == len(may_take) and all(is_image(b) for b in block)
            texts = [b.strip() for b in block] if one_each else ["\n".join(block)] * len(may_take)
            for i, text in zip(may_take, texts, strict=True):
                self.ops[i] = dataclasses.replace(self.ops[i], new=text)
        elif block:
            self.unparsed.append(Unparsed("text with no 다음과 같이 before it", "\n".join(block)))


def parse_clause(clause: Clause) -> ParsedClause:
    """Every operation of a clause, with the sentences and blocks it could not read."""
    reader = _ClauseReader()
    offset = 0
    for line in clause.text.split("\n"):
        reader.line(line, offset)
        offset += len(line) + 1
    reader.flush()
    return ParsedClause(clause, tuple(reader.ops), tuple(reader.unparsed))
