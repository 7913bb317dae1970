"""The offline copy (the zip readers open from file://), derived from the online HTML in one pass.

No second build of the site: each page of the online build (directory URLs, `X/index.html`) is
written as the page file MkDocs writes without directory URLs (`X.html`; `…/index.md` pages stay
`…/index.html`), with
  - every relative `href`/`src` resolved against its old place and written from the new one
    (a page's directory URL → its page file, a folder that is not a page → its index.html);
  - Material's base URL (`__md_scope`, `__config.base`) and the search worker's path likewise;
  - the Pagefind search box (it cannot load from file://) replaced by Material's own, rendered
    once from the theme, with the iframe-worker shim that lets Material's search run from file://;
  - assets/redirects.js → assets/redirects-offline.js (written here with page-file URLs);
  - no canonical link to the public site (a copy read from file:// refers to no other host).
Material's search index (search/search_index.json, tuned by the online build) gets page-file
locations and is inlined as search/search_index.js, as Material's offline plugin does. Redirect
pages at gone old URLs are written again with page-file targets. Everything else (assets, the
placeholders of the downloads) is hard-linked. Pagefind's index stays out.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path

from build_scripts.project.paths import Project
from build_scripts.site import engine as site_engine
from build_scripts.site import urls as site_urls

SKIPPED = ("pagefind/", "404.html", "sitemap.xml")  # online only: no use from file://
ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
SCOPE = re.compile(r'(__md_scope=new URL\(")([^"]*)(",location\))')
CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
PAGEFIND_BOX = re.compile(
    r'<div class="md-search edition-search".*?assets/search/search\.js"[^>]*>\s*</script>', re.S
)
# the canonical link to the public page: another host
CANONICAL = re.compile(r'\s*<link rel="canonical" href="[a-z]+://[^"]*">')
ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/|#)")
SEARCH_BOX = (
    '{% import "partials/language.html" as lang with context %}'
    "{% set features = config.theme.features or [] %}"
    '{% include "partials/search.html" %}'
)


def page_files(docs_dir: Path) -> dict[str, str]:
    """A page's directory URL → its file in the offline copy (edition/getty/G.c1/ → G.c1.html)."""
    out = {}
    for src in site_engine.page_sources(docs_dir):
        url = site_urls.page_url(src)
        index = src == "index.md" or src.endswith("/index.md")
        out[url] = url + "index.html" if index else url[:-1] + ".html"
    return out


class Unconvertible(ValueError):
    """An online page this module cannot turn into its offline form (the templates changed)."""


class Converter:
    def __init__(self, online: Path, pages: dict[str, str]):
        self.online = online
        self.pages = pages
        self.known: dict[tuple[str, bool], str] = {}

    def target(self, site_path: str, folder: bool) -> str:
        """A site path (no fragment) as a file of the offline copy."""
        found = self.known.get((site_path, folder))
        if found is None:
            key = "" if site_path in ("", ".") else site_path.rstrip("/") + "/"
            if key in self.pages:
                found = self.pages[key]
            elif folder or (self.online / site_path).is_dir():
                found = key + "index.html"
            else:
                found = site_path
            self.known[(site_path, folder)] = found
        return found

    def url(self, value: str, here: str, there: str) -> str:
        """A relative URL of the online page in folder `here`, written from offline folder
        `there`."""
        if not value or ABSOLUTE.match(value):
            return value
        cut = min([i for i in (value.find("#"), value.find("?")) if i >= 0] or [len(value)])
        path, rest = value[:cut], value[cut:]
        if not path:
            return value
        joined = posixpath.normpath(posixpath.join(here or ".", path))
        if joined.startswith(".."):
            return value  # outside the site: leave it
        new = self.target("" if joined == "." else joined, path.endswith("/"))
        return posixpath.relpath(new, there or ".") + rest

    def root(self, there: str) -> str:
        return posixpath.relpath(".", there or ".")

    def page(self, text: str, here: str, there: str, search_box: str) -> str:
        text = CANONICAL.sub("", text, count=1)  # edition:public-url keeps the address to cite
        text = ATTR.sub(lambda m: m.group(1) + self.url(m.group(2), here, there) + m.group(3), text)
        text = SCOPE.sub(lambda m: m.group(1) + self.root(there) + m.group(3), text)

        def config(m: re.Match) -> str:
            data = json.loads(m.group(2))
            data["base"] = self.root(there)
            if data.get("search"):
                data["search"] = self.url(data["search"], here, there)
            return m.group(1) + json.dumps(data, ensure_ascii=False) + m.group(3)

        text = CONFIG.sub(config, text, count=1)
        text = PAGEFIND_BOX.sub(lambda m: search_box, text, count=1)
        if 'class="md-search edition-search"' in text:
            raise Unconvertible(
                "the Pagefind search box of overrides/partials/search-pagefind.html was not found "
                "whole (from its <div> to the assets/search/search.js script). Update PAGEFIND_BOX "
                "in build_scripts/publish/offline.py to match the partial"
            )
        online_js, offline_js = site_engine.REDIRECTS_JS, site_engine.OFFLINE_REDIRECTS_JS
        for quote in ("/", '"'):
            text = text.replace(f'{quote}{online_js}"', f'{quote}{offline_js}"')
        shim = posixpath.relpath(site_engine.IFRAME_WORKER, there or ".")
        return text.replace("</head>", f'<script src="{shim}"></script>\n</head>', 1)


