"""tei_all.rng + the elements the edition uses → a small RELAX NG subset, and validation through it.

Compiling tei_all takes ~6 s, too slow for a check on every save. The subset is tei_all with every
element the edition does not use replaced by <notAllowed/> and the unreachable definitions dropped;
it compiles in milliseconds (a document using an element the committed subset lacks gets a subset
generated on the spot, ~0.1 s, so the fast path never needs tei_all for a valid file). It only
removes choices, so a document valid against the subset is valid against tei_all. A document the
subset rejects is validated again against tei_all, so the messages (and the verdict) are always
tei_all's. Results are cached by file content under build/.

The element list comes from the project's ODD, schema/edition.odd (build_scripts/tei/odd.py).
Regenerate with `edition schema --update` (committed as schema/tei_edition.rng and .sch).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from pathlib import Path

from lxml import etree

from build_scripts.tei import teixml
from build_scripts.problems import Location, Problem, relpath
from build_scripts.tei.teixml import ROOT, TEI_ALL_RNG, local

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SUBSET_RNG = ROOT / "schema" / "tei_edition.rng"

# Elements an editor may reasonably add by hand (encoding.md), kept in the subset even before use.
BASELINE = frozenset(
    "TEI teiHeader fileDesc titleStmt title author "
    "editor respStmt resp name publicationStmt publisher "
    "availability licence p sourceDesc bibl date idno note encodingDesc projectDesc editorialDecl "
    "correction normalization quotation hyphenation "
    "interpretation listPrefixDef prefixDef profileDesc "
    "langUsage language textClass keywords term "
    "revisionDesc listChange change text front body back div "
    "head hi pb lb choice sic corr orig reg abbr expan "
    "quote cit ref ptr table row cell list item label "
    "num epigraph titlePage docTitle titlePart byline "
    "docAuthor docImprint docDate divGen gap unclear "
    "add del foreign emph seg anchor milestone figure "
    "figDesc app lem rdg rdgGrp listApp listWit witness "
    "listBibl biblStruct analytic monogr imprint pubPlace biblScope persName placeName orgName "
    "trailer opener closer salute signed dateline q said mentioned soCalled".split()
)


def elements_used(paths: list[Path]) -> set[str]:
    used: set[str] = set()
    for path in paths:
        try:
            for _, el in etree.iterparse(str(path), events=("start",)):
                if etree.QName(el).namespace == teixml.TEI_NS:
                    used.add(local(el))
        except (etree.XMLSyntaxError, OSError):
            continue
    return used


def generate(keep: set[str], source: Path = TEI_ALL_RNG) -> bytes:
    """tei_all restricted to the elements in keep (documentation and Schematron stripped)."""
    grammar = copy.deepcopy(_tei_all(source))
    for el in grammar.xpath("//*[namespace-uri() != $ns]", ns=RNG_NS):
        el.getparent().remove(el)
    defines: dict[str, list[etree._Element]] = {}
    for define in grammar.iterfind(f"{{{RNG_NS}}}define"):
        defines.setdefault(define.get("name"), []).append(define)
        body = [c for c in define if isinstance(c.tag, str)]
        if (
            len(body) == 1
            and body[0].tag == f"{{{RNG_NS}}}element"
            and body[0].get("name") not in keep
        ):
            define[:] = [etree.Element(f"{{{RNG_NS}}}notAllowed")]
    reachable = _reachable(grammar.find(f"{{{RNG_NS}}}start"), defines)
    for define in grammar.findall(f"{{{RNG_NS}}}define"):
        if define.get("name") not in reachable:
            grammar.remove(define)
    grammar.insert(
        0,
        etree.Comment(
            f" Generated from {TEI_ALL_RNG.name} by the command: edition schema, "
            f"with its update option. Do not edit. Elements kept: {len(keep)}. "
        ),
    )
    teixml.indent(grammar)
    return etree.tostring(grammar, xml_declaration=True, encoding="UTF-8") + b"\n"


@functools.lru_cache(maxsize=1)
def _tei_all(source: Path) -> etree._Element:
    """tei_all.rng read once per process (as XML; compiling it is what takes seconds)."""
    return etree.parse(str(source)).getroot()


def _reachable(start: etree._Element, defines: dict[str, list[etree._Element]]) -> set[str]:
    seen: set[str] = set()
    stack = [ref.get("name") for ref in start.iter(f"{{{RNG_NS}}}ref")]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        for define in defines.get(name, []):
            stack += [ref.get("name") for ref in define.iter(f"{{{RNG_NS}}}ref")]
    return seen


def customised() -> frozenset[str]:
    """The elements of the project's customisation (schema/edition.odd), else the baseline above."""
    from build_scripts.tei import odd

    return odd.elements() if odd.ODD.exists() else BASELINE


