"""The site in headless Chromium (Debian's /usr/bin/chromium through Playwright): footnote tooltips,
citations between witnesses, transliteration-aware search, and a screenshot of a witness page."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from conftest import search

from tests.site_build_once import built_site

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(
    os.environ.get(
        "EDITION_SCREENSHOTS", Path(__file__).resolve().parent.parent / "build" / "screenshots"
    )
)


@pytest.fixture(scope="module")
def base_url():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    site_dir, result = built_site()
    assert result.ok, "\n".join(str(p) for p in result.problems)
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    outside = []
    pg.on(
        "request",
        lambda r: outside.append(r.url)
        if not r.url.startswith((base_url, "data:", "blob:"))
        else None,
    )
    yield pg
    context.close()
    assert outside == [], f"requests to other hosts: {outside[:5]}"


def test_hovering_a_getty_footnote_shows_its_text(page, base_url):
    page.goto(f"{base_url}/edition/getty/G.c6/")
    ref = page.locator("a.footnote-ref").first
    target = ref.get_attribute("href").lstrip("#")
    note_text = page.locator(f"li[id='{target}']").inner_text().strip()
    words = " ".join(note_text.split()[1:6])  # after the printed number
    assert len(words.split()) == 5, note_text  # an empty filter would match any tooltip
    ref.hover()
    tooltip = page.locator(".md-tooltip2, .md-tooltip").filter(has_text=words)
    tooltip.first.wait_for(state="visible", timeout=5000)  # raises if the note's text never shows
    assert tooltip.first.is_visible()


def test_clicking_a_martens_citation_lands_on_the_getty_page(page, base_url):
    page.goto(f"{base_url}/edition/martens/M.body/")
    page.locator("a.xref[href$='#G.pb137']").click()
    page.wait_for_url("**/edition/getty/**#G.pb137")
    anchor = page.locator("[id='G.pb137']")
    box = anchor.bounding_box()
    assert box is not None and 0 <= box["y"] < 900


def test_searching_yezhov_finds_getty_ezhov_passages(page, base_url):
    page.goto(f"{base_url}/")
    results = search(page, "Yezhov")
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    getty = [h for h in hrefs if "edition/getty/" in h]
    assert getty, hrefs[:10]
    texts = page.locator(".md-search-result__item").filter(has_text="Ezhov").count()
    assert texts > 0
    assert not page.locator(".md-search-variants:visible").count()


def test_screenshot_of_witness_pages(page, base_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in (
        ("getty-landing", "/edition/getty/"),
        ("getty-c6", "/edition/getty/G.c6/#G.pb150"),
        ("martens", "/edition/martens/M.body/"),
        ("home", "/"),
    ):
        page.goto(base_url + url)
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"{name}.png"))
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000
    page.goto(base_url + "/edition/getty/G.c6/")
    p = page.locator("p[data-page]").nth(3)
    p.hover()
    p.locator(".cite-button").click()
    box = page.locator(".cite-box")
    assert "Getty" in box.inner_text() and "#" + p.get_attribute("id") in box.inner_text()
    page.screenshot(path=str(SHOTS / "cite.png"))


def test_an_old_url_forwards_to_the_new_place(page, base_url):
    """A fixture redirect: a gone page forwards by its #fragment; a gone id on a page that still
    exists forwards through assets/redirects.js (both written here into the shared built site)."""
    from build_scripts.site import render as site
    from build_scripts.site import urls as site_urls

    site_dir, _ = built_site()
    new = site.url_for("getty.xml", "G.c6.d2.p6", everything=True)
    written, fragments = site_urls.write_redirect_pages(
        site_dir, {"edition/getty/G.c6-gone/#G.c6.p0": new, "edition/getty/G.c2/#G.c2.gone": new}
    )
    assert written and fragments == {"G.c2.gone": new}
    (site_dir / "assets" / "redirects.js").write_text(
        site_urls.redirects_script(fragments), encoding="utf-8"
    )  # before the browser caches it
    page.goto(f"{base_url}/edition/getty/G.c6-gone/#G.c6.p0")
    page.wait_for_url(f"**/{new}")
    page.goto(f"{base_url}/edition/getty/G.c2/#G.c2.gone")
    page.wait_for_url(f"**/{new}")
    assert page.locator(f"[id='{new.rpartition('#')[2]}']").count() == 1


def test_apparatus_index_filters_by_type_and_substantive(page, base_url):
    page.goto(f"{base_url}/edition/apparatus/")
    rows = page.locator("#apparatus-index tr[data-type]")
    total = rows.count()
    assert total > 50
    page.locator("#apparatus-filter select[name=type]").select_option("claim")
    visible = [r for r in rows.all() if r.is_visible()]
    assert visible and all(r.get_attribute("data-type") == "claim" for r in visible)
    assert len(visible) < total
    page.locator("#apparatus-filter select[name=type]").select_option("")
    page.locator("#apparatus-filter input[type=checkbox]").check()
    visible = [r for r in rows.all() if r.is_visible()]
    assert visible and all(r.get_attribute("data-substantive") == "1" for r in visible)
    assert len(visible) < total
