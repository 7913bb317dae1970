"""`edition bib …`: link the witnesses' citations to references.bib."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("bib")
def bib() -> None:
    """The bibliography (references.bib) and the citations of the witnesses."""


@bib.command("link")
@click.option(
    "--write",
    is_flag=True,
    help="Add @corresp to the bibls of the writable proposals (the words stay as they are).",
)
@click.option(
    "--wrap",
    is_flag=True,
    help=(
        "First put bibl around the certain citations of notes that "
        "have none (build_scripts/bib/wrap.py), then link them."
    ),
)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
def link(write: bool, wrap: bool, files: tuple[Path, ...]) -> None:
    """Propose @corresp="bib:KEY" for the bibls of FILES (default: tei/*.xml), one line each.

    A line ends with its reason; those saying "not written" are for the editors to decide by hand.
    """
    from build_scripts.bib import link as biblink
    from build_scripts.cli import report
    from build_scripts.tei.teixml import ROOT

    works, problems = biblink.load_works()
    failed = report(problems)
    paths = list(files) or [
        p for p in sorted((ROOT / "tei").glob("*.xml")) if p.name != "apparatus.xml"
    ]
    for path in paths:
        proposals, problems = biblink.link_file(path, works, write=write, wrap=wrap)
        failed += report(problems)
        for proposal in proposals:
            click.echo(str(proposal))
        wrapped = sum(1 for p in proposals if p.kind == "wrap")
        writable = sum(1 for p in proposals if p.writable) - wrapped
        done = "written" if write else "to write (use --write)"
        click.echo(
            f"{path.name}: {f'{wrapped} bibl(s) wrapped, ' if wrap else ''}{writable} "
            f"link(s) {done}, {len(proposals) - writable - wrapped} for the editors",
            err=True,
        )
    if failed:
        raise SystemExit(1)


COMMANDS = [bib]
