"""A bounded TTL cache with single-flight fetches, and the TTL classes of upstream data.

`get_or_fetch` runs at most one fetch per key at a time: concurrent callers for the same key
share it ("coalesced"). Failures are never stored, and every caller waiting on a failed fetch
gets its error. The fetch runs in its own task, so a caller that gives up (cancellation, its
own deadline) does not cancel it for the others.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from prometheus_client import Counter

from app.observability.metrics import CACHE_EVENTS

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
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._sizer = sizer
        self._clock = clock
        self._entries: OrderedDict[Hashable, _Entry[V]] = OrderedDict()
        self._bytes = 0
        self._inflight: dict[Hashable, asyncio.Task[tuple[V, datetime]]] = {}
        self._counters: dict[str, Counter] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def _event(self, event: str) -> None:
        counter = self._counters.get(event)
        if counter is None:  # resolve the labelled child once: this runs on every read
            counter = self._counters[event] = CACHE_EVENTS.labels(cache=self.name, event=event)
        counter.inc()

    async def get_or_fetch(self, key: Hashable, ttl: float | Callable[[V], float],
                           fetch: Callable[[], Awaitable[V]]) -> CacheResult[V]:
        """The value for `key`: stored and fresh, or from a (shared) call of `fetch`.

        `ttl` is seconds, or a function of the fetched value returning seconds.
        """
        entry = self._entries.get(key)
        if entry is not None:
            if entry.expires > self._clock():
                self._entries.move_to_end(key)
                self._event("hit")
                return CacheResult(entry.value, entry.fetched_at, True)
            self._drop(key)

        task = self._inflight.get(key)
        if task is not None:
            self._event("coalesced")
        else:
            self._event("miss")
            task = asyncio.ensure_future(self._run(key, ttl, fetch))
            self._inflight[key] = task
            task.add_done_callback(_consume_exception)
        value, fetched_at = await asyncio.shield(task)
        return CacheResult(value, fetched_at, False)

    async def _run(self, key: Hashable, ttl: float | Callable[[V], float],
                   fetch: Callable[[], Awaitable[V]]) -> tuple[V, datetime]:
        try:
            value = await fetch()
            fetched_at = datetime.now(UTC)
            seconds = ttl(value) if callable(ttl) else ttl
            if self.enabled and seconds > 0:
                self._store(key, _Entry(value, fetched_at, self._clock() + seconds,
                                        self._sizer(value) if self._sizer else 0))
            return value, fetched_at
        finally:
            self._inflight.pop(key, None)

    def _store(self, key: Hashable, entry: _Entry[V]) -> None:
        if key in self._entries:
            self._drop(key)
        if self._max_bytes is not None and entry.size > self._max_bytes:
            return
        self._entries[key] = entry
        self._bytes += entry.size
        while len(self._entries) > self._max_entries or (
                self._max_bytes is not None and self._bytes > self._max_bytes):
            oldest = next(iter(self._entries))
            self._drop(oldest)
            self._event("evicted")

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry.size

    def clear(self) -> None:
        """Forget every stored entry (in-flight fetches continue)."""
        self._entries.clear()
        self._bytes = 0


def _consume_exception(task: asyncio.Task[object]) -> None:
    # Every waiter may have gone; retrieve the error so it is not reported as unhandled.
    if not task.cancelled():
        task.exception()
