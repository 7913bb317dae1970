"""Monograph style: number the page breaks of each division from its printed start page.

A division (chapter, appendix…) runs from the page the contents list gives to the page before
the next division's, so it has a known number of internal breaks. Visible breaks (a sentence or
word split) are all kept; a sentence split by a table is a possible break only (a table may stand
mid-page). Where fewer breaks are visible than the pages require, the missing ones are placed at
the unit boundaries (between paragraphs, or before a table) that make the pages most even in
length, put each listed table on its page, and meet the most index references (a heading the
index gives for p. 167 should stand on the page numbered 167). Numbers are then counted in order.
Certainty: "medium" where counting fixes the number (every break visible, or a visible break
before the first / after the last placed one), where the index confirms the page before or after
a visible break, or where the index pins a placed break to its paragraph gap; "low" otherwise.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from build_scripts.importers.monograph_parse import (
    Break,
    Division,
    Epigraph,
    Head,
    Para,
    Seg,
    Table,
)

OPENING = 0.35  # share of a chapter's first page taken by its number, title and white space


@dataclass
class PageReport:
    ident: str
    first: int
    last: int
    visible: int
    inferred: int
    odd_pages: tuple[int, ...] = ()  # pages whose text is far longer or shorter than a page
    index_met: int = 0  # single-page index references of the division met on their page
    index_checked: int = 0

    @property
    def expected(self) -> int:
        return self.last - self.first


@dataclass
class IndexRef:
    """A page the book's index gives for a heading ("Tukhachevskii, M., 2, 167" → 167)."""

    term: str  # the heading as it would stand in the text ("Tukhachevskii", "aktiv")
    first: int
    last: int  # = first unless a range ("98–9")


@dataclass
class _Slot:
    offset: float
    brk: (
        Break | None
    )  # a break found by the parser (visible or optional), or None: a place to add one
    index: int  # insert before units[index]
    part: int | None = (
        None  # insert before units[index].parts[part] (before a table inside a paragraph)
    )

    @property
    def forced(self) -> bool:
        return self.brk is not None and not self.brk.optional


def _weight(unit) -> float:
    if isinstance(unit, Seg):
        return len(unit.text)
    if isinstance(unit, Table):
        return (
            300 + 70 * (len(unit.rows) + len(unit.notes)) + sum(len(s.text) for s, _ in unit.notes)
        )
    if isinstance(unit, Head):
        return 250 + len(unit.text)
    if isinstance(unit, Epigraph):
        return 200 + len(unit.quote.text) + len(unit.bibl.text)
    return 0.0


def _plain(text: str) -> str:
    return text.replace("’", "'").replace("*", "")


def _slots(
    division: Division, terms: frozenset[str] = frozenset()
) -> tuple[list[_Slot], float, list[tuple[float, int, bool]], dict[str, list[float]]]:
    """Break candidates with their text offsets, the total length, the tables with a listed
    page as (offset, page, may-be-on-the-next-page), and where each index term occurs."""
    slots: list[_Slot] = []
    tables: list[tuple[float, int, bool]] = []
    found: dict[str, list[float]] = {}
    offset = 0.0

    def occurs(text: str, at: float) -> None:
        text = _plain(text)
        for term in terms:
            start = text.find(term)
            while start >= 0:
                found.setdefault(term, []).append(at + start)
                start = text.find(term, start + 1)

    for index, unit in enumerate(division.units):
        if index and not isinstance(division.units[index - 1], Head):
            slots.append(_Slot(offset, None, index))
        parts = unit.parts if isinstance(unit, Para) else [unit]
        for k, part in enumerate(parts):
            if isinstance(part, Break):
                slots.append(_Slot(offset, part, index))
                continue
            if (
                isinstance(part, Table)
                and isinstance(unit, Para)
                and k
                and isinstance(parts[k - 1], Seg)
            ):
                slots.append(_Slot(offset, None, index, k))  # the page may turn before the table
            if isinstance(part, Table) and part.page:
                before_break = (
                    isinstance(unit, Para)
                    and k + 1 < len(parts)
                    and isinstance(parts[k + 1], Break)
                )
                tables.append((offset + 1, part.page, before_break))
            if isinstance(part, (Seg, Head)):
                occurs(part.text, offset)
            if isinstance(unit, Para) and unit.kind != "p":
                offset += max(_weight(part), 70)
            else:
                offset += _weight(part)
    for offsets in found.values():
        offsets.sort()
    return slots, offset, tables, found


