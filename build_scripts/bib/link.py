"""Citation linker: a witness's `bibl` → @corresp="bib:KEY" of references.bib (`edition bib link`).

A `bibl` is linked to an entry when its words name one of the entry's authors or editors (surname)
and enough of the entry's title (the main title, before the colon, counts most: a witness's short
forms, "Conquest, Terror", "Medvedev, History", are words of it); a corporate work may be named by
its title alone. "Surname, op. cit." is linked when the witness cites one work by that author;
"Ibid." takes the work of the citation right before it, in the same note or in the note just
before (the same series), and only when that one is linked to exactly one work.

Precision comes first. Nothing is written when two works fit equally (year and `cited-by:`
keywords break ties), when the work's keywords do not say that the witness cites it, or when the
bibl already points elsewhere; those are reported. A note that cites works without any `bibl`
element is reported too, never changed, unless `--wrap` first puts bibl around its certain
citations (build_scripts/bib/wrap.py). "Ibid." also needs no italic title left unwrapped between
it and the bibl before, and follows the note's own number (label type="note-number" where the
marker was printed otherwise). Writing only adds or extends @corresp: the words of the
TEI stay as they are.

    works = load_works()[0]
    witness = manifest.by_siglum(siglum)   # build_scripts.project.witnesses: sources/witnesses.yml
    proposals = propose(root, works, witness.siglum, path=f"tei/{witness.tei}")
    apply(proposals)       # sets @corresp on the bibls of the writable proposals
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from lxml import etree

from build_scripts.bib import bibliography as bibmod
from build_scripts.bib import wrap as biblwrap
from build_scripts.tei import teixml
from build_scripts.problems import Problem, relpath

# Words that never tell one title from another. Russian particles too (transliterated titles).
STOPWORDS = frozenset(
    "a an the of in on and or for to with from by at as is are its his her their into under "
    "what where why how it s v i iz na o po za k ot".split()
)
# Title words too common in this literature to identify a work on their own.
GENERIC = frozenset(
    "soviet ussr union party communist cpsu great new other essays honour honor selected "
    "collected works vol volume".split()
)
SHORT_TITLE = (
    3  # a main title of at most this many words may be cited by one of them ("Conquest, Terror")
)
MOST = (
    2 / 3
)  # a corporate work named without its author needs this share of its title's telling words
# Title words that identify nothing alone: after an author's name ("Stalin, speech") or as a whole
# title.
WEAK_AFTER_NAME = frozenset("speech report letter article works".split())
WEAK = WEAK_AFTER_NAME | frozenset("stalin lenin trotsky".split())
IBID = re.compile(r"^\W*ibid(?:em)?\b", re.I)
OP_CIT = re.compile(r"\bop\.?\s*cit\b", re.I)
YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
LOCATOR = re.compile(r",\s+in\s+|,\s*(?:vol|vols|no|nos|tom|ch|chs|p|pp|pt|part)\b|\d")
BIBWORDS = frozenset(
    "ed eds edn trans see also cited quoted pp no russian english http https www".split()
)
SEGMENT = re.compile(r";|(?<=[a-z0-9)”\"])\.\s+(?=[A-Z“\"])")


def words(text: str) -> list[str]:
    """Lower-case ASCII words: accents dropped, apostrophes joined ("Stalin's" → "stalins")."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.findall(r"[a-z0-9]+", re.sub(r"[’'ʺ`]", "", folded))


def _content(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in STOPWORDS and not t.isdigit() and len(t) > 1]


@dataclass(frozen=True)
class Work:
    """An entry of references.bib as the linker sees it."""

    key: str
    names: tuple[tuple[str, ...], ...]  # surnames of authors and editors; a corporate name whole
    main: tuple[str, ...]  # content words of the main title(s), in order
    sub: frozenset[str]  # content words of subtitles
    years: frozenset[str]
    cited_by: tuple[str, ...]
    corporate: bool  # no personal author or editor
    container: tuple[str, ...] = ()  # words of the booktitle (a chapter's book)
    title: tuple[str, ...] = ()  # words of the whole title (to find the container entry)
    labels: tuple[str, ...] = ()  # the names as references.bib writes them, for the reasons
    short: tuple[
        str, ...
    ] = ()  # words of `shorttitle`: the form a witness cites it by, matched whole

    @property
    def distinct(self) -> frozenset[str]:
        return frozenset(self.main) - GENERIC


def _persons(value: str) -> list[tuple[tuple[str, ...], bool, str]]:
    """(words of the surname, corporate?, the name as written) of each person in an author or editor
    field."""
    people = []
    for name in split_multiple_persons_names(value):
        name = name.strip()
        if name.startswith("{") and name.endswith("}"):
            people.append((tuple(words(name)), True, _plain(name)))
        else:
            last = " ".join(parse_single_name_into_parts(name).last)
            people.append((tuple(words(last)), False, _plain(last)))
    return [p for p in people if p[0]]


def _plain(value: str) -> str:
    return re.sub(r"\\[a-z]+|[{}]", "", value)


def work(record: bibmod.Record) -> Work:
    f = record.fields
    people = [p for role in ("author", "editor") if f.get(role) for p in _persons(f[role])]
    surnames = {w for name, corporate, _ in people if not corporate for w in name}
    titles = [_plain(f[k]) for k in ("maintitle", "title") if f.get(k)]
    main, sub = [], set()
    for title in titles:
        head, _, rest = title.partition(":")
        main += [w for w in _content(words(head)) if w not in surnames and w not in main]
        sub |= set(_content(words(rest))) - surnames
    years = frozenset(YEAR.findall(f.get("date") or f.get("year", "")))
    return Work(
        record.key,
        tuple(n for n, _, _ in people),
        tuple(main),
        frozenset(sub - set(main)),
        years,
        record.cited_by,
        all(corporate for _, corporate, _ in people),
        tuple(words(_plain(f.get("booktitle", "")))),
        tuple(words(_plain(f.get("title", "")))),
        tuple(label for _, _, label in people),
        tuple(words(_plain(f.get("shorttitle", "")))),
    )


def load_works(path: Path = bibmod.BIB) -> tuple[list[Work], list[Problem]]:
    bib, problems = bibmod.load(path, cache_dir=None)
    return [work(r) for r in bib.records.values()], problems


# ---------------------------------------------------------------------------------------------
# Matching one citation's text


@dataclass(frozen=True)
class Match:
    key: str
    evidence: frozenset[str]  # the title words found (empty for op. cit.)
    reason: str


def _has(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


def _runs(content: list[str], main: tuple[str, ...]) -> list[tuple[int, int]]:
    """(position in the text, length) of each run of main-title words the text has in a row."""
    runs = []
    for i in range(len(content)):
        for j in range(len(main)):
            n = 0
            while i + n < len(content) and j + n < len(main) and content[i + n] == main[j + n]:
                n += 1
            if n and any(t not in GENERIC for t in main[j : j + n]):
                runs.append((i, n))
    return runs


def _enough(w: Work, content: list[str], runs: list[tuple[int, int]], after_name: set[int]) -> bool:
    """Two telling title words in a row, the whole main title, or a short title's word after the
    name."""

    def strength(i: int, n: int) -> int:
        return sum(1 for t in content[i : i + n] if t not in GENERIC)

    if any(strength(i, n) >= 2 or n == len(w.main) and content[i] not in WEAK for i, n in runs):
        return True
    telling = [i for i, n in runs if n == 1 and content[i] not in GENERIC | WEAK_AFTER_NAME]
    return len(w.distinct) <= SHORT_TITLE and any(i in after_name for i in telling)


def _skip_generic(content: list[str], i: int) -> int:
    while i < len(content) and content[i] in GENERIC:
        i += 1
    return i


def _evidence(w: Work, tokens: list[str]) -> Match | None:
    if len(w.short) >= 3 and _has(tokens, w.short):  # the whole short title the entry records
        return Match(w.key, frozenset(w.short), f"short title {' '.join(w.short)}")
    content = _content(tokens)
    runs = _runs(content, w.main)
    if not runs:
        return None
    found = sorted({content[i + k] for i, n in runs for k in range(n)} - GENERIC)
    names = [n for n in w.names if _has(tokens, n)]
    label = next((l for n, l in zip(w.names, w.labels) if _has(tokens, n)), "")
    if names:
        after = {
            _skip_generic(content, i + len(n))
            for n in names
            for i in range(len(content))
            if tuple(content[i : i + len(n)]) == n
        }
        if not _enough(w, content, runs, after):
            return None
        more = sorted(w.sub & set(content) - GENERIC)
        return Match(
            w.key, frozenset(found + more), f"{label} + title words {', '.join(found + more)}"
        )
    # A corporate work named by its title alone: most of its telling words, two in a row from its
    # first (or four).
    opening = any(
        content[i] == w.main[0] and sum(1 for t in content[i : i + n] if t not in GENERIC) >= 2
        for i, n in runs
    )
    if (
        w.corporate
        and (opening or len(found) >= 4)
        and len(found) >= max(2, math.ceil(len(w.distinct) * MOST))
    ):
        return Match(w.key, frozenset(found), f"corporate work, title words {', '.join(found)}")
    return None


def match(text: str, works: list[Work], siglum: str | None = None) -> list[Match]:
    """The works a citation names (usually one; a chapter with its book gives two). Ambiguous:
    more."""
    tokens = words(text)
    candidates = [m for m in (_evidence(w, tokens) for w in works) if m]
    if not candidates and OP_CIT.search(text):
        return _op_cit(tokens, works, siglum)
    # A work whose title words are all among another's found words is the weaker reading.
    kept = [m for m in candidates if not any(m.evidence < o.evidence for o in candidates)]
    return _tie_break(kept, {w.key: w for w in works}, set(YEAR.findall(text)), siglum)


def _op_cit(tokens: list[str], works: list[Work], siglum: str | None) -> list[Match]:
    by = [
        w
        for w in works
        if any(_has(tokens, n) for n in w.names) and (siglum is None or siglum in w.cited_by)
    ]
    if len(by) != 1:
        return []
    label = next(l for n, l in zip(by[0].names, by[0].labels) if _has(tokens, n))
    return [
        Match(by[0].key, frozenset(), f"op. cit. of the only work by {label} the witness cites")
    ]


def _tie_break(
    kept: list[Match], by_key: dict[str, Work], years: set[str], siglum: str | None
) -> list[Match]:
    """Equal evidence (same title, two editions): the year named, then the witness's `cited-by:`."""
    groups: dict[frozenset[str], list[Match]] = {}
    for m in kept:
        groups.setdefault(m.evidence, []).append(m)
    out = []
    for group in groups.values():
        for test, why in (
            (lambda m: by_key[m.key].years & years, "year"),
            (lambda m: siglum in by_key[m.key].cited_by, "cited-by"),
        ):
            if len(group) > 1 and 0 < sum(1 for m in group if test(m)) < len(group):
                group = [
                    Match(m.key, m.evidence, f"{m.reason}; {why} decides") for m in group if test(m)
                ]
        out += group
    return out


def resolve(matches: list[Match], by_key: dict[str, Work]) -> tuple[list[Match], str]:
    """One work (plus its container), or nothing with the reason why."""
    if not matches:
        return [], ""
    chapters = [
        m
        for m in matches
        if not any(
            by_key[m.key].title == by_key[o.key].container and by_key[m.key].title for o in matches
        )
    ]
    containers = [m for m in matches if m not in chapters]
    if len(chapters) == 1:
        main = chapters[0]
        return [main] + [
            Match(c.key, c.evidence, f"book containing bib:{main.key}") for c in containers
        ], ""
    return [], "ambiguous: " + " or ".join(f"bib:{m.key}" for m in matches)


# ---------------------------------------------------------------------------------------------
# Proposals for one TEI tree


@dataclass(frozen=True)
class Proposal:
    path: str
    line: int
    kind: str  # "bibl", or "note" (a note that cites without a bibl element: never written)
    text: str
    keys: tuple[str, ...]
    reason: str
    writable: bool
    element: etree._Element | None = field(default=None, compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 90 else self.text[:87] + "…"
        if self.kind == "wrap":
            return f'{self.path}:{self.line}: wrap "{text}" in a bibl ({self.reason})'
        target = " or ".join(f"bib:{k}" for k in self.keys)
        return f'{self.path}:{self.line}: {self.kind} "{text}" → {target} ({self.reason})'


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _note(el: etree._Element) -> etree._Element | None:
    """The witness's note holding el (editorial notes, with @resp, are not the witness's)."""
    for anc in el.iterancestors(teixml.tei("note")):
        if anc.get("resp") is None and anc.getparent() is not None:
            return anc
    return None


def _bib_keys(el: etree._Element) -> list[str]:
    return [t[4:] for t in (el.get("corresp") or "").split() if t.startswith("bib:")]


def _follows(prev: etree._Element | None, note: etree._Element | None, notes: dict) -> bool:
    """Is prev (a bibl) the citation just before a bibl in `note`: same note, or the note just
    before?"""
    if prev is None:
        return False
    prev_note = _note(prev)
    if prev_note is note:
        return True
    if note is None or prev_note is None or notes.get(note, -2) - notes.get(prev_note, -9) != 1:
        return False
    a, b = _number(prev_note), _number(note)
    return not (a.isdigit() and b.isdigit()) or int(b) == int(a) + 1


def _number(note: etree._Element) -> str:
    """The note's own number: printed with the note (label type="note-number") where the marker
    differs, else @n."""
    label = note.find(teixml.tei("label") + "[@type='note-number']")
    return (label.text or "").strip() if label is not None else note.get("n", "")


def _titles_between(root: etree._Element):
    """A test: does an italic title outside any bibl stand between two bibls (a citation left
    unwrapped)?"""
    order = {el: i for i, el in enumerate(root.iter())}
    marks = [
        order[el] for el in root.iter(teixml.tei("hi")) if _is_title(el) and _note(el) is not None
    ]
    return lambda a, b: bisect.bisect_right(marks, order[a]) < bisect.bisect_left(marks, order[b])


def _is_title(el: etree._Element) -> bool:
    if (
        el.tag != teixml.tei("hi")
        or "italic" not in (el.get("rend") or "")
        or any(a.tag == teixml.tei("bibl") for a in el.iterancestors())
    ):
        return False
    text = "".join(el.itertext()).strip()
    return text[:1].isupper() and not IBID.match(text)


def propose(
    root: etree._Element, works: list[Work], siglum: str | None, path: str
) -> list[Proposal]:
    by_key = {w.key: w for w in works}
    notes = {n: i for i, n in enumerate(x for x in teixml.NOTES(root) if x.get("resp") is None)}
    proposals: list[Proposal] = []
    resolved: dict[etree._Element, list[str]] = {}
    previous: dict[bool, etree._Element] = {}
    full: list[tuple[int, tuple[str, ...], str]] = []  # earlier citations linked to one work
    titles = _titles_between(root)
    for bibl in teixml.BIBLS(root):
        in_note = _note(bibl) is not None
        prev = previous.get(in_note)
        previous[in_note] = bibl
        existing, text = _bib_keys(bibl), _text(bibl)
        if IBID.match(text):
            found = (
                resolved.get(prev, [])
                if _follows(prev, _note(bibl), notes) and not titles(prev, bibl)
                else []
            )
            matches = (
                [Match(found[0], frozenset(), f"Ibid. after line {_line(prev)}")]
                if len(found) == 1
                else []
            )
            why = ""
        else:
            matches, why = resolve(match(text, works, siglum), by_key)
            if not matches and not why and not existing:
                matches = _short_form(text, full, by_key)
        resolved[bibl] = existing + [m.key for m in matches if m.key not in existing]
        if len(resolved[bibl]) == 1 and not IBID.match(text):
            full.append((_line(bibl), tuple(_content(words(text))), resolved[bibl][0]))
        proposals += _for_bibl(bibl, text, matches, why, existing, siglum, by_key, path)
    return proposals + _notes_without_bibl(root, works, siglum, path)


def _short_form(text: str, full: list, by_key: dict[str, Work]) -> list[Match]:
    """A later short form of a citation the witness gave in full ("Report of the Court Proceedings,
    5").

    The short form is the citation up to its locator (a number, or ", in" a collection); it must be
    words in a row of one earlier citation linked to one work, two of them more than names and
    bibliographic commonplaces.
    """
    short = tuple(_content(words(LOCATOR.split(text)[0])))

    def telling(key: str) -> int:
        names = {t for n in by_key[key].names for t in n}
        return sum(1 for t in short if t not in names | GENERIC | BIBWORDS)

    keys = {
        (line, key)
        for line, long, key in full
        if telling(key) >= 2 and any(long[i : i + len(short)] == short for i in range(len(long)))
    }
    if len({key for _, key in keys}) != 1:
        return []
    line, key = min(keys)
    return [Match(key, frozenset(short), f"short form of the citation at line {line}")]


def _line(el: etree._Element) -> int:
    """The element's line, or its nearest ancestor's (a bibl wrapped in memory has none yet)."""
    return next((a.sourceline for a in (el, *el.iterancestors()) if a.sourceline), 0)


def _for_bibl(bibl, text, matches, why, existing, siglum, by_key, path) -> list[Proposal]:
    line = _line(bibl)
    if why:
        return [
            Proposal(
                path,
                line,
                "bibl",
                text,
                tuple(why.removeprefix("ambiguous: ").replace("bib:", "").split(" or ")),
                "ambiguous; not written",
                False,
                bibl,
            )
        ]
    out = []
    for m in matches:
        if m.key in existing:
            continue
        reason, ok = m.reason, True
        if existing and not m.reason.startswith("book containing"):
            reason, ok = (
                f"{reason}; not written: the bibl already points "
                f"to {' '.join('bib:' + k for k in existing)}",
                False,
            )
        elif siglum and siglum not in by_key[m.key].cited_by:
            reason, ok = (
                f"{reason}; not written: references.bib does "
                f"not list {siglum} among the witnesses citing it",
                False,
            )
        out.append(Proposal(path, line, "bibl", text, (m.key,), reason, ok, bibl))
    return out


def _notes_without_bibl(root, works, siglum, path) -> list[Proposal]:
    """Citations in notes that have no bibl element: reported for the editors, never written."""
    by_key = {w.key: w for w in works}
    out, last = [], None
    for note in teixml.NOTES(root):
        if note.get("resp") is not None or note.find(".//" + teixml.tei("bibl")) is not None:
            last = None
            continue
        for segment in (s.strip() for s in SEGMENT.split(_text(note))):
            if IBID.match(segment):
                if last:
                    out.append(
                        Proposal(
                            path,
                            note.sourceline or 0,
                            "note",
                            segment,
                            (last,),
                            "Ibid. of the citation before; no bibl element: not written",
                            False,
                        )
                    )
                continue
            found = resolve(match(segment, works, siglum), by_key)[0] or match(
                segment, works, siglum
            )
            for m in found:
                out.append(
                    Proposal(
                        path,
                        note.sourceline or 0,
                        "note",
                        segment,
                        (m.key,),
                        f"{m.reason}; no bibl element: not written",
                        False,
                    )
                )
            last = found[0].key if len(found) == 1 else None
    return out


def apply(proposals: list[Proposal]) -> int:
    """Add the writable proposals' keys to their bibls' @corresp; return how many were added."""
    added = 0
    for p in proposals:
        if not p.writable or p.element is None:
            continue
        tokens = (p.element.get("corresp") or "").split()
        for key in p.keys:
            if f"bib:{key}" not in tokens:
                tokens.append(f"bib:{key}")
                added += 1
        p.element.set("corresp", " ".join(tokens))
    return added


# ---------------------------------------------------------------------------------------------
# Files and the import pipeline


def siglum_of(path: Path) -> str | None:
    from build_scripts.project import witnesses

    return next((w.siglum for w in witnesses.load()[0] if w.tei == path.name), None)


def link_file(
    path: Path,
    works: list[Work],
    write: bool = False,
    siglum: str | None = None,
    wrap: bool = False,
) -> tuple[list[Proposal], list[Problem]]:
    """Proposals for one TEI file; with write, the writable ones applied and the file re-serialized.

    With wrap, the citations of the notes without bibl are first wrapped in bibl elements
    (build_scripts.bib.wrap), reported as proposals of kind "wrap", and linked like the others.
    """
    doc, problems = teixml.parse(path)
    if doc is None:
        return [], problems
    wrapped = wrap_proposals(biblwrap.wrap_tree(doc.getroot()), relpath(path)) if wrap else []
    proposals = wrapped + propose(doc.getroot(), works, siglum or siglum_of(path), relpath(path))
    if write and (apply(proposals) or wrapped):
        path.write_bytes(teixml.serialize(doc.getroot()))
    return proposals, problems


def wrap_proposals(bibls: list[etree._Element], path: str) -> list[Proposal]:
    """The new bibls as lines of the report (writable: written with --write)."""
    return [
        Proposal(path, _line(b), "wrap", _text(b), (), "a citation in a note without bibl", True)
        for b in bibls
    ]


def link_tree(
    root: etree._Element, siglum: str | None, works: list[Work] | None = None
) -> list[Proposal]:
    """The import pipeline's last step: link the bibls of a tree in memory (written proposals
    returned)."""
    if works is None:
        works = load_works()[0]
    proposals = propose(root, works, siglum, "(import)")
    apply(proposals)
    return [p for p in proposals if p.writable]
