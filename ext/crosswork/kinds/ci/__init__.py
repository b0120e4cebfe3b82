"""CI builds: gate health from Zuul build results.

``model`` normalizes both Zuul payload shapes to one :class:`Build` and
sorts results into buckets (test failures apart from infrastructure
failures); ``analysis`` computes rates, durations, flaky signals, gate
resets and trends; ``provider`` fetches a track's builds with ``skip`` paging;
``fake`` serves recorded builds in tests; ``views`` builds the docutils
nodes and charts; ``export`` writes ``api/ci.json``; ``sphinxext`` is the
Sphinx layer.
"""

from __future__ import annotations

from pathlib import Path

from crosswork.datakind import DataKind

KIND = "ci"

RECORD = DataKind(
    name=KIND,
    summary="Gate health of Zuul jobs: failure rates, durations and flaky signals.",
    provider="crosswork.kinds.ci.provider:PROVIDER",
    track_schema=Path(__file__).with_name("track.schema.json"),
    extension="crosswork.kinds.ci.sphinxext",
    fake_routes="crosswork.kinds.ci.fake:routes",
    hostile="crosswork.kinds.ci.fake:hostile",
    glance="crosswork.kinds.ci.glance:glance",
    example={
        "name": "gear-check",
        "tenant": "openstack",
        "projects": ["opendev/gear"],
        "pipelines": ["check"],
        "window": {"builds": 20},
    },
)
