"""Monograph style: block quotations (paragraphs quoted from a source and set off from the text).

The transcription does not mark them: a block quotation is a paragraph of its own, without
quotation marks, in the voice of the source (Stalin's "comrades", a resolution's "the Conference
notes"), usually after an introduction ending "said:", "said," or "warned that". The editors read
the transcription and list each one in the witness's tables (block_quotes in
sources/import/<siglum>.yml) by its opening words and the number of paragraphs it runs to; the
importer wraps them in <quote>. A paragraph that an introduction leads into but that
is not listed is reported, so that a new block quotation is not missed silently.
"""

from __future__ import annotations

from build_scripts.importers.monograph_parse import Break, Division, Para
from build_scripts.importers.monograph_text import (
    bare_end,
    introduces_quotation,
    quotation_after_that,
)
from build_scripts.importers.tables import Tables

BlockQuote = tuple[str, int, str]  # (opening words of the first paragraph, paragraphs, evidence)


def read(tables: Tables) -> list[BlockQuote]:
    """The table block_quotes of a witness, in the order of the book."""
    out = []
    for e in tables.entries("block_quotes", ("opening", "paragraphs"), ("evidence",)):
        if not isinstance(e["paragraphs"], int) or e["paragraphs"] < 1:
            raise tables.fail(
                e, f"`paragraphs` must be a number, not {e['paragraphs']!r}", "Write paragraphs: 1"
            )
        out.append((str(e["opening"]), e["paragraphs"], str(e.get("evidence", ""))))
    return out


def mark(
    division: Division,
    counter: list[int],
    found: set[str],
    block_quotes: list[BlockQuote],
    where: str = "the witness's import tables",
) -> list[tuple[int, str, str]]:
    """Set Para.quote on the paragraphs of the listed block quotations of one division;
    `counter` numbers the quotations through the book, `found` collects the openings met.
    Returns warnings (line, message, hint)."""
    warnings: list[tuple[int, str, str]] = []
    paras = [(k, u) for k, u in enumerate(division.units) if isinstance(u, Para)]
    for opening, count, _ in block_quotes:
        starts = [
            i for i, (_, p) in enumerate(paras) if p.segs and p.segs[0].text.startswith(opening)
        ]
        if len(starts) != 1:
            continue
        counter[0] += 1
        found.add(opening)
        for _, para in paras[starts[0] : starts[0] + count]:
            para.quote = counter[0]
    previous = None
    for unit in division.units:
        if isinstance(unit, Break):
            continue
        if (
            isinstance(unit, Para)
            and unit.kind == "p"
            and unit.quote is None
            and isinstance(previous, Para)
            and previous.segs
        ):
            before, text = previous.segs[-1].text, unit.segs[0].text
            introduced = (
                bare_end(before).rstrip().endswith(":")
                or introduces_quotation(before, text)
                or quotation_after_that(before, text)
            )
            if introduced and previous.quote is None and text[:1].isupper():
                warnings.append(
                    (
                        unit.segs[0].line,
                        f'this paragraph follows an introduction ("…{bare_end(before)[-40:]}") '
                        "as a block quotation would, but is not in the list of block quotations",
                        "If it is a quotation set off from the text, "
                        f"add its opening words to block_quotes in {where}",
                    )
                )
        previous = unit
    return warnings


def openings(block_quotes: list[BlockQuote]) -> tuple[str, ...]:
    """The openings: a block that starts with one is a paragraph of its own, never the rest of the
    paragraph before it carried over a page break."""
    return tuple(opening for opening, _, _ in block_quotes)


def unmatched(found: set[str], block_quotes: list[BlockQuote]) -> list[str]:
    """Openings of the list that no division had exactly once."""
    return [opening for opening, _, _ in block_quotes if opening not in found]
