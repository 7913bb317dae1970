"""Claims: curated claims are editors' data in tei/apparatus.xml (not in code) and survive
re-detection; the detector proposes claims (unreviewed, with evidence) where witnesses give
different figures for the same quantity, and none where they agree."""

from __future__ import annotations

import shutil
from pathlib import Path

from build_scripts.apparatus import claims, pipeline, store
from build_scripts.apparatus.model import Passage

ROOT = Path(__file__).resolve().parent.parent


def p(siglum: str, n: int, text: str) -> Passage:
    return Passage(siglum, f"{siglum}.p{n}", f"{siglum}.xml", "p", text)


def test_different_figures_for_one_quantity_become_a_proposed_claim():
    passages = [
        p(
            "G",
            1,
            "In 1937 the Smolensk obkom expelled 5,000 former "
            "kulaks and traders from the Western Region.",
        ),
        p(
            "S",
            1,
            "In 1937 the Smolensk obkom expelled 7,000 former "
            "kulaks and traders from the Western Region.",
        ),
        p(
            "E",
            1,
            "In 1937 the Smolensk obkom expelled 5000 former "
            "kulaks and traders from the Western Region.",
        ),
    ]
    proposed = claims.propose(passages)
    assert len(proposed) == 1
    claim = proposed[0]
    assert (claim.type, claim.resp, claim.decision) == ("claim", "#detector", "unreviewed")
    assert {r.siglum for r in claim.readings} == {"G", "S", "E"}
    assert "5,000" in claim.findings[0] and "7,000" in claim.findings[0]
    assert all(r.text in q.text for r in claim.readings for q in passages if q.id == r.passage)


def test_equal_values_printed_otherwise_are_no_disagreement():
    passages = [
        p(
            "G",
            1,
            "In 1937 the Smolensk obkom expelled 1,408 former "
            "kulaks and traders from the Western Region.",
        ),
        p(
            "K",
            1,
            "In 1937 the Smolensk obkom expelled 1.408 former "
            "kulaks and traders from the Western Region.",
        ),
    ]
    assert claims.propose(passages) == []


def test_unrelated_figures_are_not_grouped():
    passages = [
        p(
            "G",
            1,
            "In 1937 the Smolensk obkom expelled 5,000 former "
            "kulaks and traders from the Western Region.",
        ),
        p(
            "K",
            1,
            "In 1937 Eikhe's krai committee in Novosibirsk "
            "expelled 9,000 members for passivity at the factories.",
        ),
    ]
    assert claims.propose(passages) == []


def test_curated_claims_live_in_the_tei_and_survive_detection(tmp_path):
    assert not hasattr(claims, "CLAIMS")  # no editors' data in code
    tei = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", tei)
    before = [
        l for l in store.read(tei / store.FILE)[0] if l.type == "claim" and l.resp != "#detector"
    ]
    assert len(before) >= 20
    pipeline.run(tei)
    after = {l.id: l for l in store.read(tei / store.FILE)[0]}
    for old in before:
        new = after[old.id]
        assert (new.question, new.notes, new.decision, [r.text for r in new.readings]) == (
            old.question,
            old.notes,
            old.decision,
            [r.text for r in old.readings],
        )


def test_a_claim_the_editors_wrote_is_not_said_to_be_found_by_the_program():
    from types import SimpleNamespace

    from build_scripts.apparatus import view

    written = SimpleNamespace(decision="unreviewed", resp="#apparatus.editors")
    found = SimpleNamespace(decision="unreviewed", resp="#detector")
    confirmed = SimpleNamespace(decision="confirmed", resp="#apparatus.editors")
    assert "program" not in view.decision_label(written)
    assert "editors" in view.decision_label(written)
    assert view.decision_label(found) == view.DECISION_LABEL["unreviewed"]
    assert view.decision_label(confirmed) == view.DECISION_LABEL["confirmed"]
