"""Relative references: what 법, 영, 같은 법, 같은 조, 이 법 or a bare 제2항 cite.

``find_citations`` finds them; this module says which law and which provision each one
means, from the citing statute and the text before the citation:

* **the statute's family** (``family``): a 시행령 is subordinate to its Act, a 시행규칙 to
  its Act and 시행령. The names come from the statute's 제1조 (이 영은 「X」 …에서 위임된
  사항, 이 규칙은 「X」 및 같은 법 시행령에서 …) and, failing that, from its title
  (「X 시행령」 → 「X」);
* **alias** (법, 영, 규칙, a short name): a name defined in the text before it by
  ``「…」(이하 "…"이라 한다)`` wins (from that point to the end of the text); else 법 / 법률
  is the Act of a decree or rule, 영 the 시행령 of a rule, 규칙 the rule itself; any other
  word is taken as written (수도법 제12조: the unbracketed name);
* **decree** (대통령령, 총리령, …부령, 시행령, 시행규칙, 같은 법 시행령, X법 시행령): the
  decree of the law it names or of the family (대통령령으로 정하는 in an Act: its
  시행령; …부령으로 정하는: its 시행규칙);
* **same-law** (같은 법, 동법, 같은 영 …): the last law cited before it in the same
  article whose name ends with the same law word (같은 영 after a 시행령, never after an
  Act);
* **same-article** / **same-paragraph** (같은 조 제2항, 같은 항 제3호): the law and the
  article (and paragraph) of the last provision cited before it in the same article;
* **self** (이 법, 이 영, a bare 제N조): the citing statute; a bare 제2항 or 제3호 (a level
  0, "of this article") takes the article and paragraph of the citing provision.

Every referent says which rule decided (``Referent.rule``). A referent with ``law=None``
is the citing statute itself; ``paths`` are then provision paths in it, a citing 부칙's
prefix included (제1항 in 부칙 제2조 is that 부칙's 제2조제1항).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from legigraph.link.citations import Citation, Provision, find_citations
from legigraph.model.records import LawText

_DEFINES = re.compile(r'[ \t]*\(이하[ \t]*["“]([^"”\n]{1,40})["”][ \t]*(?:이)?라[ \t]*한다\)')
_SUBORDINATE = re.compile(r"[ \t]*시행(령|규칙)$")
_SPACE = re.compile(r"\s+")
# A 부칙's amendment of another law: "<95> 국제협력요원에 관한 법률 일부를 다음과 같이 개정한다",
# "④방산물자의원가계산에관한규칙중 다음과 같이 개정한다". Until the next such line (or the end of
# the 부칙 article) bare provisions, 같은 조 and 같은 항 are the amended law's.
_CIRCLED = "\u2460-\u2473\u3251-\u325f\u32b1-\u32bf"  # ① … ⑳, ㉑ … ㊿
_AMENDS = re.compile(r"다음과[ \t]*같이[ \t]*개정한다")
# the amended law's name, ending where "… 일부를 다음과 같이 개정한다" begins
_AMENDED = re.compile(
    rf"(?:^|(?<=[\s.>]))(?:<\d+>|[{_CIRCLED}])?[ \t]*"
    rf"([^\s<>「」\"“”.,(){_CIRCLED}][^<>「」\"“”\n.,(){_CIRCLED}]{{0,100}}?)[ \t]*"
    r"(?:중[ \t]*)?(?:(?:일부|전부)[ \t]*를[ \t]*)?$"
)
_LAW_END = re.compile(r"(?:법|법률|령|규칙|규정|조례)$")
_QUOTE = re.compile(r'["“”]')
# 대통령령 (총리령, …부령) meaning decrees in general, not one: the stock 부칙 clause "개정되는
# 대통령령 중 … 시행일이 도래하지 아니한 대통령령을 개정한 부분은 각각 해당 대통령령의 시행일부터"
_IN_GENERAL = re.compile(r"[ \t]*(?:중[ \t]|[을를][ \t]*개정|의[ \t]*(?:시행일|일부[ \t]*개정))")
_DECREE_WORD = re.compile(r"(?:대통령|총리|[가-힣]+부)령")
# What may stand between a law's provisions and a bare 제N조 that goes on citing that law:
# a list broken by a range (「X」 제3조부터 제5조까지, 제7조), a parenthesis opened on it
# (「X」 제58조(제4항은 제외한다)) or closed before the list goes on (…는 제외한다), 제59조).
_GOES_ON = re.compile(
    r"[ \t]*(?:[,ㆍ·]|및|또는|과|와)[ \t]*"
    r"|(?:의)?[ \t]*(?:규정)?[ \t]*\([ \t]*"
    r"|[^()\n]{0,40}\)[ \t]*(?:[,ㆍ·]|및|또는)[ \t]*"
)


def law_level(kind: str) -> str:
    """The level of a 법령구분: act (법률), decree (대통령령) or rule (총리령, …부령, 규칙)."""
    if kind == "법률":
        return "act"
    return "decree" if kind in ("대통령령", "각령") else "rule"


@dataclass(frozen=True)
class Family:
    """The citing statute and the laws it is subordinate to (names as the index has them)."""

    name: str
    kind: str  # 법령구분: 법률, 대통령령, 보건복지부령 …
    act: str | None = None  # its Act (법), for a decree or a rule
    decree: str | None = None  # its 시행령 (영), for a rule

    @property
    def level(self) -> str:
        """act, decree or rule: where the statute stands in a delegation chain."""
        return law_level(self.kind)


@dataclass(frozen=True)
class Referent:
    """What a citation means: a law by name (None: the citing statute) and provisions."""

    law: str | None
    provisions: tuple[Provision, ...]
    paths: tuple[str, ...]
    rule: str


def _first_article(law: LawText) -> str:
    for prov in law.walk():
        if prov.path == "art_1":
            return "\n".join(p.text for p in prov.walk())
    return ""


def family(law: LawText, kind: str) -> Family:
    """The family of ``law``: from its title (「X 시행령」), else from its 제1조's names."""
    title = law.title
    level = Family(title, kind).level
    act = decree = None
    if m := _SUBORDINATE.search(title):
        act = title[: m.start()].strip()
        decree = f"{act} 시행령" if m.group(1) == "규칙" else None
    elif level != "act":
        first = _first_article(law)
        named = [c.law for c in find_citations(first) if c.relation == "explicit" and c.law]
        acts = [n for n in named if _name_kind(n) == "법"]
        decrees = [n for n in named if n.replace(" ", "").endswith("시행령")]
        act = acts[0] if acts else None
        if level == "rule":
            same = act is not None and re.search(r"(?:같은|동)\s*법\s*시행령", first)
            decree = decrees[0] if decrees else f"{act} 시행령" if same else None
    return Family(title, kind, act, decree if level == "rule" else None)


