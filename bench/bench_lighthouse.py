"""Lighthouse mobile scores of the built site (goals: performance >= 95; accessibility, best practices,
SEO 100). Needs `npm install -g lighthouse` and Debian's chromium; skipped when lighthouse is absent.
The site is served with gzip (bench/serve_gzip.py), as a static host serves it; build it first
(`edition build`)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("/", "/edition/getty/G.c6/", "/edition/apparatus/")


def scores() -> dict:
    if shutil.which("lighthouse") is None or not (ROOT / "site" / "index.html").exists():
        return {"skipped": "needs lighthouse (npm) and a built site/"}
    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "serve_gzip.py"), str(ROOT / "site"), "8799"])
    time.sleep(1)
    out = {}
    try:
        for page in PAGES:
            with tempfile.TemporaryDirectory() as tmp:
                report = Path(tmp) / "lh.json"
                subprocess.run(["lighthouse", f"http://127.0.0.1:8799{page}", "--quiet", "--output=json", f"--output-path={report}",
                                "--only-categories=performance,accessibility,best-practices,seo",
                                "--chrome-flags=--headless --no-sandbox --disable-gpu"],
                               env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True, capture_output=True, timeout=300)
                data = json.loads(report.read_text())
                out[page] = {k: round(v["score"] * 100) for k, v in data["categories"].items()}
    finally:
        server.terminate()
    return out


CASES = [("lighthouse mobile scores (gzip-served site)", scores)]
