"""TEI XML in one place: namespace, parsing with line numbers, the schema, named queries."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml.builder import ElementMaker

from build_scripts.problems import Location, Problem, relpath
from build_scripts.project.paths import ROOT as project_root

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"tei": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
XML_SPACE = f"{{{XML_NS}}}space"

E = ElementMaker(namespace=TEI_NS, nsmap={None: TEI_NS})

ROOT = project_root
VENDOR = ROOT / "vendor"  # third-party data vendored into the project (schema, CSL), with licences
TEI_ALL_RNG = VENDOR / "tei" / "tei_all.rng"

# Elements that must carry a stable xml:id (public URLs are built from them).
ID_REQUIRED = ("div", "p", "note", "table", "quote")

ALL_IDS = etree.XPath("//*[@xml:id]")
TEXT = etree.XPath("/tei:TEI/tei:text", namespaces=NS)
NOTES = etree.XPath("//tei:text//tei:note", namespaces=NS)
PAGE_BREAKS = etree.XPath("//tei:text//tei:pb", namespaces=NS)
DIVS = etree.XPath("//tei:text//tei:div", namespaces=NS)
PARAGRAPHS = etree.XPath("//tei:text//tei:p", namespaces=NS)
TABLES = etree.XPath("//tei:text//tei:table", namespaces=NS)
QUOTES = etree.XPath("//tei:text//tei:quote", namespaces=NS)
CHOICES = etree.XPath("//tei:text//tei:choice[tei:sic and tei:corr]", namespaces=NS)
BIBLS = etree.XPath("//tei:text//tei:bibl", namespaces=NS)
WITNESS_REFS = etree.XPath("//tei:text//tei:ref[@type='witness']", namespaces=NS)
POINTERS = etree.XPath("//tei:text//*[@target or @corresp]", namespaces=NS)
ANOMALIES = etree.XPath("//tei:teiHeader//tei:list[@type='note-anomalies']/tei:item", namespaces=NS)
# A note marker the transcription misread: note/@n holds the marker the printed page shows, and the
# header records the transcription's reading (docs/about/encoding.md, Notes):
# <list type="marker-corrections"><item corresp="#G.c2.n23"><choice><sic>223</sic><corr>23</corr>
MARKER_CORRECTIONS = etree.XPath(
    "//tei:teiHeader//tei:list[@type='marker-corrections']/tei:item", namespaces=NS
)
FURNITURE = etree.XPath(
    "//tei:teiHeader//tei:list[@type='removed-furniture']/tei:item", namespaces=NS
)
SOURCE_IDNO = etree.XPath("//tei:sourceDesc//tei:idno[@type=$t]", namespaces=NS)
MAIN_TITLE = etree.XPath("//tei:sourceDesc/tei:bibl/tei:title[1]", namespaces=NS)


@dataclass(frozen=True)
class MarkerCorrection:
    """The header's record of one misread note marker: the note's id, what the transcription
    reads (sic) and what the printed page shows (corr, which note/@n must hold)."""

    note: str
    sic: str
    corr: str
    item: etree._Element


def marker_corrections(doc) -> dict[str, MarkerCorrection]:
    """note id -> its marker's record, for the items that point at a note (`#id`) and pair a sic
    with a corr; `edition check` reports the others ([notes.marker-correction])."""
    out = {}
    for item in MARKER_CORRECTIONS(doc):
        ident = (item.get("corresp") or "").strip()
        choice = item.find("tei:choice", NS)
        sic = choice.find("tei:sic", NS) if choice is not None else None
        corr = choice.find("tei:corr", NS) if choice is not None else None
        if ident.startswith("#") and " " not in ident and sic is not None and corr is not None:
            text = ("".join(sic.itertext()).strip(), "".join(corr.itertext()).strip())
            out[ident[1:]] = MarkerCorrection(ident[1:], *text, item)
    return out


def tei(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def source(root: etree._Element) -> bytes | None:
    """The bytes a tree parsed by `parse` came from (None: not one of the trees parsed last)."""
    return _SOURCES.get(root)


def units(root: etree._Element) -> dict[etree._Element, bytes]:
    """The divisions standing directly in front, body or back of a tree that `parse` made → a key
    of what each is made of: the bytes of the file from its first line to the first line of the
    next such division (or the end), that line's number, and every byte before the first division
    (the prolog, the root's namespaces, the header). Two trees whose division has the same key hold
    the same subtree there, at the same lines, so what was made of it can be reused (an edit in one
    chapter leaves the passages and model nodes of the others as they were). {} for another tree."""
    raw = source(root)
    if raw is None:
        return {}
    divs = [
        d
        for part in root.iterfind("tei:text/*", NS)
        if local(part) in ("front", "body", "back")
        for d in part
        if isinstance(d.tag, str) and local(d) == "div" and d.sourceline
    ]
    if not divs:
        return {}
    lines = raw.split(b"\n")
    starts = [d.sourceline for d in divs] + [len(lines)]
    prefix = hashlib.blake2b(b"\n".join(lines[: starts[0] - 1]), digest_size=16).digest()
    return {
        d: hashlib.blake2b(
            prefix + b"%d\n" % starts[i] + b"\n".join(lines[starts[i] - 1 : starts[i + 1]]),
            digest_size=16,
        ).digest()
        for i, d in enumerate(divs)
    }


def local(el: etree._Element) -> str:
    """The tag without its namespace ("" for a comment or a processing instruction)."""
    tag = el.tag
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


_SOURCES: dict[etree._Element, bytes] = {}  # a root `parse` made lately → the bytes it came from
_SHARED: dict[Path, tuple[bytes, etree._ElementTree]] = {}  # path → (digest of its bytes, tree)


def read(path: Path) -> tuple[etree._ElementTree | None, list[Problem]]:
    """A TEI file's tree shared by the stages that only read it (the model, the apparatus's
    passages, the course packs): parsed again only when the file's bytes change, so one render
    parses a witness once. Never change it: `parse` gives a tree of one's own."""
    try:
        raw = path.read_bytes()
    except OSError:
        return parse(path)  # its own message
    stamp = hashlib.blake2b(raw, digest_size=16).digest()
    hit = _SHARED.get(path)
    if hit is not None and hit[0] == stamp:
        _SOURCES[hit[1].getroot()] = raw  # kept while it is shared
        return hit[1], []
    doc, problems = parse(path, raw)
    if doc is not None:
        _SHARED[path] = (stamp, doc)
    return doc, problems


