"""Shared-library adoption: which services use which libraries, at which versions.

``requirements`` reads pip requirements files (every line read or reported,
located), ``analysis`` computes the matrix, per-library and per-group
figures and the trend, ``facts`` stores files as snapshot items,
``tracks`` holds the track model, ``provider`` fetches the files from the
``files`` service, ``rendering`` builds the docutils views and
``sphinxext`` is the Sphinx layer.
"""

from __future__ import annotations

from pathlib import Path

from crosswork.datakind import DataKind

KIND = "adoption"

#: Where the corpus keeps the requirements files the fake upstream serves.
CORPUS_FOLDER = "openstack/requirements"

RECORD = DataKind(
    name=KIND,
    summary=(
        "Shared-library adoption from the services' requirements files:"
        " who uses which library, at which minimum version, and who uses none."
    ),
    provider="crosswork.kinds.adoption.provider:PROVIDER",
    track_schema=Path(__file__).with_name("track.schema.json"),
    extension="crosswork.kinds.adoption.sphinxext",
    hostile="crosswork.kinds.adoption.fake:hostile",
    glance="crosswork.kinds.adoption.glance:glance",
    warnings={
        "adoption": "an adoption track, its snapshot or an adoption directive is wrong",
    },
    checkers=("crosswork.kinds.adoption.requirements",),
    example={
        "name": "oslo",
        "services": [
            {"name": name, "path": f"{CORPUS_FOLDER}/services/{name}.requirements.txt"}
            for name in ("nova", "horizon", "swift")
        ],
        "libraries": ["oslo.*"],
        "groups": {"configuration": ["oslo.config"], "logging": ["oslo.log"]},
        "global": f"{CORPUS_FOLDER}/global-requirements.txt",
        "constraints": f"{CORPUS_FOLDER}/upper-constraints.txt",
    },
)
