"""Bug dashboards: lists, summaries, triage queues and charts of bug tracks.

``provider`` fetches each bug track of a charter (Launchpad bug task
searches, GitHub issue lists) and normalizes it to :class:`Bug` items;
``fake`` serves recorded tracker payloads in tests. ``vocabulary`` holds the
trackers' status and importance orders, ``tracks`` the tracks charters
declare, ``select`` filters, sorts and picks the triage queue, ``summary``
counts, ``figures`` draws the charts, ``blocks`` builds the docutils nodes,
``health`` describes every source for the site status page, ``tracking``
fetches the bugs specs name in ``Tracking`` and says which are fixed,
``progress`` turns them into a spec's "3 of 5 fixed", and
``sphinxext`` is the Sphinx layer (directives, the "Open bugs" section of
charter pages, the status page and the snapshot date).
"""

from __future__ import annotations

from pathlib import Path

from crosswork.datakind import DataKind

KIND = "bugs"

RECORD = DataKind(
    name=KIND,
    summary="Open bugs of Launchpad projects and GitHub repositories.",
    provider="crosswork.kinds.bugs.tracking:PROVIDER",
    track_schema=Path(__file__).with_name("track.schema.json"),
    extension="crosswork.kinds.bugs.sphinxext",
    fake_routes="crosswork.kinds.bugs.fake:routes",
    hostile="crosswork.kinds.bugs.fake:hostile",
    glance="crosswork.kinds.bugs.glance:glance",
    spec_tracks="crosswork.kinds.bugs.tracking:spec_tracks",
    spec_progress="crosswork.kinds.bugs.progress:progress",
    example={
        "name": "sahara-fixed",
        "tracker": "launchpad",
        "project": "sahara",
        "status": ["Fix Committed", "Fix Released"],
    },
    other_examples=(
        {
            "name": "pygithub",
            "tracker": "github",
            "project": "PyGithub/PyGithub",
            "state": "all",
        },
    ),
)
