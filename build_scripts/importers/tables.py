"""sources/import/<siglum>.yml → the per-witness tables an importer reads (their one reader).

A style (build_scripts/importers/<style>.py) knows a kind of transcription; what reading one
witness established (its OCR misreadings, its block quotations, the works it cites, the paragraphs
of its editorial declaration) is data in sources/import/<siglum>.yml, documented by the comment at
the top of each file. A witness without such a file is imported with empty tables.

Every mapping and list read here knows its line, so that a wrong entry is reported as
`sources/import/X.yml:LINE: what is wrong. How to fix. [import.tables]`, never as a traceback.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from build_scripts.problems import Location, Problem, relpath
from build_scripts.project import witnesses as manifest

CODE = "import.tables"


class Map(dict):
    """A YAML mapping with the line it starts on and the line of each key."""

    line: int | None = None
    key_lines: dict | None = None


class Seq(list):
    """A YAML list with the line it starts on."""

    line: int | None = None


class TableError(Exception):
    """A table that cannot be used; carries the Problem to report."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class _Loader(yaml.SafeLoader):
    pass


def _map(loader: _Loader, node: yaml.MappingNode) -> Map:
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key {key!r} is given twice (first on line {seen[key]})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    result = Map(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    result.key_lines = seen
    return result


def _seq(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    result = Seq(loader.construct_sequence(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _seq)


def path_for(siglum: str) -> Path:
    """Where the tables of a witness live (read at call time: tests may point SOURCES elsewhere)."""
    return manifest.SOURCES / "import" / f"{siglum}.yml"


class Tables:
    """The tables of one witness. Accessors validate the shape of what they return."""

    def __init__(self, siglum: str, path: Path | None = None, data: Map | None = None):
        self.siglum = siglum
        self.rel = relpath(path) if path is not None else f"sources/import/{siglum}.yml"
        self.data = data if data is not None else Map()
        self.bibkey = ""  # the witness's own references.bib key (sources/witnesses.yml bibkey)
        self.read: set[str] = set()  # the tables the importer asked for

    def unread(self) -> list[Problem]:
        """A warning for each table the importer never asked for (a misspelt name, or a table
        of another style): it has no effect on the TEI."""
        lines = self.data.key_lines or {}
        return [
            Problem(
                Location(self.rel, lines.get(key)),
                f"the table `{key}` is not one the importer reads",
                "Check its name against the comment at the top of the file",
                CODE,
                "warning",
            )
            for key in self.data
            if key not in self.read
        ]

    # --- reporting ------------------------------------------------------------------------------
    def at(self, node: object = None) -> Location:
        line = getattr(node, "line", None) or getattr(self.data, "line", None)
        return Location(self.rel, line)

    def fail(self, node: object, message: str, hint: str) -> TableError:
        return TableError(Problem(self.at(node), message, hint, CODE))

    def warning(self, node: object, message: str, hint: str, code: str = CODE) -> Problem:
        return Problem(self.at(node), message, hint, code, "warning")

    # --- accessors ------------------------------------------------------------------------------
    def _value(self, key: str, kind: type, required: bool):
        self.read.add(key)
        if key not in self.data:
            if required:
                raise self.fail(
                    None,
                    f"the tables of witness {self.siglum} lack `{key}`",
                    f"Add `{key}:` (see the comment at the top of {self.rel})",
                )
            return kind()
        value = self.data[key]
        if value is None:
            return kind()
        if not isinstance(value, kind):
            raise self.fail(
                value if hasattr(value, "line") else self.data,
                f"`{key}` is a {type(value).__name__}, not a {kind.__name__}",
                f"Write `{key}` as the comment at the top of the file describes",
            )
        return value

    def text(self, key: str, default: str = "", required: bool = False) -> str:
        self.read.add(key)
        if key not in self.data and not required:
            return default
        value = self.data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise self.fail(
                self.data, f"`{key}` must be a text", f"Write `{key}: ...` with a text value"
            )
        return value

    def number(self, key: str, default: int | None = None) -> int | None:
        self.read.add(key)
        value = self.data.get(key, default)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise self.fail(
                self.data, f"`{key}` must be a whole number, not {value!r}", f"Write `{key}: 123`"
            )
        return value

    def section(self, key: str, required: bool = False) -> Tables:
        """A mapping of tables, read with the same accessors (and reported at the same file)."""
        value = self._value(key, dict, required)
        sub = Tables(self.siglum, None, value if isinstance(value, Map) else Map(value))
        sub.rel, sub.bibkey = self.rel, self.bibkey
        return sub

    def texts(self, key: str, required: bool = False) -> list[str]:
        """A list of texts (e.g. the paragraphs of the editorial declaration)."""
        items = self._value(key, list, required)
        for item in items:
            if not isinstance(item, str):
                raise self.fail(
                    items,
                    f"`{key}` must list texts only, not {item!r}",
                    "Quote the entry as a text",
                )
        return list(items)

    def mapping(self, key: str, required: bool = False) -> dict[str, str]:
        """A mapping of text to text (keys such as numbers are read as texts)."""
        items = self._value(key, dict, required)
        out: dict[str, str] = {}
        for k, v in items.items():
            if not isinstance(v, (str, int)) or isinstance(v, bool):
                raise self.fail(
                    items, f"`{key}`: the value of {k!r} must be a text", "Write `word: text` pairs"
                )
            out[str(k)] = str(v)
        return out

    def entries(
        self,
        key: str,
        fields: tuple[str, ...],
        optional: tuple[str, ...] = (),
        required: bool = False,
    ) -> list[Map]:
        """A list of mappings, each with the given fields (texts or numbers); optional fields
        may be absent. Each entry keeps its line (Tables.at(entry))."""
        items = self._value(key, list, required)
        out: list[Map] = []
        for item in items:
            if not isinstance(item, dict):
                raise self.fail(
                    items,
                    f"an entry of `{key}` is not a mapping: {item!r}",
                    f"Write each entry as `- {{{', '.join(f + ': ...' for f in fields)}}}`",
                )
            missing = [f for f in fields if f not in item]
            unknown = [f for f in item if f not in fields + optional]
            if missing or unknown:
                what = (
                    "lacks " + ", ".join(missing)
                    if missing
                    else "has unknown " + ", ".join(unknown)
                )
                raise self.fail(
                    item,
                    f"this entry of `{key}` {what}",
                    f"An entry of `{key}` has {', '.join(fields)}"
                    + (f" and optionally {', '.join(optional)}" if optional else ""),
                )
            out.append(item)
        return out


def load(siglum: str, path: Path | None = None) -> Tables:
    """The tables of one witness; empty if it has no file. Raises TableError on a bad file."""
    path = path or path_for(siglum)
    if not path.exists():
        return Tables(siglum, path)
    rel = relpath(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except (OSError, UnicodeDecodeError) as err:
        raise TableError(
            Problem(Location(rel), f"cannot read the import tables: {err}", "Check the file", CODE)
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        reason = str(getattr(err, "problem", None) or err).splitlines()[0]
        raise TableError(
            Problem(
                Location(rel, mark.line + 1 if mark else None),
                f"cannot read the import tables: {reason}",
                "Fix the YAML syntax",
                CODE,
            )
        ) from None
    if data is None:
        data = Map()
    if not isinstance(data, dict):
        raise TableError(
            Problem(
                Location(rel, 1),
                "the import tables are not a mapping of names to tables",
                "Write `name: value` lines at the top level",
                CODE,
            )
        )
    return Tables(siglum, path, data)


def for_witness(witness: manifest.Witness) -> Tables:
    """The tables of a witness of the manifest, with its own references.bib key."""
    tables = load(witness.siglum)
    tables.bibkey = str(witness.facts.get("bibkey") or "")
    return tables
