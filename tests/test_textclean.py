"""The one character policy for text from outside."""

from __future__ import annotations

import pytest

from crosswork.textclean import clean_line, clean_text, describe, unsafe_characters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("nul\x00esc\x1b[31mred", "nulesc[31mred"),
        ("c1\x85\x9bchars", "c1chars"),
        ("left\u202eright\u2066isolate\u2069", "leftrightisolate"),
        ("marks\u200e\u200f", "marks"),
        ("zero\u200bwidth\u200c\u200d\u2060joiner\ufeff", "zerowidthjoiner"),
        ("line\u2028para\u2029end", "lineparaend"),
        ("lone\ud800surrogate\uffff", "lonesurrogate"),
    ],
)
def test_clean_text_removes_every_character_of_the_policy(text, expected):
    assert clean_text(text) == expected


def test_clean_text_keeps_line_breaks_as_newlines_and_tabs():
    assert clean_text(" a\r\nb\rc\td \n") == "a\nb\nc\td"


def test_clean_line_makes_one_line_of_single_spaces():
    assert clean_line("two\n  lines\tand\u202e tabs ") == "two lines and tabs"


def test_a_cut_ends_with_an_ellipsis_within_the_limit():
    assert clean_line("word " * 10, limit=12) == "word word w…"
    assert len(clean_line("x" * 400, limit=300)) == 300
    assert clean_line("short", limit=5) == "short"


def test_a_cut_drops_the_space_before_its_ellipsis():
    # Cut just after a word: the ellipsis follows the word, not a space.
    assert clean_line("ab cd", limit=4) == "ab…"
    assert clean_text("ab\ncd ef", limit=6) == "ab\ncd…"


def test_clean_text_cuts_at_its_limit():
    assert clean_text("line one\nline two", limit=8) == "line on…"
    assert clean_text("line one\nline two") == "line one\nline two"


def test_unsafe_characters_are_located_and_described():
    found = unsafe_characters("ab\u202ecd\x00")
    assert found == [(2, "\u202e"), (5, "\x00")]
    assert describe("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert describe("\x00") == "U+0000 (control character)"
