"""tei/apparatus.xml + the witnesses → problems: every pointer resolves, every stored reading still
reads so in its witness (`edition check` calls `build_scripts.apparatus.check`)."""

from __future__ import annotations

from pathlib import Path

from build_scripts.project import witnesses as manifest
from build_scripts.apparatus import edition, store
from build_scripts.apparatus.claims import squash
from build_scripts.apparatus.model import TYPES, Locus, Reading
from build_scripts.problems import Location, Problem, relpath


def check(
    tei_dir: Path | None = None, manifest_path: Path | None = None, docs: dict | None = None
) -> list[Problem]:
    """`docs`: TEI file name → tree already parsed by the caller (not parsed again)."""
    tei_dir = Path(tei_dir or manifest.TEI_DIR)
    path = tei_dir / store.FILE
    if not path.exists():
        return []
    loci, doc = store.read(path)
    if doc is None:
        from build_scripts.tei import teixml

        return teixml.parse(path)[1]
    corpus, _ = edition.load(tei_dir, manifest_path, docs)
    rel = relpath(path)
    problems: list[Problem] = []
    for locus in loci:
        where = Location(rel, locus.line)
        if locus.type not in TYPES:
            problems.append(
                Problem(
                    where,
                    f'<app xml:id="{locus.id}"> has type="{locus.type}"',
                    f"Use one of {', '.join(TYPES)}",
                    "apparatus.type",
                )
            )
        if len(locus.readings) < (1 if locus.type == "citation" else 2):
            problems.append(
                Problem(
                    where,
                    f"{locus.id} has {len(locus.readings)} reading(s)",
                    "A locus needs a reading of each witness it compares",
                    "apparatus.readings",
                )
            )
        for r in locus.readings:
            problems += reading_problems(locus, r, corpus, where)
    return problems


def reading_problems(
    locus: Locus, r: Reading, corpus: edition.Corpus, where: Location
) -> list[Problem]:
    if r.file not in corpus.files.values():
        return [
            Problem(
                where,
                f"{locus.id}: reading of {r.siglum} points to "
                f'"{r.file}", which is not a TEI file of the edition',
                "Point rdg/@corresp to file.xml#id of a witness",
                "apparatus.pointer",
            )
        ]
    hit = corpus.resolve(r.passage)
    if hit is None:
        return [
            Problem(
                where,
                f'{locus.id}: rdg/@corresp="{r.file}#{r.passage}" '
                f"points to no passage of tei/{r.file}",
                "The id was changed or removed: point the reading "
                "to the passage's current id (ids are never reused)",
                "apparatus.pointer",
            )
        ]
    passage, lo, hi = hit
    if passage.file != r.file:
        return [
            Problem(
                where,
                f"{locus.id}: {r.passage} is in tei/{passage.file}, not tei/{r.file}",
                "Fix the file part of rdg/@corresp",
                "apparatus.pointer",
            )
        ]
    if (
        r.start is not None
    ):  # offsets into the text of the element named (a nested one: from its start)
        found = passage.text[lo + r.start : min(hi, lo + r.end)] if 0 <= r.start <= r.end else ""
        if squash(found) == squash(r.text):
            return []
    elif squash(r.text) in passage.text[lo:hi]:
        return []
    return [changed(locus, r, passage.text[lo:hi], where)]


def machine(locus: Locus) -> bool:
    """An entry the detector made and no editor has decided: re-anchored, never blocking."""
    return locus.resp == "#detector" and locus.decision == "unreviewed" and not locus.notes


def reanchor(r: Reading, text: str) -> tuple[int, int, str] | None:
    """Where the reading's words stand in the (edited) text of its passage: exactly (spacing aside),
    else the closest stretch (rapidfuzz alignment, at least 60 % alike); None if they are gone."""
    words = squash(r.text)
    at = text.find(words)
    if at >= 0:
        return at, at + len(words), words
    if not words:
        return None
    from rapidfuzz import fuzz

    best = fuzz.partial_ratio_alignment(words, text, score_cutoff=60)
    if best is None:
        return None
    # the alignment keeps the reading's length: after a word grew or shrank it can begin or end
    # inside a word ("n 29 June … secre"); widen it to whole words
    start, end = best.dest_start, best.dest_end
    while 0 < start and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while start < end and not text[start].isalnum() and text[start] != words[0]:
        start += 1  # the stop and space of the sentence before ("'. He had falsified")
    while end < len(text) and end > 0 and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    if end < len(text) and not words[-1].isalnum() and text[end] == words[-1] != text[end - 1]:
        end += 1  # the closing stop or quotation mark the reading ends with
    return start, end, text[start:end]


def changed(locus: Locus, r: Reading, text: str, where: Location) -> Problem:
    """A reading its witness no longer prints as stored: one message, old and new wording side by
    side."""
    moved = reanchor(r, text)
    old = repr(squash(r.text)[:80])
    if machine(locus):
        if moved is None:
            return Problem(
                where,
                f"{locus.id}: the words {old} of {r.siglum} are "
                f"gone from {r.passage} (an unreviewed machine entry)",
                "Nothing blocks the build; `edition apparatus detect` drops or replaces the entry",
                "apparatus.re-anchored",
                "warning",
            )
        start, end, words = moved
        now = (
            ""
            if squash(words) == squash(r.text)
            else f": it read {old}, it now reads {squash(words)[:80]!r}"
        )
        return Problem(
            where,
            f"{locus.id}: re-anchored the unreviewed machine reading of {r.siglum} "
            f"to {r.passage} [{start}-{end}] after an edit of the witness{now}",
            "Nothing blocks the build; `edition apparatus detect` "
            "stores the new place (the entry stays unreviewed)",
            "apparatus.re-anchored",
            "warning",
        )
    if moved is not None and squash(moved[2]) == squash(r.text):
        return Problem(
            where,
            f"{locus.id} ({locus.decision}): the words of {r.siglum} stand unchanged at "
            f"{r.passage} [{moved[0]}-{moved[1]}] after an edit before them (the entry says "
            f"[{r.start}-{r.end}])",
            "Nothing blocks the build; `edition apparatus detect` stores the new place "
            "(the decision and notes are kept)",
            "apparatus.re-anchored",
            "warning",
        )
    new = repr(squash(moved[2])[:80]) if moved else "nothing like it"
    return Problem(
        where,
        f"{locus.id} ({locus.decision}): {r.siglum} {r.passage} "
        f"now reads {new} where the entry reads {old}",
        "If the witness edit is right, run `edition apparatus detect` (it re-anchors "
        "the entry and keeps the decision); otherwise restore the witness text",
        "apparatus.reading-changed",
    )
