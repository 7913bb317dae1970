"""Token streams → word alignment and variant classes. The aligner (rapidfuzz) stays behind this
module."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache, partial
from itertools import accumulate, compress, repeat
from dataclasses import dataclass
from typing import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from build_scripts.apparatus.model import Token, Variant

# English function words: no evidence that one passage retells another, and not marked as words
# two passages share
FUNCTION_WORDS = frozenset(
    "a about after all also an and any are as at be "
    "been being but by can could did do does for from "
    "had has have he her him his i if in into is it "
    "its may more most much must no not now of on one "
    "only or other our out over she should so some such "
    "than that the their them then there these they "
    "this those to under up upon very was we were what "
    "when where which while who whom will with would "
    "you your just even same each many two three four five six seven eight nine ten "
    "first second".split()
)

# Tokens are runs between spaces, dashes, slashes and ellipses; their normal form keeps letters and
# digits only, lower-cased, accents removed: "(T)he" → the, "1,372,392" → 1372392, "d'état" → detat.
# The lookahead lets the regex engine pass over a word's letters with one test each (every
# separator starts with one of those characters); the last alternative, spaced points after a
# word (". . ."), can only start at a point (a space is taken by the first). 4× faster than
# the same alternatives without it, same matches.
SEPARATOR = re.compile(r"(?=[\s—–/….-])(?:\s+|[—–/]+|-{2,}|…+|\.{3,}|(?<=\w)\.\s*(?:\.\s*){2,})")
GAP = re.compile(r"\.{3,}|…|\. \. \.|\[\s*\.\.\.|\(\.\.\.\)")
NOT_ALNUM = re.compile(r"[^0-9a-z]+")
EDITORIAL = frozenset({"sic"})
NEGATIONS = (
    "in",
    "un",
    "non",
    "dis",
    "im",
    "ir",
    "il",
)  # "(sic)", "[sic]": an editor's word, not the witness's reading


@lru_cache(maxsize=1 << 20)
def normal(word: str) -> str:
    if word.isascii():
        return NOT_ALNUM.sub("", word.lower())
    word = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in word if c.isalnum() and not unicodedata.combining(c))


@lru_cache(maxsize=1 << 20)
def _word(raw: str) -> tuple[str, bool, bool, bool]:
    """One run between separators → (normal form, an editorial mark like "(sic)", an ellipsis at its
    start, an ellipsis after its first character). Cached: words repeat."""
    norm = normal(raw)
    core = raw.strip(".,;:!?'\"`’‘“”")
    bracketed = core[:1] in "([" and core.strip("()[]").lower() in EDITORIAL
    return (
        norm,
        bracketed,
        bool(GAP.match(raw)),
        bool(GAP.search(raw[1:])) if norm else bool(GAP.search(raw)),
    )


# Characters that are never part of a word's normal form: ASCII punctuation and symbols (the space
# stays: it joins the runs below) and the quotation marks and dashes of printed English.
_DELETE = str.maketrans(
    "",
    "",
    "".join(chr(c) for c in range(128) if not chr(c).isalnum() and chr(c) != " ")
    + "’‘“”„‚«»‹›–—…•·′″§¶†‡°",
)


def forget() -> None:
    """Empty the word caches (`normal`, `_word`, `_recent`): between two stages of a large run,
    what one stage met need not stay in memory through the next."""
    normal.cache_clear()
    _word.cache_clear()
    _recent.cache_clear()
    spelling.cache_clear()


def words(text: str) -> list[str]:
    """The normal forms of `tokens(text)`, without building tokens (the detector's index needs no
    more).

    The work runs in C over the whole passage (split, translate, lower); only runs that keep a
    non-ASCII letter go through `normal` one by one, and "sic" is checked for its brackets."""
    parts = SEPARATOR.split(text)
    cleaned = " ".join(parts).translate(_DELETE)
    norms = (
        cleaned.lower().split(" ")
        if cleaned.isascii()
        else [
            w.lower() if w.isascii() else normal(parts[i]) for i, w in enumerate(cleaned.split(" "))
        ]
    )
    if "sic" in norms:
        norms = ["" if n == "sic" and _word(parts[i])[1] else n for i, n in enumerate(norms)]
    return list(
        map(sys.intern, filter(None, norms))
    )  # one string per word form: less memory, hashed once


_PARTS = re.compile(f"({SEPARATOR.pattern})")  # split keeping the separators: word, sep, word…
_TOKEN = partial(tuple.__new__, Token)  # Token(start, end, norm, gap) from a tuple, in C


def tokens(text: str) -> list[Token]:
    """Word tokens of a passage with their character spans; punctuation-only runs mark gaps.

    A text without an ellipsis (no "...", "…" or ". . .": no `GAP` can match) has no gaps: its
    tokens are made in C (split, offsets, cached normal forms), the same as `_tokens` makes them
    one by one. The tokens of the texts met lately are kept (`_recent`): the detector, the
    citations and the translations tokenise the same passages again (a new list each time)."""
    return list(_recent(text))


@lru_cache(maxsize=256)
def _recent(text: str) -> tuple[Token, ...]:
    return tuple(_tokenise(text))


def _tokenise(text: str) -> list[Token]:
    if "..." in text or "…" in text or ". . ." in text:
        return _tokens(text)
    parts = _PARTS.split(text)
    at = list(accumulate(map(len, parts), initial=0))  # where each part starts
    raw = parts[::2]
    norms = list(map(normal, raw))
    out = list(map(_TOKEN, zip(at[::2], at[1::2], norms, repeat(False))))
    if "sic" in norms:  # "(sic)", "[sic]": an editor's word, no token
        out = [t for t, r in zip(out, raw) if t.norm != "sic" or not _word(r)[1]]
    return list(compress(out, (t.norm for t in out))) if "" in norms else out


def _tokens(text: str) -> list[Token]:
    """`tokens`, word by word, with the gaps an ellipsis marks."""
    out: list[Token] = []
    gap = False
    pos = 0
    points = 0  # lone points in a row: ". . ." set apart from the word before it is an ellipsis
    for match in list(SEPARATOR.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        if end > pos:
            raw = text[pos:end]
            norm, bracketed, gap_start, gap_inside = _word(raw)
            points = points + 1 if raw == "." else 0
            if norm and not bracketed:
                out.append(Token(pos, end, norm, gap or gap_start))
                gap = gap_inside
            elif not norm:
                gap = gap or gap_inside or points >= 3
        if match:
            sep = match.group()
            if sep != " " and GAP.search(sep):
                gap = True
            pos = match.end()
    return out


@dataclass(frozen=True)
class Op:
    tag: str  # equal, replace, delete, insert
    a0: int
    a1: int
    b0: int
    b1: int


def align(a: Sequence[str], b: Sequence[str]) -> list[Op]:
    """Word-by-word alignment of two token sequences (Levenshtein opcodes over whole words)."""
    if not a and not b:
        return []
    return [
        Op(o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end)
        for o in Levenshtein.opcodes(list(a), list(b))
    ]


def rebuild(ops: list[Op], a: Sequence[str], b: Sequence[str]) -> tuple[list[str], list[str]]:
    """Each side as the alignment reads it (the property test: nothing is lost)."""
    left, right = [], []
    for op in ops:
        left.extend(a[op.a0 : op.a1])
        right.extend(b[op.b0 : op.b1])
    return left, right


@lru_cache(maxsize=1 << 16)
def spelling(x: str, y: str) -> bool:
    """Two normal forms that differ only in spelling (favour/favor, organise/organize,
    Ezhov/Yezhov). Cached: the table and region comparisons ask about the same pairs again."""
    if x == y:
        return True
    if x.isdigit() or y.isdigit():
        return False
    short, long_ = sorted((x, y), key=len)
    if len(short) < 4 or 5 * (len(long_) - len(short)) > len(short) + len(long_):
        return False  # too short, or the lengths alone keep the ratio below 80
    if long_.endswith(short) and long_[: len(long_) - len(short)] in NEGATIONS:
        return False  # discriminate / indiscriminate: the meaning turns over
    return fuzz.ratio(x, y) >= 80


def spelled(xs, ys) -> dict[str, set[str]]:
    """Every pair of two different words, x of `xs` and y of `ys`, that `spelling` holds: x → its
    ys. The distances of all pairs in one call (rapidfuzz, in C); `spelling` decides only for the
    pairs whose distance lets their ratio reach 80 (the ratio is 100 × (1 − distance / the two
    lengths summed), so a distance over a fifth of that sum keeps it below)."""
    xs = sorted(x for x in xs if len(x) >= 4 and not x.isdigit())  # `spelling` is false of others
    ys = sorted(y for y in ys if len(y) >= 4 and not y.isdigit())
    out: dict[str, set[str]] = {}
    if not xs or not ys:
        return out
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    distance = process.cdist(xs, ys, scorer=Indel.distance, dtype=np.int32)
    total = np.add.outer(np.fromiter(map(len, xs), np.int32), np.fromiter(map(len, ys), np.int32))
    for i, j in zip(*np.nonzero(5 * distance <= total)):
        x, y = xs[i], ys[j]
        if x != y and spelling(x, y):
            out.setdefault(x, set()).add(y)
    return out


def variants(
    ops: list[Op], a: list[Token], b: list[Token], text_a: str, text_b: str
) -> list[Variant]:
    """Classify every difference: a = earlier witness (source), b = later (target)."""
    out: list[Variant] = []

    def words(toks: list[Token], text: str) -> str:
        return " ".join(text[t.start : t.end] for t in toks)

    for op in ops:
        ta, tb = a[op.a0 : op.a1], b[op.b0 : op.b1]
        if op.tag == "equal":
            for x, y in zip(ta, tb):
                rx, ry = text_a[x.start : x.end], text_b[y.start : y.end]
                if rx.strip(".,;:!?'\"`’‘“”()[]*") != ry.strip(".,;:!?'\"`’‘“”()[]*"):
                    out.append(Variant("accidental", rx, ry))
        elif op.tag == "delete":
            marked = any(t.gap_before for t in b[op.b0 : op.b0 + 1]) or (
                op.b0 > 0 and b[op.b0 - 1 : op.b0] and _gap_after(b, op.b0, text_b)
            )
            out.append(Variant("omission", words(ta, text_a), "", bool(marked)))
        elif op.tag == "insert":
            out.append(Variant("addition", "", words(tb, text_b)))
        else:  # replace
            joined = "".join(t.norm for t in ta) == "".join(t.norm for t in tb)
            same_value = len(ta) == len(tb) and all(
                value(text_a[x.start : x.end]) is not None
                and value(text_a[x.start : x.end]) == value(text_b[y.start : y.end])
                for x, y in zip(ta, tb)
            )
            if (
                joined
                or same_value
                or (len(ta) == len(tb) and all(spelling(x.norm, y.norm) for x, y in zip(ta, tb)))
            ):
                out.append(Variant("accidental", words(ta, text_a), words(tb, text_b)))
            else:
                out.append(Variant("substantive", words(ta, text_a), words(tb, text_b)))
    return out + _editorial(a, text_a, b, text_b)


SIC = re.compile(r"[(\[]\s*sic\s*[)\]]", re.IGNORECASE)


def _editorial(a: list[Token], text_a: str, b: list[Token], text_b: str) -> list[Variant]:
    """An editorial "(sic)" or "[sic]" one witness adds to the words of the other: an addition (or
    an omission), though the aligner does not see it as a word."""

    def count(toks: list[Token], text: str) -> int:
        return len(SIC.findall(text[toks[0].start : toks[-1].end + 8])) if toks else 0

    na, nb = count(a, text_a), count(b, text_b)
    return [Variant("addition", "", "(sic)")] * max(0, nb - na) + [
        Variant("omission", "(sic)", "")
    ] * max(0, na - nb)


FIGURE = re.compile(r"^[(\[]?(\d{1,3}(?:[,.]\d{3})+|\d+(?:\.\d+)?)%?[)\].,;:]*$")


def value(raw: str) -> float | None:
    """The value of a printed figure: "11" and "11.0" → 11; "1.408" and "1,408" (a thousands
    separator) → 1408; not a figure → None. Equal values printed otherwise are accidentals."""
    m = FIGURE.match(raw.strip("\"'“”‘’"))
    if not m:
        return None
    text = m.group(1)
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", text):
        text = re.sub(r"[,.]", "", text)
    return float(text)


def _gap_after(b: list[Token], index: int, text_b: str) -> bool:
    """An ellipsis printed right after the token before the omission ("party ....")."""
    prev = b[index - 1]
    tail = text_b[prev.end : b[index].start] if index < len(b) else text_b[prev.end : prev.end + 6]
    return bool(GAP.search(text_b[prev.start : prev.end]) or GAP.search(tail))


def similar(x: str, y: str) -> bool:
    return spelling(x, y)
