"""Retellings: sentence pairs of two witnesses that share rare content (stemmed words, names in any
transliteration, figures and dates normalised) though hardly five words in a row.

An inverted index over sentences, weighted by rarity in the pair of witnesses compared (an idf
counted in those two witnesses only, so that a third witness never changes a pair's verdict), gives
candidate sentence pairs; each is verified by the weighted share of its content found on the other
side, and adjacent sentence pairs become one entry. Near-linear: a feature frequent in a witness
(more than `CAP` sentences) is no evidence there, so no posting list grows with the corpus.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import Iterable, Iterator

import Stemmer
import yaml

from build_scripts.apparatus import align
from build_scripts.apparatus.detect import ABBREVIATIONS, TABLE_ID, Recent
from build_scripts.apparatus.model import Locus, Passage, Reading

# a sentence: up to a full stop followed by a space (not the point of 9.1 or 1.408, nor one inside
# "i.e." or "U.S.", whose words a sentence keeps)
SENTENCE = re.compile(
    r"(?:[^.!?]|[.!?]+(?![\"”’')\]]*(?:\s|$))|(?<=[A-Za-z]\.[A-Za-z])\.)+"
    r"(?:[.!?]+[\"”’')\]]*(?=\s|$)|$)"
)
# 12,345 · 12345 · 1.408 (a dotted thousands separator) · 72 950 (a spaced one) · 2.1 · 19th ·
# 1.8 million · 2.1 per cent / percent / %. A figure starts with a digit not after [\w.,]: the
# pattern starts with the digit, the test after it, so that the regex engine skips to the digits
# (a lookbehind first made it try every position: twice as slow, same matches)
NUMBER = re.compile(
    r"(\d(?<![\w.,]\d)(?:\d{0,2}(?:[,.]\d{3})+"
    r"|\d{0,2}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.,]\d)"
    r"|\d*(?:\.\d+)?))"
    r"(?:st|nd|rd|th)?(?:\s+(million|thousand|hundred))?(?:\s*(%|per\s?cent|percent))?(?![\w])"
)
# the same figures in words: "twenty-five", "eleven per cent", "two million", "four hundred"
UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
TENS = {
    w: 10 * i
    for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
    if i >= 2
}
SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
NUMBER_WORDS = re.compile(
    r"(?<![\w-])(?:("
    + "|".join(TENS)
    + r")(?:[- ]("
    + "|".join(list(UNITS)[1:10])
    + r"))?|("
    + "|".join(UNITS)
    + r"))(?:\s+(hundred|thousand|million))?(?:\s*(%|per\s?cent|percent))?(?![\w-])",
    re.IGNORECASE,
)
# fractions in words: "a third", "another third", "one-third", "two-thirds", "three quarters"
DENOMINATORS = {"third": 3, "quarter": 4, "fifth": 5, "sixth": 6, "eighth": 8, "tenth": 10}
FRACTION = re.compile(
    r"(?<![\w-])(a|an|one|another|two|three|four|five|seven|nine)[- ]("
    + "|".join(DENOMINATORS)
    + r")s?(?![\w-])",
    re.IGNORECASE,
)
# a proportion in words: "one in six", "one out of five", "1 in 10" (→ "#1/6", as a fraction)
ONE_IN = re.compile(
    r"(?<![\w-])(?:one|1)\s+(?:in|out\s+of)\s+("
    + "|".join(list(UNITS)[2:])
    + r"|\d{1,3})(?![\w-])",
    re.IGNORECASE,
)
# number words are read as figures (`figures`), not as words too ("twenty-five" is one word to
# `align.words`: "twentyfive")
_COMPOUNDS = frozenset(t + u for t in TENS for u in list(UNITS)[1:10])
COUNTED = frozenset(UNITS) | frozenset(TENS) | frozenset(SCALE) | _COMPOUNDS
# the words that can make a figure in words (beyond "one" to "ten", which alone are too small to
# count): a text without any is not searched for one
SPELLED = (
    (COUNTED - frozenset(list(UNITS)[:11]))
    | {"percent", "cent"}
    | {
        c + d + s
        for c in ("", "a", "an", "one", "another", "two", "three", "four", "five", "seven", "nine")
        for d in DENOMINATORS
        for s in ("", "s")
    }
)
_DIGIT = re.compile(r"\d")
# A day of a month is a date, not a count: "13th May", "13 May", "the 13th of May", "May 13",
# "June 19–21", "June 19th and 21st" (→ "#May 13"...; a year printed with it stays a year)
MONTHS = {
    m: i
    for i, names in enumerate(
        (
            "January Jan",
            "February Feb",
            "March Mar",
            "April Apr",
            "May",
            "June Jun",
            "July Jul",
            "August Aug",
            "September Sept Sep",
            "October Oct",
            "November Nov",
            "December Dec",
        ),
        start=1,
    )
    for m in names.split()
}
_MONTH = r"(%s)\.?" % "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_AND = r"(?:\s*[-–]\s*|\s+(?:and|to|&)\s+)"
MONTH_DAY = re.compile(rf"(?<![\w]){_MONTH}\s+{_DAY}(?:{_AND}{_DAY})?(?![\w]|[.,]\d)")
# Numbers of a reference, not figures: after an abbreviation (p. 155, pp. 19–21, vol. 3, f. 17,
# op. 120, d. 278, l. 45), and a page or page range after the year of a reference
# ("PS, no. 17, Oct. 1935, 19-21 ,"; "(Moscow, 1963), 797–99 ."); in a note, also after no./nos.
_PAGES = r"\d+(?:\s*[-–]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–]\s*\d+)?(?![.,]?\d))*"
_ABBREVIATIONS = frozenset("p pp pg vol vols vyp l ll f ff op d ch chap tom".split())
_NUMBERED = frozenset("no nos No Nos".split())
_DOT = re.compile(r"\.(?=\s*\d)")  # where a number follows a point (literal first: a fast scan)
_COMMA = re.compile(r",(?=\s*\d)")
PAGES = re.compile(rf"\s*({_PAGES})")
YEAR_END = re.compile(r"(?<!\d)(?:1[89]|20)\d\d\)?$")
PAGES_AFTER_YEAR = re.compile(
    r"\s*((?!(?:1[89]|20)\d\d(?!\d))\d{1,4}(?:\s*[-–]\s*\d{1,4})?"
    r"(?:\s*,\s*\d{1,4}(?:\s*[-–]\s*\d{1,4})?)*)(?![.,]?\d)(?=\s*(?:[.;)]|,(?!\d)|$|ff))"
)
MONTH_WORD = re.compile(rf"{_MONTH}(?!\w)")
DAY_BEFORE = re.compile(rf"(?<![\w.,]){_DAY}(?:{_AND}{_DAY})?\s+(?:of\s+)?$")


_MONTH_STEMS = tuple(dict.fromkeys(m[:3] for m in MONTHS))


def dates(text: str) -> list[tuple[str, int, int]]:
    """The days of months a text names: ("#May 13", start, end), one per day of a range ("13th
    May" and "May 13" alike; each month named is looked at, not every position of the text)."""
    before: list[tuple[int, int, str, tuple]] = []
    after: list[tuple[int, int, str, tuple]] = []
    for stem in _MONTH_STEMS:
        at = text.find(stem)
        while at >= 0:
            month = MONTH_WORD.match(text, at)
            if month:
                m = DAY_BEFORE.search(text, max(0, at - 40), at)
                if m:
                    before.append((m.start(), month.end(), stem, m.groups()))
                m = MONTH_DAY.match(text, at)
                if m:
                    after.append((m.start(), m.end(), stem, m.groups()[1:]))
            at = text.find(stem, at + 1)
    out = []
    for start, end, stem, days in sorted(before) + sorted(after):
        out += [(f"#{stem} {int(d)}", start, end) for d in days if d]
    return out


def cited(text: str, note: bool = False) -> list[tuple[int, int]]:
    """Where a text's numbers are those of a reference (pages, volumes, issues), not figures. In
    a note, every number of a sentence or a ";"-part that reads as a reference (`_reference`)."""
    out = []
    for dot in _DOT.finditer(text):
        i = at = dot.start()
        while i > 0 and text[i - 1].isalpha():
            i -= 1
        if i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"):
            continue
        word = text[i:at]
        if word in _ABBREVIATIONS or (note and word in _NUMBERED):
            out.append(PAGES.match(text, at + 1).span(1))
    for comma in _COMMA.finditer(text):
        if YEAR_END.search(text, max(0, comma.start() - 6), comma.start()):
            pages = PAGES_AFTER_YEAR.match(text, comma.end())
            if pages:
                out.append(pages.span(1))
    if note:
        for m in SENTENCE.finditer(text):
            start = m.start()
            for part in m.group().split(";"):
                if _DIGIT.search(part) and _reference(part):
                    out.append((start, start + len(part)))
                start += len(part) + 1
    return out


# a range of years printed short: 1937-38 → 1937 and 1938
YEAR_RANGE = re.compile(r"(?<!\d)(1[89]|20)(\d\d)[-–](\d\d)(?!\d)")
STOP = frozenset(align.__dict__.get("STOP", ())) | align.FUNCTION_WORDS
CAP = 8  # a feature in more sentences of one witness (at least; `CAP_SHARE` of a large one) is
CAP_SHARE = 0.03  # common there: no evidence for its pairs
MIN_SHARED = 4  # shared features a passage pair needs
SURE_SCORE = 45.0  # summed rarity (idf in the pair) of what a pair shares that makes it a retelling
MIN_SCORE = 30.0  # with two or three of the shared features in one pair of sentences
LOCAL_SCORE = 20.0  # with three in one pair of sentences that share half their words
LOCAL_COVER = 0.5
MIN_FIGURES_ALONE = 2  # shared figures (not years) that, with the score, make a retelling
MIN_FIGURE_SCORE = 20.0
MIN_SHARED_WORDS = 6  # else this many shared words
MIN_WORDS = 6  # content words a passage needs to be compared at all
ORDERED = 2  # sentence pairs told in the same order (each sharing two features) that, with
# `LOCAL_SCORE`, make a retelling: one account retold sentence by sentence, a figure in common
FIGURE_WEIGHT = 2.0
LIST_SCORE = 15.0  # with a list of three content words kept in order in one pair of sentences
LIST_SHARED = 3  # shared features it needs (the list counted once)


@dataclass(frozen=True)
class Unit:
    passage: int  # index into the passages
    features: tuple[str, ...]  # distinct (a tuple: a quarter of a frozenset's memory)


@dataclass(frozen=True)
class Retelling:
    a: Passage
    b: Passage
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    shared: tuple[str, ...]  # the evidence: shared features, rarest first
    score: float
    weights: tuple[float, ...] = ()  # of each shared feature (its idf in the pair)
    a_sents: tuple[tuple[int, int, frozenset[str]], ...] = ()  # sentences: start, end, shared there
    b_sents: tuple[tuple[int, int, frozenset[str]], ...] = ()
    cue: str = ""  # how b names a's witness where that let a weaker retelling count (`cued`)
    window: tuple[str, ...] = ()  # a summary: the consecutive passages of a's witness it condenses
    window_words: int = 0  # the words of the passages of the window b retells, if two or more
    # the spans before `neighbours` grew them (a0, a1, b0, b1): what the relation is judged on
    core: tuple[int, int, int, int] = ()

    def judged(self) -> tuple[int, int, int, int]:
        return self.core or (self.a_start, self.a_end, self.b_start, self.b_end)


def retelling(
    pa: Passage,
    pb: Passage,
    keep: set[str],
    shared: list[str],
    score: float,
    weights: list[float],
    translit,
    cue: str = "",
    window: tuple[str, ...] = (),
    common: frozenset[str] = frozenset(),
) -> Retelling:
    """A retelling of pa by pb: each side's sentences holding the evidence `keep`, the spans they
    give (the core the relation is judged on), grown to their neighbours (`common`: the words
    too common to tell which, `common_words`)."""
    wa: list[Words] = []
    wb: list[Words] = []
    sa, sb = sentences(pa, keep, translit, wa), sentences(pb, keep, translit, wb)
    core = span(pa, keep, translit, sa) + span(pb, keep, translit, sb)
    (a0, a1), (b0, b1) = neighbours(sa, sb, core[:2], core[2:], (wa, wb), common)
    return Retelling(
        pa, pb, a0, a1, b0, b1, tuple(shared), round(score, 2), tuple(weights),
        tuple(sa), tuple(sb), cue, window, core=core,
    )  # fmt: skip


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    # no cache of its own: `_key` asks for each word once (PyStemmer's cache, 10,000 words, would
    # only be filled and purged: "the cache can severely damage performance" then, its docs say)
    return Stemmer.Stemmer("english", 0)


@lru_cache(maxsize=4)
def names(path: str = "") -> dict[str, str]:
    """Normal form of each spelling → the normal form of its group's first spelling
    (sources/transliterations.yml)."""
    file = Path(path) if path else None
    if file is None or not file.exists():
        return {}
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    out = {}
    for group in data.get("groups", []):
        key = align.normal(str(group[0]))
        for spelling in group:
            out[align.normal(str(spelling))] = key
    return out


def name_key(norm: str) -> str:
    """Spellings that differ by y/i, ia/ya, iu/yu, ii/y (Iagoda/Yagoda) share one key."""
    key = norm.replace("ya", "ia").replace("yu", "iu").replace("iy", "i").replace("y", "i")
    return key[:-2] + "i" if key.endswith("ii") else key


def figure(raw: str, unit: str | None, scale: str | None = None) -> tuple[str, bool]:
    """A printed figure → (normal form, is a year). "12,345", "12 345" and "12345" → 12345;
    "1.408" (three digits after the point) → 1408; "2.1 per cent" and "2.1%" → 2.1%; "11.0" → 11;
    "1.8 million" → 1800000."""
    text = raw
    if re.fullmatch(r"\d{1,3}(?:[,.\s]\d{3})+", text):
        text = re.sub(r"[,.\s]", "", text)
    value = float(text) * SCALE.get((scale or "").lower(), 1)
    norm = f"{value:.12g}" if value < 1e15 else text
    if unit:
        return f"#{norm}%", False
    if not scale and 1800 <= value <= 2100 and value == int(value):
        if raw.isdigit() and len(raw) == 4:
            return f"#{norm}", True  # a year is only a year
        return f"#{int(value):,}", False  # a count printed as one ("1,937 members")
    return f"#{norm}", False


def figures(
    text: str, norms: list[str] | None = None, note: bool = False
) -> list[tuple[str, bool, int, int]]:
    """Every figure of a text, in digits or in words: (normal form, is a year, start, end), typed:
    a day of a month is a date ("#May 13"), never the count 13; an ordinal is an ordinal ("#17th");
    a count in the range of years printed as a count ("1,937") is no year; the numbers of a
    reference (`cited`; `note`: the text is a note) are none. `norms`: the text's `align.words`,
    when the caller has them (a text without digits or number words is not searched)."""
    out: list[tuple[str, bool, int, int]] = []
    tails = set()
    digits = _DIGIT.search(text) is not None
    spelled = norms is None or not SPELLED.isdisjoint(norms)
    skip: list[tuple[int, int]] = []
    if digits:
        for norm, start, end in dates(text):
            out.append((norm, False, start, end))
            skip.append((start, end))
        skip += cited(text, note)
    ranged = digits and ("-" in text or "–" in text)  # else no `YEAR_RANGE` (a test in C)
    for m in YEAR_RANGE.finditer(text) if ranged else ():
        if any(a <= m.start() < b for a, b in skip):
            continue
        out.append((f"#{m.group(1)}{m.group(3)}", True, m.start(), m.end()))
        tails.add(m.start(3))
    for m in NUMBER.finditer(text) if digits else ():
        if m.start() in tails or any(a <= m.start() < b for a, b in skip):
            continue
        try:
            norm, year = figure(m.group(1), m.group(3), m.group(2))
        except ValueError:
            continue
        suffix = m.group(0)[len(m.group(1)) :][:2]
        if suffix in ("st", "nd", "rd", "th"):
            norm, year = norm + suffix, False  # an ordinal: the 17th Congress, not 17 people
        out.append((norm, year, m.start(), m.end()))
        if norm.endswith("%") and "." in norm:  # 9.1 per cent, printed 9.1 under a "%" heading
            out.append((norm[:-1], False, m.start(), m.end()))
    # "one" or "1" (`ONE_IN` ignores only the case of letters): else no proportion to look for
    for m in ONE_IN.finditer(text) if "1" in text or "one" in text.lower() else ():
        n = m.group(1).lower()
        out.append((f"#1/{UNITS.get(n) or int(n)}", False, m.start(), m.end()))
    if not spelled:
        return out
    for m in NUMBER_WORDS.finditer(text):
        tens, unit, alone, scale, pct = m.groups()
        if tens:
            value = TENS[tens.lower()] + (UNITS[unit.lower()] if unit else 0)
        else:
            value = UNITS[alone.lower()]
        value *= SCALE.get((scale or "").lower(), 1)
        out.append((f"#{value}%" if pct else f"#{value}", False, m.start(), m.end()))
    for m in FRACTION.finditer(text):
        count, part = m.group(1).lower(), m.group(2).lower()
        top = UNITS.get(count, 1)
        out.append((f"#{top}/{DENOMINATORS[part]}", False, m.start(), m.end()))
    return out


@cache
def _key(norm: str, translit_id: int) -> str | None:
    """A word's feature: its transliteration group, y/i-folded, Snowball-stemmed (None: not
    content). Cached without a bound, for one run of the detector (`forget` empties it): the
    retellings look at each passage's words twice (units, then the sentences of candidate pairs);
    an LRU cache smaller than the vocabulary forgot a large corpus's words between the two and
    stemmed them again (3 s of 50 at 50x the edition)."""
    if len(norm) < 3 or norm in STOP or norm in COUNTED or norm in SPELLED or norm[0].isdigit():
        return None
    return _stemmer().stemWord(name_key(_TRANSLIT[translit_id].get(norm, norm)))


_TRANSLIT: dict[int, dict[str, str]] = {}


def forget() -> None:
    """Empty the stem cache (`_key`) at the end of a run: its vocabulary need not stay in memory."""
    _key.cache_clear()
    _reference.cache_clear()


def features(
    text: str,
    translit: dict[str, str],
    norms: list[str] | None = None,
    note: bool = False,
    lists: bool = True,
) -> frozenset[str]:
    """Stemmed content words (names folded) and figures of a text, and its lists (`listed`, unless
    not `lists`); `norms`: its `align.words`; `note`: the text is a note (its references' numbers
    are no figures). (A cache of the sentences met lately made the edition's run a tenth faster but
    a corpus ten times larger only half as much: the goal is on that ratio, bench_apparatus.)"""
    tid = id(translit)
    _TRANSLIT.setdefault(tid, translit)
    return _features(text, tid, align.words(text) if norms is None else norms, note, lists)


def _features(text: str, tid: int, norms: list[str], note: bool, lists: bool) -> frozenset[str]:
    out = set(map(_key, set(norms), repeat(tid)))
    out.discard(None)
    if lists and "," in text:
        out.update(listed(text, tid))
    for norm, year, _, _ in figures(text, norms, note):
        if year or norm not in SMALL:
            out.add(norm)
    return frozenset(out)


SMALL = frozenset(f"#{n}" for n in range(11))
# a list: three or more single words joined by commas, the first two by a comma, the last perhaps by
# "and" or "or" ("life, history, work and other things"); a word of a name list (capitalised after
# the first) is no item. Looked for only where a comma follows a word and one more word follows
_ITEM = r"[^\W\d_][\w'’-]*"
_JOIN = r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+"
LIST = re.compile(rf"{_ITEM}(?:(?:{_JOIN}){_ITEM}){{2,}}")
# (the comma first, the letter before it tested after it: the regex engine skips to the commas)
LIST_AT = re.compile(rf",(?<=[^\W\d_],)\s*(?:(?:and|or)\s+)?{_ITEM}(?:{_JOIN})")
JOIN = re.compile(_JOIN)
_WORD_BEFORE = re.compile(rf"{_ITEM}$")


def listed(text: str, tid: int) -> set[str]:
    """The lists of a text, each run of three consecutive content words of one as a feature
    ("[life histori work]"): a list kept in the same order is a retelling's fingerprint even where
    each of its words is common. Lists of names (capitalised) are none: their order is a
    convention (Zinoviev, Kamenev, Bukharin), not a borrowing."""
    out: set[str] = set()
    done = 0
    for at in LIST_AT.finditer(text):
        if at.start() < done:
            continue
        before = _WORD_BEFORE.search(text, max(done, at.start() - 40), at.start())
        m = LIST.match(text, before.start()) if before else None
        if m is None:
            continue
        done = m.end()
        items = JOIN.split(m.group())
        keys = [
            None if n and w[:1].isupper() else _key(align.normal(w), tid)
            for n, w in enumerate(items)
        ]
        for n in range(len(keys) - 2):
            if None not in keys[n : n + 3]:
                out.add("[" + " ".join(keys[n : n + 3]) + "]")
    return out


def _list(f: str) -> bool:
    return f[0] == "["


@cache  # a note is asked about by the units, the quoted stretches and their candidates
def _reference(text: str) -> bool:
    heads = [w.lstrip("\"'“‘`([")[:1] for w in text.split() if align.normal(w) not in STOP]
    return sum(h.isupper() or h.isdigit() for h in heads) >= 0.5 * max(1, len(heads))


def _unbibl(p: Passage) -> str:
    """The passage's text with the digits inside its bibl elements blanked (a reference's numbers
    are no figures), offsets kept."""
    if not p.bibls or not _DIGIT.search(p.text):
        return p.text
    chars = list(p.text)
    for a, b in p.bibls:
        for i in range(a, b):
            if chars[i].isdigit():
                chars[i] = " "
    return "".join(chars)


def units(
    passages: list[Passage], translit: dict[str, str], words: list[list[str]] | None = None
) -> list[Unit]:
    """The passages compared, each with its features (references in notes and tables left out:
    shared works and tables have entries of their own). Sentences are looked at only for the
    pairs accepted (`span`)."""
    out = []
    for pi, p in enumerate(passages):
        if p.kind == "bibl" or (p.kind == "note" and _reference(p.text)):
            continue
        feats = features(
            _unbibl(p), translit, words[pi] if words is not None else None, p.kind == "note"
        )
        if len(feats) >= MIN_WORDS:
            out.append(Unit(pi, tuple(feats)))
    return out


def candidates(
    passages: list[Passage], units: list[Unit]
) -> dict[tuple[int, int], tuple[float, list[str], list[float]]]:
    """Passage pairs of different witnesses → (summed rarity of what they share, shared features
    rarest first, their rarities). Rarity: idf counted in the two witnesses compared."""
    return dict(scored(passages, units))


def scored(
    passages: list[Passage], units: list[Unit], min_score: float = 0.0
) -> Iterator[tuple[tuple[int, int], tuple[float, list[str], list[float]]]]:
    """`candidates`, one pair at a time in the order of (i, j), those scoring below `min_score`
    left out. The pairs of one unit are gathered at a time (its features' postings in the other
    witnesses): the memory held is that of one unit's pairs, never all the pairs of the corpus,
    which grow with the square of the witnesses sharing a feature (a year, a common name)."""
    wit = [passages[u.passage].siglum for u in units]
    # each feature numbered in the order of its first unit: its rank (the order in which a pair's
    # shared features are listed and summed) and its index in the lists below, which the units of
    # one part of the corpus read in one place (one dict lookup a feature, not five)
    number: dict[str, int] = {}
    numbered = [[number.setdefault(f, len(number)) for f in u.features] for u in units]
    names = list(number)
    del number
    size: dict[str, int] = defaultdict(int)
    df: dict[str, Counter[int]] = defaultdict(Counter)
    postings: list[list[int]] = [[] for _ in names]  # feature → its units, in order
    for i, feats in enumerate(numbered):
        size[wit[i]] += 1
        df[wit[i]].update(feats)  # distinct: a count of passages
        for f in feats:
            postings[f].append(i)
    cap = {w: max(CAP, int(CAP_SHARE * n)) for w, n in size.items()}
    common: dict[int, set[str]] = {}  # feature → the witnesses where it is common (over the cap)
    for w, counts in df.items():
        for f, n in counts.items():
            if n > cap[w]:
                common.setdefault(f, set()).add(w)
    for f, over in common.items():  # no evidence for the pairs of those witnesses
        postings[f] = [j for j in postings[f] if wit[j] not in over]
    figure = [_figure(f) for f in names]
    listed = [_list(f) for f in names]
    table = [passages[u.passage].kind == "table" for u in units]
    for i, feats in enumerate(numbered):
        x = wit[i]
        later: list[tuple[int, list[int]]] = []  # each feature's units after i
        for f in feats:
            if f in common and x in common[f]:
                continue  # common in i's own witness: no evidence for i's pairs
            hits = postings[f]
            after = hits[bisect.bisect_right(hits, i) :]  # postings are in order
            if after:
                later.append((f, after))
        # the pairs that can pass (`MIN_SHARED` features, or `MIN_FIGURES_ALONE` figures), counted
        # in C; the features of those pairs only are then listed
        counts = Counter(chain.from_iterable(after for _, after in later))
        kept = {j for j, n in counts.items() if n >= LIST_SHARED}
        listing = set(chain.from_iterable(after for f, after in later if listed[f]))
        kept = {j for j in kept if counts[j] >= MIN_SHARED or j in listing}
        figs = [after for f, after in later if figure[f]]
        if len(figs) >= MIN_FIGURES_ALONE:
            counts = Counter(chain.from_iterable(figs))
            kept.update(j for j, n in counts.items() if n >= MIN_FIGURES_ALONE)
        kept = {j for j in kept if wit[j] != x}
        shared: dict[int, list[int]] = defaultdict(list)
        if kept:
            for f, after in later:
                for j in kept.intersection(after):
                    shared[j].append(f)
        for j in sorted(shared):
            pair = shared[j]
            if (
                len(pair) < MIN_SHARED
                and sum(1 for f in pair if figure[f]) < MIN_FIGURES_ALONE
                and not (len(pair) >= LIST_SHARED and any(listed[f] for f in pair))
            ):
                continue
            if table[i] and table[j]:
                continue  # tables are compared cell by cell (tables.py)
            y = wit[j]
            pair.sort()  # by rank
            weights = {f: _weight(f, x, y, size, df, figure[f]) for f in pair}
            score = sum(weights[f] for f in pair)
            if score < min_score:
                continue
            ranked = sorted(pair, key=lambda f: (-weights[f], names[f]))
            yield (i, j), (score, [names[f] for f in ranked], [weights[f] for f in ranked])


def _weight(f: str | int, x: str, y: str, size, df, figure: bool) -> float:
    """A feature's rarity in the pair of witnesses x, y (idf; a figure counts double)."""
    idf = math.log((size[x] + size[y] + 1) / (df[x].get(f, 0) + df[y].get(f, 0)))
    return idf * (FIGURE_WEIGHT if figure else 1.0)


def _figure(f: str) -> bool:
    return f[0] == "#" and not re.fullmatch(r"#(1[89]|20)\d\d", f)


def accepted(feats: list[str], score: float, local: tuple[int, float, int] = (99, 1.0, 99)) -> bool:
    """A candidate passage pair is a retelling: much rare content in common (`MIN_SCORE`), or
    less but concentrated in one pair of sentences (`local`: the shared features of the best
    sentence pair, the share of that pair's words they make, and how many sentence pairs in the
    same order on both sides share two or more), or rare figures in common, or less content
    shared by two or more sentences told in the same order (`ORDERED`), or a list kept in order in
    one pair of sentences (`local`'s fifth: `listed`) with a little more (`LIST_SCORE`)."""
    shared, cover, ordered = local[:3]
    together = local[3] if len(local) > 3 else 99
    kept_list = local[4] if len(local) > 4 else False
    if score >= LOCAL_SCORE and ordered >= ORDERED:
        return True
    if score >= SURE_SCORE:
        return True
    if kept_list and score >= LIST_SCORE and len(feats) >= LIST_SHARED:
        return True
    if score >= MIN_SCORE:
        return shared >= 3 or (shared >= 2 and cover >= 0.3)
    figs = sum(1 for f in feats if _figure(f))
    if figs >= MIN_FIGURES_ALONE and score >= MIN_FIGURE_SCORE:
        # the figures in one pair of sentences, or a sentence pair sharing three features: two
        # figures that two passages print in unrelated sentences may count different things
        return shared >= 3 or (shared >= 2 and together >= MIN_FIGURES_ALONE)
    return score >= LOCAL_SCORE and shared >= 3 and cover >= LOCAL_COVER


def best_sentences(
    pa: Passage, pb: Passage, shared: set[str], translit: dict[str, str], cache: dict | None = None
) -> tuple[int, float]:
    """The sentence pair of the two passages sharing most of `shared`: (how many, the share of
    the shorter sentence's features the two sentences have in common, and the most sentence pairs
    sharing two features each that follow one another on both sides, where one of those shares a
    count or a share, else 0; the most figures one sentence pair shares; whether one shares a
    list, `listed`). `cache`: passage id → its sentences' features, kept by the caller
    for one run."""
    cache = {} if cache is None else cache

    def sents(p: Passage) -> list[frozenset[str]]:
        if p.id not in cache:
            note = p.kind == "note"
            cache[p.id] = [
                features(m.group(), translit, note=note) for m in SENTENCE.finditer(p.text)
            ]
        return cache[p.id]

    best = (0, 0.0)
    sa, sb = sents(pa), sents(pb)
    pairs = []  # sentence pairs sharing two or more features: (index in a, index in b)
    counted = False  # one of them shares a count or a share
    together = 0  # the most figures one sentence pair shares
    kept_list = False  # a sentence pair shares a list (`listed`)
    for i, fa in enumerate(sa):
        ka = fa & shared
        if not ka:
            continue
        for j, fb in enumerate(sb):
            both = ka & fb
            if both:
                cover = len(fa & fb) / max(1, min(len(fa), len(fb)))
                best = max(best, (len(both), round(cover, 3)))
                together = max(together, sum(1 for f in both if _figure(f)))
                kept_list = kept_list or any(map(_list, both))
                if len(both) >= 2:
                    pairs.append((i, j))
                    counted = counted or any(_figure(f) and not DATE_FEATURE.match(f) for f in both)
    return best + (_in_order(pairs) if counted else 0, together, kept_list)


def _in_order(pairs: list[tuple[int, int]]) -> int:
    """The most sentence pairs (i, j) that follow one another on both sides (i and j rising)."""
    longest: list[int] = []
    for n, (i, j) in enumerate(pairs):
        longest.append(
            1
            + max((longest[m] for m in range(n) if pairs[m][0] < i and pairs[m][1] < j), default=0)
        )
    return max(longest, default=0)


def sentences(
    p: Passage, shared: set[str], translit: dict[str, str], full: list | None = None
) -> list[tuple[int, int, frozenset[str]]]:
    """The sentences of a passage: (start, end, the shared features they hold). A sentence ending in
    an initial or an abbreviation ("L. M. Kaganovich", "Feb. 4") runs on into the next. `full`: a
    list that receives each sentence's features, all of them, its text and the id of `translit`
    (`Words`), in order (none for a sentence with a table inside: its cells retell nothing)."""
    out = []
    spans: list[list[int]] = []
    tables = [(a, b) for i, a, b in p.spans if TABLE_ID.search(i)]
    for m in SENTENCE.finditer(p.text):
        lead = len(m.group()) - len(m.group().lstrip())
        start = m.start() + lead
        if (
            spans
            and (
                INITIAL.search(p.text, spans[-1][0], spans[-1][1])
                or p.text[start : m.end()].lstrip(". …")[:1].islower()  # after ". . . but"
                or p.text[start : start + 1] == "."  # inside ". . ."
                or any(a < spans[-1][1] and start < b for a, b in tables)  # a table inside it
            )
        ):
            spans[-1][1] = m.end()
        else:
            spans.append([start, m.end()])
    for start, end in spans:
        feats = features(p.text[start:end], translit, note=p.kind == "note")
        out.append((start, end, feats & shared))
        if full is not None:
            if any(a < end and start < b for a, b in tables):
                full.append((frozenset(), "", 0))
            else:
                full.append((feats, p.text[start:end], id(translit)))
    return out


def _phrases(text: str, tid: int, common: frozenset[str]) -> frozenset[frozenset[str]]:
    """The pairs of content words (`_key`; `tid`: the id of the transliterations `features` was
    given) of a text that follow one another, function words and `common` ones between them
    skipped: "Soviet government", "exchange of party documents"."""
    keys = [k for k in (_key(n, tid) for n in align.words(text)) if k and k not in common]
    return frozenset(frozenset(pair) for pair in zip(keys, keys[1:]) if pair[0] != pair[1])


def _apart(words: set[str], links: Iterable[frozenset[str]]) -> int:
    """How many of `words` stand apart: two that a link (a pair) joins count once."""
    root = {w: w for w in words}

    def top(w: str) -> str:
        while root[w] != w:
            w = root[w]
        return w

    for link in links:
        if link <= words:
            x, y = link
            root[top(x)] = top(y)
    return sum(1 for w, r in root.items() if w == r)


# a sentence's last word, an initial or an abbreviation: the sentence goes on
INITIAL = re.compile(r"(?:^|[\s(])(?:[A-Z]|(?i:" + "|".join(sorted(ABBREVIATIONS)) + r"))\.$")


ORDINARY = 2  # content words a neighbour shares with a sentence of the other side (`_ordinary`)
ORDINARY_REACH = 3  # sentences past a span where the neighbours of both sides are looked for
ORDINARY_MOST = 3  # sentences ordinary words may add to a side beyond the span evidence grew
NEAR = 0.25  # figures of one kind this near (a share of the larger) are one figure retold
COMMON_SHARE = 0.3  # a word in more than this share of the passages compared: no content word

Words = tuple[frozenset[str], str, int]  # a sentence's features, its text, `_phrases`' tid


def neighbours(
    sa: list[tuple[int, int, frozenset[str]]],
    sb: list[tuple[int, int, frozenset[str]]],
    a: tuple[int, int],
    b: tuple[int, int],
    words: tuple[list[Words], list[Words]] | None = None,
    common: frozenset[str] = frozenset(),
) -> tuple[tuple[int, int], tuple[int, int]]:
    """The retold sentences of both sides (`span`) grown by their neighbours that tell the same
    fact: the sentence next to one side's span (or the next but one, past a sentence holding no
    shared feature) joins it where it holds a shared feature that the other side's span holds and
    its own does not; the sentences next to both spans join them where they hold a shared feature
    in common. Until neither side grows: the whole retold sentences, not only those richest in
    evidence, and no sentence that only repeats what the span already holds.

    Then, with `words` (each sentence's features and text: `sentences`' `full`), the sentences
    that retell in ordinary words, which are no evidence of a retelling but tell which sentences
    a retelling spans (`_ordinary`; `common`: words too common to tell anything)."""
    sides = (sa, sb)
    ranges = []
    for sents, (lo, hi) in zip(sides, (a, b)):
        inside = [k for k, (s, e, _) in enumerate(sents) if lo <= s and e <= hi]
        if not inside:
            return a, b
        ranges.append([inside[0], inside[-1]])

    def held(me: int) -> set[str]:
        lo, hi = ranges[me]
        return set().union(*(f for _, _, f in sides[me][lo : hi + 1]))

    def next_to(me: int, end: int) -> int | None:
        """The neighbour past `end` of the span (0: before it, 1: after it) that holds evidence."""
        sents, step = sides[me], (-1, 1)[end]
        for skip in (1, 2):
            k = ranges[me][end] + step * skip
            if not 0 <= k < len(sents):
                return None
            if sents[k][2]:
                return k
        return None

    grew = True
    while grew:
        grew = False
        for end in (0, 1):
            for me in (0, 1):
                k = next_to(me, end)
                if k is not None and sides[me][k][2] & (held(1 - me) - held(me)):
                    ranges[me][end], grew = k, True
            ka, kb = next_to(0, end), next_to(1, end)
            if ka is not None and kb is not None and sa[ka][2] & sb[kb][2]:
                ranges[0][end], ranges[1][end], grew = ka, kb, True
    if words is not None and len(words[0]) == len(sa) and len(words[1]) == len(sb):
        _ordinary(ranges, words, common)
    (i0, i1), (j0, j1) = ranges
    return (sa[i0][0], sa[i1][1]), (sb[j0][0], sb[j1][1])


def _ordinary(ranges: list[list[int]], words: tuple[list[Words], list[Words]], common) -> None:
    """`neighbours`' growth by ordinary words, in place. A sentence retells one of the other side
    where the two share `ORDINARY` content words (stems, not function words nor `common` ones),
    two words of one phrase in both counting once ("Soviet government"), or one content word and
    a figure retold (`_near`: the same year, or "58-year-old" and "was 61"). The next sentence
    of a side, or the next but one, joins its span where it so retells a sentence of the other
    side's span in words its own span lacks; a sentence of each side, up to `ORDINARY_REACH`
    past the spans on the same side of both (the order kept), join them, with the sentences
    between, where they so retell each other in words neither span holds. Until neither side
    grows, and at most `ORDINARY_MOST` sentences a side: a reading is the retold sentences, never
    the page around them. A table inside a sentence makes it no sentence that retells."""
    first = [list(r) for r in ranges]
    looked: dict[tuple[int, int], tuple[frozenset[str], frozenset[str]]] = {}
    said: dict[tuple[int, int], frozenset[frozenset[str]]] = {}

    def content(me: int, k: int) -> frozenset[str]:
        if (me, k) not in looked:
            w = words[me][k][0]
            looked[me, k] = (
                frozenset(f for f in w if f[0] not in "#[" and f not in common),
                frozenset(f for f in w if f[0] == "#"),
            )
        return looked[me, k][0]

    def figures_of(me: int, k: int) -> frozenset[str]:
        content(me, k)
        return looked[me, k][1]

    def phrases(me: int, k: int) -> frozenset[frozenset[str]]:
        if (me, k) not in said:
            said[me, k] = _phrases(*words[me][k][1:], common)
        return said[me, k]

    def own(me: int) -> set[str]:
        lo, hi = ranges[me]
        return set().union(*(content(me, k) for k in range(lo, hi + 1)))

    def tells(me: int, k: int, j: int, new: set[str]) -> bool:
        """Does sentence k of side me retell sentence j of the other in `new` content words?"""
        n = len(shared := new & content(1 - me, j))
        if n >= ORDINARY:  # the words of one phrase in both count once
            n = _apart(shared, phrases(me, k) & phrases(1 - me, j))
        return n >= ORDINARY or (n >= 1 and _near(figures_of(me, k), figures_of(1 - me, j)))

    def room(me: int, k: int) -> bool:
        lo, hi = first[me]
        return 0 <= k < len(words[me]) and max(lo - k, k - hi) <= ORDINARY_MOST

    grew = True
    while grew:
        grew = False
        for end in (0, 1):
            step = (-1, 1)[end]
            for me in (0, 1):
                for skip in (1, 2):
                    k = ranges[me][end] + step * skip
                    if not room(me, k):
                        break
                    new = content(me, k) - own(me)
                    lo, hi = ranges[1 - me]
                    if any(tells(me, k, j, new) for j in range(lo, hi + 1)):
                        ranges[me][end], grew = k, True
                        break
            held_a, held_b, best = own(0), own(1), None
            for skip_a in range(1, ORDINARY_REACH + 1):
                ka = ranges[0][end] + step * skip_a
                if not room(0, ka):
                    break
                for skip_b in range(1, ORDINARY_REACH + 1):
                    kb = ranges[1][end] + step * skip_b
                    if not room(1, kb):
                        break
                    both = (content(0, ka) - held_a) & (content(1, kb) - held_b)
                    if tells(0, ka, kb, both) and (best is None or skip_a + skip_b > best[0]):
                        best = (skip_a + skip_b, ka, kb)
            if best:
                ranges[0][end], ranges[1][end], grew = best[1], best[2], True


def _near(fa: frozenset[str], fb: frozenset[str]) -> bool:
    """Do two sentences' figures hold the same year or date, or two of one kind (a count, a share,
    an ordinal, a fraction) within `NEAR` of each other: a figure retold, rounded or a few years
    on ("58-year-old" in 1934, "was 61" in 1937)?"""
    if fa & fb:
        return True
    va, vb = [v for v in map(_value, fa) if v], [v for v in map(_value, fb) if v]
    return any(ka == kb and abs(x - y) <= NEAR * max(x, y) for ka, x in va for kb, y in vb)


def _value(f: str) -> tuple[str, float] | None:
    """A figure (`figures`' normal form) → (its kind, its value); None for a year or a date."""
    if not _figure(f) or f[1:2].isalpha():
        return None
    text, kind = f[1:], "count"
    if text.endswith("%"):
        text, kind = text[:-1], "%"
    elif text[-2:] in ("st", "nd", "rd", "th"):
        text, kind = text[:-2], "ordinal"
    if "/" in text:
        top, bottom = (align.value(x) for x in text.split("/", 1))
        return ("fraction", top / bottom) if top is not None and bottom else None
    number = align.value(text)  # the printed figure's value, as the variants read it
    return (kind, number) if number is not None else None


def span(
    p: Passage,
    shared: set[str],
    translit: dict[str, str],
    sents: list[tuple[int, int, frozenset[str]]] | None = None,
) -> tuple[int, int]:
    """The sentences of a passage that hold the shared features (two or more, or a figure), first
    to last."""
    sents = sentences(p, shared, translit) if sents is None else sents
    hits = [
        (a, b) for a, b, f in sents if len(f & shared) >= 2 or any(_figure(x) for x in f & shared)
    ]
    hits = hits or [(a, b) for a, b, f in sents if f & shared] or [(0, len(p.text))]
    return hits[0][0], hits[-1][1]


def common_words(us: list[Unit]) -> frozenset[str]:
    """The words in more than `COMMON_SHARE` of the passages compared ("party", "Stalin"): no
    content words where `neighbours` grows a retelling by ordinary words."""
    counts = Counter(chain.from_iterable(u.features for u in us))
    most = COMMON_SHARE * len(us)
    return frozenset(f for f, n in counts.items() if n > most and f[0] not in "#[")


RECENT = 4096  # passages whose sentences' features `retellings` keeps at a time


def retellings(
    passages: list[Passage],
    dates: dict[str, str],
    translit_path: str = "",
    words: list[list[str]] | None = None,
    us: list[Unit] | None = None,
    authors: dict[str, tuple[str, ...]] | None = None,
) -> list[Retelling]:
    """Passage pairs that retell one another (earlier witness first), with the sentences that do.
    `words`: `align.words` of each passage, when the caller has them (`detect.tokenised`); `us`:
    their `units`, when the caller has made them; `authors`: siglum → the surnames by which other
    witnesses name its author (`edition.author_names`), for the retellings that say whom they
    retell (`cued`)."""
    translit = names(translit_path)
    us = units(passages, translit, words) if us is None else us
    out: list[Retelling] = []
    cache: dict[str, list] = Recent(RECENT)
    common = common_words(us)
    for (i, j), (score, feats, weights) in scored(passages, us, min(LOCAL_SCORE, LIST_SCORE)):
        ua, ub = us[i], us[j]
        pa, pb = passages[ua.passage], passages[ub.passage]
        local = (
            (99, 1.0, 99)
            if score >= SURE_SCORE
            else best_sentences(pa, pb, set(feats), translit, cache)
        )
        if not accepted(feats, score, local):
            continue
        if (dates.get(pb.siglum, ""), pb.siglum) < (dates.get(pa.siglum, ""), pa.siglum):
            ua, ub, pa, pb = ub, ua, pb, pa
        out.append(retelling(pa, pb, set(feats), feats, score, weights, translit, common=common))
    found = {(r.a.id, r.b.id) for r in out}
    cue = cues(passages, us, authors or {}, dates, translit)
    out += cued(passages, us, cue, translit, found, common)
    return [r for r in out if beyond_names(r, translit)]


ROSTER_SHARED = 3  # shared features a retelling needs where a roster of names counts once
_NAME = r"[A-Z][\w'’-]+"
ROSTER = re.compile(rf"{_NAME}(?:\s*,\s*(?:and\s+)?{_NAME}|\s+and\s+{_NAME}){{2,}}")


def _roster(p: Passage, translit: dict[str, str]) -> set[str]:
    """The features of the names a passage lists three or more in a row ("Tukhachevskii, Iakir,
    Uborevich, Eideman, Kork, Putna, Feldman, and Primakov")."""
    tid = id(translit)
    _TRANSLIT.setdefault(tid, translit)
    out = set()
    for m in ROSTER.finditer(p.text):
        out.update(_key(align.normal(w), tid) for w in re.split(r"\s*,\s*|\s+", m.group()))
    out.discard(None)
    return out


def beyond_names(r: Retelling, translit: dict[str, str]) -> bool:
    """Is the evidence more than a roster of names? The names that either passage lists in a
    row count once (`ROSTER_SHARED` features in all, months with their dates): eight generals
    arrested on June 11 is one fact of the record, listed alike in any account of it; a
    retelling shares more of the earlier telling (its words, figures or other facts)."""
    roster = _roster(r.a, translit) | _roster(r.b, translit)
    months = {_key(align.normal(m), id(translit)) for m in MONTHS}
    if not roster.intersection(r.shared):
        return True
    rest = [f for f in r.shared if f not in roster and f not in months]
    return len(rest) + 1 >= ROSTER_SHARED


# Retellings that say whom they retell ("as Getty shows", "according to Getty", a note citing the
# work): the passage is compared with the named witness only, whose words common in the citing
# witness still count there, with a lower threshold; and the evidence is summed over a window of
# consecutive passages of the named witness (a summary condenses several paragraphs).
WINDOW = 3  # consecutive passages of the named witness (notes aside) one summary may condense
CUED_SCORE = 20.0  # summed rarity (idf in the pair) of what an attributed passage shares
CUED_SHARED = 3  # shared features it needs
CUED_CAP = 1  # a feature in more than this × the cap of the named witness is no evidence there
CUED_CAP_Y = 2  # nor one in more than this × the cap of the naming witness (where it names x)
FOLLOWS = "follows a passage that "  # the cue of a passage after one that names the witness
CUED_CLOSE = 3  # shared features a sentence of each needs (2 where one is a count or a share)
DATE_FEATURE = re.compile(r"#[A-Z][a-z]{2} \d")


def _closest(
    pa: Passage, pb: Passage, shared: set[str], translit: dict[str, str], cache: dict
) -> tuple[int, int, int]:
    """The most of `shared` that one sentence of each passage holds: (any features, features of a
    sentence pair that shares a count or a share, not a year or a date; the same where that is a
    share, a fraction or a count of three digits or more, `_telling`)."""
    out = (0, 0, 0)
    if not shared:
        return out
    sides = []
    for p in (pa, pb):
        if p.id not in cache:
            note = p.kind == "note"
            cache[p.id] = [
                features(m.group(), translit, note=note) for m in SENTENCE.finditer(p.text)
            ]
        sides.append(cache[p.id])
    for fa in sides[0]:
        ka = fa & shared
        if not ka:
            continue
        for fb in sides[1]:
            both = ka & fb
            if both:
                counted = [f for f in both if _figure(f) and not DATE_FEATURE.match(f)]
                telling = any(map(_telling, counted))
                out = tuple(
                    map(max, out, (len(both), len(both) * bool(counted), len(both) * telling))
                )
    return out


def _telling(f: str) -> bool:
    """A figure that two unrelated sentences hardly share by chance: a share ("#10%"), a fraction
    ("#1/3") or a count of three digits or more; not a small count ("#22", a table's row)."""
    return f.endswith("%") or "/" in f or len(f.split(".")[0]) >= 4


def cues(
    passages: list[Passage],
    us: list[Unit],
    authors: dict[str, tuple[str, ...]],
    dates: dict[str, str],
    translit: dict[str, str],
) -> dict[int, dict[str, str]]:
    """Unit index → {siglum of an earlier witness: how the passage names it} — the surname of its
    author (`authors`) among the passage's words, or a citation of it (`Passage.cites`)."""
    tid = id(translit)
    _TRANSLIT.setdefault(tid, translit)
    keys: dict[str, dict[str, str]] = defaultdict(dict)  # a surname's feature → siglum → surname
    for w, surnames in authors.items():
        for n in surnames:
            k = _key(align.normal(n), tid)
            if k:
                keys[k][w] = n
    out: dict[int, dict[str, str]] = {}
    before: dict[str, dict[str, str]] = {}  # siglum → what its last passage (notes aside) names
    for i, u in enumerate(us):
        p = passages[u.passage]
        said = {w: f"names {n}" for f in u.features if f in keys for w, n in keys[f].items()}
        named = {w: f"{FOLLOWS}{how}" for w, how in before.get(p.siglum, {}).items()}
        named.update({w: f"cites {w}" for w in p.cites})
        named.update(said)
        if p.kind != "note":
            before[p.siglum] = said
        mine = (dates.get(p.siglum, ""), p.siglum)
        named = {w: how for w, how in named.items() if (dates.get(w, ""), w) < mine}
        if named:
            out[i] = named
    return out


def cued(
    passages: list[Passage],
    us: list[Unit],
    cue: dict[int, dict[str, str]],
    translit: dict[str, str],
    found: set[tuple[str, str]] = frozenset(),
    common: frozenset[str] = frozenset(),
) -> list[Retelling]:
    """The retellings of the witnesses that passages name (`cues`): each named witness's postings
    only (an index of the features of the naming passages over that witness's passages), the
    evidence of up to `WINDOW` consecutive passages summed; `CUED_SCORE` with `CUED_SHARED`
    features. Pairs in `found` (passage ids) are left out; `common`: see `retelling`.
    Near-linear: one pass over the units, and each naming passage looks up its own features."""
    if not cue:
        return []
    wit = [passages[u.passage].siglum for u in us]
    named = set().union(*cue.values())
    wanted = set().union(*(us[i].features for i in cue))
    size: dict[str, int] = defaultdict(int)
    df: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    seq: dict[str, list[int]] = defaultdict(list)  # named witness → its units, notes aside
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)  # (witness, f) → seq positions
    for j, u in enumerate(us):
        w = wit[j]
        size[w] += 1
        counts = df[w]
        hold = [f for f in u.features if f in wanted]
        for f in hold:
            counts[f] += 1
        if w in named and passages[u.passage].kind != "note":
            pos = len(seq[w])
            seq[w].append(j)
            for f in hold:
                postings[(w, f)].append(pos)
    out = []
    cache: dict[str, list] = Recent(RECENT)
    wcache: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for i, named_here in cue.items():
        y, pb = wit[i], passages[us[i].passage]
        for x, how in sorted(named_here.items()):
            cap = CUED_CAP * max(CAP, int(CAP_SHARE * size[x]))
            # words common in the naming witness count only where the passage itself names or
            # cites x: one that merely follows such a passage may be the witness's own argument
            loose = CUED_CAP_Y if not how.startswith(FOLLOWS) else 1
            cap_y = loose * max(CAP, int(CAP_SHARE * size[y]))
            hits: dict[int, set[str]] = defaultdict(set)
            for f in us[i].features:
                if 0 < df[x].get(f, 0) <= cap and df[y].get(f, 0) <= cap_y:
                    for pos in postings[(x, f)]:
                        hits[pos].add(f)
            # the places of x that b retells, weightiest first: a passage may retell two
            for n in range(CUED_PLACES):
                best = _window(hits, x, y, size, df, CUED_SCORE, wcache[(x, y)])
                if best is None:
                    break
                place = _place(
                    best, hits, seq[x], passages, us, pb, translit, cache, how, found, n > 0,
                    common,
                )  # fmt: skip
                for pos in range(best[1], best[2] + 1):
                    hits.pop(pos, None)
                out += place
    return out


