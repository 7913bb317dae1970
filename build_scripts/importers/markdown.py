"""Markdown text → TEI front, body and back.

The transcription is Markdown with HTML fragments, made from a paginated print: headings
(#, ##, ###), **bold**/*italic* and <b>/<i>, links, hard line breaks (two trailing spaces), footnote
markers <sup>[n]</sup> whose text stands after a "---" rule at the page foot, tables as
tab-separated lines under a "Table n" label, and paragraphs that page breaks split (no page numbers
are printed). The witness's sources (tables reproduced from another witness, citations) and the
paragraphs of its editorial declaration are its tables in sources/import/<siglum>.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from build_scripts.importers.common import Furniture, ImportResult, SourceText
from build_scripts.importers.tables import Tables
from build_scripts.problems import Problem
from build_scripts.tei.teixml import E, XML_ID

# Placeholders put into raw Markdown while paragraphs are rejoined; the inline parser turns them
# into elements. Private-use characters, so that no transcription character is mistaken for one.
PB, PB_NO, LB, OBJ = "\ue000", "\ue001", "\ue002", "\ue003"

HEADING = re.compile(r"^(#{1,6}) +(.*?)\s*$")
RULE = re.compile(r"^-{3,}$")
FOOTNOTE = re.compile(r"^\[(\d+)\] +")
TABLE_LABEL = re.compile(r"^(\*\*)?Table (\d+)(\*\*)?$")
TABLE_NOTE_MARKED = re.compile(r"^\\\* +")  # "\* This represents…": the note of the * marker
TABLE_NOTE_UNMARKED = re.compile(r"^Note: ")
CELL_MARKER = re.compile(r" \*(?=(?:</b>)?$)")  # a lone * closing a cell: a table-note marker
SOURCE_BRACKET = re.compile(r"\[(?P<bibl>(?P<who>[A-Z]\w+): .*?)(?P<space>\s*)\]\s*$")
BOLD_ONLY = re.compile(r"^\*\*[^*].*\*\*$", re.S)
CLOSED = re.compile(r"[.!?:;\"”’')\]]$")

BODY_LEVEL1 = 2  # the body begins at the second level-1 heading; before it, the title block (front)
COLOPHON = re.compile(r"^Published and distributed by ")  # the back begins here

DIV_TYPES = {1: "article", 2: "section", 3: "subsection"}


@dataclass
class Block:
    line: int
    lines: list[str]
    role: str = "para"  # heading, rule, table, table-label, table-note, footnote, note-continuation
    level: int = 0

    @property
    def raw(self) -> str:
        """The block's Markdown as one string; hard line breaks become LB."""
        out = []
        for i, line in enumerate(self.lines):
            last = i == len(self.lines) - 1
            if not last and line.endswith("  "):
                out.append(line.rstrip() + LB)
            else:
                out.append(line.strip() + ("" if last else " "))
        return "".join(out).strip()


@dataclass
class Data:
    """The tables of the witness (sources/import/<siglum>.yml): see the comment at its top."""

    siglum: str
    table_sources: dict[str, str]
    reproduced_key: str  # the work the reproduced tables come from
    reproduced_target: str  # its page, {page} standing for the number
    reproduced: dict[str, tuple[str, int]]  # number printed here → (number there, page)
    note_bibls: list[tuple[re.Pattern, str]]
    normalisation: list[str]
    normalisation_end: list[str]

    @classmethod
    def read(cls, tables: Tables) -> Data:
        sub = tables.section("reproduced_tables")
        reproduced = {
            str(e["number"]): (str(e["table"]), int(e["page"]))
            for e in sub.entries("tables", ("number", "table", "page"))
        }
        bibls = []
        for e in tables.entries("note_bibls", ("pattern", "key")):
            try:
                bibls.append((re.compile(str(e["pattern"])), str(e["key"])))
            except re.error as err:
                raise tables.fail(
                    e,
                    f"the pattern {e['pattern']!r} is not a regular expression: {err}",
                    "Fix the pattern (Python re syntax)",
                ) from None
        return cls(
            tables.siglum,
            tables.mapping("table_sources"),
            sub.text("key"),
            sub.text("target"),
            reproduced,
            bibls,
            tables.texts("normalisation"),
            tables.texts("normalisation_end"),
        )


