"""courses/*.yml → a checked course: the schema, its file:line errors, and the selection it makes.

A course file is validated in two steps: its shape against SCHEMA (a JSON Schema, checked by the
`jsonschema` library; each error is mapped to the line of the YAML it concerns), then its meaning
against the edition (witness known, ids of that witness, ranges in document order and not empty,
what the publication setting of sources/excerpts.yml withholds). `load` returns the course with
its passages resolved to TEI blocks, each marked published or withheld; the PDF (pdf/course.py),
the site page (site/courses.py) and `edition check` all read courses through it.

Teacher's text (introduction, notes, questions) is a small Markdown subset: *emphasis*,
**strong** and [links](https://…). Everything else is text, escaped by each renderer (`inline`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from lxml import etree

from build_scripts.problems import Location, Problem, relpath
from build_scripts.project import witnesses as manifest
from build_scripts.project.paths import Project
from build_scripts.tei import teixml
from build_scripts.tei import model as m
from build_scripts.tei.load import Loader
from build_scripts.tei.teixml import NS, XML_ID, local

DOCS = "docs/about/course-packs.md"
_TEXT = {"type": "string", "minLength": 1}
_MD = {**_TEXT, "description": "Markdown subset: *emphasis*, **strong**, [text](https://…)"}
PASSAGE = {
    "type": "object",
    "description": "One passage: a witness and exactly one of div, id or from (with to).",
    "additionalProperties": False,
    "required": ["witness"],
    "properties": {
        "witness": {**_TEXT, "description": "The siglum of the witness (sources/witnesses.yml)"},
        "div": {**_TEXT, "description": "xml:id of a division: the whole chapter or section"},
        "id": {**_TEXT, "description": "xml:id of one paragraph, quotation or table"},
        "from": {**_TEXT, "description": "xml:id of the first paragraph of a range"},
        "to": {**_TEXT, "description": "xml:id of the last paragraph of the range (inclusive)"},
        "note": {**_MD, "description": "The teacher's note printed before the passage"},
        "withheld": {
            "enum": ["expected"],
            "description": "`expected`: you know that parts of the passage are withheld (rights)"
            " and want the notices printed without a warning",
        },
    },
}
SESSION = {
    "type": "object",
    "description": "A session (a week) of the course: a heading, passages and questions.",
    "additionalProperties": False,
    "required": ["title", "passages"],
    "properties": {
        "title": {**_TEXT, "description": "The session's heading"},
        "introduction": {**_MD, "description": "The teacher's text at the start of the session"},
        "passages": {"type": "array", "minItems": 1, "items": PASSAGE},
        "questions": {
            "type": "array",
            "minItems": 1,
            "items": _MD,
            "description": "Discussion questions, printed after the session's passages",
        },
    },
}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "A course pack (courses/*.yml)",
    "type": "object",
    "additionalProperties": False,
    "required": ["title"],
    "properties": {
        "title": {**_TEXT, "description": "The title of the pack"},
        "subtitle": {**_TEXT, "description": "A subtitle under the title"},
        "course": {**_TEXT, "description": "The course's code and name"},
        "teacher": {**_TEXT, "description": "The teacher's name"},
        "introduction": {**_MD, "description": "The teacher's introduction (before session 1)"},
        "apparatus": {
            "type": "object",
            "additionalProperties": False,
            "description": "Which apparatus entries the pack prints",
            "properties": {
                "show": {"type": "boolean", "description": "Print the apparatus (default true)"},
                "level": {
                    "enum": ["substantive", "all"],
                    "description": "substantive (default): claims, citations and quotations "
                    "with a substantive variant; all: every entry",
                },
                "unreviewed": {
                    "type": "boolean",
                    "description": "Also print entries no editor has reviewed yet, "
                    "marked as such (default false: confirmed only)",
                },
            },
        },
        "sessions": {
            "type": "array",
            "minItems": 1,
            "items": SESSION,
            "description": "The sessions (weeks), in order",
        },
        "passages": {
            "type": "array",
            "minItems": 1,
            "items": PASSAGE,
            "description": "Passages of a pack without sessions (one or the other)",
        },
    },
}
# SCHEMA itself is checked against the JSON Schema metaschema by tests/test_course.py (not at
# every import: a course pack is built in about a second)
BLOCKS = {
    "p",
    "table",
    "cit",
    "quote",
    "list",
    "epigraph",
    "listBibl",
    "ab",
    "lg",
    "bibl",
    "floatingText",
    "div",
    "head",
    "divGen",
}
WITHHOLDABLE = {
    "p",
    "table",
    "cit",
    "quote",
    "list",
    "listBibl",
    "epigraph",
    "lg",
    "ab",
    "floatingText",
    "bibl",
}


# --- the course as the renderers read it --------------------------------------------------------
@dataclass
class Block:
    """A block of a passage in reading order: a heading, a paragraph (or table, quotation…), or a
    run of withheld blocks (`withheld`, with their ids and printed pages)."""

    kind: str  # head | block | withheld
    element: etree._Element | None = None
    ids: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    level: int = 1  # head: depth below the passage's own level


@dataclass
class Passage:
    witness: manifest.Witness
    label: str  # as the teacher wrote it: "K.art.p13–K.art.p20", "G.c7"
    first: str  # xml:id of the first block (its permalink)
    blocks: list[Block]
    note: str = ""
    line: int | None = None
    chapter: str = ""  # the heading of the division the passage lies in
    withheld_expected: bool = False  # `withheld: expected`: the teacher chose it knowingly

    @property
    def withheld(self) -> int:
        return sum(len(b.ids) for b in self.blocks if b.kind == "withheld")

    @property
    def printed(self) -> list[etree._Element]:
        return [b.element for b in self.blocks if b.kind == "block"]

    @property
    def elements(self) -> list[etree._Element]:  # the name the PDF tests and older callers use
        return self.printed

    @property
    def pages(self) -> list[str]:
        return [p for b in self.blocks for p in b.pages]


@dataclass
class Session:
    title: str
    passages: list[Passage]
    introduction: str = ""
    questions: list[str] = field(default_factory=list)


@dataclass
class Course:
    name: str  # the file's stem: course-<name>.pdf, edition/courses/<name>.md
    path: Path
    title: str
    subtitle: str = ""
    course: str = ""
    teacher: str = ""
    introduction: str = ""
    apparatus: bool = True
    level: str = "substantive"
    unreviewed: bool = False
    sessions: list[Session] = field(default_factory=list)
    docs: dict[str, etree._ElementTree] = field(default_factory=dict)  # TEI file → parsed tree

    @property
    def passages(self) -> list[Passage]:
        return [p for s in self.sessions for p in s.passages]


# --- reading the YAML with the line of every value ----------------------------------------------
def _lines(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """JSON path → line of the value (for a mapping key: the line of the key)."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[(*path, key.value)] = key.start_mark.line + 1
            _lines(value, (*path, key.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*path, i), out)
    return out


