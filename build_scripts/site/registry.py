"""Published ids: sources/published-ids.tsv (id, file, URL) and sources/redirects.yml (old id → new
id).

Public URLs are built from xml:ids, so an id that was published must keep working: it stays in the
TEI, or sources/redirects.yml sends it to the id that replaced it. `edition ids --update` adds the
ids of the current TEI to the registry (it never removes one); `edition check` reports a published
id that is gone without a redirect. The site calls redirects() to build its redirect pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from lxml import etree

from build_scripts.problems import Location, Problem, relpath
from build_scripts.tei.teixml import ROOT, TEXT, XML_ID

REGISTRY = ROOT / "sources" / "published-ids.tsv"
REDIRECTS = ROOT / "sources" / "redirects.yml"
HEADER = (
    "# Published ids of the edition: id<TAB>TEI file<TAB>URL (site-relative). "
    "Written by `edition ids --update`; never remove a line.\n"
)


@dataclass(frozen=True)
class Published:
    ident: str
    file: str
    url: str


def url_for(file: str, ident: str) -> str:
    """The site URL of an id (where the site shows it), else <stem>/#<id>."""
    from build_scripts.site import render as site  # imported here: render imports this module

    return site.url_for(file, ident) or f"{Path(file).stem}/#{ident}"


def ids_in(doc: etree._ElementTree) -> list[str]:
    """The linkable ids of a witness, in document order: the root's and those inside <text>."""
    root = doc.getroot()
    found = [root.get(XML_ID)] if root.get(XML_ID) else []
    for text in TEXT(doc):
        found += [
            el.get(XML_ID) for el in text.iter() if isinstance(el.tag, str) and el.get(XML_ID)
        ]
    return found


def load(path: Path = REGISTRY) -> tuple[list[Published], list[Problem]]:
    if not path.exists():
        return [], []
    entries, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not all(fields):
            problems.append(
                Problem(
                    Location(relpath(path), number),
                    "a registry line is not id<TAB>file<TAB>URL",
                    "Restore the line from git history; regenerate with `edition ids --update`",
                    "ids.registry-malformed",
                )
            )
            continue
        entries.append(Published(*fields))
    return entries, problems


def load_redirects(path: Path = REDIRECTS) -> tuple[dict[str, str], dict[str, int], list[Problem]]:
    """old id → new id, the line of each old id, and problems."""
    if not path.exists():
        return {}, {}, []
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return (
            {},
            {},
            [
                Problem(
                    Location(relpath(path), mark.line + 1 if mark else None),
                    "the redirects file is not valid YAML",
                    "Write one `old-id: new-id` a line, indented by two spaces, under a "
                    "line `redirects:` (with nothing after the colon: delete a `{}` there)",
                    "ids.redirects-unreadable",
                )
            ],
        )
    mapping = data.get("redirects") if isinstance(data, dict) else None
    mapping = (
        {} if mapping is None and isinstance(data, dict) and "redirects" in data else mapping
    )  # `redirects:` with no line yet
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        return (
            {},
            {},
            [
                Problem(
                    Location(relpath(path)),
                    "the redirects file has no `redirects:` mapping of id to id",
                    "Write one `old-id: new-id` a line under `redirects:`",
                    "ids.redirects-unreadable",
                )
            ],
        )
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s+[\"']?([^\"':\s]+)[\"']?\s*:", line)
        if match:
            lines.setdefault(match.group(1), number)
    return mapping, lines, []


def check(
    current: dict[str, list[str]],
    tei_dir: Path,
    registry: Path = REGISTRY,
    redirects_path: Path = REDIRECTS,
) -> list[Problem]:
    """current: TEI file name → its ids. Published ids must still exist or be redirected to one that
    does."""
    published, problems = load(registry)
    redirects, lines, redirect_problems = load_redirects(redirects_path)
    problems += redirect_problems
    existing = {ident for ids in current.values() for ident in ids}
    for entry in published:
        if entry.ident in existing or entry.ident in redirects:
            continue
        problems.append(
            Problem(
                Location(relpath(tei_dir / entry.file)),
                f'id "{entry.ident}" was published (at {entry.url}) and is gone',
                f"Add it back, or add a redirect `{entry.ident}: "
                f"NEW-ID` in {relpath(redirects_path)}",
                "ids.removed",
            )
        )
    for old, new in redirects.items():
        if new not in existing:
            problems.append(
                Problem(
                    Location(relpath(redirects_path), lines.get(old)),
                    f'the redirect from "{old}" points to "{new}", which no TEI file has',
                    "Point it to an existing xml:id",
                    "ids.redirect-dangling",
                )
            )
    return problems


def update(current: dict[str, list[str]], registry: Path = REGISTRY) -> int:
    """Add the ids of the current TEI to the registry; return how many were added."""
    published, _ = load(registry)
    known = {entry.ident for entry in published}
    added = [
        Published(ident, file, url_for(file, ident))
        for file, ids in sorted(current.items())
        for ident in ids
        if ident not in known
    ]
    if added or not registry.exists():
        lines = [f"{e.ident}\t{e.file}\t{e.url}\n" for e in published + added]
        registry.parent.mkdir(parents=True, exist_ok=True)
        registry.write_text(HEADER + "".join(lines), encoding="utf-8")
    return len(added)


def redirects(registry: Path = REGISTRY, redirects_path: Path = REDIRECTS) -> dict[str, str]:
    """Old URL → new URL for every redirected id (for the site)."""
    published = {entry.ident: entry for entry in load(registry)[0]}
    mapping, _, _ = load_redirects(redirects_path)
    files = {entry.ident: entry.file for entry in published.values()}
    result = {}
    for old, new in mapping.items():
        old_url = published[old].url if old in published else url_for(files.get(old, ""), old)
        new_file = files.get(new) or _file_of(new, registry)
        result[old_url] = url_for(new_file, new)
    return result


def _file_of(ident: str, registry: Path) -> str:
    """The TEI file of a not-yet-registered id, by its siglum prefix (G.c6.p12 → the file of G)."""
    siglum = ident.split(".")[0]
    for entry in load(registry)[0]:
        if entry.ident == siglum:
            return entry.file
    return f"{siglum}.xml"
