"""``crosswork new-spec``: a new spec file, copied from the template.

The copy keeps the template's sections and guidance text and replaces its
title and metadata, so its authors replace prose rather than build
structure. Its metadata and outline are valid from the start, but it does
not pass the linter until every guidance paragraph is replaced (S109): a
spec that only repeats the template has not been written yet.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from docutils import nodes

from crosswork.contributorfiles import read_bounded
from crosswork.specs.layout import SPECS_DIR, TEMPLATE_PATH
from crosswork.specs.metadata import is_author
from crosswork.specs.model import is_cycle
from crosswork.specs.rstparse import parse_rst, root_sections, title_line
from crosswork.specs.source import MAX_SPEC_BYTES
from crosswork.specs.text import MAX_LINE_LENGTH


def slugify(title: str) -> str:
    """``Adopt one configuration library`` -> ``adopt-one-configuration-library``."""
    ascii_title = (
        unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def new_spec(
    root: Path, title: str, workgroup: str, cycle: str, today: date, author: str
) -> Path:
    """Write ``specs/<cycle>/<slug>.rst`` below ``root`` as a draft.

    Raises ``ValueError`` for a title, cycle or author that would not
    lint, and ``FileExistsError`` when the slug is taken, in this
    cycle or another, rather than overwrite or duplicate a spec.
    """
    title = " ".join(title.split())
    author = " ".join(author.split())
    slug = slugify(title)
    _check_arguments(title, slug, cycle, author)
    specs = Path(root) / SPECS_DIR
    taken = sorted(specs.glob(f"*/{slug}.rst"))
    if taken:
        raise FileExistsError(f"a spec named {slug!r} exists: {taken[0]}")
    template = read_bounded(Path(root) / TEMPLATE_PATH, MAX_SPEC_BYTES).decode("utf-8")
    fields = {
        "Status": "draft",
        "Workgroup": workgroup,
        "Authors": author,
        "Created": today.isoformat(),
        "Cycle": cycle,
    }
    target = specs / cycle / f"{slug}.rst"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as output:
        output.write(fill_template(template, title, fields))
    return target


def _check_arguments(title: str, slug: str, cycle: str, author: str) -> None:
    if not slug:
        raise ValueError(f"title {title!r} gives no slug: use letters or digits")
    if len(title) > MAX_LINE_LENGTH:
        raise ValueError(f"title is longer than {MAX_LINE_LENGTH} characters")
    if not is_cycle(cycle):
        raise ValueError(f"cycle {cycle!r} is not a cycle (like 2027.1)")
    if not is_author(author):
        raise ValueError(f'author {author!r} is not "Name" or "Name <address>"')


def fill_template(template: str, title: str, fields: dict[str, str]) -> str:
    """The template with its title block and metadata field list replaced."""
    lines = template.split("\n")
    document_title = _single_title(template)
    field_list = next(
        (
            child
            for child in document_title.children
            if isinstance(child, nodes.field_list)
        ),
        None,
    )
    if field_list is None:
        raise ValueError(f"{TEMPLATE_PATH} has no metadata field list to fill in")
    start = field_list.line - 1
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    lines[start:end] = [f":{name}: {value}" for name, value in fields.items()]
    text_line = title_line(document_title) - 1
    rule = "=" * len(title)
    has_overline = text_line > 0 and lines[text_line - 1] == lines[text_line + 1]
    first = text_line - 1 if has_overline else text_line
    lines[first : text_line + 2] = [rule, title, rule]
    return "\n".join(lines)


def _single_title(template: str) -> nodes.section:
    roots = root_sections(parse_rst(template, TEMPLATE_PATH).doctree)
    if len(roots) != 1:
        raise ValueError(f"{TEMPLATE_PATH} does not have exactly one title")
    return roots[0]