def _line(lines: dict[tuple, int], path) -> int | None:
    path = tuple(path)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def _where(path) -> str:
    parts = []
    for p in path:
        parts.append(f"[{p + 1}]" if isinstance(p, int) else ("." if parts else "") + str(p))
    return "".join(parts) or "the course"


def shape_problems(data, lines: dict[tuple, int], rel: str) -> list[Problem]:
    """The schema's verdicts, one clear line each."""
    import jsonschema  # here: a command that reads no course does not load it

    problems = []
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for err in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(err.absolute_path)
        where = _where(path)
        if err.validator == "additionalProperties":
            known = sorted(err.schema.get("properties", {}))
            for key in sorted(set(err.instance) - set(known), key=str):
                problems.append(
                    Problem(
                        Location(rel, _line(lines, [*path, key])),
                        f"unknown key {key!r} in {where}",
                        f"Use one of {', '.join(known)} (see {DOCS})",
                        "course.unknown-key",
                    )
                )
            continue
        hint = ""
        if err.validator == "required":
            key = re.search(r"'([^']+)'", err.message).group(1)
            message, code = f"{where} has no {key!r}", "course.missing-key"
        elif err.validator == "enum":
            allowed = ", ".join(map(str, err.validator_value))
            # YAML reads yes/no/on/off as true/false: say so, the teacher typed a word
            shown = (
                f"{err.instance!r} (YAML reads yes, no, on, off as true or false)"
                if isinstance(err.instance, bool)
                else repr(err.instance)
            )
            message = f"{where} is {shown}, not one of {allowed}"
            code, hint = "course.bad-value", f"Write {allowed} (see {DOCS})"
        elif err.validator == "minItems":
            message, code = f"{where} is an empty list", "course.empty-list"
        elif err.validator == "minLength":
            message, code = f"{where} is empty", "course.bad-value"
        elif err.validator == "type":
            message = (
                f"{where} must be {_kind(err.validator_value)}, not {_kind(type(err.instance))}"
            )
            code = "course.bad-type"
        else:
            message, code = f"{where}: {err.message}", "course.bad-value"
        problems.append(
            Problem(
                Location(rel, _line(lines, path)),
                message,
                hint or f"See the course file format in {DOCS}",
                code,
            )
        )
    return problems


