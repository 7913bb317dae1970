"""The edition's model (tei/model.py, built by the rules of tei/rules.py) → Typst source for the
PDFs.

The same processing model as the site: this module never sees a TEI element, only the closed set of
behaviour nodes, and implements each behaviour once (as site/markdown.py does for the web). Witness
text is always emitted as Typst strings (`#"…"`), so nothing a witness prints can become markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from build_scripts.problems import Problem
from build_scripts.tei import model as m

# Typst functions for the inline styles of the model (see tei/rules.py "hi", "del", ...).
STYLES = {
    "italic": "emph",
    "bold": "strong",
    "superscript": "super",
    "subscript": "sub",
    "smallcaps": "smallcaps",
    "underline": "underline",
    "strike": "strike",
}
STRUCTURAL = ("front", "body", "back")  # divisions that are parts of the text, not headed sections


def string(text: str) -> str:
    """A Typst string literal that shows `text` exactly (no markup, no smart quotes)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\t", " ")
    return f'#"{escaped}"' if text else ""


def _ws(text: str) -> str:
    """XML whitespace (newlines, indentation) is one space, as in the TEI's meaning."""
    return re.sub(r"[ \t\r\n]+", " ", text) if text else ""


@dataclass
class Context:
    """What the walk needs besides the nodes: where links go, what was cited, what went wrong."""

    path: str
    permalink: Callable[[str], str]  # (element id) -> URL on the public site
    heading_offset: int = 1  # a section at depth 1 → Typst heading level 1 + offset
    cited_keys: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    in_note: bool = False


def render(nodes: tuple[m.Node, ...] | list[m.Node], ctx: Context, depth: int = 0) -> str:
    """Blocks (or a run of inline nodes) as Typst."""
    return "".join(block(n, ctx, depth) for n in nodes)


# --- blocks -------------------------------------------------------------------------------------
def block(node: m.Node, ctx: Context, depth: int) -> str:
    match node:
        case m.Division():
            return division(node, ctx, depth)
        case m.Paragraph():
            return paragraph(node, ctx)
        case m.Heading():
            return f"\n#strong[{inline(node.children, ctx)}]\n\n"
        case m.Block():
            return container(node, ctx, depth)
        case m.Table():
            return table(node, ctx)
        case m.ListBlock():
            return listing(node, ctx, depth)
        case m.Generated():
            return generated(node, ctx)
    return inline_node(node, ctx)  # loose inline content


def division(div: m.Division, ctx: Context, depth: int) -> str:
    """A section: its heading at its depth, the heading's notes after it (a note inside a heading
    would leak into the outline), then its blocks."""
    if div.type in STRUCTURAL and div.head is None:
        return render(div.children, ctx, depth)
    out = ""
    if div.head is not None:
        out = heading(div.head, min(depth + 1 + ctx.heading_offset, 6), ctx, div.id)
    return out + render(div.children, ctx, depth + 1)


def heading(head: m.Heading, level: int, ctx: Context, ident: str | None = None) -> str:
    """A heading at `level`; its notes follow it (a note in a heading would leak into the
    outline)."""
    words = tuple(n for n in head.children if not isinstance(n, m.Note))
    notes = "".join(note(n, ctx) for n in m.walk(head.children) if isinstance(n, m.Note))
    label = f" <{ident}>" if ident else ""
    out = f"\n#heading(level: {level})[{inline(words, ctx)}]{label}\n"
    return out + (f"\n{notes}\n\n" if notes else "\n")


def paragraph(p: m.Paragraph, ctx: Context) -> str:
    if p.kind == "withheld":
        return withheld(p, ctx)
    body = inline(p.children, ctx)
    return body + " " if ctx.in_note else f"\n{body}\n\n"


def withheld(p: m.Paragraph, ctx: Context) -> str:
    """Passages the publication setting withholds: one notice per run, their page breaks kept."""
    pages = [n.n for n in p.children if isinstance(n, m.Break) and n.kind == "page" and n.n]
    span = (
        f", text of pp. {pages[0]}–{pages[-1]}"
        if len(pages) > 1
        else f", text of p. {pages[0]}"
        if pages
        else ""
    )
    breaks = "".join(break_(n, ctx) for n in p.children if isinstance(n, m.Break))
    return f"\n{breaks}#emph[{string(m.WITHHELD_NOTICE.format(pages=span))}]\n\n"


def container(node: m.Block, ctx: Context, depth: int) -> str:
    inner = render(node.children, ctx, depth)
    if node.kind == "quote":
        return f"\n#quote(block: true)[{inner}]\n"
    if node.kind == "epigraph":
        return f"\n#align(right)[#block(width: 70%)[#set align(left); #text(size: 9pt)[{inner}]]]\n"
    return inner


def table(t: m.Table, ctx: Context) -> str:
    columns = max((sum(c.cols for c in r.cells) for r in t.rows), default=1) or 1
    cells = []
    for row in t.rows:
        for cell in row.cells:
            body = inline(cell.children, ctx)
            if cell.label or row.label:
                body = f"#strong[{body}]"
            span = (f"colspan: {cell.cols}, " if cell.cols > 1 else "") + (
                f"rowspan: {cell.rows}, " if cell.rows > 1 else ""
            )
            cells.append(f"table.cell({span})[{body}]" if span else f"[{body}]")
    caption = inline(t.head, ctx)
    notes = "".join(table_note(n, ctx) for n in t.notes)
    return (
        f"\n#figure(kind: table, supplement: none, caption: [{caption}], "
        f"table(columns: {columns}, {', '.join(cells)}))\n{notes}\n"
    )


