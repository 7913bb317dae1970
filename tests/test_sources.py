"""The transcriptions are kept byte for byte: their hashes match sources/witnesses.yml and
../shared."""

import hashlib

import pytest

from build_scripts.project import witnesses
from conftest import SHARED

WITNESSES, PROBLEMS = witnesses.load()


def test_manifest_loads_and_each_witness_has_its_own_siglum_and_files():
    """A rule, not today's list: any number of witnesses, each with a siglum, transcription and TEI
    file of its own (a sixth witness needs no edit here)."""
    assert not PROBLEMS and WITNESSES
    for key in ("siglum", "file", "tei"):
        values = [getattr(w, key) for w in WITNESSES]
        assert len(values) == len(set(values)), f"two witnesses share a {key}: {sorted(values)}"
    assert all(w.siglum.isalnum() and w.siglum[0].isupper() for w in WITNESSES)


@pytest.mark.parametrize("witness", WITNESSES, ids=lambda w: w.siglum)
def test_source_hash(witness):
    data = witness.source_path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == witness.sha256
    seed = SHARED / "seeds" / witness.file
    if seed.exists():
        assert data == seed.read_bytes(), f"sources/{witness.file} differs from ../shared/seeds"


def test_a_broken_excerpt_list_is_one_problem_with_its_line(tmp_path):
    path = tmp_path / "excerpts.yml"
    path.write_text("G:\n  - G.c6.p1\n  - [unclosed\n", encoding="utf-8")
    listed, problems = witnesses.load_excerpts(path)
    assert listed == {} and len(problems) == 1
    problem = problems[0]
    assert problem.code == "excerpts.unreadable" and problem.location.line == 4
    assert str(problem).startswith(f"{path}:4: cannot read the excerpt list")
    path.write_text("G:\n  - G.c6.p1\n  - G.c6.p2\n", encoding="utf-8")
    assert witnesses.load_excerpts(path) == ({"G": frozenset({"G.c6.p1", "G.c6.p2"})}, [])
    assert witnesses.excerpt_line(path, "G.c6.p2") == 3
