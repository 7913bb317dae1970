"""Passages of all witnesses → reuse loci: an n-gram index, candidate pairs from shared shingles,
local alignment on candidates only (near-linear in the size of the edition)."""
from __future__ import annotations

import bisect
from array import array
import gc
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from build_scripts.apparatus import align
from build_scripts.apparatus.model import Locus, Passage, Reading, Token

K = 5  # words per shingle
MAX_POSTINGS = 12  # a shingle found in more passages is a formula, not evidence of reuse
MIN_SEEDS = 2  # shared shingles a region needs
GAP = 40  # tokens between two seeds of one region
MIN_WORDS = 8  # matched words of an accepted region
MIN_SCORE = 0.5  # matched words / words of the shorter side
MIN_CONTENT = 3  # matched words that are not function words (4 would also drop two true pairs of the ground truth)
STOP = frozenset("a about after all also an and any are as at be been but by can could did do does for from had has have he her him his i if in into is it its may more must no not now of on one only or other our out over she should so some such than that the their them then there these they this those to under up upon very was we were what when where which while who whom will with would you".split())


@dataclass(frozen=True)
class Match:
    a: Passage  # earlier witness
    b: Passage
    a0: int  # token range in a
    a1: int
    b0: int
    b1: int
    matched: int
    score: float
    shared_citation: bool = False  # both readings are bibliographic matter (`shared_citation`)


def tokenised(passages: list[Passage]) -> list[list[str]]:
    """The normal forms of each passage's words (tokens with spans are built later, for candidates only)."""
    return [align.words(p.text) for p in passages]


def index(toks: list[list[str]], k: int = K, max_postings: int = MAX_POSTINGS, groups: list[str] | None = None) -> dict[int, list[tuple[int, int]]]:
    """Shingle hash → (passage index, token position) postings, for shingles found in two groups
    (witnesses; without `groups`, passages) and in at most `max_postings` places (a shingle found
    in more is a formula, not evidence of reuse).

    Near-linear in the size of the corpus, and every loop over all shingles runs in C: one flat array
    of hashes; the shingles of two or more groups found by sorting (hash, group) pairs with numpy;
    posting lists only for those, none longer than `max_postings`."""
    hashes = array("q")  # compact: 8 bytes a shingle, no int object kept per position
    starts = [0]
    for norms in toks:
        hashes.extend(map(hash, zip(*(norms[j:] for j in range(k)))))
        starts.append(len(hashes))
    shared_at = _shared_positions(hashes, starts, groups or list(range(len(toks))))
    postings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for g in shared_at:
        pi = bisect.bisect_right(starts, g) - 1
        postings[hashes[g]].append((pi, g - starts[pi]))
    return {h: hits for h, hits in postings.items() if len(hits) <= max_postings}


def _shared_positions(hashes: array, starts: list[int], groups: list) -> list[int]:
    """Positions of the shingles found in two or more groups. numpy sorts (hash, group) pairs in C:
    cache-friendly at any corpus size, where a Python set of all hashes outgrows the processor cache."""
    h = np.frombuffer(hashes, dtype=np.int64) if len(hashes) else np.zeros(0, dtype=np.int64)
    codes = {g: i for i, g in enumerate(dict.fromkeys(groups))}
    gid = np.repeat(np.array([codes[g] for g in groups], dtype=np.int32), np.diff(np.array(starts)))
    order = np.lexsort((gid, h))
    hs, gs = h[order], gid[order]
    first = np.ones(len(hs), dtype=bool)
    first[1:] = (hs[1:] != hs[:-1]) | (gs[1:] != gs[:-1])  # one entry per (hash, group)
    hu = hs[first]
    shared = np.unique(hu[1:][hu[1:] == hu[:-1]])  # hashes that more than one group has
    return np.nonzero(np.isin(h, shared, assume_unique=False))[0].tolist()


