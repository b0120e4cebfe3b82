"""CI builds on the site: the charter section, the track page, api/ci.json,
and hostile upstream text kept as text."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import lxml.html
import yaml

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.run import fetch_all
from crosswork.fetch.sources import collect_sources
from crosswork.kinds import KINDS
from crosswork.testing.upstream import FakeUpstream, Recordings
from crosswork.workgroups.registry import load_registry

HOSTILE_JOB = "tox-<script>alert(1)</script>"
ZUUL_BUILD = "https://zuul.opendev.org/t/openstack/build"
TRACK = {
    "name": "gear-check",
    "tenant": "openstack",
    "projects": ["opendev/gear", "zuul/*"],
    "pipelines": ["check"],
    "window": {"builds": 20},
}


def with_hostile_build(recordings: Recordings) -> Recordings:
    """One more recorded gear build, failing, with a hostile name and links."""
    template = next(
        b for b in recordings.zuul_builds if b.get("job_name") == "tox-pep8"
    )
    hostile = copy.deepcopy(template)
    hostile.update(
        uuid="0123456789abcdef0123456789abcdef",
        job_name=HOSTILE_JOB,
        result="FAILURE",
        log_url="javascript:alert(1)",
    )
    passed = copy.deepcopy(hostile)
    passed.update(
        uuid="fedcba9876543210fedcba9876543210",
        result="SUCCESS",
        start_time="2020-09-09T09:05:15",
        log_url="https://evil.example/logs/",
    )
    return dataclasses.replace(
        recordings, zuul_builds=[*recordings.zuul_builds, hostile, passed]
    )


def test_the_charter_shows_gate_health_and_keeps_upstream_text_as_text(
    recordings: Recordings, copy_root, build_site, clock
) -> None:
    site = copy_root("test-site")
    workgroups = site / "repo" / "workgroups"
    for path in workgroups.glob("*.yaml"):
        charter = yaml.safe_load(path.read_text(encoding="utf-8"))
        charter["tracks"] = {"ci": [TRACK]} if path.stem == "alpha" else {}
        path.write_text(yaml.safe_dump(charter, sort_keys=False), encoding="utf-8")
    registry, problems = load_registry(workgroups, kinds=KINDS)
    assert problems == []
    with FakeUpstream(with_hostile_build(recordings), services=["zuul"]) as fake:
        fetch_all(
            collect_sources(registry, KINDS),
            site / "repo" / "snapshot",
            clock=clock,
            endpoints=parse_endpoints(fake.endpoints()),
            environ={},
            sleep=lambda seconds: None,
        )

    app, _ = build_site(site)
    out = Path(app.outdir)

    html = (out / "workgroups" / "alpha.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "javascript:" not in html and "evil.example" not in html
    page = lxml.html.fromstring(html)
    text = page.text_content()
    assert "Gate health" in text
    assert HOSTILE_JOB in text  # shown, as text
    # One recheck-flaky signal: the hostile job failed, then passed on the
    # same change and patchset.
    flaky = page.xpath('//table[contains(@class, "crosswork-ci-flaky")]')[
        0
    ].text_content()
    assert HOSTILE_JOB in flaky and "742165,2" in flaky
    # Example builds link to their Zuul page, never to the hostile log links.
    links = page.xpath('//table[contains(@class, "crosswork-ci-flaky")]//a/@href')
    assert f"{ZUUL_BUILD}/0123456789abcdef0123456789abcdef" in links
    assert f"{ZUUL_BUILD}/fedcba9876543210fedcba9876543210" in links
    # The track follows check only: resets are no data, not zero.
    assert "Gate resets: no gate builds in the window." in text

    track_page = out / "ci" / "alpha.ci.gear-check.html"
    assert "nodepool-functional-container-openstack-release" in (
        track_page.read_text(encoding="utf-8")
    )

    document = json.loads((out / "api" / "ci.json").read_text(encoding="utf-8"))
    assert document["schema_version"] == 2
    [track] = document["tracks"]
    assert track["source"] == "alpha.ci.gear-check"
    jobs = {j["job"]: j for j in track["jobs_stats"]}
    assert jobs[HOSTILE_JOB]["flaky_signals"] == 1
    assert jobs[HOSTILE_JOB]["failure_rate"] == 0.5
    example = jobs[HOSTILE_JOB]["flaky_examples"][0]
    assert example["failed"]["log_url"] is None
    assert example["passed"]["log_url"] is None
    assert example["failed"]["url"] == f"{ZUUL_BUILD}/0123456789abcdef0123456789abcdef"
    assert track["gate"]["resets"] == {}
    assert (
        jobs["nodepool-functional-container-openstack-release"]["results"]["failure"]
        == 1
    )


GATE_TRACK = {
    "name": "gear-gate",
    "tenant": "openstack",
    "projects": ["opendev/gear"],
    "pipelines": ["gate"],
    "window": {"builds": 20},
}


def with_gate_reset(recordings: Recordings) -> Recordings:
    """A gate queue made from the recorded gear build: change 742166 fails
    at 09:00; tox-pep8 of change 742165,2, queued behind it, is canceled
    at 09:01 and run again at 09:02."""
    template = next(
        b for b in recordings.zuul_builds if b.get("job_name") == "tox-pep8"
    )

    def gate_build(uuid: str, result: str, start: str, end: str, **ref) -> dict:
        build = copy.deepcopy(template)
        build.update(
            uuid=uuid,
            result=result,
            pipeline="gate",
            start_time=f"2020-09-10T{start}:00",
            end_time=f"2020-09-10T{end}:00",
            **ref,
        )
        return build

    queue = [
        gate_build("a" * 32, "FAILURE", "08:50", "09:00", change=742166, patchset="1"),
        gate_build("b" * 32, "CANCELED", "08:51", "09:01"),
        gate_build("c" * 32, "SUCCESS", "09:02", "09:06"),
    ]
    return dataclasses.replace(
        recordings, zuul_builds=[*recordings.zuul_builds, *queue]
    )


def test_a_gate_reset_is_shown_with_its_inferred_cause(
    recordings: Recordings, copy_root, build_site, clock
) -> None:
    site = copy_root("test-site")
    workgroups = site / "repo" / "workgroups"
    for path in workgroups.glob("*.yaml"):
        charter = yaml.safe_load(path.read_text(encoding="utf-8"))
        charter["tracks"] = {"ci": [GATE_TRACK]} if path.stem == "alpha" else {}
        path.write_text(yaml.safe_dump(charter, sort_keys=False), encoding="utf-8")
    registry, problems = load_registry(workgroups, kinds=KINDS)
    assert problems == []
    with FakeUpstream(with_gate_reset(recordings), services=["zuul"]) as fake:
        fetch_all(
            collect_sources(registry, KINDS),
            site / "repo" / "snapshot",
            clock=clock,
            endpoints=parse_endpoints(fake.endpoints()),
            environ={},
            sleep=lambda seconds: None,
        )

    app, _ = build_site(site)
    out = Path(app.outdir)

    page = lxml.html.fromstring(
        (out / "workgroups" / "alpha.html").read_text(encoding="utf-8")
    )
    [resets] = page.xpath('//p[contains(@class, "crosswork-ci-resets")]')
    assert resets.text_content().startswith(
        "Gate resets: 1 rerun, caused by tox-pep8 FAILURE on change 742166,1"
    )
    assert "Inferred from build times" in resets.text_content()
    assert resets.xpath(".//a/@href") == [
        f"{ZUUL_BUILD}/{'a' * 32}",
        f"{ZUUL_BUILD}/{'b' * 32}",
        f"{ZUUL_BUILD}/{'c' * 32}",
    ]
    track_page = lxml.html.fromstring(
        (out / "ci" / "alpha.ci.gear-gate.html").read_text(encoding="utf-8")
    )
    [table] = track_page.xpath('//table[contains(@class, "crosswork-ci-resets")]')
    assert "742166,1" in table.text_content()

    document = json.loads((out / "api" / "ci.json").read_text(encoding="utf-8"))
    [track] = document["tracks"]
    gate = track["gate"]["resets"]["gate"]
    assert (gate["builds"], gate["reruns"], gate["unexplained"]) == (3, 1, 0)
    assert gate["causes"][0]["failed"]["change"] == 742166
