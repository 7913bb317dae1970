"""The apparatus on the TEI of the edition: ground truth measured on the TEI passages, stable ids
and editors' decisions across reruns, and citation verdicts drawn from the text (pages with
pb/@cert).

Thresholds (asserted below): on the TEI, pair recall >= 0.9 and precision >= 0.85 for the machine
loci (reuse detection plus citation checks, which compare S's tables with G's cell by cell), on the
ground truth of tests/apparatus/reading_pairs.yaml as test_apparatus_detect reads it (recall on the
quotation, common-source and intermediary pairs found by reading; an entry is true on a pair of any
relation), a pair connected as test_apparatus_reading counts it (by offsets in the TEI passages).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_scripts.apparatus import citations, detect, edition, pipeline, store
from build_scripts.apparatus.model import Locus
from test_apparatus_detect import (  # noqa: E402  (tests/ is on sys.path)
    EXCLUDED,
    MEASURED,
    TRUTH,
    flagged,
    matches,
    on_pair,
    report,
)
from test_apparatus_reading import connects  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RECALL, PRECISION = 0.9, 0.85


@pytest.fixture(scope="module")
def corpus():
    loaded, _ = edition.load()
    return loaded


@pytest.fixture(scope="module")
def machine(corpus):
    return detect.loci(detect.detect(corpus.passages, corpus.dates)) + citations.check_citations(
        corpus
    )


def test_ground_truth_on_the_tei(machine, corpus):
    found = [l for l in machine if len(l.readings) >= 2 and l.type != "shared-citation"]
    on = {p["id"]: [l for l in found if connects(l, corpus, p)] for p in TRUTH["pairs"]}
    hit = [p for p in TRUTH["pairs"] if on[p["id"]]]
    got = [p for p in MEASURED if on[p["id"]]]
    true = [l for l in found if any(l in ls for ls in on.values())]
    judged = [l for l in found if l in true or not any(matches(l, u) for u in EXCLUDED)]
    recall, precision = len(got) / len(MEASURED), len(true) / max(1, len(judged))
    only = flagged(true, lambda l, p: l in on[p["id"]])
    print(
        f"\nTEI: recall {recall:.3f} ({len(got)}/{len(MEASURED)}), precision {precision:.3f}"
        f" ({len(true)}/{len(judged)}; {only} true only on a pair found by looking at the"
        f" detector's output)\n" + report(hit)
    )
    missed = [p["id"] for p in MEASURED if p not in got]
    false = [l.id for l in judged if l not in true]
    assert recall >= RECALL, f"recall {recall:.2f}; missed {missed}"
    assert precision >= PRECISION, f"precision {precision:.2f}; false {false}"


# --- shared citations ---------------------------------------------------------------------------
def test_shared_titles_are_typed_shared_citation(machine):
    """A shared citation is two references to one work: the same bibliography key, or the same
    author and year. By reading the notes: the ground truth's shared titles that name one work
    (Getty's book in K, S and E; Medvedev's book in G and K, both New York 1971; the Bukharin trial
    report in G's note 11 and E's note 30) are shared citations; similar titles of two works are
    not (G's French Rittersporn, 1991 and K's English one; G's 1937 Trotskyite Centre report and
    E's 1938 Bloc report; Medvedev's 1971 book in K and its 1989 edition in E), nor is the trial
    named as an event in E's prose."""
    shared = [l for l in machine if l.type == "shared-citation"]
    titled = [
        l
        for l in machine
        if len(l.readings) >= 2
        and any(matches(l, b) for b in TRUTH["shared_citations"])
        and not any(on_pair(l, p) for p in TRUTH["pairs"])
    ]  # three shared words can be a title's and a resolution's
    assert len(titled) >= 5
    assert [l.id for l in titled if l.type != "shared-citation"] == []
    assert [l.id for l in shared if not any(matches(l, b) for b in TRUTH["shared_citations"])] == []
    pairs = {tuple((r.siglum, r.passage) for r in l.readings) for l in shared}
    assert (("G", "G.app.n11"), ("E", "E.n30")) in pairs
    different = [
        (("G", "G.c5.n31"), ("K", "K.art.n1")),
        (("G", "G.c5.n60"), ("E", "E.n30")),
        (("K", "K.art.n1"), ("E", "E.n6")),
        (("G", "G.app.n11"), ("E", "E.pt3.d3.p16")),
    ]
    assert [p for p in different if p in pairs] == []


