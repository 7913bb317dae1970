"""The reading layer in headless Chromium (Debian's /usr/bin/chromium through Playwright) at the
widths readers use, 320 to 1280 px: no sideways scrolling on any witness page; every printed page
number visible, inside the screen and over no line of text; notes open in place on tap; "cite" works
by touch and gives a Chicago note with the printed page and the public address; the printed page
names the witness and the address. Screenshots go to build/screenshots/ (EDITION_SCREENSHOTS) to be
looked at."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path

import pytest
import yaml

from tests.site_build_once import built_site

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("site")]
CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("EDITION_SCREENSHOTS", ROOT / "build" / "screenshots"))
WIDTHS = (320, 390, 768, 1024, 1280)
TOUCH = 800  # below this width the context is a phone: touch, mobile viewport


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    if os.environ.get("EDITION_TEST_SITE"):  # a site built beforehand (iterating on these tests)
        site_dir = Path(os.environ["EDITION_TEST_SITE"])
    else:
        site_dir, result = built_site()
        assert result.ok, "\n".join(str(p) for p in result.problems)
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", site_dir
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        yield b
        b.close()


def context(browser, width: int, **extra):
    phone = width < TOUCH
    return browser.new_context(
        viewport={"width": width, "height": 800}, has_touch=phone, is_mobile=phone, **extra
    )


def witness_pages(site_dir: Path) -> list[str]:
    """Every page of every witness's text and its landing page (not the apparatus or
    bibliography)."""
    names = [
        w["tei"].removesuffix(".xml")
        for w in yaml.safe_load((ROOT / "sources" / "witnesses.yml").read_text())["witnesses"]
    ]
    out = []
    for name in names:
        folder = site_dir / "edition" / name
        out += sorted(
            "/" + str(p.parent.relative_to(site_dir)) + "/" for p in folder.rglob("index.html")
        )
    return out


def public_url() -> str:
    """site_url of mkdocs.yml: the address citations and the offline copy give."""
    found = re.search(
        r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M
    )
    assert found, "mkdocs.yml sets no site_url"
    return found.group(1)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_witness_page_scrolls_sideways(browser, site, width):
    base, site_dir = site
    pages = witness_pages(site_dir)
    assert len(pages) > 10, pages
    ctx = context(browser, width)
    page = ctx.new_page()
    wide = []
    for url in pages:
        page.goto(base + url, wait_until="load")
        page.wait_for_timeout(50)  # edition.js adds its tools on load
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            wide.append((url, scroll, client))
    ctx.close()
    assert not wide, f"pages wider than the screen at {width} px: {wide[:5]}"


# The box of each printed page number as drawn (the number is the ::before of a.pb / span.pb, in the
# flow or, on wide screens, absolutely placed in the margin), and every line box of text on the
# page.
NUMBER_BOXES = r"""() => {
  const boxes = [];
  for (const pb of document.querySelectorAll('article .pb[data-n]')) {
    if (pb.closest('.withheld')) continue;
    const before = getComputedStyle(pb, '::before');
    let r;
    if (before.position === 'absolute') {
      let cb = pb.parentElement;
      while (cb && getComputedStyle(cb).position === 'static') cb = cb.parentElement;
      const c = cb.getBoundingClientRect();
      r = {left: c.left + cb.clientLeft + parseFloat(before.left),
           top: c.top + cb.clientTop + parseFloat(before.top),
           width: parseFloat(before.width), height: parseFloat(before.height)};
    } else {
      const b = pb.getBoundingClientRect();
      r = {left: b.left, top: b.top, width: b.width, height: b.height};
    }
    boxes.push({n: pb.dataset.n, cert: pb.hasAttribute('data-cert'), content: before.content,
                font: parseFloat(before.fontSize),
                visible: before.display !== 'none' && before.visibility !== 'hidden',
                left: r.left + scrollX, top: r.top + scrollY,
                right: r.left + r.width + scrollX, bottom: r.top + r.height + scrollY});
  }
  const lines = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim()
        || el.closest('.pb, script, style, [hidden], .md-tooltip, .md-tooltip2')) continue;
    if (el.checkVisibility
        && !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    range.selectNodeContents(node);
    for (const t of range.getClientRects()) {
      if (t.width > 0 && t.height > 0) lines.push({text: node.textContent.trim().slice(0, 30),
        left: t.left + scrollX, top: t.top + scrollY,
        right: t.right + scrollX, bottom: t.bottom + scrollY});
    }
  }
  return {boxes, lines, width: document.documentElement.clientWidth};
}"""

NUMBERED = ("/edition/getty/G.c6/", "/edition/emelyanov/E.pt1/", "/edition/getty/G.c1/")


def overlap(a: dict, b: dict) -> float:
    w = min(a["right"], b["right"]) - max(a["left"], b["left"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return w * h if w > 0 and h > 0 else 0.0


@pytest.mark.parametrize(
    "width", WIDTHS + (1220,)
)  # 1220: the narrowest screen with numbers in the margin
def test_every_page_number_is_visible_and_over_no_text(browser, site, width):
    base, _ = site
    ctx = context(browser, width)
    page = ctx.new_page()
    checked = 0
    for url in NUMBERED:
        page.goto(base + url, wait_until="load")
        page.wait_for_timeout(50)
        data = page.evaluate(NUMBER_BOXES)
        assert data["boxes"], f"{url}: no numbered page break"
        for box in data["boxes"]:
            where = f"{url} p. {box['n']} at {width} px"
            assert box["visible"] and box["n"] in box["content"], (
                f"{where}: number not drawn ({box['content']})"
            )
            assert ("?" in box["content"]) == box["cert"], (
                f"{where}: an inferred number ends in '?'"
            )
            assert box["font"] >= 10, f"{where}: {box['font']} px is too small to read"
            assert (
                box["right"] - box["left"] >= box["font"]
                and box["bottom"] - box["top"] >= box["font"]
            ), f"{where}: {box}"
            assert 0 <= box["left"] and box["right"] <= data["width"], (
                f"{where}: outside the screen {box}"
            )
            hits = [line for line in data["lines"] if overlap(box, line) > 1.0]
            assert not hits, f"{where}: over text {hits[:3]}"
            checked += 1
    ctx.close()
    assert checked > 20


def test_an_inline_page_number_is_a_link_to_its_page(browser, site):
    base, _ = site
    ctx = context(browser, 390)
    page = ctx.new_page()
    page.goto(base + "/edition/getty/G.c6/", wait_until="load")
    pb = page.locator("article a.pb[data-n]").nth(2)
    ident = pb.get_attribute("id")
    pb.tap()
    page.wait_for_url(f"**#{ident}")
    ctx.close()


@pytest.mark.parametrize("width", (320, 390))
def test_a_note_opens_in_place_on_tap(browser, site, width):
    base, _ = site
    ctx = context(browser, width)
    page = ctx.new_page()
    page.goto(base + "/edition/getty/G.c6/", wait_until="load")
    ref = page.locator("article a.footnote-ref").nth(3)
    ref.scroll_into_view_if_needed()
    target = ref.get_attribute("href").lstrip("#")
    note_words = " ".join(page.locator(f"li[id='{target}']").inner_text().split()[1:6])
    before = page.evaluate("scrollY")
    ref.tap()
    pop = page.locator(".fn-pop")
    pop.wait_for(state="visible", timeout=3000)
    assert note_words in " ".join(pop.inner_text().split())
    assert page.evaluate("location.hash") == ""  # did not jump to the foot of the page
    assert abs(page.evaluate("scrollY") - before) < 200
    box, marker = pop.bounding_box(), ref.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert 0 <= box["y"] - (marker["y"] + marker["height"]) < 80  # right under its marker
    assert ref.get_attribute("aria-expanded") == "true"
    if width == 390:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "note-in-place-390.png"))
    ref.tap()  # a second tap closes it
    assert page.locator(".fn-pop").count() == 0
    ctx.close()


def test_a_note_opens_with_the_keyboard_and_escape_closes_it(browser, site):
    base, _ = site
    ctx = context(browser, 1280)
    page = ctx.new_page()
    page.goto(base + "/edition/getty/G.c6/", wait_until="load")
    ref = page.locator("article a.footnote-ref").first
    ref.focus()
    page.keyboard.press("Enter")
    page.locator(".fn-pop").wait_for(state="visible", timeout=3000)
    page.keyboard.press("Escape")
    assert page.locator(".fn-pop").count() == 0
    assert page.evaluate("document.activeElement.classList.contains('footnote-ref')")
    ctx.close()


@pytest.mark.parametrize("width", (320, 390, 1280))
def test_cite_by_touch_or_keyboard_gives_a_chicago_note_with_page_and_public_address(
    browser, site, width
):
    base, _ = site
    ctx = context(browser, width, permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto(base + "/edition/getty/G.c6/", wait_until="load")
    p = page.locator("article p[data-page]").nth(5)
    ident, printed = p.get_attribute("id"), p.get_attribute("data-page")
    button = p.locator(".cite-button")
    if width < TOUCH:
        button.scroll_into_view_if_needed()
        assert button.is_visible()
        button.tap()
    else:  # the margin tools appear on keyboard focus
        button.focus()
        assert button.is_visible()
        page.keyboard.press("Enter")
    box = page.locator(".cite-box")
    box.wait_for(state="visible", timeout=3000)
    text = " ".join(box.locator(".cite-text").inner_text().split())
    assert text.startswith("J. Arch Getty, Origins of the Great Purges"), text
    assert f", {printed}, par. {ident}, in " in text, text
    assert f"{public_url()}edition/getty/G.c6/#{ident}" in text, text
    b = box.bounding_box()
    assert b["x"] >= 0 and b["x"] + b["width"] <= width, b
    page.locator(".cite-status").filter(has_text="Copied").wait_for(timeout=3000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"#{ident}.") and "<em>" not in copied
    if width in (390, 1280):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"cite-{width}.png"))
    ctx.close()


def test_citations_name_authors_without_spelling_notes_and_mark_inferred_pages(browser, site):
    base, site_dir = site
    ctx = context(browser, 1280)
    page = ctx.new_page()
    page.goto(base + "/edition/khlevnyuk/", wait_until="load")
    cite = page.locator(".edition-meta").get_attribute("data-cite")
    assert "also spelled" not in cite and cite.startswith(
        "Oleg Khlevniuk, “The Objectives of the Great Terror"
    )
    assert page.locator(".edition-meta span.Z3988").count() == 1  # COinS for reference managers
    coins = page.locator(".edition-meta span.Z3988").get_attribute("title")
    assert "rft.au=Oleg%20Khlevniuk" in coins or "rft.au=Oleg%20Khlevnyuk" in coins
    # an inferred page is cited with "?" (the paragraph's data-page carries it)
    page.goto(base + "/edition/emelyanov/E.pt1/", wait_until="load")
    inferred = page.locator("article p[data-page$='?']")
    assert inferred.count() > 0
    ctx.close()


def test_offline_copy_cites_the_public_address(browser, site):
    """The page's public address comes from site_url, not from where the file was opened."""
    _, site_dir = site
    ctx = context(browser, 1280)
    page = ctx.new_page()
    page.goto(
        (site_dir / "edition" / "martens" / "M.body" / "index.html").as_uri(), wait_until="load"
    )
    assert (
        page.locator("meta[name='edition:public-url']").get_attribute("content")
        == f"{public_url()}edition/martens/M.body/"
    )
    ctx.close()


