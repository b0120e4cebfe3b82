"""Line checks of the raw text (T1xx), at exact columns."""

from __future__ import annotations

import pytest

from crosswork.specs.lint import Check
from crosswork.specs.text import undecodable

from .conftest import lint_messages


def text_findings(text: str) -> list[str]:
    return lint_messages(text, {Check.TEXT})


def test_a_line_of_79_characters_passes_and_one_of_80_does_not():
    text = "a" * 79 + "\n" + "b" * 80 + "\n"
    assert text_findings(text) == [
        "spec.rst:2:80: T101 line is 80 characters long (at most 79)"
    ]


def test_literal_block_lines_may_be_long_but_the_lines_around_them_may_not():
    long = "x" * 90
    text = f"Example::\n\n   {long}\n   {long}\n\n{long}\n"
    assert text_findings(text) == [
        "spec.rst:6:80: T101 line is 90 characters long (at most 79)"
    ]


def test_a_long_line_ending_in_a_literal_marker_is_not_itself_literal():
    text = "p" * 85 + "::\n\n   literal\n"
    assert text_findings(text) == [
        "spec.rst:1:80: T101 line is 87 characters long (at most 79)"
    ]


def test_code_blocks_are_literal_from_their_first_content_line():
    long = "x" * 90
    text = f".. code-block:: python\n   :caption: {long}\n\n   {long}\n"
    assert text_findings(text) == [
        "spec.rst:2:80: T101 line is 103 characters long (at most 79)"
    ]


def test_a_url_running_past_the_limit_excuses_its_line():
    url = "https://review.opendev.org/c/openstack/nova-specs/+/765097/2/specs/wallaby/x.rst"
    assert text_findings(f".. _previous spec: {url}\n") == []
    assert text_findings(f"* Notes: {url}\n") == []


@pytest.mark.parametrize(
    "word",
    [
        "1https://example.org/" + "a" * 80,
        "see:https://example.org/" + "a" * 80,
        "(https://example.org/" + "a" * 80 + ")",
    ],
)
def test_a_url_inside_a_word_excuses_its_line(word):
    assert text_findings(word + "\n") == []


@pytest.mark.parametrize(
    "word",
    ["1://" + "a" * 80, "b" * 75 + " https://", "a" * 80 + "://", "://" + "a" * 80],
)
def test_a_scheme_without_a_letter_or_a_rest_is_no_url(word):
    assert text_findings(word + "\n") == [
        f"spec.rst:1:80: T101 line is {len(word)} characters long (at most 79)"
    ]


def test_a_long_run_of_letters_is_checked_in_linear_time():
    """The URL pattern used to rescan the run from each of its letters."""
    text = "a" * 120_000 + "\n"
    assert text_findings(text) == [
        "spec.rst:1:80: T101 line is 120000 characters long (at most 79)"
    ]


def test_prose_after_a_short_url_is_not_excused():
    text = "See https://example.org/a for details, " + "and more words " * 4
    assert text_findings(text.rstrip() + "\n") == [
        "spec.rst:1:80: T101 line is 98 characters long (at most 79)"
    ]


def test_trailing_whitespace_is_reported_where_it_starts():
    assert text_findings("Text.  \nMore.\t\n") == [
        "spec.rst:1:6: T102 trailing whitespace",
        "spec.rst:2:6: T102 trailing whitespace",
        "spec.rst:2:6: T103 tab character: indent with spaces",
    ]


def test_the_first_tab_of_a_line_is_reported():
    assert text_findings("*\titem\twith tabs\n") == [
        "spec.rst:1:2: T103 tab character: indent with spaces"
    ]


def test_carriage_returns_are_reported_once_per_line():
    assert text_findings("One\r\nTwo\r\n") == [
        "spec.rst:1:4: T104 carriage return: use LF line endings",
        "spec.rst:2:4: T104 carriage return: use LF line endings",
    ]


def test_each_invisible_character_is_reported_with_its_name():
    text = "Pass\u200bword and \u202eevil\u202c.\n\ufeff\n"
    assert text_findings(text) == [
        "spec.rst:1:5: T105 invisible character U+200B ZERO WIDTH SPACE",
        "spec.rst:1:15: T105 invisible character U+202E RIGHT-TO-LEFT OVERRIDE",
        "spec.rst:1:20: T105 invisible character U+202C POP DIRECTIONAL FORMATTING",
        "spec.rst:2:1: T105 invisible character U+FEFF ZERO WIDTH NO-BREAK SPACE",
    ]


def test_every_listed_invisible_range_is_caught():
    codes = [
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0xFEFF,
    ]
    text = "".join(chr(code) for code in codes) + "\n"
    assert [finding.split()[0] for finding in text_findings(text)] == [
        f"spec.rst:1:{column}:" for column in range(1, len(codes) + 1)
    ]


def test_control_characters_have_no_name_but_are_reported():
    assert text_findings("Bell\x07.\n") == [
        "spec.rst:1:5: T105 invisible character U+0007 (control character)"
    ]


def test_a_file_that_is_not_utf8_is_located_at_its_first_bad_byte():
    data = b"Title\n=====\n\nCaf" + b"\xe9 au lait\n"
    finding = undecodable("spec.rst", data)
    assert str(finding) == (
        "spec.rst:4:4: T106 byte 0xE9 is not UTF-8: save the file as UTF-8"
    )
    assert undecodable("spec.rst", "Café\n".encode()) is None
