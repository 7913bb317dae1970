"""sources/<file>.txt → tei/<name>.xml (`edition import SIGLUM`)."""

from __future__ import annotations

from pathlib import Path

from build_scripts.bib import link as biblink
from build_scripts.tei import teixml
from build_scripts.project import witnesses as manifest
from build_scripts.importers import STYLES, converter, tables
from build_scripts.importers.common import SourceText, document
from build_scripts.problems import Location, Problem, relpath


def read_source(path: Path) -> tuple[SourceText | None, list[Problem]]:
    rel = relpath(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [
            Problem(
                Location(rel),
                f"cannot read the transcription: {err.strerror}",
                "Check the file name in sources/witnesses.yml",
                "import.unreadable",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, [
            Problem(
                Location(rel, line),
                "the transcription is not UTF-8 text (byte "
                f"0x{data[err.start]:02x} at offset {err.start})",
                "Convert the file to UTF-8 (e.g. iconv -f cp1252 -t utf-8) before importing",
                "import.not-utf8",
            )
        ]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [
            Problem(
                Location(rel, line),
                "the transcription contains NUL bytes (a binary file?)",
                "Import a plain-text transcription",
                "import.binary",
            )
        ]
    return SourceText(rel, text.replace("\r\n", "\n")), []


def run(
    siglum: str, force: bool = False, out_dir: Path | None = None
) -> tuple[Path | None, list[Problem]]:
    """Import one witness; write its TEI unless it exists (force overrides) or an error occurred."""
    wits, problems = manifest.load()
    witness = next((w for w in wits if w.siglum == siglum), None)
    if witness is None:
        known = ", ".join(w.siglum for w in wits)
        return None, problems + [
            Problem(
                Location(relpath(manifest.MANIFEST)),
                f"no witness with siglum {siglum!r}",
                f"Use one of {known}, or add an entry to sources/witnesses.yml",
                "import.unknown-siglum",
            )
        ]
    target = (out_dir / witness.tei) if out_dir else witness.tei_path
    if target.exists() and not force:
        return None, [
            Problem(
                Location(relpath(target)),
                "the TEI file exists and is the edition's master text",
                "Edit it by hand, or run `edition import --force` "
                "to overwrite it (hand corrections are lost)",
                "import.exists",
            )
        ]
    if witness.style not in STYLES:
        return None, [
            Problem(
                Location(relpath(manifest.MANIFEST)),
                f"witness {siglum} has unknown style {witness.style!r}",
                f"Use one of {', '.join(STYLES)}",
                "import.unknown-style",
            )
        ]
    source, problems = read_source(witness.source_path)
    if source is None:
        return None, problems
    try:
        witness_tables = tables.for_witness(witness)
        result = converter(witness.style)(source, witness_tables)
    except tables.TableError as err:
        return None, [err.problem]
    result.problems.extend(witness_tables.unread())
    errors = [p for p in result.problems if p.severity == "error"]
    if errors:
        return None, result.problems
    root = document(witness, source, result)
    biblink.link_tree(
        root, witness.siglum
    )  # last step: citations linked to references.bib, as `edition bib link --write`
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(teixml.serialize(root))
    return target, result.problems
