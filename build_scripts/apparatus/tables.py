"""A table that cites a table of another witness (table/@corresp = file#page) → a citation locus
whose findings compare the two tables cell by cell: rows left out, rows added, labels worded
otherwise, figures that differ, and figures printed otherwise with the same value (11.0 for 11).

Rows are matched by their labels (words of the label cells, a year counts); the figures are the
cells at the end of a row that hold numbers or dashes. Table notes are left out (they are passages
of their own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from build_scripts.apparatus import align
from build_scripts.apparatus.edition import Corpus
from build_scripts.apparatus.model import Locus, Reading
from build_scripts.tei.teixml import NS, XML_ID, local

CITING = etree.XPath("//tei:text//tei:table[@corresp and @xml:id]", namespaces=NS)
ALL = etree.XPath("//tei:text//tei:table[@xml:id]", namespaces=NS)
FIGURE = re.compile(r"^[\d\s.,%()\-–—]*$")
CERTAIN = (None, "high")


@dataclass(frozen=True)
class Row:
    label: str  # the label cells as printed, joined by " | "
    figures: tuple[str, ...]  # the figure cells as printed
    key: frozenset[str]  # normalised words of the label

    @property
    def header(self) -> bool:
        return not self.figures


def cell_text(cell: etree._Element) -> str:
    """The words of a cell, notes left out at any depth."""

    def walk(el) -> list[str]:
        out = [el.text or ""]
        for child in el:
            if isinstance(child.tag, str) and local(child) != "note":
                out += walk(child)
            out.append(child.tail or "")
        return out

    return " ".join("".join(walk(cell)).split())


def rows(table: etree._Element) -> list[Row]:
    out = []
    for row in table.iterfind("tei:row", NS):
        cells = [cell_text(c) for c in row.iterfind("tei:cell", NS)]
        if not any(cells):
            continue
        split = len(cells)
        while (
            split > 1
            and FIGURE.match(cells[split - 1])
            and (cells[split - 1] or split < len(cells))
        ):
            split -= 1
        label = " | ".join(c for c in cells[:split] if c)
        out.append(Row(label, tuple(cells[split:]), frozenset(t.norm for t in align.tokens(label))))
    return out


def similar(a: Row, b: Row, spelled: dict[str, set[str]] | None = None) -> float:
    """The share of the shorter label's words found in the other, as they are or spelled otherwise
    (`align.spelling`). `spelled`: `align.spelled` of the two tables' words, when the caller has
    it (the same count, without comparing the words of every pair of rows again)."""
    if not a.key or not b.key or a.header != b.header:
        return 0.0
    shared = len(a.key & b.key)
    if spelled is not None:
        only_b = b.key - a.key
        return (
            shared + sum(len(spelled[x] & only_b) for x in a.key - b.key if x in spelled)
        ) / min(len(a.key), len(b.key))
    only_b = b.key - a.key
    shared += sum(1 for x in a.key - b.key for y in only_b if align.spelling(x, y))
    return shared / min(len(a.key), len(b.key))


def pair_rows(
    a: list[Row], b: list[Row], floor: float = 0.5
) -> list[tuple[int | None, int | None]]:
    """Rows of the cited table (a) and the citing one (b) matched in order (a fuzzy longest common
    subsequence); unmatched rows pair with None. Each pair of rows is compared once."""
    n, m = len(a), len(b)
    spelled = align.spelled({w for r in a for w in r.key}, {w for r in b for w in r.key})
    sims = [[similar(x, y, spelled) for y in b] for x in a]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = sims[i][j]
            best[i][j] = max(
                best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + s if s >= floor else 0.0
            )
    out, i, j = [], 0, 0
    while i < n and j < m:
        s = sims[i][j]
        if s >= floor and best[i][j] == best[i + 1][j + 1] + s:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            out.append((i, None))
            i += 1
        else:
            out.append((None, j))
            j += 1
    out += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return out


def value(figure: str) -> float | None:
    digits = figure.replace(",", "").replace(" ", "")
    try:
        return float(digits)
    except ValueError:
        return None


def compare_rows(
    a: list[Row],
    b: list[Row],
    sa: str,
    sb: str,
    la: str,
    lb: str,
    pairs: list[tuple[int | None, int | None]] | None = None,
) -> tuple[str, list[str]]:
    """Verdict and findings of the citing table (b, witness sb) against the cited one (a).
    `pairs`: `pair_rows(a, b)`, when the caller has it."""
    omitted, added, worded, shortened, headings, differ, printed = [], [], [], [], [], [], []
    for i, j in pair_rows(a, b) if pairs is None else pairs:
        if j is None:
            (headings if a[i].header else omitted).append(f"{_row(a[i])} only in {la}")
        elif i is None:
            (headings if b[j].header else added).append(f"{_row(b[j])} only in {lb}")
        else:
            ra, rb = a[i], b[j]
            ka, kb = (
                [t.norm for t in align.tokens(ra.label)],
                [t.norm for t in align.tokens(rb.label)],
            )
            if ka != kb and not (
                len(ka) == len(kb) and all(align.spelling(x, y) for x, y in zip(ka, kb))
            ):
                change = f"“{rb.label}” for “{ra.label}”"
                if ra.header:
                    headings.append(change)
                elif len(kb) < len(ka) and _subsequence(kb, ka):
                    shortened.append(change)
                else:
                    worded.append(change)
            for fa, fb in zip(reversed(ra.figures), reversed(rb.figures)):
                if "".join(fa.split()) == "".join(fb.split()):
                    continue
                va, vb = value(fa), value(fb)
                if va is not None and va == vb:
                    printed.append(f"{fb} for {fa} ({ra.label})")
                else:
                    differ.append(f"{fb} for {fa} ({ra.label})")
    findings = []
    if omitted:
        findings.append(
            f"Rows of {la} not in {lb}: "
            + "; ".join(x.rsplit(" only in ", 1)[0] for x in omitted)
            + "."
        )
    if added:
        findings.append(
            f"Rows of {lb} not in {la}: "
            + "; ".join(x.rsplit(" only in ", 1)[0] for x in added)
            + "."
        )
    if worded:
        findings.append(f"Row labels worded otherwise in {lb}: " + "; ".join(worded) + ".")
    if shortened:
        findings.append(f"Row labels shortened in {lb}: " + "; ".join(shortened) + ".")
    if headings:
        findings.append("Titles and column headings: " + "; ".join(headings) + ".")
    if differ:
        findings.append(f"Figures that differ ({sb} for {sa}): " + "; ".join(differ) + ".")
    if printed:
        findings.append(
            f"Same figures printed otherwise ({sb} for {sa}): " + "; ".join(printed) + "."
        )
    if not findings:
        findings.append(f"Every row and figure of {la} is in {lb}, in the same order.")
    elif not (omitted or added or worded or shortened or differ or printed):
        findings.insert(0, f"Every row and figure of {la} is in {lb}, in the same order.")
    verdict = (
        "altered"
        if (added or worded or differ)
        else "omission"
        if (omitted or shortened)
        else "exact"
    )
    return verdict, findings


def _subsequence(short: list[str], long: list[str]) -> bool:
    rest = iter(long)
    return all(any(x == y for y in rest) for x in short)


def _row(r: Row) -> str:
    return f"{r.label} ({', '.join(r.figures)})" if r.figures else f"{r.label} (heading row)"


def name(table: etree._Element, siglum: str) -> str:
    n = table.get("n")
    return f"{siglum} Table {n}" if n else f"{siglum} table {table.get(XML_ID)}"


def reading(corpus: Corpus, ident: str, role: str) -> Reading | None:
    hit = corpus.resolve(ident)
    if hit is None:
        return None
    p, lo, hi = hit
    whole = p.text[lo:hi]
    start = len(whole) - len(whole.lstrip())
    text = whole.strip()
    return Reading(p.siglum, p.file, ident, text, start, start + len(text), role)


def compare(corpus: Corpus) -> list[Locus]:
    files = {f: s for s, f in corpus.files.items()}
    out = []
    # (siglum, table id) → its rows, read once however many tables cite its witness (keyed by id:
    # an element would keep its whole tree in memory, which `corpus.docs` parses again when asked)
    known: dict = {}
    for siglum in sorted(corpus.docs):
        for table in CITING(corpus.docs[siglum]):
            file, _, target = (table.get("corresp") or "").partition("#")
            cited_siglum = files.get(file)
            if not cited_siglum or cited_siglum == siglum or cited_siglum not in corpus.docs:
                continue
            locus = table_locus(corpus, table, siglum, cited_siglum, target, known)
            if locus is not None:
                out.append(locus)
    return out


def table_locus(
    corpus: Corpus, table, siglum: str, cited_siglum: str, target: str, known: dict | None = None
) -> Locus | None:
    """`known`: (siglum, table id) → its `rows`, a cache the caller keeps for one run."""
    known = {} if known is None else known
    mine = rows(table)
    best = None
    for other in ALL(corpus.docs[cited_siglum]):
        key = (cited_siglum, other.get(XML_ID))
        if key not in known:
            known[key] = rows(other)
        theirs = known[key]
        pairs = pair_rows(theirs, mine)
        score = sum(
            similar(theirs[i], mine[j]) for i, j in pairs if i is not None and j is not None
        )
        if best is None or score > best[0]:
            best = (score, other, theirs, pairs)
    ident = f"cit.{table.get(XML_ID)}"
    citing = reading(corpus, table.get(XML_ID), "citing")
    if citing is None:
        return None
    page = target.rpartition(".pb")[2] if ".pb" in target else None
    extra = {"pages": [page] if page else [], "ref": target}
    lb = name(table, siglum)
    if best is None or best[0] < 2:
        return Locus(
            ident,
            "citation",
            (citing,),
            score=0.0,
            verdict="not-found",
            findings=(f"No table of tei/{corpus.files[cited_siglum]} shares two rows with {lb}.",),
            extra=extra,
        )
    _, other, theirs, pairs = best
    la = name(other, cited_siglum)
    verdict, findings = compare_rows(theirs, mine, cited_siglum, siglum, la, lb, pairs)
    cited = reading(corpus, other.get(XML_ID), "cited")
    found_page = where(corpus, other.get(XML_ID))
    if page and found_page and found_page != page:
        cert = corpus.cert(cited_siglum, found_page)
        shown = (
            found_page if cert in CERTAIN else f"{found_page} (inferred page number, cert={cert})"
        )
        findings.append(f"{la} is on p. {shown}; the citation names p. {page}.")
        if cert in CERTAIN:
            verdict = "wrong-page"
    elif found_page:
        cert = corpus.cert(cited_siglum, found_page)
        shown = (
            found_page if cert in CERTAIN else f"{found_page} (inferred page number, cert={cert})"
        )
        findings.append(f"{la} is on p. {shown}" + (", the cited page." if page else "."))
    score = sum(1 for i, j in pairs if i is not None and j is not None) / max(1, len(mine))
    return Locus(
        ident,
        "citation",
        (cited, citing),
        score=round(score, 3),
        verdict=verdict,
        findings=tuple(findings),
        extra=extra,
    )


def where(corpus: Corpus, ident: str) -> str | None:
    hit = corpus.resolve(ident)
    if hit is None:
        return None
    p, lo, _ = hit
    return p.page_at(lo)