CUED_PLACES = 3  # places of the named witness one passage may be found to retell


def _place(
    best,
    hits,
    seq_x,
    passages,
    us,
    pb,
    translit,
    cache,
    how,
    found,
    further=False,
    common: frozenset[str] = frozenset(),
) -> list[Retelling]:
    """The retellings of one window of the named witness (`_window`'s `best`) by pb, or none where
    the evidence is too light or is only shared topics. `further`: a place after the weightiest,
    which must share a telling figure (`_telling`) in one sentence pair: the runners-up of a
    passage are mostly its topics found again elsewhere."""
    score, first, last, feats, weights = best
    if score < CUED_SCORE or len(feats) < CUED_SHARED:
        return []
    members = [passages[us[j].passage] for j in seq_x[first : last + 1]]
    if any((m.id, pb.id) in found for m in members):
        return []
    own = [hits.get(pos, set()) for pos in range(first, last + 1)]
    near = [_closest(m, pb, o, translit, cache) for m, o in zip(members, own)]
    if max(n[0] for n in near) < CUED_CLOSE and max(n[1] for n in near) < 2:
        return []  # shared topics, not one fact retold in a sentence of each
    if further and max(n[2] for n in near) < 2:
        return []
    weight = dict(zip(feats, weights))
    best_n = max(range(len(members)), key=lambda n: (sum(weight[f] for f in own[n]), -n))
    window = tuple(m.id for m in members) if len(members) > 1 else ()
    # an entry for each passage of the window that a sentence of b retells (the readers see each
    # source passage), at least the weightiest
    told = [n for n in range(len(members)) if n == best_n or near[n][0] >= 2]
    found_here = []
    for n in told:
        pa = members[n]
        mine = sorted(own[n], key=lambda f: (-weight[f], f))
        weights = [weight[f] for f in mine]
        found_here.append(
            retelling(pa, pb, own[n], mine, score, weights, translit, how, window, common)
        )
    # a summary: b retells two or more passages of the window, in fewer words
    words = sum(len(r.a.text[r.core[0] : r.core[1]].split()) for r in found_here)
    if len(found_here) >= 2:
        found_here = [replace(r, window_words=words) for r in found_here]
    return found_here


