"""A fake of the upstream APIs on loopback, serving recorded payloads.

Run it as ``python -m crosswork.testing.upstream --root CORPUS --port N``
and point the fetch step at it with the ``CROSSWORK_ENDPOINTS`` line it
prints, or use :class:`FakeUpstream` as a context manager in tests (port 0
picks a free port).

Responses are composed from the recordings of the shared corpus
(:class:`Recordings`): the recorded items are served verbatim, filtered
and paged the way the real API does it. Extra pages for tests are derived
in memory from recorded items, never written anywhere.

Each route has a name (``launchpad.search``, ``github.issues``); tests
count requests per route and arm a :class:`Fault` on a route to make it
misbehave. A service is a function returning its routes: the core serves
``files``, and each data kind adds its own services through its record
(:attr:`crosswork.datakind.DataKind.fake_routes`).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import dataclasses
import functools
import hashlib
import ipaddress
import json
import re
import signal
import socket
import struct
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from crosswork.datakind import DataKind

#: Launchpad's unresolved statuses: what ``searchTasks`` returns without ``status``.
UNRESOLVED = (
    "New",
    "Incomplete",
    "Confirmed",
    "Triaged",
    "In Progress",
    "Fix Committed",
)

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FakeRequest:
    """A request as the fake saw it (headers with lower-case names)."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    base_url: str
    route: str = ""
    #: The request body (POST queries), read in full before answering.
    body: bytes = b""

    def first(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes = b""


def json_reply(
    status: int, value: Any, headers: Mapping[str, str] | None = None
) -> Reply:
    body = json.dumps(value, ensure_ascii=False).encode()
    return Reply(status, {"Content-Type": "application/json", **(headers or {})}, body)


def text_reply(status: int, text: str) -> Reply:
    return Reply(status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode())


def github_link_header(request: FakeRequest, path: str, page: int, last: int) -> str:
    """GitHub's ``Link`` header for ``page`` of ``last`` at ``path``: the
    request's other parameters kept, ``page`` changed."""
    params = {k: v for k, v in request.query.items() if k != "page"}

    def url(number: int) -> str:
        query = urlencode({**params, "page": [str(number)]}, doseq=True)
        return f"{request.base_url}{path}?{query}"

    links = []
    if page < last:
        links += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
    if page > 1:
        links += [f'<{url(page - 1)}>; rel="prev"', f'<{url(1)}>; rel="first"']
    return ", ".join(links)


def github_rate_headers(request: FakeRequest, used: int) -> dict[str, str]:
    """GitHub's rate-limit headers after ``used`` requests: 60 an hour
    anonymous, 5,000 with a token."""
    limit = 5000 if "authorization" in request.headers else 60
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(max(0, limit - used)),
        "X-RateLimit-Reset": str(int(time.time()) + 3600),
        "X-RateLimit-Used": str(min(used, limit)),
        "X-RateLimit-Resource": "core",
    }


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    pattern: re.Pattern[str]
    handler: Callable[[FakeRequest, re.Match[str]], Reply]
    #: Headers every answer carries, from the request and the route's
    #: request count so far (a rate limit's remaining calls, say).
    headers: Callable[[FakeRequest, int], dict[str, str]] | None = None


#: A service of the fake: its routes, built from the recordings.
RouteBuilder = Callable[["Recordings"], list[Route]]


# --- Recordings --------------------------------------------------------------


