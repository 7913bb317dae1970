"""Shared fixtures: project paths, the loaded witnesses, golden-file comparison."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a copy of the edition needs to check, render, build and make its PDFs (no generated pages)
PROJECT_PARTS = (
    "tei",
    "sources",
    "courses",
    "docs",
    "overrides",
    "vendor",
    "schema",
    "references.bib",
    "CHANGELOG.md",
    "mkdocs.yml",
)


def copy_project(to: Path) -> Path:
    """A copy of the edition in `to`, without its generated pages (docs/edition/, downloads/)."""
    to.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, to / name, ignore=shutil.ignore_patterns("edition", "downloads"))
        elif src.exists():
            shutil.copy2(src, to / name)
    return to


SHARED = ROOT.parent / "shared"


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite golden files from the current output"
    )


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def assert_golden(actual: str, expected_path: Path, update: bool) -> None:
    """Compare with a committed golden file; `pytest --update-golden` rewrites it for review."""
    if update or not expected_path.exists():
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        expected_path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"{expected_path} did not exist; written now. Review it and commit it.")
        return
    expected = expected_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), actual.splitlines(True), str(expected_path), "actual"
            )
        )
        pytest.fail(
            f"{diff}\nIf the new output is right: pytest --update-golden, then review `git diff`."
        )


EVERY_RESULT_SHOWN = (
    "() => !document.querySelector("
    "'.md-search-result__list > li.md-search-result__item:not(:has(a))')"
)


def search(page, query: str):
    """Type a query into Material's search box as a reader does (keyup events) and return the result
    links. The search index loads in a worker; a query typed before it is ready finds nothing, so it
    is typed again, up to three times."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    results = page.locator(".md-search-result__item a")
    for attempt in range(3):
        page.locator("input.md-search__input").fill("")
        page.locator("input.md-search__input").press_sequentially(query, delay=40)
        try:
            results.first.wait_for(timeout=15000)
            # the online search shows the first passage, then the others of the page as their
            # fragments load (docs/assets/search/search.js): wait until none is still empty
            page.wait_for_function(EVERY_RESULT_SHOWN, timeout=15000)
            return results
        except Exception:
            if attempt == 2:
                raise
    return results
