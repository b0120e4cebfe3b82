"""Offline builds open no socket; live builds fetch once; tokens leak nowhere."""

from __future__ import annotations

import base64
import logging
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from crosswork.site.pagedata import LIVE_FOLDER
from crosswork.testing.upstream import FakeUpstream

from .conftest import Build, Fetch, FilesOf


@contextmanager
def no_sockets() -> Iterator[list[str]]:
    """Refuse every connection and name lookup, loopback included."""
    attempts: list[str] = []
    patched = {
        (socket.socket, "connect"): None,
        (socket.socket, "connect_ex"): None,
        (socket, "create_connection"): None,
        (socket, "getaddrinfo"): None,
    }

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[-1] if args else kwargs))
        raise OSError("test guard: offline builds open no socket")

    for owner, name in patched:
        patched[owner, name] = getattr(owner, name)
        setattr(owner, name, refuse)
    try:
        yield attempts
    finally:
        for (owner, name), original in patched.items():
            setattr(owner, name, original)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, upstream: FakeUpstream) -> None:
    """Endpoints of the fake in the environment, no token unless a test sets one."""
    monkeypatch.setenv("CROSSWORK_ENDPOINTS", upstream.endpoints())
    for name in ("GITHUB_TOKEN", "CROSSWORK_GITHUB_TOKEN", "CROSSWORK_LIVE"):
        monkeypatch.delenv(name, raising=False)


def requests_to(upstream: FakeUpstream) -> int:
    return upstream.count("launchpad.search") + upstream.count("github.issues")


def test_the_guard_refuses_loopback_too(upstream: FakeUpstream):
    host, port = upstream.base_url.removeprefix("http://").split(":")
    with no_sockets() as attempts, pytest.raises(OSError, match="test guard"):
        socket.create_connection((host, int(port)), timeout=1)
    assert attempts == [repr((host, int(port)))]


@pytest.mark.usefixtures("environment")
def test_an_offline_build_opens_no_socket(
    fetch: Fetch, build: Build, upstream: FakeUpstream
):
    fetch()
    fetched = requests_to(upstream)

    with no_sockets() as attempts:
        built = build()

    assert attempts == []
    assert requests_to(upstream) == fetched
    assert built.app.statuscode == 0
    assert "8 bugs." in built.page("launchpad")


@pytest.mark.usefixtures("environment")
def test_a_live_build_fetches_once_into_the_doctree_folder(
    build: Build,
    upstream: FakeUpstream,
    files_of: FilesOf,
    site: Path,
):
    repository = files_of(site / "repo")

    built = build(confoverrides={"crosswork_live": True})

    assert built.app.statuscode == 0
    assert upstream.count("launchpad.search") == 2  # sahara, barbican
    assert upstream.count("github.issues") == 1
    live = Path(built.app.doctreedir) / LIVE_FOLDER
    assert sorted(p.name for p in live.glob("*.bugs.*.json")) == [
        "common.bugs.pygithub.json",
        "quality.bugs.barbican.json",
        "quality.bugs.sahara.json",
    ]
    assert files_of(site / "repo") == repository
    assert "8 bugs." in built.page("launchpad")
    assert "No data yet" not in built.page("workgroups/quality")


@pytest.mark.usefixtures("environment")
def test_a_canary_token_appears_nowhere(
    build: Build,
    upstream: FakeUpstream,
    files_of: FilesOf,
    site: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
):
    canary = f"canary-{uuid.uuid4()}"
    monkeypatch.setenv("GITHUB_TOKEN", canary)
    caplog.set_level(logging.DEBUG)

    built = build(confoverrides={"crosswork_live": True})

    issues = [r for r in upstream.requests if r.route == "github.issues"]
    assert issues[0].headers["authorization"] == f"Bearer {canary}"
    captured = capsys.readouterr()
    forms = [canary, base64.b64encode(canary.encode()).decode(), quote(canary)]
    logs = [built.app.status.getvalue(), built.warnings, caplog.text]
    logs += [captured.out, captured.err]
    for form in forms:
        assert not any(form in text for text in logs)
        for name, data in files_of(site).items():
            assert form.encode() not in data, name
    assert (Path(built.app.doctreedir) / "environment.pickle").is_file()
