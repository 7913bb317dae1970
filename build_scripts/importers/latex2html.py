"""LaTeX2HTML text → TEI body: one section, block quotations with their citations.

The transcription is the text of a LaTeX2HTML page: navigation strips at the top and bottom and a
footer date (page furniture), the section title, then paragraphs separated by blank lines. A block
quotation is one or more paragraphs opening with a TeX quote (`); the paragraph of citation after it
("Smith, op. cit., p. 137.", "Ibid., p. 155.") is its source. TeX's input conventions (quotes,
dashes) and the space LaTeX2HTML left before the comma of "Ibid. ," are normalised to the characters
TeX prints, each place as choice/orig/reg (`tex_typography`), so the transcription's form is kept.
The works the witness cites, and the paragraphs of its editorial declaration, are its tables in
sources/import/<siglum>.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from build_scripts.importers.common import Furniture, ImportResult, SourceText, collapse
from build_scripts.importers.tables import Tables
from build_scripts.problems import Problem
from build_scripts.tei.teixml import E, XML_ID, local

NAVIGATION = re.compile(r"^(next up previous contents index|Next: .* Up: .* Previous: .*)$")
FOOTER_DATE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} +\d{1,2} \d\d:\d\d:\d\d [A-Z]{3} \d{4}$"
)

# A citation paragraph ends with its page: "..., p. 137." / "..., pp. 170--171." / "..., p. S26."
CITATION = re.compile(
    r"^(?P<head>.*?)(?P<pages>pp?\. (?P<first>[A-Z]?\d+)(?:--(?P<last>[A-Z]?\d+))?)\.$"
)
OP_CIT = re.compile(r"(?P<author>[A-Z][A-Za-z]+), op\. cit\. ,\s*$")
IBID = re.compile(r"^Ibid\. ,\s*$")
NAMED = re.compile(r"(?P<author>[A-Z][A-Za-z]+), (?P<title>[A-Z][^,]+), $")

# TeX's input conventions → the characters TeX prints (longest first); " ," only after an
# abbreviation.
TEX_TYPOGRAPHY = {"``": "“", "''": "”", "---": "—", "--": "–", "`": "‘", "'": "’", " ,": ","}
TEX_PATTERN = re.compile(r"``|''|---|--|`|'|(?<=\.) ,")


@dataclass
class Block:
    line: int  # first line of the paragraph in the transcription
    text: str  # whitespace-normalised


@dataclass
class Works:
    """The tables of the witness (sources/import/<siglum>.yml): see the comment at its top."""

    tables: Tables
    by_author: dict  # author or (author, title) → key
    returns: list[tuple[str, str, str]]
    witness_pages: dict[str, str]

    @classmethod
    def read(cls, tables: Tables) -> Works:
        by_author: dict = {}
        for e in tables.entries("works", ("author", "key"), ("title",)):
            author = (str(e["author"]), str(e["title"])) if "title" in e else str(e["author"])
            by_author[author] = str(e["key"])
        returns = [
            (str(e["phrase"]), str(e["key"]), str(e["reason"]))
            for e in tables.entries("returns", ("phrase", "key", "reason"))
        ]
        return cls(tables, by_author, returns, tables.mapping("witness_pages"))


def convert(source: SourceText, tables: Tables) -> ImportResult:
    works = Works.read(tables)
    part = f"{tables.siglum}.body"
    result = ImportResult(normalisation=tables.texts("normalisation"))
    blocks = _blocks(source, result)
    if not blocks:
        result.problems.append(
            Problem(
                source.at(1),
                "no text found",
                "Check that the file is a LaTeX2HTML page",
                "import.empty",
            )
        )
        return result
    div = E.div(E.head(blocks[0].text), type="section")
    div.set(XML_ID, part)
    _fill(div, blocks[1:], source, result, works, part)
    tex_typography(div)
    result.body.append(div)
    return result


def tex_typography(root: etree._Element) -> int:
    """Each TeX convention in the text below `root` → choice/orig/reg (TEX_TYPOGRAPHY); the
    count."""
    count = 0

    def split(text: str) -> tuple[str, list[tuple[etree._Element, str]]]:
        nonlocal count
        pieces = TEX_PATTERN.split(text)
        found = TEX_PATTERN.findall(text)
        count += len(found)
        return pieces[0], [
            (E.choice(E.orig(f), E.reg(TEX_TYPOGRAPHY[f])), after)
            for f, after in zip(found, pieces[1:])
        ]

    for el in list(root.iter()):
        if not isinstance(el.tag, str) or local(el) in ("orig", "reg"):
            continue
        if el.text:
            el.text, made = split(el.text)
            for offset, (choice, after) in enumerate(made):
                choice.tail = after
                el.insert(offset, choice)
        if el is not root and el.tail:
            el.tail, made = split(el.tail)
            parent, at = el.getparent(), el.getparent().index(el)
            for offset, (choice, after) in enumerate(made, start=1):
                choice.tail = after
                parent.insert(at + offset, choice)
    return count


def _blocks(source: SourceText, result: ImportResult) -> list[Block]:
    """Paragraphs (runs of non-blank lines), with the page furniture removed and listed."""
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(source.lines, start=1):
        stripped = line.strip()
        kind = (
            "navigation"
            if NAVIGATION.match(stripped)
            else "footer-date"
            if FOOTER_DATE.match(stripped)
            else None
        )
        if kind:
            result.furniture.append(Furniture(number, kind, line))
        if kind or not stripped:
            if current:
                blocks.append(Block(start, collapse(" ".join(current))))
            current = []
            continue
        if not current:
            start = number
        current.append(stripped)
    if current:
        blocks.append(Block(start, collapse(" ".join(current))))
    return blocks


def _fill(
    div: etree._Element,
    blocks: list[Block],
    source: SourceText,
    result: ImportResult,
    works: Works,
    part: str,
) -> None:
    """Paragraphs, block quotations and citations in reading order; ids of quotations and bibls."""
    chain = Chain(source, result, works)
    pending_quote: list[Block] = []
    counters = {"q": 0, "bibl": 0}

    def next_id(kind: str) -> str:
        counters[kind] += 1
        return f"{part}.{kind}{counters[kind]}"

    context: list[str] = []  # running text since the previous citation
    for block in blocks:
        if block.text.startswith("`"):
            pending_quote.append(block)
            continue
        citation = CITATION.match(block.text) if len(block.text) < 400 else None
        bibl = chain.bibl(block, citation, " ".join(context)) if citation else None
        context = [] if bibl is not None else context + [block.text]
        if bibl is not None:
            bibl.set(XML_ID, next_id("bibl"))
        if pending_quote:
            quote = E.quote(*[E.p(b.text) for b in pending_quote])
            quote.set(XML_ID, next_id("q"))
            div.append(E.cit(quote, bibl) if bibl is not None else quote)
            pending_quote = []
            if bibl is not None:
                continue
        elif bibl is not None:
            _point_to(div, bibl, next_id)
            div.append(bibl)
            continue
        div.append(E.p(block.text))
    if pending_quote:
        quote = E.quote(*[E.p(b.text) for b in pending_quote])
        quote.set(XML_ID, next_id("q"))
        div.append(quote)


INLINE_QUOTE_AT_END = re.compile(r"`([^`']+)'(?P<after>[.,;:]?)$")


def _point_to(div: etree._Element, bibl: etree._Element, next_id) -> None:
    """A citation after a running paragraph: the quotation that ends the paragraph, or else the
    paragraph itself, gets @source pointing to the bibl."""
    previous = div[-1] if len(div) else None
    if previous is None or local(previous) != "p":
        return
    text = previous.text or ""
    match = INLINE_QUOTE_AT_END.search(text)
    if match:
        quote = E.quote(text[match.start() : match.start("after")])
        quote.set(XML_ID, next_id("q"))
        quote.set("source", f"#{bibl.get(XML_ID)}")
        quote.tail = match.group("after")
        previous.text = text[: match.start()]
        previous.append(quote)
    else:
        previous.set("source", f"#{bibl.get(XML_ID)}")


class Chain:
    """Resolves Ibid. and op. cit. by following the citations in reading order."""

    def __init__(self, source: SourceText, result: ImportResult, works: Works):
        self.source, self.result, self.works = source, result, works
        self.last: str | None = None

    def bibl(self, block: Block, citation: re.Match, context: str) -> etree._Element | None:
        head = citation.group("head")
        key, parts = self._resolve(block, head, context)
        if key is None:
            return None
        self.last = key
        bibl = E.bibl(*parts, corresp=f"bib:{key}")
        scope = E.biblScope(
            unit="page",
            **{
                "from": citation.group("first"),
                "to": citation.group("last") or citation.group("first"),
            },
        )
        pages = citation.group("pages")
        if key in self.works.witness_pages:
            target = self.works.witness_pages[key].replace("{page}", citation.group("first"))
            scope.append(E.ref(pages, type="witness", target=target))
        else:
            scope.text = pages
        scope.tail = "."
        bibl.append(scope)
        return bibl

    def _resolve(self, block: Block, head: str, context: str) -> tuple[str | None, list]:
        if IBID.match(head):
            for phrase, key, reason in self.works.returns:
                if phrase in context:
                    if reason not in self.result.normalisation:
                        self.result.normalisation.append(reason)
                    return key, [head]
            if self.last is None:
                self._problem(
                    block,
                    '"Ibid." with no earlier citation to refer to',
                    "Check the citation; encode its bibl by hand with @corresp",
                )
            return self.last, [head]
        match = OP_CIT.search(head)
        if match:
            author = match.group("author")
            if author not in self.works.by_author:
                self._problem(
                    block,
                    f'"{author}, op. cit." names a work the witness\'s tables do not list',
                    "Add the author and its references.bib "
                    f"key to works in {self.works.tables.rel}",
                )
                return None, []
            before = head[: match.start()]
            parts: list = []
            if before:
                parts.extend(_resolution_title(before))
            parts.append(E.author(author))
            parts[-1].tail = head[match.end("author") :]
            return self.works.by_author[author], parts
        match = NAMED.match(head)
        if match and (match.group("author"), match.group("title")) in self.works.by_author:
            author = E.author(match.group("author"))
            author.tail = ", "
            title = E.title(match.group("title"))
            title.tail = ", "
            return self.works.by_author[(match.group("author"), match.group("title"))], [
                author,
                title,
            ]
        return None, []

    def _problem(self, block: Block, message: str, hint: str) -> None:
        self.result.problems.append(
            Problem(self.source.at(block.line), message, hint, "import.citation", "warning")
        )


DATED_TITLE = re.compile(r"^(?P<title>.+?) \((?P<date>\d{1,2} \w+ \d{4})\)\. $")
MONTHS = (
    "January February March April May June July August September October November December".split()
)


def _resolution_title(text: str) -> list:
    """ "On Errors of Party Organizations … (18 January 1938). " → title, dated."""
    match = DATED_TITLE.match(text)
    if not match:
        return [text]
    day, month, year = match.group("date").split()
    title = E.title(match.group("title"), level="a")
    title.tail = " ("
    date = E.date(match.group("date"))
    if month in MONTHS:
        date.set("when", f"{year}-{MONTHS.index(month) + 1:02d}-{int(day):02d}")
    date.tail = "). "
    return [title, date]
