"""tei/*.xml + sources/witnesses.yml → the generated Markdown of the site (docs/edition/).

`render(project, out)` writes only files whose content changed and removes stale ones. It is
incremental per witness: a witness is rendered again when its TEI changed, or when a witness it
links to moved its anchors to other pages; everything else comes from a small cache
(build/site-cache.json), so re-rendering after one TEI edit is quick even in a new process. Within
a witness rendered again, a page is made again only when its nodes changed or a look-up it made of
the rest of the site answers otherwise (render_witness; build/site-cache-pages/).
The apparatus pages are made again only when something they read changed: the apparatus, or a
passage, page or table of a witness that an entry points at (build_scripts.apparatus.reads); and
then each part that shows one locus is made again only if it read what changed (Reader.fragment).
The optional stages plug in here: build_scripts.bib.bibliography (references.bib → bibliography
page) and build_scripts.apparatus.render (extra pages and per-paragraph marks).

`url_for(file, ident)` answers where an id is published (the registry and the PDFs ask it); it reads
the render plan from the cache and keeps it in memory while the inputs do not change.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from build_scripts.tei import load
from build_scripts.site import courses as site_courses
from build_scripts.site import engine, landing
from build_scripts.site import nav as site_nav
from build_scripts.site import parallel
from build_scripts.site import search as site_search
from build_scripts.site import pages as site_pages
from build_scripts.site import urls as site_urls
from build_scripts.project import witnesses as manifest
from build_scripts.tei.model import Document, Generated
from build_scripts.bib import bibliography as bibmod
from build_scripts.tei import changelog
from build_scripts.apparatus import reads as app_reads
from build_scripts.apparatus import render as app_render
from build_scripts.project import memory
from build_scripts.project.paths import Project
from build_scripts.project.settings import settings
from build_scripts.problems import Location, Problem, relpath
from build_scripts.site.markdown import Context, endnotes_of, escape, render_page

PUBLISH_ALL_ENV = (
    "EDITION_PUBLISH_ALL"  # "1": publish every witness in full (tests, editors' previews)
)
# The toolchain's own code is an input of every page: any change to it re-renders (never a stale
# page).
CODE = sorted(Path(__file__).resolve().parents[1].rglob("*.py"))
PLAN_CODE = CODE


@dataclass
class Result:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # sigla rendered this time
    problems: list[Problem] = field(default_factory=list)
    full_without_rights: list[str] = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # saved by `save_cache` once the output is in place
    app_cache: dict = field(
        default_factory=dict
    )  # the apparatus stage's output, reused while its inputs are unchanged
    app_loaded: tuple | None = None  # what app_cache held when read from disk (saved if it grew)
    old_cache: dict = field(default_factory=dict)  # the cache as the last render left it
    cache_key: str = ""  # cache_key() of this render
    courses: dict = field(default_factory=dict)  # the course pages and their key (course_pages)
    app_parts: dict | None = None  # the apparatus pages' parts, when made in this render
    pages: dict = field(default_factory=dict)  # TEI file → its text pages as made (render_witness)
    bib_notes: dict = field(default_factory=dict)  # bib key → its first note (text, HTML)
    reuse: bool = True  # whether a page of the last render may be reused (False: use_cache=False)

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def publish_all(flag: bool | None = None) -> bool:
    """The explicit choice of a caller, else the edition's setting (project/settings.py)."""
    return bool(flag) if flag is not None else settings().publish_all


def publication(witness: manifest.Witness, everything: bool) -> str:
    return "full" if everything else (witness.fact("publication") or "full")


def excerpt_ids(project: Project) -> tuple[dict[str, frozenset[str]], list[Problem]]:
    return manifest.load_excerpts(project.excerpts)


def unknown_excerpts(
    project: Project, siglum: str, listed: frozenset[str], ids: frozenset[str]
) -> list[Problem]:
    rel = relpath(project.excerpts, project.root)
    return [
        Problem(
            Location(rel, manifest.excerpt_line(project.excerpts, ident)),
            f"{siglum}: the excerpt {ident} is not an xml:id of the witness",
            "Fix the id or remove it from the list",
            "site.excerpt-unknown",
            "warning",
        )
        for ident in sorted(listed - ids)
    ]