def seeds(passages: list[Passage], postings, max_postings: int = MAX_POSTINGS) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Shared shingles per pair of passages of different witnesses: (pos in first, pos in second)."""
    pairs: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for hits in postings.values():
        if len(hits) < 2 or len(hits) > max_postings:
            continue
        for x in range(len(hits)):
            pa, ia = hits[x]
            for y in range(x + 1, len(hits)):
                pb, ib = hits[y]
                if passages[pa].siglum == passages[pb].siglum:
                    continue
                if pa < pb:
                    pairs[(pa, pb)].append((ia, ib))
                else:
                    pairs[(pb, pa)].append((ib, ia))
    return pairs


def chains(points: list[tuple[int, int]], k: int = K, gap: int = GAP) -> list[list[tuple[int, int]]]:
    """Group seed points into regions that run forward on both sides (one region per reuse)."""
    out: list[list[tuple[int, int]]] = []
    for a, b in sorted(set(points)):
        for chain in out:
            la, lb = chain[-1]
            if 0 <= a - la <= gap and -k <= b - lb <= gap:
                chain.append((a, b))
                break
        else:
            out.append([(a, b)])
    return out


def extend(ta: list[Token], tb: list[Token], a0: int, a1: int, b0: int, b1: int) -> tuple[int, int, int, int]:
    """Grow a region word by word while the words on both sides agree (or differ only in spelling)."""
    while a0 > 0 and b0 > 0 and align.similar(ta[a0 - 1].norm, tb[b0 - 1].norm):
        a0, b0 = a0 - 1, b0 - 1
    while a1 < len(ta) and b1 < len(tb) and align.similar(ta[a1].norm, tb[b1].norm):
        a1, b1 = a1 + 1, b1 + 1
    # a quotation whose last (or first) one or two words differ: take them in as a variant
    for rest in (1, 2):
        if len(tb) - b1 == rest and len(ta) - a1 >= rest:
            a1, b1 = a1 + rest, b1 + rest
        elif len(ta) - a1 == rest and len(tb) - b1 >= rest:
            a1, b1 = a1 + rest, b1 + rest
        if b0 == rest and a0 >= rest:
            a0, b0 = a0 - rest, 0
        elif a0 == rest and b0 >= rest:
            a0, b0 = 0, b0 - rest
    return a0, a1, b0, b1


def content_words(ops: list[align.Op], ta: list[Token]) -> int:
    return sum(1 for op in ops if op.tag == "equal" for t in ta[op.a0 : op.a1] if t.norm not in STOP)


def matched_words(ops: list[align.Op], ta: list[Token], tb: list[Token]) -> int:
    count = 0
    for op in ops:
        if op.tag == "equal":
            count += op.a1 - op.a0
        elif op.tag == "replace" and op.a1 - op.a0 == op.b1 - op.b0:
            count += sum(align.similar(x.norm, y.norm) for x, y in zip(ta[op.a0 : op.a1], tb[op.b0 : op.b1]))
    return count


NOTE_START = re.compile(r"^(?:[-–\s]*\d+\.?\s|\[\d+\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s?|Source)")
MOSTLY = 0.5  # share of a reading (characters, or words) that makes it "mainly" bibliographic


def _heads(p: Passage, toks: list[Token], a0: int, a1: int, content: bool = False) -> float:
    """The share of the words (content words only, with `content`) that begin with a capital or a digit."""
    heads = [p.text[t.start : t.end].lstrip("*_\"'“‘`([")[:1] for t in toks[a0:a1] if not (content and t.norm in STOP)]
    return sum(h.isupper() or h.isdigit() for h in heads) / max(1, len(heads))


def bibliographic(p: Passage, toks: list[Token], a0: int, a1: int) -> bool:
    """A reference by the look of the text alone (titles, names, numbers in a note): most words capitalised or digits."""
    if p.kind == "table" or not (p.kind in ("note", "bibl") or NOTE_START.match(p.text)):
        return False
    return _heads(p, toks, a0, a1) >= MOSTLY


def shared_citation(pa: Passage, ta: list[Token], a: tuple[int, int], pb: Passage, tb: list[Token], b: tuple[int, int]) -> bool:
    """Two witnesses citing the same work, not sharing prose. From the TEI: one reading lies mainly inside a
    `bibl` (or `title`), or one is a printed title (`title`, italics) and the other sits in a note; and each
    reading is bibliographic matter: inside a bibl or a title, or words mostly capitalised (content words:
    "session of the 20th Congress of the CPSU"). Without such markup (plain text): both readings look like
    references in notes (`bibliographic`). Words shared by a note's commentary are reuse, not this."""
    if not (a[1] > a[0] and b[1] > b[0]):
        return False
    sides = [(pa, ta, *a), (pb, tb, *b)]
    if all(bibliographic(p, toks, i, j) for p, toks, i, j in sides):
        return True
    marks = []
    for p, toks, i, j in sides:
        start, end = toks[i].start, toks[j - 1].end
        marks.append((p.share(p.bibls, start, end) >= MOSTLY, p.share(p.titles, start, end) >= MOSTLY, p.kind in ("note", "bibl")))
    (bib_a, title_a, note_a), (bib_b, title_b, note_b) = marks
    anchored = bib_a or bib_b or (title_a and note_b) or (title_b and note_a)
    matter = [bib or title or _heads(p, toks, i, j, content=True) >= MOSTLY for (bib, title, _), (p, toks, i, j) in zip(marks, sides)]
    return anchored and all(matter)


