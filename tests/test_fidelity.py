"""Nothing is lost: per witness, the words of the transcription equal the words of the TEI.

Running text in reading order, notes in reading order, except the page furniture the TEI header
lists. On failure the message names the first difference with its line in the transcription and in
the TEI.
"""

import pytest
from lxml import etree

from build_scripts.tei import teixml
from build_scripts.project import witnesses
from build_scripts.tei import words

WITNESSES, _ = witnesses.load()


def furniture_lines(doc) -> set[int]:
    return {int(item.get("n")) for item in teixml.FURNITURE(doc)}


@pytest.mark.parametrize("witness", WITNESSES, ids=lambda w: w.siglum)
def test_words_of_transcription_equal_words_of_tei(witness):
    if not witness.tei_path.exists():
        pytest.fail(f"{witness.tei_path} does not exist: run `edition import {witness.siglum}`")
    doc = etree.parse(str(witness.tei_path))
    source = words.source_words(
        witness.source_path.read_text(encoding="utf-8"), furniture_lines(doc)
    )
    reading = words.tei_reading(doc.getroot())
    difference = words.compare(source, reading)
    assert difference is None, f"{witness.siglum}: {difference}"
    assert source, (
        f"{witness.siglum}: no words read from "
        f"sources/{witness.file}: the comparison would be empty"
    )


def test_walk_reports_a_lost_word():
    root = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>one '
        'two<note n="1">a note</note> four</p></body></text></TEI>'
    )
    source = words.source_words("one two1 three four\n\n1 a note\n")
    difference = words.compare(source, words.tei_reading(root))
    assert (
        difference is not None and difference.source_line == 1 and difference.expected[0] == "three"
    )


def test_walk_accepts_notes_moved_to_markers_and_rejoined_words():
    root = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>one '
        'begin<pb n="2" break="no"/>ning'
        '<note n="2" place="foot">A foot note</note> end '
        "<choice><sic>Trotskvist</sic><corr>Trotskyist</corr></choice></p></body></text></TEI>"
    )
    source = words.source_words("one begin-\n\n² A foot note\n\nning² end Trotskvist\n")
    assert words.compare(source, words.tei_reading(root)) is None


def test_a_word_continues_across_inline_markup_and_ends_at_anything_else():
    """`<hi>ispolkom</hi>s` is one word, as printed, on both sides of the comparison
    (the transcription's `*ispolkom*s` too); a note, a printed marker, a line or page break and a
    block end the word."""
    from lxml import etree as et

    from build_scripts.tei import words as w

    tei = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
        '<p>the (<hi rend="italic">ispolkom</hi>s) <choice><sic>abc</sic><corr>abd</corr></choice>s'
        ' Shkiriato<ref type="noteref">34</ref> x<lb/>y a<pb break="no"/>b end</p><p>next'
        '<note n="3">n<hi>o</hi>te</note></p></body></text></TEI>'
    )
    for edited, corrected in ((False, "abcs"), (True, "abds")):
        reading = w.tei_reading(et.fromstring(tei).getroottree(), edited=edited)
        assert [x.text for x in reading.main] == [
            "the", "ispolkoms", corrected, "Shkiriato", "34", "x", "y", "a", "b", "end",
            "next", "3",
        ]  # fmt: skip
        assert [x.text for x in reading.notes[0].words] == ["3", "note"]
    assert [x.text for x in w.source_words("(*ispolkom*s) **bold** 5 * 3")] == [
        "ispolkoms", "bold", "5", "3",
    ]  # fmt: skip
