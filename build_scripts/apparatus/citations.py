"""Citations of one witness by another (ref type="witness") → citation loci with a verdict: are the
quoted words on the cited page, and in the same wording?"""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from build_scripts import teixml
from build_scripts.apparatus import align, detect
from build_scripts.apparatus.edition import Corpus
from build_scripts.apparatus.model import Locus, Passage, Reading
from build_scripts.teixml import NS, XML_ID, local

REFS = etree.XPath("//tei:text//tei:ref[@type='witness']", namespaces=NS)
QUOTED = re.compile(r"(?:``|[`‘“\"])(.{12,}?)(?:''|['’”\"])(?=[\s.,;:)!?]|$)")
PAGES = re.compile(r"(\d+)\s*(?:-+|–|—)\s*(\d+)|(\d+)")


def cited_pages(ref: etree._Element) -> list[str]:
    """Pages a ref names: from its target (G.pb170) and its text ("pp. 170--171")."""
    pages = []
    target = (ref.get("target") or "").partition("#")[2]
    m = re.search(r"\.pb(\d+)$", target)
    if m:
        pages.append(m.group(1))
    for a, b, single in PAGES.findall("".join(ref.itertext())):
        if single:
            pages.append(single)
        elif a and b and int(b) >= int(a) and int(b) - int(a) < 20:
            pages += [str(n) for n in range(int(a), int(b) + 1)]
    return sorted(set(pages), key=int)


def _block(el: etree._Element) -> etree._Element:
    """The sibling-level element that holds a ref (its cit, p or bibl)."""
    while el.getparent() is not None and local(el.getparent()) not in ("div", "body", "back", "front"):
        el = el.getparent()
    return el


def quoted_passages(ref: etree._Element, corpus: Corpus) -> list[Passage]:
    """The passages a citation stands for: the quote in its cit, else the quotes just before it."""
    block = _block(ref)
    found = [corpus.by_id[q.get(XML_ID)] for q in block.iterfind(".//tei:quote", NS) if q.get(XML_ID) in corpus.by_id]
    if found:
        return found
    sibling, steps = block.getprevious(), 0
    while sibling is not None and steps < 4:
        if REFS_IN(sibling):
            break
        ident = sibling.get(XML_ID)
        quotes = [q.get(XML_ID) for q in sibling.iterfind(".//tei:quote", NS) if q.get(XML_ID)]
        for i in [ident, *quotes]:
            if i in corpus.by_id and corpus.by_id[i] not in found:
                found.insert(0, corpus.by_id[i])
        if found and local(sibling) == "p" and not QUOTED.search(corpus.by_id.get(ident, Passage("", "", "", "", "")).text):
            break
        sibling, steps = sibling.getprevious(), steps + 1
    return found


REFS_IN = etree.XPath(".//tei:ref[@type='witness'] | self::tei:ref[@type='witness']", namespaces=NS)


def segments(p: Passage) -> list[tuple[int, int]]:
    """Quoted stretches of a passage: the whole of a quote element, else the words between quotation marks."""
    if p.kind == "quote" or p.text[:2].strip()[:1] in "`‘“\"":
        text = p.text
        start = len(text) - len(text.lstrip("`‘“\"' "))
        end = len(text.rstrip("'’”\". "))
        return [(start, end)] if end - start > 12 else []
    return [(m.start(1), m.end(1)) for m in QUOTED.finditer(p.text)]


def best(query: Passage, qa: int, qb: int, candidates: list[Passage]):
    """The region of a candidate passage that best matches query.text[qa:qb]."""
    q_toks = [t for t in align.tokens(query.text) if t.start >= qa and t.end <= qb]
    if len(q_toks) < 3:
        return None
    want = {}
    for i in range(len(q_toks) - 2):
        want.setdefault(tuple(t.norm for t in q_toks[i : i + 3]), []).append(i)
    top = None
    for cand in candidates:
        c_toks = align.tokens(cand.text)
        points = [(j, i) for j in range(len(c_toks) - 2) for i in want.get(tuple(t.norm for t in c_toks[j : j + 3]), [])]
        for m in detect.regions(cand, query, c_toks, q_toks, points, min_seeds=1, min_words=3, min_score=0.0, k=3):
            coverage = m.matched / len(q_toks)
            if top is None or coverage > top[0]:
                top = (coverage, m, c_toks)
    return top


def verdict(m: detect.Match, c_toks, q_toks, query: Passage, cited: Passage, pages: list[str]) -> tuple[str, list]:
    ops = align.align([t.norm for t in c_toks[m.a0 : m.a1]], [t.norm for t in q_toks[m.b0 : m.b1]])
    found = align.variants(ops, c_toks[m.a0 : m.a1], q_toks[m.b0 : m.b1], cited.text, query.text)
    where = {cited.page_at(c_toks[m.a0].start), cited.page_at(c_toks[m.a1 - 1].start)}
    if pages and not where & set(pages):
        return "wrong-page", found
    if any(v.kind in ("substantive", "addition") for v in found):
        return "altered", found
    if any(v.kind == "omission" and not v.marked for v in found):
        return "omission", found
    return "exact", found


def check_citations(corpus: Corpus) -> list[Locus]:
    loci: list[Locus] = []
    files = {f: s for s, f in corpus.files.items()}
    for siglum, file in sorted(corpus.files.items()):
        path = corpus.tei_dir / file
        if not path.exists():
            continue
        doc, _ = teixml.parse(path)
        if doc is None:
            continue
        for n, ref in enumerate(REFS(doc), start=1):
            cited_file = (ref.get("target") or "").partition("#")[0]
            cited_siglum = files.get(cited_file)
            if not cited_siglum or cited_siglum == siglum:
                continue
            pages = cited_pages(ref)
            near = {str(int(p) + d) for p in pages for d in (-1, 0, 1)}
            pool = corpus.witness(cited_siglum)
            if not pool:
                continue  # the cited witness has no TEI yet
            nearby = [p for p in pool if near & set(p.pages())] or pool
            for query in quoted_passages(ref, corpus):
                for qa, qb in segments(query):
                    loci.append(_locus(query, qa, qb, nearby, pool, pages, ref, n, siglum))
    return loci


def _locus(query, qa, qb, nearby, pool, pages, ref, n, siglum) -> Locus:
    q_all = align.tokens(query.text)
    q_toks = [t for t in q_all if t.start >= qa and t.end <= qb]
    top = best(query, qa, qb, nearby)
    if top is None or top[0] < 0.5:
        top = best(query, qa, qb, pool)
    ident = f"cit.{query.id}.{qa}"
    citing = Reading(query.siglum, query.file, query.id, query.text[qa:qb], qa, qb, "citing")
    label = " ".join("".join(ref.itertext()).split())
    if top is None or top[0] < 0.5:
        return Locus(ident, "citation", (citing,), score=0.0, verdict="not-found", extra={"pages": pages, "ref": label, "variants": []})
    coverage, m, c_toks = top
    cited = m.a
    word, found = verdict(m, c_toks, q_toks, query, cited, pages)
    start, end = c_toks[m.a0].start, c_toks[m.a1 - 1].end
    actual = sorted({cited.page_at(start), cited.page_at(end)} - {None}, key=lambda x: int(x) if str(x).isdigit() else 0)
    return Locus(ident, "citation", (Reading(cited.siglum, cited.file, cited.id, cited.text[start:end], start, end, "cited"), citing),
                 score=round(coverage, 3), verdict=word, extra={"pages": pages, "found_on": actual, "ref": label, "variants": found})
