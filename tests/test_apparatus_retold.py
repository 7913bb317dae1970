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


# ---- figures are typed before they count as shared evidence


def typed(text: str, note: bool = False) -> set[str]:
    return {f for f, _, _, _ in retold.figures(text, align.words(text), note)}


@pytest.mark.parametrize(
    "date", ["on 13th May 1927", "on 13 May", "the 13th of May", "May 13, 1937"]
)
def test_a_day_of_a_month_is_a_date_not_a_count(date):
    assert typed(date) & typed("on May 13th")  # one date printed two ways
    assert not typed(date) & typed("a conspiracy of 13 people")
    assert not typed(date) & typed("on 13th June")  # another month, another date


def test_a_range_of_days_gives_each_day():
    assert {"#Jun 19", "#Jun 21"} <= typed("between June 19th and 21st, 1937")
    assert {"#Jun 19", "#Jun 21"} <= typed("a week later (June 19–21)")


@pytest.mark.parametrize(
    "reference, note",
    [
        ("PS, no. 17, Oct. 1935, 19-21 , gives the figure.", True),
        ("Smith, History (Moscow, 1963), 19–21 .", True),
        ("see pp. 19-21 and p. 155", False),
        ("in vol. 19, 21 ; f. 17, op. 120, d. 278", False),
        ("(Spring 1983, 19-21).", False),
    ],
)
def test_the_numbers_of_a_reference_are_no_figures(reference, note):
    found = typed(reference, note)
    assert not found & {"#19", "#21", "#155", "#17", "#120", "#278"}
    assert not found & typed("between June 19 and 21") and not found & typed("19 of 21 members")


def test_figures_beside_a_reference_still_count():
    text = "Getty, Origins, Cambridge, 1985, 155; the figure of 792,000 expelled is his."
    assert typed(text, note=True) == {"#792000"}
    assert "#85" in typed("In 1937, 85 were expelled.")  # a year and a count in prose
    assert "#1530000" in typed("In 1929, 1.53 million members")


def test_a_year_is_only_a_year_and_an_ordinal_no_count():
    assert not typed("in 1937") & typed("1,937 members were expelled")
    assert not typed("the 17th Party Congress") & typed("17 delegates")
    assert typed("the 17th Party Congress") & typed("at the 17th Congress")


def _corpus(a: tuple[str, str], b: str) -> list[Passage]:
    """Two witnesses, each with unrelated passages (so that shared words are rare) and one
    passage of interest: A's (kind, text) and B's text."""
    out = [
        Passage(w, f"{w}.f{n}", f"{w}.xml", "p", " ".join(f"{w}word{n}x{k}" for k in range(8)))
        for w in "AB"
        for n in range(20)
    ]
    return out + [Passage("A", "A.x", "a.xml", a[0], a[1]), Passage("B", "B.x", "b.xml", "p", b)]


DATES = {"A": "1985", "B": "2005"}


def test_a_page_range_or_a_day_is_no_shared_figure_for_a_retelling():
    note = (
        "Rumiantsev's report on the Smolensk verification, PS, no. 17, Oct. 1935, 19-21, gives "
        "the figure of expulsions, which were frequent in the districts during the verification."
    )
    dated = "Rumiantsev reported on the Smolensk verification between June 19th and 21st."
    assert not retold.retellings(_corpus(("note", note), dated), DATES)
    same = "Rumiantsev's report on the Smolensk verification was read out on June 19–21."
    assert retold.retellings(_corpus(("p", same), dated), DATES)  # the same days do count
    day = "The plenum of 13th May heard Rumiantsev on the Smolensk verification and its expulsions."
    count = "Rumiantsev reported 13 expulsions after the Smolensk verification at the plenum."
    assert not retold.retellings(_corpus(("p", day), count), DATES)


def test_an_abbreviation_inside_a_sentence_loses_no_words():
    text = "It expelled 170,000 of the 1.8 million checked, i.e. 9.1 per cent. The U.S. agreed."
    found = [m.group().strip() for m in retold.SENTENCE.finditer(text)]
    assert found == [
        "It expelled 170,000 of the 1.8 million checked, i.e. 9.1 per cent.",
        "The U.S. agreed.",
    ]


# ---- retellings that name whom they retell; summaries of consecutive passages

