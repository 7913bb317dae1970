"""courses/*.yml → one site page per course (edition/courses/<name>.md) and an index of them.

The page is the pack on the web: the teacher's introduction, sessions with their notes and
questions, and for each passage its citation line and a link to every paragraph in the edition
(withheld text is named as such, with the link to where the edition marks it). The PDF links here;
students click through to the edition. A course with errors gets no page (`edition check` says why).
"""

from __future__ import annotations

import json

from build_scripts.project.paths import Project
from build_scripts.site import course_schema as schema
from build_scripts.site.markdown import escape

FOLDER = "edition/courses"


def teacher_md(text: str) -> str:
    """The teacher's Markdown subset → escaped Markdown (emphasis, strong and links only)."""
    parts = []
    for style, words, url in schema.inline(text):
        if style == "par":
            parts.append("\n\n")
            continue
        piece = escape(words) if words.strip() else " "
        if "em" in style.split():
            piece = f"*{piece}*"
        if "strong" in style.split():
            piece = f"**{piece}**"
        if url.startswith(("http://", "https://")):
            piece = f"[{piece}]({url.replace(')', '%29').replace(' ', '%20')})"
        parts.append(piece)
    return "".join(parts)


def _link(plan: dict, page: str, tei: str, ident: str) -> str | None:
    """The relative link from the course page (edition/courses/<name>.md) to `ident`."""
    found = plan.get(tei, {}).get("anchors", {}).get(ident)  # [page src, anchor]
    if not found:
        return None
    src, anchor = found
    return f"../{src.removeprefix('edition/')}" + (f"#{anchor}" if anchor else "")


def page(course: schema.Course, plan: dict) -> str:
    lines = [f"# {escape(course.title)}", ""]
    if course.subtitle:
        lines += [f"*{escape(course.subtitle)}*", ""]
    who = " · ".join(escape(x) for x in (course.course, course.teacher) if x)
    if who:
        lines += [who, ""]
    lines += [
        f"The printed pack: [course-{course.name}.pdf](../../downloads/course-{course.name}.pdf)."
        " Each passage below links to its paragraphs in the edition.",
        "",
    ]
    if course.introduction:
        lines += [teacher_md(course.introduction), ""]
    for k, session in enumerate(course.sessions, 1):
        lines += [
            f"## {escape(f'Session {k}: {session.title}' if session.title else 'Passages')}",
            "",
        ]
        if session.introduction:
            lines += [teacher_md(session.introduction), ""]
        for p in session.passages:
            title = schema.short(p.witness) + (f": {p.chapter}" if p.chapter else "")
            lines += [f"### {escape(title)}", ""]
            if p.note:
                lines += [f"*Teacher's note.* {teacher_md(p.note)}", ""]
            where = schema.pages_label(p.pages)
            lines += [
                f"Cite as: {escape(p.witness.facts.get('short') or p.witness.siglum)}"
                + (f", {escape(where)}" if where else "")
                + ".",
                "",
            ]
            for block in p.blocks:
                lines += _block(block, p, plan)
            lines.append("")
        if session.questions:
            lines += ["**Questions for discussion**", ""]
            lines += [f"{i}. {teacher_md(q)}" for i, q in enumerate(session.questions, 1)]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _block(block: schema.Block, p: schema.Passage, plan: dict) -> list[str]:
    tei = p.witness.tei
    if block.kind == "head":
        return [f"- **{escape(schema.head_text(block.element))}**"]
    ids = [i for i in block.ids if i]
    label = ", ".join(f"¶ {schema.paragraph_label(i)}" for i in ids[:1] + ids[1:][-1:]) or "¶"
    if len(ids) > 1:
        label = f"¶¶ {schema.paragraph_label(ids[0])}–{schema.paragraph_label(ids[-1])}"
    link = next((x for i in ids[:1] for x in [_link(plan, "", tei, i)] if x), None)
    target = f"[{escape(label)}]({link})" if link else escape(label)
    if block.kind == "withheld":
        return [
            f"- {target}: *not reproduced for rights reasons* (the edition publishes only "
            "excerpts of this witness; read it in the printed text)."
        ]
    words = schema.element_text(block.element).split(" ")
    start = " ".join(words[:14]) + (" …" if len(words) > 14 else "")
    return [f"- {target}: {escape(start)}"]


def pages(
    project: Project, state: dict, files: dict[str, str], everything: bool | None = None
) -> list[tuple[str, str]]:
    """Add the course pages to `files` (and their PDFs to the downloads list); the nav entries."""
    paths = schema.course_files(project)
    if not paths:
        return []
    ed = schema.edition(project, everything)
    made = []
    for path in paths:
        course, _ = schema.load(path, ed)
        if course is None:
            continue
        files[f"{FOLDER}/{course.name}.md"] = page(course, state)
        made.append(course)
    if not made:
        return []
    index = [
        "# Course packs",
        "",
        "Passages chosen by teachers, in their order, with questions for "
        "discussion; each as a page with links into the edition and as a PDF to print. "
        "[How to make one](../../about/course-packs.md).",
        "",
    ]
    index += [
        f"- [{escape(c.title)}]({c.name}.md) · [PDF](../../downloads/course-{c.name}.pdf)"
        for c in made
    ]
    files[f"{FOLDER}/index.md"] = "\n".join(index) + "\n"
    listing = files.get("edition/_downloads.json")
    if listing is not None:
        names = json.loads(listing)
        names += [f"course-{c.name}.pdf" for c in made if f"course-{c.name}.pdf" not in names]
        files["edition/_downloads.json"] = json.dumps(names) + "\n"
    section = [f"{FOLDER}/index.md"] + [{c.title: f"{FOLDER}/{c.name}.md"} for c in made]
    return [(section, "Course packs")]  # landing.nav makes it {"Course packs": section}
