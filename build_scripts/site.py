"""tei/*.xml + sources/witnesses.yml → the generated Markdown of the site (docs/edition/).

`render(project, out)` writes only files whose content changed and removes stale ones. It is
incremental per witness: a witness is rendered again when its TEI changed, or when a witness it
links to moved its anchors to other pages; everything else comes from a small cache
(build/site-cache.json), so re-rendering after one TEI edit is quick even in a new process.
The optional stages plug in here: build_scripts.bibliography (references.bib → bibliography page)
and build_scripts.apparatus.render (extra pages and per-paragraph marks).
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from build_scripts import load, site_landing as landing, site_pages, witnesses as manifest
from build_scripts.model import Document, Link, walk
from build_scripts.problems import Location, Problem, relpath
from build_scripts.render_markdown import Context, escape, render_page
from build_scripts.teixml import ROOT

PUBLISH_ALL_ENV = "EDITION_PUBLISH_ALL"  # "1": publish every witness in full (tests, editors' previews)
CODE = [Path(__file__).parent / n for n in ("site.py", "site_pages.py", "site_landing.py", "render_markdown.py", "load.py", "rules.py", "model.py")]


@dataclass(frozen=True)
class Project:
    root: Path = ROOT

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def generated(self) -> Path:
        return self.docs / "edition"

    @property
    def manifest(self) -> Path:
        return self.root / "sources" / "witnesses.yml"

    @property
    def excerpts(self) -> Path:
        return self.root / "sources" / "excerpts.yml"

    @property
    def bib(self) -> Path:
        return self.root / "references.bib"

    @property
    def cache(self) -> Path:
        return self.root / "build" / "site-cache.json"

    def tei(self, witness: manifest.Witness) -> Path:
        return self.root / "tei" / witness.tei


@dataclass
class Result:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # sigla rendered this time
    problems: list[Problem] = field(default_factory=list)
    full_without_rights: list[str] = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # saved by `save_cache` once the output is in place

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def publish_all(flag: bool | None = None) -> bool:
    return bool(flag) if flag is not None else os.environ.get(PUBLISH_ALL_ENV, "") not in ("", "0")


def publication(witness: manifest.Witness, everything: bool) -> str:
    return "full" if everything else (witness.fact("publication") or "full")


def excerpt_ids(project: Project) -> tuple[dict[str, frozenset[str]], list[Problem]]:
    if not project.excerpts.exists():
        return {}, []
    try:
        data = yaml.safe_load(project.excerpts.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        return {}, [Problem(Location(relpath(project.excerpts, project.root)), f"cannot read the excerpt list: {str(err).splitlines()[0]}", "Fix the YAML syntax", "site.excerpts")]
    return {siglum: frozenset(str(i) for i in (ids or [])) for siglum, ids in data.items()}, []


def unknown_excerpts(project: Project, siglum: str, listed: frozenset[str], ids: frozenset[str]) -> list[Problem]:
    where = Location(relpath(project.excerpts, project.root))
    return [Problem(where, f"{siglum}: the excerpt {ident} is not an xml:id of the witness", "Fix the id or remove it from the list", "site.excerpt-unknown", "warning")
            for ident in sorted(listed - ids)]


# --- optional stages -------------------------------------------------------------------------------
def optional(module: str):
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name and module.startswith(err.name):
            return None
        raise


def bibliography(project: Project) -> tuple[str | None, set[str], list[Problem]]:
    """The bibliography page's Markdown and its keys; (None, ∅) while the stage does not exist."""
    bib = optional("build_scripts.bibliography")
    if bib is None or not project.bib.exists():
        return None, set(), []
    data, problems = bib.load(project.bib)
    if data is None:
        return None, set(), problems
    entries = data.formatted()
    lines = ["# Bibliography", "", "Works cited by the edition and by two or more of its witnesses (`references.bib`), "
             "formatted in the Chicago notes-bibliography style.", ""]
    lines += [f'<div class="bib-entry" id="bib-{e.key}">{e.html}</div>\n' for e in entries]
    return "\n".join(lines) + "\n", {e.key for e in entries}, problems


