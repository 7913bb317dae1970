"""What a reader sees of a locus: each reading in its passage (chapter, printed page with "?" where
the number is inferred), the words that differ marked, tables paired row by row and cell by cell,
variants in conventional notation, a verdict in words. Pure functions over the model (Locus,
Reading, Corpus); every string of a witness is HTML-escaped here, never trusted as markup."""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from build_scripts.apparatus import align, tables
from build_scripts.apparatus.model import Locus, Passage, Reading
from build_scripts.tei.teixml import XML_ID

# How the later witness takes the words (app/@subtype), in the reader's words: a short label (marks,
# the index, popovers) and a sentence with the two authors (the locus page).
RELATION_LABEL = {
    "quotation": "Quotation",
    "paraphrase": "Paraphrase",
    "summary": "Summary",
    "common-source": "Common source",
    "other-translation": "Another translation",
    "intermediary": "Quotation through an intermediary",
}
RELATION_SENTENCE = {
    "quotation": "{b} quotes {a}, marking the words as quoted",
    "paraphrase": "{b} retells words, facts or figures of {a}, without quotation marks",
    "summary": "{b} condenses a much longer passage of {a}",
    "common-source": "{a} and {b} quote one document in the same translation",
    "other-translation": "{a} and {b} quote one document in two different translations",
    "intermediary": "{b} quotes a document through {a}, which it cites",
}


def relation(locus: Locus) -> str:
    """The relation readers are told of (app/@subtype of a quotation or reuse entry), or ""."""
    known = locus.type in ("quotation", "reuse") and locus.relation in RELATION_LABEL
    return locus.relation if known else ""


def kind_label(locus: Locus) -> str:
    """A locus's kind for readers: the relation of a quotation or reuse entry, else its type."""
    return RELATION_LABEL.get(relation(locus)) or TYPE_LABEL.get(locus.type, locus.type)


TYPE_LABEL = {
    "quotation": "Quotation",
    "reuse": "Reuse",
    "claim": "Claim",
    "citation": "Citation",
    "shared-citation": "Shared citation",
}
VERDICT_LABEL = {
    "exact": "exact: the quoted words are on the cited page",
    "altered": "altered: found, with other words",
    "omission": "omission: found, with words left out and not marked",
    "wrong-page": "wrong page: found on another page, whose number is printed",
    "not-found": "not found in the cited witness",
    "paraphrase": "paraphrase: the citation restates rather than quotes",
}
DECISION_LABEL = {
    "confirmed": "Confirmed by an editor.",
    "unreviewed": "Found by the program; not yet reviewed by an editor.",
    "rejected": "Rejected by an editor.",
}
# An entry the editors wrote themselves (a claim read from the texts) and left for review.
EDITORS_UNREVIEWED = (
    "Written by the editors from their reading; not yet reviewed by a second editor."
)


def decision_label(locus: Locus) -> str:
    """What the page says of the entry's review: who made it and whether it has been reviewed."""
    if locus.decision == "unreviewed" and locus.resp != "#detector":
        return EDITORS_UNREVIEWED
    return DECISION_LABEL.get(locus.decision, locus.decision)


def review_note(locus: Locus) -> str:
    """The short form of `decision_label` for an entry not yet confirmed: who made it."""
    if locus.decision == "unreviewed" and locus.resp != "#detector":
        return "written by the editors, not yet reviewed by a second editor"
    if locus.decision == "unreviewed":
        return "found by the program, not yet reviewed"
    return DECISION_LABEL.get(locus.decision, locus.decision).rstrip(".").lower()