def update(tei_paths: list[Path], target: Path = SUBSET_RNG) -> Path:
    """schema/edition.odd → schema/tei_edition.rng (tei_all restricted to the ODD's elements, plus
    any the TEI already uses) and schema/tei_edition.sch (the ODD's Schematron rules)."""
    from build_scripts.tei import odd

    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(generate(set(customised() | elements_used(tei_paths))))
    if odd.ODD.exists():
        odd.write(target.with_suffix(".sch"))
    return target


@functools.lru_cache(maxsize=2)
def subset(path: Path = SUBSET_RNG) -> tuple[etree.RelaxNG, frozenset[str]] | None:
    """The committed subset and the elements it keeps (None if there is none)."""
    try:
        grammar = etree.parse(str(path))
        kept = frozenset(grammar.xpath("//r:define/r:element/@name", namespaces={"r": RNG_NS}))
        return etree.RelaxNG(grammar), kept
    except (OSError, etree.XMLSyntaxError, etree.RelaxNGParseError):
        return None


@functools.lru_cache(maxsize=8)
def _extended(elements: frozenset[str]) -> etree.RelaxNG:
    """A subset generated on the spot (~0.1 s) for a document that uses elements the committed one
    lacks."""
    return etree.RelaxNG(etree.fromstring(generate(set(customised() | elements))))


def quick_schema(doc: etree._ElementTree) -> etree.RelaxNG:
    used = frozenset(
        local(el)
        for el in doc.iter()
        if isinstance(el.tag, str) and etree.QName(el).namespace == teixml.TEI_NS
    )
    committed = subset()
    if committed is not None and used <= committed[1]:
        return committed[0]
    return _extended(used | (committed[1] if committed else frozenset()))


@functools.lru_cache(maxsize=1)
def _schema_key() -> str:
    """The schema, and the code that words its problems (a change to either is no stale answer)."""
    stat = TEI_ALL_RNG.stat()
    code = hashlib.sha256(Path(teixml.__file__).read_bytes()).hexdigest()
    return f"{TEI_ALL_RNG.name}:{stat.st_size}:{int(stat.st_mtime)}:{code}"


def validate(
    doc: etree._ElementTree, data: bytes, path: Path, full: bool, cache_dir: Path | None
) -> list[Problem]:
    """tei_all's problems for one document: cached, through the subset first unless full."""
    key = hashlib.sha256(_schema_key().encode() + b"\0" + data).hexdigest()
    cached = _read_cache(cache_dir, key)
    if cached is not None:
        return [_problem(path, *entry) for entry in cached]
    if not full and quick_schema(doc).validate(doc):
        problems: list[Problem] = []
    else:
        problems = [
            _problem(path, p.location.line, p.location.column, p.message)
            for p in teixml.validate(doc, path)
        ]
    _write_cache(
        cache_dir, key, [(p.location.line, p.location.column, p.message) for p in problems]
    )
    return problems


def _problem(path: Path, line: int | None, column: int | None, message: str) -> Problem:
    # Same hint and code as teixml.validate (a test compares a cached result with a fresh one).
    # libxml2 reports column 0 for RELAX NG errors: that is "unknown", not a column.
    return Problem(Location(relpath(path), line, column or None), message, HINT, "tei.invalid")


HINT = (
    "Use only elements and attributes that TEI P5 allows here; see "
    "https://tei-c.org/release/doc/tei-p5-doc/en/html/REF-ELEMENTS.html"
)


def _read_cache(cache_dir: Path | None, key: str) -> list | None:
    if cache_dir is None:
        return None
    try:
        return json.loads((cache_dir / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_cache(cache_dir: Path | None, key: str, entries: list) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        (cache_dir / f"{key}.json").write_text(json.dumps(entries), encoding="utf-8")
    except OSError:
        pass  # a read-only checkout still checks, only without the cache
