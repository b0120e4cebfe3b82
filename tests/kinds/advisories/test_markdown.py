"""Advisory text to docutils nodes: every Markdown token, and plain text.

The conversion is pure: text in, docutils nodes out, no Sphinx. Each
CommonMark construct has a test saying what node it becomes; hostile
input (raw HTML, script links, other hosts) stays words.
"""

from __future__ import annotations

from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswork.kinds.advisories.markdown import (
    markdown_nodes,
    text_nodes,
    text_paragraphs,
)
from crosswork.kinds.advisories.model import ADVISORY_HOSTS

#: Every node class the conversion may produce.
PRODUCED = {
    nodes.paragraph,
    nodes.rubric,
    nodes.bullet_list,
    nodes.enumerated_list,
    nodes.list_item,
    nodes.block_quote,
    nodes.literal_block,
    nodes.container,
    nodes.emphasis,
    nodes.strong,
    nodes.literal,
    nodes.reference,
    nodes.inline,
    nodes.Text,
}


def convert(text: str) -> list[nodes.Element]:
    return markdown_nodes(text, ADVISORY_HOSTS)


def tree(text: str) -> str:
    """The nodes as docutils pseudo-XML, for comparing whole structures."""
    return "".join(node.pformat() for node in convert(text))


def words(text: str) -> str:
    return " ".join(node.astext() for node in convert(text))


def every_node(text: str) -> list[nodes.Node]:
    return [n for top in convert(text) for n in top.findall()]


# --- Blocks ------------------------------------------------------------------------


def test_paragraphs_are_split_by_blank_lines_and_joined_across_lines() -> None:
    (first, second) = convert("one\ntwo\n\nthree")
    assert isinstance(first, nodes.paragraph) and first.astext() == "one two"
    assert second.astext() == "three"


def test_headings_become_rubrics_never_sections() -> None:
    (heading, paragraph) = convert("### Impact\nText")
    assert isinstance(heading, nodes.rubric)
    assert heading.astext() == "Impact"
    assert "crosswork-details-heading" in heading["classes"]
    assert isinstance(paragraph, nodes.paragraph)
    assert not any(
        isinstance(n, nodes.section | nodes.title) for n in every_node("# A\n## B")
    )


def test_bullet_lists_nest() -> None:
    (bullets,) = convert("- one\n- two\n  - inner")
    assert isinstance(bullets, nodes.bullet_list)
    assert [item.astext() for item in bullets.children] == ["one", "two\n\ninner"]
    assert isinstance(bullets[1][1], nodes.bullet_list)


def test_ordered_lists_keep_their_start() -> None:
    (numbered,) = convert("3. three\n4. four")
    assert isinstance(numbered, nodes.enumerated_list)
    assert numbered["start"] == 3 and numbered["enumtype"] == "arabic"
    (from_one,) = convert("1. one")
    assert "start" not in from_one or from_one["start"] == 1


def test_block_quotes_hold_blocks() -> None:
    (quote,) = convert("> quoted *text*")
    assert isinstance(quote, nodes.block_quote)
    assert isinstance(quote[0], nodes.paragraph)
    assert quote.astext() == "quoted text"


def test_fenced_and_indented_code_are_literal_blocks_never_highlighted() -> None:
    fence, indented = convert("```python\nprint('<b>')\n```\n\n    x = 1\n")
    assert isinstance(fence, nodes.literal_block)
    assert fence.astext() == "print('<b>')"
    assert fence["language"] == "none"  # the record's word never picks a lexer
    assert isinstance(indented, nodes.literal_block)
    assert indented.astext() == "x = 1"


def test_a_thematic_break_is_left_out() -> None:
    assert words("above\n\n---\n\nbelow") == "above below"


# --- Inline ------------------------------------------------------------------------


