"""Problems found by any stage: where, what is wrong, how to fix it, and a stable code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return ":".join(str(x) for x in (self.path, self.line, self.column) if x is not None)


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str
    hint: str
    code: str
    severity: str = "error"  # "error" stops the stage's output; "warning" is reported only

    def __str__(self) -> str:
        text = f"{self.location}: {self.message.rstrip('.')}. {self.hint.rstrip('.')}."
        return f"{text} [{self.code}]"


def relpath(path: str | Path, root: Path | None = None) -> str:
    """A path as users see it: relative to the project root when it lies inside it."""
    p = Path(path)
    root = root or Path.cwd()
    try:
        return str(p.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(p)


class Failed(Exception):
    """Raised by a stage that cannot produce any output; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
