"""tei/apparatus.xml + witnesses → Markdown pages for the site (relative to docs/edition/), tooltip
marks and "quotes / quoted by" lists. Witness text is always HTML-escaped: it never becomes markup."""
from __future__ import annotations

import functools
import html
from collections import defaultdict
from pathlib import Path

from build_scripts.project import witnesses as manifest
from build_scripts.apparatus import align, edition, export, store
from build_scripts.apparatus.model import Locus

INDEX = "apparatus/index.md"
ASSETS = "../../assets/apparatus/"  # from docs/edition/apparatus/ to docs/assets/apparatus/
PAIRED = ("quotation", "reuse", "citation", "shared-citation")  # types shown as two readings side by side
ORDER = ("claim", "citation", "quotation", "reuse", "shared-citation")  # rows of the index page, by type


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


def _loci(tei_dir: Path | None = None):
    """The loci readers see, from tei/apparatus.xml alone (no witness is read: cheap on every render)."""
    path = Path(tei_dir or manifest.TEI_DIR) / store.FILE
    return _read_loci(path, _stamp([path]))


@functools.lru_cache(maxsize=4)
def _read_loci(path: Path, stamp: tuple) -> list:
    loci, _ = store.read(path)
    return [locus for locus in loci if locus.decision != "rejected"]


def stem(file: str) -> str:
    return Path(file).stem


def href(file: str, passage: str, depth: int, locate=None, corpus=None) -> str:
    """Link from a page `depth` folders below docs/edition/ to a passage of a witness page. With the
    site's `locate(file, id)` (→ "getty/G.c6.md" or None) the link goes to the page that holds the id,
    else to the page that holds the passage around it, else to the witness's first page."""
    up = "../" * depth
    if locate is None:
        return up + f"{stem(file)}/#{passage}"
    for ident in (passage, _container(passage, corpus)):
        page = locate(file, ident) if ident else None
        if page:
            return up + page.removesuffix(".md").removesuffix("index") + ("/" if not page.endswith("index.md") else "") + f"#{_fragment(ident, corpus)}"
    return up + f"{stem(file)}/"


def _fragment(ident: str, corpus) -> str:
    """The anchor of an id on the site: notes are footnotes there, anchored "fn:<id>"."""
    passage = getattr(corpus, "by_id", {}).get(ident)
    return f"fn:{ident}" if passage is not None and passage.kind == "note" and passage.id == ident else ident


def _container(ident: str, corpus) -> str | None:
    hit = corpus.resolve(ident) if corpus is not None and hasattr(corpus, "resolve") else None
    return hit[0].id if hit and hit[0].id != ident else None


def page_name(locus: Locus) -> str:
    return f"apparatus/{locus.id}.md"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def highlighted(locus: Locus, corpus) -> tuple[str, str]:
    """The first two readings as HTML, words that differ wrapped in <mark>."""
    a, b = locus.readings[0], locus.readings[1]
    ta, tb = align.tokens(a.text), align.tokens(b.text)
    ops = align.align([t.norm for t in ta], [t.norm for t in tb])
    diff_a, diff_b = set(), set()
    for op in ops:
        if op.tag != "equal":
            diff_a.update(range(op.a0, op.a1))
            diff_b.update(range(op.b0, op.b1))

    def paint(text, toks, marked):
        out, pos = [], 0
        for i, t in enumerate(toks):
            out.append(_esc(text[pos : t.start]))
            word = _esc(text[t.start : t.end])
            out.append(f"<mark>{word}</mark>" if i in marked else word)
            pos = t.end
        out.append(_esc(text[pos:]))
        return "".join(out)

    return paint(a.text, ta, diff_a), paint(b.text, tb, diff_b)


