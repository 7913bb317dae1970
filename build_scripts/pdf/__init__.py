"""The PDFs: TEI model → Typst → PDF (whole edition, per witness, course packs)."""
