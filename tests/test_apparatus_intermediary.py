"""A document quoted through an intermediary (`detect.relation_of`, `detect.through`,
`sources.Sources`): where both witnesses quote one document in one version, and the earlier
witness made that version itself (its reference there names only works in another language than
its own: an archive file, a newspaper), the later witness, naming no published translation there,
quotes the document through the earlier witness, cited or not. Where the earlier witness names a
published translation in its own language, both may quote that one: a common source. Texts, files
and titles here are made up for the rules, not taken from the edition."""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from build_scripts.apparatus import detect, store
from build_scripts.apparatus.model import Locus, Reading
from build_scripts.apparatus.passages import witness_passages
from build_scripts.apparatus.sources import Sources, in_language

DOC = (
    "the committee found a series of grave defects in the keeping of party records, demanding an "
    "especially careful verification and correction of every file"
)
ARCHIVE = "<bibl>WKP 212, pp. 14-15</bibl>."  # an archive file: no English title
PUBLISHED = (
    '<bibl><hi rend="italic">Documents of the Party Committees in Translation</hi>, 44</bibl>.'
)


def tei(siglum: str, body: str) -> str:
    return (
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{siglum}"><text><body><div>'
        f"{body}</div></body></text></TEI>"
    )


def note(ident: str, reference: str) -> str:
    return f'<note xml:id="{ident}" n="1" place="end">{reference}</note>'


def passages(siglum: str, body: str):
    doc = etree.ElementTree(etree.fromstring(tei(siglum, body)))
    return witness_passages(doc, f"{siglum.lower()}.xml")


def reading(p, words: str) -> Reading:
    """The sentence of passage p that holds `words` (to its end)."""
    at = p.text.index(words)
    start = p.text.rfind(". ", 0, at) + 2 if ". " in p.text[:at] else 0
    end = p.text.find(".", at + len(words))
    end = len(p.text) if end < 0 else end + 1
    return Reading(p.siglum, p.file, p.id, p.text[start:end], start, end)


def relation(earlier: str, later: str, bibliography=None, with_sources: bool = True) -> str:
    found = passages("A", earlier) + passages("B", later)
    sources = Sources(found, {"A": "en", "B": "en"}, bibliography)
    a = next(p for p in found if p.id == "A.p2")
    b = next(p for p in found if p.id == "B.p1")
    key = "careful verification"
    return detect.relation_of(
        "reuse",
        a,
        reading(a, key),
        b,
        reading(b, key),
        1.0,
        sources=sources if with_sources else None,
    )


def earlier(reference: str, before: str = PUBLISHED) -> str:
    """Witness A: a paragraph with a note of its own, then the paragraph quoting the document,
    closed by a note holding `reference`."""
    return (
        f'<p xml:id="A.p1">The secretary wrote of other things.{note("A.n1", before)}</p>'
        f'<p xml:id="A.p2">The city committee reported that "{DOC}."'
        f" The term was extended.{note('A.n2', reference)}</p>"
    )


LATER = f'<p xml:id="B.p1">A report showed that "{DOC}".</p>'


def test_the_earlier_witness_s_own_translation_quoted_uncited_is_through_it():
    assert relation(earlier(ARCHIVE), LATER) == "intermediary"
    # the same texts, read without the witnesses' references: one version of one document
    assert relation(earlier(ARCHIVE), LATER, with_sources=False) == "common-source"


def test_a_published_translation_cited_by_the_earlier_witness_is_a_common_source():
    assert relation(earlier(PUBLISHED), LATER) == "common-source"


def test_a_published_translation_cited_by_the_later_witness_is_a_common_source():
    later = f'<p xml:id="B.p1">A report showed that "{DOC}".{note("B.n1", PUBLISHED)}</p>'
    assert relation(earlier(ARCHIVE), later) == "common-source"


def test_ibid_is_the_reference_of_the_note_before():
    ibid = '<bibl><hi rend="italic">Ibid.</hi>, 16</bibl>.'
    assert relation(earlier(ibid, before=ARCHIVE), LATER) == "intermediary"
    assert relation(earlier(ibid, before=PUBLISHED), LATER) == "common-source"


