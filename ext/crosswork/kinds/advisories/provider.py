"""Advisory tracks: OSV records of PyPI packages, and folders of OSSA files.

An ``osv`` track asks the OSV API which records affect its packages, all
in one ``POST /v1/querybatch`` (ids and ``modified`` dates, each query
followed with its own ``next_page_token``), and fetches the full record
(``GET /v1/vulns/<id>``) only of the records whose date differs from the
last snapshot's, side by side. An ``ossa`` track lists a repository folder
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

import datetime as dt
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

#: The OSV ecosystem of every package of an ``osv`` track.
ECOSYSTEM = "PyPI"
#: Queries of one ``/v1/querybatch`` request at most (the API's limit).
BATCH_SIZE = 1000
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


@dataclass
class _Pending:
    """One package's query, and the token of its next page (None: first)."""

    package: str
    token: str | None = None

    def body(self) -> dict[str, Any]:
        query: dict[str, Any] = {
            "package": {"name": self.package, "ecosystem": ECOSYSTEM}
        }
        if self.token:
            query["page_token"] = self.token
        return query


def list_records(
    query: OsvQuery, context: FetchContext
) -> tuple[dict[str, str], int, FetchError | None, bool]:
    """Every record's ``modified`` by id, from ``/v1/querybatch`` pages.

    Each package's query goes into one batch, and each query that has a
    next page comes back in the next batch with its token. Returns the
    dates, the package pages read (what one ``/v1/query`` per page would
    count), the failure that ended the listing early, and whether the
    page cap did.
    """
    base = context.client.endpoints.base("osv")
    pending = [_Pending(package) for package in query.packages]
    modified: dict[str, str] = {}
    pages = 0
    while pending:
        room = context.page_cap - pages
        if room <= 0:
            return modified, pages, None, True
        batch = pending[:BATCH_SIZE][:room]
        try:
            response = context.client.post(
                f"{base}/v1/querybatch",
                json_body={"queries": [entry.body() for entry in batch]},
                headers=_JSON,
                deadline=context.deadline,
            )
            results = read_batch(expect_ok(response), len(batch))
        except FetchError as error:
            if pages == 0:
                raise
            return modified, pages, error, False
        pages += len(batch)
        following: list[_Pending] = []
        for entry, (listed, token) in zip(batch, results, strict=True):
            for identifier, date in listed:
                modified.setdefault(identifier, date)
            if token is not None:
                following.append(_Pending(entry.package, token))
        pending = following + pending[len(batch) :]
    return modified, pages, None, False


def read_batch(
    response: Response, count: int
) -> list[tuple[list[tuple[str, str]], str | None]]:
    """Each query's ``(id, modified)`` pairs and next page token, in order."""
    page = response.json()
    where = redact_url(response.url)
    results = page.get("results") if isinstance(page, dict) else None
    if not isinstance(results, list) or len(results) != count:
        raise FetchError("schema", f"{where}: not an OSV batch result")
    read = []
    for result in results:
        if not isinstance(result, dict):
            raise FetchError("schema", f"{where}: a batch result is not an object")
        vulns = result.get("vulns", [])
        if not isinstance(vulns, list) or not all(
            _has_id(v) and isinstance(v.get("modified"), str) for v in vulns
        ):
            raise FetchError("schema", f"{where}: vulns are not OSV ids and dates")
        token = result.get("next_page_token")
        if token is not None and not isinstance(token, str):
            raise FetchError("schema", f"{where}: next_page_token is not text")
        read.append(([(v["id"], v["modified"]) for v in vulns], token or None))
    return read


def _has_id(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and isinstance(record.get("id"), str)
        and is_valid_id(record["id"])
    )


def full_record(context: FetchContext, identifier: str) -> dict[str, Any]:
    """``GET /v1/vulns/<id>``: the whole record."""
    base = context.client.endpoints.base("osv")
    url = f"{base}/v1/vulns/{quote(identifier, safe='')}"
    response = context.client.get(url, headers=_JSON, deadline=context.deadline)
    record = expect_ok(response).json()
    if not isinstance(record, dict) or record.get("id") != identifier:
        raise FetchError("schema", f"{redact_url(response.url)}: not {identifier}")
    return record


def unchanged_items(
    previous: tuple[Mapping[str, Any], ...], modified: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """The last snapshot's items whose record has the listed ``modified``.

    Stored dates keep whole seconds (``advisory_item``), so listed dates
    are compared at that precision.
    """
    kept = {}
    for item in previous:
        identifier = item.get("id")
        if (
            isinstance(identifier, str)
            and identifier in modified
            and item.get("modified") == _to_seconds(modified[identifier])
        ):
            kept[identifier] = dict(item)
    return kept


def _to_seconds(date: str) -> str | None:
    try:
        moment = dt.datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fetch_osv(query: OsvQuery, context: FetchContext) -> FetchResult:
    """Every record affecting the track's packages, normalized, by id.

    Only records whose ``modified`` changed since the last snapshot are
    downloaded; the others keep their stored item.
    """
    modified, pages, error, capped = list_records(query, context)
    items = unchanged_items(context.previous_items, modified)
    wanted = sorted(set(modified) - set(items))
    for identifier, record in zip(
        wanted, context.each(lambda i: full_record(context, i), wanted), strict=True
    ):
        if isinstance(record, FetchError):
            error = error or record
            continue
        items[identifier] = advisory_item(osv_advisory(record))
    return FetchResult(
        items=tuple(items[key] for key in sorted(items)),
        complete=error is None and not capped,
        pages=pages,
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
    bodies = context.each(lambda file: raw_body(client, file[1], context), files)
    for (name, _), body in zip(files, bodies, strict=True):
        if isinstance(body, FetchError):
            error = body
            break
        label = f"{query.repository}/{query.path}/{name}"
        advisory, found = load_ossa(label, body)
        if advisory is not None:
            items[advisory.id] = advisory_item(advisory)
        else:  # load_ossa gives no advisory only with its problems
            errors = [p for p in found if p.severity is Severity.ERROR]
            bad.append(BadFile(name, errors or found))
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
