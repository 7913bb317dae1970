"""The per-witness import tables (sources/import/<siglum>.yml): one reader, file:line messages,
and the tables (not the code) decide what the importers do with a witness.

That moving the tables out of the code changed no importer's output was proved with
tests/import_diff.py (every witness imported by the old and the new code, compared byte for byte);
it is a tool for refactorings, not a standing test, because editors change the tables on purpose.
"""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from build_scripts.importers import STYLES, converter, tables
from build_scripts.importers.common import SourceText
from build_scripts.project import witnesses

WITNESSES = witnesses.load()[0]


def _load(tmp_path, text: str) -> tables.Tables:
    path = tmp_path / "X.yml"
    path.write_text(text, encoding="utf-8")
    return tables.load("X", path)


def test_a_yaml_error_is_one_message_with_its_line(tmp_path):
    with pytest.raises(tables.TableError) as err:
        _load(tmp_path, "word_fixes:\n- {misreading: a, reading: b\n")
    problem = err.value.problem
    assert problem.location.path.endswith("X.yml") and problem.location.line == 3
    assert problem.code == "import.tables" and "\n" not in str(problem)


def test_a_key_given_twice_is_an_error_at_its_second_line(tmp_path):
    with pytest.raises(tables.TableError) as err:
        _load(tmp_path, "doubtful: {}\nquotes: []\ndoubtful: {}\n")
    assert err.value.problem.location.line == 3 and "line 1" in err.value.problem.message


def test_an_entry_of_the_wrong_shape_is_reported_at_its_line(tmp_path):
    t = _load(
        tmp_path,
        "# header\nword_fixes:\n- {misreading: a, reading: b, kind: k}\n- {misreading: c}\n",
    )
    with pytest.raises(tables.TableError) as err:
        t.entries("word_fixes", ("misreading", "reading", "kind"), ("after",))
    assert (
        err.value.problem.location.line == 4 and "lacks reading, kind" in err.value.problem.message
    )
    t = _load(tmp_path, "series: [intro, art]\n")
    with pytest.raises(tables.TableError) as err:
        t.mapping("series")
    assert err.value.problem.location.line == 1


def test_a_table_the_importer_does_not_read_is_reported(tmp_path):
    t = _load(tmp_path, "doubtful: {}\nwordfixes: []\n")
    t.mapping("doubtful")
    [problem] = t.unread()
    assert (
        problem.severity == "warning"
        and problem.location.line == 2
        and "wordfixes" in problem.message
    )


def test_a_witness_without_tables_has_empty_ones(tmp_path):
    t = tables.load("X", tmp_path / "none.yml")
    assert t.entries("word_fixes", ("misreading",)) == [] and t.texts("normalisation") == []


@pytest.mark.parametrize("witness", WITNESSES, ids=lambda w: w.siglum)
def test_the_tables_of_every_witness_are_read_whole(witness):
    """Each witness's tables load, and its importer reads every table in them (no table ignored,
    none misspelt). Runs the importer on the witness's transcription."""
    if witness.style not in STYLES:
        pytest.skip(f"style {witness.style} has no importer")
    t = tables.for_witness(witness)
    source = SourceText(f"sources/{witness.file}", witness.source_path.read_text(encoding="utf-8"))
    result = converter(witness.style)(source, t)
    assert not [p for p in result.problems if p.severity == "error"]
    assert not t.unread(), [str(p) for p in t.unread()]


def _first_with(key: str):
    for w in WITNESSES:
        t = tables.for_witness(w)
        if w.style in STYLES and t.data.get(key):
            return w, t
    pytest.skip(f"no witness has a table {key}")


def test_a_word_fix_of_the_tables_is_what_makes_the_correction(tmp_path):
    """Removing one word fix from a witness's tables removes its choice/sic/corr from the TEI, and
    a fix that matches nowhere is reported at its line of the tables."""
    witness, t = _first_with("word_fixes")
    source = SourceText(f"sources/{witness.file}", witness.source_path.read_text(encoding="utf-8"))
    fix = t.data["word_fixes"][0]
    convert = converter(witness.style)

    def sics(result) -> list[str]:
        body = etree.Element("x")
        body.extend(copy.deepcopy(el) for el in result.front + result.body + result.back)
        return [s.text for s in body.iter("{*}sic")]

    assert fix["misreading"] in sics(convert(source, t))
    fewer = copy.copy(t)
    fewer.data = tables.Map(t.data)
    fewer.data["word_fixes"] = tables.Seq(t.data["word_fixes"][1:])
    assert sics(convert(source, fewer)).count(fix["misreading"]) < sics(convert(source, t)).count(
        fix["misreading"]
    )
    absent = tables.Map(fix)
    absent["misreading"], absent.line = "Qqzzxq", 99
    more = copy.copy(t)
    more.data = tables.Map(t.data)
    more.data["word_fixes"] = tables.Seq([*t.data["word_fixes"], absent])
    found = [p for p in convert(source, more).problems if "Qqzzxq" in p.message]
    assert found and found[0].location.path == t.rel and found[0].location.line == 99
