"""Bug tracks: Launchpad and GitHub searches, normalized to one :class:`Bug`.

Upstream text is hostile and upstream shapes drift, so each page is
checked before any of it is used: a page that does not have the expected
shape fails the fetch (and the last good snapshot stays), rather than
producing a half-right list. Titles are capped; links are kept only when
:func:`crosswork.links.safe_https_url` accepts them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

from crosswork.fetch.http import Deadline, FetchError, HttpClient, Response, redact_url
from crosswork.fetch.providers import (
    PAGE_CAP,
    FetchContext,
    FetchResult,
    conditional_headers,
    expect_ok,
)
from crosswork.fetch.snapshot import Snapshot, Validators
from crosswork.kinds.bugs.vocabulary import TRACKER_NAMES
from crosswork.links import safe_https_url
from crosswork.textclean import clean_line

TRACKERS = ("launchpad", "github")
MAX_TITLE = 300
#: Statuses, importances, labels and user names: short words upstream.
MAX_NAME = 100
#: Pages fetched per search before the result is marked incomplete.
PAGE_SIZES = {"launchpad": 75, "github": 100}

_LAUNCHPAD_TITLE = re.compile(r'^Bug #\d+ in .+?: "(.*)"$', re.DOTALL)
_LAUNCHPAD_TASK_DATES = (
    "date_created",
    "date_assigned",
    "date_confirmed",
    "date_triaged",
    "date_in_progress",
    "date_incomplete",
    "date_fix_committed",
    "date_fix_released",
    "date_closed",
    "date_left_new",
    "date_left_closed",
)


@dataclass(frozen=True)
class BugQuery:
    """One bug track of a charter, as a search.

    Launchpad tracks use ``status``, ``importance`` and ``tags`` (all tags
    required); GitHub tracks use ``labels`` (all required) and ``state``.
    """

    tracker: str
    project: str
    status: tuple[str, ...] = ()
    importance: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    state: str = "open"

    @classmethod
    def from_track(cls, track: Mapping[str, Any]) -> BugQuery:
        """From a schema-valid ``tracks.bugs`` entry."""
        return cls(
            tracker=track["tracker"],
            project=track["project"],
            status=tuple(track.get("status", ())),
            importance=tuple(track.get("importance", ())),
            tags=tuple(track.get("tags", ())),
            labels=tuple(track.get("labels", ())),
            state=track.get("state", "open"),
        )

    @property
    def service(self) -> str:
        return self.tracker

    def filters(self) -> list[str]:
        """The search's conditions in words: "status New, Confirmed"."""
        if self.tracker == "github":
            state = "open and closed" if self.state == "all" else self.state
            words = [f"{state} issues"]
            if self.labels:
                words.append(f"labels {', '.join(self.labels)}")
            return words
        words = [f"status {', '.join(self.status)}"]
        if self.importance:
            words.append(f"importance {', '.join(self.importance)}")
        if self.tags:
            words.append(f"tags {', '.join(self.tags)}")
        return words

    def describe(self) -> str:
        return f"{TRACKER_NAMES[self.tracker]}: {self.project}, " + "; ".join(
            self.filters()
        )

    def to_json(self) -> dict[str, Any]:
        """The query as stored in the snapshot: the keys of its tracker."""
        if self.tracker == "github":
            return {
                "tracker": self.tracker,
                "project": self.project,
                "labels": list(self.labels),
                "state": self.state,
            }
        return {
            "tracker": self.tracker,
            "project": self.project,
            "status": list(self.status),
            "importance": list(self.importance),
            "tags": list(self.tags),
        }


