"""A process-wide token bucket that spaces out upstream requests.

The real upstream's edge resets bursts, so every request (data and token) takes a token first.
Waiting is first come, first served: each caller reserves the next free slot, so the bucket is
never over-committed. A wait that would pass the caller's deadline fails at once instead.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from app.primitives import token_bucket
from app.tab.errors import Unavailable


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved up; `rate=None` means unlimited."""

    def __init__(self, rate: float | None, burst: int = 1, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if rate is not None and rate <= 0:
            rate = None
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._bucket = (token_bucket.TokenBucket(rate, self.burst, clock())
                        if rate is not None else None)

    async def acquire(self, deadline: float | None = None) -> None:
        """Take one token, waiting for it if needed.

        `deadline` is an instant of `clock` (monotonic seconds by default); if the wait would end
        after it, raise `Unavailable` without waiting or taking a token.
        """
        if self._bucket is None:
            return
        now = self._clock()
        wait = self._bucket.wait(now)
        if deadline is not None and now + wait > deadline:
            raise Unavailable("The TAB service is busy (this server spaces its requests out); "
                              "try again in a few seconds.")
        self._bucket.take()  # reserve: later callers queue behind this slot
        if wait <= 0:
            return
        try:
            await asyncio.sleep(wait)
        except asyncio.CancelledError:
            self._bucket.give_back()
            raise