def _kind(value) -> str:
    names = {
        "string": "text",
        "array": "a list",
        "object": "a mapping (key: value lines)",
        "boolean": "true or false",
        str: "text",
        list: "a list",
        dict: "a mapping",
        bool: "true or false",
        int: "a number",
        float: "a number",
        type(None): "empty",
    }
    return names.get(value, str(value))


# --- the edition the course points into ---------------------------------------------------------
def publish_all() -> bool:
    return os.environ.get("EDITION_PUBLISH_ALL", "") not in ("", "0", "false")


@dataclass
class Edition:
    """What a course is resolved against: the witnesses, their parsed TEI, the excerpt lists."""

    witnesses: dict[str, manifest.Witness]
    docs: dict[str, etree._ElementTree]  # siglum → tree
    keep: dict[str, frozenset[str]]
    everything: bool
    problems: list[Problem]

    def withholds(self, siglum: str) -> bool:
        w = self.witnesses[siglum]
        return not self.everything and w.fact("publication") == "excerpts"

    @functools.cached_property
    def owners(self) -> dict[str, str]:
        """xml:id → siglum of the witness holding it (for "an id of another witness")."""
        return {i: s for s, doc in self.docs.items() for i in doc.xpath("//@xml:id")}


def edition(project: Project | None = None, everything: bool | None = None) -> Edition:
    project = project or Project()
    wits, problems = manifest.load(project.manifest)
    keep, more = manifest.load_excerpts(project.excerpts)
    docs = {}
    for w in wits:
        doc, parse_problems = teixml.read(project.tei(w))
        problems += parse_problems + more
        more = []
        if doc is not None:
            docs[w.siglum] = doc
    everything = publish_all() if everything is None else everything
    return Edition(
        {w.siglum: w for w in wits if w.siglum in docs}, docs, keep, everything, problems
    )


# --- loading --------------------------------------------------------------------------------------
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: faster


def _parse(text: str):
    """The YAML node tree (for line numbers) and the data; an error is worded by PyYAML's own
    pure-Python parser, as it always was."""
    try:
        return yaml.compose(text, Loader=_LOADER), yaml.load(text, Loader=_LOADER)  # noqa: S506
    except yaml.YAMLError:
        return yaml.compose(text), yaml.safe_load(text)


def load(path: Path, ed: Edition | None = None) -> tuple[Course | None, list[Problem]]:
    """The course of `path`, resolved; None when it has an error (every error is in the list)."""
    rel = relpath(path)
    try:
        text = path.read_text(encoding="utf-8")
        node, data = _parse(text)
    except OSError as err:
        return None, [
            Problem(
                Location(rel),
                f"cannot read the course file: {err.strerror}",
                "Check the path (course files live in courses/)",
                "course.unreadable",
            )
        ]
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return None, [
            Problem(
                Location(rel, mark.line + 1 if mark else None),
                f"not valid YAML: {getattr(err, 'problem', None) or err}",
                "Fix the YAML syntax (quote text that holds a colon)",
                "course.yaml",
            )
        ]
    lines = _lines(node) if node is not None else {}
    problems = shape_problems(data, lines, rel)
    if isinstance(data, dict) and not problems:
        if ("sessions" in data) == ("passages" in data):
            problems.append(
                Problem(
                    Location(rel, 1),
                    "a course needs either sessions or passages (not both)",
                    f"Put the passages into sessions (see {DOCS})",
                    "course.missing-key",
                )
            )
    if problems:
        return None, problems
    ed = ed or edition()
    app = data.get("apparatus", {})
    course = Course(
        path.stem,
        path,
        data["title"],
        data.get("subtitle", ""),
        data.get("course", ""),
        data.get("teacher", ""),
        data.get("introduction", ""),
        app.get("show", True),
        app.get("level", "substantive"),
        app.get("unreviewed", False),
    )
    course.docs = {ed.witnesses[s].tei: doc for s, doc in ed.docs.items()}
    sessions = data.get("sessions") or [{"title": "", "passages": data["passages"]}]
    prefix = ("sessions",) if "sessions" in data else ()
    for k, spec in enumerate(sessions):
        session = Session(
            spec["title"], [], spec.get("introduction", ""), spec.get("questions", [])
        )
        for i, item in enumerate(spec["passages"]):
            where = (*prefix, k, "passages", i) if prefix else ("passages", i)
            passage, found = _passage(item, ed, Location(rel, _line(lines, where)))
            problems += found
            if passage is not None:
                session.passages.append(passage)
        course.sessions.append(session)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return course, problems


