"""Public URLs of the site: the page of a TEI id, and the redirects from old URLs to new ones.

URLs are relative to the site root and use MkDocs' directory URLs ("edition/getty/G.c6/#G.c6.p12").
The offline copy of the site has no directory URLs ("edition/getty/G.c6.html#G.c6.p12"); `file_url`
converts. Redirects (sources/redirects.yml, through build_scripts.site.registry.redirects()) become:
  - a small HTML page at each old URL whose page no longer exists: meta refresh + canonical link +
    a script that picks the target by the URL's #fragment (several old ids may share an old page);
  - an entry of assets/redirects.js for an old URL whose page still exists but no longer holds the
    id: edition.js forwards the reader when the #fragment is not on the page.
Pure functions except `write_redirect_pages`.
"""

from __future__ import annotations

import html
import json
import posixpath
from pathlib import Path


def page_url(src: str) -> str:
    """docs path of a page → its URL: edition/getty/G.c6.md → edition/getty/G.c6/, …/index.md →
    …/."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def locate(state: dict, file: str, ident: str) -> str | None:
    """The URL of `ident` of TEI file `file` in a render plan (site.plan()); None if not shown."""
    if not ident:
        return None
    entry = state.get(file)
    if (
        entry is None
    ):  # a file name the plan does not know (e.g. guessed from a siglum): ids are unique
        entry = next(
            (e for e in state.values() if ident in e.get("anchors", {}) or ident == e.get("root")),
            None,
        )
    if entry is None:
        return None
    found = entry.get("anchors", {}).get(ident)
    if found:
        return f"{page_url(found[0])}#{found[1]}"
    if ident == entry.get("root") and entry.get("landing"):
        return page_url(entry["landing"])
    return None


def file_url(url: str, directory_urls: bool = True) -> str:
    """A directory URL as the site it is used in writes it (offline copies: page.html)."""
    if directory_urls:
        return url
    path, hash_, fragment = url.partition("#")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path + hash_ + fragment


def relative(from_dir: str, url: str) -> str:
    """`url` (site-root relative) as a link from a page whose folder is `from_dir`."""
    path, hash_, fragment = url.partition("#")
    rel = posixpath.relpath(path or ".", from_dir or ".")
    if path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    if rel == "./":
        rel = ""
    return rel + hash_ + fragment


def split(redirects: dict[str, str], exists) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """(old page path → {old fragment → new URL}) for old pages that are gone, and
    (old fragment → new URL) for old pages that still exist. `exists(path)` tells which."""
    pages: dict[str, dict[str, str]] = {}
    fragments: dict[str, str] = {}
    for old, new in sorted(redirects.items()):
        path, _, fragment = old.partition("#")
        if exists(path):
            if fragment:
                fragments[fragment] = new
        else:
            pages.setdefault(path, {})[fragment] = new
    return pages, fragments


def redirect_page(old_path: str, targets: dict[str, str]) -> str:
    """The HTML left at an old page: forwards to the new URL of the #fragment asked for (or of the
    page)."""
    folder = old_path.rstrip("/") if old_path.endswith("/") else posixpath.dirname(old_path)
    links = {f"#{f}" if f else "": relative(folder, url) for f, url in targets.items()}
    default = links.get("") or next(iter(links.values()))
    script = (
        f"var t={json.dumps(links, ensure_ascii=False)};"
        f"location.replace(t[location.hash]||{json.dumps(default)});"
    )
    href = html.escape(default, quote=True)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Moved</title>\n"
        f'<link rel="canonical" href="{href}">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f"<script>{script}</script>\n"
        '<meta name="robots" content="noindex">\n</head>\n<body>\n'
        "<p>This passage of the edition has moved: <a "
        f'href="{href}">{html.escape(default)}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def redirects_script(fragments: dict[str, str]) -> str:
    """assets/redirects.js: old id → new URL (site-root relative), read by edition.js."""
    return (
        "window.__edition_redirects = "
        f"{json.dumps(fragments, ensure_ascii=False, sort_keys=True)};\n"
    )


def write_pages(site_dir: Path, pages: dict[str, dict[str, str]]) -> list[str]:
    """Write the redirect page of each gone old page (old page path → {fragment → new URL})."""
    written = []
    for old_path, targets in pages.items():
        target = site_dir / (
            old_path + "index.html" if old_path.endswith("/") or not old_path else old_path
        )
        if target.exists():
            continue  # never replace a page of the site
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(redirect_page(old_path, targets), encoding="utf-8")
        written.append(target.relative_to(site_dir).as_posix())
    return written


def write_redirect_pages(
    site_dir: Path, redirects: dict[str, str], directory_urls: bool = True
) -> tuple[list[str], dict[str, str]]:
    """Write a page at each gone old URL of `redirects` (old URL → new URL) in a built site; return
    the pages written and the fragments whose old page still exists (for assets/redirects.js)."""
    converted = {
        file_url(old, directory_urls): file_url(new, directory_urls)
        for old, new in redirects.items()
    }

    def exists(path: str) -> bool:
        return (
            site_dir / (path + "index.html" if path.endswith("/") or not path else path)
        ).exists()

    pages, fragments = split(converted, exists)
    return write_pages(site_dir, pages), fragments
