"""The token bucket and the circuit breaker on their own (time injected where possible)."""

from __future__ import annotations

import asyncio
import time

import pytest

from app.observability.metrics import REGISTRY
from app.tab.breaker import BreakerState, CircuitBreaker
from app.tab.errors import CircuitOpen, UpstreamBusy
from app.tab.ratelimit import TokenBucket
from tests.support.clock import FakeClock

pytestmark = pytest.mark.anyio


async def test_bucket_spaces_requests_after_the_burst() -> None:
    bucket = TokenBucket(20.0, burst=2)
    started = time.monotonic()
    arrivals: list[float] = []

    async def one() -> None:
        await bucket.acquire()
        arrivals.append(time.monotonic() - started)

    await asyncio.gather(*(one() for _ in range(6)))
    arrivals.sort()
    assert arrivals[1] < 0.04  # the burst goes at once
    assert arrivals[-1] >= 0.19 * 0.9  # 4 more at 20/s: 0.2 s
    assert arrivals[-1] < 1.0


async def test_bucket_refuses_waits_past_the_deadline_without_taking_a_token() -> None:
    bucket = TokenBucket(1.0, burst=1)
    await bucket.acquire()
    with pytest.raises(UpstreamBusy, match="upstream request rate"):
        await bucket.acquire(deadline=time.monotonic() + 0.5)
    started = time.monotonic()
    await bucket.acquire(deadline=time.monotonic() + 5)  # the refused call took no slot
    assert time.monotonic() - started < 1.2


async def test_unlimited_bucket_never_waits() -> None:
    bucket = TokenBucket(None, burst=1)
    started = time.monotonic()
    for _ in range(1000):
        await bucket.acquire(deadline=time.monotonic())
    assert time.monotonic() - started < 0.5


async def test_cancelled_waiter_returns_its_slot() -> None:
    clock = FakeClock(50.0)
    bucket = TokenBucket(1.0, burst=1, clock=clock)
    await bucket.acquire()
    waiter = asyncio.create_task(bucket.acquire())
    await asyncio.sleep(0.01)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    clock.now += 1.0
    await asyncio.wait_for(bucket.acquire(), 0.5)  # one token refilled and none reserved


def gauge() -> float:
    return REGISTRY.get_sample_value("tabmcp_upstream_breaker_open") or 0.0


def test_breaker_opens_after_consecutive_failures_and_probes_after_the_pause() -> None:
    clock = FakeClock(50.0)
    breaker = CircuitBreaker(failure_threshold=3, reset_timeout=10, clock=clock)
    for _ in range(2):
        breaker.before_call()
        breaker.record_failure()
    breaker.before_call()
    breaker.record_success()  # an answer resets the count
    for _ in range(3):
        assert breaker.before_call() is False
        breaker.record_failure()
    assert breaker.state is BreakerState.OPEN and breaker.is_open and gauge() == 1
    with pytest.raises(CircuitOpen, match="try again in about 10 s"):
        breaker.before_call()
    clock.now += 10
    assert breaker.state.value == "half_open" and not breaker.is_open
    assert breaker.before_call() is True  # the probe
    with pytest.raises(CircuitOpen):
        breaker.before_call()  # only one probe at a time
    breaker.record_failure()
    assert breaker.is_open  # a failed probe opens it again
    clock.now += 10
    assert breaker.before_call() is True
    breaker.release_probe()  # cancelled probe: someone else may probe
    assert breaker.before_call() is True
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED and gauge() == 0
    assert breaker.before_call() is False
