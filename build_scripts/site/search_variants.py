"""search/search_index.json → the same index where one transliteration finds the others.

The witnesses spell Russian names in different systems (Ezhov/Yezhov, Iaroslavskii/Yaroslavsky,
Zinov'ev/Zinoviev). Names whose spellings reduce to the same `skeleton`, and the groups editors list
in sources/transliterations.yml, are variants of each other. Each index entry gets the variants of
its names that it lacks, in a hidden element of the index text only: the pages are not changed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import yaml

NAME = re.compile(
    r"\b[A-Z][a-z]+(?:['’ʹ](?!s\b)[a-z]+)?\b"
)  # a possessive 's is not part of the name
TAG = re.compile(r"<[^>]+>")
HIDDEN = '<span class="md-search-variants" hidden>{}</span>'


def skeleton(word: str) -> str:
    """A spelling-neutral key: Ezhov/Yezhov → ezhov, Iaroslavskii/Yaroslavsky → iaroslavski."""
    s = re.sub("['’ʹ]", "", word.lower())
    s = s.replace("y", "i")
    s = re.sub("i+", "i", s)
    s = re.sub("^ie", "e", s)
    return s.replace("ie", "e")


def listed_groups(path: Path) -> list[set[str]]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [set(map(str, group)) for group in data.get("groups", [])]


def variant_map(names: set[str], groups: list[set[str]]) -> dict[str, set[str]]:
    """name → its other spellings (from skeletons among `names`, and from the listed groups)."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for name in names:
        if len(name) >= 4:
            by_key[skeleton(name)].add(name)
    out: dict[str, set[str]] = defaultdict(set)
    for members in list(by_key.values()) + groups:
        if len(members) > 1:
            for name in members:
                out[name] |= members - {name}
    return out


def names_in(text: str) -> set[str]:
    return set(NAME.findall(TAG.sub(" ", text)))


def augment(index: dict, groups: list[set[str]]) -> int:
    """Add the missing variants to each entry of a Material/MkDocs search index; return how many."""
    docs = index.get("docs", [])
    per_doc = [names_in(d.get("title", "") + " " + d.get("text", "")) for d in docs]
    variants = variant_map(set().union(*per_doc) if per_doc else set(), groups)
    added = 0
    for doc, names in zip(docs, per_doc):
        extra = sorted({v for n in names for v in variants.get(n, ())} - names)
        if extra:
            doc["text"] = doc.get("text", "") + HIDDEN.format(" ".join(extra))
            added += len(extra)
    return added
