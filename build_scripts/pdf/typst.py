"""TEI passages → Typst source for the PDFs. Witness text is always emitted as Typst strings
(`#"…"`), so nothing a witness prints can become Typst markup."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree

from build_scripts.problems import Location, Problem
from build_scripts.tei import model
from build_scripts.tei.teixml import NS, XML_ID, local


def string(text: str) -> str:
    """A Typst string literal that shows `text` exactly (no markup, no smart quotes)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\t", " ")
    return f'#"{escaped}"' if text else ""


def content(text: str) -> str:
    return f"[{text}]"


@dataclass
class Context:
    """What the walk needs besides the element: where links go, what was used, what went wrong."""

    path: str
    permalink: callable  # (element id) -> URL on the public site
    heading_offset: int = 1  # TEI div depth 1 → Typst heading level 1 + offset
    cited_keys: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    in_note: bool = False

    def problem(self, el: etree._Element, message: str, hint: str, code: str) -> None:
        self.problems.append(Problem(Location(self.path, el.sourceline), message, hint, code, "warning"))


def inline(el: etree._Element, ctx: Context) -> str:
    """Text and inline children of an element, then nothing of its tail."""
    parts = [string(_ws(el.text))] if el.text else []
    for child in el:
        parts.append(render(child, ctx))
        if child.tail:
            parts.append(string(_ws(child.tail)))
    return "".join(parts)


def _ws(text: str) -> str:
    """XML whitespace (newlines, indentation) is one space, as in the TEI's meaning."""
    return re.sub(r"[ \t\r\n]+", " ", text) if text else ""


def block_children(el: etree._Element, ctx: Context) -> str:
    return "".join(render(child, ctx) for child in el if isinstance(child.tag, str))


# --- behaviours: one small function each ----------------------------------------------------------
def heading(el: etree._Element, ctx: Context) -> str:
    """A heading; its notes follow it (a note inside a heading would leak into the outline)."""
    depth = len([a for a in el.iterancestors() if local(a) == "div"])
    level = min(depth + ctx.heading_offset, 6)
    ident = el.getparent().get(XML_ID)
    label = f" <{ident}>" if ident else ""
    bare = etree.Element(el.tag)
    bare.text = el.text
    notes = []
    for child in el:
        if local(child) == "note":
            notes.append(render(child, ctx))
            tail = etree.SubElement(bare, "{http://www.tei-c.org/ns/1.0}seg")
            tail.tail = child.tail
        else:
            bare.append(copy.deepcopy(child))
    after = f"\n{''.join(notes)}\n" if notes else ""
    return f"\n#heading(level: {level})[{inline(bare, ctx)}]{label}\n{after}\n"


def division(el: etree._Element, ctx: Context) -> str:
    return block_children(el, ctx)


def paragraph(el: etree._Element, ctx: Context) -> str:
    body = inline(el, ctx)
    if ctx.in_note:
        return body + " "
    return f"\n{body}\n\n"


def note(el: etree._Element, ctx: Context) -> str:
    if el.get("resp"):
        return ""
    previous, ctx.in_note = ctx.in_note, True
    body = inline(el, ctx)
    ctx.in_note = previous
    n = el.get("n")
    # a note whose marker the witness lost gets the editors' bracketed marker at the inferred place
    number = (f'"[{n}]"' if el.get("type") == "unmarked" else f'"{n}"') if n else "none"
    ident = el.get(XML_ID)
    return f'#wnote({number}, [{body}], id: "{ident}")'


def page_break(el: etree._Element, ctx: Context) -> str:
    n = el.get("n")
    cert = el.get("cert")
    args = f'"{n}"' if n else "none"
    if cert:
        args += f', cert: "{cert}"'
    return f"#pb({args})"


def emphasis(el: etree._Element, ctx: Context) -> str:
    rend = el.get("rend", "italic")
    func = {"bold": "strong", "superscript": "super", "subscript": "sub"}.get(rend, "emph")
    return f"#{func}[{inline(el, ctx)}]"