def _window(
    hits: dict[int, set[str]], x: str, y: str, size, df, floor: float = 0.0, weights=None
) -> tuple[float, int, int, list[str], list[float]] | None:
    """The run of at most `WINDOW` consecutive passages (their positions → the features each
    shares) whose shared features weigh most: (score, first, last, features rarest first, their
    weights); None below `floor`. A longer run only where it weighs more. `weights`: a cache of
    the features' weights for this pair of witnesses."""
    if not hits:
        return None
    weight = {} if weights is None else weights
    for fs in hits.values():
        for f in fs:
            if f not in weight:
                weight[f] = _weight(f, x, y, size, df, _figure(f))
    own = {pos: sum(weight[f] for f in fs) for pos, fs in hits.items()}
    best = None
    at = sorted(hits)
    for n, first in enumerate(at):
        run = [last for last in at[n : n + WINDOW] if last - first < WINDOW]
        if sum(own[last] for last in run) < max(floor, best[0] if best else 0.0):
            continue  # even the sum of its passages' evidence is too light
        feats: set[str] = set()
        for last in run:
            feats |= hits[last]
            score = sum(weight[f] for f in feats)
            if best is None or score > best[0] + 1e-9:
                best = (score, first, last, set(feats))
    if best is None or best[0] < floor:
        return None
    score, first, last, feats = best
    ranked = sorted(feats, key=lambda f: (-weight[f], f))
    return score, first, last, ranked, [weight[f] for f in ranked]


