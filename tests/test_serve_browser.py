"""``legigraph serve`` in a real browser: Debian's Chromium, headless, driven by Playwright.

The browser opens the home page (with the organisation chart), follows the link to bill
1544 (its timeline), goes on to a provision page (its text, incoming citations and the
citation picture), an amendment's 신구조문대비표, runs a saved query from its page with a
parameter, and runs a query in YASGUI; it checks what each shows. No request may leave
the loopback address and no console error may appear. With ``LEGIGRAPH_SCREENSHOTS=DIR``
each page is saved as a screenshot there (docs/serve/ holds the ones in the README).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from legigraph.build import BuildResult
from tests.serving import Server, serve_build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install chromium (scripts/setup installs it with apt-get)")
    pytest.skip("chromium is not installed (scripts/setup installs it)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
OFFICE = "https://w3id.org/legigraph/id/org/green-city-leisure-bureau"
SHOTS = Path(os.environ.get("LEGIGRAPH_SCREENSHOTS", "")) if os.environ.get(
    "LEGIGRAPH_SCREENSHOTS") else None  # fmt: skip


@pytest.fixture(scope="module")
def server(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve_build(built, tmp_path_factory, "serve-browser")


@pytest.fixture
def page(server: Server) -> Iterator[Any]:
    outside: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        tab = browser.new_page()

        def guard(route: Any) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        tab.route("**/*", guard)
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        yield tab
        browser.close()
    assert outside == [], "requests left the loopback address"
    assert errors == [], "console errors"


def _shot(page: Any, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _drawn(page: Any, selector: str) -> None:
    """The SVG image at ``selector`` was loaded and drawn (not a broken image)."""
    image = page.locator(selector)
    image.scroll_into_view_if_needed()
    loaded = "s => { const i = document.querySelector(s); return i?.complete && i.naturalWidth }"
    page.wait_for_function(loaded, arg=selector)
    assert image.bounding_box()["width"] > 50


def test_home_bill_provision_and_saved_query(page: Any, server: Server) -> None:
    page.goto(server.url + "/")
    assert page.title() == "legigraph"
    _drawn(page, "#organisation-svg")
    _shot(page, "serve-home")
    page.click("#bill-link")
    page.wait_for_url("**/eli/dl/kr-11/bill/2024/1544")
    assert "일부개정조례안" in page.inner_text("#label-ko")
    assert "Partial amendment bill" in page.inner_text("#label-en")
    dates = page.locator("#timeline li").evaluate_all("ls => ls.map(l => l.dataset.date)")
    assert dates[:2] == ["2024-02-02", "2024-02-07"]
    _drawn(page, "#timeline-svg")
    _shot(page, "serve-bill")

    # the bill → the ordinance it changes → its 제2조
    page.click("a[title='https://w3id.org/legigraph/eli/kr-11/ordin/2229686']")
    page.wait_for_url("**/eli/kr-11/ordin/2229686")
    page.click("#properties a[title='https://w3id.org/legigraph/eli/kr-11/ordin/2229686/art_2']")
    page.wait_for_url("**/eli/kr-11/ordin/2229686/art_2")
    versions = page.locator("section.version")
    assert versions.count() == 2
    assert [versions.nth(i).locator("h3").inner_text() for i in range(2)] == [
        "2023-05-22", "2024-03-26"]  # fmt: skip
    items = versions.nth(1).locator(".item .marker")
    assert items.all_inner_texts() == ["1.", "2."]
    # items sit indented under their article, as law.go.kr lays them out
    art = versions.nth(1).locator(".art").first.bounding_box()
    item = versions.nth(1).locator(".item").first.bounding_box()
    assert item["x"] > art["x"]
    _drawn(page, "#citations-svg")  # its 제2호 cites 「지속가능발전 기본법」 제2조제2호
    _shot(page, "serve-provision")
    # the cited national provision: what cites it, and the same picture from its side
    page.goto(server.url + "/eli/kr/law/014217/art_2/item_2")
    citing = page.locator("#incoming a[title='https://w3id.org/legigraph/eli/kr-11/ordin/"
                          "2229686/art_2/item_2']")  # fmt: skip
    assert citing.count() == 1
    _drawn(page, "#citations-svg")
    _shot(page, "serve-cited-provision")

    # a saved query, run from its page with a parameter
    page.goto(server.url + "/queries")
    page.click("a[href$='/queries/cq08-projects-of-office']")
    page.fill("input[name=office]", OFFICE)
    page.click("#params button[type=submit]")
    page.wait_for_selector("#results")
    header = page.locator("#results tr").first.locator("th").all_inner_texts()
    assert "project" in header
    count = page.locator("#results tr").count() - 1
    assert count > 0
    assert page.inner_text("#count").startswith(f"{count} rows")
    assert OFFICE in unquote(page.url)
    expected = server.get("/queries/cq08-projects-of-office", params={"office": OFFICE},
                          headers={"Accept": "application/sparql-results+json"}).json()  # fmt: skip
    assert count == len(expected["results"]["bindings"])
    shown = set(page.locator("#results td a").evaluate_all("as => as.map(a => a.title)"))
    assert {b["project"]["value"] for b in expected["results"]["bindings"]} <= shown
    _shot(page, "serve-query")

    # an ad-hoc query from the SPARQL page's form
    page.goto(server.url + "/sparql")
    projects = ("PREFIX lg: <https://w3id.org/legigraph/ontology#> "
                "SELECT (COUNT(*) AS ?n) WHERE { ?s a lg:AIProject }")  # fmt: skip
    page.fill("textarea[name=query]", projects)
    page.click("#sparql button[type=submit]")
    page.wait_for_selector("#results")
    assert page.locator("#results td").all_inner_texts() == ["18"]


def test_amendment_comparison(page: Any, server: Server) -> None:
    page.goto(server.url + "/eli/kr-11/ordin-amend/9173/amendment/2")
    table = page.locator("#comparison")
    assert table.locator("th").all_inner_texts()[0].startswith("현 행")
    inserted = table.locator("tr.inserted td")
    assert inserted.nth(0).inner_text() == "<신 설>"
    assert "신기술 및 인공지능" in inserted.nth(1).locator("ins").inner_text()
    # old and new text side by side: the two cells of a row share a line
    left, right = (inserted.nth(i).bounding_box() for i in range(2))
    assert right["x"] > left["x"] + left["width"] - 1 and abs(right["y"] - left["y"]) < 1
    _shot(page, "serve-amendment")


def test_yasgui_runs_a_saved_query(page: Any, server: Server) -> None:
    page.goto(server.url + "/queries/cq05-projects-per-category")
    page.click("#open-editor")
    page.wait_for_url("**/queries/cq05-projects-per-category/editor")
    page.wait_for_selector(".yasqe .CodeMirror")
    assert "lg:AIProject" in page.evaluate("window.legigraphEditor.getTab().getQuery()")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr")
    expected = server.get("/queries/cq05-projects-per-category",
                          headers={"Accept": "application/sparql-results+json"}).json()  # fmt: skip
    rows = page.locator(".yasr table tbody tr")
    assert rows.count() == len(expected["results"]["bindings"]) > 0
    assert "AI 매력서비스" in page.inner_text(".yasr table")
    _shot(page, "serve-yasgui")
