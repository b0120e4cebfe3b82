"""The one HTTP client of the fetch step.

Upstreams fail, throttle, redirect and send hostile bodies; the client
turns each of those into a :class:`FetchError` with a short ``kind`` so the
caller keeps its last good snapshot. Policies (numbers in :class:`Policy`):

* ``trust_env`` is off: no proxies or ``.netrc`` credentials from the
  environment reach a request.
* Every call has a (connect, read) timeout, and every source a deadline
  that bounds retries, waits and slow bodies.
* Connection errors, timeouts, broken bodies, 429 and 5xx are retried with
  urllib3's exponential backoff and jitter; ``Retry-After`` and GitHub's
  ``x-ratelimit-reset`` are honoured, and a wait beyond the deadline ends
  the fetch at once. Other 4xx are final.
* At most :attr:`Policy.per_host` requests are in flight per host at
  once, whatever the number of threads asking. A ``Retry-After`` (or a
  rate-limit reset) holds back every request to that host, not only the
  one that received it.
* A per-host circuit breaker stops calling a host after it failed
  :attr:`Policy.breaker_threshold` fetches in a row, or asked to be left
  alone longer than a deadline.
* Redirects are followed by hand, each hop re-checked against the
  allowlist of :mod:`crosswork.fetch.endpoints`.
* Bodies are streamed and capped, counting decompressed bytes, so a gzip
  bomb stops at the cap.
* The GitHub token is read from the environment when a request is built
  and attached only to requests made for the ``github`` service (see
  ``HttpClient.for_service``) on the GitHub API's origin: services
  sharing one origin, as on the fake upstream, never receive it. It is
  never stored or logged.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import requests
import urllib3
from requests.structures import CaseInsensitiveDict
from requests.utils import parse_header_links
from urllib3.exceptions import InvalidHeader, MaxRetryError
from urllib3.util.retry import Retry

from crosswork import __version__
from crosswork.fetch.endpoints import Endpoints, host_key
from crosswork.fetch.redact import redact_url  # providers import it from here

log = logging.getLogger("crosswork.fetch")

#: The one service whose requests may carry the GitHub token.
GITHUB_SERVICE = "github"

#: Environment variables that may hold the GitHub token, in order of use.
TOKEN_VARIABLES = ("CROSSWORK_GITHUB_TOKEN", "GITHUB_TOKEN")

USER_AGENT = f"crosswork/{__version__} (cross-project workgroups site data fetch)"

#: Statuses worth another attempt; GitHub's rate-limit 403 is handled apart.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_REDIRECTS_TO_GET = frozenset({301, 302, 303})


@dataclass(frozen=True)
class Policy:
    """The client's numbers; tests build one with small values."""

    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    #: Wall-clock seconds for all requests of one source, retries included.
    deadline: float = 60.0
    #: Retries after the first attempt.
    retries: int = 3
    backoff_factor: float = 0.5
    backoff_jitter: float = 0.5
    backoff_max: float = 30.0
    #: Bytes of one response body after decompression.
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 3
    #: Consecutive failed fetches after which a host is skipped for the run.
    breaker_threshold: int = 3
    #: Wait after a secondary rate limit that names no time (GitHub's advice).
    secondary_limit_wait: float = 60.0
    #: Requests in flight at once per host (browsers open six connections).
    per_host: int = 6

    def retry(self) -> Retry:
        """urllib3's retry policy: counts attempts and computes backoff."""
        return Retry(
            total=self.retries,
            redirect=0,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            backoff_factor=self.backoff_factor,
            backoff_jitter=self.backoff_jitter,
            backoff_max=self.backoff_max,
            respect_retry_after_header=True,
            raise_on_status=False,
        )


