"""The fake upstream's OSV routes, from recorded OSV records."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

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
            "osv.querybatch",
            "POST",
            re.compile(r"^/v1/querybatch$"),
            functools.partial(_osv_querybatch, recordings),
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
        page = _osv_page(recordings, json.loads(request.body), partial=False)
    except (ValueError, TypeError, KeyError):
        return json_reply(400, {"code": 3, "message": "Invalid query."})
    return json_reply(200, page)


def _osv_querybatch(
    recordings: Recordings, request: FakeRequest, match: re.Match[str]
) -> Reply:
    """One result per query, in order, each vuln only ``id`` and
    ``modified``, each paged with its own ``next_page_token``."""
    try:
        queries = json.loads(request.body)["queries"]
        if not isinstance(queries, list) or not 0 < len(queries) <= 1000:
            raise ValueError(queries)
        results = [_osv_page(recordings, query, partial=True) for query in queries]
    except (ValueError, TypeError, KeyError):
        return json_reply(400, {"code": 3, "message": "Invalid query."})
    return json_reply(200, {"results": results})


def _osv_page(
    recordings: Recordings, query: Mapping[str, Any], *, partial: bool
) -> dict[str, Any]:
    """One page of a package's records; ``partial``: ids and dates only."""
    package = query["package"]
    name, ecosystem = package["name"], package["ecosystem"]
    start = int(query.get("page_token") or 0)
    found = sorted(
        (r for r in recordings.osv_records if _osv_affects(r, name, ecosystem)),
        key=lambda record: record["id"],
    )
    size = max(1, recordings.osv_page_size)
    page = [
        {"id": r["id"], "modified": r["modified"]}
        if partial or r["id"] in recordings.osv_partial
        else r
        for r in found[start : start + size]
    ]
    body: dict[str, Any] = {"vulns": page} if page else {}
    if start + size < len(found):
        body["next_page_token"] = str(start + size)
    return body


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


# --- Hostile payloads --------------------------------------------------------

#: OSSA files allow 64 KiB; longer payloads are cut to fit their field.
_OSSA_LINE = 1000
_OSSA_TEXT = 8000


def hostile(recordings: Recordings, payloads: Sequence[str]) -> Recordings:
    """A copy serving one OSV record and one OSSA file per payload.

    Each OSV record affects every package a recorded record affects (so
    every package query finds it) and carries its payload as summary,
    details (Markdown, as OSV details are), alias, reference, credit,
    version, fixed version, CVSS vector and database severity; half of
    them are GHSA records (the database whose details use Markdown most)
    and every other one is served as ``{id, modified}`` first, so the
    full-record route serves payloads too. Each OSSA file, in every folder
    that holds recorded OSSA files, carries its payload in every free-text
    field, cut to what the file's schema allows.
    """
    packages = sorted(
        {
            (affected["package"]["ecosystem"], affected["package"]["name"])
            for record in recordings.osv_records
            for affected in record.get("affected", [])
            if isinstance(affected.get("package"), dict)
        }
    )
    records = [
        _osv_record(_hostile_id(index), payload, packages)
        for index, payload in enumerate(payloads)
    ]
    derived = dataclasses.replace(
        recordings,
        osv_records=[*recordings.osv_records, *records],
        osv_partial=recordings.osv_partial | {record["id"] for record in records[1::2]},
    )
    folders = sorted(
        {
            path.rsplit("/", 1)[0]
            for path in recordings.repository_files
            if re.search(r"/OSSA-[0-9]{4}-[0-9]{3}\.yaml$", path)
        }
    )
    for folder in folders:
        repository, _, path = _split_repository(folder)
        for index, payload in enumerate(payloads):
            identifier = f"OSSA-2099-{index + 1:03d}"
            derived = derived.with_repository_file(
                repository, f"{path}/{identifier}.yaml", _ossa_file(identifier, payload)
            )
    return derived


def _hostile_id(index: int) -> str:
    """Half the records are GHSA, half PYSEC, whether served whole or not."""
    number = index + 1
    return f"GHSA-2099-{number:04d}-host" if index % 4 >= 2 else f"PYSEC-2099-{number}"


def _osv_record(
    identifier: str, payload: str, packages: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "id": identifier,
        "modified": "2099-01-02T03:04:05Z",
        "published": "2099-01-01T00:00:00Z",
        "aliases": [payload],
        "summary": payload,
        "details": payload,
        "severity": [{"type": "CVSS_V3", "score": payload}],
        "affected": [
            {
                "package": {"ecosystem": ecosystem, "name": name},
                "ranges": [
                    {
                        "type": "ECOSYSTEM",
                        "events": [{"introduced": "0"}, {"fixed": payload}],
                    }
                ],
                "versions": [payload],
            }
            for ecosystem, name in packages
        ],
        "references": [{"type": "WEB", "url": payload}],
        "credits": [{"name": payload}],
        "database_specific": {"severity": payload},
    }


def _split_repository(folder: str) -> tuple[str, str, str]:
    owner, repo, path = folder.split("/", 2)
    return f"{owner}/{repo}", "/", path


def _ossa_file(identifier: str, payload: str) -> bytes:
    line = payload[:_OSSA_LINE] or "x"
    text = payload[:_OSSA_TEXT] or "x"
    one_line = " ".join(line.split())[: _OSSA_LINE - 20] or "x"
    document = {
        "date": "2099-01-01",
        "id": identifier,
        "title": line,
        "description": text,
        "affected-products": [{"product": line, "version": line}],
        "vulnerabilities": [
            {"cve-id": "CVE-2099-1234", "note": text},
            {"cve-id": "Requested", "classification": {"type": "CWE", "detail": line}},
        ],
        "reporters": [{"name": line, "affiliation": line}],
        "issues": {"links": [line]},
        "reviews": {line: [line], f"2099.1/x {one_line}": [f"{one_line} (nova)"]},
        "errata": text,
        "errata_history": [f"2099-01-02 - {one_line}"],
        "notes": [text],
        "reference": line,
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()
