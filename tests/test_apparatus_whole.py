"""Whole quotations, fully collated (issue 10, item 2): a reading spans the whole quoted
sentence(s), to the quotation marks or the table, not only the words the two witnesses print alike;
one quotation is one entry; a reading does not swallow a long quotation of which the other witness
quotes one sentence; a retelling takes in the neighbouring sentences that tell the same fact.
Small invented fixtures, the rule only."""

from __future__ import annotations

from build_scripts.apparatus import detect, retold
from build_scripts.apparatus.model import Passage

DATES = {"X": "1980", "Y": "2000"}

DOCUMENT = (
    "The comrades in the district say that the plan is fulfilled and the party organisation is "
    "strong in every village of the region. Mere details! We overfulfill the plans, and our "
    "district committee is also not bad at all in this respect, so what else do we need? They "
    "invent some kind of problems, talk about some wrecking or other in the factories, do not "
    "sleep themselves, and do not let other people sleep."
)
QUOTING = (
    "The speaker then turned to the local functionaries, with some irony. "
    '"The comrades in the district say that the plan is fulfilled and the party organisation is '
    "strong in every village of the region. Is it worth while bothering about all these little "
    "things, if our output is growing and the material conditions of the workers and peasants "
    "are becoming better and better every year, as everybody in the country can see for himself "
    "without any statistics? Mere trifles! The plans are overfulfilled, and our "
    "district committee is also not bad at all in this respect, so what else do we need? They "
    "are inventing all sorts of problems, talk about some wrecking or other in the factories, "
    "don't sleep themselves and don't let other people sleep.\" The meeting closed soon after."
)


def entries(a: Passage, b: Passage) -> list[detect.Match]:
    return detect.detect([a, b], DATES)


def reading(p: Passage, m: detect.Match, side: str) -> str:
    toks = detect.align.tokens(p.text)
    i, j = (m.a0, m.a1) if side == "a" else (m.b0, m.b1)
    return p.text[toks[i].start : toks[j - 1].end]


def test_a_quotation_with_differences_is_one_entry_to_its_quotation_marks():
    a = Passage("X", "X.q1", "x.xml", "quote", DOCUMENT)
    b = Passage("Y", "Y.p1", "y.xml", "p", QUOTING)
    found = entries(a, b)
    assert len(found) == 1, [reading(b, m, "b") for m in found]
    ra, rb = reading(a, found[0], "a"), reading(b, found[0], "b")
    assert ra == DOCUMENT  # the whole block quotation, its last sentence with the variants too
    assert rb.startswith('"The comrades') and rb.endswith('let other people sleep."')
    assert "Mere trifles" in rb and "inventing all sorts" in rb and "worth while" in rb
    assert "meeting closed" not in rb and "irony" not in rb  # to the quotation marks, no further


def test_a_paragraph_of_a_block_quotation_is_the_unit_not_the_whole_quotation():
    first = "Some comrades think that an open admission of mistakes only helps the enemy. "
    second = (
        "This is rubbish, comrades, downright rubbish. The open recognition of our mistakes and "
        "their honest rectification can only strengthen our party and raise its authority."
    )
    a = Passage(
        "X",
        "X.q2",
        "x.xml",
        "quote",
        first + second,
        spans=(("X.p1", 0, len(first) - 1), ("X.p2", len(first), len(first + second))),
    )
    quoted = (
        '"That is nonsense, comrades, sheer nonsense. The open recognition of our mistakes and '
        'their honest rectification can only strengthen our party and raise its prestige."'
    )
    b = Passage("Y", "Y.p2", "y.xml", "p", "He was firm. " + quoted + " Then he sat down.")
    (m,) = entries(a, b)
    assert reading(a, m, "a") == second  # the paragraph, not the one before it
    assert reading(b, m, "b") == quoted  # its first sentence too, where the variants are


def test_a_sentence_quoted_from_a_long_quotation_takes_only_its_sentence():
    sentences = [
        f"In the {n} district the committee met on the {n} day and heard reports on the harvest."
        for n in ("first", "second", "third", "fourth", "fifth", "sixth")
    ]
    shared = (
        "The commission found that the regional secretary had concealed the grain reserves "
        "from the inspectors for three years."
    )
    long_quote = " ".join(sentences[:3] + [shared] + sentences[3:])
    a = Passage("X", "X.q3", "x.xml", "quote", long_quote)
    b = Passage(
        "Y",
        "Y.p3",
        "y.xml",
        "p",
        f'Its report was brief: "{shared}" Nothing came of it for months.',
    )
    (m,) = entries(a, b)
    assert reading(a, m, "a") == shared


def test_a_table_reproduced_is_read_to_the_table_and_no_further():
    rows = (
        "Reasons for expulsion Percent of expulsions Moral corruption, careerist, bureaucrat 17.5 "
        "Alien elements hiding alien past 16.5 Violation of party discipline 20.9 Passivity 23.2"
    )
    table_a = "Table 2.3. Reasons for expulsions: 1933 " + rows
    table_b = "Table 3 The expulsions of 1933 " + rows.replace("Percent", "Percentage")
    before_a, after_a = "The figures are these. ", " Most of them had joined the party late."
    before_b, after_b = "Passivity did not figure in the directives. ", " Other 4.0 percent."
    a = Passage(
        "X",
        "X.p4",
        "x.xml",
        "p",
        before_a + table_a + after_a,
        spans=(("X.p4.t1", len(before_a), len(before_a + table_a)),),
    )
    b = Passage(
        "Y",
        "Y.p4",
        "y.xml",
        "p",
        before_b + table_b + after_b,
        spans=(("Y.t3", len(before_b), len(before_b + table_b)),),
    )
    (m,) = entries(a, b)
    assert reading(a, m, "a") == table_a  # its caption too (a variant), not the prose after it
    assert reading(b, m, "b") == table_b


