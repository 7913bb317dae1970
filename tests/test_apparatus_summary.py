"""Summaries (build_scripts/apparatus/retold.py): a retelling is typed summary where it condenses
what it retells in the source's order — one long passage told in far fewer words, or several
consecutive passages told in one passage, each in sentences of its own — and not where it picks
facts out of a passage in another order."""

from __future__ import annotations

from build_scripts.apparatus import retold
from build_scripts.apparatus.model import Locus, Passage, Reading

FILLER = "It goes on about the weather of that spring in the northern districts at some length."
# four facts, each in a sentence of its own, with filler between them (80 words in all)
FACTS = [
    "The commission counted 4,348 members in the Smolensk organisation.",
    "Ninety-seven were expelled by the commission of inquiry.",
    "The secretary Shilman was reprimanded in a published decision.",
    "Kiselev was threatened with expulsion by the committee.",
]
SOURCE = " ".join(f"{fact} {FILLER}" for fact in FACTS)
SHORT = [
    "In Smolensk there were 4,348 members, and 97 were expelled.",
    "Shilman was reprimanded and Kiselev threatened.",
]
SHARED = ("#4348", "smolensk", "#97", "expel", "shilman", "reprimand", "kiselev", "threaten")


def _retelling(b_sentences: list[str]) -> retold.Retelling:
    a = Passage("G", "G.p1", "g.xml", "p", SOURCE)
    b = Passage("S", "S.p1", "s.xml", "p", " ".join(b_sentences))
    keep = set(SHARED)
    sa, sb = retold.sentences(a, keep, {}), retold.sentences(b, keep, {})
    return retold.Retelling(
        a, b, 0, len(a.text), 0, len(b.text), SHARED, 60.0, (7.5,) * len(SHARED),
        tuple(sa), tuple(sb),
    )  # fmt: skip


def test_a_long_passage_told_short_in_its_order_is_a_summary():
    r = _retelling(SHORT)
    assert retold.in_order(r)
    (entry,) = retold.loci([r], [])
    assert entry.relation == "summary"


def test_facts_picked_out_of_a_passage_in_another_order_are_a_paraphrase():
    r = _retelling(SHORT[::-1])  # the same words, the later facts told first
    assert not retold.in_order(r)
    (entry,) = retold.loci([r], [])
    assert entry.relation == "paraphrase"


# ---- several consecutive passages condensed in one

PARAGRAPH = " ".join([FILLER] * 4)  # 64 words


def _passages(b_text: str) -> list[Passage]:
    return [
        Passage("G", "G.p1", "g.xml", "p", f"{FACTS[0]} {PARAGRAPH}"),
        Passage("G", "G.n1", "g.xml", "note", "Smolensk Archive, WKP 499, l. 12."),
        Passage("G", "G.p2", "g.xml", "p", f"{PARAGRAPH} {FACTS[2]}"),
        Passage("G", "G.p3", "g.xml", "p", PARAGRAPH),
        Passage("G", "G.p4", "g.xml", "p", PARAGRAPH),
        Passage("G", "G.p5", "g.xml", "p", f"{FACTS[3]} {PARAGRAPH}"),
        Passage("S", "S.p1", "s.xml", "p", b_text),
    ]


def _entry(ps: dict[str, Passage], a_id: str, a_words: str, b_words: str, relation="paraphrase"):
    a, b = ps[a_id], ps["S.p1"]
    ra, rb = a.text.index(a_words), b.text.index(b_words)
    return Locus(
        f"ret.{a_id}--S.p1",
        "reuse",
        (
            Reading("G", a.file, a.id, a_words, ra, ra + len(a_words), "source"),
            Reading("S", b.file, b.id, b_words, rb, rb + len(b_words), "target"),
        ),
        relation=relation,
    )


def test_one_passage_retelling_consecutive_passages_in_their_order_condenses_them():
    ps = {p.id: p for p in _passages(" ".join(FACTS[:1] + FACTS[2:3]))}
    found = [
        _entry(ps, "G.p1", FACTS[0], FACTS[0]),
        _entry(ps, "G.p2", FACTS[2], FACTS[2]),  # the next passage, a note between
    ]
    out = retold.condensed(found, list(ps.values()))
    assert [l.relation for l in out] == ["summary", "summary"]
    assert all("G.p1, G.p2" in l.findings[-1] for l in out)
    # each side read alone is a sentence told in as many words: the run is what is condensed
    assert [l.relation for l in retold.condensed(found[:1], list(ps.values()))] == ["paraphrase"]


def test_no_summary_of_passages_told_in_another_order_far_apart_or_at_length():
    b_text = " ".join([FACTS[2], FACTS[0]])
    ps = {p.id: p for p in _passages(b_text)}
    found = [_entry(ps, "G.p1", FACTS[0], FACTS[0]), _entry(ps, "G.p2", FACTS[2], FACTS[2])]
    assert {l.relation for l in retold.condensed(found, list(ps.values()))} == {"paraphrase"}
    # passages further apart than the window: two places retold, not one stretch condensed
    ps = {p.id: p for p in _passages(" ".join([FACTS[0], FACTS[3]]))}
    far = [_entry(ps, "G.p1", FACTS[0], FACTS[0]), _entry(ps, "G.p5", FACTS[3], FACTS[3])]
    assert {l.relation for l in retold.condensed(far, list(ps.values()))} == {"paraphrase"}
    # told at length: the later passage as long as the stretch it retells
    long_b = " ".join([FACTS[0], PARAGRAPH, PARAGRAPH, FACTS[2]])
    ps = {p.id: p for p in _passages(long_b)}
    found = [_entry(ps, "G.p1", FACTS[0], FACTS[0]), _entry(ps, "G.p2", FACTS[2], FACTS[2])]
    assert {l.relation for l in retold.condensed(found, list(ps.values()))} == {"paraphrase"}


def test_a_marked_quotation_is_no_part_of_a_summary_and_other_witnesses_do_not_count():
    ps = {p.id: p for p in _passages(" ".join(FACTS[:1] + FACTS[2:3]))}
    found = [
        _entry(ps, "G.p1", FACTS[0], FACTS[0]),
        _entry(ps, "G.p2", FACTS[2], FACTS[2], relation="quotation"),
    ]
    out = retold.condensed(found, list(ps.values()))
    assert [l.relation for l in out] == ["paraphrase", "quotation"]
    # a third witness, with entries of its own, changes nothing for the pair
    other = Passage("K", "K.p1", "k.xml", "p", FACTS[0])
    both = [
        _entry(ps, "G.p1", FACTS[0], FACTS[0]),
        _entry(ps, "G.p2", FACTS[2], FACTS[2]),
    ]
    alone = retold.condensed(both, list(ps.values()))
    beside = retold.condensed(both, [other, *ps.values()])
    assert [l.relation for l in alone] == [l.relation for l in beside] == ["summary", "summary"]
