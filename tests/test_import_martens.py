"""tei/martens.xml (M), made by `edition import M` from the LaTeX2HTML transcription.

Counts established by reading sources/000_261a4aebe79897f9.txt: one section; 13 paragraphs of
citation (lines 15, 22, 29, 38, 49, 60, 67, 74, 87, 94, 107, 114, 123); 11 block quotations, each
followed by its citation, and one inline quotation (Getty p. 178, line 46) followed by its own;
7 citations of Getty (pp. 137, 155, 162, 170--171, 178, 177, 185); 5 furniture lines (1, 2, 125,
126, 128).
"""

import re
from copy import deepcopy

import pytest
from lxml import etree

from build_scripts.tei import teixml
from build_scripts.project import witnesses
from build_scripts.importers import latex2html
from build_scripts.importers.common import SourceText
from build_scripts.importers.tables import for_witness
from build_scripts.tei.teixml import NS, XML_ID

WITNESS = next(w for w in witnesses.load()[0] if w.siglum == "M")


@pytest.fixture(scope="module")
def doc():
    if not WITNESS.tei_path.exists():
        pytest.fail(f"{WITNESS.tei_path} does not exist: run `edition import M`")
    return etree.parse(str(WITNESS.tei_path))


@pytest.fixture(scope="module")
def source() -> str:
    return WITNESS.source_path.read_text(encoding="utf-8")


def text_of(el) -> str:
    return " ".join("".join(el.itertext()).split())


def by_id(doc, ident):
    found = doc.xpath("//*[@xml:id=$i]", i=ident)
    assert found, f"no element with xml:id {ident}"
    return found[0]


def test_one_section_with_its_head_as_printed(doc):
    divs = teixml.DIVS(doc)
    assert [d.get(XML_ID) for d in divs] == ["M.body"]
    head = divs[0].find("tei:head", NS)
    assert reading(head, "orig") == "The 1937--1938 Purge"  # as transcribed
    assert reading(head, "reg") == "The 1937–1938 Purge"  # as TeX prints it


def test_furniture_removed_and_listed(doc, source):
    items = teixml.FURNITURE(doc)
    assert [int(i.get("n")) for i in items] == [1, 2, 125, 126, 128]
    lines = source.split("\n")
    for item in items:  # each item holds its line exactly as transcribed
        assert "".join(item.itertext()).endswith(lines[int(item.get("n")) - 1])
    body = text_of(teixml.TEXT(doc)[0])
    assert "next up previous" not in body and "PDT 1995" not in body and "Next:" not in body


def test_quotations_and_citations_counted(doc):
    quotes = teixml.QUOTES(doc)
    assert [q.get(XML_ID) for q in quotes] == [f"M.body.q{n}" for n in range(1, 13)]
    assert len(teixml.BIBLS(doc)) == 13
    assert len(doc.findall(".//tei:body//tei:cit", NS)) == 11
    for cit in doc.findall(".//tei:body//tei:cit", NS):
        assert [teixml.local(c) for c in cit] == ["quote", "bibl"]


IBID_CHAIN = [  # (bibl id, key, first page, printed opening words), by reading the chain
    ("M.body.bibl1", "getty1985origins", "137", "Getty, op. cit."),
    ("M.body.bibl2", "getty1985origins", "155", "Ibid."),
    ("M.body.bibl3", "getty1985origins", "162", "Ibid."),
    ("M.body.bibl4", "getty1985origins", "170", "Ibid."),
    ("M.body.bibl5", "getty1985origins", "178", "Ibid."),
    ("M.body.bibl6", "getty1985origins", "177", "Ibid."),
    ("M.body.bibl7", "getty1985origins", "185", "Ibid."),
    ("M.body.bibl8", "mcneal1974resolutions", "188", "On Errors of Party Organizations"),
    ("M.body.bibl9", "mcneal1974resolutions", "190", "Ibid."),
    ("M.body.bibl10", "khrushchev1956secret", "S26", "Khrushchev, Secret Report"),
    (
        "M.body.bibl11",
        "mcneal1974resolutions",
        "194",
        "Ibid.",
    ),  # "We return to the January 1938 resolution"
    ("M.body.bibl12", "tokaev1956comrade", "119", "Tokaev, op. cit."),
    ("M.body.bibl13", "tokaev1956comrade", "101", "Ibid."),
]


@pytest.mark.parametrize("ident, key, page, opening", IBID_CHAIN, ids=[c[0] for c in IBID_CHAIN])
def test_citation_chain_resolved_by_corresp_without_changing_words(doc, ident, key, page, opening):
    bibl = by_id(doc, ident)
    assert bibl.get("corresp") == f"bib:{key}"
    assert text_of(bibl).startswith(opening)
    assert bibl.find("tei:biblScope", NS).get("from") == page