def _law_word(word: str) -> str:
    """법, 영, 규칙 or 조례: the kind of law a 같은 … word means."""
    word = word.replace(" ", "")
    ends = (("법률", "법"), ("법", "법"), ("영", "영"), ("규칙", "규칙"), ("조례", "조례"))
    return next((kind for end, kind in ends if word.endswith(end)), "")


def _name_kind(name: str) -> str:
    """법, 영, 규칙 or 조례: the kind of law a name is (a 규정 is a decree)."""
    name = name.replace(" ", "")
    return "영" if name.endswith(("령", "규정")) else _law_word(name)


def _article_prefix(path: str) -> tuple[list[str], str | None]:
    """The steps of ``path`` up to its article, and its paragraph step (if any)."""
    steps = path.split("/")
    arts = [n for n, s in enumerate(steps) if s.startswith("art_")]
    if not arts:
        return steps, None
    cut = arts[-1] + 1
    para = steps[cut] if len(steps) > cut and steps[cut].startswith("para_") else None
    return steps[:cut], para


def _context_path(prov: Provision, citing: str) -> str:
    """The path of a level-0 provision of the citing statute: 제2항 of the citing article."""
    prefix, para = _article_prefix(citing)
    steps = list(prefix)
    if prov.paragraph:
        steps.append(f"para_{prov.paragraph}")
    elif prov.paragraph == 0 and para is not None:
        steps.append(para)
    tail = prov.path.split("/")
    steps += [s for s in tail if s.startswith(("item_", "subitem_"))]
    return "/".join(steps)


def _fill(prov: Provision, above: Provision) -> Provision:
    """``prov`` with its context levels (0) taken from ``above``."""
    if prov.article != 0:
        return prov
    if prov.paragraph == 0:
        return replace(prov, article=above.article, article_branch=above.article_branch,
                       paragraph=above.paragraph)  # fmt: skip
    return replace(prov, article=above.article, article_branch=above.article_branch)


def is_context(prov: Provision) -> bool:
    """Whether a level of ``prov`` is taken from the context (a 0: 제2항 of this article)."""
    return prov.article == 0 or prov.paragraph == 0


