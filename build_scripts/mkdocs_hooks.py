"""MkDocs hooks of the edition: nav of the generated pages, edit links to the TEI, search variants.

The hooks never write into docs/ (the Markdown is written by `edition render` beforehand); they
only read docs/edition/_nav.yml, point "Edit this page" at the source a page is made from, and
post-process the search index in site/.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files

from build_scripts import search_variants

log = get_plugin_logger("edition")
GENERATED = "edition/"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Insert the generated pages' navigation after the hand-written entries of mkdocs.yml."""
    nav_file = Path(config.docs_dir) / "edition" / "_nav.yml"
    if nav_file.exists() and config.nav is not None:
        generated = yaml.safe_load(nav_file.read_text(encoding="utf-8")) or []
        config.nav = list(config.nav) + generated
    return config


def source_of(src_uri: str) -> str:
    """The file in the repository a page is made from (repository-relative)."""
    if src_uri.startswith(GENERATED):
        parts = src_uri[len(GENERATED):].split("/")
        if len(parts) > 1:
            return f"tei/{parts[0]}.xml"
        if parts[0] == "bibliography.md":
            return "references.bib"
        return "tei/apparatus.xml" if parts[0].startswith("apparatus") else "sources/witnesses.yml"
    return f"docs/{src_uri}"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in files.documentation_pages():
        file.edit_uri = source_of(file.src_uri)
    return files


def on_post_build(config: MkDocsConfig) -> None:
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.exists():
        return
    groups = search_variants.listed_groups(Path(config.config_file_path).parent / "sources" / "transliterations.yml")
    index = json.loads(path.read_text(encoding="utf-8"))
    added = search_variants.augment(index, groups)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    log.debug(f"search index: {added} transliteration variants added")
