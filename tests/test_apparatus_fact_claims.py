"""Every cross-witness fact question of the reading ground truth has a curated claim.

tests/apparatus/fact_questions.yaml lists, by reading the TEI, the questions of fact (figures,
dates, agents, causes) that the witnesses answer, with the sentence(s) of each witness that answer
them. A question answered by two or more witnesses must be covered by one claim written by the
editors (tei/apparatus.xml, `app type="claim"`, not the detector's proposals, not rejected) that
quotes, for every witness answering it, words overlapping one of that witness's listed sentences:
the claim quotes the sentences that actually answer (and disagree), Getty's among them wherever he
answers. The rule is read from the two files; adding a claim, a question answered by one witness,
or a witness cannot turn it red, and a claim that loses a witness's reading can.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from build_scripts.apparatus import edition, store

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests/apparatus/fact_questions.yaml"


def key(text: str) -> str:
    """Text compared without its whitespace (the ground truth and the passage text space table
    cells and punctuation differently)."""
    return re.sub(r"\s+", "", text)


def span(passage_text: str, words: str, start: int = 0) -> tuple[int, int] | None:
    """Where `words` lie in the passage, in whitespace-free offsets (from `start`)."""
    hay, needle = key(passage_text), key(words)
    at = hay.find(needle, start)
    return None if at < 0 or not needle else (at, at + len(needle))


def statement_span(corpus, statement: dict) -> tuple[str, tuple[int, int]] | None:
    hit = corpus.resolve(statement["id"])
    if hit is None:
        return None
    passage, lo, _ = hit
    found = span(passage.text, statement["quote"], len(key(passage.text[:lo])))
    return (passage.id, found) if found else None


def quoting(claim, corpus, statement: dict) -> bool:
    """Does the claim quote (part of) this statement: a reading of the same witness, in the same
    passage, whose words overlap the statement's sentence(s)?"""
    where = statement_span(corpus, statement)
    if where is None:
        return False
    pid, (lo, hi) = where
    passage = corpus.by_id[pid]
    for r in claim.readings:
        if r.siglum != statement["wit"] or r.passage != pid:
            continue
        at = span(passage.text, r.text)
        if at and at[0] < hi and lo < at[1]:
            return True
    return False


def uncovered(questions: list[dict], claims: list, corpus) -> list[str]:
    """The cross-witness questions no single claim covers, with the witnesses it lacks."""
    out = []
    for q in questions:
        wits = sorted({s["wit"] for s in q["statements"]})
        if len(wits) < 2:
            continue
        best: set[str] = set()
        for c in claims:
            got = {s["wit"] for s in q["statements"] if quoting(c, corpus, s)}
            if len(got) > len(best):
                best = got
            if got == set(wits):
                break
        if best != set(wits):
            out.append(f"{q['id']} ({q['question']}): no claim quotes {sorted(set(wits) - best)}")
    return out


@pytest.fixture(scope="module")
def corpus():
    loaded, _ = edition.load()
    return loaded


@pytest.fixture(scope="module")
def questions():
    return yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]


def curated(loci) -> list:
    return [
        l for l in loci if l.type == "claim" and l.resp != "#detector" and l.decision != "rejected"
    ]


def test_every_listed_statement_is_found_in_its_passage(corpus, questions):
    missing = [
        f"{q['id']}: {s['wit']} {s['id']}: {s['quote'][:60]!r}"
        for q in questions
        for s in q["statements"]
        if statement_span(corpus, s) is None
    ]
    assert not missing, "fact_questions.yaml out of step with the TEI:\n" + "\n".join(missing)


def test_every_cross_witness_question_is_covered_by_a_curated_claim(corpus, questions):
    loci, _ = store.read(ROOT / "tei" / store.FILE)
    claims = curated(loci)
    cross = [q for q in questions if len({s["wit"] for s in q["statements"]}) >= 2]
    assert cross, "the inventory lists no question answered by two witnesses"
    missing = uncovered(cross, claims, corpus)
    getty = [q for q in cross if any(s["wit"] == "G" for s in q["statements"])]
    print(
        f"\ncross-witness fact questions covered by a curated claim: "
        f"{len(cross) - len(missing)}/{len(cross)}; Getty's statement quoted: "
        f"{sum(1 for q in getty if not any(m.startswith(q['id'] + ' ') for m in missing))}"
        f"/{len(getty)}"
    )
    assert not missing, (
        "add the missing readings to a claim in tei/apparatus.xml "
        "(CONTRIBUTING.md, 'Add a claim to the apparatus'):\n" + "\n".join(missing)
    )


def test_the_rule_fails_when_a_witness_is_left_out():
    """The coverage rule on a made-up case: a claim quoting G and S covers a question of G and S,
    not one that K also answers, and not when it quotes another sentence of G's passage."""
    text = "In 1937 100,000 were expelled. In 1938 70,000 were expelled."
    passages = {
        "G.p1": SimpleNamespace(id="G.p1", text=text),
        "S.p1": SimpleNamespace(id="S.p1", text="S says 100,000 for 1937."),
        "K.p1": SimpleNamespace(id="K.p1", text="K says more than 117,000 for 1937."),
    }
    corpus = SimpleNamespace(
        by_id=passages,
        resolve=lambda i: (passages[i], 0, len(passages[i].text)) if i in passages else None,
    )

    def rdg(siglum, pid, words):
        return SimpleNamespace(siglum=siglum, passage=pid, text=words)

    q = {
        "id": "fq-x",
        "question": "How many were expelled in 1937?",
        "statements": [
            {"wit": "G", "id": "G.p1", "quote": "In 1937 100,000 were expelled."},
            {"wit": "S", "id": "S.p1", "quote": "S says 100,000 for 1937."},
        ],
    }
    good = SimpleNamespace(readings=[rdg("G", "G.p1", "100,000"), rdg("S", "S.p1", "100,000")])
    other = SimpleNamespace(readings=[rdg("G", "G.p1", "70,000"), rdg("S", "S.p1", "100,000")])
    assert uncovered([q], [good], corpus) == []
    assert uncovered([q], [other], corpus)  # quotes G's other sentence
    with_k = dict(q, statements=q["statements"] + [{"wit": "K", "id": "K.p1", "quote": "K says"}])
    assert uncovered([with_k], [good], corpus)
    single = dict(q, statements=q["statements"][:1])
    assert uncovered([single], [], corpus) == []  # one witness: no claim needed
