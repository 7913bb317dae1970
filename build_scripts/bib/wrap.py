"""Citations in a witness's notes that have no `bibl` → `bibl` around them
(`edition bib link --wrap`).

A note is read as one string in which each child element is one character: an italic title, an
italic "Ibid.", a "passim", other italics, or a barrier (a label, anything else); page breaks
are left out, so a bibl holds one only when it spans it. A citation grows from an anchor:

- an italic title, after an optional author ("Robert Conquest, ", "Hough and Fainsod, ",
  "P. N. Pospelov et al, eds., ") and before an imprint or locator list (", New York, 1968",
  ", vol. 5, 98-103", ", ch. 2");
- a quoted title with its author and locator, or followed by its container (", <i>PS</i>",
  " in <i>Kak provodit</i>", ", <i>ibid.</i>");
- "Ibid." (in italics or not) or "Author, op. cit." with its locator;
- an archive file ("WKP 384, p. 69", "File 116/154e, pp. 45-54").

Precision comes first: a citation is wrapped only when it is certain, i.e. it names an author,
or its list has a locator beyond a bare year, or it is an Ibid., an op. cit. or an archive file
that the sentence does not go on to use as a noun ("WKP 89 comprises …"). The list stops at
the first item that is not a place, a date, a number or a bibliographic abbreviation, so
commentary ("…, 441, describes the 1929 battle") stays outside. A lead-in ("See", "Major
interpretive works are") is never wrapped. Only text moves into the new elements: the words
of the TEI and every existing element (with its id) stay as they are.

    spans = find(note)        # (start, end) cuts of the certain citations, left to right
    wrap_tree(root)           # every witness note without bibl: its citations wrapped
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from build_scripts.tei import teixml

TITLE, IBID_EL, ITAL, BAR, PASSIM = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
ELEMENTS = TITLE + IBID_EL + ITAL + BAR + PASSIM
TRANSPARENT = frozenset({"pb", "lb", "cb", "milestone", "anchor"})

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŸŹŻŽА-ЯЁ"
INITIAL = rf"[{UPPER}][a-z]?\."
NAME = rf"[{UPPER}][\w'’\-]*[\w'’]"
PARTICLE = r"(?:von|van|de|der|den|du|da|di|la|le|ten|ter)"
PERSON = rf"(?:(?:{INITIAL}\s*)|(?:{NAME}\s+)|(?:{PARTICLE}\s+))*{NAME}(?:\s*\(pseud\.[^()]*\))?"
AUTHORS = re.compile(
    rf"({PERSON})((?:(?:,\s+|,?\s+and\s+|\s+&\s+){PERSON})*)(?:,?\s+et\s+al\.?)?(?:,\s+eds?\.)?,\s+"
)
# Capitalized words that open a sentence or a lead-in, never a name.
NOT_NAMES = frozenset(
    "See Also For In On The An And But Cf Compare Similarly Elsewhere Both Even Most Major Other "
    "Some Note Thus Then This That These Those Its His Her Their Our As At By From With Under "
    "After Before During Since Until While When Where Why How What Who Which If It He She They We "
    "Yet Here There Only Many Much Such Another Each Every Among Between Although Though Because "
    "Source Sources".split()
)
# Words after which capitalized words are not an author ("the Administration of the Internal
# Security Act, <i>…</i>").
NOT_BEFORE = frozenset("the of to a an this that these those his her its their our my".split())
# Words of an imprint or locator list besides names, numbers and roman numerals.
LIST_WORDS = frozenset(
    "vol vols no nos p pp ch chs chap ed eds edn trans "
    "tr tom chast part pt n nn passim ff f et al and "
    "of the seq col cols fol fols l ll rev repr hereafter gg g esp cf".split()
)
# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = LIST_WORDS | frozenset(
    "mass calif conn ind ill mich wis minn pa va md ore wash jan feb mar apr aug sept "
    "sep oct nov dec cit op st mr mrs dr jr sr pseud comp fig ibid".split()
)
ARCHIVE = re.compile(
    r"(?:Smolensk Archive\s+)?(?:[Ff]ile\s+)?"
    r"(?:(?:WKP|RS)\s+\d+(?:[-–]\d+)?|(?<=[Ff]ile )\d+/\d+\w*)"
)
IBID_TEXT = re.compile(r"\b[Ii]bid(?:em)?\.?")
OP_CIT = re.compile(r"op\.\s*cit\.?")
QUOTES = {"“": "”", '"': '"'}
YEAR = re.compile(r"\(?\d{4}(?:[-–]\d{2,4})?\)?")


def code(el: etree._Element) -> str | None:
    """The character standing for a child element of a note (None: left out, transparent)."""
    name = etree.QName(el).localname if isinstance(el.tag, str) else ""
    if name in TRANSPARENT:
        return None
    if name != "hi" or "italic" not in (el.get("rend") or ""):
        return BAR
    text = " ".join("".join(el.itertext()).split())
    if IBID_TEXT.fullmatch(text) or OP_CIT.fullmatch(text):
        return IBID_EL
    if text.lower() in ("passim", "et passim", "sic"):
        return PASSIM
    if re.search(rf",\s+and\s+{NAME},\s", text):
        # one italic run over two citations ("The Great Purge Trial, and Conquest, Terror"): no bibl
        # can hold one
        return BAR
    return TITLE if text[:1].isupper() or text[:1].isdigit() else ITAL


@dataclass
class Flat:
    """A note's content as one string: `where` gives each character's place in the tree."""

    note: etree._Element
    chars: str
    where: list[
        tuple[int, int, int]
    ]  # (slot, offset, -1) for text; (slot before it, -1, child index) for an element

    def before(self, i: int) -> tuple[int, int]:
        """The cut (slot, offset) just before character i; slot 0 is note.text, slot k the tail of
        child k-1."""
        if i >= len(self.chars):
            last = len(self.note)
            return last, len(_slot(self.note, last))
        slot, offset, child = self.where[i]
        return (slot, offset) if child < 0 else (child, len(_slot(self.note, child)))

    def after(self, i: int) -> tuple[int, int]:
        """The cut just after character i."""
        slot, offset, child = self.where[i]
        return (slot, offset + 1) if child < 0 else (child + 1, 0)


def _slot(note: etree._Element, k: int) -> str:
    return (note.text if k == 0 else note[k - 1].tail) or ""


def flatten(note: etree._Element) -> Flat:
    chars, where = [], []
    for k in range(len(note) + 1):
        if k:
            c = code(note[k - 1])
            if c is not None:
                chars.append(c)
                where.append((k - 1, -1, k - 1))
        for offset, ch in enumerate(_slot(note, k)):
            chars.append(ch)
            where.append((k, offset, -1))
    return Flat(note, "".join(chars), where)


# ---------------------------------------------------------------------------------------------
# Reading the string


def _sentence_end(s: str, k: int) -> bool:
    """Does the full stop (or ? !) at k end a sentence (not an initial, not an abbreviation)?"""
    if s[k] not in ".?!":
        return False
    j = k + 1
    while j < len(s) and s[j] in "”\"’')":
        j += 1
    if j < len(s) and not s[j].isspace():
        return False
    rest = s[j:].lstrip()
    if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in '“"(' + ELEMENTS):
        return False
    if s[k] != ".":
        return True
    word = re.search(r"[\w'’]+$", s[:k])
    if word is None:
        return True
    w = word.group()
    if (
        len(w) <= 2
        and w[0].isupper()
        and (len(w) == 1 or w[1].islower())
        or w.lower() in ABBREVIATIONS
    ):  # "M.", "Ia."
        return False
    return not (word.start() > 0 and s[word.start() - 1] == ".")  # N.J.


def _close(s: str, k: int) -> int | None:
    """Index just after the bracket opened at k (nested brackets counted), or None."""
    depth = 0
    for j in range(k, len(s)):
        if s[j] in "([":
            depth += 1
        elif s[j] in ")]":
            depth -= 1
            if depth == 0:
                return j + 1
        elif s[j] == BAR:
            return None
    return None


def _item_end(s: str, j: int) -> int:
    """Where a list item starting at j ends: a top-level , ; ) or a sentence end, a barrier."""
    depth = 0
    for k in range(j, len(s)):
        ch = s[k]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            if depth == 0:
                return k
            depth -= 1
        elif depth == 0 and (ch in ",;" or ch == BAR or _sentence_end(s, k)):
            return k
    return len(s)


def listed(item: str) -> bool:
    """Is one comma-separated item a place, date, number, bibliographic abbreviation or bracket?"""
    item = item.strip()
    if not item or BAR in item or any(q in item for q in '“”"'):
        return False
    if item[0] in "([" and _close(item, 0) == len(item):
        return True  # "(3 vols.)", "(hereafter PS)", "(Party life)"
    bare = _unbracketed(item)
    if bare != item:
        return (
            bool(bare.strip(" ,")) and listed(bare) or not bare.strip(" ,")
        )  # "284-5 (hereafter <i>PS</i>)"
    if (
        TITLE in item
        or IBID_EL in item
        or ITAL in item
        or ARCHIVE.search(item)
        or IBID_TEXT.search(item)
    ):
        return False
    if re.search(rf"\bet al\b|\b[{UPPER}][a-z]?\.\s+[{UPPER}]", item) and not re.match(
        r"(?:eds?|trans|tr)\.\s", item
    ):
        return False  # the authors of the next citation ("and P. N. Aleksandrov et al.")
    tokens = re.findall(rf"[^\W_]+|{PASSIM}", item)
    return bool(tokens) and all(
        t == PASSIM
        or any(c.isdigit() for c in t)
        or t[0].isupper()
        or t.lower() in LIST_WORDS
        or re.fullmatch(r"[ivxlc]+", t)
        for t in tokens
    )


def _unbracketed(item: str) -> str:
    """The item without its bracketed parts (a translation, "hereafter …")."""
    out, k = [], 0
    while k < len(item):
        close = _close(item, k) if item[k] in "([" else None
        if close:
            k = close
        else:
            out.append(item[k])
            k += 1
    return " ".join("".join(out).split())


def imprint(s: str, p: int, comma_before: bool = False) -> tuple[int, list[str]]:
    """The imprint or locator list from p: (its end, its items). comma_before: the title's
    closing quote follows its comma ("Secret Speech," 35), so the first item needs none."""
    end, items = p, []
    while end < len(s):
        m = re.match(r",\s+|\s+(?=[(\[])" + (r"|\s+" if comma_before and end == p else ""), s[end:])
        if not m:
            break
        j = end + m.end()
        k = _item_end(s, j)
        item = s[j:k].rstrip()
        if not listed(item) or _names_next(s, item, k):
            head = _listed_head(item)
            if head:  # "1937 ("K novomu …")", "24 for announcements": the date is the list's
                items.append(head)
                end = j + len(head)
            break
        items.append(item)
        end = j + len(item)
    if end < len(s) and s[end] == "." and not _sentence_end(s, end) and items:
        end += 1  # "Mass." at the end of the note: the full stop of the abbreviation
    return end, items


def _listed_head(item: str) -> str:
    """The number that opens an item the list cannot take whole, where what follows it is the
    note's own words: a bracket holding a quoted title ("1937 ("K novomu pod'emu …")"), a colon
    or a word in lower case ("24 for announcements", "1937: both on second page"). "" if none."""
    m = re.match(r"\d+(?:[-–]\d+)?(?=\s*\(|:|\s+[a-z])", item)
    if m is None:
        return ""
    rest = item[m.end() :].lstrip()
    if rest.startswith("(") and not any(q in rest for q in '“”"'):
        return ""  # "(editorial)", "(3 vols.)": the bracket belongs to the list, not to prose
    word = re.match(r"[a-z]+", rest)
    if word and word.group() in LIST_WORDS:
        return ""  # "5 and 6", "45 passim": still the list
    return m.group()


def _names_next(s: str, item: str, k: int) -> bool:
    """Is the item the author of the next citation ("…, 755-6, and Medvedev, <i>History</i>")?"""
    return not any(c.isdigit() for c in item) and bool(re.match(rf",\s+[{TITLE}“\"]", s[k:]))


def _located(items: list[str]) -> bool:
    """A locator beyond a bare year: a page, a volume, a date, a place with its year."""
    digits = [i for i in items if any(c.isdigit() for c in i)]
    return bool(digits) and not (len(items) == 1 and YEAR.fullmatch(items[0]))


def author_start(s: str, i: int, floor: int) -> int | None:
    """Where the author list ending with ", " just before i starts (the longest that is one), or
    None."""
    opened = [m.end() for m in re.finditer(r"\((?!pseud\.)", s[:i])]
    window = max(
        floor,
        s.rfind(";", 0, i) + 1,
        s.rfind(":", 0, i) + 1,
        s.rfind(BAR, 0, i) + 1,
        opened[-1] if opened else 0,
    )
    for k in range(window, i):
        if k > window and not (s[k - 1].isspace() and _opens(s, window, k)):
            continue
        m = AUTHORS.fullmatch(s, k, i)
        if m and _names_ok(m):
            return k
    return None


def _opens(s: str, window: int, k: int) -> bool:
    """May an author list start at k? Only where a run of capitalized words starts ("See Sheila
    Fitzpatrick", not "Security Act"), and not in a noun phrase ("the Twenty-second Congress,
    <i>Pravda</i>")."""
    before = s[window:k].rstrip()
    if not before or _sentence_end(
        s, window + len(before) - 1 - len(before) + len(before.rstrip("”\"’')"))
    ):
        return True
    word = re.search(r"([\w'’-]+)\.?$", before)
    if word is None:
        return True
    w = word.group(1)
    return w.lower() not in NOT_BEFORE and (not w[0].isupper() or w in NOT_NAMES)


def _names_ok(m: re.Match) -> bool:
    text = m.group(0)
    if any(w in NOT_NAMES for w in re.findall(r"[\w'’]+", text)) or any(
        _sentence_end(text, k) for k in range(len(text))
    ):
        return False
    people = [m.group(1)] + re.split(r",?\s+and\s+|\s+&\s+|,\s+", m.group(2))[1:]
    comma_joined = re.search(rf"{NAME},\s+(?!and\b|et\b|eds?\.)[{UPPER}]", m.group(1) + m.group(2))
    return not comma_joined or all(len(p.split()) >= 2 for p in people)


def _ends_cleanly(s: str, end: int) -> bool:
    """A citation is not the subject of the sentence that goes on ("WKP 89 comprises …"); it may
    be followed by what it is cited for ("<i>Pravda</i>, July 3, 4 for announcements")."""
    return not re.match(r"\s+[^\W\d_]", s[end:]) or bool(
        re.match(r"\s+(?:and|for|[;,])\b", s[end:])
    )


def _cited_here(s: str, i: int, floor: int) -> bool:
    """Is a bare archive file cited ("see WKP 361", "(WKP 89)", a list after a citation), not shown
    as an example ("thus WKP 324")?"""
    start = max(floor, s.rfind(";", 0, i) + 1, *(k + 1 for k in range(i) if _sentence_end(s, k)))
    prefix = s[start:i]
    return bool(
        re.fullmatch(r"\s*(?:,|,?\s*and)?\s*", prefix)
        and (start == floor or start == 0 or s[start - 1] == ";")
        or re.search(r"(?:\b(?:[Ss]ee|in|also)\s+|\(\s*)$", prefix)
    )


def _bracket_after(s: str, e: int) -> int:
    """Skip one bracketed translation right after a title ("(The final stage …)"), if a list follows
    it."""
    m = re.match(r"\s*(?=[(\[])", s[e:])
    if m:
        close = _close(s, e + m.end())
        if close is not None and re.match(r",\s", s[close:]):
            return close
    return e


def _container(s: str, e: int, floor: int) -> int | None:
    """After a quoted title: its journal or book (", <i>PS</i>", " in Fitzpatrick, <i>Cultural
    Revolution</i>")."""
    m = re.match(r",?\s+(?:in\s+)?", s[e:])
    if not m:
        return None
    j = e + m.end()
    if j < len(s) and s[j] in TITLE + IBID_EL:
        return j + 1
    author = AUTHORS.match(s, j)
    if (
        author
        and _names_ok(author)
        and author.end() < len(s)
        and s[author.end()] in TITLE + IBID_EL
    ):
        return author.end() + 1
    return None


def _quoted_end(s: str, i: int) -> int | None:
    close = QUOTES[s[i]]
    k = s.find(close, i + 1)
    if k < 0 or k - i > 300 or any(c in s[i:k] for c in BAR + TITLE) or s[k - 1] in ".!…":
        return None  # a quotation ("… supreme power.”), not a title
    return k + 1


def find(flat: Flat) -> list[tuple[int, int]]:
    """(start, end) indices in flat.chars of the certain citations of a note, left to right."""
    s, spans, pos, i = flat.chars, [], 0, 0
    while i < len(s):
        span = _citation(s, i, pos)
        if span:
            spans.append(span)
            pos = i = span[1]
        else:
            i += 1
    return spans


def _citation(s: str, i: int, floor: int) -> tuple[int, int] | None:
    ch = s[i]
    word_start = i == 0 or not (s[i - 1].isalnum() or s[i - 1] in "'’")
    if ch == TITLE:
        start = author_start(s, i, floor)
        end, items = imprint(s, _bracket_after(s, i + 1))
        ok = (start is not None or _located(items)) and _ends_cleanly(s, end)
        return (i if start is None else start, end) if ok else None
    if ch == IBID_EL or word_start and IBID_TEXT.match(s, i):
        e = i + 1 if ch == IBID_EL else IBID_TEXT.match(s, i).end()
        end = imprint(s, e)[0]
        return (i, end) if _ends_cleanly(s, end) else None
    if word_start and OP_CIT.match(s, i):
        start = author_start(s, i, floor)
        end = imprint(s, OP_CIT.match(s, i).end())[0]
        return (start, end) if start is not None and _ends_cleanly(s, end) else None
    if word_start and ARCHIVE.match(s, i):
        end, items = imprint(s, ARCHIVE.match(s, i).end())
        return (i, end) if _ends_cleanly(s, end) and (items or _cited_here(s, i, floor)) else None
    if ch in QUOTES and (i == 0 or not s[i - 1].isalnum()):
        e = _quoted_end(s, i)
        if e is None:
            return None
        start = author_start(s, i, floor)
        container = _container(
            s, _bracket_after(s, e) if s[e : e + 2] != ", " else e, floor
        ) or _container(s, e, floor)
        end, items = (
            imprint(s, _bracket_after(s, container))
            if container
            else imprint(s, e, comma_before=s[e - 2] == ",")
        )
        ok = container is not None or start is not None and _located(items)
        return (i if start is None else start, end) if ok and _ends_cleanly(s, end) else None
    return None


# ---------------------------------------------------------------------------------------------
# Writing


def wrap(flat: Flat, spans: list[tuple[int, int]]) -> list[etree._Element]:
    """Put each span of the note into a new bibl (right to left, so earlier cuts stay valid)."""
    made = []
    for start, end in reversed(spans):
        made.append(_wrap_one(flat.note, flat.before(start), flat.after(end - 1)))
    return made[::-1]


def _wrap_one(note: etree._Element, start: tuple[int, int], end: tuple[int, int]) -> etree._Element:
    (sa, oa), (sb, ob) = start, end
    first, last = _slot(note, sa), _slot(note, sb)
    moved = list(note)[sa:sb]
    bibl = etree.Element(teixml.tei("bibl"))
    _set_slot(note, sa, first[:oa])
    note.insert(sa, bibl)
    if sa == sb:
        bibl.text = first[oa:ob] or None
    else:
        bibl.text = first[oa:] or None
        for child in moved:
            bibl.append(child)  # with its tail
        moved[-1].tail = last[:ob] or None
    bibl.tail = last[ob:] or None
    return bibl


def _set_slot(note: etree._Element, k: int, value: str) -> None:
    if k == 0:
        note.text = value or None
    else:
        note[k - 1].tail = value or None


def notes_without_bibl(root: etree._Element) -> list[etree._Element]:
    """The witness's notes (not the editors', with @resp) that hold no bibl."""
    return [
        n
        for n in teixml.NOTES(root)
        if n.get("resp") is None and n.find(".//" + teixml.tei("bibl")) is None
    ]


def wrap_tree(root: etree._Element) -> list[etree._Element]:
    """Wrap the certain citations of every witness note without bibl; return the new bibls."""
    made = []
    for note in notes_without_bibl(root):
        flat = flatten(note)
        made += wrap(flat, find(flat))
    return made
