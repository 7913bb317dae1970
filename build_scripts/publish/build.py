"""Generated Markdown → site/ with `mkdocs build --strict`; and the live server with its TEI watcher.

`build` renders into a staging copy of docs/, builds from it, and only when everything succeeded
swaps the new site/ (and docs/edition/) into place: a failed build writes nothing. Beside its MkDocs
run, child processes make the downloads (build_scripts.publish.downloads: the PDFs, and the offline
edition, a second MkDocs build zipped to site/downloads/edition-offline.zip).
`serve` renders into docs/edition/, starts `mkdocs serve`, and a watcher thread re-renders when a
TEI file, references.bib or a config file under sources/ changes (only changed Markdown files are
rewritten, so MkDocs rebuilds once). The hooks never write into docs/.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from build_scripts.site import render as site
from build_scripts.site import search
from build_scripts.publish import downloads
from build_scripts.problems import Location, Problem


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    render: site.Result | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    offline_zip_bytes: int = 0

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def mkdocs_build(project: site.Project, docs_dir: Path, site_dir: Path, strict: bool = True, offline: bool = False) -> list[Problem]:
    """Run MkDocs in this process; its warnings go to stderr, and fail the build in strict mode.
    offline: with Material's offline plugin on (page.html URLs, search from file://)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    logger.addHandler(handler)
    try:
        config = load_config(str(project.root / "mkdocs.yml"), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=strict)
        snippets = config.mdx_configs.get("pymdownx.snippets")
        if snippets is not None:  # include the staged docs' generated snippets, not those of docs/
            snippets["base_path"] = [str(docs_dir)]
        if offline:
            config.plugins["material/offline"].config.enabled = True
        search.configure(config, online=not offline)  # online: Pagefind (made by search.build_index)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as err:
        return [Problem(Location("mkdocs.yml"), f"mkdocs build failed: {err}", "Fix the warnings printed above (broken links or anchors, missing pages)", "site.mkdocs")]
    except Exception as err:  # noqa: BLE001  (a Markdown extension's error: one line, no traceback)
        return [Problem(Location("mkdocs.yml"), f"mkdocs build failed: {type(err).__name__}: {err}", "Fix the page or snippet it names", "site.mkdocs")]
    finally:
        logger.removeHandler(handler)
    return []


def build(project: site.Project = site.Project(), everything: bool | None = None, site_dir: Path | None = None,
          check: bool = True, keep_markdown: bool = True, extras: bool = True) -> BuildResult:
    """`edition build`: check → render → mkdocs build --strict (+ PDFs and offline zip) → swap into place."""
    result = BuildResult()
    started = time.perf_counter()
    if check:
        from build_scripts import check as checker
        result.problems = checker.run(schema=False)
        result.seconds["check"] = time.perf_counter() - started
        if not result.ok:
            return result
    site_dir = site_dir or project.root / "site"
    everything = site.publish_all(everything)
    (project.root / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=project.root / "build", prefix="site-") as tmp:
        stage = Path(tmp)
        pdfs = downloads.start_pdfs(stage / "pdf", everything, stage) if extras else None
        docs = stage / "docs"
        shutil.copytree(project.docs, docs, ignore=lambda d, names: ["edition"] if Path(d) == project.docs else [])
        if project.generated.exists():
            shutil.copytree(project.generated, docs / "edition")
        t = time.perf_counter()
        result.render = site.render(project, out=docs / "edition", everything=everything)
        result.seconds["render"] = time.perf_counter() - t
        result.problems += result.render.problems
        if not result.ok:
            stop(pdfs)
            return result
        offline = downloads.start_offline(docs, stage / "offline", stage) if extras else None
        t = time.perf_counter()
        result.problems += mkdocs_build(project, docs, stage / "site")
        result.seconds["mkdocs"] = time.perf_counter() - t
        if result.ok:
            t = time.perf_counter()
            result.problems += search.build_index(stage / "site", project.root)
            result.seconds["search index"] = time.perf_counter() - t
        if extras:
            for job in (pdfs, offline):
                result.problems += job.wait() if result.ok else stop(job)
            result.seconds["downloads (waited for)"] = time.perf_counter() - t - result.seconds["mkdocs"]
        if not result.ok:
            return result
        if extras:
            t = time.perf_counter()
            zip_path = stage / "site" / "downloads" / "edition-offline.zip"
            result.offline_zip_bytes = downloads.finish(stage / "pdf", stage / "site", stage / "offline", zip_path)
            result.seconds["zip"] = time.perf_counter() - t
        swap(stage / "site", site_dir, stage / "old-site")
        if keep_markdown:
            swap(docs / "edition", project.generated, stage / "old-edition")
            site.save_cache(project, result.render)
    result.seconds["total"] = time.perf_counter() - started
    return result


def stop(job) -> list[Problem]:
    if job is not None and job.process.poll() is None:
        job.process.kill()
        job.process.wait()
    return []


def swap(new: Path, target: Path, trash: Path) -> None:
    """Put `new` where `target` is, with the old one moved aside first (two renames)."""
    if target.exists():
        target.rename(trash)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(new), str(target))


# --- serve -----------------------------------------------------------------------------------------
def watched(project: site.Project) -> list[Path]:
    return sorted((project.root / "tei").glob("*.xml")) + [project.bib, project.manifest, project.excerpts]


def stamp(paths: list[Path]) -> dict[Path, float]:
    return {p: p.stat().st_mtime_ns for p in paths if p.exists()}


def watch(project: site.Project, on_render: Callable[[site.Result], None], stop: threading.Event,
          everything: bool | None = None, interval: float = 0.5) -> None:
    """Re-render whenever a watched file changes (polling: a handful of files, no dependency)."""
    seen = stamp(watched(project))
    while not stop.wait(interval):
        now = stamp(watched(project))
        if now != seen:
            seen = now
            on_render(site.render(project, everything=everything))


def serve(project: site.Project = site.Project(), everything: bool | None = None, dev_addr: str = "127.0.0.1:8000",
          report: Callable[[site.Result], None] = lambda r: None) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    report(site.render(project, everything=everything))
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project, report, stop, everything), daemon=True)
    thread.start()
    try:
        mkdocs_serve(str(project.root / "mkdocs.yml"), dev_addr=dev_addr, strict=False)
    finally:
        stop.set()
