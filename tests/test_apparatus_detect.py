"""Reuse detection against a ground truth read from the texts (tests/apparatus/ground_truth.yaml).

Thresholds (stated here, asserted below): pair recall >= 0.85 and precision >= 0.75 on the five
transcriptions; at least 80% of the variant words of the ground truth found with their class.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from build_scripts.project import witnesses as manifest
from build_scripts.apparatus import align, detect
from build_scripts.apparatus.passages import plain_passages
from build_scripts.tei.words import strip_markup

ROOT = Path(__file__).resolve().parent.parent
TRUTH = yaml.safe_load((ROOT / "tests/apparatus/ground_truth.yaml").read_text(encoding="utf-8"))
RECALL, PRECISION, VARIANT_RECALL = 0.85, 0.75, 0.8


def norms(text: str) -> list[str]:
    return [t.norm for t in align.tokens(text)]


def grams(words: list[str], n: int = 3) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def contains(reading: str, phrase: str) -> bool:
    """The reading overlaps the phrase: they share three consecutive words (or the whole phrase,
    when it is shorter: "792,000 18.5")."""
    r, p = norms(reading), norms(phrase)
    if len(p) < 3:
        return any(r[i : i + len(p)] == p for i in range(len(r) - len(p) + 1))
    return bool(grams(r) & grams(p))


@pytest.fixture(scope="module")
def corpus():
    wits, _ = manifest.load()
    passages = []
    for w in wits:
        text = "\n".join(
            strip_markup(line) for line in w.source_path.read_text(encoding="utf-8").split("\n")
        )
        passages += plain_passages(w.siglum, re.sub(r"[*^⁰¹²³⁴⁵⁶⁷⁸⁹]", "", text))
    dates = {w.siglum: w.fact("date") for w in wits}
    return passages, dates


@pytest.fixture(scope="module")
def found(corpus):
    passages, dates = corpus
    return detect.loci(detect.detect(passages, dates))


def matches(locus, pair) -> bool:
    texts = {}
    for r in locus.readings:
        texts.setdefault(r.siglum, []).append(r.text)
    (sa, pa), (sb, pb) = pair["a"], pair["b"]
    return any(contains(t, pa) for t in texts.get(sa, [])) and any(
        contains(t, pb) for t in texts.get(sb, [])
    )


def test_ground_truth_is_substantial():
    assert len(TRUTH["pairs"]) >= 35
    assert {tuple(sorted((p["a"][0], p["b"][0]))) for p in TRUTH["pairs"]} >= {
        ("G", "M"),
        ("E", "M"),
        ("G", "S"),
        ("E", "G"),
    }


def test_pair_recall_and_precision(found):
    found = [
        l for l in found if l.type != "shared-citation"
    ]  # shared references are not reuse: judged in test_apparatus_tei
    hit = [p for p in TRUTH["pairs"] if any(matches(l, p) for l in found)]
    recall = len(hit) / len(TRUTH["pairs"])
    excluded = TRUTH["uncertain"] + TRUTH["bibliographic"]
    judged = [
        l
        for l in found
        if not any(matches(l, u) for u in excluded) or any(matches(l, p) for p in TRUTH["pairs"])
    ]
    true = [l for l in judged if any(matches(l, p) for p in TRUTH["pairs"])]
    precision = len(true) / max(1, len(judged))
    missed = [p["a"][1] for p in TRUTH["pairs"] if p not in hit]
    false = [(l.readings[0].text[:50], l.readings[1].text[:50]) for l in judged if l not in true]
    print(
        f"recall {recall:.3f} ({len(hit)}/{len(TRUTH['pairs'])}), "
        f"precision {precision:.3f} ({len(true)}/{len(judged)})"
    )
    assert recall >= RECALL, f"recall {recall:.2f}; missed: {missed}"
    assert precision >= PRECISION, f"precision {precision:.2f}; false: {false}"


def test_variant_words_are_found_with_their_class(found):
    expected = [(p, v) for p in TRUTH["pairs"] for v in p.get("variants", [])]
    assert len(expected) >= 10
    seen = 0
    for pair, (kind, a_words, b_words) in expected:
        for locus in (l for l in found if matches(l, pair)):
            ra, rb = locus.readings
            ta, tb = align.tokens(ra.text), align.tokens(rb.text)
            ops = align.align([t.norm for t in ta], [t.norm for t in tb])
            got = align.variants(ops, ta, tb, ra.text, rb.text)
            if any(
                v.kind == kind
                and norms(v.source) == norms(a_words)
                and norms(v.target) == norms(b_words)
                for v in got
            ):
                seen += 1
                break
    assert seen / len(expected) >= VARIANT_RECALL, f"{seen}/{len(expected)} variants found"


def test_detection_is_not_all_pairs(corpus):
    """Candidates come from shared shingles: far fewer pairs than all cross-witness pairs."""
    passages, _ = corpus
    pairs = detect.seeds(passages, detect.index(detect.tokenised(passages)))
    assert len(pairs) < 0.01 * len(passages) ** 2
