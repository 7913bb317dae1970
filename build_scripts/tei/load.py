"""tei/<witness>.xml → model.Document, by the behaviour table of rules.py.

Every node keeps the file:line of its TEI element. An element without a rule, or one standing where
its behaviour cannot go, is a Problem at its line; the rest of the document still loads, so one run
reports every problem.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from build_scripts.tei import model as m
from build_scripts.tei import teixml
from build_scripts.problems import Location, Problem, relpath
from build_scripts.tei.rules import Rule, rule_for
from build_scripts.tei.teixml import NS, XML_ID, local

BLOCKS = (m.Paragraph, m.Heading, m.Block, m.Table, m.ListBlock, m.Generated, m.Division)
_UNITS: dict[tuple, tuple] = {}  # (unit key, file) → (node, its problems): Loader.node


def load(path: Path) -> tuple[m.Document | None, list[Problem]]:
    """Parse and load one TEI file; None when it cannot be parsed at all."""
    doc, problems = teixml.read(path)
    if doc is None:
        return None, problems
    document, more = from_tree(doc.getroot(), relpath(path))
    return document, problems + more


def from_tree(root: etree._Element, rel: str) -> tuple[m.Document, list[Problem]]:
    loader = Loader(rel)
    loader.units = teixml.units(root)
    parts = {}
    for part in ("front", "body", "back"):
        el = root.find(f"tei:text/tei:{part}", NS)
        parts[part] = loader.blocks(el) if el is not None else ()
    ids = frozenset(el.get(XML_ID) for el in teixml.ALL_IDS(root))
    siglum = root.get(XML_ID) or Path(rel).stem
    return m.Document(
        siglum, rel, parts["front"], parts["body"], parts["back"], ids
    ), loader.problems


class Loader:
    """Turns TEI elements into model nodes; collects problems instead of raising."""

    def __init__(self, rel: str):
        self.rel = rel
        self.problems: list[Problem] = []
        self._misread: dict[int, dict] = {}  # id(tree) → its header's marker corrections
        # a division directly in front, body or back → the key of what it is made of (the header
        # among it, for the marker corrections): its node is made once per key (teixml.units)
        self.units: dict[etree._Element, bytes] = {}

    def misread_marker(self, note: etree._Element) -> str | None:
        """The transcription's reading of this note's marker, where the header records that it
        misread the marker the printed page shows (@n, the record's corr)."""
        tree = note.getroottree()
        if id(tree.getroot()) not in self._misread:
            self._misread[id(tree.getroot())] = teixml.marker_corrections(tree)
        record = self._misread[id(tree.getroot())].get(note.get(XML_ID))
        return record.sic if record is not None and record.corr == note.get("n") else None

    def at(self, el: etree._Element) -> Location:
        return Location(self.rel, el.sourceline)

    # --- children --------------------------------------------------------------------------
    def mixed(self, el: etree._Element) -> tuple[m.Node, ...]:
        """Text and child nodes in document order (mixed content)."""
        out: list[m.Node] = []
        if el.text:
            out.append(m.Text(el.text, self.at(el)))
        for child in el:
            if isinstance(child.tag, str):
                node = self.node(child)
                if node is not None:
                    out.append(node)
            if child.tail:
                out.append(m.Text(child.tail, self.at(child)))
        return tuple(out)

    def blocks(self, el: etree._Element) -> tuple[m.Node, ...]:
        """Children of a block container; runs of loose inline content become paragraphs."""
        return as_blocks(self.mixed(el))

    # --- dispatch --------------------------------------------------------------------------
    def node(self, el: etree._Element) -> m.Node | None:
        key = self.units.get(el)
        if key is None:
            return self._node(el)
        key = (key, self.rel)
        hit = _UNITS.get(key)
        if hit is None:
            start = len(self.problems)
            hit = (self._node(el), tuple(self.problems[start:]))
            if len(_UNITS) >= 1024:
                _UNITS.clear()
            _UNITS[key] = hit
        else:
            self.problems.extend(hit[1])
        return hit[0]

    def _node(self, el: etree._Element) -> m.Node | None:
        if etree.QName(el).namespace != teixml.TEI_NS:
            self.problems.append(
                Problem(
                    self.at(el),
                    f"<{el.tag}> is not a TEI element",
                    "Use TEI elements only (namespace http://www.tei-c.org/ns/1.0)",
                    "render.foreign-element",
                )
            )
            return None
        rule = rule_for(el)
        if rule is None:
            self.problems.append(
                Problem(
                    self.at(el),
                    f"<{local(el)}> is not an element the edition renders",
                    "If it is a typo, correct it (`edition check` says what TEI allows here); "
                    "if it is a TEI element the edition should print, encode the passage as "
                    "docs/about/encoding.md says, or a maintainer adds a rule for it to "
                    "build_scripts/tei/rules.py",
                    "render.unknown-element",
                )
            )
            return None
        build = getattr(self, "_" + rule.behaviour)
        return build(el, rule)

    # --- one builder per behaviour -----------------------------------------------------------
    def _omit(self, el: etree._Element, rule: Rule) -> None:
        return None

    def _division(self, el: etree._Element, rule: Rule) -> m.Division:
        children = self.blocks(el)
        head = next((c for c in children if isinstance(c, m.Heading)), None)
        rest = tuple(c for c in children if c is not head)
        return m.Division(
            el.get(XML_ID), el.get("type") or rule.params.get("type", ""), head, rest, self.at(el)
        )

    def _heading(self, el: etree._Element, rule: Rule) -> m.Heading:
        return m.Heading(self.mixed(el), self.at(el))

    def _paragraph(self, el: etree._Element, rule: Rule) -> m.Paragraph:
        return m.Paragraph(el.get(XML_ID), self.mixed(el), self.at(el), rule.params.get("kind", ""))

    def _block(self, el: etree._Element, rule: Rule) -> m.Block:
        return m.Block(rule.params["kind"], el.get(XML_ID), self.blocks(el), self.at(el))

    def _inline(self, el: etree._Element, rule: Rule) -> m.Inline:
        return m.Inline(
            rule.params.get("style", "plain"),
            self.mixed(el),
            self.at(el),
            el.get("type") or local(el),
            el.get(XML_ID),
        )

    def _break(self, el: etree._Element, rule: Rule) -> m.Break:
        return m.Break(
            rule.params["kind"],
            self.at(el),
            el.get("n"),
            el.get(XML_ID),
            el.get("cert"),
            el.get("break") == "no",
        )

    def _alternate(self, el: etree._Element, rule: Rule) -> m.Node | None:
        parts = {local(c): c for c in el if isinstance(c.tag, str)}
        for original, regular in (("sic", "corr"), ("orig", "reg"), ("abbr", "expan")):
            if original in parts and regular in parts:
                kind = {"sic": "correction", "orig": "regularisation", "abbr": "expansion"}[
                    original
                ]
                return m.Alternate(
                    kind, self.mixed(parts[original]), self.mixed(parts[regular]), self.at(el)
                )
        self.problems.append(
            Problem(
                self.at(el),
                "<choice> must hold sic+corr, orig+reg or abbr+expan",
                "Give the choice both readings (see docs/about/encoding.md, Text)",
                "render.bad-choice",
            )
        )
        return None

    def _link(self, el: etree._Element, rule: Rule) -> m.Link:
        target = el.get("target", "").split()[0] if el.get("target", "").split() else ""
        kind = "noteref" if rule.params.get("kind") == "noteref" else link_kind(target)
        return m.Link(kind, target, self.mixed(el), self.at(el))

    def _citation(self, el: etree._Element, rule: Rule) -> m.Node:
        keys = [c[4:] for c in (el.get("corresp") or "").split() if c.startswith("bib:")]
        citation = m.Citation(keys[0] if keys else None, self.mixed(el), self.at(el))
        return (
            m.Paragraph(el.get(XML_ID), (citation,), self.at(el), "bibl")
            if rule.params.get("block")
            else citation
        )

    def _note(self, el: etree._Element, rule: Rule) -> m.Note:
        has_label = el.find("tei:label[@type='note-number']", NS) is not None
        return m.Note(
            el.get(XML_ID),
            el.get("n"),
            el.get("place") or "foot",
            self.mixed(el),
            self.at(el),
            el.get("type") or "",
            el.get("resp") is not None,
            has_label,
            self.misread_marker(el),
        )

    def _table(self, el: etree._Element, rule: Rule) -> m.Table:
        head, rows, notes = [], [], []
        for child in el:
            if not isinstance(child.tag, str):
                continue
            node = self.node(child)
            if isinstance(node, m.Heading):
                if head:  # a second head (label, then caption) starts on a new line
                    head.append(m.Break("line", self.at(child)))
                head.extend(node.children)
            elif isinstance(node, m.Row):
                rows.append(node)
            elif isinstance(node, m.Note):
                notes.append(node)
            elif node is not None:
                self.misplaced(child, "a table holds head, row and note")
        return m.Table(el.get(XML_ID), tuple(head), tuple(rows), tuple(notes), self.at(el))

    def _row(self, el: etree._Element, rule: Rule) -> m.Row:
        cells = []
        for child in el:
            node = self.node(child) if isinstance(child.tag, str) else None
            if isinstance(node, m.Cell):
                cells.append(node)
            elif node is not None:
                self.misplaced(child, "a row holds cells only")
        return m.Row(tuple(cells), self.at(el), el.get("role") == "label")

    def _cell(self, el: etree._Element, rule: Rule) -> m.Cell:
        return m.Cell(
            self.mixed(el),
            self.at(el),
            el.get("role") == "label",
            int(el.get("cols") or 1),
            int(el.get("rows") or 1),
        )

    def _list(self, el: etree._Element, rule: Rule) -> m.ListBlock:
        head, items, pending_label = [], [], ()
        for child in el:
            node = self.node(child) if isinstance(child.tag, str) else None
            if isinstance(node, m.Heading):
                if head:  # a second head (label, then caption) starts on a new line
                    head.append(m.Break("line", self.at(child)))
                head.extend(node.children)
            elif isinstance(node, m.Item):
                items.append(m.Item(pending_label + node.children, node.location))
                pending_label = ()
            elif isinstance(node, m.Inline) and node.role == "label":
                pending_label = (node, m.Text(" "))
            elif node is not None:
                self.misplaced(child, "a list holds head, item and label")
        ordered = (el.get("type") or el.get("rend") or "") in ("ordered", "numbered")
        if (
            ordered
            and items
            and all(re.match(r"\s*\(?\w{1,4}[.)]", m.plain_text(i.children)) for i in items)
        ):
            ordered = False  # the witness prints its numbers: no second, generated numbering
        return m.ListBlock(el.get(XML_ID), tuple(head), tuple(items), self.at(el), ordered)

    def _item(self, el: etree._Element, rule: Rule) -> m.Item:
        return m.Item(self.mixed(el), self.at(el))

    def _generated(self, el: etree._Element, rule: Rule) -> m.Generated:
        head = tuple(n for c in self.mixed(el) if isinstance(c, m.Heading) for n in c.children)
        return m.Generated(
            el.get("type") or "",
            el.get(XML_ID),
            head,
            self.at(el),
            tuple(c.lstrip("#") for c in (el.get("corresp") or "").split() if c.startswith("#")),
        )

    def misplaced(self, el: etree._Element, why: str) -> None:
        self.problems.append(
            Problem(
                self.at(el),
                f"<{local(el)}> cannot stand here: {why}",
                "Move the element (see docs/about/encoding.md)",
                "render.misplaced-element",
            )
        )


def link_kind(target: str) -> str:
    if target.startswith(("http://", "https://", "mailto:")):
        return "url"
    if target.startswith("bib:"):
        return "bib"
    if ".xml#" in target or target.endswith(".xml"):
        return "witness"
    return "local" if target.startswith("#") else "url"


def as_blocks(nodes: tuple[m.Node, ...]) -> tuple[m.Node, ...]:
    """Group loose inline content between blocks into anonymous paragraphs; drop blank text."""
    out: list[m.Node] = []
    run: list[m.Node] = []

    def flush() -> None:
        if any(not isinstance(n, m.Text) or n.text.strip() for n in run):
            out.append(m.Paragraph(None, tuple(run), run[0].location))
        run.clear()

    for node in nodes:
        if isinstance(node, BLOCKS):
            flush()
            out.append(node)
        else:
            run.append(node)
    flush()
    return tuple(out)