class FetchError(Exception):
    """A failed fetch; ``kind`` is a short stable class for the status file.

    Messages name URLs only through ``redact_url`` (hosts and paths,
    never credentials, query strings or headers).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def github_token(environ: Mapping[str, str]) -> str | None:
    """The token, read at the point of use and never kept."""
    for name in TOKEN_VARIABLES:
        value = environ.get(name, "").strip()
        if value:
            return value
    return None


class GitHubTokenAuth(requests.auth.AuthBase):
    """Adds ``Authorization`` to a ``github`` service request on its origin.

    The client hands this only to requests for the ``github`` service; the
    origin check runs on each request's own URL, so a redirect to another
    host never carries the token either.
    """

    def __init__(self, endpoints: Endpoints, environ: Mapping[str, str]) -> None:
        self._endpoints = endpoints
        self._environ = environ

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        token = github_token(self._environ)
        if token and self._endpoints.receives_github_token(request.url or ""):
            request.headers["Authorization"] = f"Bearer {token}"
        return request

    def __repr__(self) -> str:
        return "GitHubTokenAuth()"


class TokenRedactingFilter(logging.Filter):
    """Second line of defence: masks the token in any fetch log record."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self._environ = os.environ if environ is None else environ

    def filter(self, record: logging.LogRecord) -> bool:
        token = github_token(self._environ)
        if token:
            message = record.getMessage()
            if token in message:
                record.msg = message.replace(token, "***")
                record.args = ()
        return True


log.addFilter(TokenRedactingFilter())


@dataclass(frozen=True)
class Response:
    """A complete, size-checked response."""

    status: int
    url: str
    headers: CaseInsensitiveDict[str]
    body: bytes

    @property
    def next_link(self) -> str | None:
        """The ``rel="next"`` URL of a ``Link`` header, verbatim."""
        for link in parse_header_links(self.headers.get("Link", "")):
            if link.get("rel") == "next" and link.get("url"):
                return link["url"]
        return None

    def json(self) -> Any:
        """The parsed body; a non-JSON content type or body is an error."""
        media_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise FetchError(
                "content-type",
                f"{redact_url(self.url)} answered {media_type or 'no content type'}",
            )
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as error:
            raise FetchError(
                "invalid-json", f"{redact_url(self.url)} sent invalid JSON"
            ) from error
        except RecursionError as error:  # "[[[[...": deeper than Python's stack
            raise FetchError(
                "invalid-json", f"{redact_url(self.url)} sent JSON nested too deep"
            ) from error


class Deadline:
    """The time left for one source."""

    def __init__(self, seconds: float, monotonic: Callable[[], float]) -> None:
        self._monotonic = monotonic
        self._expires = monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._expires - self._monotonic())

    def check(self, url: str) -> None:
        if self.remaining() <= 0:
            raise FetchError(
                "deadline", f"deadline passed while fetching {redact_url(url)}"
            )


class CircuitBreaker:
    """Per-host consecutive failures, and hosts asked to be left alone."""

    def __init__(self, threshold: int, monotonic: Callable[[], float]) -> None:
        self._threshold = threshold
        self._monotonic = monotonic
        self._failures: dict[str, int] = {}
        self._hold_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def check(self, host: str) -> None:
        with self._lock:
            failures = self._failures.get(host, 0)
            held = self._hold_until.get(host, 0.0) > self._monotonic()
        if failures >= self._threshold:
            raise FetchError(
                "circuit-open", f"{host} skipped after {failures} failed fetches"
            )
        if held:
            raise FetchError("circuit-open", f"{host} asked to wait; skipped")

    def succeeded(self, host: str) -> None:
        with self._lock:
            self._failures[host] = 0

    def failed(self, host: str) -> None:
        with self._lock:
            self._failures[host] = self._failures.get(host, 0) + 1

    def hold(self, host: str, seconds: float) -> None:
        with self._lock:
            self._hold_until[host] = self._monotonic() + seconds


class HostGate:
    """At most ``width`` requests in flight per host, and a shared pause.

    A host that asked to wait (``Retry-After``) is left alone by every
    thread until then, so concurrency never multiplies the requests a
    throttled host sees.
    """

    def __init__(
        self,
        width: int,
        monotonic: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self._width = max(1, width)
        self._monotonic = monotonic
        self._sleep = sleep
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._not_before: dict[str, float] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def slot(self, host: str, deadline: Deadline, url: str) -> Iterator[None]:
        """Hold one of ``host``'s slots, after any pause it asked for."""
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self._width))
        with slot:
            self._wait_out_pause(host, deadline, url)
            deadline.check(url)  # the wait for a slot may have used it up
            yield

    def pause(self, host: str, seconds: float) -> None:
        """Hold every request to ``host`` for ``seconds`` from now."""
        with self._lock:
            until = self._monotonic() + seconds
            self._not_before[host] = max(self._not_before.get(host, 0.0), until)

    def _wait_out_pause(self, host: str, deadline: Deadline, url: str) -> None:
        with self._lock:
            left = self._not_before.get(host, 0.0) - self._monotonic()
        if left <= 0:
            return
        if left >= deadline.remaining():
            raise FetchError(
                "rate-limited",
                f"{redact_url(url)}: asked to wait {left:.0f} s, past the deadline",
            )
        self._sleep(left)


