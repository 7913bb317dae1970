"""Retellings (build_scripts/apparatus/retold.py): figures read alike however they are printed,
and a retold anecdote keeps its entry beside a quotation the verbatim detector aligned."""

from __future__ import annotations

import pytest

from build_scripts.apparatus import align, retold
from build_scripts.apparatus.model import Passage


def norms(text: str) -> set[str]:
    return {f for f, year, _, _ in retold.figures(text, align.words(text)) if not year}


@pytest.mark.parametrize(
    "one, other",
    [
        ("72,950 members", "72 950 members"),
        ("72,950 members", "72.950 members"),
        ("11 percent", "eleven per cent"),
        ("11%", "11 per cent"),
        ("four of twenty-five conferences", "4 of 25 conferences"),
        ("between June 19th and 21st", "June 19–21"),
        ("1.8 million checked", "1,800,000 checked"),
        ("more than a third", "one-third"),
    ],
)
def test_one_figure_printed_two_ways_is_one_feature(one, other):
    assert norms(one) & norms(other)


def test_different_figures_stay_different():
    assert not norms("11 percent") & norms("11 members")  # a share is not a count
    assert not norms("72,950") & norms("72,960")
    assert not norms("a third") & norms("a quarter")
    assert norms("9.1 per cent") & norms("National 170,000 9.1")  # a table under a % heading


def test_short_year_range_gives_both_years():
    found = {f for f, year, _, _ in retold.figures("in 1937-38") if year}
    assert found == {"#1937", "#1938"}
    assert not norms("in 1937-38")  # "38" is not a figure of its own


def test_a_decimal_point_does_not_end_a_sentence():
    text = "Of these, 85 were expelled (5.1 percent). The rest stayed."
    assert [m.group().strip() for m in retold.SENTENCE.finditer(text)] == [
        "Of these, 85 were expelled (5.1 percent).",
        "The rest stayed.",
    ]


def test_retold_sentences_beside_a_quotation_keep_an_entry():
    a = Passage(
        "G",
        "G.p1",
        "g.xml",
        "p",
        "When the NKVD came for Colonel Kutsner in Minsk, he took a train to Moscow and was "
        "sent to teach at the Frunze Academy. Survivors say that "
        '"a person who felt that arrest was imminent could go to another town."',
    )
    b = Passage(
        "M",
        "M.p1",
        "m.xml",
        "p",
        "Threatened with arrest in Minsk, Colonel Kutsner took the train to Moscow and became "
        "a professor at the Frunze Academy. Getty cites survivors: "
        "'a person who felt that arrest was imminent could go to another town.'",
    )
    quote_a = a.text.index("a person"), len(a.text)
    quote_b = b.text.index("a person"), len(b.text)
    shared = ("kutsner", "frunz", "minsk", "colonel", "academi", "immin", "town", "train")
    weights = (7.0,) * len(shared)
    sa = retold.sentences(a, set(shared), {})
    sb = retold.sentences(b, set(shared), {})
    r = retold.Retelling(
        a, b, 0, len(a.text), 0, len(b.text), shared, 56.0, weights, tuple(sa), tuple(sb)
    )
    kept = retold.beside(r, [(*quote_a, *quote_b)])
    assert kept is not None
    assert kept.a_end <= quote_a[0] and kept.b_end <= quote_b[0]  # the quotation is left out
    assert "immin" not in kept.shared
    # the quoted words alone are no retelling
    only = retold.Retelling(
        a,
        b,
        0,
        len(a.text),
        0,
        len(b.text),
        ("immin", "town"),
        14.0,
        (7.0, 7.0),
        tuple(sa),
        tuple(sb),
    )
    assert retold.beside(only, [(*quote_a, *quote_b)]) is None
