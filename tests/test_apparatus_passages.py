"""The passage text the apparatus reads: a space at every block boundary, `corr` read in choice,
a sic alone (the witness's own slip) read as printed."""

from __future__ import annotations

import re

from lxml import etree

from build_scripts.apparatus import edition
from build_scripts.apparatus.passages import witness_passages

TEI = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="X"><text><body><div>
<p xml:id="X.p1">He said: <quote xml:id="X.q1">\
<p xml:id="X.q1.p1">The charges were unfounded.</p>\
<p xml:id="X.q1.p2">Then they were dropped.</p></quote>
In 1937 <choice><sic>1.408</sic><corr>1,408</corr></choice> \
members and a <sic>regarless</sic> reading.</p>
</div></body></text></TEI>"""


def test_block_boundaries_are_spaces_and_corr_is_read():
    doc = etree.ElementTree(etree.fromstring(TEI))
    text = {p.id: p.text for p in witness_passages(doc, "x.xml")}["X.p1"]
    assert "unfounded. Then" in text
    assert "1,408 members" in text and "1.408" not in text
    assert "regarless" in text


def test_no_glued_sentences_in_the_edition():
    """No paragraph of a block quotation runs into the next ("unfounded.Then")."""
    corpus, _ = edition.load()
    glued = [
        (p.id, m.group())
        for p in corpus.passages
        for m in re.finditer(r"[a-z]{3}[.?!][”\"’]?[A-Z][a-z]{2}", p.text)
    ]
    assert glued == []