def test_emphasis_strong_and_code_spans() -> None:
    (paragraph,) = convert("*e* **s** `c` ``reST-style``")
    kinds = [type(child) for child in paragraph.children if child.astext().strip()]
    assert kinds == [nodes.emphasis, nodes.strong, nodes.literal, nodes.literal]
    assert paragraph.astext() == "e s c reST-style"


def test_line_breaks_soft_and_hard() -> None:
    (paragraph,) = convert("soft\nbreak and hard  \nbreak")
    assert paragraph.astext() == "soft break and hard\nbreak"


def test_links_to_allowlisted_hosts_are_links() -> None:
    (paragraph,) = convert("see [the fix](https://github.com/psf/requests/pull/1)")
    (link,) = paragraph.findall(nodes.reference)
    assert link["refuri"] == "https://github.com/psf/requests/pull/1"
    assert link.astext() == "the fix"


def test_autolinks_to_allowlisted_hosts_are_links() -> None:
    (paragraph,) = convert("<https://osv.dev/vulnerability/PYSEC-2023-74>")
    (link,) = paragraph.findall(nodes.reference)
    assert link.astext() == link["refuri"]


def test_other_links_keep_their_words_as_text() -> None:
    text = (
        "[a](https://evil.example/x) [b](javascript:alert(1)) "
        "[c](http://github.com/x) [d](https://github.com@evil.example/) "
        "[e][r]\n\n[r]: https://evil.example/r"
    )
    assert list(convert(text)[0].findall(nodes.reference)) == []
    assert words(text) == "a [b](javascript:alert(1)) c d e"


def test_images_show_their_alt_text_and_load_nothing() -> None:
    (paragraph,) = convert("![a diagram](https://github.com/x.png) ![](https://x/y)")
    assert paragraph.astext().strip() == "a diagram"
    assert not any(isinstance(n, nodes.image) for n in paragraph.findall())


def test_raw_html_is_text_in_blocks_and_inline() -> None:
    text = (
        "<div onclick=alert(1)>\n<script>alert(1)</script>\n</div>\n\n"
        "a <img src=x onerror=alert(1)> b <!-- c -->"
    )
    assert not any(isinstance(n, nodes.raw) for n in every_node(text))
    assert "<script>alert(1)</script>" in words(text)
    assert "<img src=x onerror=alert(1)>" in words(text)


def test_entities_are_decoded_into_text_never_markup() -> None:
    assert words("&lt;script&gt; &amp; &#60;b&#62;") == "<script> & <b>"


# --- Any input ---------------------------------------------------------------------

MARKDOWNISH = st.lists(
    st.sampled_from(
        [*"ab <>/\\\"'()[]!*_`#>-+=:.1\n&;", "javascript:", "https://github.com/"]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWNISH)
def test_any_text_gives_only_known_nodes_and_safe_links(text: str) -> None:
    for node in every_node(text):
        assert type(node) in PRODUCED, type(node)
        if isinstance(node, nodes.reference):
            assert node["refuri"].startswith("https://")


# --- Plain text (OSSA) -------------------------------------------------------------


def test_double_backticks_in_plain_text_are_inline_literals() -> None:
    result = text_nodes("set ``force`` in ``[conductor]/enabled``.")
    assert [type(n) for n in result] == [
        nodes.Text,
        nodes.literal,
        nodes.Text,
        nodes.literal,
        nodes.Text,
    ]
    assert "".join(n.astext() for n in result) == "set force in [conductor]/enabled."


def test_plain_text_is_never_markup() -> None:
    text = "**b** *e* `i` <script>x</script> [a](javascript:x) `` spaced ``"
    (paragraph,) = text_paragraphs(text)
    assert paragraph.astext() == text
    assert list(paragraph.findall(nodes.literal)) == []


def test_plain_paragraphs_split_at_blank_lines() -> None:
    first, second = text_paragraphs("one\ntwo\n  \nthree ``x``")
    assert first.astext() == "one two"
    assert second.astext() == "three x"
