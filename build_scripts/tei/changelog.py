"""CHANGELOG.md + revisionDesc/change of every TEI file → the changelog page of the site (Markdown).

Two sources, because they record different things: CHANGELOG.md is written by editors for a release
(what changed in the edition's content and why, across files); each TEI file's revisionDesc records
the changes to that one text, with their date and who made them. The site includes markdown().
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from build_scripts.tei.teixml import NS, ROOT, XML_ID

CHANGELOG = ROOT / "CHANGELOG.md"
TEI_DIR = ROOT / "tei"
CHANGES = etree.XPath("//tei:revisionDesc//tei:change", namespaces=NS)
MAIN_TITLE = etree.XPath("//tei:titleStmt/tei:title[1]", namespaces=NS)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~$])")


@dataclass(frozen=True)
class Change:
    when: str
    text_name: str  # the witness or file the change belongs to
    description: str
    who: str


def escape(text: str) -> str:
    """Source text as literal Markdown: collapse whitespace, backslash every special character."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


HEADER_END = b"</teiHeader>"


def header(path: Path) -> etree._Element | None:
    """The root of a TEI file with its teiHeader (what the changelog reads), parsed without the
    text when the file allows (the header ends before the text: a fifth of the time for the whole
    edition); else the whole file. None if it is not well-formed (`edition check` reports it)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    data = path.read_bytes()
    end = data.find(HEADER_END)
    if end >= 0:
        try:
            return etree.fromstring(data[: end + len(HEADER_END)] + b"</TEI>", parser)
        except etree.XMLSyntaxError:
            pass  # another root, or a prefixed one: the whole file
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None


def tei_changes(tei_dir: Path = TEI_DIR) -> list[Change]:
    changes = []
    for path in sorted(tei_dir.glob("*.xml")):
        root = header(path)
        if root is None:
            continue  # `edition check` reports it
        doc = root.getroottree()
        titles = MAIN_TITLE(doc)
        title = " ".join("".join(titles[0].itertext()).split()) if titles else path.stem
        name = f"{root.get(XML_ID)}: {title}" if root.get(XML_ID) else title
        for change in CHANGES(doc):
            who = " ".join(w.lstrip("#") for w in (change.get("who") or "").split())
            changes.append(Change(change.get("when", ""), name, "".join(change.itertext()), who))
    return sorted(changes, key=lambda c: c.when, reverse=True)


def markdown(changelog: Path = CHANGELOG, tei_dir: Path = TEI_DIR) -> str:
    """The whole changelog page: the editors' CHANGELOG.md, then every change recorded in the
    TEI."""
    parts = ["# Changelog\n"]
    if changelog.exists():
        body = changelog.read_text(encoding="utf-8")
        parts.append(re.sub(r"\A# [^\n]*\n", "", body).strip() + "\n")
    changes = tei_changes(tei_dir)
    parts.append("## Changes recorded in the TEI files\n")
    parts.append("Each text's `revisionDesc` lists the changes made to it, newest first.\n")
    if not changes:
        parts.append("No change is recorded yet.\n")
        return "\n".join(parts)
    rows = ["| Date | Text | Change | By |", "|---|---|---|---|"]
    rows += [
        f"| {escape(c.when)} | {escape(c.text_name)} | {escape(c.description)} | {escape(c.who)} |"
        for c in changes
    ]
    parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)
