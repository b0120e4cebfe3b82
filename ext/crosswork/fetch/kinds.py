"""Every kind of data track, by the key it has under ``tracks``.

A new kind adds its provider here and its track schema under
``$defs.tracks`` in ``workgroup.schema.json``.
"""

from __future__ import annotations

from crosswork.fetch import advisories, bugs, matrices
from crosswork.fetch.providers import Provider

PROVIDERS: dict[str, Provider] = {
    provider.kind: provider
    for provider in (bugs.PROVIDER, matrices.PROVIDER, advisories.PROVIDER)
}
