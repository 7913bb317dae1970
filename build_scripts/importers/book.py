"""Book text → TEI front, body and back.

The transcription is plain text made from a paginated print: a title block and publisher's note, a
CONTENTS list (title, optional dot leader, TAB, printed page), parts and sections whose headings are
plain lines (found by matching them against the contents list), superscript note markers (²) whose
text stands in an ENDNOTES list ("1. …"), a boxed reading list between "* * *" rules, a figure
printed as a tab-separated table, block quotations, *italics* and <URL>s. Page numbers are not
printed in the running text: a page break shows as a blank line that splits a sentence or a word.
The works the witness cites and the opening paragraphs of its editorial declaration are its tables
in sources/import/<siglum>.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from build_scripts.importers.common import (
    Anomaly,
    Furniture,
    ImportResult,
    SourceText,
    superscript_to_digits,
)
from build_scripts.importers.tables import Tables
from build_scripts.problems import Problem
from build_scripts.tei.teixml import E, XML_ID

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
OPEN_QUOTES = ("“", '"')
TERMINAL = ".?!:"  # a chunk ending otherwise runs on into the next one (a page break)
CONTENTS_LINE = re.compile(r"^(?P<title>.*?)(?P<dots>\.{3,})?\t(?P<page>\d+)$")
PART = re.compile(r"^PART (\d+)\b")
NOTE_START = re.compile(r"^(\d+)\. ")
BOX_RULE = "* * *"
FIGURE = re.compile(r"^Fig\.? \d+\b")
BIBL_ENTRY = re.compile(r"^[A-Z][\w’'-]+, [A-Z].*\*")  # "Baibakov, Nikolai. *From Stalin…*"
CITATION_WORDS = (
    45  # a note paragraph of at most this many words is a citation (bibl); longer is prose
)
LEAD = re.compile(
    r"^((?:[Ss]ee also|[Ss]ee|cited by|quoted in|quoted by|"
    r"[^,*“\"]*? (?:found|published|reprinted) in) )"
)
CITATION_SIGNAL = re.compile(
    r"\*|“|\"|https?:|\b1[89]\d\d\b|\b20\d\d\b|, \d"
)  # a title, a URL, a year or a page
CYRILLIC_TO_LATIN = str.maketrans(
    "абвгдезиклмнопрстуфхАБВГДЕЗИКЛМНОПРСТУФХ", "abvgdeziklmnoprstufhABVGDEZIKLMNOPRSTUFH"
)

OBJ = re.compile(r"\ue000(\d+)\ue001")
INLINE = re.compile(
    r"(?P<obj>\ue000\d+\ue001)"
    r"|\*(?P<it>[^*\n]+?)\*"
    r"|\[(?P<mdtext>[^\]\s]+)\]\((?P<mdurl>[^)\s]+)\)"
    r"|<(?P<auto>https?://[^>\s]*)>"
    r"|(?P<bare>https?://[^\s<>\ue000]+?)(?=[.,;:)]*(?:\s|$|\ue000))"
    r"|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
    r"|(?P<mixed>\b[A-Za-z]+[\u0400-\u04ff]+\w*)"
)


@dataclass
class Chunk:
    """A run of non-blank lines of the transcription."""

    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass
class Text:
    """An element whose mixed content is built from raw text with object placeholders."""

    el: etree._Element
    line: int
    parts: list[str] = field(default_factory=list)
    last: str = ""  # the raw chunk added last (decides how the next chunk joins)


@dataclass
class Quote:
    el: etree._Element
    paras: list[Text]
    closed: bool = False


@dataclass
class Anchor:
    line: int
    page: int
    pb: (
        etree._Element | None
    )  # a candidate <pb> before the heading, dropped if the page began earlier
    fresh: bool = False  # a part or the notes: taken to begin a new page when a break is unseen


def known_works(tables: Tables) -> list[tuple[re.Pattern, str, str | None, str | None]]:
    """The table known_works: (pattern, key, chapter target, page target)."""
    works = []
    for e in tables.entries("known_works", ("pattern", "key"), ("chapter", "page")):
        if ("chapter" in e) != ("page" in e):
            raise tables.fail(
                e,
                "a known work has a chapter target but no page target, or the reverse",
                "Give both chapter and page, or neither",
            )
        try:
            pattern = re.compile(str(e["pattern"]))
        except re.error as err:
            raise tables.fail(
                e,
                f"the pattern {e['pattern']!r} is not a regular expression: {err}",
                "Fix the pattern (Python re syntax)",
            ) from None
        works.append((pattern, str(e["key"]), e.get("chapter"), e.get("page")))
    return works


class Converter:
    def __init__(self, source: SourceText, tables: Tables):
        self.source = source
        self.siglum = tables.siglum
        self.known_works = known_works(tables)
        self.opening = tables.texts("normalisation")
        self.lines = source.lines
        self.result = ImportResult()
        self.objects: list[etree._Element] = []
        self.texts: list[Text] = []
        self.quotes: list[Quote] = []
        self.visible: list[tuple[int, etree._Element]] = []  # body page breaks: (blank line, pb)
        self.anchors: list[Anchor] = []
        self.notes: dict[int, list[Text]] = {}
        self.note_line: dict[int, int] = {}
        self.note_pbs: list[etree._Element] = []
        self.used: list[int] = []  # marker numbers in reading order
        self.hyphens: list[tuple[int, str]] = []
        offset, self.offset = 0, []
        for line in self.lines:
            self.offset.append(offset)
            offset += len(line)

    # --- objects and inline text ----------------------------------------------------------------
    def obj(self, el: etree._Element) -> str:
        self.objects.append(el)
        return f"\ue000{len(self.objects) - 1}\ue001"

    def text(self, el: etree._Element, line: int, raw: str = "") -> Text:
        t = Text(el, line, [raw] if raw else [], raw)
        self.texts.append(t)
        return t

    def fill(self, el: etree._Element, raw: str, line: int) -> None:
        """Turn raw text (italics, URLs, markers, placeholders) into el's mixed content."""
        pos = 0
        for m in INLINE.finditer(raw):
            _append(el, raw[pos : m.start()])
            pos = m.end()
            if m.group("obj"):
                el.append(self.objects[int(OBJ.match(m.group()).group(1))])
            elif m.group("it") is not None:
                hi = etree.SubElement(el, E.hi().tag, rend="italic")
                self.fill(hi, m.group("it"), line)
            elif m.group("mdurl"):
                etree.SubElement(el, E.ref().tag, target=m.group("mdurl")).text = m.group("mdtext")
            elif m.group("auto") is not None or m.group("bare"):
                url = m.group("auto") or m.group("bare")
                etree.SubElement(el, E.ref().tag, target=url).text = url
            elif m.group("sup"):
                el.append(self.note_at(int(superscript_to_digits(m.group())), line))
            elif m.group("mixed"):
                word = m.group()
                self.result.corrections.append(f"{word} → {word.translate(CYRILLIC_TO_LATIN)}")
                el.append(E.choice(E.sic(word), E.corr(word.translate(CYRILLIC_TO_LATIN))))
        _append(el, raw[pos:])

    def note_at(self, n: int, line: int) -> etree._Element:
        """The note for marker n; a marker with no note stays a marker, one printed twice links to
        the note at the first (both recorded)."""
        self.used.append(n)
        paras = self.notes.get(n)
        if paras is None or self.used.count(n) > 1:
            ident = f"{self.siglum}.m{n}.{self.used.count(n)}"
            if paras is None:
                marker = E.hi(str(n), rend="superscript")
                why = "has no note in the ENDNOTES list"
            else:  # printed twice: this one links to the note at the first
                marker = E.ref(str(n), type="noteref", target=f"#{self.siglum}.n{n}")
                why = "is printed a second time; its note stands at the first, and it links there"
            marker.set(XML_ID, ident)
            self.result.anomalies.append(
                Anomaly(ident, f"Marker {n} (line {line}) {why}: kept as a superscript number.")
            )
            return marker
        note = E.note(n=str(n), place="end")
        note.set(XML_ID, f"{self.siglum}.n{n}")
        self.note_content(note, paras)
        return note

    def note_content(self, note: etree._Element, paras: list[Text]) -> None:
        if len(paras) == 1:
            self.citation(note, "".join(paras[0].parts), paras[0].line)
            return
        for para in paras:
            p = E.p()
            note.append(p)
            self.citation(p, "".join(para.parts), para.line)

    def citation(self, el: etree._Element, raw: str, line: int) -> None:
        """A note paragraph: short ones are citations (one bibl per '; ' segment), long ones
        prose."""
        if len(
            re.findall(r"\w+", OBJ.sub(" ", raw))
        ) > CITATION_WORDS or not CITATION_SIGNAL.search(raw):
            self.fill(el, raw, line)
            return
        for segment in _split_outside_brackets(raw):
            if segment == "; ":
                _append(el, segment)
                continue
            lead = LEAD.match(segment)
            head = lead.group(1) if lead else ""
            core = segment[len(head) :]
            tail = "." if core.endswith(".") else ""
            core = core[: len(core) - len(tail)]
            _append(el, head)
            bibl = E.bibl()
            self.fill(bibl, self.witness_refs(bibl, core), line)
            el.append(bibl)
            _append(el, tail)

    def witness_refs(self, bibl: etree._Element, core: str) -> str:
        for pattern, key, chapter, page in self.known_works:
            if not pattern.search(core):
                continue
            bibl.set("corresp", f"bib:{key}")
            if chapter and page:
                core = re.sub(
                    r"(?<=, )(chap\. (\d+)|(\d+)(?:[–-]\d+)?)(?=[,.;]|$)",
                    lambda m: self.obj(_witness_ref(m, chapter, page)),
                    core,
                )
        return core

    # --- structure --------------------------------------------------------------------------------
    def run(self) -> ImportResult:
        chunks = _chunks(self.lines)
        i_contents = next((i for i, c in enumerate(chunks) if c.text == "CONTENTS"), None)
        if i_contents is None:
            self.problem(
                1,
                "no CONTENTS heading",
                "The book style needs a contents list to find its headings",
                "import.book.no-contents",
            )
            return self.result
        contents = self.contents(chunks[i_contents + 1])
        front = self.front(chunks[:i_contents])
        i_notes = next(
            (i for i, c in enumerate(chunks) if _norm(c.text) == _norm(contents[-1][0])),
            len(chunks),
        )
        self.parse_notes(chunks[i_notes + 1 :])
        body = self.body(chunks[i_contents + 2 : i_notes], contents[:-1])
        back = self.back(chunks[i_notes], contents[-1])
        for t in self.texts:
            self.fill(t.el, "".join(t.parts), t.line)
        for q in self.quotes:
            if len(q.paras) == 1:  # a one-paragraph quotation holds its text directly
                p = q.paras[0].el
                q.el.remove(p)
                q.el.text = p.text
                q.el.extend(list(p))
        self.number_pages()
        self.check_notes(body)
        self.result.front = front + [self.contents_div(contents)]
        self.result.body, self.result.back = body, back
        self.record()
        return self.result

    def problem(
        self, line: int, message: str, hint: str, code: str, severity: str = "error"
    ) -> None:
        self.result.problems.append(Problem(self.source.at(line), message, hint, code, severity))

    def front(self, chunks: list[Chunk]) -> list[etree._Element]:
        title, author, *rest = chunks
        out: list[etree._Element] = [
            E.titlePage(E.docTitle(E.titlePart(title.text, type="main")), E.docAuthor(author.text))
        ]
        note = rest[0].text
        div = E.div(E.head(note), type="preface")
        div.set(XML_ID, f"{self.siglum}.pubnote")
        imprint = None
        for chunk in rest[1:]:
            if chunk.text.startswith("ISBN:"):
                number = chunk.text.split(":", 1)[1].strip()
                div.append(E.p("ISBN: ", E.idno(number, type="ISBN")))
            elif len(chunk.lines) == 2 and chunk.lines[0].isupper():
                place, _, year = chunk.lines[1].rpartition(" ")
                imprint = E.titlePage(
                    E.docImprint(
                        E.publisher(chunk.lines[0]),
                        " ",
                        E.pubPlace(place),
                        " ",
                        E.docDate(year, when=year),
                    ),
                    type="imprint",
                )
            else:
                p = E.p()
                div.append(p)
                self.fill(p, chunk.text, chunk.line)
        return out + [div] + ([imprint] if imprint is not None else [])

    def contents(self, chunk: Chunk) -> list[tuple[str, str, int, int]]:
        entries = []
        for k, line in enumerate(chunk.lines):
            m = CONTENTS_LINE.match(line)
            if not m:
                self.problem(
                    chunk.line + k,
                    f"contents line without a page number: {line!r}",
                    "Expect 'Title<TAB>page'",
                    "import.book.contents",
                )
                continue
            entries.append(
                (m.group("title"), m.group("dots") or "", int(m.group("page")), chunk.line + k)
            )
        return entries

    def contents_div(self, entries) -> etree._Element:
        items = []
        for (title, dots, page, _), ident in zip(entries, self.div_ids + [f"{self.siglum}.notes"]):
            items.append(
                E.item(E.ref(title, target=f"#{ident}"), dots + " ", E.num(str(page), type="page"))
            )
        div = E.div(E.head("CONTENTS"), E.list(*items), type="contents")
        div.set(XML_ID, f"{self.siglum}.contents")
        return div

    def body(self, chunks: list[Chunk], entries) -> list[etree._Element]:
        parts: list[etree._Element] = []
        div = None
        self.div_ids: list[str] = []
        expected = list(entries)
        section, part_div = 0, None
        p: Text | None = None
        quote: Quote | None = None
        i = 0
        while i < len(chunks):
            chunk = chunks[i]
            raw = chunk.text
            if expected and len(chunk.lines) == 1 and _norm(raw) == _norm(expected[0][0]):
                title, _, page, _ = expected.pop(0)
                pb = E.pb(n=str(page))
                part = PART.match(raw)
                if part:
                    div = E.div(pb, E.head(raw), type="part", n=part.group(1))
                    div.set(XML_ID, f"{self.siglum}.pt{part.group(1)}")
                    parts.append(div)
                    part_div, section = div, 0
                else:
                    section += 1
                    div = E.div(pb, E.head(raw), type="section")
                    div.set(
                        XML_ID,
                        f"{part_div.get(XML_ID) if part_div is not None else self.siglum}."
                        f"d{section}",
                    )
                    (parts if part_div is None else part_div).append(div)
                self.div_ids.append(div.get(XML_ID))
                self.anchors.append(Anchor(chunk.line, page, pb, bool(part)))
                p, quote, i = None, None, i + 1
                continue
            if any(_norm(raw) == _norm(e[0]) for e in expected[1:]):
                self.problem(
                    chunk.line,
                    f"heading {raw!r} comes before {expected[0][0]!r} of the contents",
                    "Check the order of the contents list",
                    "import.book.heading-order",
                    "warning",
                )
            if div is None:
                self.problem(
                    chunk.line,
                    "text before the first heading of the contents",
                    "The body must begin with the first contents entry",
                    "import.book.no-heading",
                )
                return parts
            if raw == BOX_RULE:
                end = next(
                    (j for j in range(i + 1, len(chunks)) if chunks[j].text == BOX_RULE), None
                )
                if end is None:
                    self.problem(
                        chunk.line,
                        "a '* * *' rule opens a box that is never closed",
                        "Close the box with a second '* * *' line",
                        "import.book.box",
                    )
                    return parts
                div.append(self.box(chunks[i : end + 1]))
                p, quote, i = None, None, end + 1
                continue
            if FIGURE.match(raw) and i + 1 < len(chunks) and "\t" in chunks[i + 1].lines[0]:
                div.append(self.table(chunk, chunks[i + 1]))
                p, quote, i = None, None, i + 2
                continue
            p, quote = self.flow(div, p, quote, chunk)
            i += 1
        for title, _, _, line in expected:
            self.problem(
                line,
                f"contents entry {title!r} has no heading in the text",
                "Check the heading's wording against the contents list",
                "import.book.heading-missing",
            )
        return parts

    def flow(
        self, div, p: Text | None, quote: Quote | None, chunk: Chunk
    ) -> tuple[Text | None, Quote | None]:
        """Add a chunk of running text: continue the paragraph (page break), open or continue a
        block quotation inside it, or begin a new paragraph."""
        y = chunk.text
        blank = chunk.line - 1
        if quote is not None and not quote.closed:
            last = quote.paras[-1]
            if _runs_on(last.last, y):
                self.join(last, y, blank, chunk.line)
            elif y.startswith(OPEN_QUOTES) or y.count("”") > y.count("“"):
                last = self.text(E.p(), chunk.line, y)
                quote.el.append(last.el)
                quote.paras.append(last)
            else:
                self.result.normalisation.append(
                    f"Line {quote.paras[0].line}: the block quotation is printed "
                    "without a closing quotation mark; it is taken to end "
                    f"with its paragraph (line {chunk.line} begins a new one)."
                )
                return self.paragraph(div, chunk), None
            quote.closed = _closes(y)
            return p, quote
        if p is not None and quote is not None:  # a quotation just closed inside p
            if y[:1].islower():
                p.parts.append(" " + y)
                p.last = y
                return p, None
            return self.paragraph(div, chunk), None
        if p is not None and _runs_on(p.last, y):
            self.join(p, y, blank, chunk.line)
            return p, None
        if p is not None and y.startswith(OPEN_QUOTES) and _bare(p.last)[-1:] not in ".?!":
            qp = self.text(E.p(), chunk.line, y)
            quote = Quote(E.quote(qp.el), [qp], _closes(y))
            self.quotes.append(quote)
            p.parts.append(" " + self.obj(quote.el))
            return p, quote
        return self.paragraph(div, chunk), None

    def paragraph(self, div, chunk: Chunk) -> Text:
        p = self.text(E.p(), chunk.line, chunk.text)
        div.append(p.el)
        return p

    def join(self, t: Text, y: str, blank: int, line: int, notes: bool = False) -> None:
        """Rejoin text split by a page break; a word hyphenated across it loses its hyphen."""
        pb = E.pb()
        if notes:
            self.note_pbs.append(pb)
        else:
            self.visible.append((blank, pb))
        x = t.parts[-1]
        hyphen = re.search(r"[^\W\d_](-)\*?$", x)
        if hyphen and y[:1].islower():  # also "*title zagovo-*" | "ry": the hyphen ends the italics
            pb.set("break", "no")
            t.parts[-1] = x[: hyphen.start(1)] + x[hyphen.end(1) :]
            left = re.search(r"[\w’']*$", x[: hyphen.start(1)]).group()
            right = re.match(r"[\w’']*", y).group()
            self.hyphens.append((line - 2, f"{left}-|{right}"))
            t.parts.append(self.obj(pb) + y)
        elif x.endswith(("<http://>", "<https://>")) and y and not y[0].isspace():
            url, _, rest = y.partition(" ")
            url, dot = (url[:-1], ".") if url.endswith(".") else (url, "")
            scheme = x[x.rindex("<") + 1 : -1]
            pb.tail = url
            t.parts[-1] = x[: x.rindex("<")]
            t.parts.append(
                self.obj(E.ref(scheme, pb, target=scheme + url))
                + dot
                + (" " + rest if rest else "")
            )
            self.result.normalisation.append(
                f"Line {line - 2}: the URL printed as “<{scheme}>” before a page break and "
                f"continued as “{url}” after it is encoded as one ref with the break inside it."
            )
        else:
            t.parts.append(" " + self.obj(pb) + y)
        t.last = y

    def box(self, chunks: list[Chunk]) -> etree._Element:
        head, *rest = chunks[1:-1]
        bibls, tail = [], []
        for chunk in rest:
            if BIBL_ENTRY.match(chunk.text) and not tail:
                target = E.bibl()
                bibls.append(target)
            else:
                target = E.p()
                tail.append(target)
            self.text(target, chunk.line, chunk.text)
        div = E.div(E.head(head.text), E.listBibl(*bibls), *tail, type="insert")
        for rule in (chunks[0], chunks[-1]):
            self.result.furniture.append(Furniture(rule.line, "box-rule", rule.text))
        self.result.normalisation.append(
            f"Lines {chunks[0].line}–{chunks[-1].line}: the reading list "
            f"“{head.text}”, set between two “* * *” rules in the middle of "
            "Part 1, is the boxed insert that the text itself calls “the "
            "box on the preceding page”. It is encoded where it stands as "
            'floatingText type="insert" (its entries as listBibl/bibl, the '
            "author's own list as p); the two rules are listed as removed furniture."
        )
        return E.floatingText(E.body(div), type="insert", rend="boxed")

    def table(self, caption: Chunk, chunk: Chunk) -> etree._Element:
        table = E.table(E.head(caption.text), type="figure")
        width = max(len(line.rstrip("\t").split("\t")) for line in chunk.lines)
        header_done = False
        for line in chunk.lines:
            cells = line.rstrip("\t").split("\t")
            row = E.row()
            if len(cells) < width:
                row.append(E.cell(cells[0], cols=str(width)))
            else:
                for text in cells:
                    row.append(E.cell(text))
                if not header_done:
                    row.set("role", "label")
                    header_done = True
            table.append(row)
        table.set("rows", str(len(chunk.lines)))
        table.set("cols", str(width))
        self.result.normalisation.append(
            f"Lines {caption.line}–{chunk.line + len(chunk.lines) - 1}: "
            f"“{caption.text}” is printed as a tab-separated table; it is encoded "
            "as table (its caption as head). Rows of one cell (a trailing "
            "TAB, no second cell) span both columns; the first row of two "
            'cells is the column heading (role="label").'
        )
        return table

    # --- notes ------------------------------------------------------------------------------------
    def parse_notes(self, chunks: list[Chunk]) -> None:
        current: Text | None = None
        current_n, orphan = 0, False
        for k, chunk in enumerate(chunks):
            for j, line in enumerate(chunk.lines):
                number = chunk.line + j
                m = NOTE_START.match(line)
                if m:
                    n = int(m.group(1))
                    if n in self.notes:
                        self.problem(
                            number,
                            f"note {n} is printed twice in the ENDNOTES list",
                            "Record the duplicate by hand as an anomaly",
                            "import.book.duplicate-note",
                        )
                        continue
                    current, current_n = Text(E.p(), number, [], ""), n
                    self.notes[n], self.note_line[n] = [current], number
                    text = line[m.end() :]
                    if j == 0 and k > 0 and not orphan:  # a page break between two notes
                        pb = E.pb()
                        self.note_pbs.append(pb)
                        text = self.obj(pb) + text
                    current.parts, current.last = [text], text
                elif current is None:
                    self.problem(
                        number,
                        "text before the first endnote",
                        "Each endnote begins 'N. '",
                        "import.book.note-text",
                    )
                elif j == 0 and _bare(current.last)[-1:] in ".?!" and line[:1].isupper():
                    current = Text(E.p(), number, [line], line)  # a second paragraph of the note
                    self.notes[current_n].append(current)
                elif j == 0:
                    self.join(current, line, number - 1, number, notes=True)
                else:
                    current.parts.append(" " + line)
                    current.last = line
            orphan = not NOTE_START.match(chunk.lines[0])

    def back(self, heading: Chunk, entry) -> list[etree._Element]:
        pb = E.pb(n=str(entry[2]))
        self.anchors.append(Anchor(heading.line, entry[2], pb, True))
        div = E.div(pb, E.head(heading.text), E.divGen(type="notes"), type="notes")
        div.set(XML_ID, f"{self.siglum}.notes")
        return [div]

    def check_notes(self, body: list[etree._Element]) -> None:
        previous = 0
        for root in body:
            for note in root.iter(E.note().tag):
                if note.get("resp") or note.get("n") is None:
                    continue
                n = int(note.get("n"))
                if n != previous + 1 and n != previous:
                    self.result.anomalies.append(
                        Anomaly(
                            note.get(XML_ID),
                            f"Marker {n} follows marker {previous} "
                            "in the text: numbered as printed.",
                        )
                    )
                previous = n
        placed = {
            int(n.get("n")): n
            for root in body
            for n in root.iter(E.note().tag)
            if n.get("n") and not n.get("resp")
        }
        for n in sorted(set(self.notes) - set(self.used)):
            note = E.note(n=str(n), place="end", type="unmarked")
            note.set(XML_ID, f"{self.siglum}.n{n}")
            self.note_content(note, self.notes[n])
            before = max((k for k in placed if k < n), default=None)
            if before is None:
                self.problem(
                    self.note_line[n],
                    f"endnote {n} has no marker in the text and no earlier note to follow",
                    'Place it by hand as note type="unmarked"',
                    "import.book.unmarked-note",
                )
                continue
            anchor = placed[before]
            note.tail, anchor.tail = anchor.tail, None
            anchor.addnext(note)
            placed[n] = note
            self.result.anomalies.append(
                Anomaly(
                    note.get(XML_ID),
                    f"Endnote {n} (line {self.note_line[n]}) has no marker in the "
                    f'text; it is placed after note {before} (type="unmarked").',
                )
            )

    # --- page numbers -----------------------------------------------------------------------------
    def number_pages(self) -> None:
        """Number the visible page breaks by counting between headings whose page the contents
        gives.

        Between two headings on pages a and b there are b-a breaks. When all of them are visible,
        each gets its number (cert medium: counted). When some fall between paragraphs (invisible),
        a part or the notes is taken to begin a new page, the others are put where the text between
        visible breaks is longest, and the visible ones numbered on that assumption (cert low); a
        heading keeps its own pb (cert medium) only if its page began unseen.
        """
        start = self.offset[self.anchors[0].line - 1]
        self.anchors[0].pb.set(XML_ID, f"{self.siglum}.pb{self.anchors[0].page}")
        for a, b in zip(self.anchors, self.anchors[1:]):
            breaks = [(line, pb) for line, pb in self.visible if a.line < line < b.line]
            need = b.page - a.page
            if len(breaks) > need:
                self.problem(
                    a.line,
                    f"{len(breaks)} page breaks between pages "
                    f"{a.page} and {b.page} of the contents",
                    "Check the page numbers of the contents or the blank lines of the text",
                    "import.book.pages",
                    "warning",
                )
                breaks = breaks[:need]
            points = (
                [start] + [self.offset[line - 1] for line, _ in breaks] + [self.offset[b.line - 1]]
            )
            extra = [0] * (len(points) - 1)
            if b.fresh and need > len(breaks):
                extra[-1] = 1
            for _ in range(need - len(breaks) - sum(extra)):
                k = max(
                    range(len(extra)), key=lambda g: (points[g + 1] - points[g]) / (extra[g] + 1)
                )
                extra[k] += 1
            page, cert = a.page, ("medium" if need == len(breaks) else "low")
            for (line, pb), add in zip(breaks, extra):
                page += add + 1
                _number(pb, page, cert, self.siglum)
                start = self.offset[line - 1]
            if need and extra[-1]:
                _number(b.pb, b.page, "medium", self.siglum)
                start = self.offset[b.line - 1]
            else:
                b.pb.getparent().remove(b.pb)
        for k, pb in enumerate(self.note_pbs, start=1):
            _number(pb, self.anchors[-1].page + k, "medium", self.siglum)

    def record(self) -> None:
        self.result.normalisation[:0] = list(self.opening)
        if self.hyphens:
            self.result.hyphenation.append(
                "Words rejoined across a page break (line of the transcription: as printed): "
                + "; ".join(f"{n}: {w}" for n, w in sorted(self.hyphens))
                + "."
            )


