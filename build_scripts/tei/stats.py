"""tei/*.xml → counts per witness (`edition stats`)."""

from __future__ import annotations

from build_scripts.tei import teixml
from build_scripts.project import witnesses as manifest
from build_scripts.tei.teixml import NS

COLUMNS = (
    "witness",
    "divs",
    "paragraphs",
    "notes",
    "linked",
    "anomalies",
    "pb",
    "pb printed",
    "pb inferred",
    "tables",
    "corrections",
    "citations",
    "to witnesses",
)


def witness_stats(doc) -> dict[str, int]:
    notes = teixml.NOTES(doc)
    pbs = teixml.PAGE_BREAKS(doc)
    inferred = [pb for pb in pbs if pb.get("n") and pb.get("cert")]
    return {
        "divs": len(teixml.DIVS(doc)),
        "paragraphs": len(teixml.PARAGRAPHS(doc)),
        "notes": len(notes),
        "linked": sum(1 for n in notes if n.get("type") != "unmarked" and n.get("n") is not None),
        "anomalies": len(teixml.ANOMALIES(doc)),
        "pb": len(pbs),
        "pb printed": sum(1 for pb in pbs if pb.get("n") and not pb.get("cert")),
        "pb inferred": len(inferred),
        "tables": len(teixml.TABLES(doc)),
        # the text's choice/sic/corr and the misread note markers the header records
        "corrections": len(teixml.CHOICES(doc)) + len(teixml.marker_corrections(doc)),
        "citations": len(teixml.BIBLS(doc)),
        "to witnesses": len(
            doc.xpath(
                "//tei:text//tei:bibl[.//tei:ref[@type='witness']] | "
                "//tei:text//tei:ref[@type='witness'][not(ancestor::tei:bibl)]",
                namespaces=NS,
            )
        ),
    }


def table() -> list[dict[str, object]]:
    rows = []
    wits, _ = manifest.load()
    for w in wits:
        if w.tei_path.exists():
            doc, problems = teixml.parse(w.tei_path)
            if doc is not None:
                rows.append({"witness": w.siglum, **witness_stats(doc)})
    return rows


def format_table(rows: list[dict[str, object]]) -> str:
    widths = (
        {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in COLUMNS}
        if rows
        else {c: len(c) for c in COLUMNS}
    )
    lines = ["  ".join(c.rjust(widths[c]) for c in COLUMNS)]
    lines += ["  ".join(str(r[c]).rjust(widths[c]) for c in COLUMNS) for r in rows]
    return "\n".join(lines)
