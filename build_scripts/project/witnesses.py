"""sources/witnesses.yml → Witness records (the manifest of the edition)."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from build_scripts.problems import Location, Problem
from build_scripts.project.paths import ROOT

# libyaml when PyYAML has it: the same result, about ten times faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SOURCES = ROOT / "sources"
TEI_DIR = ROOT / "tei"
MANIFEST = SOURCES / "witnesses.yml"


@dataclass(frozen=True)
class Witness:
    siglum: str
    file: str
    sha256: str
    tei: str
    style: str
    facts: dict = field(hash=False, compare=False)

    @property
    def source_path(self) -> Path:
        return SOURCES / self.file

    @property
    def tei_path(self) -> Path:
        return TEI_DIR / self.tei

    def fact(self, name: str) -> str:
        value = self.facts.get(name)
        return value.get("value", "") if isinstance(value, dict) else (value or "")

    def cert(self, name: str) -> str:
        value = self.facts.get(name)
        return value.get("cert", "high") if isinstance(value, dict) else "high"


REQUIRED = (
    "siglum",
    "file",
    "sha256",
    "tei",
    "style",
    "author",
    "title",
    "date",
    "kind",
    "language",
    "rights",
    "publication",
)


def load(path: Path | None = None) -> tuple[list[Witness], list[Problem]]:
    """The manifest's witnesses and problems. Parsed once per content of the file (the text is read
    on every call, which is cheap, and is the cache key: an edited file is never served stale); each
    call gets fresh lists (callers may extend them)."""
    path = (
        path or MANIFEST
    )  # read at call time, so that a test (or a fixture project) can point it elsewhere
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:  # the check words each case itself
        return [], [_unreadable(Location(_rel(path)), err)]
    witnesses, problems = _parse(path, text)
    return list(witnesses), list(problems)


def _unreadable(where: Location, err: Exception) -> Problem:
    return Problem(
        where,
        f"cannot read the witness list: {err}".splitlines()[0],
        "Fix the YAML syntax",
        "manifest.unreadable",
    )


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def load_yaml(text: str):
    """YAML data, read by libyaml where PyYAML has it (fast); a text libyaml rejects is read again
    by the pure-Python parser, whose error (raised) words the problem as the messages quote it."""
    try:
        return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return yaml.safe_load(text)


@functools.lru_cache(maxsize=16)
def _parse(path: Path, text: str) -> tuple[tuple[Witness, ...], tuple[Problem, ...]]:
    rel = _rel(path)
    try:
        data = load_yaml(text)
    except yaml.YAMLError as err:  # the check words each case itself
        mark = getattr(err, "problem_mark", None)
        return (), (_unreadable(Location(rel, mark.line + 1 if mark else None), err),)
    return _entries(rel, data)


def _entries(rel: str, data) -> tuple[tuple[Witness, ...], tuple[Problem, ...]]:
    witnesses, problems = [], []
    for index, entry in enumerate((data or {}).get("witnesses", [])):
        missing = [k for k in REQUIRED if k not in entry]
        if missing:
            problems.append(
                Problem(
                    Location(rel),
                    f"witness #{index + 1} lacks {', '.join(missing)}",
                    "Add the missing keys (see the comment at the top of the file)",
                    "manifest.missing-key",
                )
            )
            continue
        witnesses.append(
            Witness(
                entry["siglum"], entry["file"], entry["sha256"], entry["tei"], entry["style"], entry
            )
        )
    return tuple(witnesses), tuple(problems)


def by_siglum(siglum: str) -> Witness | None:
    witnesses, _ = load()
    return next((w for w in witnesses if w.siglum == siglum), None)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_excerpts(path: Path) -> tuple[dict[str, frozenset[str]], list[Problem]]:
    """sources/excerpts.yml: siglum → the ids published of a witness in excerpts. The one reader of
    that file (the check, the site and the PDFs all call it)."""
    if not path.exists():
        return {}, []
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        rel = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        reason = str(getattr(err, "problem", None) or err).splitlines()[0]
        return {}, [
            Problem(
                Location(rel, mark.line + 1 if mark else None),
                f"cannot read the excerpt list: {reason}",
                "Fix the YAML syntax",
                "excerpts.unreadable",
            )
        ]
    return {str(siglum): frozenset(str(i) for i in (ids or [])) for siglum, ids in data.items()}, []


def excerpt_line(path: Path, ident: str) -> int | None:
    """The line of sources/excerpts.yml that lists an id (for file:line messages)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return next(
        (n for n, text in enumerate(lines, 1) if text.strip().startswith(f"- {ident}")), None
    )