SOURCE = [
    "The regional committee met in the spring of that year in the old theatre of the town and "
    "heard the long report of the commission on the grain procurement in the northern districts. "
    "Its chairman was new to the work.",
    "After weeks of hearings the commission found that the district secretaries had hidden the "
    "shortfall of the harvest from the regional committee and falsified the accounts of the "
    "collective farms. Nobody had checked them for years.",
    "Forty-two secretaries were removed, and the newspaper printed their names under the "
    "heading of saboteurs. The list filled two columns of the front page.",
]
SUMMARY = (
    "According to Smith, the procurement commission discovered falsified accounts kept by "
    "district secretaries, and forty-two were removed as saboteurs."
)
AUTHORS = {"A": ("Smith",), "B": ("Jones",), "C": ("Brown",)}


def _named(b_text: str, extra: list[Passage] = (), cites: frozenset[str] = frozenset()):
    out = [
        Passage(w, f"{w}.f{n}", f"{w}.xml", "p", " ".join(f"{w}word{n}x{k}" for k in range(8)))
        for w in "AB"
        for n in range(30)
    ]
    out += [Passage("A", f"A.p{i}", "a.xml", "p", t) for i, t in enumerate(SOURCE, 1)]
    return out + list(extra) + [Passage("B", "B.x", "b.xml", "p", b_text, cites=cites)]


def test_a_retelling_that_names_its_source_is_found_below_the_usual_threshold():
    found = retold.retellings(_named(SUMMARY), DATES, authors=AUTHORS)
    assert found and {(r.a.siglum, r.b.id) for r in found} == {("A", "B.x")}
    assert {r.cue for r in found} == {"names Smith"}
    unnamed = SUMMARY.replace("According to Smith, the", "The")
    assert not retold.retellings(_named(unnamed), DATES, authors=AUTHORS)  # the cue is what counts
    # a citation of the witness (a bibl pointing to it) is a cue too
    cited = retold.retellings(_named(unnamed, cites=frozenset({"A"})), DATES, authors=AUTHORS)
    assert cited and {r.cue for r in cited} == {"cites A"}


def test_a_summary_sums_its_evidence_over_consecutive_passages(monkeypatch):
    found = retold.retellings(_named(SUMMARY), DATES, authors=AUTHORS)
    # one entry for each source passage a sentence of the summary retells, each naming the window
    assert [r.a.id for r in found] == ["A.p1", "A.p2", "A.p3"]
    assert {r.window for r in found} == {("A.p1", "A.p2", "A.p3")}
    loci = retold.loci(found, [])
    assert {l.relation for l in loci} == {"summary"}
    assert all("A.p1, A.p2, A.p3" in l.findings[0] for l in loci)
    monkeypatch.setattr(retold, "WINDOW", 1)  # one passage at a time: not enough
    assert not retold.retellings(_named(SUMMARY), DATES, authors=AUTHORS)


def test_the_passage_after_a_named_one_is_cued_and_a_later_witness_is_not():
    lead = Passage(
        "B", "B.lead", "b.xml", "p", "Smith's book, written from an archive, tells us much new."
    )
    after = SUMMARY.replace("According to Smith, the", "The")
    found = retold.retellings(_named(after, [lead]), DATES, authors=AUTHORS)
    assert found and {r.cue for r in found} == {"follows a passage that names Smith"}
    # a passage naming a later witness's author is not its retelling
    later = {"A": "2010", "B": "2005"}
    assert not [r for r in retold.retellings(_named(SUMMARY), later, authors=AUTHORS) if r.cue]


def test_a_cue_restricts_the_comparison_to_the_named_witness():
    other = [Passage("C", f"C.p{i}", "c.xml", "p", t) for i, t in enumerate(SOURCE, 1)] + [
        Passage("C", f"C.f{n}", "c.xml", "p", " ".join(f"Cword{n}x{k}" for k in range(8)))
        for n in range(30)
    ]
    found = retold.retellings(_named(SUMMARY, other), {**DATES, "C": "1990"}, authors=AUTHORS)
    assert {r.a.siglum for r in found if r.cue} == {"A"}


def test_author_names_come_from_the_manifest_facts():
    from build_scripts.apparatus.edition import author_names

    assert author_names("J. Q. Public", "public1985book") == ("Public",)
    assert author_names("The Society (London); text by A. Writer", "writer2005title") == ("Writer",)
    assert author_names("Ivan Petrov (also spelled Petroff)", "") == ("Petrov", "Petroff")


