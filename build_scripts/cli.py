"""`edition` command line: each command is a few lines and imports its stage lazily."""
from __future__ import annotations

from pathlib import Path

import click


def report(problems, out=None) -> int:
    """Print problems one a line (to stderr unless out is given); return how many were errors."""
    for problem in problems:
        click.echo(str(problem), file=out, err=out is None)
    return sum(1 for p in problems if p.severity == "error")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """The comparative edition of texts on the Soviet purges of 1937–1938."""


@main.command("import")
@click.argument("sigla", nargs=-1, required=True)
@click.option("--force", is_flag=True, help="Overwrite an existing TEI file (hand corrections are lost).")
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False), help="Write into this folder instead of tei/ (for trials and benchmarks).")
def import_(sigla: tuple[str, ...], force: bool, out_dir: Path | None) -> None:
    """Up-convert transcriptions (by siglum, or 'all') to tei/<name>.xml."""
    from build_scripts import importer, witnesses

    if sigla == ("all",):
        sigla = tuple(w.siglum for w in witnesses.load()[0])
    failed = 0
    for siglum in sigla:
        path, problems = importer.run(siglum, force=force, out_dir=out_dir)
        failed += report(problems)
        if path is not None:
            click.echo(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    if failed:
        raise SystemExit(1)


@main.command()
def stats() -> None:
    """Counts per witness: divisions, paragraphs, notes, page breaks, tables, corrections, citations."""
    from build_scripts import stats as st

    click.echo(st.format_table(st.table()))


@main.command()
@click.argument("sigla", nargs=-1)
@click.option("--summary", is_flag=True, help="Print only the counts per witness and class.")
def suspects(sigla: tuple[str, ...], summary: bool) -> None:
    """List tokens likely to be transcription errors (by witness and class; information level)."""
    from build_scripts.tei import suspects as sus

    reports, problems = sus.run_project(set(sigla) or None)
    for rep in reports:
        click.echo(rep.summary())
        if not summary:
            for suspect in rep.suspects:
                click.echo(str(suspect.problem(rep.source)))
    report(problems, out=click.get_text_stream("stdout"))
    click.echo(f"{sum(len(r.suspects) for r in reports)} suspect(s). Decide each: choice/sic/corr (transcription error), sic (the witness's slip), or sources/suspects-allow.yml (not an error); see docs/about/encoding.md.")


def _register() -> None:
    """Add the click commands each stage's CLI module exposes in COMMANDS. Imported here, at the end:
    those modules use `report` above."""
    from build_scripts import apparatus_cli, biblink_cli, editors_cli, pdf_cli, site_cli

    for module in (site_cli, pdf_cli, apparatus_cli, editors_cli, biblink_cli):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
