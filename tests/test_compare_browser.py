"""The reader's apparatus in headless Chromium (Debian's /usr/bin/chromium through Playwright), at a
desktop width (1280 px) and a phone width (390 px): the comparison in place at a ⇄ mark, the
parallel view of two witnesses, tables compared row by row, keyboard use, and the offline zip over
file://. Screenshots go to build/screenshots/ (EDITION_SCREENSHOTS) to be looked at.

The loci are found in the apparatus (through the model), not hard-coded: Martens's citation of
Getty's p. 178 is the citation locus whose Getty reading lies on p. 178 and whose Martens reading
differs from it by a substantive variant."""

from __future__ import annotations

import functools
import http.server
import os
import threading
import zipfile
from pathlib import Path

import pytest

from build_scripts.apparatus import render as app
from build_scripts.apparatus import tables, view
from build_scripts.publish import downloads as site_downloads
from tests.site_build_once import built_site

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("site")]
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(
    os.environ.get(
        "EDITION_SCREENSHOTS", Path(__file__).resolve().parent.parent / "build" / "screenshots"
    )
)
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@functools.lru_cache(maxsize=1)
def reader() -> app.Reader:
    return app.reader()


def martens_p178():
    """The citation by M of G's p. 178 with a substantive variant (the words that differ, G then
    M)."""
    rd = reader()
    for locus in rd.loci:
        if locus.type != "citation" or {r.siglum for r in locus.readings} != {"G", "M"}:
            continue
        g = next(r for r in locus.readings if r.siglum == "G")
        if view.page_of(rd.side(g), rd.corpus).rstrip("?") != "p. 178":
            continue
        subst = [v for v in view.variants(locus) if v["kind"] == "substantive"]
        if subst:
            return locus, g, subst[0]
    pytest.fail("no citation by M of G's p. 178 with a substantive variant in the apparatus")


def stalin_society_table_citations():
    rd = reader()
    out = []
    for locus in rd.loci:
        if locus.type == "citation" and {r.siglum for r in locus.readings} == {"G", "S"}:
            if all(view.is_table(rd.side(r)) for r in locus.readings[:2]):
                out.append(locus)
    assert out, "S cites tables of G"
    return out


@pytest.fixture(scope="module")
def base_url():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    site_dir, result = built_site()
    assert result.ok, "\n".join(str(p) for p in result.problems)
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
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


@pytest.fixture(params=sorted(WIDTHS))
def page(request, browser, base_url):
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    outside, errors = [], []
    pg.on(
        "request",
        lambda r: outside.append(r.url)
        if not r.url.startswith((base_url, "data:", "blob:"))
        else None,
    )
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.width_name = request.param
    yield pg
    context.close()
    assert outside == [], f"requests to other hosts: {outside[:5]}"
    assert errors == [], errors


