"""tei/*.xml + sources/witnesses.yml → the list of every problem (`edition check`)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from build_scripts import teixml, witnesses as manifest
from build_scripts.problems import Location, Problem, relpath
from build_scripts.teixml import NS, XML_ID, local

SUPERSCRIPT_DIGITS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


@dataclass
class Loaded:
    path: Path
    doc: etree._ElementTree

    @property
    def rel(self) -> str:
        return relpath(self.path)

    def at(self, el: etree._Element) -> Location:
        return Location(self.rel, el.sourceline)


def run(tei_files: list[Path] | None = None, schema: bool = True, manifest_path: Path = manifest.MANIFEST) -> list[Problem]:
    """Every problem of the edition, in file and line order. Nothing is raised."""
    problems: list[Problem] = []
    wits, wit_problems = manifest.load(manifest_path)
    problems += wit_problems
    if tei_files is None:
        tei_files = sorted(manifest.TEI_DIR.glob("*.xml"))
    loaded: list[Loaded] = []
    for path in tei_files:
        doc, parse_problems = teixml.parse(path)
        problems += parse_problems
        if doc is not None:
            loaded.append(Loaded(path, doc))
            if schema:
                problems += teixml.validate(doc, path)
    problems += check_ids(loaded)
    problems += check_targets(loaded)
    problems += check_notes(loaded)
    if tei_files is not None:
        problems += check_manifest(loaded, wits, manifest_path)
    return sorted(set(problems), key=lambda p: (p.location.path, p.location.line or 0, p.location.column or 0, p.code))


def check_ids(loaded: list[Loaded]) -> list[Problem]:
    problems, seen = [], {}
    for item in loaded:
        for el in teixml.ALL_IDS(item.doc):
            ident = el.get(XML_ID)
            if ident in seen:
                first = seen[ident]
                problems.append(Problem(item.at(el), f'xml:id "{ident}" is already used at {first}', "Give this element a new id that no other element of the edition uses (ids are never reused)", "ids.duplicate"))
            else:
                seen[ident] = item.at(el)
        for el in item.doc.iterfind(".//tei:text//*", NS):
            if local(el) in teixml.ID_REQUIRED and not el.get(XML_ID):
                problems.append(Problem(item.at(el), f"<{local(el)}> has no xml:id", "Add a stable xml:id following the scheme in CONTRIBUTING.md (e.g. G.c6.p12)", "ids.missing"))
    return problems


def _ids_by_file(loaded: list[Loaded]) -> dict[str, set[str]]:
    return {item.path.name: {el.get(XML_ID) for el in teixml.ALL_IDS(item.doc)} for item in loaded}


def check_targets(loaded: list[Loaded]) -> list[Problem]:
    problems = []
    ids = _ids_by_file(loaded)
    for item in loaded:
        for el in teixml.POINTERS(item.doc):
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
    if re.match(r"^[a-z]+:", pointer) and not pointer.startswith("bib:"):
        return None  # an external address (http:, mailto:)
    if pointer.startswith("bib:"):
        return None  # checked against references.bib by the bibliography stage
    file, _, ident = pointer.partition("#")
    file = file or item.path.name
    if file not in ids:
        return f'names the file "{file}", which is not a TEI file of the edition'
    if ident and ident not in ids[file]:
        return f'points to "#{ident}", which does not exist in tei/{file}'
    return None


def check_notes(loaded: list[Loaded]) -> list[Problem]:
    problems = []
    for item in loaded:
        recorded = {a.get("corresp", "").lstrip("#") for a in teixml.ANOMALIES(item.doc)}
        for note in teixml.NOTES(item.doc):
            if note.get("type") == "unmarked" and note.get("n") is not None and note.get(XML_ID) not in recorded:
                problems.append(Problem(item.at(note), f'note {note.get("n")} ({note.get(XML_ID)}) has no marker in the text and no recorded anomaly', 'Move the note to its marker, or record the missing marker in <list type="note-anomalies"> of the header', "notes.unmarked"))
            if note.get("n") is None and note.get("type") != "unnumbered" and note.get("resp") is None:
                problems.append(Problem(item.at(note), f"note {note.get(XML_ID)} has no @n", 'Give the note its printed number as @n, or type="unnumbered" if none is printed', "notes.no-number"))
        text = teixml.TEXT(item.doc)
        for el in (text[0].iter() if text else []):
            if not isinstance(el.tag, str) or local(el) == "note" or any(local(a) == "note" for a in el.iterancestors()):
                continue
            for chunk in (el.text, el.tail if local(el) != "note" else None):
                if chunk and SUPERSCRIPT_DIGITS.search(chunk):
                    problems.append(Problem(item.at(el), f'a note marker "{SUPERSCRIPT_DIGITS.search(chunk).group()}" in the text has no note', "Attach the note at this marker (<note n=...>) or, if it has none, record it as an anomaly", "notes.marker-without-note"))
    return problems


def check_manifest(loaded: list[Loaded], wits: list[manifest.Witness], manifest_path: Path) -> list[Problem]:
    problems = []
    rel = relpath(manifest_path)
    by_file = {item.path.name: item for item in loaded}
    for w in wits:
        if not w.source_path.exists():
            problems.append(Problem(Location(rel), f"witness {w.siglum}: sources/{w.file} does not exist", "Restore the transcription or fix `file:`", "manifest.missing-source"))
        elif manifest.sha256(w.source_path) != w.sha256:
            problems.append(Problem(Location(rel), f"witness {w.siglum}: sources/{w.file} does not match its recorded sha256", "Transcriptions are never edited: restore the file from ../shared/seeds (corrections belong in the TEI)", "manifest.sha256"))
        item = by_file.get(w.tei)
        if item is None:
            continue
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
            problems.append(Problem(where, "sourceDesc title does not agree with sources/witnesses.yml", "Make the two titles identical", "manifest.header"))
    return problems
