"""Token-bucket bookkeeping: refill by elapsed time, take, give back. No waiting, no clock."""

from __future__ import annotations


class TokenBucket:
    """`rate` tokens per second (> 0), at most `burst` saved up, full at `now`.

    Times are instants of the caller's monotonic clock. `take` may run the bucket below zero:
    that reserves a future token, and later callers then wait behind the reservation.
    """

    __slots__ = ("_tokens", "_updated", "burst", "rate")

    def __init__(self, rate: float, burst: int, now: float) -> None:
        if rate <= 0:
            raise ValueError("a token bucket needs a positive rate")
        self.rate = rate
        self.burst = max(1, burst)
        self._tokens = float(self.burst)
        self._updated = now

    def wait(self, now: float) -> float:
        """Refill up to `now`; the seconds until a whole token is there (0.0 when one is)."""
        self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        return 0.0 if self._tokens >= 1.0 else (1.0 - self._tokens) / self.rate

    def take(self) -> None:
        """Take one token, available or not (see the class docstring)."""
        self._tokens -= 1.0

    def give_back(self) -> None:
        """Return a token taken but not used."""
        self._tokens += 1.0

    def try_take(self, now: float) -> float:
        """Take a token if one is there at `now`: 0.0 when taken, else the seconds to wait."""
        wait = self.wait(now)
        if wait == 0.0:
            self._tokens -= 1.0
        return wait
