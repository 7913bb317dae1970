"""Benchmark of reuse detection: the whole edition (goal <= 2 s) and a synthetic corpus 10x larger
(goal <= 11x the time), each with peak memory (ru_maxrss of the process). Run a case as a whole command from the
repository root, e.g. `.venv/bin/python bench/bench_apparatus.py edition`."""
from __future__ import annotations

import random
import sys
import time
import resource
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PY = ".venv/bin/python"
CASES = [
    ("apparatus-detect-edition", [PY, "bench/bench_apparatus.py", "edition"]),
    ("apparatus-detect-synthetic-10x", [PY, "bench/bench_apparatus.py", "synthetic", "10"]),
    ("apparatus-detect-cli", [".venv/bin/edition", "apparatus", "detect", "--dry-run"]),
]


def synthetic(passages, scale: int, seed: int = 1):
    """`scale` copies of the edition, each in its own "language" (every word of copy c gets the
    suffix c), so reuse exists within a copy as in the edition but not across copies; one word in
    twenty is replaced at random, so the aligner has variants to classify."""
    from build_scripts.apparatus.model import Passage

    rng = random.Random(seed)
    out = []
    for copy in range(scale):
        for p in passages:
            words = [w + (f"q{copy}" if copy else "") for w in p.text.split(" ")]
            for _ in range(len(words) // 20):
                words[rng.randrange(len(words))] = rng.choice(["the", "party", "purge", "Stalin", "NKVD"])
            out.append(Passage(f"{p.siglum}{copy}", f"{p.id}.x{copy}", p.file, p.kind, " ".join(words)))
    return out


def main(argv: list[str]) -> None:
    from build_scripts.apparatus import detect, edition

    corpus, _ = edition.load()
    passages, dates = corpus.passages, dict(corpus.dates)
    if argv[:1] == ["synthetic"]:
        scale = int(argv[1]) if len(argv) > 1 else 10
        passages = synthetic(passages, scale)
        dates = {p.siglum: dates.get(p.siglum[0], "") for p in passages}
    start = time.perf_counter()
    found = detect.detect(passages, dates)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # whole process, bytes (Linux: KiB)
    words = sum(len(p.text.split()) for p in passages)
    print(f"{argv[0] if argv else 'edition'}: {len(passages)} passages, {words} words, {len(found)} regions, {seconds:.2f} s, peak {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:] or ["edition"])
