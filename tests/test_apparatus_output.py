"""What readers and re-users get: the JSON Lines export against its documented schema, site pages
that never let witness text become markup, and the "substantive only" flag of the index."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path

import markdown
import pytest

from build_scripts.apparatus import align, export, render, view
from build_scripts.apparatus.model import RELATIONS, TYPES, VARIANTS, VERDICTS, Locus, Reading

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = (ROOT / "docs/about/apparatus-schema.md").read_text(encoding="utf-8")


def documented(section: str) -> set[str]:
    """Keys named in the first column of the table under `## section` of the schema page."""
    body = SCHEMA.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", body, re.M))


@pytest.fixture(scope="module")
def records():
    return [json.loads(line) for line in export.lines()]


def test_every_record_has_the_documented_fields(records):
    keys, reading_keys, variant_keys = (
        documented("Record"),
        documented("Reading"),
        documented("Variant"),
    )
    assert {"id", "readings", "variants", "findings"} <= keys and {
        "siglum",
        "start",
        "end",
        "text",
    } <= reading_keys
    assert len(records) >= 100
    for r in records:
        assert set(r) == keys, r["id"]
        assert r["type"] in TYPES and r["decision"] in ("unreviewed", "confirmed", "rejected")
        assert (r["verdict"] in VERDICTS) if r["type"] == "citation" else r["verdict"] is None
        assert all(set(x) == reading_keys for x in r["readings"])
        assert all(set(v) == variant_keys and v["kind"] in VARIANTS for v in r["variants"])
        if r["type"] in ("quotation", "reuse"):
            assert r["readings"][0]["role"] == "source" and r["readings"][1]["role"] == "target"


def test_variants_are_classified(records):
    kinds = {v["kind"] for r in records for v in r["variants"]}
    assert kinds == set(VARIANTS)
    arrested = next(
        r
        for r in records
        if r["type"] == "citation" and "avoid being arrested" in r["readings"][-1]["text"]
    )
    assert {"kind": "substantive", "a": 'seized."', "b": "arrested", "marked": False} in arrested[
        "variants"
    ] or any(
        v["kind"] == "substantive" and "seized" in v["a"] and v["b"] == "arrested"
        for v in arrested["variants"]
    )


# --- rendering ----------------------------------------------------------------------------------
NASTY = "a <b>bold</b> *star* [link](http://x) `code` & _under_"


def nasty_locus(kind: str = "reuse") -> Locus:
    a = Reading("G", "getty.xml", "G.c1.p1", "plain words of the earlier witness", 0, 34, "source")
    b = Reading("M", "martens.xml", "M.body.p1", NASTY, 0, len(NASTY), "target")
    return Locus(
        "app.G.c1.p1--M.body.p1.abcdef",
        kind,
        (a, b),
        score=0.9,
        question="Was it *really* <i>so</i>?",
        notes=("Note with [brackets] and <script>x</script>.",),
        findings=("Found on p. 12 *here*.",),
    )


def html_of(md_text: str) -> str:
    return markdown.markdown(md_text, extensions=["md_in_html", "attr_list", "tables", "footnotes"])


@pytest.mark.parametrize("kind", ["reuse", "claim"])
def test_locus_page_keeps_witness_text_literal(kind):
    page = re.sub(
        r"</?mark[^>]*>", "", html_of(render.locus_page(nasty_locus(kind), corpus=None))
    )  # marks of differing words
    assert "<b>" not in page and "<script>" not in page and "<i>" not in page
    assert "a &lt;b&gt;bold&lt;/b&gt; *star* [link](http://x) `code` &amp; _under_" in page
    assert (
        "<code>code</code>" not in page
        and "<em>star</em>" not in page
        and "<em>really</em>" not in page
    )
    assert "Found on p. 12 *here*." in page and "[brackets]" in page


def test_index_and_marks_keep_witness_text_literal(tmp_path):
    page = html_of(render.index_page([nasty_locus()]))
    assert "<b>" not in page and "&lt;i&gt;so&lt;/i&gt;" in page


def test_substantive_flag_follows_the_variants():
    accidental = Locus(
        "app.x",
        "reuse",
        (
            Reading("G", "g.xml", "G.p", "the Party of Lenin", 0, 18, "source"),
            Reading("S", "s.xml", "S.p", "the party of Lenin.", 0, 19, "target"),
        ),
    )
    changed = Locus(
        "app.y",
        "reuse",
        (
            Reading("G", "g.xml", "G.p", "avoid being seized", 0, 18, "source"),
            Reading("M", "m.xml", "M.p", "avoid being arrested", 0, 20, "target"),
        ),
    )
    claim = Locus("claim.z", "claim", accidental.readings, resp="#apparatus.editors")
    rows = render.index_page([accidental, changed, claim], corpus=object()).splitlines()
    flags = {
        re.search(r'href="([^"/]+)/', r).group(1): re.search(r'data-substantive="(\d)"', r).group(1)
        for r in rows
        if "data-substantive" in r
    }
    assert flags == {"app.x": "0", "app.y": "1", "claim.z": "1"}
    order = [re.search(r'href="([^"/]+)/', r).group(1) for r in rows if "data-substantive" in r]
    assert order == ["claim.z", "app.x", "app.y"]  # claims first, then the rest in file order


def test_index_of_the_edition_is_not_all_substantive():
    page = render.pages()[render.INDEX]
    flags = re.findall(r'data-substantive="(\d)"', page)
    assert "0" in flags and "1" in flags


def test_links_follow_the_site_pages():
    """With the site's locate(file, id), a reading links to the page that holds its id; a note is a
    footnote there (anchor fn:<id>); an id the site does not show links to the witness's first
    page."""
    pages = {"G.c6.p1": "getty/G.c6.md", "G.c6.n3": "getty/G.c6.md"}

    class Corpus:
        by_id = {"G.c6.n3": type("P", (), {"kind": "note", "id": "G.c6.n3"})()}

        def passage(self, ident):
            return self.by_id.get(ident)

        def resolve(self, ident):
            return None

    locate = lambda file, ident: pages.get(ident)  # noqa: E731
    assert render.href("getty.xml", "G.c6.p1", 2, locate, Corpus()) == "../../getty/G.c6/#G.c6.p1"
    assert (
        render.href("getty.xml", "G.c6.n3", 2, locate, Corpus()) == "../../getty/G.c6/#fn:G.c6.n3"
    )
    assert render.href("getty.xml", "G.c9.p1", 2, locate, Corpus()) == "../../getty/"


def test_a_rejected_entry_is_not_shown_to_readers(tmp_path):
    """Editors reject a machine entry with ana="#rejected": it stays in the TEI but leaves the
    site."""
    import shutil

    from lxml import etree as _etree

    from build_scripts.apparatus import render as _render

    tei = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", tei)
    doc = _etree.parse(str(tei / "apparatus.xml"))
    app = doc.find(".//{http://www.tei-c.org/ns/1.0}app[@type='reuse']")
    ident = app.get("{http://www.w3.org/XML/1998/namespace}id")
    before = _render.pages(tei)
    assert any(ident in text for text in before.values())
    app.set(
        "ana",
        " ".join(
            [a for a in (app.get("ana") or "").split() if a not in ("#unreviewed", "#confirmed")]
            + ["#rejected"]
        ),
    )
    doc.write(str(tei / "apparatus.xml"), encoding="UTF-8", xml_declaration=True)
    after = _render.pages(tei)
    assert not any(ident in text for text in after.values())
    assert len(after) == len(before) - 1


def test_shared_citations_come_last_and_are_never_substantive():
    shared = Locus(
        "app.G.n1--E.n2.abcdef",
        "shared-citation",
        (
            Reading("G", "g.xml", "G.n1", "Report of Court Proceedings", 0, 27, "source"),
            Reading("E", "e.xml", "E.n2", "Report of the Court Proceedings", 0, 31, "target"),
        ),
    )
    changed = Locus(
        "app.y",
        "reuse",
        (
            Reading("G", "g.xml", "G.p", "avoid being seized", 0, 18, "source"),
            Reading("M", "m.xml", "M.p", "avoid being arrested", 0, 20, "target"),
        ),
    )
    claim = Locus("claim.z", "claim", changed.readings, resp="#apparatus.editors")
    rows = [
        r
        for r in render.index_page([shared, changed, claim], corpus=object()).splitlines()
        if "data-substantive" in r
    ]
    assert [re.search(r'href="([^"/]+)/', r).group(1) for r in rows] == [
        "claim.z",
        "app.y",
        "app.G.n1--E.n2.abcdef",
    ]
    assert 'data-type="shared-citation"' in rows[-1] and 'data-substantive="0"' in rows[-1]


@pytest.mark.parametrize("relation", RELATIONS)
def test_the_relation_is_told_in_words_and_an_unreviewed_one_is_flagged(relation):
    """app/@subtype reaches the reader: the locus page says it in a sentence with both authors, the
    popover and the mark name it, the index can filter by it; an unreviewed one says so."""
    base = replace(nasty_locus("reuse"), relation=relation)
    label = view.RELATION_LABEL[relation]
    for decision in ("confirmed", "unreviewed"):
        locus = replace(base, decision=decision)
        page = html_of(render.locus_page(locus, None, reader=render.Reader(None, [locus])))
        facts = page.split('<dl class="ap-facts">', 1)[1].split("</dl>", 1)[0]
        assert f"<dt>Relation</dt> <dd>{label}: " in facts
        assert "Getty" in facts and "Martens" in facts
        assert ("not yet reviewed" in facts) == (decision != "confirmed")
        assert render.mark_label(locus, "M").startswith(label)
    index = render.index_page([base, replace(nasty_locus("claim"), relation="")])
    assert f'data-relation="{relation}"' in index
    assert f'<option value="{relation}">{label.lower()} (1)</option>' in index


def test_every_relation_has_words_for_readers():
    assert set(view.RELATION_LABEL) == set(view.RELATION_SENTENCE) == set(RELATIONS)
    assert set(render.HEADING) == set(RELATIONS)


def test_readers_are_told_who_made_an_unreviewed_entry():
    """A machine entry's page title never states its finding as a fact, and the in-place comparison
    never calls an entry the editors wrote "found by the program"."""
    rd = render.reader()
    machine = [l for l in rd.loci if l.resp == "#detector" and l.decision != "confirmed"]
    editors = [l for l in rd.loci if l.resp != "#detector" and l.decision == "unreviewed"]
    assert machine and editors, "the edition has both kinds of unreviewed entry"
    for l in machine[:20]:
        title = render.locus_page(l, rd.corpus, reader=rd).split("\n", 1)[0]
        assert title.endswith("not yet reviewed"), title
    for l in editors[:20]:
        pop = render.popover(l, l.readings[0].siglum, rd)
        assert "found by the program" not in pop and "written by the editors" in pop, pop[:300]


def test_a_retelling_marks_the_words_both_passages_print_and_lists_no_variants():
    """A paraphrase reorders its words: its page marks the content words both print (never a
    word only one prints) instead of pairing unrelated words as variants."""
    a = "On 29 June the Central Committee dispatched a secret letter on terrorist activities."
    b = "The Central Committee letter on the terrorist activities of the bloc, sent in 1936."
    pa, pb = view.shared_pair(a, b)
    marked = lambda h: set(re.findall(r'<mark class="sh">([^<]+)</mark>', h))  # noqa: E731
    assert marked(pa) == marked(pb) == {"Central", "Committee", "letter", "terrorist", "activities"}
    rd = render.reader()
    retold = [l for l in rd.loci if view.retold(l)]
    assert retold, "the edition has retellings"
    for l in retold[:10]:
        page = render.locus_page(l, rd.corpus, reader=rd)
        assert "## Variants" not in page and '<mark class="df">' not in page
        norms_a, norms_b = ({t.norm for t in align.tokens(r.text)} for r in l.readings[:2])
        for word in marked(page):
            assert align.normal(html.unescape(word)) in norms_a & norms_b, (l.id, word)