@dataclass
class State:
    source: SourceText
    result: ImportResult
    tables: Data
    notes: dict[str, list[Block]] = field(default_factory=dict)  # footnote number → its paragraphs
    counters: dict[tuple[str, str], int] = field(default_factory=dict)
    decisions: list[str] = field(default_factory=list)  # editorial decisions made while reading
    part: str = ""

    def next_id(self, kind: str) -> str:
        key = (self.part, kind)
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"{self.part}.{kind}{self.counters[key]}"

    def problem(self, line: int, message: str, hint: str, severity: str = "warning") -> None:
        self.result.problems.append(
            Problem(self.source.at(line), message, hint, "import.markdown", severity)
        )


def convert(source: SourceText, tables: Tables) -> ImportResult:
    result = ImportResult()
    state = State(source, result, Data.read(tables))
    siglum = tables.siglum
    blocks = _blocks(source)
    _classify(blocks, state)
    front, body, back = _regions(blocks)
    state.part = f"{siglum}.title"
    result.front = _divisions(front, state, "titlepage", continuing=False)
    state.part = f"{siglum}.art"
    result.body = _divisions(body, state, "article", continuing=True)
    state.part = f"{siglum}.colophon"
    result.back = _back(back, state)
    result.normalisation = _normalisation(state)
    return result


# --- blocks --------------------------------------------------------------------------------------
def _blocks(source: SourceText) -> list[Block]:
    blocks, current, start = [], [], 0
    for number, line in enumerate(source.lines, start=1):
        if not line.strip():
            if current:
                blocks.append(Block(start, current))
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(Block(start, current))
    return blocks


def _classify(blocks: list[Block], state: State) -> None:
    """Give each block its role; collect the footnotes (with their continuation paragraphs)."""
    for index, block in enumerate(blocks):
        first = block.lines[0]
        if len(block.lines) == 1 and (m := HEADING.match(first)):
            block.role, block.level = "heading", len(m.group(1))
        elif len(block.lines) == 1 and RULE.match(first.strip()):
            block.role = "rule"
            state.result.furniture.append(Furniture(block.line, "footnote-rule", first))
        elif all("\t" in line for line in block.lines):
            block.role = "table"
        elif (
            TABLE_LABEL.match(first.strip())
            and index + 1 < len(blocks)
            and all("\t" in l for l in blocks[index + 1].lines)
        ):
            block.role = "table-label"
        elif (
            index
            and blocks[index - 1].role == "table"
            and (TABLE_NOTE_MARKED.match(first) or TABLE_NOTE_UNMARKED.match(first))
        ):
            block.role = "table-note"
    for index, block in enumerate(blocks):
        if block.role == "rule":
            _page_foot(blocks, index, state)


def _page_foot(blocks: list[Block], rule: int, state: State) -> None:
    """The notes after a page-foot rule. A paragraph with no [n] after a note continues that note
    while the running text cannot resume there: when the text before the rule broke inside a word
    ("Cen-"), it resumes only with a paragraph that begins with a lower-case letter."""
    before = next((b for b in reversed(blocks[:rule]) if b.role == "para"), None)
    broken_word = before is not None and re.search(r"[A-Za-z]-\**$", before.raw)
    number = None
    for block in blocks[rule + 1 :]:
        if block.role != "para":
            break
        m = FOOTNOTE.match(block.lines[0])
        if m:
            number = m.group(1)
            block.role = "footnote"
            state.notes[number] = [block]
        elif number and broken_word and not re.match(r"^\**[a-z]", block.raw):
            block.role = "note-continuation"
            state.notes[number].append(block)
            state.decisions.append(
                f"The paragraph at line {block.line} of the "
                f'transcription ("{_first_words(block.raw)} …") is '
                f"encoded as the continuation of note {number}: "
                "it stands between the note and the resumption of "
                "the running text, which broke inside a word "
                f'("{_last_words(before.raw)}") and resumes only '
                "with the paragraph after it (a paragraph that "
                "begins with a lower-case letter); and it carries "
                "no note number of its own."
            )
        else:
            break


def _first_words(text: str, n: int = 3) -> str:
    return " ".join(text.split()[:n])


def _last_words(text: str, n: int = 3) -> str:
    return " ".join(text.split()[-n:])


def _regions(blocks: list[Block]) -> tuple[list[Block], list[Block], list[Block]]:
    level1 = [i for i, b in enumerate(blocks) if b.role == "heading" and b.level == 1]
    start = level1[BODY_LEVEL1 - 1] if len(level1) >= BODY_LEVEL1 else 0
    end = next((i for i, b in enumerate(blocks) if COLOPHON.match(b.lines[0])), len(blocks))
    return blocks[:start], blocks[start:end], blocks[end:]


