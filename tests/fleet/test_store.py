"""`SharedStore` against a real redis-server: sealing, the fleet bucket, the lock, and the
fallback when the store fails, with its recovery."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.config import SettingsError, load_settings
from app.domain.credentials import Credentials
from app.observability.metrics import REGISTRY
from app.store import SealError, SharedStore, StoreUnavailable
from app.warming.claims import MINE_KEPT, StoreClaims
from tests.support.redis_server import RedisServer, redis_server

KEY = "0123456789abcdef" * 4
OTHER_KEY = "fedcba9876543210" * 4
pytestmark = pytest.mark.anyio


def make_store(url: str | None, *, key: str | None = KEY, namespace: str = "t",
               timeout: float = 0.25) -> SharedStore:
    values: dict[str, Any] = {"tab_mcp_redis_url": url, "tab_mcp_store_key": key,
                              "tab_mcp_store_namespace": namespace,
                              "tab_mcp_redis_timeout": timeout}
    return SharedStore.from_settings(load_settings(**{k: v for k, v in values.items()
                                                      if v is not None}))


@pytest.fixture
async def store(redis: RedisServer, request: pytest.FixtureRequest) -> AsyncIterator[SharedStore]:
    shared = make_store(redis.url, namespace=request.node.name[:60].replace("[", "-")
                        .replace("]", ""))
    await shared.open()
    yield shared
    await shared.aclose()


def fallbacks(operation: str) -> float:
    value = REGISTRY.get_sample_value("tabmcp_store_fallbacks_total",
                                      {"operation": operation})
    return value or 0.0


async def eventually(condition: Any, seconds: float = 15.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition never held")


# Sealing ---------------------------------------------------------------------------------------

async def test_sealed_values_open_only_with_the_same_key_and_context() -> None:
    store, same, other = make_store(None), make_store(None), make_store(None, key=OTHER_KEY)
    sealed = store.seal(b"access-token", context="token:fp1")
    assert b"access-token" not in sealed
    assert same.unseal(sealed, context="token:fp1") == b"access-token"
    with pytest.raises(SealError):
        store.unseal(sealed, context="token:fp2")  # another credential set's record
    with pytest.raises(SealError):
        other.unseal(sealed, context="token:fp1")  # another key
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(SealError):
        store.unseal(tampered, context="token:fp1")
    with pytest.raises(StoreUnavailable):
        make_store(None, key=None).seal(b"x", context="c")


def test_the_store_key_accepts_hex_base64_or_a_long_passphrase() -> None:
    for key in (KEY, "ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8=", "a long enough passphrase"):
        assert make_store(None, key=key).seal(b"x", context="c")
    with pytest.raises(SettingsError, match="TAB_MCP_STORE_KEY") as error:
        load_settings(tab_mcp_store_key="short-Secret")
    assert "short-Secret" not in str(error.value)


def test_fleet_fingerprints_agree_across_processes_holding_the_key() -> None:
    credentials = Credentials(client_id="id", client_secret=_secret("s3cret-value"))
    first, second = make_store(None), make_store(None)
    assert first.fingerprint(credentials) == second.fingerprint(credentials)
    assert make_store(None, key=OTHER_KEY).fingerprint(credentials) != first.fingerprint(
        credentials)
    assert first.fingerprint(Credentials(client_id="id", client_secret=_secret("other"))) != (
        first.fingerprint(credentials))
    assert first.fingerprint(Credentials()) == "anonymous"
    with pytest.raises(StoreUnavailable):
        make_store(None, key=None).fingerprint(credentials)


def test_redis_with_credentials_but_no_store_key_is_refused() -> None:
    with pytest.raises(SettingsError, match="TAB_MCP_STORE_KEY"):
        load_settings(tab_mcp_redis_url="redis://:pw-Secret@127.0.0.1:1/0",
                      tab_client_id="id", tab_client_secret="secret")


def test_the_redis_url_and_its_password_are_redacted_secrets() -> None:
    url = "redis://:Pass%2Fword-9@127.0.0.1:6390/0"
    settings = load_settings(tab_mcp_redis_url=url)
    assert url in settings.secret_values()
    assert "Pass/word-9" in settings.secret_values()
    assert "Pass" not in repr(settings)
    for bad in ("http://:Leak-Secret@host/", "redis://:Leak-Secret@host:port/0"):
        with pytest.raises(SettingsError, match="TAB_MCP_REDIS_URL") as error:
            load_settings(tab_mcp_redis_url=bad)
        assert "Leak-Secret" not in str(error.value)


def test_without_a_url_the_store_is_off_and_redis_is_not_imported() -> None:
    code = ("import sys; from app.config import load_settings; from app.store import "
            "SharedStore; s = SharedStore.from_settings(load_settings()); "
            "assert not s.enabled and s.status()[0] == 'off'; "
            "assert 'redis' not in sys.modules, 'redis imported'")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAB_")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)


async def test_a_disabled_store_raises_store_unavailable_at_once() -> None:
    store = make_store(None)
    with pytest.raises(StoreUnavailable):
        await store.run("get", lambda redis: redis.get("x"))
    with pytest.raises(StoreUnavailable):
        await store.take(store.key("budget"), 1.0, 1)
    assert store.status()[0] == "off" and not store.active


# The fleet bucket ------------------------------------------------------------------------------

async def test_take_reserves_tokens_at_the_rate_after_the_burst(store: SharedStore) -> None:
    key = store.key("budget", "upstream")
    waits = [await store.take(key, rate=1.0, burst=3) for _ in range(5)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    # One token a second after the burst (less the few ms between the calls).
    assert 0.8 < waits[3] <= 1.0 and 1.8 < waits[4] <= 2.0


async def test_take_beyond_max_wait_reserves_nothing(store: SharedStore) -> None:
    key = store.key("budget", "upstream")
    assert await store.take(key, rate=1.0, burst=1) == 0.0
    assert await store.take(key, rate=1.0, burst=1, max_wait=0.1) > 0.1  # not reserved
    assert 0.8 < await store.take(key, rate=1.0, burst=1) <= 1.0  # still the next one


async def test_take_is_one_bucket_for_every_connection(redis: RedisServer,
                                                       store: SharedStore) -> None:
    other = make_store(redis.url, namespace=store.namespace)
    key = store.key("budget", "upstream")
    try:
        waits = [await (store if n % 2 else other).take(key, rate=2.0, burst=2)
                 for n in range(4)]
    finally:
        await other.aclose()
    assert waits[:2] == [0.0, 0.0] and 0.3 < waits[2] <= 0.5 and 0.8 < waits[3] <= 1.0


# The lock --------------------------------------------------------------------------------------

async def test_lock_is_exclusive_across_connections(redis: RedisServer,
                                                    store: SharedStore) -> None:
    other = make_store(redis.url, namespace=store.namespace)
    key = store.key("lock", "card")
    try:
        async with store.lock(key, ttl=5, wait=0) as held:
            assert held
            async with other.lock(key, ttl=5, wait=0.1) as also:
                assert not also
        async with other.lock(key, ttl=5, wait=0) as after_release:
            assert after_release
    finally:
        await other.aclose()


async def test_a_waiter_gets_the_lock_when_the_holder_releases_it(
        redis: RedisServer, store: SharedStore) -> None:
    other = make_store(redis.url, namespace=store.namespace)
    key = store.key("lock", "card")
    order: list[str] = []

    async def holder() -> None:
        async with store.lock(key, ttl=5, wait=0) as held:
            assert held
            await asyncio.sleep(0.2)
            order.append("holder done")

    async def waiter() -> None:
        await asyncio.sleep(0.05)
        async with other.lock(key, ttl=5, wait=5) as held:
            assert held
            order.append("waiter in")

    try:
        await asyncio.gather(holder(), waiter())
    finally:
        await other.aclose()
    assert order == ["holder done", "waiter in"]


async def test_an_expired_holder_never_releases_the_next_holders_lock(
        redis: RedisServer, store: SharedStore) -> None:
    other = make_store(redis.url, namespace=store.namespace)
    key = store.key("lock", "card")
    first = store.lock(key, ttl=0.05, wait=0)
    try:
        assert await first.__aenter__()
        await asyncio.sleep(0.15)  # expired meanwhile
        async with other.lock(key, ttl=5, wait=0) as taken_over:
            assert taken_over
            await first.__aexit__(None, None, None)  # compare-and-delete: not other's lock
            async with store.lock(key, ttl=5, wait=0) as third:
                assert not third
    finally:
        await other.aclose()


# Failure, fallback and recovery ------------------------------------------------------------------

async def test_a_slow_store_falls_back_then_recovers(redis: RedisServer) -> None:
    store = make_store(redis.url, namespace="slow", timeout=0.1)
    blocker = make_store(redis.url, namespace="slow", timeout=5)
    key = store.key("budget", "upstream")
    try:
        await store.open()
        assert store.status() == ("shared", "in use")
        before = fallbacks("take")
        # Every client's commands wait for a second (the store is slow, not gone).
        await blocker.run("pause", lambda redis: redis.client_pause(1000))
        with pytest.raises(StoreUnavailable, match=r"did not answer within 0\.1 s"):
            await store.take(key, 1.0, 1)
        mode, reason = store.status()
        assert mode == "fallback" and "did not answer" in reason and not store.active
        with pytest.raises(StoreUnavailable):  # in the backoff: not even tried
            await store.take(key, 1.0, 1)
        assert fallbacks("take") == before + 2
        await eventually(lambda: store.active)
        assert store.status() == ("shared", "in use")
        assert await store.take(key, 1.0, 1) == 0.0
    finally:
        await store.aclose()
        await blocker.aclose()


async def test_a_restarted_store_is_used_again_without_a_secret_in_the_reason() -> None:
    with redis_server(password="Redis-Pass-Secret-7") as server:
        store = make_store(server.url, namespace="restart")
        try:
            await store.open()
            assert await store.take(store.key("b"), 1.0, 5) == 0.0
            server.kill()
            with pytest.raises(StoreUnavailable) as error:
                await store.take(store.key("b"), 1.0, 5)
            mode, reason = store.status()
            assert mode == "fallback" and "unreachable" in reason
            assert "Redis-Pass-Secret-7" not in reason + str(error.value)
            assert str(server.port) not in reason
            server.start()
            await eventually(lambda: store.active)
            assert await store.take(store.key("b"), 1.0, 5) == 0.0
        finally:
            await store.aclose()


def _secret(value: str) -> Any:
    from pydantic import SecretStr

    return SecretStr(value)


async def test_warm_claims_are_shared_released_and_remembered_within_a_bound(
        store: SharedStore, redis: RedisServer) -> None:
    other = make_store(redis.url, namespace=store.namespace)
    await other.open()
    try:
        mine, theirs = StoreClaims(store), StoreClaims(other)
        assert await mine.claim("race-1", 30)
        assert not await theirs.claim("race-1", 30)  # held by the other process
        await mine.release("race-1")
        assert await theirs.claim("race-1", 30)  # released: free for the fleet
        for number in range(MINE_KEPT + 50):  # claims that are never released
            assert await mine.claim(f"card-{number}", 30)
        assert len(mine._mine) == MINE_KEPT
    finally:
        await other.aclose()
