"""``crosswork publish``: one fresh folder to upload, or a clear refusal.

The end-to-end runs publish a copy of this repository's site (its tracked
charters, specs, pages and snapshot) against the fake upstream, into
``tmp_path``: the work tree is never written to.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosswork.cli import main
from crosswork.fetch.snapshot import STATUS_FILE
from crosswork.publish import (
    EXIT_BUILD_FAILED,
    EXIT_REFUSED,
    EXIT_UNHEALTHY,
    address_findings,
    build_environment,
    output_problem,
    site_address_problem,
)
from crosswork.testing.upstream import FakeUpstream, Fault

SITE_URL = "https://workgroups.crosswork.dev/"
#: The folders of the repository a site build reads.
SITE_FOLDERS = ("conf.py", "doc", "workgroups", "specs", "snapshot")


# --- The site address ---------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "is not set"),
        ("workgroups.crosswork.dev", "https URL"),
        ("http://workgroups.crosswork.dev/", "https URL"),
        ("https://", "https URL"),
        ("https://user:secret@workgroups.crosswork.dev/", "plain address"),
        ("https://workgroups.crosswork.dev/?page=1", "plain address"),
        ("https://127.0.0.1:8000/", "loopback or placeholder"),
        ("https://[::1]/", "loopback or placeholder"),
        ("https://localhost/", "loopback or placeholder"),
        ("https://10.0.0.8/", "loopback or placeholder"),
        ("https://site.crosswork.invalid/", "loopback or placeholder"),
        ("https://crosswork.example.org/", "loopback or placeholder"),
    ],
)
def test_a_site_address_must_be_public_https(url: str, reason: str) -> None:
    problem = site_address_problem(url)
    assert reason in problem
    assert "secret" not in problem


@pytest.mark.parametrize(
    "url", [SITE_URL, "https://docs.crosswork.dev/workgroups", "https://10.example.dev"]
)
def test_a_public_https_address_is_accepted(url: str) -> None:
    assert site_address_problem(url) == ""


def test_the_output_folder_is_a_build_folder_or_outside_the_repository(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    assert output_problem(repo / "build" / "publish", repo) == ""
    assert output_problem(tmp_path / "site", repo) == ""
    assert "holds the repository" in output_problem(repo, repo)
    assert "holds the repository" in output_problem(tmp_path, repo)
    assert "not in build/" in output_problem(repo / "doc" / "source", repo)
    assert "not in build/" in output_problem(repo / "build", repo)


def test_the_build_gets_the_site_address_and_no_token_or_live_fetch() -> None:
    environ = {
        "PATH": "/usr/bin",
        "GITHUB_TOKEN": "t1",
        "CROSSWORK_GITHUB_TOKEN": "t2",
        "CROSSWORK_LIVE": "1",
        "CROSSWORK_SITE_URL": "https://old.crosswork.dev/",
    }

    env = build_environment(environ, SITE_URL)

    assert env == {"PATH": "/usr/bin", "CROSSWORK_SITE_URL": SITE_URL}


# --- The published addresses --------------------------------------------------


def test_loopback_links_and_placeholder_addresses_are_found_where_they_are(
    tmp_path: Path,
) -> None:
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "index.html").write_text(
        '<p>ok</p>\n<a href="http://127.0.0.1:8001/builds">x</a>\n'
    )
    (tmp_path / "specs.atom").write_text("<id>https://site.crosswork.invalid/</id>")
    (tmp_path / "api.json").write_text('{"contact": "dev@crosswork.invalid"}')
    # The theme's assets are not pages, and a loopback named in prose is no link.
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "theme.js.map").write_text("http://127.0.0.1:8000/")
    (tmp_path / "guide.html").write_text("<p>the fake listens on 127.0.0.1</p>")

    found = [str(finding) for finding in address_findings(tmp_path)]

    assert found == [
        "api.json:1:14: P102 placeholder address 'dev@crosswork.invalid' "
        "in a published file",
        "ci/index.html:2:10: P101 loopback address 'http://127.0.0.1' "
        "in a published file",
        "specs.atom:1:11: P102 placeholder address 'site.crosswork.invalid' "
        "in a published file",
    ]


# --- Whole runs -----------------------------------------------------------------


@pytest.fixture
def site_copy(repo_root: Path, tmp_path: Path) -> Path:
    """The repository's tracked site files, copied to ``tmp_path / "repo"``."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "--", *SITE_FOLDERS],
        cwd=repo_root,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    copy = tmp_path / "repo"
    for name in filter(None, (path.decode() for path in tracked)):
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((repo_root / name).read_bytes())
    return copy


