"""Emelyanov (E): tei/emelyanov.xml as `edition import E` writes it
(build_scripts/importers/book.py).

Counts established by reading sources/003_57d5f1d80ad01411.txt:
- 115 superscript note markers in the running text (¹ … ¹¹⁵, each printed once, in order) and 115
  endnotes in the ENDNOTES list (1. … 115.): no printed numbering anomaly (no duplicate, no gap, no
  note without marker, no marker without note).
- 3 parts and 14 sections; the contents list has 18 entries (parts, sections, ENDNOTES).
- 1 table (Fig 1, the ballot paper) and 1 boxed insert (15 books, then the author's own list).
"""

import re

import pytest
from lxml import etree

from build_scripts.tei import teixml
from build_scripts.project import witnesses

NS = teixml.NS
XML_ID = teixml.XML_ID
ENDNOTES, MARKERS, PARTS, SECTIONS, TABLES, BOX_BOOKS = 115, 115, 3, 14, 1, 15
WITNESS = next(w for w in witnesses.load()[0] if w.siglum == "E")


@pytest.fixture(scope="module")
def doc():
    if not WITNESS.tei_path.exists():
        pytest.fail(f"{WITNESS.tei_path} does not exist: run `edition import E`")
    return etree.parse(str(WITNESS.tei_path))


@pytest.fixture(scope="module")
def source_lines():
    return WITNESS.source_path.read_text(encoding="utf-8").split("\n")


def xp(node, path):
    return node.xpath(path, namespaces=NS)


def text_of(el) -> str:
    """Reading text of an element without its notes (a note's words are not running text)."""
    out = [el.text or ""]
    for child in el:
        if etree.QName(child).localname not in ("note", "corr"):
            out.append(text_of(child))
        out.append(child.tail or "")
    return "".join(out)


def norm(text: str) -> str:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.rstrip(".").split()).casefold()


