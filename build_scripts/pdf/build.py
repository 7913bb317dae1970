"""Selections of TEI passages → PDF through Typst: the whole edition, one per witness, course packs."""
from __future__ import annotations

import copy
import datetime
import functools
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import typst
import yaml
from lxml import etree

from build_scripts.bib import bibliography
from build_scripts.tei import teixml
from build_scripts.project import witnesses as manifest
from build_scripts.apparatus import edition, export, store
from build_scripts.problems import Failed, Location, Problem, relpath
from build_scripts.pdf.typst import Context, render, string
from build_scripts.tei.teixml import NS, ROOT, XML_ID, local

TEMPLATE = Path(__file__).parent / "templates" / "edition.typ"
OUT = ROOT / "pdf"
WORK = ROOT / "build" / "typst"
# Where the public site lives (the GitHub Pages address of the repository named in mkdocs.yml's
# repo_url); the permalinks printed in the PDFs start with it. A fork sets EDITION_SITE_URL.
SITE_URL = os.environ.get("EDITION_SITE_URL", "https://purges-edition.github.io/edition/").rstrip("/") + "/"
BLOCKS = {"p", "table", "cit", "quote", "list", "epigraph", "head", "listBibl", "divGen", "ab", "lg", "bibl"}


@dataclass
class Passage:
    witness: manifest.Witness
    elements: list[etree._Element]  # top-level blocks, in order
    path: str  # the TEI file, for messages
    label: str = ""  # e.g. "G.c6" or "K.art.p3–K.art.p9"


@dataclass
class Course:
    title: str
    subtitle: str | None = None
    course: str | None = None
    teacher: str | None = None
    apparatus: bool = True
    level: str = "substantive"  # substantive | all
    passages: list[Passage] = field(default_factory=list)
    docs: dict[str, etree._ElementTree] = field(default_factory=dict)  # TEI file name → the tree parsed once


# --- loading ------------------------------------------------------------------------------------------
def load_docs() -> tuple[dict[str, tuple[manifest.Witness, etree._ElementTree]], list[Problem]]:
    wits, problems = manifest.load()
    docs = {}
    for w in wits:
        doc, parse_problems = teixml.parse(w.tei_path)
        problems += parse_problems
        if doc is not None:
            docs[w.siglum] = (w, doc)
    return docs, problems


WITHHELD = (
    "[Passage withheld{pages}. The rights to the full text of this witness are not cleared, so the "
    "edition publishes only the excerpts the editors chose (see sources/excerpts.yml and the witness's "
    "page on the site).]"
)
WITHHOLDABLE = {"p", "table", "cit", "quote", "list", "listBibl", "epigraph", "lg", "ab", "floatingText", "bibl"}


def excerpts() -> dict[str, frozenset[str]]:
    """What the excerpted witnesses publish; a broken list stops the PDF with its file:line."""
    listed, problems = manifest.load_excerpts(ROOT / "sources" / "excerpts.yml")
    if problems:
        raise Failed(problems)
    return listed


def publish_all() -> bool:
    return os.environ.get("EDITION_PUBLISH_ALL", "") not in ("", "0", "false")


def published(witness: manifest.Witness, doc: etree._ElementTree) -> etree._ElementTree:
    """The witness as the public PDFs carry it: whole, or, for publication "excerpts", the listed
    passages with headings, each run of withheld passages replaced by one notice that keeps its pb."""
    if publish_all() or witness.fact("publication") != "excerpts":
        return doc
    keep = excerpts().get(witness.siglum, frozenset())
    doc = copy.deepcopy(doc)
    text = doc.find("tei:text", NS)
    for el in list(text.iter()):
        if not isinstance(el.tag, str) or local(el) not in WITHHOLDABLE or el.getparent() is None:
            continue
        if el.get(XML_ID) in keep or any(a.get(XML_ID) in keep for a in el.iterancestors()):
            continue
        if any(local(a) in WITHHOLDABLE for a in el.iterancestors()):
            continue  # inside a block already withheld
        parent = el.getparent()
        previous = el.getprevious()
        pages = [pb.get("n") for pb in el.iter(teixml.tei("pb")) if pb.get("n") and not any(local(a) == "note" for a in pb.iterancestors())]
        between = []
        while previous is not None and local(previous) == "pb":  # page breaks between withheld blocks
            between.append(previous)
            previous = previous.getprevious()
        if previous is not None and previous.get("type") == "withheld":
            pages = [pb.get("n") for pb in reversed(between) if pb.get("n")] + pages
            for pb in between:
                parent.remove(pb)
            notice = previous
        else:
            notice = etree.Element(teixml.tei("ab"), type="withheld")
            el.addprevious(notice)
        notice.set("n", " ".join(filter(None, [notice.get("n"), *pages])))
        notice.tail = el.tail
        parent.remove(el)
    for notice in text.iter(teixml.tei("ab")):
        if notice.get("type") == "withheld":
            pages = notice.attrib.pop("n", "").split()
            span = f", text of pp. {pages[0]}–{pages[-1]}" if len(pages) > 1 else (f", text of p. {pages[0]}" if pages else "")
            notice.text = WITHHELD.format(pages=span)
    return doc


