"""The downloads of the site (site/downloads/): the PDFs, each made in a child process
(build_scripts.publish.build starts only those whose inputs changed, see outputs.py), and the zip:
  - `pdf NAME`: one PDF: a witness's (build_scripts.pdf.build.build_witnesses) or the whole edition;
    `courses`: the course packs (every courses/*.yml), each with the site's publication settings
    (EDITION_PUBLISH_ALL as the site build was asked);
`Runner` runs them at most as many at a time as the machine has cores; `make_zip` zips the offline
copy (build_scripts.publish.offline derives it from the online HTML) with the PDFs in its
downloads/.

The course packs honour sources/excerpts.yml as the site does (build_scripts.pdf.build.build_course
reduces a passage of a witness published in excerpts to the listed passages inside it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path


from build_scripts.problems import Location, Problem
from build_scripts.project.paths import ROOT

ZIP_FOLDER = "purges-edition"  # the folder the offline zip unpacks into
NOT_OFFLINE = {
    "404.html",
    "sitemap.xml",
    "sitemap.xml.gz",  # a web server's files: no use from file://
    "search/search_index.json",
}  # offline search reads search/search_index.js


@dataclass
class Job:
    name: str
    output: str  # the output it makes (outputs.keys): "pdf:getty.pdf", "courses"
    argv: list[str]
    env: dict[str, str]
    result: Path  # the file or folder it writes
    log: Path
    root: Path = ROOT  # the edition it reads (a project outside the code's tree: its own folder)
    process: subprocess.Popen | None = None
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    def run(self) -> None:
        import time

        start = time.perf_counter()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w", encoding="utf-8") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "build_scripts.publish.downloads", *self.argv],
                cwd=self.root,
                env={**os.environ, "EDITION_ROOT": str(self.root), **self.env},
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        code = self.process.wait()
        self.seconds = time.perf_counter() - start
        if code != 0:
            lines = [
                l
                for l in self.log.read_text(encoding="utf-8", errors="replace").splitlines()
                if l.strip()
            ]
            self.problems = [
                Problem(
                    Location("edition build"),
                    f"the {self.name} could not be made: {l}",
                    "Fix the problem it names (or run the step alone to see it)",
                    "site.downloads",
                )
                for l in lines[-20:] or [f"(exit {code}, no message)"]
            ]


class Runner:
    """Run jobs in the background, at most `workers` (default: the machine's cores) at a time."""

    def __init__(self, jobs: list[Job], workers: int | None = None):
        self.jobs = jobs
        self.slots = threading.Semaphore(workers or os.cpu_count() or 1)
        self.threads: list[threading.Thread] = []
        self.stopped = False

    def _run(self, job: Job) -> None:
        with self.slots:
            if not self.stopped:
                job.run()

    def start(self) -> None:
        for job in self.jobs:
            thread = threading.Thread(target=self._run, args=(job,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def wait(self) -> list[Job]:
        for thread in self.threads:
            thread.join()
        return self.jobs

    def stop(self) -> None:
        self.stopped = True
        for job in self.jobs:
            if job.process is not None and job.process.poll() is None:
                job.process.kill()
        self.wait()


def start_pdf(name: str, work: Path, everything: bool, root: Path = ROOT) -> Job:
    """A job making the PDF `name` (e.g. getty.pdf, edition.pdf, course-sample.pdf) in `work`."""
    out = work / "pdf" / name
    return Job(
        f"PDF {name}",
        f"pdf:{name}",
        ["pdf", name, str(out), str(work / f"typst-{name}")],
        {"EDITION_PUBLISH_ALL": "1" if everything else "0"},
        out,
        work / f"{name}.log",
        root,
    )


def start_courses(work: Path, everything: bool, root: Path = ROOT) -> Job:
    """A job making every course pack of courses/ into the folder `work`/courses."""
    out = work / "courses"
    return Job(
        "course packs",
        "courses",
        ["courses", str(out), str(work / "typst-courses")],
        {"EDITION_PUBLISH_ALL": "1" if everything else "0"},
        out,
        work / "courses.log",
        root,
    )


def make_zip(offline_dir: Path, pdfs: list[Path], zip_path: Path) -> int:
    """The offline site zipped, with the PDFs in its downloads/ (placeholders replaced)."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    by_name = {p.name: p for p in pdfs}
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(offline_dir.rglob("*")):
            rel = path.relative_to(offline_dir).as_posix()
            if (
                not path.is_file() or rel in NOT_OFFLINE or path.suffix == ".map"
            ):  # source maps: for developers
                continue
            if rel.startswith("downloads/"):
                if path.name not in by_name:
                    continue  # the zip itself (a placeholder here)
                path = by_name[path.name]
            stored = path.suffix in (".pdf", ".gz", ".png", ".jpg", ".woff2")  # compressed already
            archive.write(
                path, f"{ZIP_FOLDER}/{rel}", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            )
    return zip_path.stat().st_size


# --- the children -------------------------------------------------------------------------------
def pdf_main(name: str, out: Path, work: Path) -> int:
    from build_scripts.pdf import build as pdf
    from build_scripts.problems import Failed
    from build_scripts.project import witnesses as manifest

    pdf.WORK = work  # a private Typst work folder: builds running side by side do not share files
    made = None
    try:
        if name == "courses":
            # every course of courses/ (course-<name>.pdf): withheld text becomes a notice unless
            # EDITION_PUBLISH_ALL is set
            _, problems = pdf.build_courses(out)
            made = out
        elif name == "edition.pdf":
            docs, problems = pdf.load_docs()
            order = [w.siglum for w in manifest.load()[0]]  # the order of sources/witnesses.yml
            passages = [pdf.whole(*docs[s]) for s in order if s in docs]
            source, more, keys = pdf.document_typst(pdf.edition_title(len(passages)), passages)
            made, problems = (
                pdf.compile_pdf("edition", source + pdf.bibliography_typst(keys), out.parent),
                problems + more,
            )
        else:
            wits, _ = manifest.load()
            sigla = [w.siglum for w in wits if w.tei.removesuffix(".xml") + ".pdf" == name]
            written, problems = pdf.build_witnesses(sigla, out.parent)
            made = written[0] if written else None
    except Failed as failed:
        problems = failed.problems
    errors = [p for p in problems if p.severity == "error"]
    for p in errors:
        print(p, file=sys.stderr)
    if made is not None and made != out and not errors:
        Path(made).replace(out)
    return 1 if errors or not out.exists() else 0


def main(argv: list[str]) -> int:
    command, *rest = argv
    try:
        return pdf_main(rest[0] if command == "pdf" else "courses", Path(rest[-2]), Path(rest[-1]))
    except Exception as err:  # noqa: BLE001  (reported by the parent as one problem line)
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