# --- the other stages' parts of the site --------------------------------------------------------
def bibliography(
    project: Project, cached: dict | None = None
) -> tuple[str | None, set[str], list[Problem], dict | None]:
    """The bibliography page's Markdown and its keys; (None, ∅) without references.bib.
    The last value is what to cache: the page, and each entry's first-note form (the witnesses'
    citations, `bib_notes`), made again only when references.bib or the code changes."""
    if not project.bib.exists():
        return None, set(), [], None
    key = digest([project.bib, Path(bibmod.__file__), bibmod.STYLE])
    if cached and cached.get("key") == key and "notes" in cached:
        return cached["md"], set(cached["keys"]), [], cached
    data, problems = bibmod.load(project.bib, project.bib_cache)
    if data is None:
        return None, set(), problems, None
    entries = data.formatted()
    lines = [
        "# Bibliography",
        "",
        "Works cited by the edition and by two or more of its witnesses (`references.bib`), "
        "formatted in the Chicago notes-bibliography style.",
        "",
    ]
    lines += [f'<div class="bib-entry" id="bib-{e.key}">{e.html}</div>\n' for e in entries]
    md, keys = "\n".join(lines) + "\n", {e.key for e in entries}
    notes = {e.key: [e.note_text, e.note_html] for e in entries}
    made = {"key": key, "md": md, "keys": sorted(keys), "notes": notes}
    return md, keys, problems, (made if not problems else {**made, "key": None})


def app_key(project: Project, state: dict, everything: bool = False) -> str:
    """What the apparatus pages depend on besides the witnesses' passages: the apparatus and any
    other TEI file that is not a witness, the witness list, the toolchain's code (all of it, as
    `cache_key`: the pages are made by this module as much as by the apparatus package), and the
    page and title of every id. What they read of the witnesses is checked apart
    (`app_reads_current`)."""
    code = CODE
    # a witness that did not load is not in `state`: its file is keyed here, whole
    others = [p for p in sorted(project.tei_dir.glob("*.xml")) if p.name not in state]
    pages = json.dumps(
        {f: [st["anchors"], st["pages"]] for f, st in sorted(state.items())}, sort_keys=True
    )
    return digest(code + others + [project.manifest], pages + str(everything))


def app_reads_current(project: Project, stored: dict, shas: dict[str, str]) -> bool:
    """Whether the witnesses, as the stored apparatus pages read them, are as they were: true at
    once when no witness changed, else when every passage, page and table the pages read is
    unchanged (a word changed where no entry points leaves them as they are)."""
    if stored.get("shas") == shas:
        return True
    if not stored.get("reads_digest"):
        return False
    corpus = app_render.corpus(project.tei_dir)
    return app_reads.digest(corpus, stored.get("reads", [])) == stored["reads_digest"]


def app_marks(project: Project, siglum: str, result: Result) -> dict:
    cached = result.app_cache.setdefault("marks", {})
    if siglum not in cached:
        cached[siglum] = app_render.marks(siglum, tei_dir=project.tei_dir)
    return cached[siglum]


def changelog_md(project: Project) -> str | None:
    """The changelog of the About section (CHANGELOG.md + revisionDesc), without its own title."""
    text = changelog.markdown(project.changelog, project.tei_dir)
    return re.sub(r"\A# [^\n]*\n+", "", text)


# --- the render ---------------------------------------------------------------------------------
def digest(paths: list[Path], extra: str = "") -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes() if path.exists() else b"-")
    h.update(extra.encode())
    return h.hexdigest()


def shared_inputs(project: Project) -> list[Path]:
    """Every input of the edition except the witnesses' own TEI (each keyed with its own pages):
    the apparatus and any other TEI file, every YAML and table under sources/, the courses,
    references.bib, the changelog. Found by folder, never listed by hand, so a new kind of input
    file cannot leave a page stale."""
    wits, _ = manifest.load(project.manifest)
    witness_files = {project.tei(w) for w in wits}
    files = [p for p in sorted(project.tei_dir.glob("*.xml")) if p not in witness_files]
    for folder, pattern in (("sources", "*.yml"), ("sources", "*.tsv"), ("courses", "*.yml")):
        files += sorted((project.root / folder).rglob(pattern))
    return files + [project.bib, project.changelog]


