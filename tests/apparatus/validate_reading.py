"""Check the reading ground truth against the TEI masters (plain script, not a pytest test).

    python tests/apparatus/validate_reading.py [reading_pairs.yaml] [fact_questions.yaml]

For every pair in reading_pairs.yaml: both ids exist in their witness; `words` occurs in the text
content of the element (whitespace normalised); each `core` phrase occurs in its `words`; every
non-empty variant reading occurs in the span of its side; `a` is not later than `b`; ids are unique;
relation, confidence, found_by and variant classes come from the allowed lists. For every entry of
the phrase lists `uncertain` and `shared_citations` (read by the detector tests): each side's phrase
occurs in the text of some element of its witness, letter case aside (the tests compare normalised
words). For every statement in fact_questions.yaml: the id exists and `quote` occurs in the
element's text.

Text content: the element's text inside <text>, with <choice> read as its <corr> or <reg> (never its
<sic>); a regularised <choice> is also read as its <orig> (the printed form: Martens's ` and '' are
TeX quotation marks, and a reader copies the words as printed), and `words` may match either;
a <sic> outside <choice> marks the witness's own slip and is read as text),
<note> descendants skipped (a note is read only when it is itself the element named), one space
between table cells and rows, <lb/> as a space unless break="no". Exit status 1 on any problem.
"""

import re
import sys
from pathlib import Path

import yaml
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
TEI_NS = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
FILES = {"G": "getty", "K": "khlevnyuk", "M": "martens", "S": "stalin-society", "E": "emelyanov"}
YEAR = {"G": 1985, "M": 1994, "K": 1995, "S": 2005, "E": 2012}
RELATIONS = {
    "quotation",
    "paraphrase",
    "common_source",
    "other_translation",
    "intermediary",
    "summary",
}
CLASSES = {"substantive", "accidental", "addition", "omission"}
KINDS = {"figure", "date", "agent", "cause"}
FOUND_BY = {"reading", "reading (older ground truth)", "detector_output"}
PHRASE_LISTS = ("uncertain", "shared_citations")
SPACED = {"cell", "row", "head", "p", "item"}


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def text_of(el, orig=False):
    """The element's text; `orig`: <choice> read as its <orig> where it has one (else its <reg>)."""
    out = []
    skip = ("sic", "reg") if orig else ("sic", "orig")

    def walk(e, top=False):
        if not isinstance(e.tag, str):  # comment or processing instruction
            if e.tail:
                out.append(e.tail)
            return
        tag = etree.QName(e).localname
        if not top:
            in_choice = etree.QName(e.getparent()).localname == "choice"
            if tag == "note" or (tag in skip and in_choice):
                if e.tail:
                    out.append(e.tail)
                return
            if tag in ("cell", "row") or (tag == "lb" and e.get("break") != "no"):
                out.append(" ")
        if e.text:
            out.append(e.text)
        for c in e:
            walk(c)
        if not top:
            if tag in SPACED:
                out.append(" ")
            if e.tail:
                out.append(e.tail)

    walk(el, top=True)
    return norm("".join(out))


def load_witnesses():
    texts = {}
    for wit, name in FILES.items():
        tree = etree.parse(str(ROOT / "tei" / f"{name}.xml"))
        body = tree.find(f".//{TEI_NS}text")
        texts[wit] = {
            e.get(XML_ID): e for e in body.iter() if isinstance(e.tag, str) and e.get(XML_ID)
        }
    return texts