def parse(path: Path, raw: bytes | None = None) -> tuple[etree._ElementTree | None, list[Problem]]:
    """Parse a TEI file (or `raw`, its bytes as read) keeping line numbers; a syntax error becomes a
    Problem. The bytes the tree was parsed from are kept beside it (`source`) for the trees parsed
    last."""
    parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False, no_network=True)
    try:
        raw = path.read_bytes() if raw is None else raw
        root = etree.fromstring(raw, parser, base_url=str(path))
        if len(_SOURCES) >= 32:
            _SOURCES.clear()
        _SOURCES[root] = raw
        return root.getroottree(), []
    except etree.XMLSyntaxError as err:
        line, col = err.position if err.position else (None, None)
        return None, [
            Problem(
                Location(relpath(path), line, col),
                f"not well-formed XML: {err.msg}",
                "Fix the markup at this place (an unclosed or mismatched tag, a stray '&' or '<')",
                "xml.not-well-formed",
            )
        ]
    except OSError as err:
        return None, [
            Problem(
                Location(relpath(path)),
                f"cannot read the file: {err}",
                "Check that the file exists and is readable",
                "xml.unreadable",
            )
        ]


@functools.lru_cache(maxsize=2)
def schema(path: Path = TEI_ALL_RNG) -> etree.RelaxNG:
    """The RELAX NG schema, loaded once per process (tei_all takes seconds to compile)."""
    return etree.RelaxNG(etree.parse(str(path)))


def validate(doc: etree._ElementTree, path: Path, rng: Path = TEI_ALL_RNG) -> list[Problem]:
    validator = schema(rng)
    if validator.validate(doc):
        return []
    # one message a line: the schema's first, the root cause ("Did not expect element foo
    # there"); those after it at the same line follow from it ("Element p has extra content")
    by_line: dict[int, list[str]] = {}
    columns: dict[int, int] = {}
    for entry in validator.error_log:
        by_line.setdefault(entry.line, []).append(entry.message.replace(f"{{{TEI_NS}}}", ""))
        columns.setdefault(entry.line, entry.column)
    problems = []
    for line, messages in by_line.items():
        more = len(messages) - 1
        problems.append(
            Problem(
                Location(relpath(path), line, columns[line]),
                f"not valid TEI (tei_all): {messages[0]}"
                + (f" (and {more} message(s) at this line that follow from it)" if more else ""),
                "Use only elements and attributes that TEI P5 allows here; see "
                "https://tei-c.org/release/doc/tei-p5-doc/en/html/REF-ELEMENTS.html",
                "tei.invalid",
            )
        )
    return problems


