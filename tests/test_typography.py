"""Declared normalisations (choice/orig/reg) and the labels of the edition's interventions, in every
renderer: the site shows reg silently and keeps orig for the "as received" view; the PDF prints reg
and never both readings; a correction is labelled with what the transcription reads, in the text and
in notes; the labels come from one place (tei/model.py). Every TEI header declares its
typography."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from build_scripts.pdf import typst
from build_scripts.project import witnesses
from build_scripts.tei import load, model, words
from build_scripts.tei import model as m
from build_scripts.tei.teixml import E, NS

from tests.test_render_markdown import paragraph, render, tei_doc, to_html

WITNESSES, _ = witnesses.load()


def choice(first: str, a: str, second: str, b: str) -> etree._Element:
    return E.choice(E(first, a), E(second, b))


def test_a_normalisation_shows_reg_and_keeps_orig_for_the_as_received_view():
    p = paragraph("a ")
    p.append(choice("orig", "`", "reg", "‘"))
    p[-1].tail = "dictator"
    p.append(choice("orig", "'", "reg", "’"))
    p[-1].tail = "s paranoia\\ "
    md, _ = render(tei_doc(p))
    html = to_html(md)
    alts = html.xpath("//span[contains(@class, 'regularisation')]")
    assert [a.text_content() for a in alts] == ["‘", "’"]
    assert [a.get("data-original") for a in alts] == [
        "`",
        "'",
    ]  # the transcription's characters, intact
    assert all(a.get("title").startswith(model.LABEL_NORMALISATION) for a in alts)
    assert not html.xpath("//code")  # a backtick in an attribute never opens a code span
    assert "a ‘dictator’s paranoia\\" in html.text_content()


def test_a_correction_is_labelled_with_what_the_transcription_reads():
    p = paragraph("the ")
    p.append(choice("sic", "chisika", "corr", "chistka"))
    md, _ = render(tei_doc(p))
    alt = to_html(md).xpath("//span[contains(@class, 'correction')]")[0]
    assert alt.text_content() == "chistka"
    assert alt.get("title") == f"{model.LABEL_CORRECTION}: chisika"
    assert "printed" not in alt.get("title").lower()  # the printed book never read "chisika"


def test_a_witness_slip_is_shown_as_printed_with_sic():
    p = paragraph("regardless ")
    p.append(E.sic("regarless"))
    md, _ = render(tei_doc(p))
    html = to_html(md)
    assert "regarless " + model.SIC_MARK in " ".join(html.text_content().split())
    assert html.xpath("//span[contains(@class, 'sic-label')]/@title") == [model.SIC_TITLE]


def pdf(el: etree._Element, in_note: bool = False) -> str:
    """The Typst of one TEI element, through the same model the PDFs are made from."""
    p = paragraph("")
    p.append(el)
    doc, problems = load.from_tree(tei_doc(p), "tei/x.xml")
    assert problems == []
    nodes = [
        n
        for n in m.walk(doc.body)
        if isinstance(n, m.Alternate) or (isinstance(n, m.Inline) and n.style == "sic")
    ]
    ctx = typst.Context("tei/x.xml", lambda ident: f"https://example.org/#{ident}", in_note=in_note)
    return typst.inline((nodes[0],), ctx)


@pytest.mark.parametrize("orig,reg", [("--", "–"), ("`", "‘"), (" ,", ",")])
def test_the_pdf_prints_the_normalised_reading_only(orig, reg):
    out = pdf(choice("orig", orig, "reg", reg))
    assert reg in out and orig.strip() not in out.replace(reg, "")


def test_the_pdf_marks_a_correction_in_the_text_and_in_a_note():
    el = choice("sic", "chisika", "corr", "chistka")
    text, note = pdf(el), pdf(el, in_note=True)
    assert "chistka" in text and f"{model.LABEL_CORRECTION}: chisika" in text
    assert "#footnote" in text
    assert "#footnote" not in note and f"[{model.SHORT_LABELS['correction']}: chisika]" in note


def test_the_pdf_marks_a_witness_slip_with_sic():
    out = pdf(E.sic("regarless"))
    assert "regarless" in out and model.SIC_MARK in out


def test_fidelity_reads_the_transcription_form_of_a_normalisation():
    """Nothing is lost: the word comparison reads orig, so a normalised character still proves the
    word."""
    root = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>the 1937'
        "<choice><orig>--</orig><reg>–</reg></choice>1938 purge, Ibid."
        "<choice><orig> ,</orig><reg>,</reg></choice> p. 3</p></body></text></TEI>"
    )
    assert (
        words.compare(
            words.source_words("the 1937--1938 purge, Ibid. , p. 3\n"), words.tei_reading(root)
        )
        is None
    )
    lost = words.compare(
        words.source_words("the 1937--1938 great purge, Ibid. , p. 3\n"), words.tei_reading(root)
    )
    assert lost is not None


@pytest.mark.parametrize("witness", WITNESSES, ids=lambda w: w.siglum)
def test_every_header_declares_its_typography(witness):
    doc = etree.parse(str(witness.tei_path))
    decl = " ".join(
        " ".join(doc.find(".//tei:editorialDecl/tei:normalization", NS).itertext()).split()
    )
    assert re.search(r"\bTypography\b", decl), (
        f"{witness.tei}: normalization says nothing of typography"
    )
    choices = doc.findall(".//tei:text//tei:choice", NS)
    regs = [c for c in choices if c.find("tei:reg", NS) is not None]
    if regs:  # a witness that normalises says how, and keeps the transcription's form in orig
        assert "choice/orig/reg" in decl
        assert all(c.find("tei:orig", NS) is not None for c in regs)