@dataclass(frozen=True)
class Bug:
    """One bug, whatever its tracker.

    ``importance`` is Launchpad's (GitHub has none). ``tags`` are GitHub
    labels, or for Launchpad the tags the search required: the search
    does not return a bug's other tags. ``updated`` is GitHub's
    ``updated_at``, or the latest change of the Launchpad task.
    """

    id: int
    tracker: str
    project: str
    title: str
    status: str
    importance: str | None
    tags: tuple[str, ...]
    assignee: str | None
    created: dt.datetime
    updated: dt.datetime | None
    url: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tracker": self.tracker,
            "project": self.project,
            "title": self.title,
            "status": self.status,
            "importance": self.importance,
            "tags": list(self.tags),
            "assignee": self.assignee,
            "created": _format(self.created),
            "updated": None if self.updated is None else _format(self.updated),
            "url": self.url,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Bug:
        updated = data["updated"]
        return cls(
            id=int(data["id"]),
            tracker=str(data["tracker"]),
            project=str(data["project"]),
            title=str(data["title"]),
            status=str(data["status"]),
            importance=data["importance"],
            tags=tuple(data["tags"]),
            assignee=data["assignee"],
            created=_parse(data["created"]),
            updated=None if updated is None else _parse(updated),
            url=data["url"],
        )


def bugs_of(snapshot: Snapshot) -> tuple[Bug, ...]:
    """The bugs of a loaded snapshot (its checksum is already verified)."""
    return tuple(Bug.from_json(item) for item in snapshot.items)


def _format(moment: dt.datetime) -> str:
    # Not strftime("%Y"): it writes the year 1 as "1", which _parse refuses.
    return (
        moment.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    )


def _parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class BugResult:
    """What one search brought back.

    ``not_modified``: the upstream answered 304, keep the snapshot.
    ``error``: a page after the first failed; ``bugs`` holds the pages
    before it and ``complete`` is false.
    """

    bugs: tuple[Bug, ...] = ()
    complete: bool = True
    pages: int = 0
    validators: Validators = field(default_factory=Validators)
    not_modified: bool = False
    error: FetchError | None = None


class Tracker(Protocol):
    headers: Mapping[str, str]

    def first_request(
        self, base: str, query: BugQuery, page_size: int
    ) -> tuple[str, dict[str, Any]]: ...

    def read_page(
        self, response: Response, query: BugQuery
    ) -> tuple[list[Bug], str | None]:
        """The bugs of one page and the URL of the next, if any."""
        ...


def fetch_bugs(
    client: HttpClient,
    query: BugQuery,
    *,
    deadline: Deadline,
    validators: Validators | None = None,
    auth: str = "anonymous",
    page_size: int | None = None,
    page_cap: int = PAGE_CAP,
) -> BugResult:
    """Run a search, following pagination up to ``page_cap`` pages.

    ``validators`` make the first request conditional; callers give them
    only for one-page results, because a 304 on a first page says nothing
    about the pages after it. ``auth`` is recorded with the new validators.
    """
    tracker = TRACKER_IMPLEMENTATIONS[query.tracker]
    base = client.endpoints.base(query.tracker)
    url, params = tracker.first_request(
        base, query, page_size or PAGE_SIZES[query.tracker]
    )
    first = client.get(
        url,
        params=params,
        headers={**tracker.headers, **conditional_headers(validators)},
        deadline=deadline,
    )
    if first.status == 304 and validators is not None:
        return BugResult(not_modified=True, validators=validators)
    bugs, next_url = tracker.read_page(expect_ok(first), query)
    pages, error = 1, None
    while next_url and pages < page_cap:
        try:
            response = client.get(next_url, headers=tracker.headers, deadline=deadline)
            page_bugs, next_url = tracker.read_page(expect_ok(response), query)
        except FetchError as failure:
            error = failure
            break
        bugs.extend(page_bugs)
        pages += 1
    return BugResult(
        bugs=unique_sorted(bugs),
        complete=error is None and next_url is None,
        pages=pages,
        validators=Validators(
            first.headers.get("ETag"),
            first.headers.get("Last-Modified"),
            auth,
        ),
        error=error,
    )


def unique_sorted(bugs: Iterable[Bug]) -> tuple[Bug, ...]:
    """One bug per id (the first seen), in id order."""
    by_id: dict[int, Bug] = {}
    for bug in bugs:
        by_id.setdefault(bug.id, bug)
    return tuple(by_id[key] for key in sorted(by_id))


