"""Suspects: tokens of a witness's TEI that are likely to be transcription (OCR, typing) errors.

`edition suspects [SIGLUM]` lists them per witness, one a line in the project's format
(`file:line: what is wrong. How to fix. [suspects.CLASS]`, at information level), by class:

- mixed-script      letters of two scripts inside one word (a Cyrillic о inside a Latin word);
- unknown-word      a word in no English word list (wordfreq, large list), nowhere else in the
                    corpus of the five witnesses and in no name list (sources/transliterations.yml);
- hyphen-join       a hyphenated form whose joined form occurs elsewhere (seri-ous / serious), or
                    an article hyphenated to the next word ("the-leadership");
- hyphen-space      a hyphen followed by a space inside a line whose halves join into a word
                    (a printer's line-end hyphen kept by the transcription: "seri- ous");
- page-break-join   a word rejoined across `pb break="no"` that is no word (letters lost at the
                    break);
- digit-separator   a digit group whose thousands separator disagrees with the witness's own
                    convention, found by counting the witness's digit groups (the report says so);
- doubled-word      the same word twice in a row ("the the");
- doubled-punctuation  ",," ";;" "::" (a printer's or an OCR slip), and two single quotation
                    marks set for a double one (‘’ for “, ’’ for ”);
- ocr-confusion     a real word that is a classic OCR misreading of a far likelier word (rn/m
                    "modem/modern", ri/n "arid/and", cl/d, li/h, ii/u, e/c, h/b "tbe/the"...),
                    reported only when the corpus prints the likelier word in the same phrase
                    (see `ocr_confusions`); a letter dropped inside a word the corpus prints
                    beside the same name ("Water Krivitsky" / "Walter Krivitsky"); and a digit
                    read as a letter or a letter as a digit ("l935", "1ike");
- stop-lowercase    a full stop after a word and before a lower-case word ("terror. and he"): a
                    comma or semicolon read as a full stop, or a capital lost (abbreviations such
                    as etc., ibid., vol., Feb. are left out);
- stop-missing      a lower-case word followed, with no stop, by a capital word that opens
                    sentences and then by a lower-case word ("the party The next day"): a full
                    stop lost (titles in title case, and a word such as "from" or "of" before the
                    capital, are left out);
- note-number       a note marker (@n) that breaks the sequence of its neighbours by one digit
                    added or changed ("22, 223, 24"): a superscript misread, or the printer's; the
                    note's own number in a label (as an importer records a marker unlike it)
                    decides nothing. Corrected (n="23", the transcription's 223 recorded in the
                    header's list type="marker-corrections") it is in the run again; printed so,
                    it is allowed in sources/suspects-allow.yml.

Each suspect is decided by an editor reading the context and the raw transcription line:
a transcription error becomes `choice/sic/corr`, the printed witness's own slip `sic` alone; a
rejected suspect goes into sources/suspects-allow.yml with a reason, and the report stays quiet.
Text inside `choice` or `sic`, editorial notes (with @resp) and the header are decided already and
are not read for suspects (a `choice` counts with its `corr` in the corpus).

The detectors are plain functions over text, so an importer can run them on a transcription too.
"""

from __future__ import annotations

import bisect
import collections
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from lxml import etree

from build_scripts.problems import Location, Problem, relpath
from build_scripts.tei.teixml import NS, XML_ID, local

CLASSES = (
    "mixed-script",
    "unknown-word",
    "hyphen-join",
    "hyphen-space",
    "page-break-join",
    "digit-separator",
    "doubled-word",
    "doubled-punctuation",
    "ocr-confusion",
    "stop-lowercase",
    "stop-missing",
    "note-number",
)
BLOCK = "\x00"  # a block boundary in the flattened text (never whitespace, never a word)
BLOCKS = frozenset(
    "p head cell item note row table list div l lg label quote cit bibl epigraph titlePart "
    "docTitle byline docImprint titlePage argument trailer closer opener salute signed "
    "dateline".split()
)
# bibl and quote are inline in running text but often stand alone; a boundary around them costs
# nothing
INLINE_BLOCKS = frozenset({"bibl", "quote", "cit", "label"})
SKIP = frozenset({"teiHeader", "fw", "figDesc", "divGen"})
DECIDED = frozenset({"choice", "sic"})

LETTERS = r"[^\W\d_]"
WORD = re.compile(rf"{LETTERS}+(?:['’]{LETTERS}+)*")
DIGIT_GROUP = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:([.,])\d{3})+(?![\d])(?![.,]\d)")
HYPHENATED = re.compile(rf"(?<![\w-])({LETTERS}+)-({LETTERS}+)(?![\w-])")
HYPHEN_SPACE = re.compile(rf"({LETTERS}{{2,}})- ({LETTERS}+)")
DOUBLED = re.compile(rf"(?<![\w'’])({LETTERS}+)[ \t\n]+\1(?![\w'’])", re.IGNORECASE)
DOUBLED_PUNCT = re.compile(r"([,;:])\s*\1")
# two single quotation marks where the page prints a double one (‘’ for “, ’’ for ”): a
# conversion's slip; an apostrophe between letters is a word's own (a transliterated hard sign)
QUOTE_PAIR = re.compile(r"(?<![^\W\d_])[‘’]{2}|[‘’]{2}(?![^\W\d_])")
# pre- and post-war, one- or two-storey: a hyphen-space before a conjunction is a suspended compound
SUSPENDED = frozenset({"and", "or", "to", "nor", "und", "et", "i", "ili"})
# doubled words that English uses as such ("had had", "that that"): reported still, unless allowed

