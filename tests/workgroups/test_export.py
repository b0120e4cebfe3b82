"""``api/workgroups.json``'s records: every charter field, JSON types only."""

from __future__ import annotations

import json
from pathlib import Path

from apischemas import schema_problems
from crosswork.kinds import KINDS
from crosswork.site.api import envelope
from crosswork.workgroups.export import SCHEMA_VERSION, workgroup_record
from crosswork.workgroups.registry import load_registry

ROOT = Path(__file__).resolve().parents[1] / "roots" / "test-site" / "repo"


def records() -> list[dict]:
    registry, problems = load_registry(ROOT / "workgroups", kinds=KINDS)
    assert problems == []
    return [
        workgroup_record(w, f"workgroups/{w.slug}.html", f"calendars/{w.slug}.ics")
        for w in registry
    ]


def test_a_record_holds_the_charter_with_its_page_and_calendar():
    alpha = records()[0]
    assert alpha["slug"] == "alpha"
    assert alpha["page"] == "workgroups/alpha.html"
    assert alpha["calendar"] == "calendars/alpha.ics"
    assert alpha["status"] == "active"
    assert alpha["chairs"][0]["name"] == "Ana Silva"
    meeting = alpha["meetings"][0]
    assert meeting["time"] == "15:00"
    assert meeting["duration_minutes"] == 60


def test_records_are_json_and_match_the_schema():
    body = {"workgroups": records()}
    document = json.loads(json.dumps(envelope(SCHEMA_VERSION, None, body)))
    assert schema_problems("workgroups", document) == []