def shot(page, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"compare-{name}-{page.width_name}.png"
    page.screenshot(path=str(path), full_page=full)
    assert path.stat().st_size > 10_000


def open_popover(page, locus_id: str, keyboard: bool = False):
    mark = page.locator(f"a.app-mark[data-locus='{locus_id}']").first
    mark.scroll_into_view_if_needed()
    if keyboard:
        mark.focus()
        page.keyboard.press("Enter")
    else:
        mark.click()
    pop = page.locator("#ap-pop")
    pop.wait_for(state="visible", timeout=5000)
    return mark, pop


def test_the_popover_shows_getty_s_sentence_in_place(page, base_url):
    locus, g, variant = martens_p178()
    page.goto(f"{base_url}/edition/martens/")
    page.locator("a.app-mark[data-locus]").count()  # the landing page has none; go to the text
    page.goto(f"{base_url}/edition/martens/M.body/")
    url = page.url
    _, pop = open_popover(page, locus.id)
    text = " ".join(pop.inner_text().split())
    assert " ".join(g.text.split()[-6:]).strip('."') in text  # Getty's sentence, as printed
    assert "p. 178" in text and "Getty" in text
    marked = [m.strip('."') for m in pop.locator("mark.df").all_inner_texts()]
    assert (
        variant["a"].strip('."') in marked and variant["b"].strip('."') in marked
    )  # seized / arrested
    assert page.url == url  # the reader kept their place
    shot(page, "popover")
    links = pop.locator("a[href]")
    assert any(
        "compare-M-G" in (links.nth(i).get_attribute("href") or "") for i in range(links.count())
    )


def test_the_popover_opened_at_the_foot_of_the_window_is_inside_the_window(page, base_url):
    """A mark on the window's last line: the panel opens above it, not below the window."""
    locus, _, _ = martens_p178()
    page.goto(f"{base_url}/edition/martens/M.body/")
    mark = page.locator(f"a.app-mark[data-locus='{locus.id}']").first
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    height = page.viewport_size["height"]
    page.mouse.wheel(0, box["y"] + box["height"] - (height - 30))  # the mark 30 px above the foot
    page.wait_for_timeout(200)
    box = mark.bounding_box()
    assert height - 60 < box["y"] + box["height"] <= height, box
    mark.click()
    pop = page.locator("#ap-pop")
    pop.wait_for(state="visible", timeout=5000)
    shown = pop.bounding_box()
    assert shown["y"] >= 0 and shown["y"] + shown["height"] <= height, (shown, height)
    shot(page, "popover-foot")


def test_the_popover_works_by_keyboard_and_gives_focus_back(page, base_url):
    locus, _, _ = martens_p178()
    page.goto(f"{base_url}/edition/martens/M.body/")
    mark, pop = open_popover(page, locus.id, keyboard=True)
    assert page.evaluate("document.activeElement.closest('#ap-pop') !== null")
    page.keyboard.press("Escape")
    assert pop.is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('data-locus')") == locus.id


def test_parallel_view_scrolls_in_sync_and_highlights_the_counterpart(page, base_url):
    page.goto(f"{base_url}/edition/apparatus/compare-M-G/")
    left, right = page.locator(".par-a"), page.locator(".par-b")
    rows = left.locator(".par-row")
    assert rows.count() >= 3 and rows.count() == right.locator(".par-row").count()
    shot(page, "parallel")
    if page.width_name == "desktop":
        n = rows.count() // 2
        target = rows.nth(n)
        left.evaluate("(col, row) => col.scrollTop = row.offsetTop", target.element_handle())
        page.wait_for_timeout(400)
        top_right = right.evaluate("""col => { const box = col.getBoundingClientRect();
            const rows = [...col.querySelectorAll('.par-row')];
            return rows.find(r => r.getBoundingClientRect().bottom > box.top + 2).dataset.row; }""")
        assert right.evaluate("c => c.scrollTop") > 0
        assert abs(int(top_right) - n) <= 1  # the counterpart row is at the top of the other column
    else:  # stacked: each row of M is followed by its row of G
        first_a, first_b = (
            rows.nth(0).bounding_box(),
            right.locator(".par-row").nth(0).bounding_box(),
        )
        assert first_b["y"] > first_a["y"] and first_b["y"] < rows.nth(1).bounding_box()["y"]
    reading = rows.nth(1).locator(".rd").first
    reading.click()
    n = reading.get_attribute("data-row")
    mate = right.locator(f".par-row[data-row='{n}'] .rd").first
    assert "is-sel" in (mate.get_attribute("class") or "")
    if page.width_name == "desktop":
        assert mate.is_visible() and mate.bounding_box()["y"] < 900
    shot(page, "parallel-selected")
    page.keyboard.press("Tab")  # the next reading by keyboard selects its counterpart too
    focused = page.evaluate("document.activeElement.dataset.row || ''")
    if focused:
        assert "is-sel" in (
            right.locator(f".par-row[data-row='{focused}'] .rd").first.get_attribute("class") or ""
        )


def test_a_stalin_society_table_is_compared_row_by_row_with_getty_s(page, base_url):
    rd = reader()
    for locus in stalin_society_table_citations():
        g = next(r for r in locus.readings if r.siglum == "G")
        s = next(r for r in locus.readings if r.siglum == "S")
        page.goto(f"{base_url}/edition/apparatus/{locus.id}/")
        table = page.locator("table.ap-tables")
        assert table.count() == 1
        text = table.inner_text()
        for siglum, reading in (("G", g), ("S", s)):
            for row in tables.rows(view.table_element(rd.corpus, siglum, reading.passage)):
                if row.figures:
                    assert row.label.split(" | ")[0] in text, (locus.id, row.label)
        assert page.locator("table.ap-tables tbody tr").count() >= len(
            tables.rows(view.table_element(rd.corpus, "G", g.passage))
        )
    shot(page, "table-locus", full=True)
    first = stalin_society_table_citations()[0]
    page.goto(f"{base_url}/edition/apparatus/compare-S-G/#r-{first.id}")
    row_s, row_g = (
        page.locator(f"[id='r-{first.id}'] table tr"),
        page.locator(f"[id='s-{first.id}'] table tr"),
    )
    assert (
        row_s.count() == row_g.count() > 2
    )  # paired row by row (a blank row where one table has none)
    shot(page, "table-parallel")


def test_the_s_tables_carry_marks_in_the_text(page, base_url):
    locus = stalin_society_table_citations()[0]
    page.goto(f"{base_url}/edition/stalin-society/S.art/")
    _, pop = open_popover(page, locus.id)
    assert "Getty" in pop.inner_text()


def test_locus_page_speaks_to_readers(page, base_url):
    locus, _, variant = martens_p178()
    page.goto(f"{base_url}/edition/apparatus/{locus.id}/")
    body = page.locator("article").inner_text()
    assert (
        locus.id not in page.locator("h1").inner_text()
        and "cert=" not in page.locator(".ap-reading").first.inner_text()
    )
    assert "Getty" in page.locator("h1").inner_text() and "178" in page.locator("h1").inner_text()
    lemma, reading = variant["a"].strip('."'), variant["b"].strip('."')
    assert f"{lemma}] {reading} M" in " ".join(body.split())
    assert not page.locator("details.ap-machine").get_attribute(
        "open"
    )  # machine scores folded away
    shot(page, "locus", full=True)
    claim = next(l for l in reader().loci if l.type == "claim")
    page.goto(f"{base_url}/edition/apparatus/{claim.id}/")
    assert page.locator("table.ap-claim tbody tr").count() == len(claim.readings)
    shot(page, "claim", full=True)


def test_index_filters_by_witness_involved_and_shows_counts(page, base_url):
    page.goto(f"{base_url}/edition/apparatus/")
    rows = page.locator("#apparatus-index tr[data-type]")
    total = rows.count()
    page.locator("#apparatus-filter select[name=witness]").select_option("M")
    visible = [r for r in rows.all() if r.is_visible()]
    assert (
        visible
        and all("M" in r.get_attribute("data-wits").split() for r in visible)
        and len(visible) < total
    )
    assert f"{len(visible)} of {total}" in page.locator("#apparatus-count").inner_text()
    for label in ("Type", "Involving", "Decision"):
        assert page.get_by_label(label, exact=False).count() >= 1
    shot(page, "index")


def test_witness_landing_page_shows_whom_it_quotes_and_where(page, base_url):
    page.goto(f"{base_url}/edition/martens/")
    table = page.locator("table.ap-relations")
    assert table.count() == 1 and "Getty" in table.inner_text()
    ticks = page.locator(".ap-strip .ap-tick")
    links = [a for a in page.locator(".ap-strip a.ap-bin").all() if a.is_visible()]
    assert ticks.count() > 0 and links
    assert "apparatus/" in links[0].get_attribute("href")
    for a in links:  # WCAG 2.5.8 (Lighthouse's target-size): every mark's link at least 24 × 24 px
        box = a.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    shot(page, "landing", full=True)


@pytest.fixture(scope="module")
def offline_root(tmp_path_factory) -> Path:
    site_dir, result = built_site()
    target = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(site_dir / "downloads" / "edition-offline.zip") as z:
        z.extractall(target)
    return target / site_downloads.ZIP_FOLDER


def test_popover_and_parallel_view_work_from_the_offline_zip(browser, offline_root):
    locus, _, variant = martens_p178()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    outside = []
    pg.on(
        "request",
        lambda r: outside.append(r.url)
        if not r.url.startswith(("file://", "data:", "blob:", "about:"))
        else None,
    )
    pg.goto((offline_root / "edition" / "martens" / "M.body.html").as_uri())
    _, pop = open_popover(pg, locus.id)
    assert variant["b"].strip('."') in pop.locator("mark.df").all_inner_texts()
    link = pop.locator("a[href*='compare-M-G']").first
    assert link.get_attribute("href").startswith("file://") and ".html#" in link.get_attribute(
        "href"
    )
    link.click()
    pg.wait_for_load_state()
    assert pg.url.endswith(f"compare-M-G.html#r-{locus.id}")
    assert "is-sel" in (pg.locator(f"[id='s-{locus.id}'] .rd").first.get_attribute("class") or "")
    context.close()
    assert outside == []
