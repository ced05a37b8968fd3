"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT.parent / "shared" / "tabcorp-samples"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
