"""Helpers for the sandbox data tests: an in-process sandbox at a frozen instant."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx2

from app.sandbox.clock import Clock
from app.sandbox.options import SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.server import create_sandbox_app

BASE = "http://sandbox.test"
#: A Wednesday afternoon in Sydney: metropolitan racing under way, evening meetings to come.
INSTANT = datetime(2026, 9, 23, 4, 0, tzinfo=UTC)


@asynccontextmanager
async def sandbox(seed: int = 2026, instant: datetime = INSTANT
                  ) -> AsyncIterator[tuple[httpx2.AsyncClient, Clock]]:
    """A client for a fresh sandbox whose clock stands at `instant` (move it with the clock)."""
    clock = Clock(frozen_at=instant)
    app = create_sandbox_app(SandboxOptions(seed=seed, clock=clock))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app),
                                  base_url=BASE + SERVICE_ROOT) as client:
        yield client, clock


async def get_json(client: httpx2.AsyncClient, path: str, jurisdiction: str = "NSW",
                   **params: Any) -> Any:
    """GET a data path (relative to the service root) and return its JSON, asserting 200."""
    response = await client.get(path, params={"jurisdiction": jurisdiction, **params})
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response.json()


def race_paths(meetings: dict[str, Any], race_type: str | None = None
               ) -> Iterator[tuple[dict[str, Any], dict[str, Any], str]]:
    """(meeting, race stub, race detail path) for every addressable race of a meetings body."""
    for meeting in meetings["meetings"]:
        if meeting.get("fixedOddsOnly") or (race_type and meeting["raceType"] != race_type):
            continue
        for race in meeting["races"]:
            path = (f"/racing/dates/{meeting['meetingDate']}/meetings/{meeting['raceType']}/"
                    f"{meeting['venueMnemonic']}/races/{race['raceNumber']}")
            yield meeting, race, path


def parse_time(text: str) -> datetime:
    """An upstream ISO timestamp (`...000Z`) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
