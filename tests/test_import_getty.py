"""tei/getty.xml as `edition import G` writes it: divisions, pages, tables, notes at their markers.

The counts below were established by reading sources/004_7979c7add822e713.txt: note markers
(superscript digits) per division in the running text, and notes per group of the Notes section.
"""
import re

import pytest
from lxml import etree

from build_scripts.teixml import NS, XML_ID

TEI = "tei/getty.xml"

# division id: (type, start page from the contents list, printed chapter number or None)
DIVISIONS = {
    "G.intro": ("introduction", "1", None),
    "G.c1": ("chapter", "10", "1"),
    "G.c2": ("chapter", "38", "2"),
    "G.c3": ("chapter", "58", "3"),
    "G.c4": ("chapter", "92", "4"),
    "G.c5": ("chapter", "113", "5"),
    "G.c6": ("chapter", "137", "6"),
    "G.c7": ("chapter", "172", None),  # "Epilogue: the Ezhovshchina": no number printed before it
    "G.concl": ("conclusion", "196", None),
    "G.app": ("appendix", "207", None),
    "G.bibess": ("bibliography", "211", None),
    "G.notes": ("notes", "221", None),
    "G.index": ("index", "271", None),
}

# division id: (notes in its group of the Notes section, markers printed in its text)
NOTES_AND_MARKERS = {
    "G.intro": (24, 24),
    "G.c1": (80, 80),  # note 58 runs on in note 57's line in the transcription
    "G.c2": (61, 62),  # markers ...6, 8, 9, 9...; "²²³" for 23; 34 printed twice
    "G.c3": (115, 115),
    "G.c4": (73, 74),  # 64 printed twice
    "G.c5": (69, 69),  # 44 printed where 41 belongs
    "G.c6": (97, 97),
    "G.c7": (93, 93),
    "G.concl": (10, 10),  # 33 printed for 3, 16 for 6
    "G.app": (19, 19),
    "G.bibess": (36, 36),
}

# (note id, printed marker, number printed with the note): markers printed differently
RENUMBERED = {
    ("G.c2.n7", "8", "7"),
    ("G.c2.n8", "9", "8"),
    ("G.c2.n23", "223", "23"),
    ("G.c5.n41", "44", "41"),
    ("G.concl.n3", "33", "3"),
    ("G.concl.n6", "16", "6"),
}

TABLES = {
    "2.1": "Incidence of purges in the 1920s",
    "2.2": "Reasons for expulsion: 1929 purge (in percent)",
    "2.3": "Reasons for expulsions: 1933 chistka",
    "3.1": "Targets of proverka denunciations, city of Smolensk, July 1935",
    "3.2": "Results of proverka denunciations, city of Smolensk, summer 1935",
    "3.3": "Numbers expelled in proverka, 1935 (members and candidates)",
    "3.4": "Incidence of purges, 1921-35: expulsion rates (in percent)",
    "3.5": "Reasons for expulsion in proverka, Smolensk City Party Committee, 1935",
    "3.6": "Smolensk City Party Organization social composition, 1934 - October 1935",
    "6.1": "Primary party organizations whose work was judged unsatisfactory by the membership, April–May 1937",
    "6.2": "Electoral turnover of party committees, 1937 (primary party organizations)",
    "6.3": "Electoral turnover in primary party organizations, 1937 (secretaries and party organizers)",
    "C.1": "Full Central Committee membership of regional party secretaries, 1927-39",
}


def text_of(el) -> str:
    return " ".join("".join(el.itertext()).split())


@pytest.fixture(scope="module")
def doc():
    return etree.parse(TEI)


def by_id(doc, ident):
    found = doc.xpath("//*[@xml:id=$i]", i=ident)
    assert found, f"no element with xml:id {ident}"
    return found[0]


def test_divisions_with_their_start_pages(doc):
    for ident, (kind, page, label) in DIVISIONS.items():
        div = by_id(doc, ident)
        assert div.get("type") == kind, ident
        first_pb = div.find("tei:pb", NS)
        assert first_pb is not None and first_pb.get("n") == page and first_pb.get("cert") is None, ident
        assert first_pb.get(XML_ID) == f"G.pb{page}"
        head_label = div.find("tei:head/tei:label", NS)
        assert (head_label.text if head_label is not None else None) == label, ident
    assert text_of(by_id(doc, "G.c7").find("tei:head", NS)) == "Epilogue: the Ezhovshchina"
    assert [d.get(XML_ID) for d in doc.xpath("//tei:body/tei:div", namespaces=NS)] == [
        "G.intro", "G.c1", "G.c2", "G.c3", "G.c4", "G.c5", "G.c6", "G.c7", "G.concl"]


