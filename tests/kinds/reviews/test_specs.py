"""Matching reviews to specs: a spec's latest review, and open proposals."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from crosswork.fetch.snapshot import Snapshot
from crosswork.fetch.view import SourceView
from crosswork.kinds.reviews.model import Review, ReviewFile, Vote
from crosswork.kinds.reviews.specs import progress, proposals, spec_file
from crosswork.specs.model import Spec

T0 = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
SPEC_PATH = "specs/2027.1/close-kvm-xen-feature-gaps.rst"


def spec(path: str = SPEC_PATH, workgroup: str = "alpha") -> Spec:
    return Spec(
        slug="close-kvm-xen-feature-gaps",
        cycle="2027.1",
        title="Close KVM and Xen feature gaps",
        status="approved",
        workgroup=workgroup,
        authors=("Someone",),
        created=dt.date(2026, 3, 1),
        review="",
        tracking=(),
        supersedes=(),
        superseded_by="",
        implemented_in="",
        path=path,
        title_line=1,
    )


def review(number: int, *paths: str, **changes: Any) -> Review:
    base = Review(
        service="gerrit",
        number=number,
        project="openstack/crosswork-specs",
        subject=f"Change {number}",
        state="open",
        owner="Owner",
        created=T0,
        updated=T0,
        url=f"https://review.opendev.org/c/openstack/crosswork-specs/+/{number}",
        files=tuple(ReviewFile(p) for p in paths),
    )
    return dataclasses.replace(base, **changes)


def site(*specs: Spec, tracks: dict[str, list[dict]] | None = None) -> Any:
    tracks = tracks or {
        "alpha": [{"name": "specs", "gerrit": "openstack/crosswork-specs"}]
    }
    return SimpleNamespace(
        registry=[
            SimpleNamespace(slug=slug, tracks={"reviews": entries})
            for slug, entries in tracks.items()
        ],
        layout=SimpleNamespace(root=Path("/srv/site"), specs_dir="specs"),
        specs=specs,
    )


def reader(sources: dict[str, tuple[list[Review], str]]):
    def read(source: str) -> SourceView:
        if source not in sources:
            return SourceView(source, None, None, "absent")
        reviews, prefix = sources[source]
        snapshot = Snapshot(
            source=source,
            kind="reviews",
            query={"service": "gerrit", "project": "p", "prefix": prefix, "days": 30},
            fetched_at=T0,
            complete=True,
            items=tuple(r.to_json() for r in reviews),
        )
        return SourceView(source, snapshot, None)

    return read


def test_spec_paths_are_repository_relative() -> None:
    here = site()
    assert spec_file(spec(), here) == SPEC_PATH
    assert spec_file(spec(f"/srv/site/{SPEC_PATH}"), here) == SPEC_PATH
    assert spec_file(spec(f"./{SPEC_PATH}"), here) == SPEC_PATH
    assert spec_file(spec("/elsewhere/x.rst"), here) == SPEC_PATH


def test_a_review_touching_the_spec_file_is_its_review() -> None:
    merged = review(1, SPEC_PATH, state="merged", updated=T0 + dt.timedelta(days=9))
    amending = review(
        2,
        SPEC_PATH,
        votes=(Vote("Code-Review", "a", 2), Vote("Code-Review", "b", -1)),
    )
    other = review(3, "specs/2027.1/other.rst", updated=T0 + dt.timedelta(days=20))
    read = reader({"alpha.reviews.specs": ([merged, amending, other], "specs/")})

    (figure,) = progress(spec(), site(spec()), read)

    assert figure.key == "review" and figure.label == "Review"
    assert figure.state == "open"
    assert figure.summary == "open, Code-Review +2 (1), -1 (1)"
    assert [link.url for link in figure.links] == [amending.url]
    assert figure.sources == ("alpha.reviews.specs",)
    assert figure.to_json()["reviews"] == 2


def test_without_an_open_review_the_latest_closed_one_is_shown() -> None:
    older = review(1, SPEC_PATH, state="merged")
    newer = review(2, SPEC_PATH, state="abandoned", updated=T0 + dt.timedelta(days=1))
    read = reader({"alpha.reviews.specs": ([older, newer], "specs/")})

    (figure,) = progress(spec(), site(spec()), read)

    assert (figure.state, figure.updated) == ("abandoned", newer.updated)


def test_a_repository_with_another_spec_folder_matches_by_cycle_and_slug() -> None:
    moved = review(4, "doc/specs/2027.1/close-kvm-xen-feature-gaps.rst")
    read = reader({"alpha.reviews.specs": ([moved], "doc/specs/")})

    (figure,) = progress(spec(), site(spec()), read)

    assert figure.links[0].url == moved.url


def test_the_review_a_spec_names_is_its_review() -> None:
    named = review(8, "specs/2027.1/renamed-since.rst")
    read = reader({"alpha.reviews.specs": ([named], "specs/")})
    proposed = dataclasses.replace(spec(), review=named.url + "/")

    (figure,) = progress(proposed, site(proposed), read)

    assert figure.links[0].url == named.url


def test_no_matching_review_gives_no_figure() -> None:
    read = reader(
        {"alpha.reviews.specs": ([review(1, "specs/2027.1/x.rst")], "specs/")}
    )
    assert progress(spec(), site(spec()), read) == []
    assert progress(spec(), site(spec()), reader({})) == []


def test_proposals_are_open_reviews_of_spec_files_once_per_url() -> None:
    new = review(
        5,
        "specs/2027.1/brand-new.rst",
        files=(ReviewFile("specs/2027.1/brand-new.rst", True),),
        workgroup="beta",
        updated=T0 + dt.timedelta(days=3),
    )
    amending = review(2, SPEC_PATH)
    closed = review(1, SPEC_PATH, state="merged")
    template = review(6, "specs/template.rst")
    tracks = {
        "alpha": [{"name": "specs", "gerrit": "openstack/crosswork-specs"}],
        "beta": [{"name": "same", "gerrit": "openstack/crosswork-specs"}],
    }
    read = reader(
        {
            "alpha.reviews.specs": ([new, amending, closed, template], "specs/"),
            "beta.reviews.same": ([new], "specs/"),
        }
    )

    found = proposals(site(spec(), tracks=tracks), read)

    assert [(p.number, p.spec_id, p.workgroup, p.path) for p in found] == [
        (5, "", "beta", "specs/2027.1/brand-new.rst"),
        (2, "2027.1/close-kvm-xen-feature-gaps", "alpha", SPEC_PATH),
    ]
    assert found[0].service == "Gerrit"
    assert found[0].source == "alpha.reviews.specs"
    assert found[0].to_json()["spec"] is None
