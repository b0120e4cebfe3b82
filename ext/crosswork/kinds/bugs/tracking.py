"""The bugs specs name in ``Tracking``, fetched one by one.

No charter track lists them, so the kind derives one track per tracker and
workgroup from the workgroup's specs (``spec_tracks``): source
``<workgroup>.bugs.spec-tracking.launchpad`` holds every Launchpad bug the
workgroup's specs track, ``...spec-tracking.github`` every GitHub issue.
A Launchpad bug is ``GET /1.0/bugs/<n>`` and its ``bug_tasks`` (a bug has
one task per project and series, and "fixed" depends on them); a GitHub
issue is ``GET /repos/<owner>/<repo>/issues/<n>``. A bug the tracker does
not have (404) or serves in an unusable shape is left out and named, so the
rest still lands; the spec page counts it as unknown.

References, as ``Tracking`` allows them (see :mod:`crosswork.specs.metadata`):
a bare number is a Launchpad bug; ``project#n`` is Launchpad bug ``n`` seen
from ``project``; ``https://bugs.launchpad.net/<project>/+bug/<n>`` and
``https://github.com/<owner>/<repo>/issues/<n>`` are what they look like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from crosswork.fetch.http import FetchError, redact_url
from crosswork.fetch.providers import FetchContext, FetchResult, expect_ok
from crosswork.fetch.snapshot import Validators
from crosswork.kinds.bugs.provider import (
    TRACKER_IMPLEMENTATIONS,
    Bug,
    BugQuery,
    BugsProvider,
    GitHubTracker,
    _launchpad_title,
    _optional_text,
    _safe_url,
    _text,
    _timestamp,
    clean_name,
    clean_title,
)
from crosswork.kinds.bugs.vocabulary import TRACKER_NAMES
from crosswork.specs.model import Spec
from crosswork.workgroups.model import Workgroup

#: Derived track names, one per tracker: the dot keeps them out of charters.
TRACK_PREFIX = "spec-tracking."
#: Bugs fetched per derived track at most; more are left out, named.
MAX_BUGS = 200

_NUMBER = r"[1-9][0-9]{0,9}"
_LAUNCHPAD_PROJECT = r"[a-z0-9][a-z0-9+.-]{1,62}"
_BARE = re.compile(rf"(?:(?P<project>[a-z][a-z0-9_.-]*)#)?(?P<number>{_NUMBER})")
_LAUNCHPAD_URL = re.compile(
    rf"https://bugs\.launchpad\.net/(?:(?P<project>{_LAUNCHPAD_PROJECT})/)?"
    rf"\+bug/(?P<number>{_NUMBER})/?|https://bugs\.launchpad\.net/bugs/"
    rf"(?P<bare>{_NUMBER})/?"
)
_GITHUB_URL = re.compile(
    r"https://github\.com/(?P<repo>[A-Za-z0-9][A-Za-z0-9-]{0,38}/"
    rf"[A-Za-z0-9_][A-Za-z0-9._-]{{0,99}})/issues/(?P<number>{_NUMBER})/?"
)


@dataclass(frozen=True)
class BugRef:
    """One ``Tracking`` entry that names a bug a tracker can be asked for.

    ``project`` is the Launchpad project the entry names (or ""), or the
    GitHub ``owner/repo``.
    """

    tracker: str
    project: str
    number: int

    @property
    def key(self) -> str:
        """How the derived track lists the bug: ``n`` or ``owner/repo#n``."""
        if self.tracker == "github":
            return f"{self.project}#{self.number}"
        return str(self.number)

    @property
    def label(self) -> str:
        return f"{self.project}#{self.number}" if self.project else f"#{self.number}"

    @property
    def url(self) -> str:
        if self.tracker == "github":
            return f"https://github.com/{self.project}/issues/{self.number}"
        where = f"{self.project}/" if self.project else ""
        return f"https://bugs.launchpad.net/{where}+bug/{self.number}"


def parse_ref(text: str) -> BugRef | None:
    """The bug a ``Tracking`` entry names; None for any other URL."""
    text = text.strip()
    if found := _BARE.fullmatch(text):
        return BugRef("launchpad", found["project"] or "", int(found["number"]))
    if found := _LAUNCHPAD_URL.fullmatch(text):
        number = found["number"] or found["bare"]
        return BugRef("launchpad", found["project"] or "", int(number))
    if found := _GITHUB_URL.fullmatch(text):
        return BugRef("github", found["repo"], int(found["number"]))
    return None


def spec_refs(spec: Spec) -> list[tuple[str, BugRef | None]]:
    """Each distinct ``Tracking`` entry of ``spec`` and the bug it names."""
    return [(text, parse_ref(text)) for text in dict.fromkeys(spec.tracking)]


def track_name(tracker: str) -> str:
    return f"{TRACK_PREFIX}{tracker}"


