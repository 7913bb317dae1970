"""Website benchmarks: a cold `edition build` (no output kept in build/out/) against a bare `mkdocs
build` of the same Markdown (goal for the HTML part, --no-downloads: ratio <= 1.1), a build where
nothing changed (every output reused), the full build with its downloads (PDFs and offline zip,
made in child processes beside MkDocs) against the same steps one after the other, re-rendering
after one TEI file changes (goal <= 0.5 s), the gzipped search index (goal <= 400 KB), the offline
zip.

Run: python bench/run.py site

Measured 2026-12-06 (2-core machine, timings vary by about 10% between identical runs), cold HTML
build / bare mkdocs, pairs alternated in one run, median of the pairs' ratios: 1.19 at the start
of the day; after Pagefind ran as a service fed record by record while MkDocs converts the pages,
lean records and the course pages cached: 1.124 (6 pairs), 1.072 (10), 1.115 (12), 1.086 (12);
bare build 4.0-4.6 s. Re-render after one word in Getty: 0.37 s (no entry reads it), 0.53 s (an
entry does: all apparatus pages are made again; 0.52-0.54 s with the code of the day before);
after a Martens edit 0.12 s.

Measured 2026-12-06 later (quiet machine, three runs of rerender_after_edit, medians of 5 edits
each): after the apparatus pages were made in parts, witness pages one by one, and chapters'
models and passages kept per version: a word in Getty where no entry reads it 0.25-0.26 s, where
an entry reads it 0.37-0.40 s; Getty with only a comment added 0.21-0.22 s; Martens 0.11 s;
`edition render` after `touch tei/getty.xml` (a new process) 0.25-0.34 s. After the TEI trees were
shared by the stages that only read them (teixml.read: Getty parsed once per render, not three
times), two runs: 0.21 s where no entry reads the word, 0.32 s where one does, 0.19 s for a
comment, Martens 0.10-0.11 s.
"""

from __future__ import annotations

