"""Advisory tracks: OSV records of PyPI packages, and folders of OSSA files.

An ``osv`` track asks the OSV API which records affect each of its
packages (``POST /v1/query``, following ``next_page_token``; ``{}`` means
none) and fetches the full record (``GET /v1/vulns/<id>``) when a result
holds only an id and a date. An ``ossa`` track lists a repository folder
through the ``files`` service (Gitea's contents API) and reads every
``OSSA-YYYY-NNN.yaml`` in it.

Either way the snapshot stores normalized advisories
(:func:`crosswork.kinds.advisories.stored.advisory_item`), never raw records:
what reaches the site has passed the same checks as any other advisory.
A record that cannot be normalized fails the source (the last good data
is kept). An OSSA file with errors is left out (or kept at its last good
version) and makes the result incomplete, each bad file named by its first
problem with its line and column; every good file is still stored. A bad
upstream file is data health, never a build warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from crosswork.diagnostics import Diagnostic, Severity
from crosswork.fetch.endpoints import origin
from crosswork.fetch.http import FetchError, HttpClient, Response, redact_url
from crosswork.fetch.providers import (
    FetchContext,
    FetchResult,
    conditional_headers,
    expect_ok,
)
from crosswork.fetch.snapshot import Snapshot, Validators
from crosswork.kinds.advisories.model import Advisory, is_valid_id
from crosswork.kinds.advisories.ossa import load_ossa
from crosswork.kinds.advisories.osv import normalize_osv
from crosswork.kinds.advisories.stored import advisory_item

KIND = "advisories"
#: The OSV ecosystem of every package of an ``osv`` track.
ECOSYSTEM = "PyPI"
#: A query result with only these keys is partial: the full record is asked for.
PARTIAL_KEYS = frozenset({"id", "modified"})
OSSA_FILE = re.compile(r"^OSSA-[0-9]{4}-[0-9]{3}\.yaml$")
#: Media types a forge serves raw YAML files with.
RAW_TYPES = frozenset(
    {
        "text/plain",
        "text/yaml",
        "text/x-yaml",
        "application/yaml",
        "application/x-yaml",
        "application/octet-stream",
    }
)
_JSON = {"Accept": "application/json"}


@dataclass(frozen=True)
class OsvQuery:
    """The PyPI packages whose OSV records a track follows."""

    packages: tuple[str, ...]

    @property
    def service(self) -> str:
        return "osv"

    def describe(self) -> str:
        count = len(self.packages)
        return f"OSV: {count} {ECOSYSTEM} package{'' if count == 1 else 's'}"

    def to_json(self) -> dict[str, Any]:
        return {
            "source": "osv",
            "ecosystem": ECOSYSTEM,
            "packages": list(self.packages),
        }


@dataclass(frozen=True)
class OssaQuery:
    """A folder of OSSA files in a repository of the ``files`` service."""

    repository: str
    path: str

    @property
    def service(self) -> str:
        return "files"

    def describe(self) -> str:
        return f"OSSA files: {self.repository}, {self.path}/"

    def to_json(self) -> dict[str, Any]:
        return {"source": "ossa", "repository": self.repository, "path": self.path}


AdvisoryQuery = OsvQuery | OssaQuery


def query_of(track: Mapping[str, Any]) -> AdvisoryQuery:
    """The query of one schema-valid ``tracks.advisories`` entry."""
    if track["source"] == "osv":
        return OsvQuery(tuple(track["packages"]))
    return OssaQuery(track["repository"], track["path"].strip("/"))


# --- OSV ---------------------------------------------------------------------


class _OsvRun:
    """The records of one OSV track, gathered page by page."""

    def __init__(self, context: FetchContext) -> None:
        self.context = context
        self.base = context.client.endpoints.base("osv")
        self.records: dict[str, dict[str, Any]] = {}
        self.pages = 0

    def read_package(self, package: str) -> None:
        """Every page of one package's records; raises :class:`_PageCap`."""
        token: str | None = None
        while True:
            if self.pages >= self.context.page_cap:
                raise _PageCap
            body: dict[str, Any] = {
                "package": {"name": package, "ecosystem": ECOSYSTEM}
            }
            if token:
                body["page_token"] = token
            response = self.context.client.post(
                f"{self.base}/v1/query",
                json_body=body,
                headers=_JSON,
                deadline=self.context.deadline,
            )
            vulns, token = read_query_page(expect_ok(response))
            self.pages += 1
            for record in vulns:
                self.keep(record)
            if token is None:
                return

    def keep(self, record: dict[str, Any]) -> None:
        """Keep a record once, asking for the full one when it is partial."""
        if record["id"] in self.records:
            return
        if set(record) <= PARTIAL_KEYS:
            record = self.full_record(record["id"])
        self.records[record["id"]] = record

    def full_record(self, identifier: str) -> dict[str, Any]:
        url = f"{self.base}/v1/vulns/{quote(identifier, safe='')}"
        response = self.context.client.get(
            url, headers=_JSON, deadline=self.context.deadline
        )
        record = expect_ok(response).json()
        if not isinstance(record, dict) or record.get("id") != identifier:
            raise FetchError("schema", f"{redact_url(response.url)}: not {identifier}")
        return record


