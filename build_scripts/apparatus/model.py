"""The apparatus model: passages of the witnesses, tokens, readings and loci (frozen data, no
I/O)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import NamedTuple

# Locus types of tei/apparatus.xml (app/@type).
# shared-citation: two witnesses cite the same work (bibliographic matter shared, not text reused).
TYPES = ("quotation", "reuse", "claim", "citation", "shared-citation")
# Relations of a reuse or quotation entry (app/@subtype): how the later witness takes the words.
RELATIONS = (
    "quotation",
    "paraphrase",
    "summary",
    "common-source",
    "other-translation",
    "intermediary",
)
# Editors' decisions (app/@ana): machine entries start unreviewed.
DECISIONS = ("unreviewed", "confirmed", "rejected")
# Citation verdicts (app/@ana on type="citation").
VERDICTS = ("exact", "altered", "omission", "wrong-page", "not-found", "paraphrase")
# Variant classes of an aligned pair (relative to the earlier witness).
VARIANTS = ("substantive", "accidental", "omission", "addition")


@dataclass(frozen=True)
class Passage:
    """One block of a witness (p, note, quote, table) with the text the apparatus reads.

    `text` is whitespace-collapsed; notes inside the block are passages of their own and are
    left out; in choice the `corr` is read (a sic alone, the witness's own slip, as printed);
    every block boundary (a paragraph inside a quotation) is a space. Offsets of pointers are
    offsets into `text`.
    """

    siglum: str
    id: str
    file: str  # TEI file name, e.g. getty.xml
    kind: str  # p, note, quote, table
    text: str
    line: int = 0
    page: str | None = None  # page current at the start of the passage
    breaks: tuple[tuple[int, str], ...] = ()  # (offset, page n) of page breaks inside
    spans: tuple[tuple[str, int, int], ...] = ()  # ids nested inside: (id, start, end)
    cites: frozenset[str] = frozenset()  # sigla this passage (or its citation) names
    bibls: tuple[
        tuple[int, int], ...
    ] = ()  # (start, end) of the text inside bibl or title elements
    titles: tuple[
        tuple[int, int], ...
    ] = ()  # (start, end) of the text inside title or italics (printed titles)
    works: tuple[
        tuple[str, int, int], ...
    ] = ()  # (bib key, start, end) of each bibl/@corresp="bib:key"
    notes: tuple[tuple[str, int], ...] = ()  # the witness's notes anchored inside: (id, offset)

    def work_at(self, start: int, end: int) -> str | None:
        """The bibliography key of the reference that holds text[start:end] (mostly), if marked."""
        for key, a, b in self.works:
            if max(0, min(end, b) - max(start, a)) >= 0.5 * max(1, end - start):
                return key
        return None

    def share(self, ranges: tuple[tuple[int, int], ...], start: int, end: int) -> float:
        """The share of text[start:end] that lies inside `ranges` (self.bibls or self.titles)."""
        inside = sum(max(0, min(end, b) - max(start, a)) for a, b in ranges)
        return inside / max(1, end - start)

    def page_at(self, offset: int) -> str | None:
        index = bisect.bisect_right([o for o, _ in self.breaks], offset)
        return self.breaks[index - 1][1] if index else self.page

    def pages(self) -> list[str]:
        return [p for p in [self.page, *(n for _, n in self.breaks)] if p]


class Token(NamedTuple):
    """A word of a passage. A named tuple, not a dataclass: a corpus has millions of them."""

    start: int  # character span in Passage.text
    end: int
    norm: str  # lower-case letters and digits only
    gap_before: bool = False  # an ellipsis or editorial omission mark stands before it


@dataclass(frozen=True)
class Variant:
    kind: str  # one of VARIANTS
    source: str  # words of the earlier witness ('' for an addition)
    target: str  # words of the later witness ('' for an omission)
    marked: bool = False  # an omission the later witness marks (ellipsis)


@dataclass(frozen=True)
class Reading:
    siglum: str
    file: str
    passage: str  # xml:id of the passage
    text: str  # the words exactly as in the passage
    start: int | None = None  # offsets into Passage.text; None: curated reading found by text
    end: int | None = None
    role: str = ""  # source | target (reuse), citing | cited (citation)


@dataclass(frozen=True)
class Locus:
    id: str
    type: str  # one of TYPES
    readings: tuple[Reading, ...]
    resp: str = "#detector"
    score: float | None = None
    decision: str = "unreviewed"
    verdict: str | None = None
    question: str = ""
    notes: tuple[str, ...] = ()  # editorial notes, plain text
    line: int = 0  # line in tei/apparatus.xml
    extra: dict = field(default_factory=dict, hash=False, compare=False)
    findings: tuple[
        str, ...
        # the detector's notes (where the words were found, cell differences); rewritten by each run
    ] = ()
    relation: str = ""  # one of RELATIONS (app/@subtype), for quotation and reuse entries

    @property
    def sigla(self) -> tuple[str, ...]:
        return tuple(r.siglum for r in self.readings)
