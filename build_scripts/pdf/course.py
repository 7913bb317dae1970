"""Course packs (courses/*.yml) → PDF through Typst, as a teacher hands them out.

The course is read and checked by build_scripts.site.course_schema (the same reading the site page
and `edition check` use). This module lays it out: the teacher's introduction, sessions with their
questions, each passage with a citation line, its paragraph numbers in the margin (the edition's
ids without the siglum) and a notice wherever the publication setting withholds text; then the
apparatus entries of the printed passages (confirmed ones unless the course asks for unreviewed
ones too), claims as small tables of who says what; then the works cited, the witnesses included.
Witness text goes through the edition's Typst renderer (pdf/typst.py); the teacher's text is the
Markdown subset of course_schema.inline, escaped here.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from build_scripts.apparatus import edition as app_edition, export, store
from build_scripts.bib import bibliography
from build_scripts.pdf import build
from build_scripts.pdf import typst
from build_scripts.pdf.typst import Context, render, string
from build_scripts.tei.load import Loader
from build_scripts.project import witnesses as manifest
from build_scripts.problems import Location, Problem, relpath
from build_scripts.site import course_schema as schema
from build_scripts.site import render as site_render
from build_scripts.site import urls as site_urls
from build_scripts.tei.teixml import XML_ID

TYPES = {
    "claim": "Claim",
    "quotation": "Quotation",
    "reuse": "Reuse",
    "citation": "Citation",
    "shared-citation": "Shared citation",
}


def site_url(course: schema.Course) -> str:
    """The course's page on the public site (site/courses.py writes it)."""
    return f"{build.SITE_URL}edition/courses/{course.name}/"


_PLAN: dict = {}  # TEI file → its plan on the site, read once per pack (build_course clears it)


def permalink(passage_or_tei, ident: str, el: etree._Element | None = None) -> str:
    """The public URL of `ident` (build.permalink, with the site's page plan read once)."""
    tei = getattr(getattr(passage_or_tei, "witness", None), "tei", passage_or_tei)
    if tei not in _PLAN:  # only the witnesses the pack links into are planned
        _PLAN[tei] = site_render.witness_plan(tei)
    plan = _PLAN[tei]
    url = site_urls.locate(plan, tei, ident)
    if url is None and el is not None:  # withheld text: the nearest division the site shows
        for a in el.iterancestors():
            url = site_urls.locate(plan, tei, a.get(XML_ID)) if a.get(XML_ID) else None
            if url:
                break
    if url is None:
        return f"{build.SITE_URL}edition/{tei.removesuffix('.xml')}/"
    return build.SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def teacher(text: str) -> str:
    """The teacher's Markdown subset → Typst content; every character of the text is escaped."""
    parts = []
    for style, words, url in schema.inline(text):
        if style == "par":
            parts.append("\n\n")
            continue
        piece = string(words) if words.strip() else " "
        if "em" in style.split():
            piece = f"#emph[{piece}]"
        if "strong" in style.split():
            piece = f"#strong[{piece}]"
        if url:
            piece = (
                f"#link({_q(url)})[{piece}]" if url.startswith(("http://", "https://")) else piece
            )
        parts.append(piece)
    return "".join(parts)


# --- the body ------------------------------------------------------------------------------------
def passage_heading(p: schema.Passage) -> str:
    title = schema.short(p.witness) + (f": {p.chapter}" if p.chapter else "")
    return f"\n#heading(level: 2)[{string(title)}]\n"


def citation_line(p: schema.Passage) -> str:
    """How to cite the passage: witness, printed pages, paragraph numbers, permalink."""
    ids = [i for b in p.blocks if b.kind != "head" for i in b.ids]
    paras = ""
    if ids:
        first, last = schema.paragraph_label(ids[0]), schema.paragraph_label(ids[-1])
        paras = f"¶ {first}" if first == last else f"¶¶ {first}–{last}"
    where = ", ".join(x for x in (schema.pages_label(p.pages), paras) if x)
    cite = f"{p.witness.facts.get('short') or p.witness.siglum}" + (f", {where}" if where else "")
    url = permalink(p, p.first)
    return f"\n#cite-line({_q(cite + '.')}, {_q(url)})\n"


def withheld_notice(p: schema.Passage, block: schema.Block) -> str:
    ids = [schema.paragraph_label(i) for i in block.ids]
    span = (f"¶ {ids[0]}" if len(ids) == 1 else f"¶¶ {ids[0]}–{ids[-1]}") if ids else ""
    where = ", ".join(x for x in (span, schema.pages_label(block.pages)) if x)
    url = permalink(p, block.ids[0], block.element) if block.ids else site_url_of_witness(p)
    text = (
        f"Passage not reproduced for rights reasons{f' ({where})' if where else ''}: the "
        f"edition publishes only excerpts of {schema.short(p.witness)}. Read it at "
    )
    after = (
        " (the edition's page, which names what is withheld) or in the printed text (Works cited)."
    )
    return f"\n#withheld[{string(text)}#link({_q(url)})[{string(url)}]{string(after)}]\n"


