"""tei/stalin-society.xml (S), made by `edition import S` from the Markdown transcription.

Counts established by reading sources/001_a79c6896bb77adc9.txt: 47 headings (2 #, 21 ##, 24 ###), of
which the title block (front) has 2, the back 1, the article 44 (1 #, 19 ##, 24 ###); 5 tables
printed as Tables 1, 2, 3, 4, 6; 2 footnotes (markers [1] line 57, [2] line 243) after 2 "---" rules
(lines 61, 251); 29 paragraphs split by a page break (a part that ends without closing punctuation),
6 of them inside a hyphenated word (begin-ning, rea-son, Cen-tral, mem-bers, of-fice, deci-sive);
Tables 2 and 3 interrupt a paragraph.
"""

import re

import pytest
from lxml import etree

from build_scripts.tei import teixml
from build_scripts.project import witnesses
from build_scripts.importers import markdown
from build_scripts.importers.common import SourceText
from build_scripts.importers.tables import for_witness
from build_scripts.tei.teixml import NS, XML_ID

WITNESS = next(w for w in witnesses.load()[0] if w.siglum == "S")


@pytest.fixture(scope="module")
def doc():
    if not WITNESS.tei_path.exists():
        pytest.fail(f"{WITNESS.tei_path} does not exist: run `edition import S`")
    return etree.parse(str(WITNESS.tei_path))


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return WITNESS.source_path.read_text(encoding="utf-8").split("\n")


def text_of(el) -> str:
    """The words of an element, a line break (lb) read as a space."""
    copy = etree.fromstring(etree.tostring(el, with_tail=False))
    for lb in copy.iter("{*}lb"):
        lb.tail = " " + (lb.tail or "")
    return " ".join("".join(copy.itertext()).split())


def text_before(el) -> str:
    """The text just before an element (its previous sibling's tail, or its parent's text)."""
    previous = el.getprevious()
    return (previous.tail if previous is not None else el.getparent().text) or ""


def by_id(doc, ident):
    found = doc.xpath("//*[@xml:id=$i]", i=ident)
    assert found, f"no element with xml:id {ident}"
    return found[0]


def part(doc, name):
    return doc.find(f".//tei:text/tei:{name}", NS)


# --- structure -----------------------------------------------------------------------------------
def test_divisions_nest_as_the_headings(doc):
    article = by_id(doc, "S.art")
    assert text_of(article.find("tei:head", NS)) == "THE PURGES OF THE CPSU IN THE 1930s"
    assert len(article.findall("tei:div[@type='section']", NS)) == 19
    assert len(article.findall("tei:div/tei:div[@type='subsection']", NS)) == 24
    assert len(doc.findall(".//tei:text//tei:div/tei:head", NS)) == 47
    assert [d.get(XML_ID) for d in part(doc, "front")] == ["S.title"]
    assert [d.get(XML_ID) for d in part(doc, "back")] == ["S.colophon", "S.society"]


def test_headings_keep_their_words_not_their_markdown(doc):
    heads = [text_of(h) for h in doc.findall(".//tei:text//tei:div/tei:head", NS)]
    assert "“Proverka” - verification of Party documents in 1935" in heads
    assert not [h for h in heads if re.search(r"[#*]", h)]
    proverka = next(h for h in doc.findall(".//tei:div/tei:head", NS) if "Proverka" in text_of(h))
    assert [e.get("rend") for e in proverka.iter("{*}hi")] == ["bold", "italic"]


def test_title_block_address_and_colophon_kept(doc):
    front, back = text_of(part(doc, "front")), text_of(part(doc, "back"))
    assert front.startswith(
        "The Stalin Society BM Box 2521 London WC1N 3XX www.stalinsociety.org.uk"
    )
    assert (
        "by Mário Sousa" in front
        and "Presented to the Stalin Society by Ella Rule, March 2005" in front
    )
    assert back.startswith(
        "Published and distributed by CPGB-ML 274 Moseley Road, Highgate Birmingham, B12 0BS UK"
    )
    signed = [text_of(s) for s in by_id(doc, "S.art").findall("tei:closer/tei:signed", NS)]
    assert signed == ["Mário Sousa, 2001, mario.sousa@telia.com", "Edited by Ella Rule 2005"]


