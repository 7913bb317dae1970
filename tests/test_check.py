"""`edition check` on broken inputs: each fixture gives its exact problem lines and exit 1, never a
traceback.

tests/fixtures/broken/_base/ is a small valid project (two witnesses A and B, references.bib, the
published-id registry). Each other folder holds the files that differ from it, a README saying what
is broken, and expected.txt: the exact stderr lines of `edition check` run in that project.
Regenerate an expected.txt after a deliberate change of wording: pytest --update-golden, then
review.
"""

from __future__ import annotations

import re

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_scripts import check
from conftest import copy_project
from build_scripts.project import witnesses
from build_scripts.cli import main
from conftest import assert_golden

BROKEN = Path(__file__).parent / "fixtures" / "broken"
BASE = BROKEN / "_base"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir() and not p.name.startswith("_"))
OWN_FILES = {"README", "expected.txt", "DELETE"}
# Cases whose one mistake makes other problems follow: the root message comes first, and the whole
# report (root, one summary line, the count) is at most 3 lines.
ROOT_CASES = {
    "duplicate-id": "ids.duplicate",
    "not-well-formed": "xml.not-well-formed",
    "tei-missing": "tei.missing",
    "tei-empty": "xml.empty",
    "tei-not-utf8": "xml.not-utf8",
    "manifest-empty": "manifest.empty",
    "manifest-not-utf8": "manifest.unreadable",
    "manifest-not-yaml": "manifest.unreadable",
    "manifest-misindented": "manifest.unreadable",
    "manifest-missing-key": "manifest.missing-key",
    "tei-doctype": "xml.doctype",
    "bib-missing-comma": "bibliography.syntax",
}


def make_project(tmp_path: Path, case: str | None) -> Path:
    """The base project with the case's files laid over it."""
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    if case:
        for source in (BROKEN / case).rglob("*"):
            if source.is_file() and source.name not in OWN_FILES:
                target = project / source.relative_to(BROKEN / case)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
        delete = BROKEN / case / "DELETE"
        for name in delete.read_text(encoding="utf-8").split() if delete.exists() else []:
            (project / name).unlink()
    return project


def run_check(project: Path, monkeypatch, *args: str):
    monkeypatch.chdir(project)
    monkeypatch.delenv("CI", raising=False)
    return CliRunner(mix_stderr=False).invoke(main, ["check", "--root", ".", *args])


