"""tei/*.xml, sources/witnesses.yml, references.bib, the id registry → every problem (`edition check`).

The check is a list of rules (RULES, read top to bottom). Each rule takes the loaded edition and returns
problems; a rule that crashes becomes one `check.crash` problem naming it, so one run always reports
everything it can and never ends in a traceback. All paths come in through `Paths`, so a test can point
the whole check at a small fixture project.
"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from build_scripts import apparatus
from build_scripts.bib import bibliography
from build_scripts.tei import fmt
from build_scripts.site import course_schema, registry
from build_scripts.tei import teixml
from build_scripts.tei import subset as tei_subset
from build_scripts.project import witnesses as manifest
from build_scripts.project.paths import Project
from build_scripts.problems import Location, Problem, relpath
from build_scripts.tei.teixml import NS, XML_ID, local

SUPERSCRIPT_DIGITS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
DECLARED_WITNESSES = etree.XPath("//tei:listWit//tei:witness[@xml:id]", namespaces=NS)
WIT_ATTRIBUTES = etree.XPath("//*[@wit]")
ID_REQUIRED_TAGS = tuple(teixml.tei(name) for name in teixml.ID_REQUIRED)
NOTE_TAG = teixml.tei("note")
BIB_POINTERS = etree.XPath("//*[@*[starts-with(normalize-space(.), 'bib:') or contains(., ' bib:')]]")


# Where the check reads: the project's files by default, a fixture project in tests.
Paths = Project


@dataclass
class Loaded:
    path: Path
    data: bytes
    doc: etree._ElementTree

    @functools.cached_property
    def rel(self) -> str:
        return relpath(self.path)

    def at(self, el: etree._Element) -> Location:
        return Location(self.rel, el.sourceline)


@dataclass
class Edition:
    """What the rules read: every well-formed TEI file, its bytes, and the witness list."""

    paths: Paths
    files: list[Path]
    loaded: list[Loaded] = field(default_factory=list)
    witnesses: list[manifest.Witness] = field(default_factory=list)
    schema: str = "fast"  # fast | full | none
    use_cache: bool = True


def run(files: Iterable[Path] | None = None, schema: str | bool | None = None, paths: Paths | None = None, use_cache: bool = True) -> list[Problem]:
    """Every problem of the edition, sorted by file, line and column. Nothing is raised.

    files limits the report to those files (the cross-file rules still read the whole edition).
    schema: "fast" (subset schema + cache, same verdicts as tei_all), "full" (tei_all, also when the
    environment has CI=true) or "none"; True/False mean the default and "none".
    """
    paths = paths or Paths()
    schema = {True: None, False: "none"}.get(schema, schema) if isinstance(schema, bool) else schema
    schema = schema or ("full" if os.environ.get("CI", "").lower() == "true" else "fast")
    edition = Edition(paths, sorted(paths.tei_dir.glob("*.xml")), schema=schema, use_cache=use_cache)
    problems: list[Problem] = []
    for name, rule in RULES:
        problems += _guarded(name, rule, edition)
    problems = _without_echoes(problems)
    if files is not None:
        wanted = {relpath(f) for f in files}
        problems = [p for p in problems if p.location.path in wanted]
    return sorted(set(problems), key=lambda p: (p.location.path, p.location.line or 0, p.location.column or 0, p.code, p.message))


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """Drop tei_all's "Invalid attribute id" where ids.duplicate already says why (xml:id is an xsd:ID)."""
    duplicates = {(p.location.path, p.location.line) for p in problems if p.code == "ids.duplicate"}
    return [p for p in problems if not (p.code == "tei.invalid" and "Invalid attribute id for" in p.message and (p.location.path, p.location.line) in duplicates)]


def _guarded(name: str, rule: Callable[[Edition], Iterable[Problem]], edition: Edition) -> list[Problem]:
    try:
        return list(rule(edition))
    except Exception as err:  # noqa: BLE001 - a broken rule must not hide the other rules' problems
        where = Location(relpath(edition.paths.tei_dir))
        return [Problem(where, f"the check rule `{name}` crashed: {type(err).__name__}: {err}", "This is a bug in the toolchain, not in your TEI; report it with this line (the other rules ran)", "check.crash")]


# --- rules ---------------------------------------------------------------------------------------
def load_files(edition: Edition) -> list[Problem]:
    """Parse every TEI file (problems: not well-formed, unreadable) and read the witness list."""
    wits, problems = manifest.load(edition.paths.manifest)
    edition.witnesses = wits
    rel = relpath(edition.paths.manifest)
    problems = [replace(p, location=replace(p.location, path=rel)) for p in problems]
    for path in edition.files:
        doc, parse_problems = parse(path)
        problems += parse_problems
        if doc is not None:
            edition.loaded.append(Loaded(path, path.read_bytes(), doc))
    return problems


