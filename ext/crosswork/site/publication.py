"""Whether a build writes the files published beside its pages.

At ``build-finished`` the site writes its machine-readable and subscribed
files: ``api/*.json``, feeds, calendars, the sitemap. Each is rebuilt from
the environment, the data snapshot and the configuration, then compared
with the file on disk; with thousands of records that is most of a no-op
rebuild. So a build writes them only when something they are made of may
have changed since they were last written into this output folder:

* a document was read or removed (every contributor and data file is a
  dependency of the pages that show it, so its change re-reads one);
* the configuration or tags the pages are written with, or the builder;
* the package's code, Sphinx or docutils;
* any file of the data snapshot (its name, size or time);
* the build's date (calendars and "upcoming" lists count from it).

A digest of all but the first is kept in the output folder (``RECORD``),
as Sphinx keeps its own ``.buildinfo`` there: a fresh or emptied folder
has none, so it always gets every file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import sphinx

from crosswork import __version__
from crosswork.atomicfile import write_if_changed
from crosswork.buildtime import build_date
from crosswork.lintcache import code_digest
from crosswork.site.pagedata import data_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

#: The record of what the published files were last written from.
RECORD = ".crosswork-published"

#: The builders whose pages have addresses on the published site.
WEB_BUILDERS = frozenset({"html", "dirhtml"})

#: Per build: whether a document was read or removed, then the decision.
_read_documents: weakref.WeakKeyDictionary[Sphinx, bool] = weakref.WeakKeyDictionary()
_decided: weakref.WeakKeyDictionary[Sphinx, tuple[bool, str]] = (
    weakref.WeakKeyDictionary()
)


def publishes(app: Sphinx, exception: BaseException | None) -> bool:
    """Whether this ``build-finished`` writes the published files: a web
    build that worked, whose inputs changed since they were last written."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return False
    return _decision(app)[0]


def _decision(app: Sphinx) -> tuple[bool, str]:
    if app not in _decided:
        key = inputs_key(app)
        due = _read_documents.get(app, False) or _recorded(app) != key
        _decided[app] = (due, key)
    return _decided[app]


def inputs_key(app: Sphinx) -> str:
    """A digest of what the published files are made of, besides the
    documents (see the module's description)."""
    digest = hashlib.sha256()
    build_info = getattr(app.builder, "build_info", None)
    for part in (
        __version__,
        code_digest(),
        sphinx.__version__,
        app.builder.name,
        getattr(build_info, "config_hash", ""),
        getattr(build_info, "tags_hash", ""),
        build_date().isoformat(),
        dt.date.today().isoformat(),
    ):
        digest.update(part.encode() + b"\0")
    folder = data_state(app.env).folder
    if folder is not None:
        for line in _snapshot_files(folder):
            digest.update(line.encode() + b"\0")
    return digest.hexdigest()


def _snapshot_files(folder: Path) -> list[str]:
    """Every file of the snapshot by name, size and time, in a fixed order."""
    lines = []
    for parent, _, names in os.walk(folder):
        for name in names:
            path = Path(parent, name)
            try:
                stat = path.stat()
            except OSError:
                continue
            relative = path.relative_to(folder).as_posix()
            lines.append(f"{relative} {stat.st_size} {stat.st_mtime_ns}")
    return sorted(lines)


def _recorded(app: Sphinx) -> str:
    try:
        return (Path(app.outdir) / RECORD).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def note_read(app: Sphinx, env: BuildEnvironment, *args: object) -> None:
    """A document is read or removed in this build."""
    _read_documents[app] = True


def note_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if docnames:
        _read_documents[app] = True


def record(app: Sphinx, exception: BaseException | None) -> None:
    """After every writer ran without error, keep what they were written from."""
    if publishes(app, exception):
        write_if_changed(Path(app.outdir) / RECORD, (_decision(app)[1] + "\n").encode())


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("env-before-read-docs", note_reading)
    app.connect("env-purge-doc", note_read)
    # After every writer (at the default priority, 500).
    app.connect("build-finished", record, priority=900)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
