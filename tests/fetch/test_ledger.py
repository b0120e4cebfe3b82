"""The status ledger: one entry per change of a named status, kept in a file."""

from __future__ import annotations

import datetime as dt
import json

from crosswork.fetch.ledger import (
    LEDGER_FILE,
    load_ledger,
    record_statuses,
    write_ledger,
)

NIGHT_1, NIGHT_2 = dt.date(2026, 12, 1), dt.date(2026, 12, 2)
SPEC = "2027.1/a"


def test_a_night_adds_an_entry_only_where_a_status_changed():
    ledger = record_statuses({}, {SPEC: "proposed"}, NIGHT_1)
    assert record_statuses(ledger, {SPEC: "proposed"}, NIGHT_2) == ledger
    assert record_statuses(ledger, {SPEC: "approved"}, NIGHT_2) == {
        SPEC: [(NIGHT_1, "proposed"), (NIGHT_2, "approved")]
    }


def test_a_run_repeated_on_one_day_replaces_that_days_entry():
    ledger = record_statuses({}, {SPEC: "proposed"}, NIGHT_1)
    ledger = record_statuses(ledger, {SPEC: "approved"}, NIGHT_2)
    again = record_statuses(ledger, {SPEC: "proposed"}, NIGHT_2)
    assert again == {SPEC: [(NIGHT_1, "proposed")]}


def test_a_spec_that_is_gone_keeps_its_entries():
    ledger = record_statuses({}, {SPEC: "proposed"}, NIGHT_1)
    assert record_statuses(ledger, {}, NIGHT_2) == ledger


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
