"""The candidate searches of detection (issue 16) against plain all-pairs searches written from
their rules: the fast paths (one witness at a time, one unit's row at a time) must find exactly
what comparing every pair would. Random small corpora, so the rules, not today's texts, are checked.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

from build_scripts.apparatus import detect, retold
from build_scripts.apparatus.edition import Corpus
from build_scripts.apparatus.model import Passage

VOCAB = [f"w{i}" for i in range(40)] + ["#12", "#37", "#1937", "#4.5%"]


def corpus(seed: int, witnesses: int = 5, per: int = 12):
    rng = random.Random(seed)
    passages, units = [], []
    for w in range(witnesses):
        for n in range(per):
            kind = rng.choice(["p", "p", "p", "note", "table"])
            passages.append(Passage(f"W{w}", f"W{w}.p{n}", f"w{w}.xml", kind, ""))
            feats = dict.fromkeys(rng.sample(VOCAB, rng.randrange(3, 18)))
            units.append(retold.Unit(len(passages) - 1, tuple(feats)))
    return passages, units


def all_pairs(passages, units):
    """The rules of `retold.candidates`, every pair of units compared."""
    wit = [passages[u.passage].siglum for u in units]
    size, df = defaultdict(int), defaultdict(lambda: defaultdict(int))
    for i, u in enumerate(units):
        size[wit[i]] += 1
        for f in u.features:
            df[wit[i]][f] += 1
    cap = {w: max(retold.CAP, int(retold.CAP_SHARE * n)) for w, n in size.items()}
    order = list(dict.fromkeys(f for u in units for f in u.features))
    out = {}
    for i in range(len(units)):
        for j in range(i + 1, len(units)):
            x, y = wit[i], wit[j]
            if x == y:
                continue
            both = set(units[i].features) & set(units[j].features)
            feats = [f for f in order if f in both and df[x][f] <= cap[x] and df[y][f] <= cap[y]]
            figures = sum(1 for f in feats if retold._figure(f))
            if not feats or (len(feats) < retold.MIN_SHARED and figures < retold.MIN_FIGURES_ALONE):
                continue
            if passages[units[i].passage].kind == passages[units[j].passage].kind == "table":
                continue

            def weight(f):
                idf = math.log((size[x] + size[y] + 1) / (df[x][f] + df[y][f]))
                return idf * (retold.FIGURE_WEIGHT if retold._figure(f) else 1.0)

            ranked = sorted(feats, key=lambda f: (-weight(f), f))
            out[(i, j)] = (sum(weight(f) for f in feats), ranked, [weight(f) for f in ranked])
    return out


def test_retelling_candidates_are_those_of_all_pairs():
    for seed in range(6):
        passages, units = corpus(seed)
        expected = all_pairs(passages, units)
        assert expected, "the random corpus should share features"
        assert retold.candidates(passages, units) == expected
        scored = list(retold.scored(passages, units, 5.0))
        assert [k for k, _ in scored] == sorted(k for k, v in expected.items() if v[0] >= 5.0)


def test_retelling_candidates_respect_the_cap_of_each_witness():
    """A feature common in one witness (over its cap) is no evidence for that witness's pairs,
    but still is for the pairs of two other witnesses."""
    passages, units = [], []
    for w, count in (("A", retold.CAP + 1), ("B", 1), ("C", 1)):
        for n in range(count):
            passages.append(Passage(w, f"{w}.p{n}", f"{w}.xml", "p", ""))
            units.append(retold.Unit(len(passages) - 1, ("common", "x1", "x2", "x3")))
    found = retold.candidates(passages, units)
    b, c = len(units) - 2, len(units) - 1
    assert found[(b, c)][1] == sorted(["common", "x1", "x2", "x3"])
    for (i, j), (_, feats, _) in found.items():
        if passages[units[i].passage].siglum == "A":
            assert "common" not in feats


def test_shingle_index_finds_the_shingles_of_two_groups():
    rng = random.Random(7)
    words = [[rng.choice("abcdefg") for _ in range(rng.randrange(0, 30))] for _ in range(40)]
    groups = [f"G{i % 4}" for i in range(len(words))]
    found = detect.index(words, 3, groups=groups)
    seen = defaultdict(set)  # shingle → groups holding it
    for pi, norms in enumerate(words):
        for pos in range(len(norms) - 2):
            seen[tuple(norms[pos : pos + 3])].add(groups[pi])
    expected = defaultdict(list)
    for pi, norms in enumerate(words):
        for pos in range(len(norms) - 2):
            shingle = tuple(norms[pos : pos + 3])
            if len(seen[shingle]) > 1:
                expected[hash(shingle)].append((pi, pos))
    assert dict(found) == dict(expected)


def test_witness_passages_follow_the_corpus():
    c = Corpus(tei_dir=None)
    c.passages += [Passage("A", "A.p1", "a.xml", "p", "x"), Passage("B", "B.p1", "b.xml", "p", "y")]
    assert [p.id for p in c.witness("A")] == ["A.p1"]
    c.passages.append(Passage("A", "A.p2", "a.xml", "p", "z"))
    assert [p.id for p in c.witness("A")] == ["A.p1", "A.p2"]
    assert c.witness("Z") == []
