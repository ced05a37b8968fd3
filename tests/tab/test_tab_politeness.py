"""Politeness: a burst of reads reaches an edge-protected upstream spaced out, never reset.

This test takes about 7 s by design: 21 requests (one token, 20 reads) at 2.5 per second.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from app.sandbox.options import SandboxOptions
from app.tab.client import default_headers
from tests.tab.conftest import SERVICE_ROOT

pytestmark = pytest.mark.anyio

RATE = 2.5
BURST = 3
MEETING = SERVICE_ROOT + "/racing/dates/2026-09-23/meetings/R/WFM/races/"


async def test_limiter_keeps_a_burst_under_the_edge(start_socket_sandbox) -> None:  # type: ignore[no-untyped-def]
    sandbox = start_socket_sandbox(SandboxOptions(edge_protection=True, edge_rate=3.0,
                                                  edge_burst=3))
    for race in range(1, 21):
        await sandbox.override(f"{MEETING}{race}", {"raceNumber": race})
    client = sandbox.client("client_credentials", tab_rate_limit=RATE, tab_rate_burst=BURST)
    started = time.monotonic()
    results = await asyncio.gather(*(client.race("2026-09-23", "R", "WFM", race)
                                     for race in range(1, 21)))
    elapsed = time.monotonic() - started
    assert [r.data["raceNumber"] for r in results] == list(range(1, 21))
    stats = await sandbox.stats()
    assert stats["edge_resets"] == 0
    assert stats["requests_total"] == 21  # nothing had to be retried

    arrivals = sorted(seen.at for seen in sandbox.recorder.requests)
    spread = arrivals[-1] - arrivals[0]
    ideal = (21 - BURST) / RATE  # 7.2 s
    assert ideal * 0.85 <= spread <= ideal + 3, spread
    assert elapsed <= ideal + 4
    for first in arrivals:  # never more than the burst plus one second's worth in any second
        assert sum(1 for t in arrivals if first <= t < first + 1.0) <= BURST + RATE

    expected = {k.lower(): v for k, v in default_headers(client.settings).items()}
    for seen in sandbox.recorder.requests:
        for name, value in expected.items():
            if name == "accept" and seen.path == "/oauth/token":
                continue
            assert seen.headers.get(name) == value, (seen.path, name)