def material_search_box(project: Project, docs_dir: Path, work: Path) -> str:
    """Material's search box (overrides/partials/search.html without Pagefind), rendered once."""
    from mkdocs.config import load_config

    cfg = site_engine.write_config(
        project, docs_dir, work / "offline-site", work / "offline-search.yml", offline=True
    )
    config = load_config(str(cfg))
    return config.theme.get_env().from_string(SEARCH_BOX).render(config=config)


def derive(project: Project, docs_dir: Path, online: Path, out: Path, work: Path) -> int:
    """Write the offline copy of the online site `online` (built from `docs_dir`) into `out`;
    return how many pages were written."""
    from build_scripts.publish.outputs import link_or_copy

    pages = page_files(docs_dir)
    convert = Converter(online, pages)
    box = material_search_box(project, docs_dir, work)
    gone, fragments = site_engine.redirect_plan(project, docs_dir, True)
    redirect_files = {old + "index.html" if old.endswith("/") or not old else old for old in gone}
    online_file = {url + "index.html": file for url, file in pages.items()}
    written = 0
    for path in sorted(online.rglob("*")):
        rel = path.relative_to(online).as_posix()
        if path.is_dir() or rel.startswith(SKIPPED) or rel in redirect_files:
            continue
        if rel.endswith(".html") and rel in online_file:
            new = online_file[rel]
            text = convert.page(
                path.read_text(encoding="utf-8"),
                posixpath.dirname(rel),
                posixpath.dirname(new),
                box,
            )
            target = out / new
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written += 1
            continue
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel == "search/search_index.json":
            index = json.loads(path.read_text(encoding="utf-8"))
            for doc in index.get("docs", []):
                where = doc["location"]
                home = pages.get("", "index.html")
                doc["location"] = convert.url(where, "", "") if where else home
            data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
            target.write_text(data, encoding="utf-8")
            script = target.parent / "search_index.js"
            script.write_text(f"var __index = {data}", encoding="utf-8")
        elif rel == site_engine.OFFLINE_REDIRECTS_JS:
            moved = {frag: convert.url(url, "", "") for frag, url in fragments.items()}
            target.write_text(site_urls.redirects_script(moved), encoding="utf-8")
        else:
            link_or_copy(str(path), str(target))
    offline_pages = {}
    for old, targets in gone.items():
        where = convert.target(old, True) if old.endswith("/") or not old else old
        offline_pages[where] = {frag: convert.url(url, "", "") for frag, url in targets.items()}
    site_urls.write_pages(out, offline_pages)
    return written


def main(argv: list[str]) -> int:  # python -m build_scripts.publish.offline DOCS ONLINE OUT
    docs, online, out = (Path(a) for a in argv)
    shutil.rmtree(out, ignore_errors=True)
    print(derive(Project(), docs, online, out, out.parent), "pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(__import__("sys").argv[1:]))
