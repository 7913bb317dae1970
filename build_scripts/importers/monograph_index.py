"""Monograph style: the index at the back: the pages it gives for each heading, and links from
its page numbers to the page breaks of the edition.

An entry is a heading with page numbers ("Tukhachevskii, M., 2, 167, 168, 255n84"), optionally
followed by sub-entries on their own lines ("in *proverka*, 67, 79, 91") whose pages belong to the
same heading. "255n84" is note 84 on p. 255 (the Notes section); "98–9" a range of pages.
"""

from __future__ import annotations

import re

from lxml import etree

from build_scripts.importers.monograph_pages import IndexRef
from build_scripts.importers.monograph_text import Block
from build_scripts.tei.teixml import E

# a page or a range ("98–9", "93-4") in the comma-separated list after a heading, not a note
# reference ("226n30") nor a figure in a heading ("Factory Number 35")
PAGE = re.compile(r"(?<=, )(\d{1,3})(?:[–-](\d{1,3}))?(?![\w–-])")


def _range(first: str, last: str | None) -> tuple[int, int]:
    start = int(first)
    if not last:
        return start, start
    end = int(first[: len(first) - len(last)] + last) if len(last) < len(first) else int(last)
    return start, end


def heading_term(line: str) -> str | None:
    """The heading of an entry as it would stand in the running text: the words before the first
    comma, without emphasis or a parenthesis ("Tukhachevskii", "aktiv", "Belyi district")."""
    head = re.sub(r"</?i>|\*", "", line.split(",", 1)[0]).split(" (", 1)[0].strip()
    return head if head and not head[0].isdigit() else None


def refs(items: list[Block], last_page: int) -> list[IndexRef]:
    """Every page reference of the index (blocks after its heading) with the entry's heading."""
    found: list[IndexRef] = []
    for block in items:
        term = heading_term(block.lines[0])
        if term is None:
            continue
        for line in block.lines:
            for first, last in PAGE.findall(line):
                lo, hi = _range(first, last)
                if 1 <= lo <= hi <= last_page:
                    found.append(IndexRef(term, lo, hi))
    return found


def link(item: etree._Element, pages: set[str], siglum: str) -> int:
    """Wrap each page number of an index item's own text (not its sub-list) in
    <ref target="#SIGLUM.pbN"> where the edition has that page's break; returns how many.
    A range links its first page; the printed text stays as it is."""
    linked = 0
    nodes: list[tuple[etree._Element, str]] = [(item, "text")]
    for child in item:
        if child.tag == E.list().tag:
            break
        nodes.append((child, "tail"))
    for el, where in nodes:
        text = getattr(el, where)
        if not text or not PAGE.search(text):
            continue
        pieces: list[str | etree._Element] = []
        pos = 0
        for m in PAGE.finditer(text):
            lo, _ = _range(m.group(1), m.group(2))
            if str(lo) not in pages:
                continue
            pieces.append(text[pos : m.start()])
            pieces.append(E.ref(m.group(0), target=f"#{siglum}.pb{lo}"))
            pos = m.end()
            linked += 1
        if pos == 0:
            continue
        pieces.append(text[pos:])
        setattr(el, where, pieces[0])
        anchor = el if where == "tail" else None
        for k in range(1, len(pieces), 2):
            ref, after = pieces[k], pieces[k + 1]
            ref.tail = after
            if anchor is None:
                item.insert(0, ref)
            else:
                anchor.addnext(ref)
            anchor = ref
    return linked