def locus_page(locus: Locus, corpus, locate=None) -> str:
    lines = [f"# {_esc(locus.type.capitalize())}: {' / '.join(r.siglum for r in locus.readings)}", ""]
    if locus.question:
        lines += [f'<p class="apparatus-question"><em>{_esc(locus.question)}</em></p>', ""]
    lines += [f"Locus `{locus.id}` · decision: {locus.decision}" + (f" · verdict: {locus.verdict}" if locus.verdict else "") + (f" · score {locus.score:.2f}" if locus.score is not None else ""), ""]
    cells = []
    if locus.type in PAIRED and len(locus.readings) >= 2:
        pair = highlighted(locus, corpus)
        cells = list(zip(locus.readings, pair))
    else:
        cells = [(r, _esc(r.text)) for r in locus.readings]
    lines.append('<table class="apparatus-compare"><tr>' + "".join(f'<th><a href="{href(r.file, r.passage, 2, locate, corpus)}">{_esc(r.siglum)} · {_esc(r.passage)}</a></th>' for r, _ in cells) + "</tr>")
    lines.append("<tr>" + "".join(f"<td>{text}</td>" for _, text in cells) + "</tr></table>")
    lines.append("")
    for finding in locus.findings:
        lines += [f'<p class="apparatus-finding">{_esc(finding)}</p>', ""]
    for note in locus.notes:
        lines += [f'<p class="apparatus-note">{_esc(note)}</p>', ""]
    if locus.type in PAIRED:
        vs = export.variants_of(locus, corpus)
        if vs:
            a, b = locus.readings[0].siglum, locus.readings[1].siglum
            rows = "".join(f"<tr><td>{v['kind']}</td><td>{_cell(v['a'])}</td><td>{_cell(v['b'])}</td></tr>" for v in vs)
            lines += [f'<table class="apparatus-variants"><tr><th>variant</th><th>{_esc(a)}</th><th>{_esc(b)}</th></tr>{rows}</table>', ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return _esc(text) or "—"


def index_page(loci: list[Locus], corpus=None) -> str:
    """The table of every locus; each row says whether its locus has a substantive variant (claims and
    citation checks count as substantive), for the "substantive only" filter of filter.js."""
    lines = ["# Apparatus", "",
             "Every locus of tei/apparatus.xml: first the claims (where the witnesses answer the same question "
             "differently), then the citations one witness makes of another's pages, then quotations and reuse, "
             "and last the shared citations (two witnesses cite the same work: a shared title, not shared text). "
             "Filter by type, by pair of witnesses, or to substantive variants only; "
             "[How to read the apparatus](../../about/apparatus.md) explains the types, variants and verdicts.", "",
             f'<div id="apparatus-filter"></div><script src="{ASSETS}filter.js"></script>', "",
             '<table id="apparatus-index"><tr><th>locus</th><th>type</th><th>witnesses</th><th>decision</th></tr>']
    for l in sorted(loci, key=lambda x: ORDER.index(x.type) if x.type in ORDER else len(ORDER)):  # stable: file order within a type
        pair = "-".join(sorted({r.siglum for r in l.readings}))
        lines.append(f'<tr data-type="{_esc(l.type)}" data-pair="{_esc(pair)}" data-substantive="{int(_substantive(l, corpus))}">'
                     f'<td><a href="{_esc(l.id)}/">{_esc(l.question or l.readings[0].text[:80] if l.readings else l.id)}</a></td>'
                     f"<td>{_esc(l.type + (f' ({l.verdict})' if l.verdict else ''))}</td><td>{_esc(pair)}</td><td>{_esc(l.decision)}</td></tr>")
    lines.append("</table>")
    return "\n".join(lines) + "\n"


def _substantive(locus: Locus, corpus) -> bool:
    if corpus is None:
        return locus.type in ("claim", "citation")
    return export.substantive(locus, corpus)


def pages(tei_dir: Path | None = None, locate=None) -> dict[str, str]:
    """Extra Markdown pages, paths relative to docs/edition/. `locate(file, id)`, when the site passes
    it, names the page of the site that holds an id (see `href`)."""
    corpus, loci = _load(tei_dir)
    out = {INDEX: index_page(loci, corpus)}
    for l in loci:
        out[page_name(l)] = locus_page(l, corpus, locate)
    return out


def marks(siglum: str, tei_dir: Path | None = None) -> dict[str, list[dict]]:
    """passage id → tooltips for the witness text: label, link to the locus page, short HTML."""
    loci = _loci(tei_dir)
    out: dict[str, list[dict]] = defaultdict(list)
    for l in loci:
        others = [r.siglum for r in l.readings if r.siglum != siglum]
        for r in l.readings:
            if r.siglum == siglum:
                label = f"{l.type}: {', '.join(others)}" if others else l.type
                out[r.passage].append({"label": label, "href": f"../apparatus/{l.id}/", "html": _esc(l.question or r.text[:160])})
    return dict(out)


def quotes_and_quoted_by(siglum: str, tei_dir: Path | None = None) -> dict[str, list[dict]]:
    """Whom this witness quotes (it is the later reading) and who quotes it (it is the earlier)."""
    loci = _loci(tei_dir)
    result = {"quotes": [], "quoted_by": []}
    for l in loci:
        if l.type not in ("quotation", "reuse") or len(l.readings) < 2:
            continue
        a, b = l.readings[0], l.readings[1]
        if b.siglum == siglum:
            result["quotes"].append({"siglum": a.siglum, "passage": b.passage, "source": a.passage, "locus": l.id, "type": l.type})
        if a.siglum == siglum:
            result["quoted_by"].append({"siglum": b.siglum, "passage": a.passage, "target": b.passage, "locus": l.id, "type": l.type})
    return result
