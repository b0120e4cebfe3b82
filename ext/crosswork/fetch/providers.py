"""What a kind of data track needs to be fetched: the provider contract.

Each data kind (:class:`crosswork.datakind.DataKind`) has one
:class:`Provider`. The fetch run knows nothing else about a kind: it builds
one source per track entry, asks the source's provider to fetch it, and
stores the normalized items it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from crosswork.fetch.http import Deadline, FetchError, HttpClient, Response, redact_url
from crosswork.fetch.snapshot import Snapshot, Validators

#: Pages followed at most per source; more makes the snapshot incomplete.
PAGE_CAP = 50

T = TypeVar("T")
R = TypeVar("R")


class Query(Protocol):
    """One track entry as a request: stored in the snapshot as JSON."""

    @property
    def service(self) -> str:
        """The upstream service, a key of ``CROSSWORK_ENDPOINTS``."""
        ...

    def describe(self) -> str:
        """What the query asks of whom, for readers: "Launchpad: nova, status
        New". Never an address: the status page prints it."""
        ...

    def to_json(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class FetchContext:
    """What one refresh gives its provider."""

    #: Bound to the source's service (``HttpClient.for_service``).
    client: HttpClient
    deadline: Deadline
    #: For a conditional request; given only when the last result had one page.
    validators: Validators | None = None
    #: ``anonymous`` or ``token``: recorded with the new validators.
    auth: str = "anonymous"
    page_size: int | None = None
    page_cap: int = PAGE_CAP
    #: The items of the last snapshot of the same query: a provider may keep
    #: the last good version of an item that the upstream now serves broken.
    previous_items: tuple[Mapping[str, Any], ...] = ()
    #: Threads for independent requests of one source (:meth:`each`);
    #: without one they run one after another.
    pool: Executor | None = None

    def each(
        self, function: Callable[[T], R], items: Iterable[T]
    ) -> list[R | FetchError]:
        """``function`` of every item, side by side, in the items' order.

        A :class:`FetchError` is returned in its item's place rather than
        raised, so the caller decides in order, as a loop would, and the
        result never depends on which request finished first. The client
        bounds the requests in flight per host, whatever the threads.
        """

        def attempt(item: T) -> R | FetchError:
            try:
                return function(item)
            except FetchError as error:
                return error

        if self.pool is None:
            return [attempt(item) for item in items]
        return list(self.pool.map(attempt, items))


@dataclass(frozen=True)
class FetchResult:
    """What one fetch brought back.

    ``not_modified``: the upstream answered 304, keep the snapshot.
    ``error``: a page after the first failed; ``items`` holds the pages
    before it and ``complete`` is false. An earlier snapshot is kept
    (stale): a fetch cut short is not better than the last good one.
    ``left_out``: everything was read, but some items the upstream served
    could not be used; it names them. ``items`` holds every usable one
    (and, for a provider that keeps them, the last good version of the
    others), ``complete`` is false, and the result replaces an earlier
    snapshot: one bad item must not freeze the whole source.
    """

    items: tuple[dict[str, Any], ...] = ()
    complete: bool = True
    pages: int = 0
    validators: Validators = field(default_factory=Validators)
    not_modified: bool = False
    error: FetchError | None = None
    left_out: FetchError | None = None


class Provider(Protocol):
    def query(self, track: Mapping[str, Any]) -> Query | None:
        """The query of one schema-valid track entry; None when the track
        names nothing to fetch (a file in the repository, say)."""
        ...

    def fetch(self, query: Query, context: FetchContext) -> FetchResult:
        """Fetch and normalize; raise FetchError when nothing usable came."""
        ...

    def breakdown(self, snapshot: Snapshot) -> Mapping[str, int]:
        """Figures of a snapshot's items kept in the daily history beside
        its count (gaps per driver, say); empty when the kind has none."""
        ...


def conditional_headers(validators: Validators | None) -> dict[str, str]:
    """The headers of a conditional request for the last result's validators."""
    if validators is None:
        return {}
    headers = {}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def expect_ok(response: Response) -> Response:
    """The response if it is a 200; any other answer fails the fetch."""
    if response.status != 200:
        raise FetchError(
            f"http-{response.status}",
            f"{redact_url(response.url)} answered HTTP {response.status}",
        )
    return response
