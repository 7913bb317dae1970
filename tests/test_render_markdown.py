"""TEI → model → Markdown, one behaviour at a time, and the literal-text property.

Markdown is converted with Python-Markdown and the very extensions mkdocs.yml configures, so what
these tests see is what the site shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings, strategies as st
from lxml import etree, html as lhtml

from build_scripts.tei import load, model
from build_scripts.site import pages as site_pages
from build_scripts.site.markdown import Context, escape, render_page
from build_scripts.tei.teixml import E, TEI_NS, XML_ID

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "all-elements.xml"


def site_markdown() -> markdown.Markdown:
    """A Markdown converter configured exactly as mkdocs.yml configures the site's."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = options or {}
    if "pymdownx.snippets" in configs:
        configs["pymdownx.snippets"]["base_path"] = [str(ROOT / "docs")]
    return markdown.Markdown(extensions=names, extension_configs=configs)


MD = site_markdown()


def to_html(md: str) -> lhtml.HtmlElement:
    MD.reset()
    return lhtml.fragment_fromstring(MD.convert(md), create_parent="div")


def tei_doc(*body: etree._Element) -> etree._Element:
    root = E.TEI(E.text(E.body(E.div(*body, type="chapter"))))
    root.set(XML_ID, "X")
    root.find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}body/{{{TEI_NS}}}div").set(XML_ID, "X.c1")
    return root


def render(root: etree._Element, bib=lambda key: None) -> tuple[str, list]:
    doc, problems = load.from_tree(root, "tei/x.xml")
    assert problems == []
    pages = site_pages.plan(doc, "edition/x", "X")
    anchors = {i: (pg.src, a) for pg in pages for i, a in pg.anchors.items()}
    ctx = Context(
        pages[0].src,
        "x.xml",
        lambda f, i: anchors[i][0] if i in anchors else None,
        bib,
        anchor_of=lambda f, i: anchors[i][1] if i in anchors else None,
    )
    md, problems = render_page(pages[0].nodes, ctx)
    return md, problems


def test_a_link_to_a_note_leads_to_the_note():
    """Notes are footnotes on the site (anchored fn:<id>): a ref to a note's id goes there."""
    note = E.note("The note.", n="1", place="end")
    note.set(XML_ID, "X.c1.n1")
    first = E.p("A sentence.", note)
    first.set(XML_ID, "X.c1.p1")
    ref = E.ref("note 1", target="#X.c1.n1")
    second = E.p("See ", ref, ".")
    second.set(XML_ID, "X.c1.p2")
    md, problems = render(tei_doc(first, second))
    assert problems == []
    links = [a.get("href") for a in to_html(md).iter("a") if a.text == "note 1"]
    assert links == ["#fn:X.c1.n1"], links


def paragraph(text: str) -> etree._Element:
    p = E.p(text)
    p.set(XML_ID, "X.c1.p1")
    return p


# --- the property -------------------------------------------------------------------------------
XML_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=200
)
MARKUP_LIKE = st.lists(
    st.sampled_from(
        [
            "*",
            "_",
            "[",
            "]",
            "<",
            ">",
            "|",
            "#",
            "\\",
            "`",
            "<b>",
            "</b>",
            "<script>",
            "&amp;",
            "&",
            "(",
            ")",
            "!",
            "{: #x }",
            "[^1]",
            "1. ",
            "- ",
            "> ",
            "---",
            "**",
            "<!--",
            "-->",
            "--8<--",
            "  ",
            "\n",
            "word",
            " ",
        ]
    ),
    max_size=30,
).map("".join)


