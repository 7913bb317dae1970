"""Rules that keep false matches out of the apparatus: shared words that are a term, a title or a
citation, not reuse; a table retold from one place of a witness, not from every place sharing a
few of its figures. Each test has a counterpart that the rule must leave alone."""

from __future__ import annotations

from build_scripts.apparatus import detect, retold
from build_scripts.apparatus.model import Passage

DATES = {"A": "1985", "B": "2005"}


def _corpus(a: Passage, b: Passage) -> list[Passage]:
    """Two witnesses, each with unrelated passages (so that the shared words are rare in the
    pair) and one passage of interest."""
    out = [
        Passage(w, f"{w}.f{n}", f"{w}.xml", "p", " ".join(f"{w}word{n}x{k}" for k in range(8)))
        for w in "AB"
        for n in range(20)
    ]
    return out + [a, b]


def _found(a: Passage, b: Passage):
    return detect.loci(detect.detect(_corpus(a, b), DATES))


def _p(siglum: str, text: str, kind: str = "p", **kw) -> Passage:
    return Passage(siglum, f"{siglum}.x", f"{siglum.lower()}.xml", kind, text, **kw)


def test_a_term_of_numbers_shared_alone_is_no_reuse():
    a = _p(
        "A",
        "The terror of 1932-3 was a means of escaping from the crisis which developed between "
        "the first and second five-year plans.",
    )
    b = _p(
        "B",
        "Among other things, it was during the 1930s that the first and second five-year plans "
        "were realised and agriculture was collectivised.",
    )
    assert not _found(a, b)
    # six rare words of prose, the same length, are reuse
    a2 = _p(
        "A",
        "Their faults notwithstanding, the provincial officials had a virtual monopoly on "
        "administrative expertise.",
    )
    b2 = _p(
        "B",
        "Their attitude was reinforced by the fact that the latter had a virtual monopoly on "
        "administrative experience.",
    )
    assert [l.type for l in _found(a2, b2)] == ["reuse"]


def test_a_quoted_title_shared_alone_in_prose_is_no_reuse():
    """A document's title named in the prose of both (not in a reference): neither reuse nor a
    shared citation (`detect.same_work`: an event or document named in running prose)."""
    a = _p(
        "A",
        'Entitled "On the Terrorist Activities of the Trotskyist-Zinovievist Counterrevolutionary '
        'Bloc," the letter was written by the Secretariat and sent to all organizations.',
    )
    b = _p(
        "B",
        "On 29 June the leadership dispatched a secret letter concerning 'the terrorist "
        "activities of the Trotskyist-Zinovievist counterrevolutionary bloc', on the basis of "
        "which many were repressed.",
    )
    assert _found(a, b) == []
    # in a reference of each (a note's bibl), the same title is a shared citation
    note_a = _p("A", a.text, "note", bibls=((0, len(a.text)),))
    note_b = _p("B", b.text, "note", bibls=((0, len(b.text)),))
    assert [l.type for l in _found(note_a, note_b)] == ["shared-citation"]
    # the same words quoted as words, not capitalised as a title: a quotation of them
    a2 = _p(
        "A",
        'The letter spoke of "the terrorist activities of the Trotskyist-Zinovievist '
        'counterrevolutionary bloc" and was sent to all organizations.',
    )
    assert [l.type for l in _found(a2, b)] == ["reuse"]


def test_a_headline_translated_in_a_reference_is_no_reuse():
    note = (
        'See also Pravda, Aug. 26, 1936, "Prislushivat\'sia k golosu mass" (To listen to the '
        "voice of the masses, to their signals)."
    )
    at = note.index("Pravda")
    a = _p("A", note, "note", bibls=((at, at + len("Pravda, Aug. 26, 1936")),))
    b = _p(
        "B",
        "Finally, the speaker urged the leaders to listen to the voice of the masses, a certain "
        "way of practising correct leadership.",
    )
    assert not _found(a, b)
    # the same words in the note's commentary, not in its reference, are reuse
    a2 = _p("A", "These editorials told the leaders to listen to the voice of the masses.", "note")
    assert [l.type for l in _found(a2, b)] == ["reuse"]


def _retelling(a: Passage, b: Passage, score: float) -> retold.Retelling:
    return retold.Retelling(a, b, 0, len(a.text), 0, len(b.text), ("x",), score)


def test_a_table_copied_from_one_place_is_not_retold_from_another():
    table = _p("B", "Table 4 Kulaks 226 Drunks 143 Theft 106 Trotskyists 28 White Army 41")
    source = Passage("A", "A.t1", "a.xml", "table", "Kulaks 226 Drunks 143 Theft 106 Others 41")
    prose = Passage("A", "A.p9", "a.xml", "p", "Drunks, thieves and White Army officers joined.")
    copied = detect.Locus(
        "app.1",
        "quotation",
        (
            detect.reading(source, 0, len(source.text), "source"),
            detect.reading(table, 8, len(table.text), "target"),
        ),
    )
    kept = retold.loci([_retelling(prose, table, 30.0)], [copied])
    assert kept == []
    # without the copy the retelling stands
    assert len(retold.loci([_retelling(prose, table, 30.0)], [])) == 1


