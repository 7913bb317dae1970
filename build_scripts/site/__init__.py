"""The website: TEI model → Markdown pages for MkDocs, URLs, the ids registry, the hooks."""
