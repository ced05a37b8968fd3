"""Fixtures shared by every test package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT.parent / "shared" / "tabcorp-samples"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def read_sample(name: str) -> bytes:
    """A real captured Tabcorp body from ../shared/tabcorp-samples.

    Skips the test where the reference folder is absent (a plain GitHub checkout); `.ci/run`
    refuses to run without it, so CI never skips these silently.
    """
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} is not available in this checkout", allow_module_level=True)
    return path.read_bytes()


def load_sample(name: str) -> Any:
    """`read_sample` parsed as JSON."""
    return json.loads(read_sample(name))
