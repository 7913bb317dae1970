"""Stability and layout of the apparatus.

- Adding an unrelated witness never removes an entry between the others (issue 10): whether two
  witnesses share a passage is decided from those two witnesses alone (formula caps are counted per
  witness, rarity per pair of witnesses).
- Canonical layout of tei/apparatus.xml: each app, rdg and note on its own line, so that an editor's
  one-word decision change is a one-line diff (issue 14).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from build_scripts.apparatus import claims, edition, pipeline, store
from build_scripts.apparatus.model import Locus, Passage

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus():
    loaded, _ = edition.load()
    return loaded


def keys(loci: list[Locus]) -> set[tuple]:
    return {(l.type, tuple((r.passage, r.start, r.end) for r in l.readings)) for l in loci}


def noisy_witness(passages: list[Passage]) -> list[Passage]:
    """A sixth witness X that repeats, many times over, the opening words of hundreds of passages
    of the others (what pushed shared phrases over a corpus-wide frequency cap) and the others'
    figures, plus a text of its own."""
    out = []
    for n, p in enumerate(passages[::2]):
        words = p.text.split()
        for k in range(3):  # three passages, each printing the opening and the middle five times
            text = " ".join(
                [" ".join(words[:16]) + ".", " ".join(words[len(words) // 2 :][:16]) + "."] * 5
            )
            out.append(Passage("X", f"X.p{n}.{k}", "x.xml", "p", text))
    out.append(
        Passage(
            "X",
            "X.own",
            "x.xml",
            "p",
            "A witness of its own, with words that no other text prints at all.",
        )
    )
    return out


def test_an_unrelated_witness_removes_no_entry(corpus):
    base = [p for p in corpus.passages if p.siglum in ("G", "M", "S")]
    dates = dict(corpus.dates, X="2030")
    translit = ROOT / "sources/transliterations.yml"
    authors = dict(corpus.authors, X=("Noisy",))  # retellings that name whom they retell too
    before = pipeline.reuse(base, dates, translit, authors=authors) + claims.propose(base)
    after = pipeline.reuse(
        base + noisy_witness(base), dates, translit, authors=authors
    ) + claims.propose(base + noisy_witness(base))
    kept = {k for k in keys(after) if all(not pid.startswith("X.") for pid, _, _ in k[1])}
    lost = keys([l for l in before if l.type != "claim"]) - kept
    assert len(before) >= 30
    assert lost == set(), f"{len(lost)} entries lost, e.g. {sorted(lost)[:3]}"

    # a proposed claim may gain X's readings, never lose its own
    def claim_readings(loci):
        return {
            l.id: {(r.passage, r.start) for r in l.readings if not r.passage.startswith("X.")}
            for l in loci
            if l.type == "claim"
        }

    old, new = claim_readings(before), claim_readings(after)
    assert all(rid in new and old[rid] <= new[rid] for rid in old)


def test_one_decision_is_a_one_line_diff(tmp_path):
    """Every app, rdg and note on its own line: confirming one entry changes one line (< 1 KB)."""
    path = tmp_path / store.FILE
    loci, _ = store.read(ROOT / "tei" / store.FILE)
    store.write(path, loci)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert (
        max(len(line) for line in lines) < 4000
    )  # a reading may be long; an entry is never one line
    assert sum(1 for line in lines if line.lstrip().startswith("<app ")) == len(loci)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", store.FILE], check=True)
    target = next(l for l in loci if l.decision == "unreviewed")
    changed = [
        Locus(
            l.id,
            l.type,
            l.readings,
            l.resp,
            l.score,
            "confirmed",
            l.verdict,
            l.question,
            l.notes,
            findings=l.findings,
            relation=l.relation,
        )
        if l.id == target.id
        else l
        for l in loci
    ]
    store.write(path, changed)
    diff = subprocess.run(
        ["git", "-C", str(tmp_path), "diff", "-U0", "--no-color"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    body = [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert len(body) == 2 and len(diff.encode("utf-8")) <= 1024, diff[:2000]


def test_layout_is_stable_across_reads(tmp_path):
    """Read and written again, the apparatus is byte for byte the same (editors' layout kept)."""
    data = (ROOT / "tei" / store.FILE).read_bytes()
    path = tmp_path / store.FILE
    path.write_bytes(data)
    loci, _ = store.read(path)
    store.write(path, loci)
    assert path.read_bytes() == data