def test_hard_line_breaks_are_lb(doc):
    colophon = by_id(doc, "S.colophon.p1")
    assert len(colophon.findall("tei:lb", NS)) == 3
    assert len(part(doc, "front").findall(".//tei:lb", NS)) == 2
    assert (
        len(doc.findall(".//tei:text//tei:lb", NS)) == 2 + 1 + 3 + 2
    )  # front, signature, colophon, contact


def test_links_are_ref_with_their_address(doc):
    targets = [
        r.get("target") for r in doc.findall(".//tei:text//tei:ref", NS) if r.get("type") is None
    ]
    assert targets == [
        "http://www.stalinsociety.org.uk",
        "mailto:mario.sousa@telia.com",
        "mailto:lalkarpublications@hotmail.com",
        "mailto:info@stalinsociety.org.uk",
        "http://www.stalinsociety.org.uk",
    ]


def test_no_markdown_syntax_left_in_the_text(doc):
    for t in teixml.TEXT(doc)[0].itertext():
        assert not re.search(r"\*\*|<[bi]>|</?sup>|\]\(|\\\*|^#+ ", t), t


# --- notes ---------------------------------------------------------------------------------------
def test_footnotes_at_their_markers(doc):
    notes = doc.findall(".//tei:text//tei:note[@place='foot']", NS)
    assert [(n.get("n"), n.get(XML_ID)) for n in notes] == [("1", "S.art.n1"), ("2", "S.art.n2")]
    first = notes[0]
    assert (first.getparent().text or "").endswith(
        "This book bears the name "
    )  # after the italic title
    assert first.tail[:1].isspace() and " ".join(first.tail.split()).startswith(
        "by the American history professor"
    )
    assert first.find("tei:bibl", NS).get("corresp") == "bib:getty1985origins"
    assert notes[1].getparent().text.endswith("The political trials ")


def test_note_2_continues_with_the_alternatively_paragraph(doc):
    note = by_id(doc, "S.art.n2")
    paragraphs = [text_of(p) for p in note.findall("tei:p", NS)]
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("The text from which this pamphlet was extracted")
    assert paragraphs[1].startswith("Alternatively, Trotskyism or Leninism? By Harpal Brar")
    # ... and the running text goes on after the page break inside the word "Cen-tral"
    pb = next(
        pb
        for pb in doc.findall(".//tei:pb[@break='no']", NS)
        if (pb.tail or "").startswith("tral Committee")
    )
    assert text_before(pb).endswith("members of the Cen")


def test_footnote_rules_listed_as_furniture(doc, lines):
    items = teixml.FURNITURE(doc)
    assert [(int(i.get("n")), i.find("tei:label", NS).text) for i in items] == [
        (61, "footnote-rule"),
        (251, "footnote-rule"),
    ]
    assert all(lines[int(i.get("n")) - 1] == "---" for i in items)


# --- page breaks ---------------------------------------------------------------------------------
def test_page_breaks_and_rejoined_words(doc):
    pbs = teixml.PAGE_BREAKS(doc)
    assert len(pbs) == 29
    assert all(pb.get("n") is None and teixml.local(pb.getparent()) == "p" for pb in pbs)
    joined = []
    for pb in doc.findall(".//tei:text//tei:pb[@break='no']", NS):
        before = text_before(pb) or text_of(pb.getprevious())
        after = pb.tail or text_of(pb.getnext())
        joined.append(re.search(r"(\w+)$", before).group(1) + re.match(r"\w+", after).group())
    assert joined == ["beginning", "reason", "Central", "members", "office", "decisive"]
    assert len(doc.findall(".//tei:hyphenation/tei:p", NS)) == 1 + 6


def test_sentence_split_by_a_page_break_is_one_paragraph(doc):
    p = next(
        p
        for p in teixml.PARAGRAPHS(doc)
        if text_of(p).startswith("In spite of these directives, the purge of 1933")
    )
    assert "In a country as vast as the Soviet Union, local Party secretaries" in text_of(p)
    assert len(p.findall("tei:pb", NS)) == 1


