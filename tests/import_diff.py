"""Compare what `edition import all` writes with the code of another commit and with this tree.

    .venv/bin/python tests/import_diff.py [BASE]      # BASE: a git ref, default main

Exports BASE (`git archive`) to a temporary folder, imports every witness there with BASE's code
and BASE's tables, imports every witness here with this tree's code and tables, and compares the
TEI files byte for byte. Exit status 0 when every file is identical. Use it to prove that a
refactoring of the importers (such as moving their tables to sources/import/) changes no output.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = "from build_scripts.cli import run; run()"


def import_all(tree: Path, out: Path) -> None:
    env = {**os.environ, "EDITION_ROOT": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", RUN, "import", "all", "--out-dir", str(out)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    if not any(out.glob("*.xml")):
        sys.exit(f"import in {tree} wrote nothing:\n{done.stdout}{done.stderr}")


def main(base: str = "main") -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tree = work / "base"
        tree.mkdir()
        archive = subprocess.run(
            ["git", "archive", base], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        before, after = work / "before", work / "after"
        import_all(tree, before)
        import_all(ROOT, after)
        names = sorted(
            {p.name for p in before.glob("*.xml")} | {p.name for p in after.glob("*.xml")}
        )
        differ = 0
        for name in names:
            a, b = before / name, after / name
            if not a.exists() or not b.exists():
                print(f"{name}: only {'here' if b.exists() else base}")
                differ += 1
            elif a.read_bytes() != b.read_bytes():
                print(
                    f"{name}: differs ({a.stat().st_size} bytes at {base}, {b.stat().st_size} here)"
                )
                differ += 1
            else:
                print(f"{name}: identical ({b.stat().st_size} bytes)")
        return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
