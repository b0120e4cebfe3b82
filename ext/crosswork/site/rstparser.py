"""Sphinx's reStructuredText parser, on the states of :mod:`crosswork.rststates`.

Every page of the site is parsed by these states, as every spec is by the
linter:

* a block nested deeper than :data:`~crosswork.rststates.MAX_NESTING` is
  left unread and reported as an error at its line, where Sphinx's own
  parser would end the build in a ``RecursionError``;
* a parse builds only the states it uses and shares each state class's
  transitions, which made parsing the synthetic site's specs in docutils
  some 40% faster (``benchmarks/RESULTS.md``).

What a page parses to is otherwise Sphinx's, node for node
(``tests/site/test_rstparser.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx import parsers

from crosswork import __version__
from crosswork.rststates import STATES

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


class RSTParser(parsers.RSTParser):
    """Sphinx's parser with the bounded, quickly built states."""

    def __init__(self) -> None:
        super().__init__()
        self.state_classes = STATES


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_source_parser(RSTParser, override=True)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
