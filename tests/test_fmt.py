"""`edition fmt`: canonical layout, idempotent, never a change of text; `fmt --check` on the
committed TEI."""

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
TEXT = st.text(alphabet=st.sampled_from('ab \n\t<&>"é—'), max_size=6) | st.none()


def build(spec) -> etree._Element:
    tag, attrs, text, tail, children = spec
    el = etree.Element(teixml.tei(tag), attrs)
    el.text, el.tail = text, tail
    for child in children:
        el.append(build(child))
    return el


elements = st.recursive(
    st.tuples(st.sampled_from(MIXED + CONTAINERS), st.just({}), TEXT, TEXT, st.just([])),
    lambda kids: st.tuples(
        st.sampled_from(MIXED + CONTAINERS),
        st.sampled_from([{}, {"n": "1"}, {"rend": "a  b"}]),
        TEXT,
        TEXT,
        st.lists(kids, max_size=4),
    ),
    max_leaves=25,
)


def document(spec) -> bytes:
    root = etree.Element(teixml.tei("TEI"), nsmap={None: teixml.TEI_NS})
    text = etree.SubElement(root, teixml.tei("text"))
    text.append(build(spec))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def assert_same_text(before: etree._Element, after: etree._Element) -> None:
    """Same elements and attributes; every text node is identical, except whitespace between the
    children of a container and single spaces that became line breaks (one sentence a line)."""
    assert (before.tag, dict(before.attrib), len(before)) == (
        after.tag,
        dict(after.attrib),
        len(after),
    )
    container = teixml.local(before) in teixml.CONTAINERS
    _same_or_layout(before.text, after.text, container)
    for old, new in zip(before, after):
        _same_or_layout(old.tail, new.tail, container)
        assert_same_text(old, new)


def _same_or_layout(old: str | None, new: str | None, container: bool) -> None:
    if container and not (old or "").strip():
        assert not (new or "").strip()  # layout whitespace may change, but never into text
    else:  # mixed content: at most a single space became a line break (same length, same words)
        assert (old or "").replace("\n", " ") == (new or "").replace("\n", " ") and len(
            old or ""
        ) == len(new or "")


@settings(max_examples=300, deadline=None)
@given(elements)
def test_fmt_is_idempotent_and_keeps_the_text(spec):
    data = document(spec)
    once = fmt.canonical(data)
    assert fmt.canonical(once) == once
    assert_same_text(etree.fromstring(data), etree.fromstring(once))


def test_fmt_indents_containers_and_leaves_mixed_content_alone():
    data = (
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div><p>one '
        b"<hi>two</hi>\n three</p><list><item>x</item></list></div></body></text></TEI>"
    )
    assert fmt.canonical(data) == (
        b"<?xml version='1.0' encoding='UTF-8'?>\n"
        + b"".join(b"<?xml-model " + m.encode() + b"?>\n" for m in teixml.XML_MODELS)
        + b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <text>\n    <body>\n      <div>\n'
        b"        <p>one <hi>two</hi>\n three</p>\n        "
        b"<list>\n          <item>x</item>\n        </list>\n"
        b"      </div>\n    </body>\n  </text>\n</TEI>\n"
    )


def test_fmt_keeps_a_prolog_and_names_the_edition_schemas():
    data = (
        b'<?xml version="1.0"?>\n<?xml-model href="tei_all.rng"?>\n<!-- '
        b'c -->\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>'
    )
    out = fmt.canonical(data)
    assert (
        b"<!-- c -->" in out and b'href="tei_all.rng"' not in out
    )  # an older xml-model is replaced
    assert (
        out.count(b"<?xml-model ") == 2
        and b"../schema/tei_edition.rng" in out
        and b"../schema/tei_edition.sch" in out
    )
    assert fmt.canonical(out) == out