@pytest.mark.parametrize("one, other", [("one in six of them", "1/6"), ("one out of 6", "1 in 6")])
def test_one_in_n_is_a_fraction(one, other):
    assert "#1/6" in norms(one)
    assert norms(one) & norms(other) or other == "1/6"


def test_a_sentence_runs_on_after_an_ellipsis_and_over_a_table_inside_it():
    text = "He said, “I saw mistakes . . . but failed to act.” Then he left."
    p = Passage("X", "X.p1", "x.xml", "p", text)
    assert [text[s:e] for s, e, _ in retold.sentences(p, set(), {})] == [
        "He said, “I saw mistakes . . . but failed to act.”",
        "Then he left.",
    ]
    table = "Table 3.1. Targets of denunciations Kulaks 226 Total 616"
    text = f"At least one in six of the {table} denunciations was directed at cadres. It ended."
    at = text.index("Table")
    p = Passage("X", "X.p2", "x.xml", "p", text, spans=(("X.p2.t1", at, at + len(table)),))
    spans = [text[s:e] for s, e, _ in retold.sentences(p, set(), {})]
    assert spans == [text[: text.index(" It ended")], "It ended."]


def _crowded(b_text: str, lead: list[Passage] = ()) -> list[Passage]:
    """`_named` in a large witness B (600 passages) where the summary's words are common: in 25
    of B's passages, above B's cap (18) but within twice it."""
    words = "procurement commission falsified accounts district secretaries removed saboteurs"
    out = _named(b_text, list(lead))
    fill = [
        Passage("B", f"B.g{n}", "b.xml", "p", " ".join(f"Bfill{n}x{k}" for k in range(8)))
        for n in range(600)
    ]
    common = [Passage("B", f"B.c{n}", "b.xml", "p", f"{words} Bcommon{n}") for n in range(25)]
    return fill + common + out


def test_only_a_passage_that_names_the_witness_counts_words_common_in_its_own_witness():
    told = "the procurement commission discovered falsified accounts of district secretaries, "
    told += "and they were removed as saboteurs."
    found = retold.retellings(_crowded("According to Smith, " + told), DATES, authors=AUTHORS)
    assert {r.cue for r in found} == {"names Smith"}
    # the same words in a passage that only follows one naming Smith: B's own vocabulary there
    lead = Passage(
        "B",
        "B.lead",
        "b.xml",
        "p",
        "Smith's book, written from a regional archive, tells us much new about that period.",
    )
    found = retold.retellings(_crowded(told.capitalize(), [lead]), DATES, authors=AUTHORS)
    assert not [r for r in found if r.cue]


def test_two_figures_count_together_in_one_pair_of_sentences():
    feats = ["#31%", "#10%", "credenti"]
    # the two figures printed in one sentence of each passage: a retelling
    assert retold.accepted(feats, 28.0, (2, 0.4, 0, 2))
    # each figure in another sentence (10% of one thing, 31% of another): not on that alone
    assert not retold.accepted(feats, 28.0, (2, 0.4, 0, 1))
    assert retold.accepted(feats, 28.0, (3, 0.4, 0, 1))  # a sentence pair sharing three


# ---- a list kept in order


def test_a_list_is_three_content_words_in_order_and_names_are_none():
    tid = id({})
    retold._TRANSLIT.setdefault(tid, {})
    assert retold.listed("as to their life, history, work and other things.", tid) == {
        "[life histori work]"
    }
    assert retold.listed("Life, history and work.", tid) == {"[life histori work]"}
    assert not retold.listed("Zinoviev, Kamenev, Bukharin and Rykov were tried.", tid)
    assert not retold.listed("life, history.", tid)  # two words are no list


def _listing(a_text: str, b_text: str) -> list[Passage]:
    """Two witnesses of 200 passages where "life", "history" and "work" are common (each in 12 of
    a witness's passages: no evidence alone), and one passage of interest in each."""
    out = []
    for w in "AB":
        out += [
            Passage(w, f"{w}.f{n}", f"{w}.xml", "p", " ".join(f"{w}word{n}x{k}" for k in range(8)))
            for n in range(200)
        ]
        out += [
            Passage(
                w,
                f"{w}.c{n}",
                f"{w}.xml",
                "p",
                f"{w}one{n} life {w}two{n} history work {w}three{n} {w}four{n}",
            )
            for n in range(12)
        ]
    return out + [
        Passage("A", "A.x", "a.xml", "p", a_text),
        Passage("B", "B.x", "b.xml", "p", b_text),
    ]


