"""schema/edition.odd (the project's TEI customisation) → the element list of the RELAX NG subset
and the ISO Schematron of the project's rules; Schematron validation with `file:line` problems.

No ODD processor (TEI Stylesheets, Roma) runs offline here, so this module is the processor for the
two things the ODD says: its `elementRef` list (subset.py restricts vendor/tei/tei_all.rng to it)
and its `constraintSpec scheme="schematron"` rules (copied into schema/tei_edition.sch). Both
generated files are committed (`edition schema --update`); the TEI files name them in
`<?xml-model?>` processing instructions, and `edition check` runs the same Schematron through
lxml.isoschematron (XSLT 1.0 / XPath 1.0). Each assert's @id is the problem code; its diagnostic is
the hint.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from lxml import etree, isoschematron

from build_scripts.problems import Location, Problem, relpath
from build_scripts.tei.teixml import ROOT, TEI_NS

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
ODD = ROOT / "schema" / "edition.odd"
SCHEMATRON = ROOT / "schema" / "tei_edition.sch"
NS = {"tei": TEI_NS, "sch": SCH_NS, "svrl": SVRL_NS}


def elements(odd: Path = ODD) -> frozenset[str]:
    """The TEI elements the customisation allows (its elementRef keys)."""
    tree = etree.parse(str(odd))
    return frozenset(tree.xpath("//tei:schemaSpec/tei:elementRef/@key", namespaces=NS))


def schematron(odd: Path = ODD) -> bytes:
    """The ODD's Schematron rules as one ISO Schematron schema (one pattern per constraintSpec)."""
    tree = etree.parse(str(odd))
    schema = etree.Element(f"{{{SCH_NS}}}schema", nsmap={"sch": SCH_NS}, queryBinding="xslt")
    schema.append(
        etree.Comment(
            f" Generated from {odd.name} by the command: edition schema, with its "
            "update option. Do not edit: edit the constraintSpecs of the ODD. "
        )
    )
    etree.SubElement(schema, f"{{{SCH_NS}}}ns", prefix="tei", uri=TEI_NS)
    diagnostics = etree.Element(f"{{{SCH_NS}}}diagnostics")
    for spec in tree.xpath("//tei:constraintSpec[@scheme='schematron']", namespaces=NS):
        rules = spec.xpath("tei:constraint/sch:rule", namespaces=NS)
        if rules:
            pattern = etree.SubElement(schema, f"{{{SCH_NS}}}pattern", id=spec.get("ident"))
            pattern.extend(_copy(rule) for rule in rules)
        diagnostics.extend(
            _copy(d)
            for d in spec.xpath("tei:constraint/sch:diagnostics/sch:diagnostic", namespaces=NS)
        )
    if len(diagnostics):
        schema.append(diagnostics)
    etree.indent(schema)
    return etree.tostring(schema, xml_declaration=True, encoding="UTF-8") + b"\n"


def _copy(el: etree._Element) -> etree._Element:
    """A Schematron element without the ODD's namespace declarations (tei: is bound by sch:ns)."""
    copy = etree.fromstring(etree.tostring(el))
    etree.cleanup_namespaces(copy, top_nsmap={"sch": SCH_NS})
    return copy


def write(target: Path = SCHEMATRON, odd: Path = ODD) -> Path:
    target.write_bytes(schematron(odd))
    return target


@functools.lru_cache(maxsize=2)
def _compiled(path: Path) -> tuple[isoschematron.Schematron, str] | None:
    if not path.exists() and not ODD.exists():
        # a project without the customisation (an old clone): the RELAX NG check still runs
        return None
    data = path.read_bytes() if path.exists() else schematron()
    tree = etree.fromstring(data)
    return isoschematron.Schematron(tree, store_report=True), hashlib.sha256(data).hexdigest()


def validate(
    doc: etree._ElementTree,
    data: bytes,
    path: Path,
    cache_dir: Path | None = None,
    sch: Path = SCHEMATRON,
) -> list[Problem]:
    """The project rules' problems for one TEI document, each at its line (cached by content)."""
    compiled = _compiled(sch)
    if compiled is None:
        return []
    validator, digest = compiled
    key = hashlib.sha256(f"sch:{digest}".encode() + b"\0" + data).hexdigest()
    cached = _read(cache_dir, key)
    if cached is None:
        cached = [] if validator.validate(doc) else _entries(validator.validation_report, doc)
        _write(cache_dir, key, cached)
    return [
        Problem(Location(relpath(path), line), message, hint, code)
        for line, message, hint, code in cached
    ]


def _entries(report: etree._ElementTree, doc: etree._ElementTree) -> list[list]:
    entries = []
    for failed in report.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=NS):
        found = doc.xpath(failed.get("location"))
        line = found[0].sourceline if found and hasattr(found[0], "sourceline") else None
        text = " ".join("".join(failed.find(f"{{{SVRL_NS}}}text").itertext()).split())
        hint = " ".join(
            " ".join("".join(d.itertext()).split())
            for d in failed.iterfind(f"{{{SVRL_NS}}}diagnostic-reference")
        )
        entries.append(
            [
                line,
                text,
                hint or "See the rule in schema/edition.odd",
                failed.get("id") or "tei.rule",
            ]
        )
    return entries


def _read(cache_dir: Path | None, key: str) -> list | None:
    try:
        return (
            json.loads((cache_dir / f"{key}.json").read_text(encoding="utf-8"))
            if cache_dir
            else None
        )
    except (OSError, ValueError):
        return None


def _write(cache_dir: Path | None, key: str, entries: list) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        (cache_dir / f"{key}.json").write_text(json.dumps(entries), encoding="utf-8")
    except OSError:
        pass