def _passage(spec: dict, ed: Edition, where: Location) -> tuple[Passage | None, list[Problem]]:
    siglum = spec["witness"]
    if siglum not in ed.witnesses:
        return None, [
            Problem(
                where,
                f"passage names witness {siglum!r}, which the edition does not have",
                f"Use one of {', '.join(ed.witnesses)}",
                "course.unknown-witness",
            )
        ]
    w, doc = ed.witnesses[siglum], ed.docs[siglum]
    kinds = [k for k in ("div", "id", "from") if k in spec]
    if len(kinds) != 1 or ("to" in spec and kinds != ["from"]):
        given = (k for k in spec if k in ("div", "id", "from", "to"))
        return None, [
            Problem(
                where,
                f"a passage needs exactly one of div, id or from (with to); "
                f"this one has {', '.join(given) or 'none'}",
                f"See {DOCS}",
                "course.bad-passage",
            )
        ]
    ids = [spec[k] for k in ("div", "id", "from", "to") if k in spec]
    for ident in ids:
        if _by_id(doc, ident) is not None:
            continue
        other = ed.owners.get(ident)
        if other is not None:
            return None, [
                Problem(
                    where,
                    f"{ident} is an id of witness {other}, not of {siglum}",
                    f"Write witness: {other}, or choose an id of {siglum}",
                    "course.other-witness",
                )
            ]
        return None, [
            Problem(
                where,
                f"passage points to {ident}, which tei/{w.tei} does not have",
                "Use an xml:id of that witness (the end of a paragraph's ¶ permalink on the site)",
                "course.unknown-id",
            )
        ]
    if "from" in spec:
        first, last = _by_id(doc, spec["from"]), _by_id(doc, spec.get("to", spec["from"]))
        label = f"{spec['from']}–{spec['to']}" if "to" in spec else spec["from"]
        if first is not last and (first in last.iterancestors() or last in first.iterancestors()):
            return None, [
                Problem(
                    where,
                    f"{label}: one end of the range contains the other",
                    "Give two paragraphs (or use div: for a whole division)",
                    "course.bad-range",
                )
            ]
        if _order(doc, first) > _order(doc, last):
            return None, [
                Problem(
                    where,
                    f"the range {label} is reversed: {spec['to']} comes before "
                    f"{spec['from']} in tei/{w.tei}",
                    "Swap from and to",
                    "course.reversed-range",
                )
            ]
        chosen = passage_range(doc, first, last)
        if not chosen:
            return None, [
                Problem(
                    where,
                    f"the range {label} holds no paragraph, table or quotation",
                    "Choose ids of paragraphs (not of notes or words)",
                    "course.empty-range",
                )
            ]
    else:
        label = spec.get("div") or spec["id"]
        chosen = [_by_id(doc, label)]
    keep = ed.keep.get(siglum, frozenset()) if ed.withholds(siglum) else None
    pages = _pages(doc)
    blocks = _blocks(chosen, keep, pages)
    single_div = len(chosen) == 1 and local(chosen[0]) == "div"
    own_head = chosen[0].find("tei:head", NS) if single_div else None
    head = head_text(own_head) if own_head is not None else _chapter_head(chosen[0])
    passage = Passage(
        w,
        label,
        chosen[0].get(XML_ID) or label,
        blocks,
        spec.get("note", ""),
        where.line,
        head,
        withheld_expected=spec.get("withheld") == "expected",
    )
    problems = []
    shown = sum(1 for b in blocks if b.kind == "block")
    if passage.withheld_expected:  # the teacher chose it knowingly: the notices say it
        return passage, problems
    if passage.withheld and not shown:
        problems.append(
            Problem(
                where,
                f"passage {label} of {siglum} is withheld in full: the witness "
                "is published in excerpts and sources/excerpts.yml lists nothing "
                "inside it; the pack prints a notice in its place",
                WITHHELD_HINT,
                "course.withheld",
                "warning",
            )
        )
    elif passage.withheld:
        problems.append(
            Problem(
                where,
                f"passage {label} of {siglum}: {passage.withheld} of "
                f"{passage.withheld + shown} blocks are withheld (publication in "
                "excerpts); the pack prints a notice where each run was",
                WITHHELD_HINT,
                "course.withheld",
                "warning",
            )
        )
    return passage, problems