def test_sections_and_epigraphs(doc):
    c2_heads = [text_of(d.find("tei:head", NS)) for d in by_id(doc, "G.c2").findall("tei:div", NS)]
    assert c2_heads == ["The chistka of 1933"]
    c2_section = by_id(doc, "G.c2").find("tei:div/tei:head/tei:hi", NS)
    assert c2_section.get("rend") == "italic" and c2_section.text == "chistka"
    first_sections = {ident: text_of(by_id(doc, ident).find("tei:div/tei:head", NS)) for ident in ("G.c3", "G.c6")}
    assert first_sections == {"G.c3": "The files and first hesitant steps", "G.c6": "The February 1937 plenum of the Central Committee"}
    bibls = [text_of(b) for b in doc.xpath("//tei:epigraph/tei:cit/tei:bibl", namespaces=NS)]
    assert bibls[:3] == ["Aristotle", "Georg Lukács", "V. I. Lenin"]
    assert "“The Internationale”" in bibls and "Niccolò Machiavelli" in bibls


def test_contents_list_keeps_printed_pages(doc):
    items = doc.xpath("//tei:div[@type='contents']/tei:list/tei:item", namespaces=NS)
    pages = [i.find("tei:ref/tei:num", NS).text for i in items]
    assert pages == ["vi", "vii", "1", "10", "38", "58", "92", "113", "137", "172", "196", "207", "211", "221", "271"]
    assert items[0].find("tei:ref/tei:hi", NS).get("rend") == "italic"


@pytest.mark.parametrize("ident", NOTES_AND_MARKERS)
def test_every_note_at_a_marker_of_its_own_division(doc, ident):
    notes_count, markers_count = NOTES_AND_MARKERS[ident]
    div = by_id(doc, ident)
    notes = div.xpath(".//tei:note[@place='end']", namespaces=NS)
    assert len(notes) == notes_count
    assert [n.get(XML_ID) for n in notes] == [f"{ident}.n{k}" for k in range(1, notes_count + 1)]
    orphans = div.xpath(".//tei:hi[@rend='superscript'][starts-with(@xml:id, $p)]", p=f"{ident}.nm", namespaces=NS)
    assert len(notes) + len(orphans) == markers_count
    anomalies = {i.get("corresp").lstrip("#") for i in doc.xpath("//tei:list[@type='note-anomalies']/tei:item", namespaces=NS)}
    for note in notes:
        label = note.find("tei:label[@type='note-number']", NS)
        number = note.get(XML_ID).rsplit(".n", 1)[1]
        if label is None:
            assert note.get("n") == number, note.get(XML_ID)
        else:
            assert (note.get(XML_ID), note.get("n"), label.text) in RENUMBERED
            assert note.get(XML_ID) in anomalies
    for orphan in orphans:
        assert orphan.get(XML_ID) in anomalies


def test_notes_section_keeps_its_headings(doc):
    gens = doc.xpath("//tei:div[@type='notes']/tei:divGen[@type='notes']", namespaces=NS)
    assert [g.get("corresp") for g in gens] == [f"#{i}" for i in NOTES_AND_MARKERS]
    assert text_of(gens[1].find("tei:head", NS)) == "1. The Communist Party in the thirties"


def test_note_split_by_a_page_break_is_one_note(doc):
    note = by_id(doc, "G.intro.n9")
    assert note.find("tei:pb", NS) is not None
    assert "On the other, it was in the interest of his political enemies" in text_of(note)


def test_tables_with_heads_and_notes(doc):
    tables = {t.get("n"): t for t in doc.xpath("//tei:table[@n]", namespaces=NS)}
    for number, title in TABLES.items():
        head = tables[number].find("tei:head", NS)
        assert text_of(head) == f"Table {number}. {title}"
    t21 = tables["2.1"]
    assert [n.get("n") for n in t21.iter("{*}note")] == ["a", "b", None]
    assert text_of(t21.xpath(".//tei:note[not(@n)]", namespaces=NS)[0]).startswith("Sources: Izvestiia")
    assert len(t21.findall("tei:row", NS)) == 10
    assert t21.find("tei:row", NS).get("role") == "label"
    headless = doc.xpath("//tei:div[@xml:id='G.c7']//tei:table[not(tei:head)]", namespaces=NS)
    assert len(headless) == 1 and headless[0].get("n") == "7.1"  # inferred from the list of tables
    assert [text_of(c) for c in headless[0].find("tei:row", NS)] == ["Operation", "Number expelled", "Percent of party"]


def test_paragraph_split_by_a_page_break_is_rejoined(doc):
    p = doc.xpath("//tei:p[contains(., 'has been described as a period of')]", namespaces=NS)[0]
    pb = p.find("tei:pb", NS)
    assert pb is not None and pb.get("break") is None
    assert "as a period of “cultural revolution” during which radicals" in text_of(p)


