"""law.go.kr Open API importers and client: recorded samples, hostile bodies, a loopback server.

Fixture prefixes follow ../shared/national-law/api-samples: REAL_ captured as served,
ABRIDGED-REAL_ shortened, STRUCTURE_ real layout with illustrative values, SYNTHETIC_ made
up in the shape of a real one; MALFORMED_ are the broken bodies this module must refuse.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from legigraph.errors import InputError
from legigraph.model.records import LawText
from legigraph.sources.lawgokr import (
    ApiError,
    parse_law_detail,
    parse_ordinance_detail,
    parse_search,
)
from legigraph.sources.lawgokr_client import LawGoKrClient
from legigraph.sources.ordinance import read_law_text, version_metadata

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures" / "lawgokr"
BAD = FIX / "malformed"
SECRET = "sEcReT-oc-7731"


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The client's waits, on a clock of its own that stands still but for its sleeps.

    So a loaded machine can make no gap look shorter or longer than the client made it.
    """
    now = [1000.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    monkeypatch.setattr("legigraph.sources.lawgokr_client.monotonic", lambda: now[0])
    monkeypatch.setattr("legigraph.sources.lawgokr_client.sleep", sleep)
    return waits


def fixture(name: str) -> bytes:
    return (FIX / name).read_bytes()


def tree(law: LawText) -> list[tuple[str, str, str, str, str, str, list[str]]]:
    return [(p.path, p.kind, p.label, p.number, p.text, p.heading, p.markers) for p in law.walk()]


# --- importers on recorded and structural samples -----------------------------------------


def test_law_detail_structure_sample() -> None:
    law = parse_law_detail(fixture("STRUCTURE_lawService_law_detail.xml"), "detail", mst="238845")
    assert law.title == "지속가능발전 기본법"
    assert {
        k: law.meta[k] for k in ("법령ID", "법령일련번호", "공포번호", "공포일자", "시행일자")
    } == {
        "법령ID": "014217",
        "법령일련번호": "238845",
        "공포번호": "18708",
        "공포일자": "20220104",
        "시행일자": "20220705",
    }
    assert law.meta["법종구분"] == "법률" and law.meta["소관부처명"] == "국무조정실"
    assert [p.path for p in law.walk()] == [
        "art_2",
        "art_2/item_2",
        "addendum_18708",
        "addendum_18708/art_1",
    ]
    art = law.find("art_2")
    assert (art.label, art.heading, art.text) == (
        "제2조",
        "정의",
        "이 법에서 사용하는 용어의 뜻은 다음과 같다.",
    )
    item = law.find("art_2/item_2")
    assert (item.kind, item.label, item.number) == ("item", "제2조제2호", "2")
    assert item.text == (
        '"지속가능발전"이란 지속가능한 경제 성장과 포용적 사회, 깨끗하고 안정적인 환경이 '
        "지속가능성에 기초하여 조화와 균형을 이루는 발전을 말한다."
    )
    addendum = law.find("addendum_18708")
    assert (addendum.heading, addendum.text) == ("부칙 <제18708호,2022.1.4>", "")  # as served
    first = law.find("addendum_18708/art_1")
    assert (first.kind, first.label, first.heading) == (
        "article",
        "부칙 <제18708호> 제1조",
        "시행일",
    )
    assert first.text == "이 법은 공포 후 6개월이 경과한 날부터 시행한다. ..."
    assert version_metadata(law) == {
        "promulgated": "2022-01-04",
        "in_force": "2022-07-05",
        "promulgation_number": "18708",
    }


def test_law_detail_paragraphs_items_subitems() -> None:
    law = parse_law_detail(fixture("SYNTHETIC_legalize-pipeline_detail_response.xml"), "민법")
    assert "법령일련번호" not in law.meta  # neither in the body nor passed in
    assert tree(law) == [
        ("art_1", "article", "제1조", "1", "이 법은 대한민국 민사에 관하여 규정한다.", "통칙", []),
        ("art_1/para_1", "paragraph", "제1조제1항", "1", "이 법은 민사에 관한 일반법이다.", "", []),
        ("art_1/para_1/item_1", "item", "제1조제1항제1호", "1", "첫 번째 호", "", []),
        (
            "art_1/para_1/item_1/subitem_1",
            "subitem",
            "제1조제1항제1호가목",
            "가",
            "첫 번째 목",
            "",
            [],
        ),
        (
            "art_2",
            "article",
            "제2조",
            "2",
            "이 법에서 사용하는 용어의 뜻은 다음과 같다.",
            "정의",
            [],
        ),
        (
            "addendum_20000",
            "addendum",
            "부칙 <제20000호>",
            "20000",
            "이 법은 공포한 날부터 시행한다.",
            "부칙 <제20000호, 2024.1.1>",
            [],
        ),
    ]


def test_law_detail_branch_numbers_headings_and_markers() -> None:
    xml = """<법령><기본정보><법령ID>1</법령ID></기본정보><조문>
      <조문단위><조문번호>1</조문번호><조문여부>전문</조문여부>
        <조문내용>제1장 총칙</조문내용></조문단위>
      <조문단위><조문번호>10</조문번호><조문가지번호>2</조문가지번호><조문여부>조문</조문여부>
        <조문내용>제10조의2(계획(計劃)의 수립) &lt;개정 2020.1.1&gt;</조문내용>
        <항><항번호>②</항번호><항내용>② 장관은
          계획을 세운다.</항내용>
          <호><호번호>3의2.</호번호><호내용>3의2. 셋째 &lt;신설 2021.2.2&gt;</호내용></호>
          <호><호번호>4.</호번호><호가지번호>3</호가지번호><호내용>4의3. 넷째</호내용>
            <목><목번호>나.</목번호><목내용>나. 둘째 목</목내용></목></호>
        </항></조문단위></조문></법령>""".encode()
    law = parse_law_detail(xml, "inline")
    assert [p.path for p in law.walk()] == [
        "art_10-2",
        "art_10-2/para_2",
        "art_10-2/para_2/item_3-2",
        "art_10-2/para_2/item_4-3",
        "art_10-2/para_2/item_4-3/subitem_2",
    ]
    art = law.find("art_10-2")
    assert (art.label, art.heading, art.text, art.markers) == (
        "제10조의2",
        "계획(計劃)의 수립",
        "",
        ["개정 2020.1.1"],
    )
    assert law.find("art_10-2/para_2").text == "장관은 계획을 세운다."
    item = law.find("art_10-2/para_2/item_3-2")
    assert (item.label, item.text, item.markers) == (
        "제10조의2제2항제3호의2",
        "셋째",
        ["신설 2021.2.2"],
    )
    sub = law.find("art_10-2/para_2/item_4-3/subitem_2")
    assert (sub.label, sub.number, sub.text) == ("제10조의2제2항제4호의3나목", "나", "둘째 목")


def test_ordinance_detail_structure_sample() -> None:
    law = parse_ordinance_detail(fixture("STRUCTURE_lawService_ordin_detail.xml"), "ordin")
    assert (law.meta["자치법규ID"], law.meta["자치법규일련번호"]) == ("2229686", "1915179")
    assert law.title == "서울특별시 미래전략과제 발굴 및 육성 조례"
    assert [p.path for p in law.walk()] == [
        "art_2",
        "art_2/item_1",
        "art_2/item_2",
        "addendum_9173",
    ]
    assert law.find("art_2").heading == "정의"
    assert law.find("art_2/item_1").label == "제2조제1호"
    assert law.find("art_2/item_2").text.startswith('"지속가능한 발전"이란 「지속가능발전 기본법」')
    assert law.find("addendum_9173").heading == "부칙 <제9173호, 2024.3.26>"


def test_ordinance_flattened_paragraphs_branches_and_headings() -> None:
    xml = """<LawService><자치법규기본정보><자치법규ID>9</자치법규ID></자치법규기본정보><조문>
      <조 조문번호='000000'><조문번호>000000</조문번호><조문여부>N</조문여부>
        <조내용>제1장 총칙</조내용></조>
      <조 조문번호='000702'><조문번호>000702</조문번호><조문여부>Y</조문여부>
        <조내용><![CDATA[제7조의2(위원회(委員會)) ① 시장은 위원회를 둔다. <신설 2024.1.1>
  ② 위원회는 다음 각 호를 심의한다.
    1. 계획
    2.예산
      가. 세출
      나. 세입]]></조내용></조>
      <조><조문여부>Y</조문여부><조내용>제8조 삭제</조내용></조>
    </조문></LawService>""".encode()
    law = parse_ordinance_detail(xml, "inline", mst="77")
    assert law.meta["자치법규일련번호"] == "77"
    assert tree(law) == [
        ("art_7-2", "article", "제7조의2", "7-2", "", "위원회(委員會)", []),
        (
            "art_7-2/para_1",
            "paragraph",
            "제7조의2제1항",
            "1",
            "시장은 위원회를 둔다.",
            "",
            ["신설 2024.1.1"],
        ),
        (
            "art_7-2/para_2",
            "paragraph",
            "제7조의2제2항",
            "2",
            "위원회는 다음 각 호를 심의한다.",
            "",
            [],
        ),
        ("art_7-2/para_2/item_1", "item", "제7조의2제2항제1호", "1", "계획", "", []),
        ("art_7-2/para_2/item_2", "item", "제7조의2제2항제2호", "2", "예산", "", []),
        (
            "art_7-2/para_2/item_2/subitem_1",
            "subitem",
            "제7조의2제2항제2호가목",
            "가",
            "세출",
            "",
            [],
        ),
        (
            "art_7-2/para_2/item_2/subitem_2",
            "subitem",
            "제7조의2제2항제2호나목",
            "나",
            "세입",
            "",
            [],
        ),
        ("art_8", "article", "제8조", "8", "삭제", "", []),
    ]


def test_search_eflaw_rows() -> None:
    name = "REAL_lawSearch_eflaw_소득세법_efYd20100311-20100501.xml"
    rows = parse_search(fixture(name), name)
    assert [(r["법령ID"], r["법령일련번호"], r["시행일자"]) for r in rows] == [
        ("001565", "131405", "20100401"),
        ("007507", "104809", "20100430"),
        ("003956", "102729", "20100401"),
        ("003956", "103245", "20100319"),
    ]
    assert rows[2]["법령명한글"] == "소득세법 시행령" and rows[0]["법령약칭명"] == ""


def test_search_empty_and_ordin() -> None:
    assert parse_search(fixture("REAL_lawSearch_eflaw_empty.xml"), "empty") == []
    (row,) = parse_search(fixture("STRUCTURE_lawSearch_ordin.xml"), "ordin")
    assert (row["자치법규ID"], row["자치법규일련번호"], row["공포번호"]) == (
        "2229686",
        "1915179",
        "9173",
    )
    name = "ABRIDGED-REAL_lawSearch_lnkOrd_서울특별시경관조례.xml"
    assert parse_search(fixture(name), name) == [
        {"자치법규명": "서울특별시 경관 조례", "법령명한글": "경관법", "법령ID": "009682"}
    ]


# --- the API importer and the Markdown reader give the same model -------------------------


def test_ordinance_xml_matches_markdown_reader() -> None:
    md = read_law_text(ROOT / "data/external/ordinance-kr/2229686/raw/1915179.md")
    api = parse_ordinance_detail(fixture("SYNTHETIC_lawService_ordin_1915179_real-text.xml"), "x")
    assert len(api.provisions) == 11  # 9 articles and 2 addenda
    assert tree(api) == tree(md)
    assert api.title == md.title
    assert version_metadata(api) == version_metadata(md)


# --- bodies that must be refused -----------------------------------------------------------

REFUSED = [
    ("MALFORMED_truncated_law_detail.xml", "malformed XML"),
    ("MALFORMED_billion-laughs.xml", "DTD or entity"),
    ("MALFORMED_external-entity.xml", "DTD or entity"),
    ("MALFORMED_empty.xml", "empty"),
    ("MALFORMED_html-error-page.html", "HTML page, not XML (국가법령정보센터 | 오류 페이지)"),
    ("MALFORMED_no-match-message.xml", "일치하는 법령이 없습니다"),
    ("MALFORMED_search_resultCode-error.xml", "invalid parameter: display"),
]


@pytest.mark.parametrize(("name", "problem"), REFUSED)
@pytest.mark.parametrize("parse", [parse_law_detail, parse_ordinance_detail, parse_search])
def test_bad_bodies_are_refused(name: str, problem: str, parse: Any) -> None:
    source = f"recorded/{name}"
    with pytest.raises(ApiError) as caught:
        parse((BAD / name).read_bytes(), source)
    assert isinstance(caught.value, InputError)  # so the CLI prints it and exits 2
    assert str(caught.value).startswith(source + ":") and problem in str(caught.value)
    assert caught.value.hint


def test_api_error_with_http_200() -> None:
    with pytest.raises(ApiError, match="'실패': MST not found"):
        parse_law_detail(fixture("SYNTHETIC_legalize-pipeline_error_response.xml"), "err")


def test_wrong_kind_of_answer() -> None:
    with pytest.raises(ApiError, match="not a 법령 detail"):
        parse_law_detail(fixture("STRUCTURE_lawService_ordin_detail.xml"), "s")
    with pytest.raises(ApiError, match="not a 자치법규 detail"):
        parse_ordinance_detail(fixture("STRUCTURE_lawService_law_detail.xml"), "s")
    with pytest.raises(ApiError, match=r"not a lawSearch\.do answer"):
        parse_search(fixture("STRUCTURE_lawService_law_detail.xml"), "s")


def as_xml(node: Any, tag: str) -> str:
    """The XML form the JSON mirrors: objects are elements, lists repeat or hold lines."""
    if isinstance(node, dict):
        return f"<{tag}>" + "".join(as_xml(v, k) for k, v in node.items()) + f"</{tag}>"
    if isinstance(node, list) and all(isinstance(x, list) for x in node):
        return as_xml("\n".join(line for part in node for line in part), tag)
    return f"<{tag}><![CDATA[{node}]]></{tag}>"


def test_real_addendum_only_response(tmp_path: Path) -> None:
    doc = json.loads(fixture("REAL_lawService_law_MST228817_부칙only.json"))
    body = as_xml(doc["법령"], "법령")
    with pytest.raises(ApiError, match=r"^MST228817: the response has no 조문"):
        parse_law_detail(body.encode(), "MST228817")
    extra = "<기본정보><법령ID>1</법령ID></기본정보>"
    article = "<조문><조문단위><조문번호>1</조문번호>" + "<조문내용>제1조(목적) 목적</조문내용>"
    article += "</조문단위></조문>"
    law = parse_law_detail(body.replace("<부칙>", extra + article + "<부칙>").encode(), "x")
    assert [p.path for p in law.walk()] == [
        "art_1",
        "addendum_17907",
        "addendum_17907/art_1",
        "addendum_17907/art_2",
    ]
    assert law.find("addendum_17907").heading == "부칙 <제17907호,2021.1.26>"
    first, second = law.find("addendum_17907").children
    assert (first.label, first.heading) == ("부칙 <제17907호> 제1조", "시행일")
    assert first.text.startswith("① 이 법은 공포 후 1년이 경과한 날부터 시행한다. 다만,")
    assert first.text.endswith("시행한다. ② 제1항에도 불구하고 제16조는 공포한 날부터 시행한다.")
    assert second.text.endswith(
        "신설한다. 아. 「중대재해 처벌 등에 관한 법률」 "
        "제6조제1항ㆍ제3항 및 제10조제1항에 해당하는 사건"
    )
    # The same lines as the Markdown corpus writes them give the same provisions.
    lines = [line for part in doc["법령"]["부칙"]["부칙단위"]["부칙내용"] for line in part]
    md = tmp_path / "법률.md"
    md.write_text(
        "---\n법령ID: '1'\n---\n\n##### 제1조 (목적)\n\n목적\n\n## 부칙\n\n" + "\n".join(lines),
        encoding="utf-8",
    )
    assert tree(law) == tree(read_law_text(md))


def test_repeated_addendum_numbers_match_the_reader(tmp_path: Path) -> None:
    first = "부칙(정부조직법) <제5호,2001.1.29>\n"
    first += "제1조(시행일) 이 법은 공포한 날부터 시행한다.\n  ② 생략"
    second = "부칙 <제5호,2001.1.29>\n이 법은 2002년 1월 1일부터 시행한다."
    units = "".join(
        f"<부칙단위><부칙공포일자>20010129</부칙공포일자><부칙공포번호>00005</부칙공포번호>"
        f"<부칙내용><![CDATA[{text}]]></부칙내용></부칙단위>"
        for text in (first, second)
    )
    xml = (
        "<법령><기본정보><법령ID>1</법령ID></기본정보><조문><조문단위><조문번호>1</조문번호>"
        f"<조문내용>제1조(목적) 목적</조문내용></조문단위></조문><부칙>{units}</부칙></법령>"
    )
    law = parse_law_detail(xml.encode(), "inline")
    assert [p.path for p in law.walk()] == [
        "art_1",
        "addendum_5",
        "addendum_5/art_1",
        "addendum_5-2",
    ]
    assert law.find("addendum_5").heading == "부칙(정부조직법) <제5호,2001.1.29>"
    assert law.find("addendum_5/art_1").text == "이 법은 공포한 날부터 시행한다. ② 생략"
    md = tmp_path / "법률.md"
    body = f"##### 제1조 (목적)\n\n목적\n\n## 부칙\n\n{first}\n\n{second}\n"
    md.write_text("---\n법령ID: '1'\n---\n\n" + body, encoding="utf-8")
    assert tree(law) == tree(read_law_text(md))


# --- the online client against a loopback server ------------------------------------------


@dataclass
class Reply:
    body: bytes
    status: int = 200
    delay: float = 0.0


class FakeLawGoKr:
    """law.go.kr on 127.0.0.1: replies by path and query (OC and type ignored), counts hits."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.hits: list[tuple[float, str, str]] = []  # (monotonic time, route, OC sent)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                oc = query.pop("OC", "")
                query.pop("type", None)
                route = route_key(url.path.rsplit("/", 1)[-1], **query)
                fake.hits.append((time.monotonic(), route, oc))
                replies = fake.routes.get(route) or [Reply(b"no route " + route.encode(), 404)]
                reply = replies.pop(0) if len(replies) > 1 else replies[0]
                time.sleep(reply.delay)
                body = reply.body.replace(b"OC=test&", f"OC={oc}&".encode())  # as law.go.kr echoes
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/xml;charset=UTF-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/DRF"

    def route(self, key: str, *replies: Reply) -> None:
        self.routes[key] = list(replies)


def route_key(endpoint: str, **query: str) -> str:
    return endpoint + "?" + urllib.parse.urlencode(sorted(query.items()))


LAW = route_key("lawService.do", target="law", MST="238845")
GOOD = fixture("STRUCTURE_lawService_law_detail.xml")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.delenv("LAWGOKR_OC", raising=False)


@pytest.fixture
def server() -> Iterator[FakeLawGoKr]:
    fake = FakeLawGoKr()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def client(fake: FakeLawGoKr, tmp_path: Path, **options: Any) -> LawGoKrClient:
    settings: dict[str, Any] = {
        "base_url": fake.base_url,
        "cache_dir": tmp_path / "raw",
        "timeout": 2.0,
        "backoff": 0.01,
        "min_interval": 0.0,
        "config": tmp_path / "absent.toml",
    }
    settings.update(options)
    return LawGoKrClient(SECRET, **settings)


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_client_fetches_parses_and_caches(server: FakeLawGoKr, tmp_path: Path) -> None:
    server.route(LAW, Reply(GOOD))
    law = client(server, tmp_path).law(mst=238845)
    cache = tmp_path / "raw" / "law" / "MST238845.xml"
    assert law.source == cache and cache.read_bytes() == GOOD
    assert law.meta["법령일련번호"] == "238845" and law.find("art_2/item_2").number == "2"
    assert [(route, oc) for _, route, oc in server.hits] == [(LAW, SECRET)]
    assert files(tmp_path / "raw") == [cache]  # no temporary file left behind


def test_search_never_stores_the_oc(server: FakeLawGoKr, tmp_path: Path) -> None:
    name = "REAL_lawSearch_eflaw_소득세법_efYd20100311-20100501.xml"
    key = route_key("lawSearch.do", target="eflaw", query="소득세법", efYd="20100311~20100501")
    server.route(key, Reply(fixture(name)))
    rows = client(server, tmp_path).search("eflaw", "소득세법", efYd="20100311~20100501")
    assert [r["법령일련번호"] for r in rows] == ["131405", "104809", "102729", "103245"]
    assert server.hits[0][2] == SECRET
    (cached,) = files(tmp_path / "raw")
    assert cached.parent.name == "eflaw" and cached.name.startswith("search_")
    assert SECRET not in str(cached) and SECRET.encode() not in cached.read_bytes()
    assert b"OC={OC}&amp;target=eflaw&amp;MST=131405" in cached.read_bytes()
    assert all(SECRET not in value for row in rows for value in row.values())


def test_retry_after_500_with_backoff(
    server: FakeLawGoKr, tmp_path: Path, slept: list[float]
) -> None:
    server.route(LAW, Reply(b"busy", 500), Reply(b"slow down", 429), Reply(GOOD))
    law = client(server, tmp_path, backoff=0.1).law(mst="238845")
    assert law.meta["법령ID"] == "014217"
    assert len(server.hits) == 3
    assert slept == pytest.approx([0.1, 0.2])  # exponential: base, then 2 × base


def test_timeout_then_retry(
    server: FakeLawGoKr, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server.route(LAW, Reply(GOOD, delay=0.6), Reply(GOOD))
    law = client(server, tmp_path, timeout=0.2).law(mst=238845)
    assert law.title == "지속가능발전 기본법" and len(server.hits) == 2
    assert "timed out" in caplog.text and "retry 1" in caplog.text  # the first try's timeout


def test_gives_up_after_three_tries(
    server: FakeLawGoKr, tmp_path: Path, caplog: pytest.LogCaptureFixture, slept: list[float]
) -> None:
    server.route(LAW, Reply(b"down", 503))
    caplog.set_level(logging.WARNING, logger="legigraph.sources.lawgokr_client")
    with pytest.raises(ApiError, match="no usable answer after 3 tries: HTTP 503") as caught:
        client(server, tmp_path, backoff=0.05).law(mst=238845)
    assert len(server.hits) == 3
    assert slept == pytest.approx([0.05, 0.1])
    assert "lawService.do?target=law" in str(caught.value)
    assert SECRET not in str(caught.value) and SECRET not in caplog.text
    assert not (tmp_path / "raw").exists()


def test_client_error_is_not_retried(server: FakeLawGoKr, tmp_path: Path) -> None:
    with pytest.raises(ApiError, match="HTTP 404"):
        client(server, tmp_path).ordinance(mst=1)
    assert len(server.hits) == 1


def test_rate_limit_spaces_requests(
    server: FakeLawGoKr, tmp_path: Path, slept: list[float]
) -> None:
    server.route(LAW, Reply(GOOD))
    api = client(server, tmp_path, min_interval=0.15)
    for _ in range(3):
        api.law(mst=238845)
    assert len(server.hits) == 3
    assert slept == pytest.approx([0.15, 0.15])  # before the second and the third


@pytest.mark.parametrize(
    "bad",
    [
        (BAD / "MALFORMED_truncated_law_detail.xml").read_bytes(),
        fixture("SYNTHETIC_legalize-pipeline_error_response.xml"),
        (BAD / "MALFORMED_html-error-page.html").read_bytes(),
        b"",
    ],
    ids=["malformed", "http200-error", "html", "empty"],
)
def test_bad_answer_never_overwrites_the_cache(
    server: FakeLawGoKr, tmp_path: Path, bad: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    server.route(LAW, Reply(GOOD), Reply(bad))
    client(server, tmp_path).law(mst=238845)
    cache = tmp_path / "raw" / "law" / "MST238845.xml"
    strict = client(server, tmp_path, fallback_to_cache=False)
    with pytest.raises(ApiError) as caught:
        strict.law(mst=238845)
    assert caught.value.path.endswith("lawService.do?target=law&type=XML&MST=238845")
    assert cache.read_bytes() == GOOD and files(tmp_path / "raw") == [cache]
    lenient = client(server, tmp_path)
    with caplog.at_level(logging.WARNING, logger="legigraph.sources.lawgokr"):
        law = lenient.law(mst=238845)
    assert lenient.last_from_cache and law.source == cache and law.meta["법령ID"] == "014217"
    assert "serving the cached copy" in caplog.text
    assert cache.read_bytes() == GOOD and len(server.hits) == 3


def test_bad_answer_without_cache_writes_nothing(server: FakeLawGoKr, tmp_path: Path) -> None:
    server.route(LAW, Reply(fixture("SYNTHETIC_legalize-pipeline_error_response.xml")))
    with pytest.raises(ApiError, match="MST not found"):
        client(server, tmp_path).law(mst=238845)
    assert len(server.hits) == 1  # an API error is an answer, not a transient failure
    assert not (tmp_path / "raw").exists() or files(tmp_path / "raw") == []


def test_offline_serves_only_the_cache(server: FakeLawGoKr, tmp_path: Path) -> None:
    server.route(LAW, Reply(GOOD))
    client(server, tmp_path).law(mst=238845)
    offline = LawGoKrClient(cache_dir=tmp_path / "raw", offline=True, config=tmp_path / "no")
    assert offline.law(mst=238845).title == "지속가능발전 기본법" and offline.last_from_cache
    with pytest.raises(ApiError, match="offline and no cached copy"):
        offline.ordinance(mst=1915179)
    assert len(server.hits) == 1


def test_oc_key_sources(server: FakeLawGoKr, tmp_path: Path, monkeypatch: Any) -> None:
    missing = tmp_path / "lawgokr.toml"
    with pytest.raises(ApiError, match=r"no law\.go\.kr Open API key") as caught:
        LawGoKrClient(config=missing, base_url=server.base_url)
    assert "LAWGOKR_OC" in str(caught.value) and str(missing) in str(caught.value)
    missing.write_text('oc = "from-file"\n', encoding="utf-8")
    server.route(LAW, Reply(GOOD))
    LawGoKrClient(
        config=missing, base_url=server.base_url, cache_dir=tmp_path / "c", min_interval=0
    ).law(mst=238845)
    monkeypatch.setenv("LAWGOKR_OC", "from-env")
    LawGoKrClient(
        config=missing, base_url=server.base_url, cache_dir=tmp_path / "c", min_interval=0
    ).law(mst=238845)
    assert [oc for _, _, oc in server.hits] == ["from-file", "from-env"]
    missing.write_text("oc = [broken", encoding="utf-8")
    monkeypatch.delenv("LAWGOKR_OC")
    with pytest.raises(ApiError, match="not valid TOML"):
        LawGoKrClient(config=missing)


def test_request_arguments_are_checked(server: FakeLawGoKr, tmp_path: Path) -> None:
    api = client(server, tmp_path)
    with pytest.raises(ApiError, match="not a number"):
        api.law(mst="../../etc/passwd")
    with pytest.raises(ApiError, match="exactly one"):
        api.ordinance()
    with pytest.raises(ApiError, match="efYd"):
        api.law(law_id="014217", efyd="2022")
    with pytest.raises(ApiError, match="bad target"):
        api.search("../law", "x")
    with pytest.raises(ApiError, match="not http"):
        LawGoKrClient(SECRET, base_url="file:///etc")
    assert server.hits == []
