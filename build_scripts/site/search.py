"""Search of the edition: a Pagefind index for the online site, Material's index for the rest.

The online site (`edition build`) is searched with Pagefind (site/pagefind/): the browser loads
only the index chunks and page fragments a query needs, results carry filters (witness, kind of
page) and metadata (witness, chapter), and docs/assets/search/search.js shows every occurrence in
context (keyword in context) linked to its paragraph. Pagefind cannot load from file://, so the
offline copy (and `edition serve`) keep Material's lunr search, tuned here: list pages out, titles
naming witness and chapter, transliteration variants (search_variants) and the digits of mixed
tokens ("00447" in "N00447") added to the index text.

The served pages are never changed for the index: each page is read, annotated in memory (the
`data-pagefind-*` attributes, hidden variants and digit runs) and handed to Pagefind with its URL.

Which pages are indexed, and as what kind:
  edition/<witness>/<page>/   text (a page of the witness; its notes page: notes)
  edition/<witness>/          editorial (the edition's description of the witness)
  edition/apparatus/<entry>/  apparatus (filtered by every witness it compares)
  everything else             editorial
Kept out (`kept_out`): the list pages of LIST_PAGES (each would match almost any query with one
run-on blob of text) and the parallel views of VIEWS (two witnesses' passages side by side: every
word of them is found on the witness's own page, where a result should lead, and on the locus page;
a view of A and B and its swapped twin would add two more results for the same words).
"""

from __future__ import annotations

import base64
import copy
import html
import json
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree
from lxml import html as lhtml

from build_scripts.problems import Location, Problem
from build_scripts.project import witnesses as manifest
from build_scripts.site import search_variants

ENGINE_KEY = "edition_search"  # config.extra[ENGINE_KEY]: "pagefind" for the online build
PAGEFIND_DIR = "pagefind"
LIST_PAGES = ("edition/apparatus/",)  # pages that list other pages: never indexed
VIEWS = re.compile(r"edition/apparatus/compare-[^/]+/\Z")  # parallel views: never indexed
NOT_PAGES = ("404.html", "pagefind/", "assets/", "downloads/", "search/")
KINDS = ("text", "notes", "apparatus", "editorial")
PASSAGE_CHARS = 3000  # a passage's text: small fragments to load, one result per passage
MIXED = re.compile(
    r"\b(?=\w*[^\W\d_])(?=\w*\d)\w+\b"
)  # a token of letters and digits: N00447, 1937a
DIGITS = re.compile(r"\d{2,}")
DIGIT = re.compile(r"\d")
MARK = "⟨{}⟩"  # an added index word; search.js shows the word it follows, never the mark
IGNORE = (
    "headerlink",
    "footnote-backref",
    "md-search-variants",
    "edition-meta",
    "reading-switch",
    "cite-button",
    "app-mark",
    "cite-box",
    "md-source-file",
)  # classes of elements that are not the text


@dataclass
class PageInfo:
    url: str  # site-relative directory URL: edition/getty/G.c6/
    kind: str
    witnesses: list[str] = field(default_factory=list)  # labels: "Getty 1985"
    chapter: str = ""
    who: str = ""  # what the page is, when it is no witness's page and not the apparatus

    @property
    def title(self) -> str:
        who = self.who or (
            "Apparatus" if self.kind == "apparatus" else ", ".join(self.witnesses) or "Edition"
        )
        return f"{who} · {self.chapter}" if self.chapter else who


def labels(root: Path) -> dict[str, str]:
    """siglum → short label naming the witness: "Getty 1985", "Stalin Society 2005"."""
    wits, _ = manifest.load(root / "sources" / "witnesses.yml")
    out = {}
    for w in wits:
        short = (w.fact("short") or w.fact("author") or w.siglum).split(",")[0].strip()
        out[w.siglum] = f"{short} {w.fact('date')}".strip()
    return out


def folder_labels(root: Path) -> dict[str, str]:
    """edition/<folder>/ → label, for the apparatus' links (folder = TEI file's stem)."""
    wits, _ = manifest.load(root / "sources" / "witnesses.yml")
    by_siglum = labels(root)
    return {Path(w.tei).stem: by_siglum[w.siglum] for w in wits}


def url_of(rel: str) -> str | None:
    """site-relative file → its directory URL, or None when it is not a page to index."""
    if not rel.endswith(".html") or rel.startswith(NOT_PAGES) or rel in NOT_PAGES:
        return None
    url = page_key(rel)
    return None if kept_out(url) else url