def cache_key(project: Project, everything: bool, has_bib: bool) -> str:
    """The key of every cached page: the toolchain's code and every shared input. A witness page is
    also keyed on its own TEI (its sha in the cache) and re-rendered when a witness it links to
    moved."""
    return digest(CODE + shared_inputs(project), f"{everything}{has_bib}")


def plan_key(project: Project, everything: bool) -> str:
    """What the page plan (which id is on which page) depends on, besides each TEI file."""
    return digest(PLAN_CODE + [project.manifest, project.excerpts], str(everything))


def witness_doc(
    project: Project,
    w: manifest.Witness,
    everything: bool,
    keep: dict,
    result: Result | None = None,
) -> Document | None:
    """One witness loaded as the site publishes it (excerpt rule applied)."""
    doc, problems = load.load(project.tei(w))
    if result is not None:
        result.problems += problems
    if doc is not None and publication(w, everything) == "excerpts":
        if result is not None:
            result.problems += unknown_excerpts(
                project, w.siglum, keep.get(w.siglum, frozenset()), doc.ids
            )
        doc = site_pages.published_document(doc, keep.get(w.siglum, frozenset()))
    return doc


def plan_pages(w: manifest.Witness, doc: Document) -> list[site_pages.Page]:
    return site_pages.plan(doc, landing.folder(w), landing.title(w))


def witness_state(
    w: manifest.Witness, doc: Document, sha: str, pages: list[site_pages.Page] | None = None
) -> dict:
    """The plan of one witness as the cache keeps it: its pages and the page of every id."""
    pages = pages if pages is not None else plan_pages(w, doc)
    return {
        "sha": sha,
        "pages": [[p.src, p.title] for p in pages],
        "root": doc.siglum,
        "landing": f"{landing.folder(w)}/index.md",
        "anchors": {i: [p.src, a] for p in pages for i, a in p.anchors.items()},
        # the witnesses it links to: rendered again when their anchors move
        "links": sorted(set().union(*(p.links for p in pages))),
    }


