"""The draft-bill workbench on real texts: bill 1544 and the 2025-12-30 시행령, and bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from legigraph.amendments import Version, from_provisions
from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.draft import DraftResult, compare, run_draft, write_outputs
from legigraph.model import ids
from legigraph.model.namespaces import LG
from legigraph.paths import Layout
from legigraph.sources.ordinance import read_law_text
from tests.conftest import ROOT

FIXTURES = ROOT / "tests/fixtures"
BILL = FIXTURES / "draft/bill-1544.md"
SIHAENG = FIXTURES / "draft/sihaengryeong-35948.md"
AFTER_9173 = ROOT / "data/external/ordinance-kr/2229686/raw/1915179.md"
AFTER_35948 = FIXTURES / "amendments/시행령(대통령령)@2025-12-30_6b204f9b0b.md"
ORDINANCE = ids.ordinance("2229686")


def _layout(built: BuildResult) -> Layout:
    return Layout(built.out_dir.parents[1])


def _texts(version: Version, path: str) -> list[tuple[str, str, str]]:
    node = version.find(path)
    assert node is not None, path
    return [(n.path, n.heading, n.text) for n in node.walk()]


@pytest.fixture(scope="module")
def bill(built: BuildResult) -> DraftResult:
    return run_draft(BILL, _layout(built))


def test_the_fixture_is_bill_1544_txt_with_a_front_matter() -> None:
    body = BILL.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert (FIXTURES / "amendments/bill-1544.txt").read_text(encoding="utf-8") in body


def test_bill_1544_applied_to_8756_gives_9173(bill: DraftResult) -> None:
    assert (bill.base.number, bill.base.in_force) == ("8756", "2023-05-22")
    after = read_law_text(AFTER_9173)
    expected = from_provisions(after.provisions, after.title)
    for path in ("art_3", "art_7"):
        assert _texts(bill.applied.after, path) == _texts(expected, path)


def test_the_text_written_reads_back_as_9173(bill: DraftResult, tmp_path: Path) -> None:
    write_outputs(bill, tmp_path)
    again = read_law_text(tmp_path / "text.md")
    expected = read_law_text(AFTER_9173)
    for path in ("art_3", "art_7"):
        got = [(p.path, p.heading, p.text) for p in again.find(path).walk()]
        assert got == [(p.path, p.heading, p.text) for p in expected.find(path).walk()]


def test_the_table_shows_the_changes_the_seed_describes(bill: DraftResult) -> None:
    rows = {(r.kind, r.label): r for r in bill.table.rows}
    art3 = rows["changed", "제3조"]
    assert [t for t, marked in art3.new if marked] == ["인공지능사업,"]
    assert not any(marked for _, marked in art3.old)
    new4 = rows["inserted", "제7조제4호"]
    assert new4.old == ((compare.NEW_MARK, False),)
    assert new4.new == (("4. 신기술 및 인공지능을 활용한 시책 개발 및 보급을 위한 사업", True),)
    moved = rows["renumbered", "제7조제5호"]
    assert "".join(t for t, _ in moved.old) == "4. 그 밖에 시장이 필요하다고 인정하는 사업"
    assert moved.new == (("5.", True), (" (현행 제4호와 같음)", False))
    assert ("same", "제7조제1호∼제7조제3호") in rows  # 1.∼3. (현행과 같음)
    assert [r.kind for r in bill.table.rows].count("omitted") == 1  # 제4조∼제6조: …


def test_the_table_in_markdown_html_and_csv(bill: DraftResult) -> None:
    md = compare.markdown(bill.table)
    assert "| 현행 | 개정안 |" in md and "<u>인공지능사업,</u>" in md
    assert "| 1.∼3. … | 1.∼3. (현행과 같음) |" in md
    page = compare.html_page(bill.table)
    assert "<ins>인공지능사업,</ins>" in page and "&lt;신 설&gt;" in page
    assert "<신 설>" not in page  # escaped
    rows = list(csv.DictReader(io.StringIO(compare.csv_text(bill.table))))
    renumbered = next(r for r in rows if r["구분"] == "renumbered")
    assert (renumbered["조문"], renumbered["개정안_바뀐_부분"]) == ("제7조제5호", "5.")


def test_the_rdf_is_the_model_of_the_curated_amendments(bill: DraftResult, graph: Graph) -> None:
    assert bill.validation is not None and bill.validation.conforms
    g = bill.graph
    assert g is not None
    amendments = sorted(g.subjects(RDF.type, LG.Amendment), key=str)
    assert [str(a).rsplit("/", 2)[-2:] for a in amendments] == [
        ["amendment", "1"],
        ["amendment", "2"],
        ["amendment", "3"],
    ]
    kinds = [str(g.value(a, LG.amendmentType)).rsplit("/", 1)[1] for a in amendments]
    assert kinds == ["insertion", "renumbering", "insertion"]
    # the same facts as the curated amendments of act 9173 (data/ordinance-2229686.ttl)
    curated = URIRef(str(ids.amending_act("9173")) + "/amendment/1")
    assert g.value(amendments[0], LG.insertedText) == graph.value(curated, LG.insertedText)
    assert g.value(amendments[0], LG.textAfter) == graph.value(curated, LG.textAfter)
    assert g.value(amendments[2], LG.insertedText) == Literal(
        "신기술 및 인공지능을 활용한 시책 개발 및 보급을 위한 사업", lang="ko"
    )
    # one provision renumbered: the work-level subdivision it goes on as, like the build's
    # and the history's; the new 제7조제4호 is another
    assert g.value(amendments[1], LG.affectedProvision) == ids.provision(ORDINANCE, "art_7/item_5")
    curated = URIRef(str(ids.amending_act("9173")) + "/amendment/3")
    assert g.value(amendments[1], LG.affectedProvision) == graph.value(
        curated, LG.affectedProvision
    )
    assert g.value(amendments[2], LG.affectedProvision) == ids.provision(ORDINANCE, "art_7/item_4")
    assert g.value(amendments[1], LG.proposedAs) == Literal("안 제7조제5호")


def test_the_ripple_check_names_what_cites_the_renumbered_item(bill: DraftResult) -> None:
    assert bill.checks.moved == [("제7조제4호", "제7조제5호")]
    refs = {
        (r.predicate.rsplit("#", 1)[1], r.subject.rsplit("/", 4)[-4]) for r in bill.checks.ripple
    }
    assert ("onProvision", "2024-1544") in refs  # the review opinion on 안 제7조제4호
    legal_basis = [r for r in bill.checks.ripple if r.predicate.endswith("#legalBasis")]
    assert len(legal_basis) == 18  # every AI project's legal basis
    assert all(r.provision == "제7조제4호" for r in bill.checks.ripple)


def test_the_sihaengryeong_of_2025_12_30_through_draft(built: BuildResult) -> None:
    result = run_draft(SIHAENG, _layout(built))
    after = read_law_text(AFTER_35948)
    got = result.applied.after.find("art_13/para_1")
    assert got is not None and got.text.split() == after.find("art_13/para_1").text.split()
    expected = from_provisions(after.provisions, after.title)
    assert [(n.path, n.heading, n.text) for n in result.applied.after.walk()] == [
        (n.path, n.heading, n.text) for n in expected.walk()
    ]
    cited = [c for c in result.checks.citations if c.status == "resolved"]
    assert [c.target for c in cited] == [
        str(ids.provision(ids.national_law("014217"), "art_18/para_2"))
    ]
    assert result.graph is None  # no 의안번호: no bill IRI, no RDF


def test_a_national_draft_with_a_number_is_rdf_that_conforms(
    built: BuildResult, tmp_path: Path
) -> None:
    text = SIHAENG.read_text(encoding="utf-8").replace(
        "시행일: 2025-12-30\n", "시행일: 2025-12-30\n의안번호: 1\n"
    )
    text = text.replace("../amendments/", str(FIXTURES / "amendments") + "/")
    draft = tmp_path / "numbered.md"
    draft.write_text(text, encoding="utf-8")
    result = run_draft(draft, _layout(built))
    assert result.validation is not None
    assert result.conforms, result.validation.render()
    assert result.graph is not None
    affected = set(result.graph.objects(None, LG.affectedProvision))
    assert affected == {ids.provision(ids.national_law("014306"), "art_13/para_1")}


def _cli(built: BuildResult, *args: str) -> int:
    return main(["--root", str(_layout(built).root), "draft", *args])


def test_the_command_writes_its_outputs_only(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mine.txt").write_text("kept", encoding="utf-8")
    assert _cli(built, str(BILL), "--out", str(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "renumbered 제7조제5호" in out and "profile: conforms" in out
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {
        "mine.txt",
        "text.md",
        "comparison.md",
        "comparison.html",
        "comparison.csv",
        "checks.txt",
        "bill.ttl",
    }
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "kept"


def _bad(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "bad.md"
    path.write_text(BILL.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "서울특별시 미래전략과제 발굴 및 육성 조례",
            "서울특별시 없는 조례",
            "unknown target 「서울특별시 없는 조례」",
        ),
        (
            '"신기술기반사업, 공간개발사업"을',
            '"신기술사업, 공간개발사업"을',
            '"신기술사업, 공간개발사업" is not in 제3조',
        ),
        ("제7조제4호를 제5호로", "제9조제4호를 제5호로", "제9조제4호 (art_9/item_4) is not in"),
        ("시행일: 2024-03-26\n", "", "no 시행일"),
    ],
    ids=["unknown-target", "quoted-text-absent", "provision-missing", "no-date"],
)
def test_bad_input_exits_2_with_the_line(
    built: BuildResult,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    message: str,
) -> None:
    path = _bad(tmp_path, old, new)
    assert _cli(built, str(path), "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    if "is not in" in message:
        assert f"{path}:12:" in err  # the line of the sentence in the file
    assert not (tmp_path / "out").exists()


def test_with_a_store_the_law_and_what_cites_it_come_from_the_store(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from legigraph.ingest import ingest_statutes

    store = tmp_path / "store"
    corpus = FIXTURES / "corpus"
    ingest_statutes(corpus, store, corpus / "index_all_laws.csv", quiet=True, workers=1)
    draft = tmp_path / "repeal.md"
    draft.write_text(
        "---\n대상: 가나다법\n시행일: 2021-01-01\n---\n가나다법 일부개정법률안\n\n"
        "가나다법 일부를 다음과 같이 개정한다.\n\n제2조제1항제2호를 삭제한다.\n",
        encoding="utf-8",
    )
    assert _cli(built, str(draft), "--store", str(store), "--out", str(tmp_path / "o")) == 0
    out = capsys.readouterr().out
    assert "ripple: 제2조제1항제2호 (→ 삭제) is referred to by 1" in out
    assert "national store: eli:cites ← https://w3id.org/legigraph/eli/kr/law/900002/art_2" in out
    table = (tmp_path / "o" / "comparison.md").read_text(encoding="utf-8")
    assert "<u>삭 제</u>" in table


def _plain_draft(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "plain.md"
    path.write_text(
        "---\n대상: 서울특별시 미래전략과제 발굴 및 육성 조례\n시행일: 2025-01-01\n---\n"
        f"서울특별시 미래전략과제 발굴 및 육성 조례 일부를 다음과 같이 개정한다.\n\n{body}",
        encoding="utf-8",
    )
    return path


def test_a_repeal_names_the_provisions_of_the_law_that_cite_it(
    built: BuildResult, tmp_path: Path
) -> None:
    result = run_draft(_plain_draft(tmp_path, "제6조를 삭제한다.\n"), _layout(built))
    assert result.base.number == "9173"  # in force on the eve of 2025-01-01
    assert [(r.source, r.subject) for r in result.checks.ripple] == [("text", "제8조")]
    row = next(r for r in result.table.rows if r.kind == "repealed")
    assert row.new == (("제6조 ", False), ("삭 제", True))
    assert "1.∼7. …" in "".join(t for t, _ in row.old)
    assert result.graph is None  # no 의안번호


def test_a_definition_is_compared_with_the_text_it_cites(
    built: BuildResult, tmp_path: Path
) -> None:
    body = (
        "제2조제2호를 다음과 같이 한다.\n"
        '  2. "지속가능한 발전"이란 「지속가능발전 기본법」 제2조제2호에 따른 '
        "지속가능발전을 말한다.\n"
    )
    result = run_draft(_plain_draft(tmp_path, body), _layout(built))
    (check,) = result.checks.citations
    assert check.status == "resolved"
    assert check.target == str(ids.provision(ids.national_law("014217"), "art_2/item_2"))
    assert "the definition differs from the cited text" in check.reason


def test_an_unreadable_sentence_exits_2_and_decomposed_hangul_is_normalised(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _plain_draft(tmp_path, "제3조를 어떻게든 고친다.\n")
    assert _cli(built, str(path)) == 2
    err = capsys.readouterr().err
    assert f"{path}:7: cannot read this sentence of the 개정문" in err
    nfd = tmp_path / "nfd.md"  # NFC once, at reading, as the law texts are read
    decomposed = BILL.read_text(encoding="utf-8").replace("조례", "\u110c\u1169\u1105\u1168")
    nfd.write_text(decomposed, encoding="utf-8")
    assert _cli(built, str(nfd), "--out", str(tmp_path / "nfd")) == 0
    assert "renumbered 제7조제5호" in capsys.readouterr().out


def test_a_new_bill_adding_a_provision_is_rdf_that_conforms(
    built: BuildResult, tmp_path: Path
) -> None:
    path = tmp_path / "bill-1600.md"
    path.write_text(
        "---\n대상: 서울특별시 미래전략과제 발굴 및 육성 조례\n시행일: 2025-01-01\n"
        "의안번호: 1600\n제안일: 2024-10-01\n제안이유: 시험용 초안이다.\n---\n"
        "서울특별시 미래전략과제 발굴 및 육성 조례 일부를 다음과 같이 개정한다.\n\n"
        "제7조에 제6호를 다음과 같이 신설한다.\n  6. 미래세대 참여 사업\n",
        encoding="utf-8",
    )
    result = run_draft(path, _layout(built))
    assert result.validation is not None
    assert result.conforms, result.validation.render()
    assert result.graph is not None
    new = ids.provision(ORDINANCE, "art_7/item_6")
    assert (
        new,
        RDF.type,
        URIRef("http://data.europa.eu/eli/ontology#LegalResourceSubdivision"),
    ) in result.graph
    (amendment,) = result.graph.subjects(RDF.type, LG.Amendment)
    assert str(amendment) == str(ids.bill(2024, 1600)) + "/amendment/1"
