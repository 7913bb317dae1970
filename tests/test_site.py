"""The built website: strict build, links and anchors, no other hosts, word fidelity, rights,
search.

Slow: the site is built once per process (tests/site_build_once.py), publishing every witness in
full.
"""

from __future__ import annotations

import copy
import json
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from lxml import etree, html as lhtml

from build_scripts.site import render as site
from build_scripts.project import witnesses
from build_scripts.tei import words
from build_scripts.tei.teixml import NS
from tests.site_build_once import built_site

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
WITNESSES = [w for w in witnesses.load()[0] if (ROOT / "tei" / w.tei).exists()]


@pytest.fixture(scope="module")
def site_dir() -> Path:
    out, result = built_site()
    assert result.ok, "\n".join(str(p) for p in result.problems)
    return out


def html_files(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*.html") if p.name != "404.html")


def parse(path: Path) -> lhtml.HtmlElement:
    return lhtml.fromstring(path.read_bytes())


def test_every_witness_has_a_landing_page_and_text_pages(site_dir):
    for w in WITNESSES:
        folder = site_dir / "edition" / w.tei.removesuffix(".xml")
        landing = parse(folder / "index.html")
        assert w.facts["rights"]["status"] in landing.text_content()
        assert len(list(folder.glob("*/index.html"))) >= 1


def broken_links(site_dir: Path, pages: list[Path]) -> list[str]:
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in pages:
        doc = parse(page)
        for a in doc.xpath("//a[@href]"):
            href = a.get("href")
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site_dir)}: {href} (no such file)")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(parse(target).xpath("//@id"))
                if unquote(parts.fragment) not in ids[target]:
                    broken.append(f"{page.relative_to(site_dir)}: {href} (no such anchor)")
    return broken


def test_no_broken_internal_link_or_anchor(site_dir):
    pages = [p for p in html_files(site_dir) if "apparatus" not in p.relative_to(site_dir).parts]
    assert len(pages) > 20 and broken_links(site_dir, pages) == []


def test_no_broken_link_on_the_apparatus_pages(site_dir):
    """The apparatus stage writes raw HTML links, which mkdocs does not check: check them here."""
    pages = [p for p in html_files(site_dir) if "apparatus" in p.relative_to(site_dir).parts]
    broken = broken_links(site_dir, pages)
    assert broken == [], f"{len(broken)} broken, e.g. {broken[:3]}"


# the <link> relations a browser fetches (HTML Standard, "Link types")
FETCHED_LINKS = {
    "stylesheet",
    "icon",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "manifest",
}


def test_site_requests_nothing_from_other_hosts(site_dir):
    outside = []
    for page in html_files(site_dir):
        for el in parse(page).xpath(
            "//link[@href] | //script[@src] | //img[@src] | //iframe[@src] | //source[@src]"
        ):
            if el.tag == "link" and not set(el.get("rel", "").split()) & FETCHED_LINKS:
                continue  # rel=canonical, alternate: the page's address, not a request
            value = el.get("href") or el.get("src")
            if value.startswith(("http://", "https://", "//")):
                outside.append(f"{page.relative_to(site_dir)}: <{el.tag}> {value}")
    assert outside == []
    for asset in (site_dir / "assets").rglob("*.css"):
        assert "fonts.googleapis" not in asset.read_text(encoding="utf-8", errors="replace")


# --- fidelity -------------------------------------------------------------------------------------
def reading_as_shown(path: Path) -> words.Reading:
    """The TEI's words as the site shows them: corrected readings, lines rejoined."""
    root = copy.deepcopy(etree.parse(str(path)).getroot())
    for choice in root.iterfind(".//tei:choice", NS):
        for original in choice.xpath("tei:sic | tei:orig | tei:abbr", namespaces=NS):
            remove_keeping_tail(original, keep_text=False)
        for regular in choice.xpath("tei:corr | tei:reg | tei:expan", namespaces=NS):
            regular.tag = f"{{{NS['tei']}}}seg"
    for br in root.xpath("//tei:text//tei:lb[@break='no']", namespaces=NS):
        remove_keeping_tail(
            br
        )  # the site joins the word (pb break="no" stays a boundary, as in words.py)
    return words.tei_reading(root)


