"""tei/apparatus.xml + witnesses → the reader's apparatus on the site (paths relative to
docs/edition/): a page per locus, the index with its filters, the in-place comparison of each ⇄ mark
(one script of data per witness, read by assets/apparatus/compare.js), and the overview of each
witness's relations. Witness text is always HTML-escaped: it never becomes markup. The data come
through the model (Locus, Reading, Corpus), so whatever the detector or the editors record flows
through."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from build_scripts.project import witnesses as manifest
from build_scripts.apparatus import edition, export, store, view
from build_scripts.apparatus import reads as app_reads
from build_scripts.apparatus.model import Locus
from build_scripts.apparatus.view import esc

INDEX = "apparatus/index.md"
ASSETS = "../../assets/apparatus/"  # from docs/edition/apparatus/ to docs/assets/apparatus/
PAIRED = (
    "quotation",
    "reuse",
    "citation",
    "shared-citation",
)  # types shown as two readings side by side
ORDER = (
    "claim",
    "citation",
    "quotation",
    "reuse",
    "shared-citation",
)  # rows of the index page, by type
# Material: keep a page out of the search index
NO_SEARCH = "---\nsource: tei/apparatus.xml\nsearch:\n  exclude: true\n---\n\n"
# the parallel view: both sidebars off
WIDE = (
    "---\nsource: tei/apparatus.xml\nsearch:\n  exclude: "
    "true\nhide:\n  - navigation\n  - toc\n---\n\n"
)
MD_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")
FIGURE = re.compile(r"\d[\d,.]*\d|\d")


def _stamp(paths: list[Path]) -> tuple:
    """What a cached reading depends on: each file's name, mtime and size."""
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths if p.exists())


def _load(tei_dir: Path | None = None):
    """The corpus and the loci readers see (entries an editor rejected are kept in the TEI, not
    shown); read once while no TEI file changes, however often pages() and marks() ask."""
    tei_dir = Path(tei_dir or manifest.TEI_DIR)
    return _load_cached(tei_dir, _stamp(sorted(tei_dir.glob("*.xml")) + [manifest.MANIFEST]))


@functools.lru_cache(maxsize=2)
def _load_cached(tei_dir: Path, stamp: tuple):
    corpus, _ = edition.load(tei_dir)
    loci, _ = store.read(corpus.tei_dir / store.FILE)
    return corpus, [locus for locus in loci if locus.decision != "rejected"]


def corpus(tei_dir: Path | None = None):
    """The corpus the reader's pages are made from (read once while no TEI file changes)."""
    return _load(tei_dir)[0]


def _loci(tei_dir: Path | None = None):
    """The loci readers see, from tei/apparatus.xml alone (no witness is read: cheap on every
    render)."""
    path = Path(tei_dir or manifest.TEI_DIR) / store.FILE
    return _read_loci(path, _stamp([path]))


@functools.lru_cache(maxsize=4)
def _read_loci(path: Path, stamp: tuple) -> list:
    loci, _ = store.read(path)
    return [locus for locus in loci if locus.decision != "rejected"]


@functools.lru_cache(maxsize=1)
def short_titles() -> dict[str, str]:
    wits, _ = manifest.load()
    return {w.siglum: w.facts.get("short") or w.fact("title") or w.siglum for w in wits}


def author(siglum: str) -> str:
    """ "Getty", "Stalin Society": the short title up to its first comma."""
    return short_titles().get(siglum, siglum).split(",")[0]


def md(text: str) -> str:
    """Plain text → Markdown that renders exactly this text (for headings)."""
    return MD_SYNTAX.sub(r"\\\1", " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;"))


def stem(file: str) -> str:
    return Path(file).stem


def href(file: str, passage: str, depth: int, locate=None, corpus=None) -> str:
    """Link from a page `depth` folders below docs/edition/ to a passage of a witness page. With the
    site's `locate(file, id)` (→ "getty/G.c6.md" or None) the link goes to the page that holds the
    id, else to the page that holds the passage around it, else to the witness's first page."""
    up = "../" * depth
    found = src(file, passage, locate, corpus)
    if found is None:
        return up + f"{stem(file)}/" + (f"#{passage}" if locate is None else "")
    page, anchor = found
    return (
        up
        + page.removesuffix(".md").removesuffix("index")
        + ("/" if not page.endswith("index.md") else "")
        + f"#{anchor}"
    )


