"""TEI element → behaviour: the edition's processing model, as data (read it like an ODD).

For each TEI element, the first rule whose `when` holds gives the behaviour `load.py` builds and
its parameters. The behaviours are the closed set of node types in `model.py`:

    division, heading, paragraph, block, inline, break, alternate, link, citation, note,
    table, row, cell, list, item, generated, omit

An element with no rule is a problem at its line (`render.unknown-element`), never passed through.
Adding a TEI element with an existing behaviour is one line here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from lxml import etree

Predicate = Callable[[etree._Element], bool]


@dataclass(frozen=True)
class Rule:
    behaviour: str
    when: Predicate | None = None
    params: dict = field(default_factory=dict)


def rend_is(*values: str) -> Predicate:
    return lambda el: any(v in (el.get("rend") or "").split() for v in values)


def type_is(*values: str) -> Predicate:
    return lambda el: el.get("type") in values


def parent_is(*names: str) -> Predicate:
    def test(el: etree._Element) -> bool:
        parent = el.getparent()
        return parent is not None and etree.QName(parent).localname in names

    return test


def has_attr(name: str) -> Predicate:
    return lambda el: el.get(name) is not None


def inline(style: str = "plain") -> Rule:
    return Rule("inline", params={"style": style})


def block(kind: str) -> Rule:
    return Rule("block", params={"kind": kind})


RULES: dict[str, tuple[Rule, ...]] = {
    # structure
    "text": (Rule("omit"),),  # the loader starts below it, at front/body/back
    "front": (Rule("division", params={"type": "front"}),),
    "body": (Rule("division", params={"type": "body"}),),
    "back": (Rule("division", params={"type": "back"}),),
    "div": (Rule("division"),),
    "head": (Rule("heading"),),
    "p": (Rule("paragraph"),),
    "ab": (Rule("paragraph"),),
    # blocks that hold other blocks
    # a quotation inside running text with no paragraphs of its own stays inline; otherwise a block
    "quote": (
        Rule(
            "inline",
            when=lambda el: parent_is("p", "item", "cell", "head", "note", "l", "bibl")(el)
            and not any(
                isinstance(c.tag, str) and etree.QName(c).localname in ("p", "lg", "list", "table")
                for c in el
            ),
            params={"style": "plain"},
        ),
        block("quote"),
    ),
    "cit": (block("cit"),),
    "epigraph": (block("epigraph"),),
    "lg": (block("lg"),),
    "l": (Rule("paragraph", params={"kind": "line"}),),
    "sp": (block("sp"),),
    "speaker": (inline("bold"),),
    "opener": (block("opener"),),
    "closer": (block("closer"),),
    "postscript": (block("postscript"),),
    "argument": (block("argument"),),
    "trailer": (Rule("paragraph", params={"kind": "trailer"}),),
    "byline": (Rule("paragraph", params={"kind": "byline"}),),
    "dateline": (Rule("paragraph", params={"kind": "dateline"}),),
    "salute": (Rule("paragraph", params={"kind": "salute"}),),
    "signed": (Rule("paragraph", params={"kind": "signed"}),),
    "docImprint": (Rule("paragraph", params={"kind": "imprint"}),),
    "docEdition": (Rule("paragraph", params={"kind": "imprint"}),),
    "docAuthor": (inline("plain"),),
    "docDate": (inline("plain"),),
    "titlePage": (block("titlepage"),),
    "docTitle": (block("doctitle"),),
    "titlePart": (Rule("paragraph", params={"kind": "titlepart"}),),
    "figure": (block("figure"),),
    "floatingText": (block("insert"),),  # a boxed insert: its own front/body/back inside
    "figDesc": (Rule("omit"),),  # a description of a figure, not text of the witness
    "graphic": (Rule("omit"),),
    "fw": (Rule("omit"),),  # page furniture kept in the TEI is not shown
    # generated matter
    "divGen": (Rule("generated"),),
    # notes
    "note": (Rule("note"),),
    # breaks
    "pb": (Rule("break", params={"kind": "page"}),),
    "lb": (Rule("break", params={"kind": "line"}),),
    "cb": (Rule("break", params={"kind": "column"}),),
    "milestone": (Rule("omit"),),
    "anchor": (Rule("break", params={"kind": "anchor"}),),
    # alternates: the corrected reading in the text, the original on demand
    "choice": (Rule("alternate"),),
    "sic": (
        inline("sic"),
    ),  # outside a choice: the witness's own slip, shown as printed with "[sic]"
    "corr": (inline("plain"),),
    "orig": (inline("plain"),),
    "reg": (inline("plain"),),
    "abbr": (inline("plain"),),
    "expan": (inline("plain"),),
    # links and citations
    "ref": (
        # a note marker printed a second time: it leads to the note of the first (type="noteref")
        Rule("link", when=type_is("noteref"), params={"kind": "noteref"}),
        Rule("link", when=type_is("witness"), params={"kind": "witness"}),
        Rule("link", when=has_attr("target")),
        inline("plain"),
    ),
    "ptr": (Rule("link", when=has_attr("target"), params={"empty": True}),),
    "bibl": (
        Rule("citation", when=parent_is("listBibl"), params={"block": True}),
        Rule("citation"),
    ),
    "biblScope": (inline("plain"),),
    "listBibl": (block("listbibl"),),
    # tables and lists
    "table": (Rule("table"),),
    "row": (Rule("row"),),
    "cell": (Rule("cell"),),
    "list": (Rule("list"),),
    "item": (Rule("item"),),
    "label": (inline("plain"),),
    # inline: emphasis as printed
    "hi": (
        Rule("inline", when=rend_is("italic", "italics", "i"), params={"style": "italic"}),
        Rule("inline", when=rend_is("bold", "b"), params={"style": "bold"}),
        Rule("inline", when=rend_is("superscript", "sup"), params={"style": "superscript"}),
        Rule("inline", when=rend_is("subscript", "sub"), params={"style": "subscript"}),
        Rule(
            "inline", when=rend_is("smallcaps", "small-caps", "sc"), params={"style": "smallcaps"}
        ),
        Rule("inline", when=rend_is("underline", "u"), params={"style": "underline"}),
        inline("italic"),
    ),
    "emph": (inline("italic"),),
    "foreign": (inline("plain"),),
    "term": (inline("plain"),),
    "mentioned": (inline("plain"),),
    "soCalled": (inline("plain"),),
    "title": (inline("plain"),),
    "author": (inline("plain"),),
    "editor": (inline("plain"),),
    "publisher": (inline("plain"),),
    "pubPlace": (inline("plain"),),
    "date": (inline("plain"),),
    "name": (inline("plain"),),
    "persName": (inline("plain"),),
    "placeName": (inline("plain"),),
    "orgName": (inline("plain"),),
    "rs": (inline("plain"),),
    "num": (inline("plain"),),
    "measure": (inline("plain"),),
    "seg": (inline("plain"),),
    "q": (inline("plain"),),
    "said": (inline("plain"),),
    "idno": (inline("plain"),),
    "add": (inline("plain"),),
    "unclear": (inline("plain"),),
    "gap": (Rule("omit"),),
    "del": (inline("strike"),),
    "supplied": (Rule("omit"),),
    "index": (Rule("omit"),),
}


def rule_for(el: etree._Element) -> Rule | None:
    """The first rule for this element whose condition holds (None: the element has no rule)."""
    for rule in RULES.get(etree.QName(el).localname, ()):
        if rule.when is None or rule.when(el):
            return rule
    return None