def test_a_keyed_reference_takes_the_language_of_its_bibliography_entry():
    keyed = '<bibl corresp="bib:docs1970">Documents, vol. 5, 303</bibl>.'
    russian = {"docs1970": ("russian", "Sbornik dokumentov")}
    english = {"docs1970": ("", "Documents of the Party Committees in Translation")}
    assert relation(earlier(keyed), LATER, russian) == "intermediary"
    assert relation(earlier(keyed), LATER, english) == "common-source"
    assert relation(earlier(keyed), LATER, lambda: russian) == "intermediary"  # read when needed


def test_no_reference_at_the_place_decides_nothing():
    bare = f'<p xml:id="A.p1">Nothing here.</p><p xml:id="A.p2">It reported that "{DOC}."</p>'
    assert relation(bare, LATER) == "common-source"


EDITED = (
    "the committee found a series of grave defects in the keeping of party records, demanding a "
    "most careful analysis and the checking of each and every one of the files"
)  # the version of A, its end reworded: 17 words in a row alike, under 0.8 agreeing
REWORDED = (
    "the commission discovered a number of serious shortcomings in the keeping of party records, "
    "which call for a particularly thorough check and the correction of every file"
)  # another translation: a few words in a row alike


def test_a_version_edited_around_a_long_run_is_one_translation():
    a = next(p for p in passages("A", earlier(ARCHIVE)) if p.id == "A.p2")
    ra = reading(a, "careful verification")
    (b,) = passages("B", f'<p xml:id="B.p1">A report showed that "{EDITED}".</p>')
    rb = reading(b, "most careful")
    assert detect.translation_agreement(a, ra, b, rb) < detect.SAME_TRANSLATION
    assert detect.one_translation(a, ra, b, rb)
    (b,) = passages("B", f'<p xml:id="B.p1">A report showed that "{REWORDED}".</p>')
    assert not detect.one_translation(a, ra, b, reading(b, "thorough check"))


def relation_to_archive_quotation(quoted: str, words_b: str) -> str:
    """The relation of B's report quoting `quoted` to A's quotation of an archive document that A
    translated itself (both witnesses in English)."""
    other = f'<p xml:id="B.p1">A report showed that "{quoted}".</p>'
    found = passages("A", earlier(ARCHIVE)) + passages("B", other)
    sources = Sources(found, {"A": "en", "B": "en"})
    a = next(p for p in found if p.id == "A.p2")
    b = next(p for p in found if p.id == "B.p1")
    ra, rb = reading(a, "careful verification"), reading(b, words_b)
    return detect.relation_of("reuse", a, ra, b, rb, 1.0, sources=sources)


def test_two_translations_stay_two_whoever_translated():
    assert relation_to_archive_quotation(REWORDED, "thorough check") == "other-translation"


def test_an_edited_version_of_the_earlier_witness_s_translation_is_through_it():
    assert relation_to_archive_quotation(EDITED, "most careful") == "intermediary"


def test_the_language_of_a_title_is_read_off_a_word_list():
    assert in_language("Documents of the Party Committees in Translation", "en") is True
    assert in_language("Vnutripartiinaia demokratiia", "en") is False
    assert in_language("WKP", "en") is False
    assert in_language("384, 66-7", "en") is None


def test_a_passage_knows_where_its_notes_stand():
    n1, a1, n2, a2 = passages("A", earlier(ARCHIVE))  # a note comes before its passage
    assert a1.notes == (("A.n1", len(a1.text)),)
    assert a2.notes == (("A.n2", len(a2.text)),)
    assert n2.kind == "note" and "WKP" in n2.text


def test_an_editor_s_relation_survives_a_new_run():
    r = (Reading("A", "a.xml", "A.p2", "x", 0, 1), Reading("B", "b.xml", "B.p1", "x", 0, 1))
    old = Locus("app.A.p2--B.p1.abc", "reuse", r, relation="common-source")
    new = replace(old, relation="intermediary")
    assert store.merge([old], [new], ("reuse",))[0].relation == "intermediary"
    confirmed = replace(old, decision="confirmed")
    assert store.merge([confirmed], [new], ("reuse",))[0].relation == "common-source"
