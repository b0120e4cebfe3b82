"""A workgroup's advisories at a glance, for the home page (see
:mod:`crosswork.dashboard.model`): how many its sources hold and the
latest few, each linking to its page. Withdrawn advisories are not
counted; a snapshot that does not read as advisories is left out here,
and the advisory pages report it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from crosswork.dashboard.model import Glance
from crosswork.fetch.sources import source_id
from crosswork.kinds.advisories import KIND
from crosswork.kinds.advisories.indexes import latest
from crosswork.kinds.advisories.merge import merge
from crosswork.kinds.advisories.model import Advisory
from crosswork.kinds.advisories.stored import read_items
from crosswork.specs.progress import Read

if TYPE_CHECKING:
    from crosswork.site.data import SiteData
    from crosswork.workgroups.model import Workgroup

#: Latest advisories a card lists.
LATEST = 3
#: The advisories section's pages (``crosswork.kinds.advisories.sphinxext``).
SECTION = "security"


def glance(workgroup: Workgroup, site: SiteData, read: Read) -> list[Glance]:
    """The count of live advisories, then the latest ones; nothing without data."""
    records: list[Advisory] = []
    shown: list[tuple[str, Mapping[str, Any]]] = []
    for track in workgroup.tracks.get(KIND, []):
        identifier = source_id(workgroup.slug, KIND, track["name"])
        view = read(identifier)
        if view.snapshot is None:
            continue
        advisories, problems = read_items(identifier, view.items)
        if not problems:
            records += advisories
            shown.append((identifier, track))
    if not shown:
        return []
    live = [advisory for advisory in merge(records) if not advisory.is_withdrawn]
    sources = tuple(identifier for identifier, _ in shown)
    origins = {identifier: origin_of(track) for identifier, track in shown}
    origin = ", ".join(dict.fromkeys(origins.values()))
    result = [
        Glance(
            "Advisories",
            str(len(live)),
            f"workgroups/{workgroup.slug}",
            "security-advisories",
            note="published by the sources this workgroup follows, not withdrawn",
            origin=origin,
            sources=sources,
        )
    ]
    result += [
        Glance(
            advisory.id,
            advisory.severity.label,
            f"{SECTION}/advisories/{advisory.id}",
            note=f"{advisory.date:%Y-%m-%d}: {advisory.title}",
            origin=", ".join(
                dict.fromkeys(
                    origins[record.label]
                    for record in advisory.sources
                    if record.label in origins
                )
            ),
            sources=sources,
        )
        for advisory in latest(live, LATEST)
    ]
    return result


def origin_of(track: Mapping[str, Any]) -> str:
    """ "OSV: PyPI", "OSSA: openstack/ossa": a track's source, as a reader
    names it."""
    if track["source"] == "osv":
        return "OSV: PyPI"
    return f"OSSA: {track['repository']}"
