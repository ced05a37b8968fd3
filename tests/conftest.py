"""Fixtures shared by every test package."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.sandbox.clock import Clock
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.world.links import Links
from app.sandbox.world.world import World

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT.parent / "shared" / "tabcorp-samples"
#: Early morning in Sydney on the samples' day: every race of the day is still open.
SAMPLE_MORNING = datetime(2026, 9, 22, 20, 0, tzinfo=UTC)
#: The endpoint each captured sample was read from, as (World method, its arguments).
SAMPLE_ENDPOINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "meetings.json": ("meetings", ("2026-09-23",)),
    "race-detail.json": ("race", ("2026-09-23", "R", "WFM", "2")),
    "race-form.json": ("race_form", ("2026-09-23", "R", "WFM", "2")),
    "runner-form.json": ("runner_form", ("2026-09-23", "R", "WFM", "2", "1")),
}


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


def any_sample(name: str) -> Any:
    """A body of the endpoint sample `name` was captured from: the real one where it is
    available, else the sandbox's body for the same endpoint (seed 2026, the morning of the
    samples' day, every race still open).

    For tests that need a body of the right shape, not the real data: they never skip.
    """
    if (SAMPLES / name).exists():
        return load_sample(name)
    method, args = SAMPLE_ENDPOINTS[name]
    world = World(seed=2026, clock=Clock(frozen_at=SAMPLE_MORNING))
    links = Links("http://127.0.0.1:8765" + SERVICE_ROOT, "NSW")
    return getattr(world, method)(*args, links)
