"""tei/<witness>.xml → the passages the apparatus reads (Passage per p, note, quote, table)."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from build_scripts.tei import teixml
from build_scripts.apparatus.model import Passage
from build_scripts.tei.teixml import NS, XML_ID, local

BLOCKS = frozenset({"p", "note", "quote", "table", "ab", "lg", "bibl"})
# Elements whose words the apparatus does not read. In choice/sic/corr (a transcription error) the
# corrected reading is read, as readers see it; a sic alone (the witness's own slip) is read as
# printed. In choice/orig/reg (a declared normalisation, e.g. M's TeX quotes) the normalised reading
# is read.
SKIP = frozenset({"teiHeader", "orig", "expan", "supplied", "fw", "figDesc", "divGen"})
# Word boundaries: a space on each side (a paragraph inside a block quotation is not glued to the
# next).
SPACE = (
    frozenset(
        {
            "lb",
            "cell",
            "row",
            "item",
            "head",
            "l",
            "bibl",
            "cit",
            "list",
            "label",
            "trailer",
            "div",
            "floatingText",
            "sp",
            "speaker",
            "byline",
            "dateline",
            "signed",
            "salute",
            "opener",
            "closer",
            "epigraph",
            "argument",
        }
    )
    | BLOCKS
)
BIBLIOGRAPHIC = frozenset(
    {"bibl", "title"}
)  # elements whose words are bibliographic matter, not prose


def _titled(el: etree._Element) -> bool:
    """A title as printed: `title`, or italics (how the witnesses print the titles they name in
    prose)."""
    return local(el) == "title" or (local(el) == "hi" and "italic" in (el.get("rend") or ""))


WS = re.compile(r"\s+")


class _Builder:
    """Collects the pieces of one passage: text, page breaks and nested ids, then normalises
    space."""

    def __init__(self, el: etree._Element, page: str | None):
        self.el, self.page, self.pieces = el, page, []

    def add(self, piece) -> None:
        self.pieces.append(piece)

    def build(self, siglum: str, file: str, cites: frozenset[str]) -> Passage:
        out: list[str] = []
        size, space = 0, True  # `space`: the last char written is a space (or nothing yet)
        breaks, opened, spans, works, notes = [], {}, [], [], []
        ranges: dict[str, list[tuple[int, int]]] = {"bibl": [], "title": []}
        depth, start = {"bibl": 0, "title": 0}, {"bibl": 0, "title": 0}
        for piece in self.pieces:
            if isinstance(piece, str):
                # each run of white space → one space, none at the start or after a space
                words = piece.split()  # the white space of `str.isspace`, as `\s` (Unicode)
                if not words:
                    if piece and not space:
                        out.append(" ")
                        size, space = size + 1, True
                    continue
                chunk = (" " if not space and piece[0].isspace() else "") + " ".join(words)
                if piece[-1].isspace():
                    chunk += " "
                out.append(chunk)
                size, space = size + len(chunk), chunk[-1] == " "
            elif piece[0] == "pb":
                breaks.append((size, piece[1]))
            elif piece[0] == "note":
                notes.append((piece[1], size))
            elif piece[0] == "open":
                opened[piece[1]] = size
            elif piece[0] == "close":
                spans.append((piece[1], opened.pop(piece[1]), size))
            elif piece[0] == "work+":
                opened["work:" + piece[1]] = size
            elif piece[0] == "work-":
                works.append((piece[1], opened.pop("work:" + piece[1]), size))
            elif piece[0] in ranges:  # ("bibl" | "title", +1 on opening, -1 on closing)
                kind = piece[0]
                depth[kind] += piece[1]
                if depth[kind] == 1 and piece[1] == 1:
                    start[kind] = size
                elif depth[kind] == 0:
                    ranges[kind].append((start[kind], size))
        text = "".join(out)
        if text.endswith(" "):
            text = text[:-1]
        clip = len(text)
        if local(self.el) in BIBLIOGRAPHIC:
            ranges["bibl"] = [(0, clip)]
        own = self.el.get("corresp") or ""
        if local(self.el) == "bibl" and own.startswith("bib:") and len(own) > 4:
            works.append((own[4:].split()[0], 0, clip))

        def clipped(kind: str) -> tuple[tuple[int, int], ...]:
            return tuple(
                (min(a, clip), min(b, clip)) for a, b in ranges[kind] if min(a, clip) < min(b, clip)
            )

        return Passage(
            siglum,
            self.el.get(XML_ID),
            file,
            local(self.el),
            text,
            self.el.sourceline or 0,
            self.page,
            tuple((min(o, clip), n) for o, n in breaks),
            tuple((i, min(a, clip), min(b, clip)) for i, a, b in spans),
            cites,
            clipped("bibl"),
            clipped("title"),
            tuple((k, min(a, clip), min(b, clip)) for k, a, b in works),
            tuple((i, min(o, clip)) for i, o in notes),
        )


_UNITS: dict[tuple, tuple[tuple[Passage, ...], str | None]] = {}  # see witness_passages


def witness_passages(
    doc: etree._ElementTree, file: str, cite_map: dict[str, str] | None = None
) -> list[Passage]:
    """Every passage of one witness (a note comes before the passage it sits in). The passages of
    a division that stands directly in front, body or back are kept by what it is made of
    (teixml.units) and the page in force where it begins: after an edit in one chapter, the
    others' are not cut again."""
    root = doc.getroot()
    siglum = root.get(XML_ID) or Path(file).stem
    text = teixml.TEXT(doc)
    if not text:
        return []
    cite_map = cite_map or {}
    units = teixml.units(root)
    cites = repr(sorted(cite_map.items()))
    done: list[tuple[_Builder, etree._Element] | Passage] = []
    state = {"page": None}

    def built(item) -> Passage:
        if isinstance(item, Passage):
            return item
        builder, el = item
        return builder.build(siglum, file, cited_sigla(el, cite_map))

    def unit(el: etree._Element) -> None:
        key = (units[el], state["page"], siglum, file, cites)
        hit = _UNITS.get(key)
        if hit is None:
            start = len(done)
            inner(el, None)
            hit = (tuple(built(item) for item in done[start:]), state["page"])
            del done[start:]
            if len(_UNITS) >= 4096:
                _UNITS.clear()
            _UNITS[key] = hit
        done.extend(hit[0])
        state["page"] = hit[1]

    def walk(el: etree._Element, current: _Builder | None) -> None:
        name = local(el)
        parent = el.getparent()
        if name == "sic" and parent is not None and local(parent) == "choice":
            pass  # a transcription error: its corr is read
        elif not isinstance(el.tag, str) or name in SKIP:
            pass
        elif name == "pb":
            state["page"] = el.get("n") or state["page"]
            if current is not None:
                current.add(("pb", el.get("n") or "?"))
                if el.get("break") != "no":
                    current.add(" ")
        elif name in BLOCKS and el.get(XML_ID) and (current is None or name == "note"):
            if name == "note" and el.get("resp"):
                pass  # an editorial note is not the witness's text
            else:
                if current is not None:  # a note of the witness: where its marker stands
                    current.add(("note", el.get(XML_ID)))
                builder = _Builder(el, state["page"])
                page = state["page"]
                inner(el, builder)
                done.append((builder, el))
                if name == "note":
                    state["page"] = page  # a note's page breaks (endnote pages) are not the text's
        elif current is None and el in units:
            unit(el)
        else:
            ident = el.get(XML_ID) if current is not None else None
            marks = (
                []
                if current is None
                else ["bibl"] * (name in BIBLIOGRAPHIC) + ["title"] * _titled(el)
            )
            work = (el.get("corresp") or "") if name == "bibl" and current is not None else ""
            work = work[4:].split()[0] if work.startswith("bib:") and len(work) > 4 else ""
            if ident:
                current.add(("open", ident))
            if work:
                current.add(("work+", work))
            for mark in marks:
                current.add((mark, 1))
            if name in SPACE and current is not None:
                current.add(" ")
            inner(el, current)
            if name in SPACE and current is not None:
                current.add(" ")
            for mark in marks:
                current.add((mark, -1))
            if work:
                current.add(("work-", work))
            if ident:
                current.add(("close", ident))
        if el.tail and current is not None:
            current.add(el.tail)

    def inner(el: etree._Element, current: _Builder | None) -> None:
        if el.text and current is not None:
            current.add(el.text)
        for child in el:
            walk(child, current)

    inner(text[0], None)
    return [built(item) for item in done]


