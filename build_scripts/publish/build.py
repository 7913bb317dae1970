"""Generated Markdown → site/ with an engine (MkDocs by default, ProperDocs, Zensical); the live
server.

`build` renders into a staging copy of docs/, and makes each output only when an input it reads has
changed (build_scripts.publish.outputs keeps, under build/out/, each output with the digest of its
inputs): the HTML (and its search index) from the staged Markdown and the configuration; each PDF
from its witness's TEI (the whole-edition PDF and the course pack from theirs); the offline copy
from the HTML (build_scripts.publish.offline: links rewritten to page files, no second build); the
zip from the offline copy and the PDFs. The stale PDFs are made in child processes on the machine's
cores, beside the HTML build and the offline copy; with MkDocs, the search indexes of the HTML are
made page by page in a worker process while MkDocs runs (build_scripts/site/search_beside.py).
Only when everything succeeded is the new site/ put together (hard links into build/out/) and
swapped into place: a
failed build writes nothing. `BuildResult.outputs` says which outputs were made and which reused.
`serve` renders into docs/edition/, writes build/serve.yml and starts `mkdocs serve` on it; a
watcher thread re-renders when a TEI file, references.bib or a config file under sources/ changes.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from build_scripts.site import engine as site_engine
from build_scripts.site import search, search_beside
from build_scripts.site import render as site
from build_scripts.publish import downloads, outputs
from build_scripts.publish import offline as offline_copy
from build_scripts.problems import Location, Problem


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    render: site.Result | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    offline_zip_bytes: int = 0
    outputs: dict[str, str] = field(default_factory=dict)  # output → "built" or "reused"

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def built(self) -> list[str]:
        return sorted(name for name, how in self.outputs.items() if how == "built")


def mkdocs_build(
    project: site.Project,
    docs_dir: Path,
    site_dir: Path,
    strict: bool = True,
    offline: bool = False,
    engine: str = "mkdocs",
    beside: search_beside.SearchBeside | None = None,
) -> list[Problem]:
    """Build `docs_dir` into `site_dir` with `engine` from the generated configuration, then do what
    the engine leaves (build_scripts.site.engine.finish). MkDocs runs in this process (its warnings
    go to stderr and fail the build in strict mode); ProperDocs and Zensical run as commands.
    offline: with Material's offline plugin on (page.html URLs, search from file://).
    beside: the search worker of an online MkDocs build, if the caller started it already (before
    any thread of its own: the worker is forked); else it is started here."""
    online = not offline and engine != "zensical"  # searched with Pagefind (site/search.py)
    cfg = site_engine.write_config(
        project,
        docs_dir,
        site_dir,
        docs_dir.parent / f"{engine}{'-offline' if offline else ''}.yml",
        offline,
        extra={search.ENGINE_KEY: "pagefind"} if online else None,
    )
    # With MkDocs in this process, both search indexes are made beside it, page by page
    if online and engine == "mkdocs" and beside is None:
        beside = search_beside.SearchBeside(project.root, docs_dir)
    try:
        problems = run_engine(engine, cfg, strict, beside)
    finally:
        if beside is not None:
            beside.close()
    if not problems:
        site_engine.finish(project, docs_dir, site_dir, offline, search_done=beside is not None)
        if online and beside is None:
            problems += search.build_index(site_dir, project.root)
    return problems


def run_engine(engine: str, cfg: Path, strict: bool = True, plugin=None) -> list[Problem]:
    """Build with `engine` from `cfg`; `plugin` (a MkDocs plugin object) is added to MkDocs' own."""
    if engine != "mkdocs":
        module = {"properdocs": "properdocs", "zensical": "zensical"}[engine]
        argv = [sys.executable, "-m", module, "build", "-f", str(cfg)] + (
            ["--strict"] if strict else []
        )
        done = subprocess.run(argv, cwd=cfg.parent, capture_output=True, text=True)
        if done.returncode == 0:
            return []
        lines = [l for l in (done.stderr + done.stdout).splitlines() if l.strip()][-20:]
        return [
            Problem(
                Location(cfg.name),
                f"{engine} build failed: {l}",
                "Fix the warnings it names",
                "site.engine",
            )
            for l in lines or ["(no message)"]
        ]
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    logger.addHandler(handler)
    try:
        config = load_config(str(cfg), strict=strict)
        if plugin is not None:
            config.plugins["edition/search-beside"] = plugin
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as err:
        return [
            Problem(
                Location("mkdocs.yml"),
                f"mkdocs build failed: {err}",
                "Fix the warnings printed above (broken links or anchors, missing pages)",
                "site.mkdocs",
            )
        ]
    except Exception as err:  # noqa: BLE001  (a Markdown extension's error: one line, no traceback)
        return [
            Problem(
                Location("mkdocs.yml"),
                f"mkdocs build failed: {type(err).__name__}: {err}",
                "Fix the page or snippet it names",
                "site.mkdocs",
            )
        ]
    finally:
        logger.removeHandler(handler)
    return list(getattr(plugin, "problems", []))


