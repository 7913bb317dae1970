"""What MkDocs hooks used to do, as explicit steps around any site engine (MkDocs, ProperDocs,
Zensical).

The generated Markdown builds without `hooks:`: an engine that ignores hooks (Zensical) or a fork of
MkDocs (ProperDocs) gets everything from plain files and one generated configuration.
  - `config`: mkdocs.yml + the navigation of the generated pages (docs/edition/_nav.yml), with
    absolute docs_dir/site_dir/custom_dir, the offline plugin on or off, and `extra.edit_base`
    (overrides/partials/actions.html builds "Edit this page" from a page's `source` front matter);
  - `front_matter`: the `source:` of each generated page (tei/<witness>.xml, references.bib, …);
  - `stage`: files the engine copies as they are: assets/redirects.js and a placeholder for each
    download (site/downloads/ gets the real files after the build);
  - `finish`: after the engine: redirect pages at gone old URLs, transliteration variants in the
    search index (MkDocs' search/search_index.json, Zensical's search.json), and for the offline
    copy the raw-HTML links of the apparatus tables turned into page.html links.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from pathlib import Path

import yaml

from build_scripts.project.paths import Project
from build_scripts.site import registry, search, search_variants
from build_scripts.site import urls as site_urls

# libyaml when PyYAML has it (faster); the same safe subset of YAML
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

GENERATED = "edition/"
REDIRECTS_JS = "assets/redirects.js"
OFFLINE_REDIRECTS_JS = "assets/redirects-offline.js"
IFRAME_WORKER = (
    "assets/vendor/iframe-worker/shim.js"  # Material's offline plugin would fetch it from a CDN
)
DOWNLOADS = "downloads"
ENGINES = ("mkdocs", "properdocs", "zensical")
RAW_HREF = re.compile(
    r'(<a\b[^>]*?\bhref=")([^":#?]*/)(#[^"]*)?(")'
)  # a relative link to a directory URL


def source_of(src_uri: str) -> str:
    """The file in the repository a page is made from (repository-relative)."""
    if src_uri.startswith(GENERATED):
        parts = src_uri[len(GENERATED) :].split("/")
        if len(parts) > 1:
            return "tei/apparatus.xml" if parts[0] == "apparatus" else f"tei/{parts[0]}.xml"
        if parts[0] == "bibliography.md":
            return "references.bib"
        return "tei/apparatus.xml" if parts[0].startswith("apparatus") else "sources/witnesses.yml"
    if src_uri == "about/changelog.md":
        return "CHANGELOG.md"
    return f"docs/{src_uri}"


def front_matter(files: dict[str, str]) -> dict[str, str]:
    """Generated pages (not the `_` snippets, not the nav) with their source in YAML front
    matter."""
    out = {}
    for src, text in files.items():
        name = src.rsplit("/", 1)[-1]
        if src.endswith(".md") and not name.startswith("_") and not text.startswith("---\n"):
            text = f"---\nsource: {source_of(src)}\n---\n\n{text}"
        out[src] = text
    return out


def edit_base(base: dict) -> str:
    """repo_url + the branch part of edit_uri: the address a repository path is appended to."""
    repo = str(base.get("repo_url", "")).rstrip("/")
    branch = str(base.get("edit_uri", "blob/main/")).strip("/").removesuffix("/docs")
    return f"{repo}/{branch}/" if repo else ""


def config(
    project: Project,
    docs_dir: Path,
    site_dir: Path,
    offline: bool = False,
    home: Path | None = None,
) -> dict:
    """The configuration an engine builds `docs_dir` with (a plain dict, written by `write_config`);
    paths relative to `home`, the folder of the config file (Zensical wants them so)."""
    home = (home or docs_dir.parent).resolve()

    def rel(path: Path) -> str:
        return os.path.relpath(path.resolve(), home)

    base = yaml.load((project.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_LOADER)
    base.pop("hooks", None)
    base["docs_dir"], base["site_dir"] = rel(docs_dir), rel(site_dir)
    theme = base.setdefault("theme", {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = rel(project.root / theme["custom_dir"])
    nav_file = docs_dir / "edition" / "_nav.yml"
    if nav_file.exists():
        base["nav"] = list(base.get("nav") or []) + (
            yaml.load(nav_file.read_text(encoding="utf-8"), Loader=_LOADER) or []
        )
    extra = base.setdefault("extra", {}) or {}
    base["extra"] = extra
    extra["edit_base"] = edit_base(base)
    extra["polyfills"] = [IFRAME_WORKER] if offline else []
    plugins = []
    for plugin in base.get("plugins") or []:
        if isinstance(plugin, dict) and "offline" in plugin:
            plugin = {"offline": {**(plugin["offline"] or {}), "enabled": offline}}
        plugins.append(plugin)
    base["plugins"] = plugins
    if offline:
        base["extra_javascript"] = [
            OFFLINE_REDIRECTS_JS if js == REDIRECTS_JS else js
            for js in base.get("extra_javascript", [])
        ]
    for ext in base.get("markdown_extensions") or []:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            ext["pymdownx.snippets"] = {
                **ext["pymdownx.snippets"],
                "base_path": [str(docs_dir.resolve())],
            }
    return base


def write_config(
    project: Project,
    docs_dir: Path,
    site_dir: Path,
    path: Path,
    offline: bool = False,
    extra: dict | None = None,
) -> Path:
    """The configuration (`config`) written to `path`; `extra`: keys added to its `extra`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = config(project, docs_dir, site_dir, offline, path.parent)
    data["extra"].update(extra or {})
    text = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
    path.write_text(
        "# Generated by `edition build` from mkdocs.yml "
        "(build_scripts/site/engine.py): do not edit.\n" + text,
        encoding="utf-8",
    )
    return path