WITHHELD_HINT = (
    "Choose published passages (sources/excerpts.yml), add `withheld: expected` to the passage "
    "if you chose it knowingly, or build with EDITION_PUBLISH_ALL=1 if you hold the rights"
)


def _by_id(doc: etree._ElementTree, ident: str) -> etree._Element | None:
    return _ids(doc).get(ident)


@functools.lru_cache(maxsize=16)
def _ids(doc: etree._ElementTree) -> dict[str, etree._Element]:
    """xml:id → element, indexed once per document (a lookup by XPath walks the whole tree)."""
    out: dict[str, etree._Element] = {}
    for el in doc.getroot().iter():
        if isinstance(el.tag, str) and el.get(XML_ID) is not None:
            out.setdefault(el.get(XML_ID), el)  # as XPath would: the first in document order
    return out


def _order(doc: etree._ElementTree, el: etree._Element) -> int:
    return _positions(doc)[el]


@functools.lru_cache(maxsize=16)
def _positions(doc: etree._ElementTree) -> dict:
    return {el: i for i, el in enumerate(doc.getroot().iter())}


@functools.lru_cache(maxsize=16)
def _pages(doc: etree._ElementTree) -> dict:
    """element → the printed page in force where it starts (pb outside notes), or None."""
    current, out = None, {}
    for el in doc.getroot().iter():
        if not isinstance(el.tag, str):
            continue
        if (
            local(el) == "pb"
            and el.get("n")
            and not any(local(a) == "note" for a in el.iterancestors())
        ):
            current = el.get("n")
        out[el] = current
    return out


def passage_range(doc, first: etree._Element, last: etree._Element) -> list[etree._Element]:
    """Blocks from `first` to `last` inclusive in document order, never a block inside another."""
    chosen: list[etree._Element] = []
    inside = done = False
    for el in doc.find("tei:text", NS).iter():
        if not isinstance(el.tag, str):
            continue
        inside = inside or el is first
        if not inside:
            continue
        if done and last not in el.iterancestors():
            break
        nested = any(a in chosen for a in el.iterancestors())
        stray_head = local(el) == "head" and local(el.getparent()) != "div"
        if local(el) in BLOCKS and local(el) != "div" and not nested and not stray_head:
            chosen.append(el)
        done = done or el is last
    return chosen


def _chapter_head(el: etree._Element) -> str:
    divs = [a for a in el.iterancestors() if local(a) == "div"]
    head = divs[0].find("tei:head", NS) if divs and el is not divs[0] else None
    return head_text(head) if head is not None else ""


def head_text(head: etree._Element) -> str:
    """The words of a heading without its notes."""
    return element_text(head)


_TEXTS: dict[bytes, str] = {}  # a digest of an element's XML → its words (element_text)


def element_text(el: etree._Element) -> str:
    """The words of an element as readers see them, without its notes: read through the shared
    model (a choice reads its edited form, corr or reg; a line break parts two words). They
    depend on the element's own XML alone (notes, the one thing read from the header, are left
    out), so they are made once per XML."""
    key = hashlib.blake2b(etree.tostring(el, with_tail=False), digest_size=16).digest()
    text = _TEXTS.get(key)
    if text is None:
        if len(_TEXTS) >= 50_000:
            _TEXTS.clear()
        text = _TEXTS[key] = m.plain_text([_loader(el).node(el)])
    return text


_LOADERS: dict[etree._Element, Loader] = {}  # a document's root → its loader


def _loader(el: etree._Element) -> Loader:
    """One loader per document (it reads the header's records once, not for every element)."""
    root = el.getroottree().getroot()
    if root not in _LOADERS:
        if len(_LOADERS) >= 16:
            _LOADERS.clear()
        _LOADERS[root] = _TextLoader("")
    return _LOADERS[root]


class _TextLoader(Loader):
    """The shared model's loader, but a note's words are not read: `element_text` leaves notes
    out, and they are most of the work."""

    def _note(self, el: etree._Element, rule) -> m.Note:
        return m.Note(el.get(XML_ID), el.get("n"), el.get("place") or "foot", (), self.at(el))