def build(
    project: site.Project = site.Project(),
    everything: bool | None = None,
    site_dir: Path | None = None,
    check: bool = True,
    keep_markdown: bool = True,
    extras: bool = True,
    engine: str = "mkdocs",
    out_dir: Path | None = None,
) -> BuildResult:
    """`edition build`: check → render → the stale outputs (HTML, PDFs, offline copy, zip) → site/.
    out_dir: where the outputs are kept between builds (default build/out)."""
    result = BuildResult()
    started = time.perf_counter()
    if check:
        from build_scripts import check as checker

        # The whole check, schema included (subset schema + cache: ~1 s; tei_all only for an
        # invalid file). The layout of a TEI file (`edition fmt`: whitespace TEI ignores) does not
        # stop a build after a one-word edit: a warning here; `make check` and CI say error.
        result.problems = [
            replace(p, severity="warning") if p.code == "fmt.non-canonical" else p
            for p in checker.run(paths=project)
        ]
        result.seconds["check"] = time.perf_counter() - started
        if not result.ok:
            return result
    site_dir = site_dir or project.root / "site"
    everything = site.publish_all(everything)
    store = outputs.Store(out_dir or project.root / "build" / "out")
    (project.root / "build").mkdir(exist_ok=True)
    # One build at a time per store: a second `edition build` (or a second test process) waits, then
    # finds the outputs the first one made and reuses them.
    staging = project.root / "build"
    with store.lock(), tempfile.TemporaryDirectory(dir=staging, prefix="site-") as tmp:
        stage = Path(tmp)
        docs = stage / "docs"
        shutil.copytree(
            project.docs,
            docs,
            ignore=lambda d, names: ["edition"] if Path(d) == project.docs else [],
        )
        if project.generated.exists():
            shutil.copytree(project.generated, docs / "edition")
        t = time.perf_counter()
        result.render = site.render(project, out=docs / "edition", everything=everything)
        site_engine.stage(project, docs)
        result.seconds["render"] = time.perf_counter() - t
        result.problems += result.render.problems
        if not result.ok:
            return result
        keys = outputs.keys(project, docs, result.render, everything, engine)
        if not extras:
            keys = {"html": keys["html"]}
        jobs = []
        if extras:
            if (
                engine == "zensical"
            ):  # the offline copy needs Material's offline plugin (MkDocs, ProperDocs)
                keys = {k: v for k, v in keys.items() if not k.startswith(("offline", "zip"))}
            for name in store.stale(keys):
                if name.startswith("pdf:"):
                    jobs.append(
                        downloads.start_pdf(
                            name.removeprefix("pdf:"), stage / "jobs", everything, project.root
                        )
                    )
                elif name == "courses":
                    jobs.append(downloads.start_courses(stage / "jobs", everything, project.root))
        html_stale = "html" in store.stale(keys)
        # the search worker is forked before the download threads start (a fork copies one thread)
        beside = (
            search_beside.SearchBeside.started(project.root, docs)
            if html_stale and engine == "mkdocs"
            else None
        )
        runner = downloads.Runner(jobs)
        runner.start()
        t = time.perf_counter()
        if html_stale:
            html = stage / "html"
            result.problems += mkdocs_build(project, docs, html, engine=engine, beside=beside)
            if result.ok:
                store.put("html", html, keys["html"])
            result.outputs["html"] = "built"
        else:
            result.outputs["html"] = "reused"
        result.seconds["html"] = time.perf_counter() - t
        if not result.ok:
            runner.stop()
            return result
        if "offline" in keys:  # from the online HTML, while the PDFs are made
            t = time.perf_counter()
            if "offline" in store.stale(keys):
                try:
                    offline_copy.derive(
                        project, docs, store.path("html"), stage / "offline", stage / "jobs"
                    )
                    store.put("offline", stage / "offline", keys["offline"])
                except offline_copy.Unconvertible as err:
                    result.problems.append(
                        Problem(
                            Location("overrides/partials"),
                            f"the offline copy could not be made: {err}",
                            "Fix what it names",
                            "site.offline",
                        )
                    )
                    runner.stop()
                    return result
                result.outputs["offline"] = "built"
            else:
                result.outputs["offline"] = "reused"
            result.seconds["offline"] = time.perf_counter() - t
        t = time.perf_counter()
        for job in runner.wait():
            result.problems += job.problems
            if not job.problems:
                store.put(job.output, job.result, keys[job.output])
        result.seconds["downloads (waited for)"] = time.perf_counter() - t
        for name in keys:
            result.outputs.setdefault(
                name, "built" if any(j.output == name for j in jobs) else "reused"
            )
        if not result.ok:
            return result
        if "zip" in keys:
            t = time.perf_counter()
            if "zip" in store.stale(keys):
                zip_path = stage / "edition-offline.zip"
                downloads.make_zip(store.path("offline"), store.pdfs(keys), zip_path)
                store.put("zip", zip_path, keys["zip"])
                result.outputs["zip"] = "built"
            else:
                result.outputs["zip"] = "reused"
            result.offline_zip_bytes = store.path("zip").stat().st_size
            result.seconds["zip"] = time.perf_counter() - t
        t = time.perf_counter()
        store.assemble(stage / "site", keys)
        result.seconds["assemble"] = time.perf_counter() - t
        swap(stage / "site", site_dir, stage / "old-site")
        if keep_markdown:
            swap(docs / "edition", project.generated, stage / "old-edition")
            site.save_cache(project, result.render)
    result.seconds["total"] = time.perf_counter() - started
    return result