def kept_out(url: str) -> bool:
    """A page (directory URL) that no search index holds: a list page or a parallel view."""
    return url in LIST_PAGES or VIEWS.match(url) is not None


def page_key(location: str) -> str:
    """A page's directory URL from an index location or file, with directory URLs or not (the
    offline copy): edition/getty/G.c6/index.html, edition/getty/G.c6.html → edition/getty/G.c6/."""
    url = location.split("#")[0].removesuffix("index.html")
    if url.endswith(".html"):
        url = url.removesuffix(".html") + "/"
    return url


def kind_of(url: str) -> str:
    parts = url.strip("/").split("/")
    if parts[0] != "edition" or len(parts) < 2 or parts[1] == "bibliography":
        return "editorial"
    if parts[1] == "apparatus":
        return "apparatus"
    if len(parts) == 2:
        return "editorial"
    return "notes" if parts[2].endswith(".notes") else "text"


def heading(doc) -> str:
    h1 = doc.xpath("(//article//h1)[1]")
    if not h1:
        return ""
    text = "".join(t for t in h1[0].itertext() if t != "¶")
    return " ".join(text.split())


def info(rel: str, doc, sigla: dict[str, str], folders: dict[str, str]) -> PageInfo | None:
    url = url_of(rel)
    if url is None or not doc.xpath("//article"):
        return None
    kind = kind_of(url)
    page = PageInfo(url, kind, chapter=heading(doc))
    if kind == "apparatus":
        found = []
        for href in doc.xpath("//article//a/@href"):
            m = re.match(r"(?:\.\./)+([^/]+)/", href)
            if m and m.group(1) in folders and folders[m.group(1)] not in found:
                found.append(folders[m.group(1)])
        page.witnesses = found
    else:
        siglum = doc.xpath("string((//*[@data-siglum])[1]/@data-siglum)")
        if siglum:
            page.witnesses = [sigla.get(siglum, siglum)]
    if kind in ("text", "notes") and not page.witnesses:  # under edition/ but no witness's page
        page.kind = "editorial"  # (a course pack, a generated list)
    if "courses" in url.strip("/").split("/"):  # a course pack quotes witnesses but is none of them
        page.kind, page.witnesses, page.who = "editorial", [], "Course pack"
        page.chapter = page.chapter or "Course pack"
    if kind == "editorial" and len(url.strip("/").split("/")) == 2 and page.witnesses:
        page.chapter = "About this witness"
    return page


# --- the words added to the index ---------------------------------------------------------------
def mixed_digits(text: str) -> list[str]:
    """The digit runs inside tokens of letters and digits ("N00447" → ["00447"])."""
    return [d for token in MIXED.findall(text) for d in DIGITS.findall(token) if d != token]


def add_words(article, variants: dict[str, set[str]]) -> int:
    """Append to each text node of `article` the marked index words it lacks: the digit runs of
    its mixed tokens and the other spellings of its names. Returns how many were added."""
    added = 0

    def extra(text: str) -> str:
        """Each added word right after the word it belongs to (the context shown is the word's)."""
        nonlocal added

        def name(m: re.Match) -> str:
            nonlocal added
            more = sorted(variants.get(m.group(0), ()))
            added += len(more)
            return m.group(0) + "".join(" " + MARK.format(w) for w in more)

        def digits(m: re.Match) -> str:
            nonlocal added
            more = [d for d in DIGITS.findall(m.group(0)) if d != m.group(0)]
            added += len(more)
            return m.group(0) + "".join(" " + MARK.format(w) for w in more)

        if known is not None and known.search(text):  # else no name of the text has variants
            text = search_variants.NAME.sub(name, text)
        return MIXED.sub(digits, text) if DIGIT.search(text) else text  # a mixed token has a digit

    # (re caches the compiled pattern: the same variants give the same pattern on every page)
    known = re.compile("|".join(sorted(map(re.escape, variants)))) if variants else None
    for el in article.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and el.text.strip():
            el.text = extra(el.text)
        if el is not article and el.tail and el.tail.strip():
            el.tail = extra(el.tail)
    return added


@dataclass
class Passage:
    """A run of consecutive blocks of a page, indexed as one record (its own small fragment)."""

    anchor: str  # id of its first block (or of the heading it follows)
    kind: str
    section: str = ""
    page: str = ""  # printed page of its first paragraph
    blocks: list = field(default_factory=list)
    size: int = 0