def remove_keeping_tail(el: etree._Element, keep_text: bool = True) -> None:
    parent, previous = el.getparent(), el.getprevious()
    text = el.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(el)


SKIP_CLASSES = ("ed", "headerlink", "md-content__button", "footnote-backref", "edition-meta")


def shown_words(page: Path) -> tuple[list[str], list[list[str]]]:
    article = parse(page).xpath("//article")[0]
    for li in article.xpath(
        ".//div[@class='footnote']/ol/li[.//span[contains(@class, "
        "'ed') and contains(@class, 'note-n')]]"
    ):
        li.drop_tree()  # an editorial note: no words of the witness
    for el in article.xpath(
        ".//br | .//sup[starts-with(@id, 'fnref:')] | .//*[contains(@class, 'pb')]"
    ):
        el.tail = " " + (el.tail or "")  # a line break or a note marker separates words
        if el.tag == "sup":
            el.text, el.tail = " ", " " + el.text_content() + el.tail
            for child in el:
                el.remove(child)
    for el in article.xpath(".//*[@class]"):
        if any(c in el.get("class").split() for c in SKIP_CLASSES) and el.getparent() is not None:
            el.drop_tree()
    notes = []
    for li in article.xpath(".//div[@class='footnote']/ol/li"):
        notes.append([w.text for w in words.tokens(li.text_content())])
    for div in article.xpath(".//div[@class='footnote']"):
        div.drop_tree()
    return [w.text for w in words.tokens(article.text_content())], notes


@pytest.mark.parametrize("witness", WITNESSES, ids=lambda w: w.siglum)
def test_words_of_the_site_equal_words_of_the_tei(site_dir, witness):
    state = site_state(site_dir)[witness.tei]["pages"]
    main, notes = [], []
    for src, _ in state:
        html_path = site_dir / src.removesuffix(".md") / "index.html"
        m, n = shown_words(html_path)
        main += m
        notes += [w for note in n for w in note]
    reading = reading_as_shown(ROOT / "tei" / witness.tei)
    expected_main = [w.text for w in reading.main]
    expected_notes = [
        w.text for note in reading.notes if note.element.get("resp") is None for w in note.words
    ]
    assert_same(main, expected_main, f"{witness.siglum} running text")
    assert_same(notes, expected_notes, f"{witness.siglum} notes")
    assert len(expected_main) > 500


def site_state(site_dir: Path) -> dict:
    _, result = built_site()
    return result.render.cache["witnesses"]


def assert_same(found: list[str], expected: list[str], what: str) -> None:
    for i, (a, b) in enumerate(zip(found, expected)):
        if a != b:
            pytest.fail(
                f"{what}: word {i} differs: site {found[max(0, i - 5) : i + 8]} "
                f"vs TEI {expected[max(0, i - 5) : i + 8]}"
            )
    assert len(found) == len(expected), f"{what}: site has {len(found)} words, TEI {len(expected)}"


# --- links between witnesses, edit links, search ------------------------------------------------
def test_martens_citation_of_getty_lands_on_the_cited_page(site_dir):
    martens = site_dir / "edition" / "martens"
    links = [
        (page, a)
        for page in martens.glob("*/index.html")
        for a in parse(page).xpath("//a[@class='xref']")
    ]
    assert links, "Martens cites Getty by page: expected links"
    page, a = next((p, a) for p, a in links if a.get("href").endswith("#G.pb137"))
    target = (page.parent / a.get("href").split("#")[0]).resolve() / "index.html"
    assert target.parent.parent.name == "getty"
    assert parse(target).xpath("//a[@id='G.pb137']")


