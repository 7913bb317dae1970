"""tei/*.xml → the same TEI in canonical layout (`edition fmt`, `edition fmt --check`).

Canonical means: UTF-8 with an XML declaration, the two `<?xml-model?>` instructions that name the
edition's schemas (schema/tei_edition.rng and .sch, for XML editors), container elements (div, list,
row…; see teixml.CONTAINERS) indented two spaces per level, and, in a witness's text, one sentence a
line: the single space after a sentence becomes a line break (teixml.sentence_lines). TEI reads both
as the same whitespace, so no word changes (tests/test_fmt.py proves the normalised text equal per
witness), and a one-word edit shows in `git diff` as its sentence only.
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from build_scripts.tei import teixml
from build_scripts.problems import Location, Problem, relpath

PARSER_OPTIONS = dict(
    remove_blank_text=False, resolve_entities=False, no_network=True, strip_cdata=False
)


def canonical(data: bytes) -> bytes:
    """The canonical bytes of a TEI document; raises etree.XMLSyntaxError if it is not
    well-formed."""
    doc = etree.fromstring(data, etree.XMLParser(**PARSER_OPTIONS)).getroottree()
    for entries in doc.getroot().iter(f"{{{teixml.NS['tei']}}}listApp"):
        _in_id_order(entries)
    return teixml.serialize(doc.getroot())


def _in_id_order(entries: etree._Element) -> None:
    """The apparatus' entries of one list in the order of their ids, as `edition apparatus detect`
    writes them (build_scripts/apparatus/store.py): an entry added by hand anywhere in its list is
    moved to its place here, not in the diff of the next detection run. What is not an entry (the
    list's head, a comment) keeps its place."""
    slots = [
        k
        for k, e in enumerate(entries)
        if isinstance(e.tag, str) and etree.QName(e).localname == "app" and e.get(teixml.XML_ID)
    ]
    apps = [entries[k] for k in slots]
    ordered = sorted(apps, key=lambda a: a.get(teixml.XML_ID))
    if ordered == apps:
        return
    tails = [a.tail for a in apps]  # the layout stays with the place, the entry moves
    for k, app, tail in zip(slots, ordered, tails):
        entries[k] = copy.copy(app)
        entries[k].tail = tail


def first_difference(old: bytes, new: bytes) -> int:
    """1-based line of the first line that differs between two byte strings."""
    for number, (a, b) in enumerate(zip(old.split(b"\n"), new.split(b"\n")), start=1):
        if a != b:
            return number
    return min(old.count(b"\n"), new.count(b"\n")) + 1


def problem_for(path: Path, data: bytes) -> Problem | None:
    """A fmt.non-canonical Problem if the file would change, else None (not well-formed: None, the
    check reports it)."""
    try:
        new = canonical(data)
    except etree.XMLSyntaxError:
        return None
    if new == data:
        return None
    return Problem(
        Location(relpath(path), first_difference(data, new)),
        (
            "the file is not in canonical layout (indentation, the xml-model lines or the order "
            "of the entries differ from `edition fmt`'s)"
            if b"<listApp" in data
            else "the file is not in canonical layout (indentation, one sentence "
            "a line or the xml-model lines differ from `edition fmt`'s)"
        ),
        f"Run `edition fmt {relpath(path)}`; it changes only whitespace that TEI ignores"
        + (" and puts each entry, whole, in the order of the ids" if b"<listApp" in data else ""),
        "fmt.non-canonical",
    )


def format_files(paths: list[Path], check: bool) -> tuple[list[Path], list[Problem]]:
    """Rewrite (or, with check, only list) the files whose layout is not canonical."""
    changed, problems = [], []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as err:
            problems.append(
                Problem(
                    Location(relpath(path)),
                    f"cannot read the file: {err.strerror}",
                    "Check the file name",
                    "xml.unreadable",
                )
            )
            continue
        try:
            new = canonical(data)
        except etree.XMLSyntaxError as err:
            line, col = err.position if err.position else (None, None)
            problems.append(
                Problem(
                    Location(relpath(path), line, col),
                    f"not well-formed XML: {err.msg}",
                    "Fix the markup first; fmt formats well-formed files only",
                    "xml.not-well-formed",
                )
            )
            continue
        if new == data:
            continue
        changed.append(path)
        if check:
            problems.append(problem_for(path, data))
        else:
            path.write_bytes(new)
    return changed, problems