def blocks_of(article) -> list[tuple[object, str]]:
    """(block, "text" | "notes") in reading order: the article's children, a footnote list's
    items."""
    out = []
    for child in article:
        if not isinstance(child.tag, str):
            continue
        classes = set(child.get("class", "").split())
        if classes & {"edition-meta", "reading-switch", "md-content__button", "md-source-file"}:
            continue
        if "footnote" in classes:
            out += [(li, "notes") for li in child.xpath(".//li")]
        else:
            out.append((child, "text"))
    return out


def passages(article, kind: str, target: int = PASSAGE_CHARS) -> list[Passage]:
    """The page cut into passages of about `target` characters, a new one at each heading and
    where the page's notes begin; a page that is not a witness's text stays one passage."""
    out: list[Passage] = []
    section, anchor, printed = "", "", ""
    for block, part in blocks_of(article):
        part = "notes" if kind == "notes" else (part if kind == "text" else kind)
        text = block.text_content()
        is_heading = block.tag in ("h1", "h2", "h3", "h4")
        if is_heading:
            section = " ".join(t for t in text.replace("¶", "").split())
        printed = block.get("data-page") or printed
        anchor = block.get("id") or anchor
        current = out[-1] if out else None
        split = kind in ("text", "notes") and (
            is_heading
            or current is None
            or current.kind != part
            or current.size + len(text) > target
        )
        if current is None or (split and current.size > 0):
            current = Passage(anchor, part, section, block.get("data-page") or printed)
            out.append(current)
        current.blocks.append(block)
        current.size += len(text.strip())
    return [p for p in out if p.size]


def holder(meta: dict[str, str], filters: dict[str, list[str]]):
    """A hidden element carrying Pagefind's metadata and filters (outside the indexed body)."""
    div = etree.Element("div", hidden="")
    for key, value in meta.items():
        if value:
            span = etree.SubElement(div, "span")
            span.set("data-pagefind-meta", key)
            span.text = value
    for key, values in filters.items():
        for value in values:
            span = etree.SubElement(div, "span")
            span.set("data-pagefind-filter", key)
            span.text = value
    return div


