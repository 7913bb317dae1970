"""MkDocs hooks of the edition: nav of the generated pages, edit links to the TEI, search variants,
redirects of old URLs, the downloads' places, and a local copy of the offline search shim.

The hooks never write into docs/ (the Markdown is written by `edition render` beforehand); they
only read docs/edition/_nav.yml and _downloads.json, point "Edit this page" at the source a page is
made from, add generated files (assets/redirects.js, placeholders for the downloads that
`edition build` puts in place after MkDocs) and post-process site/ (search index, redirect pages).
"""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from build_scripts.site import search
from build_scripts.site import urls as site_urls

log = get_plugin_logger("edition")
GENERATED = "edition/"
IFRAME_WORKER = "assets/vendor/iframe-worker/shim.js"  # Material's offline plugin would fetch it from a CDN
REDIRECTS_JS = "assets/redirects.js"
_redirect_pages: dict[str, dict[str, str]] = {}
_offline_pages: dict[str, str] = {}  # offline build: directory URL of each page → its file URL
RAW_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^":#?]*/)(#[^"]*)?(")')  # a relative link to a directory URL


def root_of(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Insert the generated pages' navigation after the hand-written entries of mkdocs.yml; serve
    the offline search shim from this site instead of another host."""
    nav_file = Path(config.docs_dir) / "edition" / "_nav.yml"
    if nav_file.exists() and config.nav is not None:
        generated = yaml.safe_load(nav_file.read_text(encoding="utf-8")) or []
        config.nav = list(config.nav) + generated
    polyfills = config.extra.get("polyfills", [])
    config.extra["polyfills"] = [IFRAME_WORKER if "iframe-worker" in str(p) else p for p in polyfills]
    return config


def source_of(src_uri: str) -> str:
    """The file in the repository a page is made from (repository-relative)."""
    if src_uri.startswith(GENERATED):
        parts = src_uri[len(GENERATED):].split("/")
        if len(parts) > 1:
            return "tei/apparatus.xml" if parts[0] == "apparatus" else f"tei/{parts[0]}.xml"
        if parts[0] == "bibliography.md":
            return "references.bib"
        return "tei/apparatus.xml" if parts[0].startswith("apparatus") else "sources/witnesses.yml"
    if src_uri == "about/changelog.md":
        return "CHANGELOG.md"
    return f"docs/{src_uri}"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in files.documentation_pages():
        file.edit_uri = source_of(file.src_uri)
    add_downloads(files, config)
    add_redirects(files, config)
    if not config.use_directory_urls:
        _offline_pages.clear()
        _offline_pages.update({site_urls.page_url(f.src_uri): f.url for f in files.documentation_pages()})
    return files


def on_page_content(html: str, page, config: MkDocsConfig, files: Files) -> str:
    """Offline copy (no directory URLs): MkDocs rewrites Markdown links for it, not links written as
    raw HTML (the apparatus pages' tables); those are written for directory URLs (`../../getty/G.c6/#id`)
    and are turned here into links to the page files (`../getty/G.c6.html#id`)."""
    if config.use_directory_urls or not _offline_pages:
        return html
    here = site_urls.page_url(page.file.src_uri)

    def convert(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(here, match.group(2))) + "/"
        found = _offline_pages.get(target.removeprefix("./") if target != "./" else "")
        if found is None:
            return match.group(0)
        link = posixpath.relpath(found, posixpath.dirname(page.file.url) or ".")
        return f"{match.group(1)}{link}{match.group(3) or ''}{match.group(4)}"

    return RAW_HREF.sub(convert, html)


def add_downloads(files: Files, config: MkDocsConfig) -> None:
    """The downloads (PDFs, offline zip) are made beside MkDocs by `edition build` and put in place
    after it; until then a placeholder (or the last build's file) stands there, so links are checked."""
    listing = Path(config.docs_dir) / "edition" / "_downloads.json"
    names = json.loads(listing.read_text(encoding="utf-8")) if listing.exists() else []
    built = root_of(config) / "site" / "downloads"
    for name in names:
        uri = f"downloads/{name}"
        if files.get_file_from_path(uri) is None:
            last = built / name
            if last.is_file() and last.parent.resolve() != (Path(config.site_dir) / "downloads").resolve():
                files.append(File.generated(config, uri, abs_src_path=str(last)))
            else:
                files.append(File.generated(config, uri, content=b""))


def add_redirects(files: Files, config: MkDocsConfig) -> None:
    """sources/redirects.yml → redirect pages (written after the build) and assets/redirects.js."""
    global _redirect_pages
    from build_scripts.site import registry

    root = root_of(config)
    old_to_new = registry.redirects(root / "sources" / "published-ids.tsv", root / "sources" / "redirects.yml")
    directory_urls = config.use_directory_urls
    converted = {site_urls.file_url(o, directory_urls): site_urls.file_url(n, directory_urls) for o, n in old_to_new.items()}
    urls = {f.url.removeprefix("./") for f in files}
    _redirect_pages, fragments = site_urls.split(converted, lambda path: path in urls)
    files.append(File.generated(config, REDIRECTS_JS, content=site_urls.redirects_script(fragments)))


def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    written = site_urls.write_pages(site_dir, _redirect_pages)
    if written:
        log.info(f"{len(written)} redirect page(s) written")
    path = site_dir / "search" / "search_index.json"
    if not path.exists():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    search.name_titles(index, search.title_prefixes(site_dir, root_of(config)))
    counts = search.tune_material_index(index, root_of(config))
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    log.debug(f"search index: {counts}")