def test_paragraph_interrupted_by_a_table_is_rejoined(doc):
    p = doc.xpath("//tei:p[tei:table[@n='2.1']]", namespaces=NS)[0]
    words = text_of(p)
    assert "for which detailed information" in words and "is available on the reasons for expulsion" in words
    assert p.find("tei:pb", NS) is not None


def test_hyphenated_word_is_rejoined_at_the_break(doc):
    p = doc.xpath("//tei:p[contains(., 'rid himself of possi')]", namespaces=NS)[0]
    pb = p.xpath(".//tei:pb[@break='no']", namespaces=NS)[0]
    before = pb.getprevious().tail if pb.getprevious() is not None else p.text
    assert before.endswith("possi") and pb.tail.startswith("ble rivals")


@pytest.mark.parametrize("page", ["137", "155", "177", "185", "221", "271"])
def test_cited_pages_have_ids(doc, page):
    pb = by_id(doc, f"G.pb{page}")
    assert pb.get("n") == page


def test_page_numbers_increase_in_the_running_text(doc):
    numbers = [int(pb.get("n")) for pb in doc.xpath("//tei:body//tei:pb[@n][not(ancestor::tei:note)]", namespaces=NS)]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert numbers[0] == 1 and numbers[-1] == 206
    certs = {pb.get("cert") for pb in doc.xpath("//tei:body//tei:pb[@n][not(ancestor::tei:note)]", namespaces=NS)}
    assert certs <= {None, "medium", "low"}


@pytest.mark.parametrize("ident", [i for i in DIVISIONS if i not in ("G.notes", "G.index")])
def test_each_division_has_one_break_per_page(doc, ident):
    start = int(DIVISIONS[ident][1])
    following = list(DIVISIONS)[list(DIVISIONS).index(ident) + 1]
    end = int(DIVISIONS[following][1]) - 1
    numbers = [pb.get("n") for pb in by_id(doc, ident).xpath(".//tei:pb[not(ancestor::tei:note)]", namespaces=NS)]
    assert numbers == [str(n) for n in range(start, end + 1)]


def _running_text_by_page(doc) -> dict[int, str]:
    pages: dict[int, list[str]] = {}
    current = None
    for el in doc.xpath("//tei:body//node()[not(ancestor::tei:note[@place='end'])] | //tei:back/tei:div[@type!='notes' and @type!='index']//node()[not(ancestor::tei:note[@place='end'])]", namespaces=NS):
        if isinstance(el, etree._Element):
            if etree.QName(el).localname == "pb" and (el.get("n") or "").isdigit():
                current = int(el.get("n"))
        elif current is not None and (el.is_text or el.is_tail):
            pages.setdefault(current, []).append(str(el))
    return {n: " ".join(parts) for n, parts in pages.items()}


def test_inferred_pages_agree_with_the_index(doc):
    """Surnames the index sends to a page of pp. 1–220 mostly stand on that page (name variants
    and indexed mentions by title or office account for the rest)."""
    pages = _running_text_by_page(doc)
    checked = agreed = 0
    for item in doc.xpath("//tei:div[@type='index']/tei:list/tei:item", namespaces=NS):
        m = re.match(r"([A-Z][\w'’]+), ", item.text or "")
        if not m:
            continue
        for first, last in re.findall(r"\b(\d+)(?:–(\d+))?\b(?!n)", item.text[m.end():]):
            first = int(first)
            last = int(str(first)[: len(first.__str__()) - len(last)] + last) if last else first
            if 1 <= first <= 220:
                checked += 1
                agreed += any(m.group(1) in pages.get(p, "") for p in range(first, last + 1))
    assert checked > 200 and agreed / checked >= 0.8, f"{agreed} of {checked} index references agree"  # 212 of 254 when written


def test_index_keeps_entries_and_pages(doc):
    items = doc.xpath("//tei:div[@type='index']/tei:list/tei:item", namespaces=NS)
    first = items[0]
    assert first.text.startswith("aktiv, 26, 98–9")
    assert text_of(first.find("tei:list/tei:item", NS)) == "in proverka, 67, 79, 91"
    assert any(re.match(r"Zinoviev, G\., 1, 2, 19, 116, 120, 122, 209, 210, 226n30", text_of(i)) for i in items)


def test_printed_series_note_is_text_not_furniture(doc):
    assert doc.xpath("//tei:front//tei:p[. = 'For other titles in this series, turn to page 276.']", namespaces=NS)
    assert not doc.xpath("//tei:list[@type='removed-furniture']", namespaces=NS)
