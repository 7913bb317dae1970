"""Selections of TEI passages → PDF through Typst: the whole edition and one per witness; course
packs are made by build_scripts/pdf/course.py (build_course and load_course here call it)."""

from __future__ import annotations

import datetime
import functools
import shutil
from dataclasses import dataclass
from pathlib import Path

import typst
from lxml import etree

from build_scripts.bib import bibliography
from build_scripts.tei import teixml
from build_scripts.project import witnesses as manifest
from build_scripts.problems import Failed, Location, Problem, relpath
from build_scripts.pdf.typst import Context, render, string
from build_scripts.project.settings import settings
from build_scripts.tei import transforms
from build_scripts.tei.load import Loader, as_blocks, from_tree
from build_scripts.tei.teixml import NS, ROOT

TEMPLATE = Path(__file__).parent / "templates" / "edition.typ"
OUT = ROOT / "pdf"
WORK = ROOT / "build" / "typst"
# Where the public site lives (the GitHub Pages address of the repository named in mkdocs.yml's
# repo_url); the permalinks printed in the PDFs start with it. A fork sets EDITION_SITE_URL.
SITE_URL = settings().site_url
BLOCKS = {
    "p",
    "table",
    "cit",
    "quote",
    "list",
    "epigraph",
    "head",
    "listBibl",
    "divGen",
    "ab",
    "lg",
    "bibl",
}


@dataclass
class Passage:
    """A selection of one witness as the model the site renders too (tei/model.py)."""

    witness: manifest.Witness
    elements: list[etree._Element]  # the selected TEI blocks, in order (empty for a whole witness)
    path: str  # the TEI file, for messages
    label: str = ""  # e.g. "G.c6" or "K.art.p3–K.art.p9"
    nodes: tuple = ()  # the model of the selection, after the excerpt rule

    def __post_init__(self) -> None:
        if not self.nodes and self.elements:
            loader = Loader(self.path)
            nodes = tuple(n for n in (loader.node(el) for el in self.elements) if n is not None)
            self.nodes = as_blocks(nodes)


# --- loading ------------------------------------------------------------------------------------
def load_docs() -> tuple[dict[str, tuple[manifest.Witness, etree._ElementTree]], list[Problem]]:
    wits, problems = manifest.load()
    docs = {}
    for w in wits:
        doc, parse_problems = teixml.parse(w.tei_path)
        problems += parse_problems
        if doc is not None:
            docs[w.siglum] = (w, doc)
    return docs, problems


def excerpts() -> dict[str, frozenset[str]]:
    """What the excerpted witnesses publish; a broken list stops the PDF with its file:line."""
    listed, problems = manifest.load_excerpts(ROOT / "sources" / "excerpts.yml")
    if problems:
        raise Failed(problems)
    return listed


def publish_all() -> bool:
    return settings().publish_all


def published(witness: manifest.Witness, nodes: tuple) -> tuple:
    """The model as the public PDFs carry it: the site's excerpt rule (tei/transforms.py)."""
    if publish_all() or witness.fact("publication") != "excerpts":
        return nodes
    return transforms.withhold(nodes, excerpts().get(witness.siglum, frozenset()))


def whole(witness: manifest.Witness, doc: etree._ElementTree) -> Passage:
    document, _ = from_tree(doc.getroot(), relpath(witness.tei_path))
    nodes = published(witness, document.front + document.body + document.back)
    parts = [part for part in doc.getroot().find("tei:text", NS) if isinstance(part.tag, str)]
    return Passage(witness, parts, relpath(witness.tei_path), witness.siglum, nodes)


# --- rendering ----------------------------------------------------------------------------------
def permalink(file: str, ident: str) -> str:
    """The public URL of id `ident` of TEI file `file` (the site knows on which page an id lives).
    A link to another witness loses its file on the way (render_typst passes the id only), so an id
    the site does not find in `file` is looked up in the witness its siglum prefix names."""
    from build_scripts.site import render as site

    url = site.url_for(file, ident)
    if url is None:
        other = manifest.by_siglum(ident.split(".")[0])
        url = site.url_for(other.tei, ident) if other is not None else None
    if url:
        return SITE_URL.rstrip("/") + "/" + url.lstrip("/")
    return f"{SITE_URL}#{ident}"


