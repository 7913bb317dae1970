"""Benchmark of reuse detection: the whole edition (goal <= 2 s) and synthetic corpora 1x, 10x and
50x the edition (goals: the 10x corpus in <= 11x the time of the 1x one, the 50x in <= 55x).

Detection = `pipeline.reuse`: the shingle index with its alignments (verbatim reuse, whole
sentences) and the retelling index (rare stemmed words, names, figures) with its verification.
Each case prints the median wall and CPU time of several in-process runs (the corpus is loaded and
built once, outside the timing), the peak memory that detection itself allocates (tracemalloc, one
extra untimed run) and the process's peak RSS. CPU time is the steadier figure on a shared machine.
bench/run.py times the whole commands as well. Run a case from the repository root, e.g.
`.venv/bin/python bench/bench_apparatus.py synthetic 10`;
`.venv/bin/python bench/bench_apparatus.py ratio` runs 1x and 10x and prints the ratio of medians;
`ratio 50` runs 1x, 10x and 50x in one process (alternating, 2 runs each; `ratio 50 3`: 3 runs)
and prints both ratios.

Measured 2026-12-05, morning (`ratio 50`, 2 runs each, two sessions, code at 26477fe, copies
tagged q<c>): 1x 0.83-0.88 s, 10x 8.7-9.0 s (10.2-10.5x), 50x 49.2-51.6 s (58.5-59.2x).
Two causes: that 50x corpus was 54.9x the 1x one in characters (copies 10-49 carried a tag of
three characters, `tag`), and steps whose memory grows with the vocabulary (the synthetic one
grows with the copies): numpy's unique (a hash table) in the shingle index, 112x at 50x; the stem
cache (2^18 words), which forgot the words of the units before the retellings' sentences asked
for them again; the dicts of the retellings' candidate pairs (67x).

Measured 2026-12-05, afternoon (`ratio 50 3`, branch s7-scale, the 2-core machine shared with
other jobs, load 2-8; medians of 3 runs, the range of the two sessions' medians):
  1x  0.90-0.91 s (CPU 0.90-0.91 s), detection peak 11.2 MiB (tracemalloc)
  10x 9.49-9.55 s, 10.51-10.56x (CPU 10.41-10.56x: goal <= 11 met), peak 116.4 MiB
  50x 50.0-51.4 s, 55.7-56.6x wall (CPU 54.0-55.7x: goal <= 55 not reliably met), process peak
      RSS 703 MiB
The old code (26477fe's) on this corpus of equal copies, one session right after, load up to 5:
1x 1.04 s (CPU 0.98 s), 10x 10.24x (CPU 10.43x), 50x 65.5x wall (runs of 61-100 s: the load),
60.1x CPU; detection peak 12.3 MiB at 1x, 109.8 MiB at 10x (now 11.2 and 116.4: the stem cache
holds the whole vocabulary for one run).
What grows faster still at 50x (cProfile and timed steps, 1x vs 50x): the tokenising (57x: the
interned vocabulary), the shingle lookup (np.searchsorted into 50x as many shared hashes, 90x, a
fraction of a second), the retellings' candidate pairs (59x).

Measured 2026-12-05, after the merge into main and the fix of `detect.Recent` (a plain dict whose
oldest key was found by iterating over the slots its deletions left: 220x at 50x), quiet machine,
`ratio 50 3`, two sessions: before that fix 55.9x wall (54.2x CPU); after it 55.1x and 52.2x wall
(53.0x and 51.0x CPU), 10x 10.2-10.9x; 1x 0.96-1.01 s, 50x 52.5-52.7 s, process peak RSS 697 MiB.

Measured 2026-12-05, evening, after another translation (build_scripts/apparatus/translated.py)
joined the detection, `ratio 50 3`, a slower machine than the morning's (the edition's
`apparatus detect --dry-run` 1.86-1.96 s here against 1.74-1.78 s then, same code):
  as it landed (the session before, a faster machine): 50x 55.7-56.2x wall, process peak RSS
      1.11 GiB (its feature sets of strings: some 370 MiB at 50x); with them int arrays
      (`translated.Vocab`): 1x 1.37 s, 50x 75.2 s, 54.8x wall (54.8x CPU), peak RSS 918 MiB
  each word's feature looked up once, in C, spans computed last: 1x 1.23 s, 10x 10.35x wall
      (10.18x CPU), 50x 66.8 s: 54.45x wall (53.55x CPU), process peak RSS 910 MiB (the three
      corpora held at once). Stage by stage (CPU, one run, 1x -> 50x): tokenising 54.8x, verbatim
      candidates 53.1x, retelling units 53.1x, retellings 53.1x, another translation 60.6x before
      these two changes (0.41 s at 1x), 0.27 s at 1x and 10.6x at 10x after.

Measured 2026-12-06, quiet machine (load under 1 at the start), `ratio 50 3`, code at 6d9052b:
1x 1.28 s (CPU 1.31 s), 10x 13.1 s: 10.25x wall (10.03x CPU), 50x 68.5 s: 53.49x wall (52.36x
CPU), process peak RSS 884 MiB; `edition apparatus detect --dry-run` 1.84-1.92 s (median 1.88).

Measured 2026-12-06, later, after the speed-ups of that day (caches of tokens, counting in C,
regexes that start with what they consume, the cycle collector paused for the whole run),
`ratio 50 3`, machine shared at times: with every speed-up, 1x 0.98 s, 10x 10.9 s (11.12x), 50x
59.4 s (60.46x); without the cache of sentences' features, 1x 1.05 s, 10x 10.71x, 50x 59.3 s
(56.81x); without the cache of sentence ends either (as landed), 1x 1.05 s, 10x 11.3 s (10.77x
wall, 10.76x CPU), 50x 59.6 s (56.89x wall, 56.86x CPU), process peak RSS 955 MiB, with another
job on the machine; again on a quiet machine, 1x 1.04 s, 10x 10.9 s (10.41x wall, 10.35x CPU),
50x 57.1 s (54.76x wall, 54.42x CPU). Every scale is faster than in the morning (1x 1.28 s, 50x
68.5 s), the small corpus most: the steps that grow faster than the corpus (tokenising, the
shingle lookup, the candidate pairs of retellings and of documents in two translations) weigh
more in the 50x time, which stays at the goal's edge (<= 55x).
"""

