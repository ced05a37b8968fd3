"""Two server processes sharing one upstream account's token through a real Redis: one login and
one refresh per expiry for the fleet, counted at the sandbox's token endpoint; a token the
upstream stopped accepting renewed once; per-process tokens, and no failed call, while Redis is
down."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from app.sandbox.embedded import SANDBOX_PASSWORD, SANDBOX_USERNAME
from tests.fleet.cluster import Fleet, ready, running_fleet
from tests.fleet.test_cluster import call_many
from tests.support.redis_server import RedisServer

#: The sandbox's token lifetime: usable for half of it (the leeway), so renewed every 5 s.
LIFETIME = 10
pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def fleet(redis: RedisServer) -> Iterator[Fleet]:
    # Uncached, so every call is an upstream request with the account's token.
    with running_fleet(redis, namespace="tokens", TAB_USERNAME=SANDBOX_USERNAME,
                       TAB_PASSWORD=SANDBOX_PASSWORD, TAB_CACHE_ENABLED="false") as running:
        running.admin("PUT", "/_sandbox/config", {"expires_in": LIFETIME})
        yield running


async def wave(fleet: Fleet, calls: int = 20) -> None:
    """`calls` concurrent tool calls on every process, none failing."""
    results: list[Any] = []

    async def on(url: str) -> None:
        results.extend(await call_many(url, [("racing_dates", {})] * calls))

    async with anyio.create_task_group() as group:
        for server in fleet.servers:
            group.start_soon(on, server.mcp_url)
    failed = [result.content for result in results if result.is_error]
    assert len(results) == calls * len(fleet.servers) and not failed, failed


def tokens(fleet: Fleet) -> tuple[dict[str, int], dict[str, int]]:
    """The sandbox's token requests and failures, by grant."""
    stats = fleet.stats()
    return stats["token_requests"], stats["token_failures"]


async def test_one_login_then_one_refresh_per_expiry_for_the_fleet(fleet: Fleet) -> None:
    fleet.reset_stats()
    await wave(fleet)
    requests, _ = tokens(fleet)
    assert requests == {"client_credentials": 0, "password": 1, "refresh_token": 0}
    for renewals in (1, 2):
        await anyio.sleep(LIFETIME / 2 + 0.5)  # the token is past its leeway everywhere
        await wave(fleet)
        requests, failures = tokens(fleet)
        # The refresh token rotated once per renewal: never refused, no login again.
        assert requests == {"client_credentials": 0, "password": 1, "refresh_token": renewals}
        assert sum(failures.values()) == 0


async def test_a_token_the_upstream_expired_or_revoked_is_renewed_once(fleet: Fleet) -> None:
    await wave(fleet, 2)
    fleet.reset_stats()
    fleet.admin("POST", "/_sandbox/tokens/expire")  # every call now draws a 401 at first
    await wave(fleet)
    requests, failures = tokens(fleet)
    assert requests == {"client_credentials": 0, "password": 0, "refresh_token": 1}
    assert sum(failures.values()) == 0
    fleet.reset_stats()
    fleet.admin("POST", "/_sandbox/tokens/revoke", {"all": True})  # the refresh token too
    await wave(fleet)
    requests, failures = tokens(fleet)
    assert requests == {"client_credentials": 0, "password": 1, "refresh_token": 1}
    assert failures["refresh_token"] == 1 and failures["password"] == 0


async def test_during_a_store_outage_each_process_renews_its_own_token(fleet: Fleet) -> None:
    await wave(fleet, 2)
    fleet.redis.kill()
    try:
        fleet.admin("POST", "/_sandbox/tokens/revoke", {"all": True})
        fleet.reset_stats()
        await wave(fleet)
        requests, _ = tokens(fleet)
        # No failed call; each process logged in on its own.
        assert requests["password"] == len(fleet.servers)
        assert all(ready(server)["shared_store"]["mode"] == "fallback"
                   for server in fleet.servers)
    finally:
        fleet.redis.start()
    for server in fleet.servers:
        ends = time.monotonic() + 30
        while ready(server)["shared_store"]["mode"] != "shared":
            assert time.monotonic() < ends, "the store never came back"
            await anyio.sleep(0.1)
    # Shared again: a revoked token is renewed once for the fleet.
    fleet.admin("POST", "/_sandbox/tokens/revoke", {"all": True})
    fleet.reset_stats()
    await wave(fleet)
    assert tokens(fleet)[0] == {"client_credentials": 0, "password": 1, "refresh_token": 1}
