"""Scale figures (issue 16): the edition 1×, 10× and 50×, built, checked and run through detection.

A synthetic corpus of scale N is a project folder (build/scale/<N>x/) holding N copies of the five
witnesses: copy 0 is the edition itself; copy c ≥ 1 has its sigla and ids renamed (G → G<c>,
getty.xml → getty-<c>.xml) and every letter and digit of its text (and of its transcription under
sources/, so that the TEI still matches it) replaced by a per-copy permutation, and every word and
figure ending in the copy's tag (`scramble`), so that copies share no words and no figures and the
detector finds no reuse between them: each copy pairs only inside itself, as the edition does, and
the output grows linearly. The apparatus file stays the edition's.

`python bench/scale.py` (`make bench` runs it) times, in one run, for each scale:
  build: `edition build --publish-all --skip-check --no-downloads` (the HTML; cold: fresh output);
  check: `edition check --no-cache`; detect: `edition apparatus detect --dry-run`;
with each command's peak RSS (wait4), Getty ch. 1's page size and the total HTML. Ratios are to 1×.
Scales: 1 and 10 by default; EDITION_BENCH_SCALES="1 10 50" adds 50× (minutes to hours).
EDITION_BENCH_STEPS="detect" (or "check detect"...) times those steps only. The check and detection
of the 1× corpus, a few seconds each, are run EDITION_BENCH_RUNS_1X times (3 by default) and their
median taken: every ratio is divided by that figure, which one run on a shared machine would make
noisy.

Detection (`edition apparatus detect`, issue 16), one run each on a shared 2-core machine, CPU
seconds (user + system) and peak RSS (wait4), before (main at d5376be) → after (branch
scale-detect); tei/apparatus.xml byte-identical before and after at 1× and 10×:
   1×:   2.1 s,   96 MiB →   2.0 s,  79 MiB
  10×:  20.9 s,  623 MiB →  21.4 s, 237 MiB  (CPU 10.2× → 10.6× the 1× run: goal ≤ 11×)
  50×: 189.7 s, 4655 MiB → 185 s,  891 MiB  (goal: peak < 1 GiB; "before" measured at dba2f01)
Those runs were on copies made by the permutation alone, which share figures (a digit
permutation maps the numbers of one copy onto those of another) and short words: the detector
paired passages of different copies (403 retellings at 10× at dba2f01, most of the 50× entries), a
number of pairs that grows with the square of the copies; the copies now carry their tag. The
memory no longer grows so in any case (one unit's pairs at a time).

Detection speed (branch detectperf, the CLI `apparatus detect --dry-run`, wall seconds, the two
versions interleaved on a quiet 2-core machine, load ≤ 1; 1×: median of 8 runs each;
tei/apparatus.xml byte-identical before and after at 1× and 10×), main at d015b7f → detectperf:
   1×:   2.21 s →  1.58 s  (issue 10's goal: ≤ 2 s)
  10×:  21.8 s  → 13.5 s   (ratio to 1×: 9.9× → 8.5×)
  50×: 123.5 s  → 74.2 s   (ratio to 1×: 55.9× → 47.0×; peak 792 → 791 MiB)
Each copy of these corpora costs more than copy 0, the edition itself: its text is longer (every
word carries the copy's tag, 2 to 5 letters), its stop words and table figures are no longer read
as such (a tagged figure is a word), so its tables are all labels; the ratios measure that as well.

`python bench/scale.py incremental [RUNS]` times a one-word edit to one witness: the whole
`edition build` against the HTML alone (medians of RUNS edits; goal ≤ 1.5×).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import string
import subprocess
import sys
import time
from pathlib import Path

import yaml
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from build_scripts.tei import fmt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EDITION = str(ROOT / ".venv" / "bin" / "edition")
TEI_NS = "{http://www.tei-c.org/ns/1.0}"
COPIED = (
    "mkdocs.yml",
    "docs",
    "overrides",
    "references.bib",
    "CHANGELOG.md",
    "courses",
    "vendor",
    "schema",
)
SIGLUM_REF = re.compile(r"(^|[#\s])([A-Z])(?=\.|$|\s)")
FILE_REF = re.compile(r"\b([a-z][a-z-]*)\.xml\b")


def permutation(copy: int) -> dict[int, str]:
    """The translate table of copy `copy` (0: identity): letters (case kept) and digits permuted."""
    if copy == 0:
        return {}
    rng = random.Random(copy)
    lower, digits = list(string.ascii_lowercase), list(string.digits)
    rng.shuffle(lower)
    rng.shuffle(digits)
    table = {ord(a): b for a, b in zip(string.ascii_lowercase, lower)}
    table |= {ord(a.upper()): b.upper() for a, b in zip(string.ascii_lowercase, lower)}
    table |= {ord(a): b for a, b in zip(string.digits, digits)}
    return table


WORD = re.compile(r"[^\W_]+")
TAG_DIGITS = "qxz"  # a copy's tag: "j" and its number in base 3 with these letters (5 → "jxz")


def tag(copy: int) -> str:
    """Suffix-free: no tag ends another (each starts with the one "j" it holds), so that a word of
    one copy is never a word of another."""
    out = ""
    while True:
        copy, digit = divmod(copy, len(TAG_DIGITS))
        out = TAG_DIGITS[digit] + out
        if not copy:
            return "j" + out


def scramble(text: str, copy: int) -> str:
    """The text of copy `copy` (0: as it is): letters and digits permuted, and every word and figure
    ending in the copy's tag. A permutation alone lets copies share evidence after all: it maps a
    word or number of one copy onto a word or number of another (4410 → 1937), which the detector
    rightly pairs, a number of pairs that grows with the square of the copies."""
    if copy == 0:
        return text
    return WORD.sub(lambda m: m.group() + tag(copy), text.translate(permutation(copy)))


def rename(value: str, copy: int, stems: set[str]) -> str:
    value = SIGLUM_REF.sub(lambda m: f"{m.group(1)}{m.group(2)}{copy}", value)
    return FILE_REF.sub(
        lambda m: f"{m.group(1)}-{copy}.xml" if m.group(1) in stems else m.group(0), value
    )


def copy_tei(text: bytes, copy: int, stems: set[str]) -> bytes:
    """A witness's TEI as copy `copy`: ids and references renamed, the text of <text> permuted."""
    root = etree.fromstring(text)
    for el in root.iter():
        for name, value in el.attrib.items():
            el.set(name, rename(value, copy, stems))
    body = root.find(f"{TEI_NS}text")
    for el in body.iter() if body is not None else []:
        if isinstance(el.tag, str) and el.text:
            el.text = scramble(el.text, copy)
        if el is not body and el.tail:
            el.tail = scramble(el.tail, copy)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def make(scale: int, out: Path) -> Path:
    """The project folder of the corpus `scale`× (made once; reused while it exists)."""
    if (out / ".complete").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name in COPIED:
        if (ROOT / name).exists():
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(
                ROOT / name,
                out / name,
                **({"ignore": shutil.ignore_patterns("edition")} if name == "docs" else {}),
            )
    (out / "sources").mkdir()
    (out / "tei").mkdir()
    for name in (
        "excerpts.yml",
        "published-ids.tsv",
        "redirects.yml",
        "suspects-allow.yml",
        "transliterations.yml",
    ):
        shutil.copy(ROOT / "sources" / name, out / "sources" / name)
    shutil.copy(ROOT / "tei" / "apparatus.xml", out / "tei" / "apparatus.xml")
    data = yaml.safe_load((ROOT / "sources" / "witnesses.yml").read_text(encoding="utf-8"))
    stems = {w["tei"].removesuffix(".xml") for w in data["witnesses"]}
    entries = []
    for copy in range(scale):
        for w in data["witnesses"]:
            entry = json.loads(json.dumps(w))
            source = (ROOT / "sources" / w["file"]).read_bytes()
            tei = (ROOT / "tei" / w["tei"]).read_bytes()
            if copy:
                stem = w["tei"].removesuffix(".xml")
                source = scramble(source.decode("utf-8"), copy).encode("utf-8")
                entry.update(
                    siglum=f"{w['siglum']}{copy}",
                    file=f"{stem}-{copy}.txt",
                    tei=f"{stem}-{copy}.xml",
                    sha256=hashlib.sha256(source).hexdigest(),
                    short=f"{w.get('short', stem)} [copy {copy}]",
                )
                entry["stance_evidence"] = [
                    rename(i, copy, stems) for i in w.get("stance_evidence") or []
                ]
                entry.pop("bibkey", None)
                tei = copy_tei(tei, copy, stems).replace(
                    w["sha256"].encode(), entry["sha256"].encode()
                )
                tei = tei.replace(
                    f"sources/{w['file']}".encode(), f"sources/{entry['file']}".encode()
                )
            (out / "sources" / entry["file"]).write_bytes(source)
            # in canonical layout, as an editor commits it (`edition fmt`): a permuted text breaks
            # into sentences elsewhere, which the check would report
            (out / "tei" / entry["tei"]).write_bytes(fmt.canonical(tei) if copy else tei)
            entries.append(entry)
    (out / "sources" / "witnesses.yml").write_text(
        yaml.safe_dump({"witnesses": entries}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    (out / ".complete").write_text("")
    return out


def run(argv: list[str], cwd: Path) -> dict:
    """Run a command; wall time and the child's peak RSS (its own, from wait4)."""
    start = time.perf_counter()
    with open(cwd / "bench.log", "ab") as log:
        process = subprocess.Popen(
            argv, cwd=cwd, stdout=log, stderr=log, env={**os.environ, "EDITION_PUBLISH_ALL": "1"}
        )
        _, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed in {cwd} (exit {code}): see {cwd / 'bench.log'}")
    return {
        "s": time.perf_counter() - start,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
        "exit": code,
    }


def html_sizes(site: Path) -> dict:
    pages = list(site.rglob("*.html"))
    getty = site / "edition" / "getty" / "G.c1" / "index.html"
    return {
        "pages": len(pages),
        "html_mib": sum(p.stat().st_size for p in pages) / 2**20,
        "getty_c1_kb": getty.stat().st_size / 1024 if getty.exists() else 0.0,
    }


STEPS = ("build", "check", "detect")


def repeated(argv: list[str], cwd: Path, runs: int) -> dict:
    """`run` `runs` times: the median wall and CPU times, the highest peak, each run's wall time."""
    import statistics

    got = [run(argv, cwd) for _ in range(max(1, runs))]
    return {
        "s": statistics.median(g["s"] for g in got),
        "cpu_s": statistics.median(g["cpu_s"] for g in got),
        "peak_mib": max(g["peak_mib"] for g in got),
        "exit": got[-1]["exit"],
        "runs_s": [round(g["s"], 3) for g in got],
    }


def measure(scale: int, steps: tuple[str, ...] = STEPS) -> dict:
    folder = make(scale, ROOT / "build" / "scale" / f"{scale}x")
    row = {"scale": scale, "witnesses": 5 * scale}
    runs = int(os.environ.get("EDITION_BENCH_RUNS_1X", "3")) if scale == 1 else 1
    if "build" in steps:
        for stale in ("site", "build", "docs/edition"):
            shutil.rmtree(folder / stale, ignore_errors=True)
        row["build"] = run(
            [
                EDITION,
                "--root",
                str(folder),
                "build",
                "--publish-all",
                "--skip-check",
                "--no-downloads",
            ],
            folder,
        )
        row |= html_sizes(folder / "site")
    if "check" in steps:
        row["check"] = repeated(
            [EDITION, "--root", str(folder), "check", "--no-cache"], folder, runs
        )
    if "detect" in steps:
        row["detect"] = repeated(
            [EDITION, "--root", str(folder), "apparatus", "detect", "--dry-run"], folder, runs
        )
    row["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return row


def table(rows: list[dict]) -> str:
    one = rows[0]
    steps = [s for s in STEPS if s in one]
    lines = [
        f"{'scale':>5} {'wit.':>5} {'pages':>6} {'HTML MiB':>9} {'G.c1 KB':>8} "
        + " ".join(f"{s + ' s (ratios to 1×, peak MiB)':>40}" for s in steps)
        + "  load"
    ]
    for r in rows:
        cells = []
        for step in steps:
            ratio = r[step]["s"] / one[step]["s"] if one[step]["s"] else 0
            cpu = r[step]["cpu_s"] / one[step]["cpu_s"] if one[step]["cpu_s"] else 0
            cells.append(
                f"{r[step]['s']:7.1f} ({ratio:4.1f}× wall "
                f"{cpu:4.1f}× CPU, {r[step]['peak_mib']:5.0f})".rjust(40)
            )
        lines.append(
            f"{r['scale']:>4}× {r['witnesses']:>5} {r.get('pages', 0):>6} "
            f"{r.get('html_mib', 0):>9.1f} {r.get('getty_c1_kb', 0):>8.1f} "
            + " ".join(cells)
            + f"  {r.get('load_average', '')}"
        )
    lines.append(
        "goals: each ratio ≤ 1.1 × the scale; G.c1 within 10% "
        "of 1×; HTML MiB linear; detection peak < 1 GiB at 50×"
    )
    return "\n".join(lines)


def edit_one_word(folder: Path, run: int) -> str:
    """Change one word of the last witness's TEI (a different one each run); return the file."""
    wits = yaml.safe_load((folder / "sources" / "witnesses.yml").read_text(encoding="utf-8"))[
        "witnesses"
    ]
    tei = folder / "tei" / wits[-1]["tei"]
    text = tei.read_text(encoding="utf-8")
    body = text.index("<p ", text.index("<body"))
    words = list(re.finditer(r"(?<= )[^\W\d_]{5,}(?= )", text[body : body + 20000]))
    word = words[run % len(words)]
    at, end = body + word.start(), body + word.end()
    tei.write_text(text[:at] + word.group(0).swapcase() + text[end:], encoding="utf-8")
    return tei.name


def incremental(runs: int = 3) -> dict:
    """A one-word edit to one witness: `edition build` (site, offline copy, zip and the PDFs that
    read the witness) against the HTML alone (`--no-downloads`), each in its own copy of the
    edition with its own build/out, after a cold build of each; `runs` edits, medians."""
    import statistics

    folders = {}
    for kind in ("full", "html"):
        folder = ROOT / "build" / "scale" / f"incremental-{kind}"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(
            make(1, ROOT / "build" / "scale" / "1x"),
            folder,
            ignore=shutil.ignore_patterns("site", "build", "edition", "bench.log"),
        )
        folders[kind] = folder
    argv = {
        "full": ["--publish-all", "--skip-check"],
        "html": ["--publish-all", "--skip-check", "--no-downloads"],
    }
    times: dict[str, list[dict]] = {"full": [], "html": []}
    for kind, folder in folders.items():
        run([EDITION, "--root", str(folder), "build", *argv[kind]], folder)  # cold: fills build/out
    for i in range(runs):
        for kind, folder in folders.items():
            edit_one_word(folder, i)
            times[kind].append(run([EDITION, "--root", str(folder), "build", *argv[kind]], folder))
            print(f"incremental run {i + 1} {kind}: {times[kind][-1]}", file=sys.stderr, flush=True)
    med = {
        k: {m: statistics.median(t[m] for t in v) for m in ("s", "cpu_s")} for k, v in times.items()
    }
    return {
        "runs": runs,
        "median": med,
        "all": times,
        "ratio_wall": med["full"]["s"] / med["html"]["s"],
        "ratio_cpu": med["full"]["cpu_s"] / med["html"]["cpu_s"],
    }


def main(argv: list[str]) -> None:
    if argv[:1] == ["incremental"]:
        result = incremental(int(argv[1]) if len(argv) > 1 else 3)
        m = result["median"]
        print(
            f"one-word edit, median of {result['runs']}: edition build {m['full']['s']:.1f} s "
            f"({m['full']['cpu_s']:.1f} s CPU), HTML only "
            f"{m['html']['s']:.1f} s ({m['html']['cpu_s']:.1f} s CPU): "
            f"{result['ratio_wall']:.2f}× wall, {result['ratio_cpu']:.2f}× CPU (goal ≤ 1.5×)"
        )
        (ROOT / "bench" / "results").mkdir(exist_ok=True)
        (ROOT / "bench" / "results" / "incremental.json").write_text(
            json.dumps(result, indent=2) + "\n", encoding="utf-8"
        )
        return
    scales = [int(s) for s in (argv or os.environ.get("EDITION_BENCH_SCALES", "1 10").split())]
    steps = tuple(os.environ.get("EDITION_BENCH_STEPS", " ".join(STEPS)).split())
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        raise SystemExit(
            f"EDITION_BENCH_STEPS: unknown step {', '.join(unknown)}. "
            f"Use some of: {' '.join(STEPS)}. [bench.steps]"
        )
    rows = []
    for scale in scales:
        rows.append(measure(scale, steps))
        print(f"{scale}×: {json.dumps(rows[-1])}", file=sys.stderr, flush=True)
    print(table(rows))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "scale.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
