"""Bibliography: format references.bib through pandoc (cold, fresh cache) and from the build/
cache."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
COLD = (
    "import tempfile, pathlib; from build_scripts.bib import bibliography as b; "
    "bib, _ = b.load(cache_dir=pathlib.Path(tempfile.mkdtemp())); "
    "assert len(bib.formatted()) == len(bib)"
)
CACHED = (
    "from build_scripts.bib import bibliography as b; bib, "
    "_ = b.load(); assert len(bib.formatted()) == len(bib)"
)
IMPORT_ONLY = "from build_scripts.bib import bibliography as b; b.load()"


def setup() -> None:
    from build_scripts.bib import bibliography

    bibliography.load()[0].formatted()  # warm build/bibliography/ for the cached case


CASES = [
    ("format all entries, cold (pandoc)", [PYTHON, "-c", COLD]),
    ("format all entries, cached", [PYTHON, "-c", CACHED]),
    ("load and parse references.bib only", [PYTHON, "-c", IMPORT_ONLY]),
]