def whole(witness: manifest.Witness, doc: etree._ElementTree) -> Passage:
    doc = published(witness, doc)
    text = doc.find("tei:text", NS)
    elements = [part for part in text if isinstance(part.tag, str)]
    return Passage(witness, elements, relpath(witness.tei_path), witness.siglum)


def _by_id(doc: etree._ElementTree, ident: str) -> etree._Element | None:
    found = doc.xpath("//*[@xml:id=$i]", i=ident)
    return found[0] if found else None


def passage_range(doc: etree._ElementTree, first: etree._Element, last: etree._Element) -> list[etree._Element]:
    """Blocks from `first` to `last` inclusive in document order, never a block inside another."""
    chosen: list[etree._Element] = []
    chosen_set: set[etree._Element] = set()
    inside = done = False
    for el in doc.find("tei:text", NS).iter():
        if not isinstance(el.tag, str):
            continue
        inside = inside or el is first
        if not inside:
            continue
        if done and last not in el.iterancestors():
            break
        nested = any(a in chosen_set for a in el.iterancestors())
        stray_head = local(el) == "head" and local(el.getparent()) != "div"
        if local(el) in BLOCKS and not nested and not stray_head:
            chosen.append(el)
            chosen_set.add(el)
        done = done or el is last
    return chosen


class _LineLoader(yaml.SafeLoader):
    """YAML loader that remembers the line of every mapping (for file:line messages)."""


