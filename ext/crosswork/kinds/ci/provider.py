"""CI tracks: Zuul builds of a tenant, paged and normalized to :class:`Build`.

``/api/tenant/{tenant}/builds`` takes the track's projects, pipelines and
jobs as repeated filters (a repeated parameter means "any of") and returns
the newest builds first, ``limit`` at a time, ``skip`` builds in. It has no
total count and no date filter, so the fetch pages until the window is
full: the builds before the window's first day (counted back from the
newest build returned), or the last N builds of each job. Paging with
``skip`` shifts while builds finish, so builds are kept once by uuid. A
page that is not a list of builds fails the fetch, and the last good
snapshot stays; more pages than the cap mark the result incomplete.

Buildsets are not fetched: every build already carries the project,
change, patchset, pipeline and buildset that flaky signals and gate
resets compare, and Zuul's buildsets list holds no queue data either.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from crosswork.fetch.http import FetchError, redact_url
from crosswork.fetch.providers import (
    FetchContext,
    FetchResult,
    conditional_headers,
    expect_ok,
)
from crosswork.fetch.snapshot import Snapshot, Validators
from crosswork.kinds.ci.analysis import breakdown
from crosswork.kinds.ci.model import Build, BuildError, normalize_build

SERVICE = "zuul"
#: Builds asked for per page (Zuul's own default is 50).
PAGE_SIZE = 100
HEADERS: Mapping[str, str] = {"Accept": "application/json"}


@dataclass(frozen=True)
class CiQuery:
    """One CI track of a charter, as a builds search and its window."""

    tenant: str
    projects: tuple[str, ...] = ()
    pipelines: tuple[str, ...] = ()
    jobs: tuple[str, ...] = ()
    days: int | None = None
    builds: int | None = None

    @classmethod
    def from_track(cls, track: Mapping[str, Any]) -> CiQuery:
        """From a schema-valid ``tracks.ci`` entry."""
        window = track["window"]
        return cls(
            tenant=track["tenant"],
            projects=tuple(track.get("projects", ())),
            pipelines=tuple(track.get("pipelines", ())),
            jobs=tuple(track.get("jobs", ())),
            days=window.get("days"),
            builds=window.get("builds"),
        )

    @property
    def service(self) -> str:
        return SERVICE

    def params(self) -> dict[str, Any]:
        """The builds filters of the track (lists repeat the parameter)."""
        params: dict[str, Any] = {}
        if self.projects:
            params["project"] = list(self.projects)
        if self.pipelines:
            params["pipeline"] = list(self.pipelines)
        if self.jobs:
            params["job_name"] = list(self.jobs)
        return params

    def describe(self) -> str:
        words = [f"Zuul: tenant {self.tenant}"]
        if self.pipelines:
            words.append(f"pipelines {', '.join(self.pipelines)}")
        if self.projects:
            count = len(self.projects)
            words.append(f"{count} project{'' if count == 1 else 's'}")
        return ", ".join(words)

    def to_json(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant,
            "projects": list(self.projects),
            "pipelines": list(self.pipelines),
            "jobs": list(self.jobs),
            "window": {"days": self.days}
            if self.days is not None
            else {"builds": self.builds},
        }


def read_page(payload: Any, where: str) -> list[Build]:
    """The builds of one page; anything but a list of builds fails the fetch."""
    if not isinstance(payload, list):
        raise FetchError("schema", f"{where}: not a list of builds")
    try:
        return [normalize_build(item) for item in payload]
    except BuildError as error:
        raise FetchError("schema", f"{where}: {error}") from error


class Window:
    """Which builds a track keeps, and whether paging may stop."""

    def __init__(self, query: CiQuery) -> None:
        self.query = query
        self.kept: dict[str, Build] = {}
        self.per_job: Counter[str] = Counter()
        self.newest: dt.datetime | None = None

    def cutoff(self) -> dt.datetime | None:
        if self.query.days is None or self.newest is None:
            return None
        try:
            return self.newest - dt.timedelta(days=self.query.days)
        except OverflowError:  # the newest build is of the first days of year 1
            return None

    def add(self, builds: list[Build]) -> bool:
        """Keep the page's builds in the window; True when paging may stop."""
        times = [b.start or b.end for b in builds if b.start or b.end]
        if self.newest is None and times:
            self.newest = max(times)
        cutoff = self.cutoff()
        added = 0
        older = False
        for build in builds:
            moment = build.start or build.end
            if cutoff is not None and moment is not None and moment < cutoff:
                older = True
                continue
            if build.key in self.kept:
                continue
            if self.query.builds is not None:
                if self.per_job[build.job] >= self.query.builds:
                    continue
                self.per_job[build.job] += 1
            self.kept[build.key] = build
            added += 1
        if cutoff is not None:
            return older
        if self.query.jobs:
            return all(
                self.per_job[job] >= (self.query.builds or 0) for job in self.query.jobs
            )
        return added == 0 and bool(builds)

    def builds(self) -> tuple[Build, ...]:
        return tuple(
            sorted(
                self.kept.values(),
                key=lambda b: (b.start or b.end or _EPOCH, b.key),
                reverse=True,
            )
        )


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class CiProvider:
    """CI tracks: Zuul builds of a tenant."""

    def query(self, track: Mapping[str, Any]) -> CiQuery:
        return CiQuery.from_track(track)

    def fetch(self, query: CiQuery, context: FetchContext) -> FetchResult:
        """Page with ``skip`` and ``limit`` until the window is full.

        The first request is conditional when validators are given; Zuul
        sends none today, so every fetch reads the pages anew.
        """
        client = context.client
        base = client.endpoints.base(SERVICE)
        url = f"{base}/api/tenant/{quote(query.tenant, safe='')}/builds"
        size = context.page_size or PAGE_SIZE
        window = Window(query)
        pages, skip, error, done = 0, 0, None, False
        validators = Validators()
        while pages < context.page_cap:
            try:
                response = client.get(
                    url,
                    params={**query.params(), "limit": size, "skip": skip},
                    headers={
                        **HEADERS,
                        **(
                            conditional_headers(context.validators) if not pages else {}
                        ),
                    },
                    deadline=context.deadline,
                )
                if not pages and response.status == 304 and context.validators:
                    return FetchResult(not_modified=True, validators=context.validators)
                page = read_page(expect_ok(response).json(), redact_url(response.url))
            except FetchError as failure:
                if not pages:
                    raise
                error = failure
                break
            if not pages:
                validators = Validators(
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                    context.auth,
                )
            pages += 1
            skip += len(page)
            if window.add(page) or len(page) < size:
                done = True
                break
        return FetchResult(
            items=tuple(build.to_json() for build in window.builds()),
            complete=done and error is None,
            pages=pages,
            validators=validators,
            error=error,
        )

    def breakdown(self, snapshot: Snapshot) -> dict[str, int]:
        return breakdown(builds_of(snapshot))


def builds_of(snapshot: Snapshot) -> tuple[Build, ...]:
    """The builds of a loaded snapshot (its checksum is already verified)."""
    return tuple(Build.from_json(item) for item in snapshot.items)


PROVIDER = CiProvider()