def test_back_links_name_the_printed_number(browser, site):
    base, _ = site
    ctx = context(browser, 1280)
    page = ctx.new_page()
    page.goto(base + "/edition/emelyanov/E.pt2/", wait_until="load")
    pairs = page.evaluate("""() => [...document.querySelectorAll('.footnote li[id]')].map(li => [
        document.querySelector('a.footnote-ref[href="#' + CSS.escape(li.id) + '"]')
          .textContent.trim(),
        (li.querySelector('.footnote-backref') || {}).getAttribute?.call(
          li.querySelector('.footnote-backref'), 'aria-label')])""")
    assert pairs and any(
        n != str(i + 1) for i, (n, _) in enumerate(pairs)
    )  # numbering differs from the list's
    for n, label in pairs:
        assert label == f"Back to note {n} in the text"
    ctx.close()


def test_as_received_view_shows_the_transcription_and_labels_it_so(browser, site):
    base, _ = site
    ctx = context(browser, 1280)
    page = ctx.new_page()
    page.goto(base + "/edition/martens/M.body/", wait_until="load")
    heading = page.locator("article h1").inner_text()
    assert "1937–1938" in heading and "--" not in heading
    body = page.locator("article").inner_text()
    assert "‘dictator’s paranoia’" in body and "`" not in body
    switch = page.locator(".reading-switch")
    assert (
        "as received" in switch.inner_text().lower()
        and "printed" not in switch.inner_text().lower()
    )
    switch.click()
    assert "`dictator's paranoia'" in page.locator("article").inner_text()
    assert page.locator(".reading-switch").get_attribute("aria-pressed") == "true"
    ctx.close()


