"""A design spec as a typed, immutable value, and the vocabulary of its fields.

A :class:`Spec` is built only from a file whose metadata and location passed
the linter (``crosswork.specs.lint``), so the pages and indexes that show
it can trust every field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

#: Every status, in the order a spec can move through them: a spec is
#: drafted, proposed for review, approved and implemented, unless it is
#: deferred to a later cycle, rejected, withdrawn by its authors or replaced
#: by another spec.
STATUSES = (
    "draft",
    "proposed",
    "approved",
    "implemented",
    "deferred",
    "rejected",
    "withdrawn",
    "superseded",
)

#: Statuses after which nobody works on the spec any more. A deferred spec
#: is only parked: it comes back in a later cycle, so it is not dead.
DEAD_STATUSES = frozenset({"rejected", "withdrawn", "superseded"})

#: A cycle is a year and the half of it: ``2026.1`` or ``2026.2``.
CYCLE_RE = re.compile(r"(?P<year>\d{4})\.(?P<half>[12])")

#: A slug is lower-case words of letters and digits joined by hyphens.
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_cycle(text: str) -> bool:
    return CYCLE_RE.fullmatch(text) is not None


def cycle_key(cycle: str) -> tuple[int, int]:
    """Sort key of a valid cycle, so ``2026.2`` comes before ``2027.1``."""
    year, half = cycle.split(".")
    return int(year), int(half)


def is_slug(text: str) -> bool:
    return SLUG_RE.fullmatch(text) is not None


def is_spec_id(text: str) -> bool:
    """Whether ``text`` names a spec as ``<cycle>/<slug>``."""
    cycle, _, slug = text.partition("/")
    return is_cycle(cycle) and is_slug(slug)


@dataclass(frozen=True)
class GapTarget:
    """Gaps a spec promises to close: ``Closes-Gaps: <track> <driver>: ...``."""

    #: A matrix track of the spec's workgroup.
    track: str
    #: The driver whose gaps against the matrix's reference close.
    driver: str
    #: Feature keys; empty means every gap against the reference.
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spec:
    """One design spec: the metadata of ``specs/<cycle>/<slug>.rst``."""

    slug: str
    cycle: str
    title: str
    status: str
    workgroup: str
    authors: tuple[str, ...]
    created: date
    #: The code review that proposed the spec; empty while it is a draft.
    review: str
    #: Bug references: URLs or bug numbers.
    tracking: tuple[str, ...]
    #: Ids (``<cycle>/<slug>``) of the specs this one replaces.
    supersedes: tuple[str, ...]
    #: Id of the spec that replaced this one; empty unless superseded.
    superseded_by: str
    #: The cycle the work landed in; empty unless implemented.
    implemented_in: str
    #: The file, as the linter was given it.
    path: str
    #: Line of the title, for messages about the spec as a whole.
    title_line: int
    #: People asked to review the spec, and those whose approval it needs.
    reviewers: tuple[str, ...] = ()
    approvers: tuple[str, ...] = ()
    #: Slugs of other workgroups taking part.
    participating: tuple[str, ...] = ()
    #: The https URL of the mailing-list thread or forum topic.
    discussion: str = ""
    #: Feature-matrix gaps the spec is measured against.
    closes_gaps: tuple[GapTarget, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.cycle}/{self.slug}"
