"""The apparatus pages are made again after a witness edit only when something they read of it
changed (build_scripts/apparatus/reads.py), and then they equal a clean render's.

The passages to edit are chosen by rule from what the last render recorded, not named: one that no
apparatus page read, one that a page read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from build_scripts.apparatus import reads
from build_scripts.apparatus import render as app_render
from build_scripts.site import parallel
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
    return site.read_cache_file(site.app_cache_file(project))


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

    parts = []  # the parts of the pages made again (Reader.fragment): only those that read it
    for module, name in ((app_render, "locus_page"), (app_render, "popover"), (parallel, "cell")):
        monkeypatch.setattr(
            module,
            name,
            lambda *a, real=getattr(module, name), **k: parts.append(1) or real(*a, **k),
        )
    hit = next((path, i) for path, i in paragraphs if i in read and first_word_edit(path, i))
    site.render(project, everything=True)
    assert made, (
        f"a word changed in {hit[1]}, which an apparatus page reads, left them as they were"
    )
    kept = site.read_cache_file(site.app_parts_file(project))["parts"]
    assert 0 < len(parts) < len(kept) / 4, (
        f"{len(parts)} of {len(kept)} parts made again after a word changed in {hit[1]}"
    )

    clean = tmp_path / "clean"
    site.render(project, out=clean, everything=True, use_cache=False)
    assert apparatus_pages(project.generated) == apparatus_pages(clean)


class Texts:
    """A corpus of passages by id (what the pages' parts read of it)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def passage(self, ident: str) -> str | None:
        return self.texts.get(ident)


def test_a_part_is_reused_while_what_it_read_is_unchanged():
    """Reader.fragment: a part whose reads find what they found is reused; one that read the
    changed passage, itself or through a value another part computed first, is made again."""
    calls = []

    def parts(corpus: Texts, previous: dict | None = None) -> tuple[app_render.Reader, dict]:
        rd = app_render.Reader(reads.Recorded(corpus), [], made={})
        if previous:
            rd.previous = json.loads(json.dumps(previous["parts"]))  # as the cache file keeps it
            rd.unchanged = reads.unchanged(corpus, previous["reads"])
        memo: dict = {}
        one = lambda: rd._memo(memo, "p1", lambda: rd.corpus.passage("p1"))  # noqa: E731
        values = {
            "a": rd.fragment("a", lambda: calls.append("a") or one() + "!"),
            "b": rd.fragment("b", lambda: calls.append("b") or rd.corpus.passage("p2")),
            "c": rd.fragment("c", lambda: calls.append("c") or one() + "?"),  # p1, remembered
        }
        return rd, {
            "values": values,
            "parts": rd.made,
            "reads": reads.fingerprints(corpus, rd.corpus.reads),
        }

    _, first = parts(Texts({"p1": "one", "p2": "two"}))
    assert calls == ["a", "b", "c"] and first["values"] == {"a": "one!", "b": "two", "c": "one?"}
    calls.clear()
    _, second = parts(Texts({"p1": "uno", "p2": "two"}), first)
    assert calls == ["a", "c"], "only the parts that read p1 are made again"
    assert second["values"] == {"a": "uno!", "b": "two", "c": "uno?"}
    calls.clear()
    parts(Texts({"p1": "uno", "p2": "two"}), second)
    assert calls == [], "nothing changed: every part is reused"
