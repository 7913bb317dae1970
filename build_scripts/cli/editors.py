"""Editors' commands: check, fmt, ids, schema, changelog (registered by cli.py through COMMANDS).

`check` here replaces the first version in cli.py (cli.py registers this module after defining its
own, and click keeps the last command of a name); it adds --full, --root and --no-cache.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from build_scripts.cli import root_option, stopped


def _report(problems) -> int:
    for problem in problems:
        click.echo(str(problem), file=sys.stderr)
    return sum(1 for p in problems if p.severity == "error")


_crash = stopped  # what an unexpected error in a command prints (one line)


ROOT_OPTION = root_option(expose=True)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-schema", is_flag=True, help="Skip TEI schema validation.")
@click.option(
    "--full",
    is_flag=True,
    help="Validate against full tei_all without the cache (the default when CI=true).",
)
@click.option("--no-cache", is_flag=True, help="Ignore the validation cache in build/check-cache.")
@ROOT_OPTION
def check(
    files: tuple[Path, ...], no_schema: bool, full: bool, no_cache: bool, root: Path | None
) -> None:
    """Check the TEI, witnesses.yml, references.bib, the apparatus and the published ids; every
    problem at once, exit 1 if any."""
    try:
        from build_scripts import check as checker

        paths = checker.Paths(root.resolve()) if root else checker.Paths()
        schema = "none" if no_schema else "full" if full else None
        problems = checker.run(
            list(files) or None, schema=schema, paths=paths, use_cache=not (no_cache or full)
        )
    except Exception as err:  # noqa: BLE001
        _crash("check", err)
    errors = _report(problems)
    if errors:
        others = len(problems) - errors
        click.echo(
            f"{errors} error(s)"
            + (f" and {others} warning(s) or note(s)" if others else "")
            + ". Each line: file:line: what is wrong. How to fix. [code]; the codes are explained "
            "in CONTRIBUTING.md.",
            err=True,
        )
        raise SystemExit(1)
    if problems:  # warnings or notes only: the check passes, but it says what it printed
        click.echo(
            f"edition check: no errors; {len(problems)} warning(s) or note(s) above, "
            "each with how to act on it."
        )
    else:
        click.echo("edition check: no problems.")


@click.command("fmt")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Change nothing; list the files that would change and exit 1 if any.",
)
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
        click.echo(
            f"edition fmt: {len(changed)} file(s) reformatted, "
            f"{len(targets) - len(changed)} already canonical."
        )
    if failed:
        raise SystemExit(1)


@click.command()
@click.option(
    "--update",
    is_flag=True,
    help="Add the ids of the current TEI to sources/published-ids.tsv (none is ever removed).",
)
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
        current = {
            item.path.name: registry.ids_in(item.doc)
            for item in edition.loaded
            if item.path.name in witness_files
        }
        added = registry.update(current, paths.registry)
        click.echo(f"edition ids: {added} id(s) added to {paths.registry.name}.")
        return
    if _report(checker.check_published_ids(edition)):
        raise SystemExit(1)
    click.echo("edition ids: every published id exists or is redirected.")


@click.command()
@click.option(
    "--update",
    is_flag=True,
    required=True,
    help="Regenerate schema/tei_edition.rng from tei_all and the elements tei/*.xml use.",
)
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


def _at(base: str, root: Path, rel: str) -> bytes | None:
    """A file as it was at commit BASE (None if it did not exist there)."""
    import subprocess

    done = subprocess.run(["git", "-C", str(root), "show", f"{base}:{rel}"], capture_output=True)
    return done.stdout if done.returncode == 0 else None


def _words(data: bytes | None) -> list[str]:
    from lxml import etree

    from build_scripts.tei import words

    if not data:
        return []
    reading = words.tei_reading(etree.fromstring(data))
    return [w.text for w in reading.main] + [w.text for n in reading.notes for w in n.words]


def _ids(data: bytes | None) -> set[str]:
    from lxml import etree

    from build_scripts.site import registry

    return set(registry.ids_in(etree.ElementTree(etree.fromstring(data)))) if data else set()


def _loci(data: bytes | None) -> dict:
    import tempfile

    from build_scripts.apparatus import store

    if not data:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / store.FILE
        path.write_bytes(data)
        loci, _ = store.read(path)
    return {locus.id: locus for locus in loci}


def edition_diff(base: str, root: Path) -> str:
    """What a change does to the edition since BASE, as Markdown: words changed per witness,
    apparatus entries added, removed and re-decided, published ids removed and their redirects."""
    import difflib

    from build_scripts.project import witnesses as manifest
    from build_scripts.site import registry

    wits, _ = manifest.load(root / "sources" / "witnesses.yml")
    lines = [
        f"## What this change does to the edition (since `{base}`)",
        "",
        "| Witness | Words changed | Words added | Words removed |",
        "|---|---|---|---|",
    ]
    removed_ids: set[str] = set()
    current_ids: set[str] = set()
    for w in wits:
        rel = f"tei/{w.tei}"
        now_path = root / rel
        now = now_path.read_bytes() if now_path.exists() else None
        then = _at(base, root, rel)
        current_ids |= _ids(now)
        removed_ids |= _ids(then) - _ids(now)
        changed = added = deleted = 0
        a, b = ([], []) if then == now else (_words(then), _words(now))
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "replace":
                changed += max(i2 - i1, j2 - j1)
            elif op == "insert":
                added += j2 - j1
            elif op == "delete":
                deleted += i2 - i1
        status = " (new witness)" if then is None else ""
        lines.append(f"| {w.siglum} {w.tei}{status} | {changed} | {added} | {deleted} |")
    app = root / "tei" / "apparatus.xml"
    old, new = (
        _loci(_at(base, root, "tei/apparatus.xml")),
        _loci(app.read_bytes() if app.exists() else None),
    )
    redecided = [i for i in sorted(set(old) & set(new)) if old[i].decision != new[i].decision]
    lines += [
        "",
        f"Apparatus: {len(set(new) - set(old))} entr(y/ies) "
        f"added, {len(set(old) - set(new))} removed, "
        f"{len(redecided)} re-decided.",
    ]
    lines += [f"- {i}: {old[i].decision} → {new[i].decision}" for i in redecided]
    redirects, _, _ = registry.load_redirects(root / "sources" / "redirects.yml")
    gone = sorted(removed_ids - current_ids)
    lines += ["", f"Ids removed: {len(gone)}."]
    for ident in gone:
        target = redirects.get(ident)
        lines.append(
            f"- {ident} → {target}"
            if target
            else f"- {ident}: **no redirect** (published links to it break)"
        )
    return "\n".join(lines) + "\n"


@click.command("diff")
@click.argument("base")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Append the summary to this file (e.g. $GITHUB_STEP_SUMMARY) instead of printing it.",
)
@ROOT_OPTION
def diff_command(base: str, output: Path | None, root: Path | None) -> None:
    """Summarise what the working tree changes in the edition since git commit BASE (Markdown)."""
    from build_scripts.project.paths import find_root

    try:
        text = edition_diff(base, (root or find_root()).resolve())
    except Exception as err:  # noqa: BLE001
        _crash("diff", err)
    if output:
        with output.open("a", encoding="utf-8") as out:
            out.write(text)
    else:
        click.echo(text, nl=False)


FACTS = ("author", "title", "date", "kind", "language", "rights", "publication", "bibkey")


@click.group()
def witness() -> None:
    """Add a witness to the edition."""


@witness.command("add")
@click.argument("transcription", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--siglum", required=True, help="The new witness's siglum (its ids start with it: X.body.p1)."
)
@click.option(
    "--facts",
    "facts_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=(
        "A small YAML file of its facts: author, title, "
        "date, kind, language, rights, publication, bibkey."
    ),
)
@click.option(
    "--style",
    default="plain",
    show_default=True,
    help="Transcription style: plain (text or simple Markdown) or one of the importers' styles.",
)
@click.option(
    "--detect/--no-detect", default=True, help="Run `edition apparatus detect` afterwards."
)
@ROOT_OPTION
def witness_add(
    transcription: Path,
    siglum: str,
    facts_file: Path | None,
    style: str,
    detect: bool,
    root: Path | None,
) -> None:
    """Add a witness in one step: copy the transcription to sources/, write its entry in
    sources/witnesses.yml (and sources/excerpts.yml if published in excerpts, and its references.bib
    entry), import it with ids from its own siglum, then run the check and detection."""
    import hashlib
    import shutil
    import subprocess

    import yaml

    from build_scripts.project.paths import find_root

    root = (root or find_root()).resolve()
    manifest_path = root / "sources" / "witnesses.yml"
    facts = yaml.safe_load(facts_file.read_text(encoding="utf-8")) if facts_file else {}
    data = yaml.safe_load(manifest_path.read_text(encoding="utf-8")) or {}
    taken = {w.get("siglum") for w in data.get("witnesses", [])}
    missing = [k for k in FACTS[:-1] if k not in facts]
    problem = (
        f"siglum {siglum} is taken"
        if siglum in taken
        else f"{facts_file or '--facts'} lacks {', '.join(missing)}"
        if missing
        else None
    )
    if problem:
        click.echo(
            f"{relpath_of(manifest_path, root)}: {problem}. Give a new siglum "
            "and every fact (see CONTRIBUTING.md, Add a witness). [witness.facts]",
            err=True,
        )
        raise SystemExit(1)
    target = root / "sources" / transcription.name
    if not target.exists():
        shutil.copyfile(transcription, target)
    entry = {
        "siglum": siglum,
        "file": target.name,
        "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "tei": f"{siglum.lower()}.xml",
        "style": style,
        **{k: facts[k] for k in FACTS if k in facts},
    }
    with manifest_path.open("a", encoding="utf-8") as out:
        dumped = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, indent=2)
        out.write("".join(f"  {line}\n" for line in dumped.splitlines()))
    tables = root / "sources" / "import" / f"{siglum}.yml"
    if (
        style == "ocr" and not tables.exists()
    ):  # the importer's tables for this witness: none needed yet
        tables.parent.mkdir(exist_ok=True)
        tables.write_text(
            f"# Import tables of witness {siglum} (style "
            "ocr), written by `edition witness add`; the\n"
            "# keys are those of the other witnesses' tables (sources/import/*.yml) and\n"
            "# build_scripts/importers/ocr_data.py. One note series: the text.\n"
            "series: {body: Text}\n",
            encoding="utf-8",
        )
    if facts.get("publication") == "excerpts":
        excerpts = root / "sources" / "excerpts.yml"
        with excerpts.open("a", encoding="utf-8") as out:
            out.write(
                f"\n# {siglum}: list here the ids of the passages to "
                f"publish (nothing is published until you do)\n{siglum}: []\n"
            )
    bib = root / "references.bib"
    key = facts.get("bibkey")
    if key and bib.exists() and f"{{{key}," not in bib.read_text(encoding="utf-8"):
        with bib.open("a", encoding="utf-8") as out:
            author, title, date = facts["author"], facts["title"], facts["date"]
            author = author if isinstance(author, str) else author.get("value", "")
            title = title if isinstance(title, str) else title.get("value", "")
            year = str(date if not isinstance(date, dict) else date.get("value", ""))[:4]
            out.write(
                f"\n@misc{{{key},\n  author    = {{{author}}},\n"
                f"  title     = {{{title}}},\n"
                f"  year      = {{{year}}},\n"
                f"  keywords  = {{witness:{siglum}}},\n}}\n"
            )
    # import, check and detection run as the `edition` commands do, in this edition's folder
    edition = [sys.executable, "-m", "build_scripts", "--root", str(root)]
    steps = [["import", siglum], ["check"]] + ([["apparatus", "detect"]] if detect else [])
    for step in steps:
        done = subprocess.run([*edition, *step], cwd=root)
        if done.returncode:
            click.echo(
                f"edition witness add: `edition {' '.join(step)}` "
                "reported problems (above); fix them and run it again.",
                err=True,
            )
            raise SystemExit(1)
    click.echo(
        f"edition witness add: {siglum} added (sources/{target.name}, "
        f"tei/{entry['tei']}); review `git diff` and commit."
    )


def relpath_of(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


COMMANDS = [check, fmt_command, ids, schema, changelog, diff_command, witness]
