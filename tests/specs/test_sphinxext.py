"""Spec pages in a built site: metadata, banners, indexes, references, JSON."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.util.console import strip_escape_sequences

from crosswork.specs.board import SpecState, spec_json
from crosswork.specs.model import GapTarget, Spec
from crosswork.specs.sphinxext import metadata_block

OLD = "specs/2026.2/shared-logging-format"
NEW = "specs/2027.1/structured-logging-everywhere"


@pytest.fixture
def site(copy_root) -> Path:
    return copy_root("test-site")


@pytest.fixture
def built(build_site, site):
    app, _ = build_site(site)
    return app


def page(app, docname: str) -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


def test_spec_page_shows_validated_metadata(built):
    html = page(built, NEW)
    assert (
        '<span class="crosswork-badge crosswork-badge-approved">approved</span>' in html
    )
    assert "crosswork-spec-metadata" in html
    assert (
        'href="https://review.opendev.org/c/openstack/crosswork-specs/+/900202"' in html
    )
    assert ":Status:" not in html


def test_superseded_spec_carries_a_banner_to_its_successor(built):
    html = page(built, OLD)
    banner = html[html.index("crosswork-banner") :]
    banner = banner[: banner.index("</div>")]
    assert "This spec is superseded: see" in banner
    assert 'href="../2027.1/structured-logging-everywhere.html"' in banner
    assert "Structured logging everywhere" in banner


def test_live_spec_has_no_banner(built):
    assert "crosswork-banner" not in page(built, NEW)


def test_spec_role_links_by_id_with_the_spec_title(built):
    html = page(built, NEW)
    assert (
        '<a class="reference internal" href="../2026.2/shared-logging-format.html" '
        'title="Shared logging format"><span>Shared logging format</span></a>'
    ) in html


def test_index_counts_specs_by_cycle_and_status(built):
    html = page(built, "specs/index")
    table = html[html.index("crosswork-counts") :]
    table = table[: table.index("</table>")]
    cells = [
        cell.split(">")[-1]
        for cell in table.split("</p>")
        if cell.rstrip().endswith(tuple("0123456789"))
    ]
    # columns: approved, superseded, total; rows: 2027.1, 2026.2, all
    assert cells == ["1", "0", "1", "0", "1", "1", "1", "1", "2"]


def test_cycle_page_lists_its_specs(built):
    html = page(built, "specs/2026.2/index")
    table = html[html.index("crosswork-specs") : html.index("</table>")]
    assert "Shared logging format" in table
    assert "Structured logging everywhere" not in table


def test_charter_page_lists_its_specs_by_status(built):
    html = page(built, "workgroups/alpha")
    section = html[html.index('id="design-specs"') :]
    assert section.index("Approved") < section.index("Structured logging everywhere")
    assert section.index("Superseded") < section.index("Shared logging format")


def test_specs_json_describes_every_spec(built):
    data = json.loads((Path(built.outdir) / "api/specs.json").read_text())
    assert data["schema_version"] == 3
    assert [spec["id"] for spec in data["specs"]] == [
        "2026.2/shared-logging-format",
        "2027.1/structured-logging-everywhere",
    ]
    old = data["specs"][0]
    assert old["status"] == "superseded"
    assert old["superseded_by"] == "2027.1/structured-logging-everywhere"
    assert old["page"] == "specs/2026.2/shared-logging-format.html"
    assert old["authors"] == ["Ana Silva <ana@example.org>"]
    assert set(old) == {
        "id", "slug", "title", "status", "workgroup", "cycle", "authors", "created",
        "review", "tracking", "participating", "reviewers", "approvers",
        "discussion", "closes_gaps", "supersedes", "superseded_by",
        "implemented_in", "page", "review_state", "progress",
    }  # fmt: skip
    # This site follows no review and its kinds say nothing of these specs.
    assert old["review_state"] is None
    assert old["progress"] == {}
    assert data["under_review"] == []
    assert (old["participating"], old["discussion"], old["closes_gaps"]) == (
        [],
        None,
        [],
    )


FULL = Spec(
    slug="close-the-gaps",
    cycle="2027.1",
    title="Close the gaps",
    status="approved",
    workgroup="alpha",
    authors=("Ana Silva <ana@example.org>",),
    created=date(2027, 1, 4),
    review="https://review.opendev.org/c/openstack/crosswork-specs/+/900303",
    tracking=(),
    supersedes=(),
    superseded_by="",
    implemented_in="",
    path="specs/2027.1/close-the-gaps.rst",
    title_line=2,
    reviewers=("Li Wei", "Ana Silva"),
    approvers=("Li Wei <li@example.org>",),
    participating=("beta", "gamma"),
    discussion="https://lists.openstack.org/t/close-the-gaps/1",
    closes_gaps=(
        GapTarget("nova-2020", "libvirt-xen"),
        GapTarget("nova-2020", "xenserver", ("operation.evacuate", "console.spice")),
    ),
)

WORKGROUPS = SimpleNamespace(
    registry=SimpleNamespace(
        workgroups={
            "alpha": SimpleNamespace(name="Alpha"),
            "beta": SimpleNamespace(name="Beta"),
        }
    )
)


def rendered_fields(spec: Spec) -> dict[str, nodes.field_body]:
    (block,) = metadata_block(spec, WORKGROUPS, "specs/2027.1/close-the-gaps")
    return {field[0].astext(): field[1] for field in block.findall(nodes.field)}


def test_the_metadata_block_shows_the_new_fields_in_the_order_of_the_metadata():
    assert list(rendered_fields(FULL)) == [
        "Status",
        "Workgroup",
        "Participating",
        "Authors",
        "Reviewers",
        "Approvers",
        "Created",
        "Cycle",
        "Review",
        "Discussion",
        "Closes gaps",
    ]


def test_participating_workgroups_link_to_their_pages_when_known():
    body = rendered_fields(FULL)["Participating"]
    links = [(node["reftarget"], node.astext()) for node in body.findall(pending_xref)]
    assert links == [("/workgroups/beta", "Beta")]
    assert body.astext() == "Beta, gamma"


def test_people_are_listed_as_written():
    fields = rendered_fields(FULL)
    assert fields["Reviewers"].astext() == "Li Wei, Ana Silva"
    assert fields["Approvers"].astext() == "Li Wei <li@example.org>"


def test_the_discussion_links_out_only_to_an_allowed_host():
    (link,) = rendered_fields(FULL)["Discussion"].findall(nodes.reference)
    assert link["refuri"] == "https://lists.openstack.org/t/close-the-gaps/1"
    elsewhere = dataclasses.replace(FULL, discussion="https://forum.example.net/t/1")
    body = rendered_fields(elsewhere)["Discussion"]
    assert list(body.findall(nodes.reference)) == []
    assert body.astext() == "https://forum.example.net/t/1"


def test_closed_gaps_are_told_in_words():
    assert rendered_fields(FULL)["Closes gaps"].astext() == (
        "libvirt-xen against the reference in nova-2020: all gaps; "
        "xenserver against the reference in nova-2020: operation.evacuate, "
        "console.spice"
    )


def test_the_json_record_carries_the_new_fields():
    record = spec_json(FULL, SpecState(FULL), "specs/2027.1/close-the-gaps.html")
    assert {key: record[key] for key in NEW_KEYS} == {
        "participating": ["beta", "gamma"],
        "reviewers": ["Li Wei", "Ana Silva"],
        "approvers": ["Li Wei <li@example.org>"],
        "discussion": "https://lists.openstack.org/t/close-the-gaps/1",
        "closes_gaps": [
            {
                "track": "nova-2020",
                "driver": "libvirt-xen",
                "all": True,
                "features": [],
            },
            {
                "track": "nova-2020",
                "driver": "xenserver",
                "all": False,
                "features": ["operation.evacuate", "console.spice"],
            },
        ],
    }


NEW_KEYS = ("participating", "reviewers", "approvers", "discussion", "closes_gaps")


def test_broken_spec_reference_is_a_located_typed_warning(build_site, site):
    spec = site / "repo" / f"{NEW}.rst"
    spec.write_text(spec.read_text().replace(
        ":spec:`2026.2/shared-logging-format`", ":spec:`2026.2/no-such-spec`"
    ))  # fmt: skip
    app, _ = build_site(site)
    warnings = strip_escape_sequences(app.warning.getvalue()).splitlines()
    assert warnings == [
        f"{spec}:17: WARNING: no spec '2026.2/no-such-spec' "
        "(write :spec:`cycle/slug`) [crosswork.spec-ref]"
    ]


def test_spec_lint_errors_fail_the_build_with_the_linters_messages(stopped_build, site):
    spec = site / "repo" / f"{NEW}.rst"
    spec.write_text(spec.read_text().replace(":Status: approved", ":Status: aproved"))
    stopped, lines = stopped_build(site)
    assert "problem" in str(stopped)
    assert any(
        line.startswith(f"{NEW}.rst:5:")
        and " M106 " in line
        and "[crosswork.spec]" in line
        for line in lines
    ), lines


def nest_quotes(spec: Path, levels: int) -> None:
    """Add paragraphs to the spec, each quoted once more than the last."""
    quotes = "".join(" " * n + f"Level {n}.\n\n" for n in range(levels + 1))
    text = spec.read_text()
    spec.write_text(
        text.replace("Problem description\n", f"{quotes}Problem description\n")
    )


def test_a_spec_nested_to_the_limit_builds(build_site, site):
    nest_quotes(site / "repo" / f"{NEW}.rst", 50)
    app, _ = build_site(site)
    assert app.warning.getvalue() == ""
    assert "Level 50." in page(app, NEW)


def test_a_spec_nested_past_the_limit_fails_the_build_with_a_located_warning(
    stopped_build, site
):
    nest_quotes(site / "repo" / f"{NEW}.rst", 180)
    stopped, lines = stopped_build(site)
    assert "problem(s) in 1 charter and spec" in str(stopped)
    assert [line for line in lines if " T101 " not in line] == [
        f"{NEW}.rst:126:52: WARNING: R103 content nested more than 50 levels deep: "
        "flatten the lists, quotes or directives around it [crosswork.spec]",
        f"ERROR: build stopped: {stopped}",
    ]


def test_the_specs_index_says_no_review_is_followed_and_lists_work_in_progress(built):
    html = page(built, "specs/index")
    under_review = html[
        html.index('id="under-review"') : html.index('id="in-progress"')
    ]
    assert "No code review is followed yet: no charter has a reviews track." in (
        under_review
    )
    in_progress = html[html.index('id="in-progress"') :]
    in_progress = in_progress[: in_progress.index("</section>")]
    assert "Structured logging everywhere" in in_progress  # approved
    assert "Shared logging format" not in in_progress  # superseded
    assert "no measurable target" in in_progress


def test_without_a_site_address_there_is_no_feed_and_pages_say_so(built):
    assert not list(Path(built.outdir).rglob("*.atom"))
    html = page(built, "specs/index")
    assert "application/atom+xml" not in html
    assert "this build has no site address (CROSSWORK_SITE_URL)" in html


def test_with_a_site_address_spec_feeds_are_published_and_announced(build_site, site):
    app, _ = build_site(
        site, confoverrides={"html_baseurl": "https://specs.example.org/"}
    )
    out = Path(app.outdir)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.atom")) == [
        "specs/alpha.atom",
        "specs/beta.atom",
        "specs/specs.atom",
    ]
    feed = (out / "specs/alpha.atom").read_text()
    assert "<id>https://specs.example.org/specs/alpha.atom</id>" in feed
    assert (
        "<id>https://specs.example.org/specs/2027.1/structured-logging-everywhere.html"
        "#created-" in feed
    )
    head = page(app, NEW)
    head = head[: head.index("</head>")]
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Design specs (Atom)" href="../specs.atom">' in head
    )
    assert 'title="Design specs of Alpha (Atom)" href="../alpha.atom">' in head
    charter = page(app, "workgroups/alpha")
    assert 'href="../specs/alpha.atom"' in charter[: charter.index("</head>")]
    assert "Follow the specs of Alpha" in charter


def test_spec_tables_list_author_names_and_the_spec_page_keeps_addresses(built):
    index = page(built, "specs/index")
    assert "Ana Silva" in index
    assert "ana@example.org" not in index.replace("&#64;", "@")
    assert "Ana Silva &lt;ana&#64;example.org&gt;" in page(built, OLD)