def records(doc, page: PageInfo, variants: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(url, html) of each passage of the page as Pagefind should index it (the served file is
    not changed)."""
    article = doc.xpath("//article")[0]
    for el in article.iter():
        if isinstance(el.tag, str) and set(el.get("class", "").split()) & set(IGNORE):
            el.set("data-pagefind-ignore", "all")
    out = []
    weight = "0.3" if page.chapter.strip().lower() == "index" else ""  # a book's index: names only
    for passage in passages(article, page.kind):
        body = etree.Element("main", {"data-pagefind-body": ""})
        if weight:
            body.set("data-pagefind-weight", weight)
        for block in passage.blocks:
            body.append(copy.deepcopy(block))
        # the page's layout after its last block is no text (and differs between the written
        # page and the page's content: build_scripts/site/search_beside.py reads the latter)
        body[-1].tail = None if not (body[-1].tail or "").strip() else body[-1].tail
        add_words(body, variants)
        lean(body)
        meta = {
            "title": page.title,
            "kind": passage.kind,
            "chapter": page.chapter,
            "witness": ", ".join(page.witnesses),
            "section": passage.section,
            "page": passage.page,
            "anchor": passage.anchor,
            "pageurl": page.url,
        }
        root = etree.Element("html", lang="en")
        etree.SubElement(etree.SubElement(root, "head"), "title").text = page.title
        bod = etree.SubElement(root, "body")
        bod.append(body)
        bod.append(holder(meta, {"witness": page.witnesses, "kind": [passage.kind]}))
        url = "/" + page.url + (f"#{passage.anchor}" if passage.anchor and out else "")
        out.append((url, lhtml.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")))
    return out


KEPT = ("id", "lang")  # of a record's attributes, besides data-pagefind-*: anchors, language
# elements whose text Pagefind joins to the next element's when no space stands between them in
# the HTML ("Witness</th><th>What it says" → "WitnessWhat")
APART = frozenset(
    "p div li dt dd td th tr caption figcaption blockquote h1 h2 h3 h4 h5 h6 br".split()
)


def lean(body: etree._Element) -> None:
    """Of a record, what Pagefind reads and nothing else: elements it would ignore are taken out
    (their tails kept), attributes other than ids and Pagefind's own are dropped (a quarter fewer
    bytes for Pagefind to parse), and a space ends every block and cell (the words of two cells
    stay two words)."""
    for el in list(body.iter()):
        if el is not body and el.tag in APART and not (el.tail or "")[:1].isspace():
            el.tail = " " + (el.tail or "")
        if el is not body and el.get("data-pagefind-ignore") == "all":
            parent = el.getparent()
            if el.tail:
                before = el.getprevious()
                if before is not None:
                    before.tail = (before.tail or "") + el.tail
                else:
                    parent.text = (parent.text or "") + el.tail
            parent.remove(el)
            continue
        for name in [n for n in el.attrib if n not in KEPT and not n.startswith("data-pagefind")]:
            del el.attrib[name]


def pages(site_dir: Path, root: Path):
    """(PageInfo, parsed page) of every page to index, in file order."""
    sigla, folders = labels(root), folder_labels(root)
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if url_of(rel) is None:
            continue
        doc = lhtml.fromstring(path.read_bytes())
        page = info(rel, doc, sigla, folders)
        if page is not None:
            yield page, doc


def all_variants(docs: list, root: Path) -> dict[str, set[str]]:
    groups = search_variants.listed_groups(root / "sources" / "transliterations.yml")
    names = set()
    for doc in docs:
        for article in doc.xpath("//article"):
            names |= search_variants.names_in(article.text_content())
    return search_variants.variant_map(names, groups)


def build_index(site_dir: Path, root: Path) -> list[Problem]:
    """site_dir/pagefind/: the Pagefind index of the built site. Each page is read and cut into
    passages, which Pagefind's own binary (the PyPI package pagefind[extended] ships it) indexes;
    a result links to its passage through the metadata `pageurl` and `anchor`, not through the
    record's own address. (`edition build` with MkDocs hands the same records to Pagefind while
    MkDocs runs: build_scripts/site/search_beside.py.)"""
    found = list(pages(site_dir, root))
    variants = all_variants([d for _, d in found], root)
    index = Pagefind()
    for page, doc in found:
        index.add_page(page, records(doc, page, variants))
    return index.write(site_dir / PAGEFIND_DIR)


class Pagefind:
    """Pagefind's binary in its service mode, as Pagefind's own Python and Node APIs drive it:
    messages of base64-encoded JSON, each ended by a comma, on its standard input; answers alike on
    its standard output. A record is parsed and indexed as soon as it is added, while the caller
    goes on making the next ones; `write` builds and writes the index. Pagefind's Python API waits
    0.1 s before reading each answer (70 s for this edition's 700 records); here a record is sent
    without waiting and a thread reads the answers.
    threads: how many the binary may use (default: one per core)."""

    def __init__(self, threads: int | None = None) -> None:
        self.problems: list[Problem] = []
        self.answers: dict[int, dict] = {}
        self.sent = 0
        self.ready = threading.Condition()
        self.index_id = 0
        self.reading_done = False
        self.writer: threading.Thread | None = None
        try:
            from pagefind.service import _must_get_executable

            binary = str(_must_get_executable())
        except (ImportError, FileNotFoundError) as err:
            self.run = None
            self.problems.append(
                Problem(
                    Location("requirements.txt"),
                    f"Pagefind is not installed ({err})",
                    "Run `make venv` (it installs pagefind[extended] from requirements.txt)",
                    "site.search",
                )
            )
            return
        self.run = subprocess.Popen(
            [binary, "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "RAYON_NUM_THREADS": str(threads)} if threads else None,
        )
        threading.Thread(target=self._read, daemon=True).start()
        answer = self._wait(self._send({"type": "NewIndex", "config": {"force_language": "en"}}))
        self.index_id = answer.get("index_id", 0)

    def add_page(self, page: PageInfo, made: list[tuple[str, str]]) -> None:
        """The records of one page (`records`), each under its own address (page URL + n.html)."""
        for n, (_, content) in enumerate(made):
            path = (PurePosixPath(page.url) / f"{n}.html").as_posix()
            self._send(
                {
                    "type": "AddFile",
                    "index_id": self.index_id,
                    "file_path": path,
                    "url": f"/{path}",
                    "file_contents": content,
                }
            )

    def write(self, out: Path) -> list[Problem]:
        """The index written to `out` (replaced) once every record is indexed; the binary ends."""
        self.start_writing(out)
        return self.wait()

    def start_writing(self, out: Path) -> None:
        """`write` begun in a thread of its own; `wait` ends it."""
        self.writer = threading.Thread(target=self._write, args=(out,))
        self.writer.start()

    def wait(self) -> list[Problem]:
        if self.writer is not None:
            self.writer.join()
        self.close()
        return self.problems

    def _write(self, out: Path) -> None:
        if self.run is None:
            return
        shutil.rmtree(out, ignore_errors=True)
        with self.ready:  # every record indexed first (answers come in any order)
            self.ready.wait_for(lambda: len(self.answers) >= self.sent or self.reading_done)
        message = {"type": "WriteFiles", "index_id": self.index_id, "output_path": str(out)}
        self._wait(self._send(message))

    def close(self) -> None:
        if self.run is not None:
            if self.run.stdin and not self.run.stdin.closed:
                try:
                    self.run.stdin.close()
                except OSError:
                    pass
            self.run.wait()
            self.run = None

    def _send(self, payload: dict) -> int:
        if self.run is None or self.problems:  # not started, or failed (said once)
            return 0
        self.sent += 1
        message = {"message_id": self.sent, "payload": payload}
        try:
            self.run.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
            self.run.stdin.flush()
        except OSError as err:  # the binary ended: its own message, if any, is said by _wait
            self._fail(f"Pagefind stopped ({err})")
            return 0
        return self.sent

    def _wait(self, message: int) -> dict:
        """The answer to `message` (its payload), or {} if the binary ended without one or the
        message was not sent (0)."""
        if not message:
            return {}
        with self.ready:
            self.ready.wait_for(lambda: message in self.answers or self.reading_done)
            payload = self.answers.get(message, {}).get("payload", {})
        if not payload:
            self._fail("Pagefind ended without an answer")
        return payload

    def _read(self) -> None:
        buffer = b""
        stream = self.run.stdout
        while chunk := stream.read1(1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for raw in messages:
                try:
                    answer = json.loads(base64.b64decode(raw))
                except ValueError:  # a line the binary printed that is not a message
                    continue
                payload = answer.get("payload") or {}
                if payload.get("type") == "Error":
                    self._fail(payload.get("message", "(no message)"))
                with self.ready:
                    self.answers[answer.get("message_id") or 0] = answer
                    self.ready.notify_all()
        with self.ready:
            self.reading_done = True
            self.ready.notify_all()

    def _fail(self, message: str) -> None:
        problem = Problem(
            Location("build_scripts/site/search.py"),
            f"the search index could not be made: {message}",
            "Run `edition build` again; if it persists, report it with this line",
            "site.search",
        )
        if not self.problems:  # the first failure only: what follows is its consequence
            self.problems.append(problem)


# --- Material's index (the offline copy and `edition serve`) ------------------------------------
def tune_material_index(
    index: dict, root: Path, site_dir: Path | None = None, prefixes: dict[str, str] | None = None
) -> int:
    """Material's search index made fit for the offline copy and `edition serve`: list pages out,
    each entry's title naming its witness and chapter (`prefixes`, page URL → "Witness · chapter",
    or read from the pages of `site_dir`), the transliteration variants and the digits of mixed
    tokens added (hidden). Returns how many variants were added."""
    docs = index.get("docs", [])
    index["docs"] = [d for d in docs if not kept_out(page_key(d.get("location", "")))]
    if prefixes is None and site_dir is not None:
        prefixes = title_prefixes(site_dir, root)
    if prefixes is not None:
        name_titles(index, prefixes)
    groups = search_variants.listed_groups(root / "sources" / "transliterations.yml")
    added = search_variants.augment(index, groups)
    for d in index["docs"]:
        extra = sorted(set(mixed_digits(search_variants.TAG.sub(" ", d.get("text", "")))))
        if extra:
            d["text"] = d["text"] + search_variants.HIDDEN.format(" ".join(extra))
    return added


def title_prefixes(site_dir: Path, root: Path) -> dict[str, str]:
    """page URL → "Witness · chapter", read from the built pages (for Material's index titles)."""
    return {page.url: page.title for page, _ in pages(site_dir, root)}


def name_titles(index: dict, prefixes: dict[str, str]) -> None:
    """Material's result titles: the page's entry becomes "Witness · chapter"; a section's entry
    "section — Witness · chapter"."""
    for d in index.get("docs", []):
        anchor = d.get("location", "").partition("#")[2]
        prefix = prefixes.get(page_key(d.get("location", "")))
        if not prefix:
            continue
        title = d.get("title", "")
        plain = html.unescape(search_variants.TAG.sub("", title)).strip()
        if not anchor or plain == prefix.split(" · ")[-1]:
            d["title"] = html.escape(prefix)
        elif prefix.split(" · ")[0] not in plain:
            d["title"] = f"{title} — {html.escape(prefix)}"
