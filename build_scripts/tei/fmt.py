"""tei/*.xml → the same TEI in canonical layout (`edition fmt`, `edition fmt --check`).

Canonical means: UTF-8 with an XML declaration, container elements (div, list, row…; see
teixml.CONTAINERS) indented two spaces per level, everything else byte for byte as the parser read it.
Mixed content (p, head, note, hi…) is never touched, so the words of a witness cannot change; a diff
between two canonical files shows only real edits.
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from build_scripts.tei import teixml
from build_scripts.problems import Location, Problem, relpath

PARSER_OPTIONS = dict(remove_blank_text=False, resolve_entities=False, no_network=True, strip_cdata=False)


def canonical(data: bytes) -> bytes:
    """The canonical bytes of a TEI document; raises etree.XMLSyntaxError if it is not well-formed."""
    doc = etree.fromstring(data, etree.XMLParser(**PARSER_OPTIONS)).getroottree()
    root = doc.getroot()
    if root.getprevious() is None and root.getnext() is None and doc.docinfo.doctype == "":
        return teixml.serialize(root)
    # A prolog (<?xml-model?>, comments, DOCTYPE) is kept: serialize the whole tree, not only the root.
    teixml.indent(root)
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8") + b"\n"


def first_difference(old: bytes, new: bytes) -> int:
    """1-based line of the first line that differs between two byte strings."""
    for number, (a, b) in enumerate(zip(old.split(b"\n"), new.split(b"\n")), start=1):
        if a != b:
            return number
    return min(old.count(b"\n"), new.count(b"\n")) + 1


def problem_for(path: Path, data: bytes) -> Problem | None:
    """A fmt.non-canonical Problem if the file would change, else None (not well-formed: None, the check reports it)."""
    try:
        new = canonical(data)
    except etree.XMLSyntaxError:
        return None
    if new == data:
        return None
    return Problem(
        Location(relpath(path), first_difference(data, new)),
        "the file is not in canonical layout (indentation or XML declaration differ from `edition fmt`'s)",
        f"Run `edition fmt {relpath(path)}`; it changes only whitespace between container elements",
        "fmt.non-canonical",
    )


def format_files(paths: list[Path], check: bool) -> tuple[list[Path], list[Problem]]:
    """Rewrite (or, with check, only list) the files whose layout is not canonical."""
    changed, problems = [], []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as err:
            problems.append(Problem(Location(relpath(path)), f"cannot read the file: {err.strerror}", "Check the file name", "xml.unreadable"))
            continue
        try:
            new = canonical(data)
        except etree.XMLSyntaxError as err:
            line, col = err.position if err.position else (None, None)
            problems.append(Problem(Location(relpath(path), line, col), f"not well-formed XML: {err.msg}", "Fix the markup first; fmt formats well-formed files only", "xml.not-well-formed"))
            continue
        if new == data:
            continue
        changed.append(path)
        if check:
            problems.append(problem_for(path, data))
        else:
            path.write_bytes(new)
    return changed, problems
