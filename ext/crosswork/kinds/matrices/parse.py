"""Read a support-matrix INI file into a ``Matrix``.

The upstream renderer reads these files with ``configparser`` and then
skips every section not named ``operation.*``, fails on a missing cell with
a bare ``KeyError`` and ignores notes for drivers that have no column. This
parser keeps ``configparser``'s syntax (``ConfigParser(interpolation=None,
strict=True)``: ``=`` or ``:`` delimiters, indented continuation lines,
full-line ``#``/``;`` comments, lower-cased keys) but reads the lines
itself, so that every section and key keeps its line and column. Instead of
stopping at the first duplicate it reports all of them, and every other
problem too, as ``Diagnostic`` values.

Both upstream dialects are read (see ``Layout``).
"""

from __future__ import annotations

import configparser
import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from crosswork.diagnostics import (
    Diagnostic,
    Severity,
    decode_utf8,
    register,
    sort_diagnostics,
)
from crosswork.kinds.matrices.model import (
    CELL_VALUES,
    Cell,
    CellValue,
    Driver,
    Feature,
    Layout,
    Matrix,
    Status,
    StatusKind,
)
from crosswork.textclean import UNSAFE, clean_text, describe, unsafe_characters

register(
    "Feature matrix",
    X101="a line is not a section header, a key = value pair or a continuation",
    X102="a key comes before the first section header",
    X103="a section appears twice",
    X104="a section has the same key twice",
    X105="a section's prefix is not a known feature group (warning)",
    X106="a section has no title",
    X107="a cell names a driver that has no column",
    X108="a feature has no cell for a driver",
    X109="a cell value is not complete, partial, missing or unknown",
    X110="driver notes name a driver that has no column",
    X111="a status or maturity is not one of the allowed values",
    X112="a condition is not 'feature==value' with a known feature",
    X113="a key is not part of the format; it is kept as is (warning)",
    X114="the file has no driver columns",
    X115="the file mixes [driver.*] and [target.*] columns",
    X116="the pre-2017 [targets] section is not supported",
    X117="the file is not UTF-8 text",
    X118="the matrix has more cells than the cap; the features past it are not read",
    X119="a line holds an invisible or control character (removed from values)",
)

#: Feature groups: the prefixes of nova's sections plus ``networking``, the
#: group its support matrix announces in its header comment.
KNOWN_GROUPS = ("operation", "console", "guest", "storage", "networking")

#: Column section prefixes and the dialect each belongs to.
COLUMN_PREFIXES = {"driver.": Layout.SUPPORT, "target.": Layout.CLASSIFICATION}

DRIVER_KEYS = frozenset({"title", "link"})
FEATURE_KEYS = frozenset({"title", "status", "notes", "cli", "api"})
#: Keys of nova's feature-classification matrices, kept in ``Feature.extra``.
CLASSIFICATION_KEYS = frozenset(
    {"maturity", "api_doc_link", "admin_doc_link", "tempest_test_uuids"}
)
MATURITIES = ("incomplete", "experimental", "complete", "deprecated")
LEGACY_TARGETS = "[targets] is the pre-2017 layout; write one [target.<key>] per column"

#: Cells (drivers times features) read at most. Every feature has a cell
#: per driver, so a file of N short sections makes N squared cells: the
#: cap keeps the work linear in the file. The largest real matrix has 855
#: cells, the benchmark's 9,000.
MAX_CELLS = 20_000
#: "Did you mean" hints per file, and the longest key given one: each hint
#: compares the key with every driver key.
MAX_SUGGESTIONS = 20
MAX_SUGGESTED_KEY = 64

_NEWLINE = re.compile(r"\r\n|\r|\n")
_STATUS = re.compile(r"^([^(]+)(?:\(([^)]+)\))?$")
_COMMENT_PREFIXES = ("#", ";")


@dataclass
class Entry:
    """One ``key = value`` pair with the place of its key and value."""

    key: str
    line: int
    column: int
    value_column: int
    parts: list[str] = field(default_factory=list)

    @property
    def value(self) -> str:
        """The value, lines joined, under the one character policy."""
        return clean_text("\n".join(self.parts))