def beside(r: Retelling, taken: list[tuple[int, int, int, int]]) -> Retelling | None:
    """A retelling around words the verbatim detector has aligned (a quotation inside a retold
    anecdote): what the sentences outside the aligned words share, if that alone is a retelling
    (`MIN_SCORE`, with three shared features), else None."""
    free_a = [x for x in r.a_sents if not any(a0 < x[1] and x[0] < a1 for a0, a1, _, _ in taken)]
    free_b = [x for x in r.b_sents if not any(b0 < x[1] and x[0] < b1 for _, _, b0, b1 in taken)]
    on_a = set().union(*(f for _, _, f in free_a))
    on_b = set().union(*(f for _, _, f in free_b))
    weight = dict(zip(r.shared, r.weights))
    left = [f for f in r.shared if f in on_a and f in on_b]
    score = sum(weight.get(f, 0.0) for f in left)
    if len(left) < 3 or score < MIN_SCORE:
        return None
    keep = set(left)
    core = span(r.a, keep, {}, free_a) + span(r.b, keep, {}, free_b)
    (a0, a1), (b0, b1) = neighbours(free_a, free_b, core[:2], core[2:])
    return Retelling(r.a, r.b, a0, a1, b0, b1, tuple(left), round(score, 2), (), (), (), core=core)


