"""TEI XML in one place: namespace, parsing with line numbers, the schema, named queries."""
from __future__ import annotations

import functools
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
FURNITURE = etree.XPath("//tei:teiHeader//tei:list[@type='removed-furniture']/tei:item", namespaces=NS)
SOURCE_IDNO = etree.XPath("//tei:sourceDesc//tei:idno[@type=$t]", namespaces=NS)
MAIN_TITLE = etree.XPath("//tei:sourceDesc/tei:bibl/tei:title[1]", namespaces=NS)


def tei(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def parse(path: Path) -> tuple[etree._ElementTree | None, list[Problem]]:
    """Parse a TEI file keeping line numbers; a syntax error becomes a Problem."""
    parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False, no_network=True)
    try:
        return etree.parse(str(path), parser), []
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
        return None, [Problem(Location(relpath(path)), f"cannot read the file: {err}", "Check that the file exists and is readable", "xml.unreadable")]


@functools.lru_cache(maxsize=2)
def schema(path: Path = TEI_ALL_RNG) -> etree.RelaxNG:
    """The RELAX NG schema, loaded once per process (tei_all takes seconds to compile)."""
    return etree.RelaxNG(etree.parse(str(path)))


def validate(doc: etree._ElementTree, path: Path, rng: Path = TEI_ALL_RNG) -> list[Problem]:
    validator = schema(rng)
    if validator.validate(doc):
        return []
    problems = []
    for entry in validator.error_log:
        message = entry.message.replace(f"{{{TEI_NS}}}", "")
        problems.append(
            Problem(
                Location(relpath(path), entry.line, entry.column),
                f"not valid TEI (tei_all): {message}",
                "Use only elements and attributes that TEI P5 allows here; see https://tei-c.org/release/doc/tei-p5-doc/en/html/REF-ELEMENTS.html",
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


def serialize(root: etree._Element) -> bytes:
    """Canonical bytes of a TEI document: UTF-8, XML declaration, containers indented."""
    indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
