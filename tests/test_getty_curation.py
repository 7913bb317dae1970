"""tei/getty.xml is curated: other files point at its ids (the apparatus, the Martens and Stalin
Society TEI with targets like getty.xml#G.pb155), so every id stays on the element it was given to.

tests/data/getty-ids.json is the snapshot: each xml:id of tei/getty.xml with the first 60
characters of its element's text (whitespace collapsed). It holds the 1894 ids of the TEI as
`edition import G` first wrote it, and the 40 ids added since (38 block quotations, two
paragraphs split off before a block quotation: G.c3.d4.p44, G.c3.d4.p45). Editorial notes
(G.c7.n72.n1) are the edition's, not the import's: they follow the scheme but stay out of the
snapshot, which a fresh import must meet. A page break has no text: its id names its page
(G.pb167 is the break before p. 167), so it may move when the page numbering improves but must
keep its number.
"""

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from build_scripts.tei.teixml import XML_ID

TEI = Path("tei/getty.xml")
SNAPSHOT = Path("tests/data/getty-ids.json")


TEI_NS = "{http://www.tei-c.org/ns/1.0}"
# A correction adds its corr (or reg) beside the transcription's sic (or orig), and an editorial
# note (@resp) the edition's words. Read the transcription, as the snapshot and the fidelity test
# do, so that encoding one is not a move. A note's own number is not read either, whether the
# import wrote it as a label (where the marker differs) or it is the @n: a marker corrected (its
# label gone, docs/about/encoding.md, Notes) is not a move.
EDITORIAL = {TEI_NS + "corr", TEI_NS + "reg"}


def transcription_text(el) -> str:
    if el.tag in EDITORIAL or (el.tag == TEI_NS + "note" and el.get("resp")):
        return ""
    if el.tag == TEI_NS + "label" and el.get("type") == "note-number":
        return ""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append(transcription_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def first_chars(el) -> str:
    return " ".join(transcription_text(el).split())[:60]


@pytest.fixture(scope="module")
def ids():
    doc = etree.parse(str(TEI))
    return {el.get(XML_ID): el for el in doc.iter() if isinstance(el.tag, str) and el.get(XML_ID)}


@pytest.fixture(scope="module")
def snapshot():
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_snapshot_is_the_whole_curated_set(snapshot):
    assert len(snapshot) == 1934
    # pp. vi, vii and 1–276, less 18 pages of the Notes section where no break was placed and the
    # index's pp. 272–275 (the transcription runs the index on without breaks)
    assert sum(1 for i in snapshot if re.fullmatch(r"G\.pb(\d+|vi|vii)", i)) == 256


def test_no_id_vanished(ids, snapshot):
    missing = sorted(set(snapshot) - set(ids))
    assert not missing, f"{len(missing)} curated ids are gone from {TEI}: {missing[:10]}"


def unspaced(text: str) -> str:
    """Spacing aside: `edition fmt` may lay out a table's rows and cells on lines of their own (the
    whitespace TEI ignores between elements), which puts a space between cells in itertext()."""
    return "".join(text.split())


def test_no_id_moved(ids, snapshot):
    moved = [
        (i, text, first_chars(ids[i]))
        for i, text in snapshot.items()
        if i in ids and not unspaced(first_chars(ids[i])).startswith(unspaced(text)[:40])
    ]
    assert not moved, f"{len(moved)} ids now stand on other words, e.g. {moved[:3]}"


def test_page_break_ids_keep_their_page(ids, snapshot):
    for ident in snapshot:
        m = re.fullmatch(r"G\.pb(\d+)", ident)
        if m:
            assert etree.QName(ids[ident]).localname == "pb" and ids[ident].get("n") == m.group(
                1
            ), ident


def test_new_ids_follow_the_scheme(ids, snapshot):
    """An id not in the snapshot is the next free number of its kind under its nearest ancestor
    with an id (docs/about/encoding.md); add it to the snapshot once it is curated."""
    for ident in sorted(set(ids) - set(snapshot)):
        if re.fullmatch(r"G\.pb\d+", ident):
            continue  # named by its page
        el = ids[ident]
        if not any(etree.QName(a).localname == "text" for a in el.iterancestors()):
            continue  # the scheme names the text's elements; a header id (G.editors) names a role
        parent = el.getparent()
        while parent is not None and parent.get(XML_ID) is None:
            parent = parent.getparent()
        m = re.fullmatch(rf"{re.escape(parent.get(XML_ID))}\.([a-z]+)(\d+)", ident)
        assert m, f"{ident} is not named after its ancestor {parent.get(XML_ID)}"
        siblings = [
            i for i in ids if re.fullmatch(rf"{re.escape(parent.get(XML_ID))}\.{m.group(1)}\d+", i)
        ]
        assert int(m.group(2)) == max(int(re.search(r"\d+$", i).group()) for i in siblings), ident


def test_a_fresh_import_keeps_the_curated_ids(tmp_path, snapshot):
    """`edition import G` gives every curated id to the same words again (the importer numbers
    as the first import did, then adds new paragraphs and quotations after), without problems
    about block quotations (a listed opening not found, an introduced paragraph not listed)."""
    from build_scripts.importers import run as importer

    path, problems = importer.run("G", out_dir=tmp_path)
    assert path is not None, [p.message for p in problems]
    assert not [p for p in problems if p.code == "import.monograph.quote"], [
        p.message for p in problems if p.code == "import.monograph.quote"
    ]
    doc = etree.parse(str(path))
    fresh = {el.get(XML_ID): el for el in doc.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
    wrong = [
        i
        for i, text in snapshot.items()
        if i not in fresh or not unspaced(first_chars(fresh[i])).startswith(unspaced(text)[:40])
    ]
    assert not wrong, wrong[:10]
