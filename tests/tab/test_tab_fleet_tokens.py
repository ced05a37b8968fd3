"""Upstream tokens shared by the fleet, at the client: two clients stand for two processes, each
with its own token manager and store connection, sharing one real redis-server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from app.config import load_settings
from app.domain.credentials import Credentials
from app.sandbox.options import DEFAULT_CLIENT_SECRET, DEFAULT_PASSWORD
from app.store import SealError, SharedStore
from app.tab.client import TabClient
from tests.support.redis_server import RedisServer, redis_server
from tests.tab.conftest import SERVICE_ROOT, Sandbox

KEY = "7a" * 32
DATA_PATH = SERVICE_ROOT + "/racing/dates/2026-09-23/meetings/R/WFM/races/2/form/1"
BODY = {"runnerNumber": 1, "runnerName": "DE ARMAS"}
pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


def connect(url: str, namespace: str) -> SharedStore:
    return SharedStore.from_settings(load_settings(
        tab_mcp_redis_url=url, tab_mcp_store_key=KEY, tab_mcp_store_namespace=namespace))


@pytest.fixture
async def stores(redis: RedisServer, request: pytest.FixtureRequest
                 ) -> AsyncIterator[list[SharedStore]]:
    """Two connections ("processes") to the store, in a namespace of this test's own."""
    made = [connect(redis.url, f"tokens-{abs(hash(request.node.name))}") for _ in range(2)]
    yield made
    for store in made:
        await store.aclose()


def process(sandbox: Sandbox, store: SharedStore, mode: str = "password") -> TabClient:
    # Uncached, so every call needs a token.
    return sandbox.client(mode, client_options={"store": store}, tab_mcp_store_key=KEY,
                          tab_cache_enabled=False)


async def load(clients: list[TabClient], calls: int = 25) -> None:
    """`calls` concurrent reads on every client, all answered."""
    results = await asyncio.gather(*(client.get_raw(DATA_PATH, {"n": n})
                                     for client in clients for n in range(calls)))
    assert all(result.data == BODY for result in results)


async def test_the_second_process_uses_the_first_ones_login(
        asgi_sandbox: Sandbox, stores: list[SharedStore]) -> None:
    await asgi_sandbox.override(DATA_PATH, BODY)
    first, second = (process(asgi_sandbox, store) for store in stores)
    await load([first, second])
    assert await asgi_sandbox.token_requests() == {
        "client_credentials": 0, "password": 1, "refresh_token": 0}


async def test_a_token_expired_upstream_is_renewed_once_for_the_fleet(
        asgi_sandbox: Sandbox, stores: list[SharedStore]) -> None:
    await asgi_sandbox.override(DATA_PATH, BODY)
    first, second = (process(asgi_sandbox, store) for store in stores)
    await load([first, second], 1)
    await asgi_sandbox.admin("POST", "/tokens/expire")  # every call now draws a 401
    await load([first, second])
    stats = await asgi_sandbox.stats()
    # One refresh for both, with the one refresh token: rotated once, never refused.
    assert stats["token_requests"] == {"client_credentials": 0, "password": 1, "refresh_token": 1}
    assert sum(stats["token_failures"].values()) == 0
    await asgi_sandbox.admin("POST", "/tokens/revoke", {"all": True})  # the refresh token too
    await load([first, second])
    stats = await asgi_sandbox.stats()
    # One refresh (refused) and one login again, for both.
    assert stats["token_requests"] == {"client_credentials": 0, "password": 2, "refresh_token": 2}
    assert stats["token_failures"]["refresh_token"] == 1


async def test_one_credential_set_never_reads_anothers_token(
        asgi_sandbox: Sandbox, stores: list[SharedStore]) -> None:
    await asgi_sandbox.override(DATA_PATH, BODY)
    await asgi_sandbox.admin("PUT", "/clients", {"client_id": "another-client",
                                                 "client_secret": "another-secret"})
    server = process(asgi_sandbox, stores[0])
    other = process(asgi_sandbox, stores[1]).using(server.token_manager(Credentials(
        client_id="another-client", client_secret=SecretStr("another-secret"))))
    await load([server], 1)
    store = stores[0]
    keys = await store.run("scan", lambda redis: redis.keys(store.key("token", "*")))
    assert len(keys) == 1 and isinstance(keys[0], bytes)
    record = await store.run("get", lambda redis: redis.get(keys[0]))
    assert isinstance(record, bytes)
    for secret in [*asgi_sandbox.recorder.issued, DEFAULT_CLIENT_SECRET, DEFAULT_PASSWORD]:
        assert secret.encode() not in record and secret.encode() not in keys[0]
    ours = store.fingerprint(server.tokens.credentials)
    theirs = store.fingerprint(other.tokens.credentials)
    assert ours != theirs and keys[0].decode() == store.key("token", ours)
    with pytest.raises(SealError):
        store.unseal(record, context="token:" + theirs)
    # Copied under the other set's key, the record does not open: that set logs in itself.
    await store.run("copy", lambda redis: redis.set(store.key("token", theirs), record))
    await load([other], 1)
    assert (await asgi_sandbox.token_requests())["client_credentials"] == 1
    assert {seen.headers["authorization"] for seen in asgi_sandbox.recorder.data_requests()
            if "authorization" in seen.headers} == {
        f"Bearer {token}" for token in asgi_sandbox.recorder.issued[::2]}  # two access tokens


async def test_without_the_store_each_process_logs_in_and_no_call_fails(
        asgi_sandbox: Sandbox) -> None:
    await asgi_sandbox.override(DATA_PATH, BODY)
    dead = [connect("redis://127.0.0.1:9/0", "down") for _ in range(2)]  # nothing listens
    try:
        first, second = (process(asgi_sandbox, store) for store in dead)
        await load([first, second])
        assert (await asgi_sandbox.token_requests())["password"] == 2
        assert all(store.status()[0] == "fallback" for store in dead)
    finally:
        for store in dead:
            await store.aclose()


def test_a_token_record_carries_its_expiry_in_epoch_seconds() -> None:
    from app.tab.fleet_tokens import FleetTokens, Token

    now = [1000.0]
    here = FleetTokens(SharedStore(None), lambda: now[0])
    there = FleetTokens(SharedStore(None), lambda: 5.0)  # another process's monotonic clock
    record = here.encode(Token("access", "refresh", expires_at=1300.0, leeway=30.0))
    token: Any = there.decode(record)
    assert token.refresh_token == "refresh" and token.leeway == 30.0
    assert 304.0 < token.expires_at <= 305.0  # 300 s left, on the other clock
    with pytest.raises(ValueError, match="version"):
        there.decode(b'{"v":2,"access":"a"}')
