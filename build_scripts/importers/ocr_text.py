"""Text of the OCR importer: blocks of the transcription, slots of mixed content, corrections,
rendering.

A slot is one run of mixed content (a paragraph, a list item, a note) as plain text, with spans
that say which parts become elements: a correction (choice), an emphasis (hi), a note at its marker,
a bibl, a page break (the private-use characters PB and PB_NO stand for pb in the text). Spans nest
(a bibl holds a correction); the text outside every span stays the witness's text exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from build_scripts.importers.common import ImportResult, SourceText
from build_scripts.importers.ocr_data import PUNCT_KIND, OcrData
from build_scripts.problems import Problem
from build_scripts.tei.teixml import E

FIGURE_WITH_POINT = re.compile(
    r"\b\d{1,3}\.\d{3}\b"
)  # 1.408, 259.450: comma or point? left as printed


@dataclass
class Block:
    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(" ".join(s.split()) for s in self.lines)


def read_blocks(source: SourceText) -> list[Block]:
    blocks: list[Block] = []
    for number, line in enumerate(source.lines, start=1):
        if not line.strip():
            continue
        if blocks and blocks[-1].line + len(blocks[-1].lines) == number:
            blocks[-1].lines.append(line)
        else:
            blocks.append(Block(number, [line]))
    return blocks


PB, PB_NO = "\ue000", "\ue001"  # page break inside a rejoined paragraph; the same within a word
PAGE_BREAK = re.compile(f"[{PB}{PB_NO}]")


@dataclass
class Span:
    start: int
    end: int
    make: Callable[[], etree._Element]
    inner: tuple[int, int] | None = None  # the element wraps text[inner] (with the spans inside it)


@dataclass
class Slot:
    text: str
    starts: list[tuple[int, int]]  # (offset, line of the transcription) of each joined block
    page: int  # page index at offset 0
    spans: list[Span] = field(default_factory=list)
    joins: list[tuple[int, int, str]] = field(
        default_factory=list
    )  # (line, line joined, PB/PB_NO/"")

    def line_at(self, offset: int) -> int:
        return max(line for start, line in self.starts if start <= offset)

    def page_at(self, offset: int) -> int:
        return self.page + sum(self.text[:offset].count(c) for c in (PB, PB_NO))

    def join(self, block: Block, page_break: bool) -> None:
        text, last_line = block.text, self.starts[-1][1]
        if page_break and re.search(r"[^\W\d_]-$", self.text) and text[:1].islower():
            self.text = self.text[:-1] + PB_NO
            self.joins.append((last_line, block.line, PB_NO))
        elif page_break:
            self.text = self.text.rstrip() + PB + " "
            self.joins.append((last_line, block.line, PB))
        else:
            self.text = self.text.rstrip() + " "
            self.joins.append((last_line, block.line, ""))
        self.starts.append((len(self.text), block.line))
        self.text += text


def new_slot(block: Block, page: int, text: str | None = None) -> Slot:
    return Slot(block.text if text is None else text, [(0, block.line)], page)


def choice(sic: str, corr: str) -> Callable[[], etree._Element]:
    return lambda: E.choice(E.sic(sic), E.corr(corr))


def apply_fixes(source: SourceText, slots: list[Slot], result: ImportResult, data: OcrData) -> None:
    """Mark each certain OCR misreading of the tables as choice/sic/corr; list the kinds for the
    header."""
    counts: dict[str, list[str]] = {}
    for fix in data.word_fixes:
        wrong, right, kind, before = fix.wrong, fix.right, fix.kind, fix.before
        pattern = re.compile(
            rf"(?<={re.escape(before)})\b{re.escape(wrong)}\b"
            if before
            else rf"\b{re.escape(wrong)}\b"
        )
        hits = [(slot, m) for slot in slots for m in pattern.finditer(slot.text)]
        if not hits:
            result.problems.append(
                data.tables.warning(
                    fix.entry,
                    f"the OCR correction {wrong!r} → {right!r} matches nowhere",
                    "Remove it from word_fixes",
                    "import.ocr-correction",
                )
            )
        for slot, m in hits:
            slot.spans.append(Span(m.start(), m.end(), choice(wrong, right)))
            counts.setdefault(kind, []).append(f"{wrong} → {right}")
    for fix in data.punct_fixes:
        before, wrong, right, after = fix.before, fix.wrong, fix.right, fix.after
        hits = [
            (slot, m)
            for slot in slots
            for m in re.finditer(re.escape(before + wrong + after), slot.text)
        ]
        if len(hits) != 1:
            result.problems.append(
                data.tables.warning(
                    fix.entry,
                    f"the OCR correction {before + wrong + after!r} "
                    f"matches {len(hits)} places, not one",
                    "Make the context of the correction unique",
                    "import.ocr-correction",
                )
            )
            continue
        slot, m = hits[0]
        start = m.start() + len(before)
        slot.spans.append(Span(start, start + len(wrong), choice(wrong, right)))
        counts.setdefault(PUNCT_KIND[(wrong, right)], []).append(f"“{before}{wrong}{after}”")
    for kind, items in counts.items():
        shown = sorted(set(items), key=items.index)
        result.corrections.append(
            f"OCR error corrected ({kind}), {len(items)} place(s): {'; '.join(shown)}."
        )


def italics(slots: list[Slot]) -> None:
    for slot in slots:
        for m in re.finditer(r"\*([^*]+)\*", slot.text):
            slot.spans.append(
                Span(m.start(), m.end(), lambda: E.hi(rend="italic"), (m.start(1), m.end(1)))
            )


def warn_doubtful(
    source: SourceText, slots: list[Slot], result: ImportResult, data: OcrData
) -> None:
    for slot in slots:
        for word, why in data.doubtful.items():
            for m in re.finditer(rf"\b{word}\b", slot.text):
                result.problems.append(
                    Problem(
                        source.at(slot.line_at(m.start())),
                        f'"{word}" may be an OCR error ({why}); left as printed',
                        "Check the printed page; correct with choice/sic/corr only if certain",
                        "import.ocr-doubtful",
                        "warning",
                    )
                )
        for m in FIGURE_WITH_POINT.finditer(slot.text):
            result.problems.append(
                Problem(
                    source.at(slot.line_at(m.start())),
                    f'the figure "{m.group()}" has a point where the text '
                    "elsewhere prints a thousands comma (a comma the OCR read "
                    "as a full stop; see the witness's editorialDecl/correction)",
                    "The curated TEI encodes it as choice/sic/corr; `edition "
                    "suspects` lists any left ([suspects.digit-separator])",
                    "import.ocr-figure",
                    "warning",
                )
            )


def record_joins(slots: list[Slot], result: ImportResult) -> None:
    """Say in the header where paragraphs were rejoined without a page break, and which words."""
    plain = [f"{a}/{b}" for slot in slots for a, b, kind in slot.joins if not kind]
    if plain:
        result.normalisation.append(
            f"Rejoined without a page break (lines of the transcription): {', '.join(plain)}."
        )
    for slot in slots:
        for a, b, kind in slot.joins:
            if kind == PB_NO:
                at = slot.text.index(PB_NO)
                before = re.search(r"\w+$", slot.text[:at]).group()
                after = re.match(r"\w+", slot.text[at + 1 :]).group()
                result.hyphenation.append(
                    f'"{before}-" / "{after}" (lines {a}/{b}) is one word hyphenated '
                    f"across a page foot: rejoined as {before}{after}, the hyphen not kept."
                )


def fill(
    parent: etree._Element, slot: Slot, lo: int, hi: int, spans: list[Span], outer: Span | None
) -> None:
    """Append text[lo:hi] to parent, replacing each span inside it by its element (spans nest)."""
    text = slot.text
    if outer is None:  # the page-break characters become pb, once, at the top level
        spans = spans + [
            Span(m.start(), m.end(), _pb_maker(m.group()))
            for m in PAGE_BREAK.finditer(text, lo, hi)
        ]
    last, cursor = None, lo
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.inner is None)):
        if span is outer or span.start < cursor or span.end > hi or span.start < lo:
            continue
        last = _text(parent, last, text[cursor : span.start])
        el = span.make()
        if span.inner:
            fill(el, slot, span.inner[0], span.inner[1], spans, span)
        parent.append(el)
        last, cursor = el, span.end
    _text(parent, last, text[cursor:hi])


def _pb_maker(char: str) -> Callable[[], etree._Element]:
    return (lambda: E.pb(**{"break": "no"})) if char == PB_NO else (lambda: E.pb())


def _text(parent: etree._Element, last: etree._Element | None, text: str) -> etree._Element | None:
    if text:
        if last is None:
            parent.text = (parent.text or "") + text
        else:
            last.tail = (last.tail or "") + text
    return last


def mixed(tag: str, slot: Slot, **attrs) -> etree._Element:
    el = E(tag, **attrs)
    fill(el, slot, 0, len(slot.text), slot.spans, None)
    return el
