"""The fetch tests run offline: anything leaving loopback fails them."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def offline(no_network: None) -> None:
    """Every fetch test fails if anything tried to leave loopback."""
