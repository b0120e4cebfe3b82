"""A page's summary: the plain text of its description and preview cards.

The summary is the page's own words: the first paragraph of its body
text, or the text a generator marked as the page's summary (a spec's
problem, a charter's mission), trimmed at a word boundary. It is plain
text; whoever puts it into markup escapes it.
"""

from __future__ import annotations

from docutils import nodes

#: Length past which a summary is cut (search engines show about this much).
LIMIT = 160

#: The attribute a generator sets on a node whose text is the page's summary.
SUMMARY_ATTRIBUTE = "crosswork_summary"

#: Paragraphs inside these are not the page's body text: notices, tables,
#: lists, navigation, fields.
_ASIDES = (
    nodes.Admonition,
    nodes.table,
    nodes.field_list,
    nodes.docinfo,
    nodes.topic,
    nodes.sidebar,
    nodes.list_item,
    nodes.definition_list,
    nodes.block_quote,
    nodes.footnote,
    nodes.citation,
    nodes.system_message,
    nodes.line_block,
    nodes.container,
    nodes.compound,
)


def mark_summary(node: nodes.Element, text: str) -> nodes.Element:
    """Give ``node``'s page the summary ``text`` (for a page whose first
    paragraph is not the best introduction)."""
    node[SUMMARY_ATTRIBUTE] = text
    return node


def trim(text: str, limit: int = LIMIT) -> str:
    """``text`` on one line, cut at the last word boundary before ``limit``."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-\N{EN DASH}\N{EM DASH}") + "\N{HORIZONTAL ELLIPSIS}"


#: Paragraphs of these classes say how old the data is, not what the page is.
_NOTICE_CLASSES = frozenset({"crosswork-data-as-of"})


def _is_body_paragraph(node: nodes.Node) -> bool:
    # Exactly a paragraph: Sphinx's compact paragraphs wrap lists (toctrees).
    if type(node) is not nodes.paragraph or _NOTICE_CLASSES & set(node["classes"]):
        return False
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _ASIDES):
            return False
        parent = parent.parent
    return bool(node.astext().strip())


def page_summary(doctree: nodes.document) -> str:
    """The marked summary of the page, else its first body paragraph; "" if none."""
    for node in doctree.findall(nodes.Element):
        if node.get(SUMMARY_ATTRIBUTE):
            return trim(node[SUMMARY_ATTRIBUTE])
    for node in doctree.findall(_is_body_paragraph):
        return trim(node.astext())
    return ""
