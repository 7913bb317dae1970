"""Interoperability with passim (https://github.com/dasmiq/passim), the field's Spark tool for text
reuse at scale: export the edition's passages as passim's input, import passim's reuse clusters (and
its `--pairwise` alignments) into tei/apparatus.xml as unreviewed machine entries.

passim's input is JSON Lines, one document a line, with `id`, `text` and `series` (passim does not
align documents of one series with each other); every other field is passed through to its output.
Here a document is a passage: id = the passage's xml:id, series = the witness's siglum, text = the
passage's text exactly as the apparatus reads it (`Passage.text`), so passim's character offsets are
offsets into the passage. `locs` (passim's canonical-citation field: loc, start, length) carries the
witness's pages, so that passim's output says on which pages a reused passage stands.

passim's cluster output (`out.json/part-*.json`, written by its `clusterJoin`) has one record per
reused passage: the input fields, `text` cut to the passage, `cluster`, `size` (documents in the
cluster), `begin` and `end` (character offsets into the document's text, end exclusive), `uid`,
`src`, `boiler`, `pboiler`. Its `--pairwise` output (`align.json/part-*.json`) has one record per
aligned pair: `id`, `series`, `begin`, `end` of one side and `id2`, `series2`, `begin2`, `end2` of
the other, with the alignment (`s1`, `s2`, `matches`). Where the pairs are there they are used (each
pair's own spans); else every two passages of a cluster from different witnesses make an entry.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from build_scripts.apparatus import align, detect, store
from build_scripts.apparatus.sources import Sources
from build_scripts.apparatus.model import Locus, Passage
from build_scripts.problems import Location, Problem, relpath

RESP = "#passim"
PREFIX = "psm."
# Entries of these types cover a passage pair's shared words (passim's would duplicate them).
COVERING = ("quotation", "reuse", "shared-citation")


# ---------------------------------------------------------------- export


def records(passages: Iterable[Passage], dates: dict[str, str]) -> Iterator[dict]:
    """One passim input record per passage."""
    for p in passages:
        rec = {
            "id": p.id,
            "series": p.siglum,
            "text": p.text,
            "file": p.file,
            "kind": p.kind,
            "date": dates.get(p.siglum, ""),
        }
        locs = _pages(p)
        if locs:
            rec["locs"] = locs
        yield rec


def _pages(p: Passage) -> list[dict]:
    """The passage's pages as passim `locs` (loc, start, length), in text order."""
    cuts = [(0, p.page)] + [(o, n) for o, n in p.breaks]
    out = []
    for i, (start, page) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(p.text)
        if page and end > start:
            out.append({"loc": f"{p.siglum} p. {page}", "start": start, "length": end - start})
    return out