def spec_tracks(specs: Sequence[Spec], workgroup: Workgroup) -> list[dict[str, Any]]:
    """One track per tracker with every bug ``specs`` track, sorted."""
    keys: dict[str, set[str]] = {}
    for spec in specs:
        for _, ref in spec_refs(spec):
            if ref is not None:
                keys.setdefault(ref.tracker, set()).add(ref.key)
    return [
        {"name": track_name(tracker), "tracker": tracker, "bugs": sorted(keys[tracker])}
        for tracker in sorted(keys)
    ]


@dataclass(frozen=True)
class TrackingQuery:
    """A derived track: these bugs of one tracker, each fetched alone."""

    tracker: str
    #: Launchpad numbers, or GitHub ``owner/repo#n``.
    bugs: tuple[str, ...]

    @classmethod
    def from_track(cls, track: Mapping[str, Any]) -> TrackingQuery:
        return cls(track["tracker"], tuple(track["bugs"]))

    @property
    def service(self) -> str:
        return self.tracker

    def describe(self) -> str:
        count = len(self.bugs)
        bugs = "bug" if count == 1 else "bugs"
        return f"{TRACKER_NAMES[self.tracker]}: {count} {bugs} that specs track"

    def to_json(self) -> dict[str, Any]:
        return {"tracker": self.tracker, "bugs": list(self.bugs)}


def is_tracking_track(track: Mapping[str, Any]) -> bool:
    return str(track.get("name", "")).startswith(TRACK_PREFIX)


def query_of(track: Mapping[str, Any]) -> TrackingQuery | BugQuery:
    """A charter's search, or a derived track of tracked bugs."""
    if is_tracking_track(track):
        return TrackingQuery.from_track(track)
    return BugQuery.from_track(track)


# --- Fetching ----------------------------------------------------------------


def fetch_tracked(query: TrackingQuery, context: FetchContext) -> FetchResult:
    """Every bug of the query; those the tracker lacks or garbles are left out.

    A failure that is not about one bug (the tracker down, the deadline)
    fails the whole fetch, so the last good snapshot stays.
    """
    fetch_one = FETCHERS[query.tracker]
    items: list[dict[str, Any]] = []
    failed: dict[str, str] = {}
    for key in query.bugs[:MAX_BUGS]:
        try:
            items.append(fetch_one(key, context))
        except FetchError as error:
            if error.kind not in {"schema", "http-404"}:
                raise
            failed[key] = error.kind
    failed.update(dict.fromkeys(query.bugs[MAX_BUGS:], "page-cap"))
    return FetchResult(
        items=tuple(items),
        complete=not failed,
        pages=len(query.bugs[:MAX_BUGS]),
        validators=Validators(None, None, context.auth),
        left_out=left_out(failed) if failed else None,
    )


def left_out(failed: Mapping[str, str]) -> FetchError:
    """One error naming the bugs left out; ``schema`` if any was garbled,
    ``http-404`` if the tracker only lacked some, ``page-cap`` past the cap."""
    kinds = set(failed.values())
    kind = next(k for k in ("schema", "http-404", "page-cap") if k in kinds)
    named = ", ".join(list(failed)[:20])
    more = len(failed) - 20
    tail = f" and {more} more" if more > 0 else ""
    return FetchError(kind, f"bugs left out (not found or unusable): {named}{tail}")


def fetch_launchpad_bug(key: str, context: FetchContext) -> dict[str, Any]:
    """``/1.0/bugs/<n>`` and the first page of its tasks, as one item."""
    headers = TRACKER_IMPLEMENTATIONS["launchpad"].headers
    base = f"{context.client.endpoints.base('launchpad')}/1.0/bugs/{int(key)}"
    response = expect_ok(
        context.client.get(base, headers=headers, deadline=context.deadline)
    )
    bug = response.json()
    where = redact_url(response.url)
    if not isinstance(bug, dict) or bug.get("id") != int(key):
        raise FetchError("schema", f"{where}: not Launchpad bug {key}")
    tasks_response = expect_ok(
        context.client.get(
            f"{base}/bug_tasks", headers=headers, deadline=context.deadline
        )
    )
    tasks = launchpad_tasks(tasks_response.json(), redact_url(tasks_response.url))
    return launchpad_item(bug, tasks, where)


def launchpad_tasks(page: Any, where: str) -> list[dict[str, str]]:
    """``{target, status}`` of every task of a collection page."""
    if not isinstance(page, dict) or not isinstance(page.get("entries"), list):
        raise FetchError("schema", f"{where}: not a Launchpad collection")
    return [
        {
            "target": clean_name(_text(task, "bug_target_name", where)),
            "status": clean_name(_text(task, "status", where)),
        }
        for task in page["entries"]
        if isinstance(task, dict)
    ]


