"""Plain-text transcriptions → TEI. One module per transcription style (see STYLES)."""

from __future__ import annotations

import importlib

# style name in sources/witnesses.yml → module here exposing convert(SourceText, Tables);
# what one witness needs beyond its style is its tables, sources/import/<siglum>.yml (tables.py)
STYLES = {
    "latex2html": "latex2html",  # LaTeX2HTML text, citations as paragraphs
    "markdown": "markdown",  # Markdown with HTML tables
    "ocr": "ocr",  # OCR of a chapter: footnotes at page feet, furniture
    "book": "book",  # contents list, superscript markers, ENDNOTES
    "monograph": "monograph",  # whole book: per-chapter notes, tables, index
    "plain": "plain",  # plain text or simple Markdown: paragraphs and # headings (a new witness)
}


def converter(style: str):
    return importlib.import_module(f"build_scripts.importers.{STYLES[style]}").convert
