"""Endpoints: where each service lives and which URLs may be contacted."""

from __future__ import annotations

import pytest

from crosswork.fetch.endpoints import (
    ALLOWED_HOSTS,
    DEFAULT_BASES,
    EndpointError,
    endpoints_from_environ,
    parse_endpoints,
)


def test_without_overrides_every_service_is_https_on_an_allowed_host() -> None:
    endpoints = parse_endpoints(None)

    assert dict(endpoints.bases) == dict(DEFAULT_BASES)
    assert set(endpoints.bases) == {
        "launchpad",
        "github",
        "gerrit",
        "osv",
        "zuul",
        "files",
    }
    assert all(endpoints.permits(base + "/x") for base in endpoints.bases.values())
    assert {
        "api.launchpad.net",
        "api.github.com",
        "review.opendev.org",
        "api.osv.dev",
        "zuul.opendev.org",
        "opendev.org",
    } == ALLOWED_HOSTS


def test_overrides_point_services_at_loopback_and_keep_the_others() -> None:
    endpoints = parse_endpoints(
        "launchpad=http://127.0.0.1:8001, github=http://[::1]:8002/"
    )

    assert endpoints.base("launchpad") == "http://127.0.0.1:8001"
    assert endpoints.base("github") == "http://[::1]:8002"
    assert endpoints.base("osv") == DEFAULT_BASES["osv"]
    # Data from an override is sample data; the others are the upstreams'.
    assert endpoints.overridden("launchpad") and endpoints.overridden("github")
    assert not endpoints.overridden("osv")


def test_the_variable_is_read_from_the_given_environment() -> None:
    environ = {"CROSSWORK_ENDPOINTS": "files=http://127.0.0.1:9000"}

    assert endpoints_from_environ(environ).base("files") == "http://127.0.0.1:9000"
    assert endpoints_from_environ({}).base("files") == DEFAULT_BASES["files"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("jira=http://127.0.0.1:1", "expected SERVICE=URL"),
        ("launchpad", "expected SERVICE=URL"),
        ("launchpad=http://127.0.0.1:1,launchpad=http://127.0.0.1:2", "named twice"),
        ("github=http://api.github.com", "neither a loopback address"),
        ("github=https://evil.example", "neither a loopback address"),
        ("github=http://localhost:8002", "neither a loopback address"),
        ("github=http://10.0.0.1:8002", "neither a loopback address"),
        ("github=http://user:pw@127.0.0.1:8002", "credentials"),
        ("github=http://127.0.0.1:8002/?token=x", "credentials or a query"),
        ("github=ftp://127.0.0.1/", r"not an http\(s\) URL"),
        ("github=http://127.0.0.1:99999", "not a URL"),
    ],
)
def test_an_override_off_loopback_or_malformed_is_refused(
    value: str, message: str
) -> None:
    with pytest.raises(EndpointError, match=message):
        parse_endpoints(value)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://api.launchpad.net/1.0/nova", True),
        ("https://API.GitHub.com/repos/a/b/issues", True),
        ("https://api.github.com:443/x", True),
        ("http://api.github.com/x", False),
        ("https://api.github.com:8443/x", False),
        ("https://user@api.github.com/x", False),
        ("https://api.github.com.evil.example/x", False),
        ("https://evil.example/x", False),
        ("http://127.0.0.1:8001/1.0/nova", True),
        ("http://127.0.0.1:8003/x", False),
        ("http://127.0.0.2:8001/x", False),
        ("http://[::1]:8001/x", False),
        ("javascript:alert(1)", False),
    ],
)
def test_only_allowlisted_https_hosts_and_override_origins_are_permitted(
    url: str, allowed: bool
) -> None:
    endpoints = parse_endpoints("launchpad=http://127.0.0.1:8001")

    assert endpoints.permits(url) is allowed


@pytest.mark.parametrize(
    ("url", "receives"),
    [
        ("https://api.github.com/repos/a/b/issues", True),
        ("http://api.github.com/repos/a/b/issues", False),
        ("https://api.github.com:8443/x", False),
        ("https://api.launchpad.net/1.0/nova", False),
        ("http://127.0.0.1:8002/repos/a/b/issues", True),
        ("http://127.0.0.1:8001/1.0/nova", False),
    ],
)
def test_the_github_token_goes_to_the_github_api_or_its_loopback_override_only(
    url: str, receives: bool
) -> None:
    endpoints = parse_endpoints(
        "launchpad=http://127.0.0.1:8001,github=http://127.0.0.1:8002"
    )

    assert endpoints.receives_github_token(url) is receives


def test_without_a_github_override_no_loopback_url_receives_the_token() -> None:
    endpoints = parse_endpoints("launchpad=http://127.0.0.1:8001")

    assert not endpoints.receives_github_token("http://127.0.0.1:8001/repos/a/b")


def test_per_host_limits_are_keyed_by_host_and_port() -> None:
    endpoints = parse_endpoints("launchpad=http://127.0.0.1:8001")

    assert endpoints.host_of("launchpad") == "127.0.0.1:8001"
    assert endpoints.host_of("github") == "api.github.com:443"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("github=http://user:s3cret@127.0.0.1:99999/?token=s3cret", "not a URL"),
        ("github=http://[::1:8002/?token=s3cret", "not a URL"),
        ("github=http://user:s3/cret@127.0.0.1:8002", "not a URL"),
        ("gihtub=http://user:s3cret@127.0.0.1:8002", "'gihtub': expected SERVICE=URL"),
        ("http://user:s3cret@127.0.0.1:8002", "expected SERVICE=URL"),
        ("http://127.0.0.1:8002/?token=s3cret&a=b", "expected SERVICE=URL"),
        ("github=http://user:s3cret@127.0.0.1:8002", "credentials"),
        ("github=http://127.0.0.1:8002/?token=s3cret", "credentials or a query"),
        ("github=http://user/s3cret@evil.example", "neither a loopback address"),
    ],
)
def test_refusals_never_echo_a_password_or_query(value: str, message: str) -> None:
    with pytest.raises(EndpointError, match=message) as refusal:
        parse_endpoints(value)

    assert "s3" not in str(refusal.value)


def test_a_message_names_a_stand_in_never_its_address() -> None:
    endpoints = parse_endpoints(
        "launchpad=http://127.0.0.1:8001,github=http://127.0.0.1:8001"
    )
    message = "127.0.0.1:8001/1.0/nova answered HTTP 404"
    assert endpoints.name_stand_ins(message, "launchpad") == (
        "[launchpad stand-in]/1.0/nova answered HTTP 404"
    )
    # One origin for two services: named after the one the message is about.
    assert endpoints.name_stand_ins(message, "github").startswith("[github stand-in]")
    public = "api.launchpad.net/1.0/nova answered HTTP 404"
    assert endpoints.name_stand_ins(public, "launchpad") == public