def launchpad_item(
    bug: Mapping[str, Any], tasks: list[dict[str, str]], where: str
) -> dict[str, Any]:
    """A :class:`Bug` of the first project task, with every task beside it."""
    projects = [task for task in tasks if "/" not in task["target"]] or tasks
    first = projects[0] if projects else {"target": "", "status": "unknown"}
    created = _timestamp(bug, "date_created", where)
    if created is None:
        raise FetchError("schema", f"{where}: date_created missing")
    item = Bug(
        id=int(bug["id"]),
        tracker="launchpad",
        project=first["target"],
        title=clean_title(_launchpad_title(_text(bug, "title", where))),
        status=first["status"],
        importance=None,
        tags=tuple(sorted(clean_name(str(tag)) for tag in bug.get("tags") or ())),
        assignee=None,
        created=created,
        updated=_timestamp(bug, "date_last_updated", where),
        url=_safe_url(bug, "web_link", where),
    ).to_json()
    return {**item, "tasks": tasks}


def fetch_github_issue(key: str, context: FetchContext) -> dict[str, Any]:
    """``/repos/<owner>/<repo>/issues/<n>``: an issue, or a pull request."""
    repo, _, number = key.partition("#")
    owner, name = repo.split("/")
    base = context.client.endpoints.base("github")
    url = (
        f"{base}/repos/{quote(owner, safe='')}/{quote(name, safe='')}/issues/"
        f"{int(number)}"
    )
    response = expect_ok(
        context.client.get(url, headers=GITHUB.headers, deadline=context.deadline)
    )
    issue = response.json()
    where = redact_url(response.url)
    if not isinstance(issue, dict) or issue.get("number") != int(number):
        raise FetchError("schema", f"{where}: not issue {number}")
    item = GITHUB.bug(issue, BugQuery(tracker="github", project=repo), where).to_json()
    reason = _optional_text(issue, "state_reason", where)
    merged = isinstance(issue.get("pull_request"), dict) and bool(
        issue["pull_request"].get("merged_at")
    )
    return {
        **item,
        "state_reason": None if reason is None else clean_name(reason),
        "merged": merged,
    }


GITHUB = GitHubTracker()
FETCHERS = {"launchpad": fetch_launchpad_bug, "github": fetch_github_issue}


# --- Fixed or not --------------------------------------------------------------

#: Launchpad task statuses that mean the fix is in.
LAUNCHPAD_FIXED = frozenset({"Fix Committed", "Fix Released"})
#: Launchpad statuses that close a task without a fix.
LAUNCHPAD_CLOSED_UNFIXED = frozenset({"Invalid", "Won't Fix", "Opinion", "Expired"})


def is_fixed(item: Mapping[str, Any], ref: BugRef) -> bool:
    """Whether the tracked bug is fixed, as its tracker says.

    Launchpad: the tasks considered are the one on the project the
    reference names, else every project task (series tasks only when the
    bug has nothing else). The bug is fixed when at least one of them is
    Fix Committed or Fix Released and none is still open: a task closed
    without a fix elsewhere (Invalid on another project) does not undo it.
    GitHub: the issue is closed with ``state_reason`` "completed" (closed
    as not planned or as a duplicate is not fixed), or it is a merged pull
    request.
    """
    if ref.tracker == "github":
        closed = item.get("status") == "closed"
        return bool(item.get("merged")) or (
            closed and item.get("state_reason") == "completed"
        )
    statuses = [task["status"] for task in considered_tasks(item, ref.project)]
    fixed = [status for status in statuses if status in LAUNCHPAD_FIXED]
    still_open = [
        status
        for status in statuses
        if status not in LAUNCHPAD_FIXED and status not in LAUNCHPAD_CLOSED_UNFIXED
    ]
    return bool(fixed) and not still_open


def considered_tasks(item: Mapping[str, Any], project: str) -> list[Mapping[str, Any]]:
    tasks = [task for task in item.get("tasks", ()) if isinstance(task, Mapping)]
    named = [task for task in tasks if task.get("target") == project]
    if named:
        return named
    return [task for task in tasks if "/" not in str(task.get("target"))] or tasks


def items_by_key(items: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Snapshot items keyed like :attr:`BugRef.key`."""
    keyed = {}
    for item in items:
        if item.get("tracker") == "github":
            keyed[f"{item.get('project')}#{item.get('id')}"] = item
        else:
            keyed[str(item.get("id"))] = item
    return keyed


# --- The kind's provider ---------------------------------------------------------


class BugsAndTrackingProvider(BugsProvider):
    """Charter searches, and the derived tracks of bugs specs track."""

    def query(self, track: Mapping[str, Any]) -> Any:
        return query_of(track)

    def fetch(self, query: Any, context: FetchContext) -> FetchResult:
        if isinstance(query, TrackingQuery):
            return fetch_tracked(query, context)
        return super().fetch(query, context)


PROVIDER = BugsAndTrackingProvider()