def passage_typst(passage: Passage, ctx: Context) -> str:
    w = passage.witness
    parts = [f"\n#heading(level: 1)[{string(w.fact('short') or w.facts.get('short', w.siglum))}]\n"]
    parts += [render((node,), ctx) for node in passage.nodes]
    return "".join(parts)


def document_typst(
    title: str, passages: list[Passage], *, extra: str = ""
) -> tuple[str, list[Problem], list[str]]:
    problems: list[Problem] = []
    keys: list[str] = []
    body = []
    for passage in passages:
        ctx = Context(
            passage.path, functools.partial(permalink, passage.witness.tei), heading_offset=1
        )
        body.append(passage_typst(passage, ctx))
        problems += ctx.problems
        keys += ctx.cited_keys
    args = [f"title: {_str(title)}", f"date: {_str(datetime.date.today().isoformat())}"]
    args.append('keywords: ("Great Purges", "Soviet Union", "1937–1938", "critical edition")')
    head = f'#import "edition-template.typ": *\n#show: edition.with({", ".join(args)})\n'
    return head + "".join(body) + extra, problems, keys


def _str(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def bibliography_typst(keys: list[str]) -> str:
    if not keys:
        return ""
    entries = bibliography.formatted(sorted(set(keys)))
    if not entries:
        return ""
    items = "".join(f"\n#par(hanging-indent: 1.5em)[{string(e.text)}]\n" for e in entries)
    return f"\n#heading(level: 1)[Works cited]\n{items}"


def compile_pdf(name: str, source: str, out_dir: Path = OUT) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    shutil.copy(TEMPLATE, WORK / "edition-template.typ")
    typ = WORK / f"{name}.typ"
    typ.write_text(source, encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.pdf"
    tmp = target.with_suffix(".pdf.tmp")
    try:
        typst.compile(
            str(typ), output=str(tmp), root=str(WORK), format="pdf", pdf_standards=["ua-1"]
        )
    except typst.TypstError as err:
        tmp.unlink(missing_ok=True)
        message = str(err).splitlines()[0] if str(err) else "Typst failed"
        raise Failed(
            [
                Problem(
                    Location(relpath(typ)),
                    f"Typst could not typeset {name}: {message}",
                    "This is a bug of the PDF renderer "
                    "(build_scripts/pdf/typst.py); report it with the .typ file",
                    "pdf.typst",
                )
            ]
        ) from None
    tmp.replace(target)
    return target


NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def edition_title(count: int) -> str:
    """The whole edition's title, counting its witnesses (in words up to ten, as style has it)."""
    n = NUMBERS[count] if count < len(NUMBERS) else str(count)
    return f"The Great Purges, 1937–1938: {n} text{'s' if count != 1 else ''}"


def build_witnesses(
    sigla: list[str] | None = None, out_dir: Path = OUT
) -> tuple[list[Path], list[Problem]]:
    docs, problems = load_docs()
    written = []
    chosen = [s for s in docs if not sigla or s in sigla]
    for siglum in chosen:
        w, doc = docs[siglum]
        source, render_problems, keys = document_typst(w.fact("title"), [whole(w, doc)])
        problems += render_problems
        written.append(compile_pdf(Path(w.tei).stem, source + bibliography_typst(keys), out_dir))
    if not sigla:
        passages = [whole(*docs[s]) for s in docs]  # in the order of sources/witnesses.yml
        title = edition_title(len(passages))
        source, render_problems, keys = document_typst(title, passages)
        written.append(compile_pdf("edition", source + bibliography_typst(keys), out_dir))
    return written, problems


def load_course(path: Path):
    """A course file read and checked (build_scripts.site.course_schema; kept here for callers)."""
    from build_scripts.pdf import course

    return course.load(path)


def build_course(path: Path, out_dir: Path = OUT) -> tuple[Path | None, list[Problem]]:
    """A course pack (build_scripts/pdf/course.py does the work)."""
    from build_scripts.pdf import course

    return course.build_course(path, out_dir)


def build_courses(out_dir: Path = OUT) -> tuple[list[Path], list[Problem]]:
    """Every course of courses/."""
    from build_scripts.pdf import course

    return course.build_all(out_dir)
