"""Issue 16: the generated Markdown builds without hooks with MkDocs, ProperDocs (its maintained
fork) and Zensical; MkDocs and ProperDocs make the same pages, and Zensical keeps what readers rely
on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lhtml

from build_scripts.publish import build as site_build
from build_scripts.site import engine, registry
from build_scripts.site import render as site

from conftest import ROOT, copy_project

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("engines")]
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> site.Project:
    """A scratch edition with one redirect of a gone page (M.body-1) to the page holding
    M.body.p1."""
    root = copy_project(tmp_path_factory.mktemp("engines"))
    project = site.Project(root)
    project.registry.write_text(
        registry.HEADER + "M.body.p0\tmartens.xml\tedition/martens/M.body-1/#M.body.p0\n",
        encoding="utf-8",
    )
    project.redirects.write_text("redirects:\n  M.body.p0: M.body.p1\n", encoding="utf-8")
    return project


def built(project: site.Project, engine_name: str) -> Path:
    out = project.root / f"site-{engine_name}"
    if not out.exists():
        result = site_build.build(
            project,
            everything=True,
            site_dir=out,
            check=False,
            keep_markdown=False,
            extras=False,
            engine=engine_name,
            out_dir=project.root / "build" / f"out-{engine_name}",
        )
        assert result.ok, result.problems
    return out


def test_mkdocs_yml_has_no_hooks_and_the_generated_config_has_the_texts():
    import yaml

    assert "hooks" not in yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("other", ["properdocs"])
def test_mkdocs_and_properdocs_make_the_same_pages(project, other):
    a, b = built(project, "mkdocs"), built(project, other)
    pages_a = sorted(p.relative_to(a) for p in a.rglob("*.html"))
    assert pages_a == sorted(p.relative_to(b) for p in b.rglob("*.html"))
    differ = [
        p
        for p in pages_a
        if GENERATOR.sub(b"", (a / p).read_bytes()) != GENERATOR.sub(b"", (b / p).read_bytes())
    ]
    assert not differ, differ[:5]
    # MkDocs' build indexes each page while it runs (build_scripts/site/search_beside.py); the other
    # engines' are indexed from the written pages afterwards: the same indexes. Pagefind names
    # each passage's fragment by a hash of its content.
    index = "search/search_index.json"
    assert (a / index).read_bytes() == (b / index).read_bytes()
    fragments = [sorted(p.name for p in (d / "pagefind" / "fragment").iterdir()) for d in (a, b)]
    assert fragments[0] and fragments[0] == fragments[1]


def reader_essentials(project: site.Project, out: Path, index_file: str) -> None:
    """What readers rely on, whatever the engine: Texts navigation, redirects, edit links to the
    TEI, transliteration variants in search, download links."""
    getty = lhtml.fromstring((out / "edition" / "getty" / "G.c1" / "index.html").read_bytes())
    nav = " ".join(
        getty.xpath("//nav[contains(@class,'md-nav--primary')]")[0].text_content().split()
    )
    assert "Texts" in nav and "Other texts" in nav
    own = [a.get("href") for a in getty.xpath("//nav[contains(@class,'md-nav--primary')]//a")]
    assert any(h and "G.c2" in h for h in own) and not any(h and "/martens/" in h for h in own)
    assert getty.xpath("//a[@rel='edit']/@href")[0].endswith("/tei/getty.xml")
    moved = lhtml.fromstring((out / "edition" / "martens" / "M.body-1" / "index.html").read_bytes())
    assert moved.xpath("//link[@rel='canonical']/@href") == ["../M.body/#M.body.p1"]
    assert (
        (out / engine.REDIRECTS_JS)
        .read_text(encoding="utf-8")
        .startswith("window.__edition_redirects")
    )
    index = json.loads((out / index_file).read_text(encoding="utf-8"))
    entries = index.get("docs") or index.get("items")
    with_ezhov = [d for d in entries if "Ezhov" in d.get("text", "")]
    assert with_ezhov and all("Yezhov" in d["text"] for d in with_ezhov)
    about = lhtml.fromstring((out / "about" / "offline" / "index.html").read_bytes())
    links = [h for h in about.xpath("//article//a/@href") if "downloads/" in h]
    assert links and all((out / "about" / "offline" / h).resolve().exists() for h in links)


def test_mkdocs_build_without_hooks_keeps_what_readers_rely_on(project):
    reader_essentials(project, built(project, "mkdocs"), "search/search_index.json")


def test_zensical_smoke_build_keeps_what_readers_rely_on(project):
    reader_essentials(project, built(project, "zensical"), "search.json")