def test_a_list_kept_in_order_counts_where_its_words_are_common():
    a = (
        "The secretary questioned the member on life, history, work, and schooling; "
        "updated records."
    )
    b = "Each was asked about life, history, work and other things; records were updated."
    found = retold.retellings(_listing(a, b), DATES)
    assert [(r.a.id, r.b.id) for r in found] == [("A.x", "B.x")]
    assert "[life histori work]" in found[0].shared
    # the same words, the list in another order: two rare words shared, too little
    shuffled = b.replace("life, history, work", "work, life, history")
    assert not retold.retellings(_listing(a, shuffled), DATES)


# ---- a reading spans the whole retold sentences, those retold in ordinary words too

GROWN_A = (
    "In 1931 the mayor of Tarnow, Jan Kowalczyk, opened the bridge over the Dunajec. "
    "He was then a 47-year-old member of the provincial council. "
    "Schools, a square and one street were named after him. "
    "The weather that spring was mild."
)
GROWN_B = (
    "Jan Kowalczyk, the mayor of Tarnow, opened the Dunajec bridge in 1931. "
    "The ceremony was long. "
    "Aged 49, he sat on the provincial council, and streets and schools were named after him. "
    "He liked fishing in spring."
)
RARE = ("kowalczik", "tarnow", "dunajec", "#1931")  # the evidence: rare words and a year


def _grown(a_text: str, b_text: str, common: frozenset[str] = frozenset()) -> tuple[str, str]:
    a = Passage("G", "G.p1", "g.xml", "p", a_text)
    b = Passage("S", "S.p1", "s.xml", "p", b_text)
    r = retold.retelling(a, b, set(RARE), list(RARE), 40.0, [10.0] * 4, {}, common=common)
    # the relation is judged on the sentences holding the evidence, the first of each
    assert r.core == (0, a_text.index(". ") + 1, 0, b_text.index(". ") + 1)
    return a_text[r.a_start : r.a_end], b_text[r.b_start : r.b_end]


def test_a_reading_takes_in_the_neighbours_retold_in_ordinary_words():
    a, b = _grown(GROWN_A, GROWN_B)
    # the age (47 and 49, a figure retold) on the provincial council (one phrase: one word), and
    # the streets and schools named after him: in both readings, in order, with the sentence
    # between ("The ceremony"); the weather and the fishing, which share one word, are not
    assert a == GROWN_A[: GROWN_A.index(" The weather")]
    assert b == GROWN_B[: GROWN_B.index(" He liked")]
    # the words too common to tell anything ("council", "provincial", "named"...) tell nothing
    common = frozenset({"provinci", "council", "name", "street", "school"})
    assert _grown(GROWN_A, GROWN_B, common) == (
        GROWN_A[: GROWN_A.index(" He")],
        GROWN_B[: GROWN_B.index(" The")],
    )


def test_ordinary_words_count_apart_and_figures_retold_are_near():
    assert retold._apart({"soviet", "govern"}, [frozenset({"soviet", "govern"})]) == 1
    assert retold._apart({"street", "school", "name"}, [frozenset({"squar", "street"})]) == 3
    assert retold._near(frozenset({"#47"}), frozenset({"#49"}))  # 58 years old, then 61
    assert retold._near(frozenset({"#1933"}), frozenset({"#1933"}))
    assert not retold._near(frozenset({"#47"}), frozenset({"#80"}))
    assert not retold._near(frozenset({"#47%"}), frozenset({"#47"}))  # a share, a count
    assert not retold._near(frozenset({"#1933"}), frozenset({"#1934"}))  # a year is that year


def test_ordinary_words_never_make_a_reading_the_page():
    pairs = [("harvest", "granary"), ("railway", "depot"), ("tannery", "brewery"),
             ("hospital", "orphanage"), ("cinema", "library"), ("market", "chapel")]  # fmt: skip
    a = GROWN_A.split(" He was")[0] + "".join(
        f" The {x} was rebuilt beside the {y}." for x, y in pairs
    )
    b = GROWN_B.split(" The ceremony")[0] + "".join(
        f" Beside the {y} stood the {x} again." for x, y in pairs
    )
    grown_a, grown_b = _grown(a, b)
    # each sentence retells the other side's, but `ORDINARY_MOST` sentences at most join a side
    assert grown_a.count(".") == grown_b.count(".") == 1 + retold.ORDINARY_MOST
