"""Run every benchmark case under bench/ as a whole command, several times; print and save medians.

Each bench/bench_<area>.py exposes CASES = [(name, argv), ...]; argv runs from the repository root;
and GOALS = {name: seconds}, optionally: the median wall time a case should stay within (printed as
"goal ≤ N s met" or "OVER").
Usage: python bench/run.py [AREA ...] [--runs N]. Results go to bench/results/<area>.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_cases(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return (
        getattr(module, "CASES", []),
        getattr(module, "setup", None),
        getattr(module, "RATIOS", []),
        getattr(module, "GOALS", {}),
    )


def ratio(argv: list[str], against: list[str], runs: int) -> dict:
    """`argv` and `against` run in alternation, `runs` times each: the median of the pairs' ratios
    (the two commands of a pair see the same machine load)."""
    pairs = []
    for _ in range(runs):
        a = time_command(argv, 1)[0]
        b = time_command(against, 1)[0]
        pairs.append((a, b))
    ratios = sorted(a / b for a, b in pairs)
    return {
        "median_ratio": round(statistics.median(ratios), 3),
        "min_ratio": round(ratios[0], 3),
        "max_ratio": round(ratios[-1], 3),
        "median_s": round(statistics.median(a for a, _ in pairs), 3),
        "against_median_s": round(statistics.median(b for _, b in pairs), 3),
        "runs": runs,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def time_command(argv: list[str], runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall times of `runs` runs; the CPU seconds (user + sys) of each run go to `cpu` if given
    (on a shared machine the CPU time says more than the wall time)."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if cpu is not None:
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("areas", nargs="*")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        area = path.stem.removeprefix("bench_")
        if args.areas and area not in args.areas:
            continue
        cases, setup, ratios, goals = load_cases(path)
        if setup:
            setup()
        results = {}
        for name, argv in cases:
            if callable(argv):  # a case that measures itself and returns a dict of figures
                results[name] = argv()
                print(f"{area:10} {name:40} {results[name]}")
                continue
            cpu: list[float] = []
            times = time_command(
                [sys.executable if a == "python" else a for a in argv], args.runs, cpu
            )
            r = results[name] = {
                "median_s": round(statistics.median(times), 3),
                "min_s": round(min(times), 3),
                "max_s": round(max(times), 3),
                "runs": len(times),
                "median_cpu_s": round(statistics.median(cpu), 3),
                "load_average": [round(x, 2) for x in os.getloadavg()],
            }
            goal = ""
            if name in goals:
                r["goal_s"] = goals[name]
                met = r["median_s"] <= goals[name]
                goal = f"; goal ≤ {goals[name]:g} s {'met' if met else 'OVER'}"
            print(
                f"{area:10} {name:40} median {r['median_s']:.3f} s  "
                f"(min {r['min_s']:.3f}, max {r['max_s']:.3f}, n={len(times)}); "
                f"CPU median {r['median_cpu_s']:.3f} s; load {r['load_average']}{goal}"
            )
        for name, argv, against, goal in ratios:
            fix = [sys.executable if a == "python" else a for a in argv]
            base = [sys.executable if a == "python" else a for a in against]
            r = results[name] = ratio(fix, base, args.runs)
            met = "" if goal is None else ("  goal met" if r["median_ratio"] <= goal else "  OVER")
            print(
                f"{area:10} {name:40} median ratio {r['median_ratio']:.3f} "
                f"(min {r['min_ratio']:.3f}, max {r['max_ratio']:.3f}; {r['median_s']:.2f} s "
                f"against {r['against_median_s']:.2f} s, n={r['runs']}); load "
                f"{r['load_average']}{met}"
            )
        (out / f"{area}.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
