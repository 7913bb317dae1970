"""references.bib → the edition's bibliography, formatted in Chicago notes-bibliography (18th ed.).

Reading uses bibtexparser v2; formatting goes through pandoc's citeproc (pypandoc-binary) with the
vendored CSL style and locale, in one pandoc run for all entries. The result is cached under
build/bibliography/, keyed by the hash of everything that shapes it, so a rebuild does not start
pandoc.

    bibliography, problems = load()
    for entry in bibliography.formatted():      # sorted as the style sorts them
        entry.key, entry.html, entry.text, entry.cited_by, entry.note_html

Nothing here prints or exits: problems come back as `Problem`s; a pandoc failure raises `Failed`.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from lxml import etree
from lxml import html as lxml_html

from build_scripts.problems import Failed, Location, Problem, relpath
from build_scripts.project import witnesses as manifest
from build_scripts.tei.teixml import ROOT, VENDOR

if TYPE_CHECKING:
    from bibtexparser.library import Library

BIB = ROOT / "references.bib"
CSL_DIR = VENDOR / "csl"
STYLE = CSL_DIR / "chicago-notes-bibliography.csl"
LOCALE = CSL_DIR / "locales-en-US.xml"
CACHE_DIR = ROOT / "build" / "bibliography"
CONVERTER_VERSION = "2"  # bump when to_csl() or the post-processing changes the output

# BibTeX entry type → CSL type; @article is refined by entrysubtype (biblatex convention).
CSL_TYPES = {
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "article": "article-journal",
    "unpublished": "manuscript",
    "misc": "document",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
}
ARTICLE_SUBTYPES = {"newspaper": "article-newspaper", "magazine": "article-magazine"}
LANGUAGES = {"english": "en", "russian": "ru", "french": "fr", "german": "de", "swedish": "sv"}
NAME_ROLES = ("author", "editor", "translator")
PLAIN_FIELDS = {
    "publisher": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "volume": "volume",
    "volumes": "number-of-volumes",
    "pages": "page",
    "number": "issue",
    "series": "collection-title",
    "isbn": "ISBN",
    "doi": "DOI",
    "url": "URL",
    "note": "note",
}
EMPH = re.compile(r"\\emph\{([^{}]*)\}")
TERMINAL_AFTER_TITLE = re.compile(r"([?!](?:</em>|”))[,.]")


@dataclass(frozen=True)
class Entry:
    """One formatted reference: bibliography form (html, text) and first-note form (note_html)."""

    key: str
    html: str
    text: str
    cited_by: tuple[str, ...]
    note_html: str = ""
    note_text: str = ""
    witness: str | None = None
    editorial_note: str = ""


@dataclass(frozen=True)
class Record:
    """One entry of references.bib as written (fields as strings), with its line."""

    key: str
    entry_type: str
    fields: dict[str, str] = field(hash=False)
    line: int

    def _keywords(self, prefix: str) -> tuple[str, ...]:
        words = [w.strip() for w in self.fields.get("keywords", "").split(",")]
        return tuple(w.removeprefix(prefix) for w in words if w.startswith(prefix))

    @property
    def cited_by(self) -> tuple[str, ...]:
        return self._keywords("cited-by:")

    @property
    def witness(self) -> str | None:
        return next(iter(self._keywords("witness:")), None)


class Bibliography:
    def __init__(
        self,
        path: Path,
        source: str,
        records: dict[str, Record],
        cache_dir: Path | None = CACHE_DIR,
    ):
        self.path, self.source, self.records, self.cache_dir = path, source, records, cache_dir

    def __contains__(self, key: str) -> bool:
        return key in self.records

    def __len__(self) -> int:
        return len(self.records)

    def formatted(self, keys: list[str] | None = None) -> list[Entry]:
        """The entries (all, or those of `keys` that exist) in the style's order."""
        entries = self._all_formatted()
        if keys is None:
            return entries
        wanted = set(keys)
        return [e for e in entries if e.key in wanted]

    def _all_formatted(self) -> list[Entry]:
        if not hasattr(self, "_entries"):
            self._entries = _cached_render(self)
        return self._entries

    def unprintable(self) -> list[Problem]:
        """Entries the style prints as nothing (e.g. a manuscript without an archive)."""
        return [
            Problem(
                Location(relpath(self.path), self.records[e.key].line),
                f"entry {e.key} formats as an empty reference",
                "Give it the fields the style needs (a publisher, or another entry type)",
                "bibliography.unprintable",
            )
            for e in self._all_formatted()
            if not e.text
        ]


# ---------------------------------------------------------------------------------------------
# Reading and checking


