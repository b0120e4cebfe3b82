"""Matrix tracks: support-matrix INI files of the ``files`` service.

The raw file is fetched with the project's one HTTP client (conditional
request, size cap, retries), parsed with
:func:`crosswork.kinds.matrices.parse.parse_matrix`, and stored as normalized
facts (:mod:`crosswork.kinds.matrices.facts`), the parser's findings included, so
the site never parses upstream text. A body that is not a UTF-8 text file
with driver columns and features fails the fetch, and the last good
snapshot stays.

History entries of matrix sources carry the gap count of every driver
against the track's reference driver, for the trend chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from crosswork.diagnostics import Diagnostic
from crosswork.fetch.http import FetchError, Response, redact_url
from crosswork.fetch.providers import (
    FetchContext,
    FetchResult,
    conditional_headers,
    expect_ok,
)
from crosswork.fetch.snapshot import Snapshot, Validators
from crosswork.kinds.matrices.command import MAX_BYTES
from crosswork.kinds.matrices.facts import FactsError, matrix_facts, matrix_from_facts
from crosswork.kinds.matrices.gaps import analyse
from crosswork.kinds.matrices.model import Matrix
from crosswork.kinds.matrices.parse import decode_matrix, parse_matrix
from crosswork.kinds.matrices.summary import resolve_reference
from crosswork.kinds.matrices.tracks import SERVICE, MatrixTrack

#: Media types a raw file may be served with.
TEXT_TYPES = frozenset({"text/plain"})


@dataclass(frozen=True)
class MatrixQuery:
    """A remote matrix track as a request: a file of the files service.

    ``reference`` is the track's reference driver (None: the default);
    it is kept with the query because the history's gap counts use it.
    """

    path: str
    reference: str | None = None

    @classmethod
    def of(cls, track: MatrixTrack) -> MatrixQuery | None:
        """None for a repository file: the site reads it, nothing is fetched."""
        return cls(track.path, track.reference) if track.is_remote else None

    @property
    def service(self) -> str:
        return SERVICE

    def describe(self) -> str:
        return f"Feature matrix file: {self.path}"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "reference": self.reference}


def fetch_matrix(query: MatrixQuery, context: FetchContext) -> FetchResult:
    """Fetch, check and normalize one matrix file; raise FetchError if unusable."""
    base = context.client.endpoints.base(SERVICE)
    response = context.client.get(
        f"{base}/{quote(query.path)}",
        headers={"Accept": "text/plain", **conditional_headers(context.validators)},
        deadline=context.deadline,
    )
    if response.status == 304 and context.validators is not None:
        return FetchResult(not_modified=True, validators=context.validators)
    body = expect_text(expect_ok(response)).body
    matrix, problems = read_matrix(query.path, body)
    return FetchResult(
        items=tuple(matrix_facts(matrix, problems)),
        complete=True,
        pages=1,
        validators=Validators(
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
            context.auth,
        ),
    )


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


def read_matrix(label: str, body: bytes) -> tuple[Matrix, list[Diagnostic]]:
    """The matrix and the parser's findings, if the body is a matrix at all."""
    text, problems = decode_matrix(label, body)
    if text is None:
        raise FetchError("schema", f"{label}: {problems[0].message}")
    matrix, problems = parse_matrix(label, text)
    if not matrix.drivers or not matrix.features:
        raise FetchError("schema", f"{label}: no driver columns or no features")
    return matrix, problems


def gap_breakdown(snapshot: Snapshot) -> dict[str, int]:
    """Gaps per driver against the track's reference, for the history."""
    try:
        matrix, _ = matrix_from_facts(snapshot.source, snapshot.items)
    except FactsError:
        return {}
    reference = resolve_reference(matrix, snapshot.query.get("reference"))
    return analyse(matrix, reference).gap_counts()


class MatricesProvider:
    """Feature matrices of the files service."""

    def query(self, track: Mapping[str, Any]) -> MatrixQuery | None:
        return MatrixQuery.of(MatrixTrack.from_track("", track))

    def fetch(self, query: MatrixQuery, context: FetchContext) -> FetchResult:
        return fetch_matrix(query, context)

    def breakdown(self, snapshot: Snapshot) -> dict[str, int]:
        return gap_breakdown(snapshot)


PROVIDER = MatricesProvider()
