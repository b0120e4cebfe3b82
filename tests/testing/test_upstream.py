"""The fake upstream: recorded payloads served the way the real APIs serve them.

Requests go through plain ``requests`` (or a raw socket), not the fetch
client, so these tests pin the fake's behaviour on its own.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from crosswork.testing import loopback_only
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings

ISSUES = "/repos/PyGithub/PyGithub/issues"


pytestmark = pytest.mark.usefixtures("no_network")


@pytest.fixture
def fake(upstream: FakeUpstream) -> FakeUpstream:
    """The fake with every service on one port (``upstream``)."""
    return upstream


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.trust_env = False
        yield session


def get(http: requests.Session, fake: FakeUpstream, path: str, **params: Any) -> Any:
    return http.get(fake.base_url + path, params=params, timeout=5)


def test_recordings_hold_the_corpus_items_verbatim(
    recordings: Recordings, corpus: Path
) -> None:
    recorded = json.loads(
        (
            corpus / "apis/github/issues/list_pygithub_2025_type_wildcard_1.body.json"
        ).read_text()
    )

    served = recordings.github_issues["pygithub/pygithub"]

    assert all(item in served for item in recorded)
    assert len(recordings.launchpad_tasks) == 3
    assert recordings.github_repo_ids["openframeworks/openframeworks"] == 345337


def test_derived_tasks_leave_the_recordings_untouched(recordings: Recordings) -> None:
    derived = recordings.with_launchpad_tasks("sahara", 2, tags=("libvirt",))

    assert len(recordings.launchpad_tasks) == 3
    assert len(derived.launchpad_tasks) == 5
    new = derived.launchpad_tasks[-1]
    assert new["bug_link"].endswith("/bugs/9000002")
    assert new["web_link"] == "https://bugs.launchpad.net/sahara/+bug/9000002"
    assert new["title"].startswith("Bug #9000002 in Sahara: ")
    assert derived.launchpad_tags[9000002] == ("libvirt",)


def test_launchpad_search_returns_the_1_0_envelope(
    http: requests.Session, fake: FakeUpstream
) -> None:
    response = get(
        http,
        fake,
        "/1.0/sahara",
        **{"ws.op": "searchTasks", "status": ["Fix Released"]},
    )

    page = response.json()
    assert response.headers["Content-Type"] == "application/json"
    assert page["total_size"] == 2
    assert page["start"] == 0
    assert "next_collection_link" not in page
    assert [task["bug_target_name"] for task in page["entries"]] == [
        "sahara",
        "sahara/kilo",
    ]


def test_launchpad_filters_on_repeated_status_and_importance_keys(
    http: requests.Session, fake: FakeUpstream
) -> None:
    def total(**params: Any) -> int:
        params["ws.op"] = "searchTasks"
        return get(http, fake, "/1.0/barbican", **params).json()["total_size"]

    assert total(status=["New", "Fix Released"]) == 1
    assert total(status=["New", "Triaged"]) == 0
    assert total(status=["Fix Released"], importance=["High", "Medium"]) == 1
    assert total(status=["Fix Released"], importance=["High"]) == 0
    assert total() == 0  # only unresolved tasks without a status


def test_launchpad_pages_carry_a_memo_in_the_next_link(
    http: requests.Session, recordings: Recordings
) -> None:
    with FakeUpstream(recordings.with_launchpad_tasks("sahara", 4)) as fake:
        params = {"ws.op": "searchTasks", "status": "Fix Released", "ws.size": "2"}
        first = get(http, fake, "/1.0/sahara", **params).json()
        second = http.get(first["next_collection_link"], timeout=5).json()

    assert first["total_size"] == 6
    assert "memo=2" in first["next_collection_link"]
    assert "ws.start=2" in first["next_collection_link"]
    assert "status=Fix+Released" in first["next_collection_link"]
    assert second["start"] == 2
    assert len(second["entries"]) == 2


def test_launchpad_tag_filters_use_the_combinator(
    http: requests.Session, recordings: Recordings
) -> None:
    derived = recordings.with_launchpad_tasks("sahara", 1, tags=("a",))
    derived = derived.with_launchpad_tasks("sahara", 1, tags=("a", "b"))

    with FakeUpstream(derived) as fake:

        def total(**params: Any) -> int:
            params.update({"ws.op": "searchTasks", "status": "Fix Released"})
            return get(http, fake, "/1.0/sahara", **params).json()["total_size"]

        assert total(tags=["a", "b"]) == 1
        assert total(tags=["a", "b"], tags_combinator="Any") == 2
        assert total(tags=["c"]) == 0


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/1.0/nova", {"ws.op": "searchTasks"}, 404),
        ("/1.0/sahara", {"ws.op": "getBugs"}, 400),
        ("/nowhere", {}, 404),
    ],
)
def test_launchpad_errors(
    http: requests.Session,
    fake: FakeUpstream,
    path: str,
    params: dict[str, str],
    status: int,
) -> None:
    assert get(http, fake, path, **params).status_code == status


def test_github_lists_issues_and_pull_requests_newest_first(
    http: requests.Session, fake: FakeUpstream
) -> None:
    response = get(
        http, fake, "/repos/openframeworks/openFrameworks/issues", per_page=100
    )

    items = response.json()
    assert len(items) == 30
    assert sum("pull_request" in item for item in items) == 7
    assert [item["number"] for item in items] == sorted(
        (item["number"] for item in items), reverse=True
    )


def test_github_filters_on_state_and_all_labels(
    http: requests.Session, fake: FakeUpstream
) -> None:
    def numbers(**params: str) -> list[int]:
        return [item["number"] for item in get(http, fake, ISSUES, **params).json()]

    assert numbers() == [3379, 3373, 3372]
    assert numbers(state="closed", labels="bug") == [3364, 28]
    assert numbers(state="all", labels="bug,question") == [28]
    assert get(http, fake, ISSUES, state="bogus").status_code == 422


def test_github_pages_chain_through_the_repository_id(
    http: requests.Session, fake: FakeUpstream
) -> None:
    first = get(http, fake, ISSUES, state="all", per_page=3)
    second = http.get(first.links["next"]["url"], timeout=5)
    last = http.get(first.links["last"]["url"], timeout=5)

    assert "/repositories/13688273/issues?" in first.links["next"]["url"]
    assert "state=all" in first.links["next"]["url"]
    assert "prev" not in first.links
    assert set(second.links) == {"next", "last", "prev", "first"}
    assert "next" not in last.links
    assert [len(page.json()) for page in (first, second, last)] == [3, 3, 2]


def test_github_sends_etags_and_rate_limit_headers(
    http: requests.Session, fake: FakeUpstream
) -> None:
    anonymous = get(http, fake, ISSUES)
    token = http.get(
        fake.base_url + ISSUES, headers={"Authorization": "Bearer t"}, timeout=5
    )

    assert anonymous.headers["ETag"].startswith('W/"')
    assert anonymous.headers["X-RateLimit-Limit"] == "60"
    assert anonymous.headers["X-RateLimit-Remaining"] == "59"
    assert token.headers["X-RateLimit-Limit"] == "5000"
    assert int(anonymous.headers["X-RateLimit-Reset"]) > time.time()


def test_a_matching_if_none_match_gets_an_empty_304_and_is_counted(
    http: requests.Session, fake: FakeUpstream
) -> None:
    etag = get(http, fake, ISSUES).headers["ETag"]

    again = http.get(fake.base_url + ISSUES, headers={"If-None-Match": etag}, timeout=5)
    other = http.get(
        fake.base_url + ISSUES, headers={"If-None-Match": 'W/"x"'}, timeout=5
    )

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    assert other.status_code == 200
    assert fake.conditional_hits("github.issues") == 1
    assert fake.count("github.issues") == 3


def test_requests_are_counted_per_route(
    http: requests.Session, fake: FakeUpstream
) -> None:
    get(http, fake, ISSUES)
    get(http, fake, "/repositories/13688273/issues")
    get(http, fake, "/1.0/sahara", **{"ws.op": "searchTasks"})
    get(http, fake, "/elsewhere")

    assert fake.count("github.issues") == 2
    assert fake.count("launchpad.search") == 1
    assert fake.count("unmatched") == 1
    assert [r.route for r in fake.requests] == [
        "github.issues",
        "github.issues",
        "launchpad.search",
        "unmatched",
    ]


def test_faults_fire_after_and_for_the_requested_counts(
    http: requests.Session, fake: FakeUpstream
) -> None:
    fake.fail("github.issues", Fault.server_error(503), after=1, times=2)

    statuses = [get(http, fake, ISSUES).status_code for _ in range(5)]

    assert statuses == [200, 503, 503, 200, 200]


def test_arming_an_unknown_route_is_an_error(fake: FakeUpstream) -> None:
    with pytest.raises(KeyError):
        fake.fail("nowhere.changes", Fault.server_error())


@pytest.mark.parametrize(
    ("fault", "status", "headers"),
    [
        (Fault.server_error(500), 500, {}),
        (Fault.server_error(503), 503, {}),
        (Fault.too_many_requests("2"), 429, {"Retry-After": "2"}),
        (Fault.github_rate_limit(), 403, {"X-RateLimit-Remaining": "0"}),
        (Fault.github_secondary_limit("60"), 403, {"Retry-After": "60"}),
        (
            Fault.redirect("https://evil.example/x"),
            302,
            {"Location": "https://evil.example/x"},
        ),
        (Fault.wrong_content_type(), 200, {"Content-Type": "text/html; charset=utf-8"}),
    ],
)
def test_status_faults(
    http: requests.Session,
    fake: FakeUpstream,
    fault: Fault,
    status: int,
    headers: dict[str, str],
) -> None:
    fake.fail("github.issues", fault)

    response = http.get(fake.base_url + ISSUES, allow_redirects=False, timeout=5)

    assert response.status_code == status
    assert headers.items() <= dict(response.headers).items()


def test_the_rate_limit_fault_resets_in_the_future(
    http: requests.Session, recordings: Recordings
) -> None:
    with FakeUpstream(recordings, now=lambda: 1_800_000_000.5) as fake:
        fake.fail("github.issues", Fault.github_rate_limit(reset_in=3600))
        response = get(http, fake, ISSUES)

    assert response.headers["X-RateLimit-Reset"] == "1800003600"
    assert response.json()["message"].startswith("API rate limit exceeded")


def test_invalid_json_and_wrong_schema_faults(
    http: requests.Session, fake: FakeUpstream
) -> None:
    fake.fail("github.issues", Fault.invalid_json(), times=1)
    broken = get(http, fake, ISSUES)
    fake.fail("github.issues", Fault.wrong_schema(), times=1)
    unexpected = get(http, fake, ISSUES)

    with pytest.raises(ValueError):
        json.loads(broken.content)
    assert unexpected.json() == {"unexpected": True}


def raw_exchange(
    fake: FakeUpstream, path: str, budget: float = 5
) -> tuple[bytes, float]:
    """What the fake sends for one request within ``budget`` seconds (at most 1 MiB)."""
    host, port = fake.base_url.removeprefix("http://").split(":")
    started = time.monotonic()
    received = b""
    with socket.create_connection((host, int(port)), timeout=budget) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        with contextlib.suppress(ConnectionResetError, TimeoutError):
            while len(received) <= 1024 * 1024:
                left = budget - (time.monotonic() - started)
                if left <= 0:
                    break
                connection.settimeout(left)
                chunk = connection.recv(65536)
                if not chunk:
                    break
                received += chunk
    return received, time.monotonic() - started


def test_a_truncated_body_is_shorter_than_its_content_length(
    fake: FakeUpstream,
) -> None:
    fake.fail("github.issues", Fault.truncated_body())

    received, _ = raw_exchange(fake, ISSUES)

    head, _, body = received.partition(b"\r\n\r\n")
    length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    assert 0 < len(body) < length


def test_a_connection_reset_cuts_the_body_with_a_tcp_reset(fake: FakeUpstream) -> None:
    fake.fail("github.issues", Fault.connection_reset())
    host, port = fake.base_url.removeprefix("http://").split(":")

    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(f"GET {ISSUES} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(0.2)
        with pytest.raises(ConnectionResetError):
            while connection.recv(65536):
                pass


def test_a_drip_sends_the_body_slowly(fake: FakeUpstream) -> None:
    fake.fail("github.issues", Fault.drip(interval=0.01))

    received, _ = raw_exchange(fake, ISSUES, budget=0.3)

    head, _, body = received.partition(b"\r\n\r\n")
    assert b"200 OK" in head
    assert 5 <= len(body) <= 40


def test_a_read_timeout_delays_the_headers(fake: FakeUpstream) -> None:
    fake.fail("github.issues", Fault.read_timeout(seconds=5))

    received, elapsed = raw_exchange(fake, ISSUES, budget=0.3)

    assert received == b""
    assert elapsed >= 0.3


def test_an_oversized_body_announces_its_size(fake: FakeUpstream) -> None:
    fake.fail("github.issues", Fault.oversized_body(50 * 1024 * 1024))

    received, _ = raw_exchange(fake, ISSUES)

    assert b"Content-Length: 52428800" in received


def test_an_endless_body_is_chunked_without_end(fake: FakeUpstream) -> None:
    fake.fail("github.issues", Fault.endless_body())

    received, _ = raw_exchange(fake, ISSUES)

    assert b"Transfer-Encoding: chunked" in received
    assert len(received) > 1024 * 1024


def test_a_gzip_bomb_is_small_on_the_wire_and_huge_expanded(
    http: requests.Session, fake: FakeUpstream
) -> None:
    fake.fail("github.issues", Fault.gzip_bomb(8 * 1024 * 1024))

    response = http.get(fake.base_url + ISSUES, stream=True, timeout=5)
    wire = response.raw.read(decode_content=False)

    assert response.headers["Content-Encoding"] == "gzip"
    assert len(wire) < 64 * 1024
    assert len(gzip.decompress(wire)) == 8 * 1024 * 1024


def test_the_fake_listens_on_loopback_only(recordings: Recordings) -> None:
    with pytest.raises(ValueError, match="loopback only"):
        FakeUpstream(recordings, host="0.0.0.0")


def test_endpoints_name_each_served_service(recordings: Recordings) -> None:
    with FakeUpstream(recordings, services=["github"]) as fake:
        assert fake.endpoints() == f"github={fake.base_url}"
        assert fake.base_url.startswith("http://127.0.0.1:")


def test_it_runs_as_a_module_and_prints_its_endpoints(corpus: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "crosswork.testing.upstream", "--root", str(corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        name, _, value = line.partition("=")
        base = value.split(",")[0].split("=", 1)[1]
        response = requests.get(base + "/1.0/sahara?ws.op=searchTasks", timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=10)

    assert name == "CROSSWORK_ENDPOINTS"
    services = ("launchpad", "github", "osv", "zuul", "gerrit", "files")
    assert value == ",".join(f"{service}={base}" for service in services)
    assert response.status_code == 200


def test_the_guard_refuses_connections_beyond_loopback() -> None:
    with loopback_only() as refused:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("192.0.2.1", 80), timeout=1)
        with pytest.raises(socket.gaierror):
            socket.getaddrinfo("example.invalid", 443)

    assert refused == ["connect to 192.0.2.1:80", "lookup of example.invalid"]
