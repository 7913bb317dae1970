"""The tables of a witness in style ocr (sources/import/<siglum>.yml), read into the shapes the
importer uses. What each table means is documented at the top of the witness's file; a table entry
that no longer matches the transcription is reported as a warning at its line there, never applied
silently."""

from __future__ import annotations

from dataclasses import dataclass, field

from build_scripts.importers.tables import Map, Tables

# the two misreadings of punctuation the style knows: (misreading, reading) → kind in the header
PUNCT_KIND = {(".", ","): "comma read as full stop", (",", "."): "full stop read as comma"}


@dataclass(frozen=True)
class WordFix:
    wrong: str
    right: str
    kind: str
    before: str  # the fix applies only after this text ("" everywhere)
    entry: Map


@dataclass(frozen=True)
class PunctFix:
    before: str
    wrong: str
    right: str
    after: str
    entry: Map


@dataclass
class OcrData:
    tables: Tables
    series: dict[str, str] = field(default_factory=dict)  # key → id (K.art)
    series_label: dict[str, str] = field(default_factory=dict)  # key → label
    bib_keys: list[tuple[str, str]] = field(default_factory=list)
    word_fixes: list[WordFix] = field(default_factory=list)
    punct_fixes: list[PunctFix] = field(default_factory=list)
    doubtful: dict[str, str] = field(default_factory=dict)
    quotes: list[tuple[str, str]] = field(default_factory=list)
    inferred_markers: dict[tuple[str, int], str] = field(default_factory=dict)
    bibl_spans: dict[tuple[str, int], list[tuple[str, str]]] = field(default_factory=dict)
    bibl_span_entries: dict[tuple[str, int], Map] = field(default_factory=dict)
    normalisation: list[str] = field(default_factory=list)
    bibkey_self: str = ""  # references.bib key of the first publication (witnesses.yml bibkey)

    @property
    def siglum(self) -> str:
        return self.tables.siglum


def read(tables: Tables, bibkey: str = "") -> OcrData:
    """Raises TableError (file:line) on an entry of the wrong shape."""
    siglum = tables.siglum
    labels = tables.mapping("series", required=True)
    data = OcrData(tables, {k: f"{siglum}.{k}" for k in labels}, labels, bibkey_self=bibkey)
    data.bib_keys = [
        (str(e["words"]), str(e["key"])) for e in tables.entries("bib_keys", ("words", "key"))
    ]
    data.word_fixes = [
        WordFix(str(e["misreading"]), str(e["reading"]), str(e["kind"]), str(e.get("after", "")), e)
        for e in tables.entries("word_fixes", ("misreading", "reading", "kind"), ("after",))
    ]
    for e in tables.entries("punct_fixes", ("before", "misreading", "reading", "after")):
        fix = PunctFix(
            str(e["before"]), str(e["misreading"]), str(e["reading"]), str(e["after"]), e
        )
        if (fix.wrong, fix.right) not in PUNCT_KIND:
            raise tables.fail(
                e,
                f"punctuation fix {fix.wrong!r} → {fix.right!r} is not one the style knows",
                f"Use one of {', '.join(f'{a!r} → {b!r}' for a, b in PUNCT_KIND)}",
            )
        data.punct_fixes.append(fix)
    data.doubtful = tables.mapping("doubtful")
    data.quotes = [
        (str(e["first"]), str(e["last"])) for e in tables.entries("quotes", ("first", "last"))
    ]
    for e in tables.entries("inferred_markers", ("series", "note", "after")):
        data.inferred_markers[(_series(tables, data, e), _note(tables, e))] = str(e["after"])
    for e in tables.entries("bibl_spans", ("series", "note", "spans")):
        spans = e["spans"]
        if not isinstance(spans, list) or not all(
            isinstance(s, list) and len(s) == 2 for s in spans
        ):
            raise tables.fail(
                e,
                "`spans` must list pairs [first words, last words]",
                "Write spans: [[first words, last words], ...]",
            )
        key = (_series(tables, data, e), _note(tables, e))
        data.bibl_spans[key] = [(str(a), str(b)) for a, b in spans]
        data.bibl_span_entries[key] = e
    data.normalisation = tables.texts("normalisation")
    return data


def _series(tables: Tables, data: OcrData, entry: Map) -> str:
    if entry["series"] not in data.series:
        raise tables.fail(
            entry,
            f"unknown note series {entry['series']!r}",
            f"Use one of the keys of `series`: {', '.join(data.series)}",
        )
    return str(entry["series"])


def _note(tables: Tables, entry: Map) -> int:
    if not isinstance(entry["note"], int):
        raise tables.fail(
            entry, f"`note` must be a note number, not {entry['note']!r}", "Write note: 12"
        )
    return entry["note"]
