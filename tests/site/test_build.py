"""Whole-site builds of ``tests/roots/test-site``: pages, files, safety.

These are the extension-level guarantees: the generated sections exist,
the build is parallel-safe and incremental, nothing is written into the
data folders, and bad data fails the build with located, typed warnings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.util.console import strip_escape_sequences
from sphinx.util.parallel import parallel_available

import crosswork

#: The folder holding the package, for a sphinx-build in a subprocess.
EXT = Path(crosswork.__file__).resolve().parents[1]
SPEC = "specs/2027.1/structured-logging-everywhere.rst"


@pytest.fixture
def site(copy_root) -> Path:
    """A private copy of the test site, free to edit."""
    return copy_root("test-site")


def test_builds_every_section_without_warnings(build_site, site):
    app, _ = build_site(site)
    assert app.warning.getvalue() == ""
    out = Path(app.outdir)
    for page in [
        "index.html",
        "meetings.html",
        "workgroups/index.html",
        "workgroups/alpha.html",
        "workgroups/beta.html",
        "calendars/alpha.ics",
        "calendars/beta.ics",
        "calendars/all-workgroups.ics",
    ]:
        assert (out / page).is_file(), page


def test_charter_page_links_its_calendar(build_site, site):
    app, _ = build_site(site)
    html = (Path(app.outdir) / "workgroups/alpha.html").read_text()
    assert 'href="../calendars/alpha.ics"' in html
    assert "Tuesdays, 15:00–16:00 UTC, every week" in html  # noqa: RUF001


def test_calendars_are_identical_across_builds(build_site, copy_root, files_of, site):
    first, _ = build_site(site)
    calendars = files_of(Path(first.outdir) / "calendars")
    again = copy_root("test-site", "again")
    second, _ = build_site(again)
    assert files_of(Path(second.outdir) / "calendars") == calendars


def test_nothing_is_written_outside_the_generated_sections(build_site, files_of, site):
    before = files_of(site / "repo")
    build_site(site)
    assert files_of(site / "repo") == before
    generated = {
        p.parts[0] for p in map(Path, files_of(site)) if p.parts[0] != "_build"
    }
    assert generated == {
        "conf.py",
        "glossary.rst",
        "index.rst",
        "meetings.rst",
        "repo",
        "workgroups",
        "specs",
    }


def test_text_builder_renders_charters(build_site, site):
    app, _ = build_site(site, builder="text")
    text = (Path(app.outdir) / "workgroups/alpha.txt").read_text()
    assert "Alpha converges duplicated code" in text
    assert not (Path(app.outdir) / "calendars").exists()


class TestIncremental:
    def test_nothing_changed_reads_nothing(self, build_site, site):
        build_site(site)
        _, read = build_site(site)
        assert read == []

    def test_nothing_changed_rewrites_no_page(self, build_site, site):
        app, _ = build_site(site)
        pages = [Path(app.outdir) / f"{doc}.html" for doc in sorted(app.env.all_docs)]
        before = [page.stat().st_mtime_ns for page in pages]
        build_site(site)
        assert [page.stat().st_mtime_ns for page in pages] == before

    def test_one_charter_changed_rereads_its_pages_only(self, build_site, site):
        build_site(site)
        charter = site / "repo/workgroups/beta.yaml"
        charter.write_text(charter.read_text().replace("Gap report", "Gap reports"))
        _, read = build_site(site)
        assert read == ["meetings", "workgroups/beta", "workgroups/index"]


@pytest.mark.skipif(not parallel_available, reason="needs fork")
def test_parallel_build_equals_serial_build(build_site, copy_root, files_of, site):
    serial, _ = build_site(site)
    twin = copy_root("test-site", "twin")
    parallel, _ = build_site(twin, parallel=2)
    assert parallel.warning.getvalue() == ""
    wanted = ("workgroups/", "specs/", "meetings.html", "calendars/", "api/")
    assert files_of(Path(parallel.outdir), wanted) == files_of(
        Path(serial.outdir), wanted
    )


class TestInvalidData:
    def test_bad_charter_fails_with_located_typed_warnings(self, stopped_build, site):
        charter = site / "repo/workgroups/alpha.yaml"
        text = charter.read_text().replace(
            "status: active\nstatus_history", "status: activ\nstatus_history"
        )
        charter.write_text(text + "chiar: x\n")
        stopped, lines = stopped_build(site)
        assert stopped.code == 2
        assert str(stopped).startswith("2 problem(s) in 1 charter and spec")
        assert lines == [
            "workgroups/alpha.yaml:2:9: WARNING: W104 status: 'activ' is not one "
            "of: forming, active, dormant, retired [crosswork.charter]",
            "workgroups/alpha.yaml:48:1: WARNING: W101 chiar: unknown key (allowed: "
            "chairs, communication, deliverables, exit_criteria, liaison, meetings, "
            "mission, name, scope, stakeholders, status, status_history, tracks) "
            "[crosswork.charter]",
            f"ERROR: build stopped: {stopped}",
        ]

    def test_missing_template_fails_with_a_located_warning(self, stopped_build, site):
        (site / "repo/specs/template.rst").unlink()
        stopped, lines = stopped_build(site)
        assert str(stopped).startswith("1 problem(s) in 1 charter and spec")
        assert lines == [
            "specs/template.rst:1:1: WARNING: S108 cannot read the template: "
            "No such file or directory [crosswork.spec]",
            f"ERROR: build stopped: {stopped}",
        ]

    def test_a_stopped_build_leaves_the_next_one_clean(
        self, stopped_build, build_site, copy_root, site
    ):
        (site / "repo/specs/template.rst").unlink()
        stopped_build(site)
        app, _ = build_site(copy_root("test-site", "next"))
        assert app.warning.getvalue() == ""

    def test_a_section_over_the_data_folder_stops_the_build(self, stopped_build, site):
        conf = site / "conf.py"  # the data lives where its pages are generated
        conf.write_text(conf.read_text().replace('"repo"', '"workgroups"', 1))
        (site / "repo").rename(site / "workgroups")
        stopped, lines = stopped_build(site)
        assert "would overwrite the data in" in str(stopped)
        assert lines[-1] == f"ERROR: build stopped: {stopped}"

    def test_hostile_values_render_as_text(self, build_site, site):
        charter = site / "repo/workgroups/alpha.yaml"
        hostile = "`x <javascript:alert(1)>`_ <script>alert(1)</script> **b** |sub|"
        text = charter.read_text().replace(
            "    description: Every service reads its options through one library.",
            f"    description: '{hostile}'",
        )
        charter.write_text(text)
        app, _ = build_site(site)
        html = (Path(app.outdir) / "workgroups/alpha.html").read_text()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert(1)" not in html
        assert "javascript:" not in html.replace("`x &lt;javascript:alert(1)&gt;`_", "")
        assert "**b** |sub|" in html


# --- The sanitizer: the last line behind the spec linter ---------------------------


def test_unsafe_markup_in_an_included_spec_is_removed_with_a_warning(
    build_site, site, monkeypatch
):
    # The spec linter refuses raw markup (F101) and unsafe links (F104);
    # suppose it missed them. The spec reaches its page through the stub's
    # include, and the sanitizer, after every other doctree-resolved
    # handler, must still take them out.
    monkeypatch.setattr("crosswork.specs.lint.check_forbidden", lambda *a: [])
    spec = site / "repo" / SPEC
    edit(
        spec,
        "Problem description\n===================\n",
        "Problem description\n===================\n\n"
        ".. raw:: html\n\n   <script>alert(1)</script>\n\n"
        "Read `the details <javascript:alert(2)>`_ and\n"
        "`the data <data:text/html,x>`_ first.\n",
    )

    app, _ = build_site(site)

    warnings = strip_escape_sequences(app.warning.getvalue()).splitlines()
    assert warnings == [
        f"{spec}:27: WARNING: raw markup removed [crosswork.sanitize]",
        f"{spec}:31: WARNING: link with unsafe scheme removed: "
        "'javascript:alert(2)' [crosswork.sanitize]",
        f"{spec}:31: WARNING: link with unsafe scheme removed: "
        "'data:text/html,x' [crosswork.sanitize]",
    ]
    html = (Path(app.outdir) / SPEC.replace(".rst", ".html")).read_text()
    assert "the details" in html
    assert "the data" in html
    for unsafe in ("<script>alert(1)", "javascript:", "data:text/html"):
        assert unsafe not in html


# --- A real sphinx-build: contributor errors end the build, not in a crash ----------


def sphinx_build(site: Path) -> subprocess.CompletedProcess[str]:
    """``sphinx-build -W`` of ``site`` in a new process, offline."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CROSSWORK_", "SPHINX"))
    }
    environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(EXT), os.environ.get("PYTHONPATH")])
    )
    return subprocess.run(
        [
            *(sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going"),
            *(str(site), str(site / "_build" / "html")),
        ],
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
        check=False,
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def duplicate_key(site: Path) -> None:
    edit(
        site / "repo/workgroups/alpha.yaml", "status: active\n", "status: active\n" * 2
    )


def wrong_type(site: Path) -> None:
    edit(site / "repo/workgroups/alpha.yaml", "name: Alpha\n", "name: 3\n")


def bad_spec_status(site: Path) -> None:
    spec = site / "repo/specs/2027.1/structured-logging-everywhere.rst"
    edit(spec, ":Status: approved", ":Status: aproved")


def deep_bullet_list(site: Path) -> None:
    """A bullet list 180 levels deep: docutils would recurse past the limit."""
    deep = "".join(" " * 2 * level + "- item\n\n" for level in range(180))
    spec = site / "repo/specs/2027.1/structured-logging-everywhere.rst"
    edit(spec, "Problem description\n===", f"{deep}Problem description\n===")


STOPS = [
    pytest.param(
        duplicate_key,
        "workgroups/alpha.yaml:3:1: WARNING: Y102 duplicate key 'status' "
        "(first defined at line 2) [crosswork.charter]",
        "1 problem(s) in 1 charter and spec file(s)",
        id="charter-duplicate-key",
    ),
    pytest.param(
        wrong_type,
        "workgroups/alpha.yaml:1:7: WARNING: W103 name: ",
        "1 problem(s) in 1 charter and spec file(s)",
        id="charter-wrong-type",
    ),
    pytest.param(
        bad_spec_status,
        f'{SPEC}:5:10: WARNING: M106 unknown status "aproved"',
        "problem(s) in 1 charter and spec file(s)",
        id="spec-bad-status",
    ),
    pytest.param(
        deep_bullet_list,
        f"{SPEC}:124:101: WARNING: R103 content nested more than 50 levels deep",
        "problem(s) in 1 charter and spec file(s)",
        id="spec-180-levels-deep",
    ),
]


@pytest.mark.parametrize(("damage", "finding", "summary"), STOPS)
def test_a_contributor_error_ends_sphinx_build_with_findings_not_a_crash(
    site: Path, damage: Callable[[Path], None], finding: str, summary: str
) -> None:
    damage(site)

    done = sphinx_build(site)

    output = done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, output
    assert any(line.startswith(finding) for line in lines), output
    assert lines[-1].startswith("ERROR: build stopped: "), output
    assert summary in lines[-1]
    assert lines[-1].endswith("listed above; `crosswork lint` shows the same")
    for crash in ("Traceback", "report", "Extension error", "Versions", "sphinx-err"):
        assert crash not in output, output


def test_a_chart_any_doctree_read_handler_adds_is_published(make_app, site):
    """The chart publisher notes a page's charts after every other handler
    of ``doctree-read`` (spec pages add their progress trends there)."""
    from crosswork.site.datanodes import chart_node

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'

    def add_chart(app, doctree):
        if app.env.docname == "index":
            doctree += chart_node(svg, "One dot.")

    app = make_app("html", srcdir=site)
    app.connect("doctree-read", add_chart)
    app.build()
    charts = list((Path(app.outdir) / "_charts").glob("*.svg"))
    assert [path.read_text() for path in charts] == [svg]
    assert (
        f'src="_charts/{charts[0].name}"'
        in (Path(app.outdir) / "index.html").read_text()
    )
    app.cleanup()
