"""passim interoperability: the corpus exported as passim's input, passim's output imported as
unreviewed machine entries. passim itself (a Spark application installed from its repository, not
from a registry) cannot run here: its output is built from the exported records in the layout its
`clusterJoin` and `--pairwise` steps write (out.json/part-*.json, align.json/part-*.json)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from build_scripts.apparatus import edition, passim, store
from build_scripts.apparatus.passages import plain_passages
from build_scripts.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHARED = "the plenum of the Central Committee met in February and heard the report"
A = f"Before the purge began, {SHARED} on wrecking. Later on, nothing else was heard."
B = f"One historian writes that {SHARED}, a turning point."
DATES = {"A": "1985", "B": "1995"}


def write_clusters(folder: Path, clusters: list[list[tuple[dict, int, int]]]) -> Path:
    """passim's cluster output: one record per reused passage, the input fields echoed, text cut to
    [begin, end), cluster, size, uid, begin, end, src, boiler, pboiler."""
    out = folder / "out.json"
    out.mkdir(parents=True)
    lines = []
    for number, members in enumerate(clusters, start=1):
        for rec, begin, end in members:
            lines.append(
                {
                    **rec,
                    "text": rec["text"][begin:end],
                    "cluster": number * 1000,
                    "size": len(members),
                    "uid": hash(rec["id"]),
                    "begin": begin,
                    "end": end,
                    "src": [],
                    "boiler": False,
                    "pboiler": 0.0,
                }
            )
    (out / "part-00000-synthetic.json").write_text(
        "".join(json.dumps(rec) + "\n" for rec in lines), encoding="utf-8"
    )
    (out / "_SUCCESS").write_text("")
    return folder


def span(rec: dict, words: str) -> tuple[dict, int, int]:
    begin = rec["text"].index(words)
    return rec, begin, begin + len(words)


def test_export_is_passim_input(tmp_path):
    passages = plain_passages("A", A + "\n\nSecond paragraph.") + plain_passages("B", B)
    path = tmp_path / "corpus.json"
    assert passim.write_corpus(path, passages, DATES) == len(passages)
    lines = path.read_text(encoding="utf-8").splitlines()
    recs = [json.loads(line) for line in lines]
    assert len(lines) == len(passages)  # JSON Lines: one record a line
    for rec, p in zip(recs, passages):
        assert (rec["id"], rec["series"], rec["text"]) == (p.id, p.siglum, p.text)


def test_export_carries_the_pages_as_locs():
    loaded, _ = edition.load()
    recs = list(passim.records(loaded.passages, loaded.dates))
    assert len({r["id"] for r in recs}) == len(recs) == len(loaded.passages)
    with_pages = [r for r in recs if "locs" in r]
    assert with_pages
    for rec in with_pages:
        for loc in rec["locs"]:
            assert 0 <= loc["start"] < loc["start"] + loc["length"] <= len(rec["text"])
            assert loc["loc"].startswith(rec["series"] + " p. ")


def test_round_trip_on_a_synthetic_corpus(tmp_path):
    passages = plain_passages("B", B) + plain_passages("A", A)  # the later witness first
    recs = {r["id"]: r for r in passim.records(passages, DATES)}
    a, b = recs["A.src.p1"], recs["B.src.p1"]
    ra, rb = span(a, SHARED), span(b, SHARED)
    # passim aligns characters: a span may start or end inside a word; it is grown to whole words
    rb = (b, rb[1] + 2, rb[2] - 3)
    folder = write_clusters(tmp_path / "passim", [[ra, rb]])
    groups, problems = passim.read_output(folder)
    assert not problems and len(groups) == 1
    by_id = {p.id: p for p in passages}
    loci, problems = passim.loci(groups, by_id, DATES)
    assert not problems and len(loci) == 1
    locus = loci[0]
    assert (locus.resp, locus.decision, locus.type) == ("#passim", "unreviewed", "reuse")
    first, second = locus.readings
    assert (first.siglum, first.passage, first.role) == ("A", "A.src.p1", "source")  # earlier first
    assert (second.siglum, second.passage, second.role) == ("B", "B.src.p1", "target")
    assert (first.start, first.end) == (ra[1], ra[2]) and first.text == SHARED
    # whole words as the apparatus tokenises them (a word's punctuation stays with it)
    assert second.start == rb[1] - 2 and second.text == SHARED + ","
    assert locus.score == 1.0


def test_pairwise_output_and_stale_spans(tmp_path):
    passages = plain_passages("A", A) + plain_passages("B", B)
    by_id = {p.id: p for p in passages}
    folder = tmp_path / "passim"
    (folder / "align.json").mkdir(parents=True)
    i, j = A.index(SHARED), B.index(SHARED)
    rows = [
        {
            "id": "A.src.p1",
            "series": "A",
            "begin": i,
            "end": i + len(SHARED),
            "id2": "B.src.p1",
            "series2": "B",
            "begin2": j,
            "end2": j + len(SHARED),
            "s1": SHARED,
            "s2": SHARED,
            "matches": len(SHARED),
        }
    ]
    (folder / "align.json" / "part-00000.json").write_text(json.dumps(rows[0]) + "\n")
    groups, problems = passim.read_output(folder)
    loci, problems = passim.loci(groups, by_id, DATES)
    assert not problems and [x.readings[1].text for x in loci] == [SHARED + ","]
    # a span the text no longer has (the TEI changed since the export) is reported, not imported
    stale = write_clusters(
        tmp_path / "stale", [[span(next(passim.records(passages[:1], DATES)), SHARED)]]
    )
    records = stale / "out.json" / "part-00000-synthetic.json"
    records.write_text(records.read_text().replace('"text": "the plenum', '"text": "THE plenum'))
    groups, _ = passim.read_output(stale)
    loci, problems = passim.loci(groups, by_id, DATES)
    assert not loci and [p.code for p in problems] == ["passim.stale"]


def test_cli_round_trip_on_the_edition(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", tei)
    runner = CliRunner(mix_stderr=False)
    exported = tmp_path / "corpus.json"
    result = runner.invoke(
        main, ["apparatus", "export", "--format", "passim", str(exported), "--tei-dir", str(tei)]
    )
    assert result.exit_code == 0, result.output + result.stderr
    recs = {r["id"]: r for r in map(json.loads, exported.read_text(encoding="utf-8").splitlines())}
    old, _ = store.read(tei / store.FILE)
    loaded, _ = edition.load(tei)
    # one cluster the detector already has (its entry's readings), one new pair of passages
    known = next(
        x
        for x in old
        if x.resp == "#detector"
        and x.type == "reuse"
        and all(r.start is not None for r in x.readings)
    )
    ka, kb = known.readings[:2]
    pairs = {frozenset(r.passage for r in x.readings) for x in old}
    x, y = next(
        (p, q)
        for p in loaded.passages
        for q in loaded.passages
        if p.siglum < q.siglum
        and len(p.text) > 80
        and len(q.text) > 80
        and frozenset((p.id, q.id)) not in pairs
    )
    new_x, new_y = (recs[x.id], 0, 40), (recs[y.id], 0, 40)
    folder = write_clusters(
        tmp_path / "passim",
        [
            [(recs[ka.passage], ka.start, ka.end), (recs[kb.passage], kb.start, kb.end)],
            [new_x, new_y],
        ],
    )
    result = runner.invoke(main, ["apparatus", "import-passim", str(folder), "--tei-dir", str(tei)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "1 new entries, 1 already in the apparatus" in result.output
    after, _ = store.read(tei / store.FILE)
    ours = [x for x in after if x.resp == "#passim"]
    assert len(ours) == 1 and ours[0].decision == "unreviewed"
    assert {r.passage for r in ours[0].readings} == {x.id, y.id}
    for r in ours[0].readings:
        p = loaded.by_id[r.passage]
        assert r.start == 0 and r.end >= 40 and p.text[r.start : r.end] == r.text
    assert [x.id for x in after if x.resp != "#passim"] == [
        x.id for x in old
    ]  # nothing else touched
    assert b'xml:id="passim"' in (tei / store.FILE).read_bytes()  # resp="#passim" points somewhere
    # an editor's decision survives a new import, and the entry is not duplicated
    path = tei / store.FILE
    text, n = re.subn(
        rf'(xml:id="{re.escape(ours[0].id)}"[^>]*ana=")#unreviewed',
        r"\1#rejected",
        path.read_text(encoding="utf-8"),
    )
    assert n == 1
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["apparatus", "import-passim", str(folder), "--tei-dir", str(tei)])
    assert result.exit_code == 0, result.output + result.stderr
    again = [x for x in store.read(path)[0] if x.resp == "#passim"]
    assert [(x.id, x.decision) for x in again] == [(ours[0].id, "rejected")]
