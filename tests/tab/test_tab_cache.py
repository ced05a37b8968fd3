"""TTLCache: single flight, TTL, failures never stored, LRU bounds, metrics."""

from __future__ import annotations

import asyncio

import pytest

from app.observability.metrics import REGISTRY
from app.tab.cache import TTLCache
from tests.support.clock import FakeClock

pytestmark = pytest.mark.anyio


def events(cache: str, event: str) -> float:
    return REGISTRY.get_sample_value("tabmcp_cache_events_total",
                                     {"cache": cache, "event": event}) or 0.0


class Upstream:
    """A fetch function that counts its calls and can be made to fail or wait."""

    def __init__(self) -> None:
        self.calls = 0
        self.fail: Exception | None = None
        self.release = asyncio.Event()
        self.release.set()

    async def __call__(self) -> str:
        self.calls += 1
        await self.release.wait()
        if self.fail is not None:
            raise self.fail
        return f"value-{self.calls}"


async def test_concurrent_identical_keys_share_one_fetch() -> None:
    cache: TTLCache[str] = TTLCache("unit-coalesce")
    upstream = Upstream()
    upstream.release.clear()
    before = events("unit-coalesce", "coalesced")
    tasks = [asyncio.create_task(cache.get_or_fetch("k", 60, upstream)) for _ in range(100)]
    await asyncio.sleep(0.01)
    upstream.release.set()
    results = await asyncio.gather(*tasks)
    assert upstream.calls == 1
    assert {r.value for r in results} == {"value-1"}
    assert not any(r.hit for r in results)
    assert events("unit-coalesce", "coalesced") - before == 99
    again = await cache.get_or_fetch("k", 60, upstream)
    assert again.hit and again.value == "value-1" and again.fetched_at == results[0].fetched_at


async def test_failures_reach_every_waiter_and_are_not_stored() -> None:
    cache: TTLCache[str] = TTLCache("unit-fail")
    upstream = Upstream()
    upstream.fail = RuntimeError("upstream down")
    upstream.release.clear()
    tasks = [asyncio.create_task(cache.get_or_fetch("k", 60, upstream)) for _ in range(10)]
    await asyncio.sleep(0.01)
    upstream.release.set()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(o, RuntimeError) for o in outcomes)
    assert upstream.calls == 1
    upstream.fail = None
    result = await cache.get_or_fetch("k", 60, upstream)
    assert result.value == "value-2" and not result.hit
    assert len(cache) == 1


async def test_entries_expire_after_their_ttl() -> None:
    clock = FakeClock(1000.0)
    cache: TTLCache[str] = TTLCache("unit-ttl", clock=clock)
    upstream = Upstream()
    assert (await cache.get_or_fetch("k", 10, upstream)).value == "value-1"
    clock.now += 9.9
    assert (await cache.get_or_fetch("k", 10, upstream)).hit
    clock.now += 0.2
    refreshed = await cache.get_or_fetch("k", 10, upstream)
    assert refreshed.value == "value-2" and not refreshed.hit


async def test_ttl_may_depend_on_the_value() -> None:
    clock = FakeClock(1000.0)
    cache: TTLCache[str] = TTLCache("unit-ttl-fn", clock=clock)
    upstream = Upstream()

    def ttl(value: str) -> float:
        return 1000 if value == "value-2" else 5

    await cache.get_or_fetch("k", ttl, upstream)
    clock.now += 6
    await cache.get_or_fetch("k", ttl, upstream)  # value-2: long-lived
    clock.now += 500
    assert (await cache.get_or_fetch("k", ttl, upstream)).value == "value-2"
    assert upstream.calls == 2


async def test_lru_eviction_by_count_and_bytes() -> None:
    before = events("unit-lru", "evicted")
    cache: TTLCache[str] = TTLCache("unit-lru", max_entries=3, max_bytes=100, sizer=len)
    for key in "abc":
        await cache.get_or_fetch(key, 60, _const(key * 10))
    await cache.get_or_fetch("a", 60, _const("never"))  # touch a: b is now the oldest
    await cache.get_or_fetch("d", 60, _const("d" * 10))
    assert len(cache) == 3
    assert (await cache.get_or_fetch("a", 60, _const("refetched"))).hit
    assert (await cache.get_or_fetch("b", 60, _const("b-again"))).value == "b-again"
    big = await cache.get_or_fetch("e", 60, _const("e" * 95))
    assert not big.hit
    assert len(cache) == 1  # everything else evicted to make room for 95 bytes
    assert events("unit-lru", "evicted") - before >= 4
    await cache.get_or_fetch("huge", 60, _const("h" * 500))  # larger than the bound: not kept
    assert not (await cache.get_or_fetch("huge", 60, _const("again"))).hit


async def test_disabled_cache_still_coalesces() -> None:
    cache: TTLCache[str] = TTLCache("unit-disabled", enabled=False)
    upstream = Upstream()
    upstream.release.clear()
    tasks = [asyncio.create_task(cache.get_or_fetch("k", 60, upstream)) for _ in range(20)]
    await asyncio.sleep(0.01)
    upstream.release.set()
    await asyncio.gather(*tasks)
    assert upstream.calls == 1
    assert not (await cache.get_or_fetch("k", 60, upstream)).hit
    assert upstream.calls == 2


async def test_a_caller_giving_up_does_not_cancel_the_shared_fetch() -> None:
    cache: TTLCache[str] = TTLCache("unit-cancel")
    upstream = Upstream()
    upstream.release.clear()
    impatient = asyncio.create_task(cache.get_or_fetch("k", 60, upstream))
    patient = asyncio.create_task(cache.get_or_fetch("k", 60, upstream))
    await asyncio.sleep(0.01)
    impatient.cancel()
    upstream.release.set()
    assert (await patient).value == "value-1"
    assert impatient.cancelled()
    assert upstream.calls == 1


def _const(value: str):  # type: ignore[no-untyped-def]
    async def fetch() -> str:
        return value
    return fetch
