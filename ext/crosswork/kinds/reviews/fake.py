"""The fake upstream's review routes: Gerrit changes and GitHub pulls.

Gerrit: ``/changes/`` answers one ``q`` of ``project:`` and ``status:``
terms (``status:open`` or any of several statuses); ``-age:`` and
``after:`` are not applied, because the recorded changes are years old.
Changes are served verbatim, newest update first, ``n`` at a time from
``S`` (or ``start``), the last of a page carrying ``"_more_changes": true``
when more follow, every body behind the ``)]}'`` guard line; without
``CURRENT_REVISION`` in ``o`` the revisions are left out, and so are the
messages and reviewer updates without ``MESSAGES`` and
``REVIEWER_UPDATES``. A change's file
content is served base64, as Gerrit does, from
:attr:`~crosswork.testing.upstream.Recordings.gerrit_files`.

GitHub: ``/repos/<o>/<r>/pulls`` lists the recorded issue-list items that
are pull requests, in the pulls shape (``merged_at`` from their
``pull_request``; ``head.sha`` derived from the number, since the issue
list has none), filtered by ``state``, sorted by ``sort`` and
``direction``, paged with a ``Link`` chain that switches to
``/repositories/<id>/pulls`` like the issues list, with a weak ETag (the
fake answers 304 to ``If-None-Match``). ``/pulls/<n>/files`` and
``/contents/<path>?ref=`` serve what tests put in the recordings; a
recorded pull has no files.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import functools
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote

from crosswork.testing.upstream import (
    FakeRequest,
    Recordings,
    Reply,
    Route,
    RouteBuilder,
    github_link_header,
    github_rate_headers,
    json_reply,
    text_reply,
)

_STATUSES = {"open": "NEW", "merged": "MERGED", "abandoned": "ABANDONED"}
_GUARD = b")]}'\n"
#: ChangeInfo fields that only an option brings.
_OPTIONAL = {"messages": "MESSAGES", "reviewer_updates": "REVIEWER_UPDATES"}


# --- Gerrit ------------------------------------------------------------------


def gerrit_routes(recordings: Recordings) -> list[Route]:
    return [
        Route(
            "gerrit.changes",
            "GET",
            re.compile(r"^/changes/$"),
            functools.partial(_changes, recordings),
        ),
        Route(
            "gerrit.content",
            "GET",
            re.compile(
                r"^/changes/(?P<change>[^/]+)/revisions/(?P<revision>[^/]+)"
                r"/files/(?P<path>[^/]+)/content$"
            ),
            functools.partial(_content, recordings),
        ),
    ]


def guarded(status: int, value: Any) -> Reply:
    """A Gerrit JSON answer: the guard line, then the JSON."""
    body = _GUARD + json.dumps(value, ensure_ascii=False).encode()
    return Reply(status, {"Content-Type": "application/json; charset=utf-8"}, body)


def parse_query(text: str) -> tuple[str | None, set[str]] | None:
    """The project and the statuses a ``q`` asks for; None if unsupported."""
    project = re.search(r"(?:^|[\s(])project:(\S+?)\)?(?=\s|$)", text)
    statuses = {
        _STATUSES.get(word.lower(), "?")
        for word in re.findall(r"(?<!-)status:(\w+)", text)
    }
    if "?" in statuses:
        return None
    return (project.group(1) if project else None), statuses


def _changes(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    queries = request.query.get("q", [])
    parsed = parse_query(queries[0]) if len(queries) == 1 else None
    if parsed is None:
        return text_reply(400, "the fake answers one q of project: and status:")
    project, statuses = parsed
    try:
        size = int(request.first("n", "500") or 500)
        start = int(request.first("S", request.first("start", "0")) or 0)
    except ValueError:
        return text_reply(400, "n and S are numbers")
    options = set(request.query.get("o", []))
    selected = sorted(
        (
            change
            for change in recordings.gerrit_changes
            if (project is None or change.get("project") == project)
            and (not statuses or change.get("status") in statuses)
        ),
        key=lambda c: (c.get("updated", ""), c.get("_number", 0)),
        reverse=True,
    )
    page = [_shown(change, options) for change in selected[start : start + size]]
    if page and start + size < len(selected):
        page[-1]["_more_changes"] = True
    return guarded(200, page)


def _shown(change: Mapping[str, Any], options: set[str]) -> dict[str, Any]:
    shown = dict(change)
    for key, option in _OPTIONAL.items():
        if option not in options:
            shown.pop(key, None)
    if not options & {"CURRENT_REVISION", "ALL_REVISIONS"}:
        shown.pop("revisions", None)
        shown.pop("current_revision", None)
    return shown


def _content(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    number = unquote(match["change"]).rsplit("~", 1)[-1]
    body = recordings.gerrit_files.get(f"{number}/{unquote(match['path'])}")
    if body is None:
        return text_reply(404, "Not found")
    return text_reply(200, base64.b64encode(body).decode())


# --- GitHub ------------------------------------------------------------------


def github_routes(recordings: Recordings) -> list[Route]:
    pulls = functools.partial(_pulls, recordings)
    return [
        Route(
            "github.pulls",
            "GET",
            re.compile(r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/pulls$"),
            pulls,
            github_rate_headers,
        ),
        Route(
            "github.pulls",
            "GET",
            re.compile(r"^/repositories/(?P<id>[0-9]+)/pulls$"),
            pulls,
            github_rate_headers,
        ),
        Route(
            "github.pull-files",
            "GET",
            re.compile(
                r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/pulls/(?P<number>[0-9]+)/files$"
            ),
            functools.partial(_pull_files, recordings),
            github_rate_headers,
        ),
        Route(
            "github.contents",
            "GET",
            re.compile(
                r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/contents/(?P<path>.+)$"
            ),
            functools.partial(_contents, recordings),
            github_rate_headers,
        ),
    ]


def head_sha(repo: str, number: int) -> str:
    """The head commit the fake gives a pull: the issue list records none."""
    return hashlib.sha1(f"{repo}#{number}".encode(), usedforsecurity=False).hexdigest()


def as_pull(repo: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """An issue-list item that is a pull request, in the pulls list's shape."""
    marker = item.get("pull_request") or {}
    return {
        "url": marker.get("url"),
        "id": item.get("id"),
        "number": item["number"],
        "state": item.get("state"),
        "title": item.get("title"),
        "user": item.get("user"),
        "body": item.get("body"),
        "created_at": item.get("created_at"),
        "updated_at": item.get("updated_at"),
        "closed_at": item.get("closed_at"),
        "merged_at": marker.get("merged_at"),
        "draft": bool(item.get("draft", False)),
        "html_url": marker.get("html_url") or item.get("html_url"),
        "head": {"sha": head_sha(repo, item["number"])},
    }