def in_order(r: Retelling) -> bool:
    """Do the retold sentences of b follow those of a in order (a summary runs through what it
    condenses; a retelling that picks facts out of a passage in another order is a paraphrase)?
    Each sentence of b's core holding evidence is matched to the sentence of a's core sharing most
    of it (where several share as much, the first not before the last match); the matches must
    not go back. A retelling without its sentences (`beside`) is in order."""
    c = r.judged()
    sa = [f for s, e, f in r.a_sents if f and c[0] <= s and e <= c[1]]
    last = 0
    for s, e, fb in r.b_sents:
        if not fb or not (c[2] <= s and e <= c[3]):
            continue
        shared = [len(fa & fb) for fa in sa]
        most = max(shared, default=0)
        if most == 0:
            continue
        ahead = [i for i, n in enumerate(shared) if n == most and i >= last]
        if not ahead:
            return False
        last = ahead[0]
    return True


COPIED_SHARE = 0.8  # of a retelling's later reading that words copied from elsewhere may cover


def _copied_elsewhere(r: Retelling, copied: list[tuple[int, int]]) -> bool:
    """Does the later reading of a retelling lie (`COPIED_SHARE`) inside words the later witness
    copied from another place of the same earlier witness (a table reproduced from one table
    of Getty is not also retold from his other tables or his prose that share a few figures or
    words with it)? The pair the words were copied from is left to `beside`."""
    length = max(1, r.b_end - r.b_start)
    for b0, b1 in copied:
        inside = max(0, min(r.b_end, b1) - max(r.b_start, b0))
        if inside >= COPIED_SHARE * length:
            return True
    return False