def test_a_table_is_retold_from_the_place_sharing_most_with_it():
    table = Passage("B", "B.t5", "b.xml", "table", "Year Expelled Percent 1929 11.0 1933 18.5")
    best = Passage("A", "A.t2", "a.xml", "table", "1929 purge 11 1933 chistka 18.5 1935 9")
    other = Passage("A", "A.t3", "a.xml", "table", "1921 purge 25 1929 purge 11")
    kept = retold.loci([_retelling(other, table, 20.0), _retelling(best, table, 40.0)], [])
    assert [l.readings[0].passage for l in kept] == ["A.t2"]
    # a paragraph (not a table) may retell two places of one witness
    para = _p("B", "In 1929 11 per cent were expelled and in 1933 18.5 per cent.")
    kept = retold.loci([_retelling(other, para, 20.0), _retelling(best, para, 40.0)], [])
    assert len(kept) == 2


def _two(a: str, b: str) -> list[Passage]:
    return _corpus(_p("A", a), _p("B", b))


def test_a_roster_of_names_and_a_date_is_no_retelling():
    a = (
        "On June 11, 1937, Pravda announced the arrest of Marshal Tukhachevskii and the "
        "leading generals on charges of espionage and treason. Army Commanders Tukhachevskii, "
        "Iakir, Uborevich, Eideman, Kork, Putna, Feldman, and Primakov were arrested."
    )
    b = (
        "On June 11, Tukhachevsky, Yakir, Uborevich, Kork, Eideman, Feldman, Putna and Primakov "
        "were brought before a court martial and after a brief trial were sentenced to death."
    )
    assert not retold.retellings(_two(a, b), DATES)
    # the same roster with the earlier telling's words about it is a retelling
    b2 = (
        "On June 11, 1937, Pravda announced that Marshal Tukhachevskii and Generals Putna, Iakir, "
        "Uborevich, Feldman, Kork, Primakov and Eideman had been arrested for espionage and "
        "charged with treason."
    )
    assert retold.retellings(_two(a, b2), DATES)
    # names without a roster still count: a meeting, its days and the two men at it
    c = (
        "Only a week later (June 19-21), an extraordinary plenum discussed the leadership. The "
        "occasion was the arrival of Kaganovich. Accounts of the meeting discuss the removal of "
        "Rumiantsev and his people from the obkom."
    )
    d = (
        "Conditions had changed radically before the meeting of June 19-21, 1937, because of the "
        "presence of Kaganovich. Old injustices committed by Rumiantsev came to light."
    )
    assert retold.retellings(_two(c, d), DATES)


# a resolution's title, as a collection of translations gives it (made up for the rule)
RESOLUTION = (
    "On Errors of Regional Organizations in Removing Members from the Union, on Heartless "
    "Attitudes toward the Petitions of Those Removed from the Union, and on Measures to Remedy "
    "These Failings"
)


def test_a_long_title_in_two_references_to_different_works_is_one_document():
    """A title of twenty words and more, word for word, in a note's commentary ("The decision was
    entitled …", after naming one collection) and in a reference to another collection: one
    document in one translation, reuse of it (a common source), not a citation of one work and
    not nothing. A short title shared so (two works called alike) stays no entry."""
    note = (
        "Pravda, Jan. 19, 1938. An English version is in Brown, Decisions, 188-95. The decision "
        f'was entitled "{RESOLUTION}."'
    )
    at = note.index("Brown")
    refs = ((0, 21), (at, at + len("Brown, Decisions, 188-95")))
    keys = (("smith1970rezoliutsii", *refs[0]), ("brown1974decisions", *refs[1]))
    a = _p("A", note, "note", bibls=refs, works=keys)
    ref = f"{RESOLUTION} (18 January 1938). Green, op. cit., p. 188."
    b = _p("B", ref, "bibl", bibls=((0, len(ref)),), works=(("green1990history", 0, len(ref)),))
    found = _found(a, b)
    assert [(l.type, l.relation) for l in found] == [("reuse", "common-source")]
    short = "Heartless Attitudes toward the Petitions of Those Removed"
    text2 = f'The decision was entitled "{short}." Brown, Decisions, 188.'
    a2 = _p("A", text2, "note", bibls=((text2.index("Brown"), len(text2)),))
    ref2 = f"{short} (1938). Green, op. cit., p. 188."
    b2 = _p("B", ref2, "bibl", bibls=((0, len(ref2)),), works=(("green1990history", 0, len(ref2)),))
    assert [l for l in _found(a2, b2) if l.type != "shared-citation"] == []


def test_a_straight_single_quotation_mark_opens_a_quotation():
    """'On the errors …' after a space opens a quotation (as ‘ does); an apostrophe inside or
    after a word (Party's, members') opens none."""
    text = "a clumsy title: 'On the errors of Party organisations in expelling members.'"
    assert detect.quoted(_p("B", text), text.index("errors"), text.index("members"))
    plain = "the members' appeals and the Party's errors were ignored by the committees"
    assert not detect.quoted(_p("B", plain), plain.index("errors"), len(plain))
