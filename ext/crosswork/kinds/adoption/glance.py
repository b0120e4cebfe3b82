"""A workgroup's shared-library adoption at a glance, for the home page
(see :mod:`crosswork.dashboard.model`): the headline of each adoption
track, one figure per group of libraries ("configuration: 12 of 15
services"), or how many services use any followed library when the track
names no group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crosswork.charts import plural
from crosswork.dashboard.model import Glance
from crosswork.kinds.adoption.analysis import Analysis
from crosswork.kinds.adoption.facts import FactsError, from_facts
from crosswork.kinds.adoption.tracks import AdoptionTrack, adoption_tracks
from crosswork.specs.progress import Read

if TYPE_CHECKING:
    from crosswork.site.data import SiteData
    from crosswork.workgroups.model import Workgroup

#: The adoption section's pages (``crosswork.kinds.adoption.sphinxext``).
SECTION = "adoption"


def glance(workgroup: Workgroup, site: SiteData, read: Read) -> list[Glance]:
    """Per adoption track with usable data, its headline figures."""
    result: list[Glance] = []
    for track in adoption_tracks([workgroup]):
        view = read(track.source_id)
        if view.snapshot is None:
            continue
        try:
            analysis = from_facts(view.items).analyse(track.libraries, track.groups)
        except FactsError:
            continue
        result += track_glances(track, analysis)
    return result


def track_glances(track: AdoptionTrack, analysis: Analysis) -> list[Glance]:
    docname = f"{SECTION}/{track.source_id}"
    total = len(analysis.services)
    origin = f"Requirements files of {plural(len(track.services), 'service')}"
    common = {"origin": origin, "sources": (track.source_id,)}
    if not analysis.groups:
        users = total - len(analysis.uses_none)
        return [
            Glance(
                "Services using shared libraries",
                f"{users} of {total}",
                docname,
                note="services using any library the track follows",
                **common,
            )
        ]
    return [
        Glance(
            f"{group.name.capitalize()} adoption",
            f"{len(group.adopted)} of {total}",
            docname,
            note="services that adopted "
            + ", ".join(
                analysis.reports[lib].display if lib in analysis.reports else lib
                for lib in group.libraries
            ),
            **common,
        )
        for group in analysis.groups
    ]
