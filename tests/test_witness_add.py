"""`edition witness add`: a new witness in one step, end to end, in a copy of a small edition.

The fixture project has two witnesses; adding one more goes through exactly the code a sixth
witness of the real edition would (nothing in the command counts the witnesses).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "fixtures" / "broken" / "_base"

ARTICLE = """GAMMA

The purges of the late 1930s are described in many works. This short article names two of them.

Alpha, published in 2000, counts the victims differently from Beta.

A third paragraph closes the article.
"""


def test_a_new_witness_is_added_imported_checked_and_detected(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    shutil.copytree(ROOT / "schema", project / "schema")
    shutil.copytree(ROOT / "vendor", project / "vendor")
    source = tmp_path / "gamma.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    facts = tmp_path / "facts.yml"
    facts.write_text(
        yaml.safe_dump(
            {
                "author": {"value": "Gail Gamma", "cert": "high"},
                "title": {"value": "Gamma", "cert": "high"},
                "date": {"value": "2010", "cert": "high"},
                "kind": "article",
                "language": "en",
                "rights": {"status": "unknown", "statement": "None stated."},
                "publication": "excerpts",
                "bibkey": "gamma2010",
            }
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "build_scripts",
            "witness",
            "add",
            str(source),
            "--siglum",
            "C",
            "--facts",
            str(facts),
            "--root",
            str(project),
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    manifest = yaml.safe_load((project / "sources" / "witnesses.yml").read_text(encoding="utf-8"))
    entry = manifest["witnesses"][-1]
    assert (
        entry["siglum"] == "C"
        and entry["tei"] == "c.xml"
        and (project / "sources" / "gamma.txt").exists()
    )
    tei = (project / "tei" / "c.xml").read_text(encoding="utf-8")
    assert (
        'xml:id="C"' in tei and 'xml:id="C.' in tei and 'xml:id="A.' not in tei
    )  # ids from its own siglum
    assert "C: []" in (project / "sources" / "excerpts.yml").read_text(encoding="utf-8")
    assert "keywords  = {witness:C}" in (project / "references.bib").read_text(encoding="utf-8")
    assert (
        "edition check: no problems." in done.stdout
    )  # the check ran on the edition with the new witness
    assert (project / "tei" / "apparatus.xml").exists()  # and detection ran after it
    # Not asserted: a check after detection. In this two-witness fixture `edition apparatus detect`
    # writes empty <listApp> elements, which tei_all rejects (a bug of the apparatus writer,
    # reported).


def test_a_taken_siglum_is_one_message(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    source = tmp_path / "x.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "build_scripts",
            "witness",
            "add",
            str(source),
            "--siglum",
            "A",
            "--root",
            str(project),
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert (
        done.returncode == 1 and done.stderr.count("\n") == 1 and "[witness.facts]" in done.stderr
    )