MISS = 0.5  # cost of an index reference not met on its page, in squared page lengths


class _Index:
    """Which index references a stretch of text numbered as one page fails to meet."""

    def __init__(self, refs: list[IndexRef], found: dict[str, list[float]]):
        self.by_page: dict[int, list[str]] = {}
        for ref in refs:
            if (
                ref.first == ref.last
            ):  # a range is met by any of its pages: not a property of one page
                self.by_page.setdefault(ref.first, []).append(ref.term)
        self.found = found

    def has(self, term: str, lo: float, hi: float) -> bool:
        offsets = self.found.get(term, [])
        k = bisect_left(offsets, lo)
        return k < len(offsets) and offsets[k] < hi

    def misses(self, lo: float, hi: float, page: int) -> int:
        return sum(1 for term in self.by_page.get(page, ()) if not self.has(term, lo, hi))

    def only(self, page: int, other: int) -> list[str]:
        """Terms the index gives for `page` but not for `other`."""
        return [t for t in self.by_page.get(page, ()) if t not in self.by_page.get(other, ())]


def _choose(
    slots: list[_Slot],
    total: float,
    wanted: int,
    tables: list[tuple[float, int, bool]] = (),
    first: int = 0,
    index: _Index | None = None,
) -> list[int] | None:
    """Indexes of `wanted` slots, all visible ones included, making pages most even, putting
    each table on the page the list of tables gives (a table printed at a break may be on
    either side of it) and meeting as many index references as possible."""
    length = total / (wanted + 1 - OPENING) if wanted + 1 > OPENING else total
    start = -OPENING * length
    points = [start] + [s.offset for s in slots]
    forced = [False] + [s.forced for s in slots]
    n = len(points)
    INF = float("inf")
    miss = MISS * length * length
    # best[k][j]: cost of pages up to a break at point j when it is the k-th break (k=0: start)
    best = [[INF] * n for _ in range(wanted + 1)]
    back = [[-1] * n for _ in range(wanted + 1)]
    best[0][0] = 0.0

    def misplaced(lo: float, hi: float, page: int) -> float:
        wrong = sum(
            1
            for x, p, either in tables
            if lo < x <= hi and not (p == page or (either and p == page + 1))
        )
        unmet = index.misses(lo, hi, page) if index else 0
        return wrong * 1e12 + unmet * miss

    for k in range(1, wanted + 1):
        for j in range(1, n):
            for i in range(j - 1, -1, -1):
                if best[k - 1][i] < INF and points[j] > points[i]:
                    cost = (
                        best[k - 1][i]
                        + (points[j] - points[i] - length) ** 2
                        + misplaced(points[i], points[j], first + k - 1)
                    )
                    if cost < best[k][j]:
                        best[k][j], back[k][j] = cost, i
                if forced[i] or points[j] - points[i] > 3 * length:
                    break  # a page cannot skip a visible break, nor be three pages long
    end, best_cost = -1, INF
    for j in range(n):
        if best[wanted][j] < INF and not any(forced[j + 1 :]):
            cost = (
                best[wanted][j]
                + (total - points[j] - length) ** 2
                + misplaced(points[j], total + 1, first + wanted)
            )
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


def _fixed_by_index(
    index: _Index, slots: list[_Slot], at: int, page: int, lo: float, hi: float
) -> bool:
    """Is the break starting `page` at slots[at] pinned to its paragraph gap by the index: a term
    given for the page before (and not this one) stands before it, one given for this page (and
    not the one before) after it, with no other place for a break in between, on pages lo–hi?"""
    x = slots[at].offset
    before = [o for t in index.only(page - 1, page) for o in index.found.get(t, []) if lo <= o < x]
    after = [o for t in index.only(page, page - 1) for o in index.found.get(t, []) if x <= o < hi]
    if not before or not after:
        return False
    a, b = max(before), min(after)
    return not any(a < s.offset < b for k, s in enumerate(slots) if k != at and s.offset != x)


