"""The detector's candidate generation as a Spark job (`edition apparatus detect --engine spark`):
the same candidate pairs, with the same seed points, as the in-process join; on a synthetic corpus
(with the rules the join must keep) and on the edition, in local mode.

Spark starts slowly (a JVM and Python workers): one SparkSession for the whole test session, all
these tests in one xdist group so that one worker runs them."""

from __future__ import annotations

import pytest

from build_scripts.apparatus import detect, edition
from build_scripts.apparatus.passages import plain_passages

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spark")]


@pytest.fixture(scope="session")
def spark():
    from build_scripts.apparatus import spark as engine

    session = engine.session("local[2]")
    conf = session.sparkContext.getConf()
    assert conf.get("spark.ui.enabled") == "false"
    assert conf.get("spark.driver.bindAddress") == "127.0.0.1"
    assert conf.get("spark.sql.shuffle.partitions") == "4"
    yield session
    session.stop()


def both(passages, spark, **options):
    from build_scripts.apparatus import spark as engine

    words = detect.tokenised(passages)
    k = options.get("k", detect.K)
    cap = options.get("max_postings", detect.MAX_POSTINGS)
    local = {
        pair: sorted(points) for pair, points in detect.candidates(passages, words, k, cap).items()
    }
    distributed = engine.candidates(passages, words, k, cap, spark=spark)
    return local, distributed


SOURCE = (
    "The plenum of the Central Committee met in February and heard the report on the "
    "wrecking activities of the Trotskyist centre in the western region of the country.\n\n"
    "Local party secretaries were removed one after another in the spring of that year.\n\n"
    "Nothing in the archive suggests a plan drawn up in advance for the whole operation."
)
QUOTING = (
    "As one historian put it, the plenum of the Central Committee met in February and heard "
    "the report on the wrecking activities of the Trotskyist centre, a turning point.\n\n"
    "Nothing in the archive suggests a plan drawn up in advance, he writes."
)
FORMULA = "long live the great leader of the peoples"


def corpus(formula_times: int = 0, third: bool = True):
    a = plain_passages("A", SOURCE)
    b = plain_passages("B", QUOTING + "".join(f"\n\n{FORMULA} {i}" for i in range(formula_times)))
    c = (
        plain_passages(
            "C",
            f"{FORMULA} and the plenum of the Central Committee met in February"
            " and heard the report.",
        )
        if third
        else []
    )
    return a + b + c


def test_synthetic_corpus_same_candidates_and_rules(spark):
    passages = corpus()
    local, distributed = both(passages, spark)
    assert distributed == local
    ids = {(passages[x].id, passages[y].id) for x, y in distributed}
    assert ("A.src.p1", "B.src.p1") in ids and ("A.src.p3", "B.src.p2") in ids
    assert all(
        passages[x].siglum != passages[y].siglum for x, y in distributed
    )  # never one witness
    assert all(x < y for x, y in distributed)
    # the seed points are word positions where the two passages share a shingle
    words = detect.tokenised(passages)
    for (x, y), points in distributed.items():
        for i, j in points:
            assert words[x][i : i + detect.K] == words[y][j : j + detect.K]


def test_a_formula_of_one_witness_is_no_evidence_for_its_pairs(spark):
    cap = 3
    for times, expect in ((cap - 1, True), (cap + 1, False)):
        passages = corpus(times)
        local, distributed = both(passages, spark, max_postings=cap)
        assert distributed == local
        c = next(i for i, p in enumerate(passages) if p.siglum == "C")
        formula = [i for i, p in enumerate(passages) if p.siglum == "B" and FORMULA in p.text]
        linked = any((min(b, c), max(b, c)) in distributed for b in formula)
        assert linked is expect, (times, sorted(distributed))
    # the cap counts within a witness: A's pairs with C do not depend on how often B has the formula
    assert by_id(corpus(0), spark, "A", "C", max_postings=cap)
    assert by_id(corpus(0), spark, "A", "C", max_postings=cap) == by_id(
        corpus(cap + 1), spark, "A", "C", max_postings=cap
    )


def by_id(passages, spark, x, y, **options):
    """The Spark candidates between witnesses x and y, by passage ids."""
    found = both(passages, spark, **options)[1]
    return {
        (passages[i].id, passages[j].id): points
        for (i, j), points in found.items()
        if {passages[i].siglum, passages[j].siglum} == {x, y}
    }


def test_an_unrelated_witness_changes_no_pair(spark):
    without = by_id(corpus(third=False), spark, "A", "B")
    assert without and by_id(corpus(third=True), spark, "A", "B") == without


def test_the_edition_same_candidates_and_same_matches(spark):
    from build_scripts.apparatus import spark as engine

    loaded, _ = edition.load()
    passages = loaded.passages
    local, distributed = both(passages, spark)
    assert len(local) > 100 and distributed == local

    def key(matches):
        return [(m.a.id, m.b.id, m.a0, m.a1, m.b0, m.b1, m.matched, m.score) for m in matches]

    words = detect.tokenised(passages)
    in_process = detect.detect(passages, loaded.dates, words=words)
    on_spark = detect.detect(
        passages,
        loaded.dates,
        words=words,
        candidates=lambda p, w, k, cap: engine.candidates(p, w, k, cap, spark=spark),
    )
    assert in_process and key(on_spark) == key(in_process)


def test_detect_takes_its_candidates_from_the_engine_given():
    """The equality above means something only if detect() uses the candidates it is given (the
    Spark job's) and nothing else: with no candidates it finds nothing; with the in-process join's
    it finds what it finds by default."""
    passages = corpus()
    words = detect.tokenised(passages)
    default = detect.detect(passages, {}, words=words)
    assert default
    assert detect.detect(passages, {}, words=words, candidates=lambda *args: {}) == []
    assert detect.detect(passages, {}, words=words, candidates=detect.candidates) == default
