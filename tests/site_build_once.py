"""The site built once per test process (publishing everything) and shared by test_site and
test_browser."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from build_scripts.site import render as site
from build_scripts.publish import build as site_build


@functools.lru_cache(maxsize=1)
def built_site() -> tuple[Path, site_build.BuildResult]:
    out = Path(tempfile.mkdtemp(prefix="edition-site-")) / "site"
    result = site_build.build(
        site.Project(), everything=True, site_dir=out, check=False, keep_markdown=False
    )
    return out, result
