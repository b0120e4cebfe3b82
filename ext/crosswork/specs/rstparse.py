"""The one docutils parse of a spec or template, with safe settings.

Spec text comes from contributors, so it is parsed with file insertion and
raw output disabled and with every report silenced; the system messages
are collected instead, to become located findings.

docutils keeps directives and roles in module-level registries, which a
Sphinx process fills with entries that need a build environment. A parse
here swaps in registries of its own for its duration, holding:

* the roles that only Sphinx defines but specs use (:data:`SPHINX_ROLES`,
  and the roles of the site's data kinds, passed by the caller), as plain
  text, and a few Sphinx directives holding ordinary text
  (:data:`SPHINX_DIRECTIVES`), so that they are not reported as unknown;
* in place of ``raw`` (directive and role), ``include``,
  ``literalinclude`` and ``csv-table`` from a file or URL, handlers that
  insert nothing but a :class:`forbidden` marker for the linter to report;
* code and math directives that record which lines their literal content
  spans, which docutils does not (code blocks also take Sphinx's options).

The parse runs on the bounded states of :mod:`crosswork.rststates`: a
block nested deeper than :data:`~crosswork.rststates.MAX_NESTING` is left
unread and reported, as a :class:`Problem` marked ``too_deep``.
"""

from __future__ import annotations

import copy
import functools
import posixpath
import re
import threading
from collections.abc import Iterator, Set
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from docutils import io, nodes, utils
from docutils.core import Publisher, publish_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.directives import body
from docutils.readers import standalone

from crosswork.rststates import TOO_DEEP, Parser

#: Interpreted-text roles that Sphinx or the site's core defines; each data
#: kind adds its own (:attr:`crosswork.datakind.DataKind.roles`).
SPHINX_ROLES = frozenset({"spec", "ref", "doc", "term"})

#: Sphinx directives whose content is ordinary text.
SPHINX_DIRECTIVES = frozenset(
    {"seealso", "versionadded", "versionchanged", "deprecated"}
)

#: docutils' level of warnings; info and debug messages are not problems.
WARNING_LEVEL = 2

_SETTINGS: dict[str, Any] = {
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "report_level": 5,
    "halt_level": 5,
    "warning_stream": False,
    # Keep the title a section, and the metadata an ordinary field list.
    "doctitle_xform": False,
    "docinfo_xform": False,
    "sectsubtitle_xform": False,
    "syntax_highlight": "none",
    "language_code": "en",
    "input_encoding": "unicode",
    # No docutils.conf from the working directory may change the result.
    "_disable_config": True,
}


def _parse_settings() -> Any:
    """:data:`_SETTINGS` completed with docutils' defaults, as
    :func:`~docutils.core.publish_doctree` would make them from its
    ``settings_overrides``; building the option parser that makes them
    took as long as a short spec's parse."""
    publisher = Publisher(
        reader=_CollectingReader(),
        parser=Parser(),
        writer="null",
        source_class=io.StringInput,
        destination_class=io.NullOutput,
    )
    publisher.process_programmatic_settings(None, _SETTINGS, None)
    return publisher.settings


