"""Gate resets: canceled gate builds run again, and their likely cause.

The data set is small, in the recorded build shape (pre-10, flat ref
fields, as ``builds_list_opendev_2020_pre_v10.json``), with a gate
pipeline; every figure is worked out by hand in the comments.
"""

from __future__ import annotations

from docutils import nodes

from crosswork.kinds.ci.analysis import (
    gate_health,
    gate_resets,
    job_stats,
    likely_cause,
    reset_reruns,
)
from crosswork.kinds.ci.export import resets_record
from crosswork.kinds.ci.model import Build, normalize_build
from crosswork.kinds.ci.views import resets_summary


def build(
    uuid: str,
    job: str,
    result: str | None,
    *,
    change: int,
    start: str,
    end: str | None,
    patchset: str = "1",
    project: str = "openstack/nova",
    pipeline: str = "gate",
    voting: bool = True,
) -> Build:
    """A build as the builds list sends it before Zuul 10."""
    return normalize_build(
        {
            "uuid": uuid,
            "job_name": job,
            "result": result,
            "held": False,
            "start_time": f"2026-11-02T{start}:00",
            "end_time": None if end is None else f"2026-11-02T{end}:00",
            "duration": None,
            "voting": voting,
            "log_url": None,
            "final": True,
            "project": project,
            "branch": "master",
            "pipeline": pipeline,
            "change": change,
            "patchset": patchset,
            "ref": f"refs/changes/{change % 100:02d}/{change}/{patchset}",
            "buildset": {"uuid": f"set-{uuid}"},
        }
    )


#: The gate queue of 2 November (times HH:MM, UTC):
#:   f10    change 10,1 tempest-full   FAILURE       10:00-10:30  the failure
#:   f16    change 16,1 tempest-full   POST_FAILURE  09:50-10:29  a failure too
#:   c11a   change 11,2 tempest-full   CANCELED      10:05-10:31  then s11a: rerun 1
#:   c11b   change 11,2 nova-grenade   ABORTED       10:06-10:33  then s11b: rerun 2
#:   c12    change 12,1 tempest-full   CANCELED      10:07-10:40  then s12:  rerun 3
#:   c13    change 13,1 tempest-full   DEQUEUED      10:08-11:00  never run again
#:   c14    change 14,1 tempest-full   CANCELED      10:09-11:10  rerun on ps 2 only
#:   chk    change 15,1 in check       CANCELED, then SUCCESS: not a gate build
#: Causes: the failing voting gate build of another change that ended at
#: most 5 minutes before the cancel, the latest such.
#:   c11a at 10:31: f10 (10:30) and f16 (10:29) fit; f10 ended later -> f10
#:   c11b at 10:33: f10 (3 min before) and f16 (4 min) fit -> f10
#:   c12  at 10:40: f10 ended 10 min before, f16 11 -> none: unexplained
GATE_DAY = [
    build("f10", "tempest-full", "FAILURE", change=10, start="10:00", end="10:30"),
    build("f16", "tempest-full", "POST_FAILURE", change=16, start="09:50", end="10:29"),
    build(
        "c11a",
        "tempest-full",
        "CANCELED",
        change=11,
        patchset="2",
        start="10:05",
        end="10:31",
    ),
    build(
        "s11a",
        "tempest-full",
        "SUCCESS",
        change=11,
        patchset="2",
        start="10:32",
        end="11:00",
    ),
    build(
        "c11b",
        "nova-grenade",
        "ABORTED",
        change=11,
        patchset="2",
        start="10:06",
        end="10:33",
    ),
    build(
        "s11b", "nova-grenade", None, change=11, patchset="2", start="10:34", end=None
    ),
    build("c12", "tempest-full", "CANCELED", change=12, start="10:07", end="10:40"),
    build("s12", "tempest-full", "FAILURE", change=12, start="10:41", end="11:10"),
    build("c13", "tempest-full", "DEQUEUED", change=13, start="10:08", end="11:00"),
    build("c14", "tempest-full", "CANCELED", change=14, start="10:09", end="11:10"),
    build(
        "s14",
        "tempest-full",
        "SUCCESS",
        change=14,
        patchset="2",
        start="11:20",
        end="11:50",
    ),
    build(
        "chk",
        "tempest-full",
        "CANCELED",
        change=15,
        pipeline="check",
        start="10:00",
        end="10:31",
    ),
    build(
        "chk2",
        "tempest-full",
        "SUCCESS",
        change=15,
        pipeline="check",
        start="10:40",
        end="11:10",
    ),
]


