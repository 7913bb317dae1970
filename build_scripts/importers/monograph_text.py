"""Monograph style, inline level: blocks of lines, emphasis, note markers, page-break joins.

The transcription writes one paragraph (or one page's piece of a paragraph) per line, blocks
separated by blank lines; emphasis as `*…*` (and `<i>…</i>` in the contents and tables); note
markers as superscript digits; table-note markers as `^a`. A page break shows only where it
splits a sentence ("…and their" / "observations…") or a word ("possi-" / "bly").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from build_scripts.importers.common import superscript_to_digits
from build_scripts.tei.teixml import E


@dataclass
class Block:
    """Consecutive non-blank lines of the transcription."""

    line: int  # 1-based number of its first line
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def single(self) -> bool:
        return len(self.lines) == 1


def blocks(lines: list[str], start: int = 1, end: int | None = None) -> list[Block]:
    """Blocks of lines start..end (1-based, inclusive); whitespace-only lines are blank."""
    out: list[Block] = []
    end = end or len(lines)
    current: Block | None = None
    for number in range(start, end + 1):
        line = lines[number - 1]
        if not line.strip():
            current = None
            continue
        if current is None:
            current = Block(number, [])
            out.append(current)
        current.lines.append(line.rstrip(" \r"))
    return out


# --- inline markup --------------------------------------------------------------------------
INLINE = re.compile(
    r"<i>(?P<html>.+?)</i>"
    r"|(?<![\w*])\*(?P<star>[^*\s](?:[^*]*?[^*\s])?)\*(?![\w*])"
    r"|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
    r"|\^(?P<tsup>[a-z])\b"
    r"|(?P<nl>\n)",
    re.S,
)


@dataclass
class Marker:
    """A note marker met in the running text; the note is filled in later."""

    printed: int
    element: etree._Element  # a <note> placeholder at the marker
    line: int


@dataclass
class Inline:
    """Collects what inline rendering finds that later stages need."""

    markers: list[Marker] = field(default_factory=list)
    with_notes: bool = True  # False where superscripts are not note markers


def add_text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def render(parent: etree._Element, text: str, line: int, ctx: Inline) -> None:
    """Append `text` to `parent` as TEI: hi for emphasis, note placeholders at markers, lb."""
    pos = 0
    for m in INLINE.finditer(text):
        add_text(parent, text[pos : m.start()])
        pos = m.end()
        if m.group("html") is not None or m.group("star") is not None:
            hi = E.hi(rend="italic")
            render(
                hi, m.group("html") if m.group("html") is not None else m.group("star"), line, ctx
            )
            parent.append(hi)
        elif m.group("sup") is not None:
            if ctx.with_notes:
                note = E.note()
                parent.append(note)
                ctx.markers.append(Marker(int(superscript_to_digits(m.group("sup"))), note, line))
            else:
                parent.append(E.hi(superscript_to_digits(m.group("sup")), rend="superscript"))
        elif m.group("tsup") is not None:
            parent.append(E.hi(m.group("tsup"), rend="superscript"))
        else:
            parent.append(E.lb())
    add_text(parent, text[pos:])


# --- page-break joins -----------------------------------------------------------------------
TRAILING = re.compile(r"[\s⁰¹²³⁴⁵⁶⁷⁸⁹]+$")
CLOSERS = "”\"’')]*"
TERMINAL = ".?!:"
HYPHENATED = re.compile(r"([^\W\d_][\w'’-]*)-$")


def bare_end(text: str) -> str:
    return TRAILING.sub("", text)


def ends_sentence(text: str) -> bool:
    end = bare_end(text).rstrip(CLOSERS)
    return bool(end) and end[-1] in TERMINAL


def starts_lower(text: str) -> bool:
    first = next((c for c in text if c.isalpha() or c.isdigit()), "")
    return first.islower()


def hyphen_split(before: str, after: str) -> bool:
    """`before` ends with a word broken by a hyphen and `after` carries on with its end."""
    return bool(HYPHENATED.search(before.rstrip())) and bool(re.match(r"[a-z]", after))


SPEECH = re.compile(
    r"\b(said|says|told|wrote|writes|observed|noted|declared|warned|asked|"
    r"stated|remarked|replied|explained|complained|announced|added)\b"
)


def introduces_quotation(before: str, after: str) -> bool:
    """`… Stalin said,` followed by a capitalised block: a block quotation, not a page break."""
    end = bare_end(before).rstrip()
    clause = re.split(r"[.?!;:]", end)[-1]
    return end.endswith(",") and not starts_lower(after) and bool(SPEECH.search(clause))


# capitalised words that cannot carry on a sentence after "… warned that": the block after is a
# quotation set off from the text (a proper name after "that" can, so it stays a page break)
SENTENCE_OPENERS = frozenset(
    "a all an as at but for if in it its no on our the their there these they this we you".split()
)


def quotation_after_that(before: str, after: str) -> bool:
    """`… the Committee warned that` followed by `The City Committee …`: a block quotation."""
    end = bare_end(before).rstrip()
    word = re.match(r"[“\"‘']?([^\W\d_]+)", after)
    return (
        bool(re.search(rf"{SPEECH.pattern} that$", end))
        and word is not None
        and word.group(1)[0].isupper()
        and word.group(1).lower() in SENTENCE_OPENERS
    )


def continues(before: str, after: str) -> bool:
    """Does the block `after` carry on the sentence that `before` leaves open (a page break)?"""
    if introduces_quotation(before, after) or quotation_after_that(before, after):
        return False
    return hyphen_split(before, after) or starts_lower(after) or not ends_sentence(before)


class Hyphenation:
    """Decides whether a hyphen at a page break is the printer's (dropped) or the word's (kept)."""

    def __init__(self, text: str):
        self.words = {w.lower() for w in re.findall(r"[\w'’-]+", text)}

    def keep(self, before: str, after: str) -> bool:
        head = HYPHENATED.search(before.rstrip()).group(1)
        tail = re.match(r"[\w'’-]+", after).group()
        if "-" in head:
            return True  # rank-and- / file: a compound already
        joined, hyphened = (head + tail).lower(), f"{head}-{tail}".lower()
        return hyphened in self.words and joined not in self.words