class LaunchpadTracker:
    """``searchTasks`` on a project; one bug may have several tasks."""

    headers: Mapping[str, str] = {"Accept": "application/json"}

    def first_request(
        self, base: str, query: BugQuery, page_size: int
    ) -> tuple[str, dict[str, Any]]:
        params: dict[str, Any] = {"ws.op": "searchTasks", "status": list(query.status)}
        if query.importance:
            params["importance"] = list(query.importance)
        if query.tags:
            params["tags"] = list(query.tags)
            params["tags_combinator"] = "All"
        params["ws.size"] = page_size
        return f"{base}/1.0/{quote(query.project, safe='')}", params

    def read_page(
        self, response: Response, query: BugQuery
    ) -> tuple[list[Bug], str | None]:
        page = response.json()
        where = redact_url(response.url)
        if not isinstance(page, dict) or not isinstance(page.get("entries"), list):
            raise FetchError("schema", f"{where}: not a Launchpad collection")
        next_url = page.get("next_collection_link")
        if next_url is not None and not isinstance(next_url, str):
            raise FetchError("schema", f"{where}: bad next_collection_link")
        bugs = [
            self.bug(task, query, where)
            for task in page["entries"]
            if isinstance(task, dict) and task.get("bug_target_name") == query.project
        ]
        return bugs, next_url

    def bug(self, task: Mapping[str, Any], query: BugQuery, where: str) -> Bug:
        """A bug from its task on the searched project (not a series task)."""
        bug_link = _text(task, "bug_link", where)
        number = bug_link.rstrip("/").rsplit("/", 1)[-1]
        if not number.isdigit():
            raise FetchError("schema", f"{where}: bug_link without a bug number")
        dates = [_timestamp(task, key, where) for key in _LAUNCHPAD_TASK_DATES]
        assignee = _optional_text(task, "assignee_link", where)
        return Bug(
            id=int(number),
            tracker="launchpad",
            project=query.project,
            title=clean_title(_launchpad_title(_text(task, "title", where))),
            status=clean_name(_text(task, "status", where)),
            importance=_optional_name(task, "importance", where),
            tags=tuple(sorted(query.tags)),
            assignee=None
            if assignee is None
            else clean_name(assignee.rstrip("/").rsplit("/", 1)[-1].lstrip("~")),
            created=_required(dates[0], "date_created", where),
            updated=max((d for d in dates if d is not None), default=None),
            url=_safe_url(task, "web_link", where),
        )


class GitHubTracker:
    """Issues of a repository; pull requests share the list and are dropped."""

    headers: Mapping[str, str] = {
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
    }

    def first_request(
        self, base: str, query: BugQuery, page_size: int
    ) -> tuple[str, dict[str, Any]]:
        owner, repo = query.project.split("/")
        params: dict[str, Any] = {"state": query.state, "per_page": page_size}
        if query.labels:
            params["labels"] = ",".join(query.labels)
        return (
            f"{base}/repos/{quote(owner, safe='')}/{quote(repo, safe='')}/issues",
            params,
        )

    def read_page(
        self, response: Response, query: BugQuery
    ) -> tuple[list[Bug], str | None]:
        page = response.json()
        where = redact_url(response.url)
        if not isinstance(page, list) or not all(
            isinstance(item, dict) for item in page
        ):
            raise FetchError("schema", f"{where}: not a list of issues")
        bugs = [
            self.bug(item, query, where) for item in page if "pull_request" not in item
        ]
        return bugs, response.next_link

    def bug(self, issue: Mapping[str, Any], query: BugQuery, where: str) -> Bug:
        number = issue.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            raise FetchError("schema", f"{where}: issue without a number")
        return Bug(
            id=number,
            tracker="github",
            project=query.project,
            title=clean_title(_text(issue, "title", where)),
            status=clean_name(_text(issue, "state", where)),
            importance=None,
            tags=_label_names(issue.get("labels"), where),
            assignee=_login(issue.get("assignee"), where),
            created=_required(
                _timestamp(issue, "created_at", where), "created_at", where
            ),
            updated=_timestamp(issue, "updated_at", where),
            url=_safe_url(issue, "html_url", where),
        )


