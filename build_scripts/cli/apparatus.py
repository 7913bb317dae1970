"""`edition apparatus …`: detect reuse and check citations (writes tei/apparatus.xml), export JSON
Lines."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click


@click.group("apparatus")
def apparatus() -> None:
    """The critical apparatus (tei/apparatus.xml): reuse, citations, claims."""


@apparatus.command()
@click.option(
    "--tei-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the TEI files (default: tei/).",
)
@click.option(
    "--dry-run", is_flag=True, help="Detect and report, but do not write tei/apparatus.xml."
)
@click.option(
    "--engine",
    type=click.Choice(["python", "spark"]),
    default="python",
    show_default=True,
    help="Where the candidate pairs are found: in this process, or as an Apache Spark "
    "job (same candidates; needs Java 17+).",
)
@click.option(
    "--master",
    default=None,
    metavar="URL",
    help="Spark master with --engine spark (default: $EDITION_SPARK_MASTER or local[*]).",
)
def detect(tei_dir: Path | None, dry_run: bool, engine: str, master: str | None) -> None:
    """Find every passage one witness shares with another; keep editors' decisions; write the
    apparatus."""
    from build_scripts.apparatus import pipeline
    from build_scripts.cli import report

    if engine == "spark":
        from build_scripts.apparatus import spark

        try:  # fails early, with one message, without pyspark or Java; the job reuses this session
            spark.session(master)
        except spark.SparkUnavailable as err:
            raise click.ClickException(str(err)) from None
    loci, problems, written = pipeline.run(tei_dir, write=not dry_run, engine=engine, master=master)
    if engine == "spark":
        last = spark.LAST
        click.echo(
            f"Spark job: {last.get('pairs', 0):.0f} candidate passage pairs, "
            f"{last.get('points', 0):.0f} seed points, {last.get('seconds', 0):.1f} s"
        )
    failed = report(problems)
    counts = Counter(l.type for l in loci)
    click.echo(
        ", ".join(f"{n} {t}" for t, n in sorted(counts.items()))
        + (" (tei/apparatus.xml written)" if written else " (tei/apparatus.xml unchanged)")
    )
    if failed:
        raise SystemExit(1)


@apparatus.command()
@click.option("--tei-dir", type=click.Path(path_type=Path), default=None)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write here instead of standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "passim"]),
    default="jsonl",
    show_default=True,
    help="jsonl: the apparatus (one locus a line); passim: the corpus as passim's input "
    "(one passage a line: id, series = siglum, text).",
)
@click.argument("out", type=click.Path(path_type=Path), required=False)
def export(tei_dir: Path | None, output: Path | None, fmt: str, out: Path | None) -> None:
    """Write the apparatus as JSON Lines (schema: docs/about/apparatus-schema.md), or with
    --format passim the corpus as passim's input (OUT: a .json or .json.gz file)."""
    from build_scripts.apparatus import export as ex

    output = output or out
    if fmt == "passim":
        from build_scripts.apparatus import edition, passim
        from build_scripts.cli import report

        if output is None:
            raise click.UsageError("--format passim writes a file: give OUT (passim/corpus.json)")
        corpus, problems = edition.load(tei_dir)
        if report(problems):
            raise SystemExit(1)
        count = passim.write_corpus(output, corpus.passages, corpus.dates)
        click.echo(
            f"wrote {output} ({count} passages, series = siglum); run passim on it, then "
            "`edition apparatus import-passim OUTPUT-FOLDER`"
        )
        return
    text = "".join(line + "\n" for line in ex.lines(tei_dir))
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output} ({text.count(chr(10))} loci)")
    else:
        sys.stdout.write(text)


@apparatus.command("import-passim")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--tei-dir", type=click.Path(path_type=Path), default=None)
@click.option(
    "--dry-run", is_flag=True, help="Report what would be added; do not write tei/apparatus.xml."
)
def import_passim(folder: Path, tei_dir: Path | None, dry_run: bool) -> None:
    """Read passim's output (FOLDER holds out.json, or align.json with --pairwise) into
    tei/apparatus.xml as unreviewed entries by passim; editors' decisions are kept, and an entry
    the detector already has is not added again."""
    from build_scripts.apparatus import edition, passim, pipeline, store
    from build_scripts.cli import report

    corpus, problems = edition.load(tei_dir)
    groups, read_problems = passim.read_output(folder)
    found, map_problems = passim.loci(
        groups, corpus.by_id, corpus.dates, pipeline.references(corpus)
    )
    path = corpus.tei_dir / store.FILE
    old, _ = store.read(path)
    loci, added, duplicates = passim.merge(old, found, corpus.by_id)
    if report(problems + read_problems + map_problems):
        raise SystemExit(1)
    written = False if dry_run else store.write(path, loci)
    ours = sum(1 for l in loci if l.resp == passim.RESP)
    click.echo(
        f"{len(groups)} passim groups → {len(found)} passage pairs: {added} new entries, "
        f"{duplicates} already in the apparatus (not added); {ours} passim entries in all"
        + (" (tei/apparatus.xml written)" if written else " (tei/apparatus.xml unchanged)")
    )


COMMANDS = [apparatus]