def test_no_sentence_ends_after_an_initial_or_an_abbreviation():
    text = (
        "The plenum met. In his speech (Feb. 4, 1931), Stalin said that L. M. Kaganovich would "
        "come. Then it closed."
    )
    at = text.index("Stalin")
    lo, hi = detect.sentence(text, at, at + 6)
    assert text[lo:hi] == text[16 : text.index(" Then")]
    p = Passage("X", "X.p5", "x.xml", "p", text)
    spans = [(s, e) for s, e, _ in retold.sentences(p, set(), {})]
    assert [text[s:e] for s, e in spans] == [
        "The plenum met.",
        text[16 : text.index(" Then")],
        "Then it closed.",
    ]


def sents(*features: str) -> list[tuple[int, int, frozenset[str]]]:
    """Sentences 10 characters long, each with the shared features named (space-separated)."""
    return [(10 * n, 10 * n + 9, frozenset(f.split())) for n, f in enumerate(features)]


def test_a_retelling_takes_in_the_neighbouring_sentences_that_tell_the_same_fact():
    # a: the span is sentence 1; sentence 2 names what b's span holds (kaganovich)
    a = sents("", "june19 june21", "kaganovich", "", "other")
    b = sents("intro", "june19 june21 kaganovich", "", "")
    (a0, a1), (b0, b1) = retold.neighbours(a, b, (10, 19), (10, 19))
    assert (a0, a1) == (10, 29) and (b0, b1) == (10, 19)


def test_neighbours_that_share_a_feature_join_both_sides_past_one_empty_sentence():
    a = sents("figure", "small", "", "")
    b = sents("figure", "", "small words", "")
    (a0, a1), (b0, b1) = retold.neighbours(a, b, (0, 9), (0, 9))
    assert (a0, a1) == (0, 19) and (b0, b1) == (0, 29)


def test_a_neighbour_that_only_repeats_the_span_or_tells_another_fact_stays_out():
    a = sents("kulak third", "kulak", "table", "", "crime")
    b = sents("kulak third crime", "", "", "")
    (a0, a1), (b0, b1) = retold.neighbours(a, b, (0, 9), (0, 9))
    assert (a0, a1) == (0, 9)  # "kulak" again; then "table", which b does not hold: no further
    assert (b0, b1) == (0, 9)


def test_the_relation_of_a_retelling_is_judged_on_its_retold_sentences_not_their_neighbours():
    told = "In October the commissar praised the engineers of the coal basin at a reception."
    around = " ".join(
        f"The {n} sentence around it tells of other things entirely." for n in range(9)
    )
    a = Passage("X", "X.p6", "x.xml", "p", around + " " + told)
    b = Passage("Y", "Y.p6", "y.xml", "p", "At a reception the commissar praised the engineers.")
    at = len(around) + 1
    grown = retold.Retelling(a, b, 0, len(a.text), 0, len(b.text), ("recept",), 50.0)
    core = (at, len(a.text), 0, len(b.text))
    (whole_a,) = retold.loci([grown], [])
    (judged,) = retold.loci([retold.replace(grown, core=core)], [])
    assert whole_a.relation == "summary"  # 80 words against 8: the length alone says summary
    assert judged.relation == "paraphrase"  # the retold sentence against its retelling
    assert judged.readings[0].text == a.text  # the reading is still the grown one


def test_a_table_passage_is_read_whole_with_its_head():
    rows = (
        "Kulaks, traders, families 226 Degenerates, drunks, womanizers, violators of discipline "
        "143 Official malfeasance, theft, embezzlement 106 Lost or dubious party card 62"
    )
    table_a = "Table 3.1. Targets of denunciations, city of Smolensk, July 1935 " + rows
    table_b = "Table 4 The accusations in Smolensk in July 1935 " + rows + " Total 537"
    a = Passage("X", "X.t1", "x.xml", "table", table_a)
    b = Passage("Y", "Y.t4", "y.xml", "table", table_b)
    (m,) = entries(a, b)
    assert reading(a, m, "a") == table_a and reading(b, m, "b") == table_b


def test_the_longer_quotation_takes_in_the_sentences_that_answer_the_other_sides():
    # X quotes two sentences of a speech (a block quotation); Y quotes four sentences of it in
    # another translation: Y's reading is the two that answer X's, not only the one printed alike
    told = (
        "There is still another kind of verification, the check-up from below, in which the "
        "masses verify the leaders, pointing out their mistakes and showing the way to correct "
        "them. This kind of verification is one of the most effective methods of checking up on "
        "people and on the fulfilment of every decision taken."
    )
    retold_ = (
        "There is another kind of test, the test from below, when those who are led test the "
        "leaders, draw attention to their errors and indicate how these errors may be rectified. "
        "This sort of testing is one of the most effective methods of checking up on people and "
        "on the fulfilment of every decision taken."
    )
    before = (
        "Some comrades think that people can be tested only from above, by their superiors. "
        "That is not true, and the party has known it for a long time now. "
        "Of course, testing from above is needed as one of the effective measures for testing "
        "people and verifying the fulfilment of tasks, in the districts and in the regions. "
        "But testing from above far from exhausts the whole business of testing, comrades, "
        "and whoever thinks so forgets what the rank and file can see and the leaders cannot. "
    )
    a = Passage("X", "X.q8", "x.xml", "quote", told)
    b = Passage("Y", "Y.p2", "y.xml", "p", f'He went on: "{before}{retold_}" The hall applauded.')
    (m,) = entries(a, b)
    assert reading(a, m, "a") == told
    rb = reading(b, m, "b")
    assert rb.startswith("There is another kind of test") and rb.rstrip('"').endswith("taken.")
