"""Advisory text to docutils nodes: Markdown details and plain text.

OSV ``details`` are CommonMark (GitHub writes headings, lists, code and
links in them); OSSA descriptions, errata and notes are plain text that
sometimes marks code the reStructuredText way (````like this````).
Neither is ever handed to a markup parser that could emit markup: the
Markdown is tokenized by ``markdown-it-py`` with HTML off, and the tokens
become docutils nodes here, one known token type at a time. Raw HTML
stays text, images become their alt text, headings become rubrics (never
document sections) and a link is a link only when its address passes
:func:`crosswork.links.safe_https_url`; otherwise its words stay as text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from docutils import nodes

from crosswork.links import safe_https_url

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@functools.cache
def _parser() -> MarkdownIt:
    """The CommonMark parser, made when advisory details are first shown:
    its import is a tenth of the site's start-up, which a rebuild that
    shows no advisory need not pay."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


#: reST inline literals in plain text: two backticks, no blank, two backticks.
_LITERAL = re.compile(r"``(?=\S)(.+?)(?<=\S)``", re.DOTALL)

#: Block tokens that open a container, and the node each one becomes.
_CONTAINERS: dict[str, type[nodes.Element]] = {
    "paragraph_open": nodes.paragraph,
    "heading_open": nodes.rubric,
    "bullet_list_open": nodes.bullet_list,
    "ordered_list_open": nodes.enumerated_list,
    "list_item_open": nodes.list_item,
    "blockquote_open": nodes.block_quote,
}

#: Inline tokens that open a span, and the node each one becomes.
_SPANS: dict[str, type[nodes.Element]] = {
    "em_open": nodes.emphasis,
    "strong_open": nodes.strong,
}


def markdown_nodes(text: str, hosts: Collection[str]) -> list[nodes.Element]:
    """The block nodes of CommonMark ``text``; links only to ``hosts``."""
    root = nodes.container()
    stack: list[nodes.Element] = [root]
    for token in _parser().parse(text):
        if token.nesting == 1:
            node = _container(token)
            stack[-1] += node
            stack.append(node)
        elif token.nesting == -1:
            stack.pop()
        elif token.type == "inline":
            stack[-1].extend(inline_nodes(token.children or [], hosts))
        else:
            stack[-1].extend(_leaf_block(token))
    return list(root.children)


def _container(token: Token) -> nodes.Element:
    node = _CONTAINERS.get(token.type, nodes.container)()
    if token.type == "heading_open":
        node["classes"].append("crosswork-details-heading")
    elif token.type == "ordered_list_open":
        node["enumtype"], node["prefix"], node["suffix"] = "arabic", "", "."
        start = token.attrGet("start")
        if isinstance(start, int) or str(start or "").isdigit():
            node["start"] = int(start or 1)
    return node


def _leaf_block(token: Token) -> list[nodes.Element]:
    """Code blocks stay code; raw HTML (never parsed here) stays text."""
    if token.type in {"fence", "code_block"}:
        code = token.content.rstrip("\n")
        # "none": a language name from the record would reach Pygments.
        return [nodes.literal_block(code, code, language="none")]
    if token.type == "html_block":
        return [nodes.paragraph("", "", nodes.Text(token.content.strip()))]
    return []  # hr: a rule between paragraphs carries no words


def inline_nodes(tokens: Sequence[Token], hosts: Collection[str]) -> list[nodes.Node]:
    """The inline nodes of one ``inline`` token's children."""
    root = nodes.inline()
    stack: list[nodes.Element] = [root]
    for token in tokens:
        if token.nesting == 1:
            node = _span(token, hosts)
            stack[-1] += node
            stack.append(node)
        elif token.nesting == -1:
            stack.pop()
        else:
            stack[-1].extend(_leaf_inline(token))
    return list(root.children)


def _span(token: Token, hosts: Collection[str]) -> nodes.Element:
    if token.type == "link_open":
        url = safe_https_url(str(token.attrGet("href") or ""), hosts)
        if url is not None:
            return nodes.reference("", "", refuri=url, internal=False)
        return nodes.inline(classes=["crosswork-unlinked"])
    return _SPANS.get(token.type, nodes.inline)()


def _leaf_inline(token: Token) -> list[nodes.Node]:
    if token.type == "code_inline":
        return [nodes.literal(token.content, token.content)]
    if token.type == "softbreak":
        return [nodes.Text(" ")]
    if token.type == "hardbreak":
        return [nodes.Text("\n")]
    # Text, and an image's alt text (all a reader gets: nothing is loaded).
    return [nodes.Text(token.content)] if token.content else []


def text_nodes(text: str) -> list[nodes.Node]:
    """One line of plain text, its ````code```` spans as inline literals."""
    result: list[nodes.Node] = []
    position = 0
    for match in _LITERAL.finditer(text):
        if match.start() > position:
            result.append(nodes.Text(text[position : match.start()]))
        result.append(nodes.literal(match[1], match[1]))
        position = match.end()
    if position < len(text):
        result.append(nodes.Text(text[position:]))
    return result


def text_paragraphs(text: str) -> list[nodes.paragraph]:
    """Blank-line separated plain text as paragraphs (see :func:`text_nodes`)."""
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return [nodes.paragraph("", "", *text_nodes(block)) for block in blocks if block]