def src(file: str, passage: str, locate=None, corpus=None) -> tuple[str, str] | None:
    """(page relative to docs/edition/, anchor) of a passage on the site, or None."""
    if locate is None:
        return None
    for ident in (passage, _container(passage, corpus)):
        page = locate(file, ident) if ident else None
        if page:
            return page, _fragment(ident, corpus)
    return None


def _fragment(ident: str, corpus) -> str:
    """The anchor of an id on the site: notes are footnotes there, anchored "fn:<id>"."""
    passage = corpus.passage(ident) if hasattr(corpus, "passage") else None
    return (
        f"fn:{ident}"
        if passage is not None and passage.kind == "note" and passage.id == ident
        else ident
    )


def _container(ident: str, corpus) -> str | None:
    hit = corpus.resolve(ident) if corpus is not None and hasattr(corpus, "resolve") else None
    return hit[0].id if hit and hit[0].id != ident else None


def page_name(locus: Locus) -> str:
    return f"apparatus/{locus.id}.md"


def pair_name(a: str, b: str) -> str:
    """The parallel view of witness a (left) and b (right), relative to docs/edition/."""
    return f"apparatus/compare-{a}-{b}.md"


@dataclass
class Reader:
    """Everything the reader-facing pages need: the corpus, the loci shown, and where the site puts
    each id (`locate(file, id)` → "getty/G.c6.md"), the title of that page (`chapter`), and which
    witnesses are published in full (others show only the words of their readings).

    `fragment` makes the part of a page that shows one locus (its page, its comparison at a ⇄ mark,
    a row of a parallel view) once per render and, given the parts of the last render made under the
    same key (`previous`, see site.render.app_reader), reuses a part while every read it made of
    the corpus finds what it found then: a one-word edit makes again only the parts that read the
    passage it changed."""

    corpus: object
    loci: list[Locus]
    locate: Callable | None = None
    chapter: Callable | None = None
    full: frozenset[str] | None = None
    _sides: dict = field(default_factory=dict)
    _where: dict = field(default_factory=dict)  # asked for each reading by several pages
    previous: dict = field(default_factory=dict)  # key → [value, reads] of the last render
    unchanged: set = field(default_factory=set)  # the reads that find in the corpus what they did
    made: dict | None = None  # this render's parts, as `previous` holds them (None: not kept)

    def _memo(self, table: dict, key, compute: Callable):
        """compute() once per key; its reads of the corpus are noted again at each use, so that
        every part that uses the value has them among its own."""
        if key not in table:
            with app_reads.recording(self.corpus) as sink:
                value = compute()
            table[key] = (value, tuple(sink))
        value, reads = table[key]
        app_reads.replay(self.corpus, reads)
        return value

    def fragment(self, key: str, compute: Callable):
        """compute() → a JSON value, reused from the last render (`previous`) when every read it
        made is among `unchanged`, and kept in `made` for the next one."""
        if self.made is None:
            return compute()
        if key not in self.made:
            old = self.previous.get(key)
            if old and all(tuple(read) in self.unchanged for read in old[1]):
                self.made[key] = old
            else:
                with app_reads.recording(self.corpus) as sink:
                    value = compute()
                self.made[key] = [value, app_reads.as_list(sink)]
        app_reads.replay(self.corpus, self.made[key][1])
        return self.made[key][0]

    def side(self, reading) -> view.Side:
        key = (reading.passage, reading.start, reading.end, reading.text)
        return self._memo(self._sides, key, lambda: view.side(reading, self.corpus))

    def is_full(self, siglum: str) -> bool:
        return self.full is None or siglum in self.full

    def where(self, reading, link_depth: int | None = None) -> str:
        """ "Chapter 7 … · p. 178?" as HTML, with a link into the text when link_depth is given."""
        key = (reading.file, reading.passage, reading.start, reading.end, reading.text, link_depth)
        return self._memo(self._where, key, lambda: self._where_of(reading, link_depth))

    def _where_of(self, reading, link_depth: int | None) -> str:
        s = self.side(reading)
        parts = []
        found = src(reading.file, reading.passage, self.locate, self.corpus)
        if found and self.chapter:
            title = self.chapter(reading.file, found[0])
            if title:
                parts.append(esc(title))
        page = view.page_of(s, self.corpus)
        if page:
            parts.append(
                '<span class="ap-page" '
                f'title="{"page number inferred" if page.endswith("?") else "printed page"}">'
                f"{esc(page)}</span>"
            )
        if link_depth is not None:
            parts.append(
                '<a href="'
                f'{href(reading.file, reading.passage, link_depth, self.locate, self.corpus)}">'
                f"read in the text</a>"
            )
        return " · ".join(parts)

    def text_src(self, reading) -> str | None:
        """docs-relative source of a reading's place ("edition/getty/G.c7.md#G.c7.d1.p21")."""
        found = src(reading.file, reading.passage, self.locate, self.corpus)
        return f"edition/{found[0]}#{found[1]}" if found else None

    def position(self, reading) -> float:
        """Where a reading falls in its witness, 0 (start) to 1 (end)."""
        order = self.corpus.order() if hasattr(self.corpus, "order") else {}
        s = self.side(reading)
        if s.passage is None:
            return 0.0
        index, total = order.get(s.passage.id, (0, 1))
        return (index + s.start / max(1, len(s.passage.text))) / max(1, total)


