"""What the reader's apparatus pages read of the corpus, recorded while they are made, so that a
render after an edit makes them again only when something they read has changed: a word changed in
a passage that no entry points at leaves every apparatus page as it was.

The pages see the corpus only through `Recorded`: passages by id (`resolve`, `passage`), the
certainty of a page number (`cert`), where each passage stands in its witness (`order`) and TEI
elements by id (`element`: the tables). Any other attribute they ask for is recorded as a read that
cannot be checked; the pages are then made again on every render, which is correct, only slower
(tests/test_cache.py keeps the pages clear of such reads)."""

from __future__ import annotations

import dataclasses
import hashlib
import json

from lxml import etree

Read = (
    tuple  # ("resolve", id), ("passage", id), ("cert", siglum, page), ("order",), ("element", ...)
)


class Recorded:
    """A corpus that notes every read the apparatus pages make of it."""

    def __init__(self, corpus) -> None:
        self._corpus = corpus
        self.reads: set[Read] = set()

    def resolve(self, ident: str):
        self.reads.add(("resolve", ident))
        return self._corpus.resolve(ident)

    def passage(self, ident: str):
        self.reads.add(("passage", ident))
        return self._corpus.passage(ident)

    def cert(self, siglum: str, page: str | None) -> str | None:
        self.reads.add(("cert", siglum, page))
        return self._corpus.cert(siglum, page)

    def order(self) -> dict[str, tuple[int, int]]:
        self.reads.add(("order",))
        return self._corpus.order()

    def element(self, siglum: str, ident: str):
        self.reads.add(("element", siglum, ident))
        return self._corpus.element(siglum, ident)

    def __getattr__(self, name: str):  # anything else: a read that cannot be checked
        self.reads.add(("attribute", name))
        return getattr(self._corpus, name)


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


def digest(corpus, reads) -> str | None:
    """One digest of what every read finds in `corpus`; None if one of them cannot be checked.
    (A render that finds the stored reads changed makes the pages again and digests their reads
    in the same corpus: each value is encoded once.)"""
    if _SEEN[0] is not corpus:
        _SEEN[:] = [corpus, {}]
    seen = _SEEN[1]
    h = hashlib.sha256()
    for read in sorted((tuple(r) for r in reads), key=json.dumps):
        if read not in seen:
            found = value(corpus, read)
            if found is UNCHECKABLE:
                return None
            seen[read] = json.dumps([list(read), found], sort_keys=True).encode()
        h.update(seen[read])
    return h.hexdigest()


def as_list(reads) -> list[list]:
    """Reads as the cache file keeps them (JSON), in a stable order."""
    return sorted((list(r) for r in reads), key=json.dumps)
