"""The site's machine-readable files, ``api/<name>.json``: one envelope, one writer.

Every file is an object that starts with the same three keys:
``schema_version`` (the file's own shape version: adding a key keeps it,
renaming or removing one raises it), ``generated`` (when the fetch run
whose snapshot the file was built from ended, RFC 3339 UTC) and
``snapshot`` (that day, ``YYYY-MM-DD``); both are null before the first
fetch. ``generated`` is the data's time, not the build's, so the same
inputs give the same bytes and an unchanged file is never rewritten.

Every record names its page on the site in ``page``: an absolute URL when
the site has an address (``html_baseurl``, from ``CROSSWORK_SITE_URL``),
else a path relative to the site's root (``workgroups/security.html``),
never a made-up host. Each file's shape is a JSON Schema committed beside
the code that builds its records (``<name>.api.schema.json``); the
tests validate every file the site builds against it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosswork.atomicfile import write_if_changed
from crosswork.fetch.snapshot import format_time
from crosswork.site.feeds import site_url
from crosswork.site.health import snapshot_time
from crosswork.site.pagedata import data_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The folder beside the HTML that holds the files.
API_FOLDER = "api"

#: The keys every file starts with, in this order.
ENVELOPE_KEYS = ("schema_version", "generated", "snapshot")


def api_path(name: str) -> str:
    """``api/<name>.json``, relative to the site's root."""
    return f"{API_FOLDER}/{name}.json"


def envelope(
    schema_version: int, generated: dt.datetime | None, body: Mapping[str, Any]
) -> dict[str, Any]:
    """The whole file: the shared keys first, then the file's own."""
    return {
        "schema_version": schema_version,
        "generated": None if generated is None else format_time(generated),
        "snapshot": None
        if generated is None
        else generated.astimezone(dt.UTC).date().isoformat(),
        **body,
    }


def api_bytes(document: Mapping[str, Any]) -> bytes:
    """Indented UTF-8 JSON with a final newline, the same bytes for the same input."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def page_url(app: Sphinx, docname: str, anchor: str = "") -> str:
    """A page's address for a record: absolute with a site address, else relative
    to the site's root; ``anchor`` names a section of the page."""
    uri = app.builder.get_target_uri(docname) + (f"#{anchor}" if anchor else "")
    return asset_url(app, uri)


def asset_url(app: Sphinx, path: str) -> str:
    """A published file's address (``calendars/x.ics``), addressed like pages."""
    base = site_url(app.config)
    return f"{base}/{path}" if base else path


def write_api(
    app: Sphinx, name: str, schema_version: int, body: Mapping[str, Any]
) -> Path:
    """Write ``api/<name>.json`` beside the HTML, only when its bytes change."""
    folder = data_state(app.env).folder
    generated = snapshot_time(folder) if folder else None
    path = Path(app.outdir) / api_path(name)
    write_if_changed(path, api_bytes(envelope(schema_version, generated, body)))
    return path
