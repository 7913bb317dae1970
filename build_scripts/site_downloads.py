"""The downloads of the site (site/downloads/): the PDFs and the offline edition.

`edition build` starts them beside its own MkDocs run, each in a child process (the machine's other
core does the work while MkDocs builds the site):
  - `pdfs`: the whole edition and one PDF per witness (build_scripts.pdf.build_witnesses) and the
    sample course pack (courses/sample.yml), with the site's publication settings (EDITION_PUBLISH_ALL
    as the site build was asked);
  - `offline`: a second MkDocs build of the same staged Markdown with Material's offline plugin on
    (page.html URLs, the search index inlined in a script), zipped.
`finish` then puts the PDFs into both sites and adds them to the zip.

The site's sample course pack honours sources/excerpts.yml as the site does: a passage of a witness
published in excerpts is reduced to the listed passages inside it (build_scripts.pdf.build_course
itself prints every passage named, which is right for a teacher's own copy, not for the public site).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from build_scripts.problems import Location, Problem

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
        process = subprocess.Popen([sys.executable, "-m", "build_scripts.site_downloads", name, *args],
                                   cwd=Path(__file__).resolve().parent.parent, env={**os.environ, **env},
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


# --- the sample course pack, as the site may publish it ------------------------------------------------
def published_course(course: Path, everything: bool, out: Path) -> Path:
    """courses/sample.yml with each passage of a witness published in excerpts reduced to the
    listed passages inside it (in document order); other passages are kept as they are."""
    from build_scripts import pdf, witnesses as manifest

    if everything:
        return course
    data = yaml.safe_load(course.read_text(encoding="utf-8"))
    wits = {w.siglum: w for w in manifest.load()[0]}
    keep = pdf.excerpts()
    passages = []
    for spec in data.get("passages", []):
        w = wits.get(spec.get("witness"))
        if w is None or w.fact("publication") != "excerpts":
            passages.append(spec)
            continue
        passages += [{"witness": w.siglum, "id": i} for i in listed_inside(w, spec, keep.get(w.siglum, frozenset()))]
    data["passages"] = passages
    data["subtitle"] = (data.get("subtitle") or "") + " (as published on the site: excerpts of some witnesses)"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def listed_inside(witness, spec: dict, listed: frozenset[str]) -> list[str]:
    from build_scripts import pdf, teixml
    from build_scripts.teixml import XML_ID

    doc, _ = teixml.parse(witness.tei_path)
    if doc is None:
        return []
    if "from" in spec:
        first, last = pdf._by_id(doc, str(spec["from"])), pdf._by_id(doc, str(spec.get("to", spec["from"])))
        blocks = pdf.passage_range(doc, first, last) if first is not None and last is not None else []
    else:
        el = pdf._by_id(doc, str(spec.get("div") or spec.get("id")))
        blocks = [el] if el is not None else []
    found: list[str] = []
    for block in blocks:
        for el in block.iter():
            ident = el.get(XML_ID) if isinstance(el.tag, str) else None
            if ident in listed and not any(a.get(XML_ID) in found for a in el.iterancestors()):
                found.append(ident)  # a listed element is printed whole, with what it holds
    return found


# --- the children ------------------------------------------------------------------------------------
def pdfs_main(out_dir: Path, work: Path) -> int:
    from build_scripts import pdf
    from build_scripts.problems import Failed

    pdf.WORK = work  # a private Typst work folder: builds running side by side do not share files
    everything = pdf.publish_all()
    try:
        _, problems = pdf.build_witnesses(None, out_dir)
        with tempfile.TemporaryDirectory() as tmp:
            course = published_course(Path(SAMPLE_COURSE).resolve(), everything, Path(tmp) / "sample.yml")
            _, course_problems = pdf.build_course(course, out_dir)  # course-sample.pdf
            problems += course_problems
    except Failed as failed:
        problems = failed.problems
    errors = [p for p in problems if p.severity == "error"]
    for p in errors:
        print(p, file=sys.stderr)
    return 1 if errors else 0


def offline_main(docs: Path, site_dir: Path) -> int:
    from build_scripts import site, site_build

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
