"""Two server processes sharing a real Redis in front of one sandbox: one upstream fetch for
the fleet per key, and one upstream rate budget for the fleet, both counted at the sandbox."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from tests.fleet.cluster import Fleet, next_race_cards, ready, running_fleet
from tests.support.clients import mcp_client
from tests.support.redis_server import RedisServer

RATE = 5.0
BURST = 2
pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def fleet(redis: RedisServer) -> Iterator[Fleet]:
    # Every upstream answer takes 300 ms, so concurrent calls overlap across the processes.
    with running_fleet(redis, namespace="cluster", latency_ms=300,
                       TAB_RATE_LIMIT=str(RATE), TAB_RATE_BURST=str(BURST)) as running:
        yield running


async def call_many(url: str, calls: list[tuple[str, dict[str, Any]]],
                    clients: int = 2) -> list[Any]:
    """Run `calls` concurrently through `clients` MCP clients of the server at `url`."""
    results: list[Any] = []

    async def one(client: Any, tool: str, arguments: dict[str, Any]) -> None:
        results.append(await client.call_tool(tool, arguments))

    async with mcp_client(url) as first, mcp_client(url) as second:
        pool = [first, second][:clients]
        for client in pool:
            await client.list_tools()  # the client checks results against the listing
        async with anyio.create_task_group() as group:
            for n, (tool, arguments) in enumerate(calls):
                group.start_soon(one, pool[n % len(pool)], tool, arguments)
    return results


def test_the_fleet_reports_the_shared_store_as_ready(fleet: Fleet) -> None:
    for server in fleet.servers:
        body = ready(server)
        assert body["status"] == "ready"
        assert body["shared_store"] == {"mode": "shared", "reason": "in use"}


async def test_concurrent_identical_calls_on_every_process_fetch_once(fleet: Fleet) -> None:
    before = fleet.requests_for("/racing/dates")
    results: list[Any] = []

    async def on(server_url: str) -> None:
        results.extend(await call_many(server_url, [("racing_dates", {})] * 50))

    async with anyio.create_task_group() as group:
        for server in fleet.servers:
            group.start_soon(on, server.mcp_url)
    assert len(results) == 100 and not any(result.is_error for result in results)
    assert fleet.requests_for("/racing/dates") - before == 1
    # Every process's answer says how old the one fetch is, wherever it was made.
    ages = {result.structured_content["source"]["fetched_at"] for result in results}
    assert len(ages) == 1


async def test_the_fleet_stays_within_one_upstream_budget(fleet: Fleet) -> None:
    races = await next_race_cards(fleet.servers[0], 24)
    halves = [races[0::2], races[1::2]]
    fleet.reset_stats()
    started = time.monotonic()
    results: list[Any] = []

    async def hammer(server_url: str, own: list[dict[str, Any]]) -> None:
        results.extend(await call_many(server_url, [("race_card", race) for race in own]))

    async with anyio.create_task_group() as group:
        for server, own in zip(fleet.servers, halves, strict=True):
            group.start_soon(hammer, server.mcp_url, own)
    elapsed = time.monotonic() - started
    sent = fleet.stats()["requests_total"]
    assert not any(result.is_error for result in results), [
        result.content for result in results if result.is_error]
    # Each process alone may send RATE/s; together they may not either.
    assert sent >= len(races) // 2
    assert sent <= RATE * elapsed + BURST, (sent, elapsed)