def test_edit_links_point_to_the_tei(site_dir):
    chapter = next((site_dir / "edition" / "getty").glob("G.c*/index.html"))
    assert parse(chapter).xpath("//a[@rel='edit']/@href") == [
        "https://github.com/purges-edition/edition/blob/main/tei/getty.xml"
    ]
    about = parse(site_dir / "about" / "index.html")
    assert about.xpath("//a[@rel='edit']/@href") == [
        "https://github.com/purges-edition/edition/blob/main/docs/about/index.md"
    ]


def test_search_index_finds_other_transliterations(site_dir):
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    with_ezhov = [
        d
        for d in index["docs"]
        if "Ezhov" in d["text"] and d["location"].startswith("edition/getty/")
    ]
    assert with_ezhov and all(
        "Yezhov" in d["text"].split("md-search-variants", 1)[-1] for d in with_ezhov
    )
    # the variants are in the index only, never in the pages
    getty_html = "".join(
        p.read_text(encoding="utf-8") for p in (site_dir / "edition" / "getty").glob("*/index.html")
    )
    assert "md-search-variants" not in getty_html


def test_rights_are_shown_and_full_publication_without_cleared_rights_is_reported(site_dir):
    _, result = built_site()
    uncleared = {w.siglum for w in WITNESSES if w.facts["rights"]["status"] != "cleared"}
    assert {entry.split()[0] for entry in result.render.full_without_rights} == uncleared
    rights = parse(site_dir / "about" / "index.html").text_content()
    assert all(w.facts["rights"]["statement"].split()[0] in rights for w in WITNESSES)