#: Characters that end a line for docutils but not for an editor's line
#: count; they become spaces so docutils' line numbers are the file's.
_LINE_BREAKS = str.maketrans(dict.fromkeys("\r\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))


class forbidden(nodes.Invisible, nodes.Element):
    """Marks a construct that a spec may not use, where it was used.

    Attributes: ``kind`` (``raw``, ``include`` or ``table-source``),
    ``name`` (the directive, role or option), ``target`` (the path or URL,
    if any) and ``rawtext`` (for a role, the text to find on the line).
    """


@dataclass(frozen=True)
class Problem:
    """A docutils system message of level warning or above."""

    level: int
    #: 1-based; ``None`` when docutils could not tell.
    line: int | None
    message: str
    #: The block at ``line`` was nested too deep to read.
    too_deep: bool = False


@dataclass(frozen=True)
class ParsedRst:
    doctree: nodes.document
    problems: list[Problem]

    @property
    def too_deep(self) -> bool:
        """Whether some block was left unread for its nesting."""
        return any(problem.too_deep for problem in self.problems)


def parse_rst(
    text: str, source_path: str, extra_roles: Set[str] = frozenset()
) -> ParsedRst:
    """Parse ``text`` and collect docutils' problems instead of printing them;
    ``extra_roles`` are roles of the site that read as plain text."""
    reader = _CollectingReader()
    with _spec_markup(extra_roles):
        doctree = publish_doctree(
            text.translate(_LINE_BREAKS),
            source_path=source_path,
            reader=reader,
            parser=Parser(),
            # A parse writes to its settings (its source, output path and
            # dependencies), so each has a copy of its own.
            settings=copy.deepcopy(_PARSE_SETTINGS),
        )
    return ParsedRst(doctree, reader.problems)


def root_sections(node: nodes.Element) -> list[nodes.section]:
    """The sections directly below ``node``, in document order."""
    return [child for child in node.children if isinstance(child, nodes.section)]


def section_title(section: nodes.section) -> str:
    return " ".join(section[0].astext().split())


def title_line(section: nodes.section) -> int:
    """Line of a section's title text (docutils gives its underline's)."""
    underline = section[0].line
    return underline - 1 if underline else 1


def title_key(title: str) -> str:
    """How titles compare: ``Use Cases`` is the template's ``Use cases``."""
    return " ".join(title.split()).casefold()


def literal_lines(doctree: nodes.document) -> frozenset[int]:
    """Lines holding the content of literal, doctest and math blocks."""
    lines: set[int] = set()
    # By class, docutils walks the tree without a generator per node.
    for node in filter(_is_literal, doctree.findall(nodes.FixedTextElement)):
        span = getattr(node, "literal_span", None)
        if span is None and node.line:
            span = (node.line, node.line + node.astext().count("\n"))
        if span is not None:
            lines.update(range(span[0], span[1] + 1))
    return frozenset(lines)


def _is_literal(node: nodes.Node) -> bool:
    return isinstance(
        node, nodes.literal_block | nodes.doctest_block | nodes.math_block
    )


class _CollectingReader(standalone.Reader):
    """The standalone reader, listening to every message of its document."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[Problem] = []

    def new_document(self) -> nodes.document:
        document = super().new_document()
        document.reporter.attach_observer(self._collect)
        return document

    def _collect(self, message: nodes.system_message) -> None:
        if message["level"] >= WARNING_LEVEL:
            text = message.children[0].astext() if message.children else ""
            self.problems.append(
                Problem(
                    message["level"],
                    message.get("line"),
                    text,
                    too_deep=bool(message.get(TOO_DEEP)),
                )
            )


_REGISTRY_LOCK = threading.Lock()


@contextmanager
def _spec_markup(extra_roles: Set[str]) -> Iterator[None]:
    """Give one parse registries of its own, restoring the global ones after."""
    with _REGISTRY_LOCK:
        saved = directives._directives, roles._roles
        directives._directives = _Directives(_DIRECTIVES)
        roles._roles = _ROLES | dict.fromkeys(extra_roles, _sphinx_role)
        try:
            yield
        finally:
            directives._directives, roles._roles = saved


class _AnyOption(dict[str, Any]):
    """An option spec accepting every option, for directives that are only
    reported: their options do not matter, and unknown ones must not add an
    error of their own."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged

    def __bool__(self) -> bool:
        return True


def _marker(
    kind: str, name: str, line: int, target: str = "", rawtext: str = ""
) -> forbidden:
    node = forbidden(kind=kind, name=name, target=target, rawtext=rawtext)
    node.line = line
    return node


class _Raw(Directive):
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()
    has_content = True

    def run(self) -> list[nodes.Node]:
        target = self.options.get("file") or self.options.get("url") or ""
        return [_marker("raw", self.name, self.lineno, target=target)]


class _Include(Directive):
    """``include`` and ``literalinclude``: allowed only inside the spec's
    folder. Nothing is inserted either way; included files are not linted."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()

    def run(self) -> list[nodes.Node]:
        target = directives.path(self.arguments[0])
        if leaves_folder(target):
            return [_marker("include", self.name, self.lineno, target=target)]
        return []


def leaves_folder(target: str) -> bool:
    """Whether an include target lies outside the including file's folder.

    Absolute paths (which Sphinx reads from the source root), docutils'
    standard ``<name>`` includes and paths climbing with ``..`` all do.
    """
    path = target.replace("\\", "/")
    if path.startswith(("/", "<")) or ":" in path:  # a drive letter or a URL
        return True
    normal = posixpath.normpath(path)
    return normal == ".." or normal.startswith("../")


@functools.cache
def _csv_table() -> type[Directive]:
    """The ``csv-table`` directive, built when a spec first uses one:
    docutils' table module imports ``urllib.request``, which is a tenth of
    ``crosswork lint FILE``'s start-up."""
    from docutils.parsers.rst.directives import tables

    class CSVTable(tables.CSVTable):
        """A CSV table is fine inline; read from a file or URL it is forbidden."""

        def run(self) -> list[nodes.Node]:
            for number, text in enumerate(self.block_text.splitlines()):
                option = _SOURCE_OPTION.match(text)
                if option and option["name"] in self.options:
                    name, target = option["name"], self.options[option["name"]]
                    line = self.lineno + number
                    return [_marker("table-source", f":{name}:", line, target=target)]
            return super().run()

    return CSVTable


class _Directives(dict[str, Any]):
    """One parse's directives by name, ``csv-table`` built on first use."""

    def __contains__(self, name: object) -> bool:
        return name == "csv-table" or super().__contains__(name)

    def __missing__(self, name: str) -> Any:
        if name != "csv-table":
            raise KeyError(name)
        self[name] = _csv_table()
        return self[name]


_SOURCE_OPTION = re.compile(r"\s*:(?P<name>file|url):")


class _LiteralSpan(Directive):
    """Records on each literal node the lines of the directive's content."""

    def run(self) -> list[nodes.Node]:
        result = super().run()
        first = self.content_offset + 1
        span = (first, first + len(self.content) - 1)
        for node in result:
            if isinstance(node, nodes.literal_block | nodes.math_block):
                node.literal_span = span
        return result


class _CodeBlock(_LiteralSpan, body.CodeBlock):
    """docutils' code block, also taking the options of Sphinx's, which
    only change how the block is shown."""

    option_spec = body.CodeBlock.option_spec | {
        "caption": directives.unchanged,
        "dedent": directives.unchanged,
        "emphasize-lines": directives.unchanged,
        "force": directives.flag,
        "lineno-start": directives.nonnegative_int,
        "linenos": directives.flag,
    }


class _MathBlock(_LiteralSpan, body.MathBlock):
    pass


class _SphinxText(Directive):
    """Stand-in for a Sphinx directive: its content, parsed as usual."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()
    has_content = True

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        # reviewed: parses a contributor's own spec text to lint it, never data
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


def _sphinx_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: object,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Stand-in for a Sphinx role: its text, without resolving anything."""
    return [nodes.literal(rawtext, utils.unescape(text), classes=["xref", name])], []


def _raw_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: object,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    return [_marker("raw", name, lineno, rawtext=rawtext)], []


# The "role" directive reads the options of a role derived from "raw".
_raw_role.options = {"format": directives.unchanged}  # type: ignore[attr-defined]

_DIRECTIVES: dict[str, type[Directive]] = dict.fromkeys(
    SPHINX_DIRECTIVES, _SphinxText
) | {
    "raw": _Raw,
    "include": _Include,
    "literalinclude": _Include,
    "code": _CodeBlock,
    "code-block": _CodeBlock,
    "sourcecode": _CodeBlock,
    "math": _MathBlock,
}

_ROLES: dict[str, Any] = {"raw": _raw_role} | dict.fromkeys(SPHINX_ROLES, _sphinx_role)

#: Built once, at import, and only ever copied: safe to share between threads.
_PARSE_SETTINGS = _parse_settings()
