"""The sources a witness names for the words it quotes: the reference of its note at a place
(`Sources.reference`) and the language of the works that reference names (`Sources.in_language`).

A witness that quotes a document and cites, there, a work in another language than its own (an
archive file, a newspaper, a collection of resolutions in Russian) gave the document in its own
translation; one that cites a work in its own language quotes a published translation. Whether the
title of a work is in a language is read off a maintained word list (wordfreq): its words are
common words of that language. Nothing here names a witness, a work or a title."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from build_scripts.apparatus.model import Passage

COMMON = 3.0  # wordfreq Zipf frequency from which a word is a common word of a language
TITLE_WORD = re.compile(r"[^\W\d_]{2,}")  # letters only, two or more (no initials, no figures)
# "Ibid." ("ibidem", "ib."), "idem": the reference is that of the note before (the scholarly
# convention of notes, not a title)
SAME_AS_BEFORE = re.compile(r"^\W*(?:ibid(?:em)?|ib|idem)\b", re.IGNORECASE)
# the name a bibliography's language field (biblatex langid) gives a language of a witness
LANGUAGE_NAMES = {"en": "english", "ru": "russian", "fr": "french", "de": "german"}


@functools.lru_cache(maxsize=4096)
def common(word: str, language: str) -> bool:
    """Is `word` a common word of `language` (wordfreq's list of its commonest words)?"""
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word.lower(), language, wordlist="small") >= COMMON
    except LookupError:  # a language wordfreq has no list for
        return False


def in_language(title: str, language: str) -> bool | None:
    """Is a title written in `language`: half of its words or more are common words of it? None
    where it has no word (figures, initials only)."""
    words = TITLE_WORD.findall(title)
    if not words:
        return None
    return 2 * sum(common(w, language) for w in words) >= len(words)


class Sources:
    """The references of each witness (its notes, and the references printed as passages of their
    own after a quotation), in order, and where each note stands.

    `passages`: every passage of the edition (a note comes before the passage it sits in, notes
    in their order); `languages`: siglum → the witness's language (`sources/witnesses.yml`);
    `bibliography`: bibliography key → (its language field or "", its title), for references
    marked with a key, or a function that reads it (called once, when a keyed reference is met)."""

    def __init__(
        self,
        passages: Iterable[Passage],
        languages: Mapping[str, str],
        bibliography: Mapping[str, tuple[str, str]] | Callable[[], Mapping] | None = None,
    ) -> None:
        self.languages = languages
        self._bibliography = bibliography or {}
        self.refs: dict[str, Passage] = {}  # note or reference passage id → the passage
        self.previous: dict[str, str] = {}  # its id → the id of the witness's reference before
        self.body: dict[str, tuple[str, int]] = {}  # passage id → (siglum, its place in the text)
        self.text: dict[str, list[Passage]] = {}  # siglum → its passages other than notes
        last: dict[str, str] = {}
        for p in passages:
            if p.kind in ("note", "bibl"):
                self.refs[p.id] = p
                if p.siglum in last:
                    self.previous[p.id] = last[p.siglum]
                last[p.siglum] = p.id
            if p.kind != "note":
                seq = self.text.setdefault(p.siglum, [])
                self.body[p.id] = (p.siglum, len(seq))
                seq.append(p)

    @property
    def bibliography(self) -> Mapping[str, tuple[str, str]]:
        if callable(self._bibliography):
            self._bibliography = self._bibliography()
        return self._bibliography

    def reference(self, p: Passage, start: int, end: int) -> list[tuple[Passage, int, int]]:
        """The reference that gives the source of p.text[start:end], as bibliographic stretches
        (passage, start, end): that of the first note after those words in their passage, else of
        the passage after it (a reference printed after a quotation, or its first note), else of
        the last note before those words, in their passage or the one before (a note closes the
        sentence or the paragraph it documents). A note without a reference (a comment) is passed
        over; "Ibid." is the reference before."""
        after = [i for i, at in p.notes if at >= end][:1]
        before = [i for i, at in p.notes if at < start][-1:]
        place = self.body.get(p.id)
        if place is not None:
            seq = self.text[place[0]]
            following = seq[place[1] + 1] if place[1] + 1 < len(seq) else None
            if not after and following is not None:
                first = [i for i, _ in following.notes[:1]]
                after = [following.id] if following.kind == "bibl" else first
            if not before and place[1] > 0:
                before = [i for i, _ in seq[place[1] - 1].notes][-1:]
        for ident in after + before:
            found = self._resolved(ident)
            if found:
                return found
        return []

    def _resolved(self, ident: str, depth: int = 0) -> list[tuple[Passage, int, int]]:
        ref = self.refs.get(ident)
        if ref is None or depth > 20:
            return []
        out, before = [], SAME_AS_BEFORE.match(ref.text) is not None
        for a, b in ref.bibls:
            key = ref.work_at(a, b)
            if (key and key in self.bibliography) or not SAME_AS_BEFORE.match(ref.text[a:b]):
                out.append((ref, a, b))
            else:
                before = True
        if before and not out:
            out = self._resolved(self.previous.get(ident, ""), depth + 1)
        return out

    def in_language(self, p: Passage, start: int, end: int, language: str) -> bool | None:
        """Does the reference at p.text[start:end] name a work in `language` (True), only works
        in other languages (False), or none (None)? A keyed reference: its bibliography entry's
        language field, else its title there; else the printed title (italics) of the reference,
        else its words before the first figure (an archive file: "WKP 384, pp. 66-7")."""
        verdicts = []
        for ref, a, b in self.reference(p, start, end):
            key = ref.work_at(a, b)
            field, title = self.bibliography.get(key or "", ("", ""))
            if field:
                verdicts.append(field.lower() in (language, LANGUAGE_NAMES.get(language)))
                continue
            if not title:
                titles = [ref.text[x:y] for x, y in ref.titles if a <= x and y <= b]
                title = " ".join(titles) or re.split(r"\d", ref.text[a:b], maxsplit=1)[0]
            verdicts.append(in_language(title, language))
        known = [v for v in verdicts if v is not None]
        return any(known) if known else None

    def translated(self, p: Passage, start: int, end: int) -> bool:
        """Did the witness translate the words p.text[start:end] quote itself: its reference there
        names works, none of them in the witness's own language?"""
        language = self.languages.get(p.siglum)
        return bool(language) and self.in_language(p, start, end, language) is False

    def published(self, p: Passage, start: int, end: int) -> bool:
        """Does the witness name, there, a work in its own language (a published translation)?"""
        language = self.languages.get(p.siglum)
        return bool(language) and self.in_language(p, start, end, language) is True


def bibliography(path: Path) -> dict[str, tuple[str, str]]:
    """references.bib → key → (language field, title), read by the bibliography stage (`edition
    check` reports its problems; an unreadable file gives no entries)."""
    from build_scripts.bib import bibliography as bib  # most runs never need a keyed reference

    library, _ = bib.load(path, cache_dir=None)
    out = {}
    for key, record in library.records.items():
        language = record.fields.get("langid", "") or record.fields.get("language", "")
        out[key] = (
            language.strip("{}"),
            record.fields.get("title", "").replace("{", "").replace("}", ""),
        )
    return out
