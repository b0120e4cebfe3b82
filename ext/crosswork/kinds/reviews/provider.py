"""Review tracks: the changes of a specs repository under code review.

Gerrit: two change queries, the open changes of the project and those
merged or abandoned in the last ``days`` (``-age:``), each with
``CURRENT_REVISION``, ``CURRENT_FILES``, ``DETAILED_LABELS`` and
``DETAILED_ACCOUNTS``. Bodies start with the ``)]}'`` guard line, which is
stripped before parsing; pages follow ``_more_changes`` on the last change
with ``S=`` the count so far.

GitHub: the open pull requests, then the closed ones by last update until
one is older than the window (counted back from the answer's ``Date``),
both by ``Link`` pagination; then each pull's files, paged. A closed pull
with ``merged_at`` was merged, else abandoned. The open list's first page
is a conditional request: a 304 there keeps the snapshot (closing or
reopening a pull changes that list too). GitHub votes are not fetched:
they would cost one ``/reviews`` request more per pull.

Only reviews that touch a file below the track's prefix are kept. For an
open review that adds a spec file, the proposed file's ``:Workgroup:``
field is read (at most :data:`MAX_CONTENTS` files a fetch; a file the
service no longer has leaves it empty). A failure after the first request
cuts the fetch short (the last good snapshot stays); more pages than the
cap mark it incomplete.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import email.utils
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from crosswork.fetch.http import FetchError, Response, redact_url
from crosswork.fetch.providers import (
    FetchContext,
    FetchResult,
    conditional_headers,
    expect_ok,
)
from crosswork.fetch.snapshot import Snapshot, Validators
from crosswork.kinds.reviews.model import (
    ABANDONED,
    GERRIT,
    GITHUB,
    MERGED,
    OPEN,
    SERVICE_NAMES,
    Review,
    ReviewError,
    ReviewFile,
    Vote,
    clean_label,
    clean_name,
    clean_path,
    clean_subject,
    parse_gerrit_time,
    parse_iso,
    under_prefix,
    workgroup_field,
)

SERVICES = (GERRIT, GITHUB)
DEFAULT_PREFIX = "specs/"
DEFAULT_DAYS = 30
#: Where the changes of the Gerrit service are shown: its documented web
#: address, the same host as its API (``crosswork.fetch.endpoints``).
GERRIT_WEB = "https://review.opendev.org"
#: Where GitHub shows pull requests.
GITHUB_WEB = "https://github.com"
#: Gerrit's change options: only what the kind stores.
GERRIT_OPTIONS = (
    "CURRENT_REVISION",
    "CURRENT_FILES",
    "DETAILED_LABELS",
    "DETAILED_ACCOUNTS",
)
XSSI_PREFIX = b")]}'"
PAGE_SIZE = 100
#: Proposed spec files read for their workgroup, at most, per fetch.
MAX_CONTENTS = 20
#: Pulls whose files are read, at most, per fetch.
MAX_PULLS = 300
#: Pages of one pull's files, at most (GitHub lists 3,000 files at most).
MAX_FILE_PAGES = 30
GITHUB_HEADERS: Mapping[str, str] = {
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
}
GERRIT_HEADERS: Mapping[str, str] = {"Accept": "application/json"}
_GERRIT_STATES = {"NEW": OPEN, "MERGED": MERGED, "ABANDONED": ABANDONED}


@dataclass(frozen=True)
class ReviewQuery:
    """One review track: a repository on a service, its spec folder, a window."""

    service: str
    project: str
    prefix: str = DEFAULT_PREFIX
    days: int = DEFAULT_DAYS

    @classmethod
    def from_track(cls, track: Mapping[str, Any]) -> ReviewQuery:
        """From a schema-valid ``tracks.reviews`` entry."""
        service = GERRIT if "gerrit" in track else GITHUB
        return cls(
            service=service,
            project=track[service],
            prefix=track.get("prefix", DEFAULT_PREFIX),
            days=track.get("days", DEFAULT_DAYS),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "project": self.project,
            "prefix": self.prefix,
            "days": self.days,
        }

    def describe(self) -> str:
        return (
            f"{SERVICE_NAMES[self.service]}: {self.project}, changes to {self.prefix}"
        )

    def web_url(self, number: int) -> str:
        """The review's page, built from the track, never from the payload."""
        if self.service == GERRIT:
            return f"{GERRIT_WEB}/c/{quote(self.project)}/+/{number}"
        return f"{GITHUB_WEB}/{quote(self.project)}/pull/{number}"


