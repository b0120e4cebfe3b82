"""Data made into nodes as its page is written, not kept from reading on.

Sphinx keeps the doctree of every page it reads in memory until it writes
the page. On a data page most of that doctree is tables: the same thousand
advisories are rows of the index, of the year, severity and package pages,
some twenty nodes each. So the directives of such pages leave a
:class:`deferred` node in their place, holding a maker's name and the ids
of what it shows, and :class:`MakeDeferred` calls the maker when the page
is written. What a read keeps is the page's outline (sections, titles,
index entries: what the table of contents, the index and the links to
sections need) and ids.

Makers run as a post-transform ahead of Sphinx's reference resolver, so the
links they make are resolved, and warned about, as the page's own are; and
after smart quotes, which apply to reading only, so data stays as written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import ReferencesResolver, SphinxPostTransform

from crosswork import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: Called with the environment, the page being written and the node's
#: arguments; returns the nodes that take the placeholder's place.
Maker = Callable[..., list[nodes.Node]]

_makers: dict[str, Maker] = {}


class deferred(nodes.General, nodes.Element):
    """Made by the maker ``maker`` from ``args`` when the page is written."""


def maker(name: str) -> Callable[[Maker], Maker]:
    """Register a function as the maker called ``name``."""

    def register(function: Maker) -> Maker:
        known = _makers.get(name, function)
        if _origin(known) != _origin(function):
            raise ValueError(f"two makers are called {name}")
        _makers[name] = function
        return function

    return register


def _origin(function: Maker) -> tuple[str, str]:
    # A module imported again registers its makers again.
    return function.__module__, function.__qualname__


def defer(name: str, *args: str | tuple[str, ...]) -> deferred:
    """A placeholder for what the maker ``name`` makes of ``args``: strings
    and tuples of strings, which the doctree keeps instead of the nodes."""
    if name not in _makers:
        raise KeyError(f"no maker is called {name}")
    return deferred(maker=name, args=args)


class MakeDeferred(SphinxPostTransform):
    """Replace every placeholder with what its maker makes of it."""

    default_priority = ReferencesResolver.default_priority - 1

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(deferred)):
            made = _makers[node["maker"]](self.env, self.env.docname, *node["args"])
            node.replace_self(made)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_node(deferred)
    app.add_post_transform(MakeDeferred)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
