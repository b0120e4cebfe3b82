"""``Closes-Gaps`` syntax: targets separated by ``;``, each
``<track> <driver>: all`` or ``<track> <driver>: <feature>, ...``.

Problems are ``(offset in the value, code, message)``; the linter turns
each offset into the line and column of that part of the field.
"""

from __future__ import annotations

import pytest

from crosswork.specs.gaptargets import GapProblem, parse_closes_gaps
from crosswork.specs.model import GapTarget

XEN = GapTarget("nova-2020", "libvirt-xen")


@pytest.mark.parametrize(
    ("value", "targets"),
    [
        ("nova-2020 libvirt-xen: all", (XEN,)),
        ("  nova-2020   libvirt-xen :all  ", (XEN,)),
        (
            "nova-2020 xenserver: operation.evacuate, operation.snapshot",
            (
                GapTarget(
                    "nova-2020",
                    "xenserver",
                    ("operation.evacuate", "operation.snapshot"),
                ),
            ),
        ),
        (
            "nova-2020 libvirt-xen: all; nova libvirt-xen: console.spice",
            (XEN, GapTarget("nova", "libvirt-xen", ("console.spice",))),
        ),
        (
            "nova-2020 libvirt-xen: all; nova-2020 xenserver: all",
            (XEN, GapTarget("nova-2020", "xenserver")),
        ),
    ],
)
def test_valid_values_give_their_targets(value, targets):
    assert parse_closes_gaps(value) == (targets, [])


EMPTY_TARGET = (
    'empty Closes-Gaps target: write "<track> <driver>: all" or '
    '"<track> <driver>: <feature>, ..." between the ";"'
)


@pytest.mark.parametrize(
    ("value", "problems"),
    [
        (
            "nova-2020 libvirt-xen",
            [
                (
                    0,
                    "M116",
                    'Closes-Gaps target "nova-2020 libvirt-xen" has no ":" after '
                    '"<track> <driver>"',
                )
            ],
        ),
        (
            "nova-2020: all",
            [
                (
                    0,
                    "M116",
                    'Closes-Gaps target needs "<track> <driver>" before ":", '
                    'found "nova-2020"',
                )
            ],
        ),
        (
            "nova 2020 xen: all",
            [
                (
                    0,
                    "M116",
                    'Closes-Gaps target needs "<track> <driver>" before ":", '
                    'found "nova 2020 xen"',
                )
            ],
        ),
        (
            "nova-2020 libvirt-xen:",
            [
                (
                    22,
                    "M116",
                    'Closes-Gaps target "nova-2020 libvirt-xen" names no gaps: '
                    'write "all" or feature keys after ":"',
                )
            ],
        ),
        (
            "nova-2020 libvirt-xen: all: xenserver",
            [
                (
                    26,
                    "M116",
                    'Closes-Gaps target has a second ":"; separate targets with ";"',
                )
            ],
        ),
        ("nova-2020 libvirt-xen: all;", [(26, "M116", EMPTY_TARGET)]),
        ("; nova-2020 libvirt-xen: all", [(0, "M116", EMPTY_TARGET)]),
        (
            "nova-2020 x: a;; nova-2020 y: all",
            [(14, "M116", EMPTY_TARGET)],
        ),
        (
            "nova-2020 xen: a b",
            [(15, "M116", 'Closes-Gaps features "a b" need a comma between them')],
        ),
        (
            "nova-2020 xen: a, , b",
            [(16, "M116", "empty Closes-Gaps feature between commas")],
        ),
        (
            "Nova_2020 xen: all",
            [
                (
                    0,
                    "M117",
                    'Closes-Gaps track "Nova_2020" is not a track name '
                    "(like nova-2020)",
                )
            ],
        ),
        (
            "nova-2020 libvirt/xen: all",
            [
                (
                    10,
                    "M117",
                    'Closes-Gaps driver "libvirt/xen" is not a matrix key '
                    "(like libvirt-xen)",
                )
            ],
        ),
        (
            "nova-2020 xen: operation.snapshot, -bad",
            [
                (
                    35,
                    "M117",
                    'Closes-Gaps feature "-bad" is not a matrix key (like libvirt-xen)',
                )
            ],
        ),
        (
            "nova-2020 xen: all, operation.snapshot",
            [(15, "M118", '"all" already means every gap: name no features with it')],
        ),
        (
            "nova-2020 xen: a, b, a",
            [(21, "M118", 'feature "a" is named twice')],
        ),
        (
            "nova-2020 xen: a; nova-2020 xen: all",
            [(18, "M118", 'Closes-Gaps names "nova-2020 xen" twice')],
        ),
    ],
)
def test_each_malformed_part_is_reported_at_its_offset(value, problems):
    assert parse_closes_gaps(value)[1] == [GapProblem(*p) for p in problems]


def test_every_problem_of_a_value_is_reported_at_once():
    _, problems = parse_closes_gaps("N x/y: a a; ; nova-2020 xen: all, b")
    assert [(p.offset, p.code) for p in problems] == [
        (0, "M117"),
        (2, "M117"),
        (7, "M116"),
        (10, "M116"),
        (29, "M118"),
    ]


def test_features_named_with_all_are_still_checked():
    _, problems = parse_closes_gaps("nova-2020 xen: all, , -x")
    assert [(p.offset, p.code) for p in problems] == [
        (15, "M118"),
        (18, "M116"),
        (22, "M117"),
    ]


def test_a_target_with_a_problem_is_left_out_and_the_others_kept():
    targets, problems = parse_closes_gaps("nova-2020 libvirt-xen: all; bad")
    assert targets == (XEN,)
    assert [p.code for p in problems] == ["M116"]


def test_an_empty_first_target_is_placed_at_the_separator_after_it():
    _, problems = parse_closes_gaps("  ;nova-2020 xen: all")
    assert [(p.offset, p.code) for p in problems] == [(2, "M116")]


def test_a_target_with_nothing_before_its_colon_says_so():
    _, problems = parse_closes_gaps(" : all")
    assert problems == [
        GapProblem(
            1,
            "M116",
            'Closes-Gaps target needs "<track> <driver>" before ":", found nothing',
        )
    ]


def test_a_second_colon_is_reported_where_it_first_appears():
    _, problems = parse_closes_gaps("nova-2020 xen: a: b: c")
    assert [(p.offset, p.code) for p in problems] == [(16, "M116")]
