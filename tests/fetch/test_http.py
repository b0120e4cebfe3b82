"""The HTTP client: timeouts, retries, limits, redirects and the token.

Every test talks to the fake upstream on loopback with the small numbers
of the ``policy`` fixture; a fault is armed on the route under test.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from requests.structures import CaseInsensitiveDict

from crosswork.fetch.endpoints import Endpoints, parse_endpoints
from crosswork.fetch.http import USER_AGENT, FetchError, HttpClient, Policy, Response
from crosswork.testing.timeline import Timeline
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings

ISSUES = "/repos/PyGithub/PyGithub/issues"
ROUTE = "github.issues"


def get_issues(client: HttpClient, **kwargs: object) -> int:
    response = client.get(
        client.endpoints.base("github") + ISSUES,
        params={"state": "all"},
        deadline=client.start_deadline(),
        **kwargs,  # type: ignore[arg-type]
    )
    return response.status


@pytest.fixture
def recording_client(
    endpoints: Endpoints, policy: Policy, timeline: Timeline
) -> Iterator[HttpClient]:
    """A client whose backoff sleeps are recorded in ``timeline.sleeps``."""
    with HttpClient(
        endpoints,
        policy,
        environ={},
        sleep=timeline.sleep,
        monotonic=timeline.monotonic,
    ) as client:
        yield client


@pytest.fixture
def sleeps(timeline: Timeline) -> list[float]:
    return timeline.sleeps


def test_a_good_response_is_returned_with_its_decoded_json(client: HttpClient) -> None:
    response = client.get(
        client.endpoints.base("github") + ISSUES,
        params={"state": "closed"},
        deadline=client.start_deadline(),
    )

    assert response.status == 200
    assert [issue["number"] for issue in response.json()] == [
        3364,
        3337,
        3336,
        3335,
        28,
    ]


def test_requests_identify_the_project(
    client: HttpClient, upstream: FakeUpstream
) -> None:
    get_issues(client)

    assert upstream.requests[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("crosswork/")


def test_proxies_and_netrc_from_the_environment_are_ignored(
    endpoints: Endpoints,
    policy: Policy,
    upstream: FakeUpstream,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login canary password NETRC_CANARY\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NETRC", str(netrc))
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://proxy.invalid:3128")

    with HttpClient(endpoints, policy, environ={}) as client:
        assert get_issues(client) == 200

    assert "authorization" not in upstream.requests[0].headers


def test_transient_5xx_are_retried_until_a_success(
    recording_client: HttpClient, upstream: FakeUpstream
) -> None:
    upstream.fail(ROUTE, Fault.server_error(503), times=2)

    assert get_issues(recording_client) == 200
    assert upstream.count(ROUTE) == 3


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap(
    endpoints: Endpoints, upstream: FakeUpstream
) -> None:
    policy = Policy(retries=3, backoff_factor=0.1, backoff_jitter=0.05, backoff_max=0.3)
    sleeps: list[float] = []
    upstream.fail(ROUTE, Fault.server_error(500), times=3)

    with HttpClient(endpoints, policy, environ={}, sleep=sleeps.append) as client:
        assert get_issues(client) == 200

    first, second, third = sleeps
    assert first == 0  # urllib3 retries the first failure at once
    assert 0.2 <= second <= 0.25
    assert third == 0.3


def test_retries_are_bounded_and_the_failure_is_named(
    recording_client: HttpClient, upstream: FakeUpstream, policy: Policy
) -> None:
    upstream.fail(ROUTE, Fault.server_error(500))

    with pytest.raises(FetchError) as failure:
        get_issues(recording_client)

    assert failure.value.kind == "http-500"
    assert upstream.count(ROUTE) == 1 + policy.retries


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422])
def test_other_client_errors_are_never_retried(
    recording_client: HttpClient, upstream: FakeUpstream, status: int
) -> None:
    upstream.fail(ROUTE, Fault.server_error(status))

    assert get_issues(recording_client) == status
    assert upstream.count(ROUTE) == 1


def test_retry_after_is_honoured(
    endpoints: Endpoints, upstream: FakeUpstream, policy: Policy, timeline: Timeline
) -> None:
    """Two waits of 1 s fit in a 3 s deadline; the waits count against it."""
    upstream.fail(ROUTE, Fault.too_many_requests(retry_after="1"), times=2)
    roomy = dataclasses.replace(policy, deadline=3.0)

    with HttpClient(
        endpoints,
        roomy,
        environ={},
        sleep=timeline.sleep,
        monotonic=timeline.monotonic,
    ) as client:
        assert get_issues(client) == 200

    assert timeline.sleeps == [1.0, 1.0]
    assert upstream.count(ROUTE) == 3


def test_waits_count_against_the_deadline(
    recording_client: HttpClient, upstream: FakeUpstream, sleeps: list[float]
) -> None:
    """After a 1 s wait, 1 s of a 2 s deadline is left: too little for another."""
    upstream.fail(ROUTE, Fault.too_many_requests(retry_after="1"), times=2)

    with pytest.raises(FetchError) as failure:
        get_issues(recording_client)

    assert failure.value.kind == "rate-limited"
    assert sleeps == [1.0]
    assert upstream.count(ROUTE) == 2


def test_a_retry_after_beyond_the_deadline_gives_up_at_once(
    recording_client: HttpClient, upstream: FakeUpstream, sleeps: list[float]
) -> None:
    upstream.fail(ROUTE, Fault.too_many_requests(retry_after="100000"))

    with pytest.raises(FetchError) as failure:
        get_issues(recording_client)

    assert failure.value.kind == "rate-limited"
    assert sleeps == []
    assert upstream.count(ROUTE) == 1


def test_a_host_that_asked_for_a_long_wait_is_not_called_again(
    recording_client: HttpClient, upstream: FakeUpstream
) -> None:
    upstream.fail(ROUTE, Fault.too_many_requests(retry_after="100000"))
    with pytest.raises(FetchError):
        get_issues(recording_client)

    with pytest.raises(FetchError) as failure:
        get_issues(recording_client)

    assert failure.value.kind == "circuit-open"
    assert upstream.count(ROUTE) == 1


def test_github_primary_rate_limit_waits_for_the_reset(
    recording_client: HttpClient, upstream: FakeUpstream, sleeps: list[float]
) -> None:
    upstream.fail(ROUTE, Fault.github_rate_limit(reset_in=0), times=1)

    assert get_issues(recording_client) == 200
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= 2


def test_github_primary_rate_limit_with_a_distant_reset_gives_up_at_once(
    recording_client: HttpClient, upstream: FakeUpstream, sleeps: list[float]
) -> None:
    upstream.fail(ROUTE, Fault.github_rate_limit(reset_in=3600))

    with pytest.raises(FetchError) as failure:
        get_issues(recording_client)

    assert failure.value.kind == "rate-limited"
    assert sleeps == []
    assert upstream.count(ROUTE) == 1


def test_github_secondary_rate_limit_honours_retry_after(
    recording_client: HttpClient, upstream: FakeUpstream, sleeps: list[float]
) -> None:
    upstream.fail(ROUTE, Fault.github_secondary_limit(retry_after="1"), times=1)

    assert get_issues(recording_client) == 200
    assert sleeps == [1.0]


def test_github_secondary_rate_limit_without_retry_after_waits_the_default(
    recording_client: HttpClient,
    upstream: FakeUpstream,
    sleeps: list[float],
    policy: Policy,
) -> None:
    upstream.fail(ROUTE, Fault.github_secondary_limit(retry_after=None), times=1)

    assert get_issues(recording_client) == 200
    assert sleeps == [policy.secondary_limit_wait]


def test_the_circuit_opens_after_consecutive_failed_fetches(
    recording_client: HttpClient, upstream: FakeUpstream, policy: Policy
) -> None:
    upstream.fail(ROUTE, Fault.server_error(503))
    kinds = []
    for _ in range(policy.breaker_threshold + 2):
        with pytest.raises(FetchError) as failure:
            get_issues(recording_client)
        kinds.append(failure.value.kind)

    threshold = policy.breaker_threshold
    assert kinds == ["http-503"] * threshold + ["circuit-open"] * 2
    assert upstream.count(ROUTE) == threshold * (1 + policy.retries)


def test_a_success_resets_the_failure_count(
    recording_client: HttpClient, upstream: FakeUpstream, policy: Policy
) -> None:
    for _ in range(policy.breaker_threshold - 1):
        upstream.fail(ROUTE, Fault.server_error(503))
        with pytest.raises(FetchError):
            get_issues(recording_client)
    upstream.heal()
    assert get_issues(recording_client) == 200

    upstream.fail(ROUTE, Fault.server_error(503))
    with pytest.raises(FetchError) as failure:
        get_issues(recording_client)

    assert failure.value.kind == "http-503"


def test_read_timeout_is_enforced(
    endpoints: Endpoints, upstream: FakeUpstream, policy: Policy, timeline: Timeline
) -> None:
    """Headers never come within the read timeout: each attempt times out.

    The deadline is on the timeline, which only sleeps move, so only the
    read timeout can end the attempts.
    """
    upstream.fail(ROUTE, Fault.read_timeout(seconds=5))

    with (
        HttpClient(
            endpoints,
            policy,
            environ={},
            sleep=timeline.sleep,
            monotonic=timeline.monotonic,
        ) as client,
        pytest.raises(FetchError) as failure,
    ):
        get_issues(client)

    assert failure.value.kind == "timeout"
    assert upstream.count(ROUTE) == 1 + policy.retries
    assert len(timeline.sleeps) == policy.retries


def test_a_slow_drip_body_stops_at_the_deadline(
    endpoints: Endpoints, upstream: FakeUpstream, policy: Policy, timeline: Timeline
) -> None:
    """Each look at the clock takes 0.1 s: the 1 s deadline passes after
    ten, long before the dripping body ends, and is not retried."""
    upstream.fail(ROUTE, Fault.drip(interval=0.01))
    timeline.tick = 0.1

    with (
        HttpClient(
            endpoints,
            dataclasses.replace(policy, deadline=1.0),
            environ={},
            sleep=timeline.sleep,
            monotonic=timeline.monotonic,
        ) as client,
        pytest.raises(FetchError) as failure,
    ):
        get_issues(client)

    assert failure.value.kind == "deadline"
    assert upstream.count(ROUTE) == 1
    assert timeline.sleeps == []


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault.truncated_body(), "connection"),
        (Fault.connection_reset(), "connection"),
    ],
)
def test_broken_bodies_are_retried_then_reported(
    recording_client: HttpClient,
    upstream: FakeUpstream,
    policy: Policy,
    fault: Fault,
    kind: str,
) -> None:
    upstream.fail(ROUTE, fault)

    with pytest.raises(FetchError) as failure:
        get_issues(recording_client)

    assert failure.value.kind == kind
    assert upstream.count(ROUTE) == 1 + policy.retries


def test_a_broken_body_followed_by_a_good_one_succeeds(
    recording_client: HttpClient, upstream: FakeUpstream
) -> None:
    upstream.fail(ROUTE, Fault.truncated_body(), times=1)

    assert get_issues(recording_client) == 200


@pytest.mark.parametrize(
    "fault",
    [
        Fault.oversized_body(50 * 1024 * 1024),
        Fault.endless_body(),
        Fault.gzip_bomb(64 * 1024 * 1024),
    ],
    ids=["announced", "endless", "gzip-bomb"],
)
def test_bodies_past_the_size_cap_are_refused_without_retry(
    client: HttpClient, upstream: FakeUpstream, fault: Fault
) -> None:
    upstream.fail(ROUTE, fault)

    with pytest.raises(FetchError) as failure:
        get_issues(client)

    assert failure.value.kind == "too-large"
    assert upstream.count(ROUTE) == 1


def test_the_size_cap_counts_decompressed_bytes(
    endpoints: Endpoints, upstream: FakeUpstream, policy: Policy
) -> None:
    """The bomb is 64 KiB on the wire: only its expansion trips the cap."""
    upstream.fail(ROUTE, Fault.gzip_bomb(64 * 1024 * 1024))
    roomy = dataclasses.replace(policy, max_bytes=1024 * 1024)

    with (
        HttpClient(endpoints, roomy, environ={}) as client,
        pytest.raises(FetchError, match="more than 1048576 bytes"),
    ):
        get_issues(client)


def test_a_redirect_within_the_allowlist_is_followed(
    client: HttpClient, upstream: FakeUpstream
) -> None:
    target = upstream.base_url + ISSUES + "?state=closed"
    upstream.fail(ROUTE, Fault.redirect(target), times=1)

    assert get_issues(client) == 200
    assert upstream.requests[-1].query["state"] == ["closed"]


@pytest.mark.parametrize(
    "location",
    [
        "https://evil.example/steal",
        "http://api.github.com/repos/PyGithub/PyGithub/issues",
        "https://user@api.github.com/x",
        "//evil.example/x",
    ],
)
def test_a_redirect_off_the_allowlist_is_refused(
    client: HttpClient, upstream: FakeUpstream, location: str
) -> None:
    upstream.fail(ROUTE, Fault.redirect(location))

    with pytest.raises(FetchError) as failure:
        get_issues(client)

    assert failure.value.kind == "disallowed-host"
    assert upstream.count(ROUTE) == 1


def test_redirect_loops_stop_after_the_hop_limit(
    client: HttpClient, upstream: FakeUpstream, policy: Policy
) -> None:
    upstream.fail(ROUTE, Fault.redirect(upstream.base_url + ISSUES))

    with pytest.raises(FetchError) as failure:
        get_issues(client)

    assert failure.value.kind == "redirect-loop"
    assert upstream.count(ROUTE) == policy.max_redirects + 1


@pytest.mark.parametrize(
    "location",
    [
        "http://user:s3cret@127.0.0.1:99999/x?token=s3cret",
        "http://[::1:8002/x?token=s3cret",
        "http://user:s3cret@127.0.0.1:8002/x?token=s3cret",
    ],
)
def test_a_refused_redirect_is_named_without_credentials_or_query(
    client: HttpClient, upstream: FakeUpstream, location: str
) -> None:
    upstream.fail(ROUTE, Fault.redirect(location))

    with pytest.raises(FetchError) as failure:
        get_issues(client)

    assert failure.value.kind == "disallowed-host"
    assert "s3" not in str(failure.value)


def test_a_url_with_credentials_is_refused_without_echoing_them(
    client: HttpClient, upstream: FakeUpstream
) -> None:
    url = upstream.base_url.replace("//", "//user:s3cret@") + ISSUES + "?token=s3cret"

    with pytest.raises(FetchError) as failure:
        client.get(url, deadline=client.start_deadline())

    assert failure.value.kind == "disallowed-host"
    assert "s3" not in str(failure.value)
    assert upstream.requests == []


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault.invalid_json(), "invalid-json"),
        (Fault.wrong_content_type(), "content-type"),
    ],
)
def test_bodies_that_are_not_json_are_rejected(
    client: HttpClient, upstream: FakeUpstream, fault: Fault, kind: str
) -> None:
    upstream.fail(ROUTE, fault)
    response = client.get(
        client.endpoints.base("github") + ISSUES, deadline=client.start_deadline()
    )

    with pytest.raises(FetchError) as failure:
        response.json()

    assert failure.value.kind == kind


def test_json_nested_deeper_than_the_stack_is_invalid() -> None:
    headers = CaseInsensitiveDict({"Content-Type": "application/json"})
    response = Response(200, "https://api.github.com/x", headers, b"[" * 100_000)

    with pytest.raises(FetchError) as failure:
        response.json()

    assert failure.value.kind == "invalid-json"
    assert str(failure.value) == "api.github.com/x sent JSON nested too deep"


@pytest.fixture
def split_upstreams(
    recordings: Recordings,
) -> Iterator[tuple[FakeUpstream, FakeUpstream]]:
    """Launchpad and GitHub on two loopback ports, as two hosts."""
    with (
        FakeUpstream(recordings, services=["launchpad"]) as launchpad,
        FakeUpstream(recordings, services=["github"]) as github,
    ):
        yield launchpad, github


CANARY = "ghp_CANARY_http_4f1c2d"


def test_the_token_goes_to_the_github_host_only(
    split_upstreams: tuple[FakeUpstream, FakeUpstream], policy: Policy
) -> None:
    launchpad, github = split_upstreams
    endpoints = parse_endpoints(f"{launchpad.endpoints()},{github.endpoints()}")
    environ = {"GITHUB_TOKEN": CANARY}

    with HttpClient(endpoints, policy, environ=environ) as client:
        get_issues(client.for_service("github"))
        client.for_service("launchpad").get(
            endpoints.base("launchpad") + "/1.0/sahara",
            params={"ws.op": "searchTasks"},
            deadline=client.start_deadline(),
        )

    assert github.requests[0].headers["authorization"] == f"Bearer {CANARY}"
    assert "authorization" not in launchpad.requests[0].headers


def test_on_one_origin_only_github_service_requests_carry_the_token(
    upstream: FakeUpstream, endpoints: Endpoints, policy: Policy
) -> None:
    """Every service of ``upstream`` shares one loopback origin."""
    with HttpClient(endpoints, policy, environ={"GITHUB_TOKEN": CANARY}) as client:
        get_issues(client.for_service("github"))
        client.for_service("launchpad").get(
            endpoints.base("launchpad") + "/1.0/sahara",
            params={"ws.op": "searchTasks"},
            deadline=client.start_deadline(),
        )
        get_issues(client.for_service("files"))
        get_issues(client)

    sent = [(r.route, r.headers.get("authorization")) for r in upstream.requests]
    assert sent == [
        ("github.issues", f"Bearer {CANARY}"),
        ("launchpad.search", None),
        ("github.issues", None),
        ("github.issues", None),
    ]


def test_a_redirect_to_another_host_never_carries_the_token(
    split_upstreams: tuple[FakeUpstream, FakeUpstream], policy: Policy
) -> None:
    other, github = split_upstreams
    endpoints = parse_endpoints(github.endpoints())
    github.fail(ROUTE, Fault.redirect(other.base_url + "/1.0/sahara?ws.op=searchTasks"))

    with (
        HttpClient(endpoints, policy, environ={"GITHUB_TOKEN": CANARY}) as client,
        pytest.raises(FetchError, match="not allowed"),
    ):
        get_issues(client.for_service("github"))

    assert other.requests == []


def test_the_token_is_read_when_each_request_is_built(
    upstream: FakeUpstream, endpoints: Endpoints, policy: Policy
) -> None:
    environ = {"CROSSWORK_GITHUB_TOKEN": "first", "GITHUB_TOKEN": "ignored"}
    with HttpClient(endpoints, policy, environ=environ) as http:
        client = http.for_service("github")
        get_issues(client)
        environ["CROSSWORK_GITHUB_TOKEN"] = "rotated"
        get_issues(client)
        del environ["CROSSWORK_GITHUB_TOKEN"]
        get_issues(client)

    sent = [request.headers["authorization"] for request in upstream.requests]
    assert sent == ["Bearer first", "Bearer rotated", "Bearer ignored"]


def test_errors_and_our_logs_name_no_query_string_and_no_token(
    upstream: FakeUpstream,
    endpoints: Endpoints,
    policy: Policy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    upstream.fail(ROUTE, Fault.server_error(503))

    with (
        HttpClient(endpoints, policy, environ={"GITHUB_TOKEN": CANARY}) as client,
        pytest.raises(FetchError) as failure,
    ):
        client.get(
            endpoints.base("github") + ISSUES + "?labels=secret-label",
            deadline=client.start_deadline(),
        )

    ours = [r.getMessage() for r in caplog.records if r.name == "crosswork.fetch"]
    texts = [str(failure.value), repr(failure.value), *ours]
    encoded = base64.b64encode(CANARY.encode()).decode()
    for text in texts:
        assert "secret-label" not in text
        assert CANARY not in text
        assert encoded not in text
    assert "127.0.0.1" in str(failure.value)
    assert any("retrying" in message for message in ours)


def test_the_log_filter_masks_a_token_that_reaches_a_message(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", CANARY)
    caplog.set_level(logging.INFO, logger="crosswork.fetch")

    logging.getLogger("crosswork.fetch").info("oops %s", CANARY)

    assert CANARY not in caplog.text
    assert "oops ***" in caplog.text
