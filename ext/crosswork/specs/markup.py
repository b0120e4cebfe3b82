"""reStructuredText problems, and constructs a spec may not use.

A spec is contributor text published on the site, so it may not:

* use ``raw``, as a directive or through a role derived from it (F101):
  raw output bypasses every check of what the site publishes;
* ``include`` or ``literalinclude`` a file outside its own folder (F102),
  which could publish any file of the build machine;
* read a ``csv-table`` from a file or URL (F103), for the same reason and
  because the build is offline;
* link to a scheme other than http, https and mailto (F104). The scheme is
  read the way browsers do, ignoring case, whitespace and control
  characters, so ``JaVaScRiPt:`` and `` javascript:`` are caught.

docutils' own warnings (R101) and errors (R102) are reported with their
line; both are errors here, as the site is built with warnings as errors.
Content nested deeper than docutils can parse safely is left unread and
reported where it starts (R103, see :data:`~crosswork.rststates.MAX_NESTING`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from docutils import nodes

from crosswork.diagnostics import Diagnostic, register
from crosswork.rststates import MAX_NESTING
from crosswork.specs.rstparse import Problem, forbidden
from crosswork.specs.source import Source

register(
    "Forbidden constructs",
    F101="raw content (a raw directive or a role derived from raw)",
    F102="an include of a file outside the spec's folder",
    F103="a csv-table read from a file or URL",
    F104="a link with a scheme other than http, https or mailto",
)
register(
    "RST syntax",
    R101="docutils reports a warning",
    R102="docutils reports an error",
    R103=f"content is nested more than {MAX_NESTING} levels deep (lists, "
    "quotes, directives)",
)

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

#: docutils' level of errors; warnings are one below.
ERROR_LEVEL = 3

_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*(?=:)")


def check_syntax(source: Source, problems: list[Problem]) -> list[Diagnostic]:
    found = []
    for problem in problems:
        line = problem.line or 1
        code = _syntax_code(problem)
        message = problem.message.splitlines()[0] if problem.message else "problem"
        found.append(source.diagnostic(line, source.indent_column(line), code, message))
    return found


def _syntax_code(problem: Problem) -> str:
    if problem.too_deep:
        return "R103"
    return "R102" if problem.level >= ERROR_LEVEL else "R101"


def check_forbidden(source: Source, doctree: nodes.document) -> list[Diagnostic]:
    found = [_construct(source, marker) for marker in doctree.findall(forbidden)]
    found.extend(_bad_links(source, doctree))
    return found


def _construct(source: Source, marker: forbidden) -> Diagnostic:
    kind, name, target = marker["kind"], marker["name"], marker["target"]
    line = marker.line or 1
    column = source.indent_column(line)
    if marker["rawtext"] and marker["rawtext"] in source.line(line):
        column = source.line(line).index(marker["rawtext"]) + 1
    if kind == "raw" and marker["rawtext"]:
        code, message = "F101", f'role "{name}" is raw output, which is not allowed'
    elif kind == "raw":
        reading = f' reading "{target}"' if target else ""
        code, message = "F101", f"raw directive{reading} is not allowed"
    elif kind == "include":
        code, message = (
            "F102",
            f'{name} of "{target}" reaches outside the spec\'s folder',
        )
    else:
        code = "F103"
        message = f'csv-table reads {name} "{target}": write the rows in the spec'
    return source.diagnostic(line, column, code, message)


def _bad_links(source: Source, doctree: nodes.document) -> Iterator[Diagnostic]:
    locator = _Locator(source)
    seen: set[tuple[int, int]] = set()
    for node in doctree.findall(nodes.Element):
        uri = node.get("refuri") or (
            node.get("uri") if isinstance(node, nodes.image) else None
        )
        scheme = link_scheme(uri) if uri else None
        if scheme is None or scheme in ALLOWED_SCHEMES:
            continue
        place = locator.find(squeeze(uri), _nearest_line(node))
        if place is not None and place not in seen:
            seen.add(place)
            yield source.diagnostic(
                *place,
                "F104",
                f'link scheme "{scheme}" is not allowed (only http, https and mailto)',
            )


def link_scheme(uri: str) -> str | None:
    """The scheme a browser would see in ``uri``, lower case, if it has one."""
    match = _SCHEME.match(squeeze(uri))
    return match.group() if match else None


def squeeze(text: str) -> str:
    """``text`` in lower case, without whitespace and control or format
    characters, which browsers drop from a URL's scheme."""
    return "".join(char.lower() for char in text if not _ignorable(char))


def _ignorable(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def _nearest_line(node: nodes.Node) -> int:
    current: nodes.Node | None = node
    while current is not None:
        if current.line:
            return current.line
        current = current.parent
    return 1


class _Locator:
    """Finds where a link was written, given its squeezed text.

    docutils keeps no column for links, and may have taken whitespace out
    of them, so the source is searched with the same characters dropped.
    A link reached both through a target and through its references is
    reported once, where it is written.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self._text: str | None = None
        self._places: list[tuple[int, int]] = []
        self._reported: set[int] = set()

    def find(self, needle: str, from_line: int) -> tuple[int, int] | None:
        text = self._squeezed()
        start = next(
            (
                index
                for index, place in enumerate(self._places)
                if place[0] >= from_line
            ),
            len(text),
        )
        for offset in (start, 0):
            index = self._first_unreported(text, needle, offset)
            if index is not None:
                self._reported.add(index)
                return self._places[index]
        if text.find(needle) < 0:
            return (from_line, self.source.indent_column(from_line))
        return None

    def _first_unreported(self, text: str, needle: str, offset: int) -> int | None:
        index = text.find(needle, offset)
        while index >= 0 and index in self._reported:
            index = text.find(needle, index + 1)
        return index if index >= 0 else None

    def _squeezed(self) -> str:
        if self._text is None:
            chars = []
            for number, line in enumerate(self.source.lines, start=1):
                for column, char in enumerate(line, start=1):
                    if not _ignorable(char):
                        for lower in char.lower():
                            chars.append(lower)
                            self._places.append((number, column))
            self._text = "".join(chars)
        return self._text
