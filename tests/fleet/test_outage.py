"""Redis killed under load: no tool call fails, `/ready` says the server is degraded and why,
the fallbacks are counted, and the fleet shares again once redis-server is back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from tests.fleet.cluster import Fleet, metric, next_race_cards, ready, running_fleet
from tests.support.clients import mcp_client
from tests.support.redis_server import RedisServer, redis_server

PASSWORD = "Redis-Secret-4d1e"
pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server(password=PASSWORD) as server:  # a URL with a password to keep secret
        yield server


@pytest.fixture(scope="module")
def fleet(redis: RedisServer) -> Iterator[Fleet]:
    with running_fleet(redis, namespace="outage", latency_ms=100,
                       TAB_MCP_LOG_LEVEL="INFO") as running:
        yield running


async def wait_until(condition: Any, seconds: float = 30) -> None:
    ends = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > ends:
            raise AssertionError("condition never held")
        await anyio.sleep(0.1)


async def test_a_store_outage_under_load_fails_no_call_and_recovers(fleet: Fleet) -> None:
    races = await next_race_cards(fleet.servers[0], 30)
    results: list[Any] = []
    done = [0]

    async def load(server_url: str, own: list[dict[str, Any]]) -> None:
        async with mcp_client(server_url) as client:
            await client.list_tools()
            for race in own:  # one after the other: the outage lands among them
                results.append(await client.call_tool("race_card", race))
                done[0] += 1

    async def kill_midway() -> None:
        await wait_until(lambda: done[0] >= len(races) // 3)
        fleet.redis.kill()

    async with anyio.create_task_group() as group:
        group.start_soon(kill_midway)
        for server in fleet.servers:
            group.start_soon(load, server.mcp_url, races)  # each process reads every race
    failed = [result.content for result in results if result.is_error]
    assert len(results) == 2 * len(races) and not failed, failed

    for server in fleet.servers:
        body = ready(server)
        assert body["status"] == "degraded", body
        assert body["shared_store"]["mode"] == "fallback"
        assert "unreachable" in body["shared_store"]["reason"]
        assert metric(server, "tabmcp_store_fallbacks_total") > 0
        assert metric(server, "tabmcp_store_shared") == 0

    fleet.redis.start()  # same port
    for server in fleet.servers:
        await wait_until(lambda server=server: ready(server)["status"] == "ready")
        assert ready(server)["shared_store"] == {"mode": "shared", "reason": "in use"}
        assert metric(server, "tabmcp_store_shared") == 1
        log = server.output()
        assert "shared store unavailable" in log and "shared store available again" in log
        assert PASSWORD not in log
