"""Words of a transcription and of its TEI, and the fidelity walk that compares them.

The fidelity rule of the edition: every word of a transcription reaches the TEI, in reading order,
except the interventions the TEI header records (removed page furniture). Words are runs of letters
or runs of digits after Unicode NFKC (so a superscript ² is the digit 2); punctuation and spacing
are not words. Markup syntax of the transcription (HTML tags, Markdown emphasis, link targets) is
not text. In the TEI, the text of sic/orig is read (not corr/reg), a note marker reads as the note's
@n (or, where the header records that the transcription misread it, as the record's sic, provided
its corr is the @n: a marker changed without the record, or unlike it, reads as changed), and a
pb/lb with break="no" separates the two halves of a rejoined word, as the transcription did. A
word continues across inline markup (`<hi>ispolkom</hi>s`, the transcription's `*ispolkom*s`):
one word, as printed and as the site and the PDFs show it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

from build_scripts.tei.teixml import NS, XML_ID, local, marker_corrections

WORD = re.compile(r"[^\W\d_]+|\d+")


@dataclass(frozen=True)
class Word:
    text: str
    line: int  # line in the transcription, or in the TEI file


SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def tokens(text: str, line: int = 0) -> list[Word]:
    # a superscript marker is a word of its own, also after a digit ("1935⁷⁷" is 1935 and 77),
    # as the TEI reads a note marker
    text = unicodedata.normalize("NFKC", SUPERSCRIPT_RUN.sub(r" \g<0> ", text))
    return [Word(m.group(), line) for m in WORD.finditer(text)]


# --- the transcription -----------------------------------------------------------------------
AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
TAG = re.compile(r"</?[A-Za-z][^>]*>")
INNER_EMPHASIS = re.compile(r"(?<=[^\W_])\*+(?=[^\W_])")  # between two letters or digits
MD_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()]*\))*\)")


def strip_markup(line: str) -> str:
    """Markup syntax of a transcription line that is not text: HTML tags, link targets, and the
    Markdown emphasis marks inside a word (`*ispolkom*s` is the one word ispolkoms)."""
    line = INNER_EMPHASIS.sub("", line)
    line = AUTOLINK.sub(r"\1", line)
    line = TAG.sub(" ", line)
    line = MD_LINK_TARGET.sub("] ", line)
    return html.unescape(line)


def source_words(text: str, skip_lines: set[int] = frozenset()) -> list[Word]:
    words: list[Word] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if number not in skip_lines:
            words.extend(tokens(strip_markup(line), number))
    return words


# --- the TEI -------------------------------------------------------------------------------------
SKIP = {"teiHeader", "corr", "reg", "expan", "supplied", "fw", "figDesc"}
# Phrase-level elements that can stand inside a word; any other element (a note, a break, a block)
# ends the word before it
INLINE = {
    "hi", "choice", "sic", "corr", "orig", "reg", "abbr", "expan", "foreign", "emph", "term",
    "title", "name", "persName", "placeName", "orgName", "rs", "num", "date", "unclear", "add",
    "del", "seg", "mentioned", "soCalled", "gloss", "q", "supplied",
}  # fmt: skip
GLUE = "\x01"  # between two words that are one (their text nodes touch)
WORD_EDGE = re.compile(r"[^\W_⁰¹²³⁴⁵⁶⁷⁸⁹]")  # a letter or digit at the edge of a text node


@dataclass
class NoteWords:
    element: etree._Element
    words: list[Word]


@dataclass
class Reading:
    main: list[Word]
    notes: list[NoteWords]


def _marker(note: etree._Element, misread: dict | None = None) -> str | None:
    """The marker printed in the running text for this note (None when none is printed); with
    `misread` (teixml.marker_corrections), the transcription's reading of a corrected marker."""
    if note.get("type") in ("unmarked",) or note.get("n") is None:
        return None
    record = (misread or {}).get(note.get(XML_ID))
    if record is not None and record.corr == note.get("n"):
        return record.sic
    return note.get("n")


def _note_number(note: etree._Element) -> str | None:
    label = note.find("tei:label[@type='note-number']", NS)
    if label is not None:
        return None  # the label's own text is read in document order
    return note.get("n")


