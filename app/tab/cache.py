"""A bounded TTL cache with single-flight fetches, and the TTL classes of upstream data.

`get_or_fetch` runs at most one fetch per key at a time (`app.primitives.single_flight`):
concurrent callers for the same key share it ("coalesced"). Failures are never stored.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from prometheus_client import Counter

from app.observability.metrics import CACHE_EVENTS
from app.primitives.lru import LRU
from app.primitives.single_flight import SingleFlight

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class TTLs:
    """Time to live, in seconds, of each class of upstream data."""

    prices: float = 5.0          # approximates: pool dividends move constantly
    next_to_go: float = 5.0      # next-to-go lists (racing and sports)
    race_open: float = 10.0      # race detail while betting is open (prices inside)
    race_final: float = 3600.0   # race detail once raceStatus is Paying or Abandoned
    meetings: float = 60.0       # meetings of a date, races of a meeting
    form: float = 600.0          # race and runner form
    dates: float = 600.0         # racing dates
    sports_tree: float = 45.0    # sports, a sport, competitions list
    sports_markets: float = 10.0  # competition, match, tournament (carry prices)
    results: float = 60.0        # sports results
    jackpots: float = 30.0       # jackpots and jackpot pools
    footy: float = 60.0          # footy tipping rounds
    raw: float = 5.0             # generic reads: unknown content, keep short


#: Race statuses after which a race's detail no longer changes meaningfully.
FINAL_RACE_STATUSES = frozenset({"Paying", "Abandoned"})


@dataclass(slots=True)
class CacheResult(Generic[V]):
    """A value from `get_or_fetch`: `fetched_at` is when it was fetched (UTC); `hit` is True
    when it was served from a stored entry, False when this call fetched it or shared a fetch."""

    value: V
    fetched_at: datetime
    hit: bool


@dataclass(slots=True)
class _Entry(Generic[V]):
    value: V
    fetched_at: datetime
    expires: float
    size: int


class TTLCache(Generic[V]):
    """An LRU-bounded TTL cache with single-flight fetching.

    `enabled=False` stores nothing but still coalesces concurrent fetches of the same key.
    `max_bytes` (with `sizer`) bounds the summed size of stored values as well as their count.
    `clock` is a monotonic seconds clock (injectable for tests).
    """

    def __init__(self, name: str, *, max_entries: int = 512, max_bytes: int | None = None,
                 sizer: Callable[[V], int] | None = None, enabled: bool = True,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self.enabled = enabled
        self._max_bytes = max_bytes
        self._sizer = sizer
        self._clock = clock
        self._entries: LRU[Hashable, _Entry[V]] = LRU(max_entries)
        self._bytes = 0
        self._flights: SingleFlight[Hashable, tuple[V, datetime]] = SingleFlight()
        self._counters: dict[str, Counter] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def _event(self, event: str) -> None:
        counter = self._counters.get(event)
        if counter is None:  # resolve the labelled child once: this runs on every read
            counter = self._counters[event] = CACHE_EVENTS.labels(cache=self.name, event=event)
        counter.inc()

    async def get_or_fetch(self, key: Hashable, ttl: float | Callable[[V], float],
                           fetch: Callable[[], Awaitable[V]], *,
                           ahead: float | None = None) -> CacheResult[V]:
        """The value for `key`: stored and fresh, or from a (shared) call of `fetch`.

        `ttl` is seconds, or a function of the fetched value returning seconds. `ahead` marks a
        background refresh: an entry expiring within `ahead` seconds is fetched again now, on
        its own rather than as a shared flight, so that nobody waits on it or gets its error.
        """
        now = self._clock()
        entry = self._entries.get(key)
        if entry is not None:
            if entry.expires > now + (ahead or 0.0):
                self._event("hit")
                return CacheResult(entry.value, entry.fetched_at, True)
            if entry.expires <= now:
                self._drop(key)
        if ahead is not None and key not in self._flights:
            self._event("refresh")
            value, fetched_at = await self._run(key, ttl, fetch)
            return CacheResult(value, fetched_at, False)

        self._event("coalesced" if key in self._flights else "miss")
        value, fetched_at = await self._flights.run(key, lambda: self._run(key, ttl, fetch))
        return CacheResult(value, fetched_at, False)

    async def _run(self, key: Hashable, ttl: float | Callable[[V], float],
                   fetch: Callable[[], Awaitable[V]]) -> tuple[V, datetime]:
        value = await fetch()
        fetched_at = datetime.now(UTC)
        seconds = ttl(value) if callable(ttl) else ttl
        if self.enabled and seconds > 0:
            self._store(key, _Entry(value, fetched_at, self._clock() + seconds,
                                    self._sizer(value) if self._sizer else 0))
        return value, fetched_at

    def _store(self, key: Hashable, entry: _Entry[V]) -> None:
        if key in self._entries:
            self._drop(key)
        if self._max_bytes is not None and entry.size > self._max_bytes:
            return
        self._bytes += entry.size
        for _, old in self._entries.put(key, entry):
            self._evicted(old)
        while self._max_bytes is not None and self._bytes > self._max_bytes:
            self._evicted(self._entries.pop_oldest()[1])

    def _evicted(self, entry: _Entry[V]) -> None:
        self._bytes -= entry.size
        self._event("evicted")

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key)
        if entry is not None:
            self._bytes -= entry.size

    def clear(self) -> None:
        """Forget every stored entry (in-flight fetches continue)."""
        self._entries.clear()
        self._bytes = 0