def apparatus():
    """build_scripts.apparatus.render when it offers pages() and marks(siglum); else None."""
    mod = optional("build_scripts.apparatus.render")
    return mod if mod is not None and hasattr(mod, "pages") and hasattr(mod, "marks") else None


# --- the render --------------------------------------------------------------------------------------
def cache_key(project: Project, everything: bool, has_bib: bool, app) -> str:
    h = hashlib.sha256()
    for path in CODE + [project.manifest, project.excerpts, project.bib]:
        h.update(path.read_bytes() if path.exists() else b"-")
    h.update(f"{everything}{has_bib}{app is not None}".encode())
    return h.hexdigest()


def render(project: Project = Project(), out: Path | None = None, everything: bool | None = None, use_cache: bool = True) -> Result:
    """Render every witness into `out` (default docs/edition); see the module docstring."""
    out = out or project.generated
    everything = publish_all(everything)
    result = Result()
    wits, result.problems = manifest.load(project.manifest)
    keep, problems = excerpt_ids(project)
    result.problems += problems
    bib_md, bib_keys, problems = bibliography(project)
    result.problems += problems
    app = apparatus()
    key = cache_key(project, everything, bib_md is not None, app)
    cache = read_cache(project) if use_cache else {}
    old = cache.get("witnesses", {}) if cache.get("key") == key else {}
    state: dict[str, dict] = {}
    docs: dict[str, Document] = {}
    present = [w for w in wits if project.tei(w).exists()]
    for w in present:
        sha = hashlib.sha256(project.tei(w).read_bytes()).hexdigest()
        if old.get(w.tei, {}).get("sha") == sha:
            state[w.tei] = old[w.tei]
            continue
        doc, problems = load.load(project.tei(w))
        result.problems += problems
        if doc is None:
            continue
        if publication(w, everything) == "excerpts":
            result.problems += unknown_excerpts(project, w.siglum, keep.get(w.siglum, frozenset()), doc.ids)
            doc = site_pages.published_document(doc, keep.get(w.siglum, frozenset()))
        docs[w.tei] = doc
        pages = site_pages.plan(doc, landing.folder(w), landing.title(w))
        state[w.tei] = {"sha": sha, "pages": [[p.src, p.title] for p in pages],
                        "anchors": {i: [p.src, a] for p in pages for i, a in p.anchors.items()}, "links": []}
    moved = {f for f in docs if old.get(f, {}).get("anchors") != state[f]["anchors"]}
    for w in present:  # witnesses linking to a witness whose anchors moved are rendered again
        if w.tei in state and w.tei not in docs and set(state[w.tei].get("links", [])) & moved:
            doc, problems = load.load(project.tei(w))
            if publication(w, everything) == "excerpts":
                doc = site_pages.published_document(doc, keep.get(w.siglum, frozenset()))
            docs[w.tei] = doc
    if result.failed:
        return result
    files: dict[str, str] = {}
    for w in present:
        if w.tei in docs:
            files.update(render_witness(w, docs[w.tei], state, bib_keys, app, result))
    by_siglum = {w.siglum: state[w.tei]["pages"] for w in present if w.tei in state}
    files.update(around_texts(project, wits, present, state, by_siglum, everything, keep, bib_md, app))
    for w in present:
        if publication(w, everything) == "full" and w.facts.get("rights", {}).get("status") != "cleared":
            result.full_without_rights.append(f"{w.siglum} (rights {w.facts.get('rights', {}).get('status', 'unknown')})")
    if result.failed:
        return result
    write_files(out, files, {s for st in state.values() for s, _ in st["pages"]}, result)
    result.cache = {"key": key, "witnesses": state}
    if out == project.generated:
        save_cache(project, result)
    return result


