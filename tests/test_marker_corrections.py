"""A note marker the transcription misread (docs/about/encoding.md, Notes): note/@n holds the
marker the printed page shows, and the header's <list type="marker-corrections"> records the
transcription's reading as <choice><sic>223</sic><corr>23</corr></choice>, pointing at the note.

The fixture witness (tests/fixtures/markers/) prints notes 21-24; its transcription reads the third
marker 223. `undecided.xml` is the witness as imported (n="223", nothing recorded), `encoded.xml`
the same witness with the marker corrected. Rules only: no test reads today's witnesses."""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

import pypdf
import pytest
import typst
from lxml import etree

from build_scripts import check
from build_scripts.pdf.typst import Context as TypstContext, render as typst_render
from build_scripts.site import pages as site_pages
from build_scripts.site.markdown import Context, render_page
from build_scripts.tei import load, words
from build_scripts.tei import model as m
from build_scripts.tei import suspects as sus
from build_scripts.tei.teixml import NS, XML_ID, marker_corrections
from test_render_markdown import to_html

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "markers"
ENCODED = FIXTURES / "encoded.xml"
UNDECIDED = FIXTURES / "undecided.xml"
SOURCE = FIXTURES / "misread.txt"
TEMPLATE = ROOT / "build_scripts" / "pdf" / "templates" / "edition.typ"
LABEL = f"{m.LABEL_CORRECTION}: 223"  # "Transcription reads: 223", as for any correction


def parse(path: Path = ENCODED) -> etree._ElementTree:
    return etree.parse(str(path))


def note(doc, ident: str = "X.c1.n3") -> etree._Element:
    (el,) = doc.xpath("//tei:note[@xml:id=$i]", namespaces=NS, i=ident)
    return el


def record(doc) -> etree._Element:
    (item,) = doc.findall(".//tei:list[@type='marker-corrections']/tei:item", NS)
    return item


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    (number,) = [i for i, line in enumerate(lines, 1) if text in line]
    return number


# --- the record ----------------------------------------------------------------------------------
def test_the_record_pairs_the_transcriptions_reading_with_the_printed_marker():
    (found,) = marker_corrections(parse()).values()
    assert (found.note, found.sic, found.corr) == ("X.c1.n3", "223", "23")
    assert marker_corrections(parse(UNDECIDED)) == {}


# --- fidelity ------------------------------------------------------------------------------------
def compare(doc):
    return words.compare(
        words.source_words(SOURCE.read_text(encoding="utf-8")), words.tei_reading(doc)
    )


def test_fidelity_holds_as_transcribed_and_as_corrected_with_its_record():
    assert compare(parse(UNDECIDED)) is None
    assert compare(parse()) is None


def test_the_edited_reading_has_the_printed_marker():
    main = [w.text for w in words.tei_reading(parse(), edited=True).main]
    assert "23" in main and "223" not in main
    main = [w.text for w in words.tei_reading(parse()).main]
    assert "223" in main and "23" not in main


def test_fidelity_fails_when_the_marker_is_corrected_without_its_record():
    doc = parse()
    item = record(doc)
    item.getparent().remove(item)
    difference = compare(doc)
    assert difference is not None
    assert difference.source_line == 2 and difference.expected[0] == "223"
    assert difference.found[0] == "23"


def test_fidelity_fails_when_the_marker_is_changed_unlike_its_record():
    doc = parse()
    note(doc).set("n", "25")  # the record corrects 223 to 23: it does not stand for this marker
    difference = compare(doc)
    assert difference is not None and difference.expected[0] == "223"


def test_fidelity_fails_when_the_record_is_not_the_transcriptions_reading():
    doc = parse()
    record(doc).find("tei:choice/tei:sic", NS).text = "233"
    difference = compare(doc)
    assert difference is not None and difference.expected[0] == "223"


# --- suspects ------------------------------------------------------------------------------------
def note_suspects(path: Path, allow: Path | None = None):
    (report,), problems = sus.run([sus.Source("X", path, SOURCE)], {"X"}, allow, None, ROOT)
    return [s for s in report.suspects if s.cls == "note-number"], report, problems


def test_suspects_report_the_misread_marker_at_its_file_and_line_until_decided():
    (suspect,), report, _ = note_suspects(UNDECIDED)
    assert suspect.token == "223"
    where = (suspect.location.path, suspect.location.line)
    assert where == ("tests/fixtures/markers/undecided.xml", line_of(UNDECIDED, 'n="223"'))
    assert 2 in suspect.source_lines  # the transcription's line
    line = str(suspect.problem(report.source))
    assert re.fullmatch(
        rf"tests/fixtures/markers/undecided\.xml:{where[1]}: .+\. .+\. \[suspects\.note-number\]",
        line,
    ), line
    # the hint says how to encode it
    assert 'n="23"' in suspect.hint and "<sic>223</sic><corr>23</corr>" in suspect.hint
    assert 'corresp="#X.c1.n3"' in suspect.hint