def quotation(el: etree._Element, ctx: Context) -> str:
    parent = local(el.getparent())
    if parent in ("p", "note", "cell", "item", "head", "hi"):
        return inline(el, ctx)
    inner = block_children(el, ctx) if el.find("tei:p", NS) is not None else inline(el, ctx)
    return f"\n#quote(block: true)[{inner}]\n"


def citation(el: etree._Element, ctx: Context) -> str:
    parts = []
    for child in el:
        if local(child) == "bibl" and local(el) == "cit":
            parts.append(f"\n#align(right)[#text(size: 8.5pt)[{inline(child, ctx)}]]\n")
        else:
            parts.append(render(child, ctx))
    return "".join(parts)


def bibl(el: etree._Element, ctx: Context) -> str:
    key = (el.get("corresp") or "")
    if key.startswith("bib:"):
        ctx.cited_keys.append(key[4:])
    if local(el.getparent()) in ("div", "body", "back", "front", "listBibl"):
        return f"\n{inline(el, ctx)}\n\n"
    return inline(el, ctx)


def link(el: etree._Element, ctx: Context) -> str:
    target = el.get("target", "")
    text = inline(el, ctx)
    if target.startswith(("http://", "https://", "mailto:")):
        return f'#link("{target}")[{text}]'
    if "#" in target:
        return f'#link("{ctx.permalink(target.split("#", 1)[1])}")[{text}]'
    return text


def correction(el: etree._Element, ctx: Context) -> str:
    """A choice: the edited reading in the text (corr, reg, expan), never both readings. A correction
    carries the transcription's reading in a footnote (inside a note, where footnotes cannot nest, in
    brackets); a declared normalisation (orig/reg) is silent, as on the site (labels: tei/model.py)."""
    for original, edited in (("sic", "corr"), ("orig", "reg"), ("abbr", "expan")):
        orig_el, shown_el = el.find(f"tei:{original}", NS), el.find(f"tei:{edited}", NS)
        if orig_el is not None and shown_el is not None:
            break
    else:
        return inline(el, ctx)
    shown = inline(shown_el, ctx)
    if original != "sic":
        return shown
    text = string("".join(orig_el.itertext()))
    if ctx.in_note:
        return f"{shown} {brackets('[' + model.SHORT_LABELS['correction'] + ': ')}{text}{brackets(']')}"
    return f'{shown}#footnote(numbering: (..) => "†")[{model.LABEL_CORRECTION}: {text}]'


def brackets(text: str) -> str:
    """Typst markup that prints these square brackets literally."""
    return text.replace("[", "\\[").replace("]", "\\]")


def lone_sic(el: etree._Element, ctx: Context) -> str:
    """A sic outside a choice: the witness's own slip, shown as printed and marked [sic] (never corrected)."""
    return f"{inline(el, ctx)} {brackets(model.SIC_MARK)}"


def line_break(el: etree._Element, ctx: Context) -> str:
    return " " if ctx.in_note else " \\\n" if el.get("break") != "no" else ""


def table(el: etree._Element, ctx: Context) -> str:
    rows = el.findall("tei:row", NS)
    columns = max((sum(int(c.get("cols", "1")) for c in r.findall("tei:cell", NS)) for r in rows), default=1)
    cells = []
    for row in rows:
        for cell in row.findall("tei:cell", NS):
            body = inline(cell, ctx)
            if row.get("role") == "label" or cell.get("role") == "label":
                body = f"#strong[{body}]"
            span = int(cell.get("cols", "1"))
            cells.append(f"table.cell(colspan: {span})[{body}]" if span > 1 else f"[{body}]")
    caption = " \\ ".join(inline(head, ctx) for head in el.findall("tei:head", NS))
    notes = "".join(_table_note(n, ctx) for n in el.findall("tei:note", NS))
    return (
        f"\n#figure(kind: table, supplement: none, caption: [{caption}], "
        f"table(columns: {columns}, {', '.join(cells)}))\n{notes}\n"
    )


