"""Getty monograph: number the page breaks of each division from its printed start page.

A division (chapter, appendix…) runs from the page the contents list gives to the page before
the next division's, so it has a known number of internal breaks. Visible breaks (a sentence or
word split) are all kept; where fewer are visible than the pages require, the missing ones are
placed at the unit boundaries (between paragraphs) that make the pages most even in length.
Numbers are then counted in order. Certainty: "medium" where counting alone fixes the number
(every break visible, or a visible break before the first / after the last placed one), "low"
where it depends on the length estimate.
"""
from __future__ import annotations

from dataclasses import dataclass

from build_scripts.importers.monograph_parse import Break, Division, Epigraph, Head, Para, Seg, Table

OPENING = 0.35  # share of a chapter's first page taken by its number, title and white space


@dataclass
class PageReport:
    ident: str
    first: int
    last: int
    visible: int
    inferred: int
    odd_pages: tuple[int, ...] = ()  # pages whose text is far longer or shorter than a page

    @property
    def expected(self) -> int:
        return self.last - self.first


@dataclass
class _Slot:
    offset: float
    brk: Break | None  # a visible break, or None for a unit boundary
    index: int  # boundary: insert before units[index]


def _weight(unit) -> float:
    if isinstance(unit, Seg):
        return len(unit.text)
    if isinstance(unit, Table):
        return 300 + 70 * (len(unit.rows) + len(unit.notes)) + sum(len(s.text) for s, _ in unit.notes)
    if isinstance(unit, Head):
        return 250 + len(unit.text)
    if isinstance(unit, Epigraph):
        return 200 + len(unit.quote.text) + len(unit.bibl.text)
    return 0.0


def _slots(division: Division) -> tuple[list[_Slot], float, list[tuple[float, int, bool]]]:
    """Break candidates with their text offsets, the total length, and the tables with a listed
    page as (offset, page, may-be-on-the-next-page)."""
    slots: list[_Slot] = []
    tables: list[tuple[float, int, bool]] = []
    offset = 0.0
    for index, unit in enumerate(division.units):
        if index and not isinstance(division.units[index - 1], Head):
            slots.append(_Slot(offset, None, index))
        parts = unit.parts if isinstance(unit, Para) else [unit]
        for k, part in enumerate(parts):
            if isinstance(part, Break):
                slots.append(_Slot(offset, part, index))
                continue
            if isinstance(part, Table) and part.page:
                before_break = isinstance(unit, Para) and k + 1 < len(parts) and isinstance(parts[k + 1], Break)
                tables.append((offset + 1, part.page, before_break))
            if isinstance(unit, Para) and unit.kind != "p":
                offset += max(_weight(part), 70)
            else:
                offset += _weight(part)
    return slots, offset, tables


def _choose(slots: list[_Slot], total: float, wanted: int, tables: list[tuple[float, int, bool]] = (), first: int = 0) -> list[int] | None:
    """Indexes of `wanted` slots, all visible ones included, making pages most even and putting
    each table on the page the list of tables gives (a table printed at a break may be on
    either side of it)."""
    length = total / (wanted + 1 - OPENING) if wanted + 1 > OPENING else total
    start = -OPENING * length
    points = [start] + [s.offset for s in slots]
    forced = [False] + [s.brk is not None for s in slots]
    n = len(points)
    INF = float("inf")
    # best[k][j]: cost of pages up to a break at point j when it is the k-th break (k=0: start)
    best = [[INF] * n for _ in range(wanted + 1)]
    back = [[-1] * n for _ in range(wanted + 1)]
    best[0][0] = 0.0

    def misplaced(lo: float, hi: float, page: int) -> float:
        wrong = sum(1 for x, p, either in tables if lo < x <= hi and not (p == page or (either and p == page + 1)))
        return wrong * 1e12

    for k in range(1, wanted + 1):
        for j in range(1, n):
            for i in range(j - 1, -1, -1):
                if best[k - 1][i] < INF:
                    cost = best[k - 1][i] + (points[j] - points[i] - length) ** 2 + misplaced(points[i], points[j], first + k - 1)
                    if cost < best[k][j]:
                        best[k][j], back[k][j] = cost, i
                if forced[i] or points[j] - points[i] > 3 * length:
                    break  # a page cannot skip a visible break, nor be three pages long
    end, best_cost = -1, INF
    for j in range(n):
        if best[wanted][j] < INF and not any(forced[j + 1 :]):
            cost = best[wanted][j] + (total - points[j] - length) ** 2 + misplaced(points[j], total + 1, first + wanted)
            if cost < best_cost:
                end, best_cost = j, cost
    if wanted == 0:
        return [] if not any(forced) else None
    if end < 0:
        return None
    chosen, k, j = [], wanted, end
    while k > 0:
        chosen.append(j - 1)
        j, k = back[k][j], k - 1
    return sorted(chosen)


