"""Editors' commands: check, fmt, ids, schema, changelog (registered by cli.py through COMMANDS).

`check` here replaces the first version in cli.py (cli.py registers this module after defining its
own, and click keeps the last command of a name); it adds --full, --root and --no-cache.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from build_scripts.cli import root_option
from build_scripts.problems import Location, Problem


def _report(problems) -> int:
    for problem in problems:
        click.echo(str(problem), file=sys.stderr)
    return sum(1 for p in problems if p.severity == "error")


def _crash(command: str, err: Exception) -> None:
    """The last line of defence: an unexpected error is reported as one problem line, never a traceback."""
    problem = Problem(Location("edition"), f"`edition {command}` stopped: {type(err).__name__}: {err}", "This is a bug in the toolchain; report it with this line", "check.crash")
    click.echo(str(problem), file=sys.stderr)
    raise SystemExit(1)


ROOT_OPTION = root_option(expose=True)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-schema", is_flag=True, help="Skip TEI schema validation.")
@click.option("--full", is_flag=True, help="Validate against full tei_all without the cache (the default when CI=true).")
@click.option("--no-cache", is_flag=True, help="Ignore the validation cache in build/check-cache.")
@ROOT_OPTION
def check(files: tuple[Path, ...], no_schema: bool, full: bool, no_cache: bool, root: Path | None) -> None:
    """Check the TEI, witnesses.yml, references.bib, the apparatus and the published ids; every problem at once, exit 1 if any."""
    try:
        from build_scripts import check as checker

        paths = checker.Paths(root.resolve()) if root else checker.Paths()
        schema = "none" if no_schema else "full" if full else None
        problems = checker.run(list(files) or None, schema=schema, paths=paths, use_cache=not (no_cache or full))
    except Exception as err:  # noqa: BLE001
        _crash("check", err)
    if _report(problems):
        click.echo(f"{len(problems)} problem(s). Each line: file:line: what is wrong. How to fix. [code]; the codes are explained in CONTRIBUTING.md.", err=True)
        raise SystemExit(1)
    click.echo("edition check: no problems.")


@click.command("fmt")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True, help="Change nothing; list the files that would change and exit 1 if any.")
@ROOT_OPTION
def fmt_command(files: tuple[Path, ...], check_only: bool, root: Path | None) -> None:
    """Rewrite TEI files (default: tei/*.xml) in canonical layout; text content never changes."""
    try:
        from build_scripts.tei import fmt
        from build_scripts.tei.teixml import ROOT

        targets = list(files) or sorted(((root or ROOT) / "tei").glob("*.xml"))
        changed, problems = fmt.format_files(targets, check=check_only)
    except Exception as err:  # noqa: BLE001
        _crash("fmt", err)
    failed = _report(problems)
    if not check_only:
        click.echo(f"edition fmt: {len(changed)} file(s) reformatted, {len(targets) - len(changed)} already canonical.")
    if failed:
        raise SystemExit(1)


@click.command()
@click.option("--update", is_flag=True, help="Add the ids of the current TEI to sources/published-ids.tsv (none is ever removed).")
@ROOT_OPTION
def ids(update: bool, root: Path | None) -> None:
    """Published ids: report removed ones (default) or register the current ones (--update)."""
    from build_scripts import check as checker
    from build_scripts.site import registry

    paths = checker.Paths(root.resolve()) if root else checker.Paths()
    edition = checker.Edition(paths, sorted(paths.tei_dir.glob("*.xml")))
    problems = checker.load_files(edition)
    if update:
        if _report([p for p in problems if p.code.startswith("xml.")]):
            raise SystemExit(1)  # never register ids from a file that could not be read
        witness_files = {w.tei for w in edition.witnesses}
        current = {item.path.name: registry.ids_in(item.doc) for item in edition.loaded if item.path.name in witness_files}
        added = registry.update(current, paths.registry)
        click.echo(f"edition ids: {added} id(s) added to {paths.registry.name}.")
        return
    if _report(checker.check_published_ids(edition)):
        raise SystemExit(1)
    click.echo("edition ids: every published id exists or is redirected.")


@click.command()
@click.option("--update", is_flag=True, required=True, help="Regenerate schema/tei_edition.rng from tei_all and the elements tei/*.xml use.")
def schema(update: bool) -> None:
    """Regenerate the fast-path RELAX NG subset of tei_all (commit the result)."""
    from build_scripts.tei import subset as tei_subset
    from build_scripts.tei.teixml import ROOT

    target = tei_subset.update(sorted((ROOT / "tei").glob("*.xml")))
    click.echo(f"wrote {target.relative_to(ROOT)}")


@click.command()
def changelog() -> None:
    """Print the changelog page (CHANGELOG.md + the TEI revisionDesc entries) as Markdown."""
    from build_scripts.tei import changelog as log

    click.echo(log.markdown())


COMMANDS = [check, fmt_command, ids, schema, changelog]
