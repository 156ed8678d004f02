"""Find the 타법개정 clauses in the 부칙 of a legalize-kr Markdown text.

A clause is the line ``… 일부를 다음과 같이 개정한다.`` (the amended law's name before it,
in 「…」 or bare, sometimes with ``법률 제N호`` in front) and the lines below it, up to the
next clause, the next 부칙 paragraph (``⑤``, ``<21>``) or article, or the next 부칙. The
same clause appears twice in the corpus: in the amending law's own 부칙 and, under
``부칙(amending law) <제N호,date>``, in the file of the law it amends.

Block text (the new provision after 다음과 같이) is indented, or starts an article line
``제5조(제목) …``; only the second can be mistaken for the next 부칙 article, so such a line
ends the clause only when it is the next article of the 부칙 and the clause did not just
ask for that article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from legigraph.amendments.blocks import CIRCLED, is_article_text, marker_number, paragraph_number
from legigraph.amendments.model import Clause
from legigraph.amendments.refs import LAW_NUMBER
from legigraph.model.text import nfc

HEADER = re.compile(r"일부(?:개정)?를\s*다음과\s*같이\s*개정한다")
_HEADER_LINE = re.compile(
    rf"^\s*(?:제\s*(?P<art>\d+)\s*조(?:\s*의\s*(?P<artb>\d+))?\s*(?:\([^)]*\))?\s*)?"
    rf"(?P<para>[{CIRCLED}]|<\d+>)?\s*(?P<name>.*?)\s*일부(?:개정)?를\s*다음과\s*같이\s*개정한다"
    r"\s*\.?\s*(?P<rest>.*)$"
)
_ADDENDUM = re.compile(
    r"^부칙\s*(?:\((?P<by>.*)\))?\s*<\s*제\s*(?P<no>\d+)\s*호\s*,\s*(?P<date>[\d.\s]+)>"
)
# A 부칙 article: its heading line 제3조(다른 법률의 개정) …, or 제2조 및 제3조 생략.
_ADDENDUM_ARTICLE = re.compile(r"^제\s*(\d+)\s*조(?:\s*의\s*(\d+))?\s*(\(|(?=.*생략\s*$))")
_NUMBERED = re.compile(rf"^{LAW_NUMBER}\s*")
# Two clauses glued on one line in the source (…한다.⑤ 근로자직업능력 개발법 일부를…).
_GLUED = re.compile(rf"(?<=한다\.)\s*(?=(?:[{CIRCLED}]|<\d+>)\s*\S)")
# Words in the titles of 부칙 articles (시행일, 다른 법률의 개정, 경과조치 …): an article
# line with one of them is the 부칙's own next article, not new text of the amended law.
_ADDENDUM_TITLE = re.compile(
    r"\((?:시행일[^)]*|[^)]*다른\s*(?:법률|법령|규칙|조례|대통령령|[가-힣]*령)[^)]*"
    r"|[^)]*경과\s*조치|[^)]*적용\s*례|[^)]*유효\s*기간[^)]*|[^)]*의\s*폐지)\)"
)
_OMITTED = re.compile(rf"^(?:\*\*)?(?:[{CIRCLED}]|<\d+>)(?:\*\*)?\s*(?:생략|부터|및)")


def _ends_clause(number: str, line: str, para: str, last_sentence: str) -> bool:
    """Whether a paragraph line (``⑤ …``) is the 부칙's next paragraph, not new text.

    New text is a paragraph only right after a 다음과 같이 sentence (제2조에 제10항을 다음과
    같이 신설한다. / ⑩ …); the 부칙's own next paragraph is numbered one more than the
    clause's, or is ``생략``.
    """
    if "다음과 같이" not in last_sentence or _OMITTED.match(line):
        return True
    return bool(para) and number == str(int(para) + 1)


def _date(text: str) -> str:
    parts = [p for p in re.split(r"[.\s]+", text) if p]
    if len(parts) != 3:
        return ""
    year, month, day = parts
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def amended_name(raw: str) -> tuple[str, str]:
    """The amended law's name and, if written (``법률 제19815호 …``), its number."""
    name = raw.strip()
    number = ""
    if m := _NUMBERED.match(name):
        number, name = m.group("number"), name[m.end() :]
    name = name.strip()
    if name.startswith("「") and name.endswith("」"):
        name = name[1:-1]
    return name.strip(), number


