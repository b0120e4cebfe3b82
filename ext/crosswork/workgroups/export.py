"""``api/workgroups.json``: every charter, in a versioned shape.

The shape is ``workgroups.api.schema.json`` beside this module, documented in
``doc/source/reference/api.rst``; renaming or removing a key raises
:data:`SCHEMA_VERSION`. Values come from the validated charter model, in
JSON types only (dates ``YYYY-MM-DD``, meeting times ``HH:MM`` UTC); the
caller addresses the charter's page and calendar (see
:mod:`crosswork.site.api`). A track is named by its kind and name: its
data is in that kind's own file.
"""

from __future__ import annotations

from typing import Any

from crosswork.workgroups.model import Meeting, Workgroup

SCHEMA_VERSION = 1
API_NAME = "workgroups"


def workgroup_record(workgroup: Workgroup, page: str, calendar: str) -> dict[str, Any]:
    """One charter with the addresses of its page and calendar."""
    return {
        "slug": workgroup.slug,
        "page": page,
        "calendar": calendar,
        "name": workgroup.name,
        "status": workgroup.status,
        "status_history": [
            {
                "status": change.status,
                "date": change.date.isoformat(),
                "note": change.note,
            }
            for change in workgroup.status_history
        ],
        "mission": workgroup.mission,
        "scope": {"in": list(workgroup.scope_in), "out": list(workgroup.scope_out)},
        "deliverables": [
            {"title": d.title, "description": d.description, "target": d.target or None}
            for d in workgroup.deliverables
        ],
        "chairs": [
            {
                "name": chair.name,
                "handles": dict(chair.handles),
                "since": chair.since.isoformat() if chair.since else None,
            }
            for chair in workgroup.chairs
        ],
        "stakeholders": list(workgroup.stakeholders),
        "communication": {
            "mailing_list": workgroup.communication.mailing_list,
            "tag": workgroup.communication.tag,
            "chat": workgroup.communication.chat,
        },
        "meetings": [meeting_record(meeting) for meeting in workgroup.meetings],
        "tracks": {
            kind: [str(track["name"]) for track in tracks]
            for kind, tracks in workgroup.tracks.items()
        },
    }


def meeting_record(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title,
        "recurrence": meeting.recurrence,
        "weekday": meeting.weekday,
        "week_of_month": meeting.week_of_month,
        "time": meeting.time.strftime("%H:%M"),
        "duration_minutes": meeting.duration,
        "start_date": meeting.start_date.isoformat(),
        "end_date": meeting.end_date.isoformat() if meeting.end_date else None,
        "skip": [day.isoformat() for day in meeting.skip],
        "channel": meeting.channel,
        "agenda": meeting.agenda,
    }
