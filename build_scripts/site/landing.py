"""sources/witnesses.yml facts + page plans → the generated pages around the texts.

A landing page per witness (facts with their certainty, kind, rights, publication, contents), the
witness list included in the home page, the rights table included in About, the navigation.
All text from the manifest is escaped like witness text.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from build_scripts.site.markdown import attr, escape
from build_scripts.project.witnesses import Witness

FACTS = (
    ("author", "Author"),
    ("translator", "Translator"),
    ("title", "Title"),
    ("series", "Series"),
    ("imprint", "Imprint"),
    ("date", "Date"),
    ("original", "Original edition"),
    ("reprint", "Reprint"),
    ("isbn", "ISBN"),
)
PUBLICATION = {
    "full": "The whole text is published on this site.",
    "excerpts": (
        "Only excerpts are published on this site: the "
        "divisions and paragraphs listed for this witness in "
        "`sources/excerpts.yml` (chosen by the editors), "
        "with all headings, the title page and the contents. "
        "Every other passage is replaced by a notice that "
        "keeps its page numbers and anchors, so citations "
        "and links still land in the right place."
    ),
}


DOWNLOADS = "downloads"  # site/downloads/: PDFs and the offline edition, made by `edition build`
WHOLE_PDF, SAMPLE_COURSE, OFFLINE_ZIP = "edition.pdf", "course-sample.pdf", "edition-offline.zip"


def pdf_name(witness: Witness) -> str:
    return witness.tei.removesuffix(".xml") + ".pdf"


def download_names(witnesses: list[Witness]) -> list[str]:
    """The files under site/downloads/ (the hooks give MkDocs a placeholder for each)."""
    return [WHOLE_PDF, *(pdf_name(w) for w in witnesses), SAMPLE_COURSE, OFFLINE_ZIP]


def downloads_table(witnesses: list[Witness], published: dict[str, str]) -> str:
    """The PDF list of About › Offline and PDF (links relative to docs/about/)."""

    def what(w: Witness) -> str:
        return (
            "the listed excerpts (as on the site)"
            if published.get(w.siglum) == "excerpts"
            else "the whole text"
        )

    rows = [
        "| Siglum | Witness | PDF | Contains |",
        "|---|---|---|---|",
        f"| all | The whole edition | [{WHOLE_PDF}](../{DOWNLOADS}/{WHOLE_PDF}) "
        "| the five texts, each as on the site |",
    ]
    rows += [
        f"| {escape(w.siglum)} | {escape(title(w))} | "
        f"[{pdf_name(w)}](../{DOWNLOADS}/{pdf_name(w)}) | {what(w)} |"
        for w in witnesses
    ]
    return "\n".join(rows) + "\n"


def folder(witness: Witness) -> str:
    return "edition/" + witness.tei.removesuffix(".xml")


def title(witness: Witness) -> str:
    return witness.facts.get("short") or witness.fact("title")


ALSO_SPELLED = re.compile(
    r"\s*\((?:also spelled|also written)\b[^)]*\)"
)  # a note on spelling, not a name


def cite_author(witness: Witness) -> str:
    """The author as a citation names it: the manifest's value without notes on other spellings."""
    return ALSO_SPELLED.sub("", witness.fact("author")).strip()


def cite_base(witness: Witness) -> str:
    """The witness as a plain citation begins, where references.bib has no entry for it."""
    return f"{cite_author(witness)}, {witness.fact('title')} ({witness.fact('date')})"


def witness_note(witness: Witness, notes: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """The witness as the first note of a Chicago notes-bibliography citation (text, HTML), from its
    references.bib entry (`bibkey` in the manifest), without the closing full stop: the page, the
    paragraph and the address are added per passage (edition.js). `notes`: each entry's note as
    the render formatted them (site.render.bibliography, cached with the bibliography page)."""
    key = witness.facts.get("bibkey")
    text, markup = notes.get(key, ("", "")) if key else ("", "")
    if not text:
        return cite_base(witness), attr(cite_base(witness))
    return text.rstrip(". "), markup.rstrip(". ")


def coins(witness: Witness) -> str:
    """A COinS span (OpenURL ContextObject): reference managers such as Zotero capture the witness
    from it."""
    fields = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
        ("rft.genre", "book"),
        ("rft.btitle", witness.fact("title")),
        ("rft.au", cite_author(witness)),
        ("rft.date", witness.fact("date")),
    ]
    if witness.fact("isbn"):
        fields.append(("rft.isbn", witness.fact("isbn")))
    return f'<span class="Z3988" title="{attr(urlencode(fields, quote_via=quote))}"></span>'


def meta_div(witness: Witness, notes: dict[str, tuple[str, str]]) -> str:
    """What edition.js needs to cite a passage (hidden), and the witness's COinS for reference
    managers (`notes`: see witness_note)."""
    text, markup = witness_note(witness, notes)
    return (
        f'<div class="edition-meta" hidden data-siglum="{attr(witness.siglum)}" '
        f'data-cite="{attr(text)}" data-cite-html="{attr(markup)}">{coins(witness)}</div>'
    )


