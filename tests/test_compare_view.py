"""The reader's words for a locus (build_scripts.apparatus.view): verdicts said plainly, variants in
the notation of an apparatus, differing words marked on both sides, text never turned into
markup."""

from __future__ import annotations

from build_scripts.apparatus import view
from build_scripts.apparatus.model import Locus, Reading


def citation(cited: str, citing: str, verdict: str) -> Locus:
    return Locus(
        "cit.x",
        "citation",
        (
            Reading("G", "g.xml", "G.p", cited, 0, len(cited), "cited"),
            Reading("M", "m.xml", "M.p", citing, 0, len(citing), "citing"),
        ),
        verdict=verdict,
    )


def test_an_exact_verdict_is_not_said_where_the_quoting_witness_added_sic():
    locus = citation("no grounds for expulsion.", "no grounds for explusion (sic).", "exact")
    said = view.verdict(locus)
    assert not said.startswith("exact") and "(sic)" in said
    assert view.verdict(citation("the same words", "the same words", "exact")).startswith("exact")


def test_variants_in_conventional_notation_and_marks_on_both_sides():
    locus = citation("avoid being seized.", "avoid being arrested", "altered")
    notes = [view.notation(v, "M") for v in view.variants(locus) if v["kind"] == "substantive"]
    assert (
        notes and '<span class="lem">seized</span>] <span class="rdg">arrested</span>' in notes[0]
    )
    a, b = view.painted_pair(locus.readings[0].text, locus.readings[1].text)
    assert '<mark class="df">seized</mark>' in a and '<mark class="df">arrested</mark>' in b


def test_painted_text_is_escaped():
    a, b = view.painted_pair("<b>x</b> & y", "<b>x</b> & z")
    assert "<b>" not in a + b and "&lt;b&gt;" in a
