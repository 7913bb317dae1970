"""The parallel view of two witnesses (docs/edition/apparatus/compare-A-B.md): witness A's passages
that the apparatus relates to B, each beside B's passage, aligned row by row in A's reading order;
words that differ marked; tables paired row by row and cell by cell. assets/apparatus/parallel.js
synchronises the two columns' scrolling and highlights the counterpart of a selected reading; on a
phone (CSS) the columns stack, each row of A followed by its row of B.

Pure functions over the apparatus' Reader (build_scripts.apparatus.render): no I/O."""

from __future__ import annotations

from collections import defaultdict

from build_scripts.apparatus import render as app
from build_scripts.apparatus import view
from build_scripts.apparatus.view import esc


def pairs(rd: app.Reader) -> dict[tuple[str, str], list[tuple]]:
    """(A, B) → rows (locus, reading of A, reading of B), in A's reading order."""
    out: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for locus in rd.loci:
        first = {}
        for r in locus.readings:
            first.setdefault(r.siglum, r)
        for x in first:
            for y in first:
                if x != y:
                    out[(x, y)].append((locus, first[x], first[y]))
    return {k: sorted(v, key=lambda row: rd.position(row[1])) for k, v in out.items()}


def pages(rd: app.Reader) -> dict[str, str]:
    return {app.pair_name(a, b): page(a, b, rows, rd) for (a, b), rows in sorted(pairs(rd).items())}


def cell(locus, mine, other, rd: app.Reader, n: int) -> str:
    """One side of a row: where the passage is, and its words with the reading marked."""
    s = rd.side(mine)
    attrs = f' tabindex="0" data-row="{n}"'
    kind = view.TYPE_LABEL.get(locus.type, locus.type)
    if locus.verdict:
        kind += " · " + locus.verdict.replace("-", " ")
    meta = (
        f'<p class="par-meta"><span class="sig">{esc(mine.siglum)}</span> '
        f'<a href="../{esc(locus.id)}/">{esc(kind)}</a> · {rd.where(mine, 2)}</p>'
    )
    if locus.type in app.PAIRED:
        so = rd.side(other)
        if view.is_table(s) and view.is_table(so):
            a, b = locus.readings[0], locus.readings[1]
            paired = view.table_pair(rd.corpus, a, b)
            if paired:
                rows, na, nb = paired
                which = "a" if mine is a else "b"
                body = view.one_table(rows, which, na if which == "a" else nb)
                return meta + (
                    '<div class="par-text par-tables"><div '
                    f'class="rd rd-table"{attrs}>{body}</div></div>'
                )
        painted = view.painted(locus, mine.text, other.text)[0]
    else:
        painted = app.figures(esc(mine.text)) if locus.type == "claim" else esc(mine.text)
    return (
        meta
        + f'<p class="par-text">{view.in_context(s, painted, rd.is_full(mine.siglum), attrs)}</p>'
    )


def page(a: str, b: str, rows: list[tuple], rd: app.Reader) -> str:
    ta, tb = app.short_titles().get(a, a), app.short_titles().get(b, b)
    left, right = [], []
    for n, (locus, ra, rb) in enumerate(rows):
        ia, ib = locus.readings.index(ra), locus.readings.index(rb)
        left.append(
            f'<div class="par-row" id="r-{esc(locus.id)}" data-row="{n}" style="order:{2 * n + 2}">'
            + rd.fragment(f"cell {locus.id} {ia} {ib} {n}", lambda: cell(locus, ra, rb, rd, n))
            + "</div>"
        )
        right.append(
            f'<div class="par-row" id="s-{esc(locus.id)}" data-row="{n}" style="order:{2 * n + 3}">'
            + rd.fragment(f"cell {locus.id} {ib} {ia} {n}", lambda: cell(locus, rb, ra, rd, n))
            + "</div>"
        )
    kinds = ", ".join(
        f"{c} {view.TYPE_LABEL.get(t, t).lower()}{'s' if c > 1 and t != 'reuse' else ''}"
        for t, c in sorted(count(rows).items(), key=lambda x: app.ORDER.index(x[0]))
    )
    strips = app.strip(
        a, [(l, x, f"#r-{l.id}") for l, x, _ in rows], rd, f"Where in {app.author(a)}’s text"
    ) + app.strip(
        b, [(l, y, f"#s-{l.id}") for l, _, y in rows], rd, f"Where in {app.author(b)}’s text"
    )
    return "\n".join(
        [
            app.WIDE + f"# {app.md(app.author(a))} \\| {app.md(app.author(b))}, in parallel",
            "",
            f'<p class="par-lede">{esc(ta)} beside {esc(tb)}: '
            f"{len(rows)} place(s) where the apparatus relates them "
            f"({esc(kinds)}). Select a marked reading (click it, "
            "or Tab to it) to bring its counterpart beside it; "
            "the two columns scroll together. <a "
            f'href="../compare-{esc(b)}-{esc(a)}/">Swap the columns</a> · '
            f'<a href="../">all loci</a>.</p>',
            "",
            f'<div class="par-overview">{strips}{app.LEGEND}</div>',
            "",
            f'<div class="par" data-left="{esc(a)}" data-right="{esc(b)}">'
            '<section class="par-col par-a" tabindex="0" '
            f'aria-label="{esc(ta)}"><h2 class="par-h">{app.witness_label(a)}</h2>'
            f"{''.join(left)}</section>"
            '<section class="par-col par-b" tabindex="0" '
            f'aria-label="{esc(tb)}"><h2 class="par-h">{app.witness_label(b)}</h2>'
            f"{''.join(right)}</section></div>",
            "",
            "",
        ]
    )  # assets/apparatus/parallel.js (mkdocs.yml) does the rest


def count(rows: list[tuple]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for locus, _, _ in rows:
        out[locus.type] += 1
    return dict(out)
