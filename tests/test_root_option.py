"""`--root DIR` names the edition every command acts on, wherever it is written (`edition --root
DIR apparatus detect`, `edition apparatus detect --root DIR`) and wherever the command is run
from, even from inside another edition.

The project's folder is fixed once per process, when a module of build_scripts.project is first
imported (paths.ROOT): reading --root must import none of them, and a group's body must not look
for the project before its subcommand has read its own --root."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from conftest import ROOT, copy_project

EDITION = Path(sys.executable).with_name("edition")


def commands(group: click.Group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


def test_every_command_at_any_depth_takes_root():
    from build_scripts.cli import main

    found = list(commands(main))
    assert found
    for path, command in found:
        assert any(p.name == "root" for p in command.params), " ".join(path)


def test_reading_root_fixes_no_project():
    """In a fresh process: once `--root` is parsed, no module of build_scripts.project is
    loaded."""
    code = (
        "import sys\n"
        "from build_scripts.cli import main\n"
        "ctx = main.make_context('edition', ['--root', sys.argv[1], 'stats'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('build_scripts.project')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout


@pytest.fixture(scope="module")
def other(tmp_path_factory) -> Path:
    """A second edition with no apparatus file: `apparatus detect` run on it writes one there."""
    return copy_project(tmp_path_factory.mktemp("other") / "edition")


@pytest.mark.parametrize(
    "argv",
    [
        ["--root", "{other}", "apparatus", "detect"],
        ["apparatus", "detect", "--root", "{other}"],
        ["apparatus", "--root", "{other}", "detect"],
    ],
)
def test_root_names_the_edition_acted_on_from_inside_another(other, argv):
    apparatus = other / "tei" / "apparatus.xml"
    apparatus.unlink(missing_ok=True)
    here = ROOT / "tei" / "apparatus.xml"
    before = here.read_bytes() if here.exists() else None
    done = subprocess.run(
        [str(EDITION), *[a.format(other=other) for a in argv]],
        cwd=ROOT / "tei",  # inside the checkout, which is an edition too
        capture_output=True,
        text=True,
        env={**os.environ, "EDITION_ROOT": ""},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert apparatus.exists(), done.stdout + done.stderr  # written in the edition --root names
    assert (here.read_bytes() if here.exists() else None) == before  # and nowhere else


def test_a_project_fixed_before_root_was_read_stops_the_command(other):
    """The guard: had a module fixed the project before --root was parsed, the command would act
    on the wrong edition; it stops with one line instead."""
    code = (
        "import sys\n"
        "import build_scripts.project.paths\n"  # fixes the project at the current folder
        "from build_scripts.cli import run\n"
        "sys.argv = ['edition', '--root', sys.argv[1], 'stats']\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(other)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "EDITION_ROOT": ""},
    )
    assert done.returncode == 70, done.stdout + done.stderr
    assert "[project.resolved-early]" in done.stderr
    assert "Traceback" not in done.stderr