def test_getty_citations_point_to_pages_of_getty(doc):
    refs = teixml.WITNESS_REFS(doc)
    assert [r.get("target") for r in refs] == [
        f"getty.xml#G.pb{n}" for n in (137, 155, 162, 170, 178, 177, 185)
    ]
    assert [reading(r, "orig") for r in refs] == [
        "p. 137",
        "p. 155",
        "p. 162",
        "pp. 170--171",
        "p. 178",
        "p. 177",
        "p. 185",
    ]
    for ref in refs:  # only citations resolved to Getty point into getty.xml
        assert ref.xpath("ancestor::tei:bibl/@corresp", namespaces=NS) == ["bib:getty1985origins"]


def test_inline_quotation_of_getty_p178_points_to_its_citation(doc):
    quote = by_id(doc, "M.body.q5")
    assert reading(quote, "orig") == (
        "`a person who felt that his arrest was imminent could "
        "go to another town and, as a rule, avoid being arrested'"
    )
    assert teixml.local(quote.getparent()) == "p"
    bibl = by_id(doc, quote.get("source").lstrip("#"))
    assert bibl.find(".//tei:ref", NS).get("target") == "getty.xml#G.pb178"


def test_resolution_of_january_1938_quotations(doc):
    for ident, page in (("M.body.q7", "188"), ("M.body.q8", "190"), ("M.body.q10", "194")):
        bibl = by_id(doc, ident).getnext()
        assert bibl.get("corresp") == "bib:mcneal1974resolutions"
        assert bibl.find("tei:biblScope", NS).get("from") == page
    assert by_id(doc, "M.body.bibl8").find("tei:date", NS).get("when") == "1938-01-18"


def reading(el, keep: str) -> str:
    """The text of `el` with each choice read as its `keep` child (orig: the transcription; reg:
    edited)."""
    drop = {"orig": "reg", "reg": "orig"}[keep]
    copy = deepcopy(el)
    copy.tail = None
    for other in copy.findall(f".//tei:{drop}", NS):
        other.getparent().remove(other)
    return text_of(copy)


def test_tex_conventions_normalised_with_the_transcription_kept_in_orig(doc, source):
    body = teixml.TEXT(doc)[0]
    received, edited = reading(body, "orig"), reading(body, "reg")
    for printed in (
        "``populist terror''",
        "`dictator's paranoia'",
        "in view --- to increase",
        "pp. 170--171",
        "`heightening vigilance,'",
    ):
        assert printed in " ".join(source.split()), printed
        assert printed in received, printed
    for shown in (
        "“populist terror”",
        "‘dictator’s paranoia’",
        "in view — to increase",
        "pp. 170–171",
        "Ibid., p. 155",
    ):
        assert shown in edited, shown
    assert not re.search(r"`|--|''|\. ,", edited)  # no TeX convention is left in the edited text
    for choice in teixml.CHOICES(doc):  # every choice is a declared typographic normalisation
        orig, reg = choice.find("tei:orig", NS), choice.find("tei:reg", NS)
        assert orig is not None and reg is not None
        assert latex2html.TEX_TYPOGRAPHY[orig.text] == reg.text
    decl = text_of(doc.find(".//tei:normalization", NS))
    assert "choice/orig/reg" in decl


def test_converter_encodes_tex_typography_as_orig_and_reg():
    div = convert("A `title' -- here\n\n``Quoted'' text --- said.\n\n\nIbid. , p. 3.\n").body[0]
    assert reading(div, "reg").startswith(
        "A ‘title’ – here“Quoted” text — said."
    )  # paragraphs abut
    assert reading(div, "orig").startswith("A `title' -- here``Quoted'' text --- said.")


def test_witness_spellings_left_as_printed(doc):
    assert "grounds for explusion (sic)" in text_of(by_id(doc, "M.body.q6"))
    assert all(c.find("tei:sic", NS) is None for c in teixml.CHOICES(doc))  # nothing corrected


def test_whitespace_normalised_and_recorded(doc):
    body = text_of(teixml.TEXT(doc)[0])
    assert "Yaroslavsky harshly" in body and "Rumiantsev, who" in body
    assert all("  " not in (t or "") for t in teixml.TEXT(doc)[0].itertext() if t.strip())
    decl = text_of(doc.find(".//tei:normalization", NS))
    assert "Whitespace is normalised" in decl


# --- the converter on small inputs ---------------------------------------------------------------
def convert(text: str):
    return latex2html.convert(SourceText("t.txt", text), for_witness(WITNESS))


def test_ibid_without_antecedent_is_reported():
    result = convert("Title\n\n`A quotation.'\n\n\nIbid. , p. 3.\n")
    assert [p.location.line for p in result.problems] == [6]
    assert not result.body[0].findall(".//{*}bibl")


def test_unknown_op_cit_author_is_reported_not_guessed():
    result = convert("Title\n\n`A quotation.'\n\n\nSmith,  op. cit. , p. 3.\n")
    assert "Smith" in result.problems[0].message