HEADING = {
    "quotation": "{b} quotes {a}",
    "paraphrase": "{b} retells {a}",
    "summary": "{b} summarises {a}",
    "common-source": "{a} and {b} quote the same source",
    "other-translation": "{a} and {b} quote one document in two translations",
    "intermediary": "{b} quotes a document through {a}",
}


def heading(locus: Locus, reader: Reader) -> str:
    """The title of a locus page in the reader's words."""
    rs = locus.readings
    if locus.type == "claim":
        return locus.question or "Claim: " + ", ".join(
            author(s) for s in dict.fromkeys(locus.sigla)
        )
    if len(rs) < 2:
        return view.TYPE_LABEL.get(locus.type, locus.type)
    a, b = rs[0], rs[1]
    if locus.type == "citation":
        page = view.page_of(reader.side(a), reader.corpus)
        return f"{author(b.siglum)} cites {author(a.siglum)}" + (f", {page}" if page else "")
    if view.relation(locus):
        return HEADING[locus.relation].format(a=author(a.siglum), b=author(b.siglum))
    if locus.type == "quotation":
        return f"{author(b.siglum)} quotes {author(a.siglum)}"
    if locus.type == "reuse":
        return f"{author(a.siglum)} and {author(b.siglum)}: a shared passage"
    return f"{author(a.siglum)} and {author(b.siglum)} cite the same work"


def witness_label(siglum: str) -> str:
    return f'<span class="sig">{esc(siglum)}</span> {esc(short_titles().get(siglum, siglum))}'


def figures(text_html: str) -> str:
    """Figures and years in an escaped claim reading, emphasised."""
    return re.sub(r"(?<![\w&#])(\d[\d,.]*\d|\d)(?![\w;])", r"<strong>\1</strong>", text_html)


