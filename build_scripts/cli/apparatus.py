"""`edition apparatus …`: detect reuse and check citations (writes tei/apparatus.xml), export JSON Lines."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click


@click.group("apparatus")
def apparatus() -> None:
    """The critical apparatus (tei/apparatus.xml): reuse, citations, claims."""


@apparatus.command()
@click.option("--tei-dir", type=click.Path(path_type=Path), default=None, help="Folder of the TEI files (default: tei/).")
@click.option("--dry-run", is_flag=True, help="Detect and report, but do not write tei/apparatus.xml.")
def detect(tei_dir: Path | None, dry_run: bool) -> None:
    """Find every passage one witness shares with another; keep editors' decisions; write the apparatus."""
    from build_scripts.apparatus import pipeline
    from build_scripts.cli import report

    loci, problems, written = pipeline.run(tei_dir, write=not dry_run)
    failed = report(problems)
    counts = Counter(l.type for l in loci)
    click.echo(", ".join(f"{n} {t}" for t, n in sorted(counts.items())) + (" (tei/apparatus.xml written)" if written else " (tei/apparatus.xml unchanged)"))
    if failed:
        raise SystemExit(1)


@apparatus.command()
@click.option("--tei-dir", type=click.Path(path_type=Path), default=None)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write here instead of standard output.")
def export(tei_dir: Path | None, output: Path | None) -> None:
    """Write the apparatus as JSON Lines (schema: docs/about/apparatus-schema.md)."""
    from build_scripts.apparatus import export as ex

    text = "".join(line + "\n" for line in ex.lines(tei_dir))
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output} ({text.count(chr(10))} loci)")
    else:
        sys.stdout.write(text)


COMMANDS = [apparatus]
