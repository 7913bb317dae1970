"""Published ids and redirects, and the changelog page."""

from __future__ import annotations

import re

from pathlib import Path

from lxml import etree

from build_scripts.tei import changelog
from build_scripts.site import registry

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "fixtures" / "broken" / "_base"


def ids_of(path: Path) -> list[str]:
    return registry.ids_in(etree.parse(str(path)))


def test_update_adds_new_ids_and_never_removes_one(tmp_path):
    reg = tmp_path / "published-ids.tsv"
    assert registry.update({"b.xml": ["B", "B.body", "B.body.p1"]}, reg) == 3
    assert registry.update({"b.xml": ["B", "B.body", "B.body.p2"]}, reg) == 1
    entries, problems = registry.load(reg)
    assert not problems
    assert [e.ident for e in entries] == ["B", "B.body", "B.body.p1", "B.body.p2"]
    assert entries[2] == registry.Published(
        "B.body.p1", "b.xml", registry.url_for("b.xml", "B.body.p1")
    )


def test_removed_id_is_a_problem_until_redirected(tmp_path):
    reg, redirects = tmp_path / "published-ids.tsv", tmp_path / "redirects.yml"
    registry.update({"b.xml": ["B", "B.body.p1"]}, reg)
    now = {"b.xml": ["B", "B.body.p2"]}
    assert [p.code for p in registry.check(now, tmp_path, reg, redirects)] == ["ids.removed"]
    redirects.write_text("redirects:\n  B.body.p1: B.body.p2\n", encoding="utf-8")
    assert registry.check(now, tmp_path, reg, redirects) == []
    assert registry.redirects(reg, redirects) == {
        registry.url_for("b.xml", "B.body.p1"): registry.url_for("b.xml", "B.body.p2")
    }


def test_committed_fixture_registry_lists_every_id_of_the_base_project():
    published, problems = registry.load(BASE / "sources" / "published-ids.tsv")
    assert not problems
    assert [e.ident for e in published] == ids_of(BASE / "tei" / "a.xml") + ids_of(
        BASE / "tei" / "b.xml"
    )


def test_committed_registry_has_no_malformed_line():
    _, problems = registry.load()
    assert not problems, [str(p) for p in problems]


def test_changelog_page_has_the_editors_text_and_the_tei_changes(tmp_path):
    (tmp_path / "CHANGELOG.md").write_text(
        "# Changelog\n\n## 2026-01-02\n\n- Corrected G.c6.p12.\n", encoding="utf-8"
    )
    tei = tmp_path / "tei"
    tei.mkdir()
    text = (
        (BASE / "tei" / "a.xml")
        .read_text(encoding="utf-8")
        .replace(
            '<change when="2025-01-01">Created for the tests of edition check.</change>',
            '<change when="2025-01-01">Created for the tests of edition check.</change>\n      '
            '<change when="2026-02-03" who="#editors">Corrected '
            "<hi>Trotskvist</hi> | *not* markup.</change>",
        )
    )
    (tei / "a.xml").write_text(text, encoding="utf-8")
    page = changelog.markdown(tmp_path / "CHANGELOG.md", tei)
    assert page.startswith("# Changelog\n\n## 2026-01-02\n\n- Corrected G.c6.p12.\n")
    rows = [line for line in page.splitlines() if line.startswith("| 20")]
    assert rows == [
        "| 2026-02-03 | A: Alpha | Corrected Trotskvist \\| \\*not\\* markup. | editors |",
        "| 2025-01-01 | A: Alpha | Created for the tests of edition check. |  |",
    ]


def test_changelog_reads_the_header_alone_or_the_whole_file_alike(tmp_path):
    """The changelog reads only the teiHeader where it can; a file whose root is prefixed (the
    header-only shortcut cannot close it) gives the same changes, and a file that is not
    well-formed gives none (edition check reports it)."""
    text = (BASE / "tei" / "a.xml").read_text(encoding="utf-8")
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.xml").write_text(text, encoding="utf-8")
    prefixed = tmp_path / "prefixed"
    prefixed.mkdir()
    swapped = re.sub(r"<TEI\b", '<t:TEI xmlns:t="http://www.tei-c.org/ns/1.0"', text, count=1)
    (prefixed / "a.xml").write_text(swapped.replace("</TEI>", "</t:TEI>"), encoding="utf-8")
    assert changelog.header(prefixed / "a.xml") is not None
    assert changelog.tei_changes(plain) == changelog.tei_changes(prefixed) != []
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.xml").write_text(text.replace("</teiHeader>", "</teiHeadr>"), encoding="utf-8")
    assert changelog.tei_changes(broken) == []