# --- excerpts, failure, incremental rendering (render only, into a scratch project) -------------
@pytest.fixture
def scratch(tmp_path) -> site.Project:
    for name in ("mkdocs.yml", "docs", "sources", "tei", "overrides"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    shutil.rmtree(tmp_path / "docs" / "edition", ignore_errors=True)
    return site.Project(tmp_path)


def test_excerpts_publish_only_listed_passages_and_keep_page_anchors(scratch):
    result = site.render(scratch, everything=False, use_cache=False)
    assert not result.failed
    getty = "".join(
        p.read_text(encoding="utf-8") for p in (scratch.generated / "getty").glob("G.c6*.md")
    )
    listed = yaml.safe_load(scratch.excerpts.read_text(encoding="utf-8"))["G"]
    assert "{: #G.c6.d2.p6" in getty  # listed: published
    assert "{: #G.c6.d2.p7 .withheld" in getty or "#G.c6.d2.p7" in getty  # withheld, anchor kept
    assert 'id="G.pb150"' in getty  # page anchors survive in withheld passages
    assert "G.c6.d2.p6" in listed
    assert "Only excerpts are published" in (scratch.generated / "getty" / "index.md").read_text(
        encoding="utf-8"
    )


def test_a_failed_render_writes_nothing(scratch):
    tei = scratch.root / "tei" / "martens.xml"
    tei.write_text(
        tei.read_text(encoding="utf-8").replace(
            '<p xml:id="M.body.p1">', '<p xml:id="M.body.p1"><blink/>'
        ),
        encoding="utf-8",
    )
    result = site.render(scratch, use_cache=False)
    assert result.failed and any(
        p.code == "render.unknown-element" and p.location.line for p in result.problems
    )
    assert not scratch.generated.exists()


def test_rendering_is_incremental_per_witness(scratch):
    first = site.render(scratch, everything=True)
    assert sorted(first.rendered) == sorted(w.siglum for w in WITNESSES)
    again = site.render(scratch, everything=True)
    assert again.rendered == [] and again.written == []
    tei = scratch.root / "tei" / "martens.xml"
    tei.write_text(
        tei.read_text(encoding="utf-8").replace(
            "provoked a complete panic", "provoked a complete  panic"
        ),
        encoding="utf-8",
    )
    third = site.render(scratch, everything=True)
    assert (
        third.rendered == ["M"] and third.written == []
    )  # whitespace only: same Markdown, nothing rewritten


def test_the_serve_watcher_re_renders_a_changed_tei_file(scratch):
    from build_scripts.publish import build as site_build

    site.render(scratch, everything=True)
    done, stop = [], threading.Event()
    thread = threading.Thread(
        target=site_build.watch, args=(scratch, done.append, stop, True, 0.1), daemon=True
    )
    thread.start()
    stop.wait(0.5)  # let the watcher take its first look at the files
    try:
        tei = scratch.root / "tei" / "martens.xml"
        tei.write_text(
            tei.read_text(encoding="utf-8").replace(
                "provoked a complete panic", "provoked a complete PANIC"
            ),
            encoding="utf-8",
        )
        for _ in range(100):
            if done:
                break
            stop.wait(0.1)
    finally:
        stop.set()
    assert done and done[0].rendered == ["M"] and "edition/martens/M.body.md" in done[0].written
    others = [w for w in done[0].written if not w.startswith("edition/martens/")]
    assert all(
        w.startswith("edition/apparatus/") and "M" in w.rsplit("/", 1)[-1] for w in others
    ), others
    assert "PANIC" in (scratch.generated / "martens" / "M.body.md").read_text(encoding="utf-8")


def test_an_unknown_excerpt_id_is_reported(scratch):
    scratch.excerpts.write_text("G:\n  - G.c6.p1\n  - G.nowhere\n", encoding="utf-8")
    result = site.render(scratch, everything=False, use_cache=False)
    assert [(p.code, p.severity) for p in result.problems if p.code.startswith("site.")] == [
        ("site.excerpt-unknown", "warning")
    ]


# --- public URLs, redirects, changelog, downloads -----------------------------------------------
def test_url_for_names_the_page_and_anchor_of_an_id(site_dir):
    from build_scripts.pdf import build as pdf

    cases = {"G.c6.d2.p6": "G.c6.d2.p6", "G.pb150": "G.pb150", "M.body": "M.body"}
    for ident, anchor in cases.items():
        file = next(w.tei for w in WITNESSES if w.siglum == ident[0])
        url = site.url_for(file, ident, everything=True)
        path, _, fragment = url.partition("#")
        assert fragment == anchor and (site_dir / path / "index.html").exists(), url
        assert anchor in parse(site_dir / path / "index.html").xpath("//@id")
    note = next(i for i in site.plan(everything=True)["getty.xml"]["anchors"] if ".n" in i)
    assert site.url_for("getty.xml", note, everything=True).endswith(f"#fn:{note}")
    assert (
        site.url_for("getty.xml", "G", everything=True) == "edition/getty/"
    )  # the root id: the landing page
    assert (
        site.url_for("getty.xml", "G.nowhere") is None
        and site.url_for("nowhere.xml", "G.nowhere") is None
    )
    assert site.url_for("G.xml", "G.c6.d2.p6", everything=True) == site.url_for(
        "getty.xml", "G.c6.d2.p6", everything=True
    )
    # a PDF's link from Martens to Getty loses its file on the way; the siglum finds it
    assert pdf.permalink("martens.xml", "G.pb137").startswith(pdf.SITE_URL + "edition/getty/")


def test_a_redirect_page_forwards_an_old_url(site_dir, tmp_path):
    from build_scripts.site import registry
    from build_scripts.site import urls as site_urls

    reg, redirects = tmp_path / "published-ids.tsv", tmp_path / "redirects.yml"
    new_p = site.url_for("getty.xml", "G.c6.p1", everything=True)
    reg.write_text(
        registry.HEADER + "G.c6.p0\tgetty.xml\tedition/getty/G.c6-old/#G.c6.p0\n"
        "G.c6.gone\tgetty.xml\tedition/getty/G.c6/#G.c6.gone\nG.c6.p1\tgetty.xml\t" + new_p + "\n",
        encoding="utf-8",
    )
    redirects.write_text("redirects:\n  G.c6.p0: G.c6.p1\n  G.c6.gone: G.c6.p1\n", encoding="utf-8")
    mapping = registry.redirects(reg, redirects)
    assert mapping["edition/getty/G.c6-old/#G.c6.p0"].endswith("#G.c6.p1")
    written, fragments = site_urls.write_redirect_pages(site_dir, mapping)
    assert written == [
        "edition/getty/G.c6-old/index.html"
    ]  # the page of G.c6.gone still exists: no page there
    assert fragments == {"G.c6.gone": mapping["edition/getty/G.c6/#G.c6.gone"]}
    page = parse(site_dir / written[0])
    assert page.xpath("//link[@rel='canonical']/@href") == ["../G.c6/#G.c6.p1"]
    assert page.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=../G.c6/#G.c6.p1"]
    assert broken_links(site_dir, [site_dir / written[0]]) == []


def test_the_build_writes_redirect_pages_from_sources_redirects_yml(scratch):
    from build_scripts.site import registry
    from build_scripts.publish import build as site_build

    (scratch.root / "references.bib").write_bytes((ROOT / "references.bib").read_bytes())
    old = "edition/martens/M.body-1/#M.body.p0"
    scratch.registry.write_text(
        registry.HEADER + f"M.body.p0\tmartens.xml\t{old}\n", encoding="utf-8"
    )
    scratch.redirects.write_text("redirects:\n  M.body.p0: M.body.p1\n", encoding="utf-8")
    out = scratch.root / "site"
    result = site_build.build(
        scratch, everything=True, site_dir=out, check=False, keep_markdown=False, extras=False
    )
    assert result.ok, result.problems
    page = parse(out / "edition" / "martens" / "M.body-1" / "index.html")
    assert page.xpath("//link[@rel='canonical']/@href") == ["../M.body/#M.body.p1"]
    assert "window.__edition_redirects = {}" in (out / "assets" / "redirects.js").read_text(
        encoding="utf-8"
    )


def test_the_changelog_is_a_page_of_the_about_section(site_dir):
    from build_scripts.tei import changelog

    page = parse(site_dir / "about" / "changelog" / "index.html")
    text = " ".join(page.xpath("//article")[0].text_content().split())
    assert "Changes recorded in the TEI files" in text
    changes = changelog.tei_changes()
    assert changes and all(" ".join(c.description.split())[:40] in text for c in changes)
    assert page.xpath("//a[@rel='edit']/@href")[0].endswith("/CHANGELOG.md")
    assert "Changelog" in [
        a.text_content().strip() for a in parse(site_dir / "index.html").xpath("//nav//a")
    ]


def test_the_downloads_are_built_and_linked(site_dir):
    downloads = site_dir / "downloads"
    pdfs = ["edition.pdf", "course-sample.pdf"] + [w.tei.replace(".xml", ".pdf") for w in WITNESSES]
    for name in pdfs:
        assert (downloads / name).read_bytes()[:5] == b"%PDF-", (
            name
        )  # a real PDF, not the placeholder
    assert (downloads / "edition-offline.zip").stat().st_size > 1_000_000
    home = {a.get("href") for a in parse(site_dir / "index.html").xpath("//article//a")}
    assert {"downloads/edition.pdf", "downloads/edition-offline.zip"} <= home
    offline = {
        a.get("href")
        for a in parse(site_dir / "about" / "offline" / "index.html").xpath("//article//a")
    }
    assert {f"../../downloads/{n}" for n in pdfs + ["edition-offline.zip"]} <= offline
    for w in WITNESSES:
        landing = parse(site_dir / "edition" / w.tei.removesuffix(".xml") / "index.html")
        assert f"../../downloads/{w.tei.replace('.xml', '.pdf')}" in landing.xpath(
            "//article//a/@href"
        )


def test_the_pdfs_publish_what_the_site_publishes(site_dir):
    """The session's site publishes everything: so does its Getty PDF (a passage excerpts would
    withhold)."""
    from pypdf import PdfReader

    listed = yaml.safe_load((ROOT / "sources" / "excerpts.yml").read_text(encoding="utf-8"))["G"]
    root = etree.parse(str(ROOT / "tei" / "getty.xml"))
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    unlisted = next(
        p
        for p in root.iterfind(".//tei:body//tei:p", NS)
        if p.get(xml_id) and p.get(xml_id) not in listed and len("".join(p.itertext()).split()) > 30
    )
    words_of_p = " ".join("".join(unlisted.itertext()).split()[5:12])
    text = " ".join(
        "".join(
            page.extract_text() for page in PdfReader(site_dir / "downloads" / "getty.pdf").pages
        ).split()
    )
    assert words_of_p in text


def test_the_sample_course_keeps_to_the_excerpts(monkeypatch):
    from build_scripts.pdf import build as pdf

    monkeypatch.delenv("EDITION_PUBLISH_ALL", raising=False)
    course, problems = pdf.load_course(ROOT / "courses" / "sample.yml")
    listed = yaml.safe_load((ROOT / "sources" / "excerpts.yml").read_text(encoding="utf-8"))
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    for passage in course.passages:
        if passage.witness.fact("publication") == "excerpts":
            assert passage.elements and all(
                el.get(xml_id) in listed[passage.witness.siglum] for el in passage.elements
            )
    k = [el.get(xml_id) for p in course.passages if p.witness.siglum == "K" for el in p.elements]
    assert (
        k and set(k) <= set(listed["K"]) and "K.art.p4" not in k
    )  # K.art.p1–p20 in the sample; p4 is not listed
    monkeypatch.setenv("EDITION_PUBLISH_ALL", "1")
    everything, _ = pdf.load_course(ROOT / "courses" / "sample.yml")
    assert [el.get(xml_id) for el in everything.passages[0].elements][:4] == [
        "K.art.p1",
        "K.art.p2",
        "K.art.p3",
        "K.art.p4",
    ]


def test_witness_pages_say_whom_they_quote_and_who_quotes_them(tmp_path):
    """Martens quotes Getty and is quoted by Emelyanov (through the 1938 resolution): both
    directions are on the witness pages, linked to the loci of the apparatus."""
    from build_scripts.site import render as site

    result = site.render(out=tmp_path, use_cache=False)
    assert not result.failed

    def relations(page: str) -> dict[str, dict[str, str]]:
        """The witness page's table: other siglum → column heading → count."""
        from lxml import html as lxml_html

        text = (tmp_path / page / "index.md").read_text(encoding="utf-8")
        table = lxml_html.fromstring(
            text[text.index('<table class="ap-relations">') : text.index("</table>") + 8]
        )
        heads = [th.text_content().strip() for th in table.xpath(".//thead//th")][1:]
        return {
            row.xpath(".//span[@class='sig']")[0].text: dict(
                zip(heads, (td.text_content().strip() for td in row.xpath("./td")))
            )
            for row in table.xpath(".//tbody/tr")
        }

    martens, getty = relations("martens"), relations("getty")
    assert martens["G"]["quotes or reuses it"] and martens["E"]["is quoted or reused by it"]
    assert getty["M"]["is quoted or reused by it"] == martens["G"]["quotes or reuses it"]


def test_the_apparatus_html_keeps_cells_and_blocks_apart_for_the_search_indexes():
    """site.render.spaced: no two cells or blocks glued ("Witness</th><th>What" read as one word
    "WitnessWhat" by Material's index), inline elements untouched."""
    html = "<tr><th>Witness</th><th>What</th></tr><p>a</p><p>b <em>c</em><em>d</em></p>"
    out = site.spaced(html)
    assert "Witness</th> <th>What</th> </tr>" in out and "<p>a</p> <p>" in out
    assert "<em>c</em><em>d</em>" in out


def test_the_apparatus_pages_are_keyed_on_the_whole_toolchain(monkeypatch, tmp_path):
    """A change to any module of the toolchain (not only the apparatus package) makes the
    apparatus pages again: they are made by site/render.py as well."""
    module = tmp_path / "any_module.py"
    module.write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(site, "CODE", [*site.CODE, module])
    project = site.Project()
    before = site.app_key(project, {}, True)
    module.write_text("x = 2\n", encoding="utf-8")
    assert site.app_key(project, {}, True) != before
