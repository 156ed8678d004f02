"""``legigraph serve`` in a real browser: Debian's Chromium, headless, driven by Playwright.

The browser opens the home page, follows the link to bill 1544, goes on to a provision
page, runs a saved query from its page with a parameter, and checks what it shows. No
request may leave the loopback address and no console error may appear.
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
from tests.serving import Server, running

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
    log = tmp_path_factory.mktemp("serve-browser") / "server.log"
    with running(built.out_dir.parents[1], log=log) as srv:
        yield srv


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


def test_home_bill_provision_and_saved_query(page: Any, server: Server) -> None:
    page.goto(server.url + "/")
    assert page.title() == "legigraph"
    _shot(page, "serve-home")
    page.click("#bill-link")
    page.wait_for_url("**/eli/dl/kr-11/bill/2024/1544")
    assert "일부개정조례안" in page.inner_text("#label-ko")
    assert "Partial amendment bill" in page.inner_text("#label-en")
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
    _shot(page, "serve-provision")

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