def spans(chain_list, k: int) -> list[list[int]]:
    """Each chain as a box [a0, a1, b0, b1]; overlapping boxes merge (a translation reorders words)."""
    boxes = sorted([min(p[0] for p in c), max(p[0] for p in c) + k, min(p[1] for p in c), max(p[1] for p in c) + k, len(c)] for c in chain_list)
    merged: list[list[int]] = []
    for box in boxes:
        last = merged[-1] if merged else None
        if last and box[0] <= last[1] and box[2] <= last[3] and box[3] >= last[2]:
            last[1], last[2], last[3], last[4] = max(last[1], box[1]), min(last[2], box[2]), max(last[3], box[3]), last[4] + box[4]
        else:
            merged.append(box)
    return merged


def regions(pa: Passage, pb: Passage, ta, tb, points, min_seeds=MIN_SEEDS, min_words=MIN_WORDS, min_score=MIN_SCORE, k=K, min_content=MIN_CONTENT) -> list[Match]:
    out = []
    for a0, a1, b0, b1, count in spans(chains(points, k), k):
        if count < min_seeds:
            continue
        a0, a1, b0, b1 = extend(ta, tb, a0, a1, b0, b1)
        shared = shared_citation(pa, ta, (a0, a1), pb, tb, (b0, b1))
        ops = align.align([t.norm for t in ta[a0:a1]], [t.norm for t in tb[b0:b1]])
        matched = matched_words(ops, ta[a0:a1], tb[b0:b1])
        if content_words(ops, ta[a0:a1]) < min_content:
            continue  # "those who had been expelled from the party": a common phrase, not reuse
        score = matched / max(1, min(a1 - a0, b1 - b0))
        if matched >= min_words and score >= min_score:
            out.append(Match(pa, pb, a0, a1, b0, b1, matched, round(min(score, 1.0), 3), shared))
    return out


def detect(passages: list[Passage], dates: dict[str, str], **options) -> list[Match]:
    """Every region where two witnesses share text, earlier witness first."""
    paused = gc.isenabled()
    gc.disable()  # millions of small tuples, no cycles: the cyclic collector would only rescan them
    try:
        return _detect(passages, dates, **options)
    finally:
        if paused:
            gc.enable()


def _detect(passages: list[Passage], dates: dict[str, str], **options) -> list[Match]:
    k = options.get("k", K)
    cap = options.get("max_postings", MAX_POSTINGS)
    pairs = seeds(passages, index(tokenised(passages), k, cap, [p.siglum for p in passages]), cap)
    found: list[Match] = []
    toks: dict[int, list[Token]] = {}
    min_seeds = options.get("min_seeds", MIN_SEEDS)
    for (x, y), points in pairs.items():
        if len(points) < min_seeds or not any(box[4] >= min_seeds for box in spans(chains(points, k), k)):
            continue  # no region can come of it: spare the tokenising of both passages
        for i in (x, y):
            if i not in toks:
                toks[i] = align.tokens(passages[i].text)
        px, py = passages[x], passages[y]
        if (dates.get(py.siglum, ""), py.siglum) < (dates.get(px.siglum, ""), px.siglum):
            x, y, px, py = y, x, py, px
            points = [(b, a) for a, b in points]
        found += regions(px, py, toks[x], toks[y], points, min_seeds, options.get("min_words", MIN_WORDS), options.get("min_score", MIN_SCORE), k)
    return sorted(found, key=lambda m: (m.a.siglum, m.b.siglum, m.a.id, m.b.id, m.a0))


def locus_id(a: Passage, b: Passage, reading_a: str) -> str:
    """Stable id of a reuse locus: the pair of passage ids and a short hash of the earlier reading's
    normalised words. A rerun on the same texts gives the same ids; an edit elsewhere in either passage
    (which shifts offsets) does not change it; `store.merge` carries an old id over when the region
    itself grew or shrank."""
    words = " ".join(t.norm for t in align.tokens(reading_a))
    return f"app.{a.id}--{b.id}.{hashlib.sha1(words.encode('utf-8')).hexdigest()[:6]}"


def loci(matches: list[Match]) -> list[Locus]:
    """Matches → apparatus loci with stable ids (`locus_id`)."""
    out, seen = [], set()
    for m in matches:
        ta, tb = align.tokens(m.a.text), align.tokens(m.b.text)
        kind = "shared-citation" if m.shared_citation else "quotation" if m.a.siglum in m.b.cites else "reuse"
        ra = reading(m.a, ta[m.a0].start, ta[m.a1 - 1].end, "source")
        rb = reading(m.b, tb[m.b0].start, tb[m.b1 - 1].end, "target")
        ident = locus_id(m.a, m.b, ra.text)
        if ident in seen:  # the same words twice in one passage pair: the offset tells them apart
            ident = f"{ident}.{ra.start}"
        seen.add(ident)
        out.append(Locus(ident, kind, (ra, rb), score=m.score, extra={"matched": m.matched}))
    return out


def reading(p: Passage, start: int, end: int, role: str) -> Reading:
    return Reading(p.siglum, p.file, p.id, p.text[start:end], start, end, role)
