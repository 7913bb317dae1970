"""model.Document → the pages of the site (one per chapter, front and back matter; long ones split).

Pure functions, no I/O: `plan` decides which nodes go on which page and which anchors each page
offers; `withhold` applies the excerpt rule of a witness published as "excerpts".
"""

from __future__ import annotations

from dataclasses import dataclass

from build_scripts.tei import model as m
from build_scripts.tei import transforms

# a division longer than this (notes included), with two or more sections, gets a page per section
SPLIT_WORDS = 20000


@dataclass(frozen=True)
class Page:
    src: str  # relative to docs/: edition/getty/G.c6.md
    title: str
    nodes: tuple[m.Node, ...]
    start_page: str | None  # the printed page in force where this page begins
    anchors: dict  # xml:id → the HTML anchor that renders it on this page (fn:ID for notes)
    links: frozenset[str] = frozenset()  # TEI files of the other witnesses this page links to


def plan(doc: m.Document, folder: str, short_title: str) -> list[Page]:
    """The witness's text pages, in reading order."""
    drafts: list[tuple[str, str, tuple[m.Node, ...]]] = []
    if doc.front:
        drafts.append(("front", "Front matter", doc.front))
    for part, label in ((doc.body, short_title), (doc.back, "Back matter")):
        loose: list[m.Node] = []
        for node in part:
            if isinstance(node, m.Division):
                if loose:
                    drafts.append(
                        (f"{part_name(doc, part)}-{len(drafts) + 1}", label, tuple(loose))
                    )
                    loose = []
                drafts.extend(split(node, len(drafts)))
            else:
                loose.append(node)
        if loose:
            drafts.append((f"{part_name(doc, part)}-{len(drafts) + 1}", label, tuple(loose)))
    pages, printed = [], None
    for name, title, nodes in drafts:
        anchors, last, links = survey(nodes, printed)
        pages.append(Page(f"{folder}/{name}.md", title, nodes, printed, anchors, links))
        printed = last
    return pages


def part_name(doc: m.Document, part: tuple[m.Node, ...]) -> str:
    return "text" if part is doc.body else "back"


def split(div: m.Division, index: int) -> list[tuple[str, str, tuple[m.Node, ...]]]:
    name = div.id or f"part-{index + 1}"
    # a division the witness prints without a heading is named by its type (the edition's words)
    title = (
        m.plain_text(div.head.children)
        if div.head
        else (div.type.replace("-", " ").capitalize() if div.type else name)
    )
    sections = [c for c in div.children if isinstance(c, m.Division)]
    if len(sections) < 2 or not m.more_words_than((div,), SPLIT_WORDS, notes=True):
        return [(name, title, (div,))]
    first = div.children.index(sections[0])
    lead = m.Division(div.id, div.type, div.head, div.children[:first], div.location)
    out = [(name, title, (lead,))]
    loose: list[m.Node] = []
    for child in div.children[first:]:
        if isinstance(child, m.Division):
            if loose:
                out.append((f"{name}-{len(out) + 1}", title, tuple(loose)))
                loose = []
            out.extend(split(child, index + len(out)))
        else:
            loose.append(child)
    if loose:
        out.append((f"{name}-{len(out) + 1}", title, tuple(loose)))
    return out


def survey(
    nodes: tuple[m.Node, ...], printed: str | None
) -> tuple[dict, str | None, frozenset[str]]:
    """What a page offers and needs, in one walk of its nodes: the anchor of each xml:id (fn:ID for
    notes), the printed page in force at its end (an inferred number cited with "?"), and the TEI
    files of the witnesses it links to."""
    anchors, links = {}, set()
    for node in m.walk(nodes):
        if isinstance(node, m.Break):
            if node.kind == "page" and node.n:
                printed = node.n + ("?" if node.cert else "")
        elif isinstance(node, m.Link):
            if node.kind == "witness":
                links.add(node.target.partition("#")[0])
        ident = getattr(node, "id", None)
        if ident and not isinstance(node, m.Item):
            anchors[ident] = f"fn:{ident}" if isinstance(node, m.Note) else ident
    return anchors, printed, frozenset(links)


# --- excerpts: a transform of the model, shared with the PDFs (tei/transforms.py) ---------------
withhold = transforms.withhold
published_document = transforms.published_document