def locus_page(locus: Locus, corpus, locate=None, reader: Reader | None = None) -> str:
    reader = reader or Reader(corpus, [locus], locate)
    rs = locus.readings
    title = heading(locus, reader)
    if locus.resp == "#detector" and locus.decision != "confirmed":
        title += ": " + view.review_note(locus)  # never a machine guess as a fact
    lines = [f"# {md(title)}", ""]
    facts = [("Type", view.TYPE_LABEL.get(locus.type, locus.type))]
    paired = locus.type in PAIRED and len(rs) >= 2
    if locus.type == "quotation" and paired and view.relation(locus) not in ("", "quotation"):
        # a quotation entry: the later witness cites the earlier one, here without quoting its words
        facts[0] = ("Type", f"Quotation: {author(rs[1].siglum)} cites {author(rs[0].siglum)}")
    if paired and view.relation(locus):
        sentence = view.RELATION_SENTENCE[locus.relation].format(
            a=author(rs[0].siglum), b=author(rs[1].siglum)
        )
        if locus.decision != "confirmed":
            sentence += (
                " (the program's reading of the quotation marks and wording; not yet reviewed)"
            )
        facts.append(("Relation", f"{view.RELATION_LABEL[locus.relation]}: {sentence}."))
    vs = view.variants(locus) if paired else []
    if locus.verdict:
        facts.append(("Verdict", view.verdict(locus, vs)))
    facts.append(("Decision", view.decision_label(locus)))
    lines += [
        '<dl class="ap-facts">'
        + "".join(f"<dt>{esc(k)}</dt> <dd>{esc(v)}</dd> " for k, v in facts)  # spaced: search
        + "</dl>",
        "",
    ]
    if locus.type == "claim":
        lines += claim_table(locus, reader)
    elif paired:
        lines += pair_block(locus, reader, vs)
    else:
        lines += [_reading_section(r, esc(r.text), reader) for r in rs] + [""]
    if locus.findings:
        lines += ["## What the program found", ""]
        lines += [f'<p class="ap-finding">{esc(f)}</p>' for f in locus.findings] + [""]
    if locus.notes:
        lines += ["## Editorial note", ""]
        lines += [f'<p class="ap-note">{esc(n)}</p>' for n in locus.notes] + [""]
    pairs = list(
        dict.fromkeys((a.siglum, b.siglum) for a in rs for b in rs if a.siglum != b.siglum)
    )
    if pairs:
        links = " · ".join(
            f'<a href="../compare-{esc(x)}-{esc(y)}/#r-{esc(locus.id)}">{esc(author(x))} '
            f"| {esc(author(y))}</a>"
            for x, y in pairs[:6]
        )
        lines += [f'<p class="ap-parallel">Open in parallel at this place: {links}</p>', ""]
    machine = [f"locus {locus.id}", f"entry by {locus.resp.lstrip('#')}"]
    if locus.score is not None:
        machine.append(f"share of matched words {locus.score:.2f}")
    lines += [
        f'<details class="ap-machine"><summary>For editors</summary><p>{esc(" · ".join(machine))} '
        f"(tei/apparatus.xml, line {locus.line})</p></details>",
        "",
    ]
    return "\n".join(lines)


def _reading_section(r, body: str, reader: Reader) -> str:
    return (
        f'<section class="ap-reading"><h2>{witness_label(r.siglum)}</h2>'
        f'<p class="ap-where">{reader.where(r, 2)}</p><blockquote '
        f'class="ap-text">{body}</blockquote></section>'
    )


def pair_block(locus: Locus, reader: Reader, vs: list[dict]) -> list[str]:
    a, b = locus.readings[0], locus.readings[1]
    sa, sb = reader.side(a), reader.side(b)
    out = []
    if view.is_table(sa) and view.is_table(sb):
        table = view.compared_table(reader.corpus, a, b)
        if table:
            out += ["## The tables, row by row", "", table, ""]
            out += [
                '<div class="ap-readings">'
                + _reading_section(a, esc(a.text), reader)
                + _reading_section(b, esc(b.text), reader)
                + "</div>",
                "",
            ]
            return out + _variants_block(vs, b.siglum)
    pa, pb = view.painted(locus, a.text, b.text)
    out += [
        '<div class="ap-readings">'
        + _reading_section(a, pa, reader)
        + _reading_section(b, pb, reader)
        + "</div>",
        "",
    ]
    if view.retold(locus):
        return out + [
            '<p class="ap-none">Retold, not quoted: the marked words are content words both '
            "passages print. The passages are not compared word by word, since a retelling "
            "orders its words otherwise.</p>",
            "",
        ]
    return out + _variants_block(vs, b.siglum, view.sic_added(a.text, b.text))


def _variants_block(vs: list[dict], siglum: str, sic: list[str] = ()) -> list[str]:
    if not vs and not sic:
        return [
            '<p class="ap-none">No difference in the words (case and punctuation aside).</p>',
            "",
        ]
    order = ("substantive", "omission", "addition", "accidental")
    items = [
        f'<li class="v-{v["kind"]}">{view.notation(v, siglum)} '
        f'<span class="kind">({v["kind"]})</span></li>'
        for k in order
        for v in vs
        if v["kind"] == k
    ]
    items += [
        '<li class="v-addition"><em>add.</em> <span '
        f'class="rdg">{esc(s)}</span> <span class="sig">{esc(siglum)}</span> '
        f'<span class="kind">(addition by the quoting witness)</span></li>'
        for s in sic
    ]
    return ["## Variants", "", f'<ul class="ap-variants">{"".join(items)}</ul>', ""]


