"""OCR of a printed book chapter → TEI: title page, editor's introduction, article, reading list.

The transcription is the OCR of a reprint: chapter number, title, author, an "Originally appeared
as" line, the anthology editor's introduction (note series 1–4), the article (title and author
repeated, note series restarting at 1), a "Further Reading" list, and the first words of the next
part of the anthology. Text and page-foot material are interleaved as blocks separated by blank
lines:

- a footnote block opens with its number in superscript digits (¹²); a few lost their number in the
  OCR and are recognised by their place between two footnotes whose numbers leave a gap of one;
- a copyright stamp ("NOTICE" / "This material may be protected…") is page furniture;
- a run of footnotes/furniture is the foot of a page: a page break (pb, number unknown) falls there,
  and a paragraph that it interrupts is rejoined (a word hyphenated across it is rejoined with
  pb break="no").

Markers in the running text are superscripts or, where the OCR lost the superscript, plain digits
after punctuation ("deadly.2", "influence. 9"); each note is attached at the marker found on the
page whose foot prints it, in its own series. What the reading of this transcription established
(OCR misreadings, block quotations, markers lost or fused) is data in sources/import/<siglum>.yml
(read by ocr_data.py); the text-level work
(slots, corrections, rendering) is in ocr_text.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from build_scripts.importers.common import (
    Anomaly,
    Furniture,
    ImportResult,
    SourceText,
    superscript_to_digits,
)
from build_scripts.importers.ocr_data import OcrData
from build_scripts.importers.ocr_data import read as read_tables
from build_scripts.importers.tables import Tables
from build_scripts.importers.ocr_text import (
    Block,
    Slot,
    Span,
    apply_fixes,
    choice,
    fill,
    italics,
    mixed,
    new_slot,
    read_blocks,
    record_joins,
    warn_doubtful,
)
from build_scripts.problems import Problem
from build_scripts.tei.teixml import E, XML_ID

COPYRIGHT = re.compile(
    r"^(NOTICE|This material may be protected by Copyright Law \(Title 17, U\.S\. Code\))$"
)
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
FOOTNOTE = re.compile(rf"^([{SUPERSCRIPTS}]+)\s+(.*)$", re.S)
ENDS_SENTENCE = re.compile(rf"[.!?:'\"’”)]\s*[\d{SUPERSCRIPTS}]*$")  # a marker may follow
READING_ENTRY = re.compile(r"\(.*\d{4}\)\.$")  # an entry of the reading list ends "(Place, 1990)."
BIBL_LEAD = re.compile(r"^(See (?:for example |also )?|For the text of this directive see )")
BIBL_SPLIT = re.compile(r"; (?:and )?(?=[\"'A-Z])")


@dataclass
class Note:
    series: str
    n: int | None  # None: unnumbered
    slot: Slot
    zone: int  # index of the page foot that prints it
    number_lost: bool = False
    xml_id: str = ""


# --- the division model (units in document order) -------------------------------------------
@dataclass
class Division:
    key: str
    head: str
    units: list = field(
        default_factory=list
    )  # ("p", Slot) | ("pb",) | ("quote", [...]) | ("list", [Slot])
    byline: str | None = None
    head_notes: list[Note] = field(default_factory=list)  # unnumbered notes printed for the title


def convert(source: SourceText, tables: Tables) -> ImportResult:
    data = read_tables(tables, tables.bibkey)
    result = ImportResult(normalisation=list(data.normalisation))
    blocks = read_blocks(source)
    if len(blocks) < 6 or not blocks[0].text.isdigit():
        result.problems.append(
            Problem(
                source.at(1),
                "the transcription does not open with a chapter number, title and author",
                "Check that the file is the OCR of a book chapter (style ocr)",
                "import.ocr-structure",
            )
        )
        return result
    number, title, author, first = blocks[0], blocks[1], blocks[2], blocks[3]
    rest = blocks[4:]
    reading_at = next(
        (i for i, b in enumerate(rest) if b.text.startswith("Further Reading")), len(rest)
    )
    divisions, notes = _divisions(source, rest[:reading_at], title.text, author.text, result, data)
    slots = [s for d in divisions for s in _slots_of(d.units)]
    note_slots = [n.slot for n in notes]
    apply_fixes(source, slots + note_slots, result, data)
    italics(slots + note_slots)
    _place_notes(source, divisions, notes, result, data)
    for note in notes:
        _bibls(source, note, result, data)
    warn_doubtful(source, slots + note_slots, result, data)
    record_joins(slots, result)
    front = [_title_page(number, title, author, first, data)]
    elements = {d.key: _render_division(d, data) for d in divisions}
    front.append(elements["intro"])
    result.front = front
    result.body = [elements["art"]]
    result.back = _reading_list(source, rest[reading_at:], result, data)
    result.problems.sort(key=lambda p: p.location.line or 0)
    return result


def _divisions(source, blocks, title, author, result, data: OcrData):
    """Walk the blocks: headings open divisions, page feet become notes and page breaks."""
    kinds = _classify(blocks)
    divisions: list[Division] = []
    notes: list[Note] = []
    expected = {key: 1 for key in data.series}
    zone, in_foot, after_foot = 0, False, False
    quote_end: str | None = None
    for block, kind in zip(blocks, kinds):
        if kind == "furniture":
            result.furniture += [
                Furniture(block.line + i, "copyright-notice", s) for i, s in enumerate(block.lines)
            ]
        if kind in ("furniture", "note", "note-lost", "note-unnumbered"):
            in_foot = True
            if kind != "furniture":
                notes.append(
                    _note(source, block, kind, zone, divisions, notes, expected, result, data)
                )
            continue
        if in_foot:
            zone, in_foot, after_foot = zone + 1, False, True
        if block.text == "Editor's Introduction":
            divisions.append(Division("intro", block.text))
        elif block.text == title and divisions:
            divisions.append(Division("art", block.text))
        elif (
            block.text == author
            and divisions
            and divisions[-1].key == "art"
            and not divisions[-1].units
        ):
            divisions[-1].byline = block.text
        elif not divisions:
            result.problems.append(
                Problem(
                    source.at(block.line),
                    "text before the Editor's Introduction",
                    "Check the opening of the transcription",
                    "import.ocr-structure",
                )
            )
        elif quote_end is not None or (quote := _quote_start(block, data)):
            if quote_end is None:
                quote_end = quote[1]
                if after_foot:
                    divisions[-1].units.append(("pb",))
                divisions[-1].units.append(("quote", []))
            _add(divisions[-1].units[-1][1], block, zone, after_foot)
            if block.text.startswith(quote_end):
                quote_end = None
        else:
            _add(divisions[-1].units, block, zone, after_foot)
        after_foot = False
    return divisions, notes


def _classify(blocks: list[Block]) -> list[str]:
    """furniture | note | note-lost (number lost) | note-unnumbered | text, by the block and its
    place."""
    kinds = []
    for block in blocks:
        if all(COPYRIGHT.match(line.strip()) for line in block.lines):
            kinds.append("furniture")
        elif FOOTNOTE.match(block.text):
            kinds.append("note")
        else:
            kinds.append("text")
    for i in range(1, len(blocks) - 1):
        if kinds[i] != "text":
            continue
        before, after = kinds[i - 1], kinds[i + 1]
        if before == "note" and after == "note":
            kinds[i] = "note-lost"
        elif after in ("note", "furniture") and before == "text":
            # a text block just before a page foot whose preceding text stops mid-sentence, and
            # after which the text resumes in mid-sentence, belongs to the page foot (a note with no
            # number)
            j = i + 1
            while j < len(blocks) and kinds[j] != "text":
                j += 1
            if (
                j < len(blocks)
                and not ENDS_SENTENCE.search(blocks[i - 1].text)
                and _continues(blocks[i - 1].text, blocks[j].text)
            ):
                kinds[i] = "note-unnumbered"
    return kinds


def _continues(previous: str, text: str) -> bool:
    return text[:1].islower() or not ENDS_SENTENCE.search(previous)


def _quote_start(block: Block, data: OcrData) -> tuple[str, str] | None:
    return next((q for q in data.quotes if block.text.startswith(q[0])), None)


def _add(units: list, block: Block, page: int, after_foot: bool) -> None:
    """Add a text block: a list, a continuation of the last paragraph, or a new paragraph."""
    if all(line.startswith("- ") for line in block.lines):
        slots = [
            Slot(line[2:].strip(), [(0, block.line + i)], page)
            for i, line in enumerate(block.lines)
        ]
        units.append(("list", slots))
        return
    last = units[-1] if units else None
    if last and last[0] == "p" and _continues(last[1].text, block.text):
        last[1].join(block, page_break=after_foot)
        return
    if after_foot and units:
        units.append(("pb",))
    units.append(("p", new_slot(block, page)))


def _note(source, block, kind, zone, divisions, notes, expected, result, data) -> Note:
    match = FOOTNOTE.match(block.text)
    if kind == "note-unnumbered":
        div = divisions[-1].key if divisions else "intro"
        return Note(div, None, new_slot(block, zone), zone)
    if match:
        n = int(superscript_to_digits(match.group(1)))
        slot = new_slot(block, zone, match.group(2))
    else:
        previous = next((x for x in reversed(notes) if x.n is not None), None)
        n = previous.n + 1 if previous else 1
        slot = new_slot(block, zone)
    # series still open: notes are printed in page order, so once a later division's series has
    # begun, an earlier one gets no more notes
    started = [d.key for d in divisions]
    begun = [
        i
        for i, key in enumerate(started)
        if any(x.series == key and x.n is not None for x in notes)
    ]
    started = started[max(begun, default=0) :]
    series = next((key for key in started if expected[key] == n), None)
    if series is None:  # a gap in the numbers: the missing notes are handled at their markers
        series = started[-1] if started else "intro"
    expected[series] = n + 1
    note = Note(series, n, slot, zone, number_lost=not match)
    if note.number_lost:
        result.problems.append(
            Problem(
                source.at(block.line),
                f"{data.series[series]}: footnote printed without its "
                f"number; read as note {n} (between notes {n - 1} and {n + 1})",
                "Check the number against the printed page",
                "import.ocr-note-number",
                "warning",
            )
        )
    return note


def _slots_of(units) -> list[Slot]:
    slots = []
    for unit in units:
        if unit[0] == "p":
            slots.append(unit[1])
        elif unit[0] == "list":
            slots.extend(unit[1])
        elif unit[0] == "quote":
            slots.extend(_slots_of(unit[1]))
    return slots


# --- notes at their markers ------------------------------------------------------------------
def _marker(n: int) -> re.Pattern:
    sup = str(n).translate(str.maketrans("0123456789", SUPERSCRIPTS))
    return re.compile(
        rf"(?<![{SUPERSCRIPTS}]){sup}(?![{SUPERSCRIPTS}])"
        rf"|(?:(?<=[.;:!?'\"’”)\]])\s?|(?<=,)){n}(?!\d)(?![.,]\d)"
    )


def _fused_marker(n: int) -> re.Pattern:
    return re.compile(rf"\b(1[89]\d\d){n}\b")  # a marker the OCR glued to a year: "193726"


def _place_notes(source, divisions, notes, result, data: OcrData) -> None:
    stream = [(d.key, s) for d in divisions for s in _slots_of(d.units)]
    for key, prefix in data.series.items():
        cursor = (0, 0)
        series = [n for n in notes if n.series == key]
        numbered = [n for n in series if n.n is not None]
        unnumbered = [n for n in series if n.n is None]
        for note in numbered:
            note.xml_id = f"{prefix}.n{note.n}"
        for count, note in enumerate(unnumbered, start=1):
            note.xml_id = f"{prefix}.nu{count}"
        for previous, note in zip([None] + numbered, numbered):
            if previous is not None and note.n - previous.n > 1:
                for missing in range(previous.n + 1, note.n):
                    cursor = (
                        _place_missing(
                            source, stream, key, prefix, missing, note.zone, cursor, result, data
                        )
                        or cursor
                    )
            cursor = _place(source, stream, key, note, cursor, result, data) or cursor
        for note in unnumbered:
            _attach_to_head(divisions, note)


def _find(stream, key, pattern, zone, cursor):
    for index in range(cursor[0], len(stream)):
        div, slot = stream[index]
        if div != key:
            continue
        start = cursor[1] if index == cursor[0] else 0
        for m in pattern.finditer(slot.text, start):
            if slot.page_at(m.start()) == zone:
                return index, slot, m
    return None


def _place(source, stream, key, note, cursor, result, data: OcrData):
    found = _find(stream, key, _marker(note.n), note.zone, cursor)
    label = f"{data.series[key]} note {note.n}"
    series = f"{data.series_label[key]}, note {note.n}"
    if found:
        index, slot, m = found
        slot.spans.append(Span(m.start(), m.end(), lambda: _note_element(note)))
        if note.number_lost:
            _anomaly(
                result,
                note,
                f"{series}: its number is not printed before the note text "
                "(lost in the OCR); @n is the marker in the text, and the "
                "empty label records that no number is printed with the note.",
            )
        return index, m.end()
    fused = _find(stream, key, _fused_marker(note.n), note.zone, cursor)
    if fused:
        index, slot, m = fused
        year = m.group(1)
        slot.spans.append(Span(m.start(), m.end(), lambda: choice(m.group(), year)()))
        slot.spans.append(Span(m.end(), m.end(), lambda: _note_element(note, unmarked=True)))
        _anomaly(
            result,
            note,
            f'{series}: the OCR joined the marker to the year ("{m.group()}" for '
            f"{year} with marker {note.n}); encoded as sic/corr, the note placed after "
            'it with type="unmarked" so that its marker is read once, in the sic.',
        )
        result.problems.append(
            Problem(
                source.at(slot.line_at(m.start())),
                f'{label}: marker fused with the year "{m.group()}"',
                "Encoded as sic/corr with the note after it; check against the printed page",
                "import.ocr-marker-fused",
                "warning",
            )
        )
        return index, m.end()
    phrase = data.inferred_markers.get((key, note.n))
    hit = _find(stream, key, re.compile(re.escape(phrase)), note.zone, cursor) if phrase else None
    if hit:
        index, slot, m = hit
        slot.spans.append(Span(m.end(), m.end(), lambda: _note_element(note, unmarked=True)))
        _anomaly(
            result,
            note,
            f"{series}: no marker is printed in the text (lost in the OCR); the "
            f'editors place the note after "{phrase}", the sentence it documents.',
        )
        result.problems.append(
            Problem(
                source.at(slot.line_at(m.start())),
                f'{label}: no marker in the text; placed after "{phrase}" (inferred)',
                "Check the place of the marker against the printed page",
                "import.ocr-marker-missing",
                "warning",
            )
        )
        return index, m.end()
    result.problems.append(
        Problem(
            source.at(note.slot.line_at(0)),
            f"{label}: no marker found on its page",
            f"Add the place of its marker to inferred_markers in {data.tables.rel}",
            "import.ocr-marker-missing",
        )
    )
    return None


def _place_missing(source, stream, key, prefix, n, zone, cursor, result, data: OcrData):
    """A marker printed in the text whose note is not in the transcription: an editorial note."""
    found = _find(stream, key, _marker(n), zone, cursor)
    if not found:
        return None
    index, slot, m = found
    digits = superscript_to_digits(m.group().strip())
    ident = f"{prefix}.n{n}"
    text = (
        f"Note {n} is missing from the transcription: its marker is printed here, its text is not."
    )
    # the marker stays the witness's text; the note is the editors' (it holds no words of the
    # witness)
    slot.spans.append(Span(m.start(), m.end(), lambda: E.hi(digits, rend="superscript")))
    slot.spans.append(Span(m.end(), m.end(), lambda: _editorial_note(ident, text)))
    result.anomalies.append(
        Anomaly(
            ident,
            f"{data.series_label[key]}, note {n}: the marker is printed, the note text "
            "is missing from the transcription; an editorial note stands at the marker.",
        )
    )
    result.problems.append(
        Problem(
            source.at(slot.line_at(m.start())),
            f"{data.series[key]} note {n}: marker printed, note text missing",
            "An editorial note stands at the marker; supply the "
            "note from the first edition if it can be checked",
            "import.ocr-note-missing",
            "warning",
        )
    )
    return index, m.end()


def _editorial_note(ident: str, text: str) -> etree._Element:
    # resp points to the editors' <name> in the header (common.header: xml:id SIGLUM.editors)
    note = E.note(text, type="editorial", resp=f"#{ident.split('.')[0]}.editors", place="foot")
    note.set(XML_ID, ident)
    return note


def _anomaly(result: ImportResult, note: Note, text: str) -> None:
    result.anomalies.append(Anomaly(note.xml_id, text))


def _note_element(note: Note, unmarked: bool = False) -> etree._Element:
    el = E.note(place="foot")
    el.set(XML_ID, note.xml_id)
    if note.n is None:
        el.set("type", "unnumbered")
    else:
        el.set("n", str(note.n))
    if unmarked:
        el.set("type", "unmarked")
    fill(el, note.slot, 0, len(note.slot.text), note.slot.spans, None)
    if note.number_lost:  # no number printed with the note: an empty label says so
        label = E.label(type="note-number")
        label.tail, el.text = el.text, None
        el.insert(0, label)
    return el


def _attach_to_head(divisions, note: Note) -> None:
    next(d for d in divisions if d.key == note.series).head_notes.append(note)


def _bibls(source: SourceText, note: Note, result: ImportResult, data: OcrData) -> None:
    """Citations of a note as bibl: by the table bibl_spans, else the note less its lead-in, split
    at "; "."""
    slot, text = note.slot, note.slot.text
    ranges: list[tuple[int, int]] = []
    spec = data.bibl_spans.get((note.series, note.n)) if note.n is not None else None
    if spec:
        cursor = 0
        for first, last in spec:
            start = text.find(first, cursor)
            end = (
                text.find(last, start) + len(last)
                if start >= 0 and text.find(last, start) >= 0
                else -1
            )
            if start < 0 or end < 0:
                entry = data.bibl_span_entries[(note.series, note.n)]
                result.problems.append(
                    data.tables.warning(
                        entry,
                        f"{note.xml_id}: the citation {first!r}…{last!r} "
                        "of bibl_spans is not in the note",
                        "Fix the entry",
                        "import.ocr-bibl",
                    )
                )
                return
            ranges.append((start, end))
            cursor = end
    elif note.n is not None:
        lead = BIBL_LEAD.match(text)
        start = lead.end() if lead else 0
        for m in list(BIBL_SPLIT.finditer(text, start)) + [None]:
            end = m.start() if m else len(text)
            ranges.append((start, end))
            start = m.end() if m else len(text)
    for start, end in ranges:
        if any(s.start < start < s.end or s.start < end < s.end for s in slot.spans):
            continue  # would cut through a correction or an emphasis: leave unwrapped
        slot.spans.append(
            Span(start, end, _bibl_maker(_bib_key(text[start:end], data)), (start, end))
        )


def _bib_key(text: str, data: OcrData) -> str | None:
    return next((f"bib:{key}" for words, key in data.bib_keys if words in text), None)


def _bibl_maker(corresp: str | None) -> Callable[[], etree._Element]:
    return lambda: E.bibl(corresp=corresp) if corresp else E.bibl()


# --- rendering -------------------------------------------------------------------------------


def _units(units) -> list[etree._Element]:
    out = []
    for unit in units:
        if unit[0] == "p":
            out.append(mixed("p", unit[1]))
        elif unit[0] == "pb":
            out.append(E.pb())
        elif unit[0] == "list":
            out.append(E.list(*[mixed("item", s) for s in unit[1]]))
        elif unit[0] == "quote":
            inner = _units(unit[1])
            if len(inner) == 1 and inner[0].tag == E.p().tag:
                quote = E.quote()
                quote.text, quote[:] = inner[0].text, list(inner[0])
                out.append(quote)
            else:
                out.append(E.quote(*inner))
    return out


def _render_division(division: Division, data: OcrData) -> etree._Element:
    head = E.head(division.head)
    for note in division.head_notes:
        head.append(_note_element(note))
    div = E.div(head, type="introduction" if division.key == "intro" else "article")
    div.set(XML_ID, data.series[division.key])
    if division.byline:
        div.append(E.byline(E.docAuthor(division.byline)))
    div.extend(_units(division.units))
    return div


def _title_page(
    number: Block, title: Block, author: Block, first: Block, data: OcrData
) -> etree._Element:
    page = E.titlePage(
        E.docTitle(
            E.titlePart(number.text, type="chapter-number"), E.titlePart(title.text, type="main")
        ),
        E.docAuthor(author.text),
    )
    m = re.match(r"^(Originally appeared as )(.*?)(\.?)$", first.text)
    if m:
        page.append(
            E.docEdition(
                m.group(1), E.bibl(m.group(2), corresp=f"bib:{data.bibkey_self}"), m.group(3)
            )
        )
    else:
        page.append(E.docEdition(first.text))
    return page


def _reading_list(
    source: SourceText, blocks: list[Block], result: ImportResult, data: OcrData
) -> list[etree._Element]:
    """The anthology's "Further Reading" list; what follows it is the next part of the anthology."""
    if not blocks:
        return []
    items: list[str] = []
    index = 1
    while index < len(blocks):
        entries = [
            line[2:].strip() if line.startswith("- ") else line.strip()
            for line in blocks[index].lines
        ]
        if not all(READING_ENTRY.search(e) for e in entries):
            break
        items += entries
        index += 1
    bibls = []
    for item in items:
        bibl = E.bibl(item)
        if _bib_key(item, data):
            bibl.set("corresp", _bib_key(item, data))
        bibls.append(bibl)
    div = E.div(E.head(blocks[0].text), E.listBibl(*bibls), type="bibliography")
    div.set(XML_ID, f"{data.siglum}.reading")
    for block in blocks[index:]:
        for offset, line in enumerate(block.lines):
            result.furniture.append(Furniture(block.line + offset, "following-part-heading", line))
        result.problems.append(
            Problem(
                source.at(block.line),
                f'"{block.text}" after the reading list is read as the heading of the '
                "anthology's next part, not of this chapter; removed as furniture",
                "Check against the printed book",
                "import.ocr-trailing-text",
                "warning",
            )
        )
    return [div]
