"""Validation while typing: every TEI file names the edition's schemas in `<?xml-model?>` processing
instructions (as Oxygen and VS Code/LemMinX read them), and validates through them.

Editing in an XML editor cannot be tested here; instead each file is validated the way such an
editor does it: read its xml-model instructions, resolve each href against the file, and validate
with the schema type each names (RELAX NG; ISO Schematron). A broken file fails them. The schemas
are generated from schema/edition.odd (`edition schema --update`), and `edition check` runs the same
two.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree, isoschematron

from build_scripts.tei import fmt, odd, subset, teixml

ROOT = Path(__file__).resolve().parent.parent
TEI_FILES = sorted((ROOT / "tei").glob("*.xml"))
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
BASE_A = ROOT / "tests" / "fixtures" / "broken" / "_base" / "tei" / "a.xml"


def models(doc: etree._ElementTree) -> dict[str, str]:
    """schematypens → href of the document's xml-model instructions."""
    found = {}
    for node in doc.getroot().itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            pseudo = etree.fromstring(f"<x {node.text}/>")
            found[pseudo.get("schematypens")] = pseudo.get("href")
    return found


def validate_through_models(path: Path) -> list[str]:
    """What an XML editor reports for the file, through its own xml-model instructions."""
    doc = etree.parse(str(path))
    declared = models(doc)
    errors = [f"no xml-model for {ns}" for ns in (RNG_NS, SCH_NS) if ns not in declared]
    if RNG_NS in declared:
        rng = etree.RelaxNG(etree.parse(str((path.parent / declared[RNG_NS]).resolve())))
        if not rng.validate(doc):
            errors += [f"{e.line}: {e.message}" for e in rng.error_log]
    if SCH_NS in declared:
        sch = isoschematron.Schematron(
            etree.parse(str((path.parent / declared[SCH_NS]).resolve())), store_report=True
        )
        if not sch.validate(doc):
            errors += [
                " ".join(t.split())
                for t in sch.validation_report.xpath(
                    "//svrl:failed-assert/svrl:text/text()",
                    namespaces={"svrl": "http://purl.oclc.org/dsdl/svrl"},
                )
            ]
    return errors


@pytest.mark.parametrize("path", TEI_FILES, ids=lambda p: p.name)
def test_each_tei_file_validates_through_its_own_xml_model_instructions(path):
    assert validate_through_models(path) == []


def test_the_generated_schemas_are_those_of_the_odd():
    """schema/tei_edition.sch is the ODD's Schematron, and the RELAX NG keeps every ODD element."""
    assert (ROOT / "schema" / "tei_edition.sch").read_bytes() == odd.schematron(), (
        "run `edition schema --update`"
    )
    committed = subset.subset()
    assert committed is not None and odd.elements() <= committed[1], "run `edition schema --update`"


def project_with(tmp_path: Path, text: str) -> Path:
    """A file in a tei/ folder beside a copy of schema/, as in a clone."""
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    (tmp_path / "tei").mkdir()
    path = tmp_path / "tei" / "a.xml"
    path.write_bytes(fmt.canonical(text.encode("utf-8")))
    return path


def test_a_valid_file_passes_and_broken_files_fail_their_xml_model_schemas(tmp_path):
    text = BASE_A.read_text(encoding="utf-8")
    assert validate_through_models(project_with(tmp_path / "ok", text)) == []
    # a TEI error (RELAX NG): an element TEI does not have
    wrong = text.replace("Second paragraph.", "Second <emphasis>paragraph</emphasis>.")
    assert validate_through_models(
        project_with(tmp_path / "rng", wrong)
    )  # libxml2 words it its own way
    # a project rule (Schematron): a paragraph without its id
    no_id = text.replace('<p xml:id="A.body.p2">', "<p>")
    assert "<p> has no xml:id" in validate_through_models(project_with(tmp_path / "sch", no_id))


def test_the_check_runs_the_same_rules_as_the_xml_model_schematron(tmp_path):
    """`edition check` stays the authority: the rule an editor sees while typing is its problem
    too."""
    no_id = BASE_A.read_text(encoding="utf-8").replace('<p xml:id="A.body.p2">', "<p>")
    path = project_with(tmp_path, no_id)
    problems = odd.validate(etree.parse(str(path)), path.read_bytes(), path)
    assert [(p.code, p.message) for p in problems] == [("ids.missing", "<p> has no xml:id")]


def test_every_file_the_toolchain_writes_names_the_schemas():
    root = etree.fromstring('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>')
    data = teixml.serialize(root)
    assert (
        models(etree.ElementTree(etree.fromstring(data)).getroot().getroottree())
        or b"xml-model" in data
    )
    assert data.count(b"<?xml-model ") == 2
