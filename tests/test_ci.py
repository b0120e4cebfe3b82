"""The CI definitions: the gate sees no secret, the nightly run publishes.

Both the Zuul project file and the GitHub workflows are read with the
strict loader (YAML 1.2: ``on`` stays a key, not ``True``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from crosswork.safeyaml import load_yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
GATE_COMMANDS = ("make lint", "make test", "make docs")
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def load(path: Path) -> Any:
    data, problems = load_yaml(path.relative_to(ROOT).as_posix(), path.read_bytes())
    assert problems == []
    return data.value


# --- Zuul -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zuul() -> dict[str, Any]:
    """The project file's jobs and secrets by name, and its project stanza."""
    items = load(ROOT / ".zuul.yaml")
    found: dict[str, Any] = {"job": {}, "secret": {}, "project": None}
    for item in items:
        ((kind, body),) = item.items()
        if kind == "project":
            found["project"] = body
        else:
            found[kind][body["name"]] = body
    return found


def playbooks(job: dict[str, Any]) -> list[Path]:
    names = [job.get(key, []) for key in ("pre-run", "run", "post-run")]
    flat = [
        n for value in names for n in ([value] if isinstance(value, str) else value)
    ]
    return [ROOT / name for name in flat]


def commands(playbook: Path) -> list[str]:
    """The commands a playbook runs, comments aside."""
    return [
        task["ansible.builtin.command"]
        for play in load(playbook)
        for task in play.get("tasks", [])
        if "ansible.builtin.command" in task
    ]


def lineage(zuul: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The job and its parents defined in this repository."""
    jobs = []
    while name in zuul["job"]:
        jobs.append(zuul["job"][name])
        name = zuul["job"][name].get("parent", "")
    return jobs


def pipeline_jobs(zuul: dict[str, Any], pipeline: str) -> list[str]:
    return [
        job if isinstance(job, str) else next(iter(job))
        for job in zuul["project"][pipeline]["jobs"]
    ]


def test_zuul_check_and_gate_run_lint_tests_and_the_site(zuul: dict) -> None:
    for pipeline in ("check", "gate"):
        names = pipeline_jobs(zuul, pipeline)
        assert names
        for name in names:
            run = [
                command
                for job in lineage(zuul, name)
                for playbook in playbooks(job)
                for command in commands(playbook)
            ]
            for command in GATE_COMMANDS:
                assert command in run, (pipeline, name, command)
            assert not [c for c in run if "publish" in c or "fetch" in c]


def test_zuul_check_and_gate_jobs_see_no_secret(zuul: dict) -> None:
    for pipeline in ("check", "gate"):
        for name in pipeline_jobs(zuul, pipeline):
            for job in lineage(zuul, name):
                assert "secrets" not in job, (pipeline, name)
                for playbook in playbooks(job):
                    text = playbook.read_text()
                    assert "site_upload" not in text and "TOKEN" not in text


def test_zuul_periodic_publishes_with_the_only_secret(zuul: dict) -> None:
    (name,) = pipeline_jobs(zuul, "periodic")
    job = zuul["job"][name]
    secrets = [s["secret"] for s in job["secrets"]]
    assert secrets == list(zuul["secret"])
    users = [n for n, j in zuul["job"].items() if "secrets" in j]
    assert users == [name]
    run = (ROOT / job["run"]).read_text()
    assert "make publish" in run
    assert "CROSSWORK_SITE_URL" in run
    assert "publish.rc not in [0, 3]" in run, "exit 3 uploads, then alerts"


def test_every_zuul_playbook_exists_and_is_a_play_list(zuul: dict) -> None:
    for job in zuul["job"].values():
        for playbook in playbooks(job):
            plays = load(playbook)
            assert plays and all("hosts" in play for play in plays), playbook


# --- GitHub Actions -------------------------------------------------------------


def workflow(name: str) -> dict[str, Any]:
    return load(WORKFLOWS / name)


def run_text(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_every_action_is_pinned_by_a_full_commit_with_its_version() -> None:
    uses = [
        line.split("uses:", 1)[1].strip()
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for line in path.read_text().splitlines()
        if "uses:" in line
    ]
    assert uses
    assert [u for u in uses if not PINNED.match(u)] == []


def test_the_gate_workflow_runs_on_changes_with_read_only_access() -> None:
    gate = workflow("gate.yml")
    assert set(gate["on"]) == {"pull_request", "push"}
    assert gate["permissions"] in ({}, {"contents": "read"})
    for job in gate["jobs"].values():
        assert job["permissions"] in ({}, {"contents": "read"})
        for command in GATE_COMMANDS:
            assert command in run_text(job)


def test_the_gate_workflow_sees_no_secret_or_token() -> None:
    gate = str(workflow("gate.yml"))
    assert "secrets." not in gate
    assert "TOKEN" not in gate.upper()
    assert "CROSSWORK_LIVE" not in gate


def test_the_publish_workflow_runs_nightly_and_on_demand() -> None:
    publish = workflow("publish.yml")
    assert set(publish["on"]) == {"schedule", "workflow_dispatch"}
    assert publish["permissions"] == {}


def test_only_the_deploy_job_may_write_pages() -> None:
    jobs = workflow("publish.yml")["jobs"]
    writers = {n: j["permissions"] for n, j in jobs.items() if "write" in str(j)}
    assert writers == {"deploy": {"pages": "write", "id-token": "write"}}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["alert"]["permissions"] == {}


def test_the_token_reaches_only_the_publish_step_with_the_site_address() -> None:
    jobs = workflow("publish.yml")["jobs"]
    with_token = [
        (name, step.get("name"))
        for name, job in jobs.items()
        for step in job["steps"]
        if "secrets." in str(step)
    ]
    assert with_token == [("build", "Fetch, build, check the data's health")]
    (step,) = [s for s in jobs["build"]["steps"] if s.get("id") == "publish"]
    assert set(step["env"]) == {
        "CROSSWORK_SITE_URL",
        "CROSSWORK_REPOSITORY_URL",
        "GITHUB_TOKEN",
    }
    assert "tox -e publish" in step["run"]
    assert "secrets." not in str(
        {k: v for k, v in jobs["build"].items() if k != "steps"}
    )


def test_the_publish_workflow_deploys_before_it_alerts() -> None:
    jobs = workflow("publish.yml")["jobs"]
    assert jobs["deploy"]["needs"] == "build"
    assert set(jobs["alert"]["needs"]) == {"build", "deploy"}
    assert jobs["alert"]["if"] == "needs.build.outputs.status == '3'"
