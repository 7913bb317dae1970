"""Candidate generation of the reuse detector as an Apache Spark job (`edition apparatus detect
--engine spark`): the same candidates as the in-process path, on one machine (local mode) or a
cluster.

The detector's candidate generation has two parts (build_scripts/apparatus/detect.py):
(a) `detect.features`, a pure function passage → feature keys, one per word position; and
(b) the join features → candidate passage pairs with their seed points (`detect.candidates`).
This job calls (a) unchanged, in a mapPartitions over the passages (on the executors), and does (b)
as a Spark SQL join with the same rules: a feature counts for two passages of two different
witnesses, unless one of the two witnesses has it more than `max_postings` times (a formula of that
witness; counted per witness, never over the corpus). What follows candidate generation (chaining
the seeds, aligning, verifying) runs in process on the driver, as before.

pyspark is imported here only: nothing else of the toolchain needs Java or Spark.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from build_scripts.apparatus import detect
from build_scripts.apparatus.model import Passage

DEFAULT_MASTER = "local[*]"
SHUFFLE_PARTITIONS = (
    4  # the edition is small; a cluster run sets spark.sql.shuffle.partitions itself
)
# Last run's figures (`edition apparatus detect --engine spark` prints them).
LAST: dict[str, float] = {}


class SparkUnavailable(RuntimeError):
    """pyspark or Java is missing: the message says how to install it."""


def _check() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError as err:
        raise SparkUnavailable(
            "pyspark is not installed. Run `make venv` (requirements.txt pins it), or use "
            "--engine python [apparatus.spark-missing]"
        ) from err
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise SparkUnavailable(
            "Spark needs Java 17 or later and no `java` is on the PATH. Install it "
            "(apt-get install openjdk-17-jre-headless) or set JAVA_HOME [apparatus.spark-java]"
        )


def session(master: str | None = None, partitions: int = SHUFFLE_PARTITIONS):
    """A SparkSession for the detector. Local mode binds to 127.0.0.1 (no network) and runs no UI;
    the executors run this interpreter (so they import the same build_scripts and numpy)."""
    _check()
    from pyspark.sql import SparkSession

    master = master or os.environ.get("EDITION_SPARK_MASTER") or DEFAULT_MASTER
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # read by SparkContext, not the config
    builder = (
        SparkSession.builder.master(master)
        .appName("edition-apparatus-candidates")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
    )
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no network: loopback only
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    if not master.startswith("local"):
        _ship_package(spark)
    return spark


def _ship_package(spark) -> None:
    """On a cluster the executors need build_scripts (for `detect.features`): send it as a zip
    (its dependencies, numpy among them, must be installed on the executors)."""
    root = Path(detect.__file__).resolve().parents[2]
    path = Path(tempfile.mkdtemp(prefix="edition-spark-")) / "build_scripts.zip"
    with zipfile.ZipFile(path, "w") as z:
        for file in (root / "build_scripts").rglob("*.py"):
            z.write(file, file.relative_to(root).as_posix())
    spark.sparkContext.addPyFile(str(path))


def _postings(k: int, features=detect.features):
    """The mapPartitions function: (passage index, siglum, words) → (key, siglum, passage, position)
    for each feature (a), computed on the executors."""

    def run(rows):
        for i, siglum, norms in rows:
            for pos, key in enumerate(features(norms, k)):
                yield key, siglum, i, pos

    return run


def candidates(
    passages: list[Passage],
    words: list[list[str]],
    k: int = detect.K,
    max_postings: int = detect.MAX_POSTINGS,
    spark=None,
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """(b) as a Spark job: the same dict as `detect.candidates` ((passage index, passage index),
    lower first → seed points (position in the first, position in the second))."""
    own = spark is None
    started = time.perf_counter()
    spark = spark or session()
    try:
        return _candidates(spark, passages, words, k, max_postings)
    finally:
        LAST["seconds"] = time.perf_counter() - started
        if own:
            spark.stop()


def _candidates(spark, passages, words, k, max_postings):
    from pyspark.sql import functions as F

    sc = spark.sparkContext
    rows = [(i, p.siglum, list(norms)) for i, (p, norms) in enumerate(zip(passages, words))]
    slices = max(1, min(len(rows), sc.defaultParallelism * 2))
    posts = spark.createDataFrame(
        sc.parallelize(rows, slices).mapPartitions(_postings(k)),
        "key long, wit string, p int, pos int",
    ).cache()  # read three times below: the Python features are computed once
    # a witness that has a feature more than `max_postings` times: the feature is a formula there
    common = (
        posts.groupBy("key", "wit")
        .count()
        .filter(F.col("count") > max_postings)
        .select("key", "wit")
    )
    kept = posts.join(common, ["key", "wit"], "left_anti")
    a, b = kept.alias("a"), kept.alias("b")
    seeds = a.join(
        b,
        (F.col("a.key") == F.col("b.key"))
        & (F.col("a.wit") != F.col("b.wit"))
        & (F.col("a.p") < F.col("b.p")),
    ).select(
        F.col("a.p").alias("pa"),
        F.col("b.p").alias("pb"),
        F.col("a.pos").alias("ia"),
        F.col("b.pos").alias("ib"),
    )
    grouped = seeds.groupBy("pa", "pb").agg(F.collect_list(F.struct("ia", "ib")).alias("points"))
    out: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for row in grouped.collect():
        out[(row.pa, row.pb)] = sorted((pt.ia, pt.ib) for pt in row.points)
    posts.unpersist()
    LAST["pairs"] = len(out)
    LAST["points"] = sum(len(v) for v in out.values())
    return out
