"""Where the edition is and what it is made of: paths, the witness manifest, settings."""

from build_scripts.project.paths import Project

__all__ = ["Project"]
