"""Shared fixtures: the seed disclosure in ../shared (skipped when absent) and the project's own documents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Installed third-party plugins (entry points of the group `juesuan`, e.g. examples/plugin-csv in CI) must not
# change the host's own results; tests of entry-point loading clear this variable themselves.
os.environ.setdefault("JUESUAN_DISABLE_PLUGIN_AUTOLOAD", "1")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_38207ba7611ec7da.txt"
FIXTURES = ROOT / "tests" / "fixtures"
DOCS = FIXTURES / "docs"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("the shared example disclosure is not present")
    return SEED