def _repo(recordings: Recordings, groups: Mapping[str, str | None]) -> str | None:
    if groups.get("id"):
        number = int(groups["id"] or 0)
        return next(
            (r for r, i in recordings.github_repo_ids.items() if i == number), None
        )
    repo = f"{groups['owner']}/{groups['repo']}".lower()
    return repo if repo in recordings.github_issues else None


def _pulls(recordings: Recordings, request: FakeRequest, match: re.Match[str]) -> Reply:
    repo = _repo(recordings, match.groupdict())
    if repo is None:
        return json_reply(404, {"message": "Not Found"})
    state = request.first("state", "open")
    if state not in {"open", "closed", "all"}:
        return json_reply(422, {"message": "Validation Failed"})
    key = "updated_at" if request.first("sort") == "updated" else "created_at"
    pulls = sorted(
        (
            as_pull(repo, item)
            for item in recordings.github_issues[repo]
            if "pull_request" in item and state in {"all", item.get("state")}
        ),
        key=lambda pull: (pull[key] or "", pull["number"]),
        reverse=request.first("direction", "desc") != "asc",
    )
    return _paged(
        request, pulls, f"/repositories/{recordings.github_repo_ids[repo]}/pulls"
    )


def _paged(request: FakeRequest, items: list[Any], path: str) -> Reply:
    """One page of ``items`` with GitHub's headers and ``Link`` chain."""
    per_page = min(100, max(1, int(request.first("per_page", "30") or 30)))
    page = max(1, int(request.first("page", "1") or 1))
    last = max(1, -(-len(items) // per_page))
    reply = json_reply(200, items[(page - 1) * per_page : page * per_page])
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "ETag": f'W/"{hashlib.sha256(reply.body).hexdigest()[:32]}"',
        "Cache-Control": "private, max-age=60, s-maxage=60",
    }
    links = github_link_header(request, path, page, last)
    if links:
        headers["Link"] = links
    return dataclasses.replace(reply, headers=headers)


def _pull_files(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    repo = _repo(recordings, match.groupdict())
    number = int(match["number"])
    if repo is None or not any(
        item["number"] == number and "pull_request" in item
        for item in recordings.github_issues[repo]
    ):
        return json_reply(404, {"message": "Not Found"})
    files = recordings.github_pull_files.get(f"{repo}#{number}", [])
    return _paged(request, files, request.path)


def _contents(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    repo = _repo(recordings, match.groupdict())
    path = unquote(match["path"])
    body = recordings.github_contents.get(f"{repo}@{request.first('ref', '')}/{path}")
    if repo is None or body is None:
        return json_reply(404, {"message": "Not Found"})
    return json_reply(
        200,
        {
            "type": "file",
            "encoding": "base64",
            "path": path,
            "name": path.rsplit("/", 1)[-1],
            "size": len(body),
            "content": base64.encodebytes(body).decode(),
        },
    )


def routes() -> dict[str, RouteBuilder]:
    """The review services of the fake."""
    return {"gerrit": gerrit_routes, "github": github_routes}


# --- Hostile payloads --------------------------------------------------------

#: Parts of a recorded change that the kind does not read: left out of clones.
_UNREAD = ("messages", "reviewer_updates", "removable_reviewers", "reviewers")
_FIRST_HOSTILE = 9_000_001


def hostile(recordings: Recordings, payloads: Sequence[str]) -> Recordings:
    """A copy with one hostile review per payload beside each recorded one
    that touches files.

    Gerrit: per recorded change with files in its current revision, a
    clone per payload whose subject, owner name, voters' names and one
    added file (beside the recorded ones) carry the payload. GitHub: per
    repository with pull requests, an open clone per payload with the
    payload as title, author and a file below ``specs/``.
    """
    changes = list(recordings.gerrit_changes)
    number = _FIRST_HOSTILE
    for template in [c for c in recordings.gerrit_changes if _current_files(c)]:
        for payload in payloads:
            changes.append(_hostile_change(template, number, payload))
            number += 1
    issues = {repo: list(items) for repo, items in recordings.github_issues.items()}
    files = dict(recordings.github_pull_files)
    for repo, items in issues.items():
        pulls = [item for item in items if "pull_request" in item]
        for index, payload in enumerate(payloads if pulls else ()):
            clone = _hostile_pull(pulls[0], _FIRST_HOSTILE + index, payload)
            items.append(clone)
            files[f"{repo}#{clone['number']}"] = [
                {"filename": f"specs/{payload}", "status": "modified"}
            ]
    return dataclasses.replace(
        recordings,
        gerrit_changes=changes,
        github_issues=issues,
        github_pull_files=files,
    )


def _current_files(change: Mapping[str, Any]) -> dict[str, Any]:
    revision = (change.get("revisions") or {}).get(change.get("current_revision"), {})
    return revision.get("files") or {}


def _hostile_change(
    template: Mapping[str, Any], number: int, payload: str
) -> dict[str, Any]:
    change = {k: copy.deepcopy(v) for k, v in template.items() if k not in _UNREAD}
    change["_number"] = number
    change["id"] = f"{template['id']}~{number}"
    change["subject"] = payload
    change["owner"] = {"_account_id": number, "name": payload}
    files = _current_files(change)
    folder = next(iter(sorted(files))).rpartition("/")[0]
    files[f"{folder}/{payload}"] = {"status": "A", "lines_inserted": 1}
    for label in (change.get("labels") or {}).values():
        for vote in label.get("all", []):
            vote["name"] = payload
            vote.pop("avatars", None)
            vote.pop("email", None)
    return change


def _hostile_pull(template: Mapping[str, Any], number: int, payload: str) -> dict:
    pull = copy.deepcopy(dict(template))
    pull["number"] = number
    pull["id"] = number
    pull["state"] = "open"
    pull["title"] = payload
    pull["user"] = {**(pull.get("user") or {}), "login": payload}
    return pull
