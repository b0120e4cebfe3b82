"""Adoption tracks: requirements files of the ``files`` service.

Each file of a track (every service's, then the global requirements and
the upper constraints) is fetched with the project's one HTTP client,
read with :func:`~crosswork.kinds.adoption.requirements.parse_requirements`
and stored as facts (:mod:`crosswork.kinds.adoption.facts`), so the site
never parses upstream text.

Conditional requests: the snapshot keeps one validator pair, so the ETags
of every file are kept together, as a JSON object by path, in its
``etag``. A refresh asks each file with its own ``If-None-Match``; when
every file answers 304 the snapshot stands; when only some do, those are
asked again without condition, since their facts must be stored anew.

One file failing does not drop the others: the result holds every file
read, is marked incomplete, and its error names the files that failed
(the run then keeps the last complete snapshot if there is one).
History entries carry, per library, the number of services using it and
its convergence in whole percent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from crosswork.fetch.http import FetchError, Response, redact_url
from crosswork.fetch.providers import FetchContext, FetchResult, expect_ok
from crosswork.fetch.snapshot import Snapshot, Validators
from crosswork.kinds.adoption.analysis import history_figures
from crosswork.kinds.adoption.facts import FactsError, file_facts, from_facts
from crosswork.kinds.adoption.requirements import parse_requirements
from crosswork.kinds.adoption.tracks import SERVICE, AdoptionTrack

#: Media types a raw file may be served with.
TEXT_TYPES = frozenset({"text/plain"})
#: The largest requirements file read.
MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class AdoptionQuery:
    """An adoption track as a request: files of the files service."""

    services: tuple[tuple[str, str], ...]
    libraries: tuple[str, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    global_path: str = ""
    constraints_path: str = ""

    @classmethod
    def of(cls, track: AdoptionTrack) -> AdoptionQuery:
        return cls(
            track.services,
            track.libraries,
            tuple((g, tuple(libs)) for g, libs in track.groups.items()),
            track.global_path,
            track.constraints_path,
        )

    @property
    def service(self) -> str:
        return SERVICE

    def files(self) -> list[tuple[str, str, str]]:
        """``(role, service, path)`` of every file, services first."""
        found = [("service", name, path) for name, path in self.services]
        if self.global_path:
            found.append(("global", "", self.global_path))
        if self.constraints_path:
            found.append(("constraints", "", self.constraints_path))
        return found

    def describe(self) -> str:
        services, libraries = len(self.services), len(self.libraries)
        return (
            f"Requirements files: {libraries}"
            f" librar{'y' if libraries == 1 else 'ies'}"
            f" in {services} service{'' if services == 1 else 's'}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "services": [{"name": n, "path": p} for n, p in self.services],
            "libraries": list(self.libraries),
            "groups": {g: list(libs) for g, libs in self.groups},
            "global": self.global_path or None,
            "constraints": self.constraints_path or None,
        }


def expect_text(response: Response) -> Response:
    """A raw text file, not an error page or a JSON document."""
    where = redact_url(response.url)
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if media_type.lower() not in TEXT_TYPES:
        raise FetchError(
            "content-type", f"{where} answered {media_type or 'no content type'}"
        )
    if len(response.body) > MAX_BYTES:
        raise FetchError("too-large", f"{where} sent more than {MAX_BYTES} bytes")
    return response


def stored_etags(validators: Validators | None) -> dict[str, str]:
    if validators is None or not validators.etag:
        return {}
    try:
        etags = json.loads(validators.etag)
    except ValueError:
        return {}
    if not isinstance(etags, dict):
        return {}
    return {str(k): str(v) for k, v in etags.items() if isinstance(v, str)}


def fetch_adoption(query: AdoptionQuery, context: FetchContext) -> FetchResult:
    """Fetch and read every file; raise FetchError when none could be read."""
    base = context.client.endpoints.base(SERVICE)
    etags = stored_etags(context.validators)

    def get(path: str, conditional: bool) -> Response:
        headers = {"Accept": "text/plain"}
        if conditional and path in etags:
            headers["If-None-Match"] = etags[path]
        return context.client.get(
            f"{base}/{quote(path)}", headers=headers, deadline=context.deadline
        )

    files = query.files()
    responses: dict[str, Response] = {}
    failures: list[FetchError] = []
    paths = [path for _, _, path in files]
    answers = context.each(lambda path: get(path, conditional=True), paths)
    for path, answer in zip(paths, answers, strict=True):
        if isinstance(answer, FetchError):
            failures.append(FetchError(answer.kind, f"{path}: {answer.message}"))
        else:
            responses[path] = answer
    if (
        not failures
        and etags
        and all(response.status == 304 for response in responses.values())
    ):
        return FetchResult(not_modified=True, validators=context.validators)  # type: ignore[arg-type]
    items: list[dict[str, Any]] = []
    new_etags: dict[str, str] = {}
    read = 0
    for role, service, path in files:
        if path not in responses:
            continue
        try:
            response = responses[path]
            if response.status == 304:
                response = get(path, conditional=False)
            body = expect_text(expect_ok(response)).body
        except FetchError as error:
            failures.append(FetchError(error.kind, f"{path}: {error.message}"))
            continue
        read += 1
        if response.headers.get("ETag"):
            new_etags[path] = response.headers["ETag"]
        items += file_facts(
            role, service, parse_requirements(path, body), query.libraries
        )
    if read == 0:
        first = failures[0]
        raise FetchError(first.kind, "; ".join(f.message for f in failures))
    error = None
    if failures:
        names = ", ".join(f.message for f in failures)
        error = FetchError(failures[0].kind, f"files not read: {names}")
    return FetchResult(
        items=tuple(items),
        complete=not failures,
        pages=1,
        validators=Validators(
            json.dumps(new_etags, sort_keys=True)
            if new_etags and not failures
            else None,
            None,
            context.auth,
        ),
        error=error,
    )


def adoption_breakdown(snapshot: Snapshot) -> dict[str, int]:
    """Per followed library, for the history: ``<library>`` the services
    using it, ``<library>%`` its convergence in whole percent (when used)."""
    try:
        stored = from_facts(snapshot.items)
    except FactsError:
        return {}
    libraries = [str(lib) for lib in snapshot.query.get("libraries", [])]
    return history_figures(stored.analyse(libraries, {}))


class AdoptionProvider:
    """Requirements files of the files service."""

    def query(self, track: Mapping[str, Any]) -> AdoptionQuery:
        return AdoptionQuery.of(AdoptionTrack.from_track("", track))

    def fetch(self, query: AdoptionQuery, context: FetchContext) -> FetchResult:
        return fetch_adoption(query, context)

    def breakdown(self, snapshot: Snapshot) -> dict[str, int]:
        return adoption_breakdown(snapshot)


PROVIDER = AdoptionProvider()