def table_note(n: m.Note, ctx: Context) -> str:
    """A note standing in the table itself, printed below it: its number, or the editors' label."""
    prefix = string(f"{n.n} ") if n.n and not n.has_label and not n.editorial else ""
    return f"\n#text(size: 8pt)[{prefix}{note_text(n, ctx)}]\n"


def listing(lst: m.ListBlock, ctx: Context, depth: int) -> str:
    title = f"\n#strong[{inline(lst.head, ctx)}]\n" if lst.head else ""
    items = [f"[{render(i.children, ctx, depth)}]" for i in lst.items]
    func = "enum" if lst.ordered else "list"
    return title + (f"\n#{func}({', '.join(items)})\n" if items else "")


def generated(gen: m.Generated, ctx: Context) -> str:
    where = "at their markers" if gen.kind == "notes" else "elsewhere in this edition"
    return (
        f"\n{inline(gen.head, ctx)} "
        f"#text(fill: luma(90))[{string(f'(printed here in the original; shown {where})')}]\n\n"
    )


# --- inline -------------------------------------------------------------------------------------
def inline(nodes: tuple[m.Node, ...], ctx: Context) -> str:
    return "".join(inline_node(n, ctx) for n in nodes)


def inline_node(node: m.Node, ctx: Context) -> str:
    match node:
        case m.Text():
            return string(_ws(node.text))
        case m.Inline():
            return styled(node, ctx)
        case m.Break():
            return break_(node, ctx)
        case m.Alternate():
            return alternate(node, ctx)
        case m.Link():
            return link(node, ctx)
        case m.Citation():
            if node.key:
                ctx.cited_keys.append(node.key)
            return inline(node.children, ctx)
        case m.Note():
            return note(node, ctx)
    return " " + block(node, ctx, 5) + " "  # a block inside inline content (a list in a cell)


def styled(node: m.Inline, ctx: Context) -> str:
    inner = inline(node.children, ctx)
    if node.style == "sic":  # the witness's own slip: printed so, never corrected
        return f"{inner} #text(fill: luma(90))[{string(m.SIC_MARK)}]"
    func = STYLES.get(node.style)
    return f"#{func}[{inner}]" if func else inner


def break_(node: m.Break, ctx: Context) -> str:
    if node.kind == "page":
        args = f'"{node.n}"' if node.n else "none"
        return f'#pb({args}, cert: "{node.cert}")' if node.cert else f"#pb({args})"
    if node.kind == "line" and not node.joins:
        return " " if ctx.in_note else " \\\n"
    return ""


def alternate(node: m.Alternate, ctx: Context) -> str:
    """The edited reading in the text; what the transcription had, in a marked footnote, for a
    corrected transcription error (regularisations and expansions print the edited form only)."""
    shown = inline(node.regular, ctx)
    if node.kind != "correction":
        return shown
    return shown + correction_label(m.plain_text(node.original), ctx)


def correction_label(original: str, ctx: Context) -> str:
    """What follows a corrected reading: a † footnote "Transcription reads: …", or inside a note
    (a footnote cannot hold a footnote) the short label in brackets."""
    if ctx.in_note:
        short = string(f"[{m.SHORT_LABELS['correction']}: {original}]")
        return f" #text(fill: luma(90))[{short}]"
    original = string(m.intervention_label("correction", original))
    return f'#footnote(numbering: (..) => "†")[{original}]'


def link(node: m.Link, ctx: Context) -> str:
    if node.kind == "noteref":  # a marker printed twice: the same footnote again
        n, ident = (string(t or " ")[1:] for t in (m.plain_text(node.children), node.target[1:]))
        return f"#wnoteref({n}, {ident})"
    text = inline(node.children, ctx) or string(node.target)
    if node.kind == "url":
        return f'#link("{node.target}")[{text}]'
    if node.kind in ("witness", "local") and "#" in node.target:
        return f'#link("{ctx.permalink(node.target.split("#", 1)[1])}")[{text}]'
    return text


def note(n: m.Note, ctx: Context) -> str:
    """A note of the witness with its printed number; an editors' note marked as theirs."""
    body = note_text(n, ctx)
    if n.editorial:
        number = '"‡"'
    elif n.n:
        number = f'"[{n.n}]"' if n.type == "unmarked" else f'"{n.n}"'
    else:
        number = "none"
    ident = f', id: "{n.id}"' if n.id else ""
    # a marker the transcription misread: labelled after the marker like any corrected reading
    misread = correction_label(n.misread, ctx) if n.misread and n.marked else ""
    return f"#wnote({number}, [{body}]{ident}){misread}"


def note_text(n: m.Note, ctx: Context) -> str:
    """The words of a note wherever it prints (a footnote at its marker, a line below a table): an
    editors' note opens with the edition's label, so their voice is never read as the witness's."""
    previous, ctx.in_note = ctx.in_note, True
    body = render(n.children, ctx)
    ctx.in_note = previous
    return f"#emph[{string(m.LABELS['editorial'] + ' ')}]{body}" if n.editorial else body
