"""LaTeX2HTML text (Martens) → TEI body: one section, block quotations with their citations.

The transcription is the text of a LaTeX2HTML page: navigation strips at the top and bottom and a
footer date (page furniture), the section title, then paragraphs separated by blank lines. A block
quotation is one or more paragraphs opening with a TeX quote (`); the paragraph of citation after it
("Getty, op. cit., p. 137.", "Ibid., p. 155.") is its source. TeX's input conventions (quotes,
dashes) and the space LaTeX2HTML left before the comma of "Ibid. ," are normalised to the characters
TeX prints, each place as choice/orig/reg (`tex_typography`), so the transcription's form is kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from build_scripts.importers.common import Furniture, ImportResult, SourceText, collapse
from build_scripts.problems import Problem
from build_scripts.tei.teixml import E, XML_ID, local

PART = "M.body"
NAVIGATION = re.compile(r"^(next up previous contents index|Next: .* Up: .* Previous: .*)$")
FOOTER_DATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} +\d{1,2} \d\d:\d\d:\d\d [A-Z]{3} \d{4}$")

# A citation paragraph ends with its page: "..., p. 137." / "..., pp. 170--171." / "..., p. S26."
CITATION = re.compile(r"^(?P<head>.*?)(?P<pages>pp?\. (?P<first>[A-Z]?\d+)(?:--(?P<last>[A-Z]?\d+))?)\.$")
OP_CIT = re.compile(r"(?P<author>[A-Z][A-Za-z]+), op\. cit\. ,\s*$")
IBID = re.compile(r"^Ibid\. ,\s*$")
NAMED = re.compile(r"(?P<author>[A-Z][A-Za-z]+), (?P<title>[A-Z][^,]+), $")

# Works cited by author (op. cit.) or by author and title, as keys of references.bib.
WORKS = {
    "Getty": "getty1985origins",
    "McNeal": "mcneal1974resolutions",
    "Tokaev": "tokaev1956comrade",
    ("Khrushchev", "Secret Report"): "khrushchev1956secret",
}
# Where reading overrides the plain chain: a phrase of the running text between the previous
# citation and an "Ibid." names the work that "Ibid." returns to.
RETURNS = [
    (
        "We return to the January 1938 resolution",
        "mcneal1974resolutions",
        "\"Ibid., p. 194.\" follows the citation of Khrushchev's Secret Report, but the text has returned to "
        "the resolution of 18 January 1938 (\"We return to the January 1938 resolution\"), cited before from "
        "McNeal (pp. 188, 190--192): it is resolved to McNeal, not to Khrushchev.",
    ),
]
# Works that are witnesses of this edition: citations of a page point to that page of the witness.
WITNESS_PAGES = {"getty1985origins": "getty.xml#G.pb{page}"}

# TeX's input conventions → the characters TeX prints (longest first); " ," only after an abbreviation.
TEX_TYPOGRAPHY = {"``": "“", "''": "”", "---": "—", "--": "–", "`": "‘", "'": "’", " ,": ","}
TEX_PATTERN = re.compile(r"``|''|---|--|`|'|(?<=\.) ,")

NORMALISATION = [
    "Typography (normalisation, declared; docs/about/encoding.md, Normalisation): the transcription is "
    "LaTeX2HTML source in which TeX's input conventions were left unconverted. They are shown as the "
    "characters TeX prints for them: `` as “, '' as ”, ` as ‘, ' as ’ (apostrophes included), --- as an "
    "em dash —, -- as an en dash –. Each place is encoded choice/orig/reg: orig keeps the transcription's "
    "characters, reg the printed ones; the site's “as received” view shows orig.",
    "Whitespace is normalised: a run of spaces is one space. The double spaces after names "
    "(\"Yaroslavsky  harshly\", \"Rumiantsev,  who\") are remnants of LaTeX2HTML index anchors. The space "
    "before the comma in \"Ibid. ,\" and \"op. cit. ,\" (a LaTeX2HTML artefact of the non-breaking space "
    "after the abbreviation) is a normalisation too: orig \" ,\", reg \",\".",
    "Each paragraph of citation after a quotation or paragraph is encoded as bibl: with the quotation as "
    "cit (quote + bibl), otherwise after the paragraph it cites, whose quotation (or the paragraph itself) "
    "points to it with @source. \"Ibid.\" and \"op. cit.\" are resolved by following the chain of "
    "citations and recorded in @corresp (bib:KEY of references.bib); the printed words are not changed. "
    "Pages of Getty, a witness of this edition, point to the page break of that page in getty.xml "
    "(for a range, to its first page). The chain: Getty (op. cit., p. 137; Ibid. pp. 155, 162, 170--171, "
    "178, 177, 185); McNeal (op. cit., p. 188, for the resolution of 18 January 1938; Ibid. pp. 190--192); "
    "Khrushchev, Secret Report (p. S26); McNeal again (Ibid., p. 194, see the next paragraph); Tokaev "
    "(op. cit., p. 119; Ibid., p. 101).",
    "The spellings in the quotations (\"explusion (sic)\", \"expell\", \"regarless\", \"consciousless\") "
    "are the witness's text and are not corrected.",
]


@dataclass
class Block:
    line: int  # first line of the paragraph in the transcription
    text: str  # whitespace-normalised


def convert(source: SourceText) -> ImportResult:
    result = ImportResult(normalisation=list(NORMALISATION))
    blocks = _blocks(source, result)
    if not blocks:
        result.problems.append(Problem(source.at(1), "no text found", "Check that the file is a LaTeX2HTML page", "import.empty"))
        return result
    div = E.div(E.head(blocks[0].text), type="section")
    div.set(XML_ID, PART)
    _fill(div, blocks[1:], source, result)
    tex_typography(div)
    result.body.append(div)
    return result


def tex_typography(root: etree._Element) -> int:
    """Each TeX convention in the text below `root` → choice/orig/reg (TEX_TYPOGRAPHY); the count."""
    count = 0

    def split(text: str) -> tuple[str, list[tuple[etree._Element, str]]]:
        nonlocal count
        pieces = TEX_PATTERN.split(text)
        found = TEX_PATTERN.findall(text)
        count += len(found)
        return pieces[0], [(E.choice(E.orig(f), E.reg(TEX_TYPOGRAPHY[f])), after) for f, after in zip(found, pieces[1:])]

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
        kind = "navigation" if NAVIGATION.match(stripped) else "footer-date" if FOOTER_DATE.match(stripped) else None
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


def _fill(div: etree._Element, blocks: list[Block], source: SourceText, result: ImportResult) -> None:
    """Paragraphs, block quotations and citations in reading order; ids of quotations and bibls."""
    chain = Chain(source, result)
    pending_quote: list[Block] = []
    counters = {"q": 0, "bibl": 0}

    def next_id(kind: str) -> str:
        counters[kind] += 1
        return f"{PART}.{kind}{counters[kind]}"

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

    def __init__(self, source: SourceText, result: ImportResult):
        self.source, self.result = source, result
        self.last: str | None = None

    def bibl(self, block: Block, citation: re.Match, context: str) -> etree._Element | None:
        head = citation.group("head")
        key, parts = self._resolve(block, head, context)
        if key is None:
            return None
        self.last = key
        bibl = E.bibl(*parts, corresp=f"bib:{key}")
        scope = E.biblScope(unit="page", **{"from": citation.group("first"), "to": citation.group("last") or citation.group("first")})
        pages = citation.group("pages")
        if key in WITNESS_PAGES:
            scope.append(E.ref(pages, type="witness", target=WITNESS_PAGES[key].format(page=citation.group("first"))))
        else:
            scope.text = pages
        scope.tail = "."
        bibl.append(scope)
        return bibl

    def _resolve(self, block: Block, head: str, context: str) -> tuple[str | None, list]:
        if IBID.match(head):
            for phrase, key, reason in RETURNS:
                if phrase in context:
                    if reason not in self.result.normalisation:
                        self.result.normalisation.append(reason)
                    return key, [head]
            if self.last is None:
                self._problem(block, "\"Ibid.\" with no earlier citation to refer to", "Check the citation; encode its bibl by hand with @corresp")
            return self.last, [head]
        match = OP_CIT.search(head)
        if match:
            author = match.group("author")
            if author not in WORKS:
                self._problem(block, f"\"{author}, op. cit.\" names a work this importer does not know", "Add the author and its references.bib key to WORKS in build_scripts/importers/latex2html.py")
                return None, []
            before = head[: match.start()]
            parts: list = []
            if before:
                parts.extend(_resolution_title(before))
            parts.append(E.author(author))
            parts[-1].tail = head[match.end("author") :]
            return WORKS[author], parts
        match = NAMED.match(head)
        if match and (match.group("author"), match.group("title")) in WORKS:
            author = E.author(match.group("author"))
            author.tail = ", "
            title = E.title(match.group("title"))
            title.tail = ", "
            return WORKS[(match.group("author"), match.group("title"))], [author, title]
        return None, []

    def _problem(self, block: Block, message: str, hint: str) -> None:
        self.result.problems.append(Problem(self.source.at(block.line), message, hint, "import.citation", "warning"))


DATED_TITLE = re.compile(r"^(?P<title>.+?) \((?P<date>\d{1,2} \w+ \d{4})\)\. $")
MONTHS = "January February March April May June July August September October November December".split()


def _resolution_title(text: str) -> list:
    """"On Errors of Party Organizations … (18 January 1938). " → title, dated."""
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
