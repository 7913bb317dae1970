"""Issue 15: what a course pack reads repeatedly is read once, and never served stale.
The manifest is parsed once per content of the file; a course pack plans only the witnesses it
links into, with the same result as the site's whole plan."""

from __future__ import annotations

import shutil

from build_scripts.project import witnesses as manifest
from build_scripts.project.paths import Project
from build_scripts.site import render as site_render
from conftest import ROOT


def test_manifest_is_parsed_once_and_reread_when_edited(tmp_path):
    path = tmp_path / "witnesses.yml"
    shutil.copy(ROOT / "sources" / "witnesses.yml", path)
    first, problems = manifest.load(path)
    assert first and not problems
    hits = manifest._parse.cache_info().hits
    again, _ = manifest.load(path)
    assert again == first and manifest._parse.cache_info().hits == hits + 1  # not parsed again
    again.append("caller's own")  # each call has its own list: the remembered one is untouched
    assert manifest.load(path)[0] == first
    # an edit of the same size, at once (same mtime tick): read again, never stale
    text = path.read_text(encoding="utf-8")
    siglum = first[0].siglum
    other = "Q" * len(siglum)
    swapped = text.replace(f"siglum: {siglum}\n", f"siglum: {other}\n", 1)
    assert swapped != text and len(swapped.encode()) == len(text.encode())
    path.write_text(swapped, encoding="utf-8")
    assert manifest.load(path)[0][0].siglum == other


def test_a_broken_manifest_still_gets_its_one_clear_message(tmp_path):
    path = tmp_path / "witnesses.yml"
    path.write_text("witnesses:\n  - siglum: G\n   file: [\n", encoding="utf-8")
    wits, problems = manifest.load(path)
    assert not wits and len(problems) == 1 and problems[0].code == "manifest.unreadable"
    assert problems[0].location.line is not None


def test_one_witness_plan_equals_the_whole_plan():
    project = Project()
    whole = site_render.plan(project)
    site_render._PLANS.clear()  # as in a fresh process: the course pack asks for one witness
    site_render._ONE_PLANS.clear()
    for file in whole:
        assert site_render.witness_plan(file, project) == {file: whole[file]}
    assert site_render.witness_plan("no-such-file.xml", project) == {}