def esc(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass(frozen=True)
class Side:
    """A reading placed in its passage: absolute offsets into passage.text."""

    reading: Reading
    passage: Passage | None
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.passage.text if self.passage is not None else self.reading.text


def side(reading: Reading, corpus) -> Side:
    hit = (
        corpus.resolve(reading.passage)
        if corpus is not None and hasattr(corpus, "resolve")
        else None
    )
    if hit is None:
        return Side(reading, None, 0, len(reading.text))
    passage, lo, hi = hit
    if (
        reading.start is not None
        and reading.end is not None
        and passage.text[lo + reading.start : lo + reading.end] == reading.text
    ):  # the offsets hold while the witness reads there what the entry does (an edit before the
        # reading moves it: then its words are looked for, never a slice of other words shown)
        return Side(reading, passage, lo + reading.start, lo + reading.end)
    found = passage.text.find(reading.text, lo)
    if found >= 0:
        return Side(reading, passage, found, found + len(reading.text))
    return Side(reading, passage, lo, hi)


def page_of(s: Side, corpus) -> str:
    """ "p. 178", "p. 178?" (number inferred) or "" (the witness prints no page numbers)."""
    if s.passage is None:
        return ""
    page = s.passage.page_at(s.start)
    if not page:
        return ""
    cert = corpus.cert(s.reading.siglum, page) if hasattr(corpus, "cert") else None
    return f"p. {page}" + ("?" if cert not in (None, "unknown") else "")


def diff(a: str, b: str) -> tuple[list, set[int], list, set[int]]:
    """Tokens of a and b and the indexes of the tokens that differ (the aligner's opcodes)."""
    ta, tb = align.tokens(a), align.tokens(b)
    ops = align.align([t.norm for t in ta], [t.norm for t in tb])
    da, db = set(), set()
    for op in ops:
        if op.tag != "equal":
            da.update(range(op.a0, op.a1))
            db.update(range(op.b0, op.b1))
        else:  # same word, printed otherwise (case, punctuation, spelling): marked lightly
            for i, j in zip(range(op.a0, op.a1), range(op.b0, op.b1)):
                if a[ta[i].start : ta[i].end].strip(".,;:!?'\"`’‘“”()") != b[
                    tb[j].start : tb[j].end
                ].strip(".,;:!?'\"`’‘“”()"):
                    da.add(-1 - i)
                    db.add(-1 - j)
    return ta, da, tb, db


PUNCT = ".,;:!?'\"`’‘“”()[]"


def paint(text: str, toks, marked: set[int], kind_of: str = "") -> str:
    """Text as HTML, differing words in <mark class="df"> (another word) or <mark class="ds"> (spelt
    or punctuated otherwise), or every marked word in <mark class="{kind_of}">. The text between
    marked words is escaped in one piece."""
    out, pos = [], 0
    for i in sorted({i if i >= 0 else -1 - i for i in marked}):
        t = toks[i]
        kind = kind_of or ("df" if i in marked else "ds")
        raw = text[t.start : t.end]
        core = raw.strip(PUNCT) or raw
        lead = raw[: raw.find(core)] if core in raw else ""
        trail = raw[len(lead) + len(core) :]
        out.append(esc(text[pos : t.start]))
        out.append(f'{esc(lead)}<mark class="{kind}">{esc(core)}</mark>{esc(trail)}')
        pos = t.end
    out.append(esc(text[pos:]))
    return "".join(out)


EDITORIAL = re.compile(
    r"[(\[]\s*sic\s*[)\]]", re.I
)  # "(sic)", "[sic]": an editor's word, not the text's


def sic_added(a: str, b: str) -> list[str]:
    """Editorial marks such as "(sic)" that b prints and a does not (the aligner skips them)."""
    return EDITORIAL.findall(b) if not EDITORIAL.search(a) else []


@functools.lru_cache(
    maxsize=8192
)  # one pair is painted for its locus page, popovers, parallel views
def painted_pair(a: str, b: str) -> tuple[str, str]:
    ta, da, tb, db = diff(a, b)
    pa, pb = paint(a, ta, da), paint(b, tb, db)
    if sic_added(a, b):
        pb = EDITORIAL.sub(lambda m: f'<mark class="df">{m.group()}</mark>', pb)
    if sic_added(b, a):
        pa = EDITORIAL.sub(lambda m: f'<mark class="df">{m.group()}</mark>', pa)
    return pa, pb


# A retelling tells the same facts in other words and order: a word-by-word alignment would pair
# unrelated words, so its page marks the content words both passages print instead.
RETOLD = ("paraphrase", "summary")


def retold(locus: Locus) -> bool:
    return relation(locus) in RETOLD


@functools.lru_cache(maxsize=8192)
def shared_pair(a: str, b: str) -> tuple[str, str]:
    """Both texts as HTML, each content word the other text also prints in <mark class="sh">."""
    ta, tb = align.tokens(a), align.tokens(b)

    def content(toks) -> set[str]:
        return {
            t.norm
            for t in toks
            if t.norm
            and t.norm not in align.FUNCTION_WORDS
            and (len(t.norm) > 2 or t.norm[0].isdigit())
        }

    common = content(ta) & content(tb)
    return (
        paint(a, ta, {i for i, t in enumerate(ta) if t.norm in common}, "sh"),
        paint(b, tb, {i for i, t in enumerate(tb) if t.norm in common}, "sh"),
    )


def painted(locus: Locus, a: str, b: str) -> tuple[str, str]:
    """Two readings of an entry as HTML: differences marked, or for a retelling the words shared."""
    return shared_pair(a, b) if retold(locus) else painted_pair(a, b)


def in_context(s: Side, reading_html: str, full: bool, attrs: str = "") -> str:
    """The reading (already painted) inside its passage: the whole passage when the witness is
    published in full, else the reading alone with ellipses where the passage goes on."""
    text = s.text
    mark = f'<mark class="rd"{attrs}>{reading_html}</mark>'
    if s.passage is None:
        return mark
    if full:
        return esc(text[: s.start]) + mark + esc(text[s.end :])
    return ("… " if s.start > 0 else "") + mark + (" …" if s.end < len(text) else "")


def variants(locus: Locus) -> list[dict]:
    """Word-level variants of the first two readings (the earlier witness first); none for a
    retelling, whose words are not aligned one by one (`RETOLD`)."""
    if retold(locus):
        return []
    a, b = locus.readings[0], locus.readings[1]
    ta, tb = align.tokens(a.text), align.tokens(b.text)
    ops = align.align([t.norm for t in ta], [t.norm for t in tb])
    return [
        {"kind": v.kind, "a": v.source, "b": v.target, "marked": v.marked}
        for v in align.variants(ops, ta, tb, a.text, b.text)
    ]


def notation(v: dict, siglum: str) -> str:
    """A variant in the conventional notation of an apparatus: lemma] reading SIGLUM."""
    lem, rdg, sig = (
        esc(v["a"].strip(PUNCT) or v["a"]),
        esc(v["b"].strip(PUNCT) or v["b"]),
        f'<span class="sig">{esc(siglum)}</span>',
    )
    if v["kind"] == "omission":
        return f'<span class="lem">{lem}</span>] <em>om.</em> {sig}' + (
            " (ellipsis printed)" if v["marked"] else ""
        )
    if v["kind"] == "addition":
        return f'<em>add.</em> <span class="rdg">{rdg}</span> {sig}'
    return f'<span class="lem">{lem}</span>] <span class="rdg">{rdg}</span> {sig}'


EDITORIAL_WORDS = ("sic",)


def additions(vs: list[dict]) -> list[str]:
    return [v["b"] for v in vs if v["kind"] == "addition"]


def verdict(locus: Locus, vs: list[dict] | None = None) -> str:
    """The verdict of a citation said plainly. "exact" is not said where the quoting witness added
    words (such as "(sic)") or changed them: the reader is told what differs."""
    if not locus.verdict:
        return ""
    vs = variants(locus) if vs is None and len(locus.readings) >= 2 else (vs or [])
    if locus.verdict == "exact":
        a, b = locus.readings[0].text, locus.readings[1].text
        added = additions(vs) + sic_added(a, b)
        other = [v for v in vs if v["kind"] in ("substantive", "omission")]
        if added or other:
            what = []
            if added:
                what.append(
                    "with " + ", ".join(f"“{a}”" for a in added) + " added by the quoting witness"
                )
            if other:
                what.append("with other words")
            return "found on the cited page, " + " and ".join(what) + " (not an exact quotation)"
    return VERDICT_LABEL.get(locus.verdict, locus.verdict)


# --- tables ---------------------------------------------------------------------------------------
def table_element(corpus, siglum: str, ident: str):
    el = corpus.element(siglum, ident) if hasattr(corpus, "element") else None
    if el is None:
        return None
    if el.tag.endswith("}table"):
        return el
    inner = el.xpath(".//*[local-name()='table']")
    return inner[0] if len(inner) == 1 else None


def is_table(s: Side) -> bool:
    return s.passage is not None and (
        s.passage.kind == "table" or s.reading.passage.split(".")[-1].startswith("t")
    )


@dataclass(frozen=True)
class TableRow:
    a: tables.Row | None
    b: tables.Row | None


def table_pair(corpus, a: Reading, b: Reading) -> tuple[list[TableRow], str, str] | None:
    """Both tables' rows paired in order (None where a row is only in one), and their names."""
    ta, tb = table_element(corpus, a.siglum, a.passage), table_element(corpus, b.siglum, b.passage)
    if ta is None or tb is None:
        return None
    ra, rb = tables.rows(ta), tables.rows(tb)
    pairs = [
        TableRow(ra[i] if i is not None else None, rb[j] if j is not None else None)
        for i, j in tables.pair_rows(ra, rb)
    ]
    return pairs, tables.name(ta, a.siglum), tables.name(tb, b.siglum)


def cells_html(
    row: tables.Row | None, other: tables.Row | None, tag: str = "td"
) -> tuple[str, str]:
    """(label cell, figure cells) of one side of a paired row, differences marked."""
    if row is None:
        return f'<{tag} class="gap">—</{tag}>', '<td class="gap">not in this table</td>'
    label = esc(row.label)
    if other is not None:
        label = painted_pair(row.label, other.label)[0]
    figs = []
    for k, f in enumerate(row.figures):
        o = other.figures[k] if other is not None and k < len(other.figures) else None
        if other is None:
            cls = ""
        elif o is None:
            cls = ' class="df"'
        elif o == f:
            cls = ""
        elif tables.value(o) is not None and tables.value(o) == tables.value(f):
            cls = ' class="ds"'
        else:
            cls = ' class="df"'
        figs.append(f"<td{cls}>{esc(f)}</td>")
    return f"<{tag}>{label}</{tag}>", "".join(figs) or "<td></td>"


def compared_table(corpus, a: Reading, b: Reading) -> str:
    """One HTML table: each row of the cited table beside its counterpart in the citing one."""
    paired = table_pair(corpus, a, b)
    if paired is None:
        return ""
    rows, na, nb = paired
    wa = max([len(r.a.figures) for r in rows if r.a] + [1])
    wb = max([len(r.b.figures) for r in rows if r.b] + [1])
    head = (
        f'<thead><tr><th scope="col">{esc(na)}</th><th scope="col" colspan="{wa}">figures</th>'
        f'<th scope="col">{esc(nb)}</th><th scope="col" colspan="{wb}">figures</th></tr></thead>'
    )
    body = []
    for r in rows:
        la, fa = cells_html(r.a, r.b)
        lb, fb = cells_html(r.b, r.a)
        fa = _pad(fa, r.a, wa)
        fb = _pad(fb, r.b, wb)
        state = "only-a" if r.b is None else ("only-b" if r.a is None else "both")
        body.append(f'<tr class="{state}">{la}{fa}{lb}{fb}</tr>')
    return (
        f'<div class="ap-table-wrap"><table class="ap-tables">'
        f"<caption>{esc(na)} and {esc(nb)}, row by row; differing cells marked</caption>"
        f"{head}<tbody>{''.join(body)}</tbody></table></div>"
    )


def _pad(cells: str, row, width: int) -> str:
    n = len(row.figures) if row is not None and row.figures else 1
    return cells + "<td></td>" * max(0, width - n)


def one_table(rows: list[TableRow], which: str, name: str) -> str:
    """One side of a pair of tables, rows in paired order (a blank row where the other has one)."""
    out = []
    for r in rows:
        mine, other = (r.a, r.b) if which == "a" else (r.b, r.a)
        if mine is None:
            out.append('<tr class="gap"><td colspan="9">— (row only in the other table)</td></tr>')
            continue
        label, figs = cells_html(mine, other, "th")
        out.append("<tr>" + label.replace("<th>", '<th scope="row">') + figs + "</tr>")
    return (
        f'<table class="ap-side-table"><caption>{esc(name)}</'
        f"caption><tbody>{''.join(out)}</tbody></table>"
    )


def ident_of(el) -> str:
    return el.get(XML_ID) or ""
