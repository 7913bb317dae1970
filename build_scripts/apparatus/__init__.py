"""The critical apparatus: reuse detection, claims, citation checks, export and site pages.

Stages: edition (TEI → passages) → detect / citations / claims (→ loci) → store (tei/apparatus.xml)
→ export (JSON Lines) and render (Markdown pages for the site). `check` verifies the apparatus.
"""

from build_scripts.apparatus.integrity import check

__all__ = ["check"]