@dataclass
class Section:
    name: str
    line: int
    column: int
    entries: dict[str, Entry] = field(default_factory=dict)


class IniReader:
    """``configparser``'s line grammar, with positions and all duplicates.

    A duplicate section or key is reported where it appears again and its
    content is read but dropped, so the first definition wins and its body
    is not reported a second time.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.sections: dict[str, Section] = {}
        self.problems: list[Diagnostic] = []
        self.section: Section | None = None
        self.entry: Entry | None = None
        self.indent = 0

    def read(self, text: str) -> list[Section]:
        for number, line in enumerate(_NEWLINE.split(text), start=1):
            self.read_line(number, line)
        return list(self.sections.values())

    def read_line(self, number: int, line: str) -> None:
        unsafe = unsafe_characters(line)
        if unsafe:
            index, char = unsafe[0]
            more = f" and {len(unsafe) - 1} more" if len(unsafe) > 1 else ""
            message = f"invisible or control character {describe(char)}{more}"
            self.report(number, index + 1, "X119", message)
            line = UNSAFE.sub("", line)
        stripped = line.strip()
        if stripped.startswith(_COMMENT_PREFIXES):
            return
        if not stripped:
            if self.entry is not None:
                self.entry.parts.append("")
            return
        first = configparser.ConfigParser.NONSPACECRE.search(line)
        indent = first.start() if first else 0
        if self.entry is not None and indent > self.indent:
            self.entry.parts.append(stripped)
            return
        self.indent = indent
        self.entry = None
        header = configparser.ConfigParser.SECTCRE.match(stripped)
        if header:
            self.open_section(header.group("header"), number, indent + 1)
        elif self.section is None:
            self.report(number, indent + 1, "X102", "text before the first section")
        else:
            self.read_key(self.section, stripped, number, indent)

    def open_section(self, name: str, line: int, column: int) -> None:
        first = self.sections.get(name)
        self.section = Section(name, line, column)
        if first is None:
            self.sections[name] = self.section
            return
        message = f"duplicate section {bracket(name)} (first at line {first.line})"
        self.report(line, column, "X103", message)

    def read_key(self, section: Section, text: str, line: int, indent: int) -> None:
        match = configparser.ConfigParser.OPTCRE.match(text)
        if not match or not match.group("option").rstrip():
            message = f"expected '[section]' or 'key = value', got {text[:60]!r}"
            self.report(line, indent + 1, "X101", message)
            return
        key = match.group("option").rstrip().lower()
        value_column = indent + match.start("value") + 1
        self.entry = Entry(key, line, indent + 1, value_column, [match["value"]])
        first = section.entries.get(key)
        if first is None:
            section.entries[key] = self.entry
            return
        where = f"{bracket(section.name)} (first at line {first.line})"
        message = f"duplicate key {key!r} in {where}"
        self.report(line, indent + 1, "X104", message)

    def report(self, line: int, column: int, code: str, message: str) -> None:
        self.problems.append(Diagnostic(self.label, line, column, code, message))


def read_ini(label: str, text: str) -> tuple[list[Section], list[Diagnostic]]:
    """Sections in file order, each with its entries, and syntax problems."""
    reader = IniReader(label)
    sections = reader.read(text)
    return sections, reader.problems


def decode_matrix(label: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text (a byte-order mark is dropped), or a located X117 error."""
    text, problem = decode_utf8(label, data.removeprefix(b"\xef\xbb\xbf"), "X117")
    return text, [problem] if problem else []


def parse_matrix(label: str, text: str) -> tuple[Matrix, list[Diagnostic]]:
    """The matrix in ``text`` and every problem found, sorted by position.

    ``label`` names the source in diagnostics (usually its path). The matrix
    is complete even when there are errors; see the module documentation
    of ``crosswork.kinds.matrices.model`` for how bad cells are kept.
    """
    sections, problems = read_ini(label, text)
    builder = MatrixBuilder(label, problems)
    matrix = builder.build(sections)
    return matrix, sort_diagnostics(problems)