CONTRAST = r"""(selectors) => {
  function rgb(c) {
    const m = c.match(/[\d.]+/g).map(Number);
    return m.length > 3 ? m : m.concat([1]);
  }
  function lum([r, g, b]) {
    return [r, g, b]
      .map(v => { v /= 255; return v <= .03928 ? v / 12.92 : ((v + .055) / 1.055) ** 2.4; })
      .reduce((s, v, i) => s + v * [.2126, .7152, .0722][i], 0);
  }
  function background(el) {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  }
  const out = [];
  for (const sel of selectors) for (const el of document.querySelectorAll(sel)) {
    const s = getComputedStyle(el, sel.includes('.pb') ? '::before' : null);
    const fg = rgb(s.color), bg = background(el);
    const mix = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
    const [a, b] = [lum(mix), lum(bg)].sort((x, y) => y - x);
    out.push({sel, ratio: (a + .05) / (b + .05)});
  }
  return out;
}"""


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_edition_marks_have_contrast_of_at_least_4_5(browser, site, scheme):
    base, _ = site
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = ctx.new_page()
    found = []
    for url, selectors in (
        ("/edition/getty/", [".cert"]),
        ("/edition/getty/G.c6/", [".pb[data-n]", ".md-typeset .footnote-ref", ".reading-switch"]),
    ):
        page.goto(base + url, wait_until="load")
        found += page.evaluate(CONTRAST, selectors)
    ctx.close()
    assert {f["sel"] for f in found} >= {".cert", ".pb[data-n]"}
    low = [f for f in found if f["ratio"] < 4.5]
    assert not low, low[:5]


