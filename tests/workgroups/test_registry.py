"""Workgroup charters: the schema and the rules, each problem located.

Every test writes charters into a temporary ``workgroups/`` folder and
asserts the exact messages ``crosswork lint`` would print.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crosswork.kinds import KINDS
from crosswork.workgroups.registry import load_registry

VALID = """\
name: Security
status: active
status_history:
  - status: forming
    date: "2026-01-12"
  - status: active
    date: "2026-03-02"
mission: >
  Harden the architecture of every service and run the handling and
  disclosure of vulnerabilities.
scope:
  in:
    - vulnerability handling
  out:
    - product certification
deliverables:
  - title: Disclosure process
    description: A written, tested process.
    target: "2026.2"
    status: planned
exit_criteria:
  - The process is published and followed
liaison: to be appointed
chairs:
  - name: Ana Silva
    handles:
      irc: asilva
      email: ana@example.org
stakeholders:
  - nova
  - keystone
communication:
  mailing_list: openstack-discuss@lists.openstack.org
  tag: "[security]"
  chat: "#openstack-security"
meetings:
  - title: Weekly meeting
    recurrence: weekly
    start_date: "2026-01-13"
    weekday: tuesday
    time: "15:00"
    duration: 60
    channel: "#openstack-meeting"
    agenda: https://etherpad.opendev.org/p/security
    skip: ["2026-12-29"]