def test_there_are_at_least_15_kinds_of_broken_input():
    codes = {
        line.rsplit("[", 1)[1].rstrip("]")
        for case in CASES
        for line in (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    }
    assert len(CASES) >= 15 and len(codes) >= 15, (len(CASES), sorted(codes))


def test_base_project_has_no_problems(tmp_path, monkeypatch):
    result = run_check(make_project(tmp_path, None), monkeypatch, "--full")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "edition check: no problems.\n"


@pytest.mark.parametrize("case", CASES)
def test_broken_input_gives_exact_problem_lines(case, tmp_path, monkeypatch, update_golden):
    result = run_check(make_project(tmp_path, case), monkeypatch)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.exit_code == 1, f"exit {result.exit_code}: {result.stdout}{result.stderr}"
    lines = result.stderr.splitlines()
    counts = re.match(r"(\d+) error\(s\)(?: and (\d+) warning\(s\) or note\(s\))?\. ", lines[-1])
    assert counts, lines[-1]
    assert int(counts[1]) + int(counts[2] or 0) == len(lines) - 1, lines[-1]
    assert_golden("\n".join(lines[:-1]) + "\n", BROKEN / case / "expected.txt", update_golden)


@pytest.mark.parametrize("case", sorted(ROOT_CASES))
def test_one_mistake_gives_its_root_message_first_and_at_most_3_lines(case, tmp_path, monkeypatch):
    result = run_check(make_project(tmp_path, case), monkeypatch)
    lines = result.stderr.splitlines()
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert lines[0].endswith(f"[{ROOT_CASES[case]}]"), lines
    assert len(lines) <= 3, lines
    assert "bug in the toolchain" not in result.stderr
    if len(lines) == 3:
        assert lines[1].endswith("[check.not-checked]") and " not checked until it " in lines[1]


def test_consequences_of_a_broken_file_are_counted_not_listed(tmp_path, monkeypatch):
    """The summary line counts the apparatus pointers that cannot be checked (not a fixed text)."""
    project = make_project(tmp_path, "tei-missing")
    apparatus = (project / "tei" / "apparatus.xml").read_text(encoding="utf-8")
    pointers = apparatus.count('corresp="a.xml#')
    assert pointers >= 1
    lines = run_check(project, monkeypatch).stderr.splitlines()
    assert f"{pointers} apparatus pointer{'s' if pointers > 1 else ''} into tei/a.xml" in lines[1]


def test_every_problem_line_has_location_message_hint_and_code(tmp_path, monkeypatch):
    for case in CASES:
        for line in (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines():
            where, _, rest = line.partition(": ")
            assert where.split(":")[0] and rest.endswith("]") and ". " in rest, line


def test_a_crashing_rule_becomes_one_problem_and_the_others_still_run(tmp_path, monkeypatch):
    def broken_rule(edition):
        raise KeyError("boom")

    monkeypatch.setattr(
        check, "RULES", [*check.RULES[:2], ("broken", broken_rule), *check.RULES[2:]]
    )
    result = run_check(make_project(tmp_path, "duplicate-id"), monkeypatch)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert (
        "tei: the check rule `broken` crashed: KeyError: 'boom'. This is a bug in the toolchain, "
        "not in your TEI; report it with this line (the other rules ran). [check.crash]" in lines
    )
    assert any(line.endswith("[ids.duplicate]") for line in lines)


def test_files_argument_limits_the_report(tmp_path, monkeypatch):
    project = make_project(tmp_path, "missing-id")
    (project / "tei" / "a.xml").write_text(
        (project / "tei" / "a.xml").read_text().replace('<p xml:id="A.body.p2">', "<p>")
    )
    monkeypatch.chdir(project)
    everything = check.run(schema="none", paths=check.Paths(Path(".")))
    only_a = check.run([Path("tei/a.xml")], schema="none", paths=check.Paths(Path(".")))
    assert {p.location.path for p in everything} >= {"tei/a.xml", "tei/b.xml"}
    assert {p.location.path for p in only_a} == {"tei/a.xml"}


def test_cached_validation_equals_fresh_validation(tmp_path, monkeypatch):
    project = make_project(tmp_path, "unknown-element")
    monkeypatch.chdir(project)
    paths = check.Paths(Path("."))
    fresh = check.run(paths=paths, schema="fast", use_cache=False)
    first = check.run(paths=paths, schema="fast")
    cached = check.run(paths=paths, schema="fast")
    assert any(p.code == "tei.invalid" for p in fresh)
    assert fresh == first == cached
    assert list((project / "build" / "check-cache").glob("*.json"))


def test_one_schema_mistake_is_one_message(tmp_path, monkeypatch):
    """An element TEI does not know is reported once, at its line, with the schema's first message
    (the root cause); the messages that follow from it at that line are counted, not repeated."""
    project = make_project(tmp_path, "unknown-element")
    monkeypatch.chdir(project)
    found = [
        p
        for p in check.run(paths=check.Paths(Path(".")), schema="full", use_cache=False)
        if p.code == "tei.invalid"
    ]
    lines = [(p.location.path, p.location.line) for p in found]
    assert found and len(lines) == len(set(lines)), [str(p) for p in found]
    assert "Did not expect element" in found[0].message, str(found[0])


def test_import_of_a_transcription_that_is_not_utf8(tmp_path, monkeypatch):
    project = make_project(tmp_path, None)
    (project / "sources" / "a.txt").write_bytes("ALPHA\n\nCaf\u00e9 society.\n".encode("cp1252"))
    (project / "tei" / "a.xml").unlink()
    manifest = project / "sources" / "witnesses.yml"
    load = witnesses.load
    monkeypatch.setattr(witnesses, "load", lambda path=manifest: load(path))
    monkeypatch.setattr(witnesses, "SOURCES", project / "sources")
    monkeypatch.setattr(witnesses, "TEI_DIR", project / "tei")
    monkeypatch.chdir(project)
    result = CliRunner(mix_stderr=False).invoke(main, ["import", "A"])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr == (
        "sources/a.txt:3: the transcription is not UTF-8 text (byte "
        "0xe9 at offset 10). Convert the file to UTF-8 (e.g. iconv "
        "-f cp1252 -t utf-8) before importing. [import.not-utf8]\n"
    )
    assert not (project / "tei" / "a.xml").exists()


def test_fast_and_full_validation_agree_on_the_committed_tei(monkeypatch):
    """The subset schema never changes a verdict: same problems as tei_all (slow: loads tei_all)."""
    monkeypatch.delenv("CI", raising=False)
    paths = check.Paths()
    if not list(paths.tei_dir.glob("*.xml")):
        pytest.skip("no TEI yet")
    fast = [
        p for p in check.run(paths=paths, schema="fast", use_cache=False) if p.code == "tei.invalid"
    ]
    full = [
        p for p in check.run(paths=paths, schema="full", use_cache=False) if p.code == "tei.invalid"
    ]
    assert fast == full


def test_build_writes_nothing_when_the_check_fails(tmp_path):
    """`edition build` runs the check first (build_scripts.publish.build); a broken project gets no
    site/."""
    site_build = pytest.importorskip(
        "build_scripts.publish.build", reason="the site stage is not written yet"
    )
    project = make_project(tmp_path, "duplicate-id")
    site_dir = tmp_path / "site"
    # the build checks the project it is given (not the checkout the toolchain runs from)
    result = site_build.build(check.Paths(project), site_dir=site_dir)
    assert not result.ok
    assert any(p.code == "ids.duplicate" for p in result.problems)
    assert not site_dir.exists()


def test_subset_schema_accepts_valid_tei_with_new_elements_without_loading_tei_all():
    from lxml import etree

    from build_scripts.tei import subset as tei_subset
    from build_scripts.tei import teixml

    committed = tei_subset.subset()
    assert committed is not None, "schema/tei_edition.rng is missing: run `edition schema --update`"
    assert "castList" not in committed[1]
    doc = etree.ElementTree(
        etree.fromstring(
            '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>'
            "<fileDesc><titleStmt><title>t</title></titleStmt>"
            "<publicationStmt><p>p</p></publicationStmt><sourceDesc>"
            "<p>s</p></sourceDesc></fileDesc></teiHeader>"
            "<text><body><div><castList><castItem>Stalin</"
            "castItem></castList></div></body></text></TEI>"
        )
    )
    loaded_before = teixml.schema.cache_info().currsize
    assert tei_subset.quick_schema(doc).validate(doc)
    assert teixml.schema.cache_info().currsize == loaded_before
    doc.getroot()[1][0][0].append(etree.Element(teixml.tei("emphasis")))
    assert not tei_subset.quick_schema(doc).validate(doc)


def test_an_edit_inside_an_unreviewed_machine_reading_is_re_anchored_and_does_not_block(
    tmp_path, monkeypatch
):
    """The same edit as apparatus-reading-changed, but the entry is the detector's, still
    unreviewed: one warning (old and new wording, the new place), exit 0, so `edition build` goes
    on."""
    project = make_project(tmp_path, "apparatus-reading-changed")
    apparatus = project / "tei" / "apparatus.xml"
    text = apparatus.read_text(encoding="utf-8")
    machine = text.replace(
        'ana="#confirmed" resp="#apparatus.editors"', 'ana="#unreviewed" resp="#detector"', 1
    )
    machine = machine.replace(
        '<name xml:id="apparatus.editors">The editors</name>',
        '<name xml:id="apparatus.editors">The editors</name>\n      '
        '    <name xml:id="detector">edition apparatus detect</name>',
    )
    assert machine != text
    apparatus.write_text(machine, encoding="utf-8")
    result = run_check(project, monkeypatch)
    assert result.exit_code == 0, result.stderr
    lines = [
        line for line in result.stderr.splitlines() if line.endswith("[apparatus.re-anchored]")
    ]
    assert len(lines) == 1 and "B.body.p1 [0-18]" in lines[0] and "'The sole paragraph'" in lines[0]
    # the last line does not say "no problems" after printing one: it counts what it printed
    warnings = len(result.stderr.splitlines())
    assert result.stdout == (
        f"edition check: no errors; {warnings} warning(s) or note(s) above, "
        "each with how to act on it.\n"
    )


def test_a_confirmed_reading_that_changed_gives_one_message_with_both_wordings(
    tmp_path, monkeypatch
):
    lines = run_check(
        make_project(tmp_path, "apparatus-reading-changed"), monkeypatch
    ).stderr.splitlines()
    changed = [line for line in lines if "[apparatus.reading-changed]" in line]
    assert len(changed) == 1
    assert "'The sole paragraph'" in changed[0] and "'The only paragraph'" in changed[0]
    assert "`edition apparatus detect`" in changed[0]


def test_a_render_that_fails_says_nothing_was_rendered(tmp_path):
    """After an error the render (and the serve loop, which prints the same summary) never reads
    like a success: it says the pages stay as they were. (Its own process: `--root` is read
    before the project is resolved.)"""
    project = copy_project(tmp_path / "edition")
    tei = next(p for p in sorted((project / "tei").glob("*.xml")) if p.name != "apparatus.xml")
    text = tei.read_text(encoding="utf-8")
    tei.write_text(text.replace("</p>", "</q>", 1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "build_scripts", "--root", str(project), "render"],
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert "Traceback" not in done.stderr and done.returncode != 0, done.stderr[-500:]
    assert done.stderr.splitlines()[-1].startswith("nothing rendered: the pages stay"), done.stderr[
        -500:
    ]
    assert "file(s) written" not in done.stderr


def test_a_file_missing_from_the_project_is_one_line_naming_it(tmp_path):
    """A project that lacks a file the render reads (here the vendored citation style) gets one
    line naming the file, not a traceback."""
    project = make_project(tmp_path, None)
    done = subprocess.run(
        [sys.executable, "-m", "build_scripts", "--root", str(project), "render"],
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert "Traceback" not in done.stderr and done.returncode == 1, done.stderr[-500:]
    assert re.fullmatch(r"[^:\n]+: .+\. .+\. \[[\w.-]+\]", done.stderr.strip()), done.stderr
