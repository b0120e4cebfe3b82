"""Spec lint results kept between builds, so an unchanged spec is not re-parsed.

The site build lints every spec at ``builder-inited``; with a thousand
specs that is seconds on every incremental build. A result depends only on
the file's text, the template, the known workgroups and the checks, so
that is its key; the day matters only to a ``Created`` date after it, so
an entry keeps the day it was linted on and the linter decides whether it
still holds (``holds_on`` in ``crosswork.specs.lint``). The entries
share the build's :class:`~crosswork.buildcache.BuildCache` file with the
charters and the template.
"""

from __future__ import annotations

import hashlib
from collections.abc import Set

from crosswork.buildcache import BuildCache


class LintCache(BuildCache):
    @staticmethod
    def key(
        path: str,
        text: str,
        template: object,
        workgroups: Set[str],
        checks: Set[str],
        roles: Set[str] = frozenset(),
    ) -> str:
        parts = (
            path,
            text,
            repr(template),
            ",".join(sorted(workgroups)),
            ",".join(sorted(checks)),
            ",".join(sorted(roles)),
        )
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()
