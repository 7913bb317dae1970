"""model nodes of one page → Markdown for MkDocs Material (footnotes, attr_list, md_in_html).

One small function per behaviour. Source text never becomes markup: every character Markdown could
read as syntax is backslash-escaped, `<` and `&` become entities (`escape`). Markup this module adds
is either Markdown syntax around escaped text or raw HTML whose attribute values are HTML-escaped.
Notes become footnotes whose marker is the number *as printed* (raw `sup.footnote-ref`, so
Material's footnote tooltips work); elements of the edition's own voice carry class `ed`.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from dataclasses import dataclass, field
from typing import Callable

from build_scripts.tei import model as m
from build_scripts.problems import Problem

# Characters Python-Markdown (with our extensions) reads as syntax and un-escapes after `\`.
MD_ESCAPED = frozenset("\\`*_{}[]()>#+-.!|")
SPACE = re.compile(r"[ \t\r\n]+")
STYLE_TAGS = {
    "italic": "em",
    "bold": "strong",
    "superscript": "sup",
    "subscript": "sub",
    "underline": "u",
    "strike": "s",
}


ESCAPES = {ord(ch): "\\" + ch for ch in MD_ESCAPED} | {ord("<"): "&lt;", ord("&"): "&amp;"}


def escape(text: str) -> str:
    """Source text → Markdown that renders exactly this text (whitespace collapsed)."""
    return SPACE.sub(" ", text).translate(ESCAPES)


def attr(value: str) -> str:
    """An HTML attribute value; ` and \\ as character references, since Markdown reads code spans
    and backslash escapes before it sees raw HTML (a ` in a title would open a code span)."""
    return html.escape(value, quote=True).replace("`", "&#96;").replace("\\", "&#92;")


WORDS_IN_LIST = 30  # opening words of each note in the list of end notes

# the label of a lone sic: the witness's own slip, shown as printed (labels live in model.py, shared
# with the PDF)
SIC_LABEL = m.SIC_TITLE


@dataclass(frozen=True)
class Endnote:
    """An end note as the list of notes shows it: printed number, the page and anchor of its marker,
    its text."""

    n: str
    page: str
    anchor: str
    text: str
    divs: tuple[str, ...] = ()  # ids of the divisions around its marker


def endnotes_of(pages: list[tuple[str, tuple[m.Node, ...]]]) -> tuple[Endnote, ...]:
    """The end notes (place="end") of a witness's pages (docs path, nodes), in reading order."""
    out: list[Endnote] = []

    def visit(src: str, nodes, divs: tuple[str, ...]) -> None:
        for node in nodes:
            if isinstance(node, m.Note):
                if node.place == "end" and node.id:
                    out.append(
                        Endnote(
                            node.n or "",
                            src,
                            f"fn:{node.id}",
                            m.plain_text(node.children, notes=True),
                            divs,
                        )
                    )
                continue  # a note inside a note is listed with it
            inner = divs + (node.id,) if isinstance(node, m.Division) and node.id else divs
            visit(src, m.children_of(node), inner)

    for src, nodes in pages:
        visit(src, nodes, ())
    return tuple(out)


@dataclass
class Context:
    """What a page needs to know about the rest of the site."""

    page: str  # this page, relative to docs/: edition/getty/G.c6.md
    file: str  # this witness's TEI file name: getty.xml
    anchor_page: Callable[[str, str], str | None] = lambda file, ident: None  # (file, id) → page
    bib_page: Callable[[str], str | None] = lambda key: None  # key → page holding #bib-KEY
    marks: dict[str, list[dict]] = field(default_factory=dict)  # paragraph id → apparatus loci
    start_page: str | None = None  # printed page number in force where this page begins
    endnotes: tuple[
        Endnote, ...
    ] = ()  # the witness's end notes, for the page where it printed them (divGen)
    # (file, id) → the anchor of that id on its page ("fn:<id>" for a note: notes are footnotes)
    anchor_of: Callable[[str, str], str | None] = lambda file, ident: None

    def href(self, page: str, anchor: str | None = None) -> str:
        rel = relative(page, self.page) if page != self.page else ""
        return rel + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=4096)
def relative(page: str, here: str) -> str:
    """The path from the folder of page `here` to `page` (both relative to docs/)."""
    return posixpath.relpath(page, posixpath.dirname(here))


