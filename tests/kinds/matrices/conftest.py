"""Fixtures of the matrix tests: the real matrices of the shared corpus."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from crosswork.kinds.matrices import command

#: Every INI matrix of the corpus, relative to ``corpus/openstack``.
CORPUS_MATRICES = (
    "nova/support-matrix.ini",
    "nova/support-matrix.pre-xen-removal.ini",
    "nova/feature-matrix-gp.ini",
    "nova/feature-matrix-nfv.ini",
    "nova/feature-matrix-hpc.ini",
    "cinder/support-matrix.ini",
    "sphinx-feature-classification/fake-support-matrix.ini",
)


@pytest.fixture
def openstack(corpus: Path) -> Path:
    return corpus / "openstack"


@pytest.fixture
def crosswork_matrix():
    """``crosswork matrix ARGS`` through the subcommand's own registration,
    the way the main command wires it in; returns the exit status."""

    def run(*argv: str) -> int:
        parser = argparse.ArgumentParser(prog="crosswork")
        command.register(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(["matrix", *argv])
        return args.run(args)

    return run