def test_counts_of_the_transcription(source_lines):
    end = source_lines.index("ENDNOTES")
    markers = [
        int(m.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")))
        for line in source_lines[:end]
        for m in re.findall(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", line)
    ]
    notes = [int(m.group(1)) for line in source_lines[end:] if (m := re.match(r"^(\d+)\. ", line))]
    assert len(markers) == MARKERS and markers == list(range(1, MARKERS + 1))
    assert len(notes) == ENDNOTES and notes == list(range(1, ENDNOTES + 1))


def test_every_endnote_is_linked_to_its_marker_once(doc):
    notes = xp(doc, "//tei:text//tei:note[@place='end'][not(@resp)]")
    numbers = [int(n.get("n")) for n in notes]
    assert len(notes) == ENDNOTES == len(set(numbers)) == MARKERS
    assert numbers == list(range(1, ENDNOTES + 1))  # in reading order, as printed
    assert [n.get(XML_ID) for n in notes] == [f"E.n{k}" for k in numbers]
    assert not teixml.ANOMALIES(doc)  # none printed, none recorded
    assert all(not xp(n, "ancestor::tei:note") and "".join(n.itertext()).strip() for n in notes)
    assert not xp(doc, "//tei:body//tei:note[@place='end'][ancestor::tei:div[@type='notes']]")


def test_notes_section_keeps_its_heading(doc):
    (notes,) = xp(doc, "//tei:back/tei:div[@type='notes']")
    assert notes.get(XML_ID) == "E.notes"
    assert xp(notes, "tei:head/text()") == ["ENDNOTES"] and xp(notes, "tei:divGen/@type") == [
        "notes"
    ]


def test_parts_and_sections(doc):
    parts = xp(doc, "//tei:body/tei:div[@type='part']")
    assert [p.get(XML_ID) for p in parts] == [f"E.pt{k}" for k in range(1, PARTS + 1)]
    sections = xp(doc, "//tei:body//tei:div[@type='section']")
    assert len(sections) == SECTIONS and all(xp(s, "tei:head") for s in sections)


def pages_at_heads(doc) -> dict[str, str | None]:
    """The page in effect at each division's head: the last numbered pb before it (notes
    skipped)."""
    at, page = {}, None

    def walk(el):
        nonlocal page
        name = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if name == "note":
            return
        if name == "pb":
            page = el.get("n")
        if name == "head" and el.getparent().get(XML_ID):
            at[el.getparent().get(XML_ID)] = page
        for child in el:
            walk(child)

    for part in xp(doc, "//tei:body | //tei:back"):
        walk(part)
    return at


def test_each_contents_entry_heads_its_division_on_its_printed_page(doc):
    items = xp(doc, "//tei:front/tei:div[@type='contents']/tei:list/tei:item")
    assert len(items) == PARTS + SECTIONS + 1
    at = pages_at_heads(doc)
    for item in items:
        target = xp(item, "tei:ref/@target")[0].lstrip("#")
        (div,) = xp(doc, f"//tei:div[@xml:id='{target}']")
        assert norm(xp(div, "string(tei:head)")) == norm(xp(item, "string(tei:ref)"))
        assert at[target] == xp(item, "string(tei:num[@type='page'])"), target


def test_page_numbers_rise_and_are_unique(doc):
    body = [int(pb.get("n")) for pb in xp(doc, "//tei:text//tei:pb[@n][not(ancestor::tei:note)]")]
    in_notes = [int(pb.get("n")) for pb in xp(doc, "//tei:body//tei:note//tei:pb[@n]")]
    assert body == sorted(body) and len(set(body)) == len(body)
    assert in_notes == list(range(84, 91))  # the ENDNOTES list runs over pp. 83-90
    assert all(pb.get(XML_ID) == f"E.pb{pb.get('n')}" for pb in xp(doc, "//tei:pb[@n]"))


def test_box_is_an_insert_where_it_stands(doc):
    (box,) = xp(doc, "//tei:floatingText[@type='insert']")
    assert xp(box, "string(.//tei:head)") == "Recent Russian Studies on the Stalin Period"
    assert len(xp(box, ".//tei:listBibl/tei:bibl")) == BOX_BOOKS
    assert xp(box, "string(.//tei:p)").startswith("The author of the present article")
    before, after = box.getprevious(), box.getnext()
    assert text_of(before).endswith("undeniable proof of their innocence.")
    assert text_of(after).startswith("According to Khrushchev's explanations")
    assert {int(i.get("n")) for i in teixml.FURNITURE(doc)} == {67, 103}  # the two "* * *" rules


def test_table(doc):
    tables = teixml.TABLES(doc)
    assert len(tables) == TABLES
    (table,) = tables
    assert xp(table, "string(tei:head)").startswith("Fig 1. Draft ballot paper")
    rows = xp(table, "tei:row")
    assert len(rows) == 7 and rows[3].get("role") == "label"
    assert [c.text for c in xp(rows[4], "tei:cell")] == [
        "1 PETROV Ivan Semenovich",
        "the general assembly of workers and office employees of plant N22",
    ]


def test_paragraph_split_by_a_page_break_is_rejoined(doc):
    (p,) = [
        p for p in teixml.PARAGRAPHS(doc) if "What were the social and psychological" in text_of(p)
    ]
    (pb,) = xp(p, "tei:pb")
    before = pb.getprevious().tail if pb.getprevious() is not None else p.text
    assert pb.get("break") is None and pb.get("n") == "2" and before[-1:].isspace()
    assert " ".join(before.split()).endswith("in the 1930s? What")  # spacing as TEI reads it
    assert (pb.tail or "").startswith("were the social") and text_of(p).startswith(
        "Here is a list of questions"
    )


def test_hyphenated_word_is_rejoined(doc):
    (p,) = [p for p in teixml.PARAGRAPHS(doc) if "registered" in text_of(p)]
    (pb,) = xp(p, "tei:pb[@break='no']")
    assert (pb.tail or "").startswith("tered and printed") and "regis-" not in text_of(p)
    note = xp(doc, "//tei:note[@n='54']")[0]
    assert "zagovory i bor'ba" in "".join(note.itertext())
    assert "regis-|tered" in xp(doc, "string(//tei:hyphenation)")


def test_resolution_of_january_1938_quoted_through_martens(doc):
    (note,) = xp(doc, "//tei:note[@n='100']")
    assert xp(note, "tei:bibl/@corresp") == [
        "bib:mcneal1974resolutions",
        "bib:martens1994another",
    ]  # McNeal, cited by Martens
    quote = note.getparent()
    assert etree.QName(quote).localname == "quote" and text_of(quote).startswith(
        "“numerous instances are known of disguised enemies"
    )
    assert "The resolution described those responsible" in text_of(quote.getparent())


def test_citations_of_getty_and_martens(doc):
    (getty,) = xp(doc, "//tei:note[@n='42']/tei:bibl")
    assert getty.get("corresp") == "bib:getty1985origins"
    assert xp(getty, "tei:ref[@type='witness']/@target") == ["getty.xml#G.c6"]
    martens = xp(
        doc, "//tei:note/tei:bibl[@corresp='bib:martens1994another']/ancestor::tei:note/@n"
    )
    assert sorted(martens, key=int) == ["100", "112", "115"]


def test_cyrillic_letters_in_a_latin_word_are_corrected_visibly(doc):
    (choice,) = teixml.CHOICES(doc)
    assert (
        xp(choice, "string(tei:sic)") == "Sovremenник"
        and xp(choice, "string(tei:corr)") == "Sovremennik"
    )


def test_printed_note_anomalies_are_recorded_not_repaired():
    """A small book of the same style with a repeated marker, a marker without note, a note without
    marker."""
    from build_scripts.tei import words
    from build_scripts.importers.book import convert
    from build_scripts.importers.common import SourceText
    from build_scripts.importers.tables import for_witness

    text = "\n".join(
        [
            "A Title",
            "",
            "An Author",
            "",
            "Publisher's Note",
            "",
            "A note.",
            "",
            "CONTENTS",
            "",
            "PART 1: ONE\t1",
            "A Section.....\t2",
            "ENDNOTES\t9",
            "",
            "PART 1: ONE",
            "",
            "Marked.¹ Again.² Twice.² Lost.⁴",
            "",
            "A Section",
            "",
            "More.",
            "",
            "ENDNOTES",
            "",
            "1. First, 12.",
            "2. Second, 13.",
            "3. Orphan, 14.",
        ]
    )
    result = convert(SourceText("t.txt", text), for_witness(WITNESS))
    assert sorted(a.target for a in result.anomalies) == ["E.m2.2", "E.m4.1", "E.n3"]
    E = teixml.E
    root = E.TEI(E.text(E.front(*result.front), E.body(*result.body), E.back(*result.back)))
    assert [n.get("n") for n in root.iter(teixml.tei("note"))] == [
        "1",
        "2",
        "3",
    ]  # never renumbered
    again = root.find(f".//{teixml.tei('ref')}[@{{{teixml.XML_NS}}}id='E.m2.2']")
    assert (again.get("type"), again.get("target"), again.text) == ("noteref", "#E.n2", "2")
    lost = root.find(f".//{teixml.tei('hi')}[@{{{teixml.XML_NS}}}id='E.m4.1']")
    assert lost is not None and lost.get("rend") == "superscript"  # no note to lead to
    assert words.compare(words.source_words(text), words.tei_reading(root)) is None
