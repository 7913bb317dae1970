"""The in-memory edition: frozen dataclasses, no I/O, shared by every renderer (Markdown, Typst).

`load.py` builds these nodes from TEI by the behaviour table in `rules.py`. Each node keeps the
`Location` (file:line) of the TEI element it came from, so any later stage can report a problem
where the editors can fix it. The node types are a closed set of *behaviours*, not TEI elements:
a renderer implements each behaviour once and never sees a TEI name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from build_scripts.problems import Location

NOWHERE = Location("")

# What stands where the publication setting withholds passages (site and PDFs alike).
WITHHELD_NOTICE = (
    "[Passage withheld{pages}. The rights to the full text of this witness are not "
    "cleared, so the edition publishes only the excerpts the editors chose (see the "
    "witness's page on the site).]"
)


# --- the edition's labels for its interventions (every renderer uses these, never its own wording)
# Three kinds, never mixed (docs/about/encoding.md): a transcription error corrected
# (choice/sic/corr), the witness's own slip left as printed (sic alone), a declared normalisation
# (choice/orig/reg).
LABEL_CORRECTION = (
    "Transcription reads"  # corrected by the edition: the transcription erred, not the print
)
LABEL_NORMALISATION = "Normalised; transcription has"  # a declared normalisation (editorialDecl)
LABEL_EXPANSION = "Abbreviated"
SIC_MARK = "[sic]"
SIC_TITLE = "Printed so in the witness; not corrected by the edition"
LABELS = {
    "correction": LABEL_CORRECTION,
    "regularisation": LABEL_NORMALISATION,
    "expansion": LABEL_EXPANSION,
    "sic": SIC_TITLE,
    "editorial": "Editors’ note.",
}  # the site's titles, the PDF's notes
SHORT_LABELS = {
    "correction": "transcription reads",
    "regularisation": "transcription has",
    "expansion": "abbreviated",
}  # where room is short: "[transcription reads: chisika]"
AS_RECEIVED = "as received (transcription)"  # the view that shows the transcription's readings


def intervention_label(kind: str, original: str) -> str:
    """The reader-facing label of an alternate: "Transcription reads: chisika"."""
    return f"{LABELS.get(kind, LABEL_CORRECTION)}: {original}"


# --- inline behaviours -------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    text: str
    location: Location = NOWHERE


@dataclass(frozen=True)
class Inline:
    """A run of text with a style: italic, bold, superscript, subscript, smallcaps, underline,
    plain."""

    style: str
    children: tuple[Node, ...]
    location: Location = NOWHERE
    role: str = ""  # what it is (TEI name or @type) for renderers that care: title, label, num...
    id: str | None = None


@dataclass(frozen=True)
class Break:
    """A page, line or column break. `n` as printed; `cert` when inferred; `joins` inside a word."""

    kind: str
    location: Location = NOWHERE
    n: str | None = None
    id: str | None = None
    cert: str | None = None
    joins: bool = False


@dataclass(frozen=True)
class Alternate:
    """Two readings of one place: `original` as printed (sic), `regular` as corrected (corr)."""

    kind: str
    original: tuple[Node, ...]
    regular: tuple[Node, ...]
    location: Location = NOWHERE


@dataclass(frozen=True)
class Link:
    """A pointer: kind `witness` (file.xml#id of another witness), `local` (#id), `url`, `bib`,
    `noteref` (a note marker printed a second time: #id of the note it leads to)."""

    kind: str
    target: str
    children: tuple[Node, ...]
    location: Location = NOWHERE


@dataclass(frozen=True)
class Citation:
    """A bibliographic reference as printed; `key` names the references.bib entry when known."""

    key: str | None
    children: tuple[Node, ...]
    location: Location = NOWHERE


@dataclass(frozen=True)
class Note:
    """A note at its marker. `n` as printed (None: no printed number); `marked`: a marker is
    printed."""

    id: str | None
    n: str | None
    place: str
    children: tuple[Node, ...]
    location: Location = NOWHERE
    type: str = ""
    editorial: bool = False
    has_label: bool = False  # the printed number is a <label> inside the note, not @n
    # the marker as the transcription misread it, where the edition corrected it (the header's
    # <list type="marker-corrections">): shown labelled like any corrected transcription error
    misread: str | None = None

    @property
    def marked(self) -> bool:
        return self.n is not None and self.type != "unmarked"


# --- block behaviours --------------------------------------------------------------------------
@dataclass(frozen=True)
class Paragraph:
    id: str | None
    children: tuple[Node, ...]
    location: Location = NOWHERE
    kind: str = ""  # "" for prose; line, byline, trailer, titlepart... ; "withheld" (not published)


@dataclass(frozen=True)
class Heading:
    children: tuple[Node, ...]
    location: Location = NOWHERE


@dataclass(frozen=True)
class Block:
    """A container of blocks: quote, cit, epigraph, titlepage, lg, closer... (`kind` names it)."""

    kind: str
    id: str | None
    children: tuple[Node, ...]
    location: Location = NOWHERE


@dataclass(frozen=True)
class Cell:
    children: tuple[Node, ...]
    location: Location = NOWHERE
    label: bool = False
    cols: int = 1
    rows: int = 1


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    location: Location = NOWHERE
    label: bool = False


@dataclass(frozen=True)
class Table:
    id: str | None
    head: tuple[Node, ...]
    rows: tuple[Row, ...]
    notes: tuple[Note, ...]  # notes standing in the table itself (source lines, table notes)
    location: Location = NOWHERE


@dataclass(frozen=True)
class Item:
    children: tuple[Node, ...]
    location: Location = NOWHERE


@dataclass(frozen=True)
class ListBlock:
    id: str | None
    head: tuple[Node, ...]
    items: tuple[Item, ...]
    location: Location = NOWHERE
    ordered: bool = False


@dataclass(frozen=True)
class Generated:
    """A place where the witness printed generated matter (divGen: notes, index, contents)."""

    kind: str
    id: str | None
    head: tuple[Node, ...]
    location: Location = NOWHERE
    scope: tuple[
        str, ...
    ] = ()  # ids of the divisions whose matter it is (@corresp); () for the whole text


@dataclass(frozen=True)
class Division:
    id: str | None
    type: str
    head: Heading | None
    children: tuple[Node, ...]
    location: Location = NOWHERE


Node = Union[
    Text,
    Inline,
    Break,
    Alternate,
    Link,
    Citation,
    Note,
    Paragraph,
    Heading,
    Block,
    Table,
    Row,
    Cell,
    ListBlock,
    Item,
    Generated,
    Division,
]
INLINE = (Text, Inline, Break, Alternate, Link, Citation, Note)


@dataclass(frozen=True)
class Document:
    """One witness: its siglum, TEI file and the three parts of its text."""

    siglum: str
    path: str  # as users see it: tei/getty.xml
    front: tuple[Node, ...]
    body: tuple[Node, ...]
    back: tuple[Node, ...]
    ids: frozenset[str] = field(default=frozenset(), hash=False, compare=False)

    @property
    def file(self) -> str:
        return self.path.rsplit("/", 1)[-1]


# --- helpers every renderer needs --------------------------------------------------------------
def children_of(node: Node) -> tuple[Node, ...]:
    """The child nodes a walk should visit, in reading order."""
    if isinstance(node, Alternate):
        return node.regular
    if isinstance(node, Division):
        return ((node.head,) if node.head else ()) + node.children
    if isinstance(node, Table):
        return node.head + node.rows + node.notes
    if isinstance(node, ListBlock):
        return node.head + node.items
    if isinstance(node, Row):
        return node.cells
    if isinstance(node, Generated):
        return node.head
    return getattr(node, "children", ())


def walk(nodes: tuple[Node, ...] | list[Node]):
    """Every node below `nodes`, depth first, in reading order."""
    for node in nodes:
        yield node
        yield from walk(children_of(node))


def plain_text(nodes: tuple[Node, ...] | list[Node], notes: bool = False) -> str:
    """The text a reader sees (corrected readings; notes left out unless asked)."""
    return " ".join("".join(_pieces(nodes, notes)).split())


def _pieces(nodes: tuple[Node, ...] | list[Node], notes: bool):
    """plain_text before its spaces are collapsed, piece by piece in reading order."""
    for node in nodes:
        if isinstance(node, Text):
            yield node.text
        elif isinstance(node, Note) and not notes:
            continue
        elif isinstance(node, Break) and node.kind == "line" and not node.joins:
            yield " "  # a line ends between two words ("nos balles<lb/>Sont")
        elif isinstance(node, INLINE):
            yield plain_text(children_of(node), notes)
        else:
            yield " "
            yield from _pieces(children_of(node), notes)
            yield " "


def more_words_than(nodes: tuple[Node, ...] | list[Node], limit: int, notes: bool = False) -> bool:
    """len(plain_text(nodes, notes).split()) > limit, reading no further than the limit."""
    words, inside = 0, False  # inside: the text so far ends in the middle of a word
    for piece in _pieces(nodes, notes):
        if not piece:
            continue
        tokens = piece.split()
        words += len(tokens) - (1 if inside and tokens and not piece[0].isspace() else 0)
        if words > limit:
            return True
        inside = not piece[-1].isspace()
    return False


def ids_in(nodes: tuple[Node, ...] | list[Node]) -> list[str]:
    """The xml:ids carried by nodes below `nodes` (anchors a page offers)."""
    return [node.id for node in walk(nodes) if getattr(node, "id", None)]
