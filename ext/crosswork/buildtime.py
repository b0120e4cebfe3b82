"""The moment of a build: ``SOURCE_DATE_EPOCH`` when set, as for any
reproducible build, otherwise now (UTC).

Everything a page shows relative to the build (the age of the data, the
next meetings) and what decides when the published files are written
again count from it, so two builds of one moment give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping


def build_time(environ: Mapping[str, str] | None = None) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` of ``environ`` (the process's unless given),
    ignored when it is not a number of seconds; otherwise now."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def build_date(environ: Mapping[str, str] | None = None) -> dt.date:
    """The UTC date of :func:`build_time`."""
    return build_time(environ).date()
