"""The fake upstream's OSV routes, from recorded OSV records."""

from __future__ import annotations

import functools
import json
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

# --- OSV ---------------------------------------------------------------------


def osv_routes(recordings: Recordings) -> list[Route]:
    return [
        Route(
            "osv.query",
            "POST",
            re.compile(r"^/v1/query$"),
            functools.partial(_osv_query, recordings),
        ),
        Route(
            "osv.vulns",
            "GET",
            re.compile(r"^/v1/vulns/(?P<id>[^/]+)$"),
            functools.partial(_osv_vuln, recordings),
        ),
    ]


def _osv_query(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    """Records affecting a package, by id, paged with ``next_page_token``.

    Like the real API: a query needs a package name and ecosystem (PyPI
    names compare in PEP 503 form), an unknown package gives ``{}``, and
    the token is opaque (here, the offset of the next page).
    """
    try:
        query = json.loads(request.body)
        package = query["package"]
        name, ecosystem = package["name"], package["ecosystem"]
        start = int(query.get("page_token") or 0)
    except (ValueError, TypeError, KeyError):
        return json_reply(400, {"code": 3, "message": "Invalid query."})
    found = sorted(
        (r for r in recordings.osv_records if _osv_affects(r, name, ecosystem)),
        key=lambda record: record["id"],
    )
    size = max(1, recordings.osv_page_size)
    page = [
        {"id": r["id"], "modified": r["modified"]}
        if r["id"] in recordings.osv_partial
        else r
        for r in found[start : start + size]
    ]
    body: dict[str, Any] = {"vulns": page} if page else {}
    if start + size < len(found):
        body["next_page_token"] = str(start + size)
    return json_reply(200, body)


def _osv_affects(record: Mapping[str, Any], name: str, ecosystem: str) -> bool:
    wanted = _pep503(name) if ecosystem == "PyPI" else name
    for affected in record.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem") != ecosystem:
            continue
        found = package.get("name", "")
        if (_pep503(found) if ecosystem == "PyPI" else found) == wanted:
            return True
    return False


def _pep503(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _osv_vuln(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    record = next((r for r in recordings.osv_records if r["id"] == match["id"]), None)
    if record is None:
        return json_reply(404, {"code": 5, "message": "Bug not found."})
    return json_reply(200, record)


def routes() -> dict[str, RouteBuilder]:
    """The advisory databases the fake serves, by service (OSSA files come
    from the core ``files`` service)."""
    return {"osv": osv_routes}