from __future__ import annotations

import random
import re
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PY = ".venv/bin/python"
CASES = [
    ("apparatus-detect-edition", [PY, "bench/bench_apparatus.py", "edition"]),
    ("apparatus-detect-synthetic-1x", [PY, "bench/bench_apparatus.py", "synthetic", "1"]),
    ("apparatus-detect-synthetic-10x", [PY, "bench/bench_apparatus.py", "synthetic", "10"]),
    ("apparatus-detect-cli", [".venv/bin/edition", "apparatus", "detect", "--dry-run"]),
]
# detection over the whole edition, as an editor runs it (`edition apparatus detect`: start-up,
# reading the TEI, reuse, retellings, citations, claims): issue 10's goal
GOALS = {"apparatus-detect-cli": 2.0}
RUNS = 5


def tag(copy: int) -> str:
    """The suffix of copy `copy`'s words: a letter and a digit (q0-q9, r0-r9 ... u0-u9 for copies
    0-49), two characters for every copy, so that each copy is as long as copy 0 and the 50x corpus
    is 50 times the 1x one (with "q<c>", copies 10-49 had three: 54.9x its characters)."""
    assert 0 <= copy < 100, copy
    return "qrstuvwxyz"[copy // 10] + str(copy % 10)


def synthetic(passages, scale: int, seed: int = 1):
    """`scale` copies of the edition, each in its own "language" (every word of copy c gets the
    suffix `tag(c)`, copy 0 included, so that the 1x and the 10x corpus are made alike), so reuse
    exists within a copy as in the edition but not across copies; one word in twenty is replaced at
    random, so the aligner has variants to classify."""
    from build_scripts.apparatus.model import Passage

    rng = random.Random(seed)
    out = []
    for copy in range(scale):
        for p in passages:
            # every run of letters or digits gets the suffix, also inside "1937–38", URLs and
            # "word/word" (the aligner splits there): no word is shared across copies
            words = [re.sub(r"(\w+)", rf"\1{tag(copy)}", w) for w in p.text.split(" ")]
            for _ in range(len(words) // 20):
                # a variant word of the same copy: copies share no vocabulary, so the 10x corpus is
                # ten editions side by side, not one edition with spurious matches across copies
                words[rng.randrange(len(words))] = rng.choice(
                    ["the", "party", "purge", "Stalin", "NKVD"]
                ) + tag(copy)
            out.append(
                Passage(f"{p.siglum}{copy}", f"{p.id}.x{copy}", p.file, p.kind, " ".join(words))
            )
    return out


def corpus(kind: str, scale: int):
    from build_scripts.apparatus import edition

    loaded, _ = edition.load()
    passages, dates = loaded.passages, dict(loaded.dates)
    AUTHORS.clear()
    AUTHORS.update(loaded.authors)
    if kind == "synthetic":
        passages = synthetic(passages, scale)
        dates = {p.siglum: dates.get(p.siglum[0], "") for p in passages}
        # each copy names its authors in its own "language", as its words (`synthetic`)
        AUTHORS.clear()
        AUTHORS.update(
            {
                p.siglum: tuple(
                    n + tag(int(p.siglum[1:])) for n in loaded.authors.get(p.siglum[0], ())
                )
                for p in passages
            }
        )
    return passages, dates


AUTHORS: dict[str, tuple[str, ...]] = {}  # siglum → its author's surnames (`corpus`)


def fresh() -> None:
    """Empty the word caches, so that every run pays for its vocabulary as a first run does."""
    from build_scripts.apparatus import align

    from build_scripts.apparatus import retold

    align._word.cache_clear()
    align.normal.cache_clear()
    retold._key.cache_clear()


TRANSLIT = Path(__file__).resolve().parent.parent / "sources" / "transliterations.yml"


def detection(passages, dates) -> list:
    from build_scripts.apparatus import pipeline

    return pipeline.reuse(passages, dates, TRANSLIT, authors=AUTHORS)


def timed(passages, dates) -> tuple[float, float, list]:
    fresh()
    start, start_cpu = time.perf_counter(), time.process_time()
    found = detection(passages, dates)
    return time.perf_counter() - start, time.process_time() - start_cpu, found


def ratio(runs: int = RUNS, scales: tuple[int, ...] = (1, 10)) -> tuple[dict, ...]:
    data = {scale: corpus("synthetic", scale) for scale in scales}
    got: dict[int, list] = {scale: [] for scale in scales}
    for _ in range(runs):
        for scale in scales:
            got[scale].append(timed(*data[scale]))
            got[scale][-1] = got[scale][-1][:2] + (len(got[scale][-1][2]),)
    return tuple(summary("synthetic", scale, *data[scale], got[scale]) for scale in scales)


def measure(kind: str, scale: int, runs: int = RUNS) -> dict:
    passages, dates = corpus(kind, scale)
    return summary(kind, scale, passages, dates, [timed(passages, dates) for _ in range(runs)])


def summary(kind: str, scale: int, passages, dates, results: list) -> dict:
    times, cpu, found = [r[0] for r in results], [r[1] for r in results], results[-1][2]
    found = found if isinstance(found, int) else len(found)
    peak = None
    if scale < 50:  # tracemalloc slows a 50x run several times over: its peak RSS is given instead
        fresh()
        tracemalloc.start()
        detection(passages, dates)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {
        "case": f"{kind} {scale}x" if kind == "synthetic" else kind,
        "passages": len(passages),
        "words": sum(len(p.text.split()) for p in passages),
        "regions": found,
        "median_s": statistics.median(times),
        "runs": [round(t, 3) for t in times],
        "median_cpu_s": statistics.median(cpu),
        "detect_peak_mib": peak / 2**20 if peak is not None else float("nan"),
        "process_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def show(r: dict) -> str:
    return (
        f"{r['case']}: {r['passages']} passages, {r['words']} words, {r['regions']} regions; "
        f"median {r['median_s']:.3f} s wall, {r['median_cpu_s']:.3f} s CPU, of "
        f"{len(r['runs'])} runs {r['runs']}; detection peak {r['detect_peak_mib']:.1f} MiB "
        f"(tracemalloc), process peak RSS {r['process_peak_mib']:.1f} MiB"
    )


def main(argv: list[str]) -> None:
    kind = argv[0] if argv else "edition"
    if kind == "ratio":  # the sizes timed in alternation, so that all meet the same load
        top = int(argv[1]) if len(argv) > 1 else 10
        scales = (1, 10) if top == 10 else (1, 10, top)
        runs = int(argv[2]) if len(argv) > 2 else RUNS if top == 10 else 2
        results = ratio(runs, scales)
        for r in results:
            print(show(r))
        one = results[0]
        for scale, r in zip(scales[1:], results[1:]):
            print(
                f"ratio {scale}x/1x: {r['median_s'] / one['median_s']:.2f} "
                f"wall, {r['median_cpu_s'] / one['median_cpu_s']:.2f} CPU"
                f" (goal <= {scale * 1.1:g})"
            )
        return
    scale = int(argv[1]) if len(argv) > 1 else 10
    print(show(measure(kind, scale)))


if __name__ == "__main__":
    main(sys.argv[1:])
