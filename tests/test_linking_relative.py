"""Relative references (linking.relative) and delegations (linking.delegation).

The statutes are made up, in the corpus's form; the sentences are the corpus's
(kr/서예진흥에관한법률/시행규칙.md, kr/비료관리법/시행규칙.md, kr/재정경제부직제/시행규칙.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from legigraph.link.citations import find_citations
from legigraph.link.delegation import delegation_lines, delegation_wording, wordings
from legigraph.link.relative import Family, Referent, family, law_level, referents
from legigraph.model import ids
from legigraph.model.ids import IdError
from legigraph.model.namespaces import LG
from legigraph.model.records import LawText
from legigraph.sources.ordinance import read_law_bytes

ACT = "가나 진흥법"


def statute(title: str, kind: str, body: str) -> LawText:
    text = (f"---\n제목: {title}\n법령MST: 1\n법령ID: '000002'\n법령구분: {kind}\n"
            "공포일자: 2020-01-01\n공포번호: '7'\n시행일자: 2020-01-01\n"
            f"---\n# {title}\n\n{body}")  # fmt: skip
    return read_law_bytes(Path(f"kr/가나진흥법/{kind}.md"), text.encode())


def meaning(law: LawText, fam: Family | None = None) -> list[tuple[str, str, Referent | None]]:
    fam = fam or family(law, str(law.meta["법령구분"]))
    return [(path, cit.text, ref) for path, cit, ref in referents(law, fam)]


def test_family_from_the_title_and_from_article_1() -> None:
    rule = statute(f"{ACT} 시행규칙", "보건복지부령", "##### 제1조 (목적)\n\n이 규칙은 목적이다.\n")
    assert family(rule, "보건복지부령") == Family(
        f"{ACT} 시행규칙", "보건복지부령", ACT, f"{ACT} 시행령"
    )
    decree = statute("가나 위원회 규정", "대통령령",
                     f"##### 제1조 (목적)\n\n이 영은 「{ACT}」 제9조에 따라 정한다.\n")  # fmt: skip
    assert family(decree, "대통령령") == Family("가나 위원회 규정", "대통령령", ACT, None)
    act = statute(ACT, "법률", "##### 제1조 (목적)\n\n이 법은 목적이다.\n")
    assert family(act, "법률") == Family(ACT, "법률")
    assert [law_level(k) for k in ("법률", "대통령령", "총리령", "국토교통부령")] == [
        "act", "decree", "rule", "rule",
    ]  # fmt: skip


def test_law_and_decree_in_a_rule() -> None:
    # the rule's 제2조 of kr/서예진흥에관한법률/시행규칙.md, shortened
    body = (
        "##### 제2조 (지정신청)\n\n**①** 「서예진흥에 관한 법률」 제7조제2항 및 「서예진흥에 관한 "
        '법률 시행령」(이하 "영"이라 한다) 제4조제2항에 따라 제출해야 한다.\n\n'
        "**②** 영 제4조제2항제2호에 따른 전임교수 요원은 법 제7조에 따른다.\n\n"
        "**③** 제1항에 따른 서류는 같은 조 제2항과 같다.\n"
    )
    rule = statute("서예진흥에 관한 법률 시행규칙", "문화체육관광부령", body)
    got = [(path, text, ref.law, ref.paths, ref.rule) for path, text, ref in meaning(rule) if ref]
    decree = "서예진흥에 관한 법률 시행령"
    assert got == [
        ("art_2/para_1", "「서예진흥에 관한 법률」 제7조제2항", "서예진흥에 관한 법률",
         ("art_7/para_2",), "name"),
        ("art_2/para_1", '「서예진흥에 관한 법률 시행령」(이하 "영"이라 한다) 제4조제2항', decree,
         ("art_4/para_2",), "name"),
        ("art_2/para_2", "영 제4조제2항제2호", decree, ("art_4/para_2/item_2",), "defined-alias"),
        ("art_2/para_2", "법 제7조", "서예진흥에 관한 법률", ("art_7",), "parent-act"),
        ("art_2/para_3", "제1항", None, ("art_2/para_1",), "self"),
        ("art_2/para_3", "같은 조 제2항", None, ("art_2/para_2",), "same-article"),
    ]  # fmt: skip


def test_same_law_takes_the_last_law_of_its_word() -> None:
    body = (
        "##### 제3조 (준용)\n\n**①** 「가 법」 제2조, 「나 법 시행령」 제3조 및 같은 법 제4조, "
        "같은 영 제5조제1항, 같은 항 제2호를 준용한다.\n\n**②** 같은 법 제9조를 준용한다.\n\n"
        "##### 제4조 (다른 조)\n\n같은 법 제1조를 준용한다.\n"
    )
    refs = meaning(statute(ACT, "법률", body))
    got = [(text, ref and (ref.law, ref.paths)) for _, text, ref in refs]
    assert got == [
        ("「가 법」 제2조", ("가 법", ("art_2",))),
        ("「나 법 시행령」 제3조", ("나 법 시행령", ("art_3",))),
        ("같은 법 제4조", ("가 법", ("art_4",))),  # 같은 법: the Act, not the decree after it
        ("같은 영 제5조제1항", ("나 법 시행령", ("art_5/para_1",))),
        ("같은 항 제2호", ("나 법 시행령", ("art_5/para_1/item_2",))),
        ("같은 법 제9조", ("가 법", ("art_9",))),  # the next paragraph of the same article
        ("같은 법 제1조", None),  # a new article: nothing before it says which law
    ]


def test_decrees_by_description_and_by_name() -> None:
    body = ("##### 제5조 (위임)\n\n**①** 기준은 대통령령으로 정하고, "
            "서식은 보건복지부령으로 정한다.\n\n"
            "**②** 「다 법」 제2조 및 같은 법 시행령 제3조에 따른다.\n")  # fmt: skip
    refs = meaning(statute(ACT, "법률", body))
    got = [(text, ref and (ref.law, ref.rule)) for _, text, ref in refs]
    assert got == [
        ("대통령령", (f"{ACT} 시행령", "decree-of-act")),
        ("보건복지부령", (f"{ACT} 시행규칙", "decree-rule")),
        ("「다 법」 제2조", ("다 법", "name")),
        ("같은 법 시행령 제3조", ("다 법 시행령", "decree-of-act")),
    ]


def test_a_list_goes_on_after_a_range_and_an_annex_keeps_its_items() -> None:
    # kr/재정경제부직제/시행규칙.md 제14조제6항 and kr/의약품등의안전에관한규칙 제21조, shortened
    body = ("##### 제14조 (국제조세정책관)\n\n**⑥** 정책관은 "
            "「재정경제부 직제」 제17조제3항제21호부터 "
            "제23호까지 및 제28호부터 제31호까지의 사항에 관하여 보좌한다.\n\n"
            "**⑦** 별표 3 제6호에 따른 임상시험을 한다.\n")  # fmt: skip
    got = [(text, ref and ref.paths) for _, text, ref in meaning(statute(ACT, "법률", body))]
    assert got[:2] == [
        ("「재정경제부 직제」 제17조제3항제21호부터 제23호까지",
         ("art_17/para_3/item_21", "art_17/para_3/item_23")),
        ("제28호부터 제31호까지", ("art_17/para_3/item_28", "art_17/para_3/item_31")),
    ]  # fmt: skip
    refs = meaning(statute(ACT, "법률", body))
    assert refs[1][2] is not None and refs[1][2].law == "재정경제부 직제"
    assert [r.rule for _, _, r in refs[:2] if r] == ["name", "list-goes-on"]
    assert [text for _, text, _ in refs[2:]] == ["별표 3 제6호"]  # the annex's item: one citation


def test_a_context_paragraph_in_an_addendum_is_the_addendum_s() -> None:
    body = ("##### 제1조 (목적)\n\n이 법은 목적이다.\n\n## 부칙\n\n부칙 <제7호,2020.1.1>\n\n"
            "제1조(시행일) 이 법은 공포한 날부터 시행한다.\n\n"
            "제2조(경과조치) ① 종전의 허가는 효력이 있다.\n\n"
            "② 제1항의 허가는 제1조에 따른다.\n")  # fmt: skip
    paths = [ref.paths for _, _, ref in meaning(statute(ACT, "법률", body)) if ref and ref.paths]
    assert ("addendum_7/art_2/para_1",) in paths


def test_an_amendment_block_in_an_addendum_is_the_amended_law_s() -> None:
    # the 부칙 of kr/정부조직법/법률.md (<제11690호> 제6조) and kr/국가통계위원회규정/대통령령.md
    body = ("##### 제1조 (목적)\n\n이 법은 목적이다.\n\n## 부칙\n\n부칙 <제7호,2020.1.1>\n\n"
            "제1조(시행일) 이 법은 공포한 날부터 시행한다. 다만, 부칙 제2조에 따라 개정되는 "
            "대통령령 중 시행일이 도래하지 아니한 대통령령을 개정한 부분은 각각 해당 대통령령의 "
            "시행일부터 시행한다.\n\n"
            "제2조(다른 법률의 개정) <95> 국제협력요원에 관한 법률 일부를 다음과 같이 개정한다. "
            "제9조제1항, 같은 조 제2항 중 \"외교통상부장관\"을 \"외교부장관\"으로 하고, "
            "제3조 중 \"같은 법 제11조\"를 \"같은 법 제14조\"로 한다. "
            "<96> 가나 진흥법 시행령 일부를 다음과 같이 개정한다. 제4조 및 같은 조 제2항 중 "
            "\"공동부령\"을 \"보건복지부령\"으로 한다.\n")  # fmt: skip
    refs = [
        (text, r.law, r.paths, r.rule) for _, text, r in meaning(statute(ACT, "법률", body)) if r
    ]
    assert ("제9조제1항", "국제협력요원에 관한 법률", ("art_9/para_1",), "amended-law") in refs
    assert ("같은 조 제2항", "국제협력요원에 관한 법률", ("art_9/para_2",), "same-article") in refs
    assert ("진흥법 시행령", "가나 진흥법 시행령", (), "amended-law") in refs  # in the name
    assert ("같은 조 제2항", "가나 진흥법 시행령", ("art_4/para_2",), "same-article") in refs
    found = [text for _, text, _ in meaning(statute(ACT, "법률", body))]
    assert "같은 법 제11조" not in found and "보건복지부령" not in found  # quoted words
    assert "대통령령" not in found  # decrees in general


def test_forms_are_form_citations_not_provisions() -> None:
    # kr/비료관리법/시행규칙.md, kr/고용보험법/시행규칙.md
    forms = {"별지 제5호의2서식에 따른다.": "5의2", "별지 제5호의11서식의 체육지도자": "5의11",
             "별지 제81호 서식의 청구서": "81"}  # fmt: skip
    for text, number in forms.items():
        found = find_citations(text)
        assert [(c.kind, c.form, c.provisions) for c in found] == [("form", number, ())], text


DECREE_TEXT = (
    "##### 제4조 (지정)\n\n**②** 대학등은 문화체육관광부령으로 정하는 바에 따라 신청해야 한다.\n\n"
    "  1\\. 교육과정이 적절할 것\n  2\\. 문화체육관광부령으로 정하는 경력을 갖춘 요원\n\n"
    "**④** 법 제7조제3항에 따라 지원할 수 있다.\n"
)


def test_delegation_wording_needs_the_words_for_the_citing_kind() -> None:
    decree = statute("서예진흥에 관한 법률 시행령", "대통령령", DECREE_TEXT)
    words = wordings(decree)
    assert words == {"art_4/para_2": ("문화체육관광부령으로 정하는",),
                     "art_4/para_2/item_2": ("문화체육관광부령으로 정하는",)}  # fmt: skip
    assert delegation_wording("문화체육관광부령", "대통령령", "art_4/para_2", words) == (
        "문화체육관광부령으로 정하는"
    )
    # another ministry's 부령 (renamed ministries keep the old name in the words)
    assert delegation_wording("문화관광부령", "대통령령", "art_4/para_2/item_2", words)
    assert delegation_wording("총리령", "대통령령", "art_4/para_2", words) is None
    assert delegation_wording("대통령령", "대통령령", "art_4/para_2", words) is None  # same rank
    assert delegation_wording("법률", "대통령령", "art_4/para_2", words) is None  # above it
    # an article cited whole: its paragraphs do not delegate for it
    assert delegation_wording("문화체육관광부령", "대통령령", "art_4", words) is None
    assert delegation_wording("문화체육관광부령", "대통령령", "art_4/para_4", words) is None


def test_delegation_triples_and_iri() -> None:
    act, decree = ids.national_law("013199"), ids.national_law("013488")
    lines = delegation_lines(f"{decree}/art_4/para_4", f"{act}/art_7/para_3", "대통령령으로 정하는")
    node = f"{decree}/art_4/para_4/delegation/013199/art_7/para_3"
    assert lines[0] == (f"<{decree}/art_4/para_4> <http://data.europa.eu/eli/ontology#based_on> "
                        f"<{act}/art_7/para_3> .")  # fmt: skip
    wording = '"대통령령으로 정하는"@ko'
    assert f"<{node}> <{LG.delegationWording}> {wording} ." in lines
    with pytest.raises(IdError):
        ids.delegation_iri(f"{decree}/art_4", "https://example.org/x")
