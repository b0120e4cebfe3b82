"""One Zuul build, whatever the payload's shape, and its result bucket.

Zuul before version 10 sends the ref fields (project, branch, change,
patchset, ref) flat on the build; Zuul 10 moved them into a nested
``ref`` object. :func:`normalize_build` reads both into one
:class:`Build`. Timestamps carry no zone and are UTC. Text from the
upstream is cleaned and capped; the log link is kept only when it is
https to an allowlisted host (:func:`crosswork.links.safe_https_url`).
Log servers are arbitrary hosts, so pages link a build to its page on the
Zuul web UI instead (:func:`build_page_url`). This module imports neither
Sphinx nor docutils.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from crosswork.fetch.endpoints import DEFAULT_BASES
from crosswork.links import DEFAULT_HOSTS, safe_https_url
from crosswork.textclean import clean_line

MAX_NAME = 200

#: The public Zuul web UI: the service's own base, never a test override,
#: since pages are read on the web. Its API and its pages share the host.
ZUUL_WEB = DEFAULT_BASES["zuul"]
#: Hosts a CI page may link to: the default allowlist and the Zuul web UI.
CI_HOSTS = DEFAULT_HOSTS | {urlsplit(ZUUL_WEB).hostname or ""}
#: What a build uuid or tenant must look like to become part of a link.
_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")

#: Result buckets, in the order pages show them.
SUCCESS = "success"
#: A test failure: the job ran and its tests failed (or ran out of time).
FAILURE = "failure"
#: An infrastructure failure: the job could not run or report properly.
INFRA = "infra"
#: The change could not be merged or the configuration was broken.
CONFIG = "config"
CANCELED = "canceled"
SKIPPED = "skipped"
#: No result yet (``null``): the build is still running.
RUNNING = "running"
#: A result this code does not know.
OTHER = "other"

BUCKETS = (SUCCESS, FAILURE, INFRA, CONFIG, CANCELED, SKIPPED, RUNNING, OTHER)

RESULT_BUCKETS: Mapping[str, str] = {
    "SUCCESS": SUCCESS,
    "FAILURE": FAILURE,
    "TIMED_OUT": FAILURE,
    "POST_FAILURE": INFRA,
    "NODE_FAILURE": INFRA,
    "RETRY_LIMIT": INFRA,
    "RETRY": INFRA,
    "DISK_FULL": INFRA,
    "LOST": INFRA,
    "ERROR": INFRA,
    "EXCEPTION": INFRA,
    "MERGE_CONFLICT": CONFIG,
    "MERGER_FAILURE": CONFIG,
    "CONFIG_ERROR": CONFIG,
    "CANCELED": CANCELED,
    "ABORTED": CANCELED,
    "DEQUEUED": CANCELED,
    "SKIPPED": SKIPPED,
}


def bucket_of(result: str | None) -> str:
    """The bucket of a Zuul result (``None`` is a running build)."""
    if result is None:
        return RUNNING
    return RESULT_BUCKETS.get(result, OTHER)


class BuildError(ValueError):
    """A payload that is not a Zuul build."""


@dataclass(frozen=True)
class Build:
    """One build of one job, normalized from either payload shape."""

    uuid: str | None
    job: str
    project: str
    branch: str | None
    pipeline: str
    change: int | None
    patchset: str | None
    result: str | None
    voting: bool
    #: False for a retried attempt (``RETRY``); rates count final builds only.
    final: bool
    start: dt.datetime | None
    end: dt.datetime | None
    #: Seconds, as Zuul reports them (null while running or when skipped).
    duration: float | None
    #: The build's logs, https to an allowlisted host, else None.
    log_url: str | None
    buildset: str | None

    @property
    def bucket(self) -> str:
        return bucket_of(self.result)

    @property
    def key(self) -> str:
        """What identifies the build when paging shifts: its uuid, or for a
        skipped build (which has none) its buildset and job."""
        return self.uuid or f"{self.buildset}/{self.job}/{self.change}/{self.patchset}"

    def to_json(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid,
            "job": self.job,
            "project": self.project,
            "branch": self.branch,
            "pipeline": self.pipeline,
            "change": self.change,
            "patchset": self.patchset,
            "result": self.result,
            "voting": self.voting,
            "final": self.final,
            "start": _format(self.start),
            "end": _format(self.end),
            "duration": self.duration,
            "log_url": self.log_url,
            "buildset": self.buildset,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Build:
        return cls(
            uuid=data["uuid"],
            job=data["job"],
            project=data["project"],
            branch=data["branch"],
            pipeline=data["pipeline"],
            change=data["change"],
            patchset=data["patchset"],
            result=data["result"],
            voting=bool(data["voting"]),
            final=bool(data["final"]),
            start=_parse_stored(data["start"]),
            end=_parse_stored(data["end"]),
            duration=data["duration"],
            log_url=data["log_url"],
            buildset=data["buildset"],
        )


def normalize_build(payload: Any, *, pipeline: str | None = None) -> Build:
    """A :class:`Build` from a pre-10 (flat) or Zuul 10 (nested ``ref``) build.

    ``pipeline`` fills in a build nested in a buildset, which lacks it.
    Raises :class:`BuildError` when required fields are missing or mistyped.
    """
    if not isinstance(payload, Mapping):
        raise BuildError("a build is not an object")
    ref = payload.get("ref")
    fields: Mapping[str, Any] = ref if isinstance(ref, Mapping) else payload
    job = _name(payload.get("job_name"), "job_name")
    project = _name(fields.get("project"), "project")
    pipe = payload.get("pipeline", pipeline)
    result = payload.get("result")
    if result is not None and not isinstance(result, str):
        raise BuildError("result is not text")
    voting = payload.get("voting", True)
    if not isinstance(voting, bool):
        raise BuildError("voting is not a boolean")
    final = payload.get("final", True)
    buildset = payload.get("buildset")
    return Build(
        uuid=_optional_text(payload.get("uuid"), "uuid"),
        job=job,
        project=project,
        branch=_optional_name(fields.get("branch"), "branch"),
        pipeline=_name(pipe, "pipeline"),
        change=_change(fields.get("change")),
        patchset=_optional_name(_patchset(fields.get("patchset")), "patchset"),
        result=None if result is None else clean_line(result, 40),
        voting=voting,
        final=final is not False,
        start=parse_zuul_time(payload.get("start_time"), "start_time"),
        end=parse_zuul_time(payload.get("end_time"), "end_time"),
        duration=_duration(payload.get("duration")),
        log_url=safe_log_url(payload.get("log_url")),
        buildset=_optional_text(
            buildset.get("uuid") if isinstance(buildset, Mapping) else None, "buildset"
        ),
    )


def safe_log_url(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return safe_https_url(value, CI_HOSTS)


def build_page_url(tenant: str, uuid: str | None) -> str | None:
    """``<zuul web>/t/<tenant>/build/<uuid>``, checked against :data:`CI_HOSTS`;
    None when the tenant or uuid is not a plain id (a skipped build has no
    uuid; text from upstream never shapes a link)."""
    if uuid is None or not _PLAIN_ID.fullmatch(uuid):
        return None
    if not _PLAIN_ID.fullmatch(tenant):
        return None
    url = f"{ZUUL_WEB}/t/{quote(tenant, safe='')}/build/{quote(uuid, safe='')}"
    return safe_https_url(url, CI_HOSTS)


def parse_zuul_time(value: Any, name: str = "time") -> dt.datetime | None:
    """``YYYY-MM-DDTHH:MM:SS`` without a zone is UTC; a zone given is honoured."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BuildError(f"{name} is not text")
    try:
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC).replace(microsecond=0)
    except (ValueError, OverflowError) as error:  # 0001-01-01T00:00+01:00
        raise BuildError(f"{name} is not a timestamp") from error


def _format(moment: dt.datetime | None) -> str | None:
    # Not strftime("%Y"): it writes the year 1 as "1", which cannot be read back.
    return None if moment is None else moment.replace(tzinfo=None).isoformat() + "Z"


def _parse_stored(text: str | None) -> dt.datetime | None:
    return None if text is None else parse_zuul_time(text.removesuffix("Z"))


def _name(value: Any, name: str) -> str:
    if not isinstance(value, str) or not clean_line(value):
        raise BuildError(f"{name} missing or not text")
    return clean_line(value, MAX_NAME)


def _optional_name(value: Any, name: str) -> str | None:
    """None for a missing or empty value (a tag's build has no branch)."""
    return None if value is None or value == "" else _name(value, name)


def _optional_text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BuildError(f"{name} is not text")
    return clean_line(value, MAX_NAME)


def _change(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise BuildError("change is not a number")
    try:
        return int(value)
    except ValueError as error:
        raise BuildError("change is not a number") from error


def _patchset(value: Any) -> Any:
    return (
        str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    )


def _duration(value: Any) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise BuildError("duration is not a number of seconds")
    return float(value)