# Elements whose children are indented on their own lines. Anything else (p, head, note, cell,
# quote, hi...) may hold mixed content, where added whitespace would change the text.
CONTAINERS = frozenset(
    "TEI teiHeader fileDesc titleStmt publicationStmt availability sourceDesc encodingDesc "
    "editorialDecl profileDesc langUsage textClass keywords revisionDesc listChange text front "
    "body back div table row list listBibl respStmt biblStruct monogr imprint "
    "notesStmt seriesStmt editionStmt projectDesc tagsDecl rendition classDecl "
    "prefixDef listPrefixDef titlePage docImprint".split()
)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def indent(el: etree._Element, level: int = 0) -> None:
    """Indent container elements only; never touch mixed content (lxml's indent would)."""
    children = list(el)
    if not children or local(el) not in CONTAINERS or not _blank(el.text):
        return
    if any(not _blank(c.tail) for c in children):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in children:
        child.tail = pad
        indent(child, level + 1)
    children[-1].tail = "\n" + "  " * level


# The schemas an XML editor (Oxygen, VS Code with LemMinX) validates a TEI file against as it is
# typed: relative to tei/, generated from schema/edition.odd (build_scripts/tei/odd.py).
XML_MODELS = (
    'href="../schema/tei_edition.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"',
    'href="../schema/tei_edition.sch" type="application/xml" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"',
)

# Mixed-content elements whose text may be laid out one sentence a line: TEI treats whitespace in
# them as insignificant (one space and one line break read the same), so the layout changes no word.
SENTENCE_LINES = frozenset(
    "p note head item cell quote q hi l seg bibl label trailer byline dateline "
    "salute signed opener closer epigraph docTitle titlePart".split()
)
# A sentence ends at . ! ? (and a closing quotation mark or bracket); the next begins with a capital
# or an opening quotation mark. Only a single plain space is replaced, by a line break: same length,
# same words, so offsets into the text (the apparatus's) stay valid. Never before a digit or a
# Markdown marker, so a line can never be read as a list or a heading where the text becomes
# Markdown.
SENTENCE_END = re.compile(r"(?<=[.!?])([\"'’”)\]]?) (?=[A-Z“‘\"'(])")


def sentence_lines(root: etree._Element) -> None:
    """One sentence a line inside paragraphs, notes, cells… (witness files only: the
    apparatus keeps the layout its own writer gives it; xml:space="preserve" is respected)."""
    if root.find(f".//{tei('listApp')}") is not None:
        return
    for el in root.iter(etree.Element):
        if local(el) in SENTENCE_LINES and not _preserved(el):
            el.text = _break(el.text)
        parent = el.getparent()
        if parent is not None and local(parent) in SENTENCE_LINES and not _preserved(parent):
            el.tail = _break(_after_sentence(el))


def _after_sentence(el: etree._Element) -> str | None:
    """The tail of an element that closes a sentence ("… arrested.<note>…</note> At the plenum"):
    its leading single space becomes a line break, as after a sentence inside one text node."""
    tail = el.tail
    if (
        tail
        and re.match(r" [A-Za-z“‘\"'(]", tail)
        and len(etree.tostring(el, with_tail=False)) > 100
    ):
        return "\n" + tail[1:]  # after a long inline element (a citation, a note), a new line
    if not tail or not re.match(r" [A-Z“‘\"'(]", tail):
        return tail
    if local(el) in ("note", "pb", "lb", "anchor"):  # placed after the sentence they follow
        before = el.getprevious().tail if el.getprevious() is not None else el.getparent().text
    else:
        before = "".join(el.itertext())
    if (before or "").rstrip()[-1:] in (".", "!", "?", "”", "’", '"', ")"):
        return "\n" + tail[1:]
    return tail


def _preserved(el: etree._Element) -> bool:
    space = next((a.get(XML_SPACE) for a in [el, *el.iterancestors()] if a.get(XML_SPACE)), None)
    return space == "preserve"


