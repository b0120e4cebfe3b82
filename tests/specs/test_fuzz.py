"""Properties of the spec linter's metadata reading on any spec.

Whatever the title and the field list hold, :func:`lint_spec` gives a spec
or located findings, never an exception; it gives a spec only when no
metadata finding is an error, with the values the fields hold; and its work grows
linearly with the field list.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crosswork.diagnostics import CODES, has_errors
from crosswork.specs.gaptargets import parse_closes_gaps
from crosswork.specs.lint import lint_spec
from crosswork.specs.metadata import FIELDS
from crosswork.specs.model import Spec
from crosswork.specs.source import Source
from crosswork.specs.template import Template
from crosswork.specs.text import check_text
from fuzzing import assert_linear, awkward_text, fuzz_settings, joined

from .conftest import BODY, DEFAULT_FIELDS, REPO, TODAY, WORKGROUPS

PATH = "specs/2027.1/one-configuration-file.rst"
TEMPLATE = Template.from_file(REPO / "specs" / "template.rst")

#: Pieces of reStructuredText that a field value or a title may hold.
RST = (
    "`x <javascript:alert(1)>`_",
    "`a`__",
    "|sub|",
    ":ref:`x`",
    ":spec:`2026.2/x`",
    "**b**",
    "*",
    "`",
    "``",
    "[#]_",
    "_t",
    ".. ",
    ".. raw:: html",
    "\n   ",
    "\n",
    ":",
    "::",
    "\\",
    "<",
    ">",
    "@",
    ",",
    " ",
    "https://review.opendev.org/c/x/+/1",
    "nova#123",
    "2026-09-14",
    "2027.1",
    "approved",
)
values = st.one_of(
    st.sampled_from(list(DEFAULT_FIELDS.values())),
    joined(RST, max_size=12),
    awkward_text(max_size=40),
)
names = st.one_of(
    st.sampled_from(FIELDS), awkward_text(max_size=12), joined(RST, max_size=3)
)
titles = st.one_of(
    st.just("One configuration file"),
    joined(RST, max_size=8),
    awkward_text(max_size=30),
)


def spec_text(title: str, fields: list[tuple[str, str]], body: str = BODY) -> str:
    rule = "=" * max(1, len(title))
    lines = [f":{name}: {value}" for name, value in fields]
    return f"{rule}\n{title}\n{rule}\n\n" + "\n".join(lines) + "\n\n" + body


def lint(text: str) -> tuple[Spec | None, list]:
    return lint_spec(PATH, text, TEMPLATE, workgroups=WORKGROUPS, today=TODAY)


def check(text: str) -> None:
    spec, found = lint(text)
    for finding in found:
        assert finding.code in CODES, finding
        assert finding.line >= 1 and finding.column >= 1, finding
    if spec is not None:  # other checks may still find errors in the text
        assert not has_errors(f for f in found if f.code.startswith("M"))
        assert isinstance(spec.created, date) and spec.created <= TODAY
        assert spec.workgroup in WORKGROUPS


field_lists = st.lists(st.tuples(names, values), max_size=12) | st.lists(
    st.sampled_from(FIELDS), max_size=12, unique=True
).flatmap(
    lambda chosen: st.tuples(
        *(st.tuples(st.just(name), values) for name in chosen)
    ).map(list)
)


@fuzz_settings(80)
@given(titles, field_lists)
@example("One configuration file", list(DEFAULT_FIELDS.items()))
@example("`x <javascript:alert(1)>`_", list(DEFAULT_FIELDS.items()))
@example("One", [*DEFAULT_FIELDS.items(), ("Authors", "\u202eevil <a@b.c>")])
@example("One", [(k, v + "\x00") for k, v in DEFAULT_FIELDS.items()])
def test_any_title_and_fields_give_a_spec_or_located_findings(
    title: str, fields: list[tuple[str, str]]
) -> None:
    check(spec_text(title, fields, body="Problem description\n===================\n"))


@fuzz_settings(60)
@given(joined(RST, max_size=80))
def test_any_text_gives_a_spec_or_located_findings(text: str) -> None:
    check(text)


def with_long(field: str, count: int) -> str:
    fields = dict(DEFAULT_FIELDS)
    if field == "Authors":
        fields[field] = ", ".join(
            f"Author {n} <a{n}@example.org>" for n in range(count)
        )
    elif field == "Tracking":
        fields[field] = ", ".join(f"nova#{n}" for n in range(count))
    elif field == "Supersedes":
        fields[field] = ", ".join(f"2026.2/spec-{n}" for n in range(count))
    elif field == "unknown":
        return spec_text(
            "One configuration file",
            [*fields.items(), *((f"Field{n}", "x") for n in range(count))],
        )
    else:
        return spec_text("x " * count, list(fields.items()))
    return spec_text("One configuration file", list(fields.items()))


@pytest.mark.parametrize(
    ("field", "size"),
    [
        ("Authors", 20),
        ("Tracking", 20),
        ("Supersedes", 20),
        ("unknown", 20),
        ("title", 20),
    ],
)
def test_reading_metadata_takes_linear_time(field: str, size: int) -> None:
    assert_linear(lint, lambda count: with_long(field, count), size)


@pytest.mark.parametrize(
    "unit", ["a", "a1", "a://", "https://x ", "\t", "\u202e", "\r", "x" * 90 + "\n"]
)
def test_checking_the_text_takes_linear_time(unit: str) -> None:
    """The line checks alone: a whole lint costs too much to show it."""

    def work(text: str) -> None:
        check_text(Source("spec.rst", text), frozenset())

    assert_linear(work, lambda count: unit * count, 1000)


def with_many_gaps(count: int) -> str:
    """A Closes-Gaps of ``count`` targets, each with a problem to locate."""
    targets = ";\n   ".join(f"nova-2020 d{n}: f{n}, f{n}" for n in range(count))
    return spec_text(
        "One configuration file",
        [*DEFAULT_FIELDS.items(), ("Closes-Gaps", targets)],
    )


def test_reading_closes_gaps_takes_linear_time() -> None:
    assert_linear(lint, with_many_gaps, 20)


@fuzz_settings(80)
@given(joined((*RST, "nova-2020", "xen", "all", ";", "a.b"), max_size=20))
def test_any_closes_gaps_value_gives_targets_or_problems_inside_it(value: str):
    targets, problems = parse_closes_gaps(value)
    for problem in problems:
        assert problem.code in CODES
        assert 0 <= problem.offset <= len(value)
    if not problems:
        assert len(targets) == value.count(";") + 1
