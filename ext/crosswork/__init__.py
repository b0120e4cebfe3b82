"""crosswork: the site and tools of the cross-project workgroups.

As a Sphinx extension (``extensions = ["crosswork"]``) it loads every
capability below; each subpackage can also be loaded on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"

#: The Sphinx extensions that make up the site, in load order.
EXTENSIONS = (
    "crosswork.site",
    "crosswork.workgroups.sphinxext",
    "crosswork.specs.sphinxext",
    "crosswork.bugs.sphinxext",
    "crosswork.matrix.sphinxext",
    "crosswork.advisories.sphinxext",
)


def setup(app: Sphinx) -> ExtensionMetadata:
    for name in EXTENSIONS:
        app.setup_extension(name)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
