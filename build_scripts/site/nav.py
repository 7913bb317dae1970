"""The navigation of the generated pages, sized so that a page does not grow with the corpus.

`edition/_nav.yml` lists every witness and its chapters (the engine needs every page in its nav for
prev/next links and the breadcrumbs), but a page shows only its own witness: the Texts section of
each page (overrides/partials/nav.html → partials/nav-texts.html) holds the Texts page
(edition/index.md: every witness, written here) and the section of the witness the reader is in.
"""

from __future__ import annotations

import re

from build_scripts.project.witnesses import Witness
from build_scripts.site import landing

TEXTS_PAGE = "edition/index.md"


def texts_page(witnesses: list[Witness], available: set[str]) -> str:
    """edition/index.md: the way to every witness (the home page's list, its links made
    relative)."""
    listing = re.sub(r"\]\(edition/", "](", landing.home_witnesses(witnesses, available))
    return (
        "# Texts\n\nEvery witness of the edition, with its page of facts and contents; "
        "the navigation of a text shows that text's chapters.\n\n" + listing
    )


def with_texts_page(nav: list) -> list:
    """The Texts section of landing.nav with the Texts page as its index (first child)."""
    out = []
    for entry in nav:
        if isinstance(entry, dict) and "Texts" in entry:
            entry = {"Texts": [TEXTS_PAGE, *entry["Texts"]]}
        out.append(entry)
    return out
