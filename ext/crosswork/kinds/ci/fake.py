"""The fake upstream's Zuul routes: recorded builds, filtered and paged.

``/api/tenant/{tenant}/builds`` serves the recorded builds verbatim (both
payload shapes), newest first, filtered like Zuul (a repeated parameter
means "any of"; ``*`` is a wildcard in project, pipeline, branch and
job_name) and paged with ``limit`` and ``skip``. Like Zuul it sends no
ETag. The recordings come from several Zuul tenants; the fake does not
keep tenants apart.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Mapping
from typing import Any

from crosswork.testing.upstream import (
    FakeRequest,
    Recordings,
    Reply,
    Route,
    RouteBuilder,
    json_reply,
)

_WILDCARD = ("project", "pipeline", "branch", "job_name")
_EXACT = ("change", "patchset", "uuid", "result")


def zuul_routes(recordings: Recordings) -> list[Route]:
    return [
        Route(
            "zuul.builds",
            "GET",
            re.compile(r"^/api/tenant/(?P<tenant>[A-Za-z0-9_-]+)/builds$"),
            functools.partial(_builds, recordings),
        )
    ]


def field(build: Mapping[str, Any], name: str) -> Any:
    """A build's field in either shape (Zuul 10 nests the ref fields)."""
    ref = build.get("ref")
    if isinstance(ref, Mapping) and name in ref:
        return ref[name]
    return build.get(name)


def _matches(build: Mapping[str, Any], request: FakeRequest) -> bool:
    for name in _WILDCARD:
        wanted = request.query.get(name)
        value = field(build, name)
        if wanted and not any(
            isinstance(value, str) and fnmatch.fnmatchcase(value, w) for w in wanted
        ):
            return False
    for name in _EXACT:
        wanted = request.query.get(name)
        if wanted and str(field(build, name)) not in wanted:
            return False
    for name in ("voting", "final"):
        wanted = request.first(name)
        if wanted is not None and bool(build.get(name, True)) != (
            wanted.lower() in {"1", "true"}
        ):
            return False
    return True


def _newest_first(build: Mapping[str, Any]) -> tuple[str, str]:
    return (
        build.get("start_time") or build.get("end_time") or "",
        build.get("uuid") or "",
    )


def _builds(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    try:
        limit = int(request.first("limit", "50") or 50)
        skip = int(request.first("skip", "0") or 0)
    except ValueError:
        return json_reply(400, {"description": "limit and skip are numbers"})
    if limit < 1 or skip < 0:
        return json_reply(400, {"description": "limit and skip are out of range"})
    selected = sorted(
        (b for b in recordings.zuul_builds if _matches(b, request)),
        key=_newest_first,
        reverse=True,
    )
    return json_reply(200, selected[skip : skip + limit])


def routes() -> dict[str, RouteBuilder]:
    """The Zuul service of the fake."""
    return {"zuul": zuul_routes}
