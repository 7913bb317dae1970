"""`more_words_than` answers what counting plain_text's words answers, without reading on: a
property over random trees of text, inline elements, notes and paragraphs (words split between two
text nodes, an inline element inside a word, a note standing in a word, blocks that separate)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from build_scripts.tei import model as m

pieces = st.sampled_from(["", " ", "a", "ab ", " cd", "e f", "g\n", "  h  i", "-"])
texts = st.builds(m.Text, pieces)


def inline(children):
    return st.builds(lambda c: m.Inline("italic", tuple(c)), st.lists(children, max_size=3))


def note(children):
    return st.builds(lambda c: m.Note(None, "1", "foot", tuple(c)), st.lists(children, max_size=3))


def paragraph(children):
    return st.builds(lambda c: m.Paragraph(None, tuple(c)), st.lists(children, max_size=4))


nodes = st.recursive(
    texts,
    lambda inner: st.one_of(inline(inner), note(inner), paragraph(inner)),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(st.lists(nodes, max_size=6), st.booleans(), st.integers(min_value=0, max_value=12))
def test_more_words_than_agrees_with_counting_the_plain_text(tree, notes, limit):
    words = len(m.plain_text(tree, notes=notes).split())
    assert m.more_words_than(tree, limit, notes=notes) == (words > limit)


def test_a_line_break_parts_two_words_unless_it_breaks_a_word():
    """plain_text (what readers see, and what course pages and search quote): `<lb/>` between two
    words is a space, `<lb break="no"/>` inside a word is none."""
    from lxml import etree

    from build_scripts.tei.load import Loader

    tei = "http://www.tei-c.org/ns/1.0"
    el = etree.fromstring(
        f'<p xmlns="{tei}">nos balles<lb/>Sont pour mass-<lb break="no"/>organizational</p>'
    )
    assert m.plain_text([Loader("").node(el)]) == "nos balles Sont pour mass-organizational"
