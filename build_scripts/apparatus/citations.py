"""Citations of one witness by another (ref type="witness", table/@corresp) → citation loci with a
verdict drawn from the text: are the quoted words on the cited page, and in the same wording?

What a citation stands for, in this order: the quotation in its `cit`; a `quote` whose @source is
the citing bibl; a passage whose @source is the citing bibl (a paraphrase: its quoted phrases are
looked up as quotations, its other sentences as restatements); the sentence before a note that holds
the citation. Page numbers that the witness's TEI only infers (pb/@cert) never make a "wrong-page"
verdict: the locus's findings say where the words were found and how certain that page number is.
Tables citing a table of another witness are compared cell by cell in `tables`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from build_scripts.apparatus import align, tables
from build_scripts.apparatus.detect import Recent
from build_scripts.apparatus.edition import Corpus
from build_scripts.apparatus.model import Locus, Passage, Reading, Token
from build_scripts.tei.teixml import NS, XML_ID, local

REFS = etree.XPath("//tei:text//tei:ref[@type='witness']", namespaces=NS)
QUOTED = re.compile(r"(?:``|[`‘“\"])(.{12,}?)(?:''|['’”\"])(?=[\s.,;:)!?]|$)")
PAGES = re.compile(r"(\d+)\s*(?:-+|–|—)\s*(\d+)|(\d+)")
SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+(?=\s|$)|$)")
CERTAIN = (None, "high")  # pb/@cert values whose page numbers can contradict a citation
MIN_COVERAGE = 0.5  # share of the quoted words that must be found
RESTATED_WORDS, RESTATED_COVERAGE = 5, 0.2  # a sentence restates the cited page


@dataclass(frozen=True)
class Hit:
    passage: Passage
    start: int  # character span of the cited words in passage.text
    end: int
    matched: int
    coverage: float
    variants: tuple
    content: int = 0  # matched words that are not function words


def cited_pages(ref: etree._Element) -> list[str]:
    """Pages a ref names: from its target (G.pb170) and its text ("pp. 170--171")."""
    pages = []
    target = (ref.get("target") or "").partition("#")[2]
    m = re.search(r"\.pb(\d+)$", target)
    if m:
        pages.append(m.group(1))
    text = "".join(ref.itertext())
    if not (pages or re.search(r"\bpp?\.|\bpages?\b", text)):
        return []  # "chap. 6" names a division, not a page
    for a, b, single in PAGES.findall(text):
        if single:
            pages.append(single)
        elif a and b and int(b) >= int(a) and int(b) - int(a) < 20:
            pages += [str(n) for n in range(int(a), int(b) + 1)]
    return sorted(set(pages), key=int)


# --- finding the cited words
# ------------------------------------------------------------------------
def locate(
    query: list[Token], q_text: str, candidates: list[Passage], cache: dict | None = None
) -> Hit | None:
    """The stretch of a candidate passage that best matches the query words: shared word pairs vote
    for a diagonal (candidate position − query position), so a phrase repeated nearby does not
    stretch the match; the window around the best diagonal is aligned word by word and trimmed to
    the query. `cache`: passage id → its words' normal forms, kept by the caller (the
    passages of a cited witness are searched for each of its citations)."""
    if len(query) < 2:
        return None
    qn = [t.norm for t in query]
    pairs: dict[tuple[str, str], list[int]] = {}
    for i in range(len(qn) - 1):
        pairs.setdefault((qn[i], qn[i + 1]), []).append(i)
    top = None
    for cand in candidates:
        cn = cache.get(cand.id) if cache is not None else None
        if cn is None:
            cn = align.words(cand.text)  # the tokens' normal forms, without the tokens
            if cache is not None:
                cache[cand.id] = cn
        votes = Counter(
            j - i for j in range(len(cn) - 1) for i in pairs.get((cn[j], cn[j + 1]), ())
        )
        if not votes:
            continue
        ct = align.tokens(cand.text)
        diagonal, _ = max(votes.items(), key=lambda kv: (kv[1], -kv[0]))
        slack = max(3, len(qn) // 3)
        lo, hi = max(0, diagonal - slack), min(len(ct), diagonal + len(qn) + slack)
        hit = _fit(ct[lo:hi], query, cand, q_text)
        if hit and (
            top is None or (hit.matched, top.end - top.start) > (top.matched, hit.end - hit.start)
        ):
            top = hit
    return top


def _fit(window: list[Token], query: list[Token], cand: Passage, q_text: str) -> Hit | None:
    ops = _strong(align.align([t.norm for t in window], [t.norm for t in query]))
    equal = [o for o in ops if o.tag == "equal"]
    if not equal:
        return None
    # as many candidate words before and after the matched core as the query has unmatched words
    # there: a changed first or last word of the quotation ("seized" / "arrested") belongs to it
    a0 = max(0, equal[0].a0 - equal[0].b0)
    a1 = min(len(window), equal[-1].a1 + len(query) - equal[-1].b1)
    cited = window[a0:a1]
    ops = align.align([t.norm for t in cited], [t.norm for t in query])
    while ops and ops[0].tag == "delete":
        ops = ops[1:]
    while ops and ops[-1].tag == "delete":
        ops = ops[:-1]
    if not ops:
        return None
    cited = cited[ops[0].a0 : ops[-1].a1]
    ops = align.align([t.norm for t in cited], [t.norm for t in query])
    found = align.variants(ops, cited, query, cand.text, q_text)
    matched = sum(o.a1 - o.a0 for o in ops if o.tag == "equal")
    matched += sum(
        1
        for v in found
        if v.kind == "accidental" and v.source and v.target and " " not in v.source.strip()
    )
    matched = min(matched, len(query))
    content = sum(
        1 for o in ops if o.tag == "equal" for t in cited[o.a0 : o.a1] if t.norm not in STOP
    )
    return Hit(
        cand, cited[0].start, cited[-1].end, matched, matched / len(query), tuple(found), content
    )


def _strong(ops: list) -> list:
    """Drop a few matched words at either edge that a longer run of unmatched candidate words cuts
    off from the rest (the same phrase printed just before the quoted passage)."""

    def cut(seq):
        equal = [i for i, o in enumerate(seq) if o.tag == "equal"]
        if len(equal) < 2:
            return seq
        i = equal[0]
        gap = sum(o.a1 - o.a0 for o in seq[i + 1 : equal[1]] if o.tag == "delete")
        return seq[equal[1] :] if gap > seq[i].a1 - seq[i].a0 else seq

    ops = cut(ops)
    flipped = cut([o for o in reversed(ops)])
    return list(reversed(flipped))


STOP = frozenset(
    "a an and as at be been but by for from had has have he his in is it "
    "its of on or that the their there they this to was were which who with".split()
)


def restates(hit: Hit | None) -> bool:
    """A sentence restates the cited text when the two share enough words, three of them at least
    not function words (the, of, was…)."""
    return (
        hit is not None
        and hit.matched >= RESTATED_WORDS
        and hit.coverage >= RESTATED_COVERAGE
        and hit.content >= 3
    )


# --- verdicts
# -----------------------------------------------------------------------------------------
def wording(variants) -> str:
    if any(v.kind in ("substantive", "addition") for v in variants):
        return "altered"
    if any(v.kind == "omission" and not v.marked for v in variants):
        return "omission"
    return "exact"


def page_note(corpus: Corpus, hit: Hit, cited: list[str]) -> tuple[bool, bool, str]:
    """(on a cited page, found page certain, the finding in words)."""
    p = hit.passage
    found = list(
        dict.fromkeys(
            x for x in (p.page_at(hit.start), p.page_at(max(hit.start, hit.end - 1))) if x
        )
    )
    if not found:
        return (not cited), False, "Found where the witness's TEI numbers no page."
    described = ", ".join(describe(corpus, p.siglum, n) for n in found)
    on_page = not cited or bool(set(found) & set(cited))
    certain = all(corpus.cert(p.siglum, n) in CERTAIN for n in found)
    where = f"p. {described}" if len(found) == 1 else f"pp. {described}"
    if on_page:
        return (
            True,
            certain,
            f"Found on {where}, the cited page." if cited else f"Found on {where}.",
        )
    return False, certain, f"Found on {where}; the citation names {pages_text(cited)}."


def describe(corpus: Corpus, siglum: str, page: str) -> str:
    cert = corpus.cert(siglum, page)
    return page if cert in CERTAIN else f"{page} (inferred page number, cert={cert})"


def pages_text(pages: list[str]) -> str:
    return f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}–{pages[-1]}"


# --- the citing material
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Segment:
    passage: Passage  # the passage (or nested element) the reading points to
    start: int  # span in passage.text of the element named (nested: relative to the element)
    end: int
    text: str  # the text the offsets index
    kind: str  # quotation | restatement


def element_text(corpus: Corpus, ident: str) -> tuple[Passage, str] | None:
    hit = corpus.resolve(ident)
    if hit is None:
        return None
    p, lo, hi = hit
    view = (
        p
        if (lo, hi) == (0, len(p.text))
        else Passage(
            p.siglum,
            ident,
            p.file,
            p.kind,
            p.text[lo:hi],
            p.line,
            p.page_at(lo),
            tuple((o - lo, n) for o, n in p.breaks if lo <= o <= hi),
        )
    )
    return view, view.text


def quoted_spans(text: str, whole: bool) -> list[tuple[int, int]]:
    """The quoted words of a text: all of it (a quotation element; its outer marks dropped), else
    the stretches between quotation marks."""
    if whole or text[:2].strip()[:1] in '`‘“"':
        start = len(text) - len(text.lstrip("`‘“\"' "))
        end = len(text.rstrip("'’”\". "))
        if not whole and end - start <= 12:
            return []
        return [(start, end)] if end > start else []
    return [(m.start(1), m.end(1)) for m in QUOTED.finditer(text)]


def segments(corpus: Corpus, ref: etree._Element) -> list[Segment]:
    bibl = next((a for a in ref.iterancestors() if local(a) == "bibl"), None)
    bibl_id = bibl.get(XML_ID) if bibl is not None else None
    cit = next((a for a in ref.iterancestors() if local(a) == "cit"), None)
    doc = ref.getroottree()
    quotes = list(cit.iterfind("tei:quote", NS)) if cit is not None else []
    if bibl_id and not quotes:
        quotes = doc.xpath("//tei:quote[@source=$s]", s=f"#{bibl_id}", namespaces=NS)
    out: list[Segment] = []
    for q in quotes:
        parts = [p for p in q.iterfind("tei:p", NS) if p.get(XML_ID)] or [q]
        for part in parts:
            got = element_text(corpus, part.get(XML_ID) or "")
            if got:
                view, text = got
                out += [Segment(view, a, b, text, "quotation") for a, b in quoted_spans(text, True)]
    if out:
        return out
    sourced = doc.xpath("//tei:p[@source=$s]", s=f"#{bibl_id}", namespaces=NS) if bibl_id else []
    note = next((a for a in ref.iterancestors() if local(a) == "note"), None)
    if (
        not sourced
        and note is not None
        and note.getparent() is not None
        and note.getparent().get(XML_ID)
    ):
        got = element_text(corpus, note.getparent().get(XML_ID))
        if got:  # the sentence that the note marker closes
            view, text = got
            marker = _note_offset(note, text)
            sentences = [m for m in SENTENCE.finditer(text[:marker]) if m.group().strip()]
            if sentences:
                m = sentences[-1]
                a = m.start() + len(m.group()) - len(m.group().lstrip())
                return [Segment(view, a, m.end(), text, "restatement")]
    for p in sourced:
        got = element_text(corpus, p.get(XML_ID))
        if not got:
            continue
        view, text = got
        quoted = quoted_spans(text, False)
        out += [Segment(view, a, b, text, "quotation") for a, b in quoted]
        for m in SENTENCE.finditer(text):
            a, b = m.start() + len(m.group()) - len(m.group().lstrip()), m.end()
            if b > a and not any(qa >= a and qb <= b for qa, qb in quoted):
                out.append(Segment(view, a, b, text, "restatement"))
    return out


def _note_offset(note: etree._Element, text: str) -> int:
    """Where a note's marker stands in its paragraph's apparatus text: after the words before it."""
    before = " ".join("".join(_text_before(note)).split())
    return min(len(before), len(text))


def _text_before(note: etree._Element) -> list[str]:
    parent = note.getparent()
    out = [parent.text or ""]
    for child in parent:
        if child is note:
            break
        if local(child) != "note":
            out.append("".join(child.itertext()))
        out.append(child.tail or "")
    return out


# --- loci
# -------------------------------------------------------------------------------------------
def scope(
    corpus: Corpus, siglum: str, ref: etree._Element, pages: list[str]
) -> tuple[list[Passage], list[Passage]]:
    """(passages on or next to the cited pages or in the cited division, the whole cited
    witness)."""
    pool = corpus.witness(siglum)
    target = (ref.get("target") or "").partition("#")[2]
    if target and not pages and corpus.resolve(target) is None:
        inside = [p for p in pool if p.id.startswith(target + ".")]
        if inside:
            return inside, pool
    near = {str(int(p) + d) for p in pages for d in (-2, -1, 0, 1, 2)}
    nearby = [p for p in pool if near & set(p.pages())]
    return nearby or pool, pool


def check_citations(corpus: Corpus) -> list[Locus]:
    loci: list[Locus] = []
    files = {f: s for s, f in corpus.files.items()}
    cache: dict = Recent(RECENT)  # the words of the passages searched lately (`locate`)
    for siglum in sorted(corpus.docs):
        doc = corpus.docs[siglum]
        for ref in REFS(doc):
            cited_siglum = files.get((ref.get("target") or "").partition("#")[0])
            if not cited_siglum or cited_siglum == siglum or not corpus.witness(cited_siglum):
                continue
            if any(local(a) == "head" for a in ref.iterancestors()):
                # a heading naming the source of a table: the table is compared in `tables`
                continue
            pages = cited_pages(ref)
            near, pool = scope(corpus, cited_siglum, ref, pages)
            label = " ".join("".join(ref.itertext()).split())
            for seg in segments(corpus, ref):
                locus = citation_locus(corpus, seg, near, pool, pages, label, cache)
                if locus is not None:
                    loci.append(locus)
    return loci + tables.compare(corpus)


RECENT = 4096  # passages whose words `check_citations` keeps at a time


def citation_locus(
    corpus: Corpus, seg: Segment, near, pool, pages, label, cache: dict | None = None
) -> Locus | None:
    """`cache`: as `locate`'s."""
    query = [
        t._replace(start=t.start + seg.start, end=t.end + seg.start)
        for t in align.tokens(seg.text[seg.start : seg.end])
    ]
    ident = f"cit.{seg.passage.id}.{seg.start}"
    citing = Reading(
        seg.passage.siglum,
        seg.passage.file,
        seg.passage.id,
        seg.text[seg.start : seg.end],
        seg.start,
        seg.end,
        "citing",
    )
    extra = {"pages": pages, "ref": label}
    hit = locate(
        query,
        seg.text,
        near if seg.kind == "quotation" else [p for p in near if p.kind != "note"],
        cache,
    )
    if seg.kind == "quotation" and (hit is None or hit.coverage < MIN_COVERAGE):
        wider = locate(query, seg.text, pool, cache)
        if wider and (hit is None or wider.matched > hit.matched):
            hit = wider
    if seg.kind == "restatement" and not restates(hit):
        return None  # a sentence of the citing text that restates nothing found on the cited pages
    where = f" ({label})" if label else ""
    if hit is None or (seg.kind == "quotation" and hit.coverage < MIN_COVERAGE):
        searched = f"Not found in tei/{pool[0].file}" if pool else "Not found"
        return Locus(
            ident,
            "citation",
            (citing,),
            score=round(hit.coverage, 3) if hit else 0.0,
            verdict="not-found",
            findings=(
                f"{searched}: at best {hit.matched if hit else 0} "
                f"of {len(query)} words in one place{where}.",
            ),
            extra=extra,
        )
    on_page, certain, finding = page_note(corpus, hit, pages)
    if seg.kind == "restatement":
        verdict = "paraphrase"
        finding = (
            "Restated, not quoted: the nearest words of the cited witness are given. " + finding
        )
    elif not on_page and certain:
        verdict = "wrong-page"
    else:
        verdict = wording(hit.variants)
        if not on_page:
            finding += (
                " The page number is inferred, so the page of the "
                "citation can be neither confirmed nor contradicted."
            )
    p = hit.passage
    cited = Reading(
        p.siglum, p.file, p.id, p.text[hit.start : hit.end], hit.start, hit.end, "cited"
    )
    return Locus(
        ident,
        "citation",
        (cited, citing),
        score=round(hit.coverage, 3),
        verdict=verdict,
        findings=(finding,),
        extra=extra,
    )
