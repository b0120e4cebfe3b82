"""Properties of the Zuul build normalizer on any payload.

Whatever a build holds, :func:`normalize_build` gives a :class:`Build` or
raises :class:`BuildError`; a page gives builds or :class:`FetchError`; a
build stores as standard JSON and reads back unchanged; the window keeps
builds of any date; and the work grows linearly with the page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crosswork.fetch.http import FetchError
from crosswork.kinds.ci.model import Build, BuildError, normalize_build
from crosswork.kinds.ci.provider import CiQuery, Window, read_page
from fuzzing import assert_linear, awkward_text, fuzz_settings, json_values

BUILD: dict[str, Any] = {
    "uuid": "5b3ef2a0c2b84b6e9d1c7e4f",
    "job_name": "gear-tox-py311",
    "project": "opendev/gear",
    "branch": "master",
    "pipeline": "check",
    "change": 742165,
    "patchset": "2",
    "result": "SUCCESS",
    "voting": True,
    "final": True,
    "start_time": "2020-07-21T11:00:00",
    "end_time": "2020-07-21T11:10:00",
    "duration": 600.0,
    "log_url": "https://zuul.opendev.org/t/openstack/build/5b3e",
    "buildset": {"uuid": "b1"},
}
TIMES = (
    "2020-07-21T11:00:00",
    "2020-07-21T11:00:00+02:00",
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "2020-02-30T00:00:00",
)
texts = awkward_text(max_size=40, surrogates=True)
values = st.one_of(texts, json_values(max_leaves=3))
numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from((-1, 0, 1e308, float("inf"), float("nan"))),
)
FIELDS: dict[str, Any] = {
    "start_time": st.sampled_from(TIMES) | values,
    "end_time": st.sampled_from(TIMES) | values,
    "duration": numbers | values,
    "change": numbers | st.sampled_from(("742165", "١٢٣", "1" * 5000)) | values,
    "patchset": numbers | values,
    "voting": st.booleans() | values,
    "final": st.booleans() | values,
    "buildset": st.fixed_dictionaries({"uuid": values}) | values,
    "ref": st.fixed_dictionaries(
        {}, optional={"project": values, "branch": values, "change": values}
    )
    | values,
}


def replaced(base: dict[str, Any]) -> Any:
    changes = st.fixed_dictionaries(
        {},
        optional={
            key: FIELDS.get(key, values) | st.just(None) for key in (*base, "ref")
        },
    )
    return changes.map(lambda change: {**base, **change})


def stored_again(build: Build) -> None:
    """As the snapshot keeps it: standard JSON, UTF-8, and the same build."""
    text = json.dumps(build.to_json(), ensure_ascii=False, allow_nan=False)
    assert Build.from_json(json.loads(text.encode())) == build


@fuzz_settings(400)
@given(replaced(BUILD))
@example({**BUILD, "start_time": "0001-01-01T00:00:00+01:00"})
@example({**BUILD, "start_time": "0001-01-01T00:00:00"})
@example({**BUILD, "duration": float("nan")})
@example({**BUILD, "duration": float("inf")})
@example({**BUILD, "job_name": "\ud800"})
def test_any_build_gives_a_build_or_a_build_error(payload: dict) -> None:
    try:
        build = normalize_build(payload)
    except BuildError:
        return
    stored_again(build)


@fuzz_settings(100)
@given(json_values())
def test_any_json_value_gives_a_build_or_a_build_error(payload: object) -> None:
    with contextlib.suppress(BuildError):
        stored_again(normalize_build(payload))


WINDOWS = (
    CiQuery("openstack", days=30),
    CiQuery("openstack", builds=5),
)


@fuzz_settings(200)
@given(st.lists(replaced(BUILD) | json_values(max_leaves=3), max_size=6))
@example([{**BUILD, "start_time": "0001-01-01T00:00:00"}])
@example([{**BUILD, "start_time": "9999-12-31T23:59:59"}, BUILD])
def test_any_page_gives_builds_or_a_fetch_error_and_fills_a_window(
    page: list,
) -> None:
    try:
        builds = read_page(page, "zuul/builds")
    except FetchError as error:
        assert error.kind == "schema"
        return
    for query in WINDOWS:
        Window(query).add(builds)


def page_of(count: int, unit: str) -> list[dict[str, Any]]:
    if unit == "builds":
        return [{**BUILD, "uuid": f"u{n}"} for n in range(count)]
    return [{**BUILD, "job_name": "<b>\u202e" * count}]


@pytest.mark.parametrize("unit", ["builds", "name"])
def test_reading_a_page_takes_linear_time(unit: str) -> None:
    def work(page: list[dict[str, Any]]) -> None:
        window = Window(CiQuery("openstack", days=30))
        window.add(read_page(page, "zuul/builds"))

    assert_linear(work, lambda count: page_of(count, unit), 200)


def test_the_window_of_a_build_of_the_year_1_keeps_it() -> None:
    build = normalize_build({**BUILD, "start_time": "0001-01-01T00:00:00"})
    window = Window(CiQuery("openstack", days=30))
    window.add([build])
    assert list(window.kept.values()) == [build]
    assert build.start == dt.datetime(1, 1, 1, tzinfo=dt.UTC)