def _confirmed(index: _Index, page: int, lo: float, hi: float) -> bool:
    """A term the index gives for this page alone (not the pages beside it) stands on it."""
    return any(
        index.has(t, lo, hi) for t in index.only(page, page - 1) if t in index.only(page, page + 1)
    )


def number(division: Division, refs: list[IndexRef] = ()) -> tuple[PageReport, list[str]]:
    """Number the breaks of one division in place; returns the report and warnings."""
    first, last = division.start_page, division.end_page
    refs = [r for r in refs if first <= r.first and r.last <= last]
    slots, total, tables, found = _slots(division, frozenset(r.term for r in refs))
    index = _Index(refs, found)
    visible = [s for s in slots if s.forced]
    wanted = last - first
    warnings: list[str] = []
    chosen = _choose(slots, total, wanted, tables, first, index) if len(visible) <= wanted else None
    if chosen is None:
        warnings.append(
            f"{len(visible)} visible page breaks, but pages {first}–{last} "
            f"allow only {wanted}: numbers counted from p. {first} are "
            f'uncertain (cert="low"); those past p. {last} are left unnumbered'
        )
        for k, slot in enumerate(visible, start=1):
            if first + k <= last:
                slot.brk.n, slot.brk.cert = str(first + k), "low"
        _drop_optional(division)
        return PageReport(division.ident, first, last, len(visible), 0), warnings
    picked = [slots[i] for i in chosen]
    inferred_at = [k for k, s in enumerate(picked) if not s.forced]
    lo = inferred_at[0] if inferred_at else len(picked)
    hi = inferred_at[-1] if inferred_at else -1
    bounds = [-1.0, *[s.offset for s in picked], total + 1]
    odd = _odd_pages([s.offset for s in picked], total, first, wanted)
    inserts: list[tuple[int, int | None, Break]] = []
    for k, slot in enumerate(picked):
        page = first + k + 1
        if slot.forced:
            counted = (k < lo or k > hi) and not odd
            # the index confirms the page before or after the break: its number holds
            seen = _confirmed(index, page - 1, bounds[k], bounds[k + 1]) or _confirmed(
                index, page, bounds[k + 1], bounds[k + 2]
            )
            slot.brk.n, slot.brk.cert = str(page), "medium" if counted or seen else "low"
            continue
        cert = (
            "medium"
            if _fixed_by_index(index, slots, chosen[k], page, bounds[k], bounds[k + 2])
            else "low"
        )
        if slot.brk is not None:  # a table-split sentence where the page does turn
            slot.brk.n, slot.brk.cert, slot.brk.optional = str(page), cert, False
        else:
            inserts.append((slot.index, slot.part, Break(0, "boundary", str(page), cert)))
    if odd:
        warnings.append(
            f"by text length, p. {', '.join(map(str, odd))} would be less than 40% or more than "
            f"170% of a page, so some break of pp. {first}–{last} is missing or not a page break: "
            'the inferred numbers of this division are cert="low" unless the index confirms them'
        )
    _drop_optional(division)
    for index_, part, brk in sorted(inserts, key=lambda x: (-x[0], -(x[1] or 0))):
        if part is None:
            division.units.insert(index_, brk)
        else:
            division.units[index_].parts.insert(part, brk)
    report = PageReport(
        division.ident,
        first,
        last,
        len(visible),
        len(inserts) + sum(1 for s in picked if s.brk is not None and not s.forced),
        tuple(odd),
    )
    report.index_met, report.index_checked = _agreement(
        index, [s.offset for s in picked], total, first
    )
    return report, warnings


def _agreement(index: _Index, offsets: list[float], total: float, first: int) -> tuple[int, int]:
    bounds = [-1.0, *offsets, total + 1]
    met = checked = 0
    for k in range(len(bounds) - 1):
        for term in index.by_page.get(first + k, ()):
            checked += 1
            met += index.has(term, bounds[k], bounds[k + 1])
    return met, checked


def _drop_optional(division: Division) -> None:
    """Table-split sentences where the page was not found to turn lose their break."""
    for unit in division.units:
        if isinstance(unit, Para):
            unit.parts = [p for p in unit.parts if not (isinstance(p, Break) and p.optional)]


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
