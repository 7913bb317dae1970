"""The code is linted and formatted (ruff, configured in pyproject.toml); lines are at most 100
characters.

Lines over 100 characters written before the limit was set are held by a ratchet: each file may keep
at most the number recorded in tests/data/long-lines.json, a file not listed may have none, and the
count only goes down (`python tests/test_style.py --update` records lower counts, never higher
ones).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tests" / "data" / "long-lines.json"
LIMIT = 100
FOLDERS = ("build_scripts", "tests", "bench")


def python_files() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py"))


def long_lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if len(line) > LIMIT)


def counts() -> dict[str, int]:
    return {str(p.relative_to(ROOT)): n for p in python_files() if (n := long_lines(p))}


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (requirements-dev.txt pins it)")
    done = subprocess.run([ruff, "check", *FOLDERS], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


def test_the_code_is_formatted():
    """`ruff format` (line length 100) leaves every file as it is: run it before committing."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (requirements-dev.txt pins it)")
    done = subprocess.run(
        [ruff, "format", "--check", *FOLDERS], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, "run `.venv/bin/ruff format`:\n" + done.stdout[-3000:]


def test_no_file_gains_long_lines():
    allowed = json.loads(BASELINE.read_text(encoding="utf-8"))
    over = {f: (n, allowed.get(f, 0)) for f, n in counts().items() if n > allowed.get(f, 0)}
    assert not over, "lines over 100 characters (file: now, allowed): " + ", ".join(
        f"{f}: {n} > {a}" for f, (n, a) in sorted(over.items())
    )


def test_the_ratchet_can_fail(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("x = 1\n" + "y = '" + "a" * 120 + "'\n", encoding="utf-8")
    assert long_lines(sample) == 1


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    old = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else None
    now = counts()
    new = now if old is None else {f: min(n, old.get(f, 0)) for f, n in now.items()}
    BASELINE.write_text(json.dumps(new, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{sum(new.values())} long lines in {len(new)} files recorded")
