"""Memory of credential sets the upstream login service rejected, with capped backoff.

A rejected set is not sent to the login service again until its backoff has passed (doubling
with every further rejection, up to a cap), so the server never relays repeated failed logins
that could lock the account or its address. Keys are credential fingerprints (salted hashes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from app.primitives.lru import LRU

#: How many rejected credential sets are remembered (the oldest are forgotten first).
MAX_REMEMBERED = 8192


@dataclass(frozen=True, slots=True)
class _Rejection:
    failures: int
    until: float


class RejectionLog:
    """Backoff per rejected credential fingerprint: `base` seconds, doubling, at most `cap`."""

    def __init__(self, base: float, cap: float, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.base = base
        self.cap = max(base, cap)
        self._clock = clock
        self._entries: LRU[str, _Rejection] = LRU(MAX_REMEMBERED)

    def blocked_for(self, fingerprint: str) -> float:
        """Seconds until `fingerprint` may try to log in again (0.0: now)."""
        entry = self._entries.get(fingerprint)
        if entry is None:
            return 0.0
        return max(0.0, entry.until - self._clock())

    def rejected(self, fingerprint: str) -> bool:
        """Whether the last login with `fingerprint` was rejected."""
        return fingerprint in self._entries

    def record(self, fingerprint: str) -> float:
        """The login service rejected `fingerprint`: start (or lengthen) its backoff and return
        its length in seconds."""
        entry = self._entries.get(fingerprint)
        failures = 1 if entry is None else entry.failures + 1
        delay: float = min(self.cap, self.base * 2.0 ** min(failures - 1, 30))
        self._entries.put(fingerprint, _Rejection(failures, self._clock() + delay))
        return delay

    def clear(self, fingerprint: str) -> None:
        """A login with `fingerprint` succeeded."""
        self._entries.pop(fingerprint)
