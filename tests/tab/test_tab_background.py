"""Background reads: the pacer gives them only spare tokens and never queues them; the cache
refreshes for them ahead of expiry without making anyone wait on, or share, their fetch.

Time is a fake clock here, so the assertions are about order and counts, not speed.
"""

from __future__ import annotations

import asyncio

import pytest

from app.primitives.token_bucket import TokenBucket as Allowance
from app.tab.background import Background, background
from app.tab.cache import TTLCache
from app.tab.caller import caller_scope
from app.tab.errors import Unavailable, UpstreamBusy
from app.tab.ratelimit import TokenBucket
from tests.support.clock import FakeClock

pytestmark = pytest.mark.anyio


def test_an_idle_take_never_takes_the_last_token() -> None:
    clock = FakeClock(50.0)
    pacer = TokenBucket(1.0, burst=3, clock=clock)
    assert [pacer.try_acquire_idle() for _ in range(3)] == [True, True, False]
    clock.now += 0.5  # half a token more: still one whole token only
    assert not pacer.try_acquire_idle()
    clock.now += 0.5
    assert pacer.try_acquire_idle()


async def test_the_last_token_is_left_for_a_caller() -> None:
    clock = FakeClock(50.0)
    pacer = TokenBucket(1.0, burst=2, clock=clock)
    assert pacer.try_acquire_idle()
    assert not pacer.try_acquire_idle()
    await asyncio.wait_for(pacer.acquire(), 0.5)  # the caller's token is there at once


def test_the_allowance_caps_background_reads_at_its_rate() -> None:
    clock = FakeClock(50.0)
    pacer = TokenBucket(100.0, burst=10, clock=clock)  # plenty of spare tokens
    allowance = Allowance(2.0, 2, clock())
    taken = 0
    for _ in range(1000):  # ten seconds in steps of 10 ms
        clock.now += 0.01
        taken += pacer.try_acquire_idle(allowance)
    assert 2 * 10 - 1 <= taken <= 2 * 10 + 2  # its rate over the span, plus its burst


async def test_background_reads_never_queue_and_waiting_callers_are_served_first() -> None:
    clock = FakeClock(50.0)
    pacer = TokenBucket(1.0, burst=2, clock=clock)
    granted: list[str] = []

    async def read(who: str) -> None:
        with caller_scope(who):
            await pacer.acquire(deadline=clock.now + 100)
        granted.append(who)

    async def background_read() -> None:
        with background(Background(None)):
            await pacer.acquire()
        granted.append("background")

    await read("a")
    await read("b")  # the burst is spent
    waiting = [asyncio.create_task(read(who)) for who in ("c", "d")]
    await asyncio.sleep(0)  # both are in the queue now
    await asyncio.sleep(0)  # and the dispatcher sleeps until the next token is due
    clock.now += 5  # tokens refill, but the queue holds c and d
    attempt = asyncio.create_task(background_read())
    await asyncio.sleep(0)
    assert attempt.done()  # refused at once: it did not join the queue
    with pytest.raises(UpstreamBusy):
        attempt.result()
    await asyncio.wait_for(asyncio.gather(*waiting), 2)
    assert granted == ["a", "b", "c", "d"]
    clock.now += 5
    await background_read()  # nobody waits and tokens are spare: it goes
    assert granted[-1] == "background"


class Gate:
    """A fetch that waits for the test to open it, then returns or raises."""

    def __init__(self, value: str, error: Exception | None = None) -> None:
        self.value = value
        self.error = error
        self.opened = asyncio.Event()
        self.started = asyncio.Event()
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        self.started.set()
        await self.opened.wait()
        if self.error is not None:
            raise self.error
        return self.value


async def test_a_refresh_ahead_keeps_serving_the_stored_entry_meanwhile() -> None:
    clock = FakeClock(50.0)
    cache: TTLCache[str] = TTLCache("test", clock=clock)
    await cache.get_or_fetch("k", 10.0, _value("old"))
    clock.now += 5  # 5 s left: not due for a 2 s refresh-ahead
    ahead = await cache.get_or_fetch("k", 10.0, _value("unused"), ahead=2.0)
    assert (ahead.value, ahead.hit) == ("old", True)

    clock.now += 4  # 1 s left: due
    refresh = Gate("new")
    background_read = asyncio.create_task(cache.get_or_fetch("k", 10.0, refresh, ahead=2.0))
    await refresh.started.wait()
    caller = Gate("callers-own")
    served = await asyncio.wait_for(cache.get_or_fetch("k", 10.0, caller), 1)
    assert (served.value, served.hit, caller.calls) == ("old", True, 0)
    refresh.opened.set()
    assert (await background_read).value == "new"
    after = await cache.get_or_fetch("k", 10.0, _value("unused"))
    assert (after.value, after.hit) == ("new", True)


async def test_a_caller_never_shares_a_failing_background_fetch() -> None:
    cache: TTLCache[str] = TTLCache("test")
    failing = Gate("never", Unavailable("down"))
    background_read = asyncio.create_task(cache.get_or_fetch("k", 10.0, failing, ahead=2.0))
    await failing.started.wait()
    caller = Gate("callers-own")
    caller.opened.set()
    served = await asyncio.wait_for(cache.get_or_fetch("k", 10.0, caller), 1)
    assert (served.value, served.hit, caller.calls) == ("callers-own", False, 1)
    failing.opened.set()
    with pytest.raises(Unavailable):
        await background_read


def _value(value: str) -> Gate:
    gate = Gate(value)
    gate.opened.set()
    return gate