def by_uuid(uuid: str) -> Build:
    return next(b for b in GATE_DAY if b.uuid == uuid)


def test_a_canceled_gate_build_run_again_on_the_same_patchset_is_a_reset_rerun() -> (
    None
):
    reruns = reset_reruns(GATE_DAY)
    # c13 was never run again, c14 only on a new patchset, chk is in check.
    assert [(r.canceled.uuid, r.rerun.uuid) for r in reruns] == [
        ("c11a", "s11a"),
        ("c11b", "s11b"),  # a rerun still running counts: it was run again
        ("c12", "s12"),
    ]


def test_the_likely_cause_is_the_latest_failure_ended_shortly_before() -> None:
    causes = {r.canceled.uuid: r.cause for r in reset_reruns(GATE_DAY)}
    assert causes["c11a"] == by_uuid("f10")
    assert causes["c11b"] == by_uuid("f10")
    assert causes["c12"] is None  # 10 minutes after any failure: not put down


def test_resets_per_pipeline_count_reruns_and_group_them_by_cause() -> None:
    resets = gate_resets(GATE_DAY)
    assert list(resets) == ["gate"]  # only the dependent pipeline
    gate = resets["gate"]
    assert gate.builds == 11
    assert len(gate.reruns) == 3
    assert gate.unexplained == 1
    [(cause, reruns)] = gate.causes()
    assert cause.uuid == "f10"
    assert [r.canceled.uuid for r in reruns] == ["c11a", "c11b"]


def test_a_failure_of_the_same_change_or_after_the_cancel_is_no_cause() -> None:
    canceled = by_uuid("c11a")
    own = build(
        "own", "pep8", "FAILURE", change=11, patchset="2", start="10:20", end="10:30"
    )
    later = build("late", "pep8", "FAILURE", change=20, start="10:20", end="10:32")
    non_voting = build(
        "nv",
        "nova-next",
        "FAILURE",
        change=21,
        start="10:20",
        end="10:31",
        voting=False,
    )
    assert likely_cause(canceled, [own, later]) is None
    # A non-voting failure is filtered before: gate_resets only offers
    # failing voting builds, so it never resets a queue.
    assert all(r.cause != non_voting for r in reset_reruns([*GATE_DAY, non_voting]))


def test_no_gate_builds_is_no_data_not_zero_resets() -> None:
    check_only = [b for b in GATE_DAY if b.pipeline == "check"]
    assert gate_resets(check_only) == {}
    health = gate_health(check_only, job_stats(check_only))
    assert health.resets == {}
    # Gate builds without any rerun: a count of zero, over 1 build.
    quiet = gate_resets([by_uuid("f10")])
    assert quiet["gate"].builds == 1 and quiet["gate"].reruns == ()


def test_the_page_says_how_many_reruns_and_links_the_cause() -> None:
    paragraph = resets_summary(gate_resets(GATE_DAY), "openstack")
    text = paragraph.astext()
    assert text.startswith(
        "Gate resets: 3 reruns, caused by tempest-full FAILURE on change 10,1"
        " (2 reruns, e.g. tempest-full CANCELED on change 11,2, rerun)"
        "; 1 with no failing build found to explain them."
    )
    assert "Inferred from build times" in text
    links = [r["refuri"] for r in paragraph.findall(nodes.reference)]
    assert links == [
        "https://zuul.opendev.org/t/openstack/build/f10",
        "https://zuul.opendev.org/t/openstack/build/c11a",
        "https://zuul.opendev.org/t/openstack/build/s11a",
    ]


def test_without_gate_builds_the_page_says_so() -> None:
    check_only = [b for b in GATE_DAY if b.pipeline == "check"]
    text = resets_summary(gate_resets(check_only), "openstack").astext()
    assert text == "Gate resets: no gate builds in the window."
    quiet = resets_summary(gate_resets([by_uuid("f10")]), "openstack").astext()
    assert quiet.startswith("Gate resets: none in 1 gate build")


def test_api_ci_json_groups_reruns_by_cause() -> None:
    record = resets_record(gate_resets(GATE_DAY)["gate"], "openstack")
    assert record["builds"] == 11
    assert record["reruns"] == 3
    assert record["unexplained"] == 1
    [cause] = record["causes"]
    assert cause["failed"]["uuid"] == "f10"
    assert cause["failed"]["url"] == "https://zuul.opendev.org/t/openstack/build/f10"
    assert cause["reruns"] == 2
    assert [e["canceled"]["uuid"] for e in cause["examples"]] == ["c11a", "c11b"]
    assert [e["rerun"]["uuid"] for e in cause["examples"]] == ["s11a", "s11b"]
