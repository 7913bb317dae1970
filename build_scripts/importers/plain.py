"""Plain text or simple Markdown → TEI (style `plain`, for a new witness; `edition witness add`).

Blocks are separated by blank lines. A block of one line in capitals at the start, or a block
opening with `#`, is a heading (the `#` marks are Markdown, not text, and are dropped); every other
block is a paragraph, its lines joined with a space. All text is escaped by lxml: nothing becomes
markup. Ids follow the scheme from the witness's own siglum: X.body, X.body.p1, X.body.d1.p1 …
"""

from __future__ import annotations

import re

from build_scripts.importers.common import ImportResult, SourceText, collapse
from build_scripts.tei.teixml import E, XML_ID

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def convert(source: SourceText, tables) -> ImportResult:
    body = E.div(type="text")
    body.set(XML_ID, f"{tables.siglum}.body")
    current = body
    for number, block in enumerate(b for b in re.split(r"\n\s*\n", source.text) if b.strip()):
        lines = [line.strip() for line in block.strip().split("\n")]
        heading = HEADING.match(lines[0])
        if heading and len(lines) == 1:
            if len(current) or current is not body:
                current = E.div(type="section")
                body.append(current)
            current.append(E.head(heading.group(2).strip()))
        elif number == 0 and len(lines) == 1 and lines[0].isupper():
            body.append(E.head(lines[0]))
        else:
            current.append(E.p(collapse(" ".join(lines))))
    return ImportResult(
        body=[body],
        normalisation=[
            "The transcription is plain text: blank lines separate "
            "paragraphs; lines opening with # are headings."
        ],
    )
