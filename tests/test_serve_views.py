"""The pages of ``legigraph serve`` by what a resource is, and their SVG pictures, on a real
server on loopback: the bill's timeline, an amendment's 신구조문대비표, a department, an AI
project's register record, a national law's contents, and where the facts came from."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

from legigraph.build import BuildResult
from legigraph.errors import EngineError
from legigraph.serve import pictures
from tests.serving import Server, section, serve_build

BILL = "eli/dl/kr-11/bill/2024/1544"
INSERTED = "eli/kr-11/ordin-amend/9173/amendment/2"  # 제7조제4호 신설 (and 제4호 → 제5호)
SCOPE = "eli/kr-11/ordin-amend/9173/amendment/1"  # 제3조: 인공지능사업 added
DIVISION = "id/org/information-systems-division"
PROJECT = "id/kr-11/ai-project/2024/05"
LAW = "eli/kr/law/014217"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def server(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve_build(built, tmp_path_factory, "serve-views")


def test_bill_timeline_from_the_graph(server: Server) -> None:
    page = server.get("/" + BILL).text
    timeline = section(page, "timeline")
    steps = re.findall(r"(\d{4}-\d{2}-\d{2}|\(일자 없음\)) (\S+)", timeline)
    assert steps[:2] == [("2024-02-02", "제안"), ("2024-02-07", "회부")]
    assert ("2024-03-26", "공포") in steps and ("2024-03-26", "시행") in steps
    assert "대표발의: 김동욱" in timeline and "41명" in timeline
    assert "조례 제9173호" in timeline
    assert f'src="{server.url}/pictures/timeline/{BILL}.svg"' in page
    assert "제7조제4호 신설" in section(page, "amendments")


def test_amendment_comparison_marks_the_changes(server: Server) -> None:
    page = server.get("/" + INSERTED).text
    table = re.search(r'<table id="comparison".*?</table>', page, re.S)
    assert table
    rows = re.findall(r'<tr class="(\w+) depth-\d"><td>(.*?)</td><td>(.*?)</td></tr>', table[0])
    kinds = [kind for kind, _, _ in rows]
    assert kinds[0] == "heading" and "inserted" in kinds and "renumbered" in kinds
    _, old, new = rows[kinds.index("inserted")]
    assert html.unescape(old) == "<신 설>"
    assert "<ins>" in new and "신기술 및 인공지능을 활용한" in new
    _, old, new = rows[kinds.index("renumbered")]
    assert old.startswith("4.") and "(현행 제4호와 같음)" in new  # compared with itself
    assert "<ins>5.</ins>" in new
    # a change of words within an article: only the new word is marked
    scope = re.search(r'<table id="comparison".*?</table>', server.get("/" + SCOPE).text, re.S)
    assert scope
    assert re.findall(r"<ins>(.*?)</ins>", scope[0]) == ["인공지능사업,"]
    assert "<del>" not in scope[0]  # nothing was taken out


def test_department_units_and_projects(server: Server) -> None:
    page = server.get("/" + DIVISION).text
    projects = section(page, "projects")
    assert '서울시 대표 챗봇 "서울톡" 운영 (주관·시행)' in projects
    assert "디지털정책관" in page  # the office it is a unit of
    units = section(server.get("/id/org/digital-policy-office").text, "units")
    assert "정보시스템담당관" in units and "빅데이터담당관" in units


def test_project_register_record(server: Server) -> None:
    page = server.get("/" + PROJECT).text
    record = {
        key: html.unescape(re.sub(r"<[^>]+>", " ", cell))
        for key, cell in re.findall(r'<tr data-field="(\w+)">.*?<td>(.*?)</td></tr>', page, re.S)
    }  # fmt: skip
    assert "서울톡" in record["name"]
    assert "정보시스템담당관" in record["lead"]
    assert "챗봇" in record["words"]  # the technique in the report's words
    assert "제7조제4호" in record["basis"]
    assert "24" in record["quantity"] and "시간" in record["quantity"]
    provenance = section(page, "provenance")
    assert "307–326" in provenance  # the table row of the seed the record came from
    assert "서울톡" in provenance


def test_national_law_contents_and_most_cited(server: Server) -> None:
    page = server.get("/" + LAW).text
    contents = section(page, "contents")
    assert contents.split()[:4] == ["제1조", "(목적)", "제2조", "(정의)"]
    cited = section(page, "most-cited")
    assert "제2조제2호" in cited
    assert f'src="{server.url}/pictures/citations/{LAW}.svg"' in page


@pytest.mark.parametrize(
    ("path", "expected"),
    [(f"/pictures/citations/{LAW}/art_2/item_2.svg",
      ["서울특별시 미래전략과제 발굴 및 육성 조례 제2조제2호", "지속가능발전 기본법 제2조제2호"]),
     (f"/pictures/timeline/{BILL}.svg", ["제안", "회부", "공포"]),
     ("/pictures/organisation.svg", ["정보시스템담당관", '서울시 대표 챗봇 "서울톡" 운영'])],
)  # fmt: skip
def test_pictures_are_svg_drawn_from_the_graph(server: Server, path: str,
                                               expected: list[str]) -> None:  # fmt: skip
    response = server.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    svg = ET.fromstring(response.content)
    assert svg.tag == f"{SVG}svg"
    texts = [t.text or "" for t in svg.iter(f"{SVG}text")]
    for label in expected:
        assert label in texts
    links = [a.get("{http://www.w3.org/1999/xlink}href", "") for a in svg.iter(f"{SVG}a")]
    assert links and all(link.startswith(server.url + "/") for link in links)


def test_picture_of_a_non_iri_is_refused(server: Server) -> None:
    assert server.get("/pictures/citations/%E2%80%A6.svg").status_code == 404


def test_editor_opens_a_saved_query_bound(server: Server) -> None:
    office = "https://w3id.org/legigraph/id/org/green-city-leisure-bureau"
    page = server.get("/queries/cq08-projects-of-office/editor", params={"office": office}).text
    query = html.unescape(re.search(r'data-query="([^"]*)"', page)[1])  # type: ignore[index]
    assert f"VALUES (?office) {{ (<{office}>) }}" in query  # the parameter, bound
    assert f'src="{server.url}/static/yasgui/yasgui.min.js"' in page  # vendored, not a CDN
    assert "//cdn" not in page and "unpkg" not in page
    assert server.get("/static/yasgui/yasgui.min.js").status_code == 200
    assert server.get("/queries/nothing/editor").status_code == 404


def test_dot_failures_and_the_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EngineError, match="dot failed"):
        pictures.draw("digraph { a -> ")  # not DOT
    picture = pictures.Picture("cap")
    for i in range(40):
        picture.node(f"https://w3id.org/legigraph/x/{i}", f'"label" <{i}> & \\\\')
    svg = ET.fromstring(picture.svg())  # labels quoted: still one SVG document
    assert '"label" <39> & \\\\' in [t.text for t in svg.iter(f"{SVG}text")]
    monkeypatch.setattr(pictures, "MAX_SVG", 1000)
    picture.node("https://w3id.org/legigraph/x/last", "one more")  # a new source: drawn again
    with pytest.raises(EngineError, match="over"):
        picture.svg()


def test_review_report_opinions_and_authors(server: Server) -> None:
    page = server.get("/doc/kr-11/review-report/2024-1544").text
    opinions = re.findall(r"<tr><td><a [^>]*>(.*?)</a></td><td>(.*?)</td>",
                          re.search(r'<table id="opinions">.*?</table>', page, re.S)[0])  # type: ignore[index]  # fmt: skip
    assert ("제3조", "적절") in opinions and ("제7조제4호", "법리상 문제 없음") in opinions
    authors = section(page, "authors")
    assert "이준석" in authors and "성동준" in authors and "02-2180-8055" in authors
