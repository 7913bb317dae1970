"""The apparatus on the TEI of the edition: ground truth measured on the TEI passages, stable ids and
editors' decisions across reruns, and citation verdicts drawn from the text (pages with pb/@cert).

Thresholds (asserted below): on the TEI, pair recall >= 0.9 and precision >= 0.85 for the machine loci
(reuse detection plus citation checks, which compare S's tables with G's cell by cell).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_scripts.apparatus import citations, detect, edition, pipeline, store
from build_scripts.apparatus.model import Locus
from test_apparatus_detect import TRUTH, matches  # noqa: E402  (tests/ is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
RECALL, PRECISION = 0.9, 0.85


@pytest.fixture(scope="module")
def corpus():
    loaded, _ = edition.load()
    return loaded


@pytest.fixture(scope="module")
def machine(corpus):
    return detect.loci(detect.detect(corpus.passages, corpus.dates)) + citations.check_citations(corpus)


def test_ground_truth_on_the_tei(machine):
    found = [l for l in machine if len(l.readings) >= 2]
    hit = [p for p in TRUTH["pairs"] if any(matches(l, p) for l in found)]
    excluded = TRUTH["uncertain"] + TRUTH["bibliographic"]
    true = [l for l in found if any(matches(l, p) for p in TRUTH["pairs"])]
    judged = [l for l in found if l in true or not any(matches(l, u) for u in excluded)]
    recall, precision = len(hit) / len(TRUTH["pairs"]), len(true) / max(1, len(judged))
    print(f"TEI: recall {recall:.3f} ({len(hit)}/{len(TRUTH['pairs'])}), precision {precision:.3f} ({len(true)}/{len(judged)})")
    missed = [p["a"][1] for p in TRUTH["pairs"] if p not in hit]
    false = [l.id for l in judged if l not in true]
    assert recall >= RECALL, f"recall {recall:.2f}; missed {missed}"
    assert precision >= PRECISION, f"precision {precision:.2f}; false {false}"


# --- reruns -----------------------------------------------------------------------------------------
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
    edited = {reuse[0].id: ("confirmed", ("Checked against both printed pages.",)),
              reuse[1].id: ("rejected", ()),
              cit.id: ("unreviewed", ("An editor's note on this citation.",))}
    store.write(path, [_decide(l, edited) for l in loci])
    before, _ = store.read(path)
    pipeline.run(tei_copy)
    after, _ = store.read(path)
    assert [l.id for l in after] == [l.id for l in before]
    for old, new in zip(before, after):
        assert (new.decision, new.notes, new.question) == (old.decision, old.notes, old.question), new.id
    assert {l.id: l.decision for l in after}[reuse[1].id] == "rejected"


def _decide(locus: Locus, edited: dict) -> Locus:
    if locus.id not in edited:
        return locus
    decision, notes = edited[locus.id]
    return Locus(locus.id, locus.type, locus.readings, locus.resp, locus.score, decision, locus.verdict, locus.question, notes, findings=locus.findings)


def test_an_edit_elsewhere_in_a_passage_keeps_the_id(tei_copy):
    pipeline.run(tei_copy)
    loci, _ = store.read(tei_copy / store.FILE)
    locus = next(l for l in loci if l.type in ("reuse", "quotation") and l.readings[1].start and l.readings[1].start > 0)
    target = locus.readings[1]
    tei = tei_copy / target.file
    xml = tei.read_text(encoding="utf-8")
    opening = f'xml:id="{target.passage}">'
    assert xml.count(opening) == 1
    tei.write_text(xml.replace(opening, opening + "Inserted words at the start. ", 1), encoding="utf-8")
    pipeline.run(tei_copy)
    after = {l.id: l for l in store.read(tei_copy / store.FILE)[0]}
    assert locus.id in after
    moved = after[locus.id].readings[1]
    assert moved.start == target.start + len("Inserted words at the start. ") and moved.text == target.text


# --- citations on the edition's TEI ------------------------------------------------------------------
@pytest.fixture(scope="module")
def cited(corpus):
    return {l.id: l for l in citations.check_citations(corpus)}


def test_martens_p178_is_altered_on_the_cited_page(cited):
    locus = next(l for l in cited.values() if "avoid being arrested" in l.readings[-1].text)
    g, m = locus.readings
    assert locus.verdict == "altered" and g.siglum == "G" and "avoid being seized" in g.text
    assert "178" in locus.findings[0] and "the cited page" in locus.findings[0]


def test_martens_p185_is_reported_with_its_page_uncertainty(cited, corpus):
    quoted = next(l for l in cited.values() if l.readings[-1].text == "vanguard of party and revolution")
    g = quoted.readings[0]
    page = corpus.by_id[g.passage].page_at(g.start)
    assert "vanguard of party and revolution" in g.text
    if page != "185" and corpus.cert("G", page) not in citations.CERTAIN:
        assert quoted.verdict != "wrong-page"
        assert f"p. {page} (inferred page number, cert={corpus.cert('G', page)})" in quoted.findings[0]
    restated = next(l for l in cited.values() if "three Deputy Commissars" in l.readings[-1].text)
    assert restated.verdict == "paraphrase" and "one of Ezhov's deputy commissars" in restated.readings[0].text


def test_stalin_society_tables_are_compared_cell_by_cell(cited):
    t1, t3, t6 = cited["cit.S.art.t1"], cited["cit.S.art.t3"], cited["cit.S.art.t5"]
    assert t1.verdict == "omission" and t1.readings[0].passage == "G.c2.p30.t1"
    assert all(year in t1.findings[0] for year in ("1924", "1925", "1926", "1930", "1931"))
    assert t3.verdict == "altered" and any("Not mentioned in Origins of the Great Purges (4.0)" in f for f in t3.findings)
    assert any("11.0 for 11" in f for f in t6.findings)
    assert cited["cit.S.art.t4"].verdict == "exact"


def test_emelyanov_cites_a_chapter_of_getty(cited):
    e = [l for l in cited.values() if l.readings[-1].siglum == "E"]
    assert e and all(l.readings[0].passage.startswith("G.c6.") for l in e if len(l.readings) == 2)


# --- verdicts on a small fixture ---------------------------------------------------------------------
WITNESS = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{sig}"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>
<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>
<text><body><div xml:id="{sig}.d1">{body}</div></body></text></TEI>
"""
G_BODY = ('<pb n="160"{cert} xml:id="G.pb160"/><p xml:id="G.d1.p1">Nothing of interest stands on this page at all.</p>'
          '<pb n="161"{cert} xml:id="G.pb161"/><p xml:id="G.d1.p2">The regional machines were closed to criticism from below, and the rank and file could not break them open.</p>')
