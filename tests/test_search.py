"""Search (build_scripts/site/search.py): which pages are indexed and as what, the passages a page
is cut into, the words added to the index (digits of mixed tokens, transliteration variants), and
the tuning of Material's index for the offline copy. Fast: small HTML made here, no site build."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from lxml import html as lhtml

from build_scripts.site import search

PAGE = """<!DOCTYPE html><html><body><div class="md-content"><article class="md-content__inner">
<div class="edition-meta" hidden data-siglum="K"></div>
<h1 id="K.art">The Objectives<a class="headerlink" href="#K.art">¶</a></h1>
<p id="K.art.p1" data-page="1">{p1}</p>
<p id="K.art.p2" data-page="2">{p2}</p>
<div class="footnote"><ol><li id="fn:1"><p>A note on Ezhov.</p></li></ol></div>
</article></div></body></html>"""


def doc(p1="First paragraph.", p2="Second paragraph."):
    return lhtml.fromstring(PAGE.format(p1=p1, p2=p2))


def test_kinds_of_pages():
    assert search.kind_of("edition/getty/G.c6/") == "text"
    assert search.kind_of("edition/getty/G.notes/") == "notes"
    assert search.kind_of("edition/apparatus/claim.x/") == "apparatus"
    assert search.kind_of("edition/getty/") == "editorial"
    assert search.kind_of("about/encoding/") == "editorial"
    assert search.kind_of("") == "editorial"
    assert set(search.KINDS) >= {"text", "notes", "apparatus", "editorial"}


def test_list_pages_and_non_pages_are_not_indexed():
    for listing in search.LIST_PAGES:
        assert search.url_of(listing + "index.html") is None
    # a parallel view holds two witnesses' passages, each found on its own page
    assert search.url_of("edition/apparatus/compare-G-S/index.html") is None
    assert search.url_of("edition/apparatus/compare-G-S.html") is None  # offline copy
    assert search.url_of("edition/apparatus/claim.x/index.html") == "edition/apparatus/claim.x/"
    assert search.url_of("404.html") is None
    assert search.url_of("assets/x.html") is None
    assert search.url_of("edition/getty/G.c6/index.html") == "edition/getty/G.c6/"
    assert (
        search.page_key("edition/getty/G.c6.html#G.c6.p1") == "edition/getty/G.c6/"
    )  # offline copy


def test_a_result_title_names_witness_and_chapter():
    page = search.info("edition/khlevnyuk/K.art/index.html", doc(), {"K": "Khlevnyuk 1995"}, {})
    assert page.kind == "text" and page.witnesses == ["Khlevnyuk 1995"]
    assert page.title == "Khlevnyuk 1995 · The Objectives"  # the ¶ of the permalink is not in it
    assert search.PageInfo("about/", "editorial", [], "About").title == "Edition · About"


def test_a_page_of_no_witness_under_edition_is_editorial():
    plain = lhtml.fromstring(
        "<html><body><article><h1>Centre and regions</h1><p>x</p></article></body></html>"
    )
    page = search.info("edition/courses/centre/index.html", plain, {}, {})
    assert page.kind == "editorial" and page.title == "Course pack · Centre and regions"


def test_an_apparatus_entry_is_filed_under_every_witness_it_compares():
    entry = lhtml.fromstring(
        "<html><body><article><h1>Claim</h1><table><tr>"
        '<th><a href="../../khlevnyuk/K.art/#K.art.p16">K</a></th>'
        '<th><a href="../../emelyanov/E.pt3/#x">E</a></th></tr></table></article></body></html>'
    )
    folders = {"khlevnyuk": "Khlevnyuk 1995", "emelyanov": "Emelyanov 2012"}
    page = search.info("edition/apparatus/claim.x/index.html", entry, {}, folders)
    assert page.kind == "apparatus" and page.witnesses == ["Khlevnyuk 1995", "Emelyanov 2012"]


def test_digits_inside_tokens():
    assert search.mixed_digits("the order N00447 of 1937") == ["00447"]
    assert search.mixed_digits("in 1937 and 00447") == []  # plain numbers are found as they are
    assert search.mixed_digits("") == []


def test_a_page_is_cut_into_passages_with_its_notes_apart():
    long = "word " * 400
    article = doc(p1=long, p2=long).xpath("//article")[0]
    cut = search.passages(article, "text", target=1000)
    kinds = [p.kind for p in cut]
    assert kinds.count("notes") == 1 and kinds[-1] == "notes"
    texts = [p for p in cut if p.kind == "text"]
    assert len(texts) >= 2  # two long paragraphs do not share a passage of 1000 characters
    second = next(p for p in texts if any(b.get("id") == "K.art.p2" for b in p.blocks))
    assert second.anchor == "K.art.p2" and second.page == "2"  # linked to its paragraph and page
    assert sum(len(p.blocks) for p in cut) == 4  # h1, p, p, note: nothing lost, nothing twice


def test_records_carry_metadata_filters_and_added_words():
    page = search.PageInfo("edition/khlevnyuk/K.art/", "text", ["Khlevnyuk 1995"], "The Objectives")
    recs = search.records(doc(p1="the order N00447 by Ezhov"), page, {"Ezhov": {"Yezhov"}})
    joined = "".join(html for _, html in recs)
    assert 'data-pagefind-filter="witness">Khlevnyuk 1995<' in joined
    assert (
        'data-pagefind-filter="kind">notes<' in joined
        and 'data-pagefind-filter="kind">text<' in joined
    )
    assert 'data-pagefind-meta="title">Khlevnyuk 1995 · The Objectives<' in joined
    # each added word right after the word it belongs to (the context shown is that word's)
    assert "N00447 " + search.MARK.format("00447") in joined
    assert "Ezhov " + search.MARK.format("Yezhov") in joined
    assert "¶" not in joined  # the ¶ permalink is not text: left out of the record
    for _, html in recs:
        assert html.count("data-pagefind-body") == 1


def test_a_record_keeps_text_and_ids_and_leaves_out_what_pagefind_ignores():
    """search.lean: an element Pagefind would ignore is taken out with its tail kept; ids (the
    anchors of results) and Pagefind's attributes stay, every other attribute goes."""
    page = search.PageInfo("edition/khlevnyuk/K.art/", "text", ["Khlevnyuk 1995"], "The Objectives")
    p1 = (
        'the order <a class="app-mark" href="../x/" title="compare">⇄</a>'
        ' of <em class="x">July</em>'
    )
    recs = search.records(doc(p1=p1), page, {})
    joined = "".join(html for _, html in recs)
    assert "the order  of <em>July</em>" in joined and "⇄" not in joined
    assert 'id="K.art.p1"' in joined and 'data-page="1"' not in joined
    assert "href=" not in joined and "class=" not in joined
    table = "<table><tr><th>Witness</th><th>What it says</th></tr></table>"
    recs = search.records(doc(p2=table), page, {})
    assert "Witness</th> <th>What" in "".join(html for _, html in recs)


