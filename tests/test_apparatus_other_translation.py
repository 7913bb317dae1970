"""Another translation (`translated`): a document quoted by two witnesses in two English
translations is found by its rarer words in the document's order, not by runs of words; a shared
citation, words out of order or names alone are not a translation; a retold entry whose readings
quote one document is retyped. Texts here are made up for the rules, not taken from the edition."""

from __future__ import annotations

from build_scripts.apparatus import translated
from build_scripts.apparatus.model import Locus, Passage, Reading

DATES = {"A": "1985", "B": "1995"}
# the common words of both witnesses' other passages: rarity is counted in the two witnesses
FILLER = (
    "The party committee met in the city and the members spoke about the work of the year, "
    "the plan of the factory and the leaders of the region."
)


def corpus(a_text: str, b_text: str, a_kind: str = "p", b_kind: str = "p") -> list[Passage]:
    out = []
    for siglum, text, kind in (("A", a_text, a_kind), ("B", b_text, b_kind)):
        out.append(Passage(siglum, f"{siglum}.x1", f"{siglum.lower()}.xml", kind, text))
        out += [
            Passage(siglum, f"{siglum}.f{n}", f"{siglum.lower()}.xml", "p", FILLER)
            for n in range(40)
        ]
    return out


def found(passages: list[Passage], loci: tuple[Locus, ...] = ()) -> list[Locus]:
    out = translated.translations(passages, DATES, "", list(loci))
    translated.forget()
    return [l for l in out if l.id.startswith("tr.")]


TITLE_A = (
    "The resolution was entitled “On Errors of Organizations in Expelling Communists, on "
    "Heartless Attitudes toward the Appeals of the Expelled, and on Measures to Eliminate "
    "these Shortcomings.”"
)
TITLE_B = (
    "It published the decree 'Concerning the mistakes of organisations in the expulsion of "
    "communists, of the heartless attitude to appeals of the expelled and of measures for "
    "correcting these deficiencies'."
)


def test_two_translations_of_one_title_are_found():
    loci = found(corpus(TITLE_A, TITLE_B))
    assert len(loci) == 1
    (l,) = loci
    assert l.relation == "other-translation"
    assert [r.passage for r in l.readings] == ["A.x1", "B.x1"]
    assert "appeal" in l.findings[0]


def test_one_reference_in_two_notes_is_a_shared_citation():
    a = "Decree “On Errors of Organizations in Expelling Communists, on Heartless Attitudes"
    a += " toward the Appeals of the Expelled” (Moscow, 1938), 12-14."
    b = "Decree 'Concerning the mistakes of organisations in the expulsion of communists, of"
    b += " the heartless attitude to appeals of the expelled', Pravda, 19 January 1938."
    assert found(corpus(a, b, "note", "note")) == []


def test_the_words_in_another_order_are_no_translation():
    scrambled = (
        "It published the decree 'Concerning measures for correcting appeals, the heartless "
        "expulsion of organisations, the mistakes of communists and the expelled'."
    )
    assert found(corpus(TITLE_A, scrambled)) == []


def test_words_found_only_scattered_over_a_long_passage_are_none():
    words = ["errors", "organizations", "expelling", "communists", "heartless", "appeals"]
    spread = " ".join(f"{w} {FILLER}" for w in words)
    assert found(corpus(TITLE_A, spread)) == []


def test_names_alone_are_no_translation():
    a = "He listed “Stalin, Molotov, Voroshilov, Kaganovich and Ezhov” as the commission."
    b = "The group was 'Stalin, Molotov, Voroshilov, Kaganovich, Ezhov' from then on."
    assert found(corpus(a, b)) == []


def test_a_pair_already_connected_keeps_its_entry():
    passages = corpus(TITLE_A, TITLE_B)
    a, b = passages[0], passages[41]
    old = Locus(
        "app.A.x1--B.x1.000000",
        "reuse",
        (
            Reading("A", a.file, a.id, a.text, 0, len(a.text), "source"),
            Reading("B", b.file, b.id, b.text, 0, len(b.text), "target"),
        ),
        relation="paraphrase",
    )
    assert found(passages, (old,)) == []


