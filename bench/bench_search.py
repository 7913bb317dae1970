"""Search benchmark: time to the first result on emulated slow 3G, and bytes transferred, for a
built site served with gzip (bench/serve_gzip.py), in Debian's chromium through Playwright.

Slow 3G is Chrome DevTools' throughput (500 kbit/s × 0.8 = 50,000 B/s down and up) with a 400 ms
round trip, set with CDP Network.emulateNetworkConditions; the cache is empty (a new context per
run). A run opens a page, waits for its load event ("typed at: load", the worst case) or until the
network has been idle for 0.5 s ("typed at: idle": a reader who opens a page and then searches; what
the engine preloads is loaded), then types the query into the search box key by key (150 ms apart)
and waits until the first result is on screen: the time reported is from the last key to that
result; the bytes are all the page loaded from navigation to the first result (and those after
typing). The engine is the one the built site carries: Pagefind (the online build of `edition
build`) or Material's lunr search (a plain `mkdocs build`, the offline copy's engine).

Run:  python bench/bench_search.py SITE_DIR [SITE_DIR …] [--queries Yezhov,00447] [--page /]
      python bench/run.py search          (builds the full-text site both ways, 1× and 10×)
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
QUERIES = ["Yezhov", "00447", "Zhdanov", "populist"]
KEY_MS = 150  # the query is typed key by key, 150 ms apart; the time is counted from the last key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(site: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "serve_gzip.py"), str(site), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port}"


def engine_of(site: Path) -> str:
    return (
        "pagefind"
        if (site / "pagefind" / "pagefind.js").exists()
        and "edition-search" in (site / "index.html").read_text(encoding="utf-8")
        else "material"
    )


def first_result(
    browser, url: str, query: str, engine: str, network: dict | None = SLOW_3G, when: str = "idle"
) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if network:
        cdp.send("Network.emulateNetworkConditions", network)
    sizes: dict[str, int] = {}
    started: dict[str, str] = {}
    phase = {"now": "page"}
    cdp.on("Network.requestWillBeSent", lambda e: started.__setitem__(e["requestId"], phase["now"]))
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(url, wait_until="load", timeout=300_000)
    if when == "idle":  # the reader searches once the page has settled (what it preloads, loaded)
        page.wait_for_load_state("networkidle", timeout=300_000)
    phase["now"] = "query"
    box = page.locator(
        "form[name='edition-search'] input" if engine == "pagefind" else "form[name='search'] input"
    )
    done = (
        ".edition-search .md-search-result__item .edition-search__title"
        if engine == "pagefind"
        else ".md-search-result__item"
    )
    t0 = page.evaluate("performance.now()")
    box.focus()
    box.press_sequentially(query, delay=KEY_MS)
    t0 = page.evaluate("performance.now()")  # from the last keystroke
    page.wait_for_selector(done, timeout=120_000)
    t1 = page.evaluate("performance.now()")
    title = page.locator(done).first.inner_text()
    page.wait_for_timeout(200)
    context.close()
    after = sum(v for k, v in sizes.items() if started.get(k) == "query")
    return {
        "ms": round(t1 - t0),
        "bytes": sum(sizes.values()),
        "bytes_after_typing": after,
        "first": title[:70],
    }


def bench(
    sites: list[Path],
    queries: list[str],
    path: str,
    network: dict | None = SLOW_3G,
    modes: tuple[str, ...] = ("idle", "load"),
) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        for site in sites:
            engine = engine_of(site)
            proc, base = serve(site)
            try:
                for when in modes:
                    runs = [
                        dict(
                            query=q, **first_result(browser, base + path, q, engine, network, when)
                        )
                        for q in queries
                    ]
                    rows.append(
                        {
                            "site": str(site),
                            "engine": engine,
                            "typed at": when,
                            "median_ms": statistics.median(r["ms"] for r in runs),
                            "max_ms": max(r["ms"] for r in runs),
                            "median_bytes": statistics.median(r["bytes"] for r in runs),
                            "median_bytes_before_typing": statistics.median(
                                r["bytes"] - r["bytes_after_typing"] for r in runs
                            ),
                            "runs": runs,
                        }
                    )
            finally:
                proc.terminate()
                proc.wait()
        browser.close()
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", type=Path)
    parser.add_argument("--queries", default=",".join(QUERIES))
    parser.add_argument("--page", default="/", help="the page the search starts from")
    parser.add_argument("--no-throttle", action="store_true", help="local network, no emulation")
    parser.add_argument("--modes", default="idle,load", help="when the query is typed: idle, load")
    args = parser.parse_args(argv)
    rows = bench(
        args.sites,
        args.queries.split(","),
        args.page,
        None if args.no_throttle else SLOW_3G,
        tuple(args.modes.split(",")),
    )
    print(json.dumps(rows, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
