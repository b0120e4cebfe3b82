"""Feature matrices: which driver supports which feature, and the holes.

``parse`` reads the support-matrix INI files of OpenStack-style projects
(every section, with located errors), ``gaps`` compares each driver with a
reference driver, ``svg`` draws parity and trend charts, ``command`` is
``crosswork matrix`` and ``synthetic`` makes large matrices for
benchmarks. The Sphinx rendering builds on this API.
"""

from __future__ import annotations

from crosswork.matrix.gaps import (
    Analysis,
    Gap,
    Hole,
    analyse,
    as_data,
    default_reference,
    to_json,
)
from crosswork.matrix.model import (
    Cell,
    CellValue,
    Driver,
    Feature,
    Layout,
    Matrix,
    Status,
    StatusKind,
)
from crosswork.matrix.parse import decode_matrix, parse_matrix
from crosswork.matrix.svg import parity_chart, trend_chart

__all__ = [
    "Analysis",
    "Cell",
    "CellValue",
    "Driver",
    "Feature",
    "Gap",
    "Hole",
    "Layout",
    "Matrix",
    "Status",
    "StatusKind",
    "analyse",
    "as_data",
    "decode_matrix",
    "default_reference",
    "parity_chart",
    "parse_matrix",
    "to_json",
    "trend_chart",
]