# --- files the engine copies --------------------------------------------------------------------
def page_sources(docs_dir: Path) -> list[str]:
    """The pages of docs_dir (docs-relative, posix), without the excluded `edition/_*` snippets."""
    out = []
    for path in docs_dir.rglob("*.md"):
        rel = path.relative_to(docs_dir).as_posix()
        if not (rel.startswith(GENERATED) and rel.rsplit("/", 1)[-1].startswith("_")):
            out.append(rel)
    return sorted(out)


def redirects(project: Project) -> dict[str, str]:
    return registry.redirects(
        project.root / "sources" / "published-ids.tsv", project.root / "sources" / "redirects.yml"
    )


def site_paths(docs_dir: Path, directory_urls: bool) -> set[str]:
    """Every path the built site will have for a page (as the redirect split asks: no fragment)."""
    return {
        site_urls.file_url(site_urls.page_url(src), directory_urls)
        for src in page_sources(docs_dir)
    }


def redirect_plan(project: Project, docs_dir: Path, directory_urls: bool) -> tuple[dict, dict]:
    converted = {
        site_urls.file_url(o, directory_urls): site_urls.file_url(n, directory_urls)
        for o, n in redirects(project).items()
    }
    paths = site_paths(docs_dir, directory_urls)
    return site_urls.split(
        converted, lambda path: path in paths or path == "index.html" and "" in paths
    )


def stage(project: Project, docs_dir: Path) -> list[str]:
    """Write the engine-copied files into docs_dir (only those whose content changed); return
    them."""
    files: dict[str, bytes] = {}
    for js, directory_urls in ((REDIRECTS_JS, True), (OFFLINE_REDIRECTS_JS, False)):
        _, fragments = redirect_plan(project, docs_dir, directory_urls)
        files[js] = site_urls.redirects_script(fragments).encode()
    listing = docs_dir / "edition" / "_downloads.json"
    for name in json.loads(listing.read_text(encoding="utf-8")) if listing.exists() else []:
        files[f"{DOWNLOADS}/{name}"] = (
            b""  # a placeholder: links are checked; the build puts the file in place
        )
    written = []
    for rel, data in files.items():
        path = docs_dir / rel
        if path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(rel)
    return written


# --- after the engine ---------------------------------------------------------------------------
def finish(
    project: Project,
    docs_dir: Path,
    site_dir: Path,
    offline: bool = False,
    search_done: bool = False,
) -> dict[str, int]:
    """Redirect pages, search variants, offline links; how many of each. search_done: the search
    index was tuned while the engine ran (build_scripts/site/search_beside.py)."""
    pages, _ = redirect_plan(project, docs_dir, not offline)
    done = {"redirect pages": len(site_urls.write_pages(site_dir, pages))}
    if not search_done:
        done["search variants"] = augment_search(project, site_dir)
    if offline:
        done["offline links"] = offline_links(docs_dir, site_dir)
    return done


def augment_search(project: Project, site_dir: Path) -> int:
    """Transliteration variants into the search index the engine wrote (MkDocs/ProperDocs: the JSON
    of search/search_index.json and the offline plugin's search_index.js; Zensical: search.json)."""
    groups = search_variants.listed_groups(project.root / "sources" / "transliterations.yml")
    added = 0
    for rel in ("search/search_index.json", "search.json"):
        path = site_dir / rel
        if path.exists():
            index = json.loads(path.read_text(encoding="utf-8"))
            if "docs" not in index and "items" in index:  # Zensical names the entries "items"
                added += search_variants.augment({"docs": index["items"]}, groups)
            else:
                added += search.tune_material_index(index, project.root, site_dir)
            path.write_text(
                json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
            )
    script = site_dir / "search" / "search_index.js"
    if script.exists():
        prefix, _, data = script.read_text(encoding="utf-8").partition("=")
        index = json.loads(data.strip().rstrip(";"))
        added += search.tune_material_index(index, project.root, site_dir)
        script.write_text(
            f"{prefix}= {json.dumps(index, ensure_ascii=False, separators=(',', ':'))};",
            encoding="utf-8",
        )
    return added


def offline_links(docs_dir: Path, site_dir: Path) -> int:
    """Offline copy (no directory URLs): links written as raw HTML for directory URLs
    (`../../getty/G.c6/#id`, the apparatus tables) → links to page files (`../getty/G.c6.html#id`).
    MkDocs converts Markdown links itself."""
    pages = {
        site_urls.page_url(src): site_urls.file_url(site_urls.page_url(src), False)
        for src in page_sources(docs_dir)
    }
    changed = 0
    for src in page_sources(docs_dir):
        here = site_urls.page_url(src)
        out = site_dir / site_urls.file_url(here, False)
        if not out.exists():
            continue
        html = out.read_text(encoding="utf-8")

        def convert(match: re.Match, here=here, url=site_urls.file_url(here, False)) -> str:
            target = posixpath.normpath(posixpath.join(here, match.group(2))) + "/"
            found = pages.get("" if target == "./" else target.removeprefix("./"))
            if found is None:
                return match.group(0)
            link = posixpath.relpath(found, posixpath.dirname(url) or ".")
            return f"{match.group(1)}{link}{match.group(3) or ''}{match.group(4)}"

        new = RAW_HREF.sub(convert, html)
        if new != html:
            out.write_text(new, encoding="utf-8")
            changed += 1
    return changed