def site_url_of_witness(p: schema.Passage) -> str:
    return f"{build.SITE_URL}edition/{p.witness.tei.removesuffix('.xml')}/"


def block_typst(p: schema.Passage, block: schema.Block, ctx: Context) -> str:
    if block.kind == "withheld":
        return withheld_notice(p, block)
    el = block.element
    node = Loader(ctx.path).node(el)  # the shared processing model (tei/rules.py → tei/model.py)
    if node is None:
        return ""
    if block.kind == "head":
        parent = el.getparent()
        return typst.heading(node, min(2 + max(block.level, 1), 6), ctx, parent.get(XML_ID))
    ident = el.get(XML_ID)
    mark = (
        f"\n#para-num({_q(schema.paragraph_label(ident))}, {_q(permalink(p, ident))})\n"
        if ident
        else ""
    )
    return mark + render((node,), ctx)


def passage_typst(p: schema.Passage, ctx: Context) -> str:
    parts = [passage_heading(p)]
    if p.note:
        parts.append(f"\n#teacher-note[{teacher(p.note)}]\n")
    parts.append(citation_line(p))
    parts += [block_typst(p, b, ctx) for b in p.blocks]
    return "".join(parts)


def body_typst(course: schema.Course) -> tuple[str, list[Problem], list[str]]:
    parts, problems, keys = [], [], []
    if course.introduction:
        parts.append(
            f"\n#heading(level: 1)[Introduction]\n#teacher-text[{teacher(course.introduction)}]\n"
        )
    for k, session in enumerate(course.sessions, 1):
        title = f"Session {k}: {session.title}" if session.title else "Passages"
        parts.append(f"\n#heading(level: 1)[{string(title)}]\n")
        if session.introduction:
            parts.append(f"\n#teacher-text[{teacher(session.introduction)}]\n")
        if session.questions:
            items = ", ".join(f"[{teacher(q)}]" for q in session.questions)
            parts.append(f"\n#questions(({items},))\n")
        for p in session.passages:
            ctx = Context(relpath(p.witness.tei_path), functools.partial(permalink, p))
            parts.append(passage_typst(p, ctx))
            problems += ctx.problems
            keys += ctx.cited_keys
    return "".join(parts), problems, keys


# --- apparatus for students ----------------------------------------------------------------------
def apparatus_typst(course: schema.Course) -> str:
    entries = apparatus_entries(course)
    if not entries:
        return ""
    which = "confirmed by the editors" + (
        ", and entries no editor has reviewed yet (marked)" if course.unreviewed else ""
    )
    intro = (
        f"Where the witnesses quote, reuse, cite or contradict one another in the passages "
        f"printed above: the entries of the edition's apparatus {which}. Each names the "
        f"witnesses with their printed pages (p.) and paragraph numbers (¶)."
    )
    return f"\n#heading(level: 1)[Apparatus]\n{string(intro)}\n" + "".join(entries)


def apparatus_entries(course: schema.Course) -> list[str]:
    printed = {
        el.get(XML_ID)
        for p in course.passages
        for block in p.printed
        for el in block.iter()
        if isinstance(el.tag, str) and el.get(XML_ID)
    }
    loci, _ = store.read(build.ROOT / "tei" / store.FILE)
    corpus = functools.cache(lambda: app_edition.load(docs=course.docs)[0])  # only for variants
    wits, _ = manifest.load()
    by_file = {w.tei: w for w in wits}
    out = []
    for locus in loci:
        wanted = locus.decision == "confirmed" or (
            course.unreviewed and locus.decision == "unreviewed"
        )
        if not wanted or not any(r.passage in printed for r in locus.readings):
            continue
        if (
            course.level == "substantive"
            and locus.type not in ("claim", "citation")
            and (locus.type == "shared-citation" or not export.substantive(locus, corpus()))
        ):
            continue
        rows = []
        for r in locus.readings:
            w = by_file.get(r.file)
            who = schema.short(w) if w else r.siglum
            doc = course.docs.get(r.file)
            el = schema._by_id(doc, r.passage) if doc is not None else None
            page = schema._pages(doc).get(el) if el is not None else None
            where = ", ".join(
                x
                for x in (f"p. {page}" if page else "", f"¶ {schema.paragraph_label(r.passage)}")
                if x
            )
            rows.append(f"[{string(who)}], [{string(where)}], [{string(_clip(r.text))}]")
        head = TYPES.get(locus.type, locus.type)
        if locus.type == "claim" and locus.question:
            head += f": {locus.question}"
        status = (
            ""
            if locus.decision == "confirmed"
            else "Unreviewed machine entry: not checked by an editor."
        )
        lines = []
        if locus.type in ("quotation", "reuse"):
            variants = [
                v for v in export.variants_of(locus, corpus()) if v["kind"] == "substantive"
            ]
            if variants:
                lines.append(
                    "Substantive variants: "
                    + "; ".join(f"{v['a'] or '—'} ] {v['b'] or '—'}" for v in variants[:8])
                )
        if locus.verdict:
            lines.append(f"Verdict of the check against the cited page: {locus.verdict}.")
        lines += [f"Editors' note: {n}" for n in locus.notes]
        says = "Says" if locus.type == "claim" else "Words"
        out.append(
            f"\n#app-table({_q(head)}, ({', '.join(rows)},), says: {_q(says)}, "
            f"status: {_q(status)}, notes: ({''.join(f'[{string(x)}], ' for x in lines)}))\n"
        )
    return out


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