def _lines(text: str) -> tuple[list[str], list[int]]:
    """The lines of ``text``, glued clauses split apart, and each one's line number."""
    out: list[str] = []
    numbers: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = _GLUED.sub("\n", line).split("\n")
        out.extend(parts)
        numbers.extend([number] * len(parts))
    return out, numbers


def find_clauses(text: str, where: str = "", title: str = "") -> Iterator[Clause]:
    """Every 타법개정 clause in the 부칙 of one Markdown text, in order.

    ``where`` names the text in ``Clause.where`` (a file name); ``title`` is the law the
    text holds, the amending law of a clause under its own ``부칙 <제N호,date>``.
    """
    lines, numbers = _lines(nfc(text))
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "## 부칙")
    except StopIteration:
        return
    addendum = {"by": title, "no": "", "date": ""}
    article = ""
    i = start + 1
    while i < len(lines):
        line = lines[i].rstrip()
        stripped = line.strip()
        if m := _ADDENDUM.match(stripped):
            addendum = {
                "by": (m.group("by") or title).strip(),
                "no": m.group("no"),
                "date": _date(m.group("date")),
            }
            article = ""
        elif (m := _ADDENDUM_ARTICLE.match(stripped)) and not HEADER.search(stripped):
            article = m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
        if not HEADER.search(stripped) or not (h := _HEADER_LINE.match(stripped)):
            i += 1
            continue
        if h.group("art"):
            article = h.group("art") + (f"-{h.group('artb')}" if h.group("artb") else "")
        para = marker_number(h.group("para")) if h.group("para") else ""
        body: list[str] = [h.group("rest")] if h.group("rest").strip() else []
        last_sentence = body[-1] if body else ""
        j = i + 1
        while j < len(lines):
            nxt = lines[j].rstrip()
            s = nxt.strip()
            if not s:
                j += 1
                continue
            indented = nxt[:1].isspace()
            # An indented clause right after 다음과 같이 is new text: an amending act's 부칙
            # clause written anew (부칙 제9조제7항을 다음과 같이 한다. / ⑦ … 일부를 …).
            nested = indented and "다음과 같이" in last_sentence
            if (HEADER.search(s) and not nested) or _ADDENDUM.match(s):
                break
            if (
                not indented
                and (p := paragraph_number(s)) is not None
                and _ends_clause(p, s, para, last_sentence)
            ):
                break
            if not indented and (a := _ADDENDUM_ARTICLE.match(s)):
                next_article = int(a.group(1))
                if a.group(3) != "(" or (
                    article.isdigit()
                    and next_article == int(article) + 1
                    and (
                        _ADDENDUM_TITLE.match(s[a.start(3) :])
                        or not re.search(rf"제{next_article}조(?![의\d])", last_sentence)
                    )
                ):
                    break
            if not indented and not is_article_text(s):
                last_sentence = s
            body.append(nxt)
            j += 1
        name, number = amended_name(h.group("name"))
        path = f"addendum_{addendum['no']}" if addendum["no"] else "addendum"
        if article:
            path += f"/art_{article}"
        if para:
            path += f"/para_{para}"
        yield Clause(
            amended=name,
            text="\n".join(body),
            where=where,
            line=numbers[i],
            addendum_path=path,
            amending=addendum["by"],
            amending_number=addendum["no"],
            promulgated=addendum["date"],
            amended_number=number,
        )
        i = j


def read_amending_text(text: str, where: str = "") -> Clause:
    """A bill's 개정문 on its own: ``… 일부를 다음과 같이 개정한다.`` and the lines below.

    Lines before the header (a title, blank lines) are skipped; without a header the whole
    text is the body and the amended law is unnamed.
    """
    lines, numbers = _lines(nfc(text))
    for i, line in enumerate(lines):
        if HEADER.search(line) and (h := _HEADER_LINE.match(line.strip())):
            name, number = amended_name(h.group("name"))
            rest = [h.group("rest")] if h.group("rest").strip() else []
            body = rest + [b.rstrip() for b in lines[i + 1 :] if b.strip()]
            return Clause(name, "\n".join(body), where, numbers[i], amended_number=number)
    body = [b.rstrip() for b in lines if b.strip()]
    return Clause("", "\n".join(body), where, 1)
