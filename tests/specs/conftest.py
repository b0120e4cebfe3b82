"""Fixtures of the spec linter tests: the real template, the repository's
specs, the nova-specs corpus, a factory of small valid specs, and the
findings of chosen checks on a text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crosswork.diagnostics import Diagnostic
from crosswork.specs.lint import Check, lint_spec
from crosswork.specs.template import Template

REPO = Path(__file__).resolve().parents[2]

#: The day the tests pretend it is; dates in the specs below are before it.
TODAY = date(2026, 11, 27)
WORKGROUPS = frozenset({"common", "consistency", "security", "quality"})
#: A template of a title alone, for the checks that need no outline.
TITLE_ONLY = Template.from_text("=====\nTitle\n=====\n")


def lint_findings(
    text: str,
    checks: set[Check],
    path: str = "spec.rst",
    template: Template = TITLE_ONLY,
    roles: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    """The findings of ``checks`` on ``text`` at ``path``, on ``TODAY``,
    with no workgroup known and the data kinds' ``roles``."""
    _, found = lint_spec(
        path,
        text,
        template,
        workgroups=set(),
        today=TODAY,
        checks=checks,
        roles=roles,
    )
    return found


def lint_messages(text: str, checks: set[Check], **options: Any) -> list[str]:
    """:func:`lint_findings` as the lines the linter prints."""
    return [str(finding) for finding in lint_findings(text, checks, **options)]


@pytest.fixture
def nova_specs(corpus: Path) -> Path:
    return corpus / "openstack" / "nova-specs"


@pytest.fixture(scope="session")
def template() -> Template:
    """The repository's own template, ``specs/template.rst``."""
    return Template.from_file(REPO / "specs" / "template.rst")


BODY = """\
Problem description
===================

Services read their configuration in four different ways.

Use cases
---------

An operator wants one syntax for every service.

Proposed change
===============

Every service uses the shared library.

Alternatives
------------

Each project keeps its own loader, as today.

Impact
======

Security impact
---------------

Secrets are masked in logs.

Upgrade impact
--------------

Old option names keep working for two cycles.

Performance impact
------------------

Parsing happens once, at start-up.

Operator impact
---------------

One validator checks every service's files.

Impact on other projects
------------------------

Twelve services change their loaders.

Implementation
==============

Assignees
---------

Mireille Okafor

Work items
----------

Port each service.

Dependencies
============

A release of the shared library.

Testing
=======

Each service loads its generated sample file in a unit test.

Documentation impact
====================

Configuration references are generated.
"""

DEFAULT_FIELDS = {
    "Status": "approved",
    "Workgroup": "common",
    "Authors": "Mireille Okafor <mokafor@example.org>, Tomasz Lindqvist",
    "Created": "2026-09-14",
    "Cycle": "2027.1",
    "Review": "https://review.opendev.org/c/openstack/crosswork-specs/+/951873",
}

SpecFactory = Callable[..., str]


@pytest.fixture
def make_spec() -> SpecFactory:
    """A valid spec (title on lines 1-3, fields from line 5, in the given
    order), with fields replaced, added or, when given ``None``, removed."""

    def make(body: str = BODY, **changes: str | None) -> str:
        fields = dict(DEFAULT_FIELDS)
        for name, value in changes.items():
            name = name.replace("_", "-")
            if value is None:
                del fields[name]
            else:
                fields[name] = value
        lines = [f":{name}: {value}".rstrip() for name, value in fields.items()]
        header = (
            "======================\nOne configuration file\n======================\n"
        )
        return f"{header}\n" + "\n".join(lines) + "\n\n" + body

    return make