# --- helpers ------------------------------------------------------------------------------------
def convert(source: SourceText, tables: Tables) -> ImportResult:
    return Converter(source, tables).run()


def _chunks(lines: list[str]) -> list[Chunk]:
    chunks: list[Chunk] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if chunks and chunks[-1].line + len(chunks[-1].lines) == number:
            chunks[-1].lines.append(line)
        else:
            chunks.append(Chunk(number, [line]))
    return chunks


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.rstrip(".").split()).casefold()


def _bare(text: str) -> str:
    """The end of a chunk without note markers, closing quotation marks and emphasis."""
    return text.rstrip().rstrip(SUPERSCRIPTS).rstrip("”’\"'*)").rstrip()


def _runs_on(x: str, y: str) -> bool:
    """Does chunk y continue the sentence (or word) that chunk x breaks off? Then a page break split
    them."""
    if not x or not y:
        return False
    if y[0].islower() or y[0].isdigit():
        return True
    return _bare(x)[-1:] not in TERMINAL and not y.startswith(OPEN_QUOTES)


def _closes(text: str) -> bool:
    return text.rstrip().rstrip(SUPERSCRIPTS).rstrip(")").endswith(("”", '"'))


def _split_outside_brackets(text: str) -> list[str]:
    out, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        depth += (ch in "([") - (ch in ")]")
        if depth == 0 and text.startswith("; ", k):
            out += [text[start:k], "; "]
            start = k + 2
    return [s for s in out + [text[start:]] if s]


def _witness_ref(m: re.Match, chapter: str, page: str) -> etree._Element:
    if m.group(2):
        target = chapter.replace("{chapter}", m.group(2))
    else:
        target = page.replace("{page}", m.group(3))
    return E.ref(m.group(1), type="witness", target=target)


def _number(pb: etree._Element, page: int, cert: str, siglum: str) -> None:
    pb.set("n", str(page))
    pb.set(XML_ID, f"{siglum}.pb{page}")
    pb.set("cert", cert)


def _append(el: etree._Element, text: str) -> None:
    if not text:
        return
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text
