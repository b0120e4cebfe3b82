"""Compiled page templates, kept between builds.

Sphinx compiles every Jinja template of the theme again in each build: a
third of a second of CPU on the pydata theme, which a rebuild that changes
nothing spends for nothing. The compiled code is kept in the doctree
folder instead, one file per template, as Jinja's own bytecode cache
writes it (atomically, so parallel writers can share it).

A kept template is used only while its source is the same (Jinja compares
a checksum), on the same Jinja and Python (Jinja checks its magic), and
under the same compiler settings: the settings name the cache's folder.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemBytecodeCache

from crosswork import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: The folder of kept templates, in the doctree folder.
FOLDER = "crosswork-templates"


def compiler_settings(environment: Environment) -> str:
    """A digest of what, besides a template's source, its code depends on."""
    settings = (
        type(environment).__qualname__,
        sorted(environment.extensions),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        repr(environment.autoescape),
        environment.optimized,
    )
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


def keep_compiled_templates(app: Sphinx) -> None:
    """Give the builder's template environment a bytecode cache, if it has
    a Jinja environment of its own (the HTML builders do)."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, Environment) or environment.bytecode_cache:
        return
    top = Path(app.doctreedir) / FOLDER
    folder = top / compiler_settings(environment)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in top.iterdir():
        if stale != folder:
            shutil.rmtree(stale, ignore_errors=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> ExtensionMetadata:
    # Before the other builder-inited handlers, whose pages may render.
    app.connect("builder-inited", keep_compiled_templates, priority=100)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
