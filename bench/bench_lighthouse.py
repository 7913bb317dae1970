"""Lighthouse mobile scores of the built site (goals: performance >= 95; accessibility, best
practices, SEO 100), median of three runs per page. Needs `npm install -g lighthouse` and Debian's
chromium; skipped when lighthouse is absent. EDITION_BENCH_SITE=DIR measures another built site than
site/. The site is served with gzip (bench/serve_gzip.py), as a static host serves it; build it
first (`edition build`)."""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    "/",
    "/edition/getty/G.c6/",
    "/edition/martens/M.body/",
    "/edition/khlevnyuk/K.art/",
    "/edition/apparatus/",
)
RUNS = 3  # Lighthouse's scores vary from run to run: the median of three is reported
SITE = Path(
    os.environ.get("EDITION_BENCH_SITE", ROOT / "site")
)  # another built site, e.g. a test build


def run_once(page: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "lh.json"
        subprocess.run(
            [
                "lighthouse",
                f"http://127.0.0.1:8799{page}",
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--chrome-flags=--headless --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
            check=True,
            capture_output=True,
            timeout=300,
        )
        data = json.loads(report.read_text())
    scores = {k: round(v["score"] * 100) for k, v in data["categories"].items()}
    failing = sorted(
        {
            ref["id"]
            for cat in data["categories"].values()
            for ref in cat["auditRefs"]
            if ref.get("weight")
            and (data["audits"][ref["id"]].get("score") or 0) < 1
            and data["audits"][ref["id"]].get("scoreDisplayMode") == "binary"
        }
    )
    return {"scores": scores, "failing": failing}


def scores() -> dict:
    if shutil.which("lighthouse") is None or not (SITE / "index.html").exists():
        return {"skipped": "needs lighthouse (npm) and a built site/"}
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "serve_gzip.py"), str(SITE), "8799"]
    )
    time.sleep(1)
    out = {}
    try:
        for page in PAGES:
            runs = [run_once(page) for _ in range(RUNS)]
            out[page] = {
                k: statistics.median(r["scores"][k] for r in runs) for k in runs[0]["scores"]
            }
            out[page]["failing audits"] = sorted({a for r in runs for a in r["failing"]})
    finally:
        server.terminate()
    return out


CASES = [("lighthouse mobile scores (gzip-served site)", scores)]