def write_corpus(path: Path, passages: Iterable[Passage], dates: dict[str, str]) -> int:
    """Write passim's input (JSON Lines; gzip when the name ends in .gz); returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.suffix == ".gz" else open
    count = 0
    with opener(path, "wt", encoding="utf-8") as out:
        for rec in records(passages, dates):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            count += 1
    return count


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class Span:
    passage: str  # the document id: a passage's xml:id
    begin: int
    end: int
    text: str | None = None  # passim's copy of text[begin:end], to check the corpus has not changed
    where: str = ""  # file:line of the record


def read_output(path: Path) -> tuple[list[list[Span]], list[Problem]]:
    """passim's output folder (or its out.json / align.json folder, or one part file) → groups of
    spans that passim found to be one text: each aligned pair where `--pairwise` output is there,
    else each cluster."""
    problems: list[Problem] = []
    if not path.exists():
        return [], [
            Problem(
                Location(str(path)),
                "no such file or folder",
                "Give passim's output folder (the one holding out.json)",
                "passim.missing",
            )
        ]
    pairs_dir = _part_dir(path, "align")
    if pairs_dir is not None:
        groups = []
        for rec, where in _read_lines(pairs_dir, problems):
            try:
                groups.append(
                    [
                        Span(str(rec["id"]), int(rec["begin"]), int(rec["end"]), None, where),
                        Span(str(rec["id2"]), int(rec["begin2"]), int(rec["end2"]), None, where),
                    ]
                )
            except (KeyError, TypeError, ValueError):
                problems.append(_bad(where, "id, begin, end, id2, begin2, end2"))
        return groups, problems
    clusters_dir = _part_dir(path, "out")
    if clusters_dir is None:
        return [], [
            Problem(
                Location(str(path)),
                "holds neither out.json nor align.json of passim",
                "Run passim with --output-format json (the default) and give its output folder",
                "passim.format",
            )
        ]
    clusters: dict[str, list[Span]] = {}
    for rec, where in _read_lines(clusters_dir, problems):
        try:
            span = Span(str(rec["id"]), int(rec["begin"]), int(rec["end"]), rec.get("text"), where)
            clusters.setdefault(str(rec["cluster"]), []).append(span)
        except (KeyError, TypeError, ValueError):
            problems.append(_bad(where, "cluster, id, begin, end"))
    return list(clusters.values()), problems


def _bad(where: str, fields: str) -> Problem:
    return Problem(
        Location(where),
        f"a passim record without {fields}",
        "Give passim's own output, unedited",
        "passim.record",
    )


def _part_dir(path: Path, name: str) -> Path | None:
    """out.json / align.json inside `path`, or `path` itself when it is such a folder or a file."""
    if path.is_file():
        return path if name == "out" else None
    for candidate in (path / f"{name}.json", path):
        if candidate.is_dir() and (
            candidate.name == f"{name}.json" or (candidate == path and path.name == f"{name}.json")
        ):
            return candidate
    if name == "out" and any(path.glob("part-*")):
        return path
    return None


def _read_lines(path: Path, problems: list[Problem]) -> Iterator[tuple[dict, str]]:
    files = (
        [path]
        if path.is_file()
        else sorted(f for f in path.iterdir() if f.is_file() and not f.name.startswith((".", "_")))
    )
    for file in files:
        opener = gzip.open if file.suffix == ".gz" else open
        with opener(file, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                where = f"{relpath(file)}:{number}"
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as err:
                    problems.append(
                        Problem(
                            Location(relpath(file), number),
                            f"not JSON ({err.msg})",
                            "Give passim's JSON output, one record a line",
                            "passim.json",
                        )
                    )
                    continue
                if isinstance(rec, dict):
                    yield rec, where


def loci(
    groups: list[list[Span]],
    by_id: dict[str, Passage],
    dates: dict[str, str],
    refs: Sources | None = None,
) -> tuple[list[Locus], list[Problem]]:
    """passim's groups → reuse entries between every two passages of different witnesses (earlier
    witness first), each reading grown to whole words, resp="#passim", unreviewed. `refs`: the
    witnesses' references, for the relation (`detect.relation_of`)."""
    problems: list[Problem] = []
    found: dict[str, Locus] = {}
    for group in groups:
        spans = []
        for s in group:
            p = by_id.get(s.passage)
            if p is None or by_id.get(p.id) is not p:
                problems.append(
                    Problem(
                        Location(s.where),
                        f"passim's document {s.passage!r} is no passage of the edition",
                        "Export the corpus again "
                        "(edition apparatus export --format passim) and rerun passim",
                        "passim.unknown",
                        "warning",
                    )
                )
                continue
            if not (0 <= s.begin < s.end <= len(p.text)) or (
                s.text is not None and p.text[s.begin : s.end] != s.text
            ):
                problems.append(
                    Problem(
                        Location(s.where),
                        f"passim's span {s.begin}-{s.end} of {p.id} is not the passage's text now",
                        "The TEI changed since the export: export again and rerun passim",
                        "passim.stale",
                        "warning",
                    )
                )
                continue
            words = _words(p, s.begin, s.end)
            if words:
                spans.append((p, *words))
        for i in range(len(spans)):
            for j in range(i + 1, len(spans)):
                locus = _locus(spans[i], spans[j], dates, refs)
                if locus is not None and locus.id not in found:
                    found[locus.id] = locus
    return list(found.values()), problems


def _words(p: Passage, begin: int, end: int) -> tuple[int, int] | None:
    """passim's character span grown to the whole words it touches (passim aligns characters)."""
    toks = [t for t in align.tokens(p.text) if t.end > begin and t.start < end]
    return (toks[0].start, toks[-1].end) if toks else None