def test_suspects_are_quiet_once_encoded_and_an_allow_entry_is_then_unused(tmp_path):
    assert note_suspects(ENCODED)[0] == []
    allow = tmp_path / "allow.yml"
    allow.write_text("X:\n  note-number:\n    '223': doubtful\n", encoding="utf-8")
    found, _, problems = note_suspects(UNDECIDED, allow)
    assert found == [] and not [p for p in problems if p.code == "suspects.allow-unused"]
    found, _, problems = note_suspects(ENCODED, allow)
    assert found == [] and [p.code for p in problems] == ["suspects.allow-unused"]


# --- the check -----------------------------------------------------------------------------------
def check_problems(doc) -> list[str]:
    item = check.Loaded(ENCODED, etree.tostring(doc), doc)
    edition = check.Edition(paths=None, files=[ENCODED], loaded=[item])
    return [str(p) for p in check.check_notes(edition)]


def test_check_accepts_the_encoded_marker():
    assert check_problems(parse()) == []


@pytest.mark.parametrize(
    "break_it, says",
    [
        (lambda doc: note(doc).set("n", "223"), 'to "23", but the note has n="223"'),
        (lambda doc: record(doc).set("corresp", "#X.c1.n9"), "points to no note"),
        (lambda doc: record(doc).set("corresp", "#X.c1.p1"), "points to no note"),
        (lambda doc: record(doc).remove(record(doc).find("tei:choice", NS)), "no choice"),
        (lambda doc: record(doc).getparent().append(copy.deepcopy(record(doc))), "twice"),
    ],
    ids=["n-unlike-corr", "dangling", "not-a-note", "no-choice", "twice"],
)
def test_check_reports_a_record_that_does_not_stand_for_the_marker(break_it, says):
    doc = parse()
    break_it(doc)
    (line,) = check_problems(doc)
    assert says in line
    assert re.fullmatch(
        r"tests/fixtures/markers/encoded\.xml:\d+: .+\. .+\. \[notes\.marker-correction\]",
        line,
    ), line


# --- the site and the PDF ------------------------------------------------------------------------
def site_html(doc):
    document, problems = load.from_tree(doc.getroot(), "tei/x.xml")
    assert problems == []
    (page,) = [p for p in site_pages.plan(document, "edition/x", "X") if "X.c1" in p.anchors]
    ids = {el.get(XML_ID) for el in doc.iter() if el.get(XML_ID)}
    md, problems = render_page(
        page.nodes, Context(page.src, "x.xml", lambda f, i: page.src if i in ids else None)
    )
    assert problems == []
    return to_html(md)


def test_on_the_site_the_marker_is_corrected_labelled_and_leads_to_its_note():
    html = site_html(parse())
    (sup,) = html.xpath("//sup[@id='fnref:X.c1.n3']")
    (link,) = sup.xpath("a[contains(@class, 'footnote-ref')]")
    (alt,) = link.xpath("span[contains(@class, 'alt') and contains(@class, 'correction')]")
    assert (alt.text_content(), alt.get("title"), alt.get("data-original")) == ("23", LABEL, "223")
    (target,) = html.xpath(f"//*[@id={link.get('href')[1:]!r}]")  # the footnote itself
    assert "The note whose marker the transcription misread." in target.text_content()
    # the other markers are as before: no label
    assert html.xpath("//sup[@id='fnref:X.c1.n2']/a")[0].text_content() == "22"
    assert len(html.xpath("//*[contains(@class, 'correction')]")) == 1


def test_on_the_site_the_text_read_and_searched_has_the_printed_marker_only():
    text = " ".join(site_html(parse()).text_content().split())
    assert "illiterate.”23 The purge" in text
    assert "223" not in text and m.LABEL_CORRECTION not in text  # a title is not text


def test_without_a_record_the_site_shows_the_marker_unlabelled():
    html = site_html(parse(UNDECIDED))
    assert html.xpath("//sup[@id='fnref:X.c1.n3']/a")[0].text_content() == "223"
    assert not html.xpath("//*[contains(@class, 'correction')]")


def pdf_text(doc) -> str:
    document, problems = load.from_tree(doc.getroot(), "tei/x.xml")
    assert problems == []
    body = typst_render(document.body, TypstContext("x", str))
    source = TEMPLATE.read_text(encoding="utf-8") + "\n" + body + "\n"
    pdf = typst.compile(source.encode("utf-8"))
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_in_the_pdf_the_marker_is_corrected_and_labelled_like_a_correction():
    text = pdf_text(parse())
    assert "illiterate.”23" in text and "illiterate.”223" not in text
    assert text.count(LABEL) == 1
    assert text.count("The note whose marker the transcription misread.") == 1
    undecided = pdf_text(parse(UNDECIDED))
    assert "illiterate.”223" in undecided and m.LABEL_CORRECTION not in undecided