def test_material_index_tuned():
    index = {
        "docs": [
            {"location": "edition/apparatus/", "title": "Apparatus", "text": "everything"},
            {"location": "edition/apparatus/compare-K-G/", "title": "K and G", "text": "Ezhov"},
            {
                "location": "edition/khlevnyuk/K.art/",
                "title": "The Objectives",
                "text": "<p>order N00447</p>",
            },
            {
                "location": "edition/khlevnyuk/K.art/#s",
                "title": "A section",
                "text": "Ezhov and Yezhov",
            },
        ]
    }
    from pathlib import Path

    search.tune_material_index(index, Path("/nonexistent"))
    locations = [d["location"] for d in index["docs"]]
    assert not any(search.kept_out(search.page_key(l)) for l in locations)
    assert re.search(r"hidden>[^<]*00447", index["docs"][0]["text"])
    search.name_titles(index, {"edition/khlevnyuk/K.art/": "Khlevnyuk 1995 · The Objectives"})
    assert index["docs"][0]["title"] == "Khlevnyuk 1995 · The Objectives"
    assert (
        "Khlevnyuk 1995" in index["docs"][1]["title"] and "A section" in index["docs"][1]["title"]
    )


def test_a_page_the_worker_cannot_index_is_one_problem_naming_it(tmp_path, monkeypatch):
    """The indexes made beside MkDocs (search_beside): an error indexing a page becomes one
    `site.search` problem that names the page, never a traceback."""
    from concurrent.futures import Future
    from types import SimpleNamespace

    from build_scripts.site import search_beside
    from tests.conftest import ROOT

    (tmp_path / "docs").mkdir()
    search_beside._start(str(ROOT), str(tmp_path / "docs"))
    search_beside._W["pagefind"].close()
    monkeypatch.setattr(search, "records", lambda *a: 1 / 0)
    page = SimpleNamespace(content=PAGE.format(p1="a", p2="b"), toc=[], url="x/", title="X")
    future: Future = Future()
    try:
        search_beside._page("edition/khlevnyuk/K.art/index.html", page, False)
    except RuntimeError as err:
        future.set_exception(err)
    beside = SimpleNamespace(problems=[])
    assert search_beside.SearchBeside.result(beside, future) is None
    (problem,) = beside.problems
    assert problem.code == "site.search" and "edition/khlevnyuk/K.art/index.html" in problem.message
    assert "ZeroDivisionError" in problem.message


def test_pagefind_indexes_records_as_they_come_and_says_a_failure_once(tmp_path, monkeypatch):
    """search.Pagefind: records added one by one reach the written index (one fragment each); a
    binary that is missing, or ends at once, is one `site.search` problem, never a hang."""
    index = search.Pagefind(threads=1)
    info = SimpleNamespace(url="edition/x/")
    made = [
        ("", f"<html><body><main data-pagefind-body><p>word{n} here</p></main></body></html>")
        for n in range(3)
    ]
    index.add_page(info, made)
    assert index.write(tmp_path / "pagefind") == []
    assert len(list((tmp_path / "pagefind" / "fragment").iterdir())) == 3

    broken = search.Pagefind(threads=1)  # an answer "Error": said once, and the rest not waited for
    broken._send({"type": "AddFile", "index_id": 999, "file_contents": "x"})
    (problem,) = broken.write(tmp_path / "broken")
    assert problem.code == "site.search"

    import pagefind.service

    monkeypatch.setattr(pagefind.service, "_must_get_executable", lambda: Path("/bin/false"))
    ended = search.Pagefind()
    ended.add_page(info, made)
    (problem,) = ended.write(tmp_path / "other")
    assert problem.code == "site.search" and "Pagefind" in problem.message

    def missing():
        raise FileNotFoundError("Could not find pagefind binary")

    monkeypatch.setattr(pagefind.service, "_must_get_executable", missing)
    gone = search.Pagefind()
    gone.add_page(info, made)
    (problem,) = gone.write(tmp_path / "other")
    assert "not installed" in problem.message and "make venv" in problem.hint
