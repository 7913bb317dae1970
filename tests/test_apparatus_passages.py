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


TABLES = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="Y"><text><body><div>
<table xml:id="Y.t1" corresp="w.xml#W.pb46"><head>Purges</head>\
<row><cell>1929<note xml:id="Y.t1.n1" place="bottom">Of those examined.</note></cell>\
<cell>11</cell></row></table>
<table xml:id="Y.t2"><head>Expulsions [<ref type="witness" target="w.xml#W.pb54">W</ref>]</head>\
<row><cell>1933<note xml:id="Y.t2.n1" place="bottom">Percent.</note></cell><cell>18.5</cell></row>\
</table>
<table xml:id="Y.t3"><head>Members</head><row><cell>1934<note xml:id="Y.t3.n1" place="bottom">\
Rounded.</note></cell></row></table>
</div></body></text></TEI>"""


def test_a_table_and_its_notes_cite_what_the_table_cites():
    """A table reproduced from a witness (credited in its head, or identified by the editors with
    the witness's page in table/@corresp) cites that witness, and so do the notes standing in it;
    a table that credits nobody cites nobody."""
    doc = etree.ElementTree(etree.fromstring(TABLES))
    cites = {p.id: p.cites for p in witness_passages(doc, "y.xml", {"w.xml": "W"})}
    assert cites["Y.t1"] == cites["Y.t1.n1"] == frozenset({"W"})
    assert cites["Y.t2"] == cites["Y.t2.n1"] == frozenset({"W"})
    assert cites["Y.t3"] == cites["Y.t3.n1"] == frozenset()