def swap(new: Path, target: Path, trash: Path) -> None:
    """Put `new` where `target` is, with the old one moved aside first (two renames)."""
    if target.exists():
        target.rename(trash)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(new), str(target))


def SERVE_CONFIG(project: site.Project) -> Path:  # noqa: N802  (the generated config `serve` reads)
    return project.root / "build" / "serve.yml"


# --- serve --------------------------------------------------------------------------------------
def watched(project: site.Project) -> list[Path]:
    return sorted((project.root / "tei").glob("*.xml")) + [
        project.bib,
        project.manifest,
        project.excerpts,
    ]


def stamp(paths: list[Path]) -> dict[Path, float]:
    return {p: p.stat().st_mtime_ns for p in paths if p.exists()}


def watch(
    project: site.Project,
    on_render: Callable[[site.Result], None],
    stop: threading.Event,
    everything: bool | None = None,
    interval: float = 0.5,
) -> None:
    """Re-render whenever a watched file changes (polling: a handful of files, no dependency)."""
    seen = stamp(watched(project))
    while not stop.wait(interval):
        now = stamp(watched(project))
        if now != seen:
            seen = now
            on_render(site.render(project, everything=everything))


def serve(
    project: site.Project = site.Project(),
    everything: bool | None = None,
    dev_addr: str = "127.0.0.1:8000",
    report: Callable[[site.Result], None] = lambda r: None,
) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)

    def rendered(result: site.Result) -> None:
        site_engine.stage(project, project.docs)
        site_engine.write_config(
            project, project.docs, project.root / "site", SERVE_CONFIG(project)
        )
        report(result)

    rendered(site.render(project, everything=everything))
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project, rendered, stop, everything), daemon=True)
    thread.start()
    try:
        mkdocs_serve(str(SERVE_CONFIG(project)), dev_addr=dev_addr, strict=False)
    finally:
        stop.set()