def _blocks(
    chosen: list[etree._Element], keep: frozenset[str] | None, pages: dict, depth: int = 0
) -> list[Block]:
    """The passage in reading order; runs of withheld blocks become one Block("withheld")."""
    out: list[Block] = []
    for el in chosen:
        if local(el) in ("div", "body", "front", "back", "listBibl", "floatingText") and not (
            keep is not None and _withheld(el, keep)
        ):
            head = el.find("tei:head", NS)
            if head is not None and el is not (
                chosen[0] if depth == 0 and len(chosen) == 1 else None
            ):
                out.append(Block("head", head, [el.get(XML_ID) or ""], [], depth))
            children = [
                c
                for c in el
                if isinstance(c.tag, str) and local(c) in BLOCKS | {"div"} and local(c) != "head"
            ]
            out += _blocks(children, keep, pages, depth + 1)
            continue
        if local(el) == "head":
            out.append(Block("head", el, [el.getparent().get(XML_ID) or ""], [], depth))
            continue
        own = [
            pb.get("n")
            for pb in el.iter(teixml.tei("pb"))
            if pb.get("n") and not any(local(a) == "note" for a in pb.iterancestors())
        ]
        start = pages.get(el)
        span = list(dict.fromkeys(([start] if start else []) + own))
        if keep is not None and _withheld(el, keep):
            ids = [el.get(XML_ID)] if el.get(XML_ID) else []
            if out and out[-1].kind == "withheld":
                out[-1].ids += ids
                out[-1].pages = list(dict.fromkeys(out[-1].pages + span))
            else:
                out.append(Block("withheld", el, ids, span))
            continue
        out.append(Block("block", el, [el.get(XML_ID)] if el.get(XML_ID) else [], span))
    return out


def _withheld(el: etree._Element, keep: frozenset[str]) -> bool:
    """Withheld by the excerpt rule: neither it nor an ancestor is listed (a division is withheld
    only when nothing inside it is listed either)."""
    if el.get(XML_ID) in keep or any(a.get(XML_ID) in keep for a in el.iterancestors()):
        return False
    if local(el) in WITHHOLDABLE:
        return True
    return not any(d.get(XML_ID) in keep for d in el.iter() if isinstance(d.tag, str))


# --- the teacher's Markdown subset --------------------------------------------------------------
@functools.cache
def _markdown():
    """The parser of the subset (imported here: a build whose course pages are cached reads no
    teacher's text)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(["emphasis", "link"])


def inline(text: str) -> list[tuple[str, str, str]]:
    """Teacher's text → a list of (style, text, url) runs: style is "", "em", "strong" or a
    combination "em strong"; url is set inside a link. Everything that is not emphasis or a link
    is plain text (a renderer escapes it). Paragraphs are separated by ("par", "", "")."""
    runs: list[tuple[str, str, str]] = []
    for k, para in enumerate(p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()):
        if k:
            runs.append(("par", "", ""))
        styles: list[str] = []
        url = ""
        for token in _markdown().parseInline(" ".join(para.split()))[0].children or []:
            if token.type in ("em_open", "strong_open"):
                styles.append(token.type[:-5])
            elif token.type in ("em_close", "strong_close"):
                styles.remove(token.type[:-6])
            elif token.type == "link_open":
                url = token.attrs.get("href", "")
            elif token.type == "link_close":
                url = ""
            elif token.type in ("text", "softbreak", "hardbreak"):
                runs.append((" ".join(styles), token.content or " ", url))
    return runs


def plain(text: str) -> str:
    return "".join(t if s != "par" else "\n\n" for s, t, _ in inline(text))


def short(w: manifest.Witness) -> str:
    """A witness as students cite it in a table: "Getty (1985)"."""
    author = (w.facts.get("short") or w.siglum).split(",")[0]
    return f"{author} ({w.fact('date')})" if w.fact("date") else author


def paragraph_label(ident: str) -> str:
    """The paragraph number printed in the margin: the id without the siglum ("c7.d1.p20")."""
    return ident.split(".", 1)[1] if "." in ident else ident


def pages_label(pages: list[str]) -> str:
    pages = [p for p in pages if p]
    if not pages:
        return ""
    return f"p. {pages[0]}" if len(set(pages)) == 1 else f"pp. {pages[0]}–{pages[-1]}"


def course_files(project: Project | None = None) -> list[Path]:
    project = project or Project()
    return sorted((project.root / "courses").glob("*.yml"))


def check(project: Project | None = None) -> list[Problem]:
    """`edition check`: every file of courses/, validated (the withheld notices are warnings)."""
    project = project or Project()
    files = course_files(project)
    if not files:
        return []
    ed = edition(project)
    problems = []
    for path in files:
        _, found = load(path, ed)
        problems += found
    return problems