class _PageCap(Exception):
    """The page cap was reached: the result is incomplete."""


def read_query_page(response: Response) -> tuple[list[dict[str, Any]], str | None]:
    """The records of one ``/v1/query`` answer and the next page's token."""
    page = response.json()
    where = redact_url(response.url)
    if not isinstance(page, dict) or (
        page and "vulns" not in page and "next_page_token" not in page
    ):
        raise FetchError("schema", f"{where}: not an OSV query result")
    vulns = page.get("vulns", [])
    if not isinstance(vulns, list) or not all(_has_id(v) for v in vulns):
        raise FetchError("schema", f"{where}: vulns is not a list of OSV records")
    token = page.get("next_page_token")
    if token is not None and not isinstance(token, str):
        raise FetchError("schema", f"{where}: next_page_token is not text")
    return vulns, token or None


def _has_id(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and isinstance(record.get("id"), str)
        and is_valid_id(record["id"])
    )


def fetch_osv(query: OsvQuery, context: FetchContext) -> FetchResult:
    """Every record affecting the track's packages, normalized, by id."""
    run = _OsvRun(context)
    error: FetchError | None = None
    capped = False
    try:
        for package in query.packages:
            run.read_package(package)
    except FetchError as failure:
        if run.pages == 0:
            raise
        error = failure
    except _PageCap:
        capped = True
    advisories = [osv_advisory(run.records[key]) for key in sorted(run.records)]
    return FetchResult(
        items=tuple(advisory_item(advisory) for advisory in advisories),
        complete=error is None and not capped,
        pages=run.pages,
        error=error,
    )


def osv_advisory(record: dict[str, Any]) -> Advisory:
    """A record normalized; a record the site could not show fails the fetch."""
    label = f"OSV record {record['id']}"
    advisory, problems = normalize_osv(record, label=label)
    if advisory is None:
        raise FetchError("schema", _first_error(problems))
    return advisory


# --- OSSA --------------------------------------------------------------------


def fetch_ossa(query: OssaQuery, context: FetchContext) -> FetchResult:
    """The folder's OSSA files, each validated; bad files are left out.

    A file with errors never holds back the others: every good file is
    stored, new ones included, and the result is incomplete, naming each
    bad file (:func:`left_out`). A bad file whose advisory the last
    snapshot holds keeps that last good version.
    """
    client = context.client
    base = client.endpoints.base("files")
    owner, repo = query.repository.split("/")
    url = (
        f"{base}/api/v1/repos/{quote(owner, safe='')}/{quote(repo, safe='')}"
        f"/contents/{quote(query.path, safe='/')}"
    )
    first = client.get(
        url,
        headers={**_JSON, **conditional_headers(context.validators)},
        deadline=context.deadline,
    )
    if first.status == 304 and context.validators is not None:
        return FetchResult(not_modified=True, validators=context.validators)
    files = list(ossa_files(expect_ok(first), base))
    items: dict[str, dict[str, Any]] = {}
    bad: list[BadFile] = []
    error: FetchError | None = None
    try:
        for name, download in files:
            label = f"{query.repository}/{query.path}/{name}"
            advisory, found = load_ossa(label, raw_body(client, download, context))
            if advisory is not None:
                items[advisory.id] = advisory_item(advisory)
            else:  # load_ossa gives no advisory only with its problems
                errors = [p for p in found if p.severity is Severity.ERROR]
                bad.append(BadFile(name, errors or found))
    except FetchError as failure:
        error = failure
    kept = last_good_versions(bad, context.previous_items, items)
    items |= kept
    return FetchResult(
        items=tuple(items[key] for key in sorted(items)),
        complete=error is None and not bad,
        pages=1,
        validators=Validators(
            first.headers.get("ETag"), first.headers.get("Last-Modified"), context.auth
        ),
        error=error,
        left_out=left_out(bad, kept) if bad else None,
    )


