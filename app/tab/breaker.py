"""A circuit breaker for the upstream.

Closed: requests flow and consecutive failures (5xx, timeouts, connection errors) are counted;
any HTTP answer below 500 resets the count. After `failure_threshold` failures in a row it opens:
requests fail fast with `CircuitOpen` for `reset_timeout` seconds. Then it is half-open: one
probe request goes through; success closes it, failure opens it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

from app.observability.metrics import BREAKER_OPEN
from app.tab.errors import CircuitOpen


class BreakerState(StrEnum):
    """The breaker's state."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Fail fast while the upstream is failing; see the module docstring."""

    def __init__(self, *, failure_threshold: int = 5, reset_timeout: float = 15.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.failure_threshold = max(1, failure_threshold)
        self.reset_timeout = reset_timeout
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False
        BREAKER_OPEN.set(0)

    @property
    def state(self) -> BreakerState:
        """Closed, open (failing fast) or half-open (cool-down over, probing)."""
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at < self.reset_timeout:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    @property
    def is_open(self) -> bool:
        """True while requests fail fast (open, cool-down not over)."""
        return self.state is BreakerState.OPEN

    def retry_in(self) -> float:
        """Seconds until the cool-down ends (0 when not open)."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self.reset_timeout - (self._clock() - self._opened_at))

    def before_call(self) -> bool:
        """Allow a request, or raise `CircuitOpen`. Returns True when this request is the
        half-open probe; the caller must then report its outcome (or `release_probe()`)."""
        state = self.state
        if state is BreakerState.CLOSED:
            return False
        if state is BreakerState.HALF_OPEN and not self._probing:
            self._probing = True
            return True
        seconds = max(1, round(self.retry_in()))
        raise CircuitOpen(
            "The TAB service is failing right now, so requests are paused for a moment; "
            f"try again in about {seconds} s.")

    def record_success(self) -> None:
        """The upstream answered (any status below 500)."""
        self._failures = 0
        self._probing = False
        if self._opened_at is not None:
            self._opened_at = None
            BREAKER_OPEN.set(0)

    def record_failure(self) -> None:
        """A 5xx, timeout or connection error."""
        self._failures += 1
        if self._probing or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
            BREAKER_OPEN.set(1)
        self._probing = False

    def release_probe(self) -> None:
        """The probe ended without an outcome (e.g. cancelled): let another request probe."""
        self._probing = False