def number(division: Division) -> tuple[PageReport, list[str]]:
    """Number the breaks of one division in place; returns the report and warnings."""
    first, last = division.start_page, division.end_page
    slots, total, tables = _slots(division)
    visible = [s for s in slots if s.brk is not None]
    wanted = last - first
    warnings: list[str] = []
    chosen = _choose(slots, total, wanted, tables, first) if len(visible) <= wanted else None
    if chosen is None:
        warnings.append(f"{len(visible)} visible page breaks, but pages {first}–{last} allow only {wanted}: numbers counted from p. {first} are uncertain (cert=\"low\"); those past p. {last} are left unnumbered")
        for k, slot in enumerate(visible, start=1):
            if first + k <= last:
                slot.brk.n, slot.brk.cert = str(first + k), "low"
        return PageReport(division.ident, first, last, len(visible), 0), warnings
    picked = [slots[i] for i in chosen]
    inferred_at = [k for k, s in enumerate(picked) if s.brk is None]
    lo = inferred_at[0] if inferred_at else len(picked)
    hi = inferred_at[-1] if inferred_at else -1
    inserts: list[tuple[int, Break]] = []
    for k, slot in enumerate(picked):
        page = str(first + k + 1)
        if slot.brk is None:
            brk = Break(0, "boundary", page, "low")
            inserts.append((slot.index, brk))
        else:
            slot.brk.n = page
            slot.brk.cert = "medium" if (k < lo or k > hi) else "low"
    odd = _odd_pages([s.offset for s in picked], total, first, wanted)
    if odd:
        warnings.append(f"by text length, p. {', '.join(map(str, odd))} would be less than 40% or more than 170% of a page, so some break of pp. {first}–{last} is missing or not a page break: all inferred numbers of this division are cert=\"low\"")
        for slot in picked:
            if slot.brk is not None:
                slot.brk.cert = "low"
    for index, brk in sorted(inserts, key=lambda x: -x[0]):
        division.units.insert(index, brk)
    return PageReport(division.ident, first, last, len(visible), len(inserts), tuple(odd)), warnings


def _odd_pages(offsets: list[float], total: float, first: int, wanted: int) -> list[int]:
    """Inner pages (not the division's first or last) of implausible length."""
    length = total / (wanted + 1 - OPENING)
    bounds = [*offsets, total]
    odd = []
    for k in range(1, len(bounds) - 1):
        size = bounds[k] - bounds[k - 1]
        if size < 0.4 * length or size > 1.7 * length:
            odd.append(first + k)
    return odd


def place_tables(division: Division) -> list[tuple[Table, int | None]]:
    """Put a table that interrupts a paragraph on the page the list of tables gives; returns
    each table with the page the numbering puts it on (for the report)."""
    found: list[tuple[Table, int | None]] = []
    page = division.start_page
    for unit in division.units:
        parts = unit.parts if isinstance(unit, Para) else [unit]
        k = 0
        while k < len(parts):
            part = parts[k]
            if isinstance(part, Break) and part.n:
                page = int(part.n)
            elif isinstance(part, Table):
                after = parts[k + 1] if k + 1 < len(parts) else None
                if isinstance(after, Break) and after.n and part.page == int(after.n):
                    parts[k], parts[k + 1] = after, part
                    page = int(after.n)
                    k += 1
                found.append((part, page))
            k += 1
    return found
