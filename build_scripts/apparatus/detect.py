"""Passages of all witnesses → reuse loci: an n-gram index, candidate pairs from shared shingles,
local alignment on candidates only (near-linear in the size of the edition)."""

from __future__ import annotations

import bisect
from array import array
import hashlib
import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from build_scripts.apparatus import align
from build_scripts.apparatus.model import Locus, Passage, Reading, Token
from build_scripts.apparatus.sources import Sources
from build_scripts.project import memory

K = 5  # words per shingle
MAX_POSTINGS = 12  # a shingle found in more passages is a formula, not evidence of reuse
MIN_SEEDS = 2  # shared shingles a region needs
GAP = 40  # tokens between two seeds of one region
MIN_WORDS = 6  # matched words of an accepted region (runs of 6-7 words are reuse too)
MIN_SCORE = 0.5  # matched words / words of the shorter side
SHORT = 8  # a region of fewer matched words needs rare words (`RARE_WORDS` of them) to count
RARE_WORDS = 2
RARE_DF = (
    4  # a word in at most this many passages of each of the two witnesses is rare for the pair
)
RARE_SHARE = 0.01  # around a short run (`rare_context`): or in at most this share of its passages
# matched words that are not function words (4 would also drop two true pairs of the ground truth)
MIN_CONTENT = 3
STOP = frozenset(
    "a about after all also an and any are as at be been but by can could did do "
    "does for from had has have he her him his i if in into is it its may more "
    "must no not now of on one only or other our out over she should so some such "
    "than that the their them then there these they this those to under up upon "
    "very was we were what when where which while who whom will with would you".split()
)


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
    """The normal forms of each passage's words (tokens with spans are built later, for candidates
    only)."""
    return [align.words(p.text) for p in passages]


def features(norms: list[str], k: int = K) -> Iterator[int]:
    """(a) A passage's features: the hash key of the shingle starting at each word position, in
    order (the position is the index). Pure: the in-process index and the Spark job
    (`build_scripts.apparatus.spark`) both call it, so both engines see the same keys."""
    return map(hash, zip(*(norms[j:] for j in range(k))))


