"""Monograph style: the Notes section → notes per division, aligned with the markers.

The section has one group per division, headed as the chapter is ("1. The Communist Party in
the thirties"), numbering from 1 in each. A note starts with its number ("- 12 …" or "12 …");
a block that starts with no number carries on the previous note across a page break.
Notes are matched to the markers of their division by aligning the two number sequences, so a
marker printed with another number, a duplicated marker, a marker without a note or a note
without a marker come out as such (recorded, never repaired).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from build_scripts.importers.monograph_parse import Break, Seg
from build_scripts.importers.monograph_text import Block, Hyphenation, hyphen_split

NOTE_START = re.compile(r"^(?:- )?(\d+)(\.?) ")


@dataclass
class NoteText:
    number: int  # as printed before the note text
    parts: list[Seg | Break]
    line: int
    printed_period: bool = False  # "106. Pravda…": number printed with a full stop
    split_from_previous: bool = False  # the transcription ran it into the previous note's line


@dataclass
class NoteGroup:
    head: Seg
    ident: str  # the division whose notes these are
    notes: list[NoteText] = field(default_factory=list)


def parse(
    items: list[Block], heads: dict[str, str], hyphenation: Hyphenation
) -> tuple[list[NoteGroup], list[tuple[int, str, str]]]:
    """Blocks after the "Notes" heading → groups; `heads` maps a group heading to a division id."""
    groups: list[NoteGroup] = []
    warnings: list[tuple[int, str, str]] = []
    for block in items:
        for k, line in enumerate(block.lines):
            number = block.line + k
            ident = heads.get(re.sub(r"^\d+\.\s+", "", line.strip()))
            if ident is not None:
                groups.append(NoteGroup(Seg(number, line.strip()), ident))
                continue
            if not groups:
                warnings.append(
                    (
                        number,
                        "text before the first group heading of the Notes section",
                        "Check the Notes section; the line is kept as the start of the first group",
                    )
                )
                continue
            group = groups[-1]
            expected = group.notes[-1].number + 1 if group.notes else 1
            m = NOTE_START.match(line)
            if m and int(m.group(1)) == expected + 1 and group.notes:
                run_in = _split_run_in(group.notes[-1], expected)
                if run_in is not None:
                    group.notes.append(run_in)
                    expected += 1
            if m and int(m.group(1)) == expected:
                group.notes.append(
                    NoteText(expected, [Seg(number, line[m.end() :])], number, bool(m.group(2)))
                )
            elif group.notes:
                last = group.notes[-1]
                before = last.parts[-1].text
                kind = "sentence"
                if hyphen_split(before, line):
                    kind = "compound" if hyphenation.keep(before, line) else "hyphen"
                if k == 0:
                    last.parts.append(Break(number, kind))
                else:
                    warnings.append(
                        (
                            number,
                            "a line of the Notes section continues the "
                            "note above without a blank line before it",
                            "Kept in the note as one paragraph; check the transcription",
                        )
                    )
                last.parts.append(Seg(number, line))
            else:
                warnings.append(
                    (
                        number,
                        "a group of the Notes section does not start with note 1",
                        "Check the numbering in the transcription",
                    )
                )
    return groups, warnings


def _split_run_in(note: NoteText, number: int) -> NoteText | None:
    """Note `number` run into the line of the note before it ("… study. 58 Fainsod, …")."""
    last = note.parts[-1]
    m = re.search(rf"(?<=[.”\"')]) {number} (?=\S)", last.text)
    if not m:
        return None
    note.parts[-1] = Seg(last.line, last.text[: m.start()])
    return NoteText(
        number, [Seg(last.line, last.text[m.end() :])], last.line, split_from_previous=True
    )


# --- alignment -------------------------------------------------------------------------------
SUBSTITUTE, MISSING = 0.9, 1.0


@dataclass
class Pairing:
    marker: int | None  # index into the markers, None: a note without a marker
    note: int | None  # index into the notes, None: a marker without a note


def align(markers: list[int], notes: list[int]) -> list[Pairing]:
    """Edit-distance alignment of printed marker numbers with printed note numbers."""
    m, n = len(markers), len(notes)
    cost = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        cost[i][0] = i * MISSING
    for j in range(1, n + 1):
        cost[0][j] = j * MISSING
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            diag = cost[i - 1][j - 1] + (0 if markers[i - 1] == notes[j - 1] else SUBSTITUTE)
            cost[i][j] = min(diag, cost[i - 1][j] + MISSING, cost[i][j - 1] + MISSING)
    pairs: list[Pairing] = []
    i, j = m, n
    while i or j:
        if (
            i
            and j
            and cost[i][j]
            == cost[i - 1][j - 1] + (0 if markers[i - 1] == notes[j - 1] else SUBSTITUTE)
        ):
            pairs.append(Pairing(i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + MISSING:
            pairs.append(Pairing(i - 1, None))
            i -= 1
        else:
            pairs.append(Pairing(None, j - 1))
            j -= 1
    return pairs[::-1]
