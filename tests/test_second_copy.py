"""The edition is where you stand: the installed `edition`, run inside a second copy of the project
that has nothing beside it (no ../shared, no checkout), checks, builds and makes a course pack of
that copy, and never of the checkout it was installed from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("second-copy")]
EDITION = Path(sys.executable).with_name("edition")  # the console script of the checkout's venv


def edition(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(EDITION), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), "EDITION_ROOT": ""},
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    # a folder of its own: nothing named "shared" beside it or above it
    root = copy_project(tmp_path_factory.mktemp("lonely") / "a" / "second-copy")
    assert not any((p / "shared").exists() for p in (root, *root.parents))
    return root


def test_check_acts_on_the_copy_it_is_run_in(copy):
    tei = copy / "tei" / "martens.xml"
    good = tei.read_text(encoding="utf-8")
    tei.write_text(good.replace("<body>", "<body><bogus/>", 1), encoding="utf-8")
    try:
        broken = edition(copy / "tei", "check")  # from a subfolder: the nearest edition above it
        assert broken.returncode == 1, broken.stdout + broken.stderr
        assert "martens.xml" in broken.stderr and "bogus" in broken.stderr
    finally:
        tei.write_text(good, encoding="utf-8")
    assert edition(copy, "check").returncode == 0  # the checkout's files played no part


def test_outside_any_edition_one_line_says_so(tmp_path):
    done = edition(tmp_path, "check")
    assert done.returncode == 2 and "[project.not-found]" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_build_and_course_pack_are_made_in_the_copy(copy):
    tei = copy / "tei" / "martens.xml"
    tei.write_text(
        tei.read_text(encoding="utf-8").replace(
            "provoked a complete panic", "provoked a complete SECONDCOPY panic", 1
        ),
        encoding="utf-8",
    )
    # two sentences joined on one line: a layout `edition fmt` would change, which does not stop a
    # build (a warning), while `edition fmt --check` (CI) and `make check` report it
    text = tei.read_text(encoding="utf-8")
    body, at = text.index("<body"), text.index("SECONDCOPY")
    joint = text.index(".\n", at)
    tei.write_text(text[:joint] + ". " + text[joint + 2 :].lstrip(" "), encoding="utf-8")
    assert body < at and edition(copy, "fmt", "--check", "tei/martens.xml").returncode != 0
    built = edition(copy, "build", "--no-downloads", "--publish-all")
    assert built.returncode == 0, built.stderr[-3000:]
    assert "[fmt.non-canonical]" in built.stderr
    assert (
        edition(copy, "fmt", "tei/martens.xml").returncode == 0
    )  # the editing loop of CONTRIBUTING
    page = next((copy / "site" / "edition" / "martens").rglob("index.html"))
    pages = [
        p.read_text(encoding="utf-8")
        for p in (copy / "site" / "edition" / "martens").rglob("*.html")
    ]
    assert page and any("SECONDCOPY" in text for text in pages)
    assert (
        not any(
            "SECONDCOPY" in p.read_text(encoding="utf-8", errors="replace")
            for p in (ROOT / "site").rglob("*.html")
        )
        if (ROOT / "site").exists()
        else True
    )
    course = sorted((copy / "courses").glob("*.yml"))[0]
    made = edition(copy, "pdf", "--course", str(course.relative_to(copy)))
    assert made.returncode == 0, made.stderr[-3000:]
    assert (copy / "pdf" / f"course-{course.stem}.pdf").stat().st_size > 10_000
