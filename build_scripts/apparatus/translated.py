"""Another translation: two witnesses quoting one Russian document (a resolution, a speech, an
order, its title) in two English translations. They share hardly a run of five words, so neither
the verbatim detector (shingles) nor the retellings (rare content of whole passages) may see them;
what survives translation is the document's rarer words (stemmed, in American spelling, names in
any transliteration and derived form: Trotskyist, Trotskyite), its figures and dates, in the
document's order.

A stretch is one quotation of a passage (inside quotation marks, a quote element, a bibl: the
document's words); each is set against the passages of the other witnesses. Candidates: a stretch
and a passage sharing `MIN_ANCHORS` features rare in both witnesses (an inverted index over the
stretches; a feature in more than `CAP` passages of a witness is no anchor there, so no posting
list grows with the corpus). Verified by alignment: the longest series of the stretch's features
found in the same order in the passage (`ordered`), `MIN_ORDERED` of them, `MIN_QUOTED` words
among them, covering `MIN_COVER` of the stretch, within a stretch of the passage at most
`SPREAD` times as long as the quotation, and rare enough together (`MIN_SCORE`, summed idf).
Two references to one work (both sides bibliographic) are a shared citation, never a
translation; passage pairs that the other detectors connect keep their entries, and a quotation
already connected to a passage of the other witness is not paired with a second one there (a
formula that several documents share) unless the two stand together (`BESIDE`). An entry of the
retellings typed paraphrase whose two readings quote the same words of a document is retyped
(`retyped`)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import chain, repeat

import numpy as np

from rapidfuzz.distance import LCSseq

from build_scripts.apparatus import align, detect, retold
from build_scripts.apparatus.model import Locus, Passage

CAP = 8  # a feature in more passages of one witness than this (or `CAP_SHARE` of them) is common
CAP_SHARE = 0.02
MIN_ANCHORS = 2  # features rare in both witnesses that a stretch and a passage share
MIN_QUOTED = 4  # content words of the stretch found in order in the passage
MIN_ORDERED = 4  # with the figures and dates both hold
MIN_WORDS = 3  # of them not names (capitalised on both sides)
MIN_COVER = 0.2  # share of the stretch's content words that the ordered ones make
MIN_SCORE = 13.5  # summed rarity (idf, the lower of the two witnesses') of the ordered features
SPREAD = 3.0  # the passage's words from the first ordered one to the last: at most this × the
SPREAD_MIN = 30  # stretch's words (and at least this many words allowed)
STRETCH_MAX = 60  # words of a stretch: a longer quotation is taken sentence by sentence
QUOTE_WORDS = 3  # words a quoted stretch needs (a quoted word or two is a term, not a document)
BESIDE = 3  # passages of one witness (its notes among them, before their paragraph) one place spans
RETYPE_ORDERED = 3  # content words two quotations of a retold entry share in order to be retyped
# a follower's or a doctrine's name after its stem: Trotskyist, Trotskyite, Trotskyism; communist
DERIVED = re.compile(r"(?<=[a-z]{4})(?:ism|ist|ite|it)$")
DERIVED_ENDS = ("ism", "ist", "ite", "it")  # a word not ending so: no `DERIVED` (one test in C)
BRITISH = re.compile(r"(?<=[a-z]{3})is(ation|ations|e|ed|es|ing)$")
# a duration printed as one word in one translation, two in the other: "eight-month" (one word to
# `align.words`, "eightmonth") and "eight month" give one feature, "month" (the figure, ten or
# less, is no feature)
UNITS = ("year", "years", "month", "months", "week", "weeks", "day", "days")
DURATION = re.compile(
    "(?:" + "|".join(sorted(retold.COUNTED, key=len, reverse=True)) + r")(year|month|week|day)s?"
)
OPENERS = "“\"‘`'"
OPENER = re.compile("[" + OPENERS + "]")
# a paragraph that is one quotation (its opening mark may be printed as a closing one: ”It has)
WHOLE = re.compile(r"\s*[“”\"‘`][^“”\"]*[”\"’']\W*", re.S)
CAPITAL = re.compile(r"(?<![.!?]\s)(?<=[\s(\-])[A-Z][\w'’]+")  # not a sentence's first word


def key(norm: str, tid: int) -> str | None:
    """A word's feature across translations: `retold._key` of its American spelling
    (organisation, organization), derived forms of a name folded (Trotskyist, Trotskyite)."""
    if norm.endswith(UNITS) and (m := DURATION.fullmatch(norm)) is not None:
        norm = m.group(1)
    k = retold._key(BRITISH.sub(r"iz\1", norm) if "is" in norm else norm, tid)
    return DERIVED.sub("", k) if k and k.endswith(DERIVED_ENDS) else k


class Vocab:
    """The features of one run as small integers (0: a word with none): each distinct word's
    feature is computed once, and a passage's features are an array of ints, not a set of
    strings (at 50 times the edition, those sets alone held some 370 MiB)."""

    def __init__(self, tid: int) -> None:
        self.tid = tid
        self.of: dict[str, int] = {}  # normal form → feature id
        self.ids: dict[str, int] = {}  # feature → id
        self.names: list[str] = [""]  # id → feature

    def __call__(self, norm: str) -> int:
        i = self.of.get(norm)
        if i is None:
            k = key(norm, self.tid)
            i = self.ids.setdefault(k, len(self.names)) if k else 0
            if i == len(self.names):
                self.names.append(k)
            self.of[norm] = i
        return i

    def passages(self, words: list[list[str]]) -> tuple[np.ndarray, list[int]]:
        """The features of every word of the passages, in one array, and where each passage's
        start (and the last one's end). Each distinct word computes its feature once, in the
        order of its first occurrence (`dict.fromkeys`, in C); every word is then a lookup in C."""
        bounds = [0]
        for norms in words:
            bounds.append(bounds[-1] + len(norms))
        of = self.of
        for norm in dict.fromkeys(chain.from_iterable(words)):
            if norm not in of:
                self(norm)
        ids = np.fromiter(map(of.__getitem__, chain.from_iterable(words)), np.int32, bounds[-1])
        return ids, bounds


def forget() -> None:
    """Empty the caches kept across passages (figures, word spans) at the end of a run; the
    vocabulary lives in one `candidates` call."""
    _figures_of.cache_clear()
    _spans.cache_clear()


@dataclass(frozen=True)
class Stretch:
    passage: int  # index into the passages
    start: int
    end: int
    keys: tuple[int, ...]  # content features (`Vocab` ids) in text order, each once
    figures: frozenset[str]
    words: int
    bibliographic: bool  # inside a bibl, or a note of references
    capitals: frozenset[int] = frozenset()  # features of its capitalised words


@dataclass(frozen=True)
class Found:
    x: Stretch
    y: int  # passage index
    y_start: int  # characters of the passage's words from the first ordered feature to the last
    y_end: int
    shared: tuple[str, ...]  # the ordered evidence
    score: float


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and (after.isalnum() or after in "([.")


def quoted_ranges(p: Passage) -> list[tuple[int, int]]:
    """Character ranges of a passage's quotations of `QUOTE_WORDS` words or more: all of a quote
    passage, each quote element nested in it, each stretch inside quotation marks, each bibl."""
    if p.kind in ("quote", "bibl") or WHOLE.fullmatch(p.text):
        return [(0, len(p.text))]
    out = [(a, b) for i, a, b in p.spans if detect.QUOTE_ID.search(i)]
    out += [(a, b) for a, b in p.bibls if len(p.text[a:b].split()) >= QUOTE_WORDS]
    text, at = p.text, 0
    for m in OPENER.finditer(text):
        j = m.start()
        if j < at or not _opens(text, j):
            continue
        close = detect._quote_close(text, j + 1, len(text))
        if close is None:
            break
        if len(text[j:close].split()) >= QUOTE_WORDS:
            out.append((j, close))
        at = close
    return sorted(set(out))


def _pieces(p: Passage, a: int, b: int) -> list[tuple[int, int]]:
    """A quotation, or its sentences where it is longer than `STRETCH_MAX` words."""
    if len(p.text[a:b].split()) <= STRETCH_MAX:
        return [(a, b)]
    out = []
    for m in retold.SENTENCE.finditer(p.text, a, b):
        s = m.start() + len(m.group()) - len(m.group().lstrip())
        if out and len(p.text[out[-1][0] : s].split()) < QUOTE_WORDS * 3:
            out[-1] = (out[-1][0], m.end())
        elif m.end() > s:
            out.append((s, m.end()))
    return out


def stretches(passages: list[Passage], vocab: Vocab) -> list[Stretch]:
    out = []
    for pi, p in enumerate(passages):
        if p.kind == "table" or not OPENER.search(p.text) and p.kind not in ("quote", "bibl"):
            if not p.bibls and not any(detect.QUOTE_ID.search(i) for i, _, _ in p.spans):
                continue
        bib = p.kind in ("bibl", "note") and retold._reference(p.text) or p.kind == "bibl"
        for a0, b0 in quoted_ranges(p):
            for a, b in _pieces(p, a0, b0):
                text = p.text[a:b]
                norms = align.words(text)
                keys = tuple(dict.fromkeys(k for k in map(vocab, norms) if k))
                if len(keys) < MIN_QUOTED:
                    continue
                figs = frozenset(
                    f for f, year, _, _ in retold.figures(text, norms, p.kind == "note")
                    if not year and f not in retold.SMALL
                ) if retold._DIGIT.search(text) else frozenset()  # fmt: skip
                inside = bib or p.share(p.bibls, a, b) >= detect.MOSTLY
                caps = frozenset(
                    k for k in (vocab(align.normal(w)) for w in CAPITAL.findall(text)) if k
                )
                out.append(Stretch(pi, a, b, keys, figs, len(norms), inside, caps))
    return out


def ordered(x: list, y: list) -> list[tuple[int, int]]:
    """The longest common subsequence of two feature lists, as index pairs (i in x, j in y)
    (rapidfuzz's LCSseq, in C)."""
    if not x or not y:
        return []
    blocks = LCSseq.opcodes(x, y).as_matching_blocks()
    return [(b.a + k, b.b + k) for b in blocks for k in range(b.size)]


def candidates(
    passages: list[Passage], words: list[list[str]], translit: dict[str, str]
) -> list[Found]:
    """Quoted stretches → the passages of other witnesses that give their words in order."""
    tid = id(translit)
    retold._TRANSLIT.setdefault(tid, translit)
    vocab = Vocab(tid)
    sigla = [p.siglum for p in passages]
    wit = {w: i for i, w in enumerate(dict.fromkeys(sigla))}
    wl = [wit[w] for w in sigla]  # each passage's witness, by its index
    wi = np.array(wl, dtype=np.int64)
    # each passage's distinct features; the document frequency of a feature in a witness as a
    # sorted array of codes (witness × features + feature) with their counts
    ids, bounds = vocab.passages(words)
    feats = [_distinct(ids[a:b]) for a, b in zip(bounds, bounds[1:])]
    width = len(vocab.names)
    lengths = np.fromiter(map(len, feats), np.int64, len(feats))
    codes = np.repeat(wi * width, lengths)
    codes += np.concatenate(feats) if feats else np.zeros(0, np.int64)
    dcodes, dcounts = np.unique(codes, return_counts=True)
    del codes
    size: Counter[str] = Counter(sigla)
    sizes = [size[w] for w in wit]  # passages of each witness, by its index
    cap = np.array([max(CAP, CAP_SHARE * n) for n in sizes])

    def df(w: int, f: np.ndarray) -> np.ndarray:
        return dcounts[np.searchsorted(dcodes, w * width + f)]

    # a passage's anchors: its features rare in its witness (the rest: `common`, word by word)
    feats = [f[df(w, f) <= cap[w]] for f, w in zip(feats, wl)]
    xs = stretches(passages, vocab)
    notes = [p.kind in ("bibl", "note") for p in passages]
    refs = [n and (p.kind == "bibl" or retold._reference(p.text)) for n, p in zip(notes, passages)]
    index: dict[int, list[int]] = defaultdict(list)
    for n, s in enumerate(xs):
        w = wl[s.passage]
        keys = np.array(s.keys, np.int64)
        for f in keys[df(w, keys) <= cap[w]].tolist():
            index[f].append(n)

    def idf(fs: list[int], w: int) -> list[float]:
        n = sizes[w]
        return [math.log(n / max(1, d)) for d in df(w, np.array(fs, np.int64)).tolist()]

    out = []
    for y, (fy, wy) in enumerate(zip(feats, wl)):
        ks: list[int] | None = None  # this passage's features, word by word, when needed
        kset: set[int] = set()
        # the stretches sharing each feature with y, counted in C (in the order first met)
        counts = Counter(chain.from_iterable(map(index.get, fy.tolist(), repeat(()))))
        for n, c in counts.items():
            if c < MIN_ANCHORS:
                continue
            x = xs[n]
            wx = wl[x.passage]
            if wx == wy:
                continue
            if notes[x.passage] and notes[y] and (x.bibliographic or refs[y]):
                continue  # two references to one work: a shared citation
            if ks is None:
                ks = ids[bounds[y] : bounds[y + 1]].tolist()
                kset = set(ks)
            common = kset.intersection(x.keys)
            if len(common) < MIN_QUOTED:
                continue
            at = [j for j, k in enumerate(ks) if k in common]
            pairs = ordered([k for k in x.keys if k in common], [ks[j] for j in at])
            figs = sorted(x.figures & _figures(passages[y])) if x.figures else []
            run = [ks[at[j]] for _, j in pairs]
            if len(run) < MIN_WORDS or len(run) + len(figs) < MIN_ORDERED:
                continue
            if len(run) < MIN_COVER * len(x.keys):
                continue
            first, last = at[pairs[0][1]], at[pairs[-1][1]]
            if last - first + 1 > max(SPREAD * x.words, SPREAD_MIN):
                continue
            # a figure is no word: in no passage's features, as rare as can be (idf of one passage)
            rare = [min(a, b) for a, b in zip(idf(run, wx), idf(run, wy))]
            rare += [min(math.log(sizes[wx]), math.log(sizes[wy]))] * len(figs)
            score = sum(rare)
            if score < MIN_SCORE:
                continue
            # names survive any translation and any retelling: words, not names, show the document
            # (the character spans last: tokenising the passage again is the dearest step)
            text = passages[y].text
            spans = _spans(text, len(ks))
            if x.capitals & set(run):
                named = sum(
                    1 for _, j in pairs
                    if ks[at[j]] in x.capitals and text[spans[at[j]][0]].isupper()
                )  # fmt: skip
                if len(run) - named < MIN_WORDS:
                    continue
            if not _same_years(
                passages[x.passage], x.start, x.end, text, spans[first][0], spans[last][1]
            ):
                continue  # dated otherwise: another document on the same matter
            shared = tuple(vocab.names[k] for k in run) + tuple(figs)
            out.append(Found(x, y, spans[first][0], spans[last][1], shared, score))
    return out


def _distinct(ids: np.ndarray) -> np.ndarray:
    """A passage's distinct features, sorted: sorted and compared (`detect._distinct`), not
    np.unique, whose hash table (numpy 2) costs more than the sort of a passage's few hundred."""
    f = detect._distinct(np.sort(ids)).astype(np.int64)
    return f[1:] if len(f) and f[0] == 0 else f


def _years(text: str, start: int, end: int) -> set[str]:
    a, b = detect.sentence(text, start, end)
    part = text[a:b]
    return (
        {f for f, year, _, _ in retold.figures(part) if year}
        if retold._DIGIT.search(part)
        else set()
    )


def _same_years(px: Passage, start: int, end: int, y: str, y_start: int, y_end: int) -> bool:
    """Can the quotation and the passage's words be one document by their dates: unless the
    sentences around both name years, and none the same (a resolution of January 1938 is not the
    order of May 1936 that used its words)."""
    ours = _years(px.text, start, end)
    return not ours or not (theirs := _years(y, y_start, y_end)) or bool(ours & theirs)


@lru_cache(maxsize=64)
def _spans(text: str, n: int) -> list[tuple[int, int]]:
    """The character spans of a passage's words (`align.tokens`, as many as its `align.words`)."""
    spans = [(t.start, t.end) for t in align.tokens(text)]
    if len(spans) != n:
        raise ValueError("tokens and words of a passage disagree")
    return spans


@cache
def _figures_of(text: str) -> frozenset[str]:
    return frozenset(
        f for f, year, _, _ in retold.figures(text) if not year and f not in retold.SMALL
    )


def _figures(p: Passage) -> frozenset[str]:
    return _figures_of(p.text) if retold._DIGIT.search(p.text) else frozenset()


def select(passages: list[Passage], found: list[Found], loci: list[Locus]) -> list[Found]:
    """The candidates kept: none between two passages already connected; none where the quoted
    words already have an entry with another passage of the other witness (a formula that
    several documents share, not a second rendering of one), unless that passage stands within
    `BESIDE` passages of this one (one document quoted over consecutive paragraphs, or given again
    in a note anchored there); then for each stretch the best passage of each other witness, one
    entry a pair of passages."""
    linked: dict[tuple[str, str], list[tuple[int, int, int | None]]] = defaultdict(list)
    pairs = set()
    at = {p.id: i for i, p in enumerate(passages)}
    for l in loci:
        if len(l.readings) < 2 or None in (l.readings[0].start, l.readings[1].start):
            continue
        a, b = l.readings[0], l.readings[1]
        pairs.update({(a.passage, b.passage), (b.passage, a.passage)})
        linked[(a.passage, b.siglum)].append((a.start, a.end, at.get(b.passage)))
        linked[(b.passage, a.siglum)].append((b.start, b.end, at.get(a.passage)))

    def free(pid: str, other: str, start: int, end: int, partner: int) -> bool:
        """No entry holds these words with a passage of the other witness, unless that passage
        stands beside `partner` (the same document quoted on over consecutive paragraphs, or
        given again in a note anchored there): a second rendering, not a shared formula."""
        return not any(
            s < end and start < e and (q is None or abs(q - partner) > BESIDE)
            for s, e, q in linked.get((pid, other), ())
        )

    best: dict[tuple, Found] = {}
    for f in found:
        px, py = passages[f.x.passage], passages[f.y]
        if (px.id, py.id) in pairs:
            continue
        if not free(px.id, py.siglum, f.x.start, f.x.end, f.y):
            continue
        if not free(py.id, px.siglum, f.y_start, f.y_end, f.x.passage):
            continue
        k = (id(f.x), py.siglum)
        if k not in best or f.score > best[k].score:
            best[k] = f
    kept: dict[tuple[int, int], Found] = {}
    for f in best.values():
        k = (min(f.x.passage, f.y), max(f.x.passage, f.y))
        if k not in kept or f.score > kept[k].score:
            kept[k] = f
    return sorted(kept.values(), key=lambda f: (f.x.passage, f.x.start, f.y))


def translations(
    passages: list[Passage],
    dates: dict[str, str],
    translit_path: str,
    found: list[Locus],
    words: list[list[str]] | None = None,
) -> list[Locus]:
    """`found` with the other-translation entries the other detectors missed, and the retold
    entries whose readings quote one document retyped (`retyped`). `words`: each passage's
    `align.words` (`detect.tokenised`), when the caller has them."""
    translit = retold.names(translit_path)
    ids = {p.id: p for p in passages}
    out = [retyped(l, ids, translit) for l in found]
    words = words if words is not None else detect.tokenised(passages)
    for f in select(passages, candidates(passages, words, translit), found):
        out.append(locus(passages, dates, f))
    return out


def locus(passages: list[Passage], dates: dict[str, str], f: Found) -> Locus:
    px, py = passages[f.x.passage], passages[f.y]
    sx = detect.sentence(px.text, f.x.start, f.x.end) if px.kind != "bibl" else (0, len(px.text))
    sy = detect.sentence(py.text, f.y_start, f.y_end)
    (pa, a), (pb, b) = (px, sx), (py, sy)
    if (dates.get(pb.siglum, ""), pb.siglum) < (dates.get(pa.siglum, ""), pa.siglum):
        (pa, a), (pb, b) = (pb, b), (pa, a)
    ra = detect.reading(pa, *a, "source")
    rb = detect.reading(pb, *b, "target")
    qa, qb = detect.document_words(pa, *a), detect.document_words(pb, *b)
    kind = "quotation" if pa.siglum in pb.cites else "reuse"
    if qa and qb and kind == "quotation":
        relation = "intermediary"  # the document quoted through the earlier witness
    elif qa and qb and detect.one_translation(pa, ra, pb, rb):
        relation = "common-source"
    else:
        relation = "other-translation"
    finding = (
        "Another translation: the two passages give the words of one document in its order"
        f" ({', '.join(k.lstrip('#') for k in f.shared[:12])}), not in the same words."
    )
    return Locus(
        "tr." + detect.locus_id(pa, pb, ra.text).removeprefix("app."),
        kind,
        (ra, rb),
        score=round(min(1.0, f.score / 50), 3),
        findings=(finding,),
        relation=relation,
    )


def retyped(l: Locus, ids: dict[str, Passage], translit) -> Locus:
    """A retold entry (paraphrase) whose two readings each quote a document, the quotations
    giving `RETYPE_ORDERED` words in the same order: both quote one document, in another
    translation (or, agreeing throughout where they overlap, in one: a common source)."""
    if l.relation != "paraphrase" or not l.id.startswith("ret.") or len(l.readings) != 2:
        return l
    ra, rb = l.readings
    pa, pb = ids.get(ra.passage), ids.get(rb.passage)
    if pa is None or pb is None or ra.start is None or rb.start is None:
        return l
    tid = id(translit)
    sides = []
    for p, r in ((pa, ra), (pb, rb)):
        keys = []
        for a, b in quoted_ranges(p):
            if a < r.end and r.start < b:
                text = p.text[max(a, r.start) : min(b, r.end)]
                keys.append(
                    list(dict.fromkeys(k for k in map(key, align.words(text), repeat(tid)) if k))
                )
        sides.append(keys)
    best = max((len(ordered(x, y)) for x in sides[0] for y in sides[1]), default=0)
    if best < RETYPE_ORDERED:
        return l
    same = detect.one_translation(pa, ra, pb, rb)
    return replace(
        l,
        relation="common-source" if same else "other-translation",
        findings=l.findings
        + ("Both quote one document: their quotations give its words in one order.",),
    )
