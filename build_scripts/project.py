"""Where a project's files are: one class for every stage (the check, the site, the registry).

The project's own checkout by default; tests point it at a fixture folder.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from build_scripts.teixml import ROOT


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
