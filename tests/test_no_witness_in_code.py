"""Nothing in the toolchain names a witness (issue 9, item 6).

Sigla, names, file names and the order of the witnesses come from sources/witnesses.yml; what one
witness needs beyond its transcription style is its import tables, sources/import/<siglum>.yml.

The rule, checked on every module of build_scripts/ through its syntax tree:
- Code may not name a witness: no string literal (f-strings included) that is a siglum ("G"), that
  holds a witness's id ("G.c6", "#K.art"), one of its names (the `short` name before the comma,
  e.g. "Getty", "Stalin Society"), its TEI file or file stem ("getty.xml"), its transcription's
  file name or its references.bib key; no identifier holding a witness's name (GETTY_TABLES);
  no string stating how many witnesses there are ("five texts", "five witnesses").
- Documentation may: docstrings and comments are not checked, so that they can give examples
  ("edition/getty/G.c6.md"). A docstring describes; it never decides what the code does.
- ALLOWED lists the exceptions, each with its reason. Add one only when the literal is not a
  witness at all (a letter of a transliteration table) or the fix belongs to another issue.

The names come from the manifest, so adding a witness extends the check by itself.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from build_scripts.project import witnesses

ROOT = Path(__file__).resolve().parents[1]
CODE = ROOT / "build_scripts"

# (path relative to the project, a fragment of the literal or identifier found, why it may stay).
# Remove an entry when its literal is gone.
ALLOWED: list[tuple[str, str, str]] = [
    *[
        (
            "build_scripts/tei/suspects.py",
            letter,
            "a Latin letter of the Cyrillic/Greek transliteration table, not a siglum",
        )
        for letter in ("E", "K", "M", "S")
    ],
    (
        "build_scripts/check.py",
        "(e.g. G.c6.p12)",
        "an example of the id scheme in a hint, as docs/about/encoding.md gives it",
    ),
    (
        "build_scripts/apparatus/store.py",
        "tei/getty.xml, tei/khlevnyuk.xml",
        "the header of a new tei/apparatus.xml; apparatus/ is issue 10's (claims into the TEI "
        "apparatus), which should list the witnesses from the manifest",
    ),
    (
        "build_scripts/publish/downloads.py",
        "1937–1938: five texts",
        "the whole-edition PDF's title; publish/ is reworked by issue 16, which owns this line",
    ),
    (
        "build_scripts/site/landing.py",
        "the five texts, each as on the site",
        "the downloads table of the landing page; left to the site's owners (reported, issue 9)",
    ),
]

NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def _terms(wits: list[witnesses.Witness]) -> tuple[set[str], list[str], str | None]:
    """The sigla, the names (lower case) and the count word of the witnesses."""
    sigla = {w.siglum for w in wits}
    names: set[str] = set()
    for w in wits:
        short = str(w.facts.get("short", "")).split(",")[0].strip()
        names |= {
            short,
            w.tei,
            w.tei.removesuffix(".xml"),
            w.file,
            str(w.facts.get("bibkey") or ""),
        }
    count = NUMBER_WORDS[len(wits)] if len(wits) < len(NUMBER_WORDS) else None
    return sigla, sorted(n.lower() for n in names if n), count


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                ids.add(id(body[0].value))
    return ids


def _identifiers(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.alias):
        return [node.asname or node.name]
    return []


def findings(source: str, wits: list[witnesses.Witness]) -> list[tuple[int, str, str]]:
    """(line, literal or identifier, what it names) for every place the code names a witness."""
    sigla, names, count = _terms(wits)
    tree = ast.parse(source)
    skip = _docstrings(tree)
    ident = (
        re.compile(r"(?<![\w.])(?:%s)\.[A-Za-z]" % "|".join(map(re.escape, sorted(sigla))))
        if sigla
        else None
    )
    name_re = (
        re.compile(r"(?<![a-z])(?:%s)(?![a-z])" % "|".join(map(re.escape, names)), re.I)
        if names
        else None
    )
    count_re = re.compile(rf"\b{count} (?:texts|witnesses|works)\b", re.I) if count else None
    out: list[tuple[int, str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
            if text in sigla:
                out.append((node.lineno, text, "a siglum"))
            elif ident and ident.search(text):
                out.append((node.lineno, text, "a witness's id"))
            elif name_re and name_re.search(text):
                out.append(
                    (node.lineno, text, f"the witness name {name_re.search(text).group()!r}")
                )
            elif count_re and count_re.search(text):
                out.append((node.lineno, text, "the number of witnesses"))
        for word in _identifiers(node):
            low = word.lower()
            hit = next((n for n in names if re.fullmatch(r"[a-z]+", n) and n in low), None)
            if hit:
                out.append((getattr(node, "lineno", 0), word, f"an identifier naming {hit!r}"))
    return out


@pytest.fixture(scope="module")
def wits():
    found, problems = witnesses.load()
    assert found and not problems
    return found


def test_no_module_of_the_toolchain_names_a_witness(wits):
    bad = []
    for path in sorted(CODE.rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        for line, literal, what in findings(path.read_text(encoding="utf-8"), wits):
            if not any(
                rel == where and (fragment == literal or len(fragment) > 3 and fragment in literal)
                for where, fragment, _ in ALLOWED
            ):
                bad.append(f"{rel}:{line}: {literal!r} is {what}")
    assert not bad, (
        "The toolchain names a witness; read it from sources/witnesses.yml or the "
        "witness's sources/import/<siglum>.yml instead:\n" + "\n".join(bad)
    )


def test_the_check_finds_each_kind_of_naming(wits):
    """The scanner is able to fail: each way of naming a witness in code is caught, docstrings
    and comments are not."""
    w = wits[0]
    short = str(w.facts["short"]).split(",")[0]
    source = f'''"""Module docstring naming {short} and {w.siglum}.{"c6"} is documentation."""
# a comment naming {short}
SIGLUM = {w.siglum!r}
TARGET = f"{w.tei}#{{page}}"
PART = "{w.siglum}.body"
WHO = "{short}"
TITLE = "the {NUMBER_WORDS[len(wits)]} texts"
{re.sub(r"[^A-Za-z]", "", w.tei.removesuffix(".xml")).upper()}_TABLES = {{}}


def f():
    """A docstring: {w.siglum}.c6 and {w.tei}."""
    return 1
'''
    kinds = [what for _, _, what in findings(source, wits)]
    assert "a siglum" in kinds
    assert "a witness's id" in kinds
    assert sum(k.startswith("the witness name") for k in kinds) == 2  # the TEI file, the name
    assert "the number of witnesses" in kinds
    assert any(k.startswith("an identifier naming") for k in kinds)
    assert len(kinds) == 6, kinds  # nothing from the docstrings or the comment
