"""tei/khlevnyuk.xml (witness K) against what reading the transcription establishes.

Counts from reading sources/002_3ea385306a37ecdb.txt:
- editor's introduction: notes 1–4 (the marker of note 1 is lost; 2–4 are plain digits after
  punctuation: "deadly.2", "Revolution.3", "any cost.4");
- article: notes 1–51 printed except note 13 (its marker "Politburo. 13" is printed, its text is
  not), so 50 notes with @n; notes 7 and 16 are printed without their number; the markers of notes
  3, 4, 5 are lost; marker 26 is fused with a year ("193726");
- one unnumbered note ("This chapter was originally translated by E. A. Rees.");
- one copyright stamp (lines 15–16) and the next part's heading "The Welfare State" (line 321);
- eleven page feet interrupt the text, so eleven page breaks (one inside "adminis-/trative");
- 52 choice/sic/corr: 21 misread words, 30 misread punctuation marks and the fused "193726" (one
  per place, counted by hand).
"""

from __future__ import annotations

import re
import pytest
from lxml import etree

from build_scripts.tei import teixml
from build_scripts.project import witnesses
from build_scripts.importers import ocr
from build_scripts.importers.common import SourceText
from build_scripts.importers.tables import for_witness
from build_scripts.tei.teixml import NS, XML_ID, local

WITNESS = next(w for w in witnesses.load()[0] if w.siglum == "K")


@pytest.fixture(scope="module")
def doc():
    if not WITNESS.tei_path.exists():
        pytest.fail(f"{WITNESS.tei_path} does not exist: run `edition import K`")
    return etree.parse(str(WITNESS.tei_path))


def notes(doc, div: str) -> list[etree._Element]:
    return doc.xpath(f"//tei:div[@xml:id='{div}']//tei:note", namespaces=NS)


def note(doc, ident: str) -> etree._Element:
    found = doc.xpath(f"//tei:note[@xml:id='{ident}']", namespaces=NS)
    assert len(found) == 1, f"no single note {ident}"
    return found[0]


def text_before(el: etree._Element) -> str:
    """The witness's text of the enclosing paragraph (or quote) before el: sic read, notes
    skipped."""
    block = next(a for a in el.iterancestors() if local(a) in ("p", "quote", "head", "item"))
    out: list[str] = []

    def walk(node) -> bool:
        if node is el:
            return True
        if local(node) not in ("note", "corr"):
            out.append(node.text or "")
            if any(walk(child) for child in node):
                return True
        if node is not block:
            out.append(node.tail or "")
        return False

    walk(block)
    return " ".join("".join(out).split())


def plain(el: etree._Element) -> str:
    return " ".join(
        "".join(
            el.xpath(
                ".//text()[not(ancestor::tei:note) and not(ancestor::tei:corr)]", namespaces=NS
            )
        ).split()
    )


# --- counts ----------------------------------------------------------------------------------
def test_intro_series_has_four_numbered_notes(doc):
    found = notes(doc, "K.intro")
    assert [(n.get("n"), n.get(XML_ID)) for n in found] == [
        (str(i), f"K.intro.n{i}") for i in range(1, 5)
    ]
    assert all(n.get("place") == "foot" for n in found)


def test_article_series_has_fifty_numbered_notes_and_no_thirteen(doc):
    numbered = [n for n in notes(doc, "K.art") if n.get("n")]
    expected = [i for i in range(1, 52) if i != 13]
    assert [int(n.get("n")) for n in numbered] == expected
    assert [n.get(XML_ID) for n in numbered] == [f"K.art.n{i}" for i in expected]


def test_missing_note_thirteen_is_an_editorial_note_at_its_printed_marker(doc):
    placeholder = note(doc, "K.art.n13")
    assert placeholder.get("resp") == "#K.editors" and placeholder.get("n") is None
    assert text_before(placeholder).endswith(
        "this order of the NKVD was approved by the Politburo.13"
    )


