"""Monograph style: the blocks of one division (chapter, appendix…) → a stream of units.

Units are plain data (heads, paragraphs with their page breaks, tables, epigraphs, lists);
monograph_pages numbers the breaks and monograph renders the units as TEI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from build_scripts.importers.monograph_text import (
    Block,
    Hyphenation,
    bare_end,
    continues,
    ends_sentence,
    hyphen_split,
    quotation_after_that,
    starts_lower,
)


@dataclass
class Seg:
    line: int
    text: str


@dataclass
class Break:
    """A page break: visible (it splits a sentence or a word) or inferred between units."""

    line: int
    kind: str  # "sentence", "hyphen" (hyphen dropped), "compound" (hyphen kept), "boundary"
    n: str | None = None
    cert: str | None = None
    given: bool = False  # the number is given by the contents list (chapter start)
    optional: bool = False  # the sentence is split by a table: the page may or may not turn there


@dataclass
class Table:
    line: int
    head: Seg | None
    rows: list[Seg]
    notes: list[tuple[Seg, str | None]]  # (line, printed label or None)
    number: str | None = None  # "2.1" from the head
    page: int | None = None  # from the list of tables


@dataclass
class Para:
    parts: list[Seg | Break | Table]
    kind: str = "p"  # "p", "lines" (kept line by line), "list" (numbered items)
    quote: int | None = (
        None  # block quotation it belongs to (monograph_quotes), numbered per division
    )
    new: bool = False  # split off by a rule added after the TEI was curated: gets the next free id

    @property
    def segs(self) -> list[Seg]:
        return [p for p in self.parts if isinstance(p, Seg)]


@dataclass
class Head:
    line: int
    text: str
    label: str | None = None  # printed chapter number on its own line


@dataclass
class Epigraph:
    quote: Seg
    bibl: Seg


@dataclass
class Division:
    ident: str
    type: str
    heads: list[Head]
    units: list = field(default_factory=list)  # Para, Table, Head (a section), Epigraph, Break
    start_page: int | None = None
    end_page: int | None = None  # last page (the next division's start page - 1)


TABLE_HEAD = re.compile(r"^Table ([0-9A-Z]+\.\d+)\.\s")
TABLE_NOTE = re.compile(r"^(?:\^(?P<label>[a-z])\s|(?P<star>\*)(?=\w)|(?=Sources?:))")
NUMBERED = re.compile(r"^\d+\.\s")


def is_table_rows(block: Block) -> bool:
    return all("\t" in line for line in block.lines)


def is_table_note(block: Block) -> bool:
    return all(TABLE_NOTE.match(line) for line in block.lines)


def is_bibl(block: Block) -> bool:
    """The attribution line(s) of an epigraph: short, no final full stop."""
    return (
        all(len(line) < 80 for line in block.lines)
        and not block.lines[-1].rstrip().endswith(".")
        and "\t" not in block.text
    )


OPEN_WORDS = frozenset(
    "a an and as at be by for from in into of on or that the to which with".split()
)


def is_section_head(block: Block, previous_open: bool, following: Block | None) -> bool:
    """A single short line between complete paragraphs, not ending as an open sentence does."""
    text = bare_end(block.text.strip())
    return (
        block.single
        and len(text) < 100
        and "\t" not in text
        and not TABLE_HEAD.match(text)
        and not previous_open
        and text[-1] not in ".,;:-–"
        and (text[0].isupper() or text[0] in '*“"')
        and text.split()[-1] not in OPEN_WORDS
        and following is not None
        and not starts_lower(following.text)
        and not TABLE_HEAD.match(following.text)
        and not is_table_rows(following)
    )


class DivisionParser:
    """Turns the blocks after a division's head into units, rejoining page-split paragraphs."""

    def __init__(self, hyphenation: Hyphenation, quote_openings: tuple[str, ...] = ()):
        self.hyphenation = hyphenation
        self.quote_openings = quote_openings  # block quotations that start a paragraph of their own
        self.warnings: list[tuple[int, str, str]] = []  # (line, message, hint)

    def epigraphs(self, items: list[Block]) -> tuple[list[Epigraph], int]:
        found, i = [], 0
        # the first epigraph may be long; a further one is short (else it is the first paragraph
        # and a section head)
        while (
            i + 1 < len(items)
            and is_bibl(items[i + 1])
            and not is_table_rows(items[i])
            and len(items[i].text) < (800 if i == 0 else 300)
        ):
            quote, bibl = items[i], items[i + 1]
            found.append(Epigraph(Seg(quote.line, quote.text), Seg(bibl.line, bibl.text)))
            i += 2
        return found, i

    def units(self, items: list[Block]) -> list:
        units: list = []
        i = 0
        while i < len(items):
            block = items[i]
            following = items[i + 1] if i + 1 < len(items) else None
            open_para = self._open_para(units)
            if TABLE_HEAD.match(block.lines[0]) or is_table_rows(block):
                table, i = self._table(items, i)
                after = items[i] if i < len(items) else None
                if open_para is not None and after is not None and self._joins(open_para, after):
                    open_para.parts.append(table)
                else:
                    units.append(table)
                continue
            quote = block.text.startswith(self.quote_openings) if self.quote_openings else False
            if (
                open_para is not None
                and block.single
                and self._joins(open_para, block)
                and not quote
            ):
                self._join(open_para, block)
            elif is_section_head(
                block,
                open_para is not None and not ends_sentence(open_para.segs[-1].text),
                following,
            ):
                units.append(Head(block.line, block.text.strip()))
            elif not block.single and all(NUMBERED.match(line) for line in block.lines):
                units.append(
                    Para(
                        [Seg(block.line + k, line) for k, line in enumerate(block.lines)],
                        kind="list",
                    )
                )
            elif not block.single:
                units.append(Para([Seg(block.line, block.text)], kind="lines"))
            else:
                # before the "… warned that" rule the quotation was joined to the paragraph above
                new = open_para is not None and (
                    quotation_after_that(open_para.segs[-1].text, block.text)
                    or (quote and self._joins(open_para, block))
                )
                units.append(Para([Seg(block.line, block.text)], new=new))
            i += 1
        return units

    @staticmethod
    def _open_para(units: list) -> Para | None:
        last = units[-1] if units else None
        return last if isinstance(last, Para) and last.kind == "p" else None

    @staticmethod
    def _joins(para: Para, block: Block) -> bool:
        return (
            block.single and not is_table_rows(block) and continues(para.segs[-1].text, block.text)
        )

    def _join(self, para: Para, block: Block) -> None:
        before = para.segs[-1].text
        if hyphen_split(before, block.text):
            kind = "compound" if self.hyphenation.keep(before, block.text) else "hyphen"
        else:
            kind = "sentence"
        # a table printed inside a sentence may stand mid-page: the page need not turn at it
        optional = kind == "sentence" and isinstance(para.parts[-1], Table)
        para.parts.append(Break(block.line, kind, optional=optional))
        para.parts.append(Seg(block.line, block.text))

    def _table(self, items: list[Block], i: int) -> tuple[Table, int]:
        head = None
        first = items[i]
        if TABLE_HEAD.match(first.lines[0]):
            head = Seg(first.line, " ".join(line.strip() for line in first.lines))
            i += 1
        rows: list[Seg] = []
        if i < len(items) and is_table_rows(items[i]):
            rows = [Seg(items[i].line + k, line) for k, line in enumerate(items[i].lines)]
            i += 1
        else:
            self.warnings.append(
                (
                    first.line,
                    "a table head is not followed by tab-separated rows",
                    "Check the table in the transcription; its head is kept as printed",
                )
            )
        notes: list[tuple[Seg, str | None]] = []
        while i < len(items) and is_table_note(items[i]):
            for k, line in enumerate(items[i].lines):
                m = TABLE_NOTE.match(line)
                label = m.group("label") or m.group("star")
                notes.append((Seg(items[i].line + k, line[m.end() :]), label))
            i += 1
        number = TABLE_HEAD.match(head.text).group(1) if head else None
        return Table(first.line, head, rows, notes, number), i
