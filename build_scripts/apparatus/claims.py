"""Claims: where the witnesses answer the same question differently.

Curated claims are editors' data and live in tei/apparatus.xml only (app type="claim",
resp="#apparatus.editors"): the editors write the question, quote each witness's words in an rdg
whose @corresp names the passage, and add a note; `edition check` verifies that the words are there.

This module proposes claims for editors (resp="#detector", unreviewed): every figure, date and
percentage of every witness is extracted with what it counts (expelled, arrested, executed, members,
quota...) and the year it concerns; statements about the same quantity from two or more witnesses
that give different values become one machine claim, quoting each witness's sentence, with the
values found as evidence (a finding). An editor confirms, rewrites or rejects it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from build_scripts.apparatus.align import tokens
from build_scripts.apparatus.model import Locus, Passage, Reading

SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”’')\]]*(?=\s|$)|$)")
# 12,345 · 1.408 (thousands) · 2.1 · 2.1 per cent / percent / % ; not part of a date range's year
# (the first digit, then the test of the character before it: the regex engine skips to digits)
NUMBER = re.compile(
    r"(\d(?<![\w.,/-]\d)(?:\d{0,2}(?:[,.]\d{3})+|\d*(?:\.\d+)?))"
    r"(\s*(?:%|per\s?cent|percent))?(?![\w%])"
)
# Where a figure of `NUMBER` can end: a digit before no letter or digit (or before "per cent").
# Every `NUMBER` match of a sentence holds one in the passage (a sentence ending in a digit ends the
# passage): a passage without one has no figure.
FIGURE_END = re.compile(r"\d(?:(?!\w)|per)")
YEAR = re.compile(r"(1(?<!\d1)9[0-9]\d)(?:\s*[-–]\s*(\d{2,4}))?(?!\d)")  # 1 not after a digit
# What a figure counts: the stem of a word near it → the quantity's name.
COUNTS = {
    "expel": "expelled",
    "expuls": "expelled",
    "purg": "expelled",
    "arrest": "arrested",
    "imprison": "arrested",
    "shot": "executed",
    "execut": "executed",
    "death": "executed",
    "member": "members",
    "communist": "members",
    "quota": "quota",
    "limit": "quota",
    "rehabilit": "rehabilitated",
    "reinstat": "reinstated",
    "readmit": "reinstated",
    "deport": "exiled",
    "exil": "exiled",
    "camp": "in camps",
    "appeal": "appeals",
    "candid": "candidates",
    "admit": "admitted",
    "admiss": "admitted",
}
NEAR = 6  # words either side of a figure where what it counts is looked for
MIN_VALUE = (
    100  # smaller absolute figures (ages, days, page numbers) are not compared; percentages are
)


def squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Statement:
    passage: Passage
    start: int  # the sentence that states it
    end: int
    value: float
    printed: str
    counts: str  # what the figure counts (expelled, members...)
    year: str  # the year (or "1937-38") it concerns
    percent: bool


def value_of(raw: str) -> float | None:
    text = raw
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", text):
        text = re.sub(r"[,.]", "", text)
    try:
        return float(text)
    except ValueError:
        return None


def _years(sentence: str) -> list[tuple[int, str]]:
    out = []
    for m in YEAR.finditer(sentence):
        first, tail = m.group(1), m.group(2)
        if tail:
            tail = first[: 4 - len(tail)] + tail if len(tail) < 4 else tail
            out.append((m.start(), f"{first}-{tail[2:]}"))
        else:
            out.append((m.start(), first))
    return out


def statements(passages: list[Passage]) -> list[Statement]:
    """Every figure of every witness's prose with what it counts and the year it concerns (figures
    whose count or year the sentence does not give are left out: they cannot be compared)."""
    out = []
    for p in passages:
        if p.kind in ("table", "bibl") or (p.kind == "note" and not p.text[:1].isalpha()):
            continue
        if not FIGURE_END.search(p.text):
            continue  # no figure in any of its sentences: not one to cut into sentences
        for m in SENTENCE.finditer(p.text):
            sent = m.group()
            if not NUMBER.search(sent):
                continue
            years = _years(sent)
            toks = None  # tokenised at the first figure kept (most sentences keep none)
            for n in NUMBER.finditer(sent):
                raw, percent = n.group(1), bool(n.group(2))
                value = value_of(raw)
                if value is None or any(a <= n.start() < a + 9 for a, _ in years):
                    continue  # a year is the date of a figure, not a figure
                if not percent and value < MIN_VALUE:
                    continue
                toks = tokens(sent) if toks is None else toks
                at = next((i for i, t in enumerate(toks) if t.start <= n.start() < t.end), None)
                if at is None:
                    continue
                counts = _counts(toks, at)
                year = (
                    min(years, key=lambda y: abs(y[0] - n.start()))[1]
                    if years
                    else _year_before(p.text, m.start())
                )
                if counts and year:
                    lead = len(sent) - len(sent.lstrip())
                    out.append(
                        Statement(
                            p,
                            m.start() + lead,
                            m.end(),
                            value,
                            n.group().strip(),
                            counts,
                            year,
                            percent,
                        )
                    )
    return out


def _year_before(text: str, at: int) -> str:
    """The last year the passage names before a sentence that names none (the year it speaks of)."""
    years = _years(text[max(0, at - 600) : at])
    return years[-1][1] if years else ""


def _counts(toks, at: int) -> str:
    """What the figure at token `at` counts: the nearest counting word within NEAR words (the
    first of two as near)."""
    best = None
    for i in range(max(0, at - NEAR), min(len(toks), at + NEAR + 1)):
        name = _counted(toks[i].norm)
        if name and (best is None or abs(i - at) < best[0]):
            best = (abs(i - at), name)
    return best[1] if best else ""


@lru_cache(maxsize=1 << 14)
def _counted(norm: str) -> str:
    """The quantity a word names: that of the first stem of `COUNTS` it begins with, or ""."""
    return next((name for stem, name in COUNTS.items() if norm.startswith(stem)), "")


GENERIC = frozenset("parti member expel communist organis organiz candid year total number".split())
SAME_CONTEXT = 3  # content words (stemmed) two witnesses' sentences share beyond the figure's count


def _about_the_same(found: list[Statement]) -> list[Statement]:
    """The statements that speak of the same thing as a statement of another witness: their
    sentences share `SAME_CONTEXT` content words (the place, the operation, the body...)."""
    from build_scripts.apparatus.retold import features

    feats = [
        {
            f
            for f in features(s.passage.text[s.start : s.end], {}, lists=False)
            if f[0] != "#" and f not in GENERIC
        }
        for s in found
    ]
    keep = set()
    for i, a in enumerate(found):
        for j in range(i + 1, len(found)):
            if (
                a.passage.siglum != found[j].passage.siglum
                and len(feats[i] & feats[j]) >= SAME_CONTEXT
            ):
                keep |= {i, j}
    return [s for i, s in enumerate(found) if i in keep]


def propose(passages: list[Passage], curated: list[Locus] = ()) -> list[Locus]:
    """Machine claims: the same quantity (what is counted, the year, a share or a number) stated
    with different values by two or more witnesses; each witness's sentences quoted. A group whose
    passages a curated claim already quotes for two witnesses is left to that claim."""
    groups: dict[tuple[str, str, bool], list[Statement]] = defaultdict(list)
    for s in statements(passages):
        groups[(s.counts, s.year, s.percent)].append(s)
    covered = [{r.passage for r in l.readings} for l in curated if l.type == "claim"]
    out = []
    for (counts, year, percent), found in sorted(groups.items()):
        found = _about_the_same(found)
        values = {s.passage.siglum: set() for s in found}
        for s in found:
            values[s.passage.siglum].add(s.value)
        if len(values) < 2:
            continue
        shared = set.intersection(*values.values())
        if shared and all(v == shared for v in values.values()):
            continue  # every witness gives the same value: no disagreement
        passages_of = {s.passage.id for s in found}
        if any(len(passages_of & c) >= 2 for c in covered):
            continue
        readings, seen = [], set()
        for s in sorted(found, key=lambda s: (s.passage.siglum, s.passage.id, s.start)):
            if (s.passage.id, s.start) in seen:
                continue
            seen.add((s.passage.id, s.start))
            p = s.passage
            readings.append(
                Reading(p.siglum, p.file, p.id, p.text[s.start : s.end], s.start, s.end, "")
            )
        unit = " (per cent)" if percent else ""
        question = (
            f"How many {counts}{unit}, {year}? (machine-proposed: figures "
            "of several witnesses that seem to count the same thing)"
        )
        evidence = "; ".join(
            f"{sig}: {', '.join(sorted({s.printed for s in found if s.passage.siglum == sig}))}"
            for sig in sorted(values)
        )
        finding = (
            f"Figures found near “{counts}” and the year {year}: {evidence}. Proposed "
            "by the detector, unreviewed: check that they count the same thing."
        )
        ident = f"fig.{counts.replace(' ', '-')}.{year}" + (".pct" if percent else "")
        out.append(
            Locus(
                ident,
                "claim",
                tuple(readings),
                "#detector",
                None,
                "unreviewed",
                None,
                question,
                (),
                findings=(finding,),
            )
        )
    return out
