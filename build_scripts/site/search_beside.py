"""The online build's two search indexes, made beside MkDocs in a worker process.

MkDocs builds the pages one after another in one process. Made afterwards from the written site,
the two search indexes of the online build (Material's lunr index, which the offline copy uses,
and Pagefind's records) added about half of MkDocs' own time to every build. Here a plugin object
that `edition build` adds to its MkDocs run hands each page to one worker process as soon as MkDocs
has converted it (`on_page_content`: the page's HTML and table of contents), so that the work runs
on the machine's other core while MkDocs goes on: the worker makes the page's entries of Material's
index and its Pagefind records, and hands the records at once to Pagefind's binary, which runs as
a service beside it and indexes each record as it comes (search.Pagefind). When every page is
converted (`on_env`), Pagefind writes its index and the worker puts Material's together, while
MkDocs writes the pages.

The indexes are the ones the serial path makes (build_scripts/site/search.py: `build_index`, and
`tune_material_index` as build_scripts/site/engine.py's `finish` applies it): the same Material
`SearchIndex` code indexes the same page content, and the same `records` cut the same pages. One
difference of method: the transliteration variants added to Pagefind's records are found among
the names of the Markdown pages (MkDocs has not written the pages yet), not of the written HTML.

The worker is one process and runs its tasks in the order they were sent (a single-worker pool),
so a page's tasks come before the tasks that finish the indexes.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import SimpleNamespace

from lxml import html as lhtml
from mkdocs.plugins import BasePlugin, event_priority

from build_scripts.problems import Location, Problem
from build_scripts.site import search, search_variants, urls

MATERIAL_SEARCH = "material/search"
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a Markdown backslash escape: \- \* \!
DATA_SEARCH = re.compile(r'\s?data-search-\w+="[^"]+"')  # as Material's on_page_context removes
ARTICLE = "md-content__inner md-typeset"  # the page's <article>, which holds its content


class SearchBeside(BasePlugin):
    """Added by build_scripts/publish/build.py to the online MkDocs build (never to mkdocs.yml:
    a bare `mkdocs build` indexes as Material does)."""

    def __init__(self, root: Path, docs_dir: Path) -> None:
        super().__init__()
        self.root, self.docs_dir = root, docs_dir
        fork = "fork" in multiprocessing.get_all_start_methods()
        self.pool = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("fork" if fork else "spawn"),
            initializer=_start,
            initargs=(str(root), str(docs_dir)),
        )
        self.order: list[str] = []  # the pages, in the order MkDocs read them
        self.pages: list[Future] = []
        self.problems: list[Problem] = []
        self.material = None  # Material's search plugin, when it is on
        self.lunr: Future | None = None
        self.pagefind: Future | None = None

    @classmethod
    def started(cls, root: Path, docs_dir: Path) -> SearchBeside:
        """One whose worker process runs already: forked now, while this process has one thread
        (ProcessPoolExecutor, forking, starts its worker inside the first `submit`, before its own
        thread starts). Not waited for: the worker reads the pages' names while MkDocs starts."""
        beside = cls(root, docs_dir)
        beside.pool.submit(int)
        return beside

    @event_priority(-100)  # after Material's plugin made its index object
    def on_config(self, config):
        plugin = config.plugins.get(MATERIAL_SEARCH)
        if plugin is not None and plugin.config.enabled:
            self.material = plugin
            plugin.search_index = _Deferred(self, plugin.config)
        return config

    @event_priority(-100)  # the page's content as every other plugin left it
    def on_page_content(self, html, page, config, files):
        self.order.append(page.url)
        stand_in = SimpleNamespace(
            content=html, toc=page.toc, url=page.url, title=page.title, meta=dict(page.meta)
        )
        self.pages.append(
            self.pool.submit(_page, page.file.dest_uri, stand_in, self.material is not None)
        )
        return html

    @event_priority(-100)
    def on_env(self, env, config, files):
        """Every page is read: Pagefind writes its index and the worker finishes Material's,
        while MkDocs writes the pages."""
        self.pool.submit(_start_pagefind, config.site_dir)  # first: runs beside the rest
        if self.material is not None:
            keys = ("lang", "separator", "pipeline", "fields")
            self.lunr = self.pool.submit(
                _material_index, list(self.order), {k: self.material.config[k] for k in keys}
            )
        self.pagefind = self.pool.submit(_finish_pagefind)
        return env

    @event_priority(-100)  # after Material's plugin wrote its index (made by _Deferred)
    def on_post_build(self, config):
        self.problems += self.result(self.pagefind) or []
        for future in self.pages:  # a page that failed is said once
            if future.exception() is not None:
                self.result(future)
                break

    def result(self, future: Future | None):
        try:
            return future.result() if future is not None else None
        except Exception as err:  # noqa: BLE001  (the worker's error, as one line)
            self.problems.append(
                Problem(
                    Location("build_scripts/site/search_beside.py"),
                    f"the search index could not be made: {type(err).__name__}: {err}",
                    "Run `edition build` again; if it persists, report it with this line",
                    "site.search",
                )
            )
            return None

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class _Deferred:
    """Stands in for Material's SearchIndex, whose work the worker does: Material's plugin calls
    it for each page (in the order MkDocs read them, checked here) and for the finished index."""

    def __init__(self, beside: SearchBeside, config) -> None:
        self.beside, self.config = beside, config
        self.entries: list = []
        self.seen: list[str] = []

    def add_entry_from_context(self, page) -> None:
        self.seen.append(page.url)

    def generate_search_index(self, prev) -> str:
        beside = self.beside
        lunr = beside.lunr
        if self.seen != beside.order:  # not the order the worker used: ask again in this one
            keys = ("lang", "separator", "pipeline", "fields")
            config = {k: self.config[k] for k in keys}
            lunr = beside.pool.submit(_material_index, list(self.seen), config)
        data = beside.result(lunr)
        return data if isinstance(data, str) else json.dumps({"config": {}, "docs": []})