def test_one_unnumbered_note_attached_at_the_article_title(doc):
    unnumbered = doc.xpath("//tei:text//tei:note[@type='unnumbered']", namespaces=NS)
    assert len(unnumbered) == 1
    assert local(unnumbered[0].getparent()) == "head"
    assert unnumbered[0].getparent().getparent().get(XML_ID) == "K.art"
    assert (
        "".join(unnumbered[0].itertext()) == "This chapter was originally translated by E. A. Rees."
    )


def test_page_breaks(doc):
    breaks = teixml.PAGE_BREAKS(doc)
    assert len(breaks) == 11
    assert [pb.get("break") for pb in breaks].count("no") == 1
    assert all(pb.get("n") is None for pb in breaks)  # no page number is printed or inferable


def test_corrections(doc):
    import yaml

    choices = teixml.CHOICES(doc)
    table = yaml.safe_load(
        (teixml.ROOT / "sources" / "import" / "K.yml").read_text(encoding="utf-8")
    )
    fixes = {(f["misreading"], f["reading"]) for f in table["word_fixes"]}
    found = {
        (c.findtext("tei:sic", namespaces=NS), c.findtext("tei:corr", namespaces=NS))
        for c in choices
    }
    assert fixes <= found  # every certain misreading of the import table is encoded
    sics = [c.findtext("tei:sic", namespaces=NS) for c in choices]
    assert sics.count("Trotskvist") + sics.count("Trotskvists") == 5
    pairs = {
        (c.findtext("tei:sic", namespaces=NS), c.findtext("tei:corr", namespaces=NS))
        for c in choices
    }
    assert {
        ("Polithuro", "Politburo"),
        ("sprayka", "spravka"),
        ("NOO447", "N00447"),
        ("obizhennui", "obizhennyi"),
    } <= pairs


def test_figures_keep_their_digits_and_only_a_misread_separator_is_corrected(doc):
    """A figure's digits are the witness's and never change; a full stop the OCR read for the
    thousands comma is encoded choice/sic/corr with only the separator corrected (editorialDecl)."""
    text = plain(doc.getroot().find("tei:text", NS))
    for figure in (
        "259.450",
        "72.950",
        "1.408",
        "6.277",
        "57,200",
        "48,000",
        "22,500",
        "16,800",
        "Ezhovshchina",
    ):
        assert figure in text
    for c in teixml.CHOICES(doc):
        sic, corr = (
            c.findtext("tei:sic", namespaces=NS),
            c.findtext("tei:corr", namespaces=NS) or "",
        )
        if any(ch.isdigit() for ch in corr) and sic not in ("NOO447", "193726"):
            assert re.fullmatch(r"\d{1,3}(\.\d{3})+", sic) and corr == sic.replace(".", ","), (
                sic,
                corr,
            )


def test_furniture_listed_and_gone(doc):
    items = teixml.FURNITURE(doc)
    assert [(item.get("n"), item.findtext("tei:label", namespaces=NS)) for item in items] == [
        ("15", "copyright-notice"),
        ("16", "copyright-notice"),
        ("321", "following-part-heading"),
    ]
    text = plain(doc.getroot().find("tei:text", NS))
    assert "NOTICE" not in text and "Copyright Law" not in text and "Welfare State" not in text


def test_anomalies_recorded(doc):
    targets = [item.get("corresp") for item in teixml.ANOMALIES(doc)]
    assert targets == [
        "#K.intro.n1",
        "#K.art.n3",
        "#K.art.n4",
        "#K.art.n5",
        "#K.art.n7",
        "#K.art.n13",
        "#K.art.n16",
        "#K.art.n26",
    ]


# --- notes at their markers, each in its own series -------------------------------------------
@pytest.mark.parametrize(
    ("ident", "ending"),
    [
        ("K.intro.n2", "explain how the purges turned deadly."),
        ("K.intro.n3", "overthrown by the 1917 Revolution."),
        ("K.intro.n4", "the need to industrialize at any cost."),
        ("K.art.n1", "from a diversity of viewpoints."),
        ("K.art.n2", "trial of Trotskvists and Zinovievists."),
        ("K.art.n9", "retained no small influence."),
        ("K.art.n27", "Ezhov."),
        ("K.art.n41", "their public humiliation."),
        ("K.art.n51", "in the time of war and after the war."),
    ],
)
def test_note_at_its_marker(doc, ident, ending):
    assert text_before(note(doc, ident)).endswith(ending)


