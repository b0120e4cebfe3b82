"""A strict, located YAML loader for contributor data.

PyYAML's ``safe_load`` is safe against code execution but still keeps the
last of two duplicate keys, expands aliases (the "billion laughs"), accepts
custom tags and applies YAML 1.1 typing, where ``NO`` is false and
``07:00`` is the number 420. Contributor files here are plain data, so this
loader walks PyYAML's event stream and builds values itself:

* anchors, aliases, explicit tags, several documents and complex keys are
  errors, as are duplicate keys;
* plain scalars are typed by the YAML 1.2 core schema (only ``true`` and
  ``false`` are booleans, dates stay strings);
* size and nesting depth are capped;
* every value and key keeps its 1-based line and column, so that later
  checks (the JSON Schema, cross-field rules) can report where a problem is.

Every problem is reported at once; a syntax error stops the parse, and is
reported with the problems found before it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from crosswork.diagnostics import Diagnostic, decode_utf8, register

register(
    "YAML loading",
    Y101="the file is not valid YAML",
    Y102="a mapping has the same key twice",
    Y103="anchors and aliases are not allowed",
    Y104="explicit tags are not allowed",
    Y105="the file is larger than the size cap",
    Y106="the file is not UTF-8 text",
    Y107="the file holds more than one YAML document",
    Y108="the file is empty",
    Y109="the data is nested deeper than allowed",
    Y110="mapping keys must be plain strings",
)

MAX_BYTES = 64 * 1024
MAX_DEPTH = 10

#: A path into loaded data: mapping keys and sequence indexes.
DataPath = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True}
_BOOL |= {"false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


@dataclass
class LocatedData:
    """Loaded data plus where each part of it was written."""

    path: str
    value: Any = None
    #: Position of each value (mappings and sequences: where they start).
    values: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    #: Position of each mapping key, by the path of the value it names.
    keys: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    #: Values left out (``None``) after reporting them: aliases, and data
    #: nested too deep. Later checks skip them rather than repeat the report.
    holes: set[DataPath] = field(default_factory=set)

    def position(self, data_path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """Where ``data_path`` was written; its nearest written parent if absent."""
        table = self.keys if key else self.values
        for end in range(len(data_path), -1, -1):
            prefix = data_path[:end]
            if prefix in table:
                return table[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)

    def diagnostic(
        self, data_path: DataPath, code: str, message: str, *, key: bool = False
    ) -> Diagnostic:
        line, column = self.position(data_path, key=key)
        return Diagnostic(self.path, line, column, code, message)


def resolve_plain_scalar(text: str) -> Any:
    """Type a plain (unquoted) scalar by the YAML 1.2 core schema."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