def claim_table(locus: Locus, reader: Reader) -> list[str]:
    rows = []
    for r in locus.readings:
        rows.append(
            f'<tr><th scope="row">{witness_label(r.siglum)}</th><td>{figures(esc(r.text))}</td>'
            f'<td class="ap-where">{reader.where(r, 2)}</td></tr>'
        )
    return [
        "## What each witness says",
        "",
        '<div class="ap-table-wrap"><table class="ap-claim"><thead><tr><th scope="col">Witness</th>'
        '<th scope="col">What it says</th><th scope="col">Where</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div>",
        "",
    ]


def _cell(text: str) -> str:
    return esc(text) or "—"


def index_page(loci: list[Locus], corpus=None, rd: Reader | None = None) -> str:
    """The table of every locus with labelled filters (type, witness involved, decision, substantive
    only); each row says whether its locus has a substantive variant (claims and citation checks
    count as substantive). Kept out of the search index: the loci are found one by one."""
    rows = sorted(
        loci, key=lambda x: ORDER.index(x.type) if x.type in ORDER else len(ORDER)
    )  # stable
    types = Counter(l.type for l in rows)
    wits = Counter(s for l in rows for s in set(l.sigla))
    decisions = Counter(l.decision for l in rows)
    relations = Counter(view.relation(l) for l in rows if view.relation(l))

    def select(name: str, label: str, any_: str, counts: Counter, names=None) -> str:
        opts = (
            f'<option value="">{esc(any_)} '
            f"({len(rows) if name.startswith('witness') else sum(counts.values())})</option>"
        )
        order = {"type": ORDER, "relation": list(view.RELATION_LABEL)}.get(name, sorted(counts))
        keys = [k for k in order if k in counts]
        opts += "".join(
            f'<option value="{esc(k)}">{esc(names(k) if names else k)} ({counts[k]})</option>'
            for k in keys
        )
        return f'<label>{esc(label)} <select name="{name}">{opts}</select></label>'

    name = lambda s: f"{s} · {short_titles().get(s, s)}"  # noqa: E731
    form = (
        '<form id="apparatus-filter" class="ap-filter" aria-label="Filter the apparatus">'
        + select("type", "Type", "any type", types, lambda t: view.TYPE_LABEL.get(t, t).lower())
        + (
            select(
                "relation",
                "Relation",
                "any relation",
                relations,
                lambda r: view.RELATION_LABEL.get(r, r).lower(),
            )
            if relations
            else ""
        )
        + select("witness", "Involving", "any witness", wits, name)
        + select("witness2", "and", "any witness", wits, name)
        + select("decision", "Decision", "any decision", decisions)
        + '<label><input type="checkbox" name="substantive"> substantive only</label>'
        + f'<p id="apparatus-count" role="status">{len(rows)} of {len(rows)} loci shown</p></form>'
    )
    lines = [
        NO_SEARCH + "# Apparatus",
        "",
        "Every locus of the apparatus: first the claims "
        "(where the witnesses answer the same question "
        "differently), then the citations one witness makes "
        "of another's pages, then quotations and reuse, "
        "and last the shared citations (two witnesses cite "
        "the same work: a shared title, not shared text). "
        "[How to read the apparatus](../../about/apparatus.md) "
        "explains the types, variants and verdicts; "
        "each witness's page shows where its relations to the others fall.",
        "",
        form,
        "",
        f'<script src="{ASSETS}filter.js"></script>',
        "",
        '<div class="ap-table-wrap"><table id="apparatus-index" '
        'class="ap-index"><thead><tr><th scope="col">Locus</th>'
        '<th scope="col">Type</th><th scope="col">Witnesses</th><th '
        'scope="col">Decision</th></tr></thead><tbody>',
    ]

    def substantive(l: Locus) -> bool:
        if rd is None:
            return _substantive(l, corpus)
        return rd.fragment(f"substantive {l.id}", lambda: _substantive(l, corpus))

    for l in rows:
        sig = list(dict.fromkeys(l.sigla))
        label = l.question or (
            l.readings[0].text[:90] + ("…" if len(l.readings[0].text) > 90 else "")
            if l.readings
            else l.id
        )
        kind = view.kind_label(l).lower() + (f" ({l.verdict})" if l.verdict else "")
        lines.append(
            f'<tr data-type="{esc(l.type)}" data-relation="{esc(view.relation(l))}" '
            f'data-wits="{esc(" ".join(sig))}" data-decision="{esc(l.decision)}" '
            f'data-substantive="{int(substantive(l))}">'
            f'<td><a href="{esc(l.id)}/">{esc(label)}</a></td><td>{esc(kind)}</td>'
            f"<td>{esc(' · '.join(sig))}</td><td>{esc(l.decision)}</td></tr>"
        )
    lines.append("</tbody></table></div>")
    return "\n".join(lines) + "\n"


