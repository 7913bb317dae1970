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