@dataclass(frozen=True)
class BadFile:
    """An OSSA file that could not be used, with its problems."""

    name: str
    problems: list[Diagnostic]

    @property
    def advisory_id(self) -> str:
        """The id its name promises (``OSSA-2024-001.yaml``: ``OSSA-2024-001``)."""
        return self.name.removesuffix(".yaml")


def last_good_versions(
    bad: list[BadFile],
    previous: tuple[Mapping[str, Any], ...],
    items: Mapping[str, Mapping[str, Any]],
) -> dict[str, dict[str, Any]]:
    """The last snapshot's item of each bad file's advisory, by id."""
    wanted = {file.advisory_id for file in bad} - set(items)
    return {
        item["id"]: dict(item)
        for item in previous
        if isinstance(item.get("id"), str) and item["id"] in wanted
    }


#: Bad files an error message names at most, each with its first problem.
NAMED_FILES = 5


def left_out(bad: list[BadFile], kept: Mapping[str, Any]) -> FetchError:
    """One ``schema`` error naming every bad file by its first problem.

    Each is ``path:line:col: CODE message``, followed by "its last good
    version is kept" when the snapshot keeps one.
    """
    parts = []
    for file in bad[:NAMED_FILES]:
        part = _first_error(file.problems)
        if file.advisory_id in kept:
            part += ", its last good version is kept"
        parts.append(part)
    more = len(bad) - NAMED_FILES
    if more > 0:
        parts.append(f"and {more} more bad file{'' if more == 1 else 's'}")
    return FetchError("schema", "; ".join(parts))


def ossa_files(listing: Response, base: str) -> Iterator[tuple[str, str]]:
    """``(name, download URL)`` of the OSSA files of a folder listing, by name.

    Download URLs come from the upstream, so they must stay on the
    service's own origin.
    """
    entries = listing.json()
    where = redact_url(listing.url)
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("name"), str)
        for entry in entries
    ):
        raise FetchError("schema", f"{where}: not a folder listing")
    wanted = sorted(
        (entry for entry in entries if entry.get("type") == "file"),
        key=lambda entry: entry["name"],
    )
    for entry in wanted:
        if not OSSA_FILE.match(entry["name"]):
            continue
        download = entry.get("download_url")
        if not isinstance(download, str) or origin(download) != origin(base):
            raise FetchError(
                "disallowed-host", f"{where}: {entry['name']} is not served by it"
            )
        yield entry["name"], download


def raw_body(client: HttpClient, url: str, context: FetchContext) -> bytes:
    """A raw file; an HTML error page or JSON is not one."""
    response = expect_ok(client.get(url, deadline=context.deadline))
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if media_type.lower() not in RAW_TYPES:
        raise FetchError(
            "content-type",
            f"{redact_url(response.url)} answered {media_type or 'no content type'}",
        )
    return response.body


def _first_error(problems: list[Diagnostic]) -> str:
    more = len(problems) - 1
    return f"{problems[0]}" + (f" (and {more} more)" if more > 0 else "")


# --- The provider --------------------------------------------------------------


class AdvisoriesProvider:
    """Advisory tracks: ``osv`` package queries and ``ossa`` folders."""

    def query(self, track: Mapping[str, Any]) -> AdvisoryQuery:
        return query_of(track)

    def fetch(self, query: AdvisoryQuery, context: FetchContext) -> FetchResult:
        if isinstance(query, OsvQuery):
            return fetch_osv(query, context)
        return fetch_ossa(query, context)

    def breakdown(self, snapshot: Snapshot) -> dict[str, int]:
        return {}


PROVIDER = AdvisoriesProvider()