def _bib(sig: str, n: int, key: str, text: str) -> str:
    corresp = f' corresp="bib:{key}"' if key else ""
    return f'<note xml:id="{sig}.d1.n{n}" n="{n}" place="end"><bibl{corresp}>{text}</bibl></note>'


@pytest.mark.parametrize(
    "g_key, e_key, g_ref, e_ref, expected",
    [
        (
            "smith1990great",
            "smith1990great",
            "J. Smith, The Great Terror Reconsidered in the Provinces of Russia, London, 1990, 12",
            "John Smith, The Great Terror Reconsidered "
            "in the Provinces of Russia (London, 1990), 44",
            True,
        ),
        (
            "smith1990great",
            "brown1995great",
            "J. Smith, The Great Terror Reconsidered in the Provinces of Russia, London, 1990, 12",
            "A. Brown, The Great Terror Reconsidered in the "
            "Provinces of Russia and Ukraine (Oxford, 1995), 44",
            False,
        ),
        (
            "",
            "",
            "J. Smith, The Great Terror Reconsidered in the Provinces of Russia, London, 1990, 12",
            "A. Brown, The Great Terror Reconsidered in the "
            "Provinces of Russia and Ukraine (Oxford, 1995), 44",
            False,
        ),
        (
            "",
            "",
            "J. Smith, The Great Terror Reconsidered in the Provinces of Russia, London, 1990, 12",
            "John Smith, The Great Terror Reconsidered "
            "in the Provinces of Russia (London, 1990), 44",
            True,
        ),
    ],
)
def test_a_shared_citation_is_one_work(tmp_path, g_key, e_key, g_ref, e_ref, expected):
    """Same key, or same author and year: a shared citation; a similar title of another work:
    nothing."""
    tei = tmp_path / "tei"
    tei.mkdir()
    g = (
        '<p xml:id="G.d1.p1">A sentence about something '
        f"else entirely.{_bib('G', 1, g_key, g_ref)}</p>"
    )
    e = (
        '<p xml:id="E.d1.p1">Another sentence on a '
        f"different matter.{_bib('E', 1, e_key, e_ref)}</p>"
    )
    (tei / "getty.xml").write_text(WITNESS.format(sig="G", body=g), encoding="utf-8")
    (tei / "emelyanov.xml").write_text(WITNESS.format(sig="E", body=e), encoding="utf-8")
    corpus, _ = edition.load(tei)
    found = [l for l in detect.loci(detect.detect(corpus.passages, corpus.dates))]
    assert [l.type for l in found] == (["shared-citation"] if expected else [])


def test_an_event_named_in_prose_is_no_citation(tmp_path):
    tei = tmp_path / "tei"
    tei.mkdir()
    ref = (
        "Report of the Court Proceedings in the Case of the "
        "Anti-Soviet Bloc of Rights and Trotskyites, Moscow, 1938, 376"
    )
    g = f'<p xml:id="G.d1.p1">The trial was a spectacle.{_bib("G", 1, "report1938bloc", ref)}</p>'
    e = (
        '<p xml:id="E.d1.p1">In March 1938 the Moscow trial '
        "in the Case of the Anti-Soviet Bloc of Rights and "
        "Trotskyites took place before a large audience.</p>"
    )
    (tei / "getty.xml").write_text(WITNESS.format(sig="G", body=g), encoding="utf-8")
    (tei / "emelyanov.xml").write_text(WITNESS.format(sig="E", body=e), encoding="utf-8")
    corpus, _ = edition.load(tei)
    assert [l.type for l in detect.loci(detect.detect(corpus.passages, corpus.dates))] == []


COMMENTED = (
    '<p xml:id="{sig}.d1.p1">{prose}<note xml:id="{sig}.d1.n1" n="1" '
    'place="end"><bibl>Report of the Court Proceedings in the Case of the '
    "Anti-Soviet Bloc of Rights and Trotskyites, Moscow, 1938, {page}</bibl>.{comment}</note></p>"
)
COMMENT = (
    " Here the prosecutor insisted that the defendants had "
    "organised wrecking in every branch of industry and transport"
    " over many years without any pause"
)