def parse(path: Path) -> tuple[etree._ElementTree | None, list[Problem]]:
    """teixml.parse, but a duplicate xml:id is left to check_ids (libxml2 would stop parsing at it)."""
    parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False, no_network=True, collect_ids=False)
    try:
        return etree.parse(str(path), parser), []
    except etree.XMLSyntaxError:
        return teixml.parse(path)  # the same error again, as teixml words it


def check_schema(edition: Edition) -> list[Problem]:
    if edition.schema == "none":
        return []
    # --full (and CI) means tei_all itself, now: no cached verdict stands in for it.
    cache = edition.paths.check_cache if edition.use_cache and edition.schema != "full" else None
    problems = []
    for item in edition.loaded:
        problems += tei_subset.validate(item.doc, item.data, item.path, edition.schema == "full", cache)
    return problems


def check_ids(edition: Edition) -> list[Problem]:
    problems, seen = [], {}
    for item in edition.loaded:
        for el in teixml.ALL_IDS(item.doc):
            ident = el.get(XML_ID)
            if ident in seen:
                problems.append(Problem(item.at(el), f'xml:id "{ident}" is already used at {seen[ident]}', "Give this element a new id that no other element of the edition uses (ids are never reused)", "ids.duplicate"))
            else:
                seen[ident] = item.at(el)
        for el in (el for text in teixml.TEXT(item.doc) for el in text.iter(*ID_REQUIRED_TAGS)):
            if not el.get(XML_ID):
                problems.append(Problem(item.at(el), f"<{local(el)}> has no xml:id", "Add the next free id of the scheme in docs/about/encoding.md (e.g. G.c6.p12); never renumber the others", "ids.missing"))
    return problems


def check_targets(edition: Edition) -> list[Problem]:
    problems = []
    ids = {item.path.name: {el.get(XML_ID) for el in teixml.ALL_IDS(item.doc)} for item in edition.loaded}
    # The apparatus rule checks readings' pointers itself, and can say which reading broke.
    skip = ("rdg", "lem")
    for item in edition.loaded:
        for el in teixml.POINTERS(item.doc):
            if local(el) in skip:
                continue
            for attr in ("target", "corresp"):
                for pointer in (el.get(attr) or "").split():
                    problem = _resolve(pointer, item, ids)
                    if problem:
                        problems.append(Problem(item.at(el), f'@{attr}="{pointer}" {problem}', "Point to an existing xml:id (#id in this file, or file.xml#id in another witness), or fix the id", "targets.dangling"))
        for el in teixml.ANOMALIES(item.doc):
            pointer = el.get("corresp", "")
            problem = _resolve(pointer, item, ids)
            if problem:
                problems.append(Problem(item.at(el), f'note anomaly @corresp="{pointer}" {problem}', "Point the anomaly to the xml:id of the note it describes", "targets.dangling"))
    return problems


def _resolve(pointer: str, item: Loaded, ids: dict[str, set[str]]) -> str | None:
    if re.match(r"^[a-z]+:", pointer):
        return None  # an external address (http:, mailto:) or bib:KEY, which the bibliography rule checks
    file, _, ident = pointer.partition("#")
    file = file or item.path.name
    if file not in ids:
        return f'names the file "{file}", which is not a TEI file of the edition'
    if ident and ident not in ids[file]:
        return f'points to "#{ident}", which does not exist in tei/{file}'
    return None


def check_sigla(edition: Edition) -> list[Problem]:
    """@wit="#X" anywhere must name a witness of sources/witnesses.yml (or a <witness xml:id> of a listWit)."""
    known = {w.siglum for w in edition.witnesses}
    for item in edition.loaded:
        known |= {el.get(XML_ID) for el in DECLARED_WITNESSES(item.doc)}
    problems = []
    for item in edition.loaded:
        for el in WIT_ATTRIBUTES(item.doc):
            for token in el.get("wit").split():
                siglum = token.rpartition("#")[2]
                if siglum not in known:
                    problems.append(Problem(item.at(el), f'<{local(el)} wit="{el.get("wit")}"> names witness "{siglum}", which the edition does not have', f"Use one of {', '.join('#' + s for s in sorted(known))}, or add the witness to sources/witnesses.yml", "sigla.unknown"))
    return problems