class MarkdownPage:
    """Renders the nodes of one page; collects its footnotes and its problems."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.page = ctx.start_page
        self.notes: list[tuple[str, m.Note]] = []
        self.problems: list[Problem] = []
        self.in_note = (
            False  # footnotes take ids as inline anchors (the back-link would hide an attr list)
        )

    def render(self, nodes: tuple[m.Node, ...], level: int = 1) -> str:
        parts = self.blocks(nodes, level)
        done = 0
        while done < len(self.notes):  # notes may hold notes: render until none is left
            ident, note = self.notes[done]
            parts.append(self.footnote(ident, note))
            done += 1
        return "\n\n".join(p for p in parts if p) + "\n"

    # --- blocks ----------------------------------------------------------------------------
    def blocks(self, nodes: tuple[m.Node, ...], level: int) -> list[str]:
        out: list[str] = []
        for node in load_blocks(nodes):
            out.extend(self.block(node, level))
        return out

    def block(self, node: m.Node, level: int) -> list[str]:
        match node:
            case m.Division():
                return self.division(node, level)
            case m.Paragraph():
                return self.paragraph(node, level)
            case m.Heading():
                return [self.para(self.inline(node.children), classes=("heading",))]
            case m.Block():
                return [self.container(node, level)]
            case m.Table():
                return [self.table(node)]
            case m.ListBlock():
                return [self.list_block(node, level)]
            case m.Generated():
                return [self.generated(node)]
        raise TypeError(f"not a block: {node!r}")  # load_blocks wraps every inline run

    def division(self, div: m.Division, level: int) -> list[str]:
        out = []
        if div.head is not None:
            anchor = f" {{: #{div.id} }}" if div.id else ""
            out.append(f"{'#' * min(level, 6)} {self.inline(div.head.children).strip()}{anchor}")
        elif div.id:
            out.append(f'<div class="anchor" id="{attr(div.id)}"></div>')
        return out + self.blocks(div.children, level + 1)

    def paragraph(self, p: m.Paragraph, level: int) -> list[str]:
        """A paragraph; blocks nested inside it (a quotation, a list) end it and follow it."""
        if p.kind == "withheld":
            return [self.withheld(p)]
        out, run, first = [], [], True
        page_at_start = self.page
        for child in p.children + (None,):
            if child is None or not isinstance(child, m.INLINE):
                if run or (first and child is None):
                    text = self.inline(tuple(run)).strip()
                    ident = p.id if first else None
                    out.append(
                        self.para(
                            text + self.apparatus(ident),
                            ident,
                            page_at_start,
                            (f"kind-{p.kind}",) if p.kind else (),
                        )
                    )
                    first, run = False, []
                if child is not None:
                    out.extend(self.block(child, level))
            else:
                run.append(child)
        return out

    def withheld(self, p: m.Paragraph) -> str:
        """The notice for passages not published: their page breaks stay as anchors, the range is
        named."""
        pages = [n.n for n in p.children if isinstance(n, m.Break) and n.kind == "page" and n.n]
        start = self.page
        span = (
            f"{start or pages[0]}–{pages[-1]}"
            if pages and (start or pages[0]) != pages[-1]
            else (pages[-1] if pages else start)
        )
        where = (
            f"page {span} of the printed edition; "
            if span and "–" not in span
            else (f"pages {span} of the printed edition; " if span else "")
        )
        note = (
            f'<span class="ed withheld">Not published on this site ({where}the '
            "rights to the full text are not cleared); see the witness page.</span>"
        )
        return self.para(self.inline(p.children) + note, p.id, start, ("withheld",))

    def para(
        self,
        text: str,
        ident: str | None = None,
        page: str | None = None,
        classes: tuple[str, ...] = (),
    ) -> str:
        if self.in_note and ident:
            text, ident = f'<span id="{attr(ident)}"></span>{text}', None
        attrs = ([f"#{ident}"] if ident else []) + [f".{c}" for c in classes]
        if ident and page:
            attrs.append(f'data-page="{attr(page)}"')
        if not text:
            text = "&#8203;"  # an empty <p> would vanish; keep its anchor
        return text + (f"\n{{: {' '.join(attrs)} }}" if attrs else "")

    def container(self, node: m.Block, level: int) -> str:
        tag = "blockquote" if node.kind == "quote" else "div"
        ident = f' id="{attr(node.id)}"' if node.id else ""
        inner = "\n\n".join(self.blocks(node.children, level) + [self.apparatus_block(node.id)])
        return (
            f'<{tag} class="{attr(node.kind)}"{ident} markdown="1">\n\n{inner.strip()}\n\n</{tag}>'
        )

    def table(self, table: m.Table) -> str:
        ident = f' id="{attr(table.id)}"' if table.id else ""
        lines = [f'<div class="table-wrap"{ident} markdown="1">', ""]
        if table.head:
            lines += [self.para(self.inline(table.head).strip(), classes=("table-head",)), ""]
        lines.append('<table markdown="1">')
        for row in table.rows:
            cells = "".join(self.cell(c, row.label) for c in row.cells)
            lines.append(f'<tr markdown="1">{cells}</tr>')
        lines.append("</table>")
        if table.notes:
            lines += [
                "",
                self.para(
                    " ".join(self.note_ref(n) for n in table.notes), classes=("table-notes",)
                ),
            ]
        if self.apparatus_block(table.id):
            lines += ["", self.apparatus_block(table.id)]
        return "\n".join(lines + ["", "</div>"])

    def cell(self, cell: m.Cell, label_row: bool) -> str:
        tag = "th" if cell.label or label_row else "td"
        span = (f' colspan="{cell.cols}"' if cell.cols > 1 else "") + (
            f' rowspan="{cell.rows}"' if cell.rows > 1 else ""
        )
        return f'<{tag}{span} markdown="span">{self.inline(cell.children).strip()}</{tag}>'

    def list_block(self, lst: m.ListBlock, level: int) -> str:
        out = [self.para(self.inline(lst.head).strip(), classes=("list-head",))] if lst.head else []
        items = []
        for number, item in enumerate(lst.items, start=1):
            bullet = f"{number}. " if lst.ordered else "- "
            body = self.blocks(item.children, level) or ["&#8203;"]
            items.append(bullet + indent("\n\n".join(body), 4).lstrip())
        out.append("\n".join(items) if all("\n" not in i for i in items) else "\n\n".join(items))
        if lst.id:
            out.insert(0, f'<div class="anchor" id="{attr(lst.id)}"></div>')
        return "\n\n".join(out)

    def generated(self, gen: m.Generated) -> str:
        head = self.inline(gen.head).strip()
        where = "at their markers" if gen.kind == "notes" else "elsewhere in this edition"
        note = f' <span class="ed divgen-note">(printed here in the original; shown {where})</span>'
        out = self.para(head + note, gen.id, None, ("divgen",))
        if gen.kind == "notes" and self.ctx.endnotes:
            out += "\n\n" + self.endnote_list(gen.scope)
        return out

    def endnote_list(self, scope: tuple[str, ...] = ()) -> str:
        """Where the witness printed its notes: each note's number (a link to the note at its
        marker) and its opening words. Kept out of the search index: the notes are indexed at their
        markers."""
        items = []
        for note in self.ctx.endnotes:
            if scope and not set(scope) & set(note.divs):
                continue
            words = note.text.split()
            text = " ".join(words[:WORDS_IN_LIST]) + (" …" if len(words) > WORDS_IN_LIST else "")
            href = self.ctx.href(note.page, note.anchor)
            label = f"Note {note.n}, at its marker" if note.n else "Note at its marker"
            items.append(
                f"- [{escape(note.n or '*')}]({href}){{: .endnote-n "
                f'aria-label="{attr(label)}" }} {escape(text)}'
            )
        if not items:
            return ""
        return (
            '<div class="ed endnote-list" data-search-exclude markdown="1">\n\n'
            + "\n".join(items)
            + "\n\n</div>"
        )

    # --- inline ----------------------------------------------------------------------------
    def inline(self, nodes: tuple[m.Node, ...]) -> str:
        return "".join(self.inline_node(n) for n in nodes)

    def inline_node(self, node: m.Node) -> str:
        match node:
            case m.Text():
                return escape(node.text)
            case m.Inline():
                return self.styled(node)
            case m.Break():
                return self.break_(node)
            case m.Alternate():
                return self.alternate(node)
            case m.Link():
                return self.link(node)
            case m.Citation():
                return self.citation(node)
            case m.Note():
                return self.note_ref(node)
        return " ".join(
            self.block(node, 6)
        )  # a block inside inline content (e.g. a list in a cell)

    def styled(self, node: m.Inline) -> str:
        inner = self.inline(node.children)
        if node.id:
            inner = (
                f'<span class="{attr(node.role)}" id="{attr(node.id)}">{inner}</span>'
                + self.apparatus(node.id)
            )
        tag = STYLE_TAGS.get(node.style)
        if tag:
            return f"<{tag}>{inner}</{tag}>"
        if node.style == "smallcaps":
            return f'<span class="smallcaps">{inner}</span>'
        if (
            node.style == "sic"
        ):  # a lone sic: the witness printed it so; the edition does not correct it
            return (
                f'<span class="sic">{inner}</span><span '
                f'class="ed sic-label" title="{attr(SIC_LABEL)}"> '
                f"{m.SIC_MARK}</span>"
            )
        return inner

    def break_(self, node: m.Break) -> str:
        if node.kind == "page":
            if node.n:
                self.page = page_label(node)
            n = f' data-n="{attr(node.n)}"' if node.n else ""
            cert = f' data-cert="{attr(node.cert)}"' if node.cert else ""
            title = (
                f"Page {node.n} of the printed edition"
                if node.n
                else "Page break (number not printed)"
            )
            title += " (number inferred)" if node.cert else ""
            if node.id:
                return (
                    f'<a class="ed pb" id="{attr(node.id)}" '
                    f'href="#{attr(node.id)}"{n}{cert} title="{attr(title)}"></a>'
                )
            return f'<span class="ed pb"{n}{cert} title="{attr(title)}"></span>'
        if node.kind == "line":
            # the space: two words for the search indexes (a browser shows none at a line's start)
            return "" if node.joins else '<br class="lb"> '
        if node.kind == "anchor" and node.id:
            return f'<span id="{attr(node.id)}"></span>'
        return ""

    def alternate(self, node: m.Alternate) -> str:
        original = alternate_text(node.original)
        label = m.intervention_label(node.kind, original)
        return (
            f'<span class="alt {node.kind}" title="{attr(label)}" data-original="{attr(original)}">'
            f"{self.inline(node.regular)}</span>"
        )

    def link(self, node: m.Link) -> str:
        if node.kind == "noteref":
            return self.note_again(node)
        text = self.inline(node.children) or escape(node.target)
        href = self.resolve(node)
        if href is None:
            return text
        return f"[{text}]({href})" + ("{: .xref }" if node.kind == "witness" else "")

    def resolve(self, node: m.Link) -> str | None:
        if node.kind == "url":
            return node.target.replace(" ", "%20").replace(")", "%29")
        if node.kind == "bib":
            page = self.ctx.bib_page(node.target[4:])
            return self.ctx.href(page, f"bib-{node.target[4:]}") if page else None
        file, _, ident = node.target.partition("#")
        file = file or self.ctx.file
        page = self.ctx.anchor_page(file, ident)
        if page is None:
            self.problems.append(
                Problem(
                    node.location,
                    f'the link target "{node.target}" is not on any page of the site',
                    "Point @target to an existing id (file.xml#id), "
                    "or build the site with that witness",
                    "render.unresolved-link",
                    "warning",
                )
            )
            return None
        return self.ctx.href(page, (self.ctx.anchor_of(file, ident) or ident) if ident else None)

    def citation(self, node: m.Citation) -> str:
        text = self.inline(node.children)
        page = self.ctx.bib_page(node.key) if node.key else None
        if page is None:
            return f'<span class="bibl">{text}</span>' if text else ""
        href = self.ctx.href(page, f"bib-{node.key}")
        if any(isinstance(n, m.Link) for n in m.walk(node.children)):
            return f'{text}[↗]({href}){{: .ed .bib-link title="Bibliography" }}'
        return f"[{text}]({href}){{: .bibl }}"

    def note_ref(self, note: m.Note) -> str:
        ident = note.id or f"note-{len(self.notes) + 1}"
        self.notes.append((ident, note))
        marker = escape(note.n) if note.marked else ("‡" if note.editorial else "*")
        if note.marked and note.misread:  # a marker the transcription misread, corrected
            marker = self.alternate(
                m.Alternate("correction", (m.Text(note.misread),), (m.Text(note.n),))
            )
        classes = "footnote-ref" + (" ed" if not note.marked else "")
        return (
            f'<sup id="fnref:{attr(ident)}"><a class="{classes}" '
            f'href="#fn:{attr(ident)}">{marker}</a></sup>'
        )

    def note_again(self, node: m.Link) -> str:
        """A marker printed a second time: a footnote marker that leads to the note of the first
        (no id of its own; the note's back-link returns to the first)."""
        marker = self.inline(node.children)
        file, _, ident = node.target.partition("#")
        page = self.ctx.anchor_page(file or self.ctx.file, ident)
        if page is None:
            return f"<sup>{marker}</sup>"
        return (
            f'<sup><a class="footnote-ref" href="{attr(self.ctx.href(page, "fn:" + ident))}">'
            f"{marker}</a></sup>"
        )

    def footnote(self, ident: str, note: m.Note) -> str:
        if note.editorial:
            prefix = f'<span class="ed note-n">{html.escape(m.LABELS["editorial"])}</span> '
        elif note.n and not note.has_label:
            prefix = f'<span class="note-n">{escape(note.n)}</span> '
        else:
            prefix = ""
        self.in_note = True
        body = self.blocks(note.children, 6) or [""]
        self.in_note = False
        body[-1] = with_marks(body[-1], self.apparatus(ident))
        first, rest = body[0], body[1:]
        text = f"[^{ident}]: {prefix}{indent(first, 4).lstrip()}"
        return "\n\n".join([text] + [indent(b, 4) for b in rest])

    def apparatus(self, ident: str | None) -> str:
        """A mark after a passage for each apparatus locus that involves it: a link to the locus
        page that assets/apparatus/compare.js turns into an in-place comparison (data-locus)."""
        out = []
        for locus in self.ctx.marks.get(ident or "", []):
            href = self.ctx.href(*apparatus_page(self.ctx.page, locus["href"]))
            label = attr(locus.get("label", ""))
            extra = (
                f' data-locus="{attr(locus["locus"])}" aria-haspopup="dialog"'
                if locus.get("locus")
                else ""
            )
            out.append(
                f' [⇄]({href}){{: .ed .app-mark title="{label}" aria-label="{label}"{extra} }}'
            )
        return "".join(out)

    def apparatus_block(self, ident: str | None) -> str:
        """The marks of a block that is not a paragraph (a table, a quotation) as a line of their
        own."""
        marks = self.apparatus(ident)
        return self.para(marks.strip(), classes=("app-marks",)) if marks else ""


def with_marks(block: str, marks: str) -> str:
    """A rendered paragraph with marks appended before its attribute list, if it has one."""
    if not marks:
        return block
    text, sep, attrs = block.rpartition("\n{:")
    return f"{text}{marks}{sep}{attrs}" if sep and attrs.endswith("}") else block + marks


def page_label(node: m.Break) -> str:
    """A printed page number as citations give it: an inferred number ends in "?"."""
    return (node.n or "") + ("?" if node.cert else "")


def alternate_text(nodes: tuple[m.Node, ...]) -> str:
    """The text of one reading of an alternate as it stands (its spaces kept: " ," stays " ,")."""
    return "".join(n.text if isinstance(n, m.Text) else m.plain_text((n,)) for n in nodes)


def apparatus_page(page: str, href: str) -> tuple[str, str | None]:
    """The apparatus stage's href (relative to the witness's folder; `x/` or `x.md`) → (docs path,
    anchor)."""
    path, _, anchor = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if not target.endswith(".md"):
        target = target.rstrip("/") + ".md"
    return target, anchor or None


def load_blocks(nodes: tuple[m.Node, ...]) -> tuple[m.Node, ...]:
    from build_scripts.tei.load import as_blocks

    return as_blocks(nodes)


def indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else line for line in text.split("\n"))


def render_page(
    nodes: tuple[m.Node, ...], ctx: Context, level: int = 1, preamble: str = ""
) -> tuple[str, list[Problem]]:
    """The Markdown of one page and the problems met while rendering it."""
    page = MarkdownPage(ctx)
    body = page.render(nodes, level)
    return (preamble + "\n\n" if preamble else "") + body, page.problems