def _locus(x, y, dates: dict[str, str], refs: Sources | None = None) -> Locus | None:
    (pa, a0, a1), (pb, b0, b1) = x, y
    if pa.siglum == pb.siglum:
        return None  # one witness's series: passim's boilerplate, not reuse between witnesses
    if (dates.get(pb.siglum, ""), pb.siglum) < (dates.get(pa.siglum, ""), pa.siglum):
        (pa, a0, a1), (pb, b0, b1) = (pb, b0, b1), (pa, a0, a1)
    ra, rb = detect.reading(pa, a0, a1, "source"), detect.reading(pb, b0, b1, "target")
    ta, tb = align.tokens(ra.text), align.tokens(rb.text)
    ops = align.align([t.norm for t in ta], [t.norm for t in tb])
    score = round(min(1.0, detect.matched_words(ops, ta, tb) / max(1, min(len(ta), len(tb)))), 3)
    kind = "quotation" if pa.siglum in pb.cites else "reuse"
    relation = detect.relation_of(kind, pa, ra, pb, rb, score, sources=refs)
    words = " ".join(t.norm for t in ta)
    digest = hashlib.sha1(f"{words}|{ra.start}|{rb.start}".encode("utf-8")).hexdigest()[:6]
    ident = f"{PREFIX}{pa.id}--{pb.id}.{digest}"
    return Locus(
        ident,
        kind,
        (ra, rb),
        RESP,
        score,
        "unreviewed",
        relation=relation,
        findings=(
            "Found by passim (character n-gram alignment); imported by "
            "edition apparatus import-passim.",
        ),
    )


def _span(r, by_id: dict[str, Passage]) -> tuple[int, int] | None:
    if r.start is not None and r.end is not None:
        return r.start, r.end
    p = by_id.get(r.passage)
    at = p.text.find(r.text) if p and r.text else -1
    return (at, at + len(r.text)) if at >= 0 else None


def covered(locus: Locus, others: list[Locus], by_id: dict[str, Passage]) -> bool:
    """Does an entry other than passim's already cover this pair of readings (same two passages,
    overlapping on both sides)? Then passim's entry would duplicate it."""
    ra, rb = locus.readings
    for other in others:
        if other.resp == RESP or other.type not in COVERING:
            continue
        for oa in other.readings:
            for ob in other.readings:
                if (oa.passage, ob.passage) != (ra.passage, rb.passage) or oa is ob:
                    continue
                sa, sb = _span(oa, by_id), _span(ob, by_id)
                if sa is None or sb is None:
                    return True  # a curated reading not found by its text: be safe, add nothing
                if sa[0] < ra.end and ra.start < sa[1] and sb[0] < rb.end and rb.start < sb[1]:
                    return True
    return False


def merge(
    old: list[Locus],
    new: list[Locus],
    by_id: dict[str, Passage],
) -> tuple[list[Locus], int, int]:
    """A new import replaces the old passim entries, keeping every editor's decision, question and
    note (an entry an editor touched stays even when passim no longer finds it; a rejected one does
    not come back as new); an entry the detector (or an editor) already has is not added. Every
    other entry is untouched. Returns the apparatus, the number of passim entries new to it and the
    number left out because another entry covers them."""
    others = [x for x in old if x.resp != RESP]
    previous = {x.id: x for x in old if x.resp == RESP}
    out, kept, added, duplicates = list(others), set(), 0, 0
    for locus in new:
        if covered(locus, others, by_id):
            duplicates += 1
            continue
        before = previous.get(locus.id) or _predecessor(locus, previous, kept)
        if before is not None:
            kept.add(before.id)
            locus = replace(
                locus,
                id=before.id,
                decision=before.decision,
                notes=before.notes,
                question=before.question,
            )
        else:
            added += 1
        out.append(locus)
    for locus in previous.values():
        if locus.id not in kept and (
            locus.decision != "unreviewed" or locus.notes or locus.question
        ):
            out.append(locus)
    order = store.ORDER
    out.sort(key=lambda x: (order.index(store.LISTS.get(x.type, "reuse")), x.id))
    return out, added, duplicates


def _predecessor(locus: Locus, previous: dict[str, Locus], kept: set[str]) -> Locus | None:
    """The old passim entry over the same two passages whose first reading overlaps (the span grew
    or shrank): the new one keeps its id and decision."""
    first = locus.readings[0]
    for before in previous.values():
        if before.id in kept or [r.passage for r in before.readings] != [
            r.passage for r in locus.readings
        ]:
            continue
        b = before.readings[0]
        if b.start is not None and b.start < first.end and first.start < b.end:
            return before
    return None
