"""Spec events: a spec's creation, then each change the ledger holds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from crosswork.kinds import KINDS
from crosswork.layout import Layout
from crosswork.site.data import load_site
from crosswork.specs.ledger import events
from crosswork.specs.model import Spec

SITE = Path(__file__).resolve().parents[1] / "roots" / "test-site" / "repo"
NIGHT_1, NIGHT_2, NIGHT_3 = (dt.date(2026, 12, day) for day in (1, 2, 3))


@pytest.fixture(scope="module")
def spec() -> Spec:
    site = load_site(Layout(SITE), dt.date(2026, 11, 27), KINDS)
    return dataclasses.replace(site.specs[0], status="proposed")


def test_events_are_the_creation_then_each_change_newest_first(spec):
    ledger = {
        spec.id: [(NIGHT_1, "proposed"), (NIGHT_2, "approved"), (NIGHT_3, "deferred")]
    }
    found = events(ledger, [spec])
    assert [(e.kind, e.day, e.status, e.before) for e in found] == [
        ("status", NIGHT_3, "deferred", "approved"),
        ("approved", NIGHT_2, "approved", "proposed"),
        ("created", spec.created, "proposed", ""),
    ]
    assert [event.key for event in found] == [
        "status-deferred-2026-12-03",
        "approved-2026-12-02",
        f"created-{spec.created.isoformat()}",
    ]


def test_a_spec_the_ledger_never_saw_has_its_creation_only(spec):
    (event,) = events({}, [spec])
    assert (event.kind, event.day, event.status) == ("created", spec.created, "")