def _substantive(locus: Locus, corpus) -> bool:
    if corpus is None:
        return locus.type in ("claim", "citation")
    return export.substantive(locus, corpus)


def reader(tei_dir: Path | None = None, locate=None, chapter=None, full=None) -> Reader:
    corpus, loci = _load(tei_dir)
    return Reader(corpus, loci, locate, chapter, frozenset(full) if full is not None else None)


def pages(
    tei_dir: Path | None = None, locate=None, chapter=None, full=None, rd: Reader | None = None
) -> dict[str, str]:
    """Extra pages, paths relative to docs/edition/: the index, a page per locus, and a script of
    in-place comparisons per witness (apparatus/pop-<siglum>.js). `locate(file, id)`, when the site
    passes it, names the page of the site that holds an id (see `href`); `chapter(file, page)` its
    title."""
    rd = rd or reader(tei_dir, locate, chapter, full)
    out = {INDEX: index_page(rd.loci, rd.corpus, rd)}
    for l in rd.loci:
        out[page_name(l)] = rd.fragment(
            f"page {l.id}", lambda: locus_page(l, rd.corpus, rd.locate, rd)
        )
    for siglum in sorted({s for l in rd.loci for s in l.sigla}):
        out[f"apparatus/pop-{siglum}.js"] = popover_script(siglum, rd)
    return out


# --- comparison in place --------------------------------------------------------------------------
def popover(locus: Locus, siglum: str, rd: Reader) -> str:
    """The comparison shown at a ⇄ mark of witness `siglum`: the other witnesses' words, differences
    marked, the verdict, and links (data-src: docs paths, made into URLs by compare.js)."""
    mine = [r for r in locus.readings if r.siglum == siglum]
    others = [r for r in locus.readings if r.siglum != siglum]
    head = view.kind_label(locus)
    paired = locus.type in PAIRED and len(locus.readings) >= 2
    if locus.verdict:
        head += " · " + view.verdict(locus, view.variants(locus) if paired else [])
    if locus.decision != "confirmed":
        head += " · " + view.review_note(locus)
    out = [f'<p class="ap-pop-type">{esc(head)}</p>']
    if locus.question:
        out.append(f'<p class="ap-pop-q">{esc(locus.question)}</p>')
    self_html = ""
    for r in others:
        if paired and mine:
            theirs, ours = view.painted(locus, r.text, mine[0].text)
            self_html = ours
        else:
            theirs = figures(esc(r.text)) if locus.type == "claim" else esc(r.text)
        out.append(
            f'<div class="ap-pop-other"><p class="ap-pop-wit">{witness_label(r.siglum)}'
            f'<span class="ap-pop-where"> · {rd.where(r) or "page not numbered"}</span></p>'
            f'<blockquote lang="en">{theirs}</blockquote></div>'
        )
    if self_html:
        out.append(
            f'<p class="ap-pop-self"><span class="sig">{esc(siglum)}</span> here: {self_html}</p>'
        )
    elif locus.type == "claim" and mine:
        out.append(
            f'<p class="ap-pop-self"><span class="sig">{esc(siglum)}</span> '
            f"here: {figures(esc(mine[0].text))}</p>"
        )
    if locus.type == "claim" and locus.notes:
        out.append(f'<p class="ap-pop-note">{esc(locus.notes[0])}</p>')
    links = []
    for other in dict.fromkeys(r.siglum for r in others):
        links.append(
            f'<a data-src="edition/{pair_name(siglum, other)}#r-{esc(locus.id)}">'
            f"Open {esc(author(siglum))} | {esc(author(other))} in parallel</a>"
        )
    links.append(f'<a data-src="edition/{page_name(locus)}">The locus, in full</a>')
    for r in others[:1]:
        target = rd.text_src(r)
        if target:
            links.append(
                f'<a data-src="{esc(target)}">{esc(author(r.siglum))}’s passage in its text</a>'
            )
    out.append('<p class="ap-pop-links">' + " ".join(links) + "</p>")
    return "".join(out)