def load(
    path: Path = BIB, cache_dir: Path | None = CACHE_DIR
) -> tuple[Bibliography, list[Problem]]:
    """Read references.bib; every syntax error, duplicate key or missing field becomes a Problem."""
    rel = relpath(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return Bibliography(path, "", {}, cache_dir), [
            Problem(
                Location(rel),
                f"cannot read the bibliography: {err}",
                "Check that references.bib exists and is UTF-8",
                "bibliography.unreadable",
            )
        ]
    import bibtexparser  # imported here: a pack whose references are cached needs no parse

    library = bibtexparser.parse_string(source)
    records = {
        e.key: Record(
            e.key,
            e.entry_type.lower(),
            {k.lower(): f.value for k, f in e.fields_dict.items()},
            e.start_line + 1,
        )
        for e in library.entries
    }
    beside = path.parent / "sources" / "witnesses.yml"  # the manifest of the file's project
    sigla = tuple(w.siglum for w in manifest.load(beside if beside.is_file() else None)[0])
    problems = _failed_blocks(library, rel) + [
        p for r in records.values() for p in _check_record(r, rel, sigla)
    ]
    return Bibliography(path, source, records, cache_dir), problems


def _failed_blocks(library: Library, rel: str) -> list[Problem]:
    from bibtexparser.model import DuplicateBlockKeyBlock

    problems = []
    for block in library.failed_blocks:
        line = Location(rel, block.start_line + 1)
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append(
                Problem(
                    line,
                    f"the key {block.key} is used by an earlier entry",
                    "Give each entry its own key (authorYEARword)",
                    "bibliography.duplicate-key",
                )
            )
        else:
            reason = next(iter(str(block.error or "").splitlines()), "") or "unparsable block"
            problems.append(
                Problem(
                    line,
                    f"this entry cannot be read: {reason}",
                    "Check its braces, commas and quotation marks",
                    "bibliography.syntax",
                )
            )
    return problems


def _check_record(record: Record, rel: str, sigla: tuple[str, ...]) -> list[Problem]:
    where, f = Location(rel, record.line), record.fields
    missing = [
        name
        for name, present in (
            ("author or editor", f.get("author") or f.get("editor")),
            ("title", f.get("title")),
            ("year", f.get("year") or f.get("date")),
        )
        if not present
    ]
    problems = (
        [
            Problem(
                where,
                f"entry {record.key} has no {', '.join(missing)}",
                "Add the missing field (a corporate author goes in double braces)",
                "bibliography.missing-field",
            )
        ]
        if missing
        else []
    )
    unknown = [
        s for s in record.cited_by + ((record.witness,) if record.witness else ()) if s not in sigla
    ]
    if unknown:
        problems.append(
            Problem(
                where,
                f"entry {record.key} names unknown sigla {', '.join(unknown)} in keywords",
                f"Use the sigla {', '.join(sigla)} (sources/witnesses.yml)",
                "bibliography.unknown-siglum",
                "warning",
            )
        )
    return problems


def check_keys(
    tei_paths: list[Path], bibliography: Bibliography | None = None, docs: dict | None = None
) -> list[Problem]:
    """Problems of references.bib, plus every `bib:KEY` in the TEI that references.bib lacks.
    `docs`: path → tree already parsed by the caller (`edition check`), not parsed again."""
    problems: list[Problem] = []
    if bibliography is None:
        bibliography, problems = load()
    for path in tei_paths:
        doc = (docs or {}).get(path)
        if doc is None:
            try:
                doc = etree.parse(
                    str(path), etree.XMLParser(resolve_entities=False, no_network=True)
                )
            except (OSError, etree.XMLSyntaxError):
                continue  # reported by `edition check` (xml.not-well-formed)
        for el in doc.iter(tag=etree.Element):
            for value in el.attrib.values():
                for token in value.split():
                    if token.startswith("bib:") and token[4:] not in bibliography:
                        problems.append(
                            _unknown_key(
                                token[4:], Location(relpath(path), el.sourceline), bibliography
                            )
                        )
    return problems


def _unknown_key(key: str, where: Location, bibliography: Bibliography) -> Problem:
    close = difflib.get_close_matches(key, bibliography.records, n=1)
    hint = (
        f"Did you mean bib:{close[0]}? Otherwise add an entry {key} to references.bib"
        if close
        else f"Add an entry {key} to references.bib, or correct the key"
    )
    return Problem(where, f"bib:{key} is not in references.bib", hint, "bibliography.unknown-key")


# ---------------------------------------------------------------------------------------------
# BibTeX → CSL JSON


def _clean(value: str) -> str:
    """BibTeX markup → CSL rich text: \\emph → <i>, escaped & kept, protective braces dropped."""
    value = EMPH.sub(r"<i>\1</i>", value.replace("\\&", "&"))
    return " ".join(value.replace("{", "").replace("}", "").split())


def _names(value: str) -> list[dict]:
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    people = []
    for name in split_multiple_persons_names(value):
        name = name.strip()
        if name.startswith("{") and name.endswith("}"):
            people.append({"literal": _clean(name)})
            continue
        parts = parse_single_name_into_parts(name)
        person = {"family": _clean(" ".join(parts.last)), "given": _clean(" ".join(parts.first))}
        if parts.von:
            person["non-dropping-particle"] = " ".join(parts.von)
        if parts.jr:
            person["suffix"] = " ".join(parts.jr)
        people.append({k: v for k, v in person.items() if v})
    return people


def _date(value: str) -> dict:
    """YYYY, YYYY-MM-DD or a range YYYY/YYYY → CSL date-parts."""
    return {"date-parts": [[int(p) for p in part.split("-")] for part in value.split("/")]}


def _nocase(value: str) -> str:
    # Titles are written in references.bib as they are to be printed: stop the style re-casing them.
    return f'<span class="nocase">{_clean(value)}</span>'


def to_csl(record: Record) -> dict:
    f = record.fields
    kind = CSL_TYPES.get(record.entry_type, "book")
    if record.entry_type == "article":
        kind = ARTICLE_SUBTYPES.get(f.get("entrysubtype", ""), kind)
    item: dict = {"id": record.key, "type": kind}
    for role in NAME_ROLES:
        if f.get(role):
            item[role] = _names(f[role])
    if f.get("maintitle"):
        item["title"], item["volume-title"] = _nocase(f["maintitle"]), _nocase(f.get("title", ""))
    elif f.get("title"):
        item["title"] = _nocase(f["title"])
    container = f.get("booktitle") or f.get("journaltitle") or f.get("journal")
    if container:
        item["container-title"] = _nocase(container)
    for name, csl in PLAIN_FIELDS.items():
        if f.get(name):
            item[csl] = _clean(f[name])
    if f.get("edition"):
        item["edition"] = _clean(f["edition"])
    if f.get("langid"):
        item["language"] = LANGUAGES.get(f["langid"].lower(), f["langid"])
    if f.get("date") or f.get("year"):
        item["issued"] = _date(f.get("date") or f["year"])
    return item


# ---------------------------------------------------------------------------------------------
# Formatting: one pandoc run, cached


def _pandoc() -> str:
    import pypandoc  # imported here: only formatting needs it

    return pypandoc.get_pandoc_path()


def _cache_key(bib: Bibliography) -> str:
    digest = hashlib.sha256()
    for part in (
        bib.source.encode(),
        STYLE.read_bytes(),
        LOCALE.read_bytes(),
        CONVERTER_VERSION.encode(),
        _pandoc().encode(),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:32]


def _cache_file(bib: Bibliography) -> Path | None:
    return bib.cache_dir / f"{_cache_key(bib)}.json" if bib.cache_dir else None


def _from_cache(cache: Path | None) -> list[Entry] | None:
    if cache and cache.exists():
        try:
            return [
                Entry(**{**d, "cited_by": tuple(d["cited_by"])})
                for d in json.loads(cache.read_text(encoding="utf-8"))
            ]
        except (ValueError, TypeError, KeyError):
            pass  # a damaged cache file is rebuilt
    return None


def formatted(keys: list[str], path: Path = BIB, cache_dir: Path | None = CACHE_DIR) -> list[Entry]:
    """The formatted entries of `keys` (as `load(path)[0].formatted(keys)`), read from the cache
    without parsing references.bib when the file, the style and the converter are unchanged."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    entries = _from_cache(_cache_file(Bibliography(path, source, {}, cache_dir)))
    if entries is None:
        return load(path, cache_dir)[0].formatted(keys)
    wanted = set(keys)
    return [e for e in entries if e.key in wanted]


def _cached_render(bib: Bibliography) -> list[Entry]:
    cache = _cache_file(bib)
    entries = _from_cache(cache)
    if entries is not None:
        return entries
    entries = render(bib)
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob("*.json"):
            old.unlink()
        cache.write_text(
            json.dumps([e.__dict__ for e in entries], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    return entries


def style_with_locale() -> bytes:
    """The vendored style with the vendored en-US locale embedded as its fallback locale.

    pandoc reads no external locale files; a <locale> without xml:lang in the style ranks below the
    style's own `en` overrides and above pandoc's built-in locale, as an external en-US file would.
    """
    style = etree.parse(str(STYLE))
    locale = etree.parse(str(LOCALE)).getroot()
    for info in locale.findall("{*}info"):
        locale.remove(info)
    locale.attrib.pop("{http://www.w3.org/XML/1998/namespace}lang", None)
    locale.attrib.pop("version", None)
    first = style.getroot().find("{*}locale")
    first.addprevious(locale)
    return etree.tostring(style, xml_declaration=True, encoding="utf-8")


def render(bib: Bibliography) -> list[Entry]:
    """Run pandoc once over all entries: bibliography (nocite) plus one footnote citation per
    key."""
    keys = list(bib.records)
    document = '---\nnocite: "@*"\n---\n\n' + "".join(f"[@{k}]\n\n" for k in keys)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "refs.json").write_text(
            json.dumps([to_csl(bib.records[k]) for k in keys], ensure_ascii=False), encoding="utf-8"
        )
        (Path(tmp) / "style.csl").write_bytes(style_with_locale())
        done = subprocess.run(
            [
                _pandoc(),
                "--from=markdown",
                "--to=html",
                "--wrap=none",
                "--citeproc",
                "--csl=style.csl",
                "--bibliography=refs.json",
                "--metadata=lang:en-US",
            ],
            input=document,
            cwd=tmp,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
    if done.returncode != 0:
        raise Failed(
            [
                Problem(
                    Location(relpath(bib.path)),
                    f"pandoc failed: {done.stderr.strip()[:300]}",
                    "Check the entries named in the message",
                    "bibliography.pandoc",
                )
            ]
        )
    return _parse_output(done.stdout, keys, bib)


def _parse_output(output: str, keys: list[str], bib: Bibliography) -> list[Entry]:
    tree = lxml_html.fromstring(f"<div>{output}</div>")
    notes = {}
    for index, item in enumerate(tree.xpath("//section[@id='footnotes']//li")):
        for back in item.xpath(".//a[contains(@class, 'footnote-back')]"):
            back.drop_tree()
        paragraph = item.find("p") if item.find("p") is not None else item
        notes[keys[index]] = _inner(paragraph)
    entries = []
    divs = {
        div.get("id").removeprefix("ref-"): div
        for div in tree.xpath("//div[@id='refs']/div[contains(@class, 'csl-entry')]")
    }
    for key in _chicago_order(list(divs), bib):
        div, record = divs[key], bib.records[key]
        body = _inner(div)
        if record.fields.get("addendum") and body:
            body = f"{body} {_addendum(record.fields['addendum'])}"
        note = notes.get(key, "")
        entries.append(
            Entry(
                key,
                body,
                _text(body),
                record.cited_by,
                note,
                _text(note),
                record.witness,
                " ".join(record.fields.get("note", "").split()),
            )
        )
    return entries


def _chicago_order(keys: list[str], bib: Bibliography) -> list[str]:
    """The style's order, with works by the same authors alphabetized by title ignoring A, An, The.

    citeproc compares titles as written, so "The Prophet Outcast" would follow "Stalin"; Chicago
    alphabetizes a run of works by the same author by title, initial articles ignored.
    """

    def creators(key: str) -> str:
        fields = bib.records[key].fields
        return fields.get("author") or fields.get("editor", "")

    def title(key: str) -> str:
        fields = bib.records[key].fields
        words = _clean(fields.get("maintitle") or fields.get("title", "")).lstrip("“\"'‘").split()
        return " ".join(
            words[1:] if words and words[0].lower() in ("a", "an", "the") else words
        ).lower()

    ordered, start = [], 0
    for end in range(1, len(keys) + 1):
        if end == len(keys) or creators(keys[end]) != creators(keys[start]):
            ordered += sorted(
                keys[start:end], key=title
            )  # sorted() is stable: equal titles keep the style's order
            start = end
    return ordered


def _inner(el: etree._Element) -> str:
    """Inner HTML of an element, without the bare or nocase <span>s citeproc leaves behind."""
    for span in el.xpath(".//span[not(@*) or @class='nocase']"):
        span.drop_tag()
    text = html.escape(el.text or "", quote=False) + "".join(
        etree.tostring(c, encoding="unicode", method="html") for c in el
    )
    # A title ending in ? or ! takes no further comma or period, even outside the italics.
    return TERMINAL_AFTER_TITLE.sub(r"\1", " ".join(text.split()))


def _addendum(value: str) -> str:
    escaped = (
        html.escape(_clean(value), quote=False)
        .replace("&lt;i&gt;", "<em>")
        .replace("&lt;/i&gt;", "</em>")
    )
    return escaped.replace("'", "’")


def _text(fragment: str) -> str:
    return (
        " ".join(lxml_html.fromstring(f"<p>{fragment}</p>").text_content().split())
        if fragment
        else ""
    )
