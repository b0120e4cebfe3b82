"""JSON Schema validation of located YAML, one located message per problem.

jsonschema reports problems by data path; :class:`LocatedData` knows where
each path was written. Each checker (charters, OSSA files, ...) has its own
code family, so the mapping takes the codes to use as :class:`SchemaCodes`.
Schemas may add ``x-expected`` to a property to say, in words, what a
pattern or type expects ("a date like 2026-01-31").
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosswork.atomicfile import write_if_changed
from crosswork.diagnostics import Diagnostic, register
from crosswork.safeyaml import DataPath, LocatedData

if TYPE_CHECKING:
    import jsonschema

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}

_BOUNDS = frozenset(
    {"minLength", "maxLength", "minItems", "maxItems", "minimum", "maximum"}
)


@dataclass(frozen=True)
class SchemaCodes:
    """The diagnostic code for each kind of schema problem."""

    unknown_key: str
    missing_key: str
    wrong_type: str
    not_allowed: str
    wrong_form: str
    out_of_bounds: str
    duplicate_item: str
    other: str


_SUMMARIES = (
    ("unknown_key", "unknown key"),
    ("missing_key", "a required key is missing"),
    ("wrong_type", "{subject} has the wrong type"),
    ("not_allowed", "{subject} is not one of the allowed choices"),
    ("wrong_form", "{subject} does not have the required form"),
    ("out_of_bounds", "{subject} is too short, too long, too small or too large"),
    ("duplicate_item", "a list holds the same item twice"),
    ("other", "{subject} breaks another schema rule"),
)


def register_schema_codes(
    family: str, prefix: str, *, subject: str = "a value"
) -> SchemaCodes:
    """Register a checker's eight schema codes, ``<prefix>1`` to
    ``<prefix>8``, and return them for :func:`schema_diagnostics`."""
    codes = {name: f"{prefix}{n}" for n, (name, _) in enumerate(_SUMMARIES, 1)}
    register(
        family,
        **{codes[name]: text.format(subject=subject) for name, text in _SUMMARIES},
    )
    return SchemaCodes(**codes)


def format_path(data_path: DataPath) -> str:
    """``("meetings", 0, "time")`` becomes ``meetings[0].time``."""
    text = ""
    for part in data_path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "(top level)"


def describe_type(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def schema_diagnostics(
    data: LocatedData, schema: dict[str, Any], codes: SchemaCodes
) -> list[Diagnostic]:
    """Every problem of ``data`` against ``schema`` (Draft 2020-12), located."""
    # Imported here: it costs a fifth of a second, which a run whose
    # documents all passed before (see ValidationCache) does not pay.
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    found: list[Diagnostic] = []
    for error in validator.iter_errors(data.value):
        found.extend(_explain(data, error, codes))
    # jsonschema reports each missing key of one ``required`` rule as its own
    # error, and each names every missing key: keep one finding per key.
    return list(dict.fromkeys(found))


def digest(value: Any) -> str:
    """The SHA-256 of a JSON value in canonical form (sorted keys, compact)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Every document that passed in this process, by any cache: a build reads
#: one snapshot in several places (the advisory pages and the home page's
#: glance) and checks it once (see :func:`process_cache`).
_PASSED_IN_PROCESS: set[str] = set()


@dataclass
class ValidationCache:
    """The documents that passed a schema, kept between builds.

    Validating thousands of stored records costs seconds a build, while a
    snapshot file changes once a night at most: a document whose content
    already passed the same schema is not validated again. Entries are
    keyed by (schema digest, content digest), so a changed document or
    schema is validated; a document with problems is never recorded, so
    its problems are reported by every build. ``path`` is a build's own
    cache folder (never a tracked one); ``None`` keeps nothing.
    """

    path: Path | None = None
    #: Documents really validated by this cache, passed or not.
    validations: int = 0
    _passed: set[str] = field(default_factory=set)
    _used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError, ValueError, TypeError):
                self._passed = set(json.loads(self.path.read_bytes())["passed"])
            _PASSED_IN_PROCESS.update(self._passed)

    def diagnostics(
        self, data: LocatedData, schema: dict[str, Any], codes: SchemaCodes
    ) -> list[Diagnostic]:
        """:func:`schema_diagnostics`, skipped for content that passed before."""
        key = f"{digest(schema)}:{digest(data.value)}"
        if key in self._passed:
            self._used.add(key)
            return []
        self.validations += 1
        found = schema_diagnostics(data, schema, codes)
        if not found:
            self._passed.add(key)
            self._used.add(key)
            _PASSED_IN_PROCESS.add(key)
        return found

    def save(self) -> None:
        """Keep the entries this build used: old documents' entries drop out."""
        if self.path is not None:
            document = {"passed": sorted(self._used)}
            write_if_changed(self.path, json.dumps(document, indent=1).encode())


