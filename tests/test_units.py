"""What is made of a TEI file (the model, the apparatus's passages) is made again per top-level
division: a division whose key (teixml.units: its lines, their numbers, the header before it) is
unchanged is reused. After edits, the result equals a load with nothing kept; the edited division
is made again and the others are not.

The file and the places to edit are chosen by rule (the witness with the most divisions), not
named."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from build_scripts.apparatus import passages
from build_scripts.tei import load, teixml
from conftest import ROOT


@pytest.fixture
def witness(tmp_path) -> Path:
    files = [p for p in sorted((ROOT / "tei").glob("*.xml")) if p.name != "apparatus.xml"]

    def divisions(path: Path) -> int:
        doc, _ = teixml.parse(path)
        return len(teixml.units(doc.getroot())) if doc is not None else 0

    best = max(files, key=divisions)
    assert divisions(best) >= 3, "no witness has three top-level divisions to test with"
    copy = tmp_path / best.name
    shutil.copy(best, copy)
    return copy


def made(path: Path) -> tuple:
    """The model (without its id set: a frozenset prints in hash order) and the passages."""
    doc, problems = load.load(path)
    tree, _ = teixml.parse(path)
    found = passages.witness_passages(tree, path.name, {})
    return repr((doc.front, doc.body, doc.back)), [str(p) for p in problems], found


def fresh(path: Path) -> tuple:
    load._UNITS.clear()
    passages._UNITS.clear()
    return made(path)


def test_an_edit_remakes_its_division_and_the_rest_is_reused(witness, monkeypatch):
    made(witness)  # what is kept
    doc, _ = teixml.parse(witness)
    keys = teixml.units(doc.getroot())
    divs = list(keys)
    text = witness.read_text(encoding="utf-8")
    lines = text.split("\n")
    # a word added in a paragraph of a late division, and a line added inside the second one
    # (every later division now stands on other lines)
    ident = next(
        p.get(teixml.XML_ID)
        for div in reversed(divs[2:])
        for p in div.iter(teixml.tei("p"))
        if p.get(teixml.XML_ID) and re.match(r"[A-Za-z]{3,}", p.text or "")
    )
    text = re.sub(rf'(<p xml:id="{re.escape(ident)}"[^>]*>)', r"\1Inserted ", text, count=1)
    lines = text.split("\n")
    at = divs[1].sourceline  # the start tag's line: a new line after it, inside the division
    lines.insert(at, "")
    witness.write_text("\n".join(lines), encoding="utf-8")

    doc, _ = teixml.parse(witness)
    after = teixml.units(doc.getroot())
    changed = sum(1 for k in after.values() if k not in set(keys.values()))
    assert changed == len(divs) - 1, "the divisions from the second on stand on other lines"

    remade = []
    real = load.Loader._node
    monkeypatch.setattr(
        load.Loader,
        "_node",
        lambda self, el: (remade.append(el) if el in self.units else None) or real(self, el),
    )
    incremental = made(witness)
    assert len(remade) == changed, f"{len(remade)} divisions made again, {changed} changed"
    assert any("Inserted" in p.text for p in incremental[2] if p.id == ident)
    monkeypatch.undo()
    assert incremental == fresh(witness), "what was reused differs from a load with nothing kept"


def test_a_tree_not_parsed_from_a_file_has_no_units():
    root = load.etree.fromstring(
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div><p>x</p></div></body></text>'
        b"</TEI>"
    )
    assert teixml.units(root) == {}
