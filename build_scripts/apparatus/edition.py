"""tei/*.xml + sources/witnesses.yml → the passages of every witness, with dates and file names."""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from build_scripts.tei import teixml
from build_scripts.project import witnesses as manifest
from build_scripts.apparatus.model import Passage
from build_scripts.apparatus.passages import page_certs, witness_passages
from build_scripts.problems import Location, Problem, relpath


@dataclass
class Corpus:
    tei_dir: Path
    passages: list[Passage] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # siglum → year
    authors: dict[str, tuple[str, ...]] = field(default_factory=dict)  # siglum → `author_names`
    files: dict[str, str] = field(default_factory=dict)  # siglum → TEI file name
    languages: dict[str, str] = field(default_factory=dict)  # siglum → its language (en)
    by_id: dict[str, Passage] = field(default_factory=dict)  # passage id (and nested ids) → passage
    nested: dict[str, tuple[str, int, int]] = field(
        default_factory=dict
    )  # nested id → (passage id, start, end)
    page_cert: dict[str, dict[str, str | None]] = field(
        default_factory=dict
    )  # siglum → page n → pb/@cert
    docs: dict[str, object] = field(default_factory=dict)  # siglum → parsed TEI (lxml tree)
    _by_siglum: tuple[int, dict[str, list[Passage]]] = field(
        default=(-1, {}), repr=False, compare=False
    )  # (how many passages it indexes, siglum → passages): `witness` without a scan per call
    _order: tuple[int, dict[str, tuple[int, int]]] = field(
        default=(-1, {}), repr=False, compare=False
    )

    def cert(self, siglum: str, page: str | None) -> str | None:
        """pb/@cert of a page of a witness: None where the number is printed (certain), else
        low/medium/high; "unknown" for a page the witness does not number."""
        if page is None:
            return "unknown"
        return self.page_cert.get(siglum, {}).get(page, "unknown")

    def witness(self, siglum: str) -> list[Passage]:
        """The passages of one witness, in order (an index built once, not a scan per call: a
        scan per citing reference grows with the square of the edition)."""
        if self._by_siglum[0] != len(self.passages):
            index: dict[str, list[Passage]] = {}
            for p in self.passages:
                index.setdefault(p.siglum, []).append(p)
            self._by_siglum = (len(self.passages), index)
        return list(self._by_siglum[1].get(siglum, ()))

    def resolve(self, ident: str) -> tuple[Passage, int, int] | None:
        """An xml:id → its passage and the character range it covers there."""
        if ident in self.nested:
            pid, start, end = self.nested[ident]
            return self.by_id[pid], start, end
        p = self.by_id.get(ident)
        return (p, 0, len(p.text)) if p else None

    def passage(self, ident: str) -> Passage | None:
        """The passage an id names or lies in (by_id)."""
        return self.by_id.get(ident)

    def order(self) -> dict[str, tuple[int, int]]:
        """passage id → (index in its witness, number of passages of the witness)."""
        if self._order[0] != len(self.passages):
            out: dict[str, tuple[int, int]] = {}
            for passages in (
                self.witness(s) for s in dict.fromkeys(p.siglum for p in self.passages)
            ):
                out.update((p.id, (i, len(passages))) for i, p in enumerate(passages))
            self._order = (len(self.passages), out)
        return self._order[1]

    def element(self, siglum: str, ident: str):
        """The element of a witness's TEI with this xml:id, or None (libxml2's xml:id index)."""
        doc = self.docs.get(siglum)
        found = doc.xpath("id($i)", i=ident) if doc is not None else []
        return found[0] if found else None


class Trees(Mapping):
    """Siglum → parsed TEI, parsed again when asked for, a few kept (`load(keep_trees=False)`):
    what detection needs of the trees (the citing references, the tables) is read one witness at
    a time, so the memory does not hold every witness's tree at once."""

    KEEP = 4

    def __init__(self) -> None:
        self.paths: dict[str, Path] = {}
        self.kept: OrderedDict[str, object] = OrderedDict()

    def __getitem__(self, siglum: str):
        if siglum in self.kept:
            self.kept.move_to_end(siglum)
            return self.kept[siglum]
        doc, _ = teixml.parse(self.paths[siglum])  # parsed once already by `load`
        self.kept[siglum] = doc
        if len(self.kept) > self.KEEP:
            self.kept.popitem(last=False)
        return doc

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def __contains__(self, siglum) -> bool:
        return siglum in self.paths


