"""What the reader's apparatus pages read of the corpus, recorded while they are made, so that a
render after an edit makes them again only when something they read has changed: a word changed in
a passage that no entry points at leaves every apparatus page as it was.

The pages see the corpus only through `Recorded`: passages by id (`resolve`, `passage`), the
certainty of a page number (`cert`), where each passage stands in its witness (`order`) and TEI
elements by id (`element`: the tables). Any other attribute they ask for is recorded as a read that
cannot be checked; the pages are then made again on every render, which is correct, only slower
(tests/test_cache.py keeps the pages clear of such reads).

The reads are also noted per part of a page (`Recorded.recording`, used by
apparatus.render.Reader.fragment), and `fingerprints` keeps a digest of what each read found: a
render after an edit reuses every part whose reads are all `unchanged`."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json

from lxml import etree

Read = (
    tuple  # ("resolve", id), ("passage", id), ("cert", siglum, page), ("order",), ("element", ...)
)


class Recorded:
    """A corpus that notes every read the apparatus pages make of it: all of them in `reads`, and
    those made inside `recording()` in that recording's own set too (one part of a page, so that
    the part can be reused while what it read is unchanged)."""

    def __init__(self, corpus) -> None:
        self._corpus = corpus
        self.reads: set[Read] = set()
        self._sinks: list[set[Read]] = []

    def _note(self, read: Read) -> None:
        self.reads.add(read)
        for sink in self._sinks:
            sink.add(read)

    @contextlib.contextmanager
    def recording(self):
        """The reads made inside the block (nested blocks: each gets its own and its inner ones)."""
        sink: set[Read] = set()
        self._sinks.append(sink)
        try:
            yield sink
        finally:
            self._sinks.pop()

    def replay(self, reads) -> None:
        """Note reads as made now: a part made earlier (or remembered) is used here."""
        for read in reads:
            self._note(tuple(read))

    def resolve(self, ident: str):
        self._note(("resolve", ident))
        return self._corpus.resolve(ident)

    def passage(self, ident: str):
        self._note(("passage", ident))
        return self._corpus.passage(ident)

    def cert(self, siglum: str, page: str | None) -> str | None:
        self._note(("cert", siglum, page))
        return self._corpus.cert(siglum, page)

    def order(self) -> dict[str, tuple[int, int]]:
        self._note(("order",))
        return self._corpus.order()

    def element(self, siglum: str, ident: str):
        self._note(("element", siglum, ident))
        return self._corpus.element(siglum, ident)

    def __getattr__(self, name: str):  # anything else: a read that cannot be checked
        self._note(("attribute", name))
        return getattr(self._corpus, name)


@contextlib.contextmanager
def recording(corpus):
    """`corpus.recording()` for a Recorded corpus; an empty set for any other (nothing noted)."""
    if isinstance(corpus, Recorded):
        with corpus.recording() as sink:
            yield sink
    else:
        yield set()


def replay(corpus, reads) -> None:
    if isinstance(corpus, Recorded):
        corpus.replay(reads)


def _plain(value):
    """A value as JSON can hold it, the same in every process (sets sorted, not in hash order)."""
    if dataclasses.is_dataclass(value):
        return [_plain(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=json.dumps)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


UNCHECKABLE = object()


def value(corpus, read: Read):
    """What `read` finds in `corpus` now, as plain data; UNCHECKABLE for a read of anything else."""
    kind, *args = read
    if kind == "resolve":
        return _plain(corpus.resolve(*args))
    if kind == "passage":
        return _plain(corpus.passage(*args))
    if kind == "cert":
        return corpus.cert(*args)
    if kind == "order":
        return corpus.order()
    if kind == "element":
        el = corpus.element(*args)
        return None if el is None else etree.tostring(el, encoding="unicode", with_tail=False)
    return UNCHECKABLE


_SEEN: list = [None, {}]  # the last corpus digested, and each read's encoded value in it


def _encoded(corpus, read: tuple) -> bytes | None:
    """What `read` finds in `corpus`, encoded (None: it cannot be checked); once per corpus."""
    if _SEEN[0] is not corpus:
        _SEEN[:] = [corpus, {}]
    seen = _SEEN[1]
    if read not in seen:
        found = value(corpus, read)
        seen[read] = (
            None
            if found is UNCHECKABLE
            else json.dumps([list(read), found], sort_keys=True).encode()
        )
    return seen[read]


def digest(corpus, reads) -> str | None:
    """One digest of what every read finds in `corpus`; None if one of them cannot be checked.
    (A render that finds the stored reads changed makes the pages again and digests their reads
    in the same corpus: each value is encoded once.)"""
    h = hashlib.sha256()
    for read in sorted((tuple(r) for r in reads), key=json.dumps):
        found = _encoded(corpus, read)
        if found is None:
            return None
        h.update(found)
    return h.hexdigest()


def fingerprints(corpus, reads) -> dict[str, str]:
    """Each read that can be checked (as JSON) → a digest of what it finds in `corpus`."""
    out = {}
    for read in reads:
        found = _encoded(corpus, tuple(read))
        if found is not None:
            out[json.dumps(list(read))] = hashlib.blake2b(found, digest_size=16).hexdigest()
    return out


def unchanged(corpus, stored: dict[str, str]) -> set[tuple]:
    """The reads of `stored` (fingerprints of an earlier corpus) that find the same in `corpus`."""
    reads = {k: tuple(json.loads(k)) for k in stored}
    now = fingerprints(corpus, reads.values())
    return {read for k, read in reads.items() if now.get(k) == stored[k]}


def as_list(reads) -> list[list]:
    """Reads as the cache file keeps them (JSON), in a stable order."""
    return sorted((list(r) for r in reads), key=json.dumps)
