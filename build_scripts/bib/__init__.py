"""The bibliography: references.bib, its formatter, and the citation linker."""