def popover_script(siglum: str, rd: Reader) -> str:
    data = {
        l.id: rd.fragment(f"popover {l.id} {siglum}", lambda: popover(l, siglum, rd))
        for l in rd.loci
        if siglum in l.sigla
    }
    return (
        "window.__appPop = window.__appPop || {};\nwindow.__appPop["
        + json.dumps(siglum)
        + "] = "
        + json.dumps(data, ensure_ascii=False, sort_keys=True)
        + ";\n"
    )


def mark_label(locus: Locus, siglum: str) -> str:
    others = list(dict.fromkeys(r.siglum for r in locus.readings if r.siglum != siglum))
    kind = view.kind_label(locus)
    return f"{kind}: compare with {', '.join(author(o) for o in others)}" if others else kind


def marks(siglum: str, tei_dir: Path | None = None) -> dict[str, list[dict]]:
    """passage id → the loci at it: label (each witness named once), locus id, link to the locus
    page."""
    loci = _loci(tei_dir)
    out: dict[str, list[dict]] = defaultdict(list)
    for l in loci:
        for passage in dict.fromkeys(r.passage for r in l.readings if r.siglum == siglum):
            out[passage].append(
                {
                    "label": mark_label(l, siglum),
                    "href": f"../apparatus/{l.id}/",
                    "locus": l.id,
                    "html": esc(
                        l.question or next(r.text for r in l.readings if r.passage == passage)[:160]
                    ),
                }
            )
    return dict(out)


# --- overview: whom a witness quotes and contradicts, and where -----------------------------------
RELATIONS = (
    ("quotes", "quotes or reuses it"),
    ("quoted", "is quoted or reused by it"),
    ("cites", "cites its pages"),
    ("cited", "is cited by it"),
    ("claims", "answers a question otherwise (claims)"),
    ("shared", "cites the same work"),
)


def relation_counts(siglum: str, loci: list[Locus]) -> dict[str, Counter]:
    out = {k: Counter() for k, _ in RELATIONS}
    for l in loci:
        if siglum not in l.sigla or len(l.readings) < 2:
            continue
        a, b = l.readings[0].siglum, l.readings[1].siglum
        if l.type in ("quotation", "reuse"):
            if b == siglum and a != siglum:
                out["quotes"][a] += 1
            elif a == siglum and b != siglum:
                out["quoted"][b] += 1
        elif l.type == "citation":
            if b == siglum and a != siglum:
                out["cites"][a] += 1
            elif a == siglum and b != siglum:
                out["cited"][b] += 1
        elif l.type == "claim":
            for other in set(l.sigla) - {siglum}:
                out["claims"][other] += 1
        elif l.type == "shared-citation":
            out["shared"][a if b == siglum else b] += 1
    return out


STRIP_BINS = (12, 24)  # hit areas per strip: 12 on a phone, 24 from 60em (CSS); each >= 24 px wide


def strip(siglum: str, rows: list[tuple[Locus, object, str]], rd: Reader, label: str) -> str:
    """A density strip of the witness's text, start to end: a tick per locus (drawn, not a target),
    and over it the strip cut into equal bins, each bin holding loci a link to the first of them, so
    that every link is at least 24 px wide (WCAG 2.5.8) however close the ticks fall."""
    placed = []
    for locus, reading, target in rows:
        pos = min(1.0, max(0.0, rd.position(reading)))
        placed.append((pos, locus, reading, target))
    placed.sort(key=lambda x: x[0])
    ticks = "".join(
        f'<span class="ap-tick t-{esc(locus.type)}" style="left:{pos * 100:.2f}%"></span>'
        for pos, locus, _, _ in placed
    )
    bins = "".join(_bins(placed, n, rd) for n in STRIP_BINS)
    return (
        f'<figure class="ap-strip-fig"><figcaption>{esc(label)}</figcaption>'
        '<div class="ap-strip" role="group" '
        f'aria-label="{esc(label)}"><span class="ap-strip-start">start</span>'
        f'<span class="ap-ticks" aria-hidden="true">{ticks}</span>{bins}'
        f'<span class="ap-strip-end">end</span></div></figure>'
    )