@dataclass
class Recordings:
    """Recorded payloads, by service, as the fake serves them."""

    launchpad_tasks: list[dict[str, Any]] = field(default_factory=list)
    #: Tags of Launchpad bugs by number (tags live on the bug, not the task).
    launchpad_tags: dict[int, tuple[str, ...]] = field(default_factory=dict)
    #: Issue-list items by lower-case ``owner/repo``.
    github_issues: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: Numeric repository ids, for ``/repositories/<id>/issues`` links.
    github_repo_ids: dict[str, int] = field(default_factory=dict)
    #: Full OSV records, one per id, served by the package they affect.
    osv_records: list[dict[str, Any]] = field(default_factory=list)
    #: Records per ``/v1/query`` page; more make a ``next_page_token``.
    osv_page_size: int = 1000
    #: Ids that ``/v1/query`` returns as ``{id, modified}`` only, so that the
    #: client must ask ``/v1/vulns/<id>`` for the full record.
    osv_partial: frozenset[str] = frozenset()
    #: Raw files of the ``files`` service by path, like
    #: ``openstack/nova/support-matrix.ini`` (relative to the corpus root).
    files: dict[str, bytes] = field(default_factory=dict)
    #: Where repository files are in ``files``: ``owner/repo/path in repo``
    #: to a key of ``files``, for folder listings (from the PROVENANCE file).
    repository_files: dict[str, str] = field(default_factory=dict)
    #: Zuul builds as recorded (both payload shapes), including the builds
    #: nested in recorded buildsets with their buildset's ref fields.
    zuul_builds: list[dict[str, Any]] = field(default_factory=list)
    #: Gerrit ChangeInfo records as recorded (each once, by ``id``).
    gerrit_changes: list[dict[str, Any]] = field(default_factory=list)
    #: Files of Gerrit changes' current revisions, by ``<number>/<path>``.
    gerrit_files: dict[str, bytes] = field(default_factory=dict)
    #: Files of GitHub pull requests (``/pulls/<n>/files`` entries), by
    #: ``owner/repo#number`` in lower case; a pull not named has none.
    github_pull_files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: Repository files at a commit, by ``owner/repo@sha/path`` (lower-case
    #: repository), for ``/repos/<o>/<r>/contents/<path>?ref=<sha>``.
    github_contents: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def from_corpus(cls, root: Path) -> Recordings:
        """Load the Launchpad and GitHub recordings of the corpus at ``root``."""
        recordings = cls()
        recordings._load_launchpad(root / "apis" / "launchpad")
        recordings._load_github(root / "apis" / "github" / "issues")
        recordings._load_osv(root / "apis" / "osv")
        recordings._load_files(root, "openstack")
        recordings._load_repository_files(root, "openstack")
        recordings._load_zuul(root / "apis" / "zuul")
        recordings._load_gerrit(root / "apis" / "gerrit")
        return recordings

    def _load_gerrit(self, folder: Path) -> None:
        """Changes of the recorded queries and the full ChangeInfo, each once;
        the ``)]}'`` guard line is stripped where it was kept."""
        seen = {change["id"] for change in self.gerrit_changes}
        recorded = sorted(folder.glob("change*")) + sorted(folder.glob("docs_*.txt"))
        for path in recorded:
            text = path.read_text(encoding="utf-8")
            if text.startswith(")]}'"):
                text = text.split("\n", 1)[1]
            data = json.loads(text)
            for change in data if isinstance(data, list) else [data]:
                if isinstance(change, dict) and change.get("id") not in seen:
                    seen.add(change["id"])
                    change = dict(change)
                    change.pop("_more_changes", None)
                    self.gerrit_changes.append(change)

    def _load_launchpad(self, folder: Path) -> None:
        seen: set[str] = set()
        for path in sorted(folder.glob("bug_task_*.json")):
            task = json.loads(path.read_text(encoding="utf-8"))
            if task["self_link"] not in seen:
                seen.add(task["self_link"])
                self.launchpad_tasks.append(task)

    def _load_github(self, folder: Path) -> None:
        for path in sorted(folder.glob("*.body.json")):
            items = json.loads(path.read_text(encoding="utf-8"))
            repo_id = _recorded_repo_id(
                path.with_name(path.name.replace(".body.", ".meta."))
            )
            for item in items:
                repo = "/".join(
                    item["repository_url"].rstrip("/").split("/")[-2:]
                ).lower()
                known = self.github_issues.setdefault(repo, [])
                if all(other["id"] != item["id"] for other in known):
                    known.append(item)
                if repo_id is not None:
                    self.github_repo_ids.setdefault(repo, repo_id)
        for path in sorted(folder.glob("single_*.exchange.json")):
            self._add_github_issue(json.loads(path.read_text(encoding="utf-8")))
        for repo in self.github_issues:
            self.github_repo_ids.setdefault(repo, zlib.crc32(repo.encode()) % 10**8)

    def _add_github_issue(self, exchange: Mapping[str, Any]) -> None:
        """A recorded ``GET /repos/<o>/<r>/issues/<n>``, served in lists too."""
        body = exchange["body"]
        item = json.loads(body) if isinstance(body, str) else body
        repo = "/".join(item["repository_url"].rstrip("/").split("/")[-2:]).lower()
        known = self.github_issues.setdefault(repo, [])
        if all(other["id"] != item["id"] for other in known):
            known.append(item)

    def _load_osv(self, folder: Path) -> None:
        """Database records in OSV form and the API documentation's samples."""
        records: list[dict[str, Any]] = []
        for name in ("pypa-advisory-database-as-json", "github-advisory-database"):
            for path in sorted((folder / name).glob("*.json")):
                records.append(json.loads(path.read_text(encoding="utf-8")))
        docs = folder / "docs"
        for path in sorted(docs.glob("vulns_get_*.json")):
            records.append(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(docs.glob("query_response_*.json")):
            records += json.loads(path.read_text(encoding="utf-8"))["vulns"]
        known = {record["id"] for record in self.osv_records}
        for record in records:
            if record["id"] not in known:
                known.add(record["id"])
                self.osv_records.append(record)

    def _load_zuul(self, folder: Path) -> None:
        """Builds of every recording, once each by uuid (or job and buildset)."""
        found: list[dict[str, Any]] = []
        for path in sorted(folder.glob("build*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            for item in data if isinstance(data, list) else [data]:
                if "job_name" in item:
                    found.append(item)
                for nested in item.get("builds", []) + item.get("retry_builds", []):
                    found.append(_build_of_buildset(nested, item))
        seen: set[str] = set()
        for build in found:
            key = build.get("uuid") or f"{build['job_name']}/{build.get('event_id')}"
            if key not in seen:
                seen.add(key)
                self.zuul_builds.append(build)

    def _load_files(self, root: Path, folder: str) -> None:
        """Every file under ``root/folder``, served at its path from ``root``."""
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                self.files[path.relative_to(root).as_posix()] = path.read_bytes()

    def _load_repository_files(self, root: Path, folder: str) -> None:
        """Map repository paths to corpus files, as PROVENANCE.txt lists them.

        Lines read ``<file> <- <owner/repo> <path> @ <commit> ...``.
        """
        provenance = root / folder / "PROVENANCE.txt"
        if not provenance.is_file():
            return
        for line in provenance.read_text(encoding="utf-8").splitlines():
            found = _PROVENANCE_LINE.match(line)
            key = f"{folder}/{found['file']}" if found else ""
            if found and key in self.files:
                self.repository_files[f"{found['repo']}/{found['path']}"] = key

    def with_repository_file(
        self, repository: str, path: str, data: bytes
    ) -> Recordings:
        """A copy serving ``data`` as ``path`` of ``repository``, listed too."""
        key = f"{repository}/{path}"
        return dataclasses.replace(
            self,
            files={**self.files, key: data},
            repository_files={**self.repository_files, key: key},
        )

    def with_file(self, path: str, data: bytes) -> Recordings:
        """A copy whose ``files`` service serves ``data`` at ``path``."""
        return dataclasses.replace(self, files={**self.files, path: data})

    def with_launchpad_tasks(
        self, project: str, count: int, tags: Sequence[str] = ()
    ) -> Recordings:
        """A copy with ``count`` more tasks on ``project``, cloned from a recorded one.

        Derived bugs get numbers from 9000001 on, so they never collide with
        recorded ones, and the given tags.
        """
        template = next(
            t for t in self.launchpad_tasks if t["bug_target_name"] == project
        )
        derived = dataclasses.replace(
            self,
            launchpad_tasks=list(self.launchpad_tasks),
            launchpad_tags=dict(self.launchpad_tags),
        )
        first = 9_000_001 + sum(
            1 for t in derived.launchpad_tasks if bug_number(t) > 9_000_000
        )
        for number in range(first, first + count):
            derived.launchpad_tasks.append(_clone_task(template, number))
            derived.launchpad_tags[number] = tuple(tags)
        return derived


_PROVENANCE_LINE = re.compile(
    r"^(?P<file>\S+) <- (?P<repo>[A-Za-z0-9._-]+/[A-Za-z0-9._-]+) (?P<path>\S+) @ "
)


def _recorded_repo_id(meta: Path) -> int | None:
    if not meta.is_file():
        return None
    link = json.loads(meta.read_text(encoding="utf-8"))["response_headers"].get(
        "Link", ""
    )
    found = re.search(r"/repositories/([0-9]+)/", link)
    return int(found.group(1)) if found else None


_BUILDSET_REF_FIELDS = (
    "project",
    "branch",
    "pipeline",
    "change",
    "patchset",
    "ref",
    "newrev",
    "ref_url",
    "event_id",
)


def _build_of_buildset(build: Mapping[str, Any], buildset: Mapping[str, Any]) -> dict:
    """A build nested in a pre-10 buildset, with the buildset's ref fields
    and uuid, as the builds list serves it."""
    served = dict(build)
    for key in _BUILDSET_REF_FIELDS:
        served.setdefault(key, buildset.get(key))
    served.setdefault("buildset", {"uuid": buildset["uuid"]})
    return served


def bug_number(task: Mapping[str, Any]) -> int:
    return int(task["bug_link"].rstrip("/").rsplit("/", 1)[-1])


def _clone_task(template: Mapping[str, Any], number: int) -> dict[str, Any]:
    old = str(bug_number(template))
    task = copy.deepcopy(dict(template))
    for key, value in task.items():
        if isinstance(value, str) and key.endswith("_link"):
            task[key] = value.replace(f"/{old}", f"/{number}")
    task["web_link"] = task["web_link"].replace(f"/{old}", f"/{number}")
    task["title"] = re.sub(r"^Bug #\d+", f"Bug #{number}", task["title"])
    return task


# --- Raw files ---------------------------------------------------------------


_PATH_PART = r"[A-Za-z0-9_-][A-Za-z0-9._-]*"


def files_routes(recordings: Recordings) -> list[Route]:
    """``/<path>``: a raw file, as a code forge serves one (no dot segments)."""
    return [
        Route(
            "files.raw",
            "GET",
            re.compile(rf"^/(?P<path>{_PATH_PART}(?:/{_PATH_PART})+)$"),
            functools.partial(_raw_file, recordings),
        )
    ]


def _raw_file(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    body = recordings.files.get(match["path"])
    if body is None:
        return text_reply(404, "Not found.")
    headers = {"Content-Type": "text/plain; charset=utf-8", "ETag": etag(body)}
    return Reply(200, headers, body)


def folder_routes(recordings: Recordings) -> list[Route]:
    """Gitea's folder listing (``/api/v1/repos/<owner>/<repo>/contents/<path>``).

    Each file entry's ``download_url`` is where ``files.raw`` serves it.
    """
    return [
        Route(
            "files.list",
            "GET",
            re.compile(
                r"^/api/v1/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/contents/(?P<path>.*)$"
            ),
            functools.partial(_folder_listing, recordings),
        )
    ]


def _folder_listing(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    repository = f"{match['owner']}/{match['repo']}"
    prefix = f"{repository}/{match['path'].strip('/')}/"
    entries = []
    for repo_path, key in sorted(recordings.repository_files.items()):
        name = repo_path.removeprefix(prefix)
        body = recordings.files.get(key)
        if name == repo_path or "/" in name or body is None:
            continue
        blob = hashlib.sha1(b"blob %d\0" % len(body) + body, usedforsecurity=False)
        entries.append(
            {
                "name": name,
                "path": repo_path.removeprefix(f"{repository}/"),
                "type": "file",
                "size": len(body),
                "sha": blob.hexdigest(),
                "download_url": f"{request.base_url}/{key}",
            }
        )
    if not entries:
        return json_reply(404, {"message": "GetContentsOrList", "errors": []})
    reply = json_reply(200, entries)
    return dataclasses.replace(
        reply, headers={**reply.headers, "ETag": etag(reply.body)}
    )


def files_service_routes(recordings: Recordings) -> list[Route]:
    """The ``files`` service: folder listings first, then raw files."""
    return [*folder_routes(recordings), *files_routes(recordings)]


#: The services of the core, beside those of the data kinds.
CORE_ROUTES: Mapping[str, Callable[[Recordings], list[Route]]] = {
    "files": files_service_routes,
}


def route_builders(kinds: Iterable[DataKind]) -> dict[str, RouteBuilder]:
    """Routes of each service: each data kind's, then the core's.

    Kinds may share a service: its routes are those of every kind, in
    the order of the kinds.

    With every service on one origin, the first matching route answers:
    the raw files' catch-all paths come last.
    """
    parts: dict[str, list[RouteBuilder]] = {}
    for kind in kinds:
        for service, routes in kind.fake_routes_by_service().items():
            parts.setdefault(service, []).append(routes)
    builders: dict[str, RouteBuilder] = {
        service: found[0] if len(found) == 1 else functools.partial(_joined, found)
        for service, found in parts.items()
    }
    return {**builders, **CORE_ROUTES}


def _joined(builders: Sequence[RouteBuilder], recordings: Recordings) -> list[Route]:
    """The routes of several kinds on one service (GitHub issues and pulls)."""
    return [route for build in builders for route in build(recordings)]


def etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:40]}"'


# --- Faults ------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """A way for a route to misbehave; build one with the class methods."""

    kind: str
    status: int = 0
    retry_after: str | None = None
    seconds: float = 0.0
    size: int = 0
    location: str = ""

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        return cls("status", status=status)

    @classmethod
    def too_many_requests(cls, retry_after: str | None = "2") -> Fault:
        return cls("status", status=429, retry_after=retry_after)

    @classmethod
    def github_rate_limit(cls, reset_in: float = 3600) -> Fault:
        """GitHub's primary limit: 403, ``x-ratelimit-remaining: 0``."""
        return cls("github-rate-limit", status=403, seconds=reset_in)

    @classmethod
    def github_secondary_limit(cls, retry_after: str | None = "60") -> Fault:
        return cls("github-secondary-limit", status=403, retry_after=retry_after)

    @classmethod
    def drip(cls, interval: float = 0.05) -> Fault:
        """The real body, one byte per ``interval`` seconds."""
        return cls("drip", seconds=interval)

    @classmethod
    def read_timeout(cls, seconds: float = 5.0) -> Fault:
        """No response headers for ``seconds``."""
        return cls("read-timeout", seconds=seconds)

    @classmethod
    def connection_reset(cls) -> Fault:
        """Half the body, then a TCP reset."""
        return cls("reset")

    @classmethod
    def truncated_body(cls) -> Fault:
        """``Content-Length`` of the whole body, half of it, then close."""
        return cls("truncated")

    @classmethod
    def invalid_json(cls) -> Fault:
        return cls("invalid-json")

    @classmethod
    def wrong_schema(cls) -> Fault:
        """Valid JSON of the wrong shape for every route."""
        return cls("wrong-schema")

    @classmethod
    def wrong_content_type(cls) -> Fault:
        """A 200 carrying an HTML "Service unavailable" page."""
        return cls("wrong-content-type")

    @classmethod
    def oversized_body(cls, size: int = 50 * 1024 * 1024) -> Fault:
        """A body of ``size`` bytes, announced in ``Content-Length``."""
        return cls("oversized", size=size)

    @classmethod
    def endless_body(cls) -> Fault:
        """A chunked body that never ends."""
        return cls("endless")

    @classmethod
    def gzip_bomb(cls, size: int = 64 * 1024 * 1024) -> Fault:
        """A small gzip body that expands to ``size`` bytes."""
        return cls("gzip-bomb", size=size)

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Fault:
        return cls("redirect", status=status, location=location)


@dataclass
class _Armed:
    fault: Fault
    times: int | None
    after: int
    seen: int = 0

    def fires(self) -> bool:
        """Count one request; whether the fault applies to it."""
        self.seen += 1
        if self.seen <= self.after:
            return False
        return self.times is None or self.seen - self.after <= self.times


# --- The server --------------------------------------------------------------


class FakeUpstream:
    """The fake, on a loopback port, in a background thread."""

    def __init__(
        self,
        recordings: Recordings,
        *,
        services: Sequence[str] | None = None,
        kinds: Iterable[DataKind] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
        now: Callable[[], float] = time.time,
        latency: float = 0.0,
    ) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the fake upstream listens on loopback only, not {host}")
        builders = route_builders(every_kind() if kinds is None else kinds)
        self.services = tuple(builders if services is None else services)
        self.routes = [
            route for s in self.services for route in builders[s](recordings)
        ]
        self.requests: list[FakeRequest] = []
        self.verbose = verbose
        #: Wall-clock seconds for the times faults announce (a rate limit's reset).
        self.now = now
        #: Seconds each answer waits before it is sent, like a distant server.
        self.latency = latency
        #: Most requests held by the latency at once (see :meth:`handle`).
        self.peak_in_flight = 0
        self._in_flight = 0
        self._counts: Counter[str] = Counter()
        self._conditional_hits: Counter[str] = Counter()
        self._bodies: Counter[str] = Counter()
        self._faults: dict[str, _Armed] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _Server((host, port), self)
        serve = functools.partial(self._server.serve_forever, poll_interval=0.05)
        self._thread = threading.Thread(target=serve, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def endpoints(self) -> str:
        """The ``CROSSWORK_ENDPOINTS`` value that points at this fake."""
        return ",".join(f"{service}={self.base_url}" for service in self.services)

    def __enter__(self) -> FakeUpstream:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def fail(
        self, route: str, fault: Fault, *, times: int | None = None, after: int = 0
    ) -> None:
        """Make ``route`` misbehave: after ``after`` good answers, ``times`` times."""
        if route not in {r.name for r in self.routes}:
            raise KeyError(route)
        with self._lock:
            self._faults[route] = _Armed(fault, times, after)

    def heal(self) -> None:
        with self._lock:
            self._faults.clear()

    def count(self, route: str) -> int:
        """Requests received by ``route`` (``unmatched`` for the rest)."""
        with self._lock:
            return self._counts[route]

    def conditional_hits(self, route: str) -> int:
        """304 answers sent by ``route``."""
        with self._lock:
            return self._conditional_hits[route]

    def bodies(self, route: str | None = None) -> int:
        """Answers of ``route`` (default: any) that carried data: a 2xx
        with a body (a 304, an error page or an empty answer does not)."""
        with self._lock:
            return self._bodies[route] if route else self._bodies.total()

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        """Answer one request after the latency, counted in flight meanwhile.

        The count ends before the first byte of the answer leaves, so a
        client that reads it and sends its next request is never seen
        twice at once.
        """
        with self._lock:
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
        try:
            if self.latency:
                time.sleep(self.latency)
        finally:
            with self._lock:
                self._in_flight -= 1
        self._answer(handler)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        request = FakeRequest(
            method=handler.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in handler.headers.items()},
            base_url=self.base_url,
            body=_read_request_body(handler),
        )
        route, match = self._find(request)
        name = route.name if route else "unmatched"
        with self._lock:
            self._counts[name] += 1
            self.requests.append(dataclasses.replace(request, route=name))
            armed = self._faults.get(name)
            fault = armed.fault if armed and armed.fires() else None
            used = self._counts[name]
        if route is None or match is None:
            _send(handler, json_reply(404, {"message": "Not Found"}))
            return
        if fault is not None:
            _FaultWriter(handler, self._stopping, self.now).write(
                fault, lambda: route.handler(request, match)
            )
            return
        reply = route.handler(request, match)
        if route.headers is not None:
            extra = route.headers(request, used)
            reply = dataclasses.replace(reply, headers={**reply.headers, **extra})
        reply = self._conditional(request, reply, name)
        if reply.body and 200 <= reply.status < 300:
            with self._lock:
                self._bodies[name] += 1
        _send(handler, reply)

    def _find(self, request: FakeRequest) -> tuple[Route | None, re.Match[str] | None]:
        for route in self.routes:
            match = route.pattern.match(request.path)
            if match and route.method == request.method:
                return route, match
        return None, None

    def _conditional(self, request: FakeRequest, reply: Reply, name: str) -> Reply:
        """304 when ``If-None-Match`` names the reply's ETag."""
        etag = reply.headers.get("ETag")
        sent = request.headers.get("if-none-match", "")
        if (
            reply.status != 200
            or not etag
            or etag not in (v.strip() for v in sent.split(","))
        ):
            return reply
        with self._lock:
            self._conditional_hits[name] += 1
        kept = {k: v for k, v in reply.headers.items() if k != "Content-Type"}
        return Reply(304, kept)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], upstream: FakeUpstream) -> None:
        self.upstream = upstream
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up is what fault tests do: not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    server: _Server

    def do_GET(self) -> None:
        self.server.upstream.handle(self)

    def do_POST(self) -> None:
        self.server.upstream.handle(self)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.upstream.verbose:
            super().log_message(format, *args)


def _read_request_body(handler: BaseHTTPRequestHandler) -> bytes:
    """The body a client sent; read even when unused, to keep the connection."""
    length = handler.headers.get("Content-Length", "")
    return handler.rfile.read(int(length)) if length.isdigit() else b""


def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    handler.send_response(reply.status)
    for name, value in reply.headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(reply.body)))
    handler.end_headers()
    handler.wfile.write(reply.body)


