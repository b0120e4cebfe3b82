"""Security advisories: one normalized model for OSV records and OSSA files.

Pure code (no Sphinx, no network): the fetch step hands OSV records to
:func:`normalize_osv`, OSSA files are read with :func:`load_ossa_folder`,
:func:`merge` folds records of one vulnerability together, and the
indexes, the Atom feed and the JSON export read the merged
:class:`Advisory` values.
"""

from __future__ import annotations

from crosswork.advisories.export import advisories_document, advisory_record
from crosswork.advisories.feed import atom_feed, feed_entries
from crosswork.advisories.indexes import (
    by_package,
    by_year,
    counts_by_year_and_severity,
    latest,
)
from crosswork.advisories.merge import merge
from crosswork.advisories.model import (
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
from crosswork.advisories.ossa import load_ossa, load_ossa_folder
from crosswork.advisories.osv import normalize_osv
from crosswork.advisories.severity import NOT_RATED, Rating, rate_vector
from crosswork.advisories.versions import Interval

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