def test_changelog_of_the_edition_renders():
    page = changelog.markdown()
    assert page.startswith("# Changelog\n") and "## Unreleased" in page


def test_the_documented_redirect_line_appended_to_the_shipped_file_is_read(tmp_path):
    """CONTRIBUTING.md's recipe, followed literally: append its example line to
    sources/redirects.yml."""
    import re

    recipe = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\nredirects:\n(.+?)```", recipe, re.S)
    assert block, "CONTRIBUTING.md no longer shows the redirects example"
    example = block.group(1).splitlines()[0]
    old, new = (part.strip() for part in example.split("#")[0].split(":"))
    path = tmp_path / "redirects.yml"
    shipped = (ROOT / "sources" / "redirects.yml").read_text(encoding="utf-8")
    path.write_text(shipped.rstrip("\n") + "\n" + example + "\n", encoding="utf-8")
    mapping, lines, problems = registry.load_redirects(path)
    assert problems == [] and old in mapping and mapping[old] == new


def test_a_flow_mapping_with_a_line_appended_says_how_to_fix_it(tmp_path):
    path = tmp_path / "redirects.yml"
    path.write_text("redirects: {}\n  G.c6.p12: G.c6.p13\n", encoding="utf-8")
    _, _, problems = registry.load_redirects(path)
    assert [p.code for p in problems] == ["ids.redirects-unreadable"]
    assert "delete a `{}`" in problems[0].hint


def test_witness_editorial_responsibility_points_to_an_id_of_the_header():
    """Every @resp/@who="#X" in a TEI file names an element of that file (the check's targets rule);
    the documented example's #G.editors exists in getty.xml."""
    doc = etree.parse(str(ROOT / "tei" / "getty.xml"))
    assert doc.xpath(
        "//tei:titleStmt//tei:name[@xml:id='G.editors']",
        namespaces={"tei": "http://www.tei-c.org/ns/1.0"},
    )
    recipe = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert 'resp="#G.editors"' in recipe and 'resp="#editors"' not in recipe


def test_edition_diff_summarises_words_apparatus_decisions_and_removed_ids(tmp_path, monkeypatch):
    """`edition diff BASE` (the pull request summary of CI) on a git repository of the fixture
    project."""
    import shutil
    import subprocess

    from click.testing import CliRunner

    from build_scripts.cli import main

    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    b = project / "tei" / "b.xml"
    b.write_text(
        b.read_text(encoding="utf-8").replace(
            "The only paragraph of Beta.", "The sole paragraph of Beta, revised."
        ),
        encoding="utf-8",
    )
    a = project / "tei" / "a.xml"
    a.write_text(
        a.read_text(encoding="utf-8").replace('xml:id="A.body.p2"', 'xml:id="A.body.p3"'),
        encoding="utf-8",
    )
    (project / "sources" / "redirects.yml").write_text(
        "redirects:\n  A.body.p2: A.body.p3\n", encoding="utf-8"
    )
    app = project / "tei" / "apparatus.xml"
    app.write_text(
        app.read_text(encoding="utf-8").replace('ana="#confirmed"', 'ana="#rejected"'),
        encoding="utf-8",
    )
    monkeypatch.chdir(project)
    result = CliRunner(mix_stderr=False).invoke(main, ["diff", "HEAD", "--root", str(project)])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "| B b.xml | 1 | 1 | 0 |" in out  # only → sole, and one word added
    assert "| A a.xml | 0 | 0 | 0 |" in out
    assert "1 re-decided" in out and "- claim.paragraphs: confirmed → rejected" in out
    assert "- A.body.p2 → A.body.p3" in out