def candidates(
    passages: list[Passage], words: list[list[str]], k: int = K, max_postings: int = MAX_POSTINGS
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """(b) The join, in process: features → candidate passage pairs with their seed points
    ((passage index, passage index) → [(position, position)], lower index first). The rules, which
    the Spark job implements again as a join: a feature counts for a pair of passages of two
    different witnesses, unless one of the two witnesses has it more than `max_postings` times."""
    sigla = [p.siglum for p in passages]
    return seeds(passages, index(words, k, max_postings, sigla), max_postings)


def index(
    toks: list[list[str]],
    k: int = K,
    max_postings: int = MAX_POSTINGS,
    groups: list[str] | None = None,
) -> dict[int, list[tuple[int, int]]]:
    """Shingle hash → (passage index, token position) postings, for shingles found in two groups
    (witnesses; without `groups`, passages). A shingle frequent in one witness is a formula there:
    `seeds` drops it for the pairs of that witness only, so that the entries of two witnesses never
    depend on a third.

    Near-linear in the size of the corpus, and every loop over all shingles runs in C: one flat
    array of hashes; the shingles of two or more groups found by sorting (hash, group) pairs with
    numpy; posting lists only for those, none longer than `max_postings`."""
    hashes = array("q")  # compact: 8 bytes a shingle, no int object kept per position
    starts = [0]
    for norms in toks:
        hashes.extend(features(norms, k))
        starts.append(len(hashes))
    shared_at = _shared_positions(hashes, starts, groups or list(range(len(toks))))
    postings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for g in shared_at:
        pi = bisect.bisect_right(starts, g) - 1
        postings[hashes[g]].append((pi, g - starts[pi]))
    return postings  # no global cap: whether a shingle counts for a pair depends on that pair alone


def _shared_positions(hashes: array, starts: list[int], groups: list) -> list[int]:
    """Positions of the shingles found in two or more groups, in order. numpy works in C, one group
    at a time: each group's distinct hashes, then the hashes that two groups share, then the
    positions holding one of those (in chunks). Memory: the hashes and the groups' distinct hashes,
    a few bytes a word more, never a sort of (hash, group) pairs of the whole corpus."""
    h = np.frombuffer(hashes, dtype=np.int64) if len(hashes) else np.zeros(0, dtype=np.int64)
    members: dict = {}  # group → its passages, in order
    for pi, g in enumerate(groups):
        members.setdefault(g, []).append(pi)
    distinct = []
    for passages in members.values():
        parts = [h[starts[pi] : starts[pi + 1]] for pi in passages]
        distinct.append(_distinct(np.sort(np.concatenate(parts) if len(parts) > 1 else parts[0])))
    every = np.concatenate(distinct) if distinct else np.zeros(0, dtype=np.int64)
    del distinct
    every.sort()
    shared = _distinct(every[1:][every[1:] == every[:-1]])  # hashes that more than one group has
    del every
    out: list[int] = []
    if not len(shared):
        return out
    for lo in range(0, len(h), CHUNK):
        part = h[lo : lo + CHUNK]
        at = np.searchsorted(shared, part)
        at[at == len(shared)] = 0
        out += (np.nonzero(shared[at] == part)[0] + lo).tolist()
    return out


CHUNK = 1 << 20  # hashes looked up at a time


def _distinct(ordered: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array. Not np.unique: it puts the values in a hash table
    (numpy 2), 4-10 times slower than a sort here, and slower per value the more groups a corpus
    has (7 ms a witness at 1x the edition, 16 ms at 50x: memory)."""
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return ordered[first]


def seeds(
    passages: list[Passage], postings, max_postings: int = MAX_POSTINGS
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Shared shingles per pair of passages of different witnesses: (pos in first, pos in second).
    A shingle found more than `max_postings` times in one witness is a formula of that witness and
    is not evidence for its pairs; the cap is counted per witness, never over the corpus (stability:
    the pairs of two witnesses are the same whatever other witnesses the edition holds)."""
    pairs: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for hits in postings.values():
        if len(hits) < 2:
            continue
        by_wit: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for hit in hits:
            by_wit[passages[hit[0]].siglum].append(hit)
        groups = [g for g in by_wit.values() if len(g) <= max_postings]
        for gi in range(len(groups)):
            for gj in range(gi + 1, len(groups)):
                for pa, ia in groups[gi]:
                    for pb, ib in groups[gj]:
                        if pa < pb:
                            pairs[(pa, pb)].append((ia, ib))
                        else:
                            pairs[(pb, pa)].append((ib, ia))
    return pairs


def chains(
    points: list[tuple[int, int]], k: int = K, gap: int = GAP
) -> list[list[tuple[int, int]]]:
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


def extend(
    ta: list[Token], tb: list[Token], a0: int, a1: int, b0: int, b1: int
) -> tuple[int, int, int, int]:
    """Grow a region word by word while the words on both sides agree (or differ only in
    spelling)."""
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
    return sum(
        1 for op in ops if op.tag == "equal" for t in ta[op.a0 : op.a1] if t.norm not in STOP
    )


def matched_words(ops: list[align.Op], ta: list[Token], tb: list[Token]) -> int:
    count = 0
    for op in ops:
        if op.tag == "equal":
            count += op.a1 - op.a0
        elif op.tag == "replace" and op.a1 - op.a0 == op.b1 - op.b0:
            count += sum(
                align.similar(x.norm, y.norm) for x, y in zip(ta[op.a0 : op.a1], tb[op.b0 : op.b1])
            )
    return count


NOTE_START = re.compile(r"^(?:[-–\s]*\d+\.?\s|\[\d+\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s?|Source)")
MOSTLY = 0.5  # share of a reading (characters, or words) that makes it "mainly" bibliographic


def _heads(p: Passage, toks: list[Token], a0: int, a1: int, content: bool = False) -> float:
    """The share of the words (content words only, with `content`) that begin with a capital or a
    digit."""
    heads = [
        p.text[t.start : t.end].lstrip("*_\"'“‘`([")[:1]
        for t in toks[a0:a1]
        if not (content and t.norm in STOP)
    ]
    return sum(h.isupper() or h.isdigit() for h in heads) / max(1, len(heads))


def bibliographic(p: Passage, toks: list[Token], a0: int, a1: int) -> bool:
    """A reference by the look of the text alone (titles, names, numbers in a note): most words
    capitalised or digits."""
    if p.kind == "table" or not (p.kind in ("note", "bibl") or NOTE_START.match(p.text)):
        return False
    return _heads(p, toks, a0, a1) >= MOSTLY


def shared_citation(
    pa: Passage,
    ta: list[Token],
    a: tuple[int, int],
    pb: Passage,
    tb: list[Token],
    b: tuple[int, int],
) -> bool:
    """Two witnesses citing the same work, not sharing prose. From the TEI: one reading lies mainly
    inside a `bibl` (or `title`), or one is a printed title (`title`, italics) and the other sits in
    a note; and each reading is bibliographic matter: inside a bibl or a title, or words mostly
    capitalised (content words: "session of the 20th Congress of the CPSU"). Without such markup
    (plain text): both readings look like references in notes (`bibliographic`). Words shared by a
    note's commentary are reuse, not this."""
    if not (a[1] > a[0] and b[1] > b[0]):
        return False
    sides = [(pa, ta, *a), (pb, tb, *b)]
    if all(bibliographic(p, toks, i, j) for p, toks, i, j in sides):
        return True
    marks = []
    for p, toks, i, j in sides:
        start, end = toks[i].start, toks[j - 1].end
        marks.append(
            (
                p.share(p.bibls, start, end) >= MOSTLY,
                p.share(p.titles, start, end) >= MOSTLY,
                p.kind in ("note", "bibl"),
            )
        )
    (bib_a, title_a, note_a), (bib_b, title_b, note_b) = marks
    anchored = bib_a or bib_b or (title_a and note_b) or (title_b and note_a)
    matter = [
        bib or title or _heads(p, toks, i, j, content=True) >= MOSTLY
        for (bib, title, _), (p, toks, i, j) in zip(marks, sides)
    ]
    return anchored and all(matter)


# words of a title given word for word that two different works do not share by chance
DOCUMENT_TITLE = 20
TITLE_RUN = 12  # matched words of a run that may be no more than the title of a work
TITLE_QUOTE = 2.0  # a quoted title: the quotation marks hold at most this × the run's words


def named_work(p: Passage, toks: list[Token], i: int, j: int) -> bool:
    """Are the words toks[i:j] the title of a work (a letter, an article, a book) rather than its
    text: inside a `bibl`; in a `title` (or italics) or in quotation marks that hold little more
    than them, with the content words capitalised ("On the Terrorist Activities of the ...
    Bloc"); or in a note's sentence that holds a reference (a headline translated after its
    `bibl`)?"""
    start, end = toks[i].start, toks[j - 1].end
    if p.share(p.bibls, start, end) >= MOSTLY:
        return True
    if p.kind == "note":
        lo, hi = sentence(p.text, start, end)
        if any(a < hi and lo < b for a, b in p.bibls + p.titles):
            return True
    # italics print quotations too (S): a title in them is capitalised as one
    if in_quote_element(p, start, end) or _heads(p, toks, i, j, content=True) < MOSTLY:
        return False
    if p.share(p.titles, start, end) >= MOSTLY:
        return True
    opened = _quote_open(p.text, 0, (start + end) // 2)
    if opened is None:
        return False
    close = _quote_close(p.text, opened + 1, len(p.text)) or len(p.text)
    inside = len(p.text[opened:close].split())
    return inside <= TITLE_QUOTE * (j - i)


def _marked(p: Passage, toks: list[Token], i: int, j: int) -> bool:
    """Are the words toks[i:j] marked as a name: quoted, or a quotation mark opens before one of
    their first three words (a straight single one too: "letter concerning 'the terrorist
    activities of ... bloc'"; the run may begin a word or two before the mark)?"""
    start = toks[i].start
    if quoted(p, start, toks[j - 1].end):
        return True
    head = p.text[max(0, start - 1) : toks[min(j - 1, i + 2)].start + 1]  # a token may hold it
    return any(c in QUOTE_MARKS and (k == 0 or head[k - 1].isspace()) for k, c in enumerate(head))


YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
KEY = re.compile(r"([a-z]+)(\d{4})")


def _reference(p: Passage, start: int, end: int) -> tuple[int, int]:
    """The reference that holds text[start:end]: its bibl, else its sentence."""
    for a, b in p.bibls:
        if a <= start and end <= b:
            return a, b
    return sentence(p.text, start, end)


def _surnames(p: Passage, ref: tuple[int, int], start: int) -> set[str]:
    """Capitalised words of a reference before the title: its author's name(s) (the shared words
    may begin with the name: "A. Medvedev, On Stalin")."""
    lead = re.split(r"[,:(]", p.text[start : ref[1]], maxsplit=1)[0]
    head = p.text[ref[0] : start] + (" " + lead if len(lead.split()) <= 3 else "")
    words = re.findall(r"\b[A-Z][\w'’-]{2,}", re.sub(r"['’]s\b", "", head))
    return {align.normal(w) for w in words} - {"the", "and", "see", "source", "ibid"}


def same_work(pa: Passage, a: tuple[int, int], pb: Passage, b: tuple[int, int]) -> bool:
    """Two references to one work: the same bibliography key where both are keyed, else the same
    author and year around the shared title words (a key gives its author and year). Similar
    titles of different works, and an event named in prose, are not shared citations."""
    ka, kb = pa.work_at(*a), pb.work_at(*b)
    if ka and kb:
        return ka == kb
    sides = []
    for p, (s, e), key in ((pa, a, ka), (pb, b, kb)):
        ref = _reference(p, s, e)
        inside = (
            p.share(p.bibls, s, e) >= MOSTLY
            or p.kind in ("note", "bibl")
            or p.share(p.titles, s, e) >= MOSTLY
        )
        if not inside:
            return False  # an event or a document named in running prose, not a printed title
        years = set(YEAR.findall(p.text[ref[0] : ref[1]]))
        names = _surnames(p, ref, s)
        found = KEY.match(key) if key else None
        if found:
            names, years = names | {found.group(1)}, {found.group(2)}
        sides.append((years, names, bool(found)))
    (ya, na, keyed_a), (yb, nb, keyed_b) = sides
    if ya and yb and not ya & yb:
        return False
    if keyed_a or keyed_b:
        return bool(na & nb)
    return bool(na & nb) or not (na and nb)


def spans(chain_list, k: int) -> list[list[int]]:
    """Each chain as a box [a0, a1, b0, b1]; overlapping boxes merge (a translation reorders
    words)."""
    boxes = sorted(
        [
            min(p[0] for p in c),
            max(p[0] for p in c) + k,
            min(p[1] for p in c),
            max(p[1] for p in c) + k,
            len(c),
        ]
        for c in chain_list
    )
    merged: list[list[int]] = []
    for box in boxes:
        last = merged[-1] if merged else None
        if last and box[0] <= last[1] and box[2] <= last[3] and box[3] >= last[2]:
            last[1], last[2], last[3], last[4] = (
                max(last[1], box[1]),
                min(last[2], box[2]),
                max(last[3], box[3]),
                last[4] + box[4],
            )
        else:
            merged.append(box)
    return merged


# numbers and ordinals: "the first and second five-year plans" names a period, in any text
COUNTING = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
    "fifty hundred thousand million first second third fourth fifth sixth seventh eighth ninth "
    "tenth half double twice".split()
)


COUNTED_UNITS = frozenset("year years month day week hour fold percent".split())


def counting(norm: str) -> bool:
    """A number, an ordinal or a number compound ("fiveyear" of "five-year")."""
    if norm.isdigit() or norm in COUNTING:
        return True
    return any(norm.startswith(c) and norm[len(c) :] in COUNTED_UNITS for c in COUNTING)


def rare_words(ops: list[align.Op], ta: list[Token], dfa: dict, dfb: dict) -> int:
    """Matched content words rare in both witnesses of the pair (document frequency ≤ RARE_DF in
    each): what tells "had a virtual monopoly on administrative" from "of the Central Committee of
    the party". Counted in the two witnesses only, so a third never changes the verdict. Numbers
    and ordinals are no vocabulary (`COUNTING`): "first and second five-year plans" is a term."""
    words = {
        t.norm
        for op in ops
        if op.tag == "equal"
        for t in ta[op.a0 : op.a1]
        if t.norm not in STOP and not counting(t.norm)
    }
    return sum(1 for w in words if dfa.get(w, 0) <= RARE_DF and dfb.get(w, 0) <= RARE_DF)


def rare_context(pa: Passage, pb: Passage, ta, tb, box: tuple[int, int, int, int], df) -> int:
    """Words rare in both witnesses (as `rare_words`) that the two whole sentences around a short
    shared run have in common outside it: "On June 11, 1937, Pravda announced" is reuse where
    both sentences go on to name Tukhachevskii, a formula where they share nothing else."""
    a0, a1, b0, b1 = box
    (i0, i1), (j0, j1) = widen(pa, ta, a0, a1), widen(pb, tb, b0, b1)
    dfa, dfb = df.get(pa.siglum, {}), df.get(pb.siglum, {})
    cap_a, cap_b = (max(RARE_DF, RARE_SHARE * d.get("", 0)) for d in (dfa, dfb))
    run = {t.norm for t in ta[a0:a1]}

    def rare(toks) -> set[str]:
        return {
            t.norm
            for t in toks
            if t.norm.isalpha()
            and len(t.norm) > 2
            and t.norm not in STOP
            and t.norm not in run
            and dfa.get(t.norm, 0) <= cap_a
            and dfb.get(t.norm, 0) <= cap_b
        }

    return len(rare(ta[i0:i1]) & rare(tb[j0:j1]))


SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘`(\[]*[A-Z0-9])")
# no sentence ends after an initial or an abbreviation: "L. M. Kaganovich", "(Feb. 4, 1931)"
ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mr mrs dr st no nos cf pp vol ed eds op "
    "jr gen col lt".split()
)
LAST_WORD = re.compile(r"(\w+)$")


def _ends(text: str, m: re.Match) -> bool:
    """Does the sentence end found by SENTENCE_END end one (not an initial or abbreviation)?"""
    if text[m.start()] != ".":
        return True
    word = LAST_WORD.search(text, 0, m.start())
    if word is None:
        return True
    w = word.group(1)
    return not ((len(w) == 1 and w.isupper()) or w.lower() in ABBREVIATIONS)


WIDEN_MAX = 80  # words a side may grow by (a passage without sentence punctuation stays as found)


def _opener(text: str, i: int) -> bool:
    """Does the single quotation mark text[i] open a quotation: ‘ after no letter or digit; a
    straight ' after a space or an opening bracket and before a letter ('On the errors …'), never
    inside a word (an apostrophe: Party's) nor after one (members')?"""
    if text[i] == "‘":
        return i == 0 or not text[i - 1].isalnum()
    return (
        (i == 0 or text[i - 1].isspace() or text[i - 1] in "([")
        and i + 1 < len(text)
        and text[i + 1].isalpha()
    )


# the characters `_quote_open` and `_quote_close` look at: the others are passed over in C
QUOTE_CHAR = re.compile("[“`‘'”\"’]")


def _quote_open(text: str, lo: int, hi: int) -> int | None:
    """Where the quotation that is still open at `hi` opened, looking back no further than `lo`."""
    depth, where, straight = 0, None, None
    for i in reversed([m.start() for m in QUOTE_CHAR.finditer(text, lo, hi)]):
        c = text[i]
        if c == "”" or (c in "’'" and (i + 1 >= len(text) or not text[i + 1].isalpha())):
            depth += 1
        elif c in "“`" or (c in "‘'" and _opener(text, i)):
            if depth == 0:
                return i
            depth -= 1
        elif c == '"' and straight is None:
            straight = i
    if straight is not None and text.count('"', lo, hi) % 2 == 1:
        return straight
    return where


def _quote_close(text: str, lo: int, hi: int) -> int | None:
    """The end of the first closing quotation mark in text[lo:hi] (the quotation open at `lo`)."""
    depth = 0
    for m in QUOTE_CHAR.finditer(text, lo, hi):
        i = m.start()
        c = text[i]
        if c in "“`" or (c in "‘'" and _opener(text, i)):
            depth += 1
        elif c in '”"' or (c in "’'" and (i + 1 >= len(text) or not text[i + 1].isalpha())):
            if depth == 0:
                return i + 1
            depth -= 1
    return None


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The characters of the whole sentence(s) around text[start:end]: what a reading of a whole
    quotation or retelling spans (the words that frame a quotation are variants of it)."""
    while start < end and not text[start].isalnum():
        start += 1  # the word's own opening quotation mark is looked at below
    while end > start and not text[end - 1].isalnum():
        end -= 1
    lo, hi = 0, len(text)
    for m in SENTENCE_END.finditer(text):  # (no cache of a text's ends: kept for the texts met
        if not _ends(text, m):  # lately, it missed at scale, and each miss scanned the whole text)
            continue
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end - 1:
            hi = m.start() + len(m.group().rstrip())
            break
    return lo, hi


def widen(p: Passage, toks: list[Token], i: int, j: int) -> tuple[int, int]:
    """Token range [i, j) grown to the whole sentence or quotation it lies in."""
    if p.kind == "table" or j <= i:
        return i, j
    lo, hi = sentence(p.text, toks[i].start, toks[j - 1].end)
    i2, j2 = i, j
    while i2 > 0 and toks[i2 - 1].start >= lo and i - i2 < WIDEN_MAX:
        i2 -= 1
    while j2 < len(toks) and toks[j2].end <= hi and j2 - j < WIDEN_MAX:
        j2 += 1
    return i2, j2


TABLE_ID = re.compile(r"\.t\d+$")  # a table's xml:id (G.c2.d1.p22.t1)
IN_TABLE_ID = re.compile(r"\.t\d+(\.|$)")  # a table's, or its note's (S.art.t1.n1)
QUOTE_ID = re.compile(r"\.q\d+$")  # a block quotation's (G.c6.d1.q9)
BLOCK_ID = re.compile(r"\.[pqt]\d+$")  # a paragraph's, a quotation's or a table's
QUOTE_RATIO = 2.0  # a side grows to its quotation's end by at most this × the other side's growth
QUOTE_SLACK = 12  # and this many words more (`whole`)
QUOTE_MAX = 200  # words a side may grow by to its whole quotation


def enclosing(p: Passage, start: int, end: int) -> tuple[int, int, bool] | None:
    """The unit that text[start:end] lies in, if it lies inside one: (start, end, element). A table
    nested in the passage; inside a block quotation (a quote passage, or a quote nested in it), its
    innermost paragraph, else the quotation; else the quotation marks open around the words, with
    the sentence(s) that frame them. `element`: the unit is a TEI element (its bounds are the
    reading's, no sentence runs beyond them)."""
    while start < end and not p.text[start].isalnum():
        start += 1
    while end > start and not p.text[end - 1].isalnum():
        end -= 1
    held = [(a, b, i) for i, a, b in p.spans if a <= start and end <= b and BLOCK_ID.search(i)]
    if p.kind == "quote":
        held.append((0, len(p.text), p.id))
    held.sort(key=lambda x: x[1] - x[0])
    tables = [(a, b) for a, b, i in held if TABLE_ID.search(i)]
    if tables:
        return tables[0] + (True,)
    quotes = [(a, b) for a, b, i in held if QUOTE_ID.search(i) or i == p.id]
    if quotes:
        qa, qb = quotes[0]
        inner = [(a, b) for a, b, i in held if qa <= a and b <= qb]
        # the innermost block inside the quotation (or itself), with the words framing it
        return sentence(p.text, *inner[0]) + (False,)
    opened = _quote_open(p.text, 0, start)
    if opened is None:
        return None
    closed = _quote_close(p.text, opened + 1, len(p.text))
    if closed is None or closed < end:
        return None  # the words run on beyond the quotation
    return sentence(p.text, opened, closed) + (False,)


def _grown(
    p: Passage, toks: list[Token], i: int, j: int, unit: tuple[int, int, bool]
) -> tuple[int, int]:
    """Token range [i, j) grown to (or, for an element, kept inside) the characters of `unit`."""
    lo, hi, _ = unit
    i2, j2 = i, j
    while i2 > 0 and toks[i2 - 1].start >= lo:
        i2 -= 1
    while j2 < len(toks) and toks[j2].end <= hi:
        j2 += 1
    while i2 < i and toks[i2].start < lo:
        i2 += 1
    return i2, j2


def _unit(p: Passage, toks: list[Token], i: int, j: int) -> tuple[int, int] | None:
    """[i, j) grown to its whole quotation or table (`enclosing`; a table passage: the whole
    passage, its head included), or None."""
    if j <= i:
        return None
    if p.kind == "table":
        return (0, len(toks)) if i <= QUOTE_MAX and len(toks) - j <= QUOTE_MAX else None
    unit = enclosing(p, toks[i].start, toks[j - 1].end)
    if unit is None:
        return None
    i2, j2 = _grown(p, toks, i, j, unit)
    if not unit[2]:
        s0, s1 = widen(p, toks, i, j)
        i2, j2 = min(i2, s0), max(j2, s1)
    if i - i2 > QUOTE_MAX or j2 - j > QUOTE_MAX:
        return None
    return i2, j2


def whole(
    pa: Passage, pb: Passage, ta, tb, a0: int, a1: int, b0: int, b1: int
) -> tuple[int, int, int, int]:
    """Both readings grown to their whole quotation or sentences: one entry per quotation, with
    every difference inside it (the words a quoting witness leaves out or frames the quotation with
    included). A reading lying in a quotation spans it, to its quotation marks (a block quotation:
    its paragraph), or in a table, the table. Each end on its own: a side grows to its quotation's
    end only by at most `QUOTE_RATIO` times the words the other side may grow by there, and
    `QUOTE_SLACK` more (a witness quoting one sentence of a document that the other quotes at
    length: that side keeps its sentence, inside the table or block quotation)."""
    sides = []
    for p, toks, i, j in ((pa, ta, a0, a1), (pb, tb, b0, b1)):
        s = widen(p, toks, i, j)
        q = _unit(p, toks, i, j)
        unit = enclosing(p, toks[i].start, toks[j - 1].end) if q else None
        if unit and unit[2]:  # a table: the sentence(s), not beyond it
            lo, hi = _grown(p, toks, i, j, unit)
            s = max(s[0], lo), min(s[1], hi)
        sides.append((i, j, s, q))
    out = []
    for me, other in ((sides[0], sides[1]), (sides[1], sides[0])):
        i, j, s, q = me
        oi, oj, os, oq = other
        widest = oq or os
        if q is None:
            out += s
            continue
        left = i - q[0] <= QUOTE_RATIO * (oi - widest[0]) + QUOTE_SLACK
        right = q[1] - j <= QUOTE_RATIO * (widest[1] - oj) + QUOTE_SLACK
        out += [q[0] if left else s[0], q[1] if right else s[1]]
    # a side that keeps its sentence inside a longer quotation takes in the sentences of it that
    # answer the other side's growth: as many words as the other side grew by, to a sentence end
    # (a passage quoted at length by one witness, two of its sentences by the other)
    grown = [(a0 - out[0], out[1] - a1), (b0 - out[2], out[3] - b1)]
    block = [_block(pa, ta, a0, a1), _block(pb, tb, b0, b1)]
    for n, (p, toks, i, j) in enumerate(((pa, ta, a0, a1), (pb, tb, b0, b1))):
        q = sides[n][3]
        if q is None or not block[1 - n]:
            continue  # the other side's growth is its own framing words, not quoted ones
        lo, hi = out[2 * n], out[2 * n + 1]
        lo = _mirror(p, toks, i, lo, q[0], grown[1 - n][0], -1)
        hi = _mirror(p, toks, j, hi, q[1], grown[1 - n][1], 1)
        out[2 * n], out[2 * n + 1] = lo, hi
    return out[0], out[1], out[2], out[3]


def _block(p: Passage, toks, i: int, j: int) -> bool:
    """Do tokens [i, j) lie in a block quotation or a table (a quote or table passage, or one
    nested in the passage)?"""
    if p.kind in ("quote", "table"):
        return True
    start, end = toks[i].start, toks[j - 1].end
    return any(
        a <= start and end <= b and (QUOTE_ID.search(x) or TABLE_ID.search(x))
        for x, a, b in p.spans
    )


def _mirror(p: Passage, toks, edge: int, bound: int, limit: int, other: int, step: int) -> int:
    """The sentence boundary between `bound` (the reading's end, `step` 1, or start, -1) and
    `limit` (its quotation's) that makes the reading grow beyond `edge` (the shared words' end)
    by the number of words nearest to `other` (what the other side grew by there)."""
    best, at = bound, bound
    while (at < limit) if step > 0 else (at > limit):
        k = at if step > 0 else at - 1
        lo, hi = widen(p, toks, k, k + 1)
        at = hi if step > 0 else lo
        if (at > limit) if step > 0 else (at < limit):
            break
        if abs(abs(at - edge) - other) < abs(abs(best - edge) - other):
            best = at
    return best


def _trimmed(ops: list[align.Op]) -> list[align.Op]:
    """The ops from the first run of two or more equal words on: what lies before it (one side's
    words only, a stray word matched beyond them, a table's cells against prose) is not shared."""
    for i, op in enumerate(ops):
        if op.tag == "equal" and op.a1 - op.a0 >= 2:
            return ops[i:]
    return []


def merged(found: list[Match]) -> list[Match]:
    """Matches of one passage pair whose ranges overlap (or touch) on both sides become one."""
    out: list[Match] = []
    for m in sorted(found, key=lambda m: (m.a.id, m.b.id, m.a0, m.b0)):
        last = out[-1] if out else None
        if (
            last
            and last.a.id == m.a.id
            and last.b.id == m.b.id
            and m.a0 <= last.a1
            and m.b0 <= last.b1
            and m.b1 >= last.b0
        ):
            out[-1] = Match(
                m.a,
                m.b,
                last.a0,
                max(last.a1, m.a1),
                min(last.b0, m.b0),
                max(last.b1, m.b1),
                last.matched + m.matched,
                max(last.score, m.score),
                last.shared_citation and m.shared_citation,
            )
        else:
            out.append(m)
    return out


def regions(
    pa: Passage,
    pb: Passage,
    ta,
    tb,
    points,
    min_seeds=MIN_SEEDS,
    min_words=MIN_WORDS,
    min_score=MIN_SCORE,
    k=K,
    min_content=MIN_CONTENT,
    df=None,
) -> list[Match]:
    out = []
    for a0, a1, b0, b1, count in spans(chains(points, k), k):
        if count < min_seeds:
            continue
        a0, a1, b0, b1 = extend(ta, tb, a0, a1, b0, b1)
        shared = shared_citation(pa, ta, (a0, a1), pb, tb, (b0, b1))
        if shared and not same_work(
            pa, (ta[a0].start, ta[a1 - 1].end), pb, (tb[b0].start, tb[b1 - 1].end)
        ):
            if min(a1 - a0, b1 - b0) < DOCUMENT_TITLE:
                continue  # similar titles of two works (or an event's name): neither
            # a long title word for word, in references to different works or in a note's
            # commentary: one document (a resolution) in one translation, not a citation
            shared = False
        ops = align.align([t.norm for t in ta[a0:a1]], [t.norm for t in tb[b0:b1]])
        matched = matched_words(ops, ta[a0:a1], tb[b0:b1])
        if content_words(ops, ta[a0:a1]) < min_content:
            continue  # "those who had been expelled from the party": a common phrase, not reuse
        score = matched / max(1, min(a1 - a0, b1 - b0))
        if (
            df is not None
            and matched < SHORT
            and rare_words(ops, ta[a0:a1], df.get(pa.siglum, {}), df.get(pb.siglum, {}))
            < RARE_WORDS
            and rare_context(pa, pb, ta, tb, (a0, a1, b0, b1), df) < RARE_WORDS
        ):
            continue
        if (
            not shared
            and df is not None
            and matched < TITLE_RUN
            and (named_work(pa, ta, a0, a1) or named_work(pb, tb, b0, b1))
            and rare_context(pa, pb, ta, tb, (a0, a1, b0, b1), df) < RARE_WORDS
        ):
            # a title named (a letter, an editorial), and nothing else of the sentences shared:
            # a shared citation where both mark it and both are references to one work
            # (`same_work`), else nothing (a document named in the prose of both, as an event)
            if not (
                _marked(pa, ta, a0, a1)
                and _marked(pb, tb, b0, b1)
                and same_work(
                    pa, (ta[a0].start, ta[a1 - 1].end), pb, (tb[b0].start, tb[b1 - 1].end)
                )
            ):
                continue
            shared = True
        if matched >= min_words and score >= min_score:
            if not shared:
                a0, a1, b0, b1 = whole(pa, pb, ta, tb, a0, a1, b0, b1)
            out.append(Match(pa, pb, a0, a1, b0, b1, matched, round(min(score, 1.0), 3), shared))
    return out


@memory.no_cycle_collection()
def detect(passages: list[Passage], dates: dict[str, str], **options) -> list[Match]:
    """Every region where two witnesses share text, earlier witness first."""
    k = options.get("k", K)
    cap = options.get("max_postings", MAX_POSTINGS)
    words = options.get("words") or tokenised(passages)
    pairs = options.get("candidates", candidates)(passages, words, k, cap)  # the Spark job's too
    found: list[Match] = []
    toks: dict[int, list[Token]] = Recent(RECENT)  # the tokens of passages met lately
    df = frequencies(passages, words)
    min_seeds = options.get("min_seeds", MIN_SEEDS)
    for (x, y), points in pairs.items():
        if len(points) < min_seeds or not any(
            box[4] >= min_seeds for box in spans(chains(points, k), k)
        ):
            continue  # no region can come of it: spare the tokenising of both passages
        tx, ty = (toks.get(i) or toks.setdefault(i, align.tokens(passages[i].text)) for i in (x, y))
        px, py = passages[x], passages[y]
        if (dates.get(py.siglum, ""), py.siglum) < (dates.get(px.siglum, ""), px.siglum):
            x, y, px, py, tx, ty = y, x, py, px, ty, tx
            points = [(b, a) for a, b in points]
        found += regions(
            px,
            py,
            tx,
            ty,
            points,
            min_seeds,
            options.get("min_words", MIN_WORDS),
            options.get("min_score", MIN_SCORE),
            k,
            df=df,
        )
    return sorted(merged(found), key=lambda m: (m.a.siglum, m.b.siglum, m.a.id, m.b.id, m.a0))


RECENT = 4096  # passages whose tokens `detect` keeps at a time


class Recent(OrderedDict):
    """A dict that forgets its oldest entries beyond `limit` (a cache whose size does not grow
    with the corpus). An OrderedDict drops its oldest entry at once; a plain dict's first key,
    found by iterating over the slots its deletions left, took longer the longer it ran."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        if len(self) > self.limit:
            self.popitem(last=False)

    def setdefault(self, key, value):
        if key not in self:
            self[key] = value
        return self[key]


def frequencies(passages: list[Passage], words: list[list[str]]) -> dict[str, dict[str, int]]:
    """Siglum → word → the number of its passages holding the word (document frequency); "" → the
    number of its passages."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p, norms in zip(passages, words):
        counts = out[p.siglum]
        counts[""] += 1
        for w in set(norms):
            counts[w] += 1
    return out


def locus_id(a: Passage, b: Passage, reading_a: str) -> str:
    """Stable id of a reuse locus: the pair of passage ids and a short hash of the earlier reading's
    normalised words. A rerun on the same texts gives the same ids; an edit elsewhere in either
    passage (which shifts offsets) does not change it; `store.merge` carries an old id over when the
    region itself grew or shrank."""
    words = " ".join(t.norm for t in align.tokens(reading_a))
    return f"app.{a.id}--{b.id}.{hashlib.sha1(words.encode('utf-8')).hexdigest()[:6]}"


def loci(matches: list[Match], sources: Sources | None = None) -> list[Locus]:
    """Matches → apparatus loci with stable ids (`locus_id`). `sources`: the witnesses'
    references, to tell a document quoted through the earlier witness (`relation_of`)."""
    out, seen = [], set()
    for m in matches:
        ta, tb = align.tokens(m.a.text), align.tokens(m.b.text)
        kind = (
            "shared-citation"
            if m.shared_citation
            else "quotation"
            if m.a.siglum in m.b.cites
            else "reuse"
        )
        ra = reading(m.a, ta[m.a0].start, ta[m.a1 - 1].end, "source")
        rb = reading(m.b, tb[m.b0].start, tb[m.b1 - 1].end, "target")
        relation = (
            ""
            if m.shared_citation
            else relation_of(kind, m.a, ra, m.b, rb, m.score, sources=sources)
        )
        ident = locus_id(m.a, m.b, ra.text)
        if ident in seen:  # the same words twice in one passage pair: the offset tells them apart
            ident = f"{ident}.{ra.start}"
        seen.add(ident)
        out.append(
            Locus(
                ident,
                kind,
                (ra, rb),
                score=m.score,
                extra={"matched": m.matched},
                relation=relation,
            )
        )
    return out


QUOTE_MARKS = "\"“”‘’`'"


def quoted(p: Passage, start: int, end: int, text: str = "") -> bool:
    """Do the words p.text[start:end] stand inside a quotation (a quote element, quotation marks
    open at their middle)?"""
    if in_quote_element(p, start, end):
        return True
    mid = (start + end) // 2
    return _quote_open(p.text, 0, mid) is not None


def document_words(p: Passage, start: int, end: int) -> bool:
    """Are p.text[start:end] a document's own words: quoted (`quoted`), or a reference printed
    as a passage of its own (a bibl), which gives a document's title?"""
    return p.kind == "bibl" or quoted(p, start, end)


def in_quote_element(p: Passage, start: int, end: int) -> bool:
    """Is p.text[start:end] inside a quote element (the passage is one, or one is nested in it)?"""
    return p.kind == "quote" or any(".q" in i and a <= start and end <= b for i, a, b in p.spans)


def relation_of(
    kind: str,
    a: Passage,
    ra: Reading,
    b: Passage,
    rb: Reading,
    score: float,
    retold: bool = False,
    sources: Sources | None = None,
) -> str:
    """How the later witness takes the words (app/@subtype): quotation (marked, of the earlier
    witness), intermediary (a document quoted through the earlier witness: the later one cites it
    there, or quotes the earlier one's own translation, `through`), common-source /
    other-translation (both quote one document, in the same or another translation), paraphrase
    (unmarked, words or facts retold, cited or not), summary (a retelling much shorter than what it
    retells). `sources`: the witnesses' references (`sources.Sources`); without them a translation
    is never traced to the earlier witness."""
    qa, qb = document_words(a, ra.start, ra.end), document_words(b, rb.start, rb.end)
    if qa and qb:
        if kind == "quotation":
            return "intermediary"
        same = not retold and one_translation(a, ra, b, rb)
        if same and sources is not None and through(sources, a, ra, b, rb):
            return "intermediary"
        return "common-source" if same else "other-translation"
    if kind == "quotation" and (qb or (in_table(a, ra) and in_table(b, rb))):
        return "quotation"  # quoted, or a table reproduced, with a citation of the earlier witness
    if qb and not retold:
        return "quotation"
    words_a, words_b = len(ra.text.split()), len(rb.text.split())
    # figures read off a table are retold, not a longer text condensed
    if (
        retold
        and not in_table(a, ra)
        and words_a >= SUMMARY_MIN
        and words_b <= SUMMARY_SHARE * words_a
    ):
        return "summary"
    return "paraphrase"


SAME_TRANSLATION = 0.8  # words agreeing where two quotations of one document overlap: one version
# words in a row that two quotations of one document print alike: one version, however edited
# around them (two translations of one passage share at most 13 on the reading ground truth's
# even ids; one version quoted twice, 15 or more)
SAME_RUN = 15


def translation_agreement(a: Passage, ra: Reading, b: Passage, rb: Reading) -> float:
    """How far two quotations of one document agree where they overlap: the share of agreeing
    words (spelling variants agree; words one side leaves out at an ellipsis are no difference)
    from the first to the last word they share, in the pair of quoted stretches sharing most
    words. One translation quoted twice agrees almost throughout (0.88-1 on the reading ground
    truth); two translations of one passage reword it (0.37-0.69)."""
    return _translations(a, ra, b, rb)[0]


def one_translation(a: Passage, ra: Reading, b: Passage, rb: Reading) -> bool:
    """Do two quotations of one document give it in one translation: they agree where they
    overlap (`translation_agreement`), or print a long run of its words alike (`SAME_RUN`: one
    version that the later witness edited around the run)?"""
    share, run = _translations(a, ra, b, rb)
    return share >= SAME_TRANSLATION or run >= SAME_RUN


def _translations(a: Passage, ra: Reading, b: Passage, rb: Reading) -> tuple[float, int]:
    """(`translation_agreement`, the longest run of words two quoted stretches print alike)."""
    best, run = (0, 0.0), 0
    for x in quoted_stretches(a, ra.start, ra.end):
        for y in quoted_stretches(b, rb.start, rb.end):
            shared, share, longest = _agreement(x, y)
            best, run = max(best, (shared, share)), max(run, longest)
    return best[1], run


def through(sources: Sources, a: Passage, ra: Reading, b: Passage, rb: Reading) -> bool:
    """Does the later witness quote a document in the earlier witness's own translation? The
    earlier one translated it (its reference there names works in other languages than its own
    only: an archive file, a newspaper, a collection of documents, `Sources.translated`), and the
    later one names no published translation there (no work in its own language): one version of
    the document (`one_translation`) then reached the later witness through the earlier. Where
    the earlier witness cites a translation in its own language, both may quote that one: a
    common source."""
    return sources.translated(a, ra.start, ra.end) and not sources.published(b, rb.start, rb.end)


def quoted_stretches(p: Passage, start: int, end: int) -> list[str]:
    """The quoted words of a reading: all of it where the passage or a quote element is the
    quotation, else each stretch inside quotation marks that overlaps it."""
    text = p.text
    if in_quote_element(p, start, end):
        return [text[start:end]]
    out, at = [], start
    opened = _quote_open(text, 0, start + 1)
    if opened is not None:
        close = _quote_close(text, opened + 1, len(text)) or end
        out.append(text[max(opened, start) : min(close, end)])
        at = max(at, min(close, end))
    while at < end:
        marks = [k for k in (text.find(c, at, end) for c in '“"‘`') if k >= 0]
        if not marks:
            break
        j = min(marks)
        close = _quote_close(text, j + 1, len(text)) or end
        out.append(text[j : min(close, end)])
        at = max(j + 1, min(close, end))
    return out or [text[start:end]]


def _agreement(x: str, y: str) -> tuple[int, float, int]:
    """(words equal, share of words agreeing, longest run of equal words) of two quoted stretches,
    over their common part."""
    tx, ty = align.tokens(x), align.tokens(y)
    nx, ny = [t.norm for t in tx], [t.norm for t in ty]
    ops = align.align(nx, ny)
    equal = [i for i, o in enumerate(ops) if o.tag == "equal"]
    if not equal:
        return 0, 0.0, 0
    agree = total = 0
    for o in ops[equal[0] : equal[-1] + 1]:
        n = max(o.a1 - o.a0, o.b1 - o.b0)
        if o.tag == "equal":
            agree, total = agree + n, total + n
        elif o.tag == "replace":
            pairs = zip(nx[o.a0 : o.a1], ny[o.b0 : o.b1])
            agree += sum(1 for u, v in pairs if align.spelling(u, v))
            total += n
        elif o.tag == "delete":  # only in x: left out at an ellipsis of y, no difference
            total += 0 if o.b0 < len(ty) and ty[o.b0].gap_before else n
        else:
            total += 0 if o.a0 < len(tx) and tx[o.a0].gap_before else n
    shared = sum(ops[i].a1 - ops[i].a0 for i in equal)
    return shared, agree / max(1, total), max(ops[i].a1 - ops[i].a0 for i in equal)


def in_table(p: Passage, r: Reading) -> bool:
    """Do a reading's words lie in a table (the passage is one or one of its notes, or a table
    nested in it overlaps the reading)?"""
    return (
        p.kind == "table"
        or bool(IN_TABLE_ID.search(r.passage))
        or any(TABLE_ID.search(i) and s < r.end and r.start < e for i, s, e in p.spans)
    )


SUMMARY_MIN = 60  # words of a retold passage that a summary condenses
SUMMARY_SHARE = 0.5


def reading(p: Passage, start: int, end: int, role: str) -> Reading:
    return Reading(p.siglum, p.file, p.id, p.text[start:end], start, end, role)
