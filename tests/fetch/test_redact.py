"""URLs in messages: host and path only, whatever the URL holds."""

from __future__ import annotations

import pytest

from crosswork.fetch.redact import redact_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://API.GitHub.com/repos/a/b/issues?state=all",
            "api.github.com/repos/a/b/issues",
        ),
        (
            "http://127.0.0.1:8001/1.0/nova?ws.op=searchTasks#x",
            "127.0.0.1:8001/1.0/nova",
        ),
        ("http://[::1]:8002/x", "[::1]:8002/x"),
        ("http://user:s3cret@127.0.0.1:8002/x", "***@127.0.0.1:8002/x"),
        ("http://user:s3cret@127.0.0.1:99999/x?token=s3cret", "***@127.0.0.1:99999/x"),
        ("http://user:s3/cret@127.0.0.1:8002", "***@127.0.0.1:8002"),
        ("http://user:s3?cret@127.0.0.1:8002", "***@127.0.0.1:8002"),
        ("http://user:s3#cret@127.0.0.1:8002", "***@127.0.0.1:8002"),
        ("http://[::1:8002/?token=s3cret", "[::1:8002/"),
        ("user:s3cret@127.0.0.1:8002", "***@127.0.0.1:8002"),
        ("//evil.example/x?token=s3cret", "evil.example/x"),
        ("launchpad", "launchpad"),
        ("", ""),
    ],
)
def test_a_url_is_shown_without_credentials_query_or_fragment(
    url: str, shown: str
) -> None:
    assert redact_url(url) == shown
    assert "s3" not in redact_url(url)
