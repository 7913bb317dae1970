"""`edition fmt`: canonical layout, idempotent, never a change of text; `fmt --check` on the committed TEI."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st
from lxml import etree

from build_scripts.tei import fmt
from build_scripts.tei import teixml
from build_scripts.cli import main

ROOT = Path(__file__).resolve().parent.parent
TEI_FILES = sorted((ROOT / "tei").glob("*.xml"))
CONTAINERS = ["div", "body", "list", "table", "row", "listBibl", "front"]
MIXED = ["p", "head", "note", "hi", "item", "cell", "quote"]
TEXT = st.text(alphabet=st.sampled_from("ab \n\t<&>\"é—"), max_size=6) | st.none()


def build(spec) -> etree._Element:
    tag, attrs, text, tail, children = spec
    el = etree.Element(teixml.tei(tag), attrs)
    el.text, el.tail = text, tail
    for child in children:
        el.append(build(child))
    return el


elements = st.recursive(
    st.tuples(st.sampled_from(MIXED + CONTAINERS), st.just({}), TEXT, TEXT, st.just([])),
    lambda kids: st.tuples(st.sampled_from(MIXED + CONTAINERS), st.sampled_from([{}, {"n": "1"}, {"rend": "a  b"}]), TEXT, TEXT, st.lists(kids, max_size=4)),
    max_leaves=25,
)


def document(spec) -> bytes:
    root = etree.Element(teixml.tei("TEI"), nsmap={None: teixml.TEI_NS})
    text = etree.SubElement(root, teixml.tei("text"))
    text.append(build(spec))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def assert_same_text(before: etree._Element, after: etree._Element) -> None:
    """Same elements and attributes; every text node is identical unless it is whitespace between the children of a container."""
    assert (before.tag, dict(before.attrib), len(before)) == (after.tag, dict(after.attrib), len(after))
    container = teixml.local(before) in teixml.CONTAINERS
    _same_or_layout(before.text, after.text, container)
    for old, new in zip(before, after):
        _same_or_layout(old.tail, new.tail, container)
        assert_same_text(old, new)


def _same_or_layout(old: str | None, new: str | None, container: bool) -> None:
    if container and not (old or "").strip():
        assert not (new or "").strip()  # layout whitespace may change, but never into text
    else:
        assert (old or "") == (new or "")


@settings(max_examples=300, deadline=None)
@given(elements)
def test_fmt_is_idempotent_and_keeps_the_text(spec):
    data = document(spec)
    once = fmt.canonical(data)
    assert fmt.canonical(once) == once
    assert_same_text(etree.fromstring(data), etree.fromstring(once))


def test_fmt_indents_containers_and_leaves_mixed_content_alone():
    data = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div><p>one <hi>two</hi>\n three</p><list><item>x</item></list></div></body></text></TEI>'
    assert fmt.canonical(data) == (
        b"<?xml version='1.0' encoding='UTF-8'?>\n"
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <text>\n    <body>\n      <div>\n'
        b"        <p>one <hi>two</hi>\n three</p>\n        <list>\n          <item>x</item>\n        </list>\n"
        b"      </div>\n    </body>\n  </text>\n</TEI>\n"
    )


def test_fmt_keeps_a_prolog():
    data = b'<?xml version="1.0"?>\n<?xml-model href="tei_all.rng"?>\n<!-- c -->\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>'
    out = fmt.canonical(data)
    assert b'<?xml-model href="tei_all.rng"?>' in out and b"<!-- c -->" in out
    assert fmt.canonical(out) == out


def test_fmt_check_lists_files_and_changes_nothing_then_fmt_fixes_them(tmp_path):
    messy = tmp_path / "messy.xml"
    messy.write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>')
    clean = tmp_path / "clean.xml"
    clean.write_bytes(fmt.canonical(messy.read_bytes()))
    runner = CliRunner(mix_stderr=False)
    result = runner.invoke(main, ["fmt", "--check", str(messy), str(clean)])
    assert result.exit_code == 1
    assert result.stderr == f"{messy}:1: the file is not in canonical layout (indentation or XML declaration differ from `edition fmt`'s). Run `edition fmt {messy}`; it changes only whitespace between container elements. [fmt.non-canonical]\n"
    assert messy.read_bytes().startswith(b"<TEI")
    result = runner.invoke(main, ["fmt", str(messy), str(clean)])
    assert result.exit_code == 0 and result.stdout == "edition fmt: 1 file(s) reformatted, 1 already canonical.\n"
    assert runner.invoke(main, ["fmt", "--check", str(messy), str(clean)]).exit_code == 0


def test_fmt_refuses_a_file_that_is_not_well_formed(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<TEI><text></TEI>")
    result = CliRunner(mix_stderr=False).invoke(main, ["fmt", str(bad)])
    assert result.exit_code == 1 and "[xml.not-well-formed]" in result.stderr and "Traceback" not in result.stderr
    assert bad.read_bytes() == b"<TEI><text></TEI>"


@pytest.mark.parametrize("path", TEI_FILES, ids=lambda p: p.name)
def test_committed_tei_is_canonical(path):
    """Fails until `edition fmt` has been run on the TEI (the lead runs it once all TEI has landed)."""
    data = path.read_bytes()
    problem = fmt.problem_for(path, data)
    assert problem is None, str(problem)