class MatrixBuilder:
    """Turns located INI sections into a matrix, reporting as it goes."""

    def __init__(self, label: str, problems: list[Diagnostic]) -> None:
        self.label = label
        self.problems = problems
        self.suggestions_left = MAX_SUGGESTIONS

    def build(self, sections: list[Section]) -> Matrix:
        columns = [s for s in sections if column_prefix(s.name)]
        features = [s for s in sections if not column_prefix(s.name)]
        for legacy in [s for s in features if s.name == "targets"]:
            self.error(legacy.line, legacy.column, "X116", LEGACY_TARGETS)
            features.remove(legacy)
        layout = self.layout(columns)
        drivers = self.drivers(columns, layout)
        if not drivers:
            self.error(1, 1, "X114", "no [driver.*] or [target.*] section")
        feature_keys = frozenset(s.name for s in features)
        features = self.within_cap(features, len(drivers))
        rows = tuple(self.feature(s, drivers, layout, feature_keys) for s in features)
        return Matrix(self.label, tuple(drivers.values()), rows, layout)

    def within_cap(self, features: list[Section], drivers: int) -> list[Section]:
        """The features whose cells fit :data:`MAX_CELLS`; one error for the rest."""
        if drivers * len(features) <= MAX_CELLS:
            return features
        kept = MAX_CELLS // drivers
        first = features[kept]
        message = (
            f"{drivers} drivers and {len(features)} features make more than"
            f" {MAX_CELLS} cells: {bracket(first.name)} and the features after"
            " it are not read"
        )
        self.error(first.line, first.column, "X118", message)
        return features[:kept]

    def suggestion(self, key: str, known: Collection[str]) -> str:
        """:func:`suggestion`, for short keys and a few times per file."""
        if len(key) > MAX_SUGGESTED_KEY or self.suggestions_left <= 0:
            return ""
        self.suggestions_left -= 1
        return suggestion(key, [k for k in known if len(k) <= MAX_SUGGESTED_KEY])

    def layout(self, columns: list[Section]) -> Layout:
        """The dialect of the first column; columns of the other one are errors."""
        if not columns:
            return Layout.SUPPORT
        first = column_prefix(columns[0].name)
        for section in columns:
            if column_prefix(section.name) != first:
                message = (
                    f"{bracket(section.name)} mixes column kinds: this file uses"
                    f" [{first}*] sections"
                )
                self.error(section.line, section.column, "X115", message)
        return COLUMN_PREFIXES[first]

    def drivers(self, columns: list[Section], layout: Layout) -> dict[str, Driver]:
        """Columns by lower-cased key, the form cell keys take."""
        drivers: dict[str, Driver] = {}
        for section in columns:
            prefix = column_prefix(section.name)
            if COLUMN_PREFIXES[prefix] is not layout:
                continue
            driver = self.driver(section, prefix)
            if driver is None:
                continue
            first = drivers.get(driver.key.lower())
            if first is not None:
                message = (
                    f"duplicate section {bracket(section.name)}"
                    f" (first at line {first.line}; keys ignore case)"
                )
                self.error(section.line, section.column, "X103", message)
                continue
            drivers[driver.key.lower()] = driver
        return drivers

    def driver(self, section: Section, prefix: str) -> Driver | None:
        key = section.name[len(prefix) :].strip()
        if not key:
            message = f"{bracket(section.name)} names no driver"
            self.error(section.line, section.column, "X101", message)
            return None
        title = self.title(section)
        extra = {k: e.value for k, e in section.entries.items() if k not in DRIVER_KEYS}
        for key_name in extra:
            self.unknown_key(section, section.entries[key_name])
        link = section.entries["link"].value if "link" in section.entries else ""
        return Driver(key, title, link, section.line, dict(extra))

    def title(self, section: Section) -> str:
        entry = section.entries.get("title")
        if entry is not None and entry.value:
            return entry.value
        message = f"{bracket(section.name)} has no title"
        self.error(section.line, section.column, "X106", message)
        return section.name

    def feature(
        self,
        section: Section,
        drivers: Mapping[str, Driver],
        layout: Layout,
        feature_keys: Collection[str],
    ) -> Feature:
        group = section.name.partition(".")[0]
        if group not in KNOWN_GROUPS:
            self.warn_unknown_group(section, group)
        reader = FeatureReader(self, section, drivers, layout)
        fields = reader.read()
        status_entry = section.entries.get("status")
        status = self.status(status_entry, feature_keys)
        return Feature(
            key=section.name,
            title=self.title(section),
            status=status,
            notes=fields.get("notes", ""),
            cli=split_commands(fields.get("cli", "")),
            api=fields.get("api", ""),
            maturity=self.maturity(section.entries.get("maturity")),
            cells=dict(reader.cells()),
            extra=dict(reader.extra),
            line=section.line,
        )

    def warn_unknown_group(self, section: Section, group: str) -> None:
        known = ", ".join(f"{g}." for g in KNOWN_GROUPS)
        message = (
            f"{bracket(section.name)}: unknown prefix {group!r}"
            f" (known: {known}); read as a feature"
        )
        self.report(section.line, section.column, "X105", message, Severity.WARNING)

    def status(self, entry: Entry | None, feature_keys: Collection[str]) -> Status:
        """The parsed status; ``optional`` when absent, as upstream reads it."""
        if entry is None:
            return Status()
        status = parse_status(entry.value)
        if status is None:
            message = (
                f"invalid status {entry.value!r} (expected mandatory, optional,"
                " choice(<group>), condition(<feature>==<value>), mature or immature)"
            )
            self.error(entry.line, entry.value_column, "X111", message)
            return Status()
        if status.kind is StatusKind.CONDITION:
            self.check_condition(entry, status, feature_keys)
        return status

    def check_condition(
        self, entry: Entry, status: Status, feature_keys: Collection[str]
    ) -> None:
        condition = status.condition
        if condition is None:
            message = (
                f"condition {status.argument!r} does not read"
                " '<feature>==<complete|partial|missing|unknown>'"
            )
            self.error(entry.line, entry.value_column, "X112", message)
        elif condition[0] not in feature_keys:
            message = f"condition refers to unknown feature {condition[0]!r}"
            self.error(entry.line, entry.value_column, "X112", message)

    def maturity(self, entry: Entry | None) -> str:
        if entry is None:
            return ""
        if entry.value in MATURITIES:
            return entry.value
        message = f"invalid maturity {entry.value!r} (expected {', '.join(MATURITIES)})"
        self.error(entry.line, entry.value_column, "X111", message)
        return ""

    def unknown_key(self, section: Section, entry: Entry) -> None:
        message = f"unknown key {entry.key!r} in {bracket(section.name)}, kept as is"
        self.report(entry.line, entry.column, "X113", message, Severity.WARNING)

    def error(self, line: int, column: int, code: str, message: str) -> None:
        self.report(line, column, code, message, Severity.ERROR)

    def report(
        self, line: int, column: int, code: str, message: str, severity: Severity
    ) -> None:
        diagnostic = Diagnostic(self.label, line, column, code, message, severity)
        self.problems.append(diagnostic)


