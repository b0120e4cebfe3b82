"""Parts of pages filled in when the page is written, and when to write them.

Some of a page depends on something that changes while its source does
not: the state of every data source (the status page), the age of the data
and the next meeting (the home page). Its directive leaves placeholder
nodes and calls :func:`fill_later`; when the page is written, every
handler of ``crosswork-fill-page`` (``FILL_EVENT``, called like
``doctree-resolved``) replaces its placeholders.

Such a page is written when what it would show changes, not on every
build: at ``env-updated`` a copy of its doctree is filled and digested,
and the page is written again when that digest differs from the one the
last writing kept in the environment, or when its output is missing or
older than that writing (a build that stopped before writing it). A
rebuild that changes nothing writes none of these pages, and a page never
shows less than what a build of that moment would.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from crosswork import __version__

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

#: Emitted with ``(doctree, docname)`` when a page is written, and on a copy
#: when it is decided whether to write it: handlers replace their
#: placeholders and must not do anything else.
FILL_EVENT = "crosswork-fill-page"


@dataclass(frozen=True)
class Written:
    """What a page filled in when it was last written."""

    #: The SHA-256 of the filled doctree.
    digest: str
    #: When it was decided, in microseconds since the epoch (as Sphinx
    #: keeps file times): the output file is newer once written.
    at: int


def filled_pages(env: BuildEnvironment) -> dict[str, Written | None]:
    """Pages with parts filled in when written: what each last showed
    (None until it is written)."""
    if not hasattr(env, "crosswork_filled_pages"):
        env.crosswork_filled_pages = {}
    return env.crosswork_filled_pages


def fill_later(env: BuildEnvironment) -> None:
    """The page being read has placeholders filled in when it is written."""
    filled_pages(env)[env.docname] = None


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    app.events.emit(FILL_EVENT, doctree, docname)


def filled_digest(app: Sphinx, docname: str) -> str:
    """The digest of the page's doctree as it would be written now.

    Its warnings are given when the page is written, not here.
    """
    doctree = app.env.get_doctree(docname)
    with logging.suppress_logging():
        fill(app, doctree, docname)
    return hashlib.sha256(doctree.pformat().encode()).hexdigest()


def written_since(app: Sphinx, docname: str, moment: int) -> bool:
    """Whether the page's output file was written at ``moment`` or later.

    A builder that names no output file per page is always answered no.
    """
    outfile = getattr(app.builder, "get_outfilename", None)
    if outfile is None:
        return False
    try:
        written = Path(outfile(docname)).stat().st_mtime_ns // 1000
    except OSError:
        return False
    return written >= moment


def pages_to_write(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose filled parts changed since they were last written."""
    pages = filled_pages(env)
    changed = []
    for docname in sorted(pages):
        if docname not in env.all_docs:
            continue
        digest = filled_digest(app, docname)
        last = pages[docname]
        if (
            last is None
            or last.digest != digest
            or not written_since(app, docname, last.at)
        ):
            pages[docname] = Written(digest, time.time_ns() // 1000)
            changed.append(docname)
    return changed


def purge_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    filled_pages(env).pop(docname, None)


def merge_pages(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any
) -> None:
    theirs = filled_pages(other)
    filled_pages(env).update({d: theirs[d] for d in docnames if d in theirs})


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_event(FILL_EVENT)
    app.connect("env-purge-doc", purge_page)
    app.connect("env-merge-info", merge_pages)
    app.connect("env-updated", pages_to_write)
    app.connect("doctree-resolved", fill)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
