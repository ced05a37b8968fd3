"""A clock a test moves by hand, for code that takes a `clock` callable."""

from __future__ import annotations


class FakeClock:
    """Returns `now` (seconds) when called; the test advances it (`clock.now += 5`)."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
