"""tei/apparatus.xml + witnesses → JSON Lines, one locus a line (schema:
docs/about/apparatus-schema.md)."""

from __future__ import annotations

import json
from pathlib import Path

from build_scripts.apparatus import align, edition, store
from build_scripts.apparatus.model import Locus

SCHEMA_VERSION = 1


def variants_of(locus: Locus, corpus: edition.Corpus) -> list[dict]:
    """Word-level variants between the first two readings (earlier witness first), computed now."""
    if (
        locus.type not in ("quotation", "reuse", "citation", "shared-citation")
        or len(locus.readings) < 2
    ):
        return []
    a, b = locus.readings[0], locus.readings[1]
    ta, tb = align.tokens(a.text), align.tokens(b.text)  # the stored readings (verified by `check`)
    ops = align.align([t.norm for t in ta], [t.norm for t in tb])
    return [
        {"kind": v.kind, "a": v.source, "b": v.target, "marked": v.marked}
        for v in align.variants(ops, ta, tb, a.text, b.text)
    ]


def record(locus: Locus, corpus: edition.Corpus) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "id": locus.id,
        "type": locus.type,
        "resp": locus.resp.lstrip("#"),
        "score": locus.score,
        "decision": locus.decision,
        "verdict": locus.verdict,
        "relation": locus.relation or None,
        "question": locus.question or None,
        "notes": list(locus.notes),
        "findings": list(locus.findings),
        "readings": [
            {
                "siglum": r.siglum,
                "file": r.file,
                "passage": r.passage,
                "start": r.start,
                "end": r.end,
                "role": r.role or None,
                "text": r.text,
            }
            for r in locus.readings
        ],
        "variants": variants_of(locus, corpus),  # a = first reading, b = second
    }


def substantive(locus: Locus, corpus: edition.Corpus) -> bool:
    """Does the locus show a substantive difference? Claims and citation checks always count; a
    quotation or reuse counts when one of its word-level variants is substantive; a shared citation
    never does (two witnesses naming the same work differ at most in how they print its title)."""
    if locus.type in ("claim", "citation"):
        return True
    if locus.type == "shared-citation":
        return False
    return any(v["kind"] == "substantive" for v in variants_of(locus, corpus))


def lines(tei_dir: Path | None = None) -> list[str]:
    corpus, _ = edition.load(tei_dir)
    loci, _ = store.read(corpus.tei_dir / store.FILE)
    return [json.dumps(record(l, corpus), ensure_ascii=False, sort_keys=True) for l in loci]
