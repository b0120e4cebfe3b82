"""The fake upstream's Launchpad and GitHub issue routes, from recordings."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from crosswork.testing.upstream import (
    UNRESOLVED,
    FakeRequest,
    Recordings,
    Reply,
    Route,
    RouteBuilder,
    bug_number,
    etag,
    github_link_header,
    github_rate_headers,
    json_reply,
    text_reply,
)

# --- Launchpad ---------------------------------------------------------------


def launchpad_routes(recordings: Recordings) -> list[Route]:
    return [
        Route(
            "launchpad.search",
            "GET",
            re.compile(r"^/1\.0/(?P<project>[a-z0-9][a-z0-9+.-]*)$"),
            functools.partial(_launchpad_search, recordings),
        ),
        Route(
            "launchpad.bug",
            "GET",
            re.compile(r"^/1\.0/bugs/(?P<number>[0-9]+)$"),
            functools.partial(_launchpad_bug, recordings),
        ),
        Route(
            "launchpad.bug_tasks",
            "GET",
            re.compile(r"^/1\.0/bugs/(?P<number>[0-9]+)/bug_tasks$"),
            functools.partial(_launchpad_bug_tasks, recordings),
        ),
    ]


def _bug_tasks(recordings: Recordings, number: int) -> list[dict[str, Any]]:
    return sorted(
        (task for task in recordings.launchpad_tasks if bug_number(task) == number),
        key=lambda task: task["self_link"],
    )


def _launchpad_bug(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    """A bug entry, composed from its recorded tasks: the corpus has tasks
    only, and a bug's fields (id, title, tags, dates) are theirs."""
    number = int(match["number"])
    tasks = _bug_tasks(recordings, number)
    if not tasks:
        return text_reply(404, f"Object: <Bug>, name: '{number}'")
    first = tasks[0]
    title = re.sub(r'^Bug #\d+ in .+?: "(.*)"$', r"\1", first["title"])
    base = f"{request.base_url}/1.0/bugs/{number}"
    reply = json_reply(
        200,
        {
            "id": number,
            "title": title,
            "tags": list(recordings.launchpad_tags.get(number, ())),
            "date_created": min(task["date_created"] for task in tasks),
            "date_last_updated": max(task["date_created"] for task in tasks),
            "web_link": f"https://bugs.launchpad.net/bugs/{number}",
            "self_link": base,
            "bug_tasks_collection_link": f"{base}/bug_tasks",
            "resource_type_link": f"{request.base_url}/1.0/#bug",
        },
    )
    return dataclasses.replace(
        reply, headers={**reply.headers, "ETag": etag(reply.body)}
    )


