"""Section navigation whose cost does not grow with the site.

A sidebar that renders the toctree of a whole section makes writing each
page cost as much as the section is large, so a site of n pages is written
in O(n²). This sidebar shows one level: the page's section index (the
page itself when it has entries) and that index's entries, read from the
environment's toctree data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


@dataclass(frozen=True)
class NavEntry:
    title: str
    uri: str
    current: bool


@dataclass(frozen=True)
class SectionNav:
    title: str
    uri: str
    entries: tuple[NavEntry, ...]


def parents(env: BuildEnvironment) -> dict[str, str]:
    """Each page's first including page; computed once per environment."""
    cached = getattr(env, "_crosswork_parents", None)
    if cached is None or cached[0] is not env.toctree_includes:
        found: dict[str, str] = {}
        for parent in sorted(env.toctree_includes):
            for child in env.toctree_includes[parent]:
                found.setdefault(child, parent)
        cached = (env.toctree_includes, found)
        env._crosswork_parents = cached  # not pickled: recomputed per process
    return cached[1]


def section_nav(app: Sphinx, pagename: str) -> SectionNav | None:
    env = app.env
    includes = env.toctree_includes
    index = pagename if includes.get(pagename) else parents(env).get(pagename)
    if index is None or index == env.config.root_doc:
        return None

    def uri(docname: str) -> str:
        return app.builder.get_relative_uri(pagename, docname) or "#"

    def title(docname: str) -> str:
        node = env.titles.get(docname)
        return node.astext() if node is not None else docname

    entries = tuple(
        NavEntry(title(child), uri(child), child == pagename)
        for child in includes.get(index, [])
        if child in env.titles
    )
    return SectionNav(title(index), uri(index), entries)


def add_section_nav(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: Any,
) -> None:
    context["crosswork_nav"] = section_nav(app, pagename)