PAGE_BREAKS = etree.XPath("//tei:text//tei:pb[@n]", namespaces=NS)


def page_certs(doc: etree._ElementTree) -> dict[str, str | None]:
    """Page number → its pb/@cert (None: printed or given by a contents list, so certain)."""
    return {pb.get("n"): pb.get("cert") for pb in PAGE_BREAKS(doc)}


WITNESS_REF = etree.XPath(".//tei:ref[@type='witness'] | .//tei:bibl[@corresp]", namespaces=NS)


def cited_sigla(el: etree._Element, cite_map: dict[str, str]) -> frozenset[str]:
    """Sigla of witnesses a passage cites: refs/bibls inside it, in its `cit`, or in the next two
    siblings; a table's passages (the table, its notes) also what the table cites in its head and
    the witness page the editors identified it with (table/@corresp)."""
    scope = [el]
    parent = el.getparent()
    if parent is not None and local(parent) == "cit":
        scope.append(parent)
    table = next((t for t in el.iterancestors() if local(t) == "table"), None)
    if table is not None:
        scope.append(table)
    refs = [WITNESS_REF(node) for node in scope]
    sibling = el.getnext()
    for _ in range(2):
        if sibling is None or (local(sibling) in BLOCKS and local(sibling) not in ("p", "bibl")):
            break
        scope.append(sibling)
        refs.append(WITNESS_REF(sibling))  # looked up once: for the loop and for the sigla
        if refs[-1]:
            break
        sibling = sibling.getnext()
    found = set()
    for node, hits in zip(scope, refs):
        hits = hits + ([node] if local(node) in ("ref", "bibl", "table") else [])
        for ref in hits:
            for pointer in (ref.get("target") or ref.get("corresp") or "").split():
                key = pointer.split("#")[0] or pointer
                if key in cite_map:
                    found.add(cite_map[key])
    return frozenset(found)


def plain_passages(siglum: str, text: str, file: str = "") -> list[Passage]:
    """Passages of a plain text (blank-line paragraphs), for tests and the synthetic benchmark."""
    out = []
    for number, para in enumerate(re.split(r"\n\s*\n", text), start=1):
        clean = WS.sub(" ", para).strip()
        if clean:
            out.append(
                Passage(siglum, f"{siglum}.src.p{number}", file or f"{siglum}.txt", "p", clean)
            )
    return out
