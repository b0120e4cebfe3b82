"""A spec's sections against the template's outline.

Rules, checked at every level of the outline:

* the spec has exactly one title, with every section below it (S101);
* each required section of the template is present (S102); an optional
  one may be left out, and then so may everything below it;
* a top-level section that the template does not have is an error (S103);
  below the top level, sections the template does not name are allowed
  anywhere, so authors can structure their own text (a misspelt template
  subsection still shows up as missing);
* the template's sections keep the template's order (S104); only the
  sections that were moved are reported, not everything they jumped over;
* a required section without subsections has some text (S105), and more
  than a bare ``None`` or ``N/A`` (S106, a warning: sometimes that is the
  honest answer, but a reviewer should look at it);
* a section title appears only once among its siblings (S107);
* no paragraph is one of the template's guidance paragraphs, word for
  word (S109): :func:`check_guidance`, so that ``crosswork new-spec``
  output does not pass until its authors have written every section.

Link targets count as text, so a References section made only of
``.. _name: URL`` lines is not empty.

Titles compare case-insensitively, so ``Use Cases`` is ``Use cases``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from docutils import nodes

from crosswork.diagnostics import Diagnostic, Severity, register
from crosswork.specs.order import misplaced
from crosswork.specs.rstparse import (
    forbidden,
    root_sections,
    section_title,
    title_key,
    title_line,
)
from crosswork.specs.source import Source
from crosswork.specs.template import Template, TemplateSection, paragraph_text

register(
    "Spec structure",
    S101="the spec does not have exactly one title above its sections",
    S102="a required section of the template is missing",
    S103="a top-level section is not in the template",
    S104="a section is out of the template's order",
    S105="a required section is empty",
    S106="a required section only says None or N/A",
    S107="a section title is repeated among its siblings",
    S109="a paragraph is still the template's guidance, word for word",
)

#: What comes before a paragraph's text on its first line: indentation and
#: a list item's bullet or enumerator.
_TEXT_START = re.compile(r"\s*(?:[-*+\u2022]\s+|\(?(?:\d+|[A-Za-z]|#)[.)]\s+)?")

#: Bodies that answer a section without saying anything.
PLACEHOLDERS = frozenset({"none", "n/a", "na"})

#: Children of a section that are not its text.
_NOT_TEXT = (
    nodes.title,
    nodes.section,
    nodes.comment,
    nodes.target,
    nodes.substitution_definition,
    nodes.system_message,
    forbidden,
)


def check_structure(
    source: Source, doctree: nodes.document, template: Template
) -> list[Diagnostic]:
    roots = root_sections(doctree)
    if not roots:
        return [source.diagnostic(1, 1, "S101", "the spec has no title")]
    if len(roots) > 1:
        return [
            source.diagnostic(
                title_line(extra),
                1,
                "S101",
                f'"{section_title(extra)}" is a second top-level title: sections '
                "need an underline style different from the title's",
            )
            for extra in roots[1:]
        ]
    return list(_Comparison(source, template, roots[0]).run())


class _Comparison:
    """One spec compared with one template, level by level."""

    def __init__(
        self, source: Source, template: Template, title: nodes.section
    ) -> None:
        self.source = source
        self.template = template
        self.title = title
        self.template_parents = template.parents()
        self.spec_places: dict[str, tuple[int, str | None]] = {}
        self._index(title, None)

    def _index(self, section: nodes.section, parent: str | None) -> None:
        for child in root_sections(section):
            self.spec_places.setdefault(
                title_key(section_title(child)), (title_line(child), parent)
            )
            self._index(child, section_title(child))

    def run(self) -> Iterator[Diagnostic]:
        yield from self._level(self.template.sections, self.title, top=True)

    def _level(
        self, expected: tuple[TemplateSection, ...], parent: nodes.section, *, top: bool
    ) -> Iterator[Diagnostic]:
        ranks = {section.key: rank for rank, section in enumerate(expected)}
        seen: dict[str, nodes.section] = {}
        present: dict[str, nodes.section] = {}
        for section in root_sections(parent):
            key = title_key(section_title(section))
            if key in seen:
                yield self._repeated(section, seen[key])
                continue
            seen[key] = section
            if key in ranks:
                present[key] = section
            elif top:
                yield self._unexpected(section)
        yield from self._order(expected, ranks, present)
        for template_section in expected:
            section = present.get(template_section.key)
            if section is None:
                if not template_section.optional:
                    yield self._missing(template_section, parent, top=top)
                continue
            if not template_section.optional:
                yield from self._body(section)
            yield from self._level(template_section.children, section, top=False)

    def _order(
        self,
        expected: tuple[TemplateSection, ...],
        ranks: dict[str, int],
        present: dict[str, nodes.section],
    ) -> Iterator[Diagnostic]:
        sections = sorted(present.values(), key=title_line)
        order = [ranks[title_key(section_title(section))] for section in sections]
        for item in misplaced(order):
            section = sections[item.position]
            side = "after" if item.after else "before"
            yield self.source.diagnostic(
                title_line(section),
                1,
                "S104",
                f'section "{section_title(section)}" is out of order: the template '
                f'puts it {side} "{expected[item.neighbour].title}"',
            )

    def _repeated(self, section: nodes.section, first: nodes.section) -> Diagnostic:
        return self.source.diagnostic(
            title_line(section),
            1,
            "S107",
            f'section "{section_title(section)}" appears again (first at line '
            f"{title_line(first)})",
        )

    def _unexpected(self, section: nodes.section) -> Diagnostic:
        title = section_title(section)
        home = self.template_parents.get(title_key(title))
        hint = f'belongs under "{home}"' if home else "is not in the template"
        return self.source.diagnostic(
            title_line(section), 1, "S103", f'section "{title}" {hint}'
        )

    def _missing(
        self, expected: TemplateSection, parent: nodes.section, *, top: bool
    ) -> Diagnostic:
        where = "" if top else f' in "{section_title(parent)}"'
        message = f'missing section "{expected.title}"{where}'
        found = self.spec_places.get(expected.key)
        if found is not None:
            line, found_parent = found
            place = f'under "{found_parent}"' if found_parent else "at the top level"
            message += f" (there is one at line {line}, {place})"
        return self.source.diagnostic(title_line(parent), 1, "S102", message)

    def _body(self, section: nodes.section) -> Iterator[Diagnostic]:
        if root_sections(section) or _has_links(section):
            return
        text = " ".join(
            child.astext()
            for child in section.children
            if not isinstance(child, _NOT_TEXT)
        )
        words = " ".join(text.split())
        title = section_title(section)
        line = title_line(section)
        if not words:
            yield self.source.diagnostic(line, 1, "S105", f'section "{title}" is empty')
        elif words.casefold().rstrip(".") in PLACEHOLDERS:
            yield self.source.diagnostic(
                line,
                1,
                "S106",
                f'section "{title}" only says "{words}"',
                Severity.WARNING,
            )


def _has_links(section: nodes.section) -> bool:
    return any(
        isinstance(child, nodes.target) and child.get("refuri")
        for child in section.children
    )


def check_guidance(
    source: Source, doctree: nodes.document, template: Template
) -> list[Diagnostic]:
    """Each paragraph that is still one of the template's guidance
    paragraphs, at its first line."""
    guidance = frozenset(template.guidance)
    if not guidance:
        return []
    return [
        _guidance_left(source, paragraph)
        for paragraph in doctree.findall(nodes.paragraph)
        if paragraph_text(paragraph) in guidance
    ]


def _guidance_left(source: Source, paragraph: nodes.paragraph) -> Diagnostic:
    line = _line_of(paragraph)
    words = paragraph_text(paragraph)
    start = words if len(words) <= 40 else words[:40].rsplit(" ", 1)[0] + "..."
    message = (
        f'the template\'s guidance is still here ("{start}"): replace it '
        "with what this spec has to say"
    )
    start_of_text = _TEXT_START.match(source.line(line))
    column = start_of_text.end() + 1 if start_of_text else 1
    return source.diagnostic(line, column, "S109", message)


def _line_of(node: nodes.Node) -> int:
    """The node's line, else its nearest ancestor's; docutils leaves it
    out of paragraphs in some containers."""
    current: nodes.Node | None = node
    while current is not None:
        if current.line:
            return current.line
        current = current.parent
    return 1