TRACKER_IMPLEMENTATIONS: Mapping[str, Tracker] = {
    "launchpad": LaunchpadTracker(),
    "github": GitHubTracker(),
}


def clean_title(title: str) -> str:
    """One line of safe text, capped at :data:`MAX_TITLE` characters."""
    return clean_line(title, MAX_TITLE)


def clean_name(name: str) -> str:
    """A status, label or user name: one line of safe text, capped."""
    return clean_line(name, MAX_NAME)


def _launchpad_title(title: str) -> str:
    """``Bug #1 in Nova: "Boom"`` becomes ``Boom``.

    Only a title ending in a quote is matched: then the first ``: "``
    matches, while on a title without one the pattern tried every ``: "``
    against every later quote, quadratic in the title's length.
    """
    match = _LAUNCHPAD_TITLE.match(title) if title.endswith('"') else None
    return match.group(1) if match else title


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str):
        raise FetchError("schema", f"{where}: {key} missing or not text")
    return value


def _optional_text(item: Mapping[str, Any], key: str, where: str) -> str | None:
    return None if item.get(key) is None else _text(item, key, where)


def _optional_name(item: Mapping[str, Any], key: str, where: str) -> str | None:
    text = _optional_text(item, key, where)
    return None if text is None else clean_name(text)


def _timestamp(item: Mapping[str, Any], key: str, where: str) -> dt.datetime | None:
    text = _optional_text(item, key, where)
    if text is None:
        return None
    try:
        return _parse(text)
    except (ValueError, OverflowError) as error:  # 0001-01-01T00:00+01:00
        raise FetchError("schema", f"{where}: {key} is not a timestamp") from error


def _required(value: dt.datetime | None, key: str, where: str) -> dt.datetime:
    if value is None:
        raise FetchError("schema", f"{where}: {key} missing")
    return value


def _safe_url(item: Mapping[str, Any], key: str, where: str) -> str | None:
    text = _optional_text(item, key, where)
    return None if text is None else safe_https_url(text)


def _label_names(labels: Any, where: str) -> tuple[str, ...]:
    if not isinstance(labels, Sequence) or isinstance(labels, str):
        raise FetchError("schema", f"{where}: labels is not a list")
    names = []
    for label in labels:
        name = label.get("name") if isinstance(label, dict) else label
        if not isinstance(name, str):
            raise FetchError("schema", f"{where}: a label has no name")
        names.append(clean_name(name))
    return tuple(sorted(names))


def _login(assignee: Any, where: str) -> str | None:
    if assignee is None:
        return None
    if not isinstance(assignee, dict) or not isinstance(assignee.get("login"), str):
        raise FetchError("schema", f"{where}: assignee without a login")
    return clean_name(assignee["login"])


class BugsProvider:
    """Bug tracks: Launchpad bug task searches and GitHub issue lists."""

    def query(self, track: Mapping[str, Any]) -> BugQuery:
        return BugQuery.from_track(track)

    def fetch(self, query: BugQuery, context: FetchContext) -> FetchResult:
        result = fetch_bugs(
            context.client,
            query,
            deadline=context.deadline,
            validators=context.validators,
            auth=context.auth,
            page_size=context.page_size,
            page_cap=context.page_cap,
        )
        return FetchResult(
            items=tuple(bug.to_json() for bug in result.bugs),
            complete=result.complete,
            pages=result.pages,
            validators=result.validators,
            not_modified=result.not_modified,
            error=result.error,
        )

    def breakdown(self, snapshot: Snapshot) -> dict[str, int]:
        return {}


PROVIDER = BugsProvider()
