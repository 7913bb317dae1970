"""Citation linker: propose links for every bibl and note of the five witnesses (read only, no
--write)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITION = str(ROOT / ".venv" / "bin" / "edition")

CASES = [
    ("bib link, all witnesses (proposals only)", [EDITION, "bib", "link"]),
    (
        "bib link, getty.xml (496 notes, no bibl in notes)",
        [EDITION, "bib", "link", "tei/getty.xml"],
    ),
]
