"""What the review snapshots say about specs: a spec's review, and the open
proposals of new or changed specs.

A review matches a spec when it touches the spec's file: the same
repository path (``specs/2027.1/close-gaps.rst``), or, below the track's
prefix, the same ``<cycle>/<slug>.rst`` (a specs repository may keep its
specs in another folder than the site). A review the spec names in its
``Review`` field matches it too. Both hooks read the snapshot
only, through ``read``; this module imports neither Sphinx nor docutils.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from crosswork.kinds.reviews.model import OPEN, Review, ReviewFile
from crosswork.kinds.reviews.provider import DEFAULT_PREFIX
from crosswork.kinds.reviews.tracks import review_tracks
from crosswork.specs.progress import Link, Progress, Proposal, Read

if TYPE_CHECKING:
    from crosswork.site.data import SiteData
    from crosswork.specs.model import Spec

#: ``<cycle>/<slug>.rst`` below a prefix: a spec file, not a template or index.
_SPEC_FILE = re.compile(r"^[^/]+/[^/]+\.rst$")


def spec_file(spec: Spec, site: SiteData) -> str:
    """The spec's repository-relative path, with forward slashes.

    ``Spec.path`` is the file as the linter was given it: relative to the
    site root, or absolute when a tool passed one.
    """
    path = PurePosixPath(PureWindowsPath(spec.path).as_posix())
    if path.is_absolute():
        try:
            path = path.relative_to(PurePosixPath(site.layout.root.as_posix()))
        except ValueError:
            return f"{site.layout.specs_dir}/{spec.cycle}/{spec.slug}.rst"
    return str(path).removeprefix("./")


def relative_spec(path: str, prefix: str) -> str:
    """``<cycle>/<slug>.rst`` of a spec file below ``prefix``; "" otherwise."""
    rest = path.removeprefix(prefix) if path.startswith(prefix) else ""
    return rest if _SPEC_FILE.match(rest) else ""


def touches(review: Review, path: str, relative: str, prefix: str) -> bool:
    """Whether the review touches the spec at ``path`` (``relative`` below
    the spec folder)."""
    return any(
        f.path == path or relative_spec(f.path, prefix) == relative
        for f in review.files
    )


def sources_of(site: SiteData) -> list[str]:
    """The kind's source ids: every workgroup's review tracks."""
    return sorted(track.source_id for track in review_tracks(site.registry))


def read_reviews(read: Read, source: str) -> tuple[str, tuple[Review, ...]]:
    """The track prefix and reviews of one source; none when it is unusable."""
    view = read(source)
    if view.snapshot is None:
        return DEFAULT_PREFIX, ()
    prefix = view.snapshot.query.get("prefix", DEFAULT_PREFIX)
    try:
        return str(prefix), tuple(Review.from_json(item) for item in view.items)
    except (KeyError, TypeError, ValueError):
        return str(prefix), ()


def all_reviews(site: SiteData, read: Read) -> Iterator[tuple[str, str, Review]]:
    """``(source, prefix, review)`` over every review source of the site."""
    for source in sources_of(site):
        prefix, reviews = read_reviews(read, source)
        for review in reviews:
            yield source, prefix, review


def latest(found: Iterable[tuple[str, Review]]) -> tuple[str, Review] | None:
    """The review to show: an open one before a closed one, then the most
    recently updated."""
    return max(
        found,
        key=lambda pair: (pair[1].is_open, pair[1].updated, pair[1].number),
        default=None,
    )


def review_summary(review: Review) -> str:
    """ "open, Code-Review +2 (1), -1 (1); Verified +1 (1)"."""
    state = f"{review.state} (work in progress)" if review.draft else review.state
    votes = "; ".join(f"{label} {counts}" for label, counts in review.votes_by_label())
    return f"{state}, {votes}" if votes else state


def review_link(review: Review) -> Link:
    return Link(f"{review.service_name} {review.number}", review.url)


def progress(spec: Spec, site: SiteData, read: Read) -> list[Progress]:
    """The spec's latest review across the site's review sources."""
    path = spec_file(spec, site)
    relative = f"{spec.cycle}/{spec.slug}.rst"
    named = spec.review.strip().rstrip("/")
    found = [
        (source, review)
        for source, prefix, review in all_reviews(site, read)
        if touches(review, path, relative, prefix) or review.url == named
    ]
    shown = latest(found)
    if shown is None:
        return []
    source, review = shown
    return [
        Progress(
            key="review",
            label="Review",
            summary=review_summary(review),
            state=review.state,
            updated=review.updated,
            links=(review_link(review),),
            sources=(source,),
            detail={
                "service": review.service,
                "number": review.number,
                "draft": review.draft,
                "votes": dict(review.votes_by_label()),
                "reviews": len({r.url for _, r in found}),
            },
        )
    ]


def proposed_file(review: Review, prefix: str) -> ReviewFile | None:
    """The spec file a review proposes: a new one first, else a changed one."""
    specs = [f for f in review.files if relative_spec(f.path, prefix)]
    return next((f for f in specs if f.added), specs[0] if specs else None)


def proposals(site: SiteData, read: Read) -> list[Proposal]:
    """Every open review of a spec file, once per URL, newest update first."""
    by_relative = {f"{s.cycle}/{s.slug}.rst": s for s in site.specs}
    by_path = {spec_file(s, site): s for s in site.specs}
    found: dict[str, Proposal] = {}
    for source, prefix, review in all_reviews(site, read):
        chosen = proposed_file(review, prefix)
        if review.state != OPEN or chosen is None or review.url in found:
            continue
        spec = by_path.get(chosen.path) or by_relative.get(
            relative_spec(chosen.path, prefix)
        )
        found[review.url] = Proposal(
            title=review.subject,
            path=chosen.path,
            spec_id=spec.id if spec else "",
            workgroup=spec.workgroup if spec else review.workgroup,
            url=review.url,
            service=review.service_name,
            number=review.number,
            owner=review.owner,
            created=review.created,
            updated=review.updated,
            votes=review.votes_by_label(),
            source=source,
        )
    return sorted(found.values(), key=lambda p: (p.updated, p.number), reverse=True)