class _FaultWriter:
    """Writes one faulty response; socket errors mean the client gave up."""

    def __init__(
        self,
        handler: BaseHTTPRequestHandler,
        stopping: threading.Event,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.handler = handler
        self.stopping = stopping
        self.now = now

    def write(self, fault: Fault, real: Callable[[], Reply]) -> None:
        method = getattr(self, "_" + fault.kind.replace("-", "_"))
        try:
            method(fault, real)
        except (BrokenPipeError, ConnectionResetError):
            self.handler.close_connection = True

    def _status(self, fault: Fault, real: Callable[[], Reply]) -> None:
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        _send(self.handler, json_reply(fault.status, {"message": "fault"}, headers))

    def _github_rate_limit(self, fault: Fault, real: Callable[[], Reply]) -> None:
        headers = {
            "X-RateLimit-Limit": "60",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(int(self.now() + fault.seconds)),
            "X-RateLimit-Resource": "core",
        }
        message = {"message": "API rate limit exceeded for 127.0.0.1."}
        _send(self.handler, json_reply(403, message, headers))

    def _github_secondary_limit(self, fault: Fault, real: Callable[[], Reply]) -> None:
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        message = {"message": "You have exceeded a secondary rate limit."}
        _send(self.handler, json_reply(403, message, headers))

    def _drip(self, fault: Fault, real: Callable[[], Reply]) -> None:
        reply = real()
        self._head(reply.status, reply.headers, len(reply.body))
        for index in range(len(reply.body)):
            if self.stopping.wait(fault.seconds):
                break
            self.handler.wfile.write(reply.body[index : index + 1])

    def _read_timeout(self, fault: Fault, real: Callable[[], Reply]) -> None:
        if not self.stopping.wait(fault.seconds):
            _send(self.handler, real())

    def _reset(self, fault: Fault, real: Callable[[], Reply]) -> None:
        reply = real()
        self._head(reply.status, reply.headers, len(reply.body))
        self.handler.wfile.write(reply.body[: len(reply.body) // 2])
        connection = self.handler.connection
        connection.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
        )
        connection.close()
        self.handler.close_connection = True

    def _truncated(self, fault: Fault, real: Callable[[], Reply]) -> None:
        reply = real()
        self._head(reply.status, reply.headers, len(reply.body))
        self.handler.wfile.write(reply.body[: len(reply.body) // 2])
        self.handler.close_connection = True

    def _invalid_json(self, fault: Fault, real: Callable[[], Reply]) -> None:
        body = b'{"entries": [{"title": "cut he'
        _send(self.handler, Reply(200, {"Content-Type": "application/json"}, body))

    def _wrong_schema(self, fault: Fault, real: Callable[[], Reply]) -> None:
        _send(self.handler, json_reply(200, {"unexpected": True}))

    def _wrong_content_type(self, fault: Fault, real: Callable[[], Reply]) -> None:
        body = b"<html><body><h1>Service unavailable</h1></body></html>"
        _send(
            self.handler, Reply(200, {"Content-Type": "text/html; charset=utf-8"}, body)
        )

    def _oversized(self, fault: Fault, real: Callable[[], Reply]) -> None:
        self._head(200, {"Content-Type": "application/json"}, fault.size)
        filler = b" " * _CHUNK
        for start in range(0, fault.size, _CHUNK):
            if self.stopping.is_set():
                break
            self.handler.wfile.write(filler[: min(_CHUNK, fault.size - start)])

    def _endless(self, fault: Fault, real: Callable[[], Reply]) -> None:
        self._head(
            200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
        )
        chunk = b"%x\r\n%s\r\n" % (_CHUNK, b" " * _CHUNK)
        while not self.stopping.is_set():
            self.handler.wfile.write(chunk)

    def _gzip_bomb(self, fault: Fault, real: Callable[[], Reply]) -> None:
        body = _gzip_of_zeros(fault.size)
        headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        _send(self.handler, Reply(200, headers, body))

    def _redirect(self, fault: Fault, real: Callable[[], Reply]) -> None:
        _send(self.handler, Reply(fault.status, {"Location": fault.location}))

    def _head(
        self, status: int, headers: Mapping[str, str], length: int | None = None
    ) -> None:
        self.handler.send_response(status)
        for name, value in headers.items():
            self.handler.send_header(name, value)
        if length is not None:
            self.handler.send_header("Content-Length", str(length))
        self.handler.end_headers()


@functools.cache
def _gzip_of_zeros(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(_CHUNK)
    parts = [compressor.compress(zeros) for _ in range(size // _CHUNK)]
    parts.append(compressor.compress(bytes(size % _CHUNK)))
    parts.append(compressor.flush())
    return b"".join(parts)


# --- Command line ------------------------------------------------------------


def every_kind() -> tuple[DataKind, ...]:
    """Every registered data kind: the fake serves them all by default."""
    from crosswork.kinds import KINDS  # reviewed: the fake composes every kind

    return KINDS


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crosswork.testing.upstream",
        description="Serve recorded upstream payloads on loopback.",
    )
    parser.add_argument(
        "--root", type=Path, required=True, help="the shared corpus folder"
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address")
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds added to each answer"
    )
    args = parser.parse_args(argv)
    recordings = Recordings.from_corpus(args.root)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with FakeUpstream(
        recordings, host=args.host, port=args.port, verbose=True, latency=args.latency
    ) as upstream:
        print(f"CROSSWORK_ENDPOINTS={upstream.endpoints()}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