@memory.no_cycle_collection()
def render(
    project: Project = Project(),
    out: Path | None = None,
    everything: bool | None = None,
    use_cache: bool = True,
) -> Result:
    """Render every witness into `out` (default docs/edition); see the module docstring."""
    out = out or project.generated
    everything = publish_all(everything)
    result = Result()
    wits, result.problems = manifest.load(project.manifest)
    keep, problems = excerpt_ids(project)
    result.problems += problems
    cache = read_cache(project) if use_cache else {}
    result.reuse = use_cache
    bib_md, bib_keys, problems, bib_cache = bibliography(project, cache.get("bibliography"))
    result.bib_notes = (bib_cache or {}).get("notes") or {}
    result.problems += problems
    key = cache_key(project, everything, bib_md is not None)
    result.old_cache, result.cache_key = cache, key
    old = cache.get("witnesses", {}) if cache.get("key") == key else {}
    state: dict[str, dict] = {}
    docs: dict[str, Document] = {}
    plans: dict[str, list[site_pages.Page]] = {}
    present = [w for w in wits if project.tei(w).exists()]
    for w in present:
        sha = hashlib.sha256(project.tei(w).read_bytes()).hexdigest()
        if old.get(w.tei, {}).get("sha") == sha and "root" in old[w.tei]:
            state[w.tei] = old[w.tei]
            continue
        doc = witness_doc(project, w, everything, keep, result)
        if doc is None:
            continue
        docs[w.tei] = doc
        plans[w.tei] = plan_pages(w, doc)
        state[w.tei] = witness_state(w, doc, sha, plans[w.tei])
    moved = {f for f in docs if old.get(f, {}).get("anchors") != state[f]["anchors"]}
    for w in present:  # witnesses linking to a witness whose anchors moved are rendered again
        if w.tei in state and w.tei not in docs and set(state[w.tei].get("links", [])) & moved:
            docs[w.tei] = witness_doc(project, w, everything, keep)
    if result.failed:
        return result
    key_now = app_key(project, state, everything)
    shas = {f: st["sha"] for f, st in sorted(state.items())}
    result.app_cache = {"key": key_now, "shas": shas}
    if cache.get("apparatus_key") == key_now:  # its 5 MB are read only when they are current
        stored = read_cache_file(app_cache_file(project))
        if stored.get("key") == key_now and app_reads_current(project, stored, shas):
            result.app_loaded = app_snapshot(stored)
            # a copy: the render adds to it, the file stays as read
            result.app_cache = {**stored, "marks": dict(stored.get("marks", {})), "shas": shas}
    files: dict[str, str] = {}
    for w in present:
        if w.tei in docs:
            pages = plans.get(w.tei) or plan_pages(w, docs[w.tei])
            files.update(render_witness(w, pages, state, bib_keys, result, project))
    by_siglum = {w.siglum: state[w.tei]["pages"] for w in present if w.tei in state}
    files.update(
        around_texts(project, wits, present, state, by_siglum, everything, keep, bib_md, result)
    )
    for w in present:
        if (
            publication(w, everything) == "full"
            and w.facts.get("rights", {}).get("status") != "cleared"
        ):
            result.full_without_rights.append(
                f"{w.siglum} (rights {w.facts.get('rights', {}).get('status', 'unknown')})"
            )
    if result.failed:
        return result
    files = engine.front_matter(files)  # "Edit this page" → the TEI a page is made from
    write_files(out, files, {s for st in state.values() for s, _ in st["pages"]}, result)
    result.cache = {
        "key": key,
        "plan": plan_key(project, everything),
        "witnesses": state,
        "bibliography": bib_cache,
        "apparatus_key": result.app_cache["key"],
        "courses": result.courses,
    }
    remember_plan(project, everything, state)
    if out == project.generated:
        save_cache(project, result)
    return result


def render_witness(
    w: manifest.Witness,
    pages: list[site_pages.Page],
    state: dict,
    bib_keys: set[str],
    result: Result,
    project: Project = Project(),
) -> dict[str, str]:
    """Markdown of every text page of one witness, keyed by path under docs/."""
    anchors = {f: st["anchors"] for f, st in state.items()}

    def anchor_page(file: str, ident: str) -> str | None:
        found = anchors.get(file, {}).get(ident) if ident else None
        if not ident and file in state and state[file]["pages"]:
            return state[file]["pages"][0][0]
        return found[0] if found else None

    def anchor_of(file: str, ident: str) -> str | None:
        found = anchors.get(file, {}).get(ident)
        return found[1] if found else None

    marks = app_marks(project, w.siglum, result)
    files = {}
    endnotes = endnotes_of([(p.src, p.nodes) for p in pages])
    meta = landing.meta_div(w, result.bib_notes)
    looked_up = {
        "page": anchor_page,
        "anchor": anchor_of,
        "bib": lambda k: "edition/bibliography.md" if k in bib_keys else None,
        "marks": marks.get,
    }
    kept = read_cache_file(pages_file(project, w.tei)).get("pages", {}) if result.reuse else {}
    made = result.pages[w.tei] = {}
    for page in pages:
        heading = not (len(page.nodes) == 1 and getattr(page.nodes[0], "head", None) is not None)
        # what the page is made of besides what it looks up (below): its nodes (their repr holds
        # every field, locations too), its place, the code and shared inputs (cache_key)
        made_of = repr((w.tei, page.src, page.title, page.start_page, heading, meta, page.nodes))
        if f"{Generated.__name__}(" in made_of:  # a list of the end notes: they are part of it
            made_of += repr(endnotes)
        key = hashlib.blake2b(f"{result.cache_key}{made_of}".encode(), digest_size=20).hexdigest()
        old = kept.get(page.src)
        if old and old[0] == key and all(looked_up[n](*a) == v for n, a, v in old[1]):
            made[page.src] = old
            files[page.src] = old[2]
            result.problems += old[3]
            continue
        log: list[tuple] = []
        ctx = Context(
            page.src,
            w.tei,
            _logged(log, "page", looked_up["page"]),
            _logged(log, "bib", looked_up["bib"]),
            _LoggedMarks(log, marks),
            page.start_page,
            endnotes,
            anchor_of=_logged(log, "anchor", looked_up["anchor"]),
        )
        title = f"\n\n# {escape(page.title)} {{: .ed }}" if heading else ""
        text, problems = render_page(page.nodes, ctx, 2 if heading else 1, meta + title)
        if 'class="alt ' in text:  # edition.js makes it work; in the page, it shifts no layout
            text = text.replace(meta, meta + READING_SWITCH, 1)
        files[page.src] = text
        result.problems += problems
        made[page.src] = (key, log, text, problems)
    result.rendered.append(w.siglum)
    return files


