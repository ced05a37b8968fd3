"""A process-wide token bucket that spaces out upstream requests, shared fairly by caller.

The real upstream's edge resets bursts, so every request (data and token) takes a token first.
When tokens run short, callers (`app.tab.caller`) are served round robin, each from its own
first-come queue, so one caller with many concurrent requests cannot starve another. A waiter
waits up to its deadline (the tool call's, by default) and then fails with `UpstreamBusy`,
saying when to try again.

With a shared store (`app.store`), each turn the local bucket gives also takes a token of the
fleet-wide bucket `budget:upstream` (same rate and burst), so every process sharing the store
stays together within the rate (replicas behind one egress address). When the store is
unavailable the local bucket alone applies.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from app.primitives import token_bucket
from app.store import SharedStore, StoreUnavailable
from app.tab.background import current_background
from app.tab.caller import current_caller
from app.tab.deadline import current_deadline
from app.tab.errors import UpstreamBusy

_Waiter = asyncio.Future[None]


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved up; `rate=None` means unlimited. With an
    enabled `store`, the same rate is also kept fleet-wide."""

    def __init__(self, rate: float | None, burst: int = 1, *,
                 clock: Callable[[], float] = time.monotonic,
                 store: SharedStore | None = None) -> None:
        if rate is not None and rate <= 0:
            rate = None
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._bucket = (token_bucket.TokenBucket(rate, self.burst, clock())
                        if rate is not None else None)
        self._queues: OrderedDict[str, deque[_Waiter]] = OrderedDict()
        self._waiting = 0
        self._dispatcher: asyncio.Task[None] | None = None
        self._fleet = store if store is not None and store.enabled and rate is not None else None
        self._fleet_key = store.key("budget", "upstream") if store is not None else ""

    async def acquire(self, deadline: float | None = None) -> None:
        """Take one token for the current caller, waiting for its turn if needed (and, with a
        shared store, one of the fleet's).

        `deadline` is an instant of `clock` (monotonic seconds by default; the tool call's
        deadline when omitted); raise `UpstreamBusy` if no token is given by then.
        """
        work = current_background()
        if work is not None:
            if not (self.try_acquire_idle(work.allowance) and await self._fleet_spare()):
                raise UpstreamBusy("no spare upstream budget for background work",
                                   retry_after=1.0)
            return
        deadline = deadline if deadline is not None else current_deadline()
        await self._local_turn(deadline)
        if self._fleet is not None:
            await self._fleet_turn(self._fleet, deadline)

    async def _fleet_turn(self, store: SharedStore, deadline: float | None) -> None:
        assert self.rate is not None
        left = None if deadline is None else max(0.0, deadline - self._clock())
        try:
            wait = await store.take(self._fleet_key, self.rate, self.burst, max_wait=left)
        except StoreUnavailable:
            return  # the local bucket alone applies
        if left is not None and wait > left:
            raise UpstreamBusy(
                f"The servers sharing this one's upstream budget are at its rate "
                f"({self.rate:g}/s) and could not fit this call in before its deadline; try "
                f"again in about {max(1.0, round(wait)):.0f} s.", retry_after=max(1.0, wait))
        if wait > 0:
            await asyncio.sleep(wait)

    async def _fleet_spare(self) -> bool:
        """Whether the fleet's bucket has a token to spare for background work: one is taken
        only while another stays for a caller, and never with a wait (agents on any replica
        reserve ahead in that bucket, so waiting agents leave nothing spare)."""
        if self._fleet is None or self.burst < 2:
            return self._fleet is None
        assert self.rate is not None
        try:
            return await self._fleet.take(self._fleet_key, self.rate, self.burst - 1,
                                          max_wait=0.0) == 0.0
        except StoreUnavailable:
            return True  # the local bucket alone applies

    async def _local_turn(self, deadline: float | None) -> None:
        bucket = self._bucket
        if bucket is None:
            return
        if not self._waiting and bucket.try_take(self._clock()) == 0.0:
            return
        now = self._clock()
        if deadline is not None and now + bucket.wait(now) > deadline:
            raise self._busy()  # even first in line, the next token comes too late
        waiter: _Waiter = asyncio.get_running_loop().create_future()
        caller = current_caller()
        self._queues.setdefault(caller, deque()).append(waiter)
        self._waiting += 1
        self._start_dispatcher()
        try:
            if deadline is None:
                await waiter
                return
            async with asyncio.timeout(max(0.0, deadline - now)):
                await waiter
        except TimeoutError:
            if waiter.done():
                return  # granted just as the wait ended
            self._withdraw(caller, waiter)
            raise self._busy() from None
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                bucket.give_back()
            else:
                self._withdraw(caller, waiter)
            raise

    def try_acquire_idle(self, allowance: token_bucket.TokenBucket | None = None) -> bool:
        """Take a token only if that delays no other request, never waiting: True when taken.

        Refused while any request waits its turn, when taking would leave no whole token for
        the next request, or when `allowance` (the background work's own bucket, on this
        limiter's clock) has no token.
        """
        now = self._clock()
        if allowance is not None and allowance.wait(now) > 0:
            return False
        bucket = self._bucket
        if bucket is not None:
            if self._waiting or bucket.try_take(now) > 0:
                return False
            if bucket.wait(now) > 0:  # that was the last whole token: keep it for others
                bucket.give_back()
                return False
        if allowance is not None:
            allowance.take()
        return True

    def _withdraw(self, caller: str, waiter: _Waiter) -> None:
        """Take a waiter that gave up out of its queue (so it holds no place)."""
        waiter.cancel()
        queue = self._queues.get(caller)
        if queue is not None and waiter in queue:
            queue.remove(waiter)
            self._waiting -= 1
            if not queue:
                del self._queues[caller]

    def _busy(self) -> UpstreamBusy:
        assert self.rate is not None
        retry_after = max(1.0, round(self._waiting / self.rate))
        return UpstreamBusy(
            f"This server is at its upstream request rate ({self.rate:g}/s, shared fairly "
            f"between its clients) and could not fit this call in before its deadline; try "
            f"again in about {retry_after:.0f} s.", retry_after=retry_after)

    def _start_dispatcher(self) -> None:
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.get_running_loop().create_task(self._dispatch())

    async def _dispatch(self) -> None:
        bucket = self._bucket
        assert bucket is not None
        while self._waiting:
            wait = bucket.wait(self._clock())
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            waiter = self._next_waiter()
            if waiter is not None:
                bucket.take()
                waiter.set_result(None)

    def _next_waiter(self) -> _Waiter | None:
        """The first live waiter of the next caller in turn (round robin)."""
        while self._queues:
            caller, queue = self._queues.popitem(last=False)
            waiter = None
            while queue and waiter is None:
                candidate = queue.popleft()
                self._waiting -= 1
                if not candidate.done():
                    waiter = candidate
            if queue:
                self._queues[caller] = queue  # back of the line
            if waiter is not None:
                return waiter
        return None