class FeatureReader:
    """Sorts one feature section's keys into fields, cells, notes and extras."""

    def __init__(
        self,
        builder: MatrixBuilder,
        section: Section,
        drivers: Mapping[str, Driver],
        layout: Layout,
    ) -> None:
        self.builder = builder
        self.section = section
        self.drivers = drivers
        self.layout = layout
        self.values: dict[str, tuple[CellValue, str, int]] = {}
        self.notes: dict[str, str] = {}
        self.extra: dict[str, str] = {}

    def read(self) -> dict[str, str]:
        """The plain fields; cells, notes and extras are collected on the side."""
        fields: dict[str, str] = {}
        for key, entry in self.section.entries.items():
            if key in FEATURE_KEYS:
                fields[key] = entry.value
            elif key in CLASSIFICATION_KEYS:
                if key != "maturity":
                    self.extra[key] = entry.value
            elif (driver := self.note_driver(key)) is not None:
                self.note(driver, entry)
            elif (driver := self.cell_driver(key, entry)) is not None:
                self.cell(driver, entry)
            else:
                self.extra[key] = entry.value
                self.builder.unknown_key(self.section, entry)
        return fields

    def note_driver(self, key: str) -> str | None:
        prefix = "driver-notes." if self.layout is Layout.SUPPORT else "driver-notes-"
        return key[len(prefix) :] if key.startswith(prefix) else None

    def cell_driver(self, key: str, entry: Entry) -> str | None:
        """The driver a key is a cell of, if the key has the form of a cell.

        In the classification layout cells are bare ``<target>=<value>``
        keys, so a key that is no field is taken for a cell when its value
        looks like one (``complete``, ``partial:queens``).
        """
        if self.layout is Layout.SUPPORT:
            return key[len("driver.") :] if key.startswith("driver.") else None
        if key in self.drivers or looks_like_cell(entry.value):
            return key
        return None

    def note(self, driver: str, entry: Entry) -> None:
        if driver in self.drivers:
            self.notes[driver] = entry.value
            return
        message = (
            f"{entry.key!r} in {bracket(self.section.name)}: no driver column"
            f" {driver!r}{self.builder.suggestion(driver, self.drivers)}"
        )
        self.builder.error(entry.line, entry.column, "X110", message)

    def cell(self, driver: str, entry: Entry) -> None:
        if driver not in self.drivers:
            message = (
                f"{entry.key!r} in {bracket(self.section.name)}: no driver column"
                f" {driver!r}{self.builder.suggestion(driver, self.drivers)}"
            )
            self.builder.error(entry.line, entry.column, "X107", message)
            return
        value, since = self.cell_value(driver, entry)
        self.values[driver] = (value, since, entry.line)

    def cell_value(self, driver: str, entry: Entry) -> tuple[CellValue, str]:
        value, colon, since = entry.value.partition(":")
        allowed = value in CELL_VALUES and (
            not colon or (self.layout is Layout.CLASSIFICATION and since.strip())
        )
        if allowed:
            return CellValue(value), since.strip()
        message = (
            f"invalid value {entry.value!r} for driver {driver!r} in"
            f" {bracket(self.section.name)}"
            " (expected complete, partial, missing or unknown)"
        )
        self.builder.error(entry.line, entry.value_column, "X109", message)
        return CellValue.UNKNOWN, ""

    def cells(self) -> dict[str, Cell]:
        """One cell per driver, in column order; absent cells are reported."""
        cells: dict[str, Cell] = {}
        section = self.section
        name = bracket(section.name)
        for key, driver in self.drivers.items():
            note = self.notes.get(key, "")
            if key in self.values:
                value, since, line = self.values[key]
                cells[driver.key] = Cell(value, note, since, line)
                continue
            message = f"{name} has no cell for driver {driver.key!r}"
            self.builder.error(section.line, section.column, "X108", message)
            cells[driver.key] = Cell(CellValue.UNKNOWN, note)
        return cells


