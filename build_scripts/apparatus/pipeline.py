"""The `edition apparatus detect` stage: witnesses → machine loci + seeded claims → tei/apparatus.xml."""
from __future__ import annotations

from pathlib import Path

from build_scripts.apparatus import citations, claims, detect, edition, retold, store
from build_scripts.apparatus.model import Locus
from build_scripts.problems import Problem


def run(tei_dir: Path | None = None, write: bool = True) -> tuple[list[Locus], list[Problem], bool]:
    corpus, problems = edition.load(tei_dir)
    path = corpus.tei_dir / store.FILE
    old, _ = store.read(path)
    found = reuse(corpus.passages, corpus.dates, corpus.tei_dir.parent / "sources" / "transliterations.yml")
    found += citations.check_citations(corpus)
    loci = store.merge(old, found, ("quotation", "reuse", "citation", "shared-citation"))
    seeded, claim_problems = claims.seed(corpus.passages)
    loci = store.merge(loci, grown(loci, seeded), ())
    problems += claim_problems
    written = store.write(path, loci) if write else False
    return loci, problems, written


def reuse(passages, dates, translit: Path | None = None) -> list[Locus]:
    """Verbatim reuse (shared word runs) and retellings (shared rare words and figures), one pass
    over the words of every passage."""
    words = detect.tokenised(passages)
    found = detect.loci(detect.detect(passages, dates, words=words))
    return found + retold.loci(retold.retellings(passages, dates, str(translit or ""), words), found)


def grown(loci: list[Locus], seeded: list[Locus]) -> list[Locus]:
    """Seeded claims the file lacks, has only in part (a witness's TEI arrived later) or whose
    passages moved; the stored question, decision and notes win."""
    have = {l.id: l for l in loci}
    out = []
    for claim in seeded:
        old = have.get(claim.id)
        if old is None:
            out.append(claim)
            continue
        mine = {(r.siglum, r.text) for r in old.readings}
        new = {(r.siglum, r.text) for r in claim.readings}
        moved = {(r.siglum, r.passage) for r in old.readings} != {(r.siglum, r.passage) for r in claim.readings}
        if mine < new or (mine == new and moved):  # more readings, or a witness's ids were reassigned
            out.append(Locus(claim.id, claim.type, claim.readings, old.resp, old.score, old.decision, old.verdict, old.question, old.notes))
    return out