def test_paragraph_around_table_2_rejoined(doc):
    table = doc.xpath("//tei:table[@n='2']", namespaces=NS)[0]
    p = table.getparent()
    assert teixml.local(p) == "p"
    assert text_of(p).startswith("In relation to the purges of 1929, Table 2 gives")
    assert teixml.local(table.getprevious()) == "pb"  # the page break, then the table
    before = text_before(table.getprevious())  # spacing as TEI reads it (fmt may break lines)
    assert before[-1:].isspace() and " ".join(before.split()).endswith("re-admitted. On further")
    assert table.tail.startswith("examination, it turns out that the great majority")
    assert doc.xpath("//tei:table[@n='3']", namespaces=NS)[0].tail.startswith(
        "directives as a criterion"
    )


# --- tables --------------------------------------------------------------------------------------
def test_tables_keep_their_printed_numbers(doc):
    tables = teixml.TABLES(doc)
    assert [t.get("n") for t in tables] == ["1", "2", "3", "4", "6"]
    assert [t.get(XML_ID) for t in tables] == [f"S.art.t{n}" for n in range(1, 6)]
    assert "There is no Table 5" in text_of(doc.find(".//tei:normalization", NS))


TABLE_LINES = {"1": (94, 98), "2": (107, 114), "3": (143, 149), "4": (202, 209), "6": (416, 422)}


@pytest.mark.parametrize("n", TABLE_LINES)
def test_table_cells_equal_the_source(doc, lines, n):
    first, last = TABLE_LINES[n]
    expected = [
        [re.sub(r"</?[bi]>", "", c).strip() for c in line.split("\t")]
        for line in lines[first - 1 : last]
    ]
    table = doc.xpath("//tei:table[@n=$n]", n=n, namespaces=NS)[0]
    rows = [
        [
            " ".join("".join(c.xpath(".//text()[not(ancestor::tei:note)]", namespaces=NS)).split())
            for c in r.findall("tei:cell", NS)
        ]
        for r in table.findall("tei:row", NS)
    ]
    if n == "1":  # the note marker * of the header cell is now the note's @n
        expected[0][2] = expected[0][2].rstrip(" *")
    assert rows == expected


def test_header_rows_are_labels(doc):
    labelled = {
        t.get("n"): [r.get("role") for r in t.findall("tei:row", NS)].count("label")
        for t in teixml.TABLES(doc)
    }
    assert labelled == {"1": 1, "2": 1, "3": 1, "4": 0, "6": 1}


def test_table_sources_point_to_getty(doc):
    pages = {"1": 46, "2": 47, "3": 54, "4": 69, "6": 177}
    for table in teixml.TABLES(doc):
        assert table.get("corresp") == f"getty.xml#G.pb{pages[table.get('n')]}"
        bibl = table.find("tei:head/tei:bibl", NS)
        if table.get("n") == "6":  # Table 6 prints no source
            assert bibl is None
            continue
        assert bibl.get("corresp") == "bib:getty1985origins"
        assert text_of(bibl) == "Getty: Origins of the Great Purges"
        assert (
            bibl.find("tei:ref[@type='witness']", NS).get("target")
            == f"getty.xml#G.pb{pages[table.get('n')]}"
        )


def test_table_notes(doc):
    star = doc.xpath("//tei:table[@n='1']//tei:note", namespaces=NS)
    assert [(n.get("n"), n.get("type"), teixml.local(n.getparent().getparent())) for n in star] == [
        ("*", "table", "cell")
    ]
    assert text_of(star[0]).startswith("This represents the percentage expelled")
    note6 = doc.xpath("//tei:table[@n='6']/tei:note", namespaces=NS)
    assert [text_of(n)[:40] for n in note6] == ["Note: There are no national statistics f"]


# --- the converter on small inputs ---------------------------------------------------------------
def convert(text: str):
    return markdown.convert(SourceText("t.txt", text), for_witness(WITNESS))


def test_unpaired_emphasis_stays_text():
    result = convert("# A\n\n# B\n\nTwo * three and *open but never closed.\n")
    p = result.body[0].find("{*}p")
    assert "".join(p.itertext()) == "Two * three and *open but never closed."
    assert p.find("{*}hi") is None


def test_missing_footnote_is_an_error():
    result = convert("# A\n\n# B\n\nText<sup>[3]</sup> here.\n")
    assert [p.severity for p in result.problems] == ["error"]