@dataclass
class Collected:
    """What a fetch has so far: reviews by number, pages, how it ended."""

    reviews: dict[int, Review] = field(default_factory=dict)
    pages: int = 0
    capped: bool = False
    error: FetchError | None = None
    validators: Validators = field(default_factory=Validators)

    def result(self) -> FetchResult:
        items = sorted(self.reviews.values(), key=lambda r: (-r.number, r.service))
        return FetchResult(
            items=tuple(review.to_json() for review in items),
            complete=not self.capped and self.error is None,
            pages=self.pages,
            validators=self.validators,
            error=self.error,
        )


# --- Gerrit ------------------------------------------------------------------


def gerrit_json(response: Response) -> Any:
    """The body without Gerrit's ``)]}'`` guard line, parsed."""
    where = redact_url(response.url)
    body = response.body
    if body.startswith(XSSI_PREFIX):
        body = body.split(b"\n", 1)[1] if b"\n" in body else b""
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if media_type.lower() != "application/json":
        raise FetchError("content-type", f"{where} answered {media_type or 'nothing'}")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise FetchError("invalid-json", f"{where} sent invalid JSON") from error


def gerrit_queries(query: ReviewQuery) -> tuple[str, str]:
    """The open changes, and those closed within the window."""
    project = f"project:{query.project}"
    return (
        f"{project} status:open",
        f"{project} (status:merged OR status:abandoned) -age:{query.days}d",
    )


