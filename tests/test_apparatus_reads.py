"""The apparatus pages are made again after a witness edit only when something they read of it
changed (build_scripts/apparatus/reads.py), and then they equal a clean render's.

The passages to edit are chosen by rule from what the last render recorded, not named: one that no
apparatus page read, one that a page read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from build_scripts.site import render as site
from conftest import copy_project

pytestmark = pytest.mark.slow


def apparatus_pages(out: Path) -> dict[str, str]:
    folder = out / "apparatus"
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in folder.rglob("*")}


def first_word_edit(path: Path, ident: str) -> bool:
    """Add a letter to the first word of paragraph `ident` (False if it opens with no word)."""
    text = path.read_text(encoding="utf-8")
    m = re.search(rf'(<p xml:id="{re.escape(ident)}"[^>]*>)([A-Za-z]{{3,}})', text)
    if not m:
        return False
    path.write_text(text[: m.end()] + "x" + text[m.end() :], encoding="utf-8")
    return True


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("reads") / "edition")
    project = site.Project(root)
    site.render(project, everything=True)
    return project


def recorded(project) -> dict:
    return json.loads(site.app_cache_file(project).read_text(encoding="utf-8"))


def test_the_pages_read_the_witnesses_only_in_ways_that_can_be_checked(rendered):
    cache = recorded(rendered)
    unchecked = [r for r in cache["reads"] if r[0] == "attribute"]
    assert not unchecked, f"the apparatus pages read {unchecked}: list it in reads.Recorded"
    assert cache["reads_digest"], "no digest of what the pages read"
    assert any(r[0] == "resolve" for r in cache["reads"]), "the pages read no passage at all"


def test_an_edit_where_no_page_reads_keeps_the_pages_and_one_where_they_read_remakes_them(
    rendered, monkeypatch, tmp_path
):
    project = rendered
    read = {r[1] for r in recorded(project)["reads"] if r[0] in ("resolve", "passage")}
    made = []
    real = site.app_reader
    monkeypatch.setattr(site, "app_reader", lambda *a: made.append(1) or real(*a))

    tei_files = sorted(p for p in project.tei_dir.glob("*.xml") if p.name != "apparatus.xml")
    paragraphs = [
        (path, i)
        for path in tei_files
        for i in re.findall(r'<p xml:id="([^"]+)"', path.read_text(encoding="utf-8"))
    ]
    unread = next((path, i) for path, i in paragraphs if i not in read and first_word_edit(path, i))
    site.render(project, everything=True)
    assert not made, f"a word changed in {unread[1]}, which no apparatus page reads, remade them"

    hit = next((path, i) for path, i in paragraphs if i in read and first_word_edit(path, i))
    site.render(project, everything=True)
    assert made, (
        f"a word changed in {hit[1]}, which an apparatus page reads, left them as they were"
    )

    clean = tmp_path / "clean"
    site.render(project, out=clean, everything=True, use_cache=False)
    assert apparatus_pages(project.generated) == apparatus_pages(clean)