@pytest.fixture
def publish_env(
    upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeUpstream]:
    """The fetch points at the fake upstream, with no token and no live build."""
    monkeypatch.setenv("CROSSWORK_ENDPOINTS", upstream.endpoints())
    for name in ("GITHUB_TOKEN", "CROSSWORK_GITHUB_TOKEN", "CROSSWORK_LIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("CROSSWORK_SITE_URL", raising=False)
    yield upstream


def run_publish(repo: Path, tmp_path: Path, *extra: str) -> int:
    return main(
        [
            "--root",
            str(repo),
            "publish",
            "--output",
            str(tmp_path / "out" / "site"),
            "--snapshot",
            str(tmp_path / "snapshot"),
            *extra,
        ]
    )


def published_text(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(errors="replace")
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_without_a_site_address_publish_refuses_before_anything_runs(
    site_copy: Path,
    tmp_path: Path,
    publish_env: FakeUpstream,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = run_publish(site_copy, tmp_path)

    err = capsys.readouterr().err
    assert status == EXIT_REFUSED
    assert err == (
        "publish: refused: CROSSWORK_SITE_URL is not set: "
        "publishing needs the site's address\n"
    )
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "snapshot").exists()
    assert publish_env.requests == []


@pytest.mark.usefixtures("no_network")
def test_a_night_publishes_one_fresh_folder_with_the_site_address(
    site_copy: Path,
    tmp_path: Path,
    publish_env: FakeUpstream,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CROSSWORK_SITE_URL", SITE_URL)
    canary = f"canary-{uuid.uuid4()}"
    monkeypatch.setenv("GITHUB_TOKEN", canary)
    site = tmp_path / "out" / "site"
    site.mkdir(parents=True)
    (site / "left-from-last-night.html").write_text("old")

    status = run_publish(site_copy, tmp_path)

    output = capsys.readouterr()
    assert publish_env.requests, "the fetch asked the upstream"
    # The recordings lack some Launchpad projects the charters track, so the
    # health check asks for attention; the folder is complete all the same.
    assert status == EXIT_UNHEALTHY, output.err
    assert "missing [http-404" in output.out
    assert f"publish: building {SITE_URL} into {site}" in output.out
    assert (site / "index.html").is_file()
    assert (site / "status.html").is_file()
    assert not (site / "left-from-last-night.html").exists()
    assert [p.name for p in site.parent.iterdir()] == ["site"], "no work folder left"
    statuses = json.loads((tmp_path / "snapshot" / STATUS_FILE).read_text())
    assert statuses
    files = published_text(site)
    # The reference pages document the fake upstream itself, and the theme's
    # source maps name its authors' dev server: prose and assets, not data.
    data = {
        name: text
        for name, text in files.items()
        if not name.startswith(("_static/", "reference/", "_sources/"))
        and name != "searchindex.js"
    }
    assert [n for n, text in data.items() if "127.0.0.1" in text] == []
    assert [n for n, text in files.items() if "crosswork.invalid" in text] == []
    feeds = [name for name in files if name.endswith(".atom")]
    assert "specs/specs.atom" in feeds
    for name in feeds:
        assert f"<id>{SITE_URL}" in files[name], name
    # The token went to the GitHub stand-in, and nowhere else.
    github = [r for r in publish_env.requests if r.route.startswith("github.")]
    assert github
    assert all(r.headers["authorization"] == f"Bearer {canary}" for r in github)
    snapshot = published_text(tmp_path / "snapshot")
    for name, text in {
        **files,
        **snapshot,
        "out": output.out,
        "err": output.err,
    }.items():
        assert canary not in text, name
    # The work tree of the copy is untouched: the fetch wrote elsewhere.
    assert (site_copy / "snapshot").is_dir()
    assert not (site_copy / "build").exists()


@pytest.mark.usefixtures("no_network")
def test_a_night_of_failing_upstreams_still_publishes_and_alerts(
    site_copy: Path,
    tmp_path: Path,
    publish_env: FakeUpstream,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CROSSWORK_SITE_URL", SITE_URL)
    for route in publish_env.routes:
        publish_env.fail(route.name, Fault.server_error(503))

    status = run_publish(site_copy, tmp_path)

    output = capsys.readouterr()
    assert status == EXIT_UNHEALTHY
    assert (tmp_path / "out" / "site" / "index.html").is_file()
    assert "need attention" in output.out
    assert "stale" in output.out
    assert "is ready to upload, but the data needs attention" in output.err
    statuses = json.loads((tmp_path / "snapshot" / STATUS_FILE).read_text())
    assert statuses


@pytest.mark.usefixtures("no_network")
def test_a_content_error_fails_the_night_and_leaves_nothing_to_upload(
    site_copy: Path,
    tmp_path: Path,
    publish_env: FakeUpstream,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CROSSWORK_SITE_URL", SITE_URL)
    charter = site_copy / "workgroups" / "common.yaml"
    broken = charter.read_text().replace("status: active\n", "status: ?\n", 1)
    charter.write_text(broken)
    site = tmp_path / "out" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("last night")

    status = run_publish(site_copy, tmp_path)

    output = capfd.readouterr()
    assert status == EXIT_BUILD_FAILED
    assert "workgroups/common.yaml:4:9: " in output.err
    assert "publish: the build failed: nothing to upload" in output.err
    assert not (tmp_path / "out" / "site").exists()
    assert list((tmp_path / "out").iterdir()) == [], "no work folder left"