# --- divisions and paragraphs --------------------------------------------------------------------
def _divisions(
    blocks: list[Block], state: State, top_type: str, continuing: bool
) -> list[etree._Element]:
    """Nested div/head from the headings; paragraphs rejoined across page breaks in the body."""
    roots: list[etree._Element] = []
    stack: list[tuple[int, etree._Element]] = []
    closer = _closer(blocks) if continuing else []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.role == "heading":
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            div = E.div(
                _inline(E.head(), _heading_text(block), state, block.line),
                type=top_type if not stack else DIV_TYPES.get(block.level, "section"),
            )
            if not stack:
                div.set(XML_ID, state.part)
                roots.append(div)
            else:
                stack[-1][1].append(div)
            stack.append((block.level, div))
            i += 1
        elif block in closer:
            i += 1
        elif block.role in ("rule", "footnote", "note-continuation", "table-note"):
            i += 1  # furniture, or placed elsewhere
        elif block.role in ("table-label", "table"):
            table, i = _table(blocks, i, state)
            _container(stack, roots).append(table)
        else:
            p, i = _paragraph(blocks, i, state, continuing)
            _container(stack, roots).append(p)
    if closer and roots:
        roots[0].append(E.closer(*[_inline(E.signed(), b.raw, state, b.line) for b in closer]))
    return roots


def _heading_text(block: Block) -> str:
    return HEADING.match(block.lines[0]).group(2)


def _container(stack, roots) -> etree._Element:
    if not stack:
        roots.append(E.div())
        stack.append((0, roots[-1]))
    return stack[-1][1]


def _closer(blocks: list[Block]) -> list[Block]:
    """Bold-only paragraphs ending the body: the signature and the editor's line."""
    tail = []
    for block in reversed(blocks):
        if block.role != "para" or not BOLD_ONLY.match(block.raw):
            break
        tail.insert(0, block)
    return tail


def _is_open(raw: str) -> bool:
    """A paragraph that stops without closing punctuation goes on after the page break."""
    return not CLOSED.search(raw.rstrip("*_ ").rstrip())


def _paragraph(
    blocks: list[Block], i: int, state: State, continuing: bool
) -> tuple[etree._Element, int]:
    """One paragraph; in the body, with the parts that page breaks split off rejoined."""
    raw, objects, line = blocks[i].raw, [], blocks[i].line
    i += 1
    between_roles = ("rule", "footnote", "note-continuation", "table-label", "table", "table-note")
    while continuing and _is_open(raw):
        j = i
        while j < len(blocks) and blocks[j].role in between_roles:
            j += 1
        if j >= len(blocks) or blocks[j].role != "para" or BOLD_ONLY.match(blocks[j].raw):
            break
        tables, k = [], i
        while k < j:  # tables printed between the two parts stay in place, inside the paragraph
            if blocks[k].role in ("table-label", "table"):
                table, k = _table(blocks, k, state)
                tables.append(table)
            else:
                k += 1
        raw = _join(raw, blocks[j].raw, len(tables), _line_of_end(blocks, i), state)
        objects.extend(tables)
        i = j + 1
    return _inline(E.p(), raw, state, line, objects), i


def _join(before: str, after: str, tables: int, line: int, state: State) -> str:
    """Rejoin the two parts of a paragraph at a page break; a word hyphenated there is rejoined."""
    hyphen = re.search(r"(?<=[A-Za-z])-(?=\**$)", before)
    if not hyphen:
        return before.rstrip() + " " + PB + OBJ * tables + after
    first = _strip_md(before[: hyphen.start()].split()[-1])
    second = re.match(r"[*_]*(\w+)", after).group(1)
    state.result.hyphenation.append(
        f'Line {line}: "{first}-" / "{second}" rejoined as "{first}{second}".'
    )
    return before[: hyphen.start()] + before[hyphen.end() :] + PB_NO + OBJ * tables + after


def _line_of_end(blocks: list[Block], i: int) -> int:
    block = blocks[i - 1]
    return block.line + len(block.lines) - 1


def _strip_md(text: str) -> str:
    return re.sub(r"[*_]", "", text)


