"""The detector's fast paths give what their plain definitions give (property tests): each is
checked against a slow reference written here from the rule it implements, on random input."""

import math
import re
from collections import defaultdict

from hypothesis import given, settings, strategies as st
from rapidfuzz import fuzz

from build_scripts.apparatus import align, retold, tables
from build_scripts.apparatus.model import Passage

# the characters that decide where words split and where gaps are: separators, points, ellipses,
# brackets around "sic", letters with and without accents, digits
PIECES = st.sampled_from(
    [
        "a",
        "B",
        "é",
        "1",
        "sic",
        "(sic)",
        "[sic]",
        " ",
        "  ",
        "\n",
        "\u00a0",
        ".",
        "..",
        "...",
        "…",
        ". . .",
        "—",
        "–",
        "/",
        "-",
        "--",
        "(",
        ")",
        "[",
        ",",
        "'",
        "’",
    ]
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_the_separator_matches_its_alternatives_tried_in_order(text):
    """`SEPARATOR` (a first-character lookahead before the alternatives) finds what the plain
    alternatives find, at the same places."""
    plain = re.compile(r"\s+|[—–/]+|-{2,}|…+|\.{3,}|(?<=\w)(?:\s*\.\s*){3,}")
    assert [m.span() for m in align.SEPARATOR.finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_tokens_made_at_once_are_the_tokens_made_one_by_one(text):
    """`tokens` (split and mapped in C where no ellipsis can mark a gap) = `_tokens` (word by word),
    and `words` gives their normal forms."""
    assert align.tokens(text) == align._tokens(text)
    assert align.words(text) == [t.norm for t in align._tokens(text)]


def _spelling(x: str, y: str) -> bool:
    """`align.spelling` as its docstring and the variant rules define it, without shortcuts."""
    if x == y:
        return True
    if x.isdigit() or y.isdigit():
        return False
    short, long_ = sorted((x, y), key=len)
    if any(long_ == prefix + short for prefix in align.NEGATIONS):
        return False
    return len(short) >= 4 and fuzz.ratio(x, y) >= 80


WORDS = st.text(alphabet="abcdeinorstu1", max_size=12)


@settings(max_examples=2000, deadline=None)
@given(WORDS, WORDS, st.sampled_from(("", "un", "in", "dis", "non")))
def test_spelling_shortcuts_change_no_verdict(x, y, prefix):
    for a, b in ((x, y), (x, prefix + x), (prefix + y, y), (x, x + y[:2])):
        assert align.spelling(a, b) == _spelling(a, b), (a, b)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=12), st.lists(WORDS, max_size=12))
def test_spelled_pairs_are_the_pairs_spelling_holds(xs, ys):
    """`align.spelled` (one distance matrix in C) = every pair of different words `spelling`
    holds."""
    want: dict[str, set[str]] = {}
    for x in set(xs):
        for y in set(ys):
            if x != y and _spelling(x, y):
                want.setdefault(x, set()).add(y)
    assert align.spelled(xs, ys) == want


LABEL_WORDS = st.sampled_from(
    "purge purges purged expelled expulsions 1933 1935 reason reasons passivity passive other "
    "alien elements element careerist careerists moral corruption total".split()
)
ROWS = st.lists(
    st.tuples(st.lists(LABEL_WORDS, min_size=1, max_size=5), st.booleans()), max_size=6
).map(
    lambda rows: [
        tables.Row(" ".join(words), ("12",) if figured else (), frozenset(words))
        for words, figured in rows
    ]
)


@settings(max_examples=300, deadline=None)
@given(ROWS, ROWS)
def test_row_similarity_with_the_tables_spelled_pairs_is_the_same(a, b):
    """Rows compared with the spelled pairs of their two tables score as rows compared word by
    word."""
    spelled = align.spelled({w for r in a for w in r.key}, {w for r in b for w in r.key})
    for x in a:
        for y in b:
            assert tables.similar(x, y, spelled) == tables.similar(x, y)


FEATURES = st.sampled_from(["stalin", "ezhov", "purg", "#1937", "#12%", "#4,410", "kirov"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ABC"), st.sets(FEATURES, min_size=1)), min_size=2, max_size=14
    )
)
def test_scored_pairs_are_those_of_every_pair_compared(units):
    """`retold.scored` (postings, pairs counted per unit) yields what comparing every pair of units
    of two witnesses yields: the features they share that are not common (over the cap) in either
    witness, kept with `MIN_SHARED` of them or `MIN_FIGURES_ALONE` figures, weighted by their idf
    in the pair, in the order of the pairs."""
    passages = [Passage(s, f"{s}.p{i}", "x.xml", "p", "") for i, (s, _) in enumerate(units)]
    us = [retold.Unit(i, tuple(sorted(f))) for i, (_, f) in enumerate(units)]
    wit = [s for s, _ in units]
    size: dict[str, int] = defaultdict(int)
    df: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for w, (_, feats) in zip(wit, units):
        size[w] += 1
        for f in feats:
            df[w][f] += 1
    cap = {w: max(retold.CAP, int(retold.CAP_SHARE * n)) for w, n in size.items()}
    order = list(dict.fromkeys(f for u in us for f in u.features))
    want = []
    for i in range(len(us)):
        for j in range(i + 1, len(us)):
            x, y = wit[i], wit[j]
            if x == y:
                continue
            feats = [
                f
                for f in order
                if f in us[i].features
                and f in us[j].features
                and df[x][f] <= cap[x]
                and df[y][f] <= cap[y]
            ]
            figures = [f for f in feats if retold._figure(f)]
            if len(feats) < retold.MIN_SHARED and len(figures) < retold.MIN_FIGURES_ALONE:
                continue
            weights = {
                f: math.log((size[x] + size[y] + 1) / (df[x][f] + df[y][f]))
                * (retold.FIGURE_WEIGHT if retold._figure(f) else 1.0)
                for f in feats
            }
            ranked = sorted(feats, key=lambda f: (-weights[f], f))
            want.append(((i, j), (sum(weights[f] for f in feats), ranked)))
    got = [(pair, (score, ranked)) for pair, (score, ranked, _) in retold.scored(passages, us)]
    assert [(p, r) for p, (_, r) in got] == [(p, r) for p, (_, r) in want]
    assert all(math.isclose(a[1][0], b[1][0]) for a, b in zip(got, want))


FIGURE_TEXTS = st.lists(
    st.sampled_from(["1", "9", "12", ",", ".", " ", "%", "per", "cent", "a", "x", "!", "-", "_"]),
    max_size=25,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(FIGURE_TEXTS)
def test_a_passage_without_a_figure_end_has_no_figure_in_any_sentence(text):
    """`claims.statements` skips a passage where `FIGURE_END` finds nothing: no sentence of it
    holds a `NUMBER`."""
    from build_scripts.apparatus import claims

    if not claims.FIGURE_END.search(text):
        assert not any(claims.NUMBER.search(m.group()) for m in claims.SENTENCE.finditer(text))
