"""The edition's settings, read in one place with one meaning everywhere.

    publish_all  every witness in full, whatever sources/witnesses.yml says (editors' previews,
                 tests of the full text). Environment: EDITION_PUBLISH_ALL = 1/true/yes/on or
                 0/false/no/off (empty = off); `edition build --all` sets it for the command.
    site_url     the public address the permalinks and citations start with: EDITION_SITE_URL, else
                 mkdocs.yml's `site_url`, else the default below. The offline copy cites it too.
    offline      the build is the copy readable from file:// (set by the build for its second pass).

Every stage asks `settings()`; nothing else reads these variables.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from build_scripts.project.paths import ROOT

PUBLISH_ALL_ENV = "EDITION_PUBLISH_ALL"
SITE_URL_ENV = "EDITION_SITE_URL"
OFFLINE_ENV = "EDITION_OFFLINE"
DEFAULT_SITE_URL = "https://purges-edition.github.io/edition/"
TRUE = ("1", "true", "yes", "on")
FALSE = ("", "0", "false", "no", "off")


class SettingError(ValueError):
    """A setting with a value that means nothing (said in one line by the CLI)."""


def flag(name: str, value: str | None) -> bool:
    """One meaning for every yes/no setting: `=false` is false everywhere."""
    text = (value or "").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise SettingError(f"{name}={value!r} is neither yes nor no. Set it to 1 or 0. [settings.flag]")


@dataclass(frozen=True)
class Settings:
    publish_all: bool = False
    site_url: str = DEFAULT_SITE_URL
    offline: bool = False

    def permalink(self, url: str) -> str:
        """A site-relative URL as the public, citable address."""
        return self.site_url.rstrip("/") + "/" + url.lstrip("/")


def configured_site_url(root: Path = ROOT) -> str | None:
    """`site_url:` of mkdocs.yml, read as text (the file holds MkDocs' !!python tags)."""
    config = root / "mkdocs.yml"
    if not config.exists():
        return None
    found = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", config.read_text(encoding="utf-8"), re.M)
    return found.group(1) if found else None


def settings(root: Path = ROOT, env: dict | None = None) -> Settings:
    env = os.environ if env is None else env
    url = env.get(SITE_URL_ENV) or configured_site_url(root) or DEFAULT_SITE_URL
    return Settings(
        publish_all=flag(PUBLISH_ALL_ENV, env.get(PUBLISH_ALL_ENV)),
        site_url=url.rstrip("/") + "/",
        offline=flag(OFFLINE_ENV, env.get(OFFLINE_ENV)),
    )