def render_witness(w: manifest.Witness, doc: Document, state: dict, bib_keys: set[str], app, result: Result) -> dict[str, str]:
    """Markdown of every text page of one witness, keyed by path under docs/."""
    anchors = {f: st["anchors"] for f, st in state.items()}

    def anchor_page(file: str, ident: str) -> str | None:
        found = anchors.get(file, {}).get(ident) if ident else None
        if not ident and file in state and state[file]["pages"]:
            return state[file]["pages"][0][0]
        return found[0] if found else None

    marks = app.marks(w.siglum) if app else {}
    files, links = {}, set()
    pages = site_pages.plan(doc, landing.folder(w), landing.title(w))
    for page in pages:
        ctx = Context(page.src, w.tei, anchor_page, lambda k: "edition/bibliography.md" if k in bib_keys else None, marks, page.start_page)
        heading = not (len(page.nodes) == 1 and getattr(page.nodes[0], "head", None) is not None)
        preamble = landing.meta_div(w) + (f"\n\n# {escape(page.title)} {{: .ed }}" if heading else "")
        text, problems = render_page(page.nodes, ctx, 2 if heading else 1, preamble)
        files[page.src] = text
        result.problems += problems
        links |= {n.target.partition("#")[0] for n in walk(page.nodes) if isinstance(n, Link) and n.kind == "witness"}
    state[w.tei]["links"] = sorted(links)
    result.rendered.append(w.siglum)
    return files


def around_texts(project, wits, present, state, by_siglum, everything, keep, bib_md, app) -> dict[str, str]:
    files: dict[str, str] = {}
    published = {w.siglum: publication(w, everything) for w in wits}
    for w in present:
        if w.tei not in state:
            continue
        counts = ""
        if published[w.siglum] == "excerpts":
            counts = f"{len(keep.get(w.siglum, ()))} division(s) or paragraph(s) are listed for {w.siglum}."
        files[f"{landing.folder(w)}/index.md"] = landing.landing(w, [tuple(p) for p in state[w.tei]["pages"]], published[w.siglum], counts)
    files["edition/_witnesses.md"] = landing.home_witnesses(wits, set(by_siglum))
    files["edition/_rights.md"] = landing.rights_table(wits, published)
    extra = []
    if bib_md is not None:
        files["edition/bibliography.md"] = bib_md
        extra.append(("edition/bibliography.md", "Bibliography"))
    if app is not None:
        for rel, text in app_pages(app, state).items():
            files[f"edition/{rel}"] = text
            if rel.endswith("index.md"):
                extra.append((f"edition/{rel}", "Apparatus"))  # other apparatus pages: not_in_nav (mkdocs.yml)
    order = [w for w in wits if w.tei in state]
    files["edition/_nav.yml"] = yaml.safe_dump(landing.nav(order, {w.siglum: [tuple(p) for p in state[w.tei]["pages"]] for w in order}, extra), allow_unicode=True, sort_keys=False)
    return files


def app_pages(app, state: dict) -> dict[str, str]:
    """The apparatus stage's pages. If its pages() accepts `locate`, it gets locate(file, id) → the
    page holding that id, relative to docs/edition/ (e.g. "getty/G.c6.md"), or None."""
    import inspect

    def locate(file: str, ident: str) -> str | None:
        found = state.get(file, {}).get("anchors", {}).get(ident)
        return found[0].removeprefix("edition/") if found else None

    if "locate" in inspect.signature(app.pages).parameters:
        return app.pages(locate=locate)
    return app.pages()


def write_files(out: Path, files: dict[str, str], page_srcs: set[str], result: Result) -> None:
    """Write files whose content changed; remove generated files no longer produced."""
    wanted = {out / Path(src).relative_to("edition") for src in files}
    for src, text in files.items():
        path = out / Path(src).relative_to("edition")
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        result.written.append(src)
    keep = wanted | {out / Path(s).relative_to("edition") for s in page_srcs}
    for path in sorted(out.rglob("*")) if out.exists() else []:
        if path.is_file() and path not in keep:
            path.unlink()
            result.removed.append(str(path.relative_to(out)))


def read_cache(project: Project) -> dict:
    try:
        return json.loads(project.cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_cache(project: Project, result: Result) -> None:
    project.cache.parent.mkdir(parents=True, exist_ok=True)
    project.cache.write_text(json.dumps(result.cache), encoding="utf-8")