# Latin look-alikes of Cyrillic and Greek letters: the suggested reading of a mixed-script word.
HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "в": "v",
        "е": "e",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "y",
        "х": "kh",
        "ё": "e",
        "ь": "'",
        "ы": "y",
        "ш": "sh",
        "ч": "ch",
        "ц": "ts",
        "ж": "zh",
        "я": "ya",
        "ю": "yu",
        "э": "e",
        "д": "d",
        "г": "g",
        "б": "b",
        "ф": "f",
        "і": "i",
        "А": "A",
        "В": "V",
        "Е": "E",
        "З": "Z",
        "И": "I",
        "К": "K",
        "М": "M",
        "Н": "N",
        "О": "O",
        "Р": "R",
        "С": "S",
        "Т": "T",
        "У": "U",
        "Х": "Kh",
        "α": "a",
        "ο": "o",
        "ρ": "p",
        "ν": "v",
        "ι": "i",
        "κ": "k",
        "τ": "t",
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ο": "O",
        "Ρ": "P",
        "Τ": "T",
        "Χ": "X",
    }
)


# --- the text of a witness, flattened with line numbers ----------------------------------------
@dataclass
class Text:
    """A TEI file's running text and notes as one string, with the TEI line of each character, the
    characters already decided (inside choice/sic) and the places of `pb break="no"`."""

    path: str
    chars: list[str] = field(default_factory=list)
    decided: list[bool] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # offset where a line number begins
    lines: list[int] = field(default_factory=list)
    joins: list[int] = field(default_factory=list)  # offsets of pb/lb/cb break="no"
    string: str = ""

    def add(self, text: str, line: int, decided: bool) -> None:
        offset = len(self.chars)
        self.starts.append(offset)
        self.lines.append(line)
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(offset + i + 1)
                self.lines.append(line + 1)
                line += 1
        self.chars.extend(text)
        self.decided.extend([decided] * len(text))

    def line_at(self, offset: int) -> int:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.lines[index] if index >= 0 else 1

    def is_decided(self, start: int, end: int) -> bool:
        return any(self.decided[start:end])

    def context(self, start: int, end: int, width: int = 40) -> str:
        before = self.string[max(0, start - width) : start].split(BLOCK)[-1]
        after = self.string[end : end + width].split(BLOCK)[0]
        return " ".join(f"{before}[{self.string[start:end]}]{after}".split())


def flatten(root: etree._Element, path: str) -> Text:
    text = Text(path)
    line = [1]

    def count(el: etree._Element) -> None:
        """Advance the line over a subtree that is not read."""
        for node in el.iter():
            if isinstance(node.tag, str) and node.sourceline:
                line[0] = max(line[0], node.sourceline)
            if node.text and isinstance(node.tag, str):
                line[0] += node.text.count("\n")
            if node is not el and node.tail:
                line[0] += node.tail.count("\n")

    def add(chunk: str | None, decided: bool) -> None:
        if chunk:
            text.add(chunk, line[0], decided)
            line[0] += chunk.count("\n")

    def walk(el: etree._Element, decided: bool) -> None:
        if el.sourceline:
            line[0] = max(line[0], el.sourceline)
        name = local(el)
        if (
            not isinstance(el.tag, str)
            or name in SKIP
            or (name == "note" and el.get("resp") is not None)
        ):
            if isinstance(el.tag, str):
                count(el)
                text.add(BLOCK, line[0], True)
        elif name == "choice":
            reading = next((c for c in el if local(c) in ("corr", "reg", "expan")), None)
            count(el)
            if reading is not None:
                text.add("".join(reading.itertext()), line[0], True)
        elif name in ("pb", "lb", "cb"):
            if el.get("break") == "no":
                text.joins.append(len(text.chars))
            else:
                text.add(" ", line[0], decided)
        else:
            block = name in BLOCKS
            if block:
                text.add(BLOCK, line[0], True)
            inner = decided or name in DECIDED
            add(el.text, inner)
            for child in el:
                walk(child, inner)
            if block:
                text.add(BLOCK, line[0], True)
        if el.tail:
            add(el.tail, decided)

    body = root.find("tei:text", NS)
    if body is not None:
        walk(body, False)
    text.string = "".join(text.chars)
    return text


# --- word lists ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=100_000)
def in_word_list(word: str) -> bool:
    """True if wordfreq's large English list knows the word (in any case)."""
    from wordfreq import zipf_frequency

    return any(zipf_frequency(w, "en", wordlist="large") > 0 for w in {word, word.lower()})


# wordfreq's large list also holds misspellings seen on the web ("comunist" 1.2); a word rejoined
# across a page break must be commoner than that to count as a word
RARE = 1.5


