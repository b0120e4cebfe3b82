"""Skips that CI turns into failures.

Some tests need what a machine may lack, like the shared corpus beside the
repository. On a developer's machine they skip; CI sets the variable of
each such need to ``1``, so a missing piece fails the run instead of
letting it pass with fewer tests.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

import pytest

#: Set to ``1`` to fail, not skip, the tests that need the shared corpus.
CORPUS_VARIABLE = "CROSSWORK_REQUIRE_CORPUS"


def skip_unless_required(
    reason: str, variable: str, environ: Mapping[str, str] | None = None
) -> NoReturn:
    """Skip the current test for ``reason``, or fail it if ``variable`` is 1."""
    environ = os.environ if environ is None else environ
    if environ.get(variable) == "1":
        pytest.fail(f"{reason}, and {variable}=1 requires it", pytrace=False)
    pytest.skip(reason)


def required_folder(
    path: Path, reason: str, variable: str, environ: Mapping[str, str] | None = None
) -> Path:
    """``path`` if it is a folder, else a skip or failure for ``reason``."""
    if not path.is_dir():
        skip_unless_required(reason, variable, environ)
    return path
