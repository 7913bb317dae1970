"""Issue 2: import of all five witnesses, and `edition check` (full tei_all validation)."""

import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITION = str(ROOT / ".venv" / "bin" / "edition")
_SCRATCH = Path(tempfile.gettempdir()) / "edition-bench-import"


def setup() -> None:
    _SCRATCH.mkdir(exist_ok=True)


# import writes into tei/, which is curated: the bench imports into a scratch copy via --out-dir.
CASES = [
    (
        "import all five (to a scratch dir)",
        [EDITION, "import", "all", "--force", "--out-dir", str(_SCRATCH)],
    ),
    ("check (full tei_all)", [EDITION, "check", "--full"]),
]