def _logged(log: list, name: str, look: Callable) -> Callable:
    """`look`, each call noted in `log` with its answer: a page is reused while every look-up it
    made answers the same (render_witness)."""

    def logged(*args):
        found = look(*args)
        log.append((name, args, found))
        return found

    return logged


class _LoggedMarks:
    """The apparatus marks of a witness (paragraph id → loci), each look-up noted in `log`."""

    def __init__(self, log: list, marks: dict) -> None:
        self.log, self.marks = log, marks

    def get(self, ident: str, default=None):
        found = self.marks.get(ident)
        self.log.append(("marks", (ident,), found))
        return default if found is None else found


def pages_file(project: Project, tei: str) -> Path:
    """The text pages of one witness as the last render made them, each with its key and look-ups
    (render_witness): read when the witness is rendered again."""
    return project.site_cache.parent / "site-cache-pages" / f"{tei}.pickle"


# The switch between the edited text and the transcription as received (docs/assets/edition.js)
READING_SWITCH = (
    '<button type="button" class="reading-switch ed" aria-pressed="false" title="Show the '
    "transcription's own readings where the edition corrected or normalised it (the transcription "
    'as received, not necessarily the printed page)">Show as received (transcription)</button>'
)


def around_texts(
    project, wits, present, state, by_siglum, everything, keep, bib_md, result: Result
) -> dict[str, str]:
    files: dict[str, str] = {}
    published = {w.siglum: publication(w, everything) for w in wits}
    for w in present:
        if w.tei not in state:
            continue
        counts = ""
        if published[w.siglum] == "excerpts":
            counts = (
                f"{len(keep.get(w.siglum, ()))} division(s) "
                f"or paragraph(s) are listed for {w.siglum}."
            )
        anchors = state[w.tei].get("anchors", {})
        evidence = [
            (i, f"{anchors[i][0].rsplit('/', 1)[-1]}#{anchors[i][1]}")
            for i in w.facts.get("stance_evidence", []) or []
            if i in anchors
        ]
        relations = app_overview(state, project, published, result).get(w.siglum, "")
        files[f"{landing.folder(w)}/index.md"] = landing.landing(
            w,
            [tuple(p) for p in state[w.tei]["pages"]],
            published[w.siglum],
            counts,
            evidence,
            relations,
            result.bib_notes,
        )
    files["edition/_witnesses.md"] = landing.home_witnesses(wits, set(by_siglum))
    files["edition/_rights.md"] = landing.rights_table(wits, published)
    shown = [w for w in wits if w.tei in state]
    files["edition/_downloads.md"] = landing.downloads_table(shown, published)
    files["edition/_downloads.json"] = json.dumps(landing.download_names(shown)) + "\n"
    log = changelog_md(project)
    if log is not None:
        files["edition/_changelog.md"] = log
    extra = []
    if bib_md is not None:
        files["edition/bibliography.md"] = bib_md
        extra.append(("edition/bibliography.md", "Bibliography"))
    app_overview(state, project, published, result)  # made here if no witness asked for it
    for rel, text in result.app_cache["pages"].items():
        files[f"edition/{rel}"] = text
        if rel.endswith("index.md"):
            extra.append(
                (f"edition/{rel}", "Apparatus")
            )  # other apparatus pages: not_in_nav (mkdocs.yml)
    extra += course_pages(project, state, files, everything, result)
    order = [w for w in wits if w.tei in state]
    entries = landing.nav(
        order, {w.siglum: [tuple(p) for p in state[w.tei]["pages"]] for w in order}, extra
    )
    files["edition/_nav.yml"] = yaml.safe_dump(
        site_nav.with_texts_page(entries), allow_unicode=True, sort_keys=False
    )
    files[site_nav.TEXTS_PAGE] = site_nav.texts_page(wits, set(by_siglum))
    return files