def check_notes(edition: Edition) -> list[Problem]:
    problems = []
    for item in edition.loaded:
        recorded = {a.get("corresp", "").lstrip("#") for a in teixml.ANOMALIES(item.doc)}
        for note in teixml.NOTES(item.doc):
            if note.get("type") == "unmarked" and note.get("n") is not None and note.get(XML_ID) not in recorded:
                problems.append(Problem(item.at(note), f'note {note.get("n")} ({note.get(XML_ID)}) has no marker in the text and no recorded anomaly', 'Move the note to its marker, or record the missing marker in <list type="note-anomalies"> of the header', "notes.unmarked"))
            if note.get("n") is None and note.get("type") not in ("unnumbered", "table") and note.get("resp") is None:
                problems.append(Problem(item.at(note), f"note {note.get(XML_ID)} has no @n", 'Give the note its printed number as @n, or type="unnumbered" if none is printed', "notes.no-number"))
        problems += _stray_markers(item, recorded)
    return problems


def _stray_markers(item: Loaded, recorded: set[str]) -> list[Problem]:
    """Superscript digits left in running text: a marker whose note was never attached."""
    problems = []
    for text in teixml.TEXT(item.doc):
        for el in text.iter(etree.Element):
            for chunk, inside in ((el.text, el), (el.tail, el.getparent())):
                match = SUPERSCRIPT_DIGITS.search(chunk or "")
                if not match or _in_note(inside):
                    continue
                if _owner_id(el) not in recorded:
                    problems.append(Problem(item.at(el), f'a note marker "{match.group()}" in the text has no note', "Attach the note at this marker (<note n=...>) or, if the witness prints none, record it as an anomaly", "notes.marker-without-note"))
    return problems


def _in_note(el: etree._Element | None) -> bool:
    return el is not None and (el.tag == NOTE_TAG or any(a.tag == NOTE_TAG for a in el.iterancestors()))


def _owner_id(el: etree._Element) -> str | None:
    for node in [el, *el.iterancestors()]:
        if node.get(XML_ID):
            return node.get(XML_ID)
    return None


def check_manifest(edition: Edition) -> list[Problem]:
    """sources/witnesses.yml agrees with the transcriptions' hashes and with each TEI header."""
    problems = []
    rel = relpath(edition.paths.manifest)
    by_file = {item.path.name: item for item in edition.loaded}
    for w in edition.witnesses:
        source = edition.paths.manifest.parent / w.file
        if not source.exists():
            problems.append(Problem(Location(rel), f"witness {w.siglum}: sources/{w.file} does not exist", "Restore the transcription or fix `file:`", "manifest.missing-source"))
        elif manifest.sha256(source) != w.sha256:
            problems.append(Problem(Location(rel), f"witness {w.siglum}: sources/{w.file} does not match its recorded sha256", "Transcriptions are never edited: restore the file from ../shared/seeds (corrections belong in the TEI)", "manifest.sha256"))
        item = by_file.get(w.tei)
        if item is not None:
            problems += _header_problems(item, w)
            problems += _stance_evidence(item, w, rel)
    return problems


def check_excerpts(edition: Edition) -> list[Problem]:
    """Every id that sources/excerpts.yml publishes exists in its witness (a stale id publishes nothing)."""
    path = edition.paths.excerpts
    data, problems = manifest.load_excerpts(path)
    if problems or not data:
        return problems
    by_siglum = {w.siglum: w for w in edition.witnesses}
    loaded = {item.path.name: item for item in edition.loaded}
    for siglum, ids in data.items():
        w = by_siglum.get(siglum)
        item = loaded.get(w.tei) if w else None
        if item is None:
            continue
        known = {el.get(XML_ID) for el in teixml.ALL_IDS(item.doc)}
        for ident in sorted(ids - known, key=lambda i: manifest.excerpt_line(path, i) or 0):
            problems.append(Problem(Location(relpath(path), manifest.excerpt_line(path, ident)), f"{siglum} excerpt {ident} does not exist in tei/{w.tei}", "Replace it with the id of the passage to publish (the ids are the permalink anchors of the site)", "excerpts.unknown-id"))
    return problems


def _stance_evidence(item: Loaded, w: manifest.Witness, rel: str) -> list[Problem]:
    """The passages a witness's stance description rests on must exist (the site links them)."""
    ids = {el.get(XML_ID) for el in teixml.ALL_IDS(item.doc)}
    return [
        Problem(Location(rel), f"witness {w.siglum}: stance_evidence names {ident}, which tei/{w.tei} does not have", "List the xml:id of a passage of that witness that supports the stance description", "manifest.stance-evidence")
        for ident in w.facts.get("stance_evidence", []) or []
        if ident not in ids
    ]


