"""crosswork: the site and tools of the cross-project workgroups.

As a Sphinx extension (``extensions = ["crosswork"]``) it loads the site's
core and every data kind of :data:`crosswork.kinds.KINDS`; a kind's
extension can also be loaded alone, in any Sphinx project.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"

#: The site's own extensions, in load order; each data kind adds its own.
CORE_EXTENSIONS = (
    "crosswork.site.sphinxext",
    "crosswork.workgroups.sphinxext",
    "crosswork.specs.sphinxext",
    "crosswork.dashboard.sphinxext",
)


def extensions() -> tuple[str, ...]:
    """Every extension of the site: the core's, then each data kind's."""
    from crosswork.kinds import KINDS  # reviewed: the package composes its kinds

    return CORE_EXTENSIONS + tuple(kind.extension for kind in KINDS)


def setup(app: Sphinx) -> ExtensionMetadata:
    for name in extensions():
        app.setup_extension(name)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
