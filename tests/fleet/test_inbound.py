"""Inbound rate limits across two server processes sharing a real Redis: one client spreading its
requests over both gets the configured rate and burst once for the fleet; with Redis down, each
process still limits it on its own."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx2
import pytest

from tests.fleet.cluster import Fleet, ready, running_fleet
from tests.support.redis_server import RedisServer

RATE = 1.0
BURST = 5
PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
HEADERS = {"Accept": "application/json, text/event-stream"}


@pytest.fixture(scope="module")
def fleet(redis: RedisServer) -> Iterator[Fleet]:
    with running_fleet(redis, namespace="inbound", TAB_MCP_RATE_LIMIT=str(RATE),
                       TAB_MCP_RATE_BURST=str(BURST)) as running:
        yield running


def burst(fleet: Fleet, requests: int = 30) -> tuple[list[int], float]:
    """`requests` requests from one client (this address), alternating over the processes:
    how many each process admitted, and the seconds it took."""
    admitted = [0] * len(fleet.servers)
    started = time.monotonic()
    with httpx2.Client(timeout=10) as client:
        for n in range(requests):
            server = n % len(fleet.servers)
            response = client.post(fleet.servers[server].mcp_url, json=PING, headers=HEADERS)
            if response.status_code != 429:
                admitted[server] += 1
            else:
                assert int(response.headers["retry-after"]) >= 1
    return admitted, time.monotonic() - started


def wait_for_bucket() -> None:
    """Long enough for the client's buckets to fill again."""
    time.sleep(BURST / RATE + 0.5)


def test_one_client_gets_the_rate_once_for_the_fleet(fleet: Fleet) -> None:
    wait_for_bucket()
    admitted, elapsed = burst(fleet)
    # Alone, each process would admit its own burst: together they admit one.
    assert BURST <= sum(admitted) <= BURST + RATE * elapsed, (admitted, elapsed)
    assert all(admitted), admitted  # both processes served some


def test_with_redis_down_each_process_still_limits(fleet: Fleet) -> None:
    wait_for_bucket()
    fleet.redis.kill()
    try:
        admitted, elapsed = burst(fleet)
        for server in fleet.servers:
            assert ready(server)["shared_store"]["mode"] == "fallback"
        # Each process limits the client with its own bucket (so up to a burst each).
        for count in admitted:
            assert BURST <= count <= BURST + RATE * elapsed, (admitted, elapsed)
    finally:
        fleet.redis.start()