SENTENCES = st.lists(
    st.sampled_from(
        [
            "Alpha",
            "beta",
            "gamma,",
            "delta.",
            "Epsilon!",
            "“Zeta”.",
            "(eta)",
            "1937.",
            "Theta?",
            "iota;",
            " ",
            "\n",
            "- list",
            "# head",
        ]
    ),
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(SENTENCES, SENTENCES)
def test_one_sentence_a_line_changes_no_word_and_is_idempotent(first, second):
    text, tail = " ".join(first), " ".join(second)
    p = etree.Element(teixml.tei("p"))
    p.text = text
    hi = etree.SubElement(p, teixml.tei("hi"))
    hi.text, hi.tail = "x", tail
    data = document_of(p)
    once = fmt.canonical(data)
    assert fmt.canonical(once) == once
    old_p, new_p = (etree.fromstring(d).find(".//" + teixml.tei("p")) for d in (data, once))
    pairs = (
        (old_p.text, new_p.text),
        (old_p[0].text, new_p[0].text),
        (old_p[0].tail, new_p[0].tail),
    )
    for a, b in pairs:  # every text node: the same words, the same length (offsets into it kept)
        assert " ".join((a or "").split()) == " ".join((b or "").split())
        assert len(a or "") == len(b or "") and (a or "").replace("\n", " ") == (b or "").replace(
            "\n", " "
        )
    for line in (
        once.decode().splitlines() if "\n" not in text + tail else []
    ):  # no break starts markup
        assert not line.lstrip().startswith(("- ", "# ", "1937."))


def document_of(p: etree._Element) -> bytes:
    root = etree.Element(teixml.tei("TEI"), nsmap={None: teixml.TEI_NS})
    body = etree.SubElement(etree.SubElement(root, teixml.tei("text")), teixml.tei("body"))
    body.append(p)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_fmt_check_lists_files_and_changes_nothing_then_fmt_fixes_them(tmp_path):
    messy = tmp_path / "messy.xml"
    messy.write_bytes(
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>'
    )
    clean = tmp_path / "clean.xml"
    clean.write_bytes(fmt.canonical(messy.read_bytes()))
    runner = CliRunner(mix_stderr=False)
    result = runner.invoke(main, ["fmt", "--check", str(messy), str(clean)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{messy}:1: the file is not in canonical layout (indentation, one sentence a "
        "line or the xml-model lines differ from `edition fmt`'s). Run `edition fmt "
        f"{messy}`; it changes only whitespace that TEI ignores. [fmt.non-canonical]\n"
    )
    assert messy.read_bytes().startswith(b"<TEI")
    result = runner.invoke(main, ["fmt", str(messy), str(clean)])
    assert (
        result.exit_code == 0
        and result.stdout == "edition fmt: 1 file(s) reformatted, 1 already canonical.\n"
    )
    assert runner.invoke(main, ["fmt", "--check", str(messy), str(clean)]).exit_code == 0


def test_fmt_refuses_a_file_that_is_not_well_formed(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<TEI><text></TEI>")
    result = CliRunner(mix_stderr=False).invoke(main, ["fmt", str(bad)])
    assert (
        result.exit_code == 1
        and "[xml.not-well-formed]" in result.stderr
        and "Traceback" not in result.stderr
    )
    assert bad.read_bytes() == b"<TEI><text></TEI>"


@pytest.mark.parametrize("path", TEI_FILES, ids=lambda p: p.name)
def test_committed_tei_is_canonical(path):
    """Fails until `edition fmt` has been run on the TEI (the lead runs it once all TEI has
    landed)."""
    data = path.read_bytes()
    problem = fmt.problem_for(path, data)
    assert problem is None, str(problem)


def flattened(data: bytes) -> bytes:
    """The file with every line break inside mixed content back to a space (its layout undone)."""
    root = etree.fromstring(data)
    for el in root.iter(etree.Element):
        if teixml.local(el) in teixml.SENTENCE_LINES and el.text:
            el.text = el.text.replace("\n", " ")
        parent = el.getparent()
        if parent is not None and teixml.local(parent) in teixml.SENTENCE_LINES and el.tail:
            el.tail = el.tail.replace("\n", " ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("path", TEI_FILES, ids=lambda p: p.name)
def test_layout_changes_no_word_and_no_apparatus_offset_of_the_witness(path):
    """Proof per file: the one-sentence-a-line layout of the witness, laid over its text with the
    layout undone, gives the same characters of the text, the same words in reading order (the
    fidelity test's reading, which splits words as the witness does) and the same passages with the
    same characters at the same offsets (the apparatus's)."""
    from build_scripts.apparatus.passages import witness_passages
    from build_scripts.tei import words

    flat = flattened(path.read_bytes())
    laid_out = fmt.canonical(flat)
    a, b = etree.fromstring(flat), etree.fromstring(laid_out)
    text_a, text_b = ("".join(x.find(teixml.tei("text")).itertext()) for x in (a, b))
    assert "".join(text_a.split()) == "".join(
        text_b.split()
    )  # the same characters, in the same order
    ra, rb = words.tei_reading(a), words.tei_reading(b)
    assert [w.text for w in ra.main] == [w.text for w in rb.main]
    assert [[w.text for w in n.words] for n in ra.notes] == [
        [w.text for w in n.words] for n in rb.notes
    ]
    before = [(p.id, p.text) for p in witness_passages(a.getroottree(), path.name)]
    after = [(p.id, p.text) for p in witness_passages(b.getroottree(), path.name)]
    assert before == after


def test_the_apparatus_entries_are_put_in_id_order_and_kept_whole():
    """An entry added by hand anywhere in its list is moved to where `edition apparatus detect`
    writes it (ordered by id), whole; the list's head and the other lists stay where they are."""
    tei = teixml.NS["tei"]
    source = (
        f'<TEI xmlns="{tei}"><text><body><listApp type="claims"><head>Claims</head>'
        '<app xml:id="claim.b"><rdg>two</rdg></app><!-- kept -->'
        '<app xml:id="claim.a"><rdg>one</rdg><note>n</note></app>'
        '<app xml:id="claim.c"><rdg>three</rdg></app></listApp>'
        '<listApp type="reuse"><app xml:id="z"/><app xml:id="y"/></listApp></body></text></TEI>'
    ).encode()
    out = fmt.canonical(source)
    problem = fmt.problem_for(Path("tei/apparatus.xml"), source)
    assert "order of the ids" in problem.hint
    assert fmt.canonical(out) == out
    lists = etree.fromstring(out).iter(f"{{{tei}}}listApp")
    claims, reuse = next(lists), next(lists)
    names = [
        e.get(teixml.XML_ID) or etree.QName(e).localname for e in claims if isinstance(e.tag, str)
    ]
    assert names == ["head", "claim.a", "claim.b", "claim.c"]
    assert "".join(claims[1].itertext()) == "onen" and isinstance(claims[2], etree._Comment)
    assert [e.get(teixml.XML_ID) for e in reuse] == ["y", "z"]