def course_pages(
    project: Project, state: dict, files: dict[str, str], everything: bool, result: Result
) -> list[tuple]:
    """The course pages (courses/*.yml → edition/courses/, site/courses.py) added to `files`; their
    nav entries. Reused from the last render when nothing they read has changed: the render's key
    (the toolchain's code and every shared input, the courses among them; the settings) and each
    witness's TEI and page plan (`state`)."""
    key = digest([], result.cache_key + json.dumps(state, sort_keys=True))
    old = result.old_cache.get("courses", {})
    if old.get("key") == key:
        files.update(old["files"])
        nav = [tuple(entry) for entry in old["nav"]]
    else:
        before = dict(files)
        nav = site_courses.pages(project, state, files, everything)
        made = {name: text for name, text in files.items() if before.get(name) != text}
        old = {"key": key, "files": made, "nav": nav}
    result.courses = old
    return nav


_APP_READER: dict = {}
# a block or a cell closed right before the next element opens: the search indexes (Material's,
# Pagefind's) would read the two texts as one word ("Witness</th><th>What" → "WitnessWhat")
# (the elements that part words: search.APART, the one list)
BLOCK_END = re.compile(rf"(</(?:{'|'.join(sorted(site_search.APART - {'br'}))})>)(?=<)")


def spaced(html: str) -> str:
    """The apparatus' HTML with a space after every block and cell that another element follows
    at once: the same page for the browser, words apart for the search indexes."""
    return BLOCK_END.sub(r"\1 ", html)


def app_overview(state: dict, project: Project, published: dict[str, str], result: Result) -> dict:
    """Each witness's overview of its relations, kept with the apparatus pages under the same key
    (made again only when what the apparatus pages depend on changes)."""
    if "overview" not in result.app_cache:
        kept = read_cache_file(app_parts_file(project))  # read only when the pages are made again
        previous = kept if kept.get("key") == result.app_cache["key"] else {}
        value, result.app_parts = app_reader(state, project, published, previous)
        result.app_cache.update(value)
    return result.app_cache["overview"]


def app_reader(
    state: dict, project: Project, published: dict[str, str], previous: dict | None = None
) -> tuple[dict, dict]:
    """The apparatus' pages (loci, index, parallel views, in-place comparisons) and each witness's
    overview of its relations, made once per render from the same reading of the corpus; and their
    parts, each with what it read. `previous`, the parts of an earlier render under the same
    `app_key`: a part whose reads all find what they found then is reused (Reader.fragment)."""
    key = (str(project.tei_dir), json.dumps(published, sort_keys=True), id(state))
    if _APP_READER.get("key") != key:
        titles = {src: title for st in state.values() for src, title in st["pages"]}
        full = {s for s, how in published.items() if how == "full"}

        def locate(file: str, ident: str) -> str | None:
            found = state.get(file, {}).get("anchors", {}).get(ident)
            return found[0].removeprefix("edition/") if found else None

        rd = app_render.reader(
            project.tei_dir, locate, lambda file, page: titles.get(f"edition/{page}"), full
        )
        corpus, rd.corpus = rd.corpus, app_reads.Recorded(rd.corpus)  # what the pages read
        previous = previous or {}
        rd.previous, rd.made = previous.get("parts", {}), {}
        rd.unchanged = app_reads.unchanged(corpus, previous.get("reads", {}))
        files = app_render.pages(rd=rd)
        files.update(parallel.pages(rd))
        files = {name: spaced(text) for name, text in files.items()}
        overview = {
            s: spaced(app_render.overview(s, rd)) for s in {x for l in rd.loci for x in l.sigla}
        }
        value = {
            "pages": files,
            "overview": overview,
            "reads": app_reads.as_list(rd.corpus.reads),
            "reads_digest": app_reads.digest(corpus, rd.corpus.reads),
        }
        parts = {
            "parts": rd.made,
            "reads": app_reads.fingerprints(corpus, rd.corpus.reads),
        }
        _APP_READER.clear()
        _APP_READER.update(key=key, value=(value, parts))
    return _APP_READER["value"]


