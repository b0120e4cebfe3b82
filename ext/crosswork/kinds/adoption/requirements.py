"""Read pip requirements files into facts, every line accounted for.

Lines follow pip's own reading: a backslash at the end of a line joins the
next one; ``#`` at the start of a line or after white space starts a
comment (so a URL's ``#egg=`` fragment stays); a line is a requirement
followed by per-requirement options (``--hash``), or options alone.
Requirements are read with ``packaging`` (PEP 508: names, extras,
specifiers, markers, ``name @ url``), names are normalized per PEP 503.
``-r`` and ``-c`` includes are recorded, never followed; editable installs
(``-e``) are requirements when they name a project (``#egg=name``) and
recorded options otherwise; other options are recorded. A line that
cannot be read is a located warning, never dropped and never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from crosswork.diagnostics import Diagnostic, Severity, decode_utf8, register
from crosswork.textclean import clean_line

register(
    "Requirements files",
    D101="a requirements file is not UTF-8 text",
    D102="a line is not a PEP 508 requirement (warning)",
    D103="a requirement has no project name: a bare URL or path (warning)",
    D104="an option needs a value and has none (warning)",
    D105="a line ends with a backslash and nothing follows (warning)",
)

#: Options that include another file: recorded, never followed.
INCLUDES = {
    "-r": "requirement",
    "--requirement": "requirement",
    "-c": "constraint",
    "--constraint": "constraint",
}
EDITABLE = ("-e", "--editable")
#: Options that take a value in the next token when not given with ``=``.
VALUED = frozenset(
    {
        *INCLUDES,
        *EDITABLE,
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "--no-binary",
        "--only-binary",
        "--trusted-host",
        "--use-feature",
        "--hash",
        "--config-settings",
        "--global-option",
    }
)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^(file|git\+[a-z]+):")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
#: Characters kept of any text read from a file.
LIMIT = 300


def normalize(name: str) -> str:
    """A project name per PEP 503: ``oslo.config`` is ``oslo-config``."""
    return canonicalize_name(name)


@dataclass(frozen=True)
class Line:
    """One logical line: its text without comment and where it starts."""

    number: int
    column: int
    text: str


@dataclass(frozen=True)
class Entry:
    """One requirement as written, read into its parts."""

    #: The PEP 503 name.
    name: str
    #: The name as the file spells it.
    written: str
    #: The version specifier, ``""`` for any version.
    specifier: str = ""
    #: The environment marker, ``""`` for every environment.
    marker: str = ""
    extras: tuple[str, ...] = ()
    url: str = ""
    editable: bool = False
    hashes: tuple[str, ...] = ()
    line: int = 0

    @property
    def text(self) -> str:
        """The specifier with extras and marker, as one cell shows it."""
        extras = f"[{','.join(self.extras)}]" if self.extras else ""
        spec = f"@ {self.url}" if self.url else self.specifier or "any version"
        marker = f"; {self.marker}" if self.marker else ""
        return f"{extras}{spec}{marker}".strip()

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "written": self.written,
            "specifier": self.specifier,
            "marker": self.marker,
            "extras": list(self.extras),
            "url": self.url,
            "editable": self.editable,
            "hashes": list(self.hashes),
            "line": self.line,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Entry:
        return cls(
            name=str(data["name"]),
            written=str(data["written"]),
            specifier=str(data.get("specifier", "")),
            marker=str(data.get("marker", "")),
            extras=tuple(str(x) for x in data.get("extras", ()) or ()),  # type: ignore[union-attr]
            url=str(data.get("url", "")),
            editable=bool(data.get("editable", False)),
            hashes=tuple(str(x) for x in data.get("hashes", ()) or ()),  # type: ignore[union-attr]
            line=int(data.get("line", 0)),  # type: ignore[call-overload]
        )


@dataclass(frozen=True)
class Option:
    """An option line or part of one: includes, indexes, editables by path."""

    #: ``requirement`` or ``constraint`` for includes, else the option.
    kind: str
    value: str
    line: int

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "value": self.value, "line": self.line}


@dataclass(frozen=True)
class RequirementsFile:
    """What one file says, and what of it could not be read."""

    path: str
    entries: tuple[Entry, ...] = ()
    options: tuple[Option, ...] = ()
    problems: tuple[Diagnostic, ...] = ()

    @property
    def includes(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.kind in INCLUDES.values())

    def by_name(self) -> dict[str, list[Entry]]:
        result: dict[str, list[Entry]] = {}
        for entry in self.entries:
            result.setdefault(entry.name, []).append(entry)
        return result


def without_comment(text: str) -> str:
    """``text`` up to a ``#`` at its start or after white space, and the
    white space before it.

    Not the pattern ``(^|\\s+)#.*$``: it scanned a run of white space from
    each of its characters when no ``#`` followed, quadratic in the line's
    length (32,000 spaces took 23 seconds).
    """
    index = text.find("#")
    while index != -1:
        if index == 0 or text[index - 1].isspace():
            return text[:index].rstrip()
        index = text.find("#", index + 1)
    return text


def logical_lines(text: str) -> Iterator[Line | Diagnostic]:
    """Lines joined at trailing backslashes, comments removed, blanks skipped."""
    path = ""
    pending: list[str] = []
    start = 0
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        if not pending:
            start = number
        if raw.endswith("\\"):
            pending.append(raw[:-1])
            if number == len(lines):
                yield Diagnostic(
                    path,
                    number,
                    len(raw),
                    "D105",
                    "the last line ends with a backslash; it is read as if it did not",
                    Severity.WARNING,
                )
            else:
                continue
        else:
            pending.append(raw)
        joined = "".join(pending)
        pending = []
        stripped = without_comment(joined)
        if stripped.strip():
            column = len(stripped) - len(stripped.lstrip()) + 1
            yield Line(start, column, stripped.strip())


def parse_requirements(path: str, raw: bytes | str) -> RequirementsFile:
    """Read one requirements file; its problems are located warnings."""
    if isinstance(raw, bytes):
        text, problem = decode_utf8(path, raw, "D101")
        if text is None:
            return RequirementsFile(path, problems=(problem,) if problem else ())
    else:
        text = raw
    entries: list[Entry] = []
    options: list[Option] = []
    problems: list[Diagnostic] = []
    for item in logical_lines(text.lstrip("\ufeff")):
        if isinstance(item, Diagnostic):
            problems.append(
                Diagnostic(
                    path, item.line, item.column, item.code, item.message, item.severity
                )
            )
            continue
        _read_line(path, item, entries, options, problems)
    return RequirementsFile(path, tuple(entries), tuple(options), tuple(problems))


def _warning(path: str, line: Line, offset: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(
        path, line.number, line.column + offset, code, message, Severity.WARNING
    )


def _split_options(
    path: str, line: Line, tokens: list[str], problems: list[Diagnostic]
) -> list[tuple[str, str]]:
    """``[(option, value)]`` of option tokens, ``--a=b``, ``--a b`` and ``-ab``."""
    result: list[tuple[str, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if not token.startswith("-"):
            result.append(("", token))
            continue
        option, equals, value = token.partition("=")
        if not equals and option not in VALUED and option[:2] in VALUED:
            option, value = option[:2], option[2:]
        elif not equals and option in VALUED:
            if index < len(tokens):
                value = tokens[index]
                index += 1
            else:
                problems.append(
                    _warning(
                        path, line, 0, "D104", f"{clean_line(option)} needs a value"
                    )
                )
                continue
        result.append((option, value))
    return result


def _read_line(
    path: str,
    line: Line,
    entries: list[Entry],
    options: list[Option],
    problems: list[Diagnostic],
) -> None:
    tokens = line.text.split()
    first_option = next(
        (i for i, token in enumerate(tokens) if token.startswith("-")), len(tokens)
    )
    requirement = " ".join(tokens[:first_option])
    pairs = _split_options(path, line, tokens[first_option:], problems)
    hashes: list[str] = []
    for option, value in pairs:
        value = clean_line(value, LIMIT)
        if option in INCLUDES:
            options.append(Option(INCLUDES[option], value, line.number))
        elif option in EDITABLE:
            editable = _read_editable(path, line, value, problems)
            if editable is None:
                options.append(Option("editable", value, line.number))
            else:
                entries.append(editable)
        elif option == "--hash":
            hashes.append(value)
        elif option == "":
            problems.append(
                _warning(
                    path,
                    line,
                    0,
                    "D102",
                    f"{value!r} follows an option it does not belong to",
                )
            )
        else:
            options.append(Option(clean_line(option, 60), value, line.number))
    if requirement:
        entry = _read_requirement(path, line, requirement, problems)
        if entry is not None:
            entries.append(replace(entry, hashes=tuple(hashes)))
    elif hashes:
        problems.append(_warning(path, line, 0, "D102", "--hash without a requirement"))


def _read_editable(
    path: str, line: Line, value: str, problems: list[Diagnostic]
) -> Entry | None:
    """An editable install that names its project, or None (a path)."""
    if _URL.search(value):
        found = _EGG.search(value)
        if found is None:
            return None
        return Entry(
            name=normalize(found.group(1)),
            written=clean_line(found.group(1), LIMIT),
            url=value,
            editable=True,
            line=line.number,
        )
    entry = _read_requirement(path, line, value, problems, quiet=True)
    if entry is None:
        return None
    return replace(entry, editable=True)


def _read_requirement(
    path: str, line: Line, text: str, problems: list[Diagnostic], quiet: bool = False
) -> Entry | None:
    if _URL.search(text):
        found = _EGG.search(text)
        if found:
            return Entry(
                name=normalize(found.group(1)),
                written=clean_line(found.group(1), LIMIT),
                url=clean_line(text, LIMIT),
                line=line.number,
            )
        if not quiet:
            problems.append(
                _warning(
                    path,
                    line,
                    0,
                    "D103",
                    f"{clean_line(text, 80)!r} names no project (add #egg=name or"
                    " write name @ url)",
                )
            )
        return None
    try:
        parsed = Requirement(text)
    except InvalidRequirement as error:
        if not quiet:
            reason = clean_line(str(error).splitlines()[0], 160)
            problems.append(
                _warning(
                    path,
                    line,
                    0,
                    "D102",
                    f"{clean_line(text, 80)!r} is not a requirement: {reason}",
                )
            )
        return None
    return Entry(
        name=normalize(parsed.name),
        written=clean_line(parsed.name, LIMIT),
        specifier=clean_line(str(parsed.specifier), LIMIT),
        marker=clean_line(str(parsed.marker), LIMIT) if parsed.marker else "",
        extras=tuple(sorted(clean_line(e, 60) for e in parsed.extras)),
        url=clean_line(parsed.url or "", LIMIT),
        line=line.number,
    )


def minimum(specifier: str) -> Version | None:
    """The lowest version a specifier allows, as written: its highest
    lower bound among ``>=``, ``>``, ``~=``, ``==`` and ``===`` clauses
    (``==1.2.*`` counts as 1.2); None without one."""
    try:
        clauses = SpecifierSet(specifier)
    except InvalidSpecifier:
        return None
    bounds: list[Version] = []
    for clause in clauses:
        if clause.operator in {">=", ">", "~=", "==", "==="}:
            try:
                bounds.append(Version(clause.version.removesuffix(".*")))
            except InvalidVersion:
                continue
    return max(bounds) if bounds else None


def allows(specifier: str, version: Version) -> bool:
    """Whether ``version`` satisfies ``specifier`` (pre-releases allowed)."""
    try:
        return SpecifierSet(specifier).contains(version, prereleases=True)
    except InvalidSpecifier:
        return False
