"""Security advisories: one normalized model for OSV records and OSSA files.

Pure code (no Sphinx, no network): the fetch step hands OSV records to
:func:`normalize_osv`, OSSA files are read with :func:`load_ossa_folder`,
:func:`merge` folds records of one vulnerability together, and the
indexes, the Atom feed and the JSON export read the merged
:class:`Advisory` values. ``provider`` fetches OSV queries and OSSA
folders, ``fake`` serves recorded OSV records in tests, ``sphinxext`` is
the Sphinx layer (the security section, roles, feed and export).
"""

from __future__ import annotations

from pathlib import Path

from crosswork.datakind import DataKind
from crosswork.kinds.advisories.export import advisories_document, advisory_record
from crosswork.kinds.advisories.feed import atom_feed, feed_entries
from crosswork.kinds.advisories.indexes import (
    by_package,
    by_year,
    counts_by_year_and_severity,
    latest,
)
from crosswork.kinds.advisories.merge import merge
from crosswork.kinds.advisories.model import (
    ADVISORY_HOSTS,
    Advisory,
    AffectedPackage,
    GitRange,
    Patch,
    Reference,
    Source,
    id_url,
    newest_first,
)
from crosswork.kinds.advisories.ossa import load_ossa, load_ossa_folder
from crosswork.kinds.advisories.osv import normalize_osv
from crosswork.kinds.advisories.provider import KIND, PROVIDER
from crosswork.kinds.advisories.severity import NOT_RATED, Rating, rate_vector
from crosswork.kinds.advisories.versions import Interval

__all__ = [
    "ADVISORY_HOSTS",
    "NOT_RATED",
    "Advisory",
    "AffectedPackage",
    "GitRange",
    "Interval",
    "Patch",
    "Rating",
    "Reference",
    "Source",
    "advisories_document",
    "advisory_record",
    "atom_feed",
    "by_package",
    "by_year",
    "counts_by_year_and_severity",
    "feed_entries",
    "id_url",
    "latest",
    "load_ossa",
    "load_ossa_folder",
    "merge",
    "newest_first",
    "normalize_osv",
    "rate_vector",
]

RECORD = DataKind(
    name=KIND,
    summary="Security advisories from OSV queries and OSSA files.",
    provider=PROVIDER,
    track_schema=Path(__file__).with_name("track.schema.json"),
    extension="crosswork.kinds.advisories.sphinxext",
    fake_routes="crosswork.kinds.advisories.fake:routes",
    hostile="crosswork.kinds.advisories.fake:hostile",
    glance="crosswork.kinds.advisories.glance:glance",
    warnings={
        "advisory-ref": "an :advisory: or :cve: reference names no advisory",
    },
    roles=("advisory", "cve"),
    checkers=("crosswork.kinds.advisories.ossa", "crosswork.kinds.advisories.osv"),
    example={"name": "services", "source": "osv", "packages": ["nova", "keystone"]},
    other_examples=(
        {
            "name": "ossa",
            "source": "ossa",
            "repository": "openstack/ossa",
            "path": "ossa",
        },
    ),
)
