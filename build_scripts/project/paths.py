"""Where a project's files are: one class for every stage (the check, the site, the registry).

The edition is found where the user stands, as Git and MkDocs find theirs: the current directory or
its nearest ancestor that holds the edition's configuration (`mkdocs.yml` beside
`sources/witnesses.yml`). `EDITION_ROOT` (set by `edition --root DIR`) overrides the search. The
toolchain's own install location plays no part: a second clone with the first clone's venv acts on
itself. Tests point `Project` at a fixture folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "EDITION_ROOT"
MARKERS = ("sources/witnesses.yml",)  # the edition's manifest marks its folder


class NotAnEdition(Exception):
    """No edition at or above the starting folder (a user error: said in one line, never a
    traceback)."""


def is_edition(folder: Path) -> bool:
    return all((folder / m).is_file() for m in MARKERS)


def find_root(start: Path | None = None) -> Path:
    """The edition's folder: $EDITION_ROOT, else `start` (the current directory) or its nearest
    ancestor holding the edition's configuration. Raises NotAnEdition with the fix when there is
    none."""
    env = os.environ.get(ROOT_ENV)
    if env:
        folder = Path(env).resolve()
        if not is_edition(folder):
            raise NotAnEdition(
                f"{folder}: not an edition (no {' and no '.join(MARKERS)} there). "
                f"Pass --root the folder of a clone of the edition. [project.not-found]"
            )
        return folder
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_edition(folder):
            return folder
    raise NotAnEdition(
        f"{here}: not inside an edition (no folder here or above holds "
        f"{' and '.join(MARKERS)}). cd into a clone of the edition, or pass --root DIR. "
        f"[project.not-found]"
    )


def _initial_root() -> Path:
    try:
        return find_root()
    except NotAnEdition:
        # Imported outside any edition (e.g. a library user): commands check find_root() themselves
        # and report the error; paths derived from ROOT then point at the current folder.
        return Path.cwd().resolve()


ROOT = _initial_root()


@dataclass(frozen=True)
class Project:
    root: Path = ROOT

    @property
    def tei_dir(self) -> Path:
        return self.root / "tei"

    def tei(self, witness) -> Path:
        """The TEI file of a witness (a witnesses.Witness)."""
        return self.tei_dir / witness.tei

    @property
    def manifest(self) -> Path:
        return self.root / "sources" / "witnesses.yml"

    @property
    def excerpts(self) -> Path:
        return self.root / "sources" / "excerpts.yml"

    @property
    def registry(self) -> Path:
        return self.root / "sources" / "published-ids.tsv"

    @property
    def redirects(self) -> Path:
        return self.root / "sources" / "redirects.yml"

    @property
    def bib(self) -> Path:
        return self.root / "references.bib"

    @property
    def bib_cache(self) -> Path:
        """Where the formatted references are cached (build/: never committed)."""
        return self.root / "build" / "bibliography"

    @property
    def changelog(self) -> Path:
        return self.root / "CHANGELOG.md"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def generated(self) -> Path:
        return self.docs / "edition"

    @property
    def check_cache(self) -> Path:
        return self.root / "build" / "check-cache"

    @property
    def site_cache(self) -> Path:
        return self.root / "build" / "site-cache.json"
