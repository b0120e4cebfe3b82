"""The fetch step: upstream APIs to a versioned, checksummed snapshot.

Pure code, no Sphinx: :mod:`~crosswork.fetch.run` fetches every declared
source through the one HTTP client of :mod:`~crosswork.fetch.http` and
writes what it learnt with :mod:`~crosswork.fetch.snapshot`. The site
renders only from that snapshot, so an upstream outage never breaks a
build.
"""

from __future__ import annotations