def _position(mark: yaml.Mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe parser, made linear in flow collections past the cap.

    Its scanner keeps a possible simple key for each open ``[`` or ``{``
    and looks at all of them for every token, so a 64 KiB line of ``[``
    took minutes. Past the depth cap it keeps only the innermost one:
    enough for ``{key: value}``, though not for a collection used as a key
    so deep; such data is refused anyway, and complex keys too (Y110).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.deep_key_level: int | None = None

    def save_possible_simple_key(self) -> None:
        super().save_possible_simple_key()
        level = self.flow_level
        if level < MAX_DEPTH or level not in self.possible_simple_keys:
            return
        if self.deep_key_level is not None and self.deep_key_level != level:
            self.possible_simple_keys.pop(self.deep_key_level, None)
        self.deep_key_level = level


class _Builder:
    """Turns one PyYAML event stream into :class:`LocatedData`, reading the
    events as it goes, so problems found before a syntax error count."""

    def __init__(self, data: LocatedData, loader: _Loader) -> None:
        self.data = data
        self.loader = loader
        self.problems: list[Diagnostic] = []

    def report(self, mark: yaml.Mark, code: str, message: str) -> None:
        line, column = _position(mark)
        self.problems.append(Diagnostic(self.data.path, line, column, code, message))

    def next_event(self) -> yaml.Event:
        return self.loader.get_event()

    def peek(self) -> yaml.Event:
        return self.loader.peek_event()

    def build(self) -> None:
        self.next_event()  # StreamStart
        documents = 0
        while not isinstance(self.peek(), yaml.StreamEndEvent):
            start = self.next_event()  # DocumentStart
            documents += 1
            if documents == 2:
                self.report(
                    start.start_mark, "Y107", "only one YAML document is allowed"
                )
            value = self.node((), depth=0)
            self.next_event()  # DocumentEnd
            if documents == 1:
                self.data.value = value
        if documents == 0:
            self.problems.append(
                Diagnostic(self.data.path, 1, 1, "Y108", "the file is empty")
            )

    def check_node_event(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None:
            self.report(
                event.start_mark,
                "Y103",
                f"anchor '&{event.anchor}' not allowed: write the value out",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            self.report(event.start_mark, "Y104", f"explicit tag '{tag}' not allowed")

    def node(self, data_path: DataPath, depth: int) -> Any:
        event = self.next_event()
        if isinstance(event, yaml.AliasEvent):
            self.report(
                event.start_mark,
                "Y103",
                f"alias '*{event.anchor}' not allowed: write the value out",
            )
            self.data.values[data_path] = _position(event.start_mark)
            self.data.holes.add(data_path)
            return None
        self.check_node_event(event)
        self.data.values[data_path] = _position(event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event)
        if depth >= MAX_DEPTH:
            self.report(
                event.start_mark, "Y109", f"nesting deeper than {MAX_DEPTH} levels"
            )
            self.skip_collection()
            self.data.holes.add(data_path)
            return None
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(data_path, depth)
        return self.mapping(data_path, depth)

    @staticmethod
    def scalar(event: yaml.ScalarEvent) -> Any:
        if event.style is None and event.implicit[0]:
            return resolve_plain_scalar(event.value)
        return event.value

    def skip_collection(self) -> None:
        level = 1
        while level:
            event = self.next_event()
            if isinstance(event, yaml.CollectionStartEvent):
                level += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                level -= 1

    def sequence(self, data_path: DataPath, depth: int) -> list[Any]:
        items: list[Any] = []
        while not isinstance(self.peek(), yaml.SequenceEndEvent):
            items.append(self.node((*data_path, len(items)), depth + 1))
        self.next_event()
        return items

    def mapping(self, data_path: DataPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while not isinstance(self.peek(), yaml.MappingEndEvent):
            key_event = self.peek()
            key = self.mapping_key()
            if key is None:
                self.node((*data_path, "?"), depth + 1)
                continue
            key_path = (*data_path, key)
            if key in result:
                first_line = self.data.keys[key_path][0]
                self.report(
                    key_event.start_mark,
                    "Y102",
                    f"duplicate key '{key}' (first defined at line {first_line})",
                )
                self.node((*data_path, f"{key} (duplicate)"), depth + 1)
                continue
            self.data.keys[key_path] = _position(key_event.start_mark)
            result[key] = self.node(key_path, depth + 1)
        self.next_event()
        return result

    def mapping_key(self) -> str | None:
        event = self.peek()
        if isinstance(event, yaml.ScalarEvent):
            self.next_event()
            self.check_node_event(event)
            value = self.scalar(event)
            if isinstance(value, str) and value:
                return value
            self.report(
                event.start_mark, "Y110", f"key {event.value!r} is not a plain string"
            )
            return None
        if isinstance(event, yaml.AliasEvent):
            self.next_event()
            self.report(
                event.start_mark,
                "Y103",
                f"alias '*{event.anchor}' not allowed: write the value out",
            )
            return None
        self.report(event.start_mark, "Y110", "keys must be plain strings")
        self.next_event()
        self.skip_collection()
        return None


def decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Decode contributor bytes as UTF-8 without BOM, within the size cap."""
    if len(raw) > MAX_BYTES:
        message = f"file is {len(raw)} bytes, more than the {MAX_BYTES} byte cap"
        return None, [Diagnostic(path, 1, 1, "Y105", message)]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [
            Diagnostic(path, 1, 1, "Y106", "byte order mark not allowed: save as UTF-8")
        ]
    text, problem = decode_utf8(path, raw, "Y106")
    return text, [problem] if problem else []


def load_yaml(path: str, raw: bytes) -> tuple[LocatedData, list[Diagnostic]]:
    """Load one YAML file strictly; ``path`` is how messages name the file."""
    text, problems = decode(path, raw)
    if text is None:
        return LocatedData(path), problems
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:
        return LocatedData(path), [_unprintable(path, text, error)]
    builder = _Builder(LocatedData(path), loader)
    try:
        builder.build()
    except yaml.MarkedYAMLError as error:
        # The data read so far is dropped: later checks would report
        # everything after the point where reading stopped as missing.
        return LocatedData(path), [*builder.problems, _stopped(path, error)]
    finally:
        builder.loader.dispose()
    return builder.data, builder.problems


def _unprintable(path: str, text: str, error: yaml.reader.ReaderError) -> Diagnostic:
    """A character YAML does not allow anywhere (NUL, most controls, U+FFFE)."""
    line = text.count("\n", 0, error.position) + 1
    column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
    message = f"character U+{error.character:04X} is not allowed in YAML"
    return Diagnostic(path, line, column, "Y101", message)


def _stopped(path: str, error: yaml.MarkedYAMLError) -> Diagnostic:
    """The syntax error that ended the parse."""
    mark = error.problem_mark or error.context_mark
    line, column = _position(mark) if mark else (1, 1)
    reason = error.problem or error.context or "syntax error"
    return Diagnostic(path, line, column, "Y101", reason)
