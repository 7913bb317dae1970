"""How the relation of two witnesses' readings is named (`detect.relation_of`). Common source or
another translation: two witnesses quoting one document are told apart by how far their quotations
agree where they overlap (`detect.translation_agreement`), not by how long a run of words they
share. A table reproduced with a citation is a quotation. Texts here are made up for the rule, not
taken from the edition."""

from __future__ import annotations

from build_scripts.apparatus import detect
from build_scripts.apparatus.model import Passage, Reading


def side(siglum: str, text: str, kind: str = "p") -> tuple[Passage, Reading]:
    """A passage of witness `siglum` and a reading of all of it."""
    p = Passage(siglum, f"{siglum}.p1", f"{siglum.lower()}.xml", kind, text)
    return p, Reading(siglum, p.file, p.id, text, 0, len(text), "source")


def agreement(x: str, y: str, kind_y: str = "p") -> float:
    a, ra = side("A", x)
    b, rb = side("B", y, kind_y)
    return detect.translation_agreement(a, ra, b, rb)


SAME = (
    "the resolution condemned “careerist Communists who are striving to become prominent by "
    "recommending expulsions from the party, through the repression of party members.”"
)


def test_one_translation_quoted_twice_agrees():
    other = (
        "It spoke of “careerist Communists who are striving to become prominent . . . through "
        "the repression of Party members” and of their zeal."
    )  # an ellipsis leaves words out; "Party" differs in case only
    assert agreement(SAME, other) >= detect.SAME_TRANSLATION


def test_two_translations_of_one_passage_do_not():
    other = (
        "It spoke of “careerists among the Communists who try to make their name by proposing "
        "expulsions from the party, through repressing party members.”"
    )
    assert agreement(SAME, other) < detect.SAME_TRANSLATION


def test_the_stretches_quoted_elsewhere_in_the_reading_do_not_count():
    """A witness quoting fragments of a document: the fragment the other quotes in the same
    version decides, not fragments from elsewhere that meet unrelated words."""
    fragments = (
        SAME + " It also said the secretary “feels it unnecessary to make an objective evaluation "
        "of the accusations” and “is willing to expel dozens of members on false grounds.”"
    )
    longer = (
        "“Among Communists there exist careerist Communists who are striving to become prominent "
        "by recommending expulsions from the party, through the repression of party members. "
        "This sort of careerist, anxious to curry favour, is always ready to raise a hue and cry "
        "about expelling members from the party on formalistic grounds.”"
    )
    assert agreement(fragments, longer) >= detect.SAME_TRANSLATION


def test_a_block_quotation_is_quoted_throughout():
    block = (
        "careerist Communists who are striving to become prominent by recommending expulsions "
        "from the party, through the repression of party members"
    )
    assert agreement(SAME, block, kind_y="quote") >= detect.SAME_TRANSLATION
    assert detect.quoted_stretches(side("B", block, "quote")[0], 0, len(block)) == [block]


def test_a_cited_table_reproduced_in_a_table_is_a_quotation_prose_is_not():
    rows = "Year Percent 1929 11 1933 18.5 1935 9"
    table_a, ra = side("A", rows, kind="table")
    table_b = Passage("B", "B.t1", "b.xml", "table", rows, cites=frozenset({"A"}))
    rb = Reading("B", "b.xml", "B.t1", rows, 0, len(rows), "target")
    assert detect.relation_of("quotation", table_a, ra, table_b, rb, 0.0, retold=True) == (
        "quotation"
    )
    prose_a, pa = side("A", "In 1929 the purge expelled 11 percent; in 1933, 18.5; in 1935, 9.")
    assert detect.relation_of("quotation", prose_a, pa, table_b, rb, 0.0, retold=True) != (
        "quotation"
    )