LINE_LIMIT = (
    160  # characters of text a line; a longer sentence is broken after a comma, else a word
)
CLAUSE_END = re.compile(r"(?<=[,;:]) (?=[A-Za-z“‘\"'(])")
WORD_END = re.compile(r"(?<=\S) (?=[A-Za-z“‘\"'(])")


def _break(text: str | None) -> str | None:
    if not text or " " not in text:
        return text
    lines = []
    for line in SENTENCE_END.sub(lambda m: _sentence_break(m, text), text).split("\n"):
        while len(line) > LINE_LIMIT:
            cut = _last(CLAUSE_END, line) or _last(WORD_END, line)
            if cut is None:
                break
            lines.append(line[:cut])
            line = line[cut + 1 :]
        lines.append(line)
    return "\n".join(lines)


# Not sentence ends: initials (E. A. Rees), and abbreviations, also before a number (Fig 1. Draft).
ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr St Fig Figs No Nos Vol vol pp p cf ed eds Ibid ibid op cit Jr Sr "
    "Gen Col Lt Capt Prof Rev Mt Co Inc Ltd vs Art Ch ch".split()
)


def _sentence_break(match: re.Match, text: str) -> str:
    words = text[: match.start()].split()
    word = (words[-1] if words else "").rstrip(".!?")
    before = words[-2] if len(words) > 1 else ""
    if (
        (len(word) == 1 and word.isupper())
        or word in ABBREVIATIONS
        or (word.isdigit() and before in ABBREVIATIONS)
    ):
        return match.group(0)
    return match.group(1) + "\n"


def _last(pattern: re.Pattern, line: str) -> int | None:
    """The last break point (a single space) within the line limit, not too near the start."""
    spots = [
        m.start() for m in pattern.finditer(line, 0, LINE_LIMIT + 1) if m.start() >= LINE_LIMIT // 3
    ]
    return spots[-1] if spots else None


# Blocks: elements that stand on lines of their own when their parent holds nothing but blocks (a
# table or list inside a paragraph, paragraphs inside a quotation or a header element). The
# whitespace added between them is the kind TEI ignores: no text node with a character in it is
# touched.
BLOCKS = frozenset(
    "p quote cit bibl list item table row cell head listBibl lg l note label".split()
)
ELEMENT_ONLY = frozenset("table row list listBibl".split())  # TEI allows no text directly in them


def indent_blocks(root: etree._Element) -> None:
    """Indent every element holding only blocks (no text of its own), wherever it stands."""
    for el in root.iter(etree.Element):
        children = list(el)
        if (
            not children
            or not _blank(el.text)
            or any(local(c) not in BLOCKS or not _blank(c.tail) for c in children)
            or (el.text or "").count("\n")
        ):
            continue
        if local(el) not in ELEMENT_ONLY and any(local(a) == "text" for a in el.iterancestors()):
            continue  # in the text, a space between two paragraphs of a quotation would shift the
            # apparatus's offsets into it (passage text joins blocks without one): only tables,
            # lists
        level = sum(1 for _ in el.iterancestors())
        pad = "\n" + "  " * (level + 1)
        el.text = pad
        for child in children:
            child.tail = pad
            indent(child, level + 1)
        children[-1].tail = "\n" + "  " * level


def serialize(root: etree._Element) -> bytes:
    """Canonical bytes of a TEI document: UTF-8, XML declaration, the xml-model instructions (one a
    line), containers indented, one sentence a line in the text's mixed content."""
    indent(root)
    if (
        root.find(f".//{tei('listApp')}") is None
    ):  # witnesses only: the apparatus has its own layout
        indent_blocks(root)
    sentence_lines(root)
    tree = root.getroottree()
    if tree.docinfo.doctype:  # refused by the check (xml.doctype): written as it is, nothing added
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n"
    lines = [b"<?xml version='1.0' encoding='UTF-8'?>"]
    for node in reversed(list(root.itersiblings(preceding=True))):  # other prolog nodes are kept
        if not (isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model"):
            lines.append(etree.tostring(node, with_tail=False, encoding="UTF-8"))
    lines += [f"<?xml-model {text}?>".encode() for text in XML_MODELS]
    lines.append(etree.tostring(root, with_tail=False, encoding="UTF-8"))
    return b"\n".join(lines) + b"\n"
