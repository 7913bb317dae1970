"""A whole scholarly book (style "monograph") → TEI.

The book's own apparatus drives the conversion: the contents list gives the divisions and their
start pages, the list of tables the tables' pages, the Notes section the notes per chapter, the
index (page numbers of notes, "225n12") the pages of the Notes section. Parsing of a division's
blocks is in monograph_parse, inline text in monograph_text, page numbers in monograph_pages,
notes in monograph_notes; this module finds the parts of the book and writes the TEI. What
reading one witness established (its block quotations, suspected readings, the paragraphs of its
editorial declaration) is its tables in sources/import/<siglum>.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from build_scripts.bib import wrap as biblwrap
from build_scripts.importers import monograph_index as index_mod
from build_scripts.importers import monograph_notes as notes_mod
from build_scripts.importers import monograph_pages as pages
from build_scripts.importers import monograph_quotes as quotes
from build_scripts.importers.common import Anomaly, ImportResult, SourceText, assign_ids
from build_scripts.importers.monograph_parse import (
    Break,
    Division,
    DivisionParser,
    Epigraph,
    Head,
    Para,
    Seg,
    Table,
)
from build_scripts.importers.monograph_text import (
    Block,
    Hyphenation,
    Inline,
    add_text,
    blocks,
    render,
)
from build_scripts.importers.tables import Tables
from build_scripts.problems import Problem
from build_scripts.tei.teixml import E, XML_ID

# temporary attributes, removed before the TEI is written: a paragraph of block quotation N; a
# paragraph split off by a rule added after the TEI was curated (it takes the next free id)
QUOTE_MARK, NEW_MARK = "edition-quote", "edition-new"


# a dash (or n.a., an ellipsis) standing alone in a cell: a figure the table does not have
MISSING_FIGURE = re.compile(r"[—–-]+|n\.\s?a\.?|\.\.\.|…")


def heading_row(cells: list[str]) -> bool:
    """A row is a column heading when no cell after the first holds a figure, or a dash for a
    missing one (a row of dashes is a data row: "1936 — —")."""
    return not any(re.search(r"\d", c) or MISSING_FIGURE.fullmatch(c.strip()) for c in cells[1:])


@dataclass
class Entry:
    """One line of the contents list."""

    line: int
    title: str  # as printed, <i> kept
    plain: str  # the heading as it stands in the text
    label: str | None  # chapter number
    page: str
    ident: str | None = None
    type: str | None = None
    part: str | None = None  # front, body, back


def _page(value: str) -> int | None:
    return int(value) if value.isdigit() else None


class Converter:
    def __init__(self, source: SourceText, tables: Tables):
        self.source = source
        self.tables = tables
        self.siglum = tables.siglum
        self.block_quotes = quotes.read(tables)
        self.suspected = tables.mapping("suspected")
        self.label = tables.text("label", self.siglum)
        self.last_page = tables.number("last_page")
        if self.last_page is None:
            raise tables.fail(
                None,
                f"the tables of witness {self.siglum} lack `last_page`",
                "Add `last_page:` (the printed page of the book's last page)",
            )
        self.series_heading = tables.text("series_heading", required=True)
        self.lines = source.lines
        self.result = ImportResult()
        self.hyphenation = Hyphenation(source.text)
        self.inline: dict[str, Inline] = {}
        self.pb_ids: set[str] = set()
        self.reports: list[pages.PageReport] = []
        self.table_pages: dict[str, int] = {}
        self.index_refs: list[pages.IndexRef] = []
        self.quote_counter = [0]
        self.quotes_found: set[str] = set()

    # --- reporting ----------------------------------------------------------------------------
    def warn(self, line: int, message: str, hint: str, code: str) -> None:
        self.result.problems.append(Problem(self.source.at(line), message, hint, code, "warning"))

    # --- the whole book ------------------------------------------------------------------------
    def run(self) -> ImportResult:
        all_blocks = blocks(self.lines)
        find = lambda text, after=0: next(
            i for i, b in enumerate(all_blocks) if i > after and b.text.strip() == text
        )  # noqa: E731
        contents_i = find("Contents")
        tables_i = find("Tables", contents_i)
        preface_i = find("Preface", tables_i)
        entries = self._contents(all_blocks[contents_i + 1 : tables_i])
        self._table_list(all_blocks[tables_i + 1 : preface_i])
        # division headings, in order, after the preface
        starts: list[tuple[int, Entry]] = []
        after = preface_i
        for entry in entries:
            if entry.part is None:
                continue
            i = find(entry.plain, after)
            starts.append((i, entry))
            after = i
        body_start = starts[0][0]
        self._front(all_blocks[:body_start], contents_i, tables_i, preface_i, entries)
        index_i = next(i for i, e in starts if e.type == "index")
        series_i = find(self.series_heading, index_i)
        divisions: list[tuple[Division, Entry, list[Block]]] = []
        for k, (i, entry) in enumerate(starts):
            end = starts[k + 1][0] if k + 1 < len(starts) else series_i
            items = all_blocks[i + 1 : end]
            if (
                k + 1 < len(starts)
                and starts[k + 1][1].label
                and items
                and items[-1].text.strip() == starts[k + 1][1].label
            ):
                items = items[:-1]  # the next chapter's number
            label = None
            if entry.label:
                previous = all_blocks[i - 1].text.strip()
                if previous == entry.label:
                    label = previous
                else:
                    self.warn(
                        all_blocks[i].line,
                        f'chapter {entry.label} ("{entry.plain}") has no chapter number '
                        "on its own line before its title, unlike the other chapters",
                        "The number is taken from the contents list for "
                        "the id only; the head keeps the title as printed",
                        "import.monograph.chapter-number",
                    )
            next_page = _page(starts[k + 1][1].page) if k + 1 < len(starts) else self.last_page
            division = Division(
                entry.ident,
                entry.type,
                [Head(all_blocks[i].line, all_blocks[i].text.strip(), label)],
                [],
                _page(entry.page),
                next_page - 1,
            )
            divisions.append((division, entry, items))
        self.index_refs = next(
            index_mod.refs(items, self.last_page)
            for _, entry, items in divisions
            if entry.type == "index"
        )
        rendered: dict[str, etree._Element] = {}
        groups: list[notes_mod.NoteGroup] = []
        index_refs: list[tuple[int, int]] = []
        for division, entry, items in divisions:
            if entry.type == "notes":
                heads = {
                    e.plain: e.ident
                    for _, e, _ in divisions
                    if e.part in ("body", "back") and e.type not in ("notes", "index")
                }
                groups, warnings = notes_mod.parse(items, heads, self.hyphenation)
                for line, message, hint in warnings:
                    self.warn(line, message, hint, "import.monograph.notes")
                rendered[division.ident] = self._notes_div(division, groups)
            elif entry.type == "index":
                rendered[division.ident], index_refs = self._index_div(division, items)
            else:
                rendered[division.ident] = self._division(division, items)
        for opening in quotes.unmatched(self.quotes_found, self.block_quotes):
            self.warn(
                body_start,
                f'the block quotation opening "{opening}" is not found once in the text',
                f"Correct its opening words in block_quotes ({self.tables.rel})",
                "import.monograph.quote",
            )
        self._number_note_breaks(groups, index_refs)
        self._attach_notes(groups)
        for division, entry, _ in divisions:
            target = self.result.body if entry.part == "body" else self.result.back
            target.append(rendered[division.ident])
        self.result.back.append(self._series_list(all_blocks[series_i:]))
        self._suspected()
        self._finish(entries)
        return self.result

    def _suspected(self) -> None:
        for number, line in enumerate(self.lines, start=1):
            for reading, why in self.suspected.items():
                if reading in line:
                    self.warn(
                        number,
                        f'"{reading}" {why}',
                        "Not corrected: compare with the printed book and, if "
                        "the print has the correct form, encode choice/sic/corr",
                        "import.monograph.suspected-reading",
                    )

    # --- contents -----------------------------------------------------------------------------
    def _contents(self, items: list[Block]) -> list[Entry]:
        entries = []
        for block in items:
            for k, line in enumerate(block.lines):
                title, _, page = [c.strip() for c in line.split("\t")]
                plain = re.sub(r"</?i>", "", title)
                m = re.match(r"^(\d+) (.*)$", plain)
                entry = Entry(
                    block.line + k,
                    title,
                    m.group(2) if m else plain,
                    m.group(1) if m else None,
                    page,
                )
                self._classify(entry, self.siglum)
                entries.append(entry)
        return entries

    @staticmethod
    def _classify(entry: Entry, siglum: str) -> None:
        plain = entry.plain
        kinds = [
            (entry.label is not None, f"{siglum}.c{entry.label}", "chapter", "body"),
            (plain.startswith("Introduction"), f"{siglum}.intro", "introduction", "body"),
            (plain.startswith("Conclusion"), f"{siglum}.concl", "conclusion", "body"),
            (plain.startswith("Appendix"), f"{siglum}.app", "appendix", "back"),
            (plain.startswith("Bibliographic essay"), f"{siglum}.bibess", "bibliography", "back"),
            (plain == "Notes", f"{siglum}.notes", "notes", "back"),
            (plain == "Index", f"{siglum}.index", "index", "back"),
        ]
        for matches, ident, kind, part in kinds:
            if matches:
                entry.ident, entry.type, entry.part = ident, kind, part
                return

    def _table_list(self, items: list[Block]) -> None:
        self.table_list: list[tuple[int, str, str, str]] = []
        for block in items:
            for k, line in enumerate(block.lines):
                cells = [c.strip() for c in line.split("\t")]
                number, title, page = cells[0], cells[1], cells[-1]
                page = re.sub(r"<i>page</i>\s*", "", page)
                self.table_list.append((block.line + k, number, title, page))
                self.table_pages[number] = int(page)

    # --- front matter -------------------------------------------------------------------------
    def _front(
        self,
        items: list[Block],
        contents_i: int,
        tables_i: int,
        preface_i: int,
        entries: list[Entry],
    ) -> None:
        ctx = Inline(with_notes=False)
        half_title, series = items[0], items[1:]
        title_i = next(
            i for i, b in enumerate(items) if i > 0 and b.text.strip() == half_title.text.strip()
        )
        imprint_i = next(i for i, b in enumerate(items) if b.text.startswith("Published by"))
        front = self.result.front
        front.append(
            E.titlePage(
                E.docTitle(E.titlePart(half_title.text.strip(), type="main")), type="half-title"
            )
        )
        series_div = E.div(type="series", **{XML_ID: f"{self.siglum}.seriespage"})
        series_div.append(self._head(series[0], ctx))
        for block in items[2:title_i]:
            series_div.append(self._p(block, ctx))
        front.append(series_div)
        front.append(self._title_page(items[title_i:imprint_i]))
        imprint = E.div(type="imprint", **{XML_ID: f"{self.siglum}.imprint"})
        for block in items[imprint_i:contents_i]:
            imprint.append(self._p(block, ctx))
        front.append(imprint)
        front.append(self._contents_div(items[contents_i], entries))
        front.append(self._tables_div(items[tables_i]))
        preface = E.div(type="preface", **{XML_ID: f"{self.siglum}.preface"})
        division = Division(f"{self.siglum}.preface", "preface", [], [], None, None)
        parser = DivisionParser(self.hyphenation)
        division.units = parser.units(items[preface_i + 1 :])
        preface.append(self._pb("vii", None))
        preface.append(self._head(items[preface_i], ctx))
        self._count_roman(division, "vii")
        self._units(preface, division, ctx)
        front.append(preface)

    def _count_roman(self, division: Division, first: str) -> None:
        numerals = ["vii", "viii", "ix", "x", "xi", "xii"]
        k = numerals.index(first)
        for unit in division.units:
            for part in getattr(unit, "parts", []):
                if isinstance(part, Break):
                    k += 1
                    part.n, part.cert = numerals[k], "low"

    def _title_page(self, items: list[Block]) -> etree._Element:
        lines = [(b.line + k, line.strip()) for b in items for k, line in enumerate(b.lines)]
        texts = [t for _, t in lines]
        # ORIGINS… / THE SOVIET COMMUNIST PARTY / RECONSIDERED… / author / affiliation / publisher…
        page = E.titlePage()
        page.append(
            E.docTitle(
                E.titlePart(texts[0], type="main"),
                E.titlePart(texts[1], E.lb(), texts[2], type="sub"),
            )
        )
        page.append(E.byline(E.docAuthor(texts[3])))
        page.append(E.byline(texts[4]))
        imprint = E.docImprint(E.publisher(texts[5]))
        for place in texts[6:]:
            imprint.append(E.pubPlace(place))
        page.append(imprint)
        return page

    def _contents_div(self, head: Block, entries: list[Entry]) -> etree._Element:
        ctx = Inline(with_notes=False)
        div = E.div(type="contents", **{XML_ID: f"{self.siglum}.contents"})
        div.append(self._head(head, ctx))
        items = E.list(type="contents")
        for entry in entries:
            item = E.item()
            title, _, page = (
                entry.title.rpartition("\t") if "\t" in entry.title else (entry.title, "", "")
            )
            target = entry.ident or {
                "List of tables": f"{self.siglum}.tables",
                "Preface": f"{self.siglum}.preface",
            }.get(entry.plain)
            ref = E.ref(target=f"#{target}")
            render(ref, entry.title, entry.line, ctx)
            item.append(ref)
            add_text(item, " ")
            item.append(E.hi("page", rend="italic"))
            add_text(item, " ")
            item.append(E.ref(E.num(entry.page), target=f"#{self.siglum}.pb{entry.page}"))
            items.append(item)
        div.append(items)
        return div

    def _tables_div(self, head: Block) -> etree._Element:
        ctx = Inline(with_notes=False)
        div = E.div(type="tables", **{XML_ID: f"{self.siglum}.tables"})
        div.append(self._pb("vi", None))
        div.append(self._head(head, ctx))
        items = E.list(type="tables")
        for line, number, title, page in self.table_list:
            item = E.item(E.label(number), " ")
            render(item, title, line, ctx)
            add_text(item, " ")
            if number == self.table_list[0][1]:
                item.append(E.hi("page", rend="italic"))
                add_text(item, " ")
            item.append(E.num(page))
            item.set(
                "corresp", f"#{self.siglum}.table.{number}"
            )  # resolved to the table's id in _finish
            items.append(item)
        div.append(items)
        return div

    # --- divisions ----------------------------------------------------------------------------
    def _division(self, division: Division, items: list[Block]) -> etree._Element:
        parser = DivisionParser(self.hyphenation, quotes.openings(self.block_quotes))
        epigraphs, used = parser.epigraphs(items)
        division.units = [*epigraphs, *parser.units(items[used:])]
        for line, message, hint in parser.warnings:
            self.warn(line, message, hint, "import.monograph.table")
        for table in self._name_headless_tables(division):
            if table.number:
                table.page = self.table_pages.get(table.number)
        for line, message, hint in quotes.mark(
            division, self.quote_counter, self.quotes_found, self.block_quotes, self.tables.rel
        ):
            self.warn(line, message, hint, "import.monograph.quote")
        report, warnings = pages.number(division, self.index_refs)
        self.reports.append(report)
        for message in warnings:
            self.warn(
                division.heads[0].line,
                message,
                "Check the page breaks of this division against the printed book",
                "import.monograph.pages",
            )
        for table, page in pages.place_tables(division):
            if table.number and table.page and page != table.page:
                self.warn(
                    table.line,
                    f"table {table.number} falls on p. {page} by the inferred "
                    f"page numbers, but the list of tables gives p. {table.page}",
                    "The inferred page numbers near this table "
                    "may be off; check against the printed book",
                    "import.monograph.pages",
                )

        ctx = Inline()
        self.inline[division.ident] = ctx
        div = E.div(type=division.type, **{XML_ID: division.ident})
        div.append(self._pb(str(division.start_page), None))
        head = division.heads[0]
        div.append(self._head_el(head, ctx))
        self._units(div, division, ctx)
        return div

    def _name_headless_tables(self, division: Division) -> list[Table]:
        """A table printed without its "Table N.N." line gets @n from the list of tables when the
        list has exactly one table of this division that the text does not head."""
        tables = [
            t
            for u in division.units
            for t in (
                [u]
                if isinstance(u, Table)
                else [p for p in getattr(u, "parts", []) if isinstance(p, Table)]
            )
        ]
        prefix = {f"{self.siglum}.concl": "C"}.get(
            division.ident, division.ident.removeprefix(f"{self.siglum}.c")
        ) + "."
        listed = [number for _, number, _, _ in self.table_list if number.startswith(prefix)]
        missing = [n for n in listed if n not in {t.number for t in tables}]
        headless = [t for t in tables if t.head is None]
        for table in headless:
            if len(headless) == 1 and len(missing) == 1:
                table.number = missing[0]
                title = next(t for _, n, t, _ in self.table_list if n == missing[0])
                self.warn(
                    table.line,
                    'this table has no head in the transcription (no "Table N.N." '
                    "line before its rows); the list of tables has one table of "
                    f'this chapter not found elsewhere, {missing[0]} "{title}", '
                    f"so the table is numbered {missing[0]} (@n) without a head",
                    "Check the printed page; add the head by hand if the book prints one",
                    "import.monograph.table",
                )
            else:
                self.warn(
                    table.line,
                    "this table has no head in the transcription "
                    '(no "Table N.N." line before its rows)',
                    "Kept without a head; number it by hand from the list of tables",
                    "import.monograph.table",
                )
        return tables

    def _units(self, div: etree._Element, division: Division, ctx: Inline) -> None:
        container = div
        for unit in division.units:
            if isinstance(unit, Head):
                container = E.div(type="section")
                container.append(self._head_el(unit, ctx))
                div.append(container)
            elif isinstance(unit, Epigraph):
                quote, bibl = E.quote(), E.bibl()
                render(quote, unit.quote.text, unit.quote.line, ctx)
                render(bibl, unit.bibl.text, unit.bibl.line, ctx)
                container.append(E.epigraph(E.cit(quote, bibl)))
            elif isinstance(unit, Break):
                container.append(self._pb_break(unit))
            elif isinstance(unit, Table):
                container.append(self._table(unit, ctx))
            elif unit.kind == "list":
                lst = E.list(rend="numbered")
                for seg in unit.segs:
                    item = E.item()
                    render(item, seg.text, seg.line, ctx)
                    lst.append(item)
                container.append(lst)
            else:
                container.append(self._para(unit, ctx))

    def _para(self, para: Para, ctx: Inline) -> etree._Element:
        p = E.p()
        self._parts(p, para.parts, ctx)
        if para.quote is not None:
            p.set(QUOTE_MARK, str(para.quote))  # wrapped in <quote> once the ids are given
        if para.new:
            p.set(NEW_MARK, "1")
        return p

    def _parts(self, parent: etree._Element, parts: list, ctx: Inline) -> None:
        previous = None
        for k, part in enumerate(parts):
            if isinstance(part, Seg):
                text = part.text
                following = parts[k + 1] if k + 1 < len(parts) else None
                if isinstance(following, Break) and following.kind == "hyphen":
                    text = text.rstrip()[:-1]
                elif isinstance(following, Break) and following.kind == "compound":
                    text = text.rstrip()
                elif isinstance(following, (Break, Table)):
                    text = text.rstrip() + " "
                if isinstance(previous, Seg):
                    add_text(parent, " ")
                render(parent, text, part.line, ctx)
            elif isinstance(part, Break):
                parent.append(self._pb_break(part))
            elif isinstance(part, Table):
                parent.append(self._table(part, ctx))
            previous = part

    def _table(self, table: Table, ctx: Inline) -> etree._Element:
        el = E.table()
        if table.number:
            el.set("n", table.number)
        if table.head:
            head = E.head()
            render(head, table.head.text, table.head.line, ctx)
            el.append(head)
        for seg in table.rows:
            cells = seg.text.split("\t")
            row = E.row()
            if heading_row(cells):
                row.set("role", "label")
            for text in cells:
                cell = E.cell()
                render(cell, text.strip(), seg.line, ctx)
                row.append(cell)
            el.append(row)
        for seg, label in table.notes:
            note = E.note(type="table")
            if label:
                note.set("n", label)
            render(note, seg.text.strip(), seg.line, ctx)
            if not label or not self._at_table_marker(el, label, note):
                if label:
                    self.warn(
                        seg.line,
                        f'table note "{label}" has no marker in its table',
                        "Kept under the table; attach it at its marker by hand",
                        "import.monograph.table",
                    )
                el.append(note)
        return el

    @staticmethod
    def _at_table_marker(table: etree._Element, label: str, note: etree._Element) -> bool:
        """Put a table note at its first marker (^a in a cell, or a figure ending in *)."""
        if label == "*":
            for cell in table.iter(E.cell().tag):
                if cell.text and cell.text.endswith("*") and not len(cell):
                    cell.text = cell.text[:-1]
                    cell.append(note)
                    return True
            return False
        for hi in table.iter(E.hi().tag):
            if hi.get("rend") == "superscript" and hi.text == label:
                note.tail = hi.tail
                hi.getparent().replace(hi, note)
                return True
        return False

    # --- page breaks --------------------------------------------------------------------------
    def _pb(self, n: str, cert: str | None, no_break: bool = False) -> etree._Element:
        pb = E.pb(n=n)
        if cert:
            pb.set("cert", cert)
        if no_break:
            pb.set("break", "no")
        ident = f"{self.siglum}.pb{n}"
        if ident not in self.pb_ids:
            pb.set(XML_ID, ident)
            self.pb_ids.add(ident)
        return pb

    def _pb_break(self, brk: Break) -> etree._Element:
        if brk.n is None:
            pb = E.pb()
            if brk.kind in ("hyphen", "compound"):
                pb.set("break", "no")
            return pb
        return self._pb(brk.n, brk.cert, brk.kind in ("hyphen", "compound"))

    # --- heads and simple blocks ---------------------------------------------------------------
    def _head(self, block: Block, ctx: Inline) -> etree._Element:
        head = E.head()
        render(head, block.text.strip(), block.line, ctx)
        return head

    def _head_el(self, head: Head, ctx: Inline) -> etree._Element:
        el = E.head()
        if head.label:
            el.append(E.label(head.label))
            add_text(el, " ")
        render(el, head.text, head.line, ctx)
        return el

    def _p(self, block: Block, ctx: Inline) -> etree._Element:
        p = E.p()
        render(p, block.text.strip(), block.line, ctx)
        return p

    # --- notes ----------------------------------------------------------------------------------
    def _notes_div(self, division: Division, groups: list[notes_mod.NoteGroup]) -> etree._Element:
        ctx = Inline(with_notes=False)
        div = E.div(type="notes", **{XML_ID: division.ident})
        div.append(self._pb(str(division.start_page), None))
        div.append(self._head_el(division.heads[0], ctx))
        for group in groups:
            head = E.head()
            render(head, group.head.text, group.head.line, ctx)
            div.append(E.divGen(head, type="notes", corresp=f"#{group.ident}"))
        return div

    def _number_note_breaks(
        self,
        groups: list[notes_mod.NoteGroup],
        refs: list[tuple[int, int]],
        first: int = 221,
        last: int = 270,
    ) -> None:
        """Pages of the Notes section: interpolated between the notes whose page the index gives."""
        offset, starts, breaks = 0.0, [], []
        for group in groups:
            offset += 150
            for note in group.notes:
                offset += 20
                starts.append((note.number, offset))
                for part in note.parts:
                    if isinstance(part, Seg):
                        offset += len(part.text)
                    else:
                        breaks.append((offset, part))
        total = offset
        linear = lambda x: first + (last + 1 - first) * x / total  # noqa: E731
        anchors = [(0.0, float(first))]
        for page, number in sorted(refs):
            if not first <= page <= last:
                continue
            candidates = [x for n, x in starts if n == number]
            if candidates:
                x = min(candidates, key=lambda c: abs(linear(c) - page - 0.5))
                if abs(linear(x) - page) < 4:
                    anchors.append((x, page + 0.5))
        anchors.append((total, float(last + 1)))
        anchors.sort()
        kept = [anchors[0]]
        for x, p in anchors[1:]:
            if p >= kept[-1][1] and x > kept[-1][0]:
                kept.append((x, p))

        def estimate(x: float) -> float:
            for (x0, p0), (x1, p1) in zip(kept, kept[1:]):
                if x0 <= x <= x1:
                    return p0 + (p1 - p0) * (x - x0) / (x1 - x0)
            return float(last)

        previous = first
        for x, brk in breaks:
            n = max(round(estimate(x)), previous + 1)
            if n <= last:
                brk.n, brk.cert = str(n), "low"
                previous = n
        self.note_anchor_count = len(kept) - 2
        self.note_break_count = len(breaks)

    def _attach_notes(self, groups: list[notes_mod.NoteGroup]) -> None:
        self.note_counts: dict[str, tuple[int, int]] = {}
        for group in groups:
            ctx = self.inline.get(group.ident, Inline())
            markers = ctx.markers
            self.note_counts[group.ident] = (len(group.notes), len(markers))
            pairs = notes_mod.align([m.printed for m in markers], [n.number for n in group.notes])
            last_el = None
            orphans = 0
            for pair in pairs:
                note = group.notes[pair.note] if pair.note is not None else None
                marker = markers[pair.marker] if pair.marker is not None else None
                if note and marker:
                    el = marker.element
                    self._fill_note(el, group.ident, note, str(marker.printed))
                    if marker.printed != note.number:
                        label = E.label(str(note.number), type="note-number")
                        label.tail, el.text = " " + (el.text or ""), None
                        el.insert(0, label)
                        self.result.anomalies.append(
                            Anomaly(
                                el.get(XML_ID),
                                f"{self._where(group.ident)}: the marker is printed "
                                f"{marker.printed} (transcription line {marker.line}), "
                                f"the note it leads to is numbered {note.number} (line "
                                f"{note.line}); @n keeps the marker, label the note's number.",
                            )
                        )
                    last_el = el
                elif marker:
                    orphans += 1
                    el = marker.element
                    el.set(XML_ID, f"{group.ident}.nm{orphans}")
                    el.text = str(marker.printed)
                    if any(n.number == marker.printed for n in group.notes):
                        # printed twice: this marker links to the note of the other one
                        el.tag = E.ref().tag
                        el.set("type", "noteref")
                        el.set("target", f"#{group.ident}.n{marker.printed}")
                        how = (
                            f"has no note of its own; the Notes section has one note "
                            f"{marker.printed}, attached at the other marker with that number. "
                            'Encoded as ref type="noteref" to that note.'
                        )
                    else:
                        el.tag = E.hi().tag
                        el.set("rend", "superscript")
                        how = 'has no note in the Notes section. Encoded as hi rend="superscript".'
                    self.result.anomalies.append(
                        Anomaly(
                            el.get(XML_ID),
                            f"{self._where(group.ident)}: marker {marker.printed} (transcription "
                            f"line {marker.line}) {how}",
                        )
                    )
                else:
                    el = E.note(type="unmarked")
                    self._fill_note(el, group.ident, note, str(note.number))
                    if last_el is not None:
                        last_el.addnext(el)
                        el.tail, last_el.tail = last_el.tail, None
                    self.result.anomalies.append(
                        Anomaly(
                            el.get(XML_ID),
                            f"{self._where(group.ident)}: note {note.number} "
                            f"(transcription line {note.line}) has no marker in "
                            "the text; placed after the previous note's marker.",
                        )
                    )
                    last_el = el
            for note in group.notes:
                if note.printed_period:
                    self.warn(
                        note.line,
                        f"note {note.number} of {self._where(group.ident)} has its number "
                        f'followed by a full stop ("{note.number}."), unlike the others',
                        "Kept; the number is read as printed",
                        "import.monograph.notes",
                    )
                if note.split_from_previous:
                    self.warn(
                        note.line,
                        f"note {note.number} of {self._where(group.ident)} runs on "
                        f"in the line of note {note.number - 1} in the transcription",
                        f'Split into its own note at "{note.number} "',
                        "import.monograph.notes",
                    )
        for ident, ctx in self.inline.items():
            for marker in ctx.markers:
                if marker.element.get("n") is None and marker.element.tag == E.note().tag:
                    self.warn(
                        marker.line,
                        f"marker {marker.printed} in {ident} has no notes group",
                        "Check the Notes section",
                        "import.monograph.notes",
                    )
                    marker.element.tag = E.hi().tag
                    marker.element.set("rend", "superscript")
                    marker.element.text = str(marker.printed)

    def _fill_note(self, el: etree._Element, ident: str, note: notes_mod.NoteText, n: str) -> None:
        el.set(XML_ID, f"{ident}.n{note.number}")
        el.set("n", n)
        el.set("place", "end")
        self._parts(el, note.parts, Inline(with_notes=False))

    def _where(self, ident: str) -> str:
        part = ident.removeprefix(f"{self.siglum}.")
        names = {
            "intro": "the Introduction",
            "concl": "the Conclusion",
            "app": "the Appendix",
            "bibess": "the Bibliographic essay",
        }
        return names.get(part, f"chapter {part.removeprefix('c')}")

    # --- index and series list -----------------------------------------------------------------
    def _index_div(
        self, division: Division, items: list[Block]
    ) -> tuple[etree._Element, list[tuple[int, int]]]:
        ctx = Inline(with_notes=False)
        div = E.div(type="index", **{XML_ID: division.ident})
        div.append(self._pb(str(division.start_page), None))
        div.append(self._head_el(division.heads[0], ctx))
        entries = E.list(type="index")
        refs: list[tuple[int, int]] = []
        for block in items:
            main, subs = None, None
            previous = ""
            for k, line in enumerate(block.lines):
                refs += [(int(p), int(n)) for p, n in re.findall(r"\b(\d+)n(\d+)\b", line)]
                text = line.strip()
                if main is not None and re.search(r"[,–-]$", previous):
                    target = subs[-1] if subs is not None and len(subs) else main
                    add_text(target, " ")
                    render(target, text, block.line + k, ctx)
                elif main is None:
                    main = E.item()
                    render(main, text, block.line + k, ctx)
                    entries.append(main)
                else:
                    if subs is None:
                        subs = E.list()
                        main.append(subs)
                    item = E.item()
                    render(item, text, block.line + k, ctx)
                    subs.append(item)
                previous = text
        div.append(entries)
        return div, refs

    def _series_list(self, items: list[Block]) -> etree._Element:
        ctx = Inline(with_notes=False)
        div = E.div(type="series-list", **{XML_ID: f"{self.siglum}.series"})
        div.append(self._pb(str(self.last_page), None))
        div.append(self._head(items[0], ctx))
        div.append(self._p(items[1], ctx))
        titles = E.list()
        for block in items[2:]:
            for k, line in enumerate(block.lines):
                item = E.item()
                render(item, line.strip(), block.line + k, ctx)
                titles.append(item)
        div.append(titles)
        return div

    # --- ids ------------------------------------------------------------------------------------
    def _assign_ids(self, text: etree._Element) -> None:
        """Ids as the curated TEI has them: first every element the first import numbered, as it
        numbered them; then paragraphs split off since (next free number); then the block
        quotations wrapped around their paragraphs (next free q number)."""
        p_tag, hidden_tag = E.p().tag, E.p().tag + "-new"
        new = [p for p in text.iter(p_tag) if p.get(NEW_MARK)]
        for p in new:
            p.tag = hidden_tag
        assign_ids(text, self.siglum)
        for p in new:
            p.tag = p_tag
            del p.attrib[NEW_MARK]
        assign_ids(text, self.siglum)
        Converter._wrap_quotes(text)
        assign_ids(text, self.siglum)

    @staticmethod
    def _wrap_quotes(text: etree._Element) -> None:
        """The paragraphs of each block quotation (and the page breaks between them) → <quote>."""
        p_tag = E.p().tag
        groups: dict[str, list[etree._Element]] = {}
        for p in text.iter(p_tag):
            if p.get(QUOTE_MARK):
                groups.setdefault(p.get(QUOTE_MARK), []).append(p)
        for members in groups.values():
            first, last = members[0], members[-1]
            for p in members:
                del p.attrib[QUOTE_MARK]
            if any(p.getparent() is not first.getparent() for p in members):
                continue  # a listed quotation across a section head: left as paragraphs
            quote = E.quote()
            first.addprevious(quote)
            quote.tail = last.tail
            el = first
            while el is not None:  # the paragraphs and the page breaks between them
                following = el.getnext()
                quote.append(el)
                if el is last:
                    break
                el = following
            quote[-1].tail = None

    def _link_index(self, text: etree._Element) -> None:
        """Page numbers of the index → ref to the page's break, where the edition has it."""
        pages = {pb.get("n") for pb in text.iter(E.pb().tag) if pb.get(XML_ID)}
        for div in text.iter(E.div().tag):
            if div.get(XML_ID) == f"{self.siglum}.index":
                for item in div.iter(E.item().tag):
                    index_mod.link(item, pages, self.siglum)

    # --- header facts -------------------------------------------------------------------------
    def _finish(self, entries: list[Entry]) -> None:
        text = E.text(
            E.front(*self.result.front), E.body(*self.result.body), E.back(*self.result.back)
        )
        self._assign_ids(text)
        self._link_index(text)
        biblwrap.wrap_tree(
            text
        )  # the certain citations of the notes → bibl (linked by the importer's last step)
        self.result.front = list(text[0])
        self.result.body = list(text[1])
        self.result.back = list(text[2])
        tables = {t.get("n"): t.get(XML_ID) for t in text.iter(E.table().tag) if t.get("n")}
        for item in text.iter(E.item().tag):
            corresp = item.get("corresp", "")
            if corresp.startswith(f"#{self.siglum}.table."):
                number = corresp.removeprefix(f"#{self.siglum}.table.")
                if number in tables:
                    item.set("corresp", f"#{tables[number]}")
                else:
                    del item.attrib["corresp"]
        self.result.hyphenation.extend(self.tables.texts("hyphenation"))
        self.result.normalisation.extend(self.tables.texts("normalisation"))
        report = "; ".join(
            f"{r.ident} pp. {r.first}–{r.last}: {r.expected} breaks "
            f"expected, {r.visible} visible, {r.inferred} placed"
            + (
                f", {r.index_met} of {r.index_checked} single-page index "
                "references (headings as the index prints them) met"
                if r.index_checked
                else ""
            )
            + (
                f", implausible page length at p. {', '.join(map(str, r.odd_pages))}"
                if r.odd_pages
                else ""
            )
            for r in self.reports
        )
        self.result.normalisation.append(f"{self.label}, page breaks per division: {report}.")


def convert(source: SourceText, tables: Tables) -> ImportResult:
    """A whole book (plain-text transcription) → TEI parts."""
    return Converter(source, tables).run()
