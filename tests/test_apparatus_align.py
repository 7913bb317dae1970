"""The aligner loses nothing: each side rebuilds exactly from the alignment (property test)."""

from hypothesis import given, settings, strategies as st

from build_scripts.apparatus import align

words = st.lists(
    st.sampled_from("the party purge of 1937 was a by and Stalin NKVD quota".split()), max_size=40
)


@settings(max_examples=200, deadline=None)
@given(words, words)
def test_alignment_rebuilds_both_sides(a, b):
    ops = align.align(a, b)
    left, right = align.rebuild(ops, a, b)
    assert left == a and right == b


@given(st.text(max_size=200))
def test_tokens_are_spans_of_the_text(text):
    for t in align.tokens(text):
        assert 0 <= t.start < t.end <= len(text) and t.norm


def test_editorial_marks_are_not_words():
    text = "`(T)he center .... no grounds for explusion (sic). --- one"
    assert [t.norm for t in align.tokens(text)] == [
        "the",
        "center",
        "no",
        "grounds",
        "for",
        "explusion",
        "one",
    ]
    assert align.tokens(text)[2].gap_before


def test_negation_is_substantive():
    assert not align.spelling("indiscriminate", "discriminate")
    assert align.spelling("organisation", "organization")


def test_a_spaced_ellipsis_after_a_space_marks_a_gap():
    """ ". . ." set apart from the word before it (Getty prints "nothing! . . . What") leaves
    words out as "..." does; single points between words do not."""
    for text in ("prominent . . . through", "nothing! . . . What", "prominent ... through"):
        assert [t.gap_before for t in align.tokens(text)] == [False, True], text
    assert not any(t.gap_before for t in align.tokens("a . b . c . d"))