def bracket(name: str) -> str:
    """``[name]`` for messages, with unprintable characters escaped so a
    crafted section name cannot drive the terminal that shows it."""
    return f"[{visible(name)}]"


def visible(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def column_prefix(name: str) -> str:
    """``driver.`` or ``target.`` for a column section, else ``""``."""
    for prefix in COLUMN_PREFIXES:
        if name.startswith(prefix):
            return prefix
    return ""


def parse_status(text: str) -> Status | None:
    """``choice(console)`` → Status(CHOICE, "console"); None if invalid."""
    match = _STATUS.match(text.strip())
    if not match:
        return None
    name, argument = match.group(1).strip(), (match.group(2) or "").strip()
    try:
        kind = StatusKind(name)
    except ValueError:
        return None
    if kind.takes_argument != bool(argument):
        return None
    return Status(kind, argument)


def looks_like_cell(value: str) -> bool:
    return value.partition(":")[0] in CELL_VALUES


def split_commands(text: str) -> tuple[str, ...]:
    """``cli`` holds commands separated by ``;``."""
    return tuple(command.strip() for command in text.split(";") if command.strip())


def suggestion(key: str, known: Collection[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss, so typos are quick to fix."""
    candidates = [k for k in known if k.endswith(f"-{key}")]
    candidates += difflib.get_close_matches(key, list(known), n=1)
    return f" (did you mean {candidates[0]!r}?)" if candidates else ""
