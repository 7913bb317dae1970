"""references.bib and its Chicago (18th ed.) formatting: witnesses' citations, golden output, key
checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from build_scripts.bib import bibliography as bibmod
from build_scripts.project import witnesses
from tests.conftest import ROOT, assert_golden

GOLDEN = ROOT / "tests" / "golden" / "bibliography"

# Where each witness cites each work: one passage per (entry, siglum), copied from sources/*.txt.
# The `cited-by:` keywords of references.bib must name exactly these sigla, and each passage must be
# in that witness's transcription. Entries with no passage here are named only by the edition
# itself.
CITATIONS = {
    "getty1985origins": {
        "K": "J. A. Getty, The Origins of the Great Purges",
        "M": "Getty,  op. cit. , p. 137.",
        "S": "Arch Getty, J, *Origins of the Great Purges",
        "E": "J.A. Getty, *Origins of the Great Purges* (Cambridge University Press, 1985)",
    },
    "martens1994another": {"E": "L. Martens, *Another View of Stalin* (Antwerp: EPO, 1994)"},
    "arendt1951origins": {"G": "Hannah Arendt, *The Origins of Totalitarianism*, New York, 1960"},
    "brzezinski1956permanent": {
        "G": "Zbigniew Brzezinski, *The Permanent Purge*, Cambridge, Mass., 1956",
        "K": "Zbigniew Brzezinski, The Permanent Purge: Politics in Soviet Totalitarianism",
    },
    "chuev1991sto": {
        "K": "Sto sorok besed s Molotovum",
        "E": "F. Chuev, *Sto sorok besed s Molotovym* (Moscow: Terra, 1991)",
    },
    "conquest1968great": {
        "G": "Robert Conquest, *The Great Terror*, New York, 1968",
        "S": "*The Great Terror - Stalin's Purges of the Thirties*, was published in 1968",
    },
    "conquest1990great": {
        "K": "Robert Conquest, The Great Terror: A Reassessment (New York, 1990)"
    },
    "cpsu1938history": {"G": "*History of the CPSU (b), Short Course*, Moscow, 1938"},
    "davies1941mission": {
        "G": "Davies, *Mission to Moscow*, 167-204",
        "K": "Joseph E. Davies, Mission to Moscow (London, 1942)",
    },
    "deutscher1949stalin": {
        "G": "Isaac Deutscher, *Stalin: A Political Biography*, London, 1949",
        "K": "Isaac Deutscher, Stalin: A Political Biography, 2nd edn. (New York, 1966)",
        "E": "I. Deutscher, *Stalin: A Political Biography* (Oxford University Press, 1967)",
    },
    "deutscher1963prophet": {
        "G": "*The Prophet* (3 vols.), New York, 1963",
        "E": "*The Prophet Outcast: Trotsky 1929–1940*",
    },
    "fainsod1953how": {"G": "Merle Fainsod, *How Russia Is Ruled*, Cambridge, Mass., 1953, 1963"},
    "fainsod1958smolensk": {
        "G": "*Smolensk Under Soviet Rule*, Cambridge, Mass., 1958",
        "S": "in his book *Smolensk under Soviet Rule*",
    },
    "getty1993stalinist": {
        "K": (
            "J. A. Getty and R. T. Manning (eds), Stalinist "
            "Terror: New Perspectives (Cambridge, 1993)"
        )
    },
    "getty1999road": {
        "K": (
            "The Road to Terror: Stalin and the Self-Destruction "
            "of the Bolsheviks, 1932–1939 (New Haven, 1999)"
        ),
        "S": "*The Road to Terror*, which is supposed",
        "E": (
            "*The Road to Terror: Stalin and the Self-Destruction of the "
            "Bolsheviks, 1932–1939* (New Haven: Yale University Press, 1999)"
        ),
    },
    "ginzburg1967whirlwind": {
        "G": "See her *Into the Whirlwind*, New York, 1967",
        "M": "Getty  cited testimony by Grigorenko  and Ginzburg",
    },
    "grigorenko1982memoirs": {
        "G": "Petro G. Grigorenko, *Memoirs*, New York, 1982",
        "M": "Getty  cited testimony by Grigorenko",
    },
    "khrushchev1956secret": {
        "G": "*The Secret Speech Delivered to the Closed Session of the 20th Congress of the CPSU*",
        "K": "as N. S. Khrushchev revealed at the XX party congress",
        "M": "Khrushchev,  Secret Report, p. S26.",
        "E": "N.S. Khrushchev, “Speech to the 20th Congress of the CPSU,” February 24, 1956",
    },
    "kpss1970rezoliutsiiakh": {
        "G": (
            "*KPSS v rezoliutsiakh i resheniakh s'ezdov, "
            "konferentsii i plenumov TsK, 1898-1970 gg.*"
        ),
        "E": (
            "*CPSU in Resolutions and Decisions of Congresses, Conferences "
            "and Plenary Meetings of the Central Committee*, pt. 3"
        ),
    },
    "lampert1991stalinism": {
        "K": "in Nick Lampert and Rittersporn, eds., Stalinism: Its Nature and Aftermath"
    },
    "mcneal1974resolutions": {
        "G": "McNeal's *Resolutions and Decisions of the CPSU*, Toronto, 1974",
        "M": "McNeal,  op. cit. , p. 188.",
        "E": (
            "R.H. McNeal, ed., *Resolutions and Decisions of the Communist Party "
            "of the Soviet Union*, vol. 3 (University of Toronto Press, 1974)"
        ),
    },
    "medvedev1971let": {
        "G": (
            "Roy Medvedev, *Let History Judge: The Origins "
            "and Consequences of Stalinism*, New York, 1971"
        ),
        "K": (
            "R. A. Medvedev, Let History Judge: The Origins "
            "and Consequences of Stalinism (New York, 1971)"
        ),
    },
    "medvedev1989let": {
        "E": (
            "*Let History Judge: The Origins and Consequences of "
            "Stalinism* (New York: Columbia University Press, 1989)"
        )
    },
    "report1938bloc": {
        "G": (
            "*Report of Court Proceedings in the Case of the "
            "Anti-Soviet Bloc of Rights and Trotskyites*, Moscow, 1938"
        ),
        "E": (
            "*Report of the Court Proceedings in the Case of the Anti-Soviet Bloc of Rights "
            "and Trotskyites* (Moscow: People's Commissariat of Justice of the USSR, 1938)"
        ),
    },
    "rittersporn1991stalinist": {
        "K": "G. T. Rittersporn, Stalinist Simplifications and Soviet Complications"
    },
    "rittersporn1991omnipresent": {
        "K": (
            '"The Omnipresent Conspiracy: On Soviet Imagery '
            'of Politics and Social Relations in the 1930s,"'
        )
    },
    "schellenberg1956memoirs": {
        "G": "Walter Schellenberg, *The Schellenberg Memoirs*, London, 1956",
        "E": "W. Schellenberg, *The Labyrinth: Memoirs of Walter Schellenberg",
    },
    "solzhenitsyn1973gulag": {
        "G": (
            "*The Gulag Archipelago: An Experiment in "
            "Literary Investigation*, 3 vols., New York, 1973"
        ),
        "E": "A.I. Solzhenitsyn, *The Gulag Archipelago, 1918–1956* (Harper-Collins, 2002)",
    },
    "sousa2001class": {"S": "**The class struggle during the thirties in the Soviet Union**"},
    "stalin1930dizzy": {
        "G": '"Dizzy With Success," *Pravda*, March 2, 1930',
        "E": "On March 2, 1930, in an article *Giddily with Success*",
    },
    "stalin1931tasks": {
        "G": "In his speech “The Tasks of Business Executives” (Feb. 4, 1931)",
        "E": "J.V. Stalin, “The Tasks of Business Executives,” in *Leninism*",
    },
    "stalin1937defects": {
        "G": (
            '"Deficiencies in Party Work and Methods for the '
            'Liquidation of the Trotskyists and other Double-Dealers,"'
        ),
        "S": (
            "*Defects in Party work and measures for "
            "liquidating Trotskyites and other double-dealers*"
        ),
        "E": "J.V. Stalin, “Report to the Plenum of the CC of the CPSU, March 3, 1937,”",
    },
    "stalin1937reply": {
        "G": "*Pravda*, March 29, April 1, 1937: both on second page",
        "S": "In his *Speech in reply to debate* Stalin",
        "E": "J.V. Stalin, “Concluding Words at the Plenum of the CC of the CPSU, March 5, 1937,”",
    },
    "tokaev1955betrayal": {"G": "kaev, *Betrayal of an Ideal*, Bloomington, Ind., 1955"},
    "tokaev1956comrade": {"M": "Tokaev,  op. cit. , p. 119."},
    "trotsky1937revolution": {
        "G": "Leon Trotsky, *The Revolution Betrayed*, New York, 1937",
        "K": "L. D. Trotsky, The Revolution Betraued (London, 1967)",
    },
    "tucker1973stalin": {
        "G": "Robert C. Tucker, *Stalin as Revolutionary, 1879-1929*, New York, 1973"
    },
    "vonlaue1993why": {"K": "Theodore von Laue, Why Lenin? Why Stalin? Why Gorbachev?"},
}
# Named by the edition (the description of witness K in sources/witnesses.yml), cited by no witness.
EDITORIAL_ONLY = {"hoffmann2003stalinism"}


@pytest.fixture(scope="module")
def bib(tmp_path_factory):
    bibliography, problems = bibmod.load(cache_dir=tmp_path_factory.mktemp("bibcache"))
    assert problems == [], "\n".join(map(str, problems))
    return bibliography


@pytest.fixture(scope="module")
def entries(bib):
    return bib.formatted()


@pytest.fixture(scope="module")
def by_key(entries):
    return {e.key: e for e in entries}


@pytest.fixture(scope="module")
def sources():
    wits, _ = witnesses.load()
    return {
        w.siglum: " ".join(w.source_path.read_text(encoding="utf-8").split()) for w in wits
    }  # spacing normalised


# --- references.bib against the witnesses -------------------------------------------------------


def test_at_least_forty_entries_and_every_one_formats(bib, entries):
    assert len(bib) >= 40
    assert sorted(e.key for e in entries) == sorted(bib.records)
    assert bib.unprintable() == []


def test_the_five_witnesses_have_their_fixed_keys(bib):
    wits, _ = witnesses.load()
    assert {w.fact("bibkey") or w.facts["bibkey"]: w.siglum for w in wits} == {
        k: r.witness for k, r in bib.records.items() if r.witness
    }
    assert {r.witness for r in bib.records.values() if r.witness} == {w.siglum for w in wits}


def linked_from_tei() -> dict[str, set[str]]:
    """bib:KEY → the sigla whose TEI text links it (corresp="bib:KEY";
    `edition bib link --write`)."""
    linked: dict[str, set[str]] = {}
    for w in witnesses.load()[0]:
        if w.tei_path.exists():
            for el in etree.parse(str(w.tei_path)).iterfind(
                ".//{http://www.tei-c.org/ns/1.0}text//*[@corresp]"
            ):
                for token in el.get("corresp").split():
                    if token.startswith("bib:"):
                        linked.setdefault(token[4:], set()).add(w.siglum)
    return linked


def test_every_entry_has_keywords_and_cited_by_matches_the_transcriptions(bib, sources):
    """cited-by:X is backed by a passage of X: the verified passages below, or a bib: link in X's
    TEI (so a new entry, linked as CONTRIBUTING.md says, needs no edit of this test)."""
    linked = linked_from_tei()
    for key, record in bib.records.items():
        assert record.fields.get("keywords"), f"{key} has no keywords"
        if key in CITATIONS:
            expected = set(CITATIONS[key])
            assert set(record.cited_by) == expected, (
                f"{key}: cited-by {record.cited_by}, passages found for {sorted(expected)}"
            )
        else:
            assert set(record.cited_by) <= linked.get(key, set()), (
                f"{key}: cited-by {record.cited_by}, but only "
                f'{sorted(linked.get(key, set()))} link it (corresp="bib:{key}")'
            )
        expected = CITATIONS.get(key, {})
        for siglum, passage in expected.items():
            assert " ".join(passage.split()) in sources[siglum], (
                f"{key}: not in {siglum}: {passage!r}"
            )


def test_every_non_witness_entry_is_cited_twice_or_named_by_the_edition(bib):
    linked = linked_from_tei()
    # Works cited by one witness only are here because the edition names them (the brief's list).
    single = {
        "arendt1951origins",
        "conquest1990great",
        "cpsu1938history",
        "fainsod1953how",
        "getty1993stalinist",
        "lampert1991stalinism",
        "medvedev1989let",
        "rittersporn1991stalinist",
        "rittersporn1991omnipresent",
        "sousa2001class",
        "tokaev1955betrayal",
        "tokaev1956comrade",
        "tucker1973stalin",
        "vonlaue1993why",
    }
    for key, record in bib.records.items():
        if record.witness:
            continue
        assert len(record.cited_by) >= 2 or key in single | EDITORIAL_ONLY or linked.get(key), key


def test_uncertain_facts_are_notes_not_fields(bib):
    hoffmann = bib.records["hoffmann2003stalinism"].fields
    assert "unconfirmed" in hoffmann["note"]
    martens = bib.records["martens1994another"].fields
    assert "publisher" not in martens and "unconfirmed" in martens["note"]
    assert "publisher" not in bib.records["tokaev1956comrade"].fields


# --- Chicago 18th edition ------------------------------------------------------------------------


def reviewed_only(lines: list[str], golden: Path, update: bool) -> list[str]:
    """The lines of the entries the golden file already holds (an added entry is not a regression:
    it must format, which test_at_least_forty_entries_and_every_one_formats checks; add it to the
    golden file with --update-golden once its formatting is reviewed)."""
    if update or not golden.exists():
        return lines
    known = set(re.findall(r'id="((?:ref|note)-[^"]+)"', golden.read_text(encoding="utf-8")))
    return [
        line
        for line in lines
        if not (m := re.search(r'id="((?:ref|note)-[^"]+)"', line)) or m.group(1) in known
    ]


def test_golden_bibliography(entries, update_golden):
    lines = ['<div class="csl-bib-body">']
    lines += [
        f'<div class="csl-entry" id="ref-{e.key}" '
        f'data-cited-by="{" ".join(e.cited_by)}">{e.html}</div>'
        for e in entries
    ]
    lines = reviewed_only(lines, GOLDEN / "chicago.html", update_golden)
    assert_golden("\n".join(lines + ["</div>", ""]), GOLDEN / "chicago.html", update_golden)


def test_golden_first_notes(entries, update_golden):
    lines = ["<ol>"] + [
        f'<li id="note-{e.key}">{e.note_html}</li>' for e in sorted(entries, key=lambda e: e.key)
    ]
    lines = reviewed_only(lines, GOLDEN / "chicago-notes.html", update_golden)
    assert_golden("\n".join(lines + ["</ol>", ""]), GOLDEN / "chicago-notes.html", update_golden)


def test_full_given_names(by_key, bib):
    assert by_key["getty1985origins"].text.startswith("Getty, J. Arch. ")
    assert by_key["conquest1968great"].text.startswith("Conquest, Robert. ")
    assert by_key["getty1999road"].text.startswith("Getty, J. Arch, and Oleg V. Naumov. ")
    for (
        key,
        record,
    ) in bib.records.items():  # every given name is printed in full, as written in references.bib
        for role in ("author", "editor", "translator"):
            for person in bibmod._names(record.fields.get(role, "")):
                assert (person.get("literal") or person["given"]).replace("'", "’") in by_key[
                    key
                ].text, f"{key}: {person}"


def test_chapter_in_an_edited_volume(by_key):
    k = by_key["khlevniuk1995objectives"]
    assert k.text == (
        "Khlevniuk, Oleg. “The Objectives of the Great Terror, "
        "1937–1938.” In Soviet History, 1917–1953: Essays in Honour of "
        "R. W. Davies, edited by Julian Cooper, Maureen Perrie, "
        "and E. A. Rees, translated by E. A. Rees. Macmillan, 1995."
    )
    assert "<em>Soviet History, 1917–1953: Essays in Honour of R. W. Davies</em>" in k.html
    assert k.note_text.startswith(
        "Oleg Khlevniuk, “The Objectives of the Great Terror, 1937–1938,” in Soviet History"
    )


def test_punctuation_inside_quotation_marks(entries):
    for e in entries:
        for form in (e.text, e.note_text):
            assert not re.search(r"[”’][.,;:]", form), (
                f"{e.key}: punctuation after a closing quotation mark: {form}"
            )
        for form in (e.html, e.note_html):
            assert not re.search(r"[?!](</em>|”)[,.]", form), (
                f"{e.key}: a comma or period after a title ending in ? or !: {form}"
            )


def test_italics_for_book_titles_roman_quoted_for_chapters_and_articles(bib, by_key):
    for key, record in bib.records.items():
        title = (
            bibmod._clean(record.fields.get("maintitle") or record.fields["title"])
            .replace("'", "’")
            .replace("&", "&amp;")
        )
        if record.entry_type == "book":
            assert f"<em>{title}" in by_key[key].html, key
        else:
            assert f"“{title}" in by_key[key].html and f"<em>{title}" not in by_key[key].html, key


def test_sorted_as_chicago_sorts(entries):
    heads = [re.split(r"[.,]", e.text)[0].casefold() for e in entries]
    assert heads == sorted(heads)
    order = [e.key for e in entries]
    assert order.index("deutscher1963prophet") < order.index(
        "deutscher1949stalin"
    )  # "The Prophet" files under P
    assert order.index("rittersporn1991omnipresent") < order.index("rittersporn1991stalinist")


def test_no_place_of_publication_beside_a_publisher_and_clean_markup(entries):
    for e in entries:
        assert not re.search(r"\b(Cambridge|New York|London|Toronto): ", e.text), (
            e.key
        )  # CMOS 18 omits the place
        assert (
            "<span" not in e.html
            and ".." not in e.text
            and " ," not in e.text
            and "  " not in e.text
        ), e.key
        assert e.text.endswith("."), e.key


def test_addenda_are_printed_at_the_end(by_key):
    assert by_key["emelyanov2012purges"].html.endswith(
        "First published in <em>Communist Review</em>, nos. 63–65 (2012)."
    )
    assert by_key["martens1994another"].html.endswith(
        "Originally published as <em>Un autre regard sur Staline</em> (EPO, 1994)."
    )


# --- API behaviour -------------------------------------------------------------------------------


def test_formatted_subset_keeps_the_style_order(bib, entries):
    keys = ["tucker1973stalin", "arendt1951origins", "no-such-key"]
    assert [e.key for e in bib.formatted(keys)] == ["arendt1951origins", "tucker1973stalin"]


def test_cache_is_used_and_invalidated(tmp_path, monkeypatch):
    source = tmp_path / "refs.bib"
    source.write_text(
        "@book{a1999x, author = {Doe, Jane}, title = {A Book}, publisher = {P}, year = {1999}}\n",
        encoding="utf-8",
    )
    first, _ = bibmod.load(source, cache_dir=tmp_path / "cache")
    assert first.formatted()[0].text == "Doe, Jane. A Book. P, 1999."
    monkeypatch.setattr(
        bibmod, "render", lambda bib: pytest.fail("pandoc ran although the cache was fresh")
    )
    again, _ = bibmod.load(source, cache_dir=tmp_path / "cache")
    assert again.formatted()[0].text == "Doe, Jane. A Book. P, 1999."
    source.write_text(
        source.read_text(encoding="utf-8").replace("1999}", "2000}"), encoding="utf-8"
    )
    changed, _ = bibmod.load(source, cache_dir=tmp_path / "cache")
    with pytest.raises(pytest.fail.Exception):
        changed.formatted()


def test_formatted_from_the_cache_equals_a_parse_and_is_never_stale(tmp_path, monkeypatch):
    """bibmod.formatted() (what the PDFs use) skips the parse when the cache is fresh, and gives
    what load().formatted() gives; an edited references.bib is parsed and formatted again."""
    source = tmp_path / "refs.bib"
    source.write_text(
        "@book{a1999x, author = {Doe, Jane}, title = {A Book}, publisher = {P}, year = {1999}}\n"
        "@book{b2001y, author = {Roe, Ann}, title = {B Book}, publisher = {Q}, year = {2001}}\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    keys = ["b2001y", "a1999x", "no-such-key"]
    parsed = bibmod.load(source, cache_dir=cache)[0].formatted(keys)
    assert [e.key for e in parsed] == ["a1999x", "b2001y"]
    real_load = bibmod.load
    monkeypatch.setattr(bibmod, "load", lambda *a, **k: pytest.fail("parsed a cached file"))
    assert bibmod.formatted(keys, source, cache) == parsed
    source.write_text(
        source.read_text(encoding="utf-8").replace("1999}", "2000}"), encoding="utf-8"
    )
    monkeypatch.setattr(bibmod, "load", real_load)
    assert bibmod.formatted(["a1999x"], source, cache)[0].text == "Doe, Jane. A Book. P, 2000."


def test_problems_in_references_bib_name_their_line(tmp_path):
    source = tmp_path / "refs.bib"
    source.write_text(
        "@book{ok2000, author = {Doe, Jane}, title = {T}, year = {2000}}\n"
        "@book{notitle, author = {Doe, Jane}, year = {2000}}\n"
        "@book{ok2000, editor = {Roe, R.}, title = {U}, year = {2001}, keywords = {cited-by:X}}\n"
        "@book{broken, title = {never closed}\n",
        encoding="utf-8",
    )
    _, problems = bibmod.load(source, cache_dir=None)
    found = sorted((p.location.line, p.code) for p in problems)
    assert found == [
        (2, "bibliography.missing-field"),
        (3, "bibliography.duplicate-key"),
        (4, "bibliography.syntax"),
    ]
    missing = next(p for p in problems if p.code == "bibliography.missing-field")
    assert str(missing) == (
        f"{missing.location.path}:2: entry notitle has no title. Add the missing field "
        "(a corporate author goes in double braces). [bibliography.missing-field]"
    )


def test_check_keys_reports_unknown_keys_with_file_and_line(tmp_path, bib):
    tei = tmp_path / "w.xml"
    tei.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n<p><bibl '
        'corresp="bib:getty1985origins">Getty</bibl>\n'
        '<bibl corresp="bib:gety1985origins">Getty</bibl>\n<ref '
        'target="bib:nosuchwork1900 #x">x</ref></p></body></text></TEI>\n',
        encoding="utf-8",
    )
    problems = bibmod.check_keys([tei], bib)
    assert [(p.location.line, p.code) for p in problems] == [
        (3, "bibliography.unknown-key"),
        (4, "bibliography.unknown-key"),
    ]
    assert "Did you mean bib:getty1985origins?" in str(problems[0])
    assert str(problems[1]).endswith(
        "[bibliography.unknown-key]"
    ) and "w.xml:4: bib:nosuchwork1900 is not in references.bib" in str(problems[1])


def test_check_keys_includes_problems_of_the_bib_file(tmp_path):
    source = tmp_path / "refs.bib"
    source.write_text("@book{x, title = {T}}\n", encoding="utf-8")
    bibliography, load_problems = bibmod.load(source, cache_dir=None)
    assert [p.code for p in load_problems] == ["bibliography.missing-field"]
    assert "has no author or editor, year" in str(load_problems[0])


def test_nothing_is_printed(tmp_path, capsys):
    bibliography, _ = bibmod.load(cache_dir=tmp_path)
    bibliography.formatted()
    bibmod.check_keys(sorted((ROOT / "tei").glob("*.xml")), bibliography)
    assert capsys.readouterr() == ("", "")


@pytest.mark.slow
def test_the_witness_pages_cite_from_the_projects_own_references(tmp_path):
    """The citation each witness page offers (its first note) is formatted from the references.bib
    of the project being rendered, not of the checkout the toolchain runs from."""
    from build_scripts.site import render as site
    from tests.conftest import copy_project

    root = copy_project(tmp_path / "edition")
    wits, _ = witnesses.load(root / "sources" / "witnesses.yml")
    w = next(w for w in wits if w.facts.get("bibkey"))
    bib = root / "references.bib"
    text = bib.read_text(encoding="utf-8")
    entry = re.search(rf"@\w+\{{{re.escape(w.facts['bibkey'])},.*?\n\}}", text, re.S)
    title = re.search(r"(?m)^\s*title\s*=\s*\{", entry.group())
    start = entry.start() + title.end()
    bib.write_text(text[:start] + "Revisited " + text[start:], encoding="utf-8")
    project = site.Project(root)
    site.render(project, everything=True)
    from build_scripts.site import landing

    page = (project.generated / landing.folder(w).removeprefix("edition/") / "index.md").read_text(
        encoding="utf-8"
    )
    assert "Revisited" in page, "the witness page cites from another references.bib"
