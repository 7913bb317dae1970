"""A note marker printed twice: the second (`ref type="noteref"`) leads to the note of the first on
the site and in the PDFs, where the first marker's note stands; without that note (an excerpt) it
stays a printed number."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import typst

from build_scripts.pdf.typst import Context as TypstContext, render as typst_render
from build_scripts.site import pages as site_pages
from build_scripts.site.markdown import Context, render_page
from build_scripts.tei import load
from build_scripts.tei.teixml import TEI_NS, XML_ID, E

TEMPLATE = Path(__file__).resolve().parent.parent / "build_scripts/pdf/templates/edition.typ"


def chapter(with_note: bool = True):
    note = E.note("The eight are named.", n="34", place="end")
    note.set(XML_ID, "X.c1.n34")
    again = E.ref("34", type="noteref", target="#X.c1.n34")
    again.set(XML_ID, "X.c1.nm1")
    p = E.p("Three survived (Shkiriato", again, ", Stasova). All but one survived.")
    if with_note:
        p.append(note)
    p.set(XML_ID, "X.c1.p1")
    div = E.div(p, type="chapter")
    div.set(XML_ID, "X.c1")
    root = E.TEI(E.text(E.body(div)))
    root.set(XML_ID, "X")
    return root


def site_markdown(root) -> str:
    doc, problems = load.from_tree(root, "tei/x.xml")
    assert problems == []
    (page,) = site_pages.plan(doc, "edition/x", "X")
    ids = {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}
    md, _ = render_page(
        page.nodes,
        Context(page.src, "x.xml", lambda f, i: page.src if i in ids else None),
    )
    return md


def test_on_the_site_both_markers_lead_to_the_note():
    md = site_markdown(chapter())
    first = '<sup id="fnref:X.c1.n34"><a class="footnote-ref" href="#fn:X.c1.n34">34</a></sup>'
    second = '<sup><a class="footnote-ref" href="#fn:X.c1.n34">34</a></sup>'
    assert first in md and second in md
    assert md.index(second) < md.index(first)  # Shkiriato³⁴ comes first in the text
    assert md.count('id="fnref:X.c1.n34"') == 1  # one back-link target: ids stay unique


def test_on_the_site_a_marker_whose_note_is_not_published_is_a_printed_number():
    md = site_markdown(chapter(with_note=False))
    assert "<sup>34</sup>" in md and "footnote-ref" not in md


def pdf_text(root) -> str:
    loader = load.Loader("tei/x.xml")
    body = typst_render((loader.node(root.find(f".//{{{TEI_NS}}}p")),), TypstContext("x", str))
    source = TEMPLATE.read_text(encoding="utf-8") + "\n" + body + "\n"
    pdf = typst.compile(source.encode("utf-8"))
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_in_the_pdf_both_markers_print_the_note_number_and_the_note_once():
    text = pdf_text(chapter())
    assert "Shkiriato34" in text and "survived.34" in text
    assert text.count("The eight are named.") == 1


def test_in_the_pdf_a_marker_whose_note_is_absent_stays_a_superscript_number():
    text = pdf_text(chapter(with_note=False))
    assert "Shkiriato34" in text
