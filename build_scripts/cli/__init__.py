"""`edition` command line: each command is a few lines and imports its stage lazily.

Every command acts on the edition where the user stands (the current folder or its nearest ancestor
holding sources/witnesses.yml), or on `--root DIR`, accepted before or after the
command name. Stages are imported only after the root is known (project.paths reads it at import).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

ROOT_HELP = (
    "The edition's folder (default: the current folder or "
    "its nearest ancestor holding sources/witnesses.yml)."
)


# build_scripts.project.paths.ROOT_ENV, not imported from there: importing any module of
# build_scripts.project fixes the project's root (paths.ROOT) for the rest of the process
ROOT_ENV = "EDITION_ROOT"


def _use_root(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Eager callback of every --root: fix the project before any stage is imported."""
    if value is not None:
        before = os.environ.get(ROOT_ENV)
        os.environ[ROOT_ENV] = str(Path(value).resolve())
        ctx.call_on_close(
            lambda: _restore(ROOT_ENV, before)
        )  # in-process callers (tests) keep theirs
    return value


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def root_option(expose: bool = False):
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        is_eager=True,
        expose_value=expose,
        callback=_use_root,
        help=ROOT_HELP,
    )


def report(problems, out=None) -> int:
    """Print problems one a line (to stderr unless out is given); return how many were errors."""
    for problem in problems:
        click.echo(str(problem), file=out, err=out is None)
    return sum(1 for p in problems if p.severity == "error")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@root_option()
def main() -> None:
    """The comparative edition of texts on the Soviet purges of 1937–1938."""


def _find_project() -> None:
    """Stop with one line when no edition is found (never a traceback, never another tree)."""
    from build_scripts.project import paths

    try:
        root = paths.find_root()
    except paths.NotAnEdition as err:
        click.echo(str(err), err=True)
        raise SystemExit(2) from None
    if _OWN_PROCESS and paths.ROOT != root:  # a module read the folder before --root was known
        click.echo(
            f"{root}: the toolchain had already fixed the project at {paths.ROOT} and would act "
            "on it. Nothing was done; run the command from inside the edition (cd there) and "
            "report this. [project.resolved-early]",
            err=True,
        )
        raise SystemExit(70)


@main.command("import")
@click.argument("sigla", nargs=-1, required=True)
@click.option(
    "--force", is_flag=True, help="Overwrite an existing TEI file (hand corrections are lost)."
)
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write into this folder instead of tei/ (for trials and benchmarks).",
)
def import_(sigla: tuple[str, ...], force: bool, out_dir: Path | None) -> None:
    """Up-convert transcriptions (by siglum, or 'all') to tei/<name>.xml."""
    from build_scripts.importers import run as importer
    from build_scripts.project import witnesses

    if sigla == ("all",):
        sigla = tuple(w.siglum for w in witnesses.load()[0])
    failed = 0
    for siglum in sigla:
        path, problems = importer.run(siglum, force=force, out_dir=out_dir)
        failed += report(problems)
        if path is not None:
            click.echo(
                f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}"
            )
    if failed:
        raise SystemExit(1)


@main.command()
def stats() -> None:
    """Counts per witness: divisions, paragraphs, notes, page breaks, tables, corrections,
    citations."""
    from build_scripts.tei import stats as st

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
    click.echo(
        f"{sum(len(r.suspects) for r in reports)} suspect(s). Decide each: "
        "choice/sic/corr (transcription error), sic (the witness's slip), or "
        "sources/suspects-allow.yml (not an error); see docs/about/encoding.md."
    )


def _register() -> None:
    """Add the click commands each stage's CLI module exposes in COMMANDS. Imported here, at the
    end: those modules use `report` above."""
    from build_scripts.cli import apparatus as apparatus_cli
    from build_scripts.cli import bib as biblink_cli
    from build_scripts.cli import editors as editors_cli
    from build_scripts.cli import pdf as pdf_cli
    from build_scripts.cli import site as site_cli

    for module in (site_cli, pdf_cli, apparatus_cli, editors_cli, biblink_cli):
        for command in module.COMMANDS:
            main.add_command(command)
    _every_command_takes_root(main)


def _every_command_takes_root(group: click.Group) -> None:
    """`--root` on every command and group, at any depth (`edition apparatus detect --root DIR`);
    each command's body runs once the project is found. A group's own body does not look for
    the project: a --root after the subcommand's name is read only after it ran."""
    for command in group.commands.values():
        if not any(p.name == "root" for p in command.params):
            command.params.append(root_option()(lambda: None).__click_params__[0])
        if isinstance(command, click.Group):
            _every_command_takes_root(command)
        else:
            command.callback = _located(command.callback)


def _located(callback):
    """Run a command's body only once the project is found (after every eager --root was read)."""
    import functools

    @functools.wraps(callback)
    def run(*args, **kwargs):
        _find_project()
        try:
            return callback(*args, **kwargs)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:  # noqa: BLE001 - the last line of defence: one line, no traceback
            stopped(callback.__name__, err)

    return run


def stopped(command: str, err: Exception) -> None:
    """The last line of defence: an unexpected error as one problem line, never a traceback. A
    file that cannot be read is named; anything else is a bug in the toolchain."""
    import sys

    from build_scripts.problems import Location, Problem, relpath

    if isinstance(err, OSError) and err.filename:
        problem = Problem(
            Location(relpath(Path(err.filename))),
            f"`edition {command}` cannot read this file ({err.strerror})",
            "Restore it (`git checkout -- FILE` in a clone of the edition), or run the command in "
            "the edition's folder or with --root",
            "edition.unreadable",
        )
    else:
        problem = Problem(
            Location("edition"),
            f"`edition {command}` stopped: {type(err).__name__}: {err}",
            "This is a bug in the toolchain; report it with this line",
            "check.crash",
        )
    click.echo(str(problem), file=sys.stderr)
    raise SystemExit(1)


_register()

# True when `edition` runs as its own process (the console script, `python -m build_scripts`): then
# nothing may have fixed the project before --root was read. In-process callers (tests through
# click's CliRunner) imported the toolchain long before and pass each command its project.
_OWN_PROCESS = False


def run() -> None:
    """The `edition` console script."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    main()
