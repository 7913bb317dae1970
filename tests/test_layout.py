"""The toolchain's layout mirrors the pipeline, and imports run one way (a stage never imports a
later one).

problems → project → tei → bib → importers → apparatus → site → pdf → check → publish → cli
A module may import from its own package or from any earlier layer, never from a later one; this
holds for imports inside functions too (they are dependencies all the same).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "build_scripts"
LAYERS = [
    "problems",
    "project",
    "tei",
    "bib",
    "importers",
    "apparatus",
    "site",
    "pdf",
    "check",
    "publish",
    "cli",
]
TOP = {"__init__", "__main__"}  # the package's own entry points may import anything


def stage(module: str) -> str:
    """`build_scripts.tei.load` → `tei`; `build_scripts.check` → `check`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("build_scripts")
        ):
            if node.module == "build_scripts":
                found += [(node.lineno, f"build_scripts.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name) for a in node.names if a.name.startswith("build_scripts.")
            ]
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_stage():
    for path in MODULES:
        rel = path.relative_to(PACKAGE)
        name = rel.parts[0].removesuffix(".py")
        assert name in LAYERS or name in TOP, (
            f"build_scripts/{rel}: not in a stage package; put it in one of {LAYERS}"
        )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path):
    rel = path.relative_to(PACKAGE)
    own = rel.parts[0].removesuffix(".py")
    if own in TOP:
        return
    for line, module in imported_modules(path):
        other = stage(module)
        assert other in LAYERS, (
            f"build_scripts/{rel}:{line}: imports {module}, which is in no stage"
        )
        assert LAYERS.index(other) <= LAYERS.index(own), (
            f"build_scripts/{rel}:{line}: the {own} stage "
            f"imports {module} from the later {other} stage"
        )


def test_the_layering_rule_can_fail(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("def f():\n    from build_scripts.site import render\n", encoding="utf-8")
    assert imported_modules(bad) == [(2, "build_scripts.site")]
    assert LAYERS.index(stage("build_scripts.site.render")) > LAYERS.index("tei")