def loci(found: list[Retelling], verbatim: list[Locus]) -> list[Locus]:
    """Retellings → reuse entries (app/@subtype paraphrase, summary, other-translation...), leaving
    out the passage pairs whose words the verbatim detector has already aligned there."""
    from build_scripts.apparatus import detect

    taken: dict[tuple[str, str], list[tuple[int, int, int, int]]] = defaultdict(list)
    copied: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for l in verbatim:
        if len(l.readings) >= 2 and None not in (l.readings[0].start, l.readings[1].start):
            a, b = l.readings[0], l.readings[1]
            taken[(a.passage, b.passage)].append((a.start, a.end, b.start, b.end))
            taken[(b.passage, a.passage)].append((b.start, b.end, a.start, a.end))
            if l.type != "shared-citation":
                copied[(b.passage, a.siglum)].append((b.start, b.end))
    best: dict[tuple[str, str], float] = {}
    for r in found:
        if r.b.kind == "table":
            best[(r.b.id, r.a.siglum)] = max(r.score, best.get((r.b.id, r.a.siglum), 0.0))
    out = []
    for r in found:
        if _copied_elsewhere(r, copied[(r.b.id, r.a.siglum)]):
            continue
        if r.b.kind == "table" and r.score < best[(r.b.id, r.a.siglum)]:
            continue  # a table retells one place of a witness: the one sharing most with it
        if any(
            a0 < r.a_end and r.a_start < a1 and b0 < r.b_end and r.b_start < b1
            for a0, a1, b0, b1 in taken[(r.a.id, r.b.id)]
        ):
            r = beside(r, taken[(r.a.id, r.b.id)])
            if r is None:
                continue
        ra = Reading(
            r.a.siglum,
            r.a.file,
            r.a.id,
            r.a.text[r.a_start : r.a_end],
            r.a_start,
            r.a_end,
            "source",
        )
        rb = Reading(
            r.b.siglum,
            r.b.file,
            r.b.id,
            r.b.text[r.b_start : r.b_end],
            r.b_start,
            r.b_end,
            "target",
        )
        kind = "quotation" if r.a.siglum in r.b.cites else "reuse"
        # judged on the retold sentences, not the neighbours that `neighbours` took in
        c = r.judged()
        ca = Reading(r.a.siglum, r.a.file, r.a.id, r.a.text[c[0] : c[1]], c[0], c[1], "source")
        cb = Reading(r.b.siglum, r.b.file, r.b.id, r.b.text[c[2] : c[3]], c[2], c[3], "target")
        relation = detect.relation_of(kind, r.a, ca, r.b, cb, 0.0, retold=True)
        evidence = ", ".join(f.lstrip("#") for f in r.shared[:12])
        finding = f"Retold, not copied: the two passages share rare words and figures ({evidence})."
        if r.cue:
            finding += f" The later passage {r.cue}: compared with that witness only."
        if r.window:
            finding += f" Evidence summed over consecutive passages: {', '.join(r.window)}."
            words_b = len(cb.text.split())
            if relation == "paraphrase" and r.window_words >= detect.SUMMARY_MIN:
                if words_b <= detect.SUMMARY_SHARE * r.window_words:
                    relation = "summary"
        if relation == "summary" and not in_order(r):
            relation = "paraphrase"  # facts picked out of the passage, not the passage condensed
        ident = "ret." + detect.locus_id(r.a, r.b, ra.text).removeprefix("app.")
        out.append(
            Locus(
                ident,
                kind,
                (ra, rb),
                score=round(min(1.0, r.score / 100), 3),
                findings=(finding,),
                relation=relation,
            )
        )
    return out


