"""The render cache cannot go stale: after any sequence of edits to any input, an incremental render
gives byte for byte the pages a clean render gives.

Edits are made to a copy of the edition, the way an editor makes them (a word in a witness, an
apparatus decision, a claim's note, a bibliography entry, the manifest, the excerpt list, a course
pack), and `edition render` runs in that copy as a separate process (so nothing can read the
checkout's files by mistake). The clean render runs in a second copy without build/ (no cache at
all).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from build_scripts.site import render as site
from conftest import copy_project

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cache")]


def render(root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "build_scripts", "--root", str(root), "render"],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def pages(root: Path) -> dict[str, bytes]:
    out = root / "docs" / "edition"
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


# --- edits, as an editor makes them -------------------------------------------------------------
def _sub_once(path: Path, pattern: str, repl, n: int) -> bool:
    text = path.read_text(encoding="utf-8")
    hits = list(re.finditer(pattern, text))
    if not hits:
        return False
    m = hits[n % len(hits)]
    new = repl(m) if callable(repl) else repl
    path.write_text(text[: m.start()] + new + text[m.end() :], encoding="utf-8")
    return True


def edit_word(root: Path, n: int) -> None:
    files = sorted(p for p in (root / "tei").glob("*.xml") if p.name != "apparatus.xml")
    path = files[n % len(files)]
    _sub_once(
        path,
        r"(<p xml:id=\"[^\"]{1,40}\">)([A-Z][a-z]{3,})",
        lambda m: m.group(1) + m.group(2) + "x",
        n,
    )


def edit_read_word(root: Path, n: int) -> None:
    """A word in a passage that an apparatus page read at the last render (the render cache
    records which): its pages are made again in part (apparatus.render.Reader.fragment)."""
    cache = site.read_cache_file(site.app_cache_file(site.Project(root)))
    if not cache:
        return edit_word(root, n)
    read = sorted({r[1] for r in cache["reads"] if r[0] == "resolve"})
    files = sorted(p for p in (root / "tei").glob("*.xml") if p.name != "apparatus.xml")
    for k in range(len(read)):
        ident = read[(n + k) % len(read)]
        for path in files:
            if _sub_once(
                path,
                rf'(xml:id="{re.escape(ident)}"[^>]*>)([A-Za-z]{{3,}})',
                lambda m: m.group(1) + m.group(2) + "x",
                0,
            ):
                return


def edit_decision(root: Path, n: int) -> None:
    _sub_once(root / "tei" / "apparatus.xml", r'ana="#unreviewed', 'ana="#rejected', n)


def edit_claim_note(root: Path, n: int) -> None:
    _sub_once(
        root / "tei" / "apparatus.xml",
        r'(<note type="editorial"[^>]*>)',
        lambda m: m.group(1) + "Revised. ",
        n,
    )


def edit_bib(root: Path, n: int) -> None:
    _sub_once(root / "references.bib", r"title\s*=\s*\{", lambda m: m.group(0) + "Revised ", n)


def edit_manifest(root: Path, n: int) -> None:
    _sub_once(
        root / "sources" / "witnesses.yml",
        r"(?m)^(    short: )(.+)$",
        lambda m: m.group(1) + m.group(2).rstrip() + " [rev]",
        n,
    )


def edit_excerpts(root: Path, n: int) -> None:
    _sub_once(root / "sources" / "excerpts.yml", r"(?m)^  - [A-Za-z0-9.]+[^\n]*\n", "", n)


def edit_course(root: Path, n: int) -> None:
    files = sorted((root / "courses").glob("*.yml"))
    if files:
        _sub_once(files[n % len(files)], r'(?m)^(title: ")', lambda m: m.group(1) + "Revised: ", n)


EDITS = [
    edit_word,
    edit_read_word,
    edit_decision,
    edit_claim_note,
    edit_bib,
    edit_manifest,
    edit_excerpts,
    edit_course,
]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("cache") / "edition")
    render(root)
    return root


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 500)), min_size=1, max_size=2))
def test_incremental_render_equals_clean_render(base, tmp_path_factory, edits):
    work = tmp_path_factory.mktemp("inc") / "edition"
    shutil.copytree(base, work)  # the rendered copy with its cache, as an editor's clone would be
    for edit, n in edits:
        edit(work, n)
        render(work)
    clean = tmp_path_factory.mktemp("clean") / "edition"
    shutil.copytree(work, clean, ignore=shutil.ignore_patterns("build", "edition"))
    render(clean)
    incremental, fresh = pages(work), pages(clean)
    assert incremental.keys() == fresh.keys(), "pages differ: " + str(
        sorted(incremental.keys() ^ fresh.keys())[:10]
    )
    stale = [name for name in fresh if incremental[name] != fresh[name]]
    assert not stale, f"stale after {[(e.__name__, n) for e, n in edits]}: {stale[:10]}"


def test_the_property_can_fail(base, tmp_path):
    """A render whose cache ignored the apparatus would be caught: stale pages differ from clean
    ones."""
    work = tmp_path / "edition"
    shutil.copytree(base, work)
    before = pages(work)
    edit_decision(work, 0)
    clean = tmp_path / "clean"
    shutil.copytree(work, clean, ignore=shutil.ignore_patterns("build", "edition"))
    render(clean)
    assert pages(clean) != before, (
        "rejecting an entry must change some page (else the test proves nothing)"
    )


def test_a_course_pack_edit_reaches_its_page(base, tmp_path):
    """The course pages are reused from the cache only while nothing they read changed."""
    work = tmp_path / "edition"
    shutil.copytree(base, work)
    edit_course(work, 0)
    render(work)
    courses = [text for name, text in pages(work).items() if name.startswith("courses/")]
    assert any(b"Revised: " in text for text in courses)
