"""Fixtures of the adoption kind: the corpus's requirements files, read."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswork.kinds.adoption.requirements import RequirementsFile, parse_requirements

SERVICES = [
    "nova",
    "cinder",
    "neutron",
    "keystone",
    "glance",
    "swift",
    "heat",
    "ironic",
    "octavia",
    "barbican",
    "manila",
    "horizon",
    "designate",
]


def read(path: Path) -> RequirementsFile:
    return parse_requirements(path.name, path.read_bytes())


@pytest.fixture
def requirements_corpus(corpus: Path) -> Path:
    return corpus / "openstack" / "requirements"


@pytest.fixture
def services(requirements_corpus: Path) -> dict[str, RequirementsFile]:
    """The 13 services' current files, by service, in the issue's order."""
    folder = requirements_corpus / "services"
    return {name: read(folder / f"{name}.requirements.txt") for name in SERVICES}