def amended_laws(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of each line of ``text`` that amends another law by name."""
    out: list[tuple[int, int, str]] = []
    if "개정한다" not in text:
        return out
    for anchor in _AMENDS.finditer(text):
        window = max(0, anchor.start() - 140)
        m = _AMENDED.search(text, window, anchor.start())
        if m is None:
            continue
        name = _SPACE.sub(" ", m.group(1)).strip()
        lawlike = _LAW_END.search(name.replace(" ", "")) and "생략" not in name
        if lawlike and not name.startswith(("이 ", "제", "같은")):
            out.append((m.start(1), anchor.end(), name))
    return out


def quoted(text: str) -> list[int]:
    """The offsets of the quotation marks of ``text``.

    A citation after an odd number of them is inside quoted words ("…부령"을 "…부령"으로 한다).
    """
    return [m.start() for m in _QUOTE.finditer(text)]


def in_general(cit: Citation, text: str) -> bool:
    """Whether a bare decree word means decrees in general ("대통령령 중", "…을 개정한")."""
    word = (cit.law or "").replace(" ", "")
    return (
        cit.relation == "decree"
        and not cit.provisions
        and _DECREE_WORD.fullmatch(word) is not None
        and _IN_GENERAL.match(text, cit.end) is not None
    )


@dataclass
class Scope:
    """What the text before a citation says: aliases defined, laws and provisions cited."""

    family: Family
    aliases: dict[str, str] = field(default_factory=dict)  # 이하 "법" → the law's name
    laws: list[str] = field(default_factory=list)  # laws named in this article, in order
    last: Referent | None = None  # the last provision cited in this article
    amending: str | None = None  # in a 부칙: the law its amendment line names, from there on
    # the last citation in this text: its end, what it means, whether it is a 별표
    previous: tuple[int, Referent | None, bool] | None = None

    def new_article(self) -> None:
        self.laws.clear()
        self.last = None
        self.amending = None

    def amend(self, name: str) -> None:
        """From here on the text amends the law ``name``: its provisions are that law's."""
        self.amending = name
        self.last = None

    def new_text(self) -> None:
        self.previous = None

    def _same(self, word: str) -> str | None:
        kind = _law_word(word)
        return next((name for name in reversed(self.laws) if _name_kind(name) == kind), None)

    def _decree_of(self, word: str, act: str | None) -> tuple[str | None, str]:
        """The law a decree word means: the decree or rule of ``act`` (or of the family)."""
        fam = self.family
        rule_word = word.endswith("시행규칙") or word.endswith("부령") or word == "총리령"
        if rule_word:
            if act is None and fam.level == "rule":
                return None, "decree-self"
            base = act or (fam.name if fam.level == "act" else fam.act)
            return (f"{base} 시행규칙" if base else None), "decree-rule"
        if act is None and fam.level == "decree":
            return None, "decree-self"
        if act is None and fam.level == "rule":
            return fam.decree or (f"{fam.act} 시행령" if fam.act else None), "decree-parent"
        base = act or fam.name
        return f"{base} 시행령", "decree-of-act"

    def law_of(self, cit: Citation) -> tuple[str | None, str, bool]:
        """The law ``cit`` names, the rule, and whether it resolved (False: no antecedent)."""
        rel = cit.relation
        if rel == "explicit":
            return cit.law, "name", True
        if rel == "self":
            if self.amending is not None and cit.law is None:
                return self.amending, "amended-law", True  # 제5조 중 "…"을: the amended law's
            return None, "self", True
        word, fam = _SPACE.sub(" ", cit.law or ""), self.family
        if rel == "same-law":
            name = self._same(word)
            return name, "same-law", name is not None
        if rel == "alias":
            key = word.replace(" ", "")
            if key in self.aliases:
                return self.aliases[key], "defined-alias", True
            if key in ("법", "법률"):
                return fam.act, "parent-act", fam.act is not None
            if key == "영":
                name = fam.decree if fam.level == "rule" else None
                return name, "parent-decree", name is not None
            if key == "규칙":
                return None, "self", fam.level == "rule"
            return word, "unbracketed-name", True
        if rel == "decree":
            head = word.replace(" ", "")
            stem = re.sub(r"시행(령|규칙)$", "", head)
            if head.startswith(("같은", "동")):
                act = self._same("법")
                if act is None:
                    return None, "same-law", False
                name, rule = self._decree_of(head, act)
                return name, rule, name is not None
            if head.startswith("이") and stem in ("이법", "이"):
                name, rule = self._decree_of(head, fam.name if fam.level == "act" else fam.act)
                return name, rule, name is not None
            if stem.endswith("법") and stem != "법":
                return word, "unbracketed-name", True
            act = fam.act if stem == "법" else None
            name, rule = self._decree_of(head, act)
            return name, rule, name is not None or rule == "decree-self"
        # same-article, same-paragraph: the law of the last provision cited
        if self.last is None:
            return None, rel, False
        return self.last.law, rel, True

    def referent(self, cit: Citation, citing: str, text: str = "") -> Referent | None:
        """What ``cit`` in ``text``, of the provision at ``citing``, means (None: nothing says)."""
        law, rule, ok = self.law_of(cit)
        bare = cit.relation == "self" and cit.law is None and bool(cit.provisions)
        prev = self.previous
        if bare and prev is not None and prev[2] and not text[prev[0] : cit.start].strip():
            return None  # 별표 1 제2호: a part of the annex, not of the law
        goes_on = bool(
            bare and prev is not None and prev[1] and _GOES_ON.fullmatch(text, prev[0], cit.start)
        )
        if goes_on and prev is not None and prev[1] is not None:
            law, rule, ok = prev[1].law, "list-goes-on", True
        if not ok:
            return None
        above = prev[1] if goes_on and prev is not None else self.last
        if cit.relation in ("same-article", "same-paragraph") and above is None:
            return None
        context = citing
        if above is not None and (goes_on or not bare) and above.paths:
            context = above.paths[-1]
        provisions = list(cit.provisions)
        paths = []
        for n, prov in enumerate(provisions):
            if not is_context(prov):
                paths.append(_path(prov))
            elif law is None:
                paths.append(_context_path(prov, context))
            elif above is not None and above.law == law and above.provisions:
                provisions[n] = _fill(prov, above.provisions[-1])
                paths.append(provisions[n].path)
            else:
                paths.append(prov.path)  # 「X」 제2항: no article to take it from
        return Referent(law, tuple(provisions), tuple(paths), rule)

    def after(self, cit: Citation, ref: Referent | None, text: str) -> None:
        """Note what ``cit`` (meaning ``ref``) tells the citations after it."""
        self.previous = (cit.end, ref, cit.annex is not None)
        if ref is None:
            return
        if ref.law is not None and cit.relation not in ("same-article", "same-paragraph"):
            self.laws.append(ref.law)
            if m := _DEFINES.match(text, cit.end) or _DEFINES.search(cit.text):
                self.aliases[m.group(1).replace(" ", "")] = ref.law
        defining = text[max(0, cit.start - 4) : cit.start].replace(" ", "").endswith("이하")
        if ref.provisions and cit.annex is None and not cit.addendum and not defining:
            self.last = ref  # not 이 조 of (이하 이 조에서 "…"라 한다)


@lru_cache(maxsize=1 << 16)
def _path(prov: Provision) -> str:
    """``prov.path``, once per provision: a statute cites the same ones again and again."""
    return prov.path


def _article_of(path: str) -> str:
    """``path`` up to its (last) article step: what ``_article_prefix`` keeps, joined."""
    at = path.rfind("/art_") + 1 or (0 if path.startswith("art_") else -1)
    if at < 0:
        return path
    end = path.find("/", at)
    return path if end < 0 else path[:end]


def referents(
    law: LawText, fam: Family, texts: list[tuple[str, str]] | None = None
) -> list[tuple[str, Citation, Referent | None]]:
    """Every citation of ``law`` (path of the citing provision, citation, what it means).

    ``texts``: the (path, citable text) of each provision, in order (default: each
    provision's own text).
    """
    scope = Scope(fam)
    out: list[tuple[str, Citation, Referent | None]] = []
    article = ""
    for path, text in texts if texts is not None else [(p.path, p.text) for p in law.walk()]:
        if (here := _article_of(path)) != article:
            scope.new_article()
            article = here
        scope.new_text()
        addendum = path.startswith("addendum")
        amends = amended_laws(text) if addendum else []
        quotes = quoted(text) if addendum else []
        for cit in find_citations(text):
            while amends and amends[0][0] <= cit.start:
                _, end, name = amends[0]
                if cit.start < end:  # the amended law's own name (…법률 시행령 일부를)
                    break
                scope.amend(name)
                amends.pop(0)
            if amends and amends[0][0] <= cit.start:
                scope.amend(amends[0][2])
                out.append((path, cit, Referent(amends[0][2], (), (), "amended-law")))
                continue
            inside = bisect.bisect_left(quotes, cit.start) % 2 == 1
            if inside and cit.relation != "explicit":
                continue  # words an amendment quotes, not a reference
            if addendum and in_general(cit, text):
                continue  # decrees in general, not a reference
            ref = None if cit.draft else scope.referent(cit, path, text)
            out.append((path, cit, ref))
            if not inside:  # a quoted 「…」 is the amended law's wording: no antecedent
                scope.after(cit, ref, text)
    return out
