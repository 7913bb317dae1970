"""Issue 6: `edition check` cold and warm (goal: warm <= 2 s on the whole edition), `--full`,
`fmt --check`.

`edition check` exits 1 when it finds problems, which is a normal outcome here, so each case times
itself (run.py's plain argv cases stop at a non-zero exit) and reports medians of whole commands.
cold: a new process and no validation cache (build/check-cache is bypassed with --no-cache);
warm: a new process with the cache filled by the run before, as when an editor saves a file twice.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITION = str(ROOT / ".venv" / "bin" / "edition")
RUNS = 5


def timed(argv: list[str], runs: int = RUNS, prime: bool = False) -> dict:
    if prime:
        subprocess.run(argv, cwd=ROOT, capture_output=True)
    times, codes = [], set()
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        codes.add(done.returncode)
        if done.returncode not in (0, 1) or "Traceback" in done.stderr:
            raise SystemExit(
                f"{' '.join(argv)} crashed ({done.returncode}):\n{done.stderr[-2000:]}"
            )
    problems = max(0, len(done.stderr.splitlines()) - 1)
    return {
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
        "runs": runs,
        "exit": sorted(codes),
        "problems": problems,
    }


CASES = [
    ("check cold (no cache)", lambda: timed([EDITION, "check", "--no-cache"])),
    ("check warm (cache filled)", lambda: timed([EDITION, "check"], prime=True)),
    ("check --full (tei_all, no cache)", lambda: timed([EDITION, "check", "--full"], runs=3)),
    ("fmt --check", lambda: timed([EDITION, "fmt", "--check"])),
]

if __name__ == "__main__":
    for name, case in CASES:
        print(f"{name:34} {case()}")