def test_a_note_shares_its_reference_as_a_citation_and_its_comment_as_reuse(tmp_path):
    """G's note cites the trial report and comments on it; M cites the same report in a note and
    repeats G's comment in its prose: the reference is a shared citation, the comment is reuse."""
    tei = tmp_path / "tei"
    tei.mkdir()
    g = COMMENTED.format(
        sig="G",
        prose="The trial was a spectacle for the whole country.",
        page="376",
        comment=COMMENT,
    )
    m = COMMENTED.format(
        sig="M",
        prose="As the record shows," + COMMENT.replace(" Here", "") + ", said Martens.",
        page="572",
        comment="",
    )
    (tei / "getty.xml").write_text(WITNESS.format(sig="G", body=g), encoding="utf-8")
    (tei / "martens.xml").write_text(WITNESS.format(sig="M", body=m), encoding="utf-8")
    corpus, _ = edition.load(tei)
    found = {
        (l.readings[0].passage, l.readings[1].passage): l
        for l in detect.loci(detect.detect(corpus.passages, corpus.dates))
    }
    assert found[("G.d1.n1", "M.d1.n1")].type == "shared-citation"
    assert found[("G.d1.n1", "M.d1.p1")].type == "reuse"
    assert "prosecutor insisted" in found[("G.d1.n1", "M.d1.p1")].readings[0].text


def test_an_entry_that_changes_type_keeps_its_id_and_decision(tei_copy):
    """An apparatus written before shared citations had a type of their own: the rerun retypes the
    entry and keeps its id and the editor's decision and note."""
    pipeline.run(tei_copy)
    path = tei_copy / store.FILE
    loci, _ = store.read(path)
    shared = next(l for l in loci if l.type == "shared-citation")
    old = Locus(
        shared.id,
        "reuse",
        shared.readings,
        shared.resp,
        shared.score,
        "confirmed",
        None,
        "",
        ("Checked.",),
        findings=shared.findings,
    )
    store.write(path, [old if l.id == shared.id else l for l in loci])
    pipeline.run(tei_copy)
    after = {l.id: l for l in store.read(path)[0]}
    assert (after[shared.id].type, after[shared.id].decision, after[shared.id].notes) == (
        "shared-citation",
        "confirmed",
        ("Checked.",),
    )
    assert len(after) == len(loci)


# --- reruns -------------------------------------------------------------------------------------
@pytest.fixture
def tei_copy(tmp_path):
    target = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", target)
    return target


def test_rerun_keeps_every_id_decision_and_note(tei_copy):
    first, problems, _ = pipeline.run(tei_copy)
    path = tei_copy / store.FILE
    loci, _ = store.read(path)
    machine = [l for l in loci if l.resp == "#detector"]
    assert len(machine) >= 40 and len({l.id for l in loci}) == len(loci)
    # an editor confirms one entry, rejects another and annotates a citation
    reuse = [l for l in machine if l.type in ("reuse", "quotation")]
    cit = next(l for l in machine if l.type == "citation")
    edited = {
        reuse[0].id: ("confirmed", ("Checked against both printed pages.",)),
        reuse[1].id: ("rejected", ()),
        cit.id: ("unreviewed", ("An editor's note on this citation.",)),
    }
    store.write(path, [_decide(l, edited) for l in loci])
    before, _ = store.read(path)
    pipeline.run(tei_copy)
    after, _ = store.read(path)
    assert [l.id for l in after] == [l.id for l in before]
    for old, new in zip(before, after):
        assert (new.decision, new.notes, new.question) == (old.decision, old.notes, old.question), (
            new.id
        )
    assert {l.id: l.decision for l in after}[reuse[1].id] == "rejected"


def _decide(locus: Locus, edited: dict) -> Locus:
    if locus.id not in edited:
        return locus
    decision, notes = edited[locus.id]
    return Locus(
        locus.id,
        locus.type,
        locus.readings,
        locus.resp,
        locus.score,
        decision,
        locus.verdict,
        locus.question,
        notes,
        findings=locus.findings,
    )


def test_an_edit_elsewhere_in_a_passage_keeps_the_id(tei_copy):
    pipeline.run(tei_copy)
    loci, _ = store.read(tei_copy / store.FILE)
    locus = next(
        l
        for l in loci
        if l.type in ("reuse", "quotation") and l.readings[1].start and l.readings[1].start > 0
    )
    target = locus.readings[1]
    tei = tei_copy / target.file
    xml = tei.read_text(encoding="utf-8")
    opening = f'xml:id="{target.passage}">'
    assert xml.count(opening) == 1
    tei.write_text(
        xml.replace(opening, opening + "Inserted words at the start. ", 1), encoding="utf-8"
    )
    pipeline.run(tei_copy)
    after = {l.id: l for l in store.read(tei_copy / store.FILE)[0]}
    assert locus.id in after
    moved = after[locus.id].readings[1]
    assert (
        moved.start == target.start + len("Inserted words at the start. ")
        and moved.text == target.text
    )