# --- works cited ---------------------------------------------------------------------------------
def html_typst(fragment: str) -> str:
    """A CSL-formatted entry (pandoc citeproc's HTML) → Typst, keeping italics, bold and links."""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")

    def walk(el) -> str:
        parts = [string(el.text)] if el.text else []
        for child in el:
            inner = walk(child)
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("i", "em") or "font-style:italic" in (child.get("style") or "").replace(
                " ", ""
            ):
                inner = f"#emph[{inner}]"
            elif tag in ("b", "strong"):
                inner = f"#strong[{inner}]"
            elif tag == "a" and (child.get("href") or "").startswith(("http://", "https://")):
                inner = f"#link({_q(child.get('href'))})[{inner}]"
            elif tag == "span" and "small-caps" in (child.get("style") or ""):
                inner = f"#smallcaps[{inner}]"
            parts.append(inner)
            if child.tail:
                parts.append(string(child.tail))
        return "".join(parts)

    return walk(root)


def works_cited(course: schema.Course, keys: list[str]) -> str:
    witness_keys = [p.witness.facts.get("bibkey") for p in course.passages]
    wanted = sorted(set(filter(None, witness_keys + keys)))
    if not wanted:
        return ""
    entries = bibliography.formatted(wanted)
    if not entries:
        return ""
    items = "".join(f"\n#bib-entry[{html_typst(e.html)}]\n" for e in entries)
    intro = string(
        "The texts of this pack (the witnesses) and the works their passages cite, in "
        "the edition's style (Chicago, notes and bibliography)."
    )
    return f"\n#heading(level: 1)[Works cited]\n{intro}\n{items}"


# --- the document ---------------------------------------------------------------------------------
def document(course: schema.Course) -> tuple[str, list[Problem]]:
    body, problems, keys = body_typst(course)
    args = [
        f"title: {_q(course.title)}",
        f"date: {_q(datetime.date.today().isoformat())}",
        f"site: {_q(site_url(course))}",
    ]
    for name in ("subtitle", "course", "teacher"):
        if getattr(course, name):
            args.append(f"{name}: {_q(getattr(course, name))}")
    args.append('keywords: ("Great Purges", "Soviet Union", "1937–1938", "course pack")')
    head = f'#import "edition-template.typ": *\n#show: course-pack.with({", ".join(args)})\n'
    extra = apparatus_typst(course) if course.apparatus else ""
    return head + body + extra + works_cited(course, keys), problems


def console(course: schema.Course) -> list[Problem]:
    """Nothing is cut silently: the count of withheld passages, said once more at the end (but for
    the passages marked `withheld: expected`, chosen knowingly)."""
    held = [p for p in course.passages if p.withheld and not p.withheld_expected]
    if not held:
        return []
    total = sum(p.withheld for p in held)
    return [
        Problem(
            Location(relpath(course.path)),
            f"{total} block(s) in {len(held)} passage(s) are not reproduced (publication in "
            "excerpts); the PDF prints a notice with a link in place of each run",
            "See the course.withheld lines above",
            "course.withheld-summary",
            "warning",
        )
    ]


def load(path: Path) -> tuple[schema.Course | None, list[Problem]]:
    return schema.load(path)


def build_course(path: Path, out_dir: Path | None = None) -> tuple[Path | None, list[Problem]]:
    _PLAN.clear()
    course, problems = schema.load(path)
    if course is None:
        return None, problems
    source, render_problems = document(course)
    pdf = build.compile_pdf(f"course-{course.name}", source, out_dir or build.OUT)
    return pdf, problems + render_problems + console(course)


def build_all(out_dir: Path | None = None, project=None) -> tuple[list[Path], list[Problem]]:
    """Every course of courses/ (CI and `edition build` publish them all)."""
    written, problems = [], []
    for path in schema.course_files(project):
        pdf, found = build_course(path, out_dir)
        problems += found
        if pdf:
            written.append(pdf)
    return written, problems