def read_changes(payload: Any, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(payload, list) or not all(isinstance(c, dict) for c in payload):
        raise FetchError("schema", f"{where}: not a list of changes")
    return payload


def gerrit_review(
    change: Mapping[str, Any], query: ReviewQuery, where: str
) -> Review | None:
    """The change as a :class:`Review`; None when it touches no spec file."""
    try:
        files = gerrit_files(change, query.prefix)
        if not files:
            return None
        number = _number(change.get("_number"))
        state = _GERRIT_STATES.get(change.get("status"))  # type: ignore[arg-type]
        if state is None:
            raise ReviewError("unknown status")
        return Review(
            service=GERRIT,
            number=number,
            project=clean_name(_text(change, "project")),
            subject=clean_subject(_text(change, "subject")),
            state=state,
            owner=clean_name(_account_name(change.get("owner"))),
            created=parse_gerrit_time(_text(change, "created")),
            updated=parse_gerrit_time(_text(change, "updated")),
            url=query.web_url(number),
            files=files,
            votes=gerrit_votes(change.get("labels")),
            draft=change.get("work_in_progress") is True,
        )
    except (ReviewError, ValueError, TypeError, AttributeError) as error:
        raise FetchError(
            "schema", f"{where}: a change is malformed ({error})"
        ) from error


def gerrit_files(change: Mapping[str, Any], prefix: str) -> tuple[ReviewFile, ...]:
    """The current revision's files below ``prefix``; ``A`` marks an added one."""
    revisions = change.get("revisions")
    current = change.get("current_revision")
    if not isinstance(revisions, dict) or not isinstance(current, str):
        return ()
    revision = revisions.get(current)
    files = revision.get("files") if isinstance(revision, dict) else None
    if not isinstance(files, dict):
        return ()
    return tuple(
        ReviewFile(
            clean_path(path), isinstance(info, dict) and info.get("status") == "A"
        )
        for path, info in sorted(files.items())
        if under_prefix(path, prefix)
    )


def gerrit_votes(labels: Any) -> tuple[Vote, ...]:
    """Every account's non-zero vote per label (``DETAILED_LABELS``)."""
    if not isinstance(labels, dict):
        return ()
    votes = []
    for label, info in sorted(labels.items()):
        entries = info.get("all") if isinstance(info, dict) else None
        for entry in entries if isinstance(entries, list) else ():
            value = entry.get("value") if isinstance(entry, dict) else None
            if isinstance(value, int) and not isinstance(value, bool) and value:
                votes.append(
                    Vote(
                        clean_label(str(label)), clean_name(_account_name(entry)), value
                    )
                )
    return tuple(votes)


def _account_name(account: Any) -> str:
    if not isinstance(account, dict):
        return ""
    for key in ("name", "display_name", "username"):
        if isinstance(account.get(key), str):
            return account[key]
    return ""


def fetch_gerrit(query: ReviewQuery, context: FetchContext) -> FetchResult:
    """Both change queries, paged, then the proposed files' workgroups."""
    client = context.client
    base = client.endpoints.base(GERRIT)
    size = context.page_size or PAGE_SIZE
    collected = Collected()
    for text in gerrit_queries(query):
        start = 0
        while not collected.error:
            if collected.pages >= context.page_cap:
                collected.capped = True
                break
            try:
                response = client.get(
                    f"{base}/changes/",
                    params={
                        "q": text,
                        "o": list(GERRIT_OPTIONS),
                        "n": size,
                        "S": start,
                    },
                    headers=GERRIT_HEADERS,
                    deadline=context.deadline,
                )
                where = redact_url(response.url)
                changes = read_changes(gerrit_json(expect_ok(response)), where)
                reviews = [gerrit_review(c, query, where) for c in changes]
            except FetchError as failure:
                if not collected.pages:
                    raise
                collected.error = failure
                break
            collected.pages += 1
            for review in reviews:
                if review is not None:
                    collected.reviews.setdefault(review.number, review)
            start += len(changes)
            if not changes or changes[-1].get("_more_changes") is not True:
                break
    read_workgroups(
        collected,
        lambda review, path: gerrit_content(context, base, query, review, path),
    )
    return collected.result()


def gerrit_content(
    context: FetchContext, base: str, query: ReviewQuery, review: Review, path: str
) -> str | None:
    """The proposed file's text (base64 in the answer); None if it is gone."""
    change = quote(f"{query.project}~{review.number}", safe="~")
    url = (
        f"{base}/changes/{change}/revisions/current/files/"
        f"{quote(path, safe='')}/content"
    )
    response = context.client.get(
        url, headers={"Accept": "text/plain"}, deadline=context.deadline
    )
    if response.status == 404:
        return None
    return decode_base64(expect_ok(response).body)


# --- GitHub ------------------------------------------------------------------


def read_pulls(response: Response) -> list[Mapping[str, Any]]:
    payload = response.json()
    if not isinstance(payload, list) or not all(isinstance(p, dict) for p in payload):
        raise FetchError("schema", f"{redact_url(response.url)}: not a list of pulls")
    return payload


def server_now(response: Response) -> dt.datetime | None:
    """The answer's ``Date``: the window counts back from the service's clock."""
    try:
        moment = email.utils.parsedate_to_datetime(response.headers.get("Date", ""))
    except (TypeError, ValueError, IndexError):
        return None
    return moment.astimezone(dt.UTC) if moment.tzinfo else None


@dataclass(frozen=True)
class Pull:
    """A pull request of a list, before its files are known."""

    number: int
    subject: str
    state: str
    owner: str
    created: dt.datetime
    updated: dt.datetime
    draft: bool
    head: str


def github_pull(item: Mapping[str, Any], where: str) -> Pull:
    try:
        number = _number(item.get("number"))
        state = OPEN if _text(item, "state") == "open" else ABANDONED
        if state != OPEN and isinstance(item.get("merged_at"), str):
            state = MERGED
        head = item.get("head")
        sha = head.get("sha") if isinstance(head, dict) else None
        return Pull(
            number=number,
            subject=clean_subject(_text(item, "title")),
            state=state,
            owner=clean_name(_login(item.get("user"))),
            created=parse_iso(_text(item, "created_at")),
            updated=parse_iso(_text(item, "updated_at")),
            draft=item.get("draft") is True,
            head=sha if isinstance(sha, str) else "",
        )
    except (ReviewError, ValueError, TypeError, OverflowError) as error:
        raise FetchError("schema", f"{where}: a pull is malformed ({error})") from error


def _login(user: Any) -> str:
    if isinstance(user, dict) and isinstance(user.get("login"), str):
        return user["login"]
    return ""


class GitHubFetch:
    """One GitHub review fetch: lists, then each kept pull's files."""

    def __init__(self, query: ReviewQuery, context: FetchContext) -> None:
        self.query = query
        self.context = context
        self.base = context.client.endpoints.base(GITHUB)
        owner, repo = query.project.split("/")
        self.repo_url = (
            f"{self.base}/repos/{quote(owner, safe='')}/{quote(repo, safe='')}"
        )
        self.collected = Collected()
        self.pulls: dict[int, Pull] = {}
        self.list_pages = 0

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> Response:
        return self.context.client.get(
            url, params=params, headers=GITHUB_HEADERS, deadline=self.context.deadline
        )

    def run(self) -> FetchResult:
        first = self.context.client.get(
            f"{self.repo_url}/pulls",
            params={"state": "open", "per_page": self.size},
            headers={**GITHUB_HEADERS, **conditional_headers(self.context.validators)},
            deadline=self.context.deadline,
        )
        if first.status == 304 and self.context.validators is not None:
            return FetchResult(not_modified=True, validators=self.context.validators)
        pulls = [
            github_pull(p, redact_url(first.url)) for p in read_pulls(expect_ok(first))
        ]
        self.collected.validators = Validators(
            first.headers.get("ETag"),
            first.headers.get("Last-Modified"),
            self.context.auth,
        )
        self.collected.pages = 1
        self.keep(pulls)
        self.follow(first.next_link, count=True)
        if not self.collected.error:
            self.closed(server_now(first))
        if not self.collected.error:
            self.files()
        if not self.collected.error:
            read_workgroups(self.collected, self.content)
        return self.collected.result()

    @property
    def size(self) -> int:
        return self.context.page_size or PAGE_SIZE

    def keep(self, pulls: list[Pull], cutoff: dt.datetime | None = None) -> bool:
        """Keep pulls in the window; True when one was older than it."""
        older = False
        for pull in pulls:
            if cutoff is not None and pull.updated < cutoff:
                older = True
                continue
            self.pulls.setdefault(pull.number, pull)
        return older

    def follow(
        self, next_url: str | None, *, count: bool, cutoff: dt.datetime | None = None
    ) -> None:
        """Follow a list's ``Link`` chain within the page cap (the open
        list's pages count in the result; the closed list has its own cap)."""
        followed = 0
        while next_url:
            if max(self.collected.pages, followed + 1) >= self.context.page_cap:
                self.collected.capped = True
                return
            followed += 1
            try:
                response = expect_ok(self.get(next_url))
                pulls = [
                    github_pull(p, redact_url(response.url))
                    for p in read_pulls(response)
                ]
            except FetchError as failure:
                self.collected.error = failure
                return
            if count:
                self.collected.pages += 1
            if self.keep(pulls, cutoff):
                return
            next_url = response.next_link

    def closed(self, now: dt.datetime | None) -> None:
        """Closed pulls updated within the window, newest first."""
        cutoff = now - dt.timedelta(days=self.query.days) if now else None
        try:
            response = expect_ok(
                self.get(
                    f"{self.repo_url}/pulls",
                    {
                        "state": "closed",
                        "sort": "updated",
                        "direction": "desc",
                        "per_page": self.size,
                    },
                )
            )
            pulls = [
                github_pull(p, redact_url(response.url)) for p in read_pulls(response)
            ]
        except FetchError as failure:
            self.collected.error = failure
            return
        if cutoff is None:  # no clock to count back from: the first page only
            self.keep(pulls)
            return
        if not self.keep(pulls, cutoff):
            self.follow(response.next_link, count=False, cutoff=cutoff)

    def files(self) -> None:
        """Each pull's files; pulls touching none below the prefix are dropped.

        At most :data:`MAX_PULLS`, newest first: more mark the result
        incomplete (each costs a request, and GitHub allows 60 an hour
        without a token).
        """
        newest = sorted(self.pulls.items(), reverse=True)
        if len(newest) > MAX_PULLS:
            self.collected.capped = True
        for number, pull in newest[:MAX_PULLS]:
            try:
                files = self.pull_files(number)
            except FetchError as failure:
                self.collected.error = failure
                return
            if files:
                self.collected.reviews[number] = Review(
                    service=GITHUB,
                    number=number,
                    project=self.query.project,
                    subject=pull.subject,
                    state=pull.state,
                    owner=pull.owner,
                    created=pull.created,
                    updated=pull.updated,
                    url=self.query.web_url(number),
                    files=files,
                    draft=pull.draft,
                )

    def pull_files(self, number: int) -> tuple[ReviewFile, ...]:
        url: str | None = f"{self.repo_url}/pulls/{number}/files"
        params: Mapping[str, Any] | None = {"per_page": self.size}
        found: list[ReviewFile] = []
        for _ in range(MAX_FILE_PAGES):
            if url is None:
                break
            response = expect_ok(self.get(url, params))
            payload = response.json()
            if not isinstance(payload, list):
                raise FetchError(
                    "schema", f"{redact_url(response.url)}: not a file list"
                )
            for entry in payload:
                path = entry.get("filename") if isinstance(entry, dict) else None
                if not isinstance(path, str):
                    raise FetchError(
                        "schema", f"{redact_url(response.url)}: a file without a name"
                    )
                if under_prefix(path, self.query.prefix):
                    found.append(
                        ReviewFile(clean_path(path), entry.get("status") == "added")
                    )
            url, params = response.next_link, None
        return tuple(sorted(found, key=lambda f: f.path))

    def content(self, review: Review, path: str) -> str | None:
        pull = self.pulls[review.number]
        if not pull.head:
            return None
        response = self.get(
            f"{self.repo_url}/contents/{quote(path)}", {"ref": pull.head}
        )
        if response.status == 404:
            return None
        payload = expect_ok(response).json()
        text = payload.get("content") if isinstance(payload, dict) else None
        if not isinstance(text, str):
            raise FetchError("schema", f"{redact_url(response.url)}: no file content")
        return decode_base64(text.encode())


# --- Both ----------------------------------------------------------------------


def decode_base64(data: bytes) -> str:
    """Text of a base64 body; undecodable bytes become replacement characters."""
    try:
        raw = base64.b64decode(data)
    except (binascii.Error, ValueError):
        return ""
    return raw.decode("utf-8", errors="replace")


def read_workgroups(
    collected: Collected, content: Callable[[Review, str], str | None]
) -> None:
    """The ``:Workgroup:`` of the spec files open reviews add, within budget.

    The stored (cleaned) path is asked for: a path that cleaning changed
    names no file there, and a missing file leaves the workgroup empty.
    """
    budget = MAX_CONTENTS
    for number, review in sorted(collected.reviews.items(), reverse=True):
        added = [f.path for f in review.files if f.added and f.path.endswith(".rst")]
        if collected.error or not review.is_open or not added or budget <= 0:
            continue
        budget -= 1
        try:
            text = content(review, added[0])
        except FetchError as failure:
            collected.error = failure
            return
        slug = workgroup_field(text or "")
        if slug:
            collected.reviews[number] = dataclasses.replace(review, workgroup=slug)


def _number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ReviewError("no number")
    return value


def _text(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str):
        raise ReviewError(f"{key} missing or not text")
    return value


class ReviewsProvider:
    """Review tracks: Gerrit changes and GitHub pull requests of spec files."""

    def query(self, track: Mapping[str, Any]) -> ReviewQuery:
        return ReviewQuery.from_track(track)

    def fetch(self, query: ReviewQuery, context: FetchContext) -> FetchResult:
        if query.service == GERRIT:
            return fetch_gerrit(query, context)
        return GitHubFetch(query, context).run()

    def breakdown(self, snapshot: Snapshot) -> dict[str, int]:
        """Reviews per state, for the daily history."""
        counts: dict[str, int] = {}
        for review in reviews_of(snapshot):
            counts[review.state] = counts.get(review.state, 0) + 1
        return counts


def reviews_of(snapshot: Snapshot) -> tuple[Review, ...]:
    """The reviews of a loaded snapshot (its checksum is already verified)."""
    return tuple(Review.from_json(item) for item in snapshot.items)


PROVIDER = ReviewsProvider()
