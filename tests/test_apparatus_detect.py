"""Reuse detection measured on the ground truth (tests/apparatus/reading_pairs.yaml), on the five
transcriptions (sources/*.txt).

The detector's word runs find what two witnesses print alike, so its recall is asserted on the
pairs whose relation is a shared wording by definition (quotation, common source, intermediary)
and that were found by reading (`found_by` reading, or reading for the older ground truth); the
other relations (paraphrase, summary, other translation), found by later rules, are measured in
test_apparatus_reading.py and only printed here, and so are the pairs found by looking at the
detector's output, which cannot measure it. An entry is true when it lies on a pair of any
relation. Thresholds (stated here, asserted below): that recall >= 0.85 and precision >= 0.75; at
least 80% of those pairs' variants that lie inside a locus's readings found with their class.
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
TRUTH = yaml.safe_load((ROOT / "tests/apparatus/reading_pairs.yaml").read_text(encoding="utf-8"))
RECALL, PRECISION, VARIANT_RECALL = 0.85, 0.75, 0.8
# relations whose two spans print a stretch of words alike (the detector's word runs)
VERBATIM = ("quotation", "common_source", "intermediary")
READ = ("reading", "reading (older ground truth)")  # found_by of the pairs that may measure it
MEASURED = [p for p in TRUTH["pairs"] if p["relation"] in VERBATIM and p["found_by"] in READ]
# entries on these count neither for nor against the detector (unless they lie on a pair)
EXCLUDED = TRUTH["uncertain"] + TRUTH["shared_citations"]


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


def _texts(locus) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for r in locus.readings:
        texts.setdefault(r.siglum, []).append(r.text)
    return texts


def matches(locus, entry) -> bool:
    """An entry of a phrase list (`uncertain`, `shared_citations`: [siglum, phrase] each side):
    the locus's readings in both witnesses contain their phrase."""
    texts = _texts(locus)
    (sa, pa), (sb, pb) = entry["a"], entry["b"]
    return any(contains(t, pa) for t in texts.get(sa, [])) and any(
        contains(t, pb) for t in texts.get(sb, [])
    )


def overlaps(reading: str, span: str, n: int = 5) -> bool:
    """The reading and the span (a pair's `words`, the witness's own text) share n words in a row,
    or the shorter of the two whole: a reading of the same place overlaps the span word for word
    (three words would also join a span to another place that uses a common phrase)."""
    r, s = norms(reading), norms(span)
    k = max(1, min(n, len(r), len(s)))
    return bool(grams(r, k) & grams(s, k))


def on_pair(locus, pair) -> bool:
    """A ground-truth pair: the locus's readings in both witnesses overlap the pair's spans, as
    test_apparatus_reading counts a pair connected (there by offsets in the TEI)."""
    texts = _texts(locus)
    return all(
        any(overlaps(t, pair[s]["words"]) for t in texts.get(pair[s]["wit"], [])) for s in "ab"
    )


def report(hit: list[dict]) -> str:
    """Recall per relation and per found_by (pairs found by looking at the detector's output are
    marked as such)."""
    lines = []
    for rel in sorted({p["relation"] for p in TRUTH["pairs"]}):
        parts = []
        for how in (*READ, "detector_output"):
            pairs = [p for p in TRUTH["pairs"] if p["relation"] == rel and p["found_by"] == how]
            if pairs:
                parts.append(f"{how} {sum(1 for p in pairs if p in hit)}/{len(pairs)}")
        lines.append(f"{rel:18} " + "; ".join(parts))
    return "\n".join(lines)


def test_ground_truth_is_substantial():
    assert len(MEASURED) >= 35
    assert {tuple(sorted((p["a"]["wit"], p["b"]["wit"]))) for p in MEASURED} >= {
        ("G", "M"),
        ("E", "M"),
        ("G", "S"),
        ("E", "G"),
    }