def author_names(author: str, bibkey: str = "") -> tuple[str, ...]:
    """The surname(s) by which another witness names this one's author ("according to Getty"):
    the surname of its bibliography key (getty1985origins → Getty), else the last word of the
    author's name; a spelling given in the name ("Oleg Khlevnyuk (also spelled Khlevniuk)") too.
    Names written otherwise in transliteration are folded later (`retold.name_key`)."""
    out = []
    key = re.match(r"([a-z]+)\d{4}", bibkey or "")
    if key:
        out.append(key.group(1).capitalize())
    name = re.split(r"[(;,]", author or "", maxsplit=1)[0].split()
    if not key and name and name[-1][:1].isupper() and len(name[-1]) > 2:
        out.append(name[-1].strip("."))
    out += re.findall(r"also spelled ([A-Z][\w'’-]+)", author or "")
    return tuple(dict.fromkeys(out))


@functools.lru_cache(maxsize=16)
def _read(path: Path, mtime: int, size: int, tei: str, cite_map: tuple) -> tuple:
    """One witness parsed and cut into passages; read again only when the file changes (the site
    re-renders after one edit: the other witnesses' passages are reused)."""
    doc, problems = teixml.read(path)  # the tree the site's model is loaded from
    return doc, (witness_passages(doc, tei, dict(cite_map)) if doc is not None else []), problems


def load(
    tei_dir: Path | None = None,
    manifest_path: Path | None = None,
    docs: dict[str, object] | None = None,
    keep_trees: bool = True,
) -> tuple[Corpus, list[Problem]]:
    """The corpus of passages. `docs` (TEI file name → parsed tree) reuses trees a caller has parsed
    already (`edition check` parses every file once for all its rules). `keep_trees=False`:
    `corpus.docs` parses a witness's tree again when asked for it (`Trees`) instead of holding
    them all."""
    tei_dir = tei_dir or manifest.TEI_DIR
    wits, problems = manifest.load(manifest_path)
    corpus = Corpus(tei_dir)
    if not keep_trees and docs is None:
        corpus.docs = Trees()
    cite_map: dict[str, str] = {}
    for w in wits:
        corpus.dates[w.siglum] = w.fact("date")
        corpus.authors[w.siglum] = author_names(w.fact("author"), w.facts.get("bibkey") or "")
        corpus.files[w.siglum] = w.tei
        corpus.languages[w.siglum] = w.fact("language")
        cite_map[w.tei] = w.siglum
        if w.facts.get("bibkey"):
            cite_map[f"bib:{w.facts['bibkey']}"] = w.siglum
    for w in wits:
        path = tei_dir / w.tei
        if not path.exists():
            problems.append(
                Problem(
                    Location(relpath(path)),
                    f"witness {w.siglum} has no TEI yet; the apparatus leaves it out",
                    "Run `edition import " + w.siglum + "`",
                    "apparatus.witness-missing",
                    "warning",
                )
            )
            continue
        if docs is not None and w.tei in docs:
            doc = docs[w.tei]
            passages = witness_passages(doc, w.tei, cite_map)
        else:
            stat = path.stat()
            doc, passages, parse_problems = _read(
                path, stat.st_mtime_ns, stat.st_size, w.tei, tuple(sorted(cite_map.items()))
            )
            problems += parse_problems
        if doc is None:
            continue
        if isinstance(corpus.docs, Trees):
            corpus.docs.paths[w.siglum] = path
        else:
            corpus.docs[w.siglum] = doc
        corpus.page_cert[w.siglum] = page_certs(doc)
        for p in passages:
            corpus.passages.append(p)
            corpus.by_id[p.id] = p
            for ident, start, end in p.spans:
                corpus.nested[ident] = (p.id, start, end)
    return corpus, problems
