"""`edition build | serve | render`: the public website (registered by cli.py through COMMANDS)."""

from __future__ import annotations

import click

PUBLISH_ALL = click.option(
    "--publish-all",
    is_flag=True,
    default=None,
    help="Publish every witness in full, ignoring 'excerpts' (tests, editors' previews). "
    "Also EDITION_PUBLISH_ALL=1.",
)


def _summary(result, problems: bool = True) -> None:
    from build_scripts.cli import report

    if problems:
        report(result.problems)
    if result.full_without_rights:
        click.echo(
            "Published in full without cleared rights: " + ", ".join(result.full_without_rights),
            err=True,
        )
    if result.failed:
        click.echo(
            "nothing rendered: the pages stay as they were until the problems above are fixed",
            err=True,
        )
        return
    click.echo(
        f"rendered {', '.join(result.rendered) or 'nothing new'}; "
        f"{len(result.written)} file(s) written, "
        f"{len(result.removed)} removed",
        err=True,
    )


@click.command()
@PUBLISH_ALL
def render(publish_all: bool | None) -> None:
    """Render tei/*.xml to Markdown in docs/edition/ (only what changed)."""
    from build_scripts.site import render as site

    result = site.render(everything=publish_all)
    _summary(result)
    if result.failed:
        raise SystemExit(1)


@click.command()
@PUBLISH_ALL
@click.option(
    "--skip-check",
    is_flag=True,
    help="Do not run `edition check` first (previews while the TEI is being fixed).",
)
@click.option(
    "--no-downloads",
    is_flag=True,
    help=(
        "Skip the PDFs and the offline zip (quicker previews): "
        "site/downloads/ keeps the last build's files, or empty placeholders."
    ),
)
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "properdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="The site engine: MkDocs, ProperDocs (its maintained fork) or Zensical (no offline copy).",
)
def build(publish_all: bool | None, skip_check: bool, no_downloads: bool, engine: str) -> None:
    """Check, render and build the website into site/ (strict), with the PDFs and the offline
    edition in site/downloads/; only the outputs whose inputs changed are made again (build/out/
    keeps them); nothing is written on failure."""
    from build_scripts.publish import build as site_build
    from build_scripts.cli import report

    result = site_build.build(
        everything=publish_all, check=not skip_check, extras=not no_downloads, engine=engine
    )
    report(result.problems)  # the render's, MkDocs', the downloads'
    if result.render is not None:
        _summary(result.render, problems=False)
    if not result.ok:
        click.echo("edition build: failed; site/ left unchanged.", err=True)
        raise SystemExit(1)
    times = ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
    size = (
        f"; offline zip {result.offline_zip_bytes / 2**20:.1f} MiB"
        if result.offline_zip_bytes
        else ""
    )
    made = ", ".join(result.built) or "nothing"
    reused = len(result.outputs) - len(result.built)
    click.echo(f"edition build: made {made}; {reused} output(s) reused, their inputs unchanged.")
    click.echo(f"edition build: site/ written ({times}{size}).")


@click.command()
@PUBLISH_ALL
@click.option(
    "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on."
)
def serve(publish_all: bool | None, dev_addr: str) -> None:
    """Serve the website at http://127.0.0.1:8000, re-rendering when a TEI file or references.bib
    changes."""
    from build_scripts.publish import build as site_build

    site_build.serve(everything=publish_all, dev_addr=dev_addr, report=_summary)


COMMANDS = [build, serve, render]
