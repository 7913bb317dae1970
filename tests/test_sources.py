"""The transcriptions are kept byte for byte: their hashes match sources/witnesses.yml and ../shared."""
import hashlib

import pytest

from build_scripts import witnesses
from conftest import SHARED

WITNESSES, PROBLEMS = witnesses.load()


def test_manifest_loads_five_witnesses():
    assert not PROBLEMS
    assert sorted(w.siglum for w in WITNESSES) == ["E", "G", "K", "M", "S"]


@pytest.mark.parametrize("witness", WITNESSES, ids=lambda w: w.siglum)
def test_source_hash(witness):
    data = witness.source_path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == witness.sha256
    seed = SHARED / "seeds" / witness.file
    if seed.exists():
        assert data == seed.read_bytes(), f"sources/{witness.file} differs from ../shared/seeds"
