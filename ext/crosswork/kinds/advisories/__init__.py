"""Security advisories: one normalized model for OSV records and OSSA files.

Pure code (no Sphinx, no network): the fetch step hands OSV records to
:func:`~crosswork.kinds.advisories.osv.normalize_osv`, OSSA files are read
with :func:`~crosswork.kinds.advisories.ossa.load_ossa_folder`,
:func:`~crosswork.kinds.advisories.merge.merge` folds records of one
vulnerability together, and the indexes, the Atom feed and the JSON export
read the merged :class:`~crosswork.kinds.advisories.model.Advisory` values.
``provider`` fetches OSV queries and OSSA folders, ``fake`` serves recorded
OSV records in tests, ``sphinxext`` is the Sphinx layer (the security
section, roles, feed and export).
"""

from __future__ import annotations

from pathlib import Path

from crosswork.datakind import DataKind

KIND = "advisories"


RECORD = DataKind(
    name=KIND,
    summary="Security advisories from OSV queries and OSSA files.",
    provider="crosswork.kinds.advisories.provider:PROVIDER",
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