# --- citations on the edition's TEI -------------------------------------------------------------
@pytest.fixture(scope="module")
def cited(corpus):
    return {l.id: l for l in citations.check_citations(corpus)}


def test_martens_p178_is_altered_on_the_cited_page(cited):
    locus = next(l for l in cited.values() if "avoid being arrested" in l.readings[-1].text)
    g, m = locus.readings
    assert locus.verdict == "altered" and g.siglum == "G" and "avoid being seized" in g.text
    assert "178" in locus.findings[0] and "the cited page" in locus.findings[0]


def test_martens_p185_is_reported_with_its_page_uncertainty(cited, corpus):
    quoted = next(
        l for l in cited.values() if l.readings[-1].text == "vanguard of party and revolution"
    )
    g = quoted.readings[0]
    page = corpus.by_id[g.passage].page_at(g.start)
    assert "vanguard of party and revolution" in g.text
    if page != "185" and corpus.cert("G", page) not in citations.CERTAIN:
        assert quoted.verdict != "wrong-page"
        assert (
            f"p. {page} (inferred page number, cert={corpus.cert('G', page)})" in quoted.findings[0]
        )
    restated = next(l for l in cited.values() if "three Deputy Commissars" in l.readings[-1].text)
    assert (
        restated.verdict == "paraphrase"
        and "one of Ezhov's deputy commissars" in restated.readings[0].text
    )


def test_stalin_society_tables_are_compared_cell_by_cell(cited):
    t1, t3, t6 = cited["cit.S.art.t1"], cited["cit.S.art.t3"], cited["cit.S.art.t5"]
    assert t1.verdict == "omission" and t1.readings[0].passage == "G.c2.p30.t1"
    assert all(year in t1.findings[0] for year in ("1924", "1925", "1926", "1930", "1931"))
    assert t3.verdict == "altered" and any(
        "Not mentioned in Origins of the Great Purges (4.0)" in f for f in t3.findings
    )
    assert any("11.0 for 11" in f for f in t6.findings)
    assert cited["cit.S.art.t4"].verdict == "exact"


def test_emelyanov_cites_a_chapter_of_getty(cited):
    e = [l for l in cited.values() if l.readings[-1].siglum == "E"]
    assert e and all(l.readings[0].passage.startswith("G.c6.") for l in e if len(l.readings) == 2)


# --- verdicts on a small fixture ----------------------------------------------------------------
WITNESS = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{sig}"><teiHeader><fileDesc>\
<titleStmt><title>t</title></titleStmt>
<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>
<text><body><div xml:id="{sig}.d1">{body}</div></body></text></TEI>
"""
G_BODY = (
    '<pb n="160"{cert} xml:id="G.pb160"/><p xml:id="G.d1.p1">Nothing '
    "of interest stands on this page at all.</p>"
    '<pb n="161"{cert} xml:id="G.pb161"/><p xml:id="G.d1.p2">The regional machines were '
    "closed to criticism from below, and the rank and file could not break them open.</p>"
)
M_BODY = (
    '<cit><quote xml:id="M.d1.q1"><p xml:id="M.d1.q1.p1">`The regional '
    "machines were closed to criticism from below'</p></quote>"
    '<bibl xml:id="M.d1.b1">Ibid., <ref type="witness" '
    'target="getty.xml#G.pb160">p. 160</ref>.</bibl></cit>'
)


def fixture(tmp: Path, cert: str) -> Path:
    tei = tmp / "tei"
    tei.mkdir(parents=True)
    (tei / "getty.xml").write_text(
        WITNESS.format(sig="G", body=G_BODY.format(cert=cert)), encoding="utf-8"
    )
    (tei / "martens.xml").write_text(WITNESS.format(sig="M", body=M_BODY), encoding="utf-8")
    return tei


def test_wrong_page_only_where_the_page_numbers_are_certain(tmp_path):
    printed = citations.check_citations(edition.load(fixture(tmp_path / "a", ""))[0])
    assert [l.verdict for l in printed] == ["wrong-page"]
    assert "Found on p. 161; the citation names p. 160." == printed[0].findings[0]
    inferred = citations.check_citations(edition.load(fixture(tmp_path / "b", ' cert="low"'))[0])
    assert [l.verdict for l in inferred] == ["exact"]
    assert "p. 161 (inferred page number, cert=low)" in inferred[0].findings[0]
