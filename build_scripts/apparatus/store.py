"""tei/apparatus.xml ⇄ loci: read the standoff apparatus, merge a new detection run, write it
back."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lxml import etree

from build_scripts.tei import teixml
from build_scripts.apparatus.model import DECISIONS, VERDICTS, Locus, Reading
from build_scripts.tei.teixml import E, NS, XML_ID

FILE = "apparatus.xml"
EDITORS = "#apparatus.editors"  # the witnesses have their own: #G.editors, #K.editors, …
APPS = etree.XPath("//tei:body//tei:app", namespaces=NS)
LISTS = {
    "quotation": "reuse",
    "reuse": "reuse",
    "citation": "citations",
    "claim": "claims",
    "shared-citation": "shared-citations",
}
ORDER = (
    "reuse",
    "citations",
    "claims",
    "shared-citations",
)  # the listApp elements, in document order
HEADINGS = {
    "reuse": "Reuse: one witness reproduces another's text, or both reproduce a common document",
    "citations": "Citations of one witness by another, verified against the cited page",
    "claims": "Claims: the witnesses answer the same question differently",
    "shared-citations": (
        "Shared citations: two witnesses cite the same work "
        "(bibliographic matter in common, not reuse of text)"
    ),
}


def read(path: Path) -> tuple[list[Locus], etree._ElementTree | None]:
    if not path.exists():
        return [], None
    doc, problems = teixml.parse(path)
    if doc is None:
        return [], None
    return [locus_of(app) for app in APPS(doc)], doc


def _wit(value: str) -> tuple[str, str]:
    file, _, siglum = (value or "").lstrip().partition("#")
    return file, siglum


def locus_of(app: etree._Element) -> Locus:
    readings = []
    for rdg in app.iterfind("tei:rdg", NS):
        file, siglum = _wit(rdg.get("wit", ""))
        target = rdg.get("corresp", "")
        start = end = None
        if rdg.get("n") and "-" in rdg.get("n"):
            a, _, b = rdg.get("n").partition("-")
            if a.isdigit() and b.isdigit():
                start, end = int(a), int(b)
        readings.append(
            Reading(
                siglum,
                target.partition("#")[0] or file,
                target.partition("#")[2],
                rdg.text or "",
                start,
                end,
                rdg.get("type", ""),
            )
        )
    ana = (app.get("ana") or "").replace("#", "").split()
    decision = next((a for a in ana if a in DECISIONS), "unreviewed")
    verdict = next(
        (a.removeprefix("cit.") for a in ana if a.removeprefix("cit.") in VERDICTS), None
    )
    notes = tuple(
        " ".join("".join(n.itertext()).split())
        for n in app.iterfind("tei:note[@type='editorial']", NS)
    )
    findings = tuple(
        " ".join("".join(n.itertext()).split())
        for n in app.iterfind("tei:note[@type='finding']", NS)
    )
    question = next(
        (
            " ".join("".join(n.itertext()).split())
            for n in app.iterfind("tei:note[@type='question']", NS)
        ),
        "",
    )
    cert = app.get("cert")
    score = float(cert) if cert and cert.replace(".", "", 1).isdigit() else None
    return Locus(
        app.get(XML_ID),
        app.get("type", ""),
        tuple(readings),
        app.get("resp", ""),
        score,
        decision,
        verdict,
        question,
        notes,
        app.sourceline or 0,
        findings=findings,
        relation=app.get("subtype", ""),
    )


def merge(old: list[Locus], new: list[Locus], types: tuple[str, ...]) -> list[Locus]:
    """A new machine run of `types` replaces the old machine entries, keeping every editor's
    decision and note. A new entry takes over an old one with the same id, else one of the same type
    over the same pair of passages whose first reading overlaps it (the region grew or shrank, or an
    edit elsewhere moved its offsets): it keeps the old id, so that ids stay stable across reruns.
    Entries editors touched survive even when the detector no longer finds them; curated entries
    (resp other than #detector) are never touched. A reviewed entry keeps its relation (@subtype,
    which the editor confirmed or corrected). The detector's findings are always the new run's."""
    by_id = {l.id: l for l in old}
    out: list[Locus] = []
    taken: set[str] = set()
    ids = {l.id for l in new}
    for locus in new:
        before = by_id.get(locus.id)
        if before is None:
            before = _predecessor(locus, old, taken | ids)
        if before is not None:
            taken.add(before.id)
            reviewed = before.decision != "unreviewed" and before.relation
            locus = replace(
                locus,
                id=before.id,
                decision=before.decision,
                question=locus.question or before.question,
                notes=before.notes,
                line=0,
                # the relation an editor confirmed (or corrected) is the editor's, not the run's
                relation=before.relation if reviewed else locus.relation,
            )
        out.append(locus)
    kept = {l.id for l in out}
    for locus in old:
        if locus.id in kept:
            continue
        machine = locus.resp == "#detector" and locus.type in types
        if not machine or locus.decision != "unreviewed" or locus.notes:
            out.append(locus)
    return sorted(out, key=lambda l: (ORDER.index(LISTS.get(l.type, "reuse")), l.id))


def _predecessor(locus: Locus, old: list[Locus], unavailable: set[str]) -> Locus | None:
    if locus.resp != "#detector" or not locus.readings:
        return None
    first = locus.readings[0]
    for before in old:
        if (
            before.id in unavailable
            or before.resp != "#detector"
            or LISTS.get(before.type) != LISTS.get(locus.type)
        ):
            continue
        if [(r.siglum, r.passage) for r in before.readings] != [
            (r.siglum, r.passage) for r in locus.readings
        ]:
            continue
        b = before.readings[0]
        if None in (b.start, b.end, first.start, first.end) or (
            b.start < first.end and first.start < b.end
        ):
            return before
    return None


def element(locus: Locus) -> etree._Element:
    ana = [f"#{locus.decision}"] + ([f"#cit.{locus.verdict}"] if locus.verdict else [])
    app = E.app({XML_ID: locus.id, "type": locus.type, "ana": " ".join(ana)})
    if locus.relation:
        app.set("subtype", locus.relation)
    if locus.resp:
        app.set("resp", locus.resp)
    if locus.score is not None:
        app.set("cert", f"{locus.score:.3f}")
    for r in locus.readings:
        rdg = E.rdg({"wit": f"{r.file}#{r.siglum}", "corresp": f"{r.file}#{r.passage}"}, r.text)
        if r.start is not None:
            rdg.set("n", f"{r.start}-{r.end}")
        if r.role:
            rdg.set("type", r.role)
        app.append(rdg)
    if locus.question:
        app.append(
            E.note(
                {XML_ID: f"{locus.id}.question", "type": "question", "resp": EDITORS},
                locus.question,
            )
        )
    for i, text in enumerate(locus.findings, start=1):
        app.append(
            E.note({XML_ID: f"{locus.id}.finding{i}", "type": "finding", "resp": "#detector"}, text)
        )
    for i, text in enumerate(locus.notes, start=1):
        app.append(
            E.note({XML_ID: f"{locus.id}.note{i}", "type": "editorial", "resp": EDITORS}, text)
        )
    return app


# Other programs whose entries the apparatus holds (app/@resp); in the header only when used.
APPLICATIONS = {
    "#passim": (
        "passim",
        "passim (imported by edition apparatus import-passim)",
        "Machine entries imported from passim's reuse clusters or pairwise alignments "
        "(character n-gram index, alignment on Spark) over the passages exported by "
        "edition apparatus export --format passim; readings grown to whole words; "
        "unreviewed until an editor decides. app/@cert is the share of matched words, as "
        "for the detector.",
    ),
}


def document(loci: list[Locus]) -> etree._Element:
    header = etree.parse(HEADER).getroot()
    for el in header.iter():  # the file's lines are wrapped; its text is one line per element
        for attr in ("text", "tail"):
            value = getattr(el, attr)
            if value and value.strip():
                setattr(el, attr, " ".join(value.split()))
    info = header.find(".//tei:appInfo", NS)
    for resp in sorted({l.resp for l in loci} & APPLICATIONS.keys()):
        ident, label, desc = APPLICATIONS[resp]
        app = E.application(
            {XML_ID: resp.lstrip("#"), "ident": ident, "version": "1"}, E.label(label), E.desc(desc)
        )
        app.tail, info[-1].tail = info[-1].tail, info.text
        info.append(app)
    body = E.body()
    for key in ORDER:
        items = [l for l in loci if LISTS.get(l.type, "reuse") == key]
        if not items and key == "shared-citations":
            continue  # an apparatus without shared citations keeps the three lists it always had
        body.append(
            E.listApp(
                {XML_ID: f"apparatus.{key}", "type": key},
                E.head(HEADINGS[key]),
                *[element(l) for l in items],
            )
        )
    for list_app in body:
        _lines(list_app, 3)
        for app in list_app.iterfind("tei:app", NS):
            _lines(app, 4)
    return E.TEI({XML_ID: "apparatus"}, header, E.text(body))


def _lines(el: etree._Element, level: int) -> None:
    """Each child on its own line (canonical layout: a one-word decision change is a one-line
    diff)."""
    children = list(el)
    if not children:
        return
    el.text = "\n" + "  " * (level + 1)
    for child in children:
        child.tail = "\n" + "  " * (level + 1)
    children[-1].tail = "\n" + "  " * level


def write(path: Path, loci: list[Locus]) -> bool:
    """Write the apparatus; only when its bytes change (a watcher rebuilds once). True if
    written."""
    data = teixml.serialize(document(loci))
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


HEADER = Path(__file__).with_name("header.xml")  # the apparatus file's teiHeader
