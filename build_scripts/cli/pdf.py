"""`edition pdf`: the whole edition, one PDF per witness, or a course pack."""

from __future__ import annotations

from pathlib import Path

import click

from build_scripts.cli import report


@click.command("pdf")
@click.option(
    "--course",
    "course",
    type=click.Path(path_type=Path),
    help="Build a course pack from courses/<name>.yml.",
)
@click.option("--witness", "sigla", multiple=True, help="Only this witness (repeatable).")
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where to write (default pdf/).",
)
def pdf_command(course: Path | None, sigla: tuple[str, ...], out_dir: Path | None) -> None:
    """Build PDFs with Typst: whole edition + one per witness, or a course pack."""
    from build_scripts.pdf import build as pdf

    from build_scripts.problems import Failed

    out = out_dir or pdf.OUT
    try:
        if course:
            path, problems = pdf.build_course(course, out)
            written = [path] if path else []
        else:
            written, problems = pdf.build_witnesses(list(sigla) or None, out)
    except Failed as failed:
        report(failed.problems)
        raise SystemExit(1) from None
    if report(problems):
        raise SystemExit(1)
    for path in written:
        click.echo(f"wrote {path}")


COMMANDS = [pdf_command]