def _header_problems(item: Loaded, w: manifest.Witness) -> list[Problem]:
    problems = []
    root = item.doc.getroot()
    if root.get(XML_ID) != w.siglum:
        problems.append(Problem(item.at(root), f'<TEI xml:id="{root.get(XML_ID)}"> but sources/witnesses.yml gives siglum {w.siglum}', "Make the TEI root id equal to the siglum", "manifest.siglum"))
    for kind, expected in (("sha256", w.sha256), ("source-file", f"sources/{w.file}")):
        found = teixml.SOURCE_IDNO(item.doc, t=kind)
        if not found or (found[0].text or "").strip() != expected:
            where = item.at(found[0]) if found else item.at(root)
            problems.append(Problem(where, f'sourceDesc idno[@type="{kind}"] does not agree with sources/witnesses.yml ({expected})', "Copy the value from sources/witnesses.yml into the header", "manifest.header"))
    titles = teixml.MAIN_TITLE(item.doc)
    if not titles or " ".join("".join(titles[0].itertext()).split()) != " ".join(w.fact("title").split()):
        where = item.at(titles[0]) if titles else item.at(root)
        problems.append(Problem(where, "sourceDesc title does not agree with sources/witnesses.yml", "Make the two titles identical (correct whichever is wrong)", "manifest.header"))
    return problems


def check_format(edition: Edition) -> list[Problem]:
    return [p for item in edition.loaded if (p := fmt.problem_for(item.path, item.data))]


def check_published_ids(edition: Edition) -> list[Problem]:
    current = {item.path.name: registry.ids_in(item.doc) for item in edition.loaded}
    # A file that is not well-formed has no ids now; the parse error is the problem, not each id.
    unreadable = {path.name for path in edition.files} - set(current)
    problems = registry.check(current, edition.paths.tei_dir, edition.paths.registry, edition.paths.redirects)
    return [p for p in problems if not (p.code == "ids.removed" and Path(p.location.path).name in unreadable)]


def check_bibliography(edition: Edition) -> list[Problem]:
    """references.bib: malformed entries, unknown keys, unused entries."""
    if not edition.paths.bib.exists():
        return []
    bib, problems = bibliography.load(edition.paths.bib)
    problems += bibliography.check_keys([item.path for item in edition.loaded], bib, {item.path: item.doc for item in edition.loaded})
    return problems + _unused_entries(edition, bib)


def _unused_entries(edition: Edition, bib) -> list[Problem]:
    """An entry no TEI file cites (bib:KEY) and no witness names as its bibkey, unless kept as `editorial`."""
    used = {w.facts.get("bibkey") for w in edition.witnesses}
    for item in edition.loaded:
        for el in BIB_POINTERS(item.doc):
            used |= {token[4:] for value in el.attrib.values() for token in value.split() if token.startswith("bib:")}
    problems = []
    for key, record in bib.records.items():
        if key not in used and "editorial" not in record.fields.get("keywords", ""):
            problems.append(Problem(Location(relpath(edition.paths.bib), record.line), f"entry {key} is cited by no TEI file", f'Link the citation in the witness to it with corresp="bib:{key}", add `keywords = {{editorial}}` if the edition\'s own text cites it, or remove the entry', "bibliography.unused"))
    return problems


def check_apparatus(edition: Edition) -> list[Problem]:
    """tei/apparatus.xml: pointers, sigla and readings, read against the trees parsed once above."""
    # a file with a duplicate xml:id is one the strict parser rejects: the apparatus reads it as absent
    docs = {item.path.name: item.doc for item in edition.loaded if _ids_unique(item.doc)}
    return apparatus.check(edition.paths.tei_dir, manifest_path=edition.paths.manifest, docs=docs)


def _ids_unique(doc: etree._ElementTree) -> bool:
    ids = [el.get(XML_ID) for el in teixml.ALL_IDS(doc)]
    return len(ids) == len(set(ids))


RULES: list[tuple[str, Callable[[Edition], Iterable[Problem]]]] = [
    ("load", load_files),  # must stay first: the other rules read what it loads
    ("schema", check_schema),
    ("ids", check_ids),
    ("targets", check_targets),
    ("sigla", check_sigla),
    ("notes", check_notes),
    ("manifest", check_manifest),
    ("excerpts", check_excerpts),
    ("format", check_format),
    ("published-ids", check_published_ids),
    ("bibliography", check_bibliography),
    ("apparatus", check_apparatus),
    ("courses", lambda edition: course_schema.check(edition.paths)),  # courses/*.yml
]