def main(pairs_path, facts_path):
    wits = load_witnesses()
    cache = {}
    problems = []

    def text(wit, xid):
        if (wit, xid) not in cache:
            el = wits.get(wit, {}).get(xid)
            cache[(wit, xid)] = None if el is None else (text_of(el), text_of(el, orig=True))
        return cache[(wit, xid)]

    def within(w, readings):
        return any(w in t for t in readings)

    truth = yaml.safe_load(Path(pairs_path).read_text())
    pairs = truth["pairs"]
    seen = set()
    for p in pairs:
        pid = p.get("id")
        if pid in seen:
            problems.append(f"{pid}: duplicate id")
        seen.add(pid)
        if p.get("relation") not in RELATIONS:
            problems.append(f"{pid}: unknown relation {p.get('relation')!r}")
        if p.get("confidence") not in ("high", "medium"):
            problems.append(f"{pid}: confidence must be high or medium")
        if p.get("found_by") not in FOUND_BY:
            problems.append(f"{pid}: found_by must be one of {sorted(FOUND_BY)}")
        spans = {}
        for side in ("a", "b"):
            s = p[side]
            t = text(s["wit"], s["id"])
            w = norm(s["words"])
            spans[side] = w
            if t is None:
                problems.append(f"{pid}.{side}: no element {s['id']} in {s['wit']}")
            elif not within(w, t):
                problems.append(f"{pid}.{side}: words not in {s['id']}: {w[:80]!r}")
            core = norm(p["core"][side])
            if core not in w:
                problems.append(f"{pid}.{side}: core {core!r} not in words")
        if YEAR[p["a"]["wit"]] > YEAR[p["b"]["wit"]]:
            problems.append(f"{pid}: a ({p['a']['wit']}) is later than b ({p['b']['wit']})")
        for v in p.get("variants") or []:
            cls, va, vb = v
            if cls not in CLASSES:
                problems.append(f"{pid}: unknown variant class {cls!r}")
            if va and norm(va) not in spans["a"]:
                problems.append(f"{pid}: variant reading not in a: {va[:60]!r}")
            if vb and norm(vb) not in spans["b"]:
                problems.append(f"{pid}: variant reading not in b: {vb[:60]!r}")
            if cls == "addition" and va or cls == "omission" and vb:
                problems.append(f"{pid}: {cls} with words on the wrong side: {v!r}")

    lowered = {}

    def somewhere(wit, phrase):
        if wit not in lowered:
            els = wits.get(wit, {})
            lowered[wit] = [r.lower() for xid in els for r in text(wit, xid) or ()]
        return any(norm(phrase).lower() in t for t in lowered[wit])

    n_ph = 0
    for key in PHRASE_LISTS:
        for i, entry in enumerate(truth.get(key) or []):
            for side in ("a", "b"):
                n_ph += 1
                wit, phrase = entry[side]
                if not somewhere(wit, phrase):
                    problems.append(f"{key}[{i}].{side}: phrase not in {wit}: {phrase[:60]!r}")
            if entry.get("found_by", "reading") not in FOUND_BY:
                problems.append(f"{key}[{i}]: found_by must be one of {sorted(FOUND_BY)}")

    n_st = 0
    if facts_path and Path(facts_path).exists():
        facts = yaml.safe_load(Path(facts_path).read_text())["questions"]
        fseen = set()
        for f in facts:
            fid = f.get("id")
            if fid in fseen:
                problems.append(f"{fid}: duplicate id")
            fseen.add(fid)
            if f.get("kind") not in KINDS:
                problems.append(f"{fid}: unknown kind {f.get('kind')!r}")
            if not isinstance(f.get("disagree"), bool):
                problems.append(f"{fid}: disagree must be true or false")
            for st in f["statements"]:
                n_st += 1
                t = text(st["wit"], st["id"])
                if t is None:
                    problems.append(f"{fid}: no element {st['id']} in {st['wit']}")
                elif not within(norm(st["quote"]), t):
                    problems.append(f"{fid}: quote not in {st['id']}: {st['quote'][:80]!r}")

    for line in problems:
        print(line)
    print(
        f"{len(pairs)} pairs, {n_ph} phrases, {n_st} fact statements checked:"
        f" {len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    args = sys.argv[1:]
    pairs_path = args[0] if args else here / "reading_pairs.yaml"
    facts_path = args[1] if len(args) > 1 else here / "fact_questions.yaml"
    sys.exit(main(pairs_path, facts_path))
