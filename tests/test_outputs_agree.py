"""One processing model, every output: the site and the PDFs show the same words and the same
behaviours for every TEI element the edition has a rule for (tei/rules.py), because both render
the model tei/load.py builds by those rules. The fixture is made from the rule table itself, so an
element added to the rules is tested without touching this file."""

from __future__ import annotations

import re
import subprocess

import pytest
import typst
from lxml import etree

from build_scripts.pdf import typst as typst_render
from build_scripts.pdf.build import TEMPLATE
from build_scripts.site import pages as site_pages
from build_scripts.site.markdown import Context, render_page
from build_scripts.tei import load
from build_scripts.tei import model as m
from build_scripts.tei.rules import RULES, rule_for
from build_scripts.tei.teixml import TEI_NS, XML_ID, E
from test_render_markdown import to_html

pytestmark = pytest.mark.xdist_group("typst")
STYLE_TAGS = {
    "italic": "em",
    "bold": "strong",
    "superscript": "sup",
    "subscript": "sub",
    "underline": "u",
    "strike": "s",
    "smallcaps": "span",
}
EMPTY = {"gap", "milestone", "graphic", "pb", "lb", "cb", "anchor", "ptr"}  # no text of their own
HI_RENDS = ("italic", "bold", "superscript", "subscript", "smallcaps", "underline")


def marker(name: str) -> str:
    return "w" + re.sub(r"[^a-z]", "", name.lower())


def cases() -> list[tuple[str, etree._Element]]:
    """(marker word, element) for each inline-level rule: the element holding its marker word."""
    out = []
    for name, rules in RULES.items():
        behaviours = {r.behaviour for r in rules}
        if not behaviours & {"inline", "omit"} or name in EMPTY or name in ("text", "quote"):
            continue
        if name == "hi":
            for rend in HI_RENDS:
                out.append((marker("hi" + rend), E.hi(marker("hi" + rend), rend=rend)))
            continue
        el = etree.Element(f"{{{TEI_NS}}}{name}")
        el.text = marker(name)
        out.append((marker(name), el))
    return out


def fixture() -> etree._Element:
    paragraphs = []
    for i, (word, el) in enumerate(cases()):
        p = E.p(f"before{i} ", el, f" after{i}")
        p.set(XML_ID, f"X.c1.p{i + 1}")
        paragraphs.append(p)
    choice = E.p(
        "a ",
        E.choice(E.sic("wcsic"), E.corr("wccorr")),
        " and ",
        E.choice(E.orig("wcorig"), E.reg("wcreg")),
        " and ",
        E.sic("wcslip"),
        " end",
    )
    choice.set(XML_ID, "X.c1.p999")
    root = E.TEI(E.text(E.body(E.div(*paragraphs, choice, type="chapter"))))
    root.set(XML_ID, "X")
    root.find(f".//{{{TEI_NS}}}div").set(XML_ID, "X.c1")
    return root


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = fixture()
    doc, problems = load.from_tree(root, "tei/x.xml")
    assert problems == []
    pages = site_pages.plan(doc, "edition/x", "X")
    md, _ = render_page(
        pages[0].nodes, Context(pages[0].src, "x.xml", lambda f, i: None, lambda k: None)
    )
    site = to_html(md)
    work = tmp_path_factory.mktemp("typst")
    (work / "edition-template.typ").write_text(
        TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8"
    )
    ctx = typst_render.Context("tei/x.xml", lambda ident: "https://example.org/#" + ident)
    source = typst_render.render(doc.body, ctx)
    head = '#import "edition-template.typ": *\n#show: edition.with(title: "Fixture", date: "x")\n'
    (work / "x.typ").write_text(head + source, encoding="utf-8")
    typst.compile(str(work / "x.typ"), output=str(work / "x.pdf"), root=str(work))
    pdf_text = subprocess.run(
        ["pdftotext", str(work / "x.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    return site, source, pdf_text


def words(text: str) -> set[str]:
    return set(re.findall(r"\bw[a-z]+\b", text))


def test_site_and_pdf_show_the_same_words(outputs):
    site, _, pdf_text = outputs
    labels = " ".join(
        site.xpath("//*[contains(@class, 'correction')]/@title")
    )  # the site's label of a
    shown_site, shown_pdf = words(site.text_content() + " " + labels), words(pdf_text)  # correction
    assert shown_site == shown_pdf, (
        f"only on the site: {sorted(shown_site - shown_pdf)}; "
        f"only in the PDF: {sorted(shown_pdf - shown_site)}"
    )
    for (
        word,
        el,
    ) in cases():  # an omitted element is omitted everywhere, a shown one shown everywhere
        omitted = rule_for(el).behaviour == "omit"
        assert (word in shown_site) is not omitted, word


def test_site_and_pdf_show_the_same_styles(outputs):
    site, source, _ = outputs
    for word, el in cases():
        rule = rule_for(el)
        style = rule.params.get("style", "plain") if rule.behaviour == "inline" else None
        if style not in STYLE_TAGS:
            continue
        tag = STYLE_TAGS[style]
        in_site = site.xpath(f"//{tag}[contains(., '{word}')]")
        func = typst_render.STYLES[style]
        assert in_site, f"<{etree.QName(el).localname}> ({style}): no <{tag}> on the site"
        assert re.search(rf'#{func}\[#"{word}"\]', source), (
            f"{word} ({style}): not #{func} in the PDF"
        )


def test_interventions_are_labelled_alike(outputs):
    site, source, pdf_text = outputs
    text = site.text_content()
    assert "wccorr" in text and "wcsic" not in text  # the edited reading on the page
    assert "wcreg" in text and "wcorig" not in text
    assert "wcslip [sic]" in " ".join(text.split()) and "[sic]" in pdf_text
    title = site.xpath("//*[contains(@class, 'correction')]/@title")
    assert title and title[0].startswith(m.LABELS["correction"])
    assert m.LABELS["correction"] in pdf_text and "wcorig" not in pdf_text


def test_the_fixture_covers_every_inline_rule():
    covered = {etree.QName(el).localname for _, el in cases()}
    inline = {n for n, rules in RULES.items() if {r.behaviour for r in rules} & {"inline", "omit"}}
    assert inline - covered <= EMPTY | {"text", "quote"}
