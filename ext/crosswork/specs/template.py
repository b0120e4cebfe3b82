"""The spec template as an outline: which sections, nested how, in what order.

The outline is read from the template file itself, so changing the template
changes what the linter expects, with no list of sections kept in code.

A section is optional when the first thing under its title is the comment
``.. optional``; the comment renders as nothing, and a spec copied from the
template keeps it, telling its authors which sections they may delete.
Templates without the marker (another community's, for example) can name
their optional sections with the ``optional`` parameter instead.

The paragraphs that follow a ``.. guidance`` comment, up to the end of the
text of the section they are in, are guidance: they tell authors what to
write, and a spec that still has one of them word for word (whitespace
aside) has not been written yet (S109, see
:func:`crosswork.specs.structure.check_guidance`). The comment renders as
nothing, so a spec that keeps it shows nothing of it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes

from crosswork.contributorfiles import UnreadableFile, read_bounded
from crosswork.diagnostics import Diagnostic, register
from crosswork.rststates import MAX_NESTING
from crosswork.specs.rstparse import (
    parse_rst,
    root_sections,
    section_title,
    title_key,
)
from crosswork.specs.source import MAX_SPEC_BYTES

register("Spec structure", S108="the spec template is missing or cannot serve")

#: The comment that marks a template section as optional.
OPTIONAL_MARKER = "optional"
#: The comment after which a section's paragraphs are guidance.
GUIDANCE_MARKER = "guidance"


class TemplateError(ValueError):
    """The template cannot serve as one: no single title, or unknown names."""


@dataclass(frozen=True)
class TemplateSection:
    title: str
    optional: bool = False
    children: tuple[TemplateSection, ...] = ()

    @property
    def key(self) -> str:
        return title_key(self.title)


@dataclass(frozen=True)
class Template:
    """The sections below the template's title, with their subsections."""

    sections: tuple[TemplateSection, ...]
    path: str = "<template>"
    #: The guidance paragraphs, as :func:`paragraph_text` gives them,
    #: sorted so that the template's ``repr`` (a lint cache key) is stable.
    guidance: tuple[str, ...] = ()

    @classmethod
    def from_file(cls, path: str | Path, optional: Iterable[str] = ()) -> Template:
        """Read the template at ``path``; raises :class:`UnreadableFile`
        unless it is a regular file of at most :data:`MAX_SPEC_BYTES`."""
        text = read_bounded(Path(path), MAX_SPEC_BYTES).decode("utf-8")
        return cls.from_text(text, optional, path=str(path))

    @classmethod
    def from_text(
        cls, text: str, optional: Iterable[str] = (), path: str = "<template>"
    ) -> Template:
        """Read the outline; ``optional`` names more optional sections."""
        parsed = parse_rst(text, path)
        deep = [problem.line for problem in parsed.problems if problem.too_deep]
        if deep:
            raise TemplateError(
                f"{path}: content nested more than {MAX_NESTING} levels deep "
                f"at line {deep[0]}"
            )
        roots = root_sections(parsed.doctree)
        if len(roots) != 1:
            raise TemplateError(
                f"{path}: a template has one title with every section below "
                f"it; found {len(roots)} top-level sections"
            )
        sections = _outline(roots[0]).children
        wanted = {title_key(title): title for title in optional}
        unknown = set(wanted) - {section.key for section in _walk(sections)}
        if unknown:
            names = ", ".join(sorted(f'"{wanted[key]}"' for key in unknown))
            raise TemplateError(
                f"{path}: optional sections not in the template: {names}"
            )
        return cls(
            _mark_optional(sections, frozenset(wanted)),
            path,
            tuple(sorted(set(_guidance(roots[0])))),
        )

    def parents(self) -> dict[str, str | None]:
        """Each section's key, with the title of the section it is under
        (``None`` at the top level); used to say where a misplaced section
        belongs."""
        found: dict[str, str | None] = {}
        _collect_parents(self.sections, None, found)
        return found


def _outline(section: nodes.section) -> TemplateSection:
    children = tuple(
        _outline(child)
        for child in section.children
        if isinstance(child, nodes.section)
    )
    return TemplateSection(
        section_title(section), _is_marked_optional(section), children
    )


def _is_marked_optional(section: nodes.section) -> bool:
    body = section.children[1:]
    return (
        bool(body)
        and isinstance(body[0], nodes.comment)
        and body[0].astext().strip().casefold() == OPTIONAL_MARKER
    )


def paragraph_text(paragraph: nodes.paragraph) -> str:
    """A paragraph's words as they read, whitespace normalized, so that
    rewrapping a paragraph does not hide that it is unchanged."""
    return " ".join(paragraph.astext().split())


def _is_guidance_marker(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.comment)
        and node.astext().strip().casefold() == GUIDANCE_MARKER
    )


def _guidance(section: nodes.section) -> Iterable[str]:
    """The paragraphs after a guidance marker, in this section and below."""
    marked = False
    for child in section.children:
        if isinstance(child, nodes.section):
            yield from _guidance(child)
        elif _is_guidance_marker(child):
            marked = True
        elif marked and isinstance(child, nodes.paragraph):
            yield paragraph_text(child)


def _walk(sections: tuple[TemplateSection, ...]) -> Iterable[TemplateSection]:
    for section in sections:
        yield section
        yield from _walk(section.children)


def _mark_optional(
    sections: tuple[TemplateSection, ...], keys: frozenset[str]
) -> tuple[TemplateSection, ...]:
    return tuple(
        dataclasses.replace(
            section,
            optional=section.optional or section.key in keys,
            children=_mark_optional(section.children, keys),
        )
        for section in sections
    )


def _collect_parents(
    sections: tuple[TemplateSection, ...],
    parent: str | None,
    found: dict[str, str | None],
) -> None:
    for section in sections:
        found.setdefault(section.key, parent)
        _collect_parents(section.children, section.title, found)


def load_template(
    path: Path, label: str, raw: bytes | None = None
) -> tuple[Template | None, list[Diagnostic]]:
    """The template at ``path`` (whose bytes are ``raw`` when the caller has
    read them), or an S108 finding that names ``label``."""
    try:
        if raw is None:
            return Template.from_file(path), []
        return Template.from_text(raw.decode("utf-8"), path=str(path)), []
    except UnreadableFile as error:
        return None, [
            Diagnostic(label, 1, 1, "S108", f"cannot read the template: {error.reason}")
        ]
    except (UnicodeDecodeError, TemplateError) as error:
        message = str(error).removeprefix(f"{path}: ")
        return None, [Diagnostic(label, 1, 1, "S108", message)]