tracks: {}
"""


def lint(tmp_path: Path, **files: str) -> list[str]:
    folder = tmp_path / "workgroups"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    _, problems = load_registry(folder, kinds=KINDS)
    return [str(problem) for problem in problems]


def test_the_valid_charter_loads(tmp_path):
    folder = tmp_path / "workgroups"
    folder.mkdir()
    (folder / "security.yaml").write_text(VALID)
    registry, problems = load_registry(folder, kinds=KINDS)
    assert problems == []
    security = registry["security"]
    assert security.status == "active"
    assert security.since == dt.date(2026, 3, 2)
    assert security.meetings[0].time == dt.time(15, 0)
    assert security.chairs[0].handles == {"email": "ana@example.org", "irc": "asilva"}
    assert security.source == "workgroups/security.yaml"


def test_unknown_key_is_located_at_the_key(tmp_path):
    text = VALID.replace("  - name: Ana Silva\n", "  - name: Ana Silva\n    chiar: x\n")
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:26:5: W101 chairs[0].chiar: unknown key "
        "(allowed: handles, name, since)"
    ]


def test_unknown_top_level_key(tmp_path):
    text = VALID + "website: https://example.org\n"
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:47:1: W101 website: unknown key (allowed: "
        "chairs, communication, deliverables, exit_criteria, liaison, meetings, "
        "mission, name, scope, stakeholders, status, status_history, tracks)"
    ]


def test_missing_required_key(tmp_path):
    text = VALID.replace("name: Security\n", "")
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:1:1: W102 (top level): missing required key 'name'"
    ]


def test_missing_nested_key(tmp_path):
    text = VALID.replace('  tag: "[security]"\n', "")
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:33:3: W102 communication: missing required key 'tag'"
    ]


def test_unquoted_time_is_reported_as_a_number(tmp_path):
    text = VALID.replace('time: "15:00"', "time: 0700")
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:41:11: W103 meetings[0].time: expected a string "
        '(a UTC time as "HH:MM", quoted), got the number 700'
    ]


def test_boolean_where_text_is_expected(tmp_path):
    text = VALID.replace("name: Security", "name: true")
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:1:7: W103 name: expected a string, "
        "got the boolean true"
    ]


def test_status_not_in_the_lifecycle(tmp_path):
    text = VALID.replace(
        "status: active\nstatus_history", "status: activ\nstatus_history"
    )
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:2:9: W104 status: 'activ' is not one of: "
        "forming, active, dormant, retired"
    ]


def test_unknown_recurrence(tmp_path):
    text = VALID.replace("recurrence: weekly", "recurrence: daily")
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:38:17: W104 meetings[0].recurrence: 'daily' is "
        "not one of: weekly, biweekly, monthly"
    ]


def test_badly_formed_date(tmp_path):
    text = VALID.replace('date: "2026-01-12"', 'date: "12/01/2026"')
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:5:11: W105 status_history[0].date: '12/01/2026' "
        "is not an ISO date (YYYY-MM-DD, quoted)"
    ]


def test_http_agenda_is_refused(tmp_path):
    text = VALID.replace("agenda: https://", "agenda: http://")
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:44:13: W105 meetings[0].agenda: "
        "'http://etherpad.opendev.org/p/security' is not an https:// URL"
    ]


def test_too_short_mission(tmp_path):
    text = VALID.replace(
        "  Harden the architecture of every service and run the handling and\n"
        "  disclosure of vulnerabilities.\n",
        "  Be safe.\n",
    )
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:8:10: W106 mission: must be at least 40 "
        "characters long"
    ]


def test_no_chairs(tmp_path):
    start = VALID.index("chairs:")
    end = VALID.index("stakeholders:")
    text = VALID[:start] + "chairs: []\n" + VALID[end:]
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:24:9: W106 chairs: must list at least 1 item"
    ]


def test_repeated_stakeholder(tmp_path):
    text = VALID.replace("  - keystone\n", "  - keystone\n  - nova\n")
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:32:5: W107 stakeholders[2]: repeats item 0"
    ]


def test_week_of_month_only_for_monthly_meetings(tmp_path):
    text = VALID.replace(
        "    weekday: tuesday\n", "    weekday: tuesday\n    week_of_month: 2\n"
    )
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:41:5: W108 meetings[0]: 'week_of_month' is not "
        "allowed here"
    ]


def test_monthly_meeting_needs_its_week(tmp_path):
    text = VALID.replace("recurrence: weekly", "recurrence: monthly")
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:37:5: W102 meetings[0]: missing required key "
        "'week_of_month'"
    ]


def test_file_name_must_be_a_slug(tmp_path):
    assert lint(tmp_path, Security_WG=VALID) == [
        "workgroups/Security_WG.yaml:1:1: W201 file name 'Security_WG.yaml' is not "
        "a workgroup slug (lower case letters, digits and hyphens)"
    ]


def test_status_disagrees_with_history(tmp_path):
    text = VALID.replace(
        "status: active\nstatus_history", "status: dormant\nstatus_history"
    )
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:2:9: W202 status: 'dormant' differs from the "
        "last status_history entry ('active')"
    ]


def test_history_out_of_order(tmp_path):
    text = VALID.replace('date: "2026-03-02"', 'date: "2025-03-02"')
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:7:11: W203 status_history[1].date: 2025-03-02 "
        "is not after the previous change (2026-01-12)"
    ]


def test_retired_is_final(tmp_path):
    text = VALID.replace(
        '    date: "2026-03-02"\n',
        '    date: "2026-03-02"\n  - status: retired\n    date: "2026-05-01"\n'
        '  - status: active\n    date: "2026-06-01"\n',
    )
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:10:13: W204 status_history[3].status: cannot go "
        "from 'retired' to 'active'"
    ]


def test_history_starts_forming(tmp_path):
    text = VALID.replace("  - status: forming\n", "  - status: dormant\n")
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:4:13: W204 status_history[0].status: a workgroup "
        "starts as 'forming', not 'dormant'"
    ]


def test_impossible_date(tmp_path):
    text = VALID.replace('date: "2026-01-12"', 'date: "2026-02-30"')
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:5:11: W205 status_history[0].date: '2026-02-30' "
        "is not a date in the calendar"
    ]


def test_start_date_on_another_weekday(tmp_path):
    text = VALID.replace('start_date: "2026-01-13"', 'start_date: "2026-01-14"')
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:39:17: W206 meetings[0].start_date: 2026-01-14 "
        "is a wednesday, not a tuesday",
        "workgroups/security.yaml:45:12: W207 meetings[0].skip[0]: no meeting is "
        "scheduled on 2026-12-29",
    ]


def test_skip_date_that_is_no_meeting_day(tmp_path):
    text = VALID.replace('skip: ["2026-12-29"]', 'skip: ["2026-12-30"]')
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:45:12: W207 meetings[0].skip[0]: no meeting is "
        "scheduled on 2026-12-30"
    ]


def test_meeting_ending_before_it_starts(tmp_path):
    text = VALID.replace(
        "    weekday: tuesday\n", '    end_date: "2026-01-01"\n    weekday: tuesday\n'
    )
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:40:15: W208 meetings[0].end_date: 2026-01-01 is "
        "not after start_date 2026-01-13",
        "workgroups/security.yaml:46:12: W207 meetings[0].skip[0]: no meeting is "
        "scheduled on 2026-12-29",
    ]


def test_duplicate_key_in_a_charter(tmp_path):
    text = VALID.replace("name: Security\n", "name: Security\nname: Safety\n")
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:2:1: Y102 duplicate key 'name' "
        "(first defined at line 1)"
    ]


def test_a_duplicate_key_does_not_hide_an_unknown_key(tmp_path):
    text = VALID.replace("name: Security\n", "name: Security\nname: Safety\n")
    assert lint(tmp_path, security=text + "website: https://example.org\n") == [
        "workgroups/security.yaml:2:1: Y102 duplicate key 'name' "
        "(first defined at line 1)",
        "workgroups/security.yaml:48:1: W101 website: unknown key (allowed: "
        "chairs, communication, deliverables, exit_criteria, liaison, meetings, "
        "mission, name, scope, stakeholders, status, status_history, tracks)",
    ]


def test_the_rules_check_the_first_value_of_a_duplicate_key(tmp_path):
    text = VALID.replace("status: active\n", "status: dormant\nstatus: active\n", 1)
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:2:9: W202 status: 'dormant' differs from the "
        "last status_history entry ('active')",
        "workgroups/security.yaml:3:1: Y102 duplicate key 'status' "
        "(first defined at line 2)",
    ]


def test_an_alias_is_reported_once_and_the_rest_still_checked(tmp_path):
    text = VALID.replace("name: Security", "name: *x").replace(
        "  - name: Ana Silva\n", "  - name: Ana Silva\n    chiar: x\n"
    )
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:1:7: Y103 alias '*x' not allowed: write the "
        "value out",
        "workgroups/security.yaml:26:5: W101 chairs[0].chiar: unknown key "
        "(allowed: handles, name, since)",
    ]


def test_a_badly_named_file_that_is_not_yaml_gets_both_findings(tmp_path):
    assert lint(tmp_path, Security_WG="a: [1\n") == [
        "workgroups/Security_WG.yaml:1:1: W201 file name 'Security_WG.yaml' is "
        "not a workgroup slug (lower case letters, digits and hyphens)",
        "workgroups/Security_WG.yaml:2:1: Y101 expected ',' or ']', but got "
        "'<stream end>'",
    ]


def test_chair_listed_twice(tmp_path):
    text = VALID.replace(
        "stakeholders:",
        "  - name: Ana Silva\n    handles:\n      irc: ana2\nstakeholders:",
    )
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:29:11: W210 chairs[1].name: 'Ana Silva' is "
        "already chairs[0]"
    ]


def test_track_names_are_unique_per_kind(tmp_path):
    tracks = (
        "tracks:\n  bugs:\n"
        "    - {name: nova, tracker: launchpad, project: nova, status: [New]}\n"
        "    - {name: nova, tracker: launchpad, project: nova, status: [Triaged]}\n"
    )
    text = VALID.replace("tracks: {}\n", tracks)
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:49:14: W213 tracks.bugs[1].name: 'nova' is "
        "already the name of tracks.bugs[0]"
    ]


def test_invisible_and_control_characters_are_located_in_any_text(tmp_path):
    text = VALID.replace("name: Security", 'name: "Secu\\u202Erity"').replace(
        "name: Ana Silva", 'name: "Ana\\u200B Silva"'
    )
    assert lint(tmp_path, security=text) == [
        "workgroups/security.yaml:1:7: W214 name: invisible or control character "
        "U+202E RIGHT-TO-LEFT OVERRIDE",
        "workgroups/security.yaml:25:11: W214 chairs[0].name: invisible or control "
        "character U+200B ZERO WIDTH SPACE",
    ]


class TestAcrossCharters:
    def test_meetings_clash_in_one_channel(self, tmp_path):
        other = (
            VALID.replace("name: Security", "name: Quality")
            .replace('time: "15:00"', 'time: "15:30"')
            .replace('"[security]"', '"[quality]"')
            .replace('"#openstack-security"', '"#openstack-quality"')
        )
        assert lint(tmp_path, security=VALID, quality=other) == [
            "workgroups/security.yaml:37:5: W209 meetings[0]: overlaps quality "
            "meetings[0] in #openstack-meeting on 2026-01-13 15:30 UTC"
        ]

    def test_two_workgroups_with_one_name(self, tmp_path):
        twin = (
            VALID.replace('"#openstack-meeting"', '"#openstack-meeting-alt"')
            .replace('"[security]"', '"[safety]"')
            .replace('"#openstack-security"', '"#openstack-safety"')
        )
        assert lint(
            tmp_path,
            security=VALID,
            safety=twin,
        ) == [
            "workgroups/security.yaml:1:7: W211 name: 'Security' is already the "
            "name of workgroups/safety.yaml"
        ]

    def test_two_workgroups_share_a_channel_and_tag(self, tmp_path):
        other = VALID.replace("name: Security", "name: Safety").replace(
            '"#openstack-meeting"', '"#openstack-meeting-alt"'
        )
        assert lint(tmp_path, security=VALID, safety=other) == [
            "workgroups/security.yaml:34:8: W212 communication.tag: '[security]' "
            "is already used by workgroups/safety.yaml",
            "workgroups/security.yaml:35:9: W212 communication.chat: "
            "'#openstack-security' is already used by workgroups/safety.yaml",
        ]

    def test_every_problem_in_every_file_at_once(self, tmp_path):
        found = lint(
            tmp_path,
            alpha=VALID.replace(
                "status: active\nstatus_history", "status: activ\nstatus_history"
            ),
            beta=VALID.replace("name: Security\n", "name: Beta\nname: Beta\n"),
            gamma="",
        )
        assert [line.split(" ")[:2] for line in found] == [
            ["workgroups/alpha.yaml:2:9:", "W104"],
            ["workgroups/beta.yaml:2:1:", "Y102"],
            ["workgroups/gamma.yaml:1:1:", "Y108"],
        ]


@pytest.mark.parametrize("slug", ["common", "consistency", "security", "quality"])
def test_the_sites_charters_are_valid(repo_root, slug):
    registry, problems = load_registry(repo_root / "workgroups", kinds=KINDS)
    assert problems == []
    assert registry[slug].chairs


class TestLiaisonExitCriteriaAndDeliverables:
    """The TC liaison, the exit criteria and each deliverable's status and owner."""

    def test_a_liaison_still_to_be_appointed_loads_as_none(self, tmp_path):
        folder = tmp_path / "workgroups"
        folder.mkdir()
        (folder / "security.yaml").write_text(VALID)
        registry, problems = load_registry(folder, kinds=KINDS)
        assert problems == []
        assert registry["security"].liaison is None
        assert registry["security"].exit_criteria == (
            "The process is published and followed",
        )
        assert registry["security"].deliverables[0].status == "planned"
        assert registry["security"].deliverables[0].owner == ""

    def test_a_named_liaison_loads_with_their_handles(self, tmp_path):
        text = VALID.replace(
            "liaison: to be appointed\n",
            "liaison:\n  name: Jo Park\n  handles:\n    irc: jpark\n"
            "    email: jo@example.org\n",
        )
        folder = tmp_path / "workgroups"
        folder.mkdir()
        (folder / "security.yaml").write_text(text)
        registry, problems = load_registry(folder, kinds=KINDS)
        assert problems == []
        liaison = registry["security"].liaison
        assert liaison is not None
        assert liaison.name == "Jo Park"
        assert liaison.handles == {"email": "jo@example.org", "irc": "jpark"}

    def test_the_liaison_and_the_exit_criteria_are_required(self, tmp_path):
        text = VALID.replace("liaison: to be appointed\n", "").replace(
            "exit_criteria:\n  - The process is published and followed\n", ""
        )
        assert lint(tmp_path, security=text) == [
            "workgroups/security.yaml:1:1: W102 (top level): missing required key "
            "'exit_criteria'",
            "workgroups/security.yaml:1:1: W102 (top level): missing required key "
            "'liaison'",
        ]

    def test_a_liaison_is_a_name_or_the_words_to_be_appointed(self, tmp_path):
        text = VALID.replace("liaison: to be appointed", "liaison: TBD")
        assert lint(tmp_path, security=text) == [
            "workgroups/security.yaml:23:10: W104 liaison: 'TBD' is not one of: "
            "to be appointed"
        ]

    def test_a_liaison_without_a_name(self, tmp_path):
        text = VALID.replace(
            "liaison: to be appointed\n", "liaison:\n  handles:\n    irc: jpark\n"
        )
        assert lint(tmp_path, security=text) == [
            "workgroups/security.yaml:24:3: W102 liaison: missing required key 'name'"
        ]

    def test_a_liaison_given_as_a_list(self, tmp_path):
        text = VALID.replace("liaison: to be appointed\n", "liaison: [Jo Park]\n")
        assert lint(tmp_path, security=text) == [
            "workgroups/security.yaml:23:10: W103 liaison: expected a mapping (a "
            'mapping with the liaison\'s name, or "to be appointed"), got a list'
        ]

    def test_exit_criteria_list_at_least_one_line(self, tmp_path):
        text = VALID.replace(
            "exit_criteria:\n  - The process is published and followed\n",
            "exit_criteria: []\n",
        )
        assert lint(tmp_path, security=text) == [
            "workgroups/security.yaml:21:16: W106 exit_criteria: must list at "
            "least 1 item"
        ]

    def test_a_deliverable_needs_a_status_from_the_closed_set(self, tmp_path):
        text = VALID.replace("    status: planned\n", "    status: started\n")
        assert lint(tmp_path, security=text) == [
            "workgroups/security.yaml:20:13: W104 deliverables[0].status: 'started' "
            "is not one of: planned, in-progress, done, dropped"
        ]

    def test_a_deliverable_without_a_status(self, tmp_path):
        text = VALID.replace("    status: planned\n", "")
        assert lint(tmp_path, security=text) == [
            "workgroups/security.yaml:17:5: W102 deliverables[0]: missing required "
            "key 'status'"
        ]

    def test_work_under_way_or_done_names_its_owner(self, tmp_path):
        text = VALID.replace("    status: planned\n", "    status: done\n")
        assert lint(tmp_path, security=text) == [
            "workgroups/security.yaml:20:13: W215 deliverables[0].status: a "
            "deliverable that is 'done' names its owner (a person or a team)"
        ]

    def test_an_owned_deliverable_in_progress_loads(self, tmp_path):
        text = VALID.replace(
            "    status: planned\n",
            "    status: in-progress\n    owner: Security workgroup\n",
        )
        assert lint(tmp_path, security=text) == []

    def test_meeting_logs_and_list_archive_are_allowlisted_https_links(self, tmp_path):
        text = VALID.replace(
            "    agenda: https://etherpad.opendev.org/p/security\n",
            "    agenda: https://etherpad.opendev.org/p/security\n"
            "    logs: https://meetings.opendev.org/meetings/security/\n",
        ).replace(
            '  chat: "#openstack-security"\n',
            '  chat: "#openstack-security"\n'
            "  archive: https://lists.openstack.org/archives/list/"
            "openstack-discuss@lists.openstack.org/\n",
        )
        folder = tmp_path / "workgroups"
        folder.mkdir()
        (folder / "security.yaml").write_text(text)
        registry, problems = load_registry(folder, kinds=KINDS)
        assert problems == []
        security = registry["security"]
        assert security.meetings[0].logs == (
            "https://meetings.opendev.org/meetings/security/"
        )
        assert security.communication.archive.startswith("https://lists.openstack")

    def test_a_logs_link_must_be_https(self, tmp_path):
        text = VALID.replace(
            "    agenda: https://etherpad.opendev.org/p/security\n",
            "    agenda: https://etherpad.opendev.org/p/security\n"
            "    logs: http://eavesdrop.openstack.org/meetings/security/\n",
        )
        assert lint(tmp_path, security=text) == [
            "workgroups/security.yaml:45:11: W105 meetings[0].logs: "
            "'http://eavesdrop.openstack.org/meetings/security/' is not an "
            "https:// URL"
        ]

    def test_every_new_rule_is_reported_at_once(self, tmp_path):
        text = (
            VALID.replace(
                "    status: planned\n",
                "    status: in-progress\n"
                "  - title: Audit\n    description: One audit.\n    status: done\n",
            )
            .replace(
                "    agenda: https://etherpad.opendev.org/p/security\n",
                "    agenda: https://etherpad.opendev.org/p/security\n"
                "    logs: https://logs.example.org/security/\n",
            )
            .replace(
                '  chat: "#openstack-security"\n',
                '  chat: "#openstack-security"\n'
                "  archive: https://lists.example.org/archive/\n",
            )
        )
        assert lint(tmp_path, security=text) == [
            "workgroups/security.yaml:20:13: W215 deliverables[0].status: a "
            "deliverable that is 'in-progress' names its owner (a person or a team)",
            "workgroups/security.yaml:23:13: W215 deliverables[1].status: a "
            "deliverable that is 'done' names its owner (a person or a team)",
            "workgroups/security.yaml:39:12: W216 communication.archive: "
            "'https://lists.example.org/archive/' is not on a host the site "
            "links to (see crosswork.links)",
            "workgroups/security.yaml:49:11: W216 meetings[0].logs: "
            "'https://logs.example.org/security/' is not on a host the site "
            "links to (see crosswork.links)",
        ]

    def test_every_new_schema_problem_is_reported_at_once(self, tmp_path):
        text = (
            VALID.replace("    status: planned\n", "    status: started\n")
            .replace("liaison: to be appointed", "liaison: TBD")
            .replace(
                "exit_criteria:\n  - The process is published and followed\n",
                "exit_criteria: []\n",
            )
        )
        assert [line.split(" ")[:2] for line in lint(tmp_path, security=text)] == [
            ["workgroups/security.yaml:20:13:", "W104"],
            ["workgroups/security.yaml:21:16:", "W106"],
            ["workgroups/security.yaml:22:10:", "W104"],
        ]
