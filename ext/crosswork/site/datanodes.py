r"""Builders of docutils nodes for data values.

Data never becomes markup: every value from a charter, a spec's metadata or
an upstream goes into a node as text through these helpers, and links go
through the allowlist of :mod:`crosswork.links`, and the directives that
show data are :class:`DataDirective`\ s, whose text Sphinx's smart quotes
leave as its source has it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from crosswork.links import DEFAULT_HOSTS, safe_https_url

Cell = nodes.Node | str


class DataDirective(SphinxDirective):
    """A directive showing data, which Sphinx's smart quotes leave alone.

    They would rewrite its text, which is not prose of the site: a package's
    ``--upgrade`` flag into an en dash, the straight quotes of a quoted
    command into curly ones, an HTML comment in a title into something
    else. Every element a subclass's ``run`` returns is marked as Sphinx's
    own literal nodes are (``support_smartquotes``), and Sphinx skips the
    text below a marked element.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        run = vars(cls).get("run")
        if run is not None:
            cls.run = _shown_verbatim(run)  # type: ignore[method-assign]


def _shown_verbatim(
    run: Callable[[Any], list[nodes.Node]],
) -> Callable[[Any], list[nodes.Node]]:
    @functools.wraps(run)
    def marked(directive: Any) -> list[nodes.Node]:
        shown = run(directive)
        for node in shown:
            if isinstance(node, nodes.Element):
                node["support_smartquotes"] = False
        return shown

    return marked


def text(value: str) -> nodes.Text:
    return nodes.Text(value)


def paragraphs(value: str) -> list[nodes.paragraph]:
    """Blank-line separated text as paragraphs, each one literal text."""
    blocks = [" ".join(block.split()) for block in value.split("\n\n")]
    return [nodes.paragraph("", "", nodes.Text(block)) for block in blocks if block]


def section(title: str, section_id: str, *children: nodes.Node) -> nodes.section:
    node = nodes.section("", nodes.title("", "", nodes.Text(title)), ids=[section_id])
    node["names"].append(nodes.fully_normalize_name(section_id))
    node.extend(children)
    return node


def bullet_list(
    items: Iterable[Cell], *, classes: Sequence[str] = ()
) -> nodes.bullet_list:
    result = nodes.bullet_list(classes=list(classes))
    for item in items:
        result += nodes.list_item("", as_paragraph(item))
    return result


def as_paragraph(cell: Cell) -> nodes.Node:
    """Text and inline nodes get a paragraph; block elements stay as they are."""
    if isinstance(cell, str):
        return nodes.paragraph("", "", nodes.Text(cell))
    if isinstance(cell, nodes.Inline | nodes.Text):
        return nodes.paragraph("", "", cell)
    return cell


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    classes: Sequence[str] = (),
) -> nodes.table:
    group = nodes.tgroup(cols=len(headers))
    group.extend(nodes.colspec(colwidth=1) for _ in headers)
    group += nodes.thead("", _row(headers))
    body = nodes.tbody()
    body.extend(_row(row) for row in rows)
    group += body
    return nodes.table("", group, classes=["crosswork-table", *classes])


def _row(cells: Sequence[Cell]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", as_paragraph(cell))
    return row


def badge(label: str, kind: str) -> nodes.inline:
    """A status badge; the CSS class carries the colour, the text the meaning."""
    return nodes.inline(
        "", label, classes=["crosswork-badge", f"crosswork-badge-{kind}"]
    )


def external_link(
    label: str, url: str, hosts: Iterable[str] = DEFAULT_HOSTS
) -> nodes.Node:
    """A link if ``url`` passes the allowlist, else the label as text."""
    safe = safe_https_url(url, frozenset(hosts))
    if safe is None:
        return nodes.Text(label)
    return nodes.reference("", label, refuri=safe, internal=False)


def mail_link(address: str) -> nodes.reference:
    """A mailto link, only for fields the schema declares as addresses."""
    return nodes.reference("", address, refuri=f"mailto:{address}", internal=False)


def doc_link(label: str, docname: str, fromdoc: str) -> addnodes.pending_xref:
    """A link to another page, resolved (and checked) by Sphinx."""
    node = addnodes.pending_xref(
        "",
        refdomain="std",
        reftype="doc",
        reftarget=f"/{docname}",
        refexplicit=True,
        refwarn=True,
        refdoc=fromdoc,
    )
    node += nodes.inline("", label)
    return node


def asset_link(label: str, asset: str) -> nodes.reference:
    """A link to a file published beside the pages, made relative later."""
    return nodes.reference("", label, refuri=asset, crosswork_asset=asset)


def join(cells: Iterable[Cell], separator: str = ", ") -> nodes.inline:
    result = nodes.inline()
    for index, cell in enumerate(cells):
        if index:
            result += nodes.Text(separator)
        result += nodes.Text(cell) if isinstance(cell, str) else cell
    return result


class chart(nodes.General, nodes.Element):
    """An SVG chart (``svg``) and its words (``alt``), until the data layer
    publishes it beside the HTML (:mod:`crosswork.site.pagedata`)."""


def chart_node(svg: str, alt: str, classes: Iterable[str] = ()) -> chart:
    return chart("", svg=svg, alt=alt, classes=list(classes))