def tei_reading(root: etree._Element, edited: bool = False) -> Reading:
    """The TEI's words: running text (notes replaced by their markers) and the notes in order.

    By default the transcription's readings (sic, orig); with edited=True the edition's (corr, reg),
    as the site and the PDFs print them.
    """
    reading = Reading([], [])
    # a misread marker reads as the transcription's reading (sic), unless the edited text is asked
    misread = {} if edited else marker_corrections(root)
    skip = (SKIP - {"corr", "reg", "expan"}) | {"sic", "orig", "abbr"} if edited else SKIP
    open_word: dict[int, bool] = {}  # id(out) → its last text ended inside a word

    def chunk_words(chunk: str, line: int, out: list[Word]) -> None:
        """A text node's words; its first word continues the last one when nothing but inline
        markup stands between them (`<hi>ispolkom</hi>s` is one word, as printed)."""
        if open_word.get(id(out)) and WORD_EDGE.match(chunk):
            out.append(Word(GLUE, line))
        out.extend(tokens(chunk, line))
        open_word[id(out)] = bool(WORD_EDGE.match(chunk[-1:]))

    def walk(el: etree._Element, out: list[Word]) -> None:
        name = local(el)
        if name not in INLINE:
            open_word[id(out)] = False  # a note, a break, a block: the word ends here
        if name == "note" and el.get("resp") is not None:
            pass  # an editorial note (with @resp) holds no words of the witness
        elif name == "note":
            marker = _marker(el, misread)
            if marker is not None:
                out.extend(tokens(f" {marker} ", el.sourceline or 0))
            words: list[Word] = []
            number = _note_number(el)
            if number:
                words.extend(tokens(number, el.sourceline or 0))
            reading.notes.append(NoteWords(el, words))
            inner(el, words)
        elif (
            name in skip and not (edited and name == "sic" and local(el.getparent()) != "choice")
        ) or not isinstance(el.tag, str):
            pass
        elif name in ("pb", "lb", "cb") and el.get("break") == "no":
            out.append(Word("\x00", el.sourceline or 0))  # a word boundary that the source had
        else:
            inner(el, out)
        if name not in INLINE:
            open_word[id(out)] = False
        if el.tail:
            chunk_words(el.tail, el.sourceline or 0, out)

    def inner(el: etree._Element, out: list[Word]) -> None:
        if el.text:
            chunk_words(el.text, el.sourceline or 0, out)
        for child in el:
            walk(child, out)

    text = root.find("tei:text", NS)
    if text is not None:
        inner(text, reading.main)
    reading.main = _join(reading.main)
    for note in reading.notes:
        note.words = _join(note.words)
    return reading


def _join(words: list[Word]) -> list[Word]:
    """Drop break markers: the halves on either side stay separate words, as in the source; a word
    continued across inline markup is one word."""
    out: list[Word] = []
    glue = False
    for w in words:
        if w.text == "\x00":
            glue = False
        elif w.text == GLUE:
            glue = bool(out)
        elif glue:
            out[-1] = Word(out[-1].text + w.text, out[-1].line)
            glue = False
        else:
            out.append(w)
    return out


# --- the walk ------------------------------------------------------------------------------------
@dataclass
class Difference:
    source_line: int
    tei_line: int
    expected: list[str]
    found: list[str]
    message: str

    def __str__(self) -> str:
        return (
            f"{self.message}: transcription line "
            f"{self.source_line} reads {' '.join(self.expected)!r}, "
            f"TEI line {self.tei_line} reads {' '.join(self.found)!r}"
        )


def compare(source: list[Word], reading: Reading, window: int = 4) -> Difference | None:
    """Walk the transcription word by word; running text must follow in order, and each note's
    words must appear whole, somewhere in the transcription, in note order (a few notes of
    look-ahead allow for a footnote printed before an earlier note's page foot)."""
    main, pending = reading.main, list(reading.notes)
    i = j = 0
    n = len(source)

    table_notes = [note for note in pending if note.element.get("type") == "table" and note.words]

    def note_here(k: int) -> int | None:
        for index, note in enumerate(pending[:window]):
            size = len(note.words)
            if size and [w.text for w in source[k : k + size]] == [w.text for w in note.words]:
                return index
        # a table's notes are printed under the table, ahead of endnotes still pending before them
        for note in table_notes:
            if source[k].text == note.words[0].text and [
                w.text for w in source[k : k + len(note.words)]
            ] == [w.text for w in note.words]:
                index = next((index for index, p in enumerate(pending) if p is note), None)
                if index is not None:
                    return index
        return None

    while i < n:
        if j < len(main) and source[i].text == main[j].text:
            # prefer a whole note over a coincidental one-word match of the running text
            index = note_here(i)
            if index is not None and [w.text for w in source[i : i + 3]] != [
                w.text for w in main[j : j + 3]
            ]:
                i += len(pending.pop(index).words)
                continue
            i += 1
            j += 1
            continue
        index = note_here(i)
        if index is not None:
            i += len(pending.pop(index).words)
            continue
        tei_line = (
            main[j].line
            if j < len(main)
            else (pending[0].words[0].line if pending and pending[0].words else 0)
        )
        return Difference(
            source[i].line,
            tei_line,
            [w.text for w in source[i : i + 8]],
            [w.text for w in main[j : j + 8]],
            "first difference",
        )
    if j < len(main):
        return Difference(
            source[-1].line if source else 0,
            main[j].line,
            [],
            [w.text for w in main[j : j + 8]],
            "the TEI has words the transcription lacks",
        )
    if pending:
        note = pending[0]
        return Difference(
            0,
            note.element.sourceline or 0,
            [],
            [w.text for w in note.words[:8]],
            "a note of the TEI was not found in the transcription",
        )
    return None