def _bins(placed: list[tuple], n: int, rd: Reader) -> str:
    """The strip cut in n equal bins: a link per bin that holds loci, to the first of them."""
    held: dict[int, list[tuple]] = defaultdict(list)
    for item in placed:
        held[min(n - 1, int(item[0] * n))].append(item)
    links = []
    for i, items in sorted(held.items()):
        _, locus, reading, target = items[0]
        kinds = Counter(view.TYPE_LABEL.get(l.type, l.type).lower() for _, l, _, _ in items)
        where = re.sub("<[^>]+>", "", rd.where(reading)) or f"at {i / n:.0%}"
        if len(items) == 1:
            name = f"{view.TYPE_LABEL.get(locus.type, locus.type)}, {where}"
        else:
            name = (
                f"{len(items)} places ("
                + ", ".join(
                    f"{c} {k}{'s' if c > 1 and k != 'reuse' else ''}" for k, c in kinds.items()
                )
                + f"); the first: {where}"
            )
        links.append(
            f'<a class="ap-bin" style="left:{i * 100 / n:.4g}%;width:{100 / n:.4g}%" '
            f'href="{esc(target)}" aria-label="{esc(name)}" title="{esc(name)}"></a>'
        )
    return f'<span class="ap-bins ap-bins-{n}">{"".join(links)}</span>'


LEGEND = (
    '<p class="ap-legend">'
    + "".join(f'<span class="t-{t}">{view.TYPE_LABEL[t].lower()}</span>' for t in ORDER)
    + "</p>"
)


def overview(siglum: str, rd: Reader, depth: int = 1) -> str:
    """For a witness's landing page (docs/edition/<folder>/index.md): a table of whom it quotes and
    contradicts, and how often, with the parallel views, and the strip of where its loci fall."""
    counts = relation_counts(siglum, rd.loci)
    others = sorted({o for c in counts.values() for o in c})
    if not others:
        return ""
    up = "../" * depth
    head = "".join(f'<th scope="col">{esc(label)}</th>' for _, label in RELATIONS)
    rows = []
    for o in others:
        cells = "".join(f"<td>{counts[k][o] or ''}</td>" for k, _ in RELATIONS)
        rows.append(
            f'<tr><th scope="row">{witness_label(o)}</th>{cells}'
            f'<td><a href="{up}apparatus/compare-{esc(siglum)}-{esc(o)}/">{esc(author(siglum))} '
            f"| {esc(author(o))}</a></td></tr>"
        )
    mine = [
        (l, next(r for r in l.readings if r.siglum == siglum), f"{up}apparatus/{l.id}/")
        for l in rd.loci
        if siglum in l.sigla and len(set(l.sigla)) > 1
    ]
    return "\n".join(
        [
            "## Relations with the other witnesses",
            "",
            "From the apparatus ([how to read it](../../about/apparatus.md)): "
            "how often this witness quotes, cites "
            "or contradicts each other witness, and the parallel view of the two texts.",
            "",
            '<div class="ap-table-wrap"><table '
            f'class="ap-relations"><thead><tr><th scope="col">Witness</th>{head}'
            '<th scope="col">In '
            f"parallel</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>",
            "",
            strip(
                siglum,
                mine,
                rd,
                f"Where in {author(siglum)}’s text its loci "
                "fall (each stretch opens its first locus)",
            ),
            LEGEND,
            "",
        ]
    )


def quotes_and_quoted_by(siglum: str, tei_dir: Path | None = None) -> dict[str, list[dict]]:
    """Whom this witness quotes (it is the later reading) and who quotes it (it is the earlier)."""
    loci = _loci(tei_dir)
    result = {"quotes": [], "quoted_by": []}
    for l in loci:
        if l.type not in ("quotation", "reuse") or len(l.readings) < 2:
            continue
        a, b = l.readings[0], l.readings[1]
        if b.siglum == siglum:
            result["quotes"].append(
                {
                    "siglum": a.siglum,
                    "passage": b.passage,
                    "source": a.passage,
                    "locus": l.id,
                    "type": l.type,
                }
            )
        if a.siglum == siglum:
            result["quoted_by"].append(
                {
                    "siglum": b.siglum,
                    "passage": a.passage,
                    "target": b.passage,
                    "locus": l.id,
                    "type": l.type,
                }
            )
    return result