class _Retryable(Exception):
    """An attempt failed in a way worth repeating (inside :class:`HttpClient`)."""

    def __init__(self, error: FetchError) -> None:
        super().__init__(error.message)
        self.error = error


class HttpClient:
    """GET (and POST for JSON queries) with every policy above; thread-safe.

    ``service`` is the upstream service requests are made for, set by
    :meth:`for_service`; only ``github`` requests carry the token.
    """

    def __init__(
        self,
        endpoints: Endpoints,
        policy: Policy | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        wallclock: Callable[[], float] = time.time,
    ) -> None:
        self.endpoints = endpoints
        self.policy = policy or Policy()
        self._auth = GitHubTokenAuth(
            endpoints, os.environ if environ is None else environ
        )
        self._sleep = sleep
        self._monotonic = monotonic
        self._wallclock = wallclock
        self.breaker = CircuitBreaker(self.policy.breaker_threshold, monotonic)
        self.gate = HostGate(self.policy.per_host, monotonic, sleep)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self.service: str | None = None

    def for_service(self, service: str) -> HttpClient:
        """This client making requests for ``service``.

        Sessions, circuit breaker and clocks are shared with this client;
        the service decides whether a request carries the token, so one
        origin serving several services never leaks it to the others.
        """
        bound = copy.copy(self)
        bound.service = service
        return bound

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def start_deadline(self) -> Deadline:
        return Deadline(self.policy.deadline, self._monotonic)

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False
            session.headers["User-Agent"] = USER_AGENT
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def get(
        self,
        url: str,
        *,
        deadline: Deadline,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """GET ``url``, retrying what is worth retrying within ``deadline``.

        Returns any final response (2xx, 304, other 4xx) for the caller to
        judge; raises :class:`FetchError` when no answer could be had.
        """
        return self._request("GET", url, deadline, params, headers, None)

    def post(
        self,
        url: str,
        *,
        deadline: Deadline,
        json_body: Any,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """POST a JSON query to a read-only API (OSV's ``/v1/query``).

        Every policy of :meth:`get` applies, retries included: the request
        only reads, so repeating it is as safe as repeating a GET.
        """
        body = json.dumps(json_body, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", **(headers or {})}
        return self._request("POST", url, deadline, None, headers, body)

    def _request(
        self,
        method: str,
        url: str,
        deadline: Deadline,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        body: bytes | None,
    ) -> Response:
        host = host_key(url)
        retry = self.policy.retry()
        while True:
            self.breaker.check(host)
            try:
                deadline.check(url)
                with self.gate.slot(host, deadline, url):
                    response = self._follow(
                        method, url, params, headers or {}, body, deadline
                    )
            except _Retryable as failure:
                wait, error = None, failure.error
            except FetchError as error:
                if error.kind == "deadline":
                    self.breaker.failed(host)
                raise
            else:
                if not self._is_retryable(response, retry):
                    if response.status < 500:
                        self.breaker.succeeded(host)
                    return response
                error = FetchError(
                    f"http-{response.status}",
                    f"{redact_url(response.url)} answered HTTP {response.status}",
                )
                wait = self._server_wait(response, retry)
            retry = self._count_attempt(retry, url, error, host)
            self._pause(wait, retry, error, host, deadline)

    def _count_attempt(
        self, retry: Retry, url: str, error: FetchError, host: str
    ) -> Retry:
        try:
            return retry.increment("GET", redact_url(url), error=error)
        except MaxRetryError:
            self.breaker.failed(host)
            attempts = self.policy.retries + 1
            raise FetchError(
                error.kind, f"{error.message} ({attempts} attempts)"
            ) from None

    def _pause(
        self,
        wait: float | None,
        retry: Retry,
        error: FetchError,
        host: str,
        deadline: Deadline,
    ) -> None:
        """Sleep before the next attempt, or give up if that is too late."""
        seconds = retry.get_backoff_time() if wait is None else wait
        if seconds >= deadline.remaining():
            self.breaker.failed(host)
            if wait is not None:
                self.breaker.hold(host, wait)
                kind = "rate-limited"
            else:
                kind = error.kind
            late = f"next attempt in {seconds:.0f} s is past the deadline"
            raise FetchError(kind, f"{error.message}; {late}")
        log.debug("retrying %s in %.2f s after %s", host, seconds, error.kind)
        if wait is not None:
            self.gate.pause(host, seconds)
        self._sleep(seconds)

    def _is_retryable(self, response: Response, retry: Retry) -> bool:
        if response.status == 403:
            return _is_rate_limited(response)
        has_retry_after = "Retry-After" in response.headers
        return retry.is_retry("GET", response.status, has_retry_after)

    def _server_wait(self, response: Response, retry: Retry) -> float | None:
        """Seconds the server asked for, or None to use the backoff."""
        headers = response.headers
        if "Retry-After" in headers:
            try:
                return retry.parse_retry_after(headers["Retry-After"])
            except InvalidHeader:
                return None
        if (
            headers.get("x-ratelimit-remaining") == "0"
            and "x-ratelimit-reset" in headers
        ):
            try:
                reset = float(headers["x-ratelimit-reset"])
            except ValueError:
                return None
            return max(0.0, reset - self._wallclock()) + 1.0
        if response.status == 403:
            return self.policy.secondary_limit_wait
        return None

    def _follow(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str],
        body: bytes | None,
        deadline: Deadline,
    ) -> Response:
        """One attempt: the request and its redirects, each hop checked.

        Like browsers, 301, 302 and 303 turn a POST into a GET without body;
        307 and 308 repeat it.
        """
        for _ in range(self.policy.max_redirects + 1):
            if not self.endpoints.permits(url):
                raise FetchError("disallowed-host", f"{redact_url(url)} is not allowed")
            response = self._exchange(method, url, params, headers, body, deadline)
            location = response.headers.get("Location")
            if response.status not in _REDIRECTS or not location:
                return response
            url, params = urljoin(response.url, location), None
            if response.status in _REDIRECTS_TO_GET:
                method, body = "GET", None
        raise FetchError(
            "redirect-loop", f"more than {self.policy.max_redirects} redirects"
        )

    def _exchange(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str],
        body: bytes | None,
        deadline: Deadline,
    ) -> Response:
        remaining = deadline.remaining()
        timeout = (
            min(self.policy.connect_timeout, remaining),
            min(self.policy.read_timeout, remaining),
        )
        try:
            raw = self._session().request(
                method,
                url,
                params=params,
                data=body,
                headers=headers,
                auth=self._auth if self.service == GITHUB_SERVICE else None,
                timeout=timeout,
                allow_redirects=False,
                stream=True,
            )
        except requests.Timeout as error:
            raise _Retryable(
                FetchError("timeout", f"{redact_url(url)} timed out")
            ) from error
        except requests.RequestException as error:
            message = f"{redact_url(url)}: {type(error).__name__}"
            raise _Retryable(FetchError("connection", message)) from error
        except ValueError as error:
            # requests parses a Location even when not following it.
            message = f"{redact_url(url)} redirected to a malformed URL"
            raise FetchError("disallowed-host", message) from error
        with raw:
            body = self._read_body(raw, deadline)
        return Response(
            raw.status_code, raw.url, CaseInsensitiveDict(raw.headers), body
        )

    def _read_body(self, raw: requests.Response, deadline: Deadline) -> bytes:
        """The decompressed body, refusing it past the size cap or deadline."""
        where = redact_url(raw.url)
        cap = self.policy.max_bytes
        declared = raw.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError("too-large", f"{where} announced {declared} bytes")
        chunks: list[bytes] = []
        size = 0
        try:
            while chunk := raw.raw.read1(_CHUNK, decode_content=True):
                size += len(chunk)
                if size > cap:
                    raise FetchError("too-large", f"{where} sent more than {cap} bytes")
                chunks.append(chunk)
                deadline.check(raw.url)
        except urllib3.exceptions.TimeoutError as error:
            raise _Retryable(FetchError("timeout", f"{where} timed out")) from error
        except (urllib3.exceptions.HTTPError, OSError) as error:
            message = f"{where}: body broken ({type(error).__name__})"
            raise _Retryable(FetchError("connection", message)) from error
        return b"".join(chunks)


def _is_rate_limited(response: Response) -> bool:
    """GitHub's 403 means a rate limit only with one of its signals."""
    headers = response.headers
    if "Retry-After" in headers or headers.get("x-ratelimit-remaining") == "0":
        return True
    return b"rate limit" in response.body[:2000].lower()
