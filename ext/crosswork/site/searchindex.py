"""The search index: entries of pages an incremental build does not
rewrite, and each word stemmed once a build.

Sphinx's HTML builder keeps the pages it does not rewrite in the search
index by reloading the previous ``searchindex.js``, but it reloads only
their titles and words. Their ``index`` entries (from ``.. index::`` and
every object description) are read from the build environment, which is
pickled before the writing phase records them, so after any edit the index
keeps only the entries of the rewritten pages (sphinx-doc/sphinx#12599).

Before writing, :func:`seed_index_entries` gives every page the entries the
previous index holds for it, in page-name order: the indexer then replaces
those of the pages it rewrites, and writes the same index as a clean build.

Sphinx's English stemmer (pure-Python Snowball) is remembered one page at
a time, so every page stemmed its words afresh: at half scale a quarter of
a million stems, most of them of words every page shares.
:class:`SearchEnglish` remembers them for the whole build; the index it
makes is the same.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.search import en

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

#: One index entry as the indexer keeps it: (text, target id, ``"main"`` or
#: ``""``).
Entry = tuple[str, str, str]


def load_previous_index(builder: StandaloneHTMLBuilder) -> dict[str, Any]:
    """The search index on disk, if the builder's own loading accepts it.

    Entries must come back for exactly the pages whose titles and words the
    builder reloads: a page missing from those makes the index fail to dump.
    """
    path = builder.outdir / builder.searchindex_filename
    try:
        if builder.indexer_dumps_unicode:
            with open(path, encoding="utf-8") as text:
                frozen = builder.indexer_format.load(text)
        else:
            with open(path, "rb") as data:
                frozen = builder.indexer_format.load(data)
    except (OSError, ValueError):
        return {}
    if not isinstance(frozen, dict) or frozen.get("envversion") != builder.env.version:
        return {}
    return frozen


def entries_by_page(frozen: dict[str, Any]) -> dict[str, list[Entry]]:
    """The index entries of each page, from a frozen search index.

    The frozen index keys entries by their lower-cased text, which is all
    it writes back, and keeps each page's entries for one key in their
    original order; so these lists freeze to the same index again.
    """
    docnames = frozen.get("docnames", [])
    pages: dict[str, list[Entry]] = {}
    for text, places in frozen.get("indexentries", {}).items():
        for page, target, main in places:
            entry = (text, target, "main" if main else "")
            pages.setdefault(docnames[page], []).append(entry)
    return pages


def seed_index_entries(app: Sphinx, builder: Builder) -> None:
    """Before writing, give every page its entries from the previous index.

    Every page gets a slot, in name order as a clean build writes them,
    because the index lists a key's pages in the order of the slots.
    """
    if not isinstance(builder, StandaloneHTMLBuilder) or not builder.search:
        return
    env = builder.env
    previous = entries_by_page(load_previous_index(builder))
    entries: dict[str, list[Entry]] = env._search_index_index_entries
    entries.clear()
    entries.update({page: previous.get(page, []) for page in sorted(env.all_docs)})


class SearchEnglish(en.SearchEnglish):
    """Sphinx's English search language, with each word's stem kept for
    the build (the indexer makes one language object a build)."""

    #: Most words kept; a site's vocabulary is far smaller, numbers aside.
    KEPT = 1 << 17

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        stem = functools.lru_cache(maxsize=self.KEPT)(super().stem)
        self.stem = stem  # type: ignore[method-assign]