def app_pages(state: dict, project: Project = Project()) -> dict[str, str]:
    """The apparatus pages; they get locate(file, id) → the page holding that id, relative to
    docs/edition/ (e.g. "getty/G.c6.md"), or None."""

    def locate(file: str, ident: str) -> str | None:
        found = state.get(file, {}).get("anchors", {}).get(ident)
        return found[0].removeprefix("edition/") if found else None

    return app_render.pages(project.tei_dir, locate=locate)


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
        return json.loads(project.site_cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def app_cache_file(project: Project) -> Path:
    """The apparatus pages of the last render, apart from the witnesses' state: most renders after
    an edit make them again and need not read them. Pickled (5 MB: a third of JSON's time); read
    with `read_cache_file`."""
    return project.site_cache.with_name("site-cache-apparatus.pickle")


def app_parts_file(project: Project) -> Path:
    """The parts of the apparatus pages of the last render, each with what it read of the corpus
    (app_reader): read only by a render that makes the pages again."""
    return project.site_cache.with_name("site-cache-apparatus-parts.pickle")


def app_snapshot(app_cache: dict) -> tuple:
    return (
        app_cache.get("key"),
        json.dumps(app_cache.get("shas"), sort_keys=True),
        tuple(sorted(app_cache)),
        tuple(sorted(app_cache.get("marks", {}))),
    )


def save_cache(project: Project, result: Result) -> None:
    project.site_cache.parent.mkdir(parents=True, exist_ok=True)
    if result.app_loaded != app_snapshot(result.app_cache):  # made or grown in this render
        write_cache_file(app_cache_file(project), result.app_cache)
    if result.app_parts is not None:
        write_cache_file(
            app_parts_file(project), {"key": result.app_cache["key"], **result.app_parts}
        )
    for tei, made in result.pages.items():
        path = pages_file(project, tei)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cache_file(path, {"pages": made})
    project.site_cache.write_text(json.dumps(result.cache), encoding="utf-8")


# --- where an id is published -------------------------------------------------------------------
_PLANS: dict[
    tuple[Path, bool], tuple[tuple, dict]
] = {}  # (root, everything) → (inputs' stamp, plan)


def inputs_stamp(project: Project) -> tuple:
    """mtime and size of everything the plan depends on: cheap enough to ask on every url_for
    call."""
    paths = (
        PLAN_CODE
        + [project.manifest, project.excerpts]
        + sorted((project.root / "tei").glob("*.xml"))
    )
    return tuple(
        (str(p), s.st_mtime_ns, s.st_size) for p in paths for s in [p.stat()] if p.exists()
    )


def remember_plan(project: Project, everything: bool, state: dict) -> None:
    _PLANS[(project.root, everything)] = (inputs_stamp(project), state)


def plan(project: Project = Project(), everything: bool | None = None) -> dict[str, dict]:
    """TEI file name → its plan (pages, the page of each id): from memory, else from the render
    cache where it is current, else by loading the witnesses whose plan is not known (nothing is
    written)."""
    everything = publish_all(everything)
    stamp = inputs_stamp(project)
    known = _PLANS.get((project.root, everything))
    if known and known[0] == stamp:
        return known[1]
    cache = read_cache(project)
    old = cache.get("witnesses", {}) if cache.get("plan") == plan_key(project, everything) else {}
    wits, _ = manifest.load(project.manifest)
    keep, _ = excerpt_ids(project)
    state = {}
    for w in wits:
        if not project.tei(w).exists():
            continue
        sha = hashlib.sha256(project.tei(w).read_bytes()).hexdigest()
        if old.get(w.tei, {}).get("sha") == sha and "root" in old[w.tei]:
            state[w.tei] = old[w.tei]
            continue
        doc = witness_doc(project, w, everything, keep)
        if doc is not None:
            state[w.tei] = witness_state(w, doc, sha)
    _PLANS[(project.root, everything)] = (stamp, state)
    return state


_ONE_PLANS: dict[tuple, tuple[tuple, dict]] = {}


def witness_plan(
    file: str, project: Project = Project(), everything: bool | None = None
) -> dict[str, dict]:
    """The plan of one TEI file, as plan() gives it ({file: state}, or {} if the site does not show
    it), without loading the other witnesses: for a course pack, which links into a few of them."""
    everything = publish_all(everything)
    known = _PLANS.get((project.root, everything))
    if known and known[0] == inputs_stamp(project):
        return {file: known[1][file]} if file in known[1] else {}
    w = next((w for w in manifest.load(project.manifest)[0] if w.tei == file), None)
    if w is None or not project.tei(w).exists():
        return {}
    sha = hashlib.sha256(project.tei(w).read_bytes()).hexdigest()
    key, stamp = (project.root, everything, file), (sha, plan_key(project, everything))
    hit = _ONE_PLANS.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    cache = read_cache_file(project.site_cache)
    old = cache.get("witnesses", {}).get(file, {}) if cache.get("plan") == stamp[1] else {}
    kept = read_cache_file(_plan_file(project)).get(
        file, {}
    )  # a course build's own, keyed the same way
    if old.get("sha") == sha and "root" in old:
        state = {file: old}
    elif kept.get("stamp") == [*stamp, everything]:
        state = kept["state"]
    else:
        doc = witness_doc(project, w, everything, excerpt_ids(project)[0])
        state = {file: witness_state(w, doc, sha)} if doc is not None else {}
        _write_plan(project, file, {"stamp": [*stamp, everything], "state": state})
    _ONE_PLANS[key] = (stamp, state)
    return state


def _plan_file(project: Project) -> Path:
    return project.site_cache.with_name("plan-cache.json")  # build/: never committed


_CACHE_FILES: dict[Path, tuple[bytes, dict]] = {}


def read_cache_file(path: Path) -> dict:
    """A cache file (JSON, or a pickle for the apparatus' large ones), parsed once per content (a
    digest of its bytes: a file rewritten within one tick of the file system's clock with the same
    size is still read again). A file that cannot be read is an empty cache."""
    try:
        raw = path.read_bytes()
        stamp = hashlib.blake2b(raw, digest_size=16).digest()
        if path in _CACHE_FILES and _CACHE_FILES[path][0] == stamp:
            return _CACHE_FILES[path][1]
        data = pickle.loads(raw) if path.suffix == ".pickle" else json.loads(raw)  # noqa: S301
    except (OSError, ValueError, pickle.UnpicklingError, EOFError, TypeError, AttributeError):
        return {}
    if not isinstance(data, dict):
        return {}
    _CACHE_FILES[path] = (stamp, data)
    return data


def write_cache_file(path: Path, data: dict) -> None:
    """Write a cache file that `read_cache_file` reads (pickled where its name says so)."""
    if path.suffix == ".pickle":
        path.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    else:
        path.write_text(json.dumps(data), encoding="utf-8")
    _CACHE_FILES.pop(path, None)


def _write_plan(project: Project, file: str, entry: dict) -> None:
    """Remember one witness's plan (keyed on its TEI's sha and everything the plan depends on), so
    that the next course pack need not load the witness; written whole, then renamed into place."""
    path = _plan_file(project)
    data = dict(read_cache_file(path))
    data[file] = entry
    _CACHE_FILES.pop(path, None)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout: the plan is computed again next time


def url_for(
    file: str, ident: str, project: Project | None = None, everything: bool | None = None
) -> str | None:
    """The public URL path of the page holding TEI id `ident` of `file` (e.g. "getty.xml"), relative
    to the site root: "edition/getty/G.c6/#G.c6.p12"; None if the site does not show that id."""
    return site_urls.locate(plan(project or Project(), everything), file, ident)