M_BODY = ('<cit><quote xml:id="M.d1.q1"><p xml:id="M.d1.q1.p1">`The regional machines were closed to criticism from below\'</p></quote>'
          '<bibl xml:id="M.d1.b1">Ibid., <ref type="witness" target="getty.xml#G.pb160">p. 160</ref>.</bibl></cit>')


def fixture(tmp: Path, cert: str) -> Path:
    tei = tmp / "tei"
    tei.mkdir(parents=True)
    (tei / "getty.xml").write_text(WITNESS.format(sig="G", body=G_BODY.format(cert=cert)), encoding="utf-8")
    (tei / "martens.xml").write_text(WITNESS.format(sig="M", body=M_BODY), encoding="utf-8")
    return tei


def test_wrong_page_only_where_the_page_numbers_are_certain(tmp_path):
    printed = citations.check_citations(edition.load(fixture(tmp_path / "a", ""))[0])
    assert [l.verdict for l in printed] == ["wrong-page"]
    assert "Found on p. 161; the citation names p. 160." == printed[0].findings[0]
    inferred = citations.check_citations(edition.load(fixture(tmp_path / "b", ' cert="low"'))[0])
    assert [l.verdict for l in inferred] == ["exact"]
    assert "p. 161 (inferred page number, cert=low)" in inferred[0].findings[0]