import gzip
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    """Generate docs/edition/ once (publishing everything) so that the bare mkdocs build has its
    input."""
    subprocess.run(
        [sys.executable, "-m", "build_scripts", "build", "--publish-all", "--skip-check"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def rerender_after_edit() -> dict:
    """Edit one TEI file of a scratch copy; time the incremental render in this process and as a
    command."""
    from build_scripts.site import render as site

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("mkdocs.yml", "docs", "sources", "tei", "references.bib", "CHANGELOG.md"):
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, root / name)
        project = site.Project(root)
        site.render(project, everything=True)
        tei = root / "tei" / "martens.xml"
        tei.write_text(
            tei.read_text(encoding="utf-8").replace("a complete panic", "a complete  panic"),
            encoding="utf-8",
        )
        start = time.perf_counter()
        result = site.render(project, everything=True)
        edited = time.perf_counter() - start
        getty = root / "tei" / "getty.xml"
        largest = []
        for n in range(5):
            getty.write_text(
                getty.read_text(encoding="utf-8") + f"<!-- bench {n} -->\n", encoding="utf-8"
            )
            start = time.perf_counter()
            site.render(project, everything=True)
            largest.append(time.perf_counter() - start)
        # a word changed in a paragraph of the largest witness: one that no apparatus entry points
        # at, and one that an entry points at (its apparatus pages are made again: the worst case)
        cache = site.read_cache_file(site.app_cache_file(project))
        read = {r[1] for r in cache["reads"] if r[0] in ("resolve", "passage")}
        text = getty.read_text(encoding="utf-8")
        opening = re.findall(r'<p xml:id="([^"]+)">[A-Za-z]{3,}', text)
        words = {"unread": [], "read": []}
        for kind, ids in (
            ("unread", [i for i in opening if i not in read]),
            ("read", [i for i in opening if i in read]),
        ):
            for ident in ids[:: max(1, len(ids) // 5)][:5]:
                text = re.sub(rf'(<p xml:id="{re.escape(ident)}">)', r"\1x", text, count=1)
                getty.write_text(text, encoding="utf-8")
                start = time.perf_counter()
                site.render(project, everything=True)
                words[kind].append(time.perf_counter() - start)
    subprocess.run(
        [".venv/bin/edition", "render", "--publish-all"],
        cwd=ROOT,
        check=True,  # the cache as this setting leaves it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    start = time.perf_counter()
    subprocess.run(
        ["sh", "-c", "touch tei/getty.xml && .venv/bin/edition render --publish-all"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    command = time.perf_counter() - start
    return {
        "render_after_editing_martens_s": round(edited, 3),
        "rendered": result.rendered,
        "render_after_editing_getty_s (median of 5)": round(sorted(largest)[2], 3),
        "render_after_a_word_in_getty_where_no_entry_points_s (median of 5)": round(
            statistics.median(words["unread"]), 3
        ),
        "render_after_a_word_in_getty_where_an_entry_points_s (median of 5)": round(
            statistics.median(words["read"]), 3
        ),
        "edition_render_command_after_touch_s": round(command, 3),
    }


def search_index_size() -> dict:
    """Of the site last built (the public build above)."""
    index = ROOT / "site" / "search" / "search_index.json"
    data = index.read_bytes()
    return {
        "bytes": len(data),
        "gzip_bytes": len(gzip.compress(data, 9)),
        "gzip_kb": round(len(gzip.compress(data, 9)) / 1024, 1),
    }


def offline_zip_size() -> dict:
    archive = ROOT / "site" / "downloads" / "edition-offline.zip"
    return {"bytes": archive.stat().st_size, "mib": round(archive.stat().st_size / 2**20, 2)}


COLD = (
    "rm -rf build/out && "  # `edition build` keeps its outputs in build/out/: cold means none kept
)
# Nothing kept at all: no outputs, no rendered Markdown, no render cache (a fresh clone's first
# build, as CI makes it)
NOTHING = "rm -rf build/out build/site-cache* build/plan-cache.json docs/edition && "
HTML_BUILD = f"{sys.executable} -m build_scripts build --publish-all --skip-check --no-downloads"
BARE = ["python", "-m", "mkdocs", "build", "--strict", "-q", "-d", "build/bench-site"]
CASES = [
    ("edition build, cold (HTML only, --no-downloads)", ["sh", "-c", COLD + HTML_BUILD]),
    ("bare mkdocs build of the same Markdown", BARE),
    (
        "edition build, nothing kept (HTML only, no render cache)",
        ["sh", "-c", NOTHING + HTML_BUILD],
    ),
    (
        "edition build, nothing changed (every output reused)",
        ["python", "-m", "build_scripts", "build", "--publish-all", "--skip-check"],
    ),
    (
        "edition build, cold (with PDFs and offline zip)",
        ["sh", "-c", COLD + f"{sys.executable} -m build_scripts build --publish-all --skip-check"],
    ),
    (
        "edition pdf alone, publishing all (the PDFs of the build above)",
        [
            "env",
            "EDITION_PUBLISH_ALL=1",
            "python",
            "-m",
            "build_scripts",
            "pdf",
            "--out-dir",
            "build/bench-pdf",
        ],
    ),
    (
        "edition build, public settings, cold (with PDFs and offline zip)",
        ["sh", "-c", COLD + f"{sys.executable} -m build_scripts build --skip-check"],
    ),
    ("re-render after one TEI file changes", rerender_after_edit),
    ("search index size", search_index_size),
    ("offline zip size", offline_zip_size),
]

# (name, command, against, goal): measured in alternation, `runs` pairs; the median of the pairs'
# ratios is printed (bench/run.py)
RATIOS = [
    (
        "cold HTML build / bare mkdocs (goal <= 1.1)",
        ["sh", "-c", COLD + HTML_BUILD],
        BARE,
        1.1,
    ),
    (
        "HTML build with nothing kept / bare mkdocs",
        ["sh", "-c", NOTHING + HTML_BUILD],
        BARE,
        None,
    ),
]
