"""The outputs of `edition build`, each kept under build/out/ with the digest of what it reads.

An output is made again only when its key (a digest of its inputs) differs from the key it was made
with, or it is missing:
  - html: the staged Markdown (every file of docs/ as rendered), mkdocs.yml, overrides/, the sources
    of the redirects and search variants, the site code, the engine;
  - offline: the HTML's key (the offline copy is derived from the HTML: publish/offline.py);
  - pdf:<name>.pdf: the TEI of that witness (the whole-edition PDF: every witness); courses: the
    course files, every witness and the apparatus, the manifest, the excerpt list, references.bib,
    the PDF code and template, and the page of every id (permalinks printed in the PDFs);
  - zip: the offline copy's key and the PDFs' keys.
The code of the toolchain is an input of each (build_scripts/ as a whole: never a stale output).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from build_scripts.project import witnesses as manifest
from build_scripts.problems import relpath
from build_scripts.project.paths import Project
from build_scripts.site import landing

CODE_DIR = Path(__file__).resolve().parents[1]


def _hash_files(h, paths, root: Path | None = None) -> None:
    for path in paths:
        name = path.relative_to(root).as_posix() if root is not None else str(path)
        h.update(name.encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"-")


def tree_digest(root: Path) -> str:
    """The files under `root` by their paths inside it (the staging folder's own name changes with
    every build) and their bytes."""
    h = hashlib.sha256()
    _hash_files(h, sorted(p for p in root.rglob("*") if p.is_file()), root)
    return h.hexdigest()


def digest(paths: list[Path], *extra: str) -> str:
    h = hashlib.sha256()
    _hash_files(h, paths)
    for e in extra:
        h.update(e.encode() + b"\0")
    return h.hexdigest()


def engine_version(engine: str) -> str:
    from importlib import metadata

    names = {
        "mkdocs": ["mkdocs", "mkdocs-material"],
        "properdocs": ["properdocs", "mkdocs-material"],
        "zensical": ["zensical"],
    }
    out = []
    for name in names.get(engine, [engine]):
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}==?")
    return " ".join(out)


def keys(
    project: Project, docs: Path, render, everything: bool, engine: str = "mkdocs"
) -> dict[str, str]:
    """output name → the digest of its inputs (see the module docstring)."""
    code = digest(
        sorted(CODE_DIR.rglob("*.py")) + sorted((CODE_DIR / "pdf" / "templates").glob("*"))
    )
    config = [project.root / "mkdocs.yml", *sorted((project.root / "overrides").rglob("*"))] + [
        project.root / "sources" / n
        for n in ("redirects.yml", "published-ids.tsv", "transliterations.yml")
    ]
    html = digest(config, tree_digest(docs), code, engine, engine_version(engine))
    out = {"html": html, "offline": digest([], html, "offline")}
    wits, _ = manifest.load(project.manifest)
    state = (render.cache or {}).get("witnesses", {}) if render is not None else {}
    anchors = json.dumps({f: st.get("anchors") for f, st in sorted(state.items())}, sort_keys=True)
    common = [project.manifest, project.excerpts, project.bib]
    present = [w for w in wits if project.tei(w).exists()]
    for w in present:
        out[f"pdf:{landing.pdf_name(w)}"] = digest(
            common + [project.tei(w)], code, anchors, str(everything)
        )
    every = [project.tei(w) for w in present]
    out[f"pdf:{landing.WHOLE_PDF}"] = digest(common + every, code, anchors, str(everything))
    courses = sorted(
        (project.root / "courses").glob("*.yml")
    )  # their apparatus quotes every witness
    out["courses"] = digest(
        common + every + courses + [project.tei_dir / "apparatus.xml"],
        code,
        anchors,
        str(everything),
    )
    out["zip"] = digest(
        [],
        out["offline"],
        *(v for k, v in sorted(out.items()) if k.startswith("pdf:") or k == "courses"),
    )
    return out


class Store:
    """build/out/: <name> (a folder or file per output) and keys.json (the key each was made
    with)."""

    def __init__(self, root: Path):
        self.root = root
        self.index = root / "keys.json"

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """The store's lock (<root>.lock beside it), held by `edition build` from the first look at
        the keys to the assembled site: two builds of one project never write into each other. A
        build that has to wait says so once, with the lock's path."""
        self.root.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.root.parent / f"{self.root.name}.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            print(
                f"edition build: waiting for another build of this edition to finish "
                f"({relpath(lock.lock_file)} is held; stop that build to go on).",
                file=sys.stderr,
            )
            lock.acquire()
        try:
            yield
        finally:
            lock.release()

    def made(self) -> dict[str, str]:
        try:
            return json.loads(self.index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def path(self, name: str) -> Path:
        return self.root / name.replace(":", "/")

    def stale(self, keys: dict[str, str]) -> list[str]:
        made = self.made()
        return [n for n, k in keys.items() if made.get(n) != k or not self.path(n).exists()]

    def put(self, name: str, made: Path, key: str) -> None:
        """Move a freshly made output into the store (replacing the old one), then record its
        key."""
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        shutil.move(str(made), str(target))
        index = self.made()
        index[name] = key
        tmp = self.index.with_suffix(".tmp")
        tmp.write_text(json.dumps(index, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(self.index)

    def pdfs(self, keys: dict[str, str]) -> list[Path]:
        made = [
            self.path(n) for n in sorted(keys) if n.startswith("pdf:") and self.path(n).exists()
        ]
        return made + (sorted(self.path("courses").glob("*.pdf")) if "courses" in keys else [])

    def assemble(self, site: Path, keys: dict[str, str]) -> None:
        """The site: the HTML, with the PDFs and the zip in downloads/ (hard links where possible);
        without a made download (`--no-downloads`), the placeholder the engine copied stays."""
        shutil.copytree(self.path("html"), site, copy_function=link_or_copy)
        downloads_dir = site / "downloads"
        downloads_dir.mkdir(exist_ok=True)
        files = (
            self.pdfs(keys)
            if any(k.startswith("pdf:") for k in keys)
            else sorted([*(self.root / "pdf").glob("*.pdf"), *self.path("courses").glob("*.pdf")])
        )
        if self.path("zip").exists():
            files.append(self.path("zip"))
        for path in files:
            target = downloads_dir / (
                landing.OFFLINE_ZIP if path == self.path("zip") else path.name
            )
            target.unlink(missing_ok=True)
            link_or_copy(str(path), str(target))


def link_or_copy(src: str, dst: str) -> str:
    try:
        os.link(src, dst)
    except OSError:  # another file system (a site_dir in /tmp): copy
        shutil.copy2(src, dst)
    return dst