def _mapping(loader, node):
    value = loader.construct_mapping(node, deep=True)
    value["__line__"] = node.start_mark.line + 1
    return value


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_course(path: Path) -> tuple[Course | None, list[Problem]]:
    rel = relpath(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except OSError as err:
        return None, [Problem(Location(rel), f"cannot read the course file: {err.strerror}", "Check the path (course files live in courses/)", "course.unreadable")]
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return None, [Problem(Location(rel, mark.line + 1 if mark else None), f"not valid YAML: {getattr(err, 'problem', err)}", "Fix the YAML syntax", "course.yaml")]
    if not isinstance(data, dict) or "title" not in data or not data.get("passages"):
        return None, [Problem(Location(rel, 1), "a course needs a title and a list of passages", "See courses/sample.yml for the format", "course.missing-key")]
    docs, problems = load_docs()
    app = data.get("apparatus", {}) or {}
    course = Course(
        title=str(data["title"]), subtitle=data.get("subtitle"), course=data.get("course"), teacher=data.get("teacher"),
        apparatus=bool(app.get("show", True)) if isinstance(app, dict) else bool(app),
        level=(app.get("level", "substantive") if isinstance(app, dict) else "substantive"),
    )
    course.docs = {w.tei: doc for w, doc in docs.values()}
    if course.level not in ("substantive", "all"):
        problems.append(Problem(Location(rel, data.get("__line__")), f"apparatus level {course.level!r} is unknown", "Use substantive or all", "course.level"))
    for spec in data["passages"]:
        passage, spec_problems = _passage(spec, docs, rel)
        problems += spec_problems
        if passage:
            course.passages.append(passage)
    return course, problems


def _passage(spec: dict, docs, rel: str) -> tuple[Passage | None, list[Problem]]:
    line = spec.get("__line__") if isinstance(spec, dict) else None
    where = Location(rel, line)
    siglum = spec.get("witness") if isinstance(spec, dict) else None
    if siglum not in docs:
        return None, [Problem(where, f"passage names witness {siglum!r}, which the edition does not have", f"Use one of {', '.join(sorted(docs))}", "course.unknown-witness")]
    witness, doc = docs[siglum]
    ids = [spec[k] for k in ("div", "from", "to", "id") if k in spec]
    missing = [i for i in ids if _by_id(doc, str(i)) is None]
    if missing:
        return None, [Problem(where, f"passage points to {', '.join(map(str, missing))}, which tei/{witness.tei} does not have", "Use an xml:id of that witness (shown as the permalink anchor on the site)", "course.unknown-id")]
    if "div" in spec or "id" in spec:
        label = str(spec.get("div") or spec.get("id"))
        blocks = [_by_id(doc, label)]
    elif "from" in spec:
        first, last = _by_id(doc, str(spec["from"])), _by_id(doc, str(spec.get("to", spec["from"])))
        blocks = passage_range(doc, first, last)
        label = f"{spec['from']}–{spec.get('to', spec['from'])}"
        if not blocks:
            return None, [Problem(where, f"{spec['from']} does not come before {spec.get('to')}", "Give from/to in document order", "course.empty-range")]
    else:
        return None, [Problem(where, "a passage needs div:, id: or from:/to:", "See courses/sample.yml", "course.missing-key")]
    if witness.fact("publication") == "excerpts" and not publish_all():
        blocks = listed_inside(blocks, excerpts().get(witness.siglum, frozenset()))
        if not blocks:
            return None, [Problem(where, f"passage {label} of {siglum} is withheld: the witness is published in excerpts and sources/excerpts.yml lists nothing inside it", "Choose a published passage, or set EDITION_PUBLISH_ALL=1 if you hold the rights to the full text", "course.withheld", "warning")]
    return Passage(witness, blocks, relpath(witness.tei_path), label), []


def listed_inside(blocks: list[etree._Element], listed: frozenset[str]) -> list[etree._Element]:
    """The published part of a passage of an excerpted witness: the listed elements inside it (or
    the blocks themselves when listed), in document order, each whole."""
    found: list[etree._Element] = []
    for block in blocks:
        for el in block.iter():
            if isinstance(el.tag, str) and el.get(XML_ID) in listed and not any(a in found for a in el.iterancestors()):
                found.append(el)
    return found


# --- rendering ------------------------------------------------------------------------------------------
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


def _chapter_of(el: etree._Element) -> etree._Element | None:
    divs = [a for a in el.iterancestors() if local(a) == "div"]
    return divs[-1] if divs else None


def head_text(head: etree._Element) -> str:
    """The words of a heading without its notes (a note on a title is printed at the heading, not in it)."""
    parts = [head.text or ""]
    for child in head:
        if local(child) != "note":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def passage_typst(passage: Passage, ctx: Context, course: bool) -> str:
    w = passage.witness
    parts = [f"\n#heading(level: 1)[{string(w.fact('short') or w.facts.get('short', w.siglum))}]\n"] if not course else []
    if course:
        short = w.facts.get("short", w.siglum)
        parts.append(f"\n#heading(level: 1)[{string(short)}]\n")
        chapter = _chapter_of(passage.elements[0])
        if chapter is not None and passage.elements[0] is not chapter:
            head = chapter.find("tei:head", NS)
            if head is not None:
                parts.append(f"\n#heading(level: 2)[{string(head_text(head))}]\n")
    for el in passage.elements:
        parts.append(render(el, ctx))
        if course:
            ident = el.get(XML_ID) or (el.getparent().get(XML_ID) if local(el) == "head" else None)
            if ident and local(el) != "head":
                parts.append(f'\n#passage-link("{permalink(w.tei, ident)}")\n')
    return "".join(parts)


def document_typst(title: str, passages: list[Passage], *, course: Course | None = None, extra: str = "") -> tuple[str, list[Problem], list[str]]:
    problems: list[Problem] = []
    keys: list[str] = []
    body = []
    for passage in passages:
        ctx = Context(passage.path, functools.partial(permalink, passage.witness.tei), heading_offset=1)
        body.append(passage_typst(passage, ctx, course is not None))
        problems += ctx.problems
        keys += ctx.cited_keys
    args = [f"title: {_str(title)}", f"date: {_str(datetime.date.today().isoformat())}"]
    if course:
        for name in ("subtitle", "course", "teacher"):
            if getattr(course, name):
                args.append(f"{name}: {_str(getattr(course, name))}")
    args.append("keywords: (\"Great Purges\", \"Soviet Union\", \"1937–1938\", \"critical edition\")")
    head = f'#import "edition-template.typ": *\n#show: edition.with({", ".join(args)})\n'
    return head + "".join(body) + extra, problems, keys


def _str(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def bibliography_typst(keys: list[str]) -> str:
    if not keys:
        return ""
    bib, _ = bibliography.load()
    entries = bib.formatted(sorted(set(keys)))
    if not entries:
        return ""
    items = "".join(f"\n#par(hanging-indent: 1.5em)[{string(e.text)}]\n" for e in entries)
    return f"\n#heading(level: 1)[Works cited]\n{items}"


def apparatus_entries(ids: set[str], level: str, docs: dict | None = None) -> list[dict]:
    """Apparatus loci touching the selected passages, as label + plain text (sigla, readings, variants
    or the editorial note). level "substantive": claims, citations, and quotations or reuse with at
    least one substantive variant; "all": every locus. Rejected entries are never printed.
    `docs` (TEI file name → tree): the witnesses already parsed for the PDF, not parsed again."""
    corpus, _ = edition.load(docs=docs)
    loci, _ = store.read(corpus.tei_dir / store.FILE)
    entries = []
    for locus in loci:
        if locus.decision == "rejected" or (locus.type == "shared-citation" and level != "all") or not any(r.passage in ids for r in locus.readings):
            continue
        record = export.record(locus, corpus)
        variants = record["variants"]
        if level == "substantive" and locus.type in ("quotation", "reuse") and not any(v["kind"] == "substantive" for v in variants):
            continue
        readings = "; ".join(f"{r.siglum} ({r.passage}): “{_clip(r.text)}”" for r in locus.readings)
        parts = [readings]
        if variants:
            shown = [v for v in variants if level == "all" or v["kind"] == "substantive"]
            parts.append("Variants: " + "; ".join(f"{v['a'] or '—'} ] {v['b'] or '—'} ({v['kind']})" for v in shown[:12]))
        if locus.verdict:
            parts.append(f"Verdict: {locus.verdict}.")
        parts += list(getattr(locus, "findings", ()))
        parts += list(locus.notes)
        label = f"{locus.type} {'/'.join(dict.fromkeys(locus.sigla))}"
        entries.append({"label": label, "text": " ".join(parts), "id": locus.id})
    return entries


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def apparatus_typst(passages: list[Passage], level: str, docs: dict | None = None) -> str:
    ids = {el.get(XML_ID) for p in passages for block in p.elements for el in block.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
    entries = apparatus_entries(ids, level, docs)
    if not entries:
        return ""
    blocks = "".join(f"\n#app-entry({_str(e['label'])}, [{string(e['text'])}])\n" for e in entries)
    intro = string(f"Apparatus entries of tei/apparatus.xml that involve the passages above ({level}). Sigla: G Getty, K Khlevnyuk, M Martens, S Stalin Society, E Emelyanov.")
    return f"\n#heading(level: 1)[Apparatus]\n{intro}\n{blocks}"


def compile_pdf(name: str, source: str, out_dir: Path = OUT) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    shutil.copy(TEMPLATE, WORK / "edition-template.typ")
    typ = WORK / f"{name}.typ"
    typ.write_text(source, encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.pdf"
    tmp = target.with_suffix(".pdf.tmp")
    try:
        typst.compile(str(typ), output=str(tmp), root=str(WORK), format="pdf", pdf_standards=["ua-1"])
    except typst.TypstError as err:
        tmp.unlink(missing_ok=True)
        message = str(err).splitlines()[0] if str(err) else "Typst failed"
        raise Failed([Problem(Location(relpath(typ)), f"Typst could not typeset {name}: {message}", "This is a bug of the PDF renderer (build_scripts/pdf/typst.py); report it with the .typ file", "pdf.typst")]) from None
    tmp.replace(target)
    return target


def build_witnesses(sigla: list[str] | None = None, out_dir: Path = OUT) -> tuple[list[Path], list[Problem]]:
    docs, problems = load_docs()
    written = []
    chosen = [s for s in docs if not sigla or s in sigla]
    for siglum in chosen:
        w, doc = docs[siglum]
        source, render_problems, keys = document_typst(w.fact("title"), [whole(w, doc)])
        problems += render_problems
        written.append(compile_pdf(Path(w.tei).stem, source + bibliography_typst(keys), out_dir))
    if not sigla:
        passages = [whole(*docs[s]) for s in ("G", "K", "M", "S", "E") if s in docs]
        source, render_problems, keys = document_typst("The Great Purges, 1937–1938: five texts", passages)
        written.append(compile_pdf("edition", source + bibliography_typst(keys), out_dir))
    return written, problems


def build_course(path: Path, out_dir: Path = OUT) -> tuple[Path | None, list[Problem]]:
    course, problems = load_course(path)
    if course is None or any(p.severity == "error" for p in problems):
        return None, problems
    source, render_problems, keys = document_typst(course.title, course.passages, course=course)
    extra = apparatus_typst(course.passages, course.level, course.docs) if course.apparatus else ""
    extra += bibliography_typst(keys)
    return compile_pdf(f"course-{path.stem}", source + extra, out_dir), problems + render_problems
