"""Spec reviews on the site: a section on the charter page of each
workgroup with ``reviews`` tracks.

Each track shows its freshness and a table of its reviews, open ones
first: the review (a link when it passes the allowlist), its subject,
state, owner, last update and votes. Every value is text. Spec pages,
indexes and the API show reviews through the core, from
:mod:`crosswork.kinds.reviews.specs`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from crosswork import __version__
from crosswork.fetch.snapshot import format_time
from crosswork.kinds.reviews import RECORD
from crosswork.kinds.reviews.model import Review
from crosswork.kinds.reviews.provider import reviews_of
from crosswork.kinds.reviews.specs import review_summary
from crosswork.kinds.reviews.tracks import ReviewTrack, review_tracks
from crosswork.site import datanodes
from crosswork.site.pagedata import CHARTER_SECTIONS_EVENT, PageData, add_kind
from crosswork.workgroups.model import Workgroup

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

HEADERS = ("Review", "Subject", "State and votes", "Owner", "Updated")


def review_row(review: Review) -> list[datanodes.Cell]:
    return [
        datanodes.external_link(f"{review.service_name} {review.number}", review.url),
        review.subject,
        review_summary(review),
        review.owner,
        format_time(review.updated),
    ]


def track_part(env: BuildEnvironment, track: ReviewTrack) -> nodes.section:
    part = datanodes.section(track.title, f"reviews-{track.name}")
    page = PageData(env)
    view = page.source(track.source_id)
    part.extend(page.notices(view, track.label))
    if view.snapshot is None:
        return part
    try:
        reviews = reviews_of(view.snapshot)
    except (KeyError, TypeError, ValueError):
        part += nodes.paragraph("", "The snapshot of these reviews is malformed.")
        return part
    days = track.query.days
    part += nodes.paragraph(
        "",
        f"Open reviews touching {track.query.prefix}, and those merged or"
        f" abandoned in the last {days} days: {len(reviews)}.",
    )
    if reviews:
        ordered = sorted(reviews, key=lambda r: (r.is_open, r.updated), reverse=True)
        part += datanodes.table(
            HEADERS, [review_row(r) for r in ordered], classes=["crosswork-reviews"]
        )
    return part


def charter_reviews(
    app: Sphinx, env: BuildEnvironment, workgroup: Workgroup
) -> list[nodes.section]:
    """The charter's spec reviews section, one part per review track."""
    tracks = review_tracks([workgroup])
    if not tracks:
        return []
    section = datanodes.section("Spec reviews", "spec-reviews")
    for track in tracks:
        section += track_part(env, track)
    return [section]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("crosswork.site.pagedata")
    add_kind(app, RECORD)
    app.connect(CHARTER_SECTIONS_EVENT, charter_reviews)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