def process_cache() -> ValidationCache:
    """A cache that keeps nothing, and skips what passed anywhere in this
    process: another cache's check, or a build's cache file it loaded."""
    return ValidationCache(_passed=_PASSED_IN_PROCESS)


def _explain(
    data: LocatedData, error: jsonschema.ValidationError, codes: SchemaCodes
) -> list[Diagnostic]:
    where = tuple(error.absolute_path)
    name = format_path(where)
    kind, value, rule = error.validator, error.instance, error.validator_value
    if kind == "additionalProperties":
        return _unknown_keys(data, where, error, codes)
    if kind == "required":
        return [
            data.diagnostic(
                where, codes.missing_key, f"{name}: missing required key {key!r}"
            )
            for key in rule
            if key not in value
        ]
    if kind == "type":
        wanted = _TYPE_NAMES.get(rule, rule)
        hint = error.schema.get("x-expected", "")
        hint = f" ({hint})" if hint else ""
        message = f"{name}: expected {wanted}{hint}, got {describe_type(value)}"
        return [data.diagnostic(where, codes.wrong_type, message)]
    if kind in {"enum", "const"}:
        choices = ", ".join(str(c) for c in (rule if kind == "enum" else [rule]))
        message = f"{name}: {value!r} is not one of: {choices}"
        return [data.diagnostic(where, codes.not_allowed, message)]
    if kind == "pattern":
        expected = error.schema.get("x-expected", f"text matching {rule}")
        message = f"{name}: {value!r} is not {expected}"
        return [data.diagnostic(where, codes.wrong_form, message)]
    if kind in _BOUNDS:
        message = f"{name}: {_bound_message(kind, rule)}"
        return [data.diagnostic(where, codes.out_of_bounds, message)]
    if kind == "minProperties":
        message = f"{name}: needs at least {rule} entr{'y' if rule == 1 else 'ies'}"
        return [data.diagnostic(where, codes.out_of_bounds, message)]
    if kind == "uniqueItems":
        return [_duplicate_item(data, where, value, codes)]
    if kind == "not" and error.schema.get("not", {}).get("required"):
        key = error.schema["not"]["required"][0]
        message = f"{name}: {key!r} is not allowed here"
        return [data.diagnostic((*where, key), codes.other, message, key=True)]
    return [data.diagnostic(where, codes.other, f"{name}: {error.message}")]


def _unknown_keys(
    data: LocatedData,
    where: DataPath,
    error: jsonschema.ValidationError,
    codes: SchemaCodes,
) -> list[Diagnostic]:
    allowed = sorted(error.schema.get("properties", {}))
    hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
    return [
        data.diagnostic(
            (*where, key),
            codes.unknown_key,
            f"{format_path((*where, key))}: unknown key{hint}",
            key=True,
        )
        for key in sorted(set(error.instance) - set(allowed))
    ]


def _bound_message(kind: str, rule: int) -> str:
    return {
        "minLength": f"must be at least {rule} characters long",
        "maxLength": f"must be at most {rule} characters long",
        "minItems": f"must list at least {rule} item{'s' if rule != 1 else ''}",
        "maxItems": f"must list at most {rule} items",
        "minimum": f"must be at least {rule}",
        "maximum": f"must be at most {rule}",
    }[kind]


def _duplicate_item(
    data: LocatedData, where: DataPath, items: list[Any], codes: SchemaCodes
) -> Diagnostic:
    seen: list[Any] = []
    for index, item in enumerate(items):
        if item in seen:
            first = seen.index(item)
            message = f"{format_path((*where, index))}: repeats item {first}"
            return data.diagnostic((*where, index), codes.duplicate_item, message)
        seen.append(item)
    message = f"{format_path(where)}: repeats an item"
    return data.diagnostic(where, codes.duplicate_item, message)