def visible(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


@settings(max_examples=300, deadline=None)
@given(st.one_of(XML_TEXT, MARKUP_LIKE, st.tuples(MARKUP_LIKE, XML_TEXT).map("".join)))
def test_any_paragraph_text_comes_out_literally(text):
    md, _ = render(tei_doc(paragraph(text)))
    out = to_html(md)
    paragraphs = out.xpath("//p[@id='X.c1.p1']")
    assert len(paragraphs) == 1
    shown = paragraphs[0].text_content().replace("\u200b", "")
    assert visible(shown) == visible(text)
    assert paragraphs[0].xpath("./*") == []  # nothing became an element


def test_escape_leaves_letters_alone():
    assert escape("Ezhov  and\nYezhov") == "Ezhov and Yezhov"
    assert escape("*a* <b>") == "\\*a\\* &lt;b\\>"


# --- behaviours, one at a time ------------------------------------------------------------------
def fixture_html() -> dict[str, lhtml.HtmlElement]:
    doc, problems = load.load(FIXTURE)
    assert problems == []
    pages = site_pages.plan(doc, "edition/fixture", "Fixture")
    anchors = {i: pg.src for pg in pages for i in pg.anchors}
    out = {}
    for pg in pages:
        ctx = Context(
            pg.src,
            "fixture.xml",
            lambda f, i: anchors.get(i),
            lambda k: "edition/bibliography.md",
            {"X.c1.p1": [{"label": "quoted by M", "href": "../apparatus/index.md#a1"}]},
        )
        md, problems = render_page(pg.nodes, ctx)
        assert problems == []
        out[pg.src] = to_html(md)
    return out


@pytest.fixture(scope="module")
def pages():
    return fixture_html()


def test_fixture_pages_are_front_chapter_and_back(pages):
    assert list(pages) == [
        "edition/fixture/front.md",
        "edition/fixture/X.c1.md",
        "edition/fixture/X.notes.md",
    ]


def test_notes_are_footnotes_with_printed_markers_in_reading_order(pages):
    chapter = pages["edition/fixture/X.c1.md"]
    refs = chapter.xpath("//a[contains(@class, 'footnote-ref')]")
    assert [r.text for r in refs] == ["1", "2", "a", "*", "*", "‡"]
    items = chapter.xpath("//div[@class='footnote']/ol/li")
    assert [li.get("id") for li in items] == [f"fn:X.c1.n{i}" for i in range(1, 7)]
    assert items[0].text_content().strip().startswith("1 A foot note.")
    assert items[0].xpath(".//a[@class='footnote-backref']/@href") == ["#fnref:X.c1.n1"]


def test_page_breaks_are_anchors_with_number_and_certainty(pages):
    chapter = pages["edition/fixture/X.c1.md"]
    pb = chapter.xpath("//a[@id='X.pb2']")[0]
    assert (pb.get("href"), pb.get("data-n"), pb.get("data-cert"), pb.text_content()) == (
        "#X.pb2",
        "2",
        "medium",
        "",
    )
    # the rejoined word reads as one word around the break
    assert "beginning." in chapter.xpath("//p[@id='X.c1.p1']")[0].text_content()


def test_paragraphs_carry_their_id_and_printed_page(pages):
    chapter = pages["edition/fixture/X.c1.md"]
    assert chapter.xpath("//p[@id='X.c1.p1']/@data-page") == ["1"]
    assert chapter.xpath("//p[@id='X.c1.p2']/@data-page") == [
        "2?"
    ]  # page 2 is inferred (cert): cited "2?"


def test_correction_shows_corrected_reading_with_original_on_hover(pages):
    alt = pages["edition/fixture/X.c1.md"].xpath("//span[contains(@class, 'correction')]")[0]
    assert (alt.text_content(), alt.get("data-original"), alt.get("title")) == (
        "Trotskyist",
        "Trotskvist",
        f"{model.LABEL_CORRECTION}: Trotskvist",
    )


def test_witness_reference_and_bibliography_links(pages):
    chapter = pages["edition/fixture/X.c1.md"]
    assert chapter.xpath("//a[@class='xref']/@href") == ["#X.pb2"]
    assert chapter.xpath("//a[@class='bibl']/@href") == ["../bibliography.md#bib-getty1985origins"]
    assert "../bibliography.md#bib-getty1985origins" in chapter.xpath(
        "//a[contains(@class, 'bib-link')]/@href"
    )


def test_tables_quotations_lists_and_headings(pages):
    chapter = pages["edition/fixture/X.c1.md"]
    assert [th.text_content() for th in chapter.xpath("//div[@id='X.c1.t1']//th")] == [
        "Year",
        "Number",
    ]
    assert chapter.xpath("//div[@id='X.c1.t1']//td")[1].text_content() == "1,000a"
    assert chapter.xpath("//blockquote[@id='X.c1.q2']/p/@id") == ["X.c1.q2.p1"]
    assert chapter.xpath("//div[@class='epigraph']//blockquote[@id='X.c1.q1']")
    assert [li.text_content() for li in chapter.xpath("//ul/li")] == ["first", "second"]
    assert chapter.xpath("//h1/@id") == ["X.c1"] and chapter.xpath("//h2/@id") == ["X.c1.d1"]


def test_apparatus_marks_follow_their_paragraph(pages):
    marks = pages["edition/fixture/X.c1.md"].xpath(
        "//p[@id='X.c1.p1']/a[contains(@class, 'app-mark')]"
    )
    assert [(a.get("href"), a.get("title")) for a in marks] == [
        ("../apparatus/index.md#a1", "quoted by M")
    ]


def test_apparatus_hrefs_as_directory_urls_become_page_links():
    from build_scripts.site.markdown import apparatus_page

    assert apparatus_page("edition/getty/G.c6.md", "../apparatus/claim.x/") == (
        "edition/apparatus/claim.x.md",
        None,
    )


def test_title_page_contents_and_generated_notes(pages):
    front = pages["edition/fixture/front.md"]
    assert (
        front.xpath("//div[@class='titlepage']//p[@class='kind-titlepart']")[0].text_content()
        == "The Fixture *Title*"
    )
    assert front.xpath("//li/a/@href") == ["X.c1.md#X.c1"]
    back = pages["edition/fixture/X.notes.md"]
    assert back.xpath("//p[@class='divgen']")[0].text_content().startswith("Chapter 1")


def test_element_without_rule_is_a_problem_at_its_line():
    root = etree.fromstring(
        f'<TEI xmlns="{TEI_NS}"><text><body>\n<p>one '
        "<blink>two</blink></p>\n<madeUp/></body></text></TEI>"
    )
    _, problems = load.from_tree(root, "tei/x.xml")
    assert [(str(p.location), p.code) for p in problems] == [
        ("tei/x.xml:2", "render.unknown-element"),
        ("tei/x.xml:3", "render.unknown-element"),
    ]
    assert "<blink> is not an element the edition renders" in str(problems[0])


def test_every_element_the_conventions_name_has_a_rule():
    names = set(
        re.findall(
            r"`(?:<)?([a-zA-Z]+)[ >/`]",
            (ROOT / "docs" / "about" / "encoding.md").read_text(encoding="utf-8"),
        )
    )
    tei_elements = names & {
        "div",
        "head",
        "p",
        "hi",
        "note",
        "pb",
        "table",
        "row",
        "cell",
        "quote",
        "cit",
        "bibl",
        "ref",
        "choice",
        "sic",
        "corr",
        "lb",
        "list",
        "item",
        "epigraph",
        "divGen",
        "titlePage",
        "label",
        "num",
        "front",
        "body",
        "back",
        "TEI",
    }
    from build_scripts.tei.rules import RULES

    assert tei_elements - {"TEI"} <= set(RULES), tei_elements - set(RULES)


def test_unresolved_witness_link_is_a_warning_and_plain_text():
    ref = E.ref("p. 9", type="witness", target="other.xml#O.pb9")
    md, problems = render(tei_doc(E.p(ref)))
    assert [p.code for p in problems] == ["render.unresolved-link"] and problems[
        0
    ].severity == "warning"
    assert "p\\. 9" in md and "](" not in md


def test_rendering_twice_gives_identical_text():
    first, second = fixture_html(), fixture_html()
    assert {k: lhtml.tostring(v) for k, v in first.items()} == {
        k: lhtml.tostring(v) for k, v in second.items()
    }