# --- tables --------------------------------------------------------------------------------------
def _table(blocks: list[Block], i: int, state: State) -> tuple[etree._Element, int]:
    """A table: its label ("Table 1"), caption line, rows and the notes printed under it."""
    label = None
    if blocks[i].role == "table-label":
        label = blocks[i]
        i += 1
    block = blocks[i]
    i += 1
    notes = []
    while i < len(blocks) and blocks[i].role == "table-note":
        notes.append(blocks[i])
        i += 1
    table = E.table()
    table.set(XML_ID, state.next_id("t"))
    number = TABLE_LABEL.match(label.raw).group(2) if label is not None else None
    if label is not None:
        table.set("n", number)
        table.append(_inline(E.head(type="label"), label.raw, state, label.line))
    caption = block.lines[0].split("\t")[0].strip()
    table.append(_caption(caption, number, state, block.line))
    if number in state.tables.reproduced:
        table.set("corresp", _reproduced_target(state.tables, number))
    marked = next((n for n in notes if TABLE_NOTE_MARKED.match(n.lines[0])), None)
    rows = [line.split("\t") for line in block.lines[1:]]
    table.set("rows", str(len(rows)))
    table.set("cols", str(max(len(r) for r in rows)))
    for index, cells in enumerate(rows):
        label_row = index == 0 and all(
            re.fullmatch(r"<b>.*</b>", c.strip()) for c in cells if c.strip()
        )
        row = E.row(role="label") if label_row else E.row()
        for cell in cells:
            raw, objects = cell.strip(), []
            if marked is not None and CELL_MARKER.search(raw):
                raw = CELL_MARKER.sub(" " + OBJ, raw, count=1)
                objects.append(_table_note(marked, "*", state))
                marked = None
            row.append(
                _inline(
                    E.cell(role="label") if label_row else E.cell(),
                    raw,
                    state,
                    block.line + 1 + index,
                    objects,
                )
            )
        table.append(row)
    if marked is not None:
        state.problem(
            marked.line,
            'a table note "*" whose marker is not in the table',
            "Attach the note by hand at its marker",
        )
    for note in notes:
        if TABLE_NOTE_UNMARKED.match(note.lines[0]):
            table.append(
                _inline(
                    E.note(type="unnumbered", subtype="table", place="bottom"),
                    note.raw,
                    state,
                    note.line,
                )
            )
    return table, i


def _reproduced_target(data: Data, number: str) -> str:
    return data.reproduced_target.replace("{page}", str(data.reproduced[number][1]))


def _table_note(block: Block, n: str, state: State) -> etree._Element:
    note = E.note(n=n, type="table", place="bottom")
    return _inline(note, TABLE_NOTE_MARKED.sub("", block.raw), state, block.line)


def _caption(caption: str, number: str | None, state: State, line: int) -> etree._Element:
    """Caption with its bracketed source "[Author: <i>Title…</i> ]" as a bibl."""
    m = SOURCE_BRACKET.search(caption)
    if not m:
        return _inline(E.head(), caption, state, line)
    key = state.tables.table_sources.get(m.group("who"))
    bibl = E.bibl(corresp=f"bib:{key}") if key else E.bibl()
    holder = bibl
    if key and key == state.tables.reproduced_key and number in state.tables.reproduced:
        holder = E.ref(type="witness", target=_reproduced_target(state.tables, number))
        bibl.append(holder)
    _inline(holder, m.group("bibl"), state, line)
    raw = caption[: m.start()] + "[" + OBJ + m.group("space") + "]"
    return _inline(E.head(), raw, state, line, [bibl])


# --- notes ---------------------------------------------------------------------------------------
def _footnote(n: str, state: State, line: int) -> etree._Element | None:
    paragraphs = state.notes.get(n)
    if not paragraphs:
        state.problem(
            line,
            f"note marker [{n}] has no note text after a page-foot rule",
            "Add the note by hand at its marker",
            "error",
        )
        return None
    note = E.note(n=n, place="foot")
    note.set(XML_ID, state.next_id("n"))
    texts = [FOOTNOTE.sub("", paragraphs[0].raw)] + [b.raw for b in paragraphs[1:]]
    if len(texts) == 1:
        key = next((k for pattern, k in state.tables.note_bibls if pattern.search(texts[0])), None)
        holder = E.bibl(corresp=f"bib:{key}") if key else note
        if key:
            note.append(holder)
        _inline(holder, texts[0], state, paragraphs[0].line)
    else:
        for block, text in zip(paragraphs, texts):
            note.append(_inline(E.p(), text, state, block.line))
    return note


