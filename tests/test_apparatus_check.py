"""`check` catches a broken apparatus pointer and a reading that no longer matches its witness."""

from __future__ import annotations

from pathlib import Path

from build_scripts.apparatus import check, store
from build_scripts.apparatus.model import Locus, Reading

WITNESS = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{sig}"><teiHeader><fileDesc>\
<titleStmt><title>t</title></titleStmt>
<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>
<text><body><div xml:id="{sig}.d1"><pb n="177" xml:id="{sig}.pb177"/>\
<p xml:id="{sig}.d1.p1">{text}</p></div></body></text></TEI>
"""
G_TEXT = (
    "a person who felt that his arrest was imminent could "
    "go to another town and, as a rule, avoid being seized."
)
M_TEXT = (
    "Getty cited: `a person who felt that his arrest was imminent "
    "could go to another town and, as a rule, avoid being arrested'."
)


def fixture(tmp: Path, g_text: str = G_TEXT) -> Path:
    tei = tmp / "tei"
    tei.mkdir()
    (tei / "getty.xml").write_text(WITNESS.format(sig="G", text=g_text), encoding="utf-8")
    (tei / "martens.xml").write_text(WITNESS.format(sig="M", text=M_TEXT), encoding="utf-8")
    start = G_TEXT.index("avoid")
    locus = Locus(
        "app.G.d1.p1--M.d1.p1",
        "quotation",
        (
            Reading("G", "getty.xml", "G.d1.p1", G_TEXT[start:], start, len(G_TEXT), "source"),
            Reading("M", "martens.xml", "M.d1.p1", "Getty cited:", 0, 12, "target"),
        ),
    )
    store.write(tei / store.FILE, [locus])
    return tei


def test_a_sound_apparatus_has_no_problems(tmp_path):
    assert check(fixture(tmp_path)) == []


def test_a_changed_witness_text_is_reported_with_both_readings(tmp_path):
    """The locus is the detector's, unreviewed: re-anchored, a warning that does not block the
    build."""
    tei = fixture(tmp_path, G_TEXT.replace("seized", "taken"))
    problems = check(tei)
    assert (
        len(problems) == 1
        and problems[0].code == "apparatus.re-anchored"
        and problems[0].severity == "warning"
    )
    text = str(problems[0])
    assert "apparatus.xml:" in text and "seized" in text and "taken" in text


def test_a_reading_is_re_anchored_to_whole_words():
    """A word of the reading grown or shrunk by a letter: the alignment keeps the old length, yet
    the new place starts and ends at word boundaries, never inside a word."""
    from build_scripts.apparatus.integrity import reanchor

    head = "The plenum met. "
    reading = "On 29 June the Central Committee dispatched a secret letter to the localities"
    for old, new in (
        ("secret", "secrets"),
        ("secret", "secre"),
        ("Central", "Centrals"),
        ("On", "Onn"),
    ):
        text = head + reading.replace(old, new, 1) + ". It was read."
        start, end, words = reanchor(
            Reading("K", "k.xml", "K.p1", reading, 16, 16 + len(reading), "target"), text
        )
        assert words.split()[0] == text[start:].split()[0] and not text[start - 1].isalnum(), (
            new,
            words,
        )
        assert not (text[end - 1].isalnum() and text[end].isalnum()), (new, words)
        assert "dispatched" in words and "The plenum" not in words and "read" not in words, (
            new,
            words,
        )


def test_a_broken_pointer_is_reported(tmp_path):
    tei = fixture(tmp_path)
    xml = (
        (tei / store.FILE)
        .read_text(encoding="utf-8")
        .replace("martens.xml#M.d1.p1", "martens.xml#M.d1.p9")
    )
    (tei / store.FILE).write_text(xml, encoding="utf-8")
    problems = check(tei)
    assert [p.code for p in problems] == ["apparatus.pointer"]
    assert "M.d1.p9" in str(problems[0])


def test_rerun_keeps_editor_decisions():
    old = [
        Locus("app.a--b", "reuse", (), decision="rejected", notes=("Not a quotation.",)),
        Locus("app.c--d", "reuse", ()),
        Locus("claim.x", "claim", (), resp="#apparatus.editors"),
    ]
    new = [Locus("app.a--b", "reuse", (), score=0.9)]
    merged = {l.id: l for l in store.merge(old, new, ("reuse", "quotation"))}
    assert merged["app.a--b"].decision == "rejected" and merged["app.a--b"].notes == (
        "Not a quotation.",
    )
    assert merged["app.a--b"].score == 0.9
    assert "app.c--d" not in merged  # unreviewed and no longer found: dropped
    assert "claim.x" in merged  # curated: never touched


def test_a_decided_reading_whose_words_only_moved_does_not_block_the_build(tmp_path):
    """An edit before a confirmed reading moves its words: a warning with the new place, not an
    error that shows the same words twice."""
    tei = fixture(tmp_path, "Indeed, " + G_TEXT)
    xml = (tei / store.FILE).read_text(encoding="utf-8")
    (tei / store.FILE).write_text(xml.replace("#unreviewed", "#confirmed"), encoding="utf-8")
    problems = check(tei)
    assert [(p.code, p.severity) for p in problems] == [("apparatus.re-anchored", "warning")]
    start = len("Indeed, ") + G_TEXT.index("avoid")
    assert f"[{start}-{start + len(G_TEXT) - G_TEXT.index('avoid')}]" in str(problems[0])
    # the words themselves changed: still an error, both wordings shown
    (tmp_path / "two").mkdir()
    tei2 = fixture(tmp_path / "two", "Indeed, " + G_TEXT.replace("seized", "taken"))
    xml = (tei2 / store.FILE).read_text(encoding="utf-8")
    (tei2 / store.FILE).write_text(xml.replace("#unreviewed", "#confirmed"), encoding="utf-8")
    problems = check(tei2)
    assert [p.code for p in problems] == ["apparatus.reading-changed"]
    assert "seized" in str(problems[0]) and "taken" in str(problems[0])


def test_a_re_anchored_reading_does_not_begin_with_the_previous_sentence_s_stop():
    from build_scripts.apparatus.integrity import reanchor

    reading = (
        "He had falsified enrollment reports for political-education courses and closed reading "
        "rooms because he claimed that they were not needed. His methods were “dictatorial and "
        "arbitrary” and reflected outmoded and brutal “Civil War methods.”"
    )
    text = (  # Getty's G.c6.d2.p9, a word shortened inside the reading ("closed" → "shut")
        "In Belyi Raion, for example, the post-February criticism meetings lasted three to four "
        'days. According to the protocols, "little people" spoke at the meetings - people who '
        'heretofore were thought to be totally passive. Now criticism was "fully developed," '
        '"regardless of person." In the meeting of the Belyi Raikom, 220 of the 240 members '
        "attended the criticism meetings, and 77 of them spoke critically of Raion secretary "
        "Kovalev. Party members complained the Kovalev had become a “paper pusher” and had "
        "removed himself from the membership. "
        + reading.replace("closed", "shut")
        + " Comrade Chemurov complained that “when one is called to the raikom, one feels ill at "
        "ease. You have to come three or four times to deal with one piece of business, wait a "
        "long time, and you still do not get to see the secretary; he is not there, he is busy. "
        "This goes on all the time.” Demonstrating the alarming new flexibility of the term, "
        "some members said that Kovalev was a Trotskyist."
    )
    start, end, words = reanchor(Reading("G", "g.xml", "G.p1", reading, 0, 60, "source"), text)
    assert words.startswith("He had falsified") and words.endswith("War methods.”"), words


def test_a_reading_whose_offsets_no_longer_fit_shows_its_own_words():
    """The compare pages place a reading by its offsets only while the witness reads its words
    there; after an edit before it, its words are found where they now stand."""
    from build_scripts.apparatus import view
    from build_scripts.apparatus.passages import plain_passages

    words = "avoid being seized."
    old = plain_passages("G", G_TEXT)[0]
    new = plain_passages("G", "Indeed, " + G_TEXT)[0]
    start = G_TEXT.index(words)

    class Corpus:
        def __init__(self, p):
            self.p = p

        def resolve(self, ident):
            return self.p, 0, len(self.p.text)

    reading = Reading("G", "getty.xml", old.id, words, start, start + len(words), "source")
    for passage in (old, new):
        side = view.side(reading, Corpus(passage))
        assert passage.text[side.start : side.end] == words, passage.text