# A summary of several passages: one passage of b that retells, unmarked, two or more passages of
# a within `WINDOW` consecutive passages (notes aside), each in sentences of its own and in a's
# order, in at most this share of the words of a from the first retold sentence to the last
# (the passages between included): b condenses that stretch of a into one passage.
SUMMARY_RUN_SHARE = 2 / 3


def condensed(found: list[Locus], passages: list[Passage]) -> list[Locus]:
    """`found` with the paraphrases that condense several consecutive passages of the earlier
    witness into one passage of the later one retyped summary (`SUMMARY_RUN_SHARE`), whether
    their words were aligned or retold. Judged per (later passage, earlier witness) from the
    entries' readings alone: no other witness counts."""
    from build_scripts.apparatus import detect

    order: dict[str, tuple[str, int]] = {}  # passage id → (siglum, position, notes aside)
    text: dict[str, str] = {}
    seq: dict[str, list[str]] = defaultdict(list)
    for p in passages:
        if p.kind in ("note", "bibl"):
            continue
        order[p.id] = (p.siglum, len(seq[p.siglum]))
        seq[p.siglum].append(p.id)
        text[p.id] = p.text
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, l in enumerate(found):
        if l.relation != "paraphrase" or len(l.readings) != 2:
            continue
        a, b = l.readings
        if a.start is None or b.start is None or a.passage not in order:
            continue
        if b.passage in order:
            groups[(b.passage, a.siglum)].append(n)
    out = list(found)
    for (pb, _), members in groups.items():
        told = sorted(members, key=lambda n: (found[n].readings[1].start, found[n].readings[1].end))
        reads = [found[n].readings for n in told]
        places = [(order[a.passage][1], a.start, a.end) for a, _ in reads]
        if len({a.passage for a, _ in reads}) < 2 or places[-1][0] - places[0][0] >= WINDOW:
            continue
        # each in sentences of its own (b's readings apart), in a's order (a's readings rise)
        if any(
            y[1].start < x[1].end or (q[0], q[1]) < (p[0], p[2])
            for x, y, p, q in zip(reads, reads[1:], places, places[1:])
        ):
            continue
        first, last = reads[0][0], reads[-1][0]
        siglum = first.siglum
        stretch = [text[first.passage][first.start :]]
        stretch += [text[i] for i in seq[siglum][places[0][0] + 1 : places[-1][0]]]
        stretch.append(text[last.passage][: last.end])
        words_a = sum(len(t.split()) for t in stretch)
        words_b = len(text[pb][reads[0][1].start : reads[-1][1].end].split())
        if words_a < detect.SUMMARY_MIN or words_b > SUMMARY_RUN_SHARE * words_a:
            continue
        ids = ", ".join(dict.fromkeys(a.passage for a, _ in reads))
        note = (
            f"Several passages condensed in one: {pb} retells {ids}, in their order, in {words_b}"
            f" words where {siglum} takes {words_a} from the first retold sentence to the last."
        )
        for n in told:
            out[n] = replace(found[n], relation="summary", findings=found[n].findings + (note,))
    return out
