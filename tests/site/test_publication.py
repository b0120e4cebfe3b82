"""The files published beside the pages (api files, feeds, calendars, the
sitemap) are written when what they are made of may have changed, and not
on a rebuild that changes nothing.

Each build of the test site (two charters, built at a fixed moment)
reports whether its ``build-finished`` writers ran; the files are there
either way.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from sphinx.util.parallel import parallel_available

from crosswork.site.publication import RECORD, publishes

BUILT_AT = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
PUBLISHED = ("api/workgroups.json", "calendars/alpha.ics", "robots.txt")


def build_at(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))


@pytest.fixture
def site(copy_root, monkeypatch) -> Path:
    build_at(monkeypatch, BUILT_AT)
    return copy_root("test-site")


@pytest.fixture
def published(make_app):
    """``published(site, **kwargs)``: one build (``kwargs`` go to
    ``make_app``); whether it wrote the published files."""

    def build(site: Path, **kwargs) -> bool:
        app = make_app("html", srcdir=site, **kwargs)
        decided: list[bool] = []
        app.connect(
            "build-finished",
            lambda app, exception: decided.append(publishes(app, exception)),
        )
        app.build()
        app.cleanup()
        outdir = Path(app.outdir)
        assert [name for name in PUBLISHED if not (outdir / name).is_file()] == []
        return decided == [True]

    return build


JOBS = [
    pytest.param(0, id="serial"),
    pytest.param(
        2,
        id="parallel",
        marks=pytest.mark.skipif(not parallel_available, reason="needs fork"),
    ),
]


@pytest.mark.parametrize("jobs", JOBS)
def test_a_rebuild_without_change_writes_none_of_them(published, site, jobs):
    assert published(site, parallel=jobs)
    assert not published(site, parallel=jobs)


def test_a_changed_charter_writes_them(published, site):
    published(site)
    charter = site / "repo" / "workgroups" / "alpha.yaml"
    text = charter.read_text(encoding="utf-8")
    charter.write_text(text.replace("mission: ", "mission: Also, ", 1), "utf-8")

    assert published(site)
    assert not published(site)


def test_a_fetch_run_writes_them(published, site):
    published(site)
    snapshot = site / "repo" / "snapshot"
    snapshot.mkdir()
    status = {"updated_at": "2026-12-02T06:00:00Z", "sources": {}}
    (snapshot / "status.json").write_text(json.dumps(status), encoding="utf-8")

    assert published(site)
    assert not published(site)


def test_the_next_day_writes_them(published, site, monkeypatch):
    published(site)
    build_at(monkeypatch, BUILT_AT + dt.timedelta(days=1))

    assert published(site)


def test_a_changed_site_address_writes_them(published, site):
    published(site)

    assert published(site, confoverrides={"html_baseurl": "https://example.org/"})


def test_an_emptied_output_folder_gets_every_file_again(published, site):
    published(site)
    outdir = site / "_build" / "html"
    for path in outdir.iterdir():
        if path.name != ".doctrees":
            shutil.rmtree(path) if path.is_dir() else path.unlink()

    assert published(site)


def test_writers_that_failed_are_run_again_by_the_next_build(published, site, make_app):
    app = make_app("html", srcdir=site)

    def fail(app, exception):
        raise OSError("disk full")

    app.connect("build-finished", fail, priority=600)
    with pytest.raises(Exception, match="disk full"):
        app.build()
    app.cleanup()

    assert not (Path(app.outdir) / RECORD).exists()
    assert published(site)
