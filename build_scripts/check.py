"""tei/*.xml, sources/witnesses.yml, references.bib, the id registry → every problem
(`edition check`).

The check is a list of rules (RULES, read top to bottom). Each rule takes the loaded edition and
returns problems; a rule that crashes becomes one `check.crash` problem naming it, so one run always
reports everything it can and never ends in a traceback. All paths come in through `Paths`, so a
test can point the whole check at a small fixture project.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from lxml import etree

from build_scripts import apparatus
from build_scripts.bib import bibliography
from build_scripts.tei import fmt
from build_scripts.site import course_schema, registry
from build_scripts.tei import teixml
from build_scripts.tei import odd
from build_scripts.tei import subset as tei_subset
from build_scripts.project import witnesses as manifest
from build_scripts.project.paths import Project
from build_scripts.problems import Location, Problem, relpath
from build_scripts.tei.teixml import NS, XML_ID, local

SUPERSCRIPT_DIGITS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
DECLARED_WITNESSES = etree.XPath("//tei:listWit//tei:witness[@xml:id]", namespaces=NS)
WIT_ATTRIBUTES = etree.XPath("//*[@wit]")
NOTE_TAG = teixml.tei("note")
RESPONSIBILITY = etree.XPath("//*[@resp or @who]")
BIB_POINTERS = etree.XPath(
    "//*[@*[starts-with(normalize-space(.), 'bib:') or contains(., ' bib:')]]"
)


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
    broken: dict[str, Problem] = field(default_factory=dict)  # file → its root problem
    use_cache: bool = True


def run(
    files: Iterable[Path] | None = None,
    schema: str | bool | None = None,
    paths: Paths | None = None,
    use_cache: bool = True,
) -> list[Problem]:
    """Every problem of the edition, sorted by file, line and column. Nothing is raised.

    files limits the report to those files (the cross-file rules still read the whole edition).
    schema: "fast" (subset schema + cache, same verdicts as tei_all), "full" (tei_all, also when the
    environment has CI=true) or "none"; True/False mean the default and "none".
    """
    paths = paths or Paths()
    schema = {True: None, False: "none"}.get(schema, schema) if isinstance(schema, bool) else schema
    schema = schema or ("full" if os.environ.get("CI", "").lower() == "true" else "fast")
    edition = Edition(
        paths, sorted(paths.tei_dir.glob("*.xml")), schema=schema, use_cache=use_cache
    )
    problems: list[Problem] = []
    for name, rule in RULES:
        problems += _guarded(name, rule, edition)
    problems = _root_causes(_without_echoes(problems), edition)
    if files is not None:
        wanted = {relpath(f) for f in files}
        problems = [p for p in problems if p.location.path in wanted]
    return problems


def _order(p: Problem) -> tuple:
    return (p.location.path, p.location.line or 0, p.location.column or 0, p.code, p.message)


# What a problem that follows from a broken file is called in the one-line summary.
CONSEQUENCES = {
    "apparatus.pointer": ("apparatus pointer", "apparatus pointers", " into {rel}"),
    "apparatus.reading-changed": ("apparatus reading", "apparatus readings", " of {rel}"),
    "targets.dangling": ("cross-reference", "cross-references", " into {rel}"),
    "ids.removed": ("published id", "published ids", " of {rel}"),
    "bibliography.unused": (
        "bibliography entry",
        "bibliography entries",
        " perhaps cited in {rel}",
    ),
    "sigla.unknown": ("witness siglum", "witness sigla", ""),
    "excerpts.unknown-id": ("excerpt id", "excerpt ids", ""),
    "manifest.header": ("header comparison", "header comparisons", ""),
    "manifest.siglum": ("header comparison", "header comparisons", ""),
    "manifest.stance-evidence": ("stance evidence id", "stance evidence ids", ""),
    "fmt.non-canonical": ("layout problem", "layout problems", " of {rel}"),
    "course.unknown-witness": ("course passage", "course passages", " of {rel}"),
    "bibliography.unknown-siglum": ("bibliography siglum", "bibliography sigla", ""),
}
MANIFEST_DEPENDENT = (
    "sigla.",
    "apparatus.",
    "manifest.",
    "excerpts.",
    "bibliography.unused",
    "bibliography.unknown-siglum",
    "course.unknown-witness",
)


def _root_causes(problems: list[Problem], edition: Edition) -> list[Problem]:
    """One message per mistake: each root problem (a file that cannot be read, a duplicate id, a
    broken witness list) comes first, followed by one line counting the problems that merely follow
    from it (which would otherwise flood the report with wrong advice); then every other problem,
    sorted."""
    roots = {path: root for path, root in edition.broken.items() if root in problems}
    manifest_rel = relpath(edition.paths.manifest)
    unparsed = {
        path for path, root in roots.items() if root.code not in ("ids.duplicate", "xml.doctype")
    }
    followers: dict[str, list[Problem]] = {path: [] for path in roots}
    sigla = {w.tei: w.siglum for w in edition.witnesses}
    rest = []
    for problem in set(problems):
        owner = (
            None
            if problem.code in ROOT_CODES
            else _cause(problem, roots, unparsed, manifest_rel, sigla)
        )
        if owner is None:
            rest.append(problem)
        else:
            followers[owner].append(problem)
    rest = [p for p in rest if p not in roots.values()]
    report = []
    for path, root in sorted(roots.items(), key=lambda kv: _order(kv[1])):
        report.append(root)
        if followers[path]:
            report.append(_summary(root, followers[path]))
    return report + sorted(rest, key=_order)


def _cause(
    problem: Problem,
    roots: dict[str, Problem],
    unparsed: set[str],
    manifest_rel: str,
    sigla: dict[str, str],
) -> str | None:
    if manifest_rel in roots and problem.code.startswith(MANIFEST_DEPENDENT):
        return manifest_rel
    for rel in roots:
        if rel == manifest_rel:
            continue
        name = Path(rel).name
        if problem.location.path == rel and problem.code in ("ids.removed", "fmt.non-canonical"):
            return rel
        if problem.code == "bibliography.unused" and rel in unparsed:
            return rel
        if (
            problem.location.path != rel
            and problem.code in CONSEQUENCES
            and re.search(rf"(?<![\w.-]){re.escape(name)}\b", problem.message)
        ):
            return rel
        siglum = sigla.get(name)
        if (
            problem.code.startswith("course.")
            and rel in unparsed
            and siglum
            and f"witness '{siglum}'" in problem.message
        ):
            return rel
    return None


def _summary(root: Problem, followers: list[Problem]) -> Problem:
    """'54 apparatus pointers into tei/e.xml and 6 bibliography entries … are not checked until it
    parses'."""
    counts: dict[tuple[str, str, str], int] = {}
    for problem in followers:
        label = CONSEQUENCES.get(problem.code, ("other problem", "other problems", ""))
        counts[label] = counts.get(label, 0) + 1
    manifest_root = root.code.startswith("manifest.")
    parts = [
        f"{n} {one if n == 1 else many}"
        f"{'' if manifest_root else where.format(rel=root.location.path)}"
        for (one, many, where), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    until = "is fixed" if root.code in ("ids.duplicate", "xml.doctype") else "can be read"
    verb = "is" if len(followers) == 1 else "are"
    return Problem(
        Location(root.location.path),
        f"{text} {verb} not checked until it {until}",
        "Fix the problem above; `edition check` then checks them again",
        "check.not-checked",
        "warning",
    )


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """Drop tei_all's "Invalid attribute id" where ids.duplicate already says why (xml:id is an
    xsd:ID)."""
    duplicates = {(p.location.path, p.location.line) for p in problems if p.code == "ids.duplicate"}
    return [
        p
        for p in problems
        if not (
            p.code == "tei.invalid"
            and "Invalid attribute id for" in p.message
            and (p.location.path, p.location.line) in duplicates
        )
    ]


def _guarded(
    name: str, rule: Callable[[Edition], Iterable[Problem]], edition: Edition
) -> list[Problem]:
    try:
        return list(rule(edition))
    except Exception as err:  # noqa: BLE001 - a broken rule must not hide the other rules' problems
        where = Location(relpath(edition.paths.tei_dir))
        return [
            Problem(
                where,
                f"the check rule `{name}` crashed: {type(err).__name__}: {err}",
                "This is a bug in the toolchain, not in your TEI; "
                "report it with this line (the other rules ran)",
                "check.crash",
            )
        ]


# --- rules ---------------------------------------------------------------------------------------
def load_files(edition: Edition) -> list[Problem]:
    """Read the witness list and parse every TEI file. Each file that cannot be read as a TEI master
    (missing, empty, not UTF-8, not well-formed) gives one root problem, recorded in edition.broken
    so that the problems which merely follow from it are summarised, not listed one by one."""
    problems = _manifest_problems(edition)
    for problem in problems:
        edition.broken.setdefault(problem.location.path, problem)
    sigla = {w.tei: w.siglum for w in edition.witnesses}
    for path in _expected_files(edition):
        root = _unreadable(path, sigla.get(path.name, "SIGLUM"))
        doc = None
        if root is None:
            doc, parse_problems = parse(path)
            root = parse_problems[0] if parse_problems else None
        if root is not None:
            edition.broken.setdefault(root.location.path, root)
            problems.append(root)
            continue
        item = Loaded(path, path.read_bytes(), doc)
        for problem in _prolog_problems(item):
            edition.broken.setdefault(item.rel, problem)
            problems.append(problem)
        edition.loaded.append(item)
    return problems


# A problem with one of these codes is a root: what follows from it is summarised in one line.
ROOT_CODES = frozenset(
    {
        "manifest.unreadable",
        "manifest.missing-key",
        "manifest.empty",
        "tei.missing",
        "xml.empty",
        "xml.not-utf8",
        "xml.not-well-formed",
        "xml.unreadable",
        "ids.duplicate",
        "xml.doctype",
    }
)
MANIFEST_FIX = "the comment at the top of the file says what each entry needs"


def _manifest_problems(edition: Edition) -> list[Problem]:
    """sources/witnesses.yml read once: a missing, empty, non-UTF-8 or malformed file is one
    problem."""
    path, rel = edition.paths.manifest, relpath(edition.paths.manifest)
    try:
        data = path.read_bytes()
    except OSError as err:
        return [
            Problem(
                Location(rel),
                f"cannot read the witness list: {err.strerror}",
                f"Restore it from git (git checkout -- {rel})",
                "manifest.unreadable",
            )
        ]
    bad = _not_utf8(path, data, "the witness list")
    if bad:
        return [replace(bad, code="manifest.unreadable")]
    if not data.strip():
        return [
            Problem(
                Location(rel, 1),
                "the witness list is empty",
                f"Restore it from git (git checkout -- {rel})",
                "manifest.empty",
            )
        ]
    wits, problems = manifest.load(path)
    problems = [replace(p, location=replace(p.location, path=rel)) for p in problems]
    if not problems:
        parsed = yaml.safe_load(data)
        entries = parsed.get("witnesses") if isinstance(parsed, dict) else None
        if not isinstance(entries, list) or not entries:
            problems = [
                Problem(
                    Location(rel, 1),
                    "the witness list has no `witnesses:` list of entries",
                    "Write `witnesses:` at the start of a line and each witness below it as "
                    f"`- siglum: ...` (check the indentation); {MANIFEST_FIX}",
                    "manifest.unreadable",
                )
            ]
    edition.witnesses = wits
    return problems


def _expected_files(edition: Edition) -> list[Path]:
    """Every TEI file in tei/, and every one the witness list names (a deleted file is a
    problem)."""
    named = [edition.paths.tei_dir / w.tei for w in edition.witnesses]
    edition.files = sorted(set(edition.files) | set(named))
    return edition.files


def _unreadable(path: Path, siglum: str) -> Problem | None:
    rel = relpath(path)
    if not path.exists():
        return Problem(
            Location(rel),
            f"{rel} does not exist, but sources/witnesses.yml names it",
            f"Restore it (git checkout -- {rel}), or re-create it with `edition import {siglum}`",
            "tei.missing",
        )
    try:
        data = path.read_bytes()
    except OSError as err:
        return Problem(
            Location(rel),
            f"cannot read the file: {err.strerror}",
            "Check that the file exists and is readable",
            "xml.unreadable",
        )
    if not data.strip():
        return Problem(
            Location(rel, 1),
            "the file is empty",
            f"Restore it from git (git checkout -- {rel})",
            "xml.empty",
        )
    return _not_utf8(path, data, "the file")


def _not_utf8(path: Path, data: bytes, what: str) -> Problem | None:
    """A master file is UTF-8 (and, if it declares an encoding, declares UTF-8)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return Problem(
            Location(relpath(path), line),
            f"{what} is not UTF-8 text (byte 0x{data[err.start]:02x} on this line)",
            "Save it as UTF-8 (your editor's 'Save with encoding', or iconv -f cp1252 -t utf-8)",
            "xml.not-utf8",
        )
    declared = re.match(rb"<\?xml[^>]*encoding=[\"']([^\"']+)", data)
    name = declared.group(1).decode("ascii", "replace") if declared else "UTF-8"
    if name.lower().replace("_", "-") not in ("utf-8", "utf8"):
        return Problem(
            Location(relpath(path), 1),
            f'{what} declares encoding="{name}"',
            'Save it as UTF-8 and write encoding="UTF-8" in the XML declaration',
            "xml.not-utf8",
        )
    return None


def _prolog_problems(item: Loaded) -> list[Problem]:
    """No DOCTYPE and no entity declarations in a master file: entities are never resolved (a
    reference would silently lose its text), and a DTD is not how TEI is validated here."""
    info = item.doc.docinfo
    if not (info.doctype or info.internalDTD is not None):
        return []
    line = next(
        (n for n, text in enumerate(item.data.splitlines(), 1) if b"<!DOCTYPE" in text), None
    )
    return [
        Problem(
            Location(item.rel, line),
            "the file has a DOCTYPE declaration (entities are never resolved in a master file)",
            "Delete the <!DOCTYPE ...> declaration and write each character itself (UTF-8) "
            "instead of an &entity; reference; the schema is named by <?xml-model?>",
            "xml.doctype",
        )
    ]


def parse(path: Path) -> tuple[etree._ElementTree | None, list[Problem]]:
    """teixml.parse, but a duplicate xml:id is left to check_ids (libxml2 would stop parsing at
    it)."""
    parser = etree.XMLParser(
        remove_blank_text=False, resolve_entities=False, no_network=True, collect_ids=False
    )
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
        problems += tei_subset.validate(
            item.doc, item.data, item.path, edition.schema == "full", cache
        )
    return problems


def check_rules(edition: Edition) -> list[Problem]:
    """The project's rules written as Schematron in schema/edition.odd (ids required, note numbers,
    choice pairs, editorial notes' @resp): the same rules the editors' XML editor runs as they
    type."""
    cache = edition.paths.check_cache if edition.use_cache else None
    return [
        p for item in edition.loaded for p in odd.validate(item.doc, item.data, item.path, cache)
    ]


def check_ids(edition: Edition) -> list[Problem]:
    problems, seen = [], {}
    for item in edition.loaded:
        for el in teixml.ALL_IDS(item.doc):
            ident = el.get(XML_ID)
            if ident in seen:
                problems.append(
                    Problem(
                        item.at(el),
                        f'xml:id "{ident}" is already used at {seen[ident]}',
                        "Give this element a new id that no other element "
                        "of the edition uses (ids are never reused)",
                        "ids.duplicate",
                    )
                )
                edition.broken.setdefault(item.rel, problems[-1])
            else:
                seen[ident] = item.at(el)
    return problems


def check_targets(edition: Edition) -> list[Problem]:
    problems = []
    ids = {
        item.path.name: {el.get(XML_ID) for el in teixml.ALL_IDS(item.doc)}
        for item in edition.loaded
    }
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
                        problems.append(
                            Problem(
                                item.at(el),
                                f'@{attr}="{pointer}" {problem}',
                                "Point to an existing xml:id (#id in this file, "
                                "or file.xml#id in another witness), or fix the id",
                                "targets.dangling",
                            )
                        )
        for el in RESPONSIBILITY(item.doc):
            for attr in ("resp", "who"):
                for pointer in (el.get(attr) or "").split():
                    problem = _resolve(pointer, item, ids)
                    if problem:
                        problems.append(
                            Problem(
                                item.at(el),
                                f'@{attr}="{pointer}" {problem}',
                                f"Point @{attr} to who is responsible: "
                                f"#{_siglum(item)}.editors (declared in the header's "
                                "respStmt), a bib:KEY, or an existing xml:id",
                                "targets.dangling",
                            )
                        )
        for el in teixml.ANOMALIES(item.doc):
            pointer = el.get("corresp", "")
            problem = _resolve(pointer, item, ids)
            if problem:
                problems.append(
                    Problem(
                        item.at(el),
                        f'note anomaly @corresp="{pointer}" {problem}',
                        "Point the anomaly to the xml:id of the note it describes",
                        "targets.dangling",
                    )
                )
    return problems


def _siglum(item: Loaded) -> str:
    return item.doc.getroot().get(XML_ID) or "SIGLUM"


def _resolve(pointer: str, item: Loaded, ids: dict[str, set[str]]) -> str | None:
    if re.match(r"^[a-z]+:", pointer):
        # an external address (http:, mailto:) or bib:KEY, which the bibliography rule checks
        return None
    file, _, ident = pointer.partition("#")
    file = file or item.path.name
    if file not in ids:
        return f'names the file "{file}", which is not a TEI file of the edition'
    if ident and ident not in ids[file]:
        return f'points to "#{ident}", which does not exist in tei/{file}'
    return None


def check_sigla(edition: Edition) -> list[Problem]:
    """@wit="#X" anywhere must name a witness of sources/witnesses.yml (or a <witness xml:id> of a
    listWit)."""
    known = {w.siglum for w in edition.witnesses}
    for item in edition.loaded:
        known |= {el.get(XML_ID) for el in DECLARED_WITNESSES(item.doc)}
    problems = []
    for item in edition.loaded:
        for el in WIT_ATTRIBUTES(item.doc):
            for token in el.get("wit").split():
                siglum = token.rpartition("#")[2]
                if siglum not in known:
                    problems.append(
                        Problem(
                            item.at(el),
                            f'<{local(el)} wit="{el.get("wit")}"> names witness '
                            f'"{siglum}", which the edition does not have',
                            f"Use one of {', '.join('#' + s for s in sorted(known))}, "
                            "or add the witness to sources/witnesses.yml",
                            "sigla.unknown",
                        )
                    )
    return problems


def check_notes(edition: Edition) -> list[Problem]:
    problems = []
    for item in edition.loaded:
        recorded = {a.get("corresp", "").lstrip("#") for a in teixml.ANOMALIES(item.doc)}
        for note in teixml.NOTES(item.doc):
            if (
                note.get("type") == "unmarked"
                and note.get("n") is not None
                and note.get(XML_ID) not in recorded
            ):
                problems.append(
                    Problem(
                        item.at(note),
                        f"note {note.get('n')} ({note.get(XML_ID)}) has "
                        "no marker in the text and no recorded anomaly",
                        "Move the note to its marker, or record the missing "
                        'marker in <list type="note-anomalies"> of the header',
                        "notes.unmarked",
                    )
                )
        problems += _stray_markers(item, recorded)
        problems += _marker_corrections(item)
    return problems


def _marker_corrections(item: Loaded) -> list[Problem]:
    """Each record of a misread marker (<list type="marker-corrections"> in the header) points at
    a note of this file, pairs the transcription's reading (sic) with the printed marker (corr),
    and its corr is the note's @n: the fidelity walk reads the sic only then."""
    problems = []
    notes = {n.get(XML_ID): n for n in teixml.NOTES(item.doc) if n.get(XML_ID)}
    records = teixml.marker_corrections(item.doc)
    example = "<choice><sic>223</sic><corr>23</corr></choice>"
    for el in teixml.MARKER_CORRECTIONS(item.doc):
        pointer = (el.get("corresp") or "").strip()
        note = notes.get(pointer[1:]) if pointer.startswith("#") else None
        record = records.get(pointer[1:])
        if note is None:
            what = f'@corresp="{pointer}" points to no note of this file'
            how = "Point @corresp to the xml:id of the note whose marker was misread (#id)"
        elif record is None or (record.item is not el and el.find("tei:choice", NS) is None):
            what = f"the record of note {pointer[1:]}'s marker has no choice of sic and corr"
            how = f"Write the transcription's reading and the printed marker as {example}"
        elif record.item is not el:
            what = f"the marker of note {pointer[1:]} is recorded twice"
            how = f"Keep one record, at line {record.item.sourceline}"
        elif record.corr != note.get("n"):
            what = (
                f'the record corrects the marker of note {pointer[1:]} to "{record.corr}", '
                f'but the note has n="{note.get("n")}"'
            )
            how = (
                "Give the note the printed marker as @n and the record the transcription's "
                "reading as sic, or correct the record"
            )
        else:
            continue
        problems.append(Problem(item.at(el), what, how, "notes.marker-correction"))
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
                    problems.append(
                        Problem(
                            item.at(el),
                            f'a note marker "{match.group()}" in the text has no note',
                            "Attach the note at this marker (<note n=...>) or, "
                            "if the witness prints none, record it as an anomaly",
                            "notes.marker-without-note",
                        )
                    )
    return problems


def _in_note(el: etree._Element | None) -> bool:
    return el is not None and (
        el.tag == NOTE_TAG or any(a.tag == NOTE_TAG for a in el.iterancestors())
    )


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
            problems.append(
                Problem(
                    Location(rel),
                    f"witness {w.siglum}: sources/{w.file} does not exist",
                    "Restore the transcription or fix `file:`",
                    "manifest.missing-source",
                )
            )
        elif manifest.sha256(source) != w.sha256:
            problems.append(
                Problem(
                    Location(rel),
                    f"witness {w.siglum}: sources/{w.file} does not match its recorded sha256",
                    "Transcriptions are never edited: restore the file "
                    "from ../shared/seeds (corrections belong in the TEI)",
                    "manifest.sha256",
                )
            )
        item = by_file.get(w.tei)
        if item is not None:
            problems += _header_problems(item, w)
            problems += _stance_evidence(item, w, rel)
    return problems


def check_excerpts(edition: Edition) -> list[Problem]:
    """Every id that sources/excerpts.yml publishes exists in its witness (a stale id publishes
    nothing)."""
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
            problems.append(
                Problem(
                    Location(relpath(path), manifest.excerpt_line(path, ident)),
                    f"{siglum} excerpt {ident} does not exist in tei/{w.tei}",
                    "Replace it with the id of the passage to publish "
                    "(the ids are the permalink anchors of the site)",
                    "excerpts.unknown-id",
                )
            )
    return problems


def _stance_evidence(item: Loaded, w: manifest.Witness, rel: str) -> list[Problem]:
    """The passages a witness's stance description rests on must exist (the site links them)."""
    ids = {el.get(XML_ID) for el in teixml.ALL_IDS(item.doc)}
    return [
        Problem(
            Location(rel),
            f"witness {w.siglum}: stance_evidence names {ident}, which tei/{w.tei} does not have",
            "List the xml:id of a passage of that witness that supports the stance description",
            "manifest.stance-evidence",
        )
        for ident in w.facts.get("stance_evidence", []) or []
        if ident not in ids
    ]


def _header_problems(item: Loaded, w: manifest.Witness) -> list[Problem]:
    problems = []
    root = item.doc.getroot()
    if root.get(XML_ID) != w.siglum:
        problems.append(
            Problem(
                item.at(root),
                f'<TEI xml:id="{root.get(XML_ID)}"> but '
                f"sources/witnesses.yml gives siglum {w.siglum}",
                "Make the TEI root id equal to the siglum",
                "manifest.siglum",
            )
        )
    for kind, expected in (("sha256", w.sha256), ("source-file", f"sources/{w.file}")):
        found = teixml.SOURCE_IDNO(item.doc, t=kind)
        if not found or (found[0].text or "").strip() != expected:
            where = item.at(found[0]) if found else item.at(root)
            problems.append(
                Problem(
                    where,
                    f'sourceDesc idno[@type="{kind}"] does not '
                    f"agree with sources/witnesses.yml ({expected})",
                    "Copy the value from sources/witnesses.yml into the header",
                    "manifest.header",
                )
            )
    titles = teixml.MAIN_TITLE(item.doc)
    if not titles or " ".join("".join(titles[0].itertext()).split()) != " ".join(
        w.fact("title").split()
    ):
        where = item.at(titles[0]) if titles else item.at(root)
        problems.append(
            Problem(
                where,
                "sourceDesc title does not agree with sources/witnesses.yml",
                "Make the two titles identical (correct whichever is wrong)",
                "manifest.header",
            )
        )
    return problems


def check_format(edition: Edition) -> list[Problem]:
    return [p for item in edition.loaded if (p := fmt.problem_for(item.path, item.data))]


def check_published_ids(edition: Edition) -> list[Problem]:
    current = {item.path.name: registry.ids_in(item.doc) for item in edition.loaded}
    # A file that is not well-formed has no ids now; the parse error is the problem, not each id.
    unreadable = {path.name for path in edition.files} - set(current)
    problems = registry.check(
        current, edition.paths.tei_dir, edition.paths.registry, edition.paths.redirects
    )
    return [
        p
        for p in problems
        if not (p.code == "ids.removed" and Path(p.location.path).name in unreadable)
    ]


def check_bibliography(edition: Edition) -> list[Problem]:
    """references.bib: malformed entries, unknown keys, unused entries."""
    if not edition.paths.bib.exists():
        return []
    bib, problems = bibliography.load(edition.paths.bib)
    problems = _with_bib_syntax(edition.paths.bib, problems)
    problems += bibliography.check_keys(
        [item.path for item in edition.loaded],
        bib,
        {item.path: item.doc for item in edition.loaded},
    )
    return problems + _unused_entries(edition, bib)


def _with_bib_syntax(path: Path, problems: list[Problem]) -> list[Problem]:
    """bibtexparser's problems, with each syntax mistake it misreads (or words vaguely) said at its
    line."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return problems
    rel, found = relpath(path), bib_syntax(source)
    entries = {entry for entry, *_ in found}
    problems = [
        p for p in problems if not (p.code == "bibliography.syntax" and p.location.line in entries)
    ]
    return problems + [
        Problem(Location(rel, line), what, fix, "bibliography.syntax")
        for _, line, what, fix in found
    ]


def _unused_entries(edition: Edition, bib) -> list[Problem]:
    """An entry no TEI file cites (bib:KEY) and no witness names as its bibkey, unless kept as
    `editorial`."""
    used = {w.facts.get("bibkey") for w in edition.witnesses}
    for item in edition.loaded:
        for el in BIB_POINTERS(item.doc):
            used |= {
                token[4:]
                for value in el.attrib.values()
                for token in value.split()
                if token.startswith("bib:")
            }
    problems = []
    for key, record in bib.records.items():
        if key not in used and "editorial" not in record.fields.get("keywords", ""):
            problems.append(
                Problem(
                    Location(relpath(edition.paths.bib), record.line),
                    f"entry {key} is cited by no TEI file",
                    "Link the citation in the witness to it with "
                    f'corresp="bib:{key}", add `keywords = {{editorial}}` if '
                    "the edition's own text cites it, or remove the entry",
                    "bibliography.unused",
                )
            )
    return problems


def check_apparatus(edition: Edition) -> list[Problem]:
    """tei/apparatus.xml: pointers, sigla and readings, read against the trees parsed once above."""
    # a file with a duplicate xml:id is one the strict parser rejects: the apparatus reads it as
    # absent
    docs = {item.path.name: item.doc for item in edition.loaded if _ids_unique(item.doc)}
    return apparatus.check(edition.paths.tei_dir, manifest_path=edition.paths.manifest, docs=docs)


def _ids_unique(doc: etree._ElementTree) -> bool:
    ids = [el.get(XML_ID) for el in teixml.ALL_IDS(doc)]
    return len(ids) == len(set(ids))


RULES: list[tuple[str, Callable[[Edition], Iterable[Problem]]]] = [
    ("load", load_files),  # must stay first: the other rules read what it loads
    ("schema", check_schema),
    ("rules", check_rules),  # schema/edition.odd's Schematron
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


ENTRY_START = re.compile(r"^[ \t]*@([A-Za-z]+)[ \t]*([{(])", re.M)
FIELD_NAME = re.compile(r"([A-Za-z][\w:-]*)\s*=\s*")
BARE_VALUE = re.compile(r"[\w.:/-]+")
NEXT_FIELD = re.compile(r"\n[ \t]*[A-Za-z][\w-]*[ \t]*=[ \t]*[{\"]")


def bib_syntax(source: str) -> list[tuple[int, int, str, str]]:
    """The BibTeX mistakes bibtexparser reads silently as something else (a missing comma merges two
    fields into one value): (line of the entry, line of the mistake, what, how to fix)."""
    found = []
    for match in ENTRY_START.finditer(source):
        if match.group(1).lower() in ("comment", "preamble", "string"):
            continue
        entry_line = source.count("\n", 0, match.start()) + 1
        mistake = _entry_mistake(source, match.end(), "}" if match.group(2) == "{" else ")")
        if mistake:
            pos, what, fix = mistake
            found.append((entry_line, source.count("\n", 0, pos) + 1, what, fix))
    return found


def _entry_mistake(source: str, pos: int, close: str) -> tuple[int, str, str] | None:
    key = re.compile(r"\s*([^,\s{}()=]+)\s*,").match(source, pos)
    if not key:
        return (
            pos,
            "the entry has no key followed by a comma",
            "Write @type{key, and then the fields",
        )
    pos, previous = key.end(), "the key"
    while True:
        pos = _skip_space(source, pos)
        if pos >= len(source):
            return (
                pos,
                "the entry is not closed",
                f"End the entry with {close} on a line of its own",
            )
        if source[pos] == close:
            return None
        name = FIELD_NAME.match(source, pos)
        if not name:
            return (
                pos,
                f"expected `field = {{value}}` after {previous}",
                "Check the commas and braces before this line",
            )
        pos, previous = name.end(), f"the field `{name.group(1)}`"
        while True:  # value, possibly a # b
            end = _value_end(source, pos)
            runs_on = NEXT_FIELD.search(source, pos, end) if end else None
            if end is None or runs_on:
                where = runs_on.start() + 1 if runs_on else pos
                return (
                    where,
                    f"the value of {previous} is not closed before this line",
                    'Close it with } (or ") and a comma',
                )
            value_end, pos = end, _skip_space(source, end)
            if pos < len(source) and source[pos] == "#":
                pos = _skip_space(source, pos + 1)
                continue
            break
        if pos < len(source) and source[pos] == ",":
            pos += 1
            continue
        if pos < len(source) and source[pos] == close:
            return None
        return (
            value_end - 1,
            f"a comma is missing after the value of {previous}",
            "Add a comma at the end of the value",
        )


def _skip_space(source: str, pos: int) -> int:
    while pos < len(source) and source[pos].isspace():
        pos += 1
    return pos


def _value_end(source: str, pos: int) -> int | None:
    if pos >= len(source):
        return None
    if source[pos] in '{"':
        depth, quote, i = 0, source[pos] == '"', pos + (source[pos] == '"')
        while i < len(source):
            c = source[i]
            if c == "\\":
                i += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0 and not quote:
                    return i + 1
                if depth < 0:
                    return None
            elif c == '"' and quote and depth == 0:
                return i + 1
            elif c == "@" and depth <= 1 and source[i - 1] == "\n":
                return None  # ran into the next entry
            i += 1
        return None
    bare = BARE_VALUE.match(source, pos)
    return bare.end() if bare else None
