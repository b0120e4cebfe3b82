"""A page's summary: its own first words, plain, and short."""

from __future__ import annotations

from docutils import nodes
from docutils.core import publish_doctree
from sphinx import addnodes

from crosswork.site.summary import LIMIT, mark_summary, page_summary, trim


def doctree(source: str) -> nodes.document:
    return publish_doctree(source, settings_overrides={"report_level": 5})


def test_short_text_is_kept_on_one_line():
    assert trim("Two\n  lines") == "Two lines"


def test_long_text_is_cut_at_a_word_boundary():
    text = "word " * 100
    summary = trim(text)
    assert len(summary) <= LIMIT
    assert summary.endswith("word…")


def test_summary_is_the_first_body_paragraph_not_a_notice_or_table():
    tree = doctree(
        "Title\n=====\n\n.. note:: Sample data.\n\n"
        "* a list item\n\n:Field: value\n\n"
        "The *first* paragraph of the body.\n\nThe second.\n"
    )
    assert page_summary(tree) == "The first paragraph of the body."


def test_a_freshness_notice_is_not_a_summary():
    tree = doctree("Title\n=====\n\nAdvisory details.\n")
    notice = nodes.paragraph("", "Data as of today.", classes=["crosswork-data-as-of"])
    tree.insert(1, notice)
    assert page_summary(tree) == "Advisory details."


def test_a_toctree_is_not_a_summary():
    tree = doctree("Title\n=====\n\nIntro.\n")
    wrapper = addnodes.compact_paragraph("", "", nodes.Text("Workgroups Specs"))
    tree.insert(1, wrapper)
    assert page_summary(tree) == "Intro."


def test_a_marked_summary_wins():
    tree = doctree("Title\n=====\n\nStatus line.\n\nMission\n-------\n\nWe do x.\n")
    mission = list(tree.findall(nodes.section))[-1]
    mark_summary(mission, "We do x.")
    assert page_summary(tree) == "We do x."


def test_a_page_without_text_has_no_summary():
    assert page_summary(doctree("Title\n=====\n")) == ""