def test_series_stay_in_their_divisions(doc):
    assert all(n.get(XML_ID).startswith("K.intro.") for n in notes(doc, "K.intro"))
    assert all(n.get(XML_ID).startswith("K.art.") for n in notes(doc, "K.art"))
    # intro note 1 and article note 1 are different notes
    assert "Brzezinski" in "".join(note(doc, "K.intro.n1").itertext())
    assert "Medvedev" in "".join(note(doc, "K.art.n1").itertext())


def test_lost_marker_and_fused_marker(doc):
    intro1 = note(doc, "K.intro.n1")
    assert intro1.get("type") == "unmarked" and text_before(intro1).endswith(
        "ceased after Stalin's death."
    )
    fused = note(doc, "K.art.n26")
    assert fused.get("type") == "unmarked"
    choice = fused.getprevious()
    assert local(choice) == "choice" and choice.findtext("tei:sic", namespaces=NS) == "193726"
    assert choice.findtext("tei:corr", namespaces=NS) == "1937"


def test_note_printed_without_number_has_empty_label(doc):
    for ident in ("K.art.n7", "K.art.n16"):
        label = note(doc, ident).find("tei:label[@type='note-number']", NS)
        assert label is not None and not (label.text or "").strip()


# --- paragraphs and text ---------------------------------------------------------------------
def test_interrupted_paragraph_is_rejoined(doc):
    paras = [p for p in teixml.PARAGRAPHS(doc) if "summer-beginning" in plain(p)]
    assert len(paras) == 1
    assert "summer-beginning of the autumn of 1936. In June Stalin" in plain(paras[0])
    assert paras[0].find("tei:pb", NS) is not None


def test_hyphenated_word_rejoined_across_the_page(doc):
    pb = doc.xpath("//tei:pb[@break='no']", namespaces=NS)[0]
    before = pb.getprevious().tail if pb.getprevious() is not None else pb.getparent().text
    assert before.endswith("adminis") and pb.tail.startswith("trative head")


def test_paragraph_split_without_page_foot_is_rejoined_without_pb(doc):
    para = next(p for p in teixml.PARAGRAPHS(doc) if "should be immediately" in plain(p))
    assert "should be immediately arrested and shot." in plain(para)
    assert para.find("tei:pb", NS) is None


def test_block_quotations(doc):
    quotes = teixml.QUOTES(doc)
    assert len(quotes) == 6
    assert plain(quotes[0]).startswith("It should be noted in particular")
    assert (
        quotes[2].find("tei:list", NS) is not None
        and len(quotes[2].findall("tei:list/tei:item", NS)) == 4
    )
    assert len(quotes[5].findall("tei:p", NS)) == 3  # Molotov, three paragraphs


def test_emphasis_and_citations(doc):
    assert [hi.text for hi in doc.xpath("//tei:text//tei:hi[@rend='italic']", namespaces=NS)] == [
        "osobye papki"
    ]
    getty = doc.xpath("//tei:text//tei:bibl[@corresp='bib:getty1985origins']", namespaces=NS)
    holders = {
        b.xpath("string(ancestor::tei:note/@xml:id)", namespaces=NS) or "reading" for b in getty
    }
    assert holders == {"K.intro.n2", "K.art.n1", "reading"}
    assert len(note(doc, "K.art.n1").findall("tei:bibl", NS)) == 5


# --- the importer itself ---------------------------------------------------------------------
def test_convert_reports_only_warnings_with_their_lines():
    source = SourceText(f"sources/{WITNESS.file}", WITNESS.source_path.read_text(encoding="utf-8"))
    result = ocr.convert(source, for_witness(WITNESS))
    assert not [p for p in result.problems if p.severity == "error"]
    by_code = {(p.code, p.location.line) for p in result.problems}
    assert ("import.ocr-note-missing", 124) in by_code  # marker 13, its note absent
    assert ("import.ocr-marker-fused", 162) in by_code  # "193726"
    assert ("import.ocr-trailing-text", 321) in by_code
    assert len(result.furniture) == 3
