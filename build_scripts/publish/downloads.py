"""The downloads of the site (site/downloads/): the PDFs and the offline edition.

`edition build` starts them beside its own MkDocs run, each in a child process (the machine's other
core does the work while MkDocs builds the site):
  - `pdfs`: the whole edition and one PDF per witness (build_scripts.pdf.build.build_witnesses) and the
    course packs (every courses/*.yml), with the site's publication settings (EDITION_PUBLISH_ALL
    as the site build was asked);
  - `offline`: a second MkDocs build of the same staged Markdown with Material's offline plugin on
    (page.html URLs, the search index inlined in a script), zipped.
`finish` then puts the PDFs into both sites and adds them to the zip.

The course packs honour sources/excerpts.yml as the site does (build_scripts.pdf.build.build_course
reduces a passage of a witness published in excerpts to the listed passages inside it).
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path


from build_scripts.problems import Location, Problem
from build_scripts.project.paths import ROOT

SAMPLE_COURSE = "courses/sample.yml"
ZIP_FOLDER = "purges-edition"  # the folder the offline zip unpacks into
NOT_OFFLINE = {"404.html", "sitemap.xml", "sitemap.xml.gz",  # a web server's files: no use from file://
               "search/search_index.json"}  # offline search reads search/search_index.js


@dataclass
class Job:
    name: str
    process: subprocess.Popen
    log: Path

    def wait(self) -> list[Problem]:
        """Wait for the child; its problems (one per stderr line) if it failed."""
        code = self.process.wait()
        if code == 0:
            return []
        lines = [l for l in self.log.read_text(encoding="utf-8", errors="replace").splitlines() if l.strip()]
        return [Problem(Location("edition build"), f"the {self.name} could not be made: {l}", "Fix the problem it names (or run the step alone to see it)", f"site.{self.name}")
                for l in lines[-20:] or ["(no message)"]]


def start(name: str, args: list[str], work: Path, env: dict[str, str]) -> Job:
    log = work / f"{name}.log"
    with log.open("w", encoding="utf-8") as err:
        process = subprocess.Popen([sys.executable, "-m", "build_scripts.publish.downloads", name, *args],
                                   cwd=ROOT, env={**os.environ, "EDITION_ROOT": str(ROOT), **env},
                                   stdout=subprocess.DEVNULL, stderr=err)
    return Job(name, process, log)


def start_pdfs(out_dir: Path, everything: bool, work: Path) -> Job:
    return start("pdfs", [str(out_dir), str(work / "typst")], work, {"EDITION_PUBLISH_ALL": "1" if everything else "0"})


def start_offline(docs: Path, site_dir: Path, work: Path) -> Job:
    return start("offline", [str(docs), str(site_dir)], work, {})


def finish(pdf_dir: Path, site_dir: Path, offline_dir: Path, zip_path: Path) -> int:
    """PDFs into site/downloads/ of both sites; the offline site zipped (without the zip itself)."""
    pdfs = sorted(pdf_dir.glob("*.pdf"))
    for target in (site_dir / "downloads", offline_dir / "downloads"):
        target.mkdir(parents=True, exist_ok=True)
        for pdf in pdfs:
            (target / pdf.name).write_bytes(pdf.read_bytes())
    (offline_dir / "downloads" / zip_path.name).unlink(missing_ok=True)
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(offline_dir.rglob("*")):
            rel = path.relative_to(offline_dir).as_posix()
            if path.is_file() and rel not in NOT_OFFLINE and path.suffix != ".map":  # source maps: for developers
                stored = path.suffix in (".pdf", ".gz", ".png", ".jpg", ".woff2")  # compressed already
                archive.write(path, f"{ZIP_FOLDER}/{path.relative_to(offline_dir).as_posix()}",
                              zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return zip_path.stat().st_size


# --- the children ------------------------------------------------------------------------------------
def pdfs_main(out_dir: Path, work: Path) -> int:
    from build_scripts.pdf import build as pdf
    from build_scripts.problems import Failed

    pdf.WORK = work  # a private Typst work folder: builds running side by side do not share files
    try:
        _, problems = pdf.build_witnesses(None, out_dir)
        # every course of courses/ (course-<name>.pdf): withheld text becomes a notice unless
        # EDITION_PUBLISH_ALL is set
        _, course_problems = pdf.build_courses(out_dir)
        problems += course_problems
    except Failed as failed:
        problems = failed.problems
    errors = [p for p in problems if p.severity == "error"]
    for p in errors:
        print(p, file=sys.stderr)
    return 1 if errors else 0


def offline_main(docs: Path, site_dir: Path) -> int:
    from build_scripts.site import render as site
    from build_scripts.publish import build as site_build

    problems = site_build.mkdocs_build(site.Project(), docs, site_dir, offline=True)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    command, *rest = argv
    try:
        if command == "pdfs":
            return pdfs_main(Path(rest[0]), Path(rest[1]))
        return offline_main(Path(rest[0]), Path(rest[1]))
    except Exception as err:  # noqa: BLE001  (reported by the parent as one problem line)
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
