"""What every importer shares: the source text, the result, the TEI header and the id scheme."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from lxml import etree

from build_scripts.problems import Location, Problem
from build_scripts.tei.teixml import E, XML_ID, XML_LANG, local, tei
from build_scripts.project import witnesses as manifest
from build_scripts.project.witnesses import Witness


@dataclass(frozen=True)
class SourceText:
    path: str  # as users see it, e.g. sources/000_….txt
    text: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def at(self, line: int) -> Location:
        return Location(self.path, line)


@dataclass
class Furniture:
    line: int  # 1-based line in the transcription
    kind: str  # running-head, copyright-notice, navigation, page-number, ...
    text: str  # the line exactly as in the transcription


@dataclass
class Anomaly:
    target: str  # xml:id of the note (or other element) concerned
    text: str  # what is printed and what the TEI records


@dataclass
class ImportResult:
    front: list[etree._Element] = field(default_factory=list)
    body: list[etree._Element] = field(default_factory=list)
    back: list[etree._Element] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    normalisation: list[str] = field(
        default_factory=list
    )  # witness-specific editorialDecl paragraphs
    hyphenation: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- ids -------------------------------------------------------------------------------------
# Scheme (documented in CONTRIBUTING.md): <siglum>.<part>[.<kind><n>]...
#   top-level divisions get a part name from the importer (G.c6, G.intro, K.art, E.p2s3 ...);
#   inside, each element that needs an id is numbered per kind under its nearest ancestor with
#   an id: d = div, p = paragraph, n = note, t = table, q = quote.  G.c6.p12, G.c6.n3, K.art.n12.p1
KIND_LETTER = {"div": "d", "p": "p", "note": "n", "table": "t", "quote": "q"}


def assign_ids(root: etree._Element, siglum: str) -> None:
    """Give every div, p, note, table and quote without an xml:id the next id of the scheme."""
    counters: dict[tuple[str, str], int] = {}
    taken = {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        kind = KIND_LETTER.get(local(el))
        if kind is None or el.get(XML_ID):
            continue
        parent = el.getparent()
        while parent is not None and not parent.get(XML_ID):
            parent = parent.getparent()
        prefix = (
            parent.get(XML_ID) if parent is not None and parent.get(XML_ID) != siglum else siglum
        )
        key = (prefix, kind)
        while True:
            counters[key] = counters.get(key, 0) + 1
            candidate = f"{prefix}.{kind}{counters[key]}"
            if candidate not in taken:
                break
        el.set(XML_ID, candidate)
        taken.add(candidate)


# --- header ----------------------------------------------------------------------------------
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
NUMBER_WORDS = "no one two three four five six seven eight nine ten eleven twelve".split()


def count_words(n: int) -> str:
    """A count as the header's prose writes it: "five" texts (digits from 13 on)."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def _cert_el(tag: str, witness: Witness, name: str) -> etree._Element:
    el = E(tag, witness.fact(name))
    if witness.cert(name) != "high":
        el.set("cert", witness.cert(name))
    return el


