"""The fleet-wide upstream cache and rate budget, at the client: two clients (or limiters) stand
for two processes, each with its own local state and store connection, sharing one real
redis-server."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from app.config import load_settings
from app.domain.credentials import Credentials
from app.store import SharedStore
from app.tab.client import TabClient
from app.tab.errors import UpstreamBusy
from app.tab.ratelimit import TokenBucket
from tests.support.redis_server import RedisServer, redis_server
from tests.tab.conftest import SERVICE_ROOT, Sandbox

KEY = "5e" * 32
DATES = SERVICE_ROOT + "/racing/dates"
pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture
async def stores(redis: RedisServer, request: pytest.FixtureRequest
                 ) -> AsyncIterator[list[SharedStore]]:
    """Two connections ("processes") to the store, in a namespace of this test's own."""
    namespace = f"cache-{abs(hash(request.node.name))}"
    made = [SharedStore.from_settings(load_settings(
        tab_mcp_redis_url=redis.url, tab_mcp_store_key=KEY, tab_mcp_store_namespace=namespace))
        for _ in range(2)]
    yield made
    for store in made:
        await store.aclose()


def process(sandbox: Sandbox, store: SharedStore, mode: str = "client_credentials",
            **overrides: Any) -> TabClient:
    return sandbox.client(mode, client_options={"store": store}, tab_mcp_store_key=KEY,
                          **overrides)


async def test_a_second_process_reads_the_first_ones_fetch(
        asgi_sandbox: Sandbox, stores: list[SharedStore]) -> None:
    first, second = (process(asgi_sandbox, store) for store in stores)
    fetched = await first.dates()
    shared = await second.dates()
    assert await asgi_sandbox.requests_for(DATES) == 1
    assert shared.data == fetched.data and shared.sandbox == fetched.sandbox
    assert shared.fetched_at == fetched.fetched_at  # its age is the fetch's, not the read's
    assert shared.cached and not fetched.cached


async def test_credential_sets_and_jurisdictions_never_share_an_entry(
        asgi_sandbox: Sandbox, stores: list[SharedStore]) -> None:
    await asgi_sandbox.admin("PUT", "/clients", {"client_id": "another-client",
                                                 "client_secret": "another-secret"})
    server = process(asgi_sandbox, stores[0])
    anonymous = process(asgi_sandbox, stores[1], "anonymous")
    session = process(asgi_sandbox, stores[1]).using(server.token_manager(Credentials(
        client_id="another-client", client_secret=SecretStr("another-secret"))))
    again = process(asgi_sandbox, stores[1])
    await server.dates()
    await anonymous.dates()
    await server.dates(jurisdiction="VIC")
    await session.dates()
    assert await asgi_sandbox.requests_for(DATES) == 4
    await again.dates()  # the server's own credentials, in another process: shared
    assert await asgi_sandbox.requests_for(DATES) == 4


async def test_an_unreadable_shared_record_is_a_miss(
        asgi_sandbox: Sandbox, stores: list[SharedStore]) -> None:
    first, second = (process(asgi_sandbox, store) for store in stores)
    await first.dates()
    keys = await stores[0].run("scan", lambda redis: redis.keys(stores[0].key("upstream", "*")))
    assert len(keys) == 1
    await stores[0].run("garble", lambda redis: redis.set(keys[0], b"9not a record", px=60_000))
    assert (await second.dates()).data
    assert await asgi_sandbox.requests_for(DATES) == 2


async def test_limiters_of_two_processes_share_one_budget(stores: list[SharedStore]) -> None:
    first, second = (TokenBucket(1.0, 1, store=store) for store in stores)
    await first.acquire()
    with pytest.raises(UpstreamBusy, match="sharing this one's upstream budget"):
        # Its own bucket is full, but the fleet's next token is a second away.
        await second.acquire(time.monotonic() + 0.2)
    alone = TokenBucket(1.0, 1, store=SharedStore(None))
    await alone.acquire(time.monotonic() + 0.2)  # no store: only its own bucket counts