def judge(found) -> tuple[list, list, list]:
    """(pairs of MEASURED hit, entries judged, entries judged true)."""
    found = [
        l for l in found if len(l.readings) >= 2 and l.type != "shared-citation"
    ]  # shared references are not reuse: judged in test_apparatus_tei
    true = [l for l in found if any(on_pair(l, p) for p in TRUTH["pairs"])]
    judged = [l for l in found if l in true or not any(matches(l, u) for u in EXCLUDED)]
    hit = [p for p in TRUTH["pairs"] if any(on_pair(l, p) for l in found)]
    return hit, judged, true


def flagged(true: list, on=None) -> int:
    """True entries that lie only on pairs found by looking at the detector's output (`on`: how a
    locus lies on a pair, `on_pair` unless given)."""
    on = on or on_pair
    return sum(
        1
        for l in true
        if all(p["found_by"] == "detector_output" for p in TRUTH["pairs"] if on(l, p))
    )


def test_pair_recall_and_precision(found):
    hit, judged, true = judge(found)
    got = [p for p in MEASURED if p in hit]
    recall, precision = len(got) / len(MEASURED), len(true) / max(1, len(judged))
    missed = [p["id"] for p in MEASURED if p not in hit]
    false = [(l.readings[0].text[:50], l.readings[1].text[:50]) for l in judged if l not in true]
    print(
        f"\nrecall {recall:.3f} ({len(got)}/{len(MEASURED)}: {', '.join(VERBATIM)}, found by"
        f" reading), precision {precision:.3f} ({len(true)}/{len(judged)}; {flagged(true)} true"
        f" only on a pair found by looking at the detector's output)\n" + report(hit)
    )
    assert recall >= RECALL, f"recall {recall:.2f}; missed: {missed}"
    assert precision >= PRECISION, f"precision {precision:.2f}; false: {false}"


def _run(words: list[str], part: list[str]) -> bool:
    return not part or any(
        words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1)
    )


def test_variant_words_are_found_with_their_class(found):
    """The ground truth's variants (of MEASURED) that lie inside a locus's readings: the aligner
    reports a difference of the same class there that shares words with the variant (the ground
    truth lists a difference as one stretch where the aligner may cut it in two: "Percent of
    expulsions"/"Percentage of expulsions"). Word-for-word agreement is printed beside it."""
    expected = [(p, v) for p in MEASURED for v in p.get("variants") or []]
    assert len(expected) >= 10
    inside = seen = exact = 0
    for pair, (kind, a_words, b_words) in expected:
        want_a, want_b = norms(a_words), norms(b_words)
        loci = [
            l
            for l in found
            if on_pair(l, pair)
            and l.readings[0].siglum == pair["a"]["wit"]
            and _run(norms(l.readings[0].text), want_a)
            and _run(norms(l.readings[1].text), want_b)
        ]
        inside += bool(loci)
        same = word_for_word = False
        for locus in loci:
            ra, rb = locus.readings
            ta, tb = align.tokens(ra.text), align.tokens(rb.text)
            ops = align.align([t.norm for t in ta], [t.norm for t in tb])
            for v in align.variants(ops, ta, tb, ra.text, rb.text):
                got_a, got_b = norms(v.source), norms(v.target)
                if v.kind != kind:
                    continue
                word_for_word |= got_a == want_a and got_b == want_b
                same |= bool(set(got_a) & set(want_a) or set(got_b) & set(want_b))
        seen += same
        exact += word_for_word
    print(
        f"\nvariants inside the readings: {inside}/{len(expected)}; found with their class"
        f" {seen}/{inside} ({exact} word for word)"
    )
    assert inside >= 10 and seen / inside >= VARIANT_RECALL, f"{seen}/{inside} variants found"


def test_detection_is_not_all_pairs(corpus):
    """Candidates come from shared shingles: far fewer pairs than all cross-witness pairs."""
    passages, _ = corpus
    pairs = detect.seeds(passages, detect.index(detect.tokenised(passages)))
    assert len(pairs) < 0.01 * len(passages) ** 2
