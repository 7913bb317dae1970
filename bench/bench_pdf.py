"""Issue 5: the whole-edition PDF (goal <= 10 s) and the sample course pack (goal <= 2 s)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITION = str(ROOT / ".venv" / "bin" / "edition")

CASES = [
    ("pdf: whole edition + 5 witnesses", [EDITION, "pdf", "--out-dir", "build/bench-pdf"]),
    (
        "pdf: sample course pack",
        [EDITION, "pdf", "--course", "courses/sample.yml", "--out-dir", "build/bench-pdf"],
    ),
    # issue 15: a seminar-sized course pack (goal <= 1 s)
    (
        "pdf: course pack centre-and-regions",
        [
            EDITION,
            "pdf",
            "--course",
            "courses/centre-and-regions.yml",
            "--out-dir",
            "build/bench-pdf",
        ],
    ),
]
