"""Feature matrices: which driver supports which feature, and the holes.

``parse`` reads the support-matrix INI files of OpenStack-style projects
(every section, with located errors), ``gaps`` compares each driver with a
reference driver, ``compare`` puts two or three drivers side by side
where they differ, ``svg`` draws parity and trend charts, ``command`` is
``crosswork matrix`` and ``synthetic`` makes large matrices for
benchmarks. ``tracks`` holds the track model, ``provider`` fetches matrix
files from the ``files`` service, ``progress`` counts the gaps a spec's
``Closes-Gaps`` targets and ``speclint`` checks those targets exist,
``sphinxext`` is the Sphinx layer: it
also works alone, in any Sphinx project, on INI files of that project.
"""

from __future__ import annotations

from pathlib import Path

from crosswork.datakind import DataKind

KIND = "matrices"


RECORD = DataKind(
    name=KIND,
    summary="Feature support matrices of drivers: parity, gaps and their trend.",
    provider="crosswork.kinds.matrices.provider:PROVIDER",
    track_schema=Path(__file__).with_name("track.schema.json"),
    extension="crosswork.kinds.matrices.sphinxext",
    hostile="crosswork.kinds.matrices.fake:hostile",
    glance="crosswork.kinds.matrices.glance:glance",
    warnings={
        "matrix": "a matrix file, track reference or feature-matrix directive is wrong",
    },
    checkers=(
        "crosswork.kinds.matrices.parse",
        "crosswork.kinds.matrices.tracks",
        "crosswork.kinds.matrices.speclint",
    ),
    lint="crosswork.kinds.matrices.tracks:lint_repository_files",
    spec_progress="crosswork.kinds.matrices.progress:progress",
    spec_lint="crosswork.kinds.matrices.speclint:lint_closes_gaps",
    example={
        "name": "nova",
        "path": "openstack/nova/support-matrix.ini",
        "reference": "libvirt-kvm-x86",
    },
)
