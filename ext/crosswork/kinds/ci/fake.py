"""The fake upstream's Zuul routes: recorded builds, filtered and paged.

``/api/tenant/{tenant}/builds`` serves the recorded builds verbatim (both
payload shapes), newest first, filtered like Zuul (a repeated parameter
means "any of"; ``*`` is a wildcard in project, pipeline, branch and
job_name) and paged with ``limit`` and ``skip``. Like Zuul it sends no
ETag. The recordings come from several Zuul tenants; the fake does not
keep tenants apart.
"""

from __future__ import annotations

import copy
import dataclasses
import fnmatch
import functools
import re
from collections.abc import Mapping, Sequence
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


# --- Hostile payloads --------------------------------------------------------

#: Build fields from outside that pages show, besides project and pipeline
#: (searches filter on them, so they stay).
_HOSTILE_FIELDS = ("job_name", "branch", "result", "uuid", "log_url", "patchset")


def hostile(recordings: Recordings, payloads: Sequence[str]) -> Recordings:
    """A copy with hostile builds, newest of all, for every recorded project
    and pipeline.

    Build ``k`` carries payload ``k + f * n`` (cycling) in field ``f`` of
    :data:`_HOSTILE_FIELDS`, where ``n`` is the number of payloads over the
    number of fields, rounded up: the ``n`` newest builds carry every
    payload, so a window of that many builds shows them all.
    """
    step = -(-len(payloads) // len(_HOSTILE_FIELDS))
    templates: dict[tuple[Any, Any], dict[str, Any]] = {}
    for build in recordings.zuul_builds:
        templates.setdefault((field(build, "project"), build.get("pipeline")), build)
    builds = list(recordings.zuul_builds)
    for template in templates.values():
        for index in range(len(payloads)):
            build = copy.deepcopy(template)
            build["start_time"] = f"2099-01-01T{index // 60:02d}:{index % 60:02d}:00"
            build["end_time"] = build["start_time"]
            for number, name in enumerate(_HOSTILE_FIELDS):
                payload = payloads[(index + number * step) % len(payloads)]
                _set_field(build, name, payload)
            builds.append(build)
    return dataclasses.replace(recordings, zuul_builds=builds)


def _set_field(build: dict[str, Any], name: str, value: str) -> None:
    ref = build.get("ref")
    if isinstance(ref, dict) and name in ref:
        ref[name] = value
    else:
        build[name] = value