def _table_note(el: etree._Element, ctx: Context) -> str:
    previous, ctx.in_note = ctx.in_note, True
    body = inline(el, ctx)
    ctx.in_note = previous
    n = el.get("n")
    prefix = string(f"{n} ") if n else ""
    return f"\n#text(size: 8pt)[{prefix}{body}]\n"


def listing(el: etree._Element, ctx: Context) -> str:
    head = el.find("tei:head", NS)
    title = f"\n#strong[{inline(head, ctx)}]\n" if head is not None else ""
    items = [f"[{inline(c, ctx)}]" for c in el if local(c) == "item"]
    rest = "".join(render(c, ctx) for c in el if isinstance(c.tag, str) and local(c) not in ("item", "head"))
    return title + (f"\n#list({', '.join(items)})\n" if items else "") + rest


def generated(el: etree._Element, ctx: Context) -> str:
    return block_children(el, ctx)


def epigraph(el: etree._Element, ctx: Context) -> str:
    return f"\n#align(right)[#block(width: 70%)[#set align(left); #text(size: 9pt)[{block_children(el, ctx)}]]]\n"


def omit(el: etree._Element, ctx: Context) -> str:
    return ""


def passthrough(el: etree._Element, ctx: Context) -> str:
    return inline(el, ctx)


def title_page(el: etree._Element, ctx: Context) -> str:
    return "".join(f"\n{inline(c, ctx) if len(c) == 0 or local(c) not in ('docTitle', 'titlePart') else block_children(c, ctx)}\n\n" for c in el)


BEHAVIOURS = {
    "div": division, "body": division, "front": division, "back": division,
    "head": heading, "p": paragraph, "ab": paragraph, "note": note, "pb": page_break,
    "hi": emphasis, "emph": emphasis, "title": passthrough, "quote": quotation, "q": passthrough,
    "cit": citation, "epigraph": epigraph, "bibl": bibl, "listBibl": division, "ref": link,
    "choice": correction, "lb": line_break, "table": table, "list": listing, "item": passthrough,
    "divGen": generated, "label": passthrough, "num": passthrough, "name": passthrough,
    "persName": passthrough, "placeName": passthrough, "date": passthrough, "foreign": passthrough,
    "term": passthrough, "seg": passthrough, "sic": lone_sic, "corr": passthrough, "orig": passthrough,
    "author": passthrough, "titlePage": title_page, "docTitle": division, "titlePart": paragraph,
    "docAuthor": paragraph, "docImprint": paragraph, "docDate": paragraph, "byline": paragraph,
    "publisher": passthrough, "pubPlace": passthrough, "idno": passthrough, "gap": omit,
    "signed": paragraph, "closer": division, "opener": division, "salute": paragraph, "trailer": paragraph,
    "dateline": paragraph, "figure": division, "figDesc": omit, "lg": division, "l": paragraph,
    "fw": omit, "anchor": omit, "milestone": omit, "cb": omit, "space": omit, "unclear": passthrough,
    "supplied": passthrough, "add": passthrough, "del": passthrough, "abbr": passthrough, "expan": passthrough,
    "mentioned": passthrough, "soCalled": passthrough, "gloss": passthrough, "ptr": omit, "said": passthrough,
    "biblScope": passthrough, "floatingText": division, "text": division, "docEdition": paragraph,
    "measure": passthrough, "orgName": passthrough, "rs": passthrough, "c": passthrough, "w": passthrough,
}


def render(el: etree._Element, ctx: Context) -> str:
    if not isinstance(el.tag, str):
        return ""
    behaviour = BEHAVIOURS.get(local(el))
    if behaviour is None:
        ctx.problem(el, f"<{local(el)}> has no PDF rendering rule; its text is printed plainly", f"Add '{local(el)}' to BEHAVIOURS in build_scripts/pdf/typst.py", "pdf.unknown-element")
        return inline(el, ctx)
    return behaviour(el, ctx)
