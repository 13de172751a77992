"""Shared fixtures of the library's own tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policyproof.snapshot.loader import load_snapshot

if TYPE_CHECKING:
    from policyproof.snapshot.model import Snapshot

pytest_plugins = ["pytester"]

ROOT = Path(__file__).parent.parent
SNAPSHOTS = ROOT / "policy_snapshots"
SUITE = Path(__file__).parent / "data" / "suite"


@pytest.fixture
def acme_suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with the Acme snapshot, its four guarantees of known outcome and the module that collects them."""
    shutil.copytree(SUITE / "policy_snapshots", pytester.path / "policy_snapshots")
    shutil.copytree(SUITE / "features", pytester.path / "features")
    pytester.makepyfile(test_acme_guarantees='from pytest_bdd import scenarios\n\nscenarios("features")\n')
    return pytester


@pytest.fixture(scope="session")
def linkedin_2025() -> Snapshot:
    """The LinkedIn snapshot of 3 November 2025."""
    return load_snapshot(SNAPSHOTS / "linkedin@2025-11-03.yaml", ROOT)


@pytest.fixture(scope="session")
def linkedin_2024() -> Snapshot:
    """The LinkedIn snapshot of 18 September 2024."""
    return load_snapshot(SNAPSHOTS / "linkedin@2024-09-18.yaml", ROOT)


@pytest.fixture(scope="session")
def meta_2025() -> Snapshot:
    """The Meta snapshot of 27 May 2025."""
    return load_snapshot(SNAPSHOTS / "meta@2025-05-27.yaml", ROOT)
