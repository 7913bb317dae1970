"""The `edition apparatus detect` stage: witnesses → machine loci (reuse, retellings, citations,
proposed claims) merged with the editors' entries of tei/apparatus.xml → tei/apparatus.xml."""

from __future__ import annotations

import gc
from pathlib import Path

from build_scripts.apparatus import citations, claims, detect, edition, retold, store
from build_scripts.apparatus.model import Locus
from build_scripts.problems import Problem


def run(tei_dir: Path | None = None, write: bool = True) -> tuple[list[Locus], list[Problem], bool]:
    corpus, problems = edition.load(tei_dir)
    path = corpus.tei_dir / store.FILE
    old, _ = store.read(path)
    found = reuse(
        corpus.passages, corpus.dates, corpus.tei_dir.parent / "sources" / "transliterations.yml"
    )
    found += citations.check_citations(corpus)
    curated = [l for l in old if l.type == "claim" and l.resp != "#detector"]
    found += claims.propose(corpus.passages, curated)
    loci = store.merge(old, found, ("quotation", "reuse", "citation", "shared-citation", "claim"))
    written = store.write(path, loci) if write else False
    return loci, problems, written


def reuse(passages, dates, translit: Path | None = None) -> list[Locus]:
    """Verbatim reuse (shared word runs) and retellings (shared rare words and figures), one pass
    over the words of every passage."""
    paused = gc.isenabled()
    gc.disable()  # millions of small tuples and sets, no cycles: the cyclic collector would rescan them
    try:
        words = detect.tokenised(passages)
        found = detect.loci(detect.detect(passages, dates, words=words))
        return found + retold.loci(
            retold.retellings(passages, dates, str(translit or ""), words), found
        )
    finally:
        if paused:
            gc.enable()