def header(witness: Witness, source: SourceText, result: ImportResult) -> etree._Element:
    facts = witness.facts
    bibl = E.bibl(
        _cert_el("author", witness, "author"),
        _cert_el("title", witness, "title"),
        E.date(witness.fact("date"), when=witness.fact("date")),
    )
    for name, label in (("translator", "translator"),):
        if name in facts:
            bibl.append(E.editor(witness.fact(name), role=label))
    for name in ("series", "imprint", "isbn", "original", "reprint"):
        if name in facts:
            note = E.note(witness.fact(name), type=name)
            if witness.cert(name) != "high":
                note.set("cert", witness.cert(name))
            bibl.append(note)
    for name in ("author", "title"):
        note = facts[name].get("note") if isinstance(facts[name], dict) else None
        if note:
            bibl.append(E.note(note, type=f"{name}-certainty"))
    bibl.append(E.idno(f"sources/{witness.file}", type="source-file"))
    bibl.append(E.idno(witness.sha256, type="sha256"))
    if facts.get("bibkey"):
        bibl.set("corresp", f"bib:{facts['bibkey']}")
    rights = facts["rights"]
    availability = E.availability(
        E.licence(
            "The TEI encoding, apparatus and editorial "
            "text of this edition are licensed CC BY 4.0.",
            target=LICENCE,
        ),
        E.p(
            f"Source text: rights status {rights['status']}. {rights.get('statement', '')}".strip()
        ),
        E.p(
            "Publication setting of this edition: "
            f"{witness.fact('publication') or facts['publication']}."
        ),
        status="restricted" if rights["status"] != "cleared" else "free",
    )
    decl = E.editorialDecl(
        E.correction(
            E.p(
                "Transcription and OCR errors are corrected only where "
                "certain, and always visibly as choice/sic/corr. The witness's "
                "own figures, dates, names and wording are never corrected."
            ),
            *[E.p(t) for t in result.corrections],
        ),
        E.normalization(
            E.p(
                "Paragraphs interrupted by page breaks, footnotes or "
                "tables are rejoined; the break is recorded with pb."
            ),
            *[E.p(t) for t in result.normalisation],
        ),
        E.quotation(E.p("Quotation marks are kept as printed in the transcription.")),
        E.hyphenation(
            E.p(
                "Words hyphenated across a page break are rejoined "
                'and the break recorded as pb with break="no".'
            ),
            *[E.p(t) for t in result.hyphenation],
            eol="none",
        ),
        E.interpretation(
            E.p(
                "Notes are placed at their markers with n as printed. "
                "Printed anomalies are listed here, not repaired."
            )
        ),
    )
    if result.anomalies:
        decl.find(tei("interpretation")).append(
            E.p(
                E.list(
                    *[E.item(a.text, corresp=f"#{a.target}") for a in result.anomalies],
                    type="note-anomalies",
                )
            )
        )
    if result.furniture:
        decl.find(tei("normalization")).append(
            E.p(
                E.list(
                    E.head("Page furniture removed (line of the transcription, kind, text)"),
                    *[E.item(E.label(f.kind), f.text, n=str(f.line)) for f in result.furniture],
                    type="removed-furniture",
                )
            )
        )
    today = datetime.date.today().isoformat()
    return E.teiHeader(
        E.fileDesc(
            E.titleStmt(
                E.title(witness.fact("title"), type="main"),
                E.title(
                    "a witness of the comparative edition of "
                    "texts on the Soviet purges of 1937–1938",
                    type="sub",
                ),
                _cert_el("author", witness, "author"),
                E.respStmt(
                    E.resp("Transcription (as received, " + f"sources/{witness.file}" + ")"),
                    E.name("unknown transcriber"),
                ),
                E.respStmt(
                    E.resp("TEI encoding: generated by edition import, then curated by hand"),
                    E.name(
                        "The editors of the comparative edition",
                        {XML_ID: f"{witness.siglum}.editors"},
                    ),
                ),
            ),
            E.publicationStmt(
                E.publisher("The comparative edition of texts on the Soviet purges of 1937–1938"),
                availability,
            ),
            E.sourceDesc(bibl),
        ),
        E.encodingDesc(
            E.projectDesc(
                E.p(
                    f"A comparative digital edition of {count_words(len(manifest.load()[0]))} "
                    "texts on the Soviet purges of 1937–1938: each witness "
                    "is presented as it is, and a standoff apparatus shows "
                    "where the texts reproduce and contradict each other."
                )
            ),
            decl,
            E.listPrefixDef(
                E.prefixDef(
                    E.p("bib:KEY points to the entry KEY of references.bib."),
                    ident="bib",
                    matchPattern="(.+)",
                    replacementPattern="../references.bib#$1",
                )
            ),
        ),
        E.profileDesc(
            E.langUsage(E.language("English", ident=witness.fact("language") or facts["language"])),
            E.textClass(E.keywords(E.term(facts["kind"]))),
        ),
        E.revisionDesc(
            E.change(
                f"Generated by edition import ({witness.style}) from sources/{witness.file}.",
                when=today,
            )
        ),
    )


def document(witness: Witness, source: SourceText, result: ImportResult) -> etree._Element:
    text = E.text()
    for part, children in (("front", result.front), ("body", result.body), ("back", result.back)):
        if children or part == "body":
            el = E(part, *children)
            text.append(el)
    root = E.TEI(header(witness, source, result), text)
    root.set(XML_ID, witness.siglum)
    root.set(XML_LANG, witness.facts["language"])
    assign_ids(text, witness.siglum)
    return root


# --- helpers for importers ------------------------------------------------------------------
SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def superscript_to_digits(text: str) -> str:
    return text.translate(SUPERSCRIPT)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
