"""The status ledger: one entry per change, and the events it holds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from crosswork.kinds import KINDS
from crosswork.layout import Layout
from crosswork.site.data import load_site
from crosswork.specs.ledger import (
    LEDGER_FILE,
    events,
    load_ledger,
    record_statuses,
    write_ledger,
)
from crosswork.specs.model import Spec

SITE = Path(__file__).resolve().parents[1] / "roots" / "test-site" / "repo"
NIGHT_1, NIGHT_2, NIGHT_3 = (dt.date(2026, 12, day) for day in (1, 2, 3))


@pytest.fixture(scope="module")
def spec() -> Spec:
    site = load_site(Layout(SITE), dt.date(2026, 11, 27), KINDS)
    return dataclasses.replace(site.specs[0], status="proposed")


def test_a_night_adds_an_entry_only_where_a_status_changed(spec):
    ledger = record_statuses({}, [spec], NIGHT_1)
    assert record_statuses(ledger, [spec], NIGHT_2) == ledger
    approved = dataclasses.replace(spec, status="approved")
    assert record_statuses(ledger, [approved], NIGHT_2) == {
        spec.id: [(NIGHT_1, "proposed"), (NIGHT_2, "approved")]
    }


def test_a_run_repeated_on_one_day_replaces_that_days_entry(spec):
    ledger = record_statuses({}, [spec], NIGHT_1)
    ledger = record_statuses(
        ledger, [dataclasses.replace(spec, status="approved")], NIGHT_2
    )
    again = record_statuses(ledger, [spec], NIGHT_2)
    assert again == {spec.id: [(NIGHT_1, "proposed")]}


def test_a_spec_that_is_gone_keeps_its_entries(spec):
    ledger = record_statuses({}, [spec], NIGHT_1)
    assert record_statuses(ledger, [], NIGHT_2) == ledger


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


def test_the_ledger_file_round_trips_and_a_broken_one_starts_anew(tmp_path, caplog):
    ledger = {"2027.1/a": [(NIGHT_1, "proposed"), (NIGHT_2, "approved")]}
    assert write_ledger(tmp_path, ledger) is True
    assert write_ledger(tmp_path, ledger) is False  # unchanged: not rewritten
    assert load_ledger(tmp_path) == ledger
    document = json.loads((tmp_path / LEDGER_FILE).read_text())
    assert document == {
        "schema_version": 1,
        "specs": {"2027.1/a": [["2026-12-01", "proposed"], ["2026-12-02", "approved"]]},
    }
    (tmp_path / LEDGER_FILE).write_text('{"specs": [1]}')
    assert load_ledger(tmp_path) == {}
    assert "malformed" in caplog.text
    assert load_ledger(tmp_path / "absent") == {}
