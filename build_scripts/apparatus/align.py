"""Token streams → word alignment and variant classes. The aligner (rapidfuzz) stays behind this
module."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from dataclasses import dataclass
from typing import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from build_scripts.apparatus.model import Token, Variant

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
    """Empty the word caches (`normal`, `_word`): between two stages of a large run, what one
    stage met need not stay in memory through the next."""
    normal.cache_clear()
    _word.cache_clear()
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


def tokens(text: str) -> list[Token]:
    """Word tokens of a passage with their character spans; punctuation-only runs mark gaps."""
    out: list[Token] = []
    gap = False
    pos = 0
    for match in list(SEPARATOR.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        if end > pos:
            norm, bracketed, gap_start, gap_inside = _word(text[pos:end])
            if norm and not bracketed:
                out.append(Token(pos, end, norm, gap or gap_start))
                gap = gap_inside
            elif not norm:
                gap = gap or gap_inside
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
    if any(long_ == prefix + short for prefix in NEGATIONS):
        return False  # discriminate / indiscriminate: the meaning turns over
    return len(short) >= 4 and fuzz.ratio(x, y) >= 80


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