def fact_rows(witness: Witness) -> list[str]:
    rows = ["| Fact | Value |", "|---|---|", f"| Siglum | {escape(witness.siglum)} |"]
    for key, label in FACTS:
        if key in witness.facts:
            value = escape(witness.fact(key))
            cert = witness.cert(key)
            note = witness.facts[key].get("note") if isinstance(witness.facts[key], dict) else None
            extra = f' <span class="cert cert-{cert}">certainty: {cert}</span>'
            rows.append(f"| {label} | {value}{extra}{' ' + escape(note) if note else ''} |")
    rows.append(f"| Kind | {escape(witness.facts.get('kind', ''))} |")
    rows.append(f"| Language | {escape(witness.fact('language'))} |")
    return rows


def relations(data: dict[str, list[dict]], titles: dict[str, str]) -> str:
    """ "Whom it quotes, who quotes it": the quotation and reuse loci of the apparatus, by
    witness."""

    def block(key: str, lead: str, other: str) -> list[str]:
        by: dict[str, list[dict]] = {}
        for item in data.get(key, []):
            by.setdefault(item["siglum"], []).append(item)
        if not by:
            return [f"{lead}: no passage found by the apparatus.", ""]
        out = [f"{lead}:", ""]
        for siglum in sorted(by):
            loci = ", ".join(
                f"[{escape(i[other])}](../apparatus/{i['locus']}.md)" for i in by[siglum]
            )
            out.append(
                f"- {escape(siglum)} · {escape(titles.get(siglum, siglum))}: "
                f"{len(by[siglum])} passage(s): {loci}"
            )
        return out + [""]

    lines = [
        "## Quotations and reuse",
        "",
        "From the apparatus (see [How to read the "
        "apparatus](../../about/apparatus.md)); each link is a locus, "
        "named by the passage of the other witness.",
        "",
    ]
    lines += block("quotes", "This witness quotes or reuses", "source")
    lines += block("quoted_by", "It is quoted or reused by", "target")
    return "\n".join(lines)


def landing(
    witness: Witness,
    pages: list[tuple[str, str]],
    published: str,
    counts: str,
    evidence: list[tuple[str, str]] = (),
    relations_md: str = "",
    notes: dict[str, tuple[str, str]] | None = None,
) -> str:
    """The witness page: what it is, its rights, what the site publishes, its contents.
    `evidence`: (id, link) of the passages the stance description rests on."""
    rights = witness.facts.get("rights", {})
    rests = (
        (
            "This description is the edition's, not the witness's; it rests on these passages: "
            + ", ".join(f"[{escape(i)}]({href})" for i, href in evidence)
            + "."
        )
        if evidence
        else ""
    )
    lines = [
        f"# {escape(title(witness))}",
        "",
        meta_div(witness, notes or {}),
        "",
        escape(witness.facts.get("stance", "")) + "\n{: .lede }",
        "",
        rests,
        "",
        *fact_rows(witness),
        "",
        f'!!! info "Rights: {attr(rights.get("status", "unknown"))}"',
        "",
        f"    {escape(rights.get('statement', ''))}",
        "",
        f"    **Publication setting: {escape(published)}.** {PUBLICATION.get(published, '')}"
        + (f" {escape(counts)}" if counts else ""),
        "",
        "**Download:** [this witness as "
        f"PDF](../../{DOWNLOADS}/{pdf_name(witness)}) (as published here), "
        f"or the [whole edition, offline or as PDF](../../about/offline.md).",
        "",
        f"The master text of this witness is the TEI file `tei/{witness.tei}`; "
        f"the transcription it was made from is `sources/{witness.file}`.",
        "",
        "## Contents",
        "",
    ]
    lines += [f"- [{escape(t)}]({src.rsplit('/', 1)[-1]})" for src, t in pages]
    if relations_md:
        lines += ["", relations_md]
    return "\n".join(lines) + "\n"


def home_witnesses(witnesses: list[Witness], available: set[str]) -> str:
    """The witness list of the home page (included by docs/index.md)."""
    out = []
    for w in witnesses:
        name = (
            f"[{escape(title(w))}]({folder(w)}/index.md)"
            if w.siglum in available
            else escape(title(w)) + " (not yet encoded)"
        )
        author = escape(
            w.fact("author") + (" (attributed)" if w.cert("author") != "high" else "")
        )  # uncertain: say so
        out.append(
            f"**{escape(w.siglum)}** · {name}  \n"
            f"*{author}, {escape(w.fact('date'))}* · {escape(w.facts.get('kind', ''))}. "
            f"{escape(w.facts.get('stance', ''))}"
        )
    return "\n\n".join(out) + "\n"


def rights_table(witnesses: list[Witness], published: dict[str, str]) -> str:
    rows = ["| Siglum | Witness | Rights | Statement | Published |", "|---|---|---|---|---|"]
    for w in witnesses:
        rights = w.facts.get("rights", {})
        rows.append(
            f"| {escape(w.siglum)} | {escape(title(w))} | {escape(rights.get('status', ''))} | "
            f"{escape(rights.get('statement', ''))} | "
            f"{escape(published.get(w.siglum, w.fact('publication')))} |"
        )
    return "\n".join(rows) + "\n"


def nav(
    witnesses: list[Witness], pages: dict[str, list[tuple[str, str]]], extra: list[tuple[str, str]]
) -> list:
    """Navigation entries for the generated pages (the hook appends them to mkdocs.yml's nav)."""
    texts = []
    for w in witnesses:
        if w.siglum in pages:
            entries = [f"{folder(w)}/index.md"] + [{t: src} for src, t in pages[w.siglum]]
            texts.append({f"{w.siglum} · {title(w)}": entries})
    out: list = [{"Texts": texts}] if texts else []
    out += [{t: src} for src, t in extra]
    return out