@functools.lru_cache(maxsize=100_000)
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a word (the higher of its own and its lower-case form)."""
    from wordfreq import zipf_frequency

    return max(zipf_frequency(w, "en", wordlist="large") for w in {word, word.lower()})


def name_list(path: Path) -> set[str]:
    """Names and transliterations: every spelling of every group of sources/transliterations.yml."""
    if not path.exists():
        return set()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(name).lower() for group in data.get("groups", []) for name in group}


def scripts(word: str) -> set[str]:
    return {unicodedata.name(ch, "UNKNOWN").split()[0] for ch in word if ch.isalpha()}


# --- detectors: each yields (start, end, class, message, hint) ----------------------------------
def mixed_script(text: Text):
    for m in re.finditer(rf"{LETTERS}+", text.string):
        found = scripts(m.group()) & {"LATIN", "CYRILLIC", "GREEK"}
        if len(found) > 1:
            word = m.group()
            others = "".join(ch for ch in word if not unicodedata.name(ch, "").startswith("LATIN"))
            letters = (
                repr(c) + " " + unicodedata.name(c).split(" LETTER ")[0].title()
                for c in dict.fromkeys(others)
            )
            yield (
                m.start(),
                m.end(),
                "mixed-script",
                f"'{word}' mixes {' and '.join(sorted(s.title() for s in found))} letters "
                f"({', '.join(letters)})",
                "If the printed page has a Latin word, encode "
                f"<choice><sic>{word}</sic><corr>{word.translate(HOMOGLYPHS)}</corr></choice> "
                "(check the letters)",
            )


# a non-word printed again and again is still a misreading when one OCR confusion turns it into a
# word the corpus prints far more often: the same misreading repeated in one kind of type
# ("chisika" four times in the small italics of the notes, "chistka" 85 times)
REPEATED = 5  # the likelier spelling is printed at least this many times as often, and as often


def repeated_misreading(key: str, corpus: collections.Counter) -> str | None:
    """The spelling one OCR confusion away from a non-word printed more than once that the corpus
    prints at least REPEATED times as often (and REPEATED times at least), or None."""
    best = max(confusion_variants(key), key=lambda v: (corpus[v], v), default=None)
    if best and corpus[best] >= REPEATED * max(corpus[key], 1):
        return best
    return None


def unknown_words(text: Text, corpus: collections.Counter, names: set[str]):
    for m in WORD.finditer(text.string):
        word = m.group()
        if len(word) < 3 or any(ch.isdigit() for ch in word) or not scripts(word) <= {"LATIN"}:
            continue
        key = word.lower().replace("’", "'")
        stem = key[:-2] if key.endswith("'s") else key.rstrip("'")
        if (
            key in names
            or stem in names
            or in_word_list(word)
            or (stem != key and (corpus[stem] or in_word_list(stem)))
        ):
            continue
        if corpus[key] > 1:
            likelier = repeated_misreading(key, corpus)
            if likelier is None:
                continue
            yield (
                m.start(),
                m.end(),
                "unknown-word",
                f"'{word}' is in no English word list and in no name list; the corpus prints it "
                f"{corpus[key]} times, but '{likelier}', one OCR confusion away, "
                f"{corpus[likelier]} times",
                "If the printed page has the commoner spelling, encode every place "
                f"<choice><sic>{word}</sic><corr>{likelier}</corr></choice>; if the witness "
                "prints it so, allow it in sources/suspects-allow.yml",
            )
            continue
        yield (
            m.start(),
            m.end(),
            "unknown-word",
            f"'{word}' is in no English word list, nowhere else in the corpus and in no name list",
            "If the printed page reads otherwise, encode choice/sic/corr; "
            "if the witness printed it so, sic alone; if it is right (a "
            "name, a transliteration), allow it in sources/suspects-allow.yml",
        )


# an article is never the first half of a compound ("the-leadership"); "a-" is left to the word
# list (a-political)
ARTICLES = frozenset({"the", "an"})
# first halves that form hyphenated compounds in standard English (non-party, re-election)
COMPOUND_PREFIXES = frozenset(
    "non anti re un pre post co self semi pro counter ex sub super inter multi mid half well first "
    "second third".split()
)


def hyphen_joins(text: Text, corpus: collections.Counter, hyphenated: collections.Counter):
    """A hyphenated form printed once in the corpus whose joined form occurs elsewhere: a printer's
    line-end hyphen that the transcription kept (a compound the witnesses print more than once, or
    with a prefix that English hyphenates, is taken as spelled so)."""
    for m in HYPHENATED.finditer(text.string):
        joined = (m.group(1) + m.group(2)).lower()
        if m.group(1).lower() in ARTICLES and not text.string[m.end() : m.end() + 1] == "-":
            yield (
                m.start(),
                m.end(),
                "hyphen-join",
                f"'{m.group()}' joins an article to the next word with a hyphen",
                "If the printed page has two words, encode "
                f"<choice><sic>{m.group()}</sic><corr>{m.group(1)} {m.group(2)}</corr></choice>",
            )
            continue
        if (
            corpus[joined] < 1
            or hyphenated[m.group().lower()] > 1
            or m.group(1).lower() in COMPOUND_PREFIXES
        ):
            continue
        yield (
            m.start(),
            m.end(),
            "hyphen-join",
            f"'{m.group()}' is hyphenated once in the corpus, but "
            f"'{m.group(1) + m.group(2)}' occurs elsewhere ({corpus[joined]} "
            "times): perhaps a printer's line-end hyphen kept by the transcription",
            "If the printed page breaks the word at a line end, encode "
            f"<choice><sic>{m.group()}</sic><corr>{m.group(1) + m.group(2)}</corr></choice>",
        )


def hyphen_spaces(text: Text, corpus: collections.Counter):
    for m in HYPHEN_SPACE.finditer(text.string):
        first, second = m.group(1), m.group(2)
        if second.lower() in SUSPENDED or not second[0].islower():
            continue
        joined = first + second
        if corpus[joined.lower()] or in_word_list(joined):
            yield (
                m.start(),
                m.end(),
                "hyphen-space",
                f"'{m.group()}' splits a word with a hyphen and "
                f"a space inside a line ('{joined}' is a word)",
                "If the printed page has one word, encode "
                f"<choice><sic>{m.group()}</sic><corr>{joined}</corr></choice>",
            )


def page_break_joins(text: Text, corpus: collections.Counter):
    for offset in text.joins:
        s = text.string
        start = offset
        while start > 0 and (s[start - 1].isalpha() or s[start - 1] in "'’"):
            start -= 1
        end = offset
        while end < len(s) and (s[end].isalpha() or s[end] in "'’"):
            end += 1
        word = s[start:end]
        if not word or text.is_decided(start, end):
            continue
        if corpus[word.lower()] > 1 or zipf(word) >= RARE:
            continue
        yield (
            start,
            end,
            "page-break-join",
            f"'{s[start:offset]}|{s[offset:end]}' rejoined "
            'across a page break (pb break="no") is no word',
            "A letter may be lost at the break: compare the printed page; "
            "encode the missing letters as choice/sic/corr, or correct the join",
        )


def digit_convention(text: Text) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    for m in DIGIT_GROUP.finditer(text.string):
        if not text.is_decided(m.start(), m.end()):
            counts[m.group(1)] += 1
    return counts


def digit_separators(text: Text, counts: collections.Counter):
    if len(counts) < 2:
        return
    (usual, n_usual), (other, n_other) = counts.most_common(2)
    if n_usual < 2 * n_other:
        return  # no clear convention: nothing to disagree with
    name = {",": "comma", ".": "full stop"}
    for m in DIGIT_GROUP.finditer(text.string):
        if m.group(1) == other:
            yield (
                m.start(),
                m.end(),
                "digit-separator",
                f"'{m.group()}' separates thousands with a {name[other]}; the witness prints "
                f"{n_usual} digit groups with a {name[usual]} and {n_other} with a {name[other]}",
                f"If the printed page has a {name[usual]}, "
                f"encode <choice><sic>{m.group()}</sic><corr>"
                f"{m.group().replace(other, usual)}</corr></choice>",
            )


def doubled(text: Text):
    for m in DOUBLED.finditer(text.string):
        if m.group(1).isdigit():
            continue
        yield (
            m.start(),
            m.end(),
            "doubled-word",
            f"'{' '.join(m.group().split())}' prints a word twice",
            "If the printed page has it once, encode the second as choice/sic/corr "
            "(corr empty); if the witness printed it twice, encode <sic> alone",
        )
    for m in DOUBLED_PUNCT.finditer(text.string):
        yield (
            m.start(),
            m.end(),
            "doubled-punctuation",
            f"'{m.group()}' doubles a punctuation mark",
            "Encode choice/sic/corr if the transcription doubled it, sic alone if the witness did",
        )
    for m in QUOTE_PAIR.finditer(text.string):
        double = "“" if m.group().startswith("‘") else "”"
        yield (
            m.start(),
            m.end(),
            "doubled-punctuation",
            f"'{m.group()}' sets two single quotation marks where one double mark stands",
            f"If the printed page has {double}, encode <choice><sic>{m.group()}</sic><corr>"
            f"{double}</corr></choice>",
        )


# --- real-word OCR confusions ---------------------------------------------------------------------
# Letter shapes an OCR engine confuses (either way): rn/m "modem/modern", ri/n "arid/and", cl/d,
# li/h, ii/u, in/m, h/b "tbe/the", th/d "die/the", e/c, e/o, c/o, l/i, l/t, t/i (the t of small
# italic type, "chisika/chistka"), t/f, f/l, u/n, vv/w.
CONFUSIONS = (
    ("rn", "m"),
    ("ri", "n"),
    ("cl", "d"),
    ("li", "h"),
    ("ii", "u"),
    ("in", "m"),
    ("ni", "m"),
    ("h", "b"),
    ("th", "d"),
    ("tl", "d"),
    ("e", "c"),
    ("e", "o"),
    ("c", "o"),
    ("l", "i"),
    ("l", "t"),
    ("t", "i"),
    ("t", "f"),
    ("f", "l"),
    ("u", "n"),
    ("vv", "w"),
)
LIKELIER = 1.0  # the variant is at least ten times as frequent in English (Zipf scale)
FAR_LIKELIER = 2.5  # ... or over 300 times, for a token printed once in the corpus
COMMON = 6.0  # Zipf of the commonest function words (the, of, and): no evidence of a phrase
DIGIT_WORD = re.compile(r"(?<![\w.,])(?=\w*\d)(?=\w*[^\W\d_])\w{3,}(?![\w])")
AS_DIGIT = str.maketrans({"l": "1", "I": "1", "O": "0", "o": "0"})
AS_LETTER = str.maketrans({"1": "l", "0": "o"})


def confusion_variants(word: str) -> set[str]:
    """Every spelling one OCR confusion away from the (lower-case) word."""
    out = set()
    for a, b in CONFUSIONS + tuple((b, a) for a, b in CONFUSIONS):
        for m in re.finditer(re.escape(a), word):
            out.add(word[: m.start()] + b + word[m.end() :])
    out.discard(word)
    return out


@dataclass
class Ngrams:
    """Words, word pairs and triples of the corpus (lower case; only words separated by spaces
    alone belong to one phrase)."""

    words: collections.Counter = field(default_factory=collections.Counter)
    pairs: collections.Counter = field(default_factory=collections.Counter)
    triples: collections.Counter = field(default_factory=collections.Counter)

    @functools.cached_property
    def shortened(self) -> dict[str, set[str]]:
        """Each word printed twice or more, under every form with one inner letter dropped."""
        out: dict[str, set[str]] = collections.defaultdict(set)
        for word, n in self.words.items():
            if n >= 2 and len(word) >= 4:
                for i in range(1, len(word) - 1):
                    out[word[:i] + word[i + 1 :]].add(word)
        return out

    def add(self, text: Text) -> None:
        for tokens in phrases(text):
            words = [w for _, _, w in tokens]
            self.words.update(words)
            self.pairs.update(zip(words, words[1:]))
            self.triples.update(zip(words, words[1:], words[2:]))


def phrases(text: Text):
    """Runs of words separated by whitespace alone: [(start, end, lower-case word), ...]."""
    run: list[tuple[int, int, str]] = []
    for m in WORD.finditer(text.string):
        if run and text.string[run[-1][1] : m.start()].strip():
            yield run
            run = []
        run.append((m.start(), m.end(), m.group().lower().replace("’", "'")))
    if run:
        yield run


def ocr_confusions(text: Text, grams: Ngrams):
    """A lower-case real word one OCR confusion away from a word at least ten times as frequent in
    English, where the corpus prints that word between the same neighbours (the same three-word
    phrase) and never the token so; the commonest function words on both sides are no evidence.
    A token printed once in the corpus whose variant is over 300 times as frequent is reported
    when the corpus prints the variant beside both its neighbours (each pair once at least)."""
    for tokens in phrases(text):
        for i, (start, end, word) in enumerate(tokens):
            printed = text.string[start:end]
            if len(word) < 2 or not printed.islower() or not printed.isascii():
                continue
            own = zipf(word)
            if own == 0:
                continue  # not a word: the unknown-word class reports it
            before = tokens[i - 1][2] if i > 0 else None
            after = tokens[i + 1][2] if i + 1 < len(tokens) else None
            for variant in sorted(confusion_variants(word)):
                gain = zipf(variant) - own
                if gain < LIKELIER:
                    continue
                phrase = (
                    before
                    and after
                    and grams.triples[(before, variant, after)] >= 1
                    and grams.triples[(before, word, after)] <= 1
                    and min(zipf(before), zipf(after)) < COMMON
                )
                sides = [
                    grams.pairs[pair] >= 1 and grams.pairs[own_pair] <= 1
                    for pair, own_pair, near in (
                        ((before, variant), (before, word), before),
                        ((variant, after), (word, after), after),
                    )
                    if near
                ]
                lone = gain >= FAR_LIKELIER and grams.words[word] == 1 and sides and all(sides)
                if phrase or lone:
                    where = (
                        f"the corpus prints '{before} {variant} {after}'"
                        if phrase
                        else f"printed once in the corpus, where '{variant}' stands beside "
                        "the same words"
                    )
                    yield (
                        start,
                        end,
                        "ocr-confusion",
                        f"'{printed}' may be an OCR misreading of '{variant}' "
                        f"({10**gain:.0f} times as frequent in English; {where})",
                        "If the printed page has the other word, encode "
                        f"<choice><sic>{printed}</sic><corr>{variant}</corr></choice>; if it "
                        "is right, allow it in sources/suspects-allow.yml",
                    )
                    break
    yield from dropped_letters(text, grams)
    for m in DIGIT_WORD.finditer(text.string):
        token = m.group()
        number, word = token.translate(AS_DIGIT), token.translate(AS_LETTER)
        if number.isdigit():
            reading = number
        elif word.isalpha() and zipf(word) >= 3.0:
            reading = word
        else:
            continue
        yield (
            m.start(),
            m.end(),
            "ocr-confusion",
            f"'{token}' mixes digits and letters; '{reading}' is a "
            + ("number" if reading.isdigit() else "word"),
            f"If the printed page has '{reading}', encode "
            f"<choice><sic>{token}</sic><corr>{reading}</corr></choice>",
        )


def dropped_letters(text: Text, grams: Ngrams):
    """A word that lacks one inner letter of a word the corpus prints at least twice beside the
    same rare neighbour (a name or a word below Zipf 4: "Water Krivitsky" where "Walter
    Krivitsky" is printed), the token beside it once only; the token is capitalised (a name) or
    rarer than the fuller word. All-capital tokens (roman numerals, initials) are left out."""
    for tokens in phrases(text):
        for i, (start, end, word) in enumerate(tokens):
            printed = text.string[start:end]
            if len(word) < 3 or printed.isupper():
                continue
            for fuller in sorted(grams.shortened.get(word, ())):
                if not printed[0].isupper() and (zipf(word), grams.words[word]) >= (
                    zipf(fuller),
                    grams.words[fuller],
                ):
                    continue
                found = None
                for j, before in ((i - 1, True), (i + 1, False)):
                    if not 0 <= j < len(tokens):
                        continue
                    near = tokens[j][2]
                    if near.isdigit() or zipf(near) >= 4.0:
                        continue
                    pair, own = (
                        ((near, fuller), (near, word)) if before else ((fuller, near), (word, near))
                    )
                    if grams.pairs[pair] >= 2 and grams.pairs[own] <= 1:
                        found = " ".join(pair)
                        break
                if found:
                    fuller = fuller[0].upper() + fuller[1:] if printed[0].isupper() else fuller
                    yield (
                        start,
                        end,
                        "ocr-confusion",
                        f"'{printed}' lacks a letter of '{fuller}': the corpus prints "
                        f"'{found}' {grams.pairs[tuple(found.split())]} times, "
                        f"'{printed}' there once",
                        "If the printed page has the fuller word, encode "
                        f"<choice><sic>{printed}</sic><corr>{fuller}</corr></choice>; if the "
                        "witness printed it so, sic alone or an allow-list entry",
                    )
                    break


# abbreviations that end in a full stop and may stand before a lower-case word
ABBREVIATIONS = frozenset(
    "etc ibid cf vol vols no nos pp ed eds edn trans op cit loc al esp approx ca fig ch chap sec "
    "art tom kh gg obl col cols ff viz resp incl sq sqq co jan feb mar apr jun jul aug sep sept "
    "oct nov dec mr mrs dr st vs".split()
)
STOP_LOWER = re.compile(r"(?<![.\w])([^\W\d_]{2,})\. ([a-z][a-z]+)")


def stop_lowercase(text: Text):
    for m in STOP_LOWER.finditer(text.string):
        if m.group(1).lower() in ABBREVIATIONS:
            continue
        yield (
            m.start(),
            m.end(),
            "stop-lowercase",
            f"'{m.group()}' has a full stop before a lower-case word",
            "If the printed page has a comma or semicolon there, encode the mark as "
            "<choice><sic>.</sic><corr>,</corr></choice>; if it has a capital, encode the word so",
        )


# capital words that open sentences, not titles or names; a lower-case word before one of them, and
# a lower-case word after it, with no stop between: a full stop lost ("the party The next day")
STARTERS = (
    "The This These Those It He She They We But However Thus Yet There Its His Her Their Our In "
    "On At When While Although After Before Such Many Most Some Only"
).split()
# words a sentence does not end with: before a capital they open a title ("from The class struggle")
NO_END = frozenset(
    "a an the of to in on at by for from with into about as and or nor but than that see via "
    "under over upon toward towards".split()
)
STOP_MISSING = re.compile(
    rf"(?<![\w.'’])([a-z][a-z'’]+)([”\"’)]?) ({'|'.join(STARTERS)})(?= [a-z])"
)


def stop_missing(text: Text):
    for m in STOP_MISSING.finditer(text.string):
        if m.group(1) in NO_END:
            continue
        word, close, capital = m.groups()
        yield (
            m.start(),
            m.end(),
            "stop-missing",
            f"'{m.group()}' runs on, with no full stop, into '{capital}', which opens sentences",
            "If the printed page has a full stop there, encode "
            f"{word}{close}<choice><sic/><corr>.</corr></choice> {capital}",
        )


def one_digit_off(printed: str, expected: str) -> bool:
    """True if `printed` is `expected` with one digit added or one digit changed."""
    if len(printed) == len(expected) + 1:
        return any(printed[:i] + printed[i + 1 :] == expected for i in range(len(printed)))
    return len(printed) == len(expected) and sum(a != b for a, b in zip(printed, expected)) == 1


def note_numbers(root: etree._Element):
    """Markers (@n) of the witness's numbered notes that break the run of their neighbours by one
    digit: (element, marker, expected number). The run follows each note's own number (its label
    where it has one); a label does not decide whether the book or the transcription has the
    marker, so a labelled note is read too. Editorial notes and table notes (a, b, *) are not."""
    body = root.find("tei:text", NS)
    notes = []
    for el in body.iter(f"{{{NS['tei']}}}note") if body is not None else ():
        n = el.get("n") or ""
        if el.get("resp") is not None or el.get("type") == "table" or not n.isdigit():
            continue
        label = el.find("tei:label[@type='note-number']", NS)
        number = "".join(label.itertext()).strip() if label is not None else ""
        notes.append((el, int(n), int(number) if number.isdigit() else None))
    for i in range(1, len(notes)):
        el, n, _ = notes[i]
        before = notes[i - 1][2] or notes[i - 1][1]
        expected = before + 1
        if n in (expected, 1):
            continue
        after = (notes[i + 1][2] or notes[i + 1][1]) if i + 1 < len(notes) else None
        if after not in (None, expected + 1) or not one_digit_off(str(n), str(expected)):
            continue
        yield el, str(n), str(expected)


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def marker_lines(raw: list[str], marker: str) -> tuple[int, ...]:
    """The lines of the transcription that print the marker: as a whole run of superscript digits
    where the transcription writes them so, else where its digits occur (at most three)."""
    sup = marker.translate(SUPERSCRIPT)
    lines = [i for i, ln in enumerate(raw, 1) if sup in SUPERSCRIPT_RUN.findall(ln)]
    return tuple(lines or [i for i, ln in enumerate(raw, 1) if marker in ln])[:3]


# --- the allow-list ------------------------------------------------------------------------------
@dataclass
class Allow:
    entries: dict[tuple[str, str, str], str]  # (siglum, class, token) -> reason
    problems: list[Problem]
    lines: dict[tuple[str, str, str], int]


def load_allow(path: Path, root: Path | None = None) -> Allow:
    """sources/suspects-allow.yml: siglum → class → token → reason (see its header comment)."""
    rel = relpath(path, root)
    if not path.exists():
        return Allow({}, [], {})
    source = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(source) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return Allow(
            {},
            [
                Problem(
                    Location(rel, mark.line + 1 if mark else None),
                    f"cannot read the allow-list: {str(err).splitlines()[0]}",
                    "Fix the YAML syntax",
                    "suspects.allow-unreadable",
                )
            ],
            {},
        )
    entries, problems, lines = {}, [], {}
    node = yaml.compose(source)
    positions = {}
    if isinstance(node, yaml.MappingNode):
        for sig_key, sig_val in node.value:
            if isinstance(sig_val, yaml.MappingNode):
                for cls_key, cls_val in sig_val.value:
                    if isinstance(cls_val, yaml.MappingNode):
                        for tok_key, _ in cls_val.value:
                            positions[(sig_key.value, cls_key.value, str(tok_key.value))] = (
                                tok_key.start_mark.line + 1
                            )
    for siglum, classes in data.items() if isinstance(data, dict) else []:
        for cls, tokens in (classes or {}).items():
            if cls not in CLASSES:
                problems.append(
                    Problem(
                        Location(rel, positions.get((siglum, cls, next(iter(tokens or {""}), "")))),
                        f"unknown suspect class '{cls}'",
                        f"Use one of {', '.join(CLASSES)}",
                        "suspects.allow-malformed",
                        "warning",
                    )
                )
                continue
            for token, reason in (tokens or {}).items():
                key = (str(siglum), cls, str(token))
                lines[key] = positions.get(key)
                if not reason or not str(reason).strip():
                    problems.append(
                        Problem(
                            Location(rel, lines[key]),
                            f"'{token}' is allowed without a reason",
                            "Say in a few words why it is not a transcription error",
                            "suspects.allow-malformed",
                            "warning",
                        )
                    )
                entries[key] = str(reason or "")
    return Allow(entries, problems, lines)


# --- the report ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Suspect:
    siglum: str
    cls: str
    token: str
    location: Location
    message: str
    hint: str
    context: str
    source_lines: tuple[int, ...] = ()

    def problem(self, source_rel: str = "") -> Problem:
        where = (
            f"; transcription {source_rel}:{','.join(map(str, self.source_lines[:3]))}"
            if self.source_lines and source_rel
            else ""
        )
        return Problem(
            self.location,
            f"{self.message}: {self.context}{where}",
            self.hint,
            f"suspects.{self.cls}",
            "info",
        )


@dataclass
class WitnessReport:
    siglum: str
    tei: str
    source: str
    suspects: list[Suspect]
    allowed: collections.Counter  # class -> how many suspects the allow-list silenced
    digits: collections.Counter  # separator -> count

    def summary(self) -> str:
        counts = collections.Counter(s.cls for s in self.suspects)
        by_class = ", ".join(f"{c} {counts[c]}" for c in CLASSES if counts[c]) or "none"
        allowed = sum(self.allowed.values())
        name = {",": "comma", ".": "full stop"}
        if self.digits:
            usual, n = self.digits.most_common(1)[0]
            parts = ", ".join(f"{name[k]} {v}" for k, v in self.digits.most_common())
            clear = len(self.digits) == 1 or n >= 2 * self.digits.most_common(2)[1][1]
            convention = (
                f"digit groups: {parts} → convention {name[usual]}"
                if clear
                else f"digit groups: {parts} → no clear convention"
            )
        else:
            convention = "digit groups: none"
        return (
            f"{self.siglum} ({self.tei}): {len(self.suspects)} "
            f"suspect(s): {by_class}; {allowed} allowed; {convention}"
        )


@dataclass
class Source:
    """What the detectors need of one witness: its siglum, TEI file and raw transcription."""

    siglum: str
    tei: Path
    source: Path | None = None


def corpus_counts(texts: list[Text]) -> tuple[collections.Counter, collections.Counter]:
    """How often each word (lower case) and each hyphenated form occurs in all the witnesses."""
    counts: collections.Counter = collections.Counter()
    hyphenated: collections.Counter = collections.Counter()
    for text in texts:
        for m in WORD.finditer(text.string):
            counts[m.group().lower().replace("’", "'")] += 1
        for m in HYPHENATED.finditer(text.string):
            hyphenated[m.group().lower()] += 1
    return counts, hyphenated


class Suggest:
    """The nearest word printed at least twice in the corpus (one or two letters away)."""

    def __init__(self, corpus: collections.Counter):
        self.words = [w for w, n in corpus.items() if n >= 2 and len(w) >= 3]

    def __call__(self, word: str) -> str | None:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        cutoff = 1 if len(word) <= 5 else 2
        hit = process.extractOne(
            word.lower(), self.words, scorer=Levenshtein.distance, score_cutoff=cutoff
        )
        return hit[0] if hit else None


def run(
    sources: list[Source],
    only: set[str] | None = None,
    allow_path: Path | None = None,
    names_path: Path | None = None,
    root: Path | None = None,
) -> tuple[list[WitnessReport], list[Problem]]:
    """Detect suspects in each witness (all witnesses form the corpus; report those in `only`)."""
    problems: list[Problem] = []
    texts, roots = {}, {}
    for src in sources:
        tree = etree.parse(str(src.tei), etree.XMLParser(resolve_entities=False, no_network=True))
        roots[src.siglum] = tree.getroot()
        texts[src.siglum] = flatten(roots[src.siglum], relpath(src.tei, root))
    corpus, hyphenated = corpus_counts(list(texts.values()))
    grams = Ngrams()
    for text in texts.values():
        grams.add(text)
    suggest = Suggest(corpus)
    names = name_list(names_path) if names_path else set()
    allow = load_allow(allow_path, root) if allow_path else Allow({}, [], {})
    problems.extend(allow.problems)
    used: set[tuple[str, str, str]] = set()
    reports = []
    for src in sources:
        if only and src.siglum not in only:
            continue
        text = texts[src.siglum]
        digits = digit_convention(text)
        raw = (
            src.source.read_text(encoding="utf-8").split("\n")
            if src.source and src.source.exists()
            else []
        )
        found: list[Suspect] = []
        allowed: collections.Counter = collections.Counter()
        seen: set[tuple[int, str]] = set()
        detectors = (
            mixed_script(text),
            hyphen_joins(text, corpus, hyphenated),
            hyphen_spaces(text, corpus),
            page_break_joins(text, corpus),
            digit_separators(text, digits),
            doubled(text),
            unknown_words(text, corpus, names),
            ocr_confusions(text, grams),
            stop_lowercase(text),
            stop_missing(text),
        )
        covered: list[
            tuple[int, int]
        ] = []  # spans of a hyphen or page-break suspect: their halves are not unknown words
        for detector in detectors:
            for start, end, cls, message, hint in detector:
                if cls != "page-break-join" and text.is_decided(start, end):
                    continue
                if (start, cls) in seen or (
                    cls == "unknown-word" and any(a <= start and end <= b for a, b in covered)
                ):
                    continue
                if cls in ("hyphen-join", "hyphen-space", "page-break-join"):
                    covered.append((start, end))
                if cls == "unknown-word":
                    near = suggest(text.string[start:end])
                    if near:
                        message += (
                            f" (perhaps '{near}', printed {corpus[near]} times in the corpus)"
                        )
                seen.add((start, cls))
                token = " ".join(text.string[start:end].split())
                key = (src.siglum, cls, token)
                if key in allow.entries:
                    used.add(key)
                    allowed[cls] += 1
                    continue
                probe = token.replace("|", "")
                lines = (
                    tuple(i for i, ln in enumerate(raw, 1) if probe in ln)
                    if probe and cls != "page-break-join"
                    else ()
                )
                found.append(
                    Suspect(
                        src.siglum,
                        cls,
                        token,
                        Location(text.path, text.line_at(start)),
                        message,
                        hint,
                        text.context(start, end),
                        lines,
                    )
                )
        for el, marker, expected in note_numbers(roots[src.siglum]):
            key = (src.siglum, "note-number", marker)
            if key in allow.entries:
                used.add(key)
                allowed["note-number"] += 1
                continue
            found.append(
                Suspect(
                    src.siglum,
                    "note-number",
                    marker,
                    Location(text.path, el.sourceline),
                    f"the marker '{marker}' breaks the run of the notes around it, which expects "
                    f"{expected} (one digit added or changed: a superscript misread?)",
                    f"Compare the printed page: if it prints {expected} (the transcription "
                    f'misread the marker), set n="{expected}" (no label) and record in the '
                    'header\'s <list type="marker-corrections"> '
                    f'<item corresp="#{el.get(XML_ID) or "ID"}">'
                    f"<choice><sic>{marker}</sic><corr>{expected}</corr></choice></item>; if it "
                    f"prints {marker}, keep it (the note's own number in "
                    '<label type="note-number">, the anomaly in the header) and allow it in '
                    "sources/suspects-allow.yml with the reason (docs/about/encoding.md, Notes)",
                    f'note {el.get(XML_ID) or "(no id)"} n="{marker}"',
                    marker_lines(raw, marker),
                )
            )
        found.sort(key=lambda s: (s.location.line or 0, CLASSES.index(s.cls)))
        reports.append(
            WitnessReport(
                src.siglum,
                text.path,
                relpath(src.source, root) if src.source else "",
                found,
                allowed,
                digits,
            )
        )
    rel = relpath(allow_path, root) if allow_path else ""
    for key, line in allow.lines.items():
        if key not in used and (not only or key[0] in only) and key[0] in texts:
            problems.append(
                Problem(
                    Location(rel, line),
                    f"{key[0]} {key[1]} '{key[2]}' is allowed but no longer suspected",
                    "Remove the entry (the text changed or the suspect was encoded)",
                    "suspects.allow-unused",
                    "info",
                )
            )
    return reports, problems


def run_project(
    only: set[str] | None = None, root: Path | None = None
) -> tuple[list[WitnessReport], list[Problem]]:
    """The edition's witnesses (sources/witnesses.yml), allow-list and name list."""
    from build_scripts.project import witnesses as wit
    from build_scripts.tei.teixml import ROOT

    root = root or ROOT
    listed, problems = wit.load(root / "sources" / "witnesses.yml")
    sources = [Source(w.siglum, root / "tei" / w.tei, root / "sources" / w.file) for w in listed]
    reports, more = run(
        sources,
        only,
        root / "sources" / "suspects-allow.yml",
        root / "sources" / "transliterations.yml",
        root,
    )
    return reports, problems + more