def test_printed_page_names_witness_chapter_address_and_page_numbers(browser, site):
    base, _ = site
    from pypdf import PdfReader

    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx = context(browser, 1280)
    page = ctx.new_page()
    page.goto(base + "/edition/getty/G.c6/", wait_until="load")
    page.wait_for_timeout(100)
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "print-getty-c6.png"))
    pdf = SHOTS / "print-getty-c6.pdf"
    page.pdf(path=str(pdf), format="A4")
    ctx.close()
    first = " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())
    assert "J. Arch Getty" in first and "The crisis matures" in first, first[:300]
    assert f"{public_url()}edition/getty/G.c6/" in first.replace(" ", ""), first[:300]
    assert re.search(r"p\.\s?1\d\d\??", first), first[
        :600
    ]  # the printed page numbers, not just "?"
    assert "cite" not in first.split("Table of contents")[0].lower().split()


SHIFTS = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
  })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(total), 1500);
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_what_the_scripts_add_does_not_move_the_text(browser, site, width):
    """Cumulative layout shift of a page of each witness under 0.05 (Lighthouse counts 0.1 as
    good): buttons the scripts make work are in the page from the start, not inserted above the
    text."""
    base, site_dir = site
    # per witness: its first page with a corrected or normalised reading, else its first page
    firsts = {}
    for path in sorted(
        witness_pages(site_dir),
        key=lambda p: 'class="alt '
        not in (site_dir / p.strip("/") / "index.html").read_text(encoding="utf-8"),
    ):
        firsts.setdefault(path.strip("/").split("/")[1], path)
    ctx = context(browser, width)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)  # a slow phone, as Lighthouse simulates: the text is painted
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})  # before the deferred scripts run
    shifts = {}
    for path in firsts.values():
        page.goto(base + path, wait_until="load")
        shifts[path] = page.evaluate(SHIFTS)
    ctx.close()
    assert len(shifts) >= 2 and all(v < 0.05 for v in shifts.values()), shifts