def retold_entry(a: Passage, b: Passage) -> Locus:
    return Locus(
        "ret.A.x1--B.x1.000000",
        "reuse",
        (
            Reading("A", a.file, a.id, a.text, 0, len(a.text), "source"),
            Reading("B", b.file, b.id, b.text, 0, len(b.text), "target"),
        ),
        relation="paraphrase",
    )


def test_a_retold_entry_quoting_one_document_is_retyped():
    passages = corpus(TITLE_A, TITLE_B)
    entry = retold_entry(passages[0], passages[41])
    (out,) = [l for l in translated.translations(passages, DATES, "", [entry]) if l.id == entry.id]
    assert out.relation == "other-translation"


def test_a_retold_entry_without_a_common_quotation_stays_a_paraphrase():
    a = "In 1938 the Central Committee, he wrote, condemned the expulsions of that year."
    b = "The expulsions were condemned in 1938 by “the highest organ of the party” itself."
    passages = corpus(a, b)
    entry = retold_entry(passages[0], passages[41])
    (out,) = [l for l in translated.translations(passages, DATES, "", [entry]) if l.id == entry.id]
    assert out.relation == "paraphrase"


def test_words_of_a_document_dated_otherwise_are_another_document():
    """A quotation dated one year and a passage that gives its words about a document of another
    year: two documents on one matter, not one in two translations. Undated, or sharing a year,
    they still pair."""
    b_1938 = TITLE_B.replace("It published", "In January 1938 the plenum published")
    dated_otherwise = TITLE_A.replace("The resolution", "In May 1936 the order")
    assert found(corpus(dated_otherwise, b_1938)) == []
    assert len(found(corpus(TITLE_A, b_1938))) == 1
    assert len(found(corpus(TITLE_A.replace("The resolution", "In 1938 the resolution"), b_1938)))


def test_a_duration_in_one_word_or_two_is_one_feature():
    """A duration as two words in one translation ("eight month") and one in the other
    ("eight-month", one word to `align.words`): both give the feature "month", the fourth word
    the two share in order."""
    a = "Stalin proposed: “District secretaries shall attend eight month courses.”"
    b = "He wanted the district secretaries to go on eight-month courses in the capitals."
    assert len(found(corpus(a, b))) == 1
    assert found(corpus(a, b.replace("eight-month", "eightfold"))) == []


COURSES = (
    "“Secretaries of district organisations shall attend eight month Lenin courses in ten of the "
    "principal centres.”",
    "“Secretaries of city organisations shall attend six month courses for the study of history "
    "and policy.”",
)
PLAN = (
    "He proposed that the district secretaries go on eight-month Lenin courses in ten principal "
    "centres, and the city secretaries on six-month courses for the study of history and policy."
)


def plan(gap: int) -> list[Passage]:
    """A quotes one document over two paragraphs `gap` passages apart; B gives both parts in one
    sentence."""
    a = [Passage("A", "A.x1", "a.xml", "p", COURSES[0])]
    a += [Passage("A", f"A.g{n}", "a.xml", "p", FILLER) for n in range(gap - 1)]
    a += [Passage("A", "A.x2", "a.xml", "p", COURSES[1])]
    a += [Passage("A", f"A.f{n}", "a.xml", "p", FILLER) for n in range(40)]
    b = [Passage("B", "B.x1", "b.xml", "p", PLAN)]
    b += [Passage("B", f"B.f{n}", "b.xml", "p", FILLER) for n in range(40)]
    return a + b


def test_a_document_quoted_over_consecutive_paragraphs_pairs_each_with_one_rendering():
    """B's sentence (all of it) already paired with A's second paragraph: A's first paragraph,
    right before it, is the same document quoted on and pairs with it too; a paragraph far from it
    is taken for a formula that another document shares, and does not."""

    def connected(passages: list[Passage]) -> Locus:
        b = next(p for p in passages if p.id == "B.x1")
        x2 = next(p for p in passages if p.id == "A.x2")
        return Locus(
            "app.A.x2--B.x1.000000",
            "reuse",
            (
                Reading("A", x2.file, x2.id, x2.text, 0, len(x2.text), "source"),
                Reading("B", b.file, b.id, PLAN, 0, len(PLAN), "target"),
            ),
            relation="paraphrase",
        )

    near = plan(1)
    assert [[r.passage for r in l.readings] for l in found(near, (connected(near),))] == [
        ["A.x1", "B.x1"]
    ]
    far = plan(12)
    assert found(far, (connected(far),)) == []