# --- in the worker ------------------------------------------------------------------------------
_W: dict = {}


def _start(root: str, docs_dir: str) -> None:
    from material.plugins.search.plugin import SearchIndex

    root_path = Path(root)
    names: set[str] = set()
    for path in Path(docs_dir).rglob("*.md"):
        rel = path.relative_to(docs_dir).as_posix()
        if not search.kept_out(urls.page_url(rel)):
            names |= search_variants.names_in(ESCAPE.sub(r"\1", path.read_text(encoding="utf-8")))
    groups = search_variants.listed_groups(root_path / "sources" / "transliterations.yml")
    _W.update(
        root=root_path,
        # one thread: MkDocs holds the other core (more threads cost more CPU in all and ended
        # no sooner)
        pagefind=search.Pagefind(threads=1),
        sigla=search.labels(root_path),
        folders=search.folder_labels(root_path),
        variants=search_variants.variant_map(names, groups),
        index=SearchIndex,
        entries={},
        titles={},
    )


def _page(rel: str, page, lunr: bool) -> None:
    try:
        _index(rel, page, lunr)
    except Exception as err:  # noqa: BLE001  (reported by SearchBeside.result, naming the page)
        raise RuntimeError(f"page {rel}: {type(err).__name__}: {err}") from None


def _index(rel: str, page, lunr: bool) -> None:
    """One page: its entries of Material's index (its content as Material's plugin reads it),
    and its Pagefind records (its content as the written page shows it: without the data-search-*
    attributes that Material's plugin removes)."""
    if lunr and not search.kept_out(
        search.page_key(page.url)
    ):  # tune_material_index would drop its entries
        index = _W["index"]()
        index.add_entry_from_context(page)
        _W["entries"][page.url] = index.entries
    if search.url_of(rel) is None:
        return
    shown = DATA_SEARCH.sub("", page.content)
    doc = lhtml.fromstring(
        f'<html><body><article class="{ARTICLE}">{shown}</article></body></html>'
    )
    info = search.info(rel, doc, _W["sigla"], _W["folders"])
    if info is None:
        return
    _W["titles"][info.url] = info.title
    _W["pagefind"].add_page(info, search.records(doc, info, _W["variants"]))


def _material_index(order: list[str], config: dict) -> str:
    """Material's index of the pages in `order`, tuned as engine.finish tunes it."""
    entries = [e for url in order for e in _W["entries"].get(url, [])]
    made = json.dumps({"config": config, "docs": entries}, separators=(",", ":"), default=str)
    index = json.loads(made)  # as Material writes it and engine.finish reads it back
    search.tune_material_index(index, _W["root"], prefixes=_W["titles"])
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def _start_pagefind(site_dir: str) -> None:
    _W["pagefind"].start_writing(Path(site_dir) / search.PAGEFIND_DIR)


def _finish_pagefind() -> list[Problem]:
    return _W["pagefind"].wait()