# --- inline Markdown -----------------------------------------------------------------------------
TOKEN = re.compile(
    r"(?P<esc>\\[\\`*_{}\[\]()#+\-.!])"
    r"|(?P<sup><sup>\[(?P<n>\d+)\]</sup>)"
    r"|(?P<link>\[(?P<ltext>[^\[\]]+)\]\((?P<url>[^()\s]+)\))"
    r"|(?P<tag></?[bi]>)"
    r"|(?P<stars>\*{1,3})"
    r"|(?P<special>[\ue000-\ue003])"
)
REND = {
    "*": ["italic"],
    "**": ["bold"],
    "***": ["bold", "italic"],
    "<b>": ["bold"],
    "<i>": ["italic"],
}


def _inline(
    parent: etree._Element, raw: str, state: State, line: int, objects: list | None = None
) -> etree._Element:
    """Parse inline Markdown/HTML into parent; return parent. Emphasis that does not pair up is
    text."""
    tokens = list(TOKEN.finditer(raw))
    roles = _pair_emphasis(raw, tokens)
    objects = list(objects or [])
    stack = [parent]
    pos = 0
    for index, m in enumerate(tokens):
        _append_text(stack[-1], raw[pos : m.start()])
        pos = m.end()
        here = stack[-1]
        if m.group("esc"):
            _append_text(here, m.group("esc")[1])
        elif m.group("sup"):
            note = _footnote(m.group("n"), state, line)
            here.append(note) if note is not None else _append_text(here, m.group())
        elif m.group("link"):
            here.append(_inline(E.ref(target=m.group("url")), m.group("ltext"), state, line))
        elif m.group("special"):
            here.append(_special(m.group("special"), objects))
        elif roles.get(index) == "open":
            for rend in REND[m.group()]:
                stack.append(etree.SubElement(stack[-1], E.hi().tag, rend=rend))
        elif roles.get(index) == "close":
            del stack[-len(REND[m.group().replace("/", "")]) :]
        else:
            _append_text(
                here, m.group()
            )  # a * or tag that opens or closes nothing: the witness's text
            state.problem(
                line,
                f'"{m.group()}" opens or closes no emphasis; kept as text',
                "Check the emphasis of this paragraph in the transcription",
            )
    _append_text(stack[-1], raw[pos:])
    return parent


def _pair_emphasis(raw: str, tokens: list[re.Match]) -> dict[int, str]:
    """Which star runs and <b>/<i> tags open or close emphasis: a closer matches the innermost open
    delimiter of the same kind (star runs: left/right-flanking, as in CommonMark)."""
    roles: dict[int, str] = {}
    stack: list[tuple[int, str]] = []
    for index, m in enumerate(tokens):
        if m.group("stars"):
            run = m.group("stars")
            before = raw[m.start() - 1] if m.start() else " "
            after = raw[m.end()] if m.end() < len(raw) else " "
            if not before.isspace() and stack and stack[-1][1] == run:
                roles[stack.pop()[0]], roles[index] = "open", "close"
            elif not after.isspace():
                stack.append((index, run))
        elif m.group("tag"):
            tag = m.group("tag")
            if not tag.startswith("</"):
                stack.append((index, tag))
            elif stack and stack[-1][1] == tag.replace("/", ""):
                roles[stack.pop()[0]], roles[index] = "open", "close"
    return roles


def _append_text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _special(char: str, objects: list) -> etree._Element:
    if char == PB:
        return E.pb()
    if char == PB_NO:
        return E.pb(**{"break": "no"})
    if char == LB:
        return E.lb()
    return objects.pop(0)


# --- back ----------------------------------------------------------------------------------------
def _back(blocks: list[Block], state: State) -> list[etree._Element]:
    """The colophon (before any heading) and each headed section after it, as divs of the back."""
    if not blocks:
        return []
    divs: list[etree._Element] = []
    colophon = E.div(type="colophon")
    colophon.set(XML_ID, f"{state.tables.siglum}.colophon")
    divs.append(colophon)
    current = colophon
    for block in blocks:
        if block.role == "heading":
            current = E.div(
                _inline(E.head(), _heading_text(block), state, block.line), type="about"
            )
            current.set(XML_ID, f"{state.tables.siglum}.society")
            divs.append(current)
        else:
            current.append(_inline(E.p(), block.raw, state, block.line))
    return divs


# --- header ---------------------------------------------------------------------------------------
def _normalisation(state: State) -> list[str]:
    return [*state.tables.normalisation, *state.decisions, *state.tables.normalisation_end]
