"""A witness's text pages are made again one by one: a page of the last render is reused while it is
made of the same nodes (and the same code and shared inputs) and every look-up it made of the rest
of the site (where an id is published, apparatus marks, bibliography keys) answers the same
(site.render.render_witness). Checked against a render without any cache.

The paragraph to edit and the look-up to change are chosen by rule from the edition, not named."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from build_scripts.project import witnesses as manifest
from build_scripts.site import render as site
from conftest import copy_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> site.Project:
    root = copy_project(tmp_path_factory.mktemp("pages") / "edition")
    project = site.Project(root)
    site.render(project, everything=True)
    return project


def generated(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def counting(monkeypatch) -> list[str]:
    """The pages render_page is asked to make (their paths under docs/)."""
    made: list[str] = []
    real = site.render_page

    def render_page(nodes, ctx, *args, **kwargs):
        made.append(ctx.page)
        return real(nodes, ctx, *args, **kwargs)

    monkeypatch.setattr(site, "render_page", render_page)
    return made


def test_a_word_edit_makes_its_page_again_and_no_other(project, monkeypatch, tmp_path):
    wits, _ = manifest.load(project.manifest)
    state = site.read_cache(project)["witnesses"]
    # the witness with the most pages, and a paragraph on one of them that opens with a word
    w = max((w for w in wits if w.tei in state), key=lambda w: len(state[w.tei]["pages"]))
    path = project.tei(w)
    text = path.read_text(encoding="utf-8")
    found = next(
        m
        for m in re.finditer(r'<p xml:id="([^"]+)">([A-Za-z]{3,})', text)
        if m.group(1) in state[w.tei]["anchors"]
    )
    page = state[w.tei]["anchors"][found.group(1)][0]
    path.write_text(text[: found.end()] + "x" + text[found.end() :], encoding="utf-8")
    made = counting(monkeypatch)
    site.render(project, everything=True)
    assert made == [page], f"a word changed on {page}; pages made again: {made}"
    monkeypatch.undo()
    clean = tmp_path / "clean"
    site.render(project, out=clean, everything=True, use_cache=False)
    assert generated(project.generated) == generated(clean)


def test_a_page_whose_look_up_answers_otherwise_is_made_again(project, monkeypatch):
    """Where another witness publishes an id that a page links to is one of its look-ups: when it
    answers otherwise, that page is made again, and the pages that did not ask are reused."""
    wits, _ = manifest.load(project.manifest)
    kept = {
        w: site.read_cache_file(site.pages_file(project, w.tei)).get("pages", {})
        for w in wits
        if site.pages_file(project, w.tei).exists()
    }
    state = copy.deepcopy(site.read_cache(project)["witnesses"])
    # a page of a witness of two pages or more that looked up where an id of another witness (of
    # two pages or more) is published
    w, src, (file, ident) = next(
        (w, src, args)
        for w, pages in kept.items()
        for src, (_, log, _, _) in pages.items()
        for name, args, found in log
        if name == "page"
        and len(pages) > 1
        and args[0] != w.tei
        and args[1]
        and found
        and len(state.get(args[0], {}).get("pages", [])) > 1
    )
    anchors = state[file]["anchors"]
    moved = next(p for p, _ in state[file]["pages"] if p != anchors[ident][0])
    anchors[ident] = [moved, anchors[ident][1]]  # as if the id had moved to another page
    doc = site.witness_doc(project, w, True, {})
    pages = site.plan_pages(w, doc)
    _, bib_keys, _, bib = site.bibliography(project)
    result = site.Result(
        cache_key=site.cache_key(project, True, project.bib.exists()), bib_notes=bib["notes"]
    )
    made = counting(monkeypatch)
    files = site.render_witness(w, pages, state, bib_keys, result, project)
    assert src in made, f"{src} looked up {ident} of {file}, which moved, and was reused"
    assert len(made) < len(pages), "every page was made again: none was reused"
    assert moved.removeprefix("edition/").rsplit(".", 1)[0] in files[src]
