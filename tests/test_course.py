"""Course packs (issue 15): the course schema's errors with file:line, the withheld-passage notice
(never a silent cut), the teacher's text escaped, the PDF's words, PDF/UA tags, the site page."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from build_scripts.cli import main
from build_scripts.pdf import build as pdf
from build_scripts.pdf import course as pack
from build_scripts.site import course_schema as schema
from build_scripts.site import courses as site_courses
from build_scripts.tei import words
from conftest import ROOT

COURSES = sorted((ROOT / "courses").glob("*.yml"))
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture(scope="module")
def ed():
    return schema.edition(everything=False)


@pytest.fixture(scope="module", autouse=True)
def private_typst_folder(tmp_path_factory):
    saved, pdf.WORK = pdf.WORK, tmp_path_factory.mktemp("typst")
    yield
    pdf.WORK = saved


def load_text(tmp_path, text, ed):
    path = tmp_path / "c.yml"
    path.write_text(text, encoding="utf-8")
    return schema.load(path, ed)


def one(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, [str(p) for p in problems]
    return found[0]


def ids_of(ed, siglum, published):
    """Paragraph ids of a witness, published (listed in sources/excerpts.yml) or not."""
    keep = ed.keep.get(siglum, frozenset())
    ids = ed.docs[siglum].xpath(
        "//tei:body//tei:p/@xml:id", namespaces={"tei": "http://www.tei-c.org/ns/1.0"}
    )
    return [
        i for i in ids if (i in keep) == published and not any(i.startswith(k + ".") for k in keep)
    ]


def excerpted(ed):
    return next(s for s in ed.witnesses if ed.withholds(s))


def full(ed):
    return next(s for s in ed.witnesses if not ed.withholds(s))


@pytest.mark.parametrize("path", COURSES, ids=lambda p: p.name)
def test_committed_courses_are_valid(path, ed):
    course, problems = schema.load(path, ed)
    assert course is not None, [str(p) for p in problems]
    assert not [p for p in problems if p.severity == "error"]


def test_unknown_key_is_an_error_at_its_line(tmp_path, ed):
    s = full(ed)
    first = ids_of(ed, s, False)[0]
    text = (
        "title: T\nsessions:\n  - title: W\n    passages:\n      "
        f"- witness: {s}\n        id: {first}\n        colour: red\n"
    )
    course, problems = load_text(tmp_path, text, ed)
    p = one(problems, "course.unknown-key")
    assert course is None and p.location.line == 7 and "'colour'" in p.message and "note" in p.hint


def test_top_level_unknown_key_and_wrong_type(tmp_path, ed):
    s = full(ed)
    text = (
        "title: T\nteachr: X\napparatus:\n  show: maybe\npassages:\n "
        f" - witness: {s}\n    id: {ids_of(ed, s, False)[0]}\n"
    )
    _, problems = load_text(tmp_path, text, ed)
    assert one(problems, "course.unknown-key").location.line == 2
    assert one(problems, "course.bad-type").location.line == 4


def test_reversed_range_is_an_error(tmp_path, ed):
    s = full(ed)
    a, b = ids_of(ed, s, False)[:2]
    _, problems = load_text(
        tmp_path, f"title: T\npassages:\n  - witness: {s}\n    from: {b}\n    to: {a}\n", ed
    )
    p = one(problems, "course.reversed-range")
    assert p.location.line == 3 and "Swap" in p.hint


def test_range_without_paragraphs_is_an_error(tmp_path, ed):
    inline = {"title", "hi", "seg", "pb", "name", "persName", "date", "num", "ref", "q"}
    s, note = next(
        (s, el.get("{http://www.w3.org/XML/1998/namespace}id"))
        for s, doc in ed.docs.items()
        for el in doc.xpath("//*[@xml:id]")
        if el.tag.split("}")[1] in inline
    )
    _, problems = load_text(
        tmp_path, f"title: T\npassages:\n  - witness: {s}\n    from: {note}\n    to: {note}\n", ed
    )
    one(problems, "course.empty-range")


def test_empty_list_is_an_error(tmp_path, ed):
    _, problems = load_text(tmp_path, "title: T\npassages: []\n", ed)
    assert one(problems, "course.empty-list").location.line == 2


def test_id_of_another_witness_is_named(tmp_path, ed):
    a, b = list(ed.witnesses)[:2]
    other = ids_of(ed, b, True)[0] if ed.withholds(b) else ids_of(ed, b, False)[0]
    _, problems = load_text(
        tmp_path, f"title: T\npassages:\n  - witness: {a}\n    id: {other}\n", ed
    )
    p = one(problems, "course.other-witness")
    assert f"witness {b}" in p.message and f"witness: {b}" in p.hint


def test_withheld_passage_is_a_warning_and_a_notice(tmp_path, ed):
    s = excerpted(ed)
    hidden = ids_of(ed, s, False)[0]
    course, problems = load_text(
        tmp_path, f"title: T\npassages:\n  - witness: {s}\n    id: {hidden}\n", ed
    )
    p = one(problems, "course.withheld")
    assert p.severity == "warning" and "in full" in p.message and course is not None
    assert [b.kind for b in course.passages[0].blocks] == ["withheld"]
    typ, _ = pack.document(course)
    assert "Passage not reproduced for rights reasons" in typ


def test_withheld_expected_keeps_the_notice_and_drops_the_warning(tmp_path, ed):
    """A teacher who chose a partly withheld passage knowingly says `withheld: expected`: the pack
    still prints the notice; `edition check` stays quiet. Any other value is an error."""
    s = excerpted(ed)
    hidden = ids_of(ed, s, False)[0]
    spec = f"title: T\npassages:\n  - witness: {s}\n    id: {hidden}\n    withheld: "
    course, problems = load_text(tmp_path, spec + "expected\n", ed)
    assert not [p for p in problems if p.code == "course.withheld"] and course is not None
    assert [b.kind for b in course.passages[0].blocks] == ["withheld"]
    _, problems = load_text(tmp_path, spec + "yes\n", ed)
    p = one(problems, "course.bad-value")
    assert p.location.line == 5 and "YAML reads yes" in p.message and "expected" in p.hint


@needs_poppler
def test_pack_of_withheld_passages_prints_notices_not_an_empty_pdf(tmp_path, ed):
    s = excerpted(ed)
    hidden = ids_of(ed, s, False)[:2]
    text = "title: Withheld\nsessions:\n  - title: Only withheld\n    passages:\n" + "".join(
        f"      - witness: {s}\n        id: {i}\n" for i in hidden
    )
    (tmp_path / "w.yml").write_text(text, encoding="utf-8")
    result = CliRunner(mix_stderr=False).invoke(
        main, ["pdf", "--course", str(tmp_path / "w.yml"), "--out-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.stderr
    assert (
        "[course.withheld]" in result.stderr and "not reproduced" in result.stderr
    )  # said on the console
    out = subprocess.run(
        ["pdftotext", str(tmp_path / "course-w.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert out.count("Passage not reproduced for rights reasons") == len(hidden)
    assert schema.paragraph_label(hidden[0]) in out


def test_teacher_text_is_escaped_markdown_subset():
    runs = schema.inline("A *b* [c](https://x.org/) #set `d` <e> $f$ \\g **h**")
    assert (
        ("em", "b", "") in runs
        and ("", "c", "https://x.org/") in runs
        and ("strong", "h", "") in runs
    )
    typ = pack.teacher("x #set page(width: 1cm) *y* [z](https://a.b/)")
    assert typ.startswith('#"x #set page(width: 1cm) "')  # the text stays one Typst string literal
    assert "#emph[" in typ and '#link("https://a.b/")' in typ
    md = site_courses.teacher_md("a <script> *b* # c [d](https://e.f/)")
    assert "<script>" not in md and "*b*" in md and "[d](https://e.f/)" in md


def test_schema_documents_every_key():
    doc = (ROOT / schema.DOCS).read_text(encoding="utf-8")
    keys = (
        set(schema.SCHEMA["properties"])
        | set(schema.SESSION["properties"])
        | set(schema.PASSAGE["properties"])
    )
    keys |= set(schema.SCHEMA["properties"]["apparatus"]["properties"])
    missing = [k for k in keys if f"`{k}`" not in doc and f"{k}:" not in doc]
    assert not missing, missing


def test_check_reads_courses(tmp_path, ed, monkeypatch):
    from build_scripts import check
    from build_scripts.project.paths import Project

    root = tmp_path / "ed"
    for part in ("sources", "tei"):
        shutil.copytree(ROOT / part, root / part)
    (root / "courses").mkdir()
    (root / "courses" / "bad.yml").write_text(
        "title: T\nfoo: 1\npassages:\n  - witness: Q\n    id: x\n", encoding="utf-8"
    )
    problems = check.course_schema.check(Project(root))
    assert {"course.unknown-key"} <= {p.code for p in problems}
    assert any(check_rule[0] == "courses" for check_rule in check.RULES)


@pytest.fixture(scope="module")
def second_pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    path = next(p for p in COURSES if p.stem != "sample")
    written, problems = pdf.build_course(path, out)
    assert written, [str(p) for p in problems]
    course, _ = schema.load(path)
    return written, course


@needs_poppler
def test_pdf_words_are_the_selection_plus_the_teachers_text(second_pack):
    import test_pdf as t

    path, course = second_pack
    pages = t.page_texts(path)
    teacher = [course.title, course.subtitle, course.course, course.teacher, course.introduction]
    for s in course.sessions:
        teacher += [s.title, s.introduction, *s.questions, *(p.note for p in s.passages)]
    allowed = t.furniture_words(course, pages)
    furniture = [
        "Session",
        "Questions for discussion",
        "Teacher's note",
        "Cite as",
        "Introduction",
        *(schema.short(p.witness) + " " + p.chapter for p in course.passages),
        *(schema.paragraph_label(i) for p in course.passages for b in p.blocks for i in b.ids),
        *(pg for p in course.passages for pg in p.pages),
        pack.withheld_notice.__doc__ or "",
        "Passage not reproduced for rights reasons the edition publishes only excerpts of "
        "Read it at the edition's page which names what is withheld or in the printed text "
        "Works cited pp",
        *(schema.plain(x) for x in teacher if x),
    ]
    allowed |= {w.text for x in furniture for w in words.tokens(x)}
    start = 1 + max(k for k, page in enumerate(pages) if ". . . . . ." in page)
    pdf_words = [w.text for page in pages[start:] for w in words.tokens(page)]
    failure = t.walk_pdf(
        pdf_words, t.selection_reading(course), allowed, tables=t.table_runs(course)
    )
    assert failure is None, failure
    joined = " ".join(pdf_words)
    for q in [
        q for s in course.sessions for q in s.questions
    ]:  # the teacher's text, whole and in order
        assert " ".join(w.text for w in words.tokens(schema.plain(q))) in joined, q


def test_pdf_is_tagged_for_pdf_ua(second_pack):
    path, _ = second_pack
    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title


def test_apparatus_prints_confirmed_entries_without_ids(second_pack):
    path, course = second_pack
    typ = (pdf.WORK / f"{path.stem}.typ").read_text(encoding="utf-8")
    assert "#app-table(" in typ
    assert "Unreviewed machine entry" not in typ  # confirmed only by default
    from build_scripts.apparatus import store

    loci, _ = store.read(ROOT / "tei" / "apparatus.xml")
    assert not any(f'"{l.id}"' in typ or f"{l.id}]" in typ for l in loci if l.id)
    course.unreviewed = True
    assert len(pack.apparatus_entries(course)) >= typ.count("#app-table(")


def test_site_page_links_every_passage(ed):
    from build_scripts.site import render

    state = render.plan()
    for path in COURSES:
        course, _ = schema.load(path, ed)
        md = site_courses.page(course, state)
        assert f"course-{course.name}.pdf" in md
        for p in course.passages:
            for block in p.blocks:
                if (
                    block.kind != "head"
                    and block.ids
                    and block.ids[0] in state[p.witness.tei]["anchors"]
                ):
                    assert f"#{block.ids[0]}" in md or block.ids[0] in md
        assert md.count("*not reproduced for rights reasons*") == sum(
            1 for p in course.passages for b in p.blocks if b.kind == "withheld"
        )


def test_the_course_schema_is_a_valid_json_schema():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(schema.SCHEMA)  # raises SchemaError if not
