"""The `edition apparatus detect` stage: witnesses → machine loci (reuse, retellings, citations,
proposed claims) merged with the editors' entries of tei/apparatus.xml → tei/apparatus.xml."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from build_scripts.apparatus import (
    align,
    citations,
    claims,
    detect,
    edition,
    retold,
    sources,
    store,
    translated,
)
from build_scripts.apparatus.model import Locus
from build_scripts.project import memory
from build_scripts.problems import Problem


@memory.no_cycle_collection()  # the TEI trees, passages and loci hold no cycles (see `reuse`)
def run(
    tei_dir: Path | None = None,
    write: bool = True,
    engine: str = "python",
    master: str | None = None,
) -> tuple[list[Locus], list[Problem], bool]:
    corpus, problems = edition.load(tei_dir, keep_trees=False)  # trees: for the citations only
    path = corpus.tei_dir / store.FILE
    old, _ = store.read(path)
    translit = corpus.tei_dir.parent / "sources" / "transliterations.yml"
    found = reuse(
        corpus.passages,
        corpus.dates,
        translit,
        engine,
        master,
        corpus.authors,
        references(corpus),
    )
    found += citations.check_citations(corpus)
    curated = [l for l in old if l.type == "claim" and l.resp != "#detector"]
    found += claims.propose(corpus.passages, curated)
    loci = store.merge(old, found, ("quotation", "reuse", "citation", "shared-citation", "claim"))
    written = store.write(path, loci) if write else False
    return loci, problems, written


def reuse(
    passages,
    dates,
    translit: Path | None = None,
    engine: str = "python",
    master: str | None = None,
    authors: dict[str, tuple[str, ...]] | None = None,
    refs: sources.Sources | None = None,
) -> list[Locus]:
    """Verbatim reuse (shared word runs) and retellings (shared rare words and figures), one pass
    over the words of every passage. `authors`: siglum → the surnames naming its author
    (`Corpus.authors`), for retellings that name whom they retell. `refs`: the witnesses'
    references (`references`), for a document quoted in the earlier witness's own translation.
    `engine="spark"`: the candidate pairs of the verbatim
    detector come from a Spark job (build_scripts/apparatus/spark.py), the same pairs."""
    options = {}
    if engine == "spark":
        options["candidates"] = partial(_spark_candidates, master=master)
    with memory.no_cycle_collection():  # millions of small tuples and sets, no cycles
        words = detect.tokenised(passages)
        found = detect.loci(detect.detect(passages, dates, words=words, **options), refs)
        align.forget()  # the words met by the verbatim detector: not those of the retellings
        translit_path = str(translit or "")
        units = retold.units(passages, retold.names(translit_path), words)
        retold_found = retold.retellings(passages, dates, translit_path, us=units, authors=authors)
        del units
        found = retold.condensed(found + retold.loci(retold_found, found), passages)
        # documents quoted in two translations (the words survive, not their runs)
        found = translated.translations(passages, dates, translit_path, found, words)
        del words  # the largest structure, no longer needed
        translated.forget()
        retold.forget()
        return found


def references(corpus: edition.Corpus) -> sources.Sources:
    """The references of the corpus's witnesses, with their languages and the bibliography's
    (references.bib beside tei/)."""
    bib = partial(sources.bibliography, corpus.tei_dir.parent / "references.bib")
    return sources.Sources(corpus.passages, corpus.languages, bib)


def _spark_candidates(passages, words, k, cap, master=None):
    from build_scripts.apparatus import spark

    session = spark.session(master)
    try:
        return spark.candidates(passages, words, k, cap, spark=session)
    finally:
        session.stop()
