"""The adoption analysis on the 13 real services, counted by hand.

The counts below were made with ``grep -i '^oslo.config'`` (and likewise
for ``oslo.log`` and ``oslo.db``) over
``corpus/openstack/requirements/services/*.requirements.txt``, reading the
``>=`` of each line, and with ``grep '^oslo.config' upper-constraints.txt``.
"""

from __future__ import annotations

from pathlib import Path

from packaging.version import Version

from crosswork.kinds.adoption.analysis import NOT_USED, SHAPE_VERSION, analyse, trend
from crosswork.kinds.adoption.requirements import parse_requirements

from .conftest import SERVICES, read

GROUPS = {"configuration": ["oslo.config"], "logging": ["oslo.log"]}


def full(services, requirements_corpus: Path):
    return analyse(
        services,
        ["oslo.*"],
        GROUPS,
        read(requirements_corpus / "global-requirements.txt"),
        read(requirements_corpus / "upper-constraints.txt"),
    )


def test_oslo_config_12_of_13_swift_without(services, requirements_corpus) -> None:
    analysis = full(services, requirements_corpus)
    report = analysis.reports["oslo-config"]
    # 12 lines match; swift's file has none.
    assert len(report.users) == 12
    assert report.non_users == ("swift",)
    # Minimums: barbican 6.4.0; designate, heat, ironic, keystone, octavia
    # 6.8.0; glance 8.1.0; horizon 8.8.0; nova 9.3.0; manila 9.5.0;
    # neutron 10.2.0; cinder 10.7.0.
    assert (report.lowest, report.highest) == (Version("6.4.0"), Version("10.7.0"))
    assert report.minimums["barbican"] == Version("6.4.0")
    assert report.minimums["cinder"] == Version("10.7.0")
    assert report.distinct_minimums == 8
    assert report.major_gap == 4
    assert report.pin == Version("10.7.0")
    # The global line is "oslo.config!=4.3.0,!=4.4.0": no floor.
    assert report.global_floor is None
    assert report.below_floor == ()
    assert report.excludes_pin == ()
    # Five of twelve at the most common minimum, 6.8.0.
    assert report.modal_minimum == Version("6.8.0")
    assert report.convergence == 5 / 12
    assert analysis.cell("swift", "oslo-config").text == NOT_USED
    assert analysis.cell("nova", "oslo-config").text == ">=9.3.0"


def test_oslo_log_11_of_13_horizon_and_swift_without(
    services, requirements_corpus
) -> None:
    analysis = full(services, requirements_corpus)
    report = analysis.reports["oslo-log"]
    assert len(report.users) == 11
    assert report.non_users == ("swift", "horizon")
    # keystone 3.44.0 is lowest, neutron 5.3.0 highest; 4.3.0 for barbican,
    # designate, heat, ironic and octavia: 5 of 11.
    assert (str(report.lowest), str(report.highest)) == ("3.44.0", "5.3.0")
    assert report.convergence == 5 / 11
    logging = next(g for g in analysis.groups if g.name == "logging")
    assert logging.not_adopted == ("swift", "horizon")
    configuration = next(g for g in analysis.groups if g.name == "configuration")
    assert configuration.not_adopted == ("swift",)
    assert analysis.uses_none == ("swift",)


def test_oslo_db_has_the_widest_spread(services, requirements_corpus) -> None:
    analysis = full(services, requirements_corpus)
    report = analysis.reports["oslo-db"]
    # 11 users (horizon and swift have no line); barbican 4.27.0 lowest,
    # manila 17.2.1 highest; octavia writes oslo.db[mysql]>=8.4.0.
    assert len(report.users) == 11
    assert (str(report.lowest), str(report.highest)) == ("4.27.0", "17.2.1")
    assert report.major_gap == 13
    assert analysis.cell("octavia", "oslo-db").text == "[mysql]>=8.4.0"
    assert str(report.pin) == "18.1.0"
    assert analysis.widest_spreads(1)[0].name == "oslo-db"


def test_the_json_shape(services, requirements_corpus) -> None:
    data = full(services, requirements_corpus).to_json()
    assert data["version"] == SHAPE_VERSION
    assert data["services"] == SERVICES
    assert data["matrix"]["swift"]["oslo-config"] is None
    assert data["matrix"]["nova"]["oslo-config"]["minimum"] == "9.3.0"
    assert data["libraries"][0]["name"].startswith("oslo-")


def test_floor_and_pin_findings() -> None:
    services = {
        "a": parse_requirements("a", "lib>=1.0\n"),
        "b": parse_requirements("b", "lib>=2.0,<3\n"),
        "c": parse_requirements("c", "lib\n"),
        "d": parse_requirements("d", "other\n"),
    }
    analysis = analyse(
        services,
        ["lib"],
        global_requirements=parse_requirements("g", "lib>=1.5\n"),
        constraints=parse_requirements("u", "lib===3.1\n"),
    )
    report = analysis.reports["lib"]
    assert report.below_floor == ("a", "c")
    assert report.excludes_pin == ("b",)
    assert report.minimums["c"] is None
    # a, b and c each have their own minimum (1.0, 2.0, none): 1 of 3.
    assert report.convergence == 1 / 3
    assert analysis.uses_none == ("d",)


def test_oslo_privsep_and_config_trend_over_history(requirements_corpus) -> None:
    """nova, neutron and cinder at 2016, 2019, 2022 and 2025.

    oslo.privsep (grep '^oslo.privsep' history/*): in none of the 2016
    files, in all three from 2019 on. oslo.config minimums: 2016 all
    3.10.0 (3 of 3); 2019 5.2.0, 5.2.0, 6.1.0 (2 of 3); 2022 8.6.0, 8.0.0,
    8.3.2 (1 of 3); 2025 8.6.0, 9.4.0, 8.3.2 (1 of 3).
    """
    history = requirements_corpus / "history"
    points = [
        (
            year,
            {
                name: read(history / f"{name}.{year}.requirements.txt")
                for name in ("nova", "neutron", "cinder")
            },
        )
        for year in ("2016", "2019", "2022", "2025")
    ]
    found = trend(points, ["oslo.privsep", "oslo.config"])
    privsep = [(p.label, p.users) for p in found if p.library == "oslo-privsep"]
    assert privsep == [("2016", 0), ("2019", 3), ("2022", 3), ("2025", 3)]
    config = [(p.users, p.convergence) for p in found if p.library == "oslo-config"]
    assert config == [(3, 1.0), (3, 2 / 3), (3, 1 / 3), (3, 1 / 3)]
