"""One deadline per tool call, over real HTTP with a real MCP client against a sandbox whose
pages accept the connection and never answer."""

from __future__ import annotations

import time

import httpx2
import pytest

from tests.support.stack import running_stack

DEADLINE = 2.0
# Each race page alone answers within the deadline; ten of them together do not.
SLOW_RACES = {"latency_ms": 1_500, "path_prefix": "/racing/dates"}
HANG_ALL = {"latency_ms": 600_000}


@pytest.mark.anyio
async def test_a_many_fetch_call_ends_within_its_deadline_and_opens_the_breaker() -> None:
    with running_stack(tab_call_deadline=DEADLINE, tab_mcp_rate_limit=0) as stack:
        # Next-to-go answers at once; each of the ten race pages scanned after it is slow.
        stack.admin("PUT", "/_sandbox/faults", SLOW_RACES)
        started = time.monotonic()
        text = await stack.call_error("market_movers", races=10)
        took = time.monotonic() - started
        assert "try again" in text

        stack.admin("PUT", "/_sandbox/faults", HANG_ALL)
        before = httpx2.get(f"{stack.url}/ready", timeout=10)
        for _ in range(5):  # the breaker's threshold: five fetches without an answer
            await stack.call_error("next_to_go")
        ready = httpx2.get(f"{stack.url}/ready", timeout=10)
        started = time.monotonic()
        text = await stack.call_error("market_movers", races=10)
        fail_fast = time.monotonic() - started
    # Ten sequential fetches: the call still ends at its one deadline.
    assert took < DEADLINE * 2, took
    assert before.status_code == 200
    assert ready.status_code == 503 and "breaker" in ready.json()["reason"]
    assert fail_fast < DEADLINE and "try again" in text