def _launchpad_bug_tasks(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    """Every task of one bug, as a 1.0 collection."""
    tasks = _bug_tasks(recordings, int(match["number"]))
    if not tasks:
        return text_reply(404, f"Object: <Bug>, name: '{match['number']}'")
    return json_reply(200, {"total_size": len(tasks), "start": 0, "entries": tasks})


def _launchpad_search(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    """``searchTasks``: filter, order by bug number, page with ``memo``."""
    if request.first("ws.op") != "searchTasks":
        return text_reply(400, "No such operation.")
    project = match["project"]
    tasks = [
        task
        for task in recordings.launchpad_tasks
        if task["bug_target_name"].split("/")[0] == project
    ]
    if not tasks:
        return text_reply(404, f"Object: <Launchpad>, name: '{project}'")
    statuses = request.query.get("status") or list(UNRESOLVED)
    importances = request.query.get("importance")
    wanted_tags = request.query.get("tags", [])
    combinator = request.first("tags_combinator", "All")
    selected = sorted(
        (
            task
            for task in tasks
            if task["status"] in statuses
            and (not importances or task["importance"] in importances)
            and _tags_match(
                recordings.launchpad_tags.get(bug_number(task), ()),
                wanted_tags,
                combinator,
            )
        ),
        key=lambda task: (bug_number(task), task["self_link"]),
    )
    start = int(request.first("ws.start", "0") or 0)
    size = int(request.first("ws.size", "75") or 75)
    page: dict[str, Any] = {
        "total_size": len(selected),
        "start": start,
        "entries": selected[start : start + size],
    }
    if start + size < len(selected):
        params = {
            k: v for k, v in request.query.items() if k not in {"ws.start", "memo"}
        }
        params.update({"memo": [str(start + size)], "ws.start": [str(start + size)]})
        page["next_collection_link"] = (
            f"{request.base_url}{request.path}?{urlencode(params, doseq=True)}"
        )
    reply = json_reply(200, page)
    return dataclasses.replace(
        reply, headers={**reply.headers, "ETag": etag(reply.body)}
    )


def _tags_match(tags: Sequence[str], wanted: Sequence[str], combinator: str) -> bool:
    if not wanted:
        return True
    found = [tag in tags for tag in wanted]
    return any(found) if combinator == "Any" else all(found)


# --- GitHub ------------------------------------------------------------------


def github_routes(recordings: Recordings) -> list[Route]:
    handler = functools.partial(_github_issues, recordings)
    return [
        Route(
            "github.issue",
            "GET",
            re.compile(
                r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/(?P<number>[0-9]+)$"
            ),
            functools.partial(_github_issue, recordings),
            github_rate_headers,
        ),
        Route(
            "github.issues",
            "GET",
            re.compile(r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues$"),
            handler,
            github_rate_headers,
        ),
        Route(
            "github.issues",
            "GET",
            re.compile(r"^/repositories/(?P<id>[0-9]+)/issues$"),
            handler,
            github_rate_headers,
        ),
    ]


def _github_issues(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    """Issues and pull requests, newest first, with a ``Link`` chain."""
    repo = _github_repo(recordings, match)
    if repo is None:
        return json_reply(404, {"message": "Not Found"})
    state = request.first("state", "open")
    if state not in {"open", "closed", "all"}:
        return json_reply(422, {"message": "Validation Failed"})
    labels = [
        label for label in (request.first("labels", "") or "").split(",") if label
    ]
    items = sorted(
        (
            item
            for item in recordings.github_issues[repo]
            if state in {"all", item["state"]}
            and set(labels) <= {label["name"] for label in item["labels"]}
        ),
        key=lambda item: -item["number"],
    )
    per_page = min(100, max(1, int(request.first("per_page", "30") or 30)))
    page = max(1, int(request.first("page", "1") or 1))
    last = max(1, -(-len(items) // per_page))
    body = items[(page - 1) * per_page : page * per_page]
    reply = json_reply(200, body)
    headers = {
        **reply.headers,
        "Content-Type": "application/json; charset=utf-8",
        "ETag": f'W/"{hashlib.sha256(reply.body).hexdigest()[:32]}"',
        "Cache-Control": "private, max-age=60, s-maxage=60",
    }
    link = _link_header(request, recordings.github_repo_ids[repo], page, last)
    if link:
        headers["Link"] = link
    return dataclasses.replace(reply, headers=headers)


def _github_issue(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    """One issue or pull request by number, as ``/issues/<n>`` serves it."""
    repo = _github_repo(recordings, match)
    number = int(match["number"])
    found = [
        item
        for item in recordings.github_issues.get(repo or "", [])
        if item["number"] == number
    ]
    if not found:
        return json_reply(404, {"message": "Not Found"})
    reply = json_reply(200, found[0])
    headers = {
        **reply.headers,
        "Content-Type": "application/json; charset=utf-8",
        "ETag": f'W/"{hashlib.sha256(reply.body).hexdigest()[:32]}"',
    }
    return dataclasses.replace(reply, headers=headers)


def _github_repo(recordings: Recordings, match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("id"):
        number = int(groups["id"])
        return next(
            (r for r, i in recordings.github_repo_ids.items() if i == number), None
        )
    repo = f"{groups['owner']}/{groups['repo']}".lower()
    return repo if repo in recordings.github_issues else None


def _link_header(request: FakeRequest, repo_id: int, page: int, last: int) -> str:
    """Like GitHub: later pages switch to ``/repositories/<id>/issues``."""
    return github_link_header(request, f"/repositories/{repo_id}/issues", page, last)


def routes() -> dict[str, RouteBuilder]:
    """The bug trackers the fake serves, by service."""
    return {"launchpad": launchpad_routes, "github": github_routes}


# --- Hostile payloads --------------------------------------------------------


def hostile(recordings: Recordings, payloads: Sequence[str]) -> Recordings:
    """A copy whose bugs carry ``payloads`` in every text field from outside.

    Every Launchpad project and GitHub repository gets at least as many
    bugs as there are payloads (clones of a recorded one), and bug ``i``
    of each carries payload ``i`` (cycling) as its title, importance,
    assignee and link, or its title, label, assignee and link. Statuses
    and states stay: the searches filter on them.
    """
    derived = dataclasses.replace(
        recordings,
        launchpad_tasks=[dict(task) for task in recordings.launchpad_tasks],
        launchpad_tags=dict(recordings.launchpad_tags),
        github_issues={
            repo: [dict(item) for item in items]
            for repo, items in recordings.github_issues.items()
        },
    )
    projects = sorted({task["bug_target_name"] for task in derived.launchpad_tasks})
    for project in projects:
        have = len(_tasks_of(derived, project))
        if have < len(payloads):
            derived = derived.with_launchpad_tasks(project, len(payloads) - have)
    for project in projects:
        for index, task in enumerate(_tasks_of(derived, project)):
            _hostile_task(task, payloads[index % len(payloads)])
    for items in derived.github_issues.values():
        issues = [item for item in items if "pull_request" not in item]
        for index in range(len(issues), len(payloads)):
            items.append(_clone_issue(issues[0], 9_000_001 + index))
        issues = [item for item in items if "pull_request" not in item]
        for index, issue in enumerate(issues):
            _hostile_issue(issue, payloads[index % len(payloads)])
    return derived


def _tasks_of(recordings: Recordings, project: str) -> list[dict[str, Any]]:
    return [t for t in recordings.launchpad_tasks if t["bug_target_name"] == project]


def _hostile_task(task: dict[str, Any], payload: str) -> None:
    number = bug_number(task)
    task["title"] = f'Bug #{number} in Project: "{payload}"'
    task["importance"] = payload
    task["assignee_link"] = f"https://api.launchpad.net/devel/~{payload}"
    task["web_link"] = payload


def _clone_issue(template: dict[str, Any], number: int) -> dict[str, Any]:
    issue = dict(template)
    issue["number"] = number
    issue["id"] = number
    return issue


def _hostile_issue(issue: dict[str, Any], payload: str) -> None:
    issue["title"] = payload
    issue["labels"] = [{"name": payload}]
    issue["assignee"] = {"login": payload}
    issue["html_url"] = payload
