"""The citation linker (build_scripts/bib/link.py, `edition bib link`): matching, Ibid. chains,
writing.

The small references.bib and TEI here are made up; the last tests read the edition's own files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from build_scripts.bib import link as biblink
from build_scripts.tei import teixml
from build_scripts.tei import words
from build_scripts.cli import main
from tests.conftest import ROOT

BIB = """
@book{conquest1968great, author = {Conquest, Robert},
  title = {The Great Terror: Stalin's Purge of the Thirties},
  year = {1968}, keywords = {cited-by:G}}
@book{conquest1990great, author = {Conquest, Robert}, title = {The Great Terror: A Reassessment},
  year = {1990}, keywords = {cited-by:K}}
@book{medvedev1971let, author = {Medvedev, Roy A.},
  title = {Let History Judge: The Origins and Consequences of Stalinism},
  year = {1971}, keywords = {cited-by:G}}
@book{medvedev1989let, author = {Medvedev, Roy A.},
  title = {Let History Judge: The Origins and Consequences of Stalinism},
  year = {1989}, keywords = {cited-by:G}}
@book{fainsod1958smolensk, author = {Fainsod, Merle}, title = {Smolensk under Soviet Rule},
  year = {1958}, keywords = {cited-by:G}}
@book{getty1993stalinist, editor = {Getty, J. Arch and Manning, Roberta T.},
  title = {Stalinist Terror: New Perspectives},
  year = {1993}, keywords = {cited-by:G}}
@book{report1938bloc, author = {{People's Commissariat of Justice of the USSR}},
  title =
    {Report of Court Proceedings in the Case of the Anti-Soviet Bloc of Rights and Trotskyites},
  year = {1938}, keywords = {cited-by:G}}
@book{lampert1991stalinism, editor = {Lampert, Nick and Rittersporn, Gábor T.},
  title = {Stalinism: Its Nature and Aftermath},
  year = {1991}, keywords = {cited-by:G}}
@incollection{rittersporn1991omnipresent, author = {Rittersporn, Gábor T.},
  title = {The Omnipresent Conspiracy},
  booktitle = {Stalinism: Its Nature and Aftermath}, year = {1991}, keywords = {cited-by:G}}
@book{tokaev1956comrade, author = {Tokaev, Grigori}, title = {Comrade X}, year = {1956},
  keywords = {cited-by:G}}
@book{stalin1937reply, author = {Stalin, Joseph}, title = {Speech in Reply to Debate},
  year = {1937}, keywords = {cited-by:G}}
"""


@pytest.fixture(scope="module")
def works(tmp_path_factory):
    path = tmp_path_factory.mktemp("bib") / "references.bib"
    path.write_text(BIB, encoding="utf-8")
    works, problems = biblink.load_works(path)
    assert problems == []
    return works


def keys(text, works, siglum="G"):
    return [m.key for m in biblink.match(text, works, siglum)]


# --- matching one citation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Robert Conquest, The Great Terror, New York, 1968",
            ["conquest1968great"],
        ),  # same title: the year decides
        (
            "R. Conquest, The Great Terror: A Reassessment (New York, 1990)",
            ["conquest1990great"],
        ),  # the subtitle decides
        (
            "Conquest, Terror, 754",
            ["conquest1968great"],
        ),  # short title right after the name; cited-by decides
        ("Fainsod, Smolensk, 132-3.", ["fainsod1958smolensk"]),
        (
            "Medvedev, History, 194-7",
            ["medvedev1971let", "medvedev1989let"],
        ),  # both cited by G, no year: both stay
        (
            "R.A. Medvedev, Let History Judge (New York: Columbia University Press, 1989)",
            ["medvedev1989let"],
        ),
        (
            "Report of the Court Proceedings in the Case of the "
            "Anti-Soviet Bloc of Rights and Trotskyites (Moscow, 1938)",
            ["report1938bloc"],
        ),
        (
            "J. A. Getty and R. T. Manning (eds), Stalinist "
            "Terror: New Perspectives (Cambridge, 1993)",
            ["getty1993stalinist"],
        ),
    ],
)
def test_a_citation_naming_author_and_title_matches(works, text, expected):
    assert keys(text, works) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the author, another book
        "Robert Conquest, Kolyma: The Arctic Death Camps (London, 1978)",
        "The Great Terror was the title of many books",  # the title without the author
        'J. Arch Getty, "Excesses are not Permitted: Mass '
        'Terror and Stalinist Governance," Russian Review (2002)',  # title words, out of order
        "Report of Court Proceedings in the Case of "
        "the Anti-Soviet Trotskyite Centre, Moscow, 1937",  # another trial's report
        # a word of the subtitle only
        "R.A. Medvedev, On Stalin and Stalinism (Oxford University Press, 1979)",
        # "speech" alone names no speech
        "This letter was mentioned by Stalin in a speech on March 3, 1937",
        # a short title's word, not right after the name
        "Fainsod suggests that Smolensk was typical",
    ],
)
def test_a_citation_of_another_work_matches_nothing(works, text):
    assert keys(text, works) == []


def test_op_cit_names_the_only_work_of_that_author_the_witness_cites(works):
    assert keys("Tokaev, op. cit., p. 119.", works) == ["tokaev1956comrade"]
    assert (
        keys("Conquest, op. cit., p. 12.", works, siglum="M") == []
    )  # no work by Conquest cited by M


def test_a_chapter_brings_its_book(works):
    by_key = {w.key: w for w in works}
    text = (
        '"The Omnipresent Conspiracy," in Nick Lampert and Rittersporn, '
        "eds., Stalinism: Its Nature and Aftermath (Armonk, NY, 1991)"
    )
    found, why = biblink.resolve(biblink.match(text, works, "G"), by_key)
    assert why == "" and [m.key for m in found] == [
        "rittersporn1991omnipresent",
        "lampert1991stalinism",
    ]


# --- a TEI tree ---------------------------------------------------------------------------------

TEI = """<?xml version='1.0' encoding='UTF-8'?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader/>
  <text>
    <body>
      <div>
        <p>One.<note n="1" xml:id="n1">\
<bibl>Robert Conquest, <hi rend="italic">The Great Terror</hi>, New York, 1968</bibl>, 12.</note>
Two.<note n="2" xml:id="n2"><bibl>Ibid., 14.</bibl></note>
Three.<note n="3" xml:id="n3">A note of comment without a citation.</note>
Four.<note n="4" xml:id="n4"><bibl>Ibid., 16.</bibl></note>
Five.<note n="5" xml:id="n5">\
<bibl corresp="bib:fainsod1958smolensk">Fainsod, Smolensk, 5</bibl>; <bibl>ibid., 7</bibl></note>
Six.<note n="6" xml:id="n6">See Medvedev, History, 194-7; Fainsod, Smolensk, 132.</note>
Seven.<note n="7" xml:id="n7"><bibl>Report of the Court Proceedings in the Case of the \
Anti-Soviet Bloc of Rights and Trotskyites</bibl></note>
Eight.<note n="8" xml:id="n8"><bibl>Report of the Court Proceedings, 5</bibl></note>
Nine.<note n="9" xml:id="n9"><bibl corresp="bib:tokaev1956comrade">\
Robert Conquest, The Great Terror: A Reassessment</bibl></note></p>
      </div>
    </body>
  </text>
</TEI>
"""


@pytest.fixture
def tei_file(tmp_path):
    path = tmp_path / "x.xml"
    path.write_bytes(
        teixml.serialize(etree.fromstring(TEI.encode()))
    )  # in canonical layout, as `edition fmt` leaves it
    SHIFT[0] = teixml.parse(path)[0].getroot().sourceline - 2  # instructions above <TEI>
    return path


def by_line(proposals):
    """(line counted from the <TEI> element's line as 2, keys, writable): the lines below were
    counted before the xml-model instructions were added above the root."""
    return {(p.line - SHIFT[0], p.keys, p.writable) for p in proposals}


SHIFT = [0]


def test_ibid_follows_the_chain_only_to_the_citation_just_before(works, tei_file):
    doc, _ = teixml.parse(tei_file)
    proposals = biblink.propose(doc.getroot(), works, "G", "x.xml")
    found = by_line(proposals)
    assert (7, ("conquest1968great",), True) in found  # n. 1
    assert (8, ("conquest1968great",), True) in found  # n. 2, Ibid. of n. 1
    assert not [
        p for p in proposals if p.line - SHIFT[0] == 10
    ]  # n. 4: n. 3 comes between, the chain is broken
    assert (
        11,
        ("fainsod1958smolensk",),
        True,
    ) in found  # the second bibl of n. 5, Ibid. of the first (already linked)
    assert (13, ("report1938bloc",), True) in found and (
        14,
        ("report1938bloc",),
        True,
    ) in found  # n. 8: a short form of n. 7


def test_a_note_without_bibl_is_reported_never_written(works, tei_file):
    doc, _ = teixml.parse(tei_file)
    notes = [p for p in biblink.propose(doc.getroot(), works, "G", "x.xml") if p.kind == "note"]
    assert {p.keys[0] for p in notes} >= {
        "fainsod1958smolensk",
        "medvedev1971let",
        "medvedev1989let",
    }
    assert not any(p.writable for p in notes) and all(p.element is None for p in notes)


def test_an_existing_link_is_never_replaced(works, tei_file):
    doc, _ = teixml.parse(tei_file)
    line = 15 + doc.getroot().sourceline - 2  # counted from <TEI> on line 2
    (p,) = [p for p in biblink.propose(doc.getroot(), works, "G", "x.xml") if p.line == line]
    assert (
        p.keys == ("conquest1990great",)
        and not p.writable
        and "already points to bib:tokaev1956comrade" in p.reason
    )


def test_a_work_the_witness_is_not_listed_as_citing_is_not_written(works, tei_file):
    doc, _ = teixml.parse(tei_file)
    proposals = biblink.propose(
        doc.getroot(), works, "K", "x.xml"
    )  # K cites conquest1990great only
    assert not any(p.writable and p.keys == ("conquest1968great",) for p in proposals)
    assert any("does not list K" in p.reason for p in proposals)


def reading(path: Path):
    r = words.tei_reading(etree.parse(str(path)).getroot())
    return [w.text for w in r.main], [[w.text for w in n.words] for n in r.notes]


def test_write_adds_only_corresp_keeps_the_words_and_is_idempotent(works, tei_file):
    before_bytes, before_words = tei_file.read_bytes(), reading(tei_file)
    proposals, problems = biblink.link_file(tei_file, works, write=True, siglum="G")
    assert problems == [] and sum(p.writable for p in proposals) == 5
    after = tei_file.read_bytes()
    assert reading(tei_file) == before_words
    no_corresp = re.compile(rb' corresp="[^"]*"')
    assert no_corresp.sub(b"", after) == no_corresp.sub(
        b"", before_bytes
    )  # only @corresp differs, byte for byte
    assert after.count(b"bib:") - before_bytes.count(b"bib:") == 5
    again, _ = biblink.link_file(tei_file, works, write=True, siglum="G")
    assert tei_file.read_bytes() == after and not any(p.writable for p in again)


def test_a_fresh_import_tree_is_linked_in_memory(works, tei_file):
    root = etree.parse(str(tei_file)).getroot()
    written = biblink.link_tree(root, "G", works)
    assert len(written) == 5
    assert (
        root.xpath("count(//tei:bibl[@corresp='bib:conquest1968great'])", namespaces=teixml.NS) == 2
    )


# --- the edition's own files --------------------------------------------------------------------


def test_every_bib_key_in_the_tei_exists_in_references_bib():
    works, problems = biblink.load_works()
    known = {w.key for w in works}
    used = set()
    for path in sorted((ROOT / "tei").glob("*.xml")):
        for el in etree.parse(str(path)).iter(tag=etree.Element):
            used |= {t[4:] for v in el.attrib.values() for t in v.split() if t.startswith("bib:")}
    assert used and used <= known, sorted(used - known)


def test_the_committed_tei_has_nothing_left_to_write(tmp_path):
    """`edition bib link --write` was run on the witnesses; a second run adds nothing and changes no
    byte."""
    for name in (
        "khlevnyuk.xml",
        "emelyanov.xml",
        "stalin-society.xml",
        "martens.xml",
        "getty.xml",
    ):
        shutil.copy(ROOT / "tei" / name, tmp_path / name)
    result = CliRunner(mix_stderr=False).invoke(
        main, ["bib", "link", "--write", *map(str, sorted(tmp_path.glob("*.xml")))]
    )
    assert result.exit_code == 0, result.stderr
    for path in tmp_path.glob("*.xml"):
        assert path.read_bytes() == (ROOT / "tei" / path.name).read_bytes(), path.name
    assert "0 link(s) written" in result.stderr and "Traceback" not in result.stderr


# --- wrapping the citations of notes without bibl (`edition bib link --wrap`,
# build_scripts/bib/wrap.py) ---------------------------------------------------------------------

from build_scripts.bib import wrap as biblwrap  # noqa: E402

NOTE = '<note xmlns="http://www.tei-c.org/ns/1.0" n="1">{}</note>'


def wrapped(inner: str) -> list[str]:
    """The bibls the wrapper makes in a note, as markup (namespace left out)."""
    note = etree.fromstring(NOTE.format(inner))
    before = "".join(note.itertext())
    bibls = biblwrap.wrap(biblwrap.flatten(note), biblwrap.find(biblwrap.flatten(note)))
    assert "".join(note.itertext()) == before  # only markup was added
    return [
        re.sub(r' xmlns="[^"]*"', "", etree.tostring(b, encoding="unicode", with_tail=False))
        for b in bibls
    ]


@pytest.mark.parametrize(
    "inner, expected",
    [
        (
            'Conquest, <hi rend="italic">Terror</hi>, 754. Such statements would be astonishing.',
            ['<bibl>Conquest, <hi rend="italic">Terror</hi>, 754</bibl>'],
        ),  # the commentary after it stays out
        (
            'See Sheila Fitzpatrick, <hi rend="italic">Education and '
            "Social Mobility</hi>, New York, 1979; Kendall Bailes, "
            '<hi rend="italic">Technology and Society</hi>, Princeton, N.J., 1978.',
            [
                '<bibl>Sheila Fitzpatrick, <hi rend="italic">Education '
                "and Social Mobility</hi>, New York, 1979</bibl>",
                '<bibl>Kendall Bailes, <hi rend="italic">Technology '
                "and Society</hi>, Princeton, N.J., 1978</bibl>",
            ],
        ),  # "See" stays out
        (
            'A. Avtorkhanov, <hi rend="italic">Stalin</hi>, '
            "New York, 1959, 11-107, describes the 1929 battle.",
            ['<bibl>A. Avtorkhanov, <hi rend="italic">Stalin</hi>, New York, 1959, 11-107</bibl>'],
        ),
        ('<hi rend="italic">Ibid.</hi>, 98.', ['<bibl><hi rend="italic">Ibid.</hi>, 98</bibl>']),
        (
            "WKP 384, p. 120, shows the division of responsibility.",
            ["<bibl>WKP 384, p. 120</bibl>"],
        ),
        ('Khrushchev, "Secret Speech," 35.', ['<bibl>Khrushchev, "Secret Speech," 35</bibl>']),
        (
            'I. P. Rumiantsev, "Vtoraia proverka" (The second '
            'verification), <hi rend="italic">PS</hi>, no. 17, Oct. 1935, 19.',
            [
                '<bibl>I. P. Rumiantsev, "Vtoraia proverka" (The second '
                'verification), <hi rend="italic">PS</hi>, no. 17, Oct. 1935, 19</bibl>'
            ],
        ),
        (
            "Stalin said, “We must make good this distance.” "
            '<hi rend="italic">Pravda</hi>, Feb. 5, 1931.',
            ['<bibl><hi rend="italic">Pravda</hi>, Feb. 5, 1931</bibl>'],
        ),  # a quotation is not a title
        (
            'See the <hi rend="italic">History of the CPSU '
            "(b), Short Course</hi>, Moscow, 1938, for example.",
            [
                '<bibl><hi rend="italic">History of the CPSU '
                "(b), Short Course</hi>, Moscow, 1938</bibl>"
            ],
        ),
        (
            'Ti<pb n="5"/>tle pages: Fainsod, <hi rend="italic">Smolensk</hi>, 1<pb n="6"/>32.',
            ['<bibl>Fainsod, <hi rend="italic">Smolensk</hi>, 1<pb n="6"/>32</bibl>'],
        ),  # a page break inside goes with it
        (
            '<hi rend="italic">Pravda</hi>, June 6, 1937 ("K novomu pod\'emu") and June 24.',
            ['<bibl><hi rend="italic">Pravda</hi>, June 6, 1937</bibl>'],
        ),  # the year before a bracketed title is the date's
        (
            '<hi rend="italic">Pravda</hi>, July 3, 4, 23, 24 for announcements of awards.',
            ['<bibl><hi rend="italic">Pravda</hi>, July 3, 4, 23, 24</bibl>'],
        ),  # the last day before what the issues are cited for
        (
            '<hi rend="italic">Pravda</hi>, March 29, April 1, 1937: both on second page.',
            ['<bibl><hi rend="italic">Pravda</hi>, March 29, April 1, 1937</bibl>'],
        ),
        (
            '<hi rend="italic">Pravda</hi>, March 6, 1937 (editorial), 11, 17.',
            ['<bibl><hi rend="italic">Pravda</hi>, March 6, 1937 (editorial), 11, 17</bibl>'],
        ),  # a bracket without a quoted title stays in the list
    ],
)
def test_wrap_puts_bibl_around_the_certain_citations(inner, expected):
    assert wrapped(inner) == expected


@pytest.mark.parametrize(
    "inner",
    [
        # a file named as a noun
        "WKP 89 comprises the files of the party group in Factory No. 35.",
        # an example of a code
        'Smolensk Archive files are numbered with the prefix "WKP"; thus WKP 324.',
        'The <hi rend="italic">proverka</hi>, 1935, was cursory.',  # an italic term, not a title
        # a title in a sentence: no list follows
        'It appeared in <hi rend="italic">Pravda</hi> on July 7, 1935.',
        "Robert Tucker has also emphasized this point in "
        '<hi rend="italic">Stalin as Revolutionary</hi>.',
        # one italic run over two works
        'See <hi rend="italic">The Great Purge Trial, and Conquest, Terror</hi>, ch. 11.',
    ],
)
def test_wrap_leaves_what_is_not_certainly_one_citation(inner):
    assert wrapped(inner) == []


def test_wrap_stops_before_the_next_citations_author():
    assert wrapped(
        'Conquest, <hi rend="italic">Terror</hi>, 755-6, '
        'and Medvedev, <hi rend="italic">History</hi>, 216.'
    ) == [
        '<bibl>Conquest, <hi rend="italic">Terror</hi>, 755-6</bibl>',
        '<bibl>Medvedev, <hi rend="italic">History</hi>, 216</bibl>',
    ]


TEI_WRAP = """<?xml version='1.0' encoding='UTF-8'?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader/>
  <text>
    <body>
      <div>
        <p>One.<note n="1" xml:id="n1">Merle Fainsod, \
<hi rend="italic">Smolensk Under Soviet Rule</hi>, Cambridge, Mass., 1958, 5.</note>
Two.<note n="3" xml:id="n2"><label type="note-number">2</label> \
<hi rend="italic">Ibid.</hi>, 7.</note>
Three.<note n="3" xml:id="n3">See <hi rend="italic">Pravda</hi> on July 7, 1935. \
<hi rend="italic">Ibid.</hi>, 9.</note>
Four.<note n="4" xml:id="n4">Report of Court Proceedings in the Case of the \
Anti-Soviet Trotskyite Centre, Moscow, 1937.</note></p>
      </div>
    </body>
  </text>
</TEI>
"""


def test_wrap_then_link_follows_the_note_numbers_printed_with_the_notes(works, tmp_path):
    path = tmp_path / "g.xml"
    path.write_bytes(teixml.serialize(etree.fromstring(TEI_WRAP.encode())))
    before = reading(path)
    proposals, problems = biblink.link_file(path, works, write=True, siglum="G", wrap=True)
    assert problems == [] and reading(path) == before
    root = etree.parse(str(path)).getroot()
    corresp = {
        n.get(teixml.XML_ID): [b.get("corresp") for b in n.iter(teixml.tei("bibl"))]
        for n in root.iter(teixml.tei("note"))
    }
    assert corresp["n1"] == ["bib:fainsod1958smolensk"]
    assert corresp["n2"] == [
        "bib:fainsod1958smolensk"
    ]  # marker printed "3", the note's own number 2 follows 1
    assert corresp["n3"] == [
        None
    ]  # an unwrapped title (Pravda) stands between: the Ibid. is not Fainsod
    assert (
        corresp["n4"] == []
    )  # not a citation the wrapper is sure of; never linked to another trial's report
    assert sum(p.kind == "wrap" for p in proposals) == 3


def test_a_short_form_is_not_a_longer_title_that_shares_its_first_words(works):
    full = [
        (
            1,
            tuple(
                biblink._content(
                    biblink.words(
                        "Report of the Court Proceedings in the Case of "
                        "the Anti-Soviet Bloc of Rights and Trotskyites"
                    )
                )
            ),
            "report1938bloc",
        )
    ]
    by_key = {w.key: w for w in works}
    assert (
        biblink._short_form(
            "Report of Court Proceedings in the Case of "
            "the Anti-Soviet Trotskyite Centre, Moscow, 1937",
            full,
            by_key,
        )
        == []
    )
    assert [
        m.key for m in biblink._short_form("Report of the Court Proceedings, 5", full, by_key)
    ] == ["report1938bloc"]


def as_transcribed(el) -> str:
    """The text as the transcription has it: a correction (choice) reads its sic, as an import
    does."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and etree.QName(child).localname == "choice":
            sic = child.find(teixml.tei("sic"))
            parts.append("".join(sic.itertext()) if sic is not None else "".join(child.itertext()))
        elif isinstance(child.tag, str):
            parts.append(as_transcribed(child))
        parts.append(child.tail or "")
    return "".join(parts)


def test_a_fresh_import_of_getty_wraps_and_links_the_notes_as_the_committed_tei(tmp_path):
    """`edition import G` wraps the citations of the notes (monograph.py) and links them
    (importer.py): the same bibls, with the same @corresp, as tei/getty.xml, where
    `edition bib link --wrap --write` put them."""
    from build_scripts.importers import run as importer

    def note_bibls(path):
        root = etree.parse(str(path)).getroot()
        return [
            (
                next(b.iterancestors(teixml.tei("note"))).get(teixml.XML_ID),
                " ".join(as_transcribed(b).split()),
                b.get("corresp"),
            )
            for b in teixml.BIBLS(root)
            if next(b.iterancestors(teixml.tei("note")), None) is not None
        ]

    path, problems = importer.run("G", out_dir=tmp_path)
    assert path is not None, [p.message for p in problems]
    fresh, committed = note_bibls(path), note_bibls(ROOT / "tei" / "getty.xml")
    assert fresh == committed
    assert (
        len(committed) > 800 and sum(1 for *_, c in committed if c) > 100
    )  # 905 bibls, 108 linked when written
